"""The website in real headless Chromium: search, anchors, copy link and cite, phones, screenshots.

The search index is the archive's own (scripts/site/search_index.py), built by the `site` fixture exactly as `make site` builds it.
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re

import pytest

from scripts.ingest.convert import convert_file
from scripts.pages.web import docnumber_token

from .conftest import ARTIFACTS, PHONE, ROOT, SOURCES

pytestmark = pytest.mark.browser

HENGNAN = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta
HUBEI = convert_file(SOURCES / "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua.txt").meta
REPLY = convert_file(SOURCES / "2023-hengyang-zhengxie-291-hao-tian-dafu.txt").meta
ALL_IDS = [convert_file(p).meta["id"] for p in sorted(SOURCES.glob("*.txt"))]


def search(page, site_url, query: str) -> list[dict]:
    """Type into the header search box as a reader does; return the results shown."""
    if not page.url.startswith(site_url):
        page.goto(site_url + "/")
    box = page.locator(".md-search__input")
    box.fill(query)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta').getAttribute('data-query') === q",
        arg=query,
    )
    # the results, not a wanted entry, read in one call
    return page.eval_on_selector_all(
        ".md-search-result__item:not(.search-wanted)",
        """items => items.map(item => ({
            href: item.querySelector("a").getAttribute("href"),
            title: item.querySelector("h1").innerText,
            facts: [...item.querySelectorAll(".search-result__facts")].map(f => f.innerText),
        }))""",
    )


def ids(results) -> list[str]:
    return [r["href"].rstrip("/").split("/")[-1] for r in results]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("县域经济", HUBEI["id"]),  # simplified finds the plan written 縣域經濟
        (
            "八大行動",
            HENGNAN["id"],
        ),  # traditional finds documents written in simplified (its title)
        ("八大行动", HENGNAN["id"]),  # a Chinese word, segmented
        ("hengnan", HENGNAN["id"]),  # a place by pinyin
    ],
)
def test_search_finds_words_in_either_script_and_places_by_pinyin(page, site_url, query, expected):
    assert expected in ids(search(page, site_url, query))
    assert page.js_errors == []


def test_diagram_source_is_not_searched_or_quoted(page, site_url):
    # every document page carries a Mermaid diagram; its source is markup, not the document's text
    assert search(page, site_url, "classDef") == []
    results = search(page, site_url, "衡南县实施")
    assert results and HENGNAN["id"] in ids(results)
    excerpts = page.locator(".md-search-result__item").all_inner_texts()
    assert not [text for text in excerpts if "flowchart" in text or "fill:#" in text]


def test_words_only_in_the_body_are_found_without_asking(page, site_url):
    """One flow (issue 15): words found only deep in a document are in the list the reader sees
    first, with the count of every match; there is no second scope to ask for."""
    results = search(
        page, site_url, "四好农村路"
    )  # deep in one body, in no title, opening or heading
    assert HUBEI["id"] in ids(results)
    assert page.inner_text(".md-search-result__meta") == f"找到 {len(results)} 份文件"
    assert page.locator(".search-scope, .search-in-full").count() == 0
    assert page.js_errors == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ("衡政办发2024 5号", HENGNAN["id"]),  # cited by the 衡南 plan, typed without brackets
        ("衡政办发[2024]5號", HENGNAN["id"]),
        ("鄂经信县域〔2019〕40号", HUBEI["id"]),  # its own 文号, typed in simplified
        ("清政办函 2024-3", HENGNAN["id"]),
        ("衡农提复〔2023〕21号", REPLY["id"]),
    ],
)
def test_a_loosely_typed_docnumber_finds_its_document_first(page, site_url, query, expected):
    assert ids(search(page, site_url, query))[0] == expected


def test_results_show_title_place_and_date_and_filters_narrow_them(page, site_url):
    results = search(page, site_url, "发展")
    hubei = next(r for r in results if HUBEI["id"] in r["href"])
    assert hubei["title"] == HUBEI["title"]
    assert "湖北省" in hubei["facts"][0] and HUBEI["date"] in hubei["facts"][0]
    assert len(results) > 1
    page.evaluate("document.querySelector('.md-search-result__meta').removeAttribute('data-query')")
    page.click(".search-filter-toggle")  # the filters' lists are fetched when the reader asks
    page.select_option("select[data-filter='年份']", "2019")
    page.wait_for_selector(".md-search-result__meta[data-query]")
    narrowed = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    assert any(HUBEI["id"] in href for href in narrowed)
    for href in narrowed:  # every document left is one of 2019
        doc_id = href.rstrip("/").rsplit("/", 1)[-1]
        front = (ROOT / "docs" / "doc" / f"{doc_id}.md").read_text(encoding="utf-8").split("---")[1]
        assert re.search(r"^date: '?2019", front, re.MULTILINE), href
    for name in ("级别", "地区", "年份", "文种"):
        assert page.locator(f"select[data-filter='{name}'] option").count() > 1, name


def test_the_browser_and_the_indexer_fold_a_docnumber_alike(page, site_url):
    page.goto(site_url + "/")
    page.evaluate("window.archiveSearch.ready()")
    for code, year, serial in [
        ("衡政办发", 2024, 5),
        ("鄂經信縣域", 2019, 40),
        ("国办发", 2023, 1),
    ]:
        js = page.evaluate(
            "a => window.archiveSearch.numberToken(a[0], a[1], a[2])", [code, year, serial]
        )
        assert js == docnumber_token(code, year, serial)


def test_search_download_per_query_is_small(browser, site_url, site, report):
    """Bytes a browser fetches for a first query and for a next one, printed for the report.

    The test server does not compress; a real host gzips text (.js, .json). Both figures are
    printed. What grows with the archive is the index: its shards plus the code must stay under
    300 KB for a first query (issue 7). A result's text (search/doc/<id>.json, its excerpt is cut
    from it) is fetched when the result is on screen, so it costs what the documents weigh, a
    screenful at a time.
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "/", wait_until="networkidle")
    fetched: list[tuple[str, int]] = []
    page.on(
        "requestfinished", lambda req: fetched.append((req.url, req.sizes()["responseBodySize"]))
    )

    def figures(label):
        sent = {url: over_the_wire(site, url, size) for url, size in fetched}
        fragments = [url for url in sent if "/search/doc/" in url]
        index = sum(size for url, size in sent.items() if url not in fragments)
        text = sum(sent[url] for url in fragments)
        report(
            f"search bytes, {label}: {sum(s for _, s in fetched) / 1024:.1f} KB raw; as a gzip host "
            f"sends it: runtime + index {index / 1024:.1f} KB, {len(fragments)} result texts "
            f"{text / 1024:.1f} KB ({len(fetched)} requests)"
        )
        fetched.clear()
        return index, fragments

    first, shown = (
        figures("first query 县域经济") if search(page, site_url, "县域经济") else (0, [])
    )
    second, _ = figures("next query hengdong") if search(page, site_url, "hengdong") else (0, [])
    context.close()
    assert 0 < first < 300 * 1024
    assert second < 100 * 1024
    assert 0 < len(shown) <= 10


def test_a_phone_reading_a_document_does_not_download_mermaid(browser, site_url, site, report):
    """Bytes a document page costs a phone at first load, and once the reader scrolls to its diagram.

    The second figure is what every document page cost before Mermaid loaded on demand. Printed for
    the report (raw as the test server sends it, and as a gzip host would); no timing is asserted.
    """
    context = browser.new_context(**PHONE)
    page = context.new_page()
    fetched: list[tuple[str, int]] = []
    page.on(
        "requestfinished", lambda req: fetched.append((req.url, req.sizes()["responseBodySize"]))
    )
    page.goto(f"{site_url}/doc/{HENGNAN['id']}/", wait_until="networkidle")
    assert page.locator("#relation-graph").count() == 1, (
        "the document page carries a relation diagram"
    )
    first = list(fetched)
    page.evaluate("document.querySelector('#relation-graph ~ .mermaid').scrollIntoView()")
    page.locator("#relation-graph ~ div.mermaid").first.wait_for(state="attached", timeout=20000)
    page.wait_for_load_state("networkidle")
    context.close()

    def kb(requests):
        raw = sum(size for _, size in requests)
        gzipped = sum(over_the_wire(site, url, size) for url, size in requests)
        return (
            f"{raw / 1024:.1f} KB raw, {gzipped / 1024:.1f} KB gzipped ({len(requests)} requests)"
        )

    report(
        f"document page at 375 px, first load: {kb(first)}; "
        f"after scrolling to the diagram: {kb(fetched)}"
    )
    assert not [url for url, _ in first if url.endswith("mermaid.min.js")]
    assert [url for url, _ in fetched if url.endswith("/assets/vendor/mermaid.min.js")]
    assert not [url for url, _ in fetched if not url.startswith(site_url)]  # never a CDN


def over_the_wire(site, url: str, size: int) -> int:
    """What a host that gzips text would send for this response."""
    import gzip
    from urllib.parse import urlparse

    path = site / urlparse(url).path.lstrip("/")
    if path.suffix in (".js", ".json", ".css", ".html") and path.is_file():
        return len(gzip.compress(path.read_bytes(), 6))
    return size


def test_an_anchor_url_lands_on_its_paragraph_and_the_copy_link_gives_it(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    url = f"{site_url}/doc/{HENGNAN['id']}/#s2-1"
    page.goto(url)
    target = page.locator("#s2-1")
    assert target.evaluate("el => el.classList.contains('is-target') && el.matches(':target')")
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2, (
        "the paragraph is at the top of the window"
    )
    assert "聚力攻坚产业培塑行动" in target.inner_text()

    page.goto(f"{site_url}/doc/{HENGNAN['id']}/")
    page.locator(".doc-card__cite").wait_for()  # the page script is ready (it shows this button)
    page.locator("#s2-2 > .para-link").click()
    copy_link = page.locator(".anchor-tools__copy-link")
    assert copy_link.get_attribute("data-url") == f"{site_url}/doc/{HENGNAN['id']}/#s2-2"
    copy_link.click()
    assert (
        page.evaluate("navigator.clipboard.readText()") == f"{site_url}/doc/{HENGNAN['id']}/#s2-2"
    )
    assert page.url.endswith("#s2-2")

    cite = page.locator(".anchor-tools__copy-cite").get_attribute("data-citation")
    for part in (
        HENGNAN["issuer"],
        HENGNAN["title"],
        HENGNAN["doc_number"],
        HENGNAN["date"],
        "[EB/OL]",
        "#s2-2",
    ):
        assert part in cite
    page.locator("h3#s1 > a.headerlink").click()
    assert page.locator(".anchor-tools__copy-link").get_attribute("data-url").endswith("#s1")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        *[f"/doc/{doc_id}/" for doc_id in ALL_IDS],
        "/browse/years/",
        "/about/links/",
        "/quanguo/",
        "/hunan/hengyang/",
        "/wanted/",
        "/targets/",
        "/targets/430000/",
        "/implementation/",
        f"/implementation/{HUBEI['id']}/",
        "/export/",
    ],
)
def test_a_phone_never_scrolls_sideways(browser, site_url, path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    assert page.goto(site_url + path).ok, path
    # down to the foot of the page, so that diagrams are drawn and measured too
    page.evaluate("document.querySelectorAll('.mermaid').forEach(el => el.scrollIntoView())")
    page.wait_for_function("!document.querySelector('pre.mermaid')", timeout=30000)  # all drawn
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    context.close()
    assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_for_a_person_to_look_at(browser, site_url, width):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in [
        ("home", "/"),
        ("document", f"/doc/{HENGNAN['id']}/#s2-1"),
        ("traditional", f"/doc/{HUBEI['id']}/"),
    ]:
        page.goto(site_url + path)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=(name == "home"))
    search(page, site_url, "县域经济")
    page.screenshot(path=str(ARTIFACTS / f"search-{width}.png"))
    context.close()


def test_dark_mode_follows_the_reader(browser, site_url):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/doc/{HENGNAN['id']}/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.screenshot(path=str(ARTIFACTS / "document-dark-1280.png"))
    context.close()


def test_print_hides_the_site_chrome(page, site_url):
    page.goto(f"{site_url}/doc/{HENGNAN['id']}/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert page.locator(".doc-card").is_visible()
    assert page.locator("#s1").is_visible()
    json.dumps(page.js_errors)
