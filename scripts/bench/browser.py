"""What a browser downloads for a first search query, and what a search finds, measured in
headless Chromium.

The site is served by a plain static server. Chromium opens the home page, the search box gets
the query, and we wait until results show and the network is idle. Every response is counted;
search bytes are the responses that exist for search, whether fetched on page load (Material's
built-in search fetches its whole index then) or after typing, in three parts:
- runtime: the search code (the traditional → simplified table; Material's search worker);
- index: what grows with the archive (our index shards and result metadata; Material's
  search_index.json);
- results: the text of the results shown (search/doc/<id>.json, cut into excerpts).
Each is given as served raw and as a host that gzips text sends it (.js/.json/.css). Ours is
counted twice: when the first results are on screen with their excerpts (the box marks it:
data-first) and when every result is listed (data-query). Recall: for a set of queries, the
documents listed against those of docs/ that hold the words (scripts/bench/recall.py).
Debian's chromium only, driven by Playwright through `executable_path`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEARCH_URL = re.compile(r"search|lunr|/workers/|t2s", re.IGNORECASE)
# Our own scripts (docs/assets/search/ beside docs/assets/archive.js) come with every page, as
# Material's bundle does: not counted as search code, as when they were all in archive.js
PAGE_SCRIPTS = re.compile(r"^/assets/search/[^/]*\.js(\?|$)")
EVERY_RESULT = ".md-search-result__meta[data-query]"  # ours: every result is listed
SEARCH_INPUTS = ["input.md-search__input", "input[type=search]"]  # ours, and Material's (lunr)
RESULTS = [".md-search-result__item"]


GZIPPED_BY_HOST = (".js", ".json", ".css", ".html", ".mjs")


@dataclass
class Download:
    raw: dict[str, int] = field(default_factory=lambda: {"runtime": 0, "index": 0, "results": 0})
    gzip: dict[str, int] = field(default_factory=lambda: {"runtime": 0, "index": 0, "results": 0})
    total_bytes: int = 0  # everything, raw: page, theme, search
    requests: int = 0
    results: int = 0  # result items shown for the query
    largest: list[tuple[int, str]] = field(
        default_factory=list
    )  # the biggest search responses, gzip
    error: str = ""
    first: Download | None = None  # ours: what was downloaded when the first results were on screen

    @property
    def search_bytes(self) -> int:
        """What a first query costs on a host that gzips text: runtime + index + result texts."""
        return sum(self.gzip.values())


def kind(path: str) -> str:
    if "/search/doc/" in path:
        return "results"
    if path.endswith((".js", ".mjs", ".css")) or "/workers/" in path:
        return "runtime"
    return "index"


class QuietServer(http.server.ThreadingHTTPServer):
    """A static server that says nothing when a browser drops a connection it no longer needs (a
    cancelled fetch, a page closed mid-download): a browser's right, not a fault to print."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without a log line per request."""

    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def launch(pw):
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


def first_query(site: Path, query: str, timeout_s: float = 180) -> Download:
    """The first query as a reader types it: on our site, what was downloaded once the first
    results were on screen, then once every result was listed; on another, once results show."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    out = Download()
    sizes: dict[str, tuple[int, int]] = {}  # URL → raw bytes, gzip bytes
    first_urls: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_page()
            page.set_default_timeout(timeout_s * 1000)

            def count(response):
                try:
                    body = response.body()
                except PlaywrightError:  # a redirect or an aborted request has no body
                    body = b""
                zipped = (
                    len(gzip.compress(body, 6))
                    if urlsplit(response.url).path.endswith(GZIPPED_BY_HOST)
                    else len(body)
                )
                sizes[response.url] = (len(body), zipped)

            page.on("response", count)
            page.goto(url, wait_until="networkidle")
            box = _search_box(page)
            if box is None:
                out.error = "no search box found on the home page"
            else:
                box.click()
                if _type_until_results(page, box, query, timeout_s):
                    if page.locator(".md-search-result__meta").count():
                        ours = page.locator("[data-archive-search]").count() > 0
                    else:
                        ours = False
                    if ours:
                        page.wait_for_selector(EVERY_RESULT)
                        # what the browser had asked for when the first results were on screen
                        # (the rest of the list is fetched after that)
                        first_urls = page.evaluate("""() => {
                            const at = +document.querySelector('.md-search-result__meta').dataset.firstAt;
                            return performance.getEntriesByType('resource').filter(e => e.startTime <= at)
                              .map(e => e.name); }""")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)  # a last chunk or text after the results
                    out.results = page.locator(", ".join(RESULTS)).count()
                else:
                    out.error = f"no results shown for {query!r} within {timeout_s:.0f} s"
            browser.close()
    finally:
        server.shutdown()
    _tally(out, [(raw, zipped, u) for u, (raw, zipped) in sizes.items()], len(url))
    if first_urls:
        out.first = Download()
        names = set(first_urls) | {url}
        _tally(
            out.first,
            [(raw, zipped, u) for u, (raw, zipped) in sizes.items() if u in names],
            len(url),
        )
    return out


@dataclass
class Recall:
    queries: int = 0
    expected: int = 0  # (query, document) pairs where the document holds the query's words
    shown: int = 0  # of those, listed by the search box
    missed: list[tuple[str, str]] = field(default_factory=list)  # (query, document id), a few
    listed: int = 0  # (query, document) pairs listed by the search box
    false_hits: int = 0  # of those, documents holding none of the query's words
    false: list[tuple[str, str]] = field(default_factory=list)  # (query, document id), a few

    @property
    def share(self) -> float:
        return self.shown / self.expected if self.expected else 1.0


def recall(site: Path, docs: Path, queries: list[str], timeout_s: float = 300) -> Recall:
    """Types each query into our search box; every document of docs/ holding its words
    (scripts/bench/recall.py) must be among those listed (recall), and every document listed must
    hold one of them (precision: a false hit is one that holds none)."""
    from playwright.sync_api import sync_playwright

    from .recall import holding

    server, url = serve(site)
    out = Recall()
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_page()
            page.set_default_timeout(timeout_s * 1000)
            page.goto(url, wait_until="networkidle")
            for query in queries:
                expected = set().union(*(holding(docs, word) for word in query.split()))
                page.evaluate(
                    "document.querySelector('.md-search-result__meta').removeAttribute('data-query')"
                )
                page.fill("input.md-search__input", query)
                page.wait_for_function(
                    "q => document.querySelector('.md-search-result__meta')"
                    ".getAttribute('data-query') === q",
                    arg=query,
                )
                listed = set(
                    page.evaluate(
                        "() => Array.from(document.querySelectorAll("
                        "'.md-search-result__item > a.md-search-result__link'), a => a.pathname)"
                        ".filter(p => p.startsWith('/doc/')).map(p => p.split('/')[2])"
                    )
                )
                out.queries += 1
                out.expected += len(expected)
                out.shown += len(expected & listed)
                out.missed += [(query, doc_id) for doc_id in sorted(expected - listed)][:3]
                out.listed += len(listed)
                out.false_hits += len(listed - expected)
                out.false += [(query, doc_id) for doc_id in sorted(listed - expected)][:3]
            browser.close()
    finally:
        server.shutdown()
    return out


def _tally(out: Download, sizes: list[tuple[int, int, str]], base: int) -> None:
    out.requests = len(sizes)
    out.total_bytes = sum(raw for raw, _, _ in sizes)
    for raw, zipped, u in sizes:
        path = u[base - 1 :]
        if SEARCH_URL.search(path) and not PAGE_SCRIPTS.match(path):
            out.raw[kind(path)] += raw
            out.gzip[kind(path)] += zipped
            out.largest.append((zipped, path))
    out.largest = sorted(out.largest, reverse=True)[:3]


def _type_until_results(page, box, query: str, timeout_s: float) -> bool:
    """Type the query as keys (Material reads the box on keyup, not on input), then press End
    while no results show: Material's lunr search drops a query typed before its worker has
    loaded the index, and says nothing (that takes seconds for a big index)."""
    from playwright.sync_api import Error as PlaywrightError

    selector = ", ".join(RESULTS)
    box.press_sequentially(query, delay=30)
    waited = 0.0
    while waited < timeout_s:
        try:
            page.wait_for_selector(selector, timeout=3000)
            return True
        except PlaywrightError:
            waited += 3
            box.press("End")
    return False


def _search_box(page):
    for selector in SEARCH_INPUTS:
        locator = page.locator(selector)
        if locator.count():
            first = locator.first
            if not first.is_visible():
                # Material hides the input behind the header's search icon until it is opened
                page.keyboard.press("/")
                page.wait_for_timeout(200)
            return first
    return None
