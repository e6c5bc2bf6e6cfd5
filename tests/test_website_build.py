"""The built site's discovery files, downloads and published-anchor record (no browser needed)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from scripts.ingest.convert import convert_file
from scripts.pages import web
from scripts.pages.web import (
    docnumber_token,
    docnumber_tokens,
    loose_docnumber_token,
    loose_series_tokens,
    place_chain,
    search_fields,
)
from scripts.site import published, search_index

from .conftest import ROOT, own_source_files

DOCS = {convert_file(p).meta["id"]: (p, convert_file(p).meta) for p in own_source_files()}
HENGNAN = "2024-hengnan-bada-xingdong-zongti-fangan"
ATOM = "{http://www.w3.org/2005/Atom}"


def soup(site, rel):
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_document_page_has_a_description_and_open_graph_tags(site):
    for doc_id, (_, meta) in DOCS.items():
        page = soup(site, f"doc/{doc_id}")
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert (
            description
            and description
            != "省、市、县三级县域经济政策文件的开放文库：原文整理、出处标明、上下级文件互相链接。"
        )
        if meta.get("doc_number"):
            assert meta["doc_number"] in description
        assert page.find("meta", property="og:title")["content"] == " ".join(
            meta["title"].split()
        )  # striptags folds spaces
        assert page.find("meta", property="og:url")["content"].endswith(f"/doc/{doc_id}/")
        assert page.find("meta", property="og:type")["content"] == "article"


def test_the_feed_lists_every_document_with_absolute_links(site):
    feed = ET.parse(site / "feed.xml").getroot()
    # an entry per document; a status change (category 效力变化) is a line of its own
    documents = [
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}category").get("term") != "效力变化"
    ]
    links = [e.find(f"{ATOM}link").get("href") for e in documents]
    assert sorted(link.rstrip("/").split("/")[-1] for link in links) == sorted(DOCS)
    assert all(link.startswith("https://") for link in links)


def test_the_sitemap_has_absolute_urls_of_every_document(site):
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    for doc_id in DOCS:
        assert f"/doc/{doc_id}/</loc>" in text
    assert "<loc>None" not in text and "<loc>https://" in text


def test_the_original_source_is_downloadable_byte_for_byte(site):
    for doc_id, (path, _) in DOCS.items():
        link = soup(site, f"doc/{doc_id}").select_one("a.doc-card__download")
        assert link is not None and link.has_attr("download")
        served = (site / "doc" / doc_id / link["href"]).resolve()
        assert served.read_bytes() == path.read_bytes()
        assert served.suffix == ".txt"  # a saved .html page is never served as a page


def test_the_card_shows_the_place_chain(site):
    card = soup(site, f"doc/{HENGNAN}").select_one(".doc-card")
    # the chain as the place pages draw it, from 全国
    assert [li.get_text() for li in card.select(".doc-card__place li")] == [
        "全国",
        "湖南省",
        "衡阳市",
        "衡南县",
    ]
    assert "县级" in card.get_text()


def test_published_anchors_are_all_on_the_built_site(project, site):
    assert (ROOT / published.RECORD).exists(), "run `make site` to record the published anchors"
    # the record as the session's project holds it (conftest.copy_project: the archive's own)
    assert published.check(project, site) == []


def test_a_vanished_anchor_fails_the_check_and_a_redirect_or_moved_anchor_mends_it(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site / "doc" / HENGNAN, copy / "doc" / HENGNAN)
    record = tmp_path / published.RECORD
    record.parent.mkdir()
    record.write_text(
        f"/doc/{HENGNAN}/\n/doc/{HENGNAN}/#s2-1\n/doc/old-name/#s2-1\n", encoding="utf-8"
    )
    assert len(published.check(tmp_path, copy)) == 1  # old-name is gone
    old = copy / "doc" / "old-name"
    old.mkdir()
    (old / "index.html").write_text(  # what mkdocs-redirects writes for a moved page
        f'<meta http-equiv="refresh" content="0; url=../{HENGNAN}/">', encoding="utf-8"
    )
    assert published.check(tmp_path, copy) == []

    page = copy / "doc" / HENGNAN / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace('id="s2-1"', 'id="s2-one"'), encoding="utf-8"
    )
    problems = published.check(tmp_path, copy)
    assert len(problems) == 2 and "#s2-1" in problems[0] and "moved-anchors" in problems[0]


@pytest.mark.parametrize(
    "typed", ["衡政办发2024 5号", "衡政办发[2024]5號", "衡政办发〔2024〕5号", "衡政辦發（2024）5号"]
)
def test_a_docnumber_typed_any_way_gives_one_token(typed):
    assert loose_docnumber_token(typed) == docnumber_token("衡政办发", 2024, 5)


def test_a_docnumber_token_is_whole_at_its_end():
    """'h' ends the serial: 5号 finds neither 51号 nor 50号 (pairs alone would: n5 is in n51)."""
    token = loose_docnumber_token("衡政办发〔2024〕5号")
    assert found_by(token, docnumber_tokens("根据衡政办发〔2024〕5号"))
    for other in ("衡政办发〔2024〕51号", "衡政办发〔2024〕50号", "衡政办发〔2025〕5号"):
        assert not found_by(token, docnumber_tokens(other)), other
    assert found_by(loose_docnumber_token("政办发〔2024〕5号"), [token])  # its organ typed shorter


def found_by(query_token: str, tokens: list[str]) -> bool:
    """Whether search finds a document listing these tokens by this query token: the token
    stands whole in its body (search_index.occurrences, what the browser checks)."""
    record = {
        "head": [],
        "pinyin": [],
        "own": "",
        "text": "",
        "tokens": " ".join(tokens),
        "filters": [],
    }
    return bool(search_index.occurrences(record, search_index.fold(query_token))[1])


@pytest.mark.parametrize(
    "typed",
    [
        "江西省人民政府令第232号",
        "江西省政府令第232号",
        "省政府令第232号",  # the organ by its level: any province's decree 232
        "令第232号",  # no organ: any decree 232
        "232号令",
        "第232号令",
        "省政府第232号令",
        "江西省人民政府令（第二百三十二号）",
        "江西省人民政府令第２３２号",
        "江西省人民政府令 232号",
        "江西省人民政府第232号令",
        "江西省人民政府令第232號",
        "江西省人民政府令第232号 商标",  # with other words
    ],
)
def test_a_decree_number_typed_any_way_finds_the_decree_by_one_token(typed):
    [decree] = docnumber_tokens("江西省人民政府令第232号")
    assert found_by(loose_series_tokens(typed)[0], [decree])


@pytest.mark.parametrize(
    "other",
    [
        "国务院令第232号",
        "湖南省人民政府令第232号",
        "江西省人民政府令第2320号",
        "江西省人民政府令第23号",
        "江西省人民政府令第1232号",
        "江西省人民政府公告2018年第232号",
        "赣府发〔2018〕232号",
    ],
)
def test_a_decree_number_typed_whole_finds_no_other_number(other):
    token = loose_series_tokens("江西省人民政府令第232号")[0]
    assert not found_by(token, docnumber_tokens(other))


@pytest.mark.parametrize(
    "typed",
    [
        "财政部 税务总局公告2019年第39号",
        "财政部、税务总局公告2019年第39号",
        "财政部税务总局公告2019年第39号",
        "税务总局公告2019年第39号",
        "公告2019年第39号",
        "财政部 税务总局公告2019年第三十九号",
    ],
)
def test_a_notice_number_typed_any_way_finds_the_notice(typed):
    [notice] = docnumber_tokens("财政部、税务总局公告2019年第39号")
    assert found_by(loose_series_tokens(typed)[0], [notice])
    assert not found_by(loose_series_tokens(typed)[0], docnumber_tokens("税务总局公告2019年第38号"))


def test_words_that_are_no_decree_number_give_no_decree_token():
    for typed in ("县域经济", "命令", "衡政办发〔2024〕5号", "2024年第5期", "省政府令"):
        assert loose_series_tokens(typed) == [], typed


def test_a_document_citing_a_decree_by_its_level_is_found_by_the_decrees_full_number():
    # a 江西 text writes 省政府令第232号; the references stage names the organ (front matter cites)
    meta = {"title": "关于加强商标工作的通知", "cites": [{"doc_number": "江西省人民政府令第232号"}]}
    fields = search_fields(meta, "根据省政府令第232号，做好工作。")
    assert found_by(loose_series_tokens("江西省人民政府令第232号")[0], fields.cited_numbers.split())
    assert found_by(loose_series_tokens("省政府令第232号")[0], fields.cited_numbers.split())


def test_search_fields_carry_pinyin_docnumber_tokens_and_filters():
    _, hubei = DOCS["2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua"]
    md = (
        ROOT / "docs" / "doc" / "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua.md"
    ).read_text(encoding="utf-8")
    fields = search_fields(hubei, md.split("---", 2)[2])
    assert "hu'bei'sheng" in fields.pinyin
    assert fields.own_number == docnumber_token("鄂经信县域", 2019, 40)
    assert fields.filters["年份"] == ["2019"] and fields.filters["级别"] == ["省级"]
    assert [p.name for p in place_chain("430422")] == ["湖南省", "衡阳市", "衡南县"]


def test_table_cells_say_their_column_and_dates_never_break():
    page = (
        "<p>成文 2024-04-17</p><table>\n<thead>\n<tr>\n<th>地方</th>\n"
        '<th style="text-align: left">成文<b>日期</b> &amp; "天数"</th>\n</tr>\n</thead>\n'
        "<tbody>\n<tr>\n<td>衡南县</td>\n<td>2024-04-17</td>\n</tr>\n</tbody>\n</table>"
        '<pre class="mermaid"><code>plan -->|2024-01-01| x</code></pre>'
        '<a href="#s1" title="2024-01-01">2018-2020 年</a>'
    )
    done = web.unbroken_dates(web.labelled_cells(page))
    assert '<td data-label="地方">衡南县</td>' in done
    assert '<td data-label="成文日期 &amp; &quot;天数&quot;"><time datetime="2024-04-17">' in done
    assert '<p>成文 <time datetime="2024-04-17">2024-04-17</time></p>' in done
    assert "<code>plan -->|2024-01-01| x</code>" in done  # a diagram's source is not text
    assert 'title="2024-01-01">2018-2020 年</a>' in done  # an attribute, a range of years
    headless = "<table><tbody><tr><td>a</td></tr></tbody></table>"
    assert web.labelled_cells(headless) == headless  # no header row: nothing to say
