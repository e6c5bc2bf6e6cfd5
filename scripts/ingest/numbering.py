"""The official numbering hierarchy of Chinese government documents (GB/T 9704).

One pattern per marker family, built from one numeral class, full- and half-width brackets alike:

    一、        first level             KIND_CN_COMMA
    （一）      second level            KIND_CN_PAREN
    1.  1．  1、 third level             KIND_ARABIC_DOT
    （1）       fourth level            KIND_ARABIC_PAREN
    第一章 / 第一节 / 第一条   regulations: chapter, section, article

`parse_marker("（二）加强人才培养")` → `Marker(kind="cn-paren", value=2, text="（二）", rest="加强人才培养")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.numerals import numeral_value

NUMERAL = "一二三四五六七八九十百零〇两"
OPEN = "(（"
CLOSE = ")）"

KIND_CHAPTER = "chapter"
KIND_SECTION = "section"
KIND_CN_COMMA = "cn-comma"
KIND_CN_PAREN = "cn-paren"
KIND_ARABIC_DOT = "arabic-dot"
KIND_ARABIC_PAREN = "arabic-paren"
KIND_ARTICLE = "article"

MARKERS: list[tuple[str, re.Pattern[str]]] = [
    (KIND_CHAPTER, re.compile(rf"^第(?P<n>[{NUMERAL}\d]+)章[\s　]*")),
    (KIND_SECTION, re.compile(rf"^第(?P<n>[{NUMERAL}\d]+)节[\s　]*")),
    (KIND_ARTICLE, re.compile(rf"^第(?P<n>[{NUMERAL}\d]+)条[\s　]*")),
    # 一、  (not 一是 / 一方面, which are run-in heads inside a paragraph)
    (KIND_CN_COMMA, re.compile(rf"^(?P<n>[{NUMERAL}]{{1,3}})[、，,．.][\s　]*")),
    (KIND_CN_PAREN, re.compile(rf"^[{OPEN}](?P<n>[{NUMERAL}]{{1,3}})[{CLOSE}][\s　]*")),
    # 1.  1．  1、  but not 1.5亿 or 2024年
    (KIND_ARABIC_DOT, re.compile(r"^(?P<n>\d{1,2})(?:[.．](?!\d)|、)[\s　]*")),
    (KIND_ARABIC_PAREN, re.compile(rf"^[{OPEN}](?P<n>\d{{1,2}})[{CLOSE}][\s　]*")),
]
# Default rank of each family; a document's actual levels are the order in which it uses them.
RANK = {kind: i for i, (kind, _) in enumerate(MARKERS)}


@dataclass(frozen=True)
class Marker:
    kind: str
    value: int
    text: str  # the marker as written
    rest: str  # the text after it


# Every marker starts with one of these: a cheap test before seven patterns.
FIRST_CHARS = frozenset("第" + NUMERAL + OPEN + "0123456789")


@lru_cache(maxsize=4096)
def parse_marker(text: str) -> Marker | None:
    """(Remembered: structure, levels and anchors each read the marker of every block.)"""
    if not text or text[0] not in FIRST_CHARS:
        return None
    for kind, pattern in MARKERS:
        m = pattern.match(text)
        if m and len(text) > m.end():
            return Marker(kind, numeral_value(m["n"]), m.group(0).strip(), text[m.end() :])
    return None
