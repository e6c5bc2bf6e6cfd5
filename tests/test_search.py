"""Search on the built site, in headless Chromium, as a reader types into the header box (issue 15).

What a document holds is computed from the generated Markdown in docs/, without the search index
(scripts/bench/recall.py: its own text before the relations and diagram appended to it, its
title, 文号, issuer and places), folded as a reader expects: traditional and simplified characters
alike, letters in either case, punctuation and spaces ignored. The site must show every
such document, without the reader pressing anything; rank documents holding the words in their
title, 文号, issuer or place before those holding them only in the body, and more of the query's words
first; show each result's title, place, date and 文号 and an excerpt of its own text with the
words marked whole; and fit a phone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.bench.recall import documents, folded, holding
from scripts.core.script import to_traditional
from scripts.pages.web import loose_series_tokens
from scripts.site import search_index

from .conftest import PHONE
from .test_website import search

pytestmark = pytest.mark.browser

TOPICS = [
    "县域经济",
    "乡村振兴",
    "营商环境",
    "高质量发展",
    "返乡创业",
    "产业园",
    "衡东",
    "衡阳",
    "湖北",
    "数字经济",
    "融资担保",
    "经济",
    "县",
    "2024",
]


def ids(results) -> list[str]:
    """The ids of the documents among the results (other pages are found by their titles)."""
    return [r["href"].rstrip("/").split("/")[-1] for r in results if "/doc/" in r["href"]]


def queries(docs: Path) -> list[str]:
    """Topic words in both scripts, and the places and 文号 of the archive's own documents."""
    found = TOPICS + [to_traditional(q) for q in TOPICS if to_traditional(q) != q]
    for doc in documents(docs).values():
        meta = doc["meta"]
        found += [str(meta[k]) for k in ("region", "doc_number") if meta.get(k)]
    return list(dict.fromkeys(found))


def test_every_document_holding_the_words_is_shown(page, site_url, project):
    """Recall: for each query, every document whose text holds it (in either script, in any
    segmentation: 县域经济 inside 县域经济强县) is in the list the reader sees, unasked; the count
    the reader reads is the length of that list."""
    missed = {}
    checked = 0
    for query in queries(project / "docs"):
        expected = holding(project / "docs", query)
        shown = ids(search(page, site_url, query))
        checked += len(expected)
        if expected - set(shown):
            missed[query] = sorted(expected - set(shown))
        count = page.locator(".md-search-result__meta").get_attribute("data-count")
        assert count == str(page.locator(".md-search-result__item").count()), query
        assert (f"找到 {len(shown)} 份文件" if count != "0" else "没有找到") in page.inner_text(
            ".md-search-result__meta"
        )
    assert checked > 20, "the queries hold documents to find"
    assert missed == {}
    assert page.js_errors == []


def test_documents_come_before_place_and_browse_pages(page, site_url):
    results = search(page, site_url, "衡阳")
    paths = [r["href"].split("//", 1)[1].split("/", 1)[1] for r in results]
    is_document = [p.startswith("doc/") for p in paths]
    assert is_document == sorted(is_document, reverse=True), paths
    assert "hunan/hengyang/" in paths, "the place page is found by its name, after the documents"
    meta = page.inner_text(".md-search-result__meta")
    assert (
        meta == f"找到 {sum(is_document)} 份文件，另有 {len(paths) - sum(is_document)} 个相关页面"
    )


def test_a_word_inside_a_longer_word_and_across_punctuation_is_found(page, site_url, project):
    hengdong = next(
        i for i, d in documents(project / "docs").items() if "衡东" in d["meta"].get("title", "")
    )
    for query in ("县域经济强县", "助力衡东", "六大支撑助力", "縣域經濟強縣", "衡东县"):
        assert hengdong in ids(search(page, site_url, query)), query


def test_title_docnumber_and_place_matches_come_before_body_matches(page, site_url, project):
    docs = project / "docs"
    mixed = 0
    for query in ("县域经济", "乡村振兴", "衡阳", "营商环境", "衡东"):
        results = ids(search(page, site_url, query))
        in_head = [folded(query) in documents(docs)[i]["head"] for i in results]
        assert in_head == sorted(in_head, reverse=True), (query, results)
        mixed += any(in_head) and not all(in_head)
    assert mixed >= 2, "queries found both in heads and only in bodies"


def test_more_of_the_query_words_come_first(page, site_url, project):
    docs = project / "docs"
    words = ["衡东", "营商环境", "乡村振兴"]
    results = ids(search(page, site_url, " ".join(words)))
    held = [sum(i in holding(docs, w) for w in words) for i in results]
    assert held == sorted(held, reverse=True)
    assert held[0] == 3 and held[-1] < 3, held
    assert set(results) == set().union(*(holding(docs, w) for w in words))


def test_a_result_shows_title_place_date_docnumber_and_an_excerpt_of_its_own_text(
    page, site_url, project
):
    docs = documents(project / "docs")
    for query in ("乡村振兴", "鄉村振興", "营商环境"):
        search(page, site_url, query)
        items = page.locator(".md-search-result__item")
        assert items.count() > 1
        for i in range(items.count()):
            item = items.nth(i)
            if "/doc/" not in item.locator("a").get_attribute("href"):
                continue  # a place or browse page: found by its title
            item.scroll_into_view_if_needed()
            item.locator(".search-result__excerpt mark").first.wait_for(
                timeout=10000
            )  # fetched once on screen
            doc = docs[item.locator("a").get_attribute("href").rstrip("/").split("/")[-1]]
            meta = doc["meta"]
            assert item.locator("h1").inner_text() == meta["title"]
            facts = item.locator(".search-result__facts").inner_text()
            for key in ("date", "doc_number"):
                if meta.get(key):
                    assert str(meta[key]) in facts, (key, facts)
            if meta.get("region"):
                assert meta["region"] in facts
            excerpt = item.locator(".search-result__excerpt")
            marks = excerpt.locator("mark").all_inner_texts()
            assert marks and all(folded(m) == folded(query) for m in marks), (
                marks
            )  # whole words, not characters
            assert folded(excerpt.inner_text().replace("…", "")) in doc["text"].replace(
                "\n", ""
            )  # its own text
            assert "flowchart" not in excerpt.inner_text() and "y20" not in excerpt.inner_text()


def test_the_browser_and_the_indexer_fold_and_hash_alike(page, site_url):
    page.goto(site_url + "/")
    page.evaluate("window.archiveSearch.loadT2S()")
    page.wait_for_function("window.ARCHIVE_T2S")
    for text in (
        "縣域經濟",
        "“六大支撑”助力 衡東",
        "ＡＢＣ１２３ Hengnan",
        "鄂经信县域〔2019〕40号",
        "第一章\u3000总则",
        "𠀀字",
    ):
        assert page.evaluate("t => window.archiveSearch.fold(t)", text) == search_index.fold(
            text
        ), text
    for key in ("县域", "^县域", "=年份:2024", "a", "𠀀"):
        assert page.evaluate("k => window.archiveSearch.keyHash(k)", key) == search_index.key_hash(
            key
        ), key


def test_the_index_lists_a_document_under_every_pair_of_its_text():
    record = {
        "head": "衡東縣 hengdong",
        "text": "县域经济强县，助力\n衡东",
        "tokens": "",
        "filters": ["年份:2024"],
    }
    keys = search_index.document_keys(record)
    assert {"县域", "域经", "强县", "县助"} <= keys  # a pair spans punctuation …
    assert "力衡" not in keys and not any("\n" in k for k in keys)  # … not a paragraph break
    assert {"^衡东", "^东县", "^he", "衡", "=年份:2024"} <= keys
    for numbers, size in (([0, 5, 9], 10), (list(range(0, 1000, 3)), 1000), ([7], 10000), ([], 3)):
        assert search_index.decode(search_index.encode(numbers, size)) == numbers


@pytest.mark.parametrize(
    "path",
    [
        "/?q=县域经济",
        "/doc/2024-hengnan-bada-xingdong-zongti-fangan/?q=县域经济",
        "/hunan/hengyang/?q=乡村振兴",
    ],
)
def test_the_search_panel_fits_a_phone_however_it_was_opened(browser, site_url, path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_selector(".md-search-result__meta[data-query]")
    _assert_fits(page)
    page.goto(site_url + path.split("?")[0])  # opened by its icon, then typed into
    page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").fill("营商环境")
    page.wait_for_selector(".md-search-result__meta[data-query]")
    page.locator(".search-filter-toggle").click()
    page.wait_for_selector("select[data-filter='年份']")
    _assert_fits(page)
    context.close()


def _assert_fits(page) -> None:
    page.wait_for_timeout(600)  # Material slides the panel in
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width == [375, 375], f"the page is {width[0]} px wide, the window {width[1]} px"
    boxes = page.evaluate("""() => ['.md-search__inner', '.md-search__input', 'button[type=reset]',
        '.search-filter-toggle', '.md-search-result__item', '.search-filters select'].map(s => {
          const e = document.querySelector(s); if (!e || !e.offsetParent) return [s, 0, 0, 0];
          const r = e.getBoundingClientRect(); return [s, r.left, r.right, r.width]; })""")
    for selector, left, right, width in boxes:
        assert left >= 0 and right <= 375, (selector, left, right)
    toggle = page.locator(".search-filter-toggle")
    assert toggle.evaluate("e => e.tagName") == "BUTTON"
    box = toggle.bounding_box()
    assert box["width"] >= 40 and box["height"] >= 28, box  # a button a thumb can press


# --- a decree's number typed any way (web.loose_series_tokens, archive.js seriesTries) -----------

DECREE = (
    "2018-jiangxi-renmin-zhengfu-feizhi-jiangxisheng-zhuming-shangbiao"  # 江西省人民政府令第232号
)
DECREE_TYPED = [
    "江西省人民政府令第232号",
    "省政府令第232号",
    "令第232号",
    "232号令",
    "江西省政府令（第二百三十二号）",
    "省政府第２３２号令",
]


def test_the_browser_reads_a_decree_number_as_the_indexer(page, site_url):
    page.goto(site_url + "/")
    page.evaluate("window.archiveSearch.loadT2S()")
    page.wait_for_function("window.ARCHIVE_T2S")
    for typed in [
        *DECREE_TYPED,
        "财政部、税务总局公告2019年第三十九号",
        "国务院令588号 条例",
        "县域经济",
    ]:
        tries = page.evaluate("q => window.archiveSearch.foldQuery(q)", typed)
        assert [t.split()[0] for t in tries[:-1]] == loose_series_tokens(typed), typed


@pytest.mark.parametrize("typed", DECREE_TYPED)
def test_a_decree_typed_any_way_is_found(page, site_url, typed):
    assert DECREE in ids(search(page, site_url, typed))
    assert page.js_errors == []


def test_a_decree_number_finds_the_documents_citing_it(page, site_url, project):
    # the 232 decree repeals the decree 161, which it cites as 江西省人民政府令第161号
    assert (
        "江西省人民政府令第161号"
        in documents(project / "docs")[DECREE]["meta"]["cites"][0]["doc_number"]
    )
    for typed in ("江西省人民政府令第161号", "省政府令第一百六十一号", "161号令"):
        assert DECREE in ids(search(page, site_url, typed)), typed
