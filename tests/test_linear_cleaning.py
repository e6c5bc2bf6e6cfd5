"""Cleaning is linear in its input (issue #29, item 4): no stage compares every line with every other.

Time is not asserted (the machine is shared); `python -m scripts.bench.scaling` prints it. What is
asserted is the work: the number of line comparisons the duplicated-tail search makes, counted
on the inputs that made it cubic, must grow in proportion to the lines; and the linear search
must find what the old line-by-line search found, on every small input hypothesis tries.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scripts.ingest import clean
from scripts.ingest.clean import (
    SIGNED_TAIL_MIN_CHARS,
    SIGNOFF_DATE,
    TAIL_MIN_CHARS,
    Line,
    duplicated_tail_start,
    rejoin_broken_paragraphs,
    remove_duplicated_tail,
)

from .big_inputs import PLAN_SENTENCE, TABLE_ROW, UNENDED_LINE


def tail_start_line_by_line(texts: list[str]) -> int | None:
    """The search as it was before (cubic): each tail, longest first, against each earlier place."""
    n = len(texts)
    for start in range(1, n - 1):
        tail = texts[start:]
        if any("\t" in t for t in tail):
            continue
        signed = (
            len(tail) >= 3
            and SIGNOFF_DATE.match(tail[-1]) is not None
            and any("。" in t for t in tail)
        )
        if sum(map(len, tail)) < (SIGNED_TAIL_MIN_CHARS if signed else TAIL_MIN_CHARS):
            continue
        if any(texts[e : e + len(tail)] == tail for e in range(start - len(tail) + 1)):
            return start
    return None


# Few distinct lines, so that repeats are common; long enough that a tail passes the minimum size.
LINES = st.sampled_from(
    [
        "一、总体要求",
        "各县市区要切实加强组织领导，压实工作责任，确保任务落到实处。" * 2,
        "（一）工作目标到二〇二五年县域经济总量突破一千亿元",
        "表\t一",
        "2024年4月17日",
        "衡南县人民政府办公室",
        "短句。",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=24))
@example(["一、总体要求", "短句。" * 30, "一、总体要求", "短句。" * 30])
@example(["短句。" * 10, "衡南县人民政府办公室", "2024年4月17日"] * 2)
def test_the_linear_search_finds_what_the_line_by_line_search_found(texts):
    assert duplicated_tail_start(texts) == tail_start_line_by_line(texts)


def test_a_text_printed_twice_loses_its_second_copy():
    body = [f"第{n}条 各县市区要加强组织领导，确保第{n}项任务落到实处。" for n in range(1, 12)]
    lines = [Line(no, text) for no, text in enumerate(["标题", *body, *body], 1)]
    kept, removed = remove_duplicated_tail(lines)
    assert [line.text for line in kept] == ["标题", *body]
    assert [r.text for r in removed] == body and {r.rule for r in removed} == {"duplicated-tail"}


def steps(function, *args) -> int:
    """How many lines of the pipeline's Python code run (a loop's line counts once per turn): a
    measure of work that does not depend on the machine or its load."""
    scripts = str(Path(clean.__file__).parent.parent)
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    def enter(frame, event, arg):
        return trace if frame.f_code.co_filename.startswith(scripts) else None

    sys.settrace(enter)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize(
    "line", [PLAN_SENTENCE, TABLE_ROW, UNENDED_LINE], ids=["sentence", "table-row", "unended"]
)
def test_the_duplicated_tail_search_works_in_proportion_to_the_lines(line):
    def search(count):
        return steps(remove_duplicated_tail, [Line(no, line) for no in range(1, count + 1)])

    small, large = search(250), search(1000)
    assert large <= 5 * small, (small, large)  # linear: 4 times; the line-by-line search: 16


class MeteredPattern:
    """A compiled pattern that adds up the length of every text it is asked to read."""

    def __init__(self, pattern, meter: dict):
        self.pattern, self.meter = pattern, meter

    def __getattr__(self, name):
        method = getattr(self.pattern, name)
        if not callable(method):
            return method

        def metered(*args, **kwargs):
            texts = [a for a in args if isinstance(a, str)]
            self.meter["chars"] += len(texts[-1]) if texts else 0
            return method(*args, **kwargs)

        return metered


def metered_patterns(monkeypatch) -> dict:
    """Every pattern of the cleaning (and `re` as it calls it) metered; returns the meter."""
    meter = {"chars": 0}
    for name, value in vars(clean).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(clean, name, MeteredPattern(value, meter))
    metered_re = SimpleNamespace(
        **{f: getattr(MeteredPattern(re, meter), f) for f in ("match", "search", "sub")}
    )
    monkeypatch.setattr(clean, "re", metered_re)
    return meter


def test_rejoining_one_paragraph_of_many_lines_reads_in_proportion_to_its_length(monkeypatch):
    """A sentence cut into thousands of lines is rejoined into one paragraph; deciding each join
    must not read the whole paragraph again (that was the square of its length: 8,000 lines took
    minutes). Every pattern of the cleaning is metered: the characters they read are counted."""
    meter = metered_patterns(monkeypatch)

    def chars_read(count: int) -> int:
        meter["chars"] = 0
        lines = [Line(no, UNENDED_LINE) for no in range(1, count + 1)]
        (paragraph,) = rejoin_broken_paragraphs(lines)
        assert paragraph.text.startswith(UNENDED_LINE + UNENDED_LINE)
        return meter["chars"]

    small, large = chars_read(500), chars_read(2000)
    assert large <= 5 * small, (small, large)


def marks_pass_by_pass(text: str) -> str:
    """The half-width marks and brackets made full-width as before: the patterns, again and again."""
    while clean.HALF_MARK.search(text):
        before = text
        if "(" in text:
            text = clean.HALF_PARENS_WITH_HAN.sub(r"（\1）", text)
            text = clean.HALF_PARENS_IN_CJK.sub(
                lambda m: f"（{m[1] if m[1] is not None else m[2]}）", text
            )
        text = clean.HALF_PUNCT_IN_CJK.sub(clean._full_width, text)
        if text == before:
            break
    return text


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="中a1,:;?!()（）， 》", max_size=40))
@example("中" + ",:;?!" * 8)
@example("((((a(中)b)))")
@example("(x(y)中)")
@example("a,(,),(中),:b")
def test_marks_and_brackets_reach_the_same_fixed_point_in_one_pass(text):
    assert clean.full_width_fixed_point(text) == marks_pass_by_pass(text)


@pytest.mark.parametrize("kind", [",", ":", "("])
def test_a_run_of_marks_or_nested_brackets_is_normalised_reading_it_a_few_times(kind, monkeypatch):
    """Each mark made full-width is the Chinese context of the next: the passes took one turn per
    mark, each reading the whole line (a line of 20,000 commas: 17 s; of a million: days)."""
    meter = metered_patterns(monkeypatch)

    def chars_read(count: int) -> int:
        meter["chars"] = 0
        text = "中" + kind * count if kind != "(" else "(" * count + "中" + ")" * count
        normalised = clean.normalise_line(text)
        assert not clean.HALF_MARK.pattern.search(normalised)  # every mark made full-width
        return meter["chars"]

    small, large = chars_read(500), chars_read(2000)
    assert large <= 5 * small, (small, large)
