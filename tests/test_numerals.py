"""One reader of Chinese numerals (scripts/core/numerals.py) for every stage: a 文号's serial, a
date, an article's number, a target's figure; the browser reads a query's with its tables."""

from __future__ import annotations

import pytest

from scripts.archive.evidence import iso
from scripts.archive.targets import cn_to_number
from scripts.core.docnumber import DocNumber
from scripts.core.numerals import numeral_figure, numeral_value
from scripts.ingest.metadata import iso_date
from scripts.ingest.numbering import parse_marker


@pytest.mark.parametrize(
    "text, value",
    [
        ("232", 232),
        ("２３２", 232),  # full-width digits
        ("二百三十二", 232),
        ("二三二", 232),  # digit by digit
        ("二〇〇六", 2006),
        ("二○一九", 2019),  # a circle for zero
        ("十", 10),
        ("十二", 12),
        ("二十一", 21),
        ("一千零五", 1005),
        ("两千", 2000),
        ("一万二千", 12000),
        ("1十", 10),  # a hostile mix is read, never raised on
        ("万", 0),
    ],
)
def test_a_numeral_reads_as_its_number(text, value):
    assert numeral_value(text) == value


def test_a_figure_keeps_its_decimals():
    assert numeral_figure("六点五") == 6.5 and numeral_figure("一万二千") == 12000.0


def test_every_stage_reads_numerals_with_it():
    assert DocNumber.parse("江西省人民政府令第二百三十二号").serial == 232
    assert iso_date("二〇〇六年十月十八日") == "2006-10-18"
    assert iso("二〇一九年七月二十一日") == "2019-07-21"
    assert cn_to_number("一万二千") == 12000.0 and cn_to_number("1,500") == 1500.0
    marker = parse_marker("第十二条　本办法自发布之日起施行。")
    assert marker is not None and marker.value == 12
