"""Citations a journalist can paste (GB/T 7714-2015, electronic resource), for every document of
the archive, and links that stay what the reader chose."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from scripts.ingest.convert import convert_file
from scripts.pages.web import citation_head

from .conftest import ROOT, SOURCES, imported_ids

SITE_NAME = "县域经济政策文库"
CANONICAL = "https://xianyu-jingji.github.io/"  # mkdocs.yml site_url, as the tests build it
HENGNAN = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta
NEWS = convert_file(SOURCES / "2025-hengdong-liuda-zhicheng-xianyu-jingji-qiangxian.txt").meta
# 责任者. 题名[: 文号][EB/OL]. (日期)
CITATION = re.compile(
    # the author may hold a dot (a site's name with its domain, 江西省人民政府网 www.jiangxi.gov.cn); a
    # date keeps the precision the document gives (a month-only 2021-10)
    r"^(?P<author>.+?)\. (?P<title>.+?)(?:: (?P<number>[^:\[]+))?\[EB/OL\]\. "
    r"\((?P<date>\d{4}(?:-\d{2}){0,2})\)$"
)


def front_matter(doc_id: str) -> dict:
    return yaml.safe_load(
        (ROOT / "docs" / "doc" / f"{doc_id}.md").read_text(encoding="utf-8").split("---")[1]
    )


def document_ids() -> list[str]:
    """The documents of the session's site (conftest.copy_project: the archive's own)."""
    left_out = imported_ids()
    return sorted(p.stem for p in (ROOT / "docs" / "doc").glob("*.md") if p.stem not in left_out)


@pytest.mark.parametrize("doc_id", document_ids())
def test_every_document_cites_one_document_with_someone_responsible_and_a_date(site, doc_id):
    card = BeautifulSoup(
        (site / "doc" / doc_id / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).select_one(".doc-card")
    meta = front_matter(doc_id)
    assert card["data-url"] == f"{CANONICAL}doc/{doc_id}/"
    m = CITATION.match(card["data-citation"])
    assert m, card["data-citation"]
    assert m["author"] == (
        meta.get("issuer") or (meta.get("source") or {}).get("site") or SITE_NAME
    )
    if meta.get("doc_number"):
        assert m["number"] == meta["doc_number"]
        # a 印发 notice's number is the notice's: it goes with the notice's own title
        assert m["title"] == (meta.get("full_title") or meta["title"])
    else:
        assert m["number"] is None and m["title"] == meta["title"]
    assert m["date"] == str(meta.get("date") or meta.get("published") or meta["added"])


def test_the_notice_and_the_news_item_as_a_reader_would_cite_them():
    assert citation_head(HENGNAN, SITE_NAME) == (
        "衡南县人民政府办公室. 衡南县人民政府办公室关于印发《衡南县实施“八大行动”总体方案》的通知: "
        "清政办函〔2024〕3号[EB/OL]. (2024-04-17)"
    )
    # no issuer, no date, no recorded source site: the archive answers for its copy, dated the day it came
    news = dict(NEWS, added="2026-11-25")
    assert citation_head(news, SITE_NAME) == f"{SITE_NAME}. {NEWS['title']}[EB/OL]. (2026-11-25)"
    assert citation_head(dict(news, source={"site": "衡阳日报"}), SITE_NAME).startswith(
        "衡阳日报. "
    )


@pytest.mark.browser
def test_a_citation_gives_the_canonical_address_wherever_the_page_was_opened(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/doc/{HENGNAN['id']}/")
    page.locator(".doc-card__cite").wait_for()  # the page script is ready (it shows this button)
    page.locator("#s2-2 > .para-link").click()
    cite = page.locator(".anchor-tools__copy-cite").get_attribute("data-citation")
    context.close()
    assert cite.endswith(f"]. {CANONICAL}doc/{HENGNAN['id']}/#s2-2.")
    assert site_url not in cite
    assert re.search(
        r"\(2024-04-17\)\[\d{4}-\d{2}-\d{2}\]\. ", cite
    )  # 更新或修改日期, then 引用日期


@pytest.mark.browser
def test_the_address_bar_keeps_the_anchor_the_reader_chose(browser, site_url):
    """Scrolling never rewrites the address to the nearest heading, and the ¶ control copies
    exactly what the address bar shows."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    deep = "fujian8-s2-1-1-1"
    page.goto(f"{site_url}/doc/{HENGNAN['id']}/#{deep}")
    assert page.locator(f"#{deep}").count() == 1
    for step in (600, -1500, 2500):
        page.mouse.wheel(0, step)
        page.wait_for_timeout(400)
    assert page.evaluate("location.hash") == f"#{deep}"

    page.locator(".doc-card__cite").wait_for()  # the page script is ready (it shows this button)
    page.locator(
        "#s2-2"
    ).scroll_into_view_if_needed()  # the reader goes back up to another paragraph
    page.wait_for_timeout(300)
    page.locator("#s2-2 > .para-link").click()
    for step in (900, 900, -300):
        page.mouse.wheel(0, step)
        page.wait_for_timeout(400)
    copied = page.locator(".anchor-tools__copy-link").get_attribute("data-url")
    address = page.evaluate("location.href")
    context.close()
    assert address == copied == f"{site_url}/doc/{HENGNAN['id']}/#s2-2"
