"""Targets: read from the seeds and from hard text written here, results told apart from targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.archive.documents import Archive
from scripts.archive.targets import canonical, cn_to_number, extract, targets
from scripts.core.model import Block, Document
from scripts.ingest.convert import convert_file
from scripts.pages.target_pages import box_markdown, comparison_markdown, data_files

from .conftest import SOURCES

HENGNAN = SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt"
HENGDONG = SOURCES / "2025-hengdong-liuda-zhicheng-xianyu-jingji-qiangxian.txt"
HUBEI = SOURCES / "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua.txt"


def write_source(folder: Path, name: str, text: str, **overrides) -> Path:
    """A raw source with a sidecar that fixes what the test is not about (date, place, type)."""
    source = folder / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    lines = ["overrides:"] + [
        f"  {k}: {str(v)!r}" if k == "region_code" else f"  {k}: {v}" for k, v in overrides.items()
    ]
    (folder / f"{name}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def by_value(figures, value):
    return [f for f in figures if f.low == value]


# ---------------------------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------------------------


def test_hengnan_overall_targets_with_their_indicators():
    figures = [f for f in extract(convert_file(HENGNAN)) if f.anchor == "s1-p1"]
    got = [(f.indicator, f.measure, f.low, f.unit, f.comparator) for f in figures]
    assert got == [
        ("地区生产总值", "增长", 6.5, "%", "以上"),
        ("规模工业增加值", "增长", 8.2, "%", ""),
        ("固定资产投资", "增长", 7, "%", ""),
        ("社会消费品零售总额", "增长", 8, "%", ""),
        ("进出口总额", "增长", 7, "%", "以上"),
        ("地方一般公共预算收入", "增长", 6, "%", ""),
    ]
    assert {(f.kind, f.year, f.headline) for f in figures} == {("target", 2024, True)}
    assert figures[1].key == "规模以上工业增加值"


def test_hengnan_task_figures_are_targets_with_units():
    figures = targets(convert_file(HENGNAN))
    grain = [f for f in figures if f.key == "粮食播种面积"]
    assert [(f.low, f.unit, f.comparator) for f in grain] == [(138, "万亩", "以上")]
    assert any(f.indicator == "新增企业上云" and f.low == 560 and f.unit == "家" for f in figures)
    # 2024年实现净增经营主体3700户, in a plan of 2024: this year's target, not a past result
    assert [(f.kind, f.year) for f in extract(convert_file(HENGNAN)) if f.low == 3700] == [
        ("target", 2024)
    ] * 2
    # names made of numbers are not figures: “十个统筹”, 30条政策措施, “八大行动”, 第七届进博会
    assert not [f for f in figures if f.unit in ("条", "届") or "统筹" in f.indicator]


def test_hengdong_report_tells_last_years_results_from_this_years_targets():
    figures = extract(convert_file(HENGDONG))
    gdp_result = by_value(figures, 391.38)[0]
    assert gdp_result.kind == "result" and "地区生产总值" in gdp_result.indicator
    growth = by_value(figures, 6.7)[0]
    assert (
        growth.kind == "result" and growth.measure == "增长" and "地区生产总值" in growth.indicator
    )
    assert gdp_result.year == growth.year == 2024
    target = [f for f in figures if f.kind == "target" and f.key == "地区生产总值"]
    assert [(f.low, f.comparator, f.year) for f in target] == [(6.5, "左右", 2025)]
    # everything under the heading “2024 步履铿锵” is a result
    assert all(f.kind == "result" for f in figures if f.anchor.startswith("liangdian"))


def test_traditional_plan_targets_for_the_end_of_its_period():
    figures = extract(convert_file(HUBEI))
    gdp = next(f for f in figures if f.key == "地区生产总值")
    assert gdp.indicator.endswith("生產總值")  # shown as written
    assert (gdp.low, gdp.unit, gdp.comparator, gdp.year, gdp.kind) == (
        2.8,
        "万亿元",
        "左右",
        2020,
        "target",
    )
    urban = next(f for f in figures if f.key == "城镇化率")
    assert (urban.low, urban.kind, urban.year) == (55, "target", 2020)


# ---------------------------------------------------------------------------------------------
# Hard text
# ---------------------------------------------------------------------------------------------

PLAN = """某县2024年国民经济和社会发展计划
一、2023年工作回顾
去年全县地区生产总值增长5.8%，规模工业增加值同比增长7.1%，粮食播种面积达到96.5万亩。2023年实现社会消费品零售总额210亿元。
二、2024年主要目标
全县地区生产总值比上年增长6%—7%，规上工业增加值增长百分之八左右，地方一般公共预算收入不低于12亿元，粮食播种面积稳定在九十万亩以上。
三、重点任务
做好“十个统筹”，落实30条政策措施，办好第七届农博会，执行衡政办发〔2024〕5号文件。力争新增规模以上工业企业15家以上、高新技术企业二十家，培育1-2家龙头企业。旅游人数、旅游收入分别增长12%、13%以上。到2026年，城镇化率达到60%。
"""


@pytest.fixture
def hard_plan(tmp_path) -> Document:
    source = write_source(
        tmp_path,
        "plan",
        PLAN,
        date="2024-02-20",
        doc_type="计划",
        level="county",
        region="衡山县",
        region_code="430423",
    )
    return convert_file(source)


def test_past_results_are_not_targets(hard_plan):
    figures = extract(hard_plan)
    results = [(f.key, f.low, f.year) for f in figures if f.kind == "result"]
    assert results == [
        ("地区生产总值", 5.8, 2023),
        ("规模以上工业增加值", 7.1, 2023),
        ("粮食播种面积", 96.5, 2023),
        ("社会消费品零售总额", 210, 2023),
    ]


def test_comparison_base_in_a_target_section_is_still_a_target(hard_plan):
    gdp = [f for f in targets(hard_plan) if f.key == "地区生产总值"]
    assert [(f.low, f.high, f.unit, f.year, f.value_text()) for f in gdp] == [
        (6, 7, "%", 2024, "6—7%")
    ]


def test_chinese_numerals_percent_words_and_units(hard_plan):
    got = {f.key: (f.low, f.unit, f.comparator) for f in targets(hard_plan)}
    assert got["规模以上工业增加值"] == (8, "%", "左右")  # 百分之八左右
    assert got["粮食播种面积"] == (90, "万亩", "以上")  # 九十万亩以上
    assert got["地方一般公共预算收入"] == (12, "亿元", "不低于")
    assert got["新增高新技术企业"] == (20, "家", "")  # 新增 carries over the 、 list
    assert got["新增规模以上工业企业"] == (15, "家", "以上")


def test_ranges_respectively_and_target_years(hard_plan):
    figures = targets(hard_plan)
    leaders = next(f for f in figures if "龙头企业" in f.indicator)
    assert (leaders.low, leaders.high, leaders.unit) == (1, 2, "家")
    tourism = [
        (f.indicator, f.measure, f.low, f.comparator)
        for f in figures
        if f.indicator.startswith("旅游")
    ]
    assert tourism == [("旅游人数", "增长", 12, ""), ("旅游收入", "增长", 13, "以上")]
    urban = next(f for f in figures if f.key == "城镇化率")
    assert (urban.low, urban.year) == (60, 2026)


def test_names_and_references_are_not_figures(hard_plan):
    texts = " ".join(f.indicator for f in extract(hard_plan))
    for word in ("统筹", "政策措施", "农博会", "衡政办发"):
        assert word not in texts
    assert not [
        f
        for f in extract(hard_plan)
        if f.low in (10, 30, 7, 5) and f.unit in ("个", "条", "届", "号")
    ]


def test_same_words_in_a_report_are_results(tmp_path):
    text = "某县经济运行情况通报\n全县地区生产总值比上年增长6.1%，完成固定资产投资120亿元，举办招商活动20多场。\n"
    doc = convert_file(write_source(tmp_path, "report", text, date="2024-07-10", doc_type="报告"))
    assert [(f.kind, f.value_text()) for f in extract(doc)] == [
        ("result", "6.1%"),
        ("result", "120亿元"),
        ("result", "20多场"),
    ]


def test_thresholds_thousands_and_years_in_chinese(tmp_path):
    text = (
        "某市实施方案\n一、主要目标\n到二〇二五年，全市城镇登记失业率控制在4.5%以内，森林覆盖率保持在62%以上。"
        "对投资1000万元以上的项目给予奖励。全年完成固定资产投资1,500亿元，确保实现增长8%的目标。\n"
    )
    doc = convert_file(
        write_source(tmp_path, "thresholds", text, date="2023-05-01", doc_type="方案")
    )
    got = [(f.key, f.low, f.unit, f.comparator, f.year, f.kind) for f in extract(doc)]
    assert got[:2] == [
        ("城镇登记失业率", 4.5, "%", "以内", 2025, "target"),
        ("森林覆盖率", 62, "%", "以上", 2025, "target"),
    ]
    assert not [g for g in got if g[1] == 1000]  # a threshold qualifying 项目
    assert ("固定资产投资", 1500, "亿元", "", 2023, "target") in got
    assert [g for g in got if g[1] == 8 and g[5] == "target"]


def test_subject_in_the_clause_before_and_counted_things_after(tmp_path):
    text = (
        "某县实施方案\n一、工作目标\n加快培育海关高级认证企业，力争达到2家。推进3个以上企业进行贯标认证。"
        "2023年，县财政安排资金13.55亿元支持园区建设，比上年增长4.96亿元。\n"
    )
    doc = convert_file(write_source(tmp_path, "subjects", text, date="2024-05-01", doc_type="方案"))
    got = [(f.indicator, f.low, f.kind) for f in extract(doc)]
    assert got[:2] == [("培育海关高级认证企业", 2, "target"), ("企业进行贯标认证", 3, "target")]
    assert not [
        g for g in got if "13.55" in g[0]
    ]  # never a subject that carries a figure of its own


def test_a_growth_rate_stated_as_a_level(tmp_path):
    text = "某县工作要点\n一、主要目标\nGDP增速达到6%，地区生产总值：增长6.5%以上。\n"
    doc = convert_file(write_source(tmp_path, "rate", text, date="2024-02-01", doc_type="要点"))
    assert [(f.key, f.measure, f.value_text()) for f in extract(doc)] == [
        ("地区生产总值", "增长", "6%"),
        ("地区生产总值", "增长", "6.5%以上"),
    ]


@pytest.mark.parametrize(
    "text,value",
    [
        ("一千二百", 1200),
        ("十二", 12),
        ("六点五", 6.5),
        ("一万二千", 12000),
        ("两百", 200),
        ("三十五", 35),
        ("5.2", 5.2),
        ("〇点八", 0.8),
    ],
)
def test_chinese_numbers(text, value):
    assert cn_to_number(text) == value


@pytest.mark.parametrize(
    "name,key",
    [
        ("GDP", "地区生产总值"),
        ("全县地区生产总值", "地区生产总值"),
        ("地區生產總值", "地区生产总值"),
        ("规上工业增加值", "规模以上工业增加值"),
        ("R&D经费投入占GDP比重", "研发经费投入占地区生产总值比重"),
        ("粮食种植总面积", "粮食播种面积"),
        ("净增高新技术企业", "新增高新技术企业"),
        ("衡东地区生产总值", "地区生产总值"),
        ("湖南省城镇化率", "城镇化率"),
    ],
)
def test_indicator_names_are_normalised(name, key):
    assert canonical(name) == key


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet="力争确保同比去年增长达到以上左右不低于百分之一二十百千万亿元亩家个%0123456789.，。、—“”《》〔〕年到",
        max_size=80,
    )
)
def test_extraction_never_raises_on_any_text(text):
    doc = Document(
        source=Path("fuzz.txt"),
        meta={"id": "fuzz", "doc_type": "方案", "date": "2024-01-01"},
        blocks=[Block("paragraph", text, anchor="p1")],
    )
    for figure in extract(doc):
        assert figure.low <= figure.high
        assert figure.kind in ("target", "result")
        figure.value_text()


# ---------------------------------------------------------------------------------------------
# The box and the comparison
# ---------------------------------------------------------------------------------------------


def test_box_lists_main_targets_and_folds_the_rest(hard_plan):
    box = box_markdown(hard_plan, extract(hard_plan))
    assert box.startswith("## 主要目标 {#targets}")
    main = box.split("<details")[0]
    assert "| 地区生产总值增长 | 6—7% | 2024 | [二、2024年主要目标](#s2-p1) |" in main
    assert "5.8%" not in main  # a result is never a target
    assert "5.8%" in box.split("文中的往年实绩")[1]


def test_comparison_puts_county_city_and_province_side_by_side(tmp_path):
    docs = [
        write_source(
            tmp_path,
            "county",
            "衡山县2024年工作方案\n一、主要目标\n力争地区生产总值增长6.5%以上，规上工业增加值增长8%。\n",
            date="2024-03-01",
            doc_type="方案",
            level="county",
            region="衡山县",
            region_code="430423",
        ),
        write_source(
            tmp_path,
            "city",
            "衡阳市2024年工作方案\n一、主要目标\n力争GDP增长6%左右，规模以上工业增加值增长7.5%。\n",
            date="2024-02-01",
            doc_type="方案",
            level="city",
            region="衡阳市",
            region_code="430400",
        ),
        write_source(
            tmp_path,
            "province",
            "湖南省2023年工作要点\n一、主要目标\n力争全省地区生产总值增长6.5%左右，居民收入增长与经济增长基本同步。\n",
            date="2023-01-20",
            doc_type="要点",
            level="province",
            region="湖南省",
            region_code="430000",
        ),
    ]
    archive = Archive(root=tmp_path, documents=[convert_file(p) for p in docs])
    files = comparison_markdown(archive)
    assert "[衡山县](430000.md#place-430423)" in files["targets/index.md"]
    page = files["targets/430000.md"]
    assert "## 衡山县 {#place-430423}" in page
    county = page.split("## 衡山县")[1]
    assert "| 衡山县 | 衡阳市 | 湖南省 |" in county
    assert (
        "| 衡阳市 | 湖南省 |" in page.split("## 衡阳市")[1].split("##")[0]
    )  # a city beside its province
    row = next(line for line in county.splitlines() if line.startswith("| 地区生产总值"))
    assert "6.5%以上" in row and "（2024）" in row and "6%左右" in row and "（2023）" in row
    assert row.index("6.5%以上") < row.index("6%左右") < row.index("6.5%左右")
    industry = next(
        line for line in county.splitlines() if line.startswith("| 规模以上工业增加值增长 |")
    )
    assert "8%" in industry and "7.5%" in industry and industry.rstrip().endswith("| — |")
    csv_text = data_files(archive)["targets/430000.csv"]
    assert (
        csv_text.startswith("\ufeffdoc_id,") and csv_text.count("\n") == 1 + 5
    )  # header, 5 figures


def test_a_page_without_figures_still_has_the_box(tmp_path):
    doc = convert_file(
        write_source(
            tmp_path,
            "letter",
            "关于开展调研的通知\n各乡镇：请于本月底前报送材料。\n",
            date="2024-05-01",
            doc_type="通知",
        )
    )
    archive = Archive(root=tmp_path, documents=[doc])
    from scripts.pages.target_pages import add_target_boxes

    add_target_boxes(archive)
    box = archive.sections[doc.meta["id"]][0]
    assert box.startswith("## 主要目标 {#targets}") and "没有读出量化目标" in box


def test_government_work_report_lists_results_then_targets(tmp_path):
    text = (
        "某市2024年政府工作报告\n一、2023年工作回顾\n过去一年，全市地区生产总值突破4000亿元，达到4089.7亿元，增长4.9%；"
        "规模工业增加值增长7.6%，高于全省0.9个百分点。\n二、2024年工作安排\n今年经济社会发展的主要预期目标是："
        "地区生产总值增长6%左右；城乡居民人均可支配收入分别增长5.5%和7%；城镇调查失业率控制在5.5%以内。\n"
    )
    doc = convert_file(
        write_source(tmp_path, "work-report", text, date="2024-01-15", doc_type="报告")
    )
    got = [(f.kind, f.year, f.key, f.measure, f.value_text()) for f in extract(doc)]
    assert [g for g in got if g[0] == "result"][:3] == [
        ("result", 2023, "地区生产总值", "", "突破4000亿元"),
        ("result", 2023, "地区生产总值", "", "4089.7亿元"),
        ("result", 2023, "地区生产总值", "增长", "4.9%"),
    ]
    assert [g for g in got if g[0] == "target"] == [
        ("target", 2024, "地区生产总值", "增长", "6%左右"),
        ("target", 2024, "居民人均可支配收入", "增长", "5.5%"),
        ("target", 2024, "居民人均可支配收入", "增长", "7%"),
        ("target", 2024, "城镇调查失业率", "", "5.5%以内"),
    ]
