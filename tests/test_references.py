"""Finding references: 文号 in every bracket variant, 《titles》 nested and folded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts.archive.references import find_in_block, find_titles, is_document_title, title_key


@pytest.mark.parametrize(
    "text",
    [
        "根据衡政办发〔2024〕5号文件精神",
        "根据衡政办发[2024]5号文件精神",
        "根据衡政办发(2024)5号文件精神",
        "根据衡政办发（2024）5号文件精神",
        "根据衡政办发［2024］5号文件精神",
        "根据衡政办发 〔 2024 〕 5 號文件精神",
        "根據衡政辦發〔2024〕5號文件精神",  # traditional issuer code
    ],
)
def test_doc_number_in_every_variant_has_one_key(text):
    refs = find_in_block(text)
    assert len(refs) == 1
    assert refs[0].doc_number.key() == "衡政办发〔2024〕5号"
    assert refs[0].basis  # 根据 … 精神: the basis the document carries out
    assert text[refs[0].start : refs[0].end].startswith(("衡政", "衡政辦"))


def test_title_with_its_number_is_one_reference():
    text = "根据《衡阳市人民政府办公室关于印发<衡阳市实施“八大行动”总体方案>的通知》（衡政办发〔2024〕5号）精神，特制定本方案。"
    [ref] = find_in_block(text)
    assert ref.title == "衡阳市人民政府办公室关于印发<衡阳市实施“八大行动”总体方案>的通知"
    assert str(ref.doc_number) == "衡政办发〔2024〕5号"
    assert (
        text[ref.start : ref.end]
        == "《衡阳市人民政府办公室关于印发<衡阳市实施“八大行动”总体方案>的通知》（衡政办发〔2024〕5号）"
    )
    # the notice is found by the plan it issues too
    assert title_key("衡阳市实施“八大行动”总体方案") in ref.keys()


@pytest.mark.parametrize("inner", ["<", "〈", "《"])
def test_nested_titles(inner):
    close = {"<": ">", "〈": "〉", "《": "》"}[inner]
    text = f"现将《关于印发{inner}湖南省实施方案{close}的通知》和《衡阳市工作要点》转发"
    assert [t for _, _, t in find_titles(text)] == [
        f"关于印发{inner}湖南省实施方案{close}的通知",
        "衡阳市工作要点",
    ]


def test_unbalanced_title_marks_are_text():
    assert find_titles("《未闭合的标题，后面还有很多字") == []
    assert [t for _, _, t in find_titles("《甲》》乙《丙方案》")] == ["甲", "丙方案"]


def test_titles_fold_script_quotes_brackets_and_spacing():
    a = title_key("湖北省縣域經濟高質量發展三年工作計劃（2018—2020）")
    b = title_key("湖北省县域经济高质量发展三年工作计划(2018-2020)")
    assert a == b
    assert (
        title_key("实施“八大行动” 总体方案")
        == title_key("实施「八大行动」总体方案")
        == title_key('实施"八大行动"总体方案')
    )


def test_only_document_titles_are_references():
    assert not is_document_title("人民日报")
    assert not is_document_title("全国基层党建网")
    for title in (
        "质量强国纲要",
        "反有组织犯罪法",
        "湖南省科学技术进步条例",
        "特许经营方案编写大纲（2024年版）",
        "县域经济工作领导（协调）小组议事规则",
    ):
        assert is_document_title(title), title
    assert [
        r.title for r in find_in_block("据《人民日报》报道，《衡东县投资管理实施办法》印发")
    ] == ["衡东县投资管理实施办法"]


def test_own_and_unrelated_numbers():
    text = "《衡南县人才引进实施办法》（清人才通〔2023〕2号）和湘人社规〔2023〕5号"
    refs = find_in_block(text)
    assert [(r.title, str(r.doc_number)) for r in refs] == [
        ("衡南县人才引进实施办法", "清人才通〔2023〕2号"),
        ("", "湘人社规〔2023〕5号"),
    ]
    assert not any(r.basis for r in refs)


@given(
    st.text(alphabet="《》〈〉<>（）()〔〕[]号號衡政办发2024 5，。根据精神方案通知", max_size=80)
)
def test_finding_never_raises_and_spans_are_inside(text):
    for ref in find_in_block(text):
        assert 0 <= ref.start < ref.end <= len(text)


def test_a_number_in_brackets_with_more_words_still_belongs_to_its_title():
    text = "按照《衡阳市实施“八大行动”总体方案》（衡政办发〔2024〕5号，以下简称《方案》）要求"
    refs = find_in_block(text)
    assert [(r.title, str(r.doc_number)) for r in refs] == [
        ("衡阳市实施“八大行动”总体方案", "衡政办发〔2024〕5号")
    ]
    assert (
        text[refs[0].start : refs[0].end] == "《衡阳市实施“八大行动”总体方案》（衡政办发〔2024〕5号"
    )
