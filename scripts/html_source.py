"""Saved HTML pages → the text of the document body, plus the metadata table printed above it."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from .errors import SourceError

# The table government sites print above a document: label → front matter key.
TABLE_LABELS = {
    "索引号": "index_no", "主题分类": "topic", "发文机关": "issuer", "成文日期": "signoff_date",
    "标题": "title", "发文字号": "doc_number", "发布日期": "published", "文号": "doc_number",
}
DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "button", "select", "img", "svg")
BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "td", "th", "table")


def html_to_text(html: str, path: Path) -> tuple[str, dict]:
    soup = BeautifulSoup(html, "html.parser")
    found = _read_meta_table(soup)
    for tag in soup(DROP_TAGS):
        tag.decompose()
    body = soup.find("article") or soup.find(class_=re.compile("content|article|zw|TRS_Editor", re.I)) or soup.body or soup
    for tag in body.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = body.get_text()
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "\n", text)
    if not text.strip():
        raise SourceError(path, "has no text in its body", fix="save the page again with its content")
    return text, found


def _read_meta_table(soup: BeautifulSoup) -> dict:
    found: dict = {}
    for cell in soup.find_all(["td", "th", "span", "li", "p", "div"]):
        label = re.sub(r"[\s:：]", "", cell.get_text())
        if label in TABLE_LABELS and TABLE_LABELS[label] not in found:
            value_cell = cell.find_next_sibling(["td", "th", "span", "div", "p"])
            if value_cell is not None and (value := value_cell.get_text(" ", strip=True)):
                found[TABLE_LABELS[label]] = value
    return found
