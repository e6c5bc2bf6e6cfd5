"""Links a reader can trust, judged by linkchecker (PyPI, pinned in the test extras) over the
built site, every #anchor included; and the address bar and the ¶ control agreeing in Chromium."""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import io
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scripts.ingest.convert import convert_file

from .conftest import ROOT, SOURCES, QuietHandler

LINKCHECKER_CONFIG = ROOT / "tests" / "data" / "linkcheckerrc"
HENGNAN = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta


class OpenToLinkchecker(QuietHandler):
    # linkchecker waits 0.1–0.6 s between requests to a host unless the host answers with this
    # header (linkchecker's documented opt-in), which would make a check of the site take minutes
    def end_headers(self):
        self.send_header("LinkChecker", "unthrottled")
        super().end_headers()


@contextlib.contextmanager
def serve_to_linkchecker(folder: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(OpenToLinkchecker, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def linkchecker(url: str, *extra: str) -> list[dict]:
    """Broken links and anchors linkchecker finds from URL on, one dict per problem."""
    command = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    if not command:
        pytest.fail("linkchecker is missing: `make test` installs it (pyproject.toml, test extras)")
    result = subprocess.run(
        [command, "-f", str(LINKCHECKER_CONFIG), "--no-status", "-o", "csv", *extra, url],
        capture_output=True,
        text=True,
        timeout=600,
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
    with serve_to_linkchecker(site) as url:
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
