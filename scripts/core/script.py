"""Simplified and traditional Chinese, through OpenCC."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from .chars import HAN_RE


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


# The Han characters OpenCC folds (the traditional ones), in the blocks official texts use: a
# line with none of them is its own simplified form, found in C without calling OpenCC.
HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _folded_characters() -> re.Pattern:
    chars = [chr(code) for start, end in HAN_BLOCKS for code in range(start, end)]
    folded = to_simplified("\n".join(chars)).split("\n")  # one character a line: no phrases
    return re.compile("[" + "".join(c for c, f in zip(chars, folded, strict=False) if c != f) + "]")


def has_traditional(text: str) -> bool:
    """A character OpenCC folds is in the text (one regex search, in C)."""
    return _folded_characters().search(text) is not None


def simplified(text: str) -> str:
    """`to_simplified`, for the many short texts (lines, cells) rules read in simplified
    characters: OpenCC is called only for a text that has a character it folds."""
    return to_simplified(text) if has_traditional(text) else text


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def detect_script(text: str) -> str:
    """`zh-Hant` when converting to simplified changes a noticeable share of the Han characters."""
    han = HAN_RE.findall(text[:20000])
    if not han:
        return "zh-Hans"
    sample = "".join(han)
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
    return "zh-Hant" if changed / len(sample) > 0.05 else "zh-Hans"
