"""Source text is never markup: hostile sources, built into a real site, opened in headless Chromium.

The fixtures carry `<script>`, `<img onerror>`, `<svg onload>`, `javascript:` links, `<iframe>`,
`<style>`, Markdown link and emphasis syntax, attribute lists and `{{ … }}` as TEXT (and the saved
pages carry real scripts of the scraped site, which must be dropped). Each would set
`window.pwned` or change `document.title` if it ever ran; the page must show the characters.
"""

from __future__ import annotations

import functools
import shutil
import threading

import pytest

from scripts.ingest.convert import convert_file

from .conftest import QuietHandler, QuietServer, build_site, copy_project
from .test_conservation import FIXTURES

pytestmark = pytest.mark.browser
HOSTILE = [
    FIXTURES / "hostile.txt",
    FIXTURES / "hostile-page.html",
    FIXTURES / "portal-notice.html",
    FIXTURES / "state-council-measures.html",
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile"), converted=True)
    for path in HOSTILE:
        shutil.copy2(path, project / "sources" / path.name)
    site = build_site(project)
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("source", HOSTILE, ids=lambda p: p.name)
def test_hostile_text_shows_as_characters_and_never_runs(page, hostile_url, source):
    doc = convert_file(source)
    page.goto(f"{hostile_url}/doc/{doc.meta['id']}/")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert doc.meta["title"] in page.title()  # shown as characters, and not rewritten by a script
    article = page.locator("article").first
    for selector in (
        "script",
        "iframe",
        "style",
        "svg",
        "img",
        "a[href^='javascript']",
        "[onerror]",
        "[onload]",
        "[onclick]",
        "em",
        "code:not(pre.mermaid > code)",
    ):  # a diagram waits, as code, until scrolled to
        assert article.locator(selector).count() == 0, (
            f"{selector} made it into the page of {source.name}"
        )
    tables = [
        b for b in doc.blocks if b.kind == "table"
    ]  # a body table is drawn as a table, cells as text
    assert article.locator(".doc-table table").count() == len(tables)
    text = article.inner_text()
    for block in doc.blocks:  # every source line with markup characters shows exactly as written
        if any(ch in block.text for ch in "<>[]{}*_`&"):
            shown = " ".join(block.text.split())
            assert shown in " ".join(text.split()), f"{shown!r} is not shown as written"
    assert page.js_errors == []
