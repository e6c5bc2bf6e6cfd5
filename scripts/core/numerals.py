"""Chinese numerals, read once for every stage: a 文号's serial (二百三十二), a date's year and day
(二〇〇六年十月十八日), a target's figure (一万二千, 六点五). The browser reads a query's numerals
with the same tables (site/search_index.py writes them into search/index.json)."""

from __future__ import annotations

# 〇, ○ (a circle) and the letters O, Ｏ stand for zero in a year written digit by digit
DIGITS = {"零": 0, "〇": 0, "○": 0, "O": 0, "Ｏ": 0, "两": 2}
DIGITS |= {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
UNITS = {"十": 10, "百": 100, "千": 1000}
MYRIAD, POINT = "万", "点"


def numeral_value(text: str) -> int:
    """The whole number a numeral writes: '232', '２３２' (int() reads full-width digits),
    '二百三十二', '二三二' and '二〇〇六' (digit by digit), '十二', '一万二千'. A character of no
    numeral (a mixed 第1十条 of a hostile text: 1 is read, anything else counts as 0) never raises."""
    if text.isdecimal():
        return int(text)
    high, myriad, low = text.rpartition(MYRIAD)
    return _below_myriad(high) * 10_000 + _below_myriad(low) if myriad else _below_myriad(text)


def numeral_figure(text: str) -> float:
    """A figure with its decimals: 六点五 → 6.5, 一万二千 → 12000.0."""
    whole, _, decimals = text.partition(POINT)
    value = float(numeral_value(whole))
    return value + float("0." + "".join(str(digit(ch)) for ch in decimals)) if decimals else value


def _below_myriad(text: str) -> int:
    """一千二百 → 1200, 十二 → 12, 二三二 → 232: digits before a unit are read digit by digit."""
    total, number = 0, None
    for ch in text:
        if ch in UNITS:
            total += (1 if number is None else number) * UNITS[ch]
            number = None
        else:
            number = digit(ch) if number is None else number * 10 + digit(ch)
    return total + (number or 0)


def digit(ch: str) -> int:
    """一 → 1, ７ → 7; anything else counts as 0."""
    return DIGITS.get(ch, int(ch) if ch.isdecimal() else 0)
