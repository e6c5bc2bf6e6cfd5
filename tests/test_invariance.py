"""What a document says does not depend on how it was saved: each text document of the corpus
saved with CRLF line ends, in GB18030, between a site's breadcrumb and widgets, or in traditional
characters (OpenCC s2t, as a Hong Kong or Taiwan repost prints it), and each saved page in
traditional characters, gives the fields of the original (compared in simplified characters).

These are the variations of a family the corpus shows only once or not at all; a rule keyed on
one file's bytes (a simplified-only word, a line position) fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.core.script import to_simplified, to_traditional
from scripts.ingest.convert import convert_bytes
from scripts.ingest.decode import decode_bytes
from scripts.ingest.html_source import declared_charset

from .corpus_score import CORPUS, fold

FIELDS = ("title", "doc_number", "issuer", "date", "doc_type", "level", "region", "region_code")
TOP = "首页 > 政务公开 > 政策文件\n【字体：大 中 小】【打印】【关闭】\n"
BOTTOM = "\n扫一扫在手机打开当前页\n浏览次数：1234\n"


def fields(data: bytes, path: Path) -> dict[str, str]:
    meta = convert_bytes(data, path, {}).meta
    return {key: fold(to_simplified(str(meta.get(key, "")))) for key in FIELDS}


def utf8_texts() -> list[Path]:
    return [p for p in sorted(CORPUS.glob("*")) if p.suffix in (".txt", "") and p.is_file()]


SAVED_AS = {
    "crlf": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "clutter": lambda text: (TOP + text + BOTTOM).encode("utf-8"),
    "traditional": lambda text: to_traditional(text).encode("utf-8"),
}


@pytest.mark.parametrize("saved_as", SAVED_AS)
@pytest.mark.parametrize("path", utf8_texts(), ids=lambda p: p.name)
def test_a_text_says_the_same_however_it_was_saved(path: Path, saved_as: str):
    data = path.read_bytes()
    varied = SAVED_AS[saved_as](data.decode("utf-8"))
    assert fields(varied, path) == fields(data, path)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_a_saved_page_in_traditional_characters_says_the_same(path: Path):
    data = path.read_bytes()
    page = decode_bytes(data, path, declared_charset(data))
    page = re.sub(r"charset\s*=\s*[\"']?[A-Za-z0-9_-]+", "charset=utf-8", page)
    assert fields(to_traditional(page).encode("utf-8"), path) == fields(data, path)


def test_the_corpus_has_documents_of_each_kind():
    assert len(utf8_texts()) >= 10 and len(sorted(CORPUS.glob("*.html"))) >= 10
