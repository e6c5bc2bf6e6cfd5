"""The documents imported from the bulk dumps (python -m scripts.maintain.import_dumps FOLDER),
as the committed docs/ shows them: every title is a document's name, never page chrome, never
empty, never shorter than 4 characters; and each came whole from its record."""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml

from .conftest import ROOT, SOURCES, imported_ids

IMPORTED = sorted(imported_ids())
# Words of a page's furniture, never of a document's name: a breadcrumb, a font-size or share
# widget, a QR-code prompt, a CMS's credit.
CHROME = re.compile(
    r"当前位置|您的位置|首页\s*[>＞»]|\s[>＞»]\s|字号|[A][+＋]|打印|分享到|扫一扫|二维码|"
    r"发布系统|责任编辑|关闭窗口|www\.|https?://"
)


def front_matter(doc_id: str) -> dict:
    text = (ROOT / "docs" / "doc" / f"{doc_id}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def test_the_dumps_are_in_the_archive():
    assert len(IMPORTED) >= 300, "run python -m scripts.maintain.import_dumps FOLDER"


@pytest.mark.parametrize("doc_id", IMPORTED)
def test_an_imported_title_is_a_documents_name(doc_id):
    title = str(front_matter(doc_id).get("title") or "")
    assert len(title) >= 4, f"{doc_id}: title {title!r}"
    assert re.search(r"[\u4e00-\u9fff]", title), f"{doc_id}: title {title!r} has no words"
    assert not CHROME.search(title), f"{doc_id}: title {title!r} holds page chrome"


@pytest.mark.parametrize("doc_id", IMPORTED)
def test_an_imported_source_is_its_records_bytes(doc_id):
    sidecar = yaml.safe_load((SOURCES / f"{doc_id}.yml").read_text(encoding="utf-8"))
    source = next(p for p in SOURCES.glob(f"{doc_id}.*") if p.suffix != ".yml")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == sidecar["record_sha256"]
    assert (SOURCES / sidecar["dump"]).is_file() and sidecar["record"]
