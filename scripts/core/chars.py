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


# Characters that change how text shows without being text. Bidirectional controls (Arabic letter
# mark 061C, LRM/RLM 200E–200F, the embeddings and overrides 202A–202E, the isolates 2066–2069)
# would show a title or a 文号 reversed ("Trojan Source"); Chinese documents never need them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Line breaks other than \n that a reader of the text (YAML, a browser, a spreadsheet) may honour:
# CR, vertical tab, form feed, the file/group/record separators, NEL (U+0085), LS and PS.
LINE_BREAKS = re.compile("\r\n?|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


# What is not text at all: the C0 controls (but tab, LF, CR), lone surrogates (a JSON record's
# "\ud800"), and U+FFFE/U+FFFF (a byte-order mark read the wrong way round). XML 1.0 forbids them
# (a feed with one is not well-formed), UTF-8 cannot write a surrogate, and no reader wants them.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def code_points(chars: str) -> str:
    """'\u202e\u2066' → 'U+202E U+2066': invisible characters named, for a message."""
    return " ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in chars))
