"""Character classes shared by every stage, each range commented (after pypinyin's constants.py)."""

from __future__ import annotations

import re

# CJK Unified Ideographs (4E00–9FFF), Extension A (3400–4DBF), Compatibility (F900–FAFF).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width Chinese punctuation: CJK Symbols (3000–303F) and Halfwidth/Fullwidth Forms (FF00–FFEF),
# plus the quotes and dashes Chinese text uses from General Punctuation.
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
CJK = HAN + CJK_PUNCT

HAN_RE = re.compile(f"[{HAN}]")

CN_NUMERAL = "一二三四五六七八九十百零〇两"
# Sentence-final marks: a line ending with one of these ends its paragraph.
SENTENCE_END = "。！？；：…”’」』）)!?;:"


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None
