"""Search on the built site, in headless Chromium, as a reader types into the header box (issues 15
and 25).

What a document holds is computed from the generated Markdown in docs/, without the search index
(scripts/bench/recall.py: its own text before the relations and diagram appended to it, its
title, 文号, issuer and places), folded as a reader expects: traditional and simplified characters
alike, letters in either case, punctuation and spaces ignored; and, for pinyin, by
search_index.occurrences on the records the index was built from. The site must show every such
document and no other, without the reader pressing anything; rank them by relevance (BM25 over
head and body, the title weighted, then date), more of the query's words first; show each
result's title, place, date and 文号 and an excerpt of its own text with the words marked whole;
answer a 文号 or title the archive lacks with its wanted entry; keep its state in the address;
and fit a phone.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from scripts.bench.recall import documents, folded, holding, own_text
from scripts.core.script import to_traditional
from scripts.pages.web import loose_series_tokens
from scripts.site import search_index

from .conftest import PHONE, ROOT
from .test_website import search

pytestmark = pytest.mark.browser

HENGNAN = "2024-hengnan-bada-xingdong-zongti-fangan"
LINHAI = "2013-linhai-nongcun-wenhua-litang-jianshe-biaozhun-buzhu"

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


@pytest.fixture(params=["phone", "desktop"])
def reader(request, browser):
    """A page on a phone (PHONE) or a desktop (1280 × 800)."""
    context = browser.new_context(
        **(PHONE if request.param == "phone" else {"viewport": {"width": 1280, "height": 800}})
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def test_every_document_holding_the_words_is_shown_and_no_other(page, site_url, project):
    """Recall: for each query, every document whose text holds it (in either script, in any
    segmentation: 县域经济 inside 县域经济强县) is in the list the reader sees, unasked; precision:
    no other document is; the count the reader reads is the length of that list."""
    missed, false = {}, {}
    checked = 0
    for query in queries(project / "docs"):
        expected = holding(project / "docs", query)
        shown = ids(search(page, site_url, query))
        checked += len(expected)
        if expected - set(shown):
            missed[query] = sorted(expected - set(shown))
        if set(shown) - expected:  # a false hit: a document not holding the words
            false[query] = sorted(set(shown) - expected)
        count = page.locator(".md-search-result__meta").get_attribute("data-count")
        assert count == str(page.locator(".md-search-result__item").count()), query
        assert (f"找到 {len(shown)} 份文件" if count != "0" else "没有找到") in page.inner_text(
            ".md-search-result__meta"
        )
    assert checked > 20, "the queries hold documents to find"
    assert missed == {}
    assert false == {}
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


def test_a_word_in_the_title_counts_above_the_same_word_once_in_the_body(page, site_url, project):
    """BM25 over head and body: 衡东's report has 县域经济 in its title, the 衡南 plan names it once
    in a long body; a title match counts RANKING["head"] times."""
    docs = documents(project / "docs")
    results = ids(search(page, site_url, "县域经济"))
    in_title = [i for i in results if "县域经济" in folded(docs[i]["meta"]["title"])]
    once = [i for i in results if docs[i]["text"].count("县域经济") == 1 and i not in in_title]
    assert in_title and once
    assert max(results.index(i) for i in in_title) < min(results.index(i) for i in once)


def test_the_document_that_discusses_a_word_most_ranks_in_the_top_two(reader, site_url, project):
    """Ranking by relevance, not by date: for 县域经济 the document naming it most often (the
    Hubei plan, 26 times, with it in its title) and the 291 reply (15 times in a short text) come
    first, before the plan that names it once."""
    docs = documents(project / "docs")
    results = ids(search(reader, site_url, "县域经济"))
    most = max(results, key=lambda i: docs[i]["text"].count("县域经济"))
    assert most in results[:2], results
    reply = "2023-hengyang-zhengxie-291-hao-tian-dafu"
    assert reply in results[:2] and results.index(reply) < results.index(HENGNAN), results


def test_the_excerpt_shows_the_passage_with_the_most_query_words(page, site_url, project):
    """乡村振兴's first result used to show its first mention (县乡村振兴局); now the passage where
    the words are densest, each marked whole."""
    search(page, site_url, "乡村振兴 衡南")
    item = page.locator(".md-search-result__item").filter(has=page.locator(f"a[href*='{HENGNAN}']"))
    item.locator(".search-result__excerpt mark").first.wait_for()
    marks = item.locator(".search-result__excerpt mark").all_inner_texts()
    assert {"乡村振兴", "衡南"} <= set(marks), marks  # both words in one passage


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
    page.evaluate("window.archiveSearch.ready()")
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
    for selector, left, right, _width in boxes:
        assert left >= 0 and right <= 375, (selector, left, right)
    toggle = page.locator(".search-filter-toggle")
    assert toggle.evaluate("e => e.tagName") == "BUTTON"
    box = toggle.bounding_box()
    assert box["width"] >= 40 and box["height"] >= 28, box  # a button a thumb can press


# --- a decree's number typed any way (web.loose_series_tokens, search/query.js seriesTries) ------

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
    page.evaluate("window.archiveSearch.ready()")
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


# --- never a false hit: what the browser lists is what Python's definition finds ---------------


def records(project: Path) -> dict[str, dict]:
    """id → the search record the hook wrote of each document (what the index was built from)."""
    folder = search_index.records_dir(project) / "doc"
    return {
        path.parent.name: json.loads(path.read_text(encoding="utf-8"))
        for path in folder.glob(f"*/{search_index.RECORD}")
    }


def found_in(project: Path, query: str) -> set[str]:
    """The documents holding a word of the query, by search_index.occurrences: the whole word in
    the head or the body; pinyin on whole syllables."""
    words = [search_index.fold(w) for w in query.split()]
    return {
        doc_id
        for doc_id, record in records(project).items()
        if any(
            search_index.occurrences(record, w)[0] or search_index.occurrences(record, w)[1]
            for w in words
            if w
        )
    }


PINYIN = ["changsha", "linhai", "hengyang", "hengnan", "hengdong", "hubei", "xianyujingji", "yiwu"]


@pytest.mark.parametrize(
    "query", [*PINYIN, "县域经济", "乡村振兴", "区域经济", "县域经济强县", "衡东 营商环境"]
)
def test_the_list_is_exactly_the_documents_holding_the_words(page, site_url, project, query):
    """No false hit: pairs of characters select candidates; each is shown only where the word
    itself stands (a pinyin word on whole syllables of a place or title: changsha is not chang + sha)."""
    shown = ids(search(page, site_url, query))
    assert len(shown) == len(set(shown))
    assert set(shown) == found_in(project, query)
    assert page.js_errors == []


def test_pinyin_finds_the_place_by_whole_syllables(reader, site_url, project):
    page = reader
    assert search(page, site_url, "changsha") == []  # no document about 长沙
    assert page.inner_text(".md-search-result__meta") == "没有找到匹配的文件"
    assert ids(search(page, site_url, "linhai"))[0] == LINHAI
    hengyang = ids(search(page, site_url, "hengyang"))
    assert hengyang and "2020-jiangxi-chongfen-fahui-gan-futong-weimin-fuwu" not in hengyang
    assert search(page, site_url, "hengya") == []  # half a syllable is no syllable


def test_the_recall_reference_reads_a_document_without_its_status_banner():
    """The banner under a repealed or revised document's title is the archive's words, which the
    index does not read (scripts/pages/web.py BANNER): a 文号 it names, the newer version's, is
    not the document's, and recall must not count the document as holding it (at 10,000
    synthetic documents it did, once: the only document recall ever "missed")."""
    pages = [
        path
        for path in sorted((ROOT / "docs" / "doc").glob("*.md"))
        if ".status-banner" in path.read_text(encoding="utf-8")
    ]
    assert pages, "the archive has repealed or revised documents"
    for path in pages:
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        lines = body.splitlines()
        banner = lines[next(i for i, line in enumerate(lines) if ".status-banner" in line) - 1]
        text = own_text(body)
        assert folded(own_text(banner)) not in folded(text), path.name  # its words, read alike
        title = next(line for line in lines if line.startswith("# "))
        assert title in text, path.name  # the rest is read


def test_the_index_holds_positions_and_syllable_flags():
    record = {
        "head": ["衡東縣", "衡政办发〔2024〕5号"],
        "pinyin": ["heng'dong'xian", "zeng'zhang sha'mo"],
        "own": "8861653f529e53d1y2024n5h",
        "tokens": "",
        "text": "县域经济强县，助力\n衡东，区域经济",
        "filters": ["年份:2024"],
    }
    assert search_index.occurrences(record, "县域经济") == (0, [0])
    assert search_index.occurrences(record, "区域经济")[1] == [11]  # 衡东 on the next line
    assert search_index.occurrences(record, "hengdong") == (1, [])
    assert search_index.occurrences(record, "engdong") == (0, [])  # starts inside a syllable
    assert search_index.occurrences(record, "zhangsha") == (0, [])  # two runs of a title
    assert search_index.occurrences(record, "衡东县") == (1, [])
    keys = search_index.document_keys(record)
    assert {"县域", "域经", "强县", "县助", "^衡东", "^he", "县", "^衡", "=年份:2024"} <= keys
    assert "力衡" not in keys and "^县衡" not in keys  # no pair spans a line
    # a shard of pairs, read back as the browser reads it
    with tempfile.TemporaryDirectory() as folder:
        shards = search_index._write_pairs(Path(folder), [record, record], [0, 5])
        read = {}
        for number in range(shards):
            read.update(search_index.read_shard((Path(folder) / f"{number}.bin").read_bytes()))
    jing = (ord("经") << 16 | ord("济")) << 1
    assert read[jing] == {0: [2, 13], 5: [2, 13]}
    heng = (ord("h") << 16 | ord("e")) << 1 | 1  # in the head: position << 2 | flags
    assert [v & 3 for v in read[heng][0]] == [search_index.SYLLABLE_STARTS]


def test_pairs_written_in_groups_by_two_workers_are_the_pairs_written_at_once(
    project, tmp_path, monkeypatch
):
    """At 10,000 documents the pairs are sorted a group of shards at a time, to bound memory, and
    the groups are shared out over forked workers: the same shards, byte for byte, as one sort of
    every pair in one process. On the archive's own documents' records."""
    found = list(records(project).values())
    numbers = list(range(len(found)))

    def shards(folder: Path, pairs_at_once: int, jobs: str) -> dict[str, bytes]:
        monkeypatch.setattr(search_index, "PAIRS_AT_ONCE", pairs_at_once)
        monkeypatch.setenv("ARCHIVE_JOBS", jobs)
        folder.mkdir()
        count = search_index._write_pairs(folder, found, numbers)
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.bin" for n in range(count))
        return {path.name: path.read_bytes() for path in folder.iterdir()}

    total = sum(len(r["text"]) + 200 for r in found)
    at_once = shards(tmp_path / "at-once", total + 1, "1")
    grouped = shards(tmp_path / "grouped", total // 4, "2")  # 4 groups (or as many as shards)
    assert len(at_once) >= 4 and sum(map(len, at_once.values())) > 100_000
    assert grouped == at_once


# --- a 文号 or title the archive lacks: its wanted entry first ------------------------------------

ABSENT = "衡政办发〔2024〕5号"  # the home page's example: 衡阳's plan, cited by the 衡南 plan


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("query", [ABSENT, "衡政办发2024 5号", "衡阳市实施“八大行动”总体方案"])
def test_an_absent_docnumber_or_title_gives_its_wanted_entry_first(
    browser, site_url, query, viewport
):
    context = browser.new_context(**(PHONE if viewport == "phone" else {}))
    page = context.new_page()
    page.goto(site_url + "/")
    search(page, site_url, query)
    first = page.locator(".md-search-result__list > li").first
    assert "search-wanted" in first.get_attribute("class")
    text = first.inner_text()
    assert "本库尚未收录" in text and "衡阳市实施“八大行动”总体方案" in text and ABSENT in text
    entry = first.locator("a.search-wanted__link").get_attribute("href")
    assert entry.endswith("/wanted/h/#hengzhengbanfa-2024-5")
    assert HENGNAN in first.locator("ul a").first.get_attribute("href")  # the document citing it
    page.goto(entry)
    assert page.locator("#hengzhengbanfa-2024-5").count() == 1
    context.close()


def test_a_document_found_by_a_number_says_whether_it_is_its_own_or_one_it_cites(page, site_url):
    search(page, site_url, ABSENT)
    citing = page.locator(".md-search-result__item:not(.search-wanted)").first
    assert HENGNAN in citing.locator("a").first.get_attribute("href")
    assert citing.locator(".search-result__number").inner_text() == f"引用了 {ABSENT}"
    citing.locator(".search-result__excerpt mark").first.wait_for()
    assert "衡政办发" in citing.locator(".search-result__excerpt mark").first.inner_text()
    search(page, site_url, "清政办函〔2024〕3号")  # its own
    own = page.locator(".md-search-result__item").first
    assert HENGNAN in own.locator("a").first.get_attribute("href")
    assert own.locator(".search-result__number").inner_text() == "本文文号：清政办函〔2024〕3号"
    assert page.locator(".search-wanted").count() == 0


# --- the search's state in the address ----------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_back_from_a_result_restores_the_query_and_its_results(browser, site_url, viewport):
    context = browser.new_context(**(PHONE if viewport == "phone" else {}))
    page = context.new_page()
    page.goto(site_url + "/about/links/")
    if viewport == "phone":
        page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").fill("乡村振兴")
    page.wait_for_selector(".md-search-result__meta[data-query='乡村振兴']")
    assert "q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4" in page.url
    listed = page.locator(".md-search-result__item").count()
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/doc/**")
    page.go_back()
    page.wait_for_selector(".md-search-result__meta[data-query='乡村振兴']")
    assert page.locator(".md-search__input").input_value() == "乡村振兴"
    assert page.locator(".md-search-result__item").count() == listed
    assert page.evaluate("document.getElementById('__search').checked")
    # Back again closes the box, and stays on the page
    page.go_back()
    page.wait_for_function("!document.getElementById('__search').checked")
    assert page.url.endswith("/about/links/")
    context.close()


def test_a_shared_link_gives_the_query_and_its_filters(page, site_url, project):
    page.goto(site_url + "/?q=发展&year=2019")
    page.wait_for_selector(".md-search-result__meta[data-query='发展']")
    assert page.locator("select[data-filter='年份']").input_value() == "2019"
    shown = ids(
        [{"href": a.get_attribute("href")} for a in page.locator(".md-search-result__item a").all()]
    )
    docs = documents(project / "docs")
    assert shown and all(str(docs[i]["meta"].get("date", "")).startswith("2019") for i in shown)
    # Back closes the box first: a link from elsewhere got a step of its own
    page.go_back()
    page.wait_for_function("!document.getElementById('__search').checked")
    assert "q=" not in page.url


def test_ties_rank_by_date_newest_first(page, site_url, project):
    """A filter alone gives every document the same score: they are listed by date."""
    page.goto(site_url + "/?type=通知")
    page.wait_for_selector(".md-search-result__meta[data-query]")
    shown = ids(
        [{"href": a.get_attribute("href")} for a in page.locator(".md-search-result__item a").all()]
    )
    dates = [str(documents(project / "docs")[i]["meta"].get("date", "")) for i in shown]
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)


# --- hostile input in the box and the address ---------------------------------------------------


def test_a_pasted_page_is_cut_to_the_longest_query(page, site_url):
    """100,000 characters pasted blocked the page for 31 s (the pairs of the query were collected
    in a list searched for each new pair): the box takes MAX_QUERY characters."""
    page.goto(site_url + "/")
    pasted = "县域经济乡村振兴" * 12_500
    page.locator(".md-search__input").fill(pasted)
    value = page.locator(".md-search__input").input_value()
    assert value == pasted[: search_index.MAX_QUERY]
    page.wait_for_selector(".md-search-result__meta[data-query]")
    assert page.js_errors == []


def test_a_long_query_in_the_address_is_cut_and_its_pairs_are_found_once(page, site_url):
    page.goto(site_url + "/?q=" + "经济" * 2_000)  # as long as a server takes an address
    page.wait_for_selector(".md-search-result__meta[data-query]")
    assert len(page.locator(".md-search__input").input_value()) == search_index.MAX_QUERY
    keys = page.evaluate("w => window.archiveSearch.wordKeys(w)", "县域经济县域" * 20_000)
    assert keys == ["县域", "域经", "经济", "济县", "域县"]
    assert page.js_errors == []
