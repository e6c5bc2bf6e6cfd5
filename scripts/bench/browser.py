"""What a browser downloads for a first search query, measured in headless Chromium.

The site is served by a plain static server (no compression, as the cheapest host would).
Chromium opens the home page, the search box gets the query, and we wait until results show
and the network is idle. Every response is counted; search bytes are the responses that
exist for search (a search index, its worker, Pagefind's fragments and chunks …), whether they
were fetched on page load (Material's built-in search fetches its whole index then) or after
typing. Debian's chromium only, driven by Playwright through `executable_path`.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEARCH_URL = re.compile(r"search|pagefind|lunr|/workers/", re.IGNORECASE)
SEARCH_INPUTS = ["input.md-search__input", "input[type=search]", ".pagefind-ui__search-input"]
RESULTS = [".md-search-result__item", ".pagefind-ui__result", "[data-pagefind-result]"]


@dataclass
class Download:
    search_bytes: int = 0  # responses that exist for search
    total_bytes: int = 0  # everything: page, theme, search
    requests: int = 0
    results: int = 0  # result items shown for the query
    largest: list[tuple[int, str]] = field(default_factory=list)  # the biggest search responses
    error: str = ""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def first_query(site: Path, query: str, timeout_s: float = 180) -> Download:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    out = Download()
    sizes: list[tuple[int, str]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            page = browser.new_page()
            page.set_default_timeout(timeout_s * 1000)

            def count(response):
                try:
                    body = len(response.body())
                except PlaywrightError:  # a redirect or an aborted request has no body
                    body = 0
                sizes.append((body, response.url))

            page.on("response", count)
            page.goto(url, wait_until="networkidle")
            box = _search_box(page)
            if box is None:
                out.error = "no search box found on the home page"
            else:
                box.click()
                box.fill(query)
                try:
                    page.wait_for_selector(", ".join(RESULTS), timeout=timeout_s * 1000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)  # a last chunk or fragment after the first results
                    out.results = page.locator(", ".join(RESULTS)).count()
                except PlaywrightError as err:
                    out.error = f"no results shown for {query!r}: {str(err).splitlines()[0]}"
            browser.close()
    finally:
        server.shutdown()
    base = len(url)
    out.requests = len(sizes)
    out.total_bytes = sum(size for size, _ in sizes)
    search = [(size, u[base - 1:]) for size, u in sizes if SEARCH_URL.search(u[base:])]
    out.search_bytes = sum(size for size, _ in search)
    out.largest = sorted(search, reverse=True)[:3]
    return out


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
