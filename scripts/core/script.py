"""Simplified and traditional Chinese, through OpenCC."""

from __future__ import annotations

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


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def detect_script(text: str) -> str:
    """`zh-Hant` when converting to simplified changes a noticeable share of the Han characters."""
    han = HAN_RE.findall(text[:20000])
    if not han:
        return "zh-Hans"
    sample = "".join(han)
    changed = sum(1 for a, b in zip(sample, to_simplified(sample)) if a != b)
    return "zh-Hant" if changed / len(sample) > 0.05 else "zh-Hans"
