"""Places and relations in a real headless Chromium: a reader follows the links they make."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
REPLY = "2023-hengyang-zhengxie-291-hao-tian-dafu"
COUNTY = "2024-hengnan-bada-xingdong-zongti-fangan"


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().strip().rstrip("¶").strip()


def test_a_place_in_the_text_leads_to_its_page_and_up_the_chain(page, site_url):
    page.goto(f"{site_url}/doc/{REPLY}/")
    page.locator("article p a", has_text="常宁市").first.click()
    page.wait_for_url("**/hunan/hengyang/changning/")
    assert h1(page) == "常宁市"
    page.locator(".place-breadcrumb a", has_text="衡阳市").click()
    page.wait_for_url("**/hunan/hengyang/")
    assert h1(page) == "衡阳市"
    page.locator("#documents + ul a", has_text="答复").first.click()
    page.wait_for_url(f"**/doc/{REPLY}/")
    assert page.js_errors == []


def test_a_wanted_citation_leads_to_its_entry_and_back(page, site_url):
    page.goto(f"{site_url}/doc/{COUNTY}/")
    panel = page.locator("#relations-cites + ul li", has_text="衡政办发〔2024〕5号")
    panel.get_by_role("link", name="未收录").click()
    page.wait_for_url("**/wanted/h/#hengzhengbanfa-2024-5")
    entry = page.locator("#hengzhengbanfa-2024-5")
    assert entry.is_visible() and "衡阳市实施“八大行动”总体方案" in entry.inner_text()
    page.locator("#hengzhengbanfa-2024-5 ~ ul a").first.click()
    page.wait_for_url(f"**/doc/{COUNTY}/")
    assert page.js_errors == []


def test_an_old_link_to_an_entry_of_a_split_page_lands_on_its_new_page(page, site_url):
    """Wanted entries and places once sat on one page each (/wanted/, /browse/places/)."""
    page.goto(f"{site_url}/wanted/#hengzhengbanfa-2024-5")
    page.wait_for_url("**/wanted/h/#hengzhengbanfa-2024-5")
    assert page.locator("#hengzhengbanfa-2024-5").is_visible()
    page.goto(f"{site_url}/browse/places/#p430422")
    page.wait_for_url("**/browse/places/hunan/#p430422")
    assert page.locator("#p430422").is_visible()
    page.goto(f"{site_url}/browse/places/#nowhere")  # nothing to follow: the page stays
    assert page.url.endswith("/browse/places/#nowhere")
    assert page.js_errors == []
