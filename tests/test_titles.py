"""A title is a document's name, never page chrome: the gate (scripts/ingest/titles.py), on the
chrome titles real pages and records gave, on every title a reader wrote down, and site-wide over
every title the build writes to docs/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts.ingest.titles import names_no_subject, title_fault

from .corpus_score import (
    DUMP_EXPECTATIONS,
    DUMP_FAMILIES_EXPECTATIONS,
    EXPECTATIONS,
    HELDOUT_EXPECTATIONS,
    accepted,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "title, fault",
    [
        # the district portal page: breadcrumb, font-size widget and 解读 link in one line
        (
            "您当前所在的位置：首页 > 政务服务 > 政策文件 -A+大A+中A+小点击查看政策解读：【音频解读】关于加快县域经济发展的实施意见",
            "breadcrumb",
        ),
        ("首页 » 政策法规 » 规范性文件", "breadcrumb"),
        ("-A+大A+中A+小点击查看政策解读", "widget"),
        ("【字号：大 中 小】【打印本页】【关闭窗口】", "widget"),
        ("- - - - - -", "no words"),  # the JSON record
        ("", "too short"),  # the one-line crawler text
        ("Notice on Issuing the Action Plan for Digital Shandong 2021", "no words"),
        ("北京市人民政府门户网站 www.beijing.gov.cn", "portal name"),
        ("中国政府网", "portal name"),
        ("详见附件", "stub"),
        ("点击下方查看附件", "stub"),
        ("（1994年8月29日卫生部令第36号发布）", "date line"),
        ("2001年6月22日北京市第十一届人民代表大会常务委员会第二十七次会议通过", "date line"),
        ("1997年7月31日中华人民共和国国务院令第226号", "date line"),
        ("第一章　总体要求 .................................... 3", "table of contents"),
        ("“十三五”时期中医药发展规划》的通知", "cut"),
        ("、指导思想", "cut"),
        ("为深入贯彻习近平总书记关于发展数字经济的重要论述，现提出如下意见。", "sentence"),
        ("2010年第4号", "number alone"),
        ("广安府规〔2022〕5号", "number alone"),
        ("中华人民共和国国家工商行政管理总局", "letterhead"),
        ("重庆市经济和信息化委员会 重庆市财政局 文件", "letterhead"),
        ("重庆市民政局重庆市财政局重庆市残疾人联合会", "letterhead"),
    ],
)
def test_chrome_is_no_title(title: str, fault: str):
    assert title_fault(title) == fault


@pytest.mark.parametrize(
    "title",
    [
        # words a widget uses, inside a title's own words
        "关于加快3D打印产业发展的实施意见",
        "关于促进分享经济发展的指导性意见",
        "关于加强政府网站建设管理的通知",
        "最全！一图读懂2020年《政府工作报告》",
        "依法防控疫情应如何开展？——司法部就有关问题答记者问",
        "2022年河南省国民经济和社会发展统计公报",
        "2023年3月份全市经济运行情况的通报",
        "江西省人民政府令第232号关于废止的决定",
        "中华人民共和国行政复议法",
    ],
)
def test_a_title_s_own_words_pass(title: str):
    assert title_fault(title) is None


def test_a_heading_that_names_no_subject_is_known_as_such():
    assert names_no_subject("中华人民共和国海关总署公告")
    assert names_no_subject("北京市人民政府令")
    assert not names_no_subject("海关总署关于延长受疫情影响的暂时进出境货物期限的公告")


def titles_readers_wrote() -> list[str]:
    found = []
    for path in (
        EXPECTATIONS,
        HELDOUT_EXPECTATIONS,
        DUMP_EXPECTATIONS,
        DUMP_FAMILIES_EXPECTATIONS,
    ):
        for expected in yaml.safe_load(path.read_text(encoding="utf-8")).values():
            found += [t for t in accepted(expected.get("title")) if t]
    return found


def test_every_title_a_reader_wrote_down_passes_the_gate():
    """The gate never refuses a real title: not one of the corpus's, the held-out set's or the
    dump records' (but a decree's number, which a reader accepts where no title is printed)."""
    refused = [
        (t, title_fault(t))
        for t in titles_readers_wrote()
        if title_fault(t) and title_fault(t) != "number alone"
    ]
    assert not refused
    assert len(titles_readers_wrote()) > 100


def built_titles() -> list[tuple[str, str]]:
    """(page, title) of every document page the build wrote, and its full title."""
    found = []
    for page in sorted((ROOT / "docs" / "doc").glob("*.md")):
        head = page.read_text(encoding="utf-8").split("---\n", 2)[1]
        meta = yaml.safe_load(head)
        found.append((page.name, meta.get("title") or ""))
        if meta.get("full_title"):
            found.append((page.name, meta["full_title"]))
    return found


def test_no_built_title_is_chrome_empty_or_short():
    """The same gate site-wide: every title docs/ holds (the archive's pages, whatever sources/
    brought) reads as a document's name."""
    titles = built_titles()
    assert titles, "docs/doc/ holds no page: run python -m scripts build"
    # (a decree's number alone, 江西省人民政府令第232号, is the one fault the archive accepts: it names
    # a decree whose text names nothing else, better than no title)
    bad = [
        (page, title, title_fault(title))
        for page, title in titles
        if title_fault(title) not in (None, "number alone")
    ]
    assert not bad, "\n".join(f"{p}: {t!r} ({f})" for p, t, f in bad)
    assert all(len(title) >= 4 and not re.match(r"^\s*$", title) for _, title in titles)
