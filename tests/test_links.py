"""Links a reader can trust, judged by linkchecker (PyPI, pinned in the test extras) over the
built site, every #anchor included; and the address bar and the ¶ control agreeing in Chromium."""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scripts.ingest.convert import convert_file

from .conftest import ROOT, SOURCES, QuietHandler, QuietServer

LINKCHECKER_CONFIG = ROOT / "tests" / "data" / "linkcheckerrc"
HENGNAN = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta


class OpenToLinkchecker(QuietHandler):
    # linkchecker waits 0.1–0.6 s between requests to a host unless the host answers with this
    # header (linkchecker's documented opt-in), which would make a check of the site take minutes
    def end_headers(self):
        self.send_header("LinkChecker", "unthrottled")
        super().end_headers()


# A link to an anchor of its own page (the ¶ beside every paragraph and heading) is no link
# between pages, and linkchecker 10.6 does not judge it: it fetches and parses the page again for
# each one (5,000 of them made a check of 40 documents take 18 minutes), and a missing one goes
# unreported (`<a href="#nope">` added to a page: no warning). So these are taken out of what it
# reads; `scripts check` (run by `make test` before pytest) checks every anchor of every page,
# same-page ones included, with its own reader of the built HTML.
SAME_PAGE_LINK = re.compile(rb'(<a\b[^>]*?)\shref="#[^"]*"')


class WithoutSamePageLinks(OpenToLinkchecker):
    """The site's pages as they are, but for their links to anchors of their own page."""

    def send_head(self):
        path = self.path.split("?", 1)[0].lstrip("/")
        if not (path == "" or path.endswith("/")):
            return super().send_head()
        page = Path(self.directory) / path / "index.html"
        if not page.is_file():
            return super().send_head()
        body = SAME_PAGE_LINK.sub(rb"\1", page.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_to_linkchecker(folder: Path, handler: type[OpenToLinkchecker] = OpenToLinkchecker):
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


# Started as root, linkchecker drops to the user `nobody` and only then lists its plugins in the
# virtualenv. Where nobody may not enter the checkout (a clone in root's home, mode 700, as in a
# container), it finds none, and every #anchor goes unchecked without a word. So it runs as the
# user who started it: it reads only the pages the test serves it.
AS_STARTED = """\
import sys
import linkcheck.command.linkchecker as command
assert callable(getattr(command, "drop_privileges", None)), "linkchecker changed: tests/test_links.py"
command.drop_privileges = lambda: None
sys.argv[0] = "linkchecker"
sys.exit(command.linkchecker())
"""


def linkchecker(url: str, *extra: str) -> list[dict]:
    """Broken links and anchors linkchecker finds from URL on, one dict per problem."""
    if importlib.util.find_spec("linkcheck") is None:
        pytest.fail("linkchecker is missing: `make test` installs it (pyproject.toml, test extras)")
    # nothing of the machine's may change what is checked: no proxy (a proxy's answer for
    # 127.0.0.1 is not our page), no robots.txt (a 401/403 for it would skip every page's content)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            AS_STARTED,
            "-f",
            str(LINKCHECKER_CONFIG),
            "--no-status",
            "--no-robots",
            "-o",
            "csv",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(env, NO_PROXY="*", no_proxy="*"),
    )
    if result.returncode not in (0, 1):  # 1: problems found; anything else: linkchecker failed
        pytest.fail(f"linkchecker failed ({result.returncode}):\n{result.stderr[-2000:]}")
    rows = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    problems = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        if row["valid"] != "True" or row["warningstring"]:
            problems.append(
                {
                    "link": row["urlname"],
                    "on": row["parentname"],
                    "why": (row["result"] + " " + row["warningstring"]).strip()[:300],
                }
            )
    return problems


def test_no_broken_link_or_anchor_on_the_site(site):
    with serve_to_linkchecker(site, WithoutSamePageLinks) as url:
        problems = linkchecker(url)
    assert not problems, "\n".join(f"{p['on']} → {p['link']}: {p['why']}" for p in problems)


def test_linkchecker_finds_a_missing_page_and_a_missing_anchor(site, tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        f'<!doctype html><title>t</title><a href="doc/{HENGNAN["id"]}/#no-such-paragraph">a</a>'
        '<a href="no-such-page/">b</a>',
        encoding="utf-8",
    )
    shutil.copytree(site / "doc" / HENGNAN["id"], tmp_path / "doc" / HENGNAN["id"])
    with serve_to_linkchecker(tmp_path) as url:
        problems = linkchecker(url, "-r1")
    found = {p["link"] for p in problems}
    assert found == {f"doc/{HENGNAN['id']}/#no-such-paragraph", "no-such-page/"}, problems
