"""Smoke test in a real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import pytest

from scripts.ingest.convert import convert_file

from .conftest import SOURCES

pytestmark = pytest.mark.browser
NOTICE = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta


def test_home_page_then_document_page(page, site_url):
    page.goto(site_url + "/")
    assert "县域经济政策文库" in page.title()
    page.get_by_role("link", name=NOTICE["title"]).first.click()
    page.wait_for_url(f"**/doc/{NOTICE['id']}/")
    assert page.locator("h1").first.inner_text().strip().rstrip("¶") == NOTICE["title"]
    assert NOTICE["doc_number"] in page.locator(".doc-card").inner_text()
    assert page.js_errors == []
