"""Validity and versions in a real MkDocs build and in Debian's Chromium.

A copy of the project (its own documents) with the two real editions of the 非洲猪瘟 plan added
(copies of the archive's sources of the 2019 and 2020 editions, from a bulk dump): the card's 效力
line links the sentence that decides it, the older edition carries a banner linking the newer,
both pages have their 效力与版本 section, and the comparison page's every ¶ lands on a paragraph of
the page it names; on a phone the comparison is read one side under the other, and axe-core finds
no serious fault on either page, light or dark.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import SOURCES, build_site, copy_project, serve
from .test_accessibility import AXE_JS, FAILING_IMPACTS, axe_violations, describe, open_page

OLD, NEW = (
    "2019-feizhou-zhuwen-yiqing-yingji-fangan-nianban",
    "2020-feizhou-zhuwen-yiqing-yingji-fangan-nianban",
)
COMPARE = f"compare/{OLD}--{NEW}"
DECREE = "2018-jiangxi-renmin-zhengfu-feizhi-jiangxisheng-zhuming-shangbiao"


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE_JS.exists():
        pytest.fail("tests/axe/node_modules is missing: `make test` installs axe-core (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def versions_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("versions"), converted=True)
    for stem in (OLD, NEW):
        for path in SOURCES.glob(f"{stem}.*"):
            shutil.copy2(path, project / "sources" / path.name)
    return build_site(project)


def soup(site: Path, rel: str) -> BeautifulSoup:
    path = site / rel / "index.html"
    assert path.exists(), f"{rel} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_older_edition_says_it_has_a_newer_one_and_links_the_sentence(versions_site):
    page = soup(versions_site, f"doc/{OLD}")
    status = page.select_one(".doc-card__status")
    assert "已修订" in status.get_text()
    evidence = status.find("a", string="依据原文")
    assert evidence["href"] == f"../{NEW}/#p1"
    assert "同时废止" in evidence["title"]
    assert soup(versions_site, f"doc/{NEW}").find(id="p1") is not None
    banner = page.select_one("p.status-banner")
    assert banner is not None and banner.find("a", href=f"../{NEW}/")
    for anchor in ("validity", "validity-repeals", "validity-versions"):
        assert page.find(id=anchor) is not None
    assert page.find("a", href=f"../../{COMPARE}/") is not None


def test_the_comparison_page_links_each_side_to_a_paragraph_that_exists(versions_site):
    page = soup(versions_site, COMPARE)
    table = page.select_one(".version-compare table")
    assert table is not None and table.find("del") and table.find("ins")
    ids = {
        stem: {tag["id"] for tag in soup(versions_site, f"doc/{stem}").find_all(id=True)}
        for stem in (OLD, NEW)
    }
    links = [a["href"] for a in table.find_all("a") if a.get_text().startswith("¶")]
    assert links
    for href in links:
        stem, _, anchor = href.removeprefix("../../doc/").partition("/#")
        assert anchor in ids[stem], href


def test_a_document_in_force_says_so_with_its_own_sentence(versions_site):
    page = soup(versions_site, f"doc/{DECREE}")
    status = page.select_one(".doc-card__status")
    assert "现行有效" in status.get_text() and "非法律意见" in status.get_text()
    assert status.find("a", string="依据原文")["href"] == "#p1"
    assert page.select_one("p.status-banner") is None


@pytest.mark.browser
def test_on_a_phone_the_comparison_fits_the_screen(versions_site, browser):
    with serve(versions_site) as url:
        context, page = open_page(browser, f"{url}/{COMPARE}/", 375, "light")
        try:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            cell = page.locator(".version-compare td").nth(1)
            assert cell.evaluate("e => getComputedStyle(e).display") == "block"
            # the old side's text under its column's name, as the card of any table on a phone
            label = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert "旧版" in label, label
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", [f"doc/{OLD}", COMPARE])
def test_axe_finds_no_serious_fault(versions_site, browser, axe, scheme, rel):
    with serve(versions_site) as url:
        context, page = open_page(browser, f"{url}/{rel}/", 1280, scheme)
        try:
            failing = [v for v in axe_violations(page, axe) if v["impact"] in FAILING_IMPACTS]
            assert not failing, describe(failing)
        finally:
            context.close()
