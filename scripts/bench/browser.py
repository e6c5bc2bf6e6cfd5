"""What a browser downloads for a first search query, measured in headless Chromium.

The site is served by a plain static server. Chromium opens the home page, the search box gets
the query, and we wait until results show and the network is idle. Every response is counted;
search bytes are the responses that exist for search, whether fetched on page load (Material's
built-in search fetches its whole index then) or after typing, in three parts:
- runtime: the search code (Pagefind's JS and WebAssembly, Material's search worker);
- index: what grows with the archive (Pagefind's index chunks, meta and filters; Material's
  search_index.json);
- results: the text of the results shown (Pagefind's fragments, cut into excerpts).
Each is given as served raw and as a host that gzips text sends it (.js/.json/.css; Pagefind's
own files are gzip already). Debian's chromium only, driven by Playwright through `executable_path`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEARCH_URL = re.compile(r"search|pagefind|lunr|/workers/|t2s", re.IGNORECASE)
FULL_TEXT_BUTTON = ".search-scope button[data-scope=full]"  # ours: search the full text, on request
SEARCH_INPUTS = ["input.md-search__input", "input[type=search]", ".pagefind-ui__search-input"]
RESULTS = [".md-search-result__item", ".pagefind-ui__result", "[data-pagefind-result]"]


GZIPPED_BY_HOST = (".js", ".json", ".css", ".html", ".mjs")


@dataclass
class Download:
    raw: dict[str, int] = field(default_factory=lambda: {"runtime": 0, "index": 0, "results": 0})
    gzip: dict[str, int] = field(default_factory=lambda: {"runtime": 0, "index": 0, "results": 0})
    total_bytes: int = 0  # everything, raw: page, theme, search
    requests: int = 0
    results: int = 0  # result items shown for the query
    largest: list[tuple[int, str]] = field(default_factory=list)  # the biggest search responses, gzip
    error: str = ""
    full_text: Download | None = None  # then the same query in the full text, when the site offers it

    @property
    def search_bytes(self) -> int:
        """What a first query costs on a host that gzips text: runtime + index + result texts."""
        return sum(self.gzip.values())


def kind(path: str) -> str:
    if path.endswith(".pf_fragment"):
        return "results"
    if path.endswith((".js", ".mjs", ".css", ".pagefind")) or "/workers/" in path:
        return "runtime"
    return "index"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def first_query(site: Path, query: str, timeout_s: float = 180) -> Download:
    """The first query as a reader types it; then, on a site that searches titles and summaries
    first, the same query in the full text (what a reader who asks for it downloads on top)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    out = Download()
    sizes: list[tuple[int, int, str]] = []  # raw bytes, gzip bytes, URL
    full_sizes: list[tuple[int, int, str]] = []
    phase = [sizes]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            page = browser.new_page()
            page.set_default_timeout(timeout_s * 1000)

            def count(response):
                try:
                    body = response.body()
                except PlaywrightError:  # a redirect or an aborted request has no body
                    body = b""
                zipped = len(gzip.compress(body, 6)) if response.url.endswith(GZIPPED_BY_HOST) else len(body)
                phase[0].append((len(body), zipped, response.url))

            page.on("response", count)
            page.goto(url, wait_until="networkidle")
            box = _search_box(page)
            if box is None:
                out.error = "no search box found on the home page"
            else:
                box.click()
                if _type_until_results(page, box, query, timeout_s):
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)  # a last chunk or fragment after the first results
                    out.results = page.locator(", ".join(RESULTS)).count()
                    if page.locator(FULL_TEXT_BUTTON).count():
                        phase[0] = full_sizes
                        page.click(FULL_TEXT_BUTTON)
                        page.wait_for_selector(".md-search-result__meta[data-scope=full]")
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(500)
                        out.full_text = Download()
                        out.full_text.results = page.locator(", ".join(RESULTS)).count()
                else:
                    out.error = f"no results shown for {query!r} within {timeout_s:.0f} s"
            browser.close()
    finally:
        server.shutdown()
    _tally(out, sizes, len(url))
    if out.full_text:
        _tally(out.full_text, full_sizes, len(url))
    return out


def _tally(out: Download, sizes: list[tuple[int, int, str]], base: int) -> None:
    out.requests = len(sizes)
    out.total_bytes = sum(raw for raw, _, _ in sizes)
    for raw, zipped, u in sizes:
        path = u[base - 1:]
        if SEARCH_URL.search(path):
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
