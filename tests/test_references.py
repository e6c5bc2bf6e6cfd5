"""Finding references: 文号 in every bracket variant, a decree's number (令) in every spelling,
《titles》 nested and folded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts.archive.references import (
    document_keys,
    find_in_block,
    find_references,
    find_titles,
    is_document_title,
    title_key,
)
from scripts.core.docnumber import DocNumber
from scripts.ingest.convert import convert_file, convert_text
from scripts.pages.web import docnumber_tokens

from .conftest import SOURCES


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
        "根据衡政办发〔２０２４〕５号文件精神",  # full-width digits
        "根据衡政办发〔2024〕第5号文件精神",  # 第 before the serial
        "根据衡政办发【２０２４】第５号文件精神",
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
        # the corpus: a national notice and two provincial measures cite these
        "企业财务通则",
        "小企业会计准则",
        "划拨用地目录",
        "银行业金融机构与融资担保公司业务合作指引",
        "支持工业互联网发展若干政策",
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


def test_the_version_a_document_replaces_is_cited_though_it_has_the_same_title():
    text = (
        "陆川县人民政府办公室关于印发陆川县自然灾害救助应急预案的通知\n"
        "陆政办发〔2022〕18号\n"
        "各乡镇人民政府：\n"
        "现将《陆川县自然灾害救助应急预案》印发给你们，请认真组织实施。"
        "《陆川县自然灾害救助应急预案》（陆政办发〔2015〕56号）同时废止。"
    )
    refs = find_references(convert_text(text, Path("luchuan.txt")))
    assert [str(r.doc_number) for r in refs] == ["陆政办发〔2015〕56号"]  # not the one it issues
    own = text.replace("（陆政办发〔2015〕56号）", "（陆政办发〔2022〕18号）")
    assert (
        find_references(convert_text(own, Path("luchuan.txt"))) == []
    )  # its own title and number: itself


@given(
    st.text(
        alphabet="《》〈〉<>（）()〔〕[]号號衡政办发2024 5，。根据精神方案通知令第公告省二百年日和",
        max_size=80,
    )
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


# --- a decree's number (令) and a ministry's 公告: numbered in a series of their organ ----------


@pytest.mark.parametrize(
    "text",
    [
        "依据江西省人民政府令第232号的规定",
        "依据江西省人民政府令（第232号）的规定",  # as the decree's own head writes it
        "依据江西省人民政府令 第 232 号的规定",
        "依据江西省人民政府令第２３２号的规定",  # full-width digits
        "依据江西省人民政府令第二百三十二号的规定",  # Chinese numerals
        "依据江西省人民政府第232号令的规定",  # the number before 令
        "依据江西省政府令第232號的规定",  # 政府 for 人民政府, 號
        "依據江西省人民政府令第232號的規定",  # traditional characters
    ],
)
def test_decree_number_in_every_variant_has_one_key(text):
    [ref] = find_in_block(text)
    assert ref.doc_number.key() == "江西省人民政府令第232号"
    assert text[ref.start : ref.end].startswith("江西省")  # 依据 is not part of the organ
    assert ref.basis


def test_a_decree_cited_after_its_title_with_its_date_is_one_reference():
    # released-07 of the corpus: a 废止 decision names the decree it repeals and its number
    text = "省政府决定废止《江西省著名商标认定和保护办法》（2007年9月13日江西省人民政府令第161号公布）。"
    [ref] = find_in_block(text)
    assert ref.title == "江西省著名商标认定和保护办法"
    assert str(ref.doc_number) == "江西省人民政府令第161号"
    assert text[ref.start : ref.end] == (
        "《江西省著名商标认定和保护办法》（2007年9月13日江西省人民政府令第161号公布）"
    )


def test_a_ministrys_notice_number_with_its_year_is_a_reference():
    # province-jiangxi-yingyouer of the corpus
    text = "要按照新修订的《托儿所、幼儿园建筑设计规范（2019年版）》（住房城乡建设部公告2019年第237号）等要求"
    [ref] = find_in_block(text)
    assert ref.title == "托儿所、幼儿园建筑设计规范（2019年版）"
    assert ref.doc_number.key() == "住房城乡建设部公告2019年第237号"


def test_national_decrees_fold_the_name_of_the_state():
    refs = find_in_block(
        "根据《国有土地上房屋征收与补偿条例》（中华人民共和国国务院令第590号）、国务院第588号令"
        "和中华人民共和国主席令（第三十一号）的规定"
    )
    assert [r.doc_number.key() for r in refs] == [
        "国务院令第590号",
        "国务院令第588号",
        "主席令第31号",
    ]
    assert DocNumber.parse("国务院令第590号").key() == refs[0].doc_number.key()


@pytest.mark.parametrize("text", ["县政府下达命令第3号", "严格执行禁令第3号", "口令第3号"])
def test_words_ending_in_令_are_no_decree(text):
    assert find_in_block(text) == []


def test_a_decree_named_by_its_level_is_of_the_citing_documents_place():
    head = "{issuer}关于加强商标工作的通知\n{number}\n各设区市人民政府：\n"
    tail = "\n{issuer}\n2024年3月1日\n"
    body = "根据省政府令第232号和市政府第5号令，国务院令第588号，做好工作。"
    jiangxi = convert_text(
        head.format(issuer="江西省人民政府办公厅", number="赣府厅发〔2024〕9号")
        + body
        + tail.format(issuer="江西省人民政府办公厅"),
        SOURCES / "jx.txt",
    )
    hengnan = convert_text(
        head.format(issuer="衡南县人民政府办公室", number="南政办发〔2024〕9号")
        + body
        + tail.format(issuer="衡南县人民政府办公室"),
        SOURCES / "hn.txt",
    )
    assert [str(r.doc_number) for r in find_references(jiangxi)] == [
        "江西省人民政府令第232号",
        "市政府令第5号",  # a province's text names no city: left as written
        "国务院令第588号",
    ]
    assert [str(r.doc_number) for r in find_references(hengnan)] == [
        "湖南省人民政府令第232号",
        "衡阳市人民政府令第5号",
        "国务院令第588号",
    ]


def test_a_decrees_own_number_is_not_a_reference_it_makes():
    decree = convert_file(
        SOURCES / "2018-jiangxi-renmin-zhengfu-feizhi-jiangxisheng-zhuming-shangbiao.txt"
    )
    assert decree.meta["doc_number"] == "江西省人民政府令第232号"
    assert [str(r.doc_number) for r in find_references(decree)] == ["江西省人民政府令第161号"]


DECREE_BODY = (
    "《江西省著名商标认定和保护办法》已经2018年4月28日省人民政府第4次常务会议审议通过，"
    "现予公布，自公布之日起施行。\n省长　刘奇\n2018年5月9日\n"
)


@pytest.mark.parametrize(
    "head",
    [
        "江西省人民政府令\n第232号",
        "江西省人民政府令\n（第２３２号）",
        "江西省人民政府令\n第二百三十二号",
        "江西省人民政府令第232号",  # the organ and the number on one line
        "江西省人民政府令（第232号）",
        "江西省人民政府令　第232号",
    ],
)
def test_a_decrees_own_number_is_read_in_every_spelling_and_is_never_its_title(head):
    doc = convert_text(f"{head}\n{DECREE_BODY}", SOURCES / "decree.txt")
    assert doc.meta["doc_number"] == "江西省人民政府令第232号"
    assert doc.meta["title"] == "江西省著名商标认定和保护办法"
    assert DocNumber.parse(doc.meta["doc_number"]).key() in document_keys(doc)
    assert find_references(doc) == []  # its own number is no reference it makes


def test_a_decree_number_has_a_search_token_of_its_own_beside_a_文号s():
    decree, wenhao = docnumber_tokens("江西省人民政府令第161号，赣府发〔2020〕2号")
    assert wenhao == docnumber_tokens("赣府发〔2020〕2号")[0]
    assert decree == docnumber_tokens("江西省政府令第一百六十一号")[0] != wenhao


# --- references over a line break, and the text a notice issues --------------------------------


def test_a_title_and_a_number_broken_over_lines_are_found_whole():
    text = (
        "江西省人民政府办公厅关于加强某项工作的通知\n赣府厅发〔2024〕9号\n各设区市人民政府：\n"
        "根据《国务院办公厅关于某项工作的\n指导意见》（国办发〔２０１９〕\n45号）精神，现通知如下。\n"
        "江西省人民政府办公厅\n2024年3月1日\n"
    )
    refs = find_references(convert_text(text, SOURCES / "jx.txt"))
    assert [(r.title, str(r.doc_number)) for r in refs] == [
        ("国务院办公厅关于某项工作的指导意见", "国办发〔2019〕45号")
    ]


def test_a_title_broken_by_a_blank_line_in_a_real_source_is_found_whole():
    doc = convert_file(SOURCES / "2025-hengdong-liuda-zhicheng-xianyu-jingji-qiangxian.txt")
    assert "衡东县政府投资项目全生命周期管理实施办法" in [r.title for r in find_references(doc)]


def test_the_texts_a_notice_issues_are_not_its_references_without_title_marks_in_its_title():
    # 关于印发支持……若干政策和……行动计划的通知: its title names them without 《》
    doc = convert_file(SOURCES / "2021-anhui-zhichi-gongye-hulianwang-fazhan-ruogan-zhengce.txt")
    assert "《" not in doc.meta["full_title"]
    titles = [r.title for r in find_references(doc)]
    assert "支持工业互联网发展若干政策" not in titles
    assert "安徽省工业互联网创新发展行动计划（2021-2023年）" not in titles


@pytest.mark.parametrize(
    "text",
    [
        "按照财政部、税务总局公告2019年第39号的规定",  # the organs joined by 、
        "按照财政部 税务总局公告2019年第39号的规定",
        "按照财政部　税务总局公告2019年第39号的规定",
    ],
)
def test_a_joint_notice_is_read_under_all_its_organs(text):
    [ref] = find_in_block(text)
    assert ref.doc_number.key() == "财政部税务总局公告2019年第39号"
    assert text[ref.start : ref.end].startswith("财政部")


def test_words_before_a_joint_organ_are_not_an_organ_of_it():
    refs = find_in_block("加强工作、省政府令第5号，国务院令第588号、省政府令第232号")
    assert [str(r.doc_number) for r in refs] == [
        "省政府令第5号",
        "国务院令第588号",
        "省政府令第232号",
    ]


def test_a_notice_cites_what_it_repeals_in_the_sentence_after_the_one_that_issues():
    # 农牧发〔2020〕10号 (docs/doc/2020-feizhou-zhuwen-yiqing-yingji-fangan-nianban.md): the
    # issuing sentence names the 2020 plan, the next one the 2019 plan it repeals
    text = (
        "农业农村部关于印发《非洲猪瘟疫情应急实施方案（2020年版）》的通知\n"
        "农牧发〔2020〕10号\n"
        "各省、自治区、直辖市农业农村（农牧、畜牧兽医）厅（局、委）：\n"
        "为进一步做好非洲猪瘟疫情防控工作，我部组织制定了《非洲猪瘟疫情应急实施方案（2020年版）》，"
        "现印发你们，请遵照执行。《非洲猪瘟疫情应急实施方案（2019年版）》同时废止。"
    )
    refs = find_references(convert_text(text, Path("feizhou.txt")))
    assert [r.title for r in refs] == ["非洲猪瘟疫情应急实施方案（2019年版）"]


def test_a_short_name_stands_for_the_document_it_was_given_to():
    # docs/doc/2011-yiliao-jigou-yaoshi-guanli-guiding.md and the 解读 of 国家卫生计生委令第14号
    text = (
        "关于印发《医疗机构药事管理规定》的通知\n"
        "卫医政发〔2011〕11号\n"
        "2002年，卫生部会同国家中医药管理局共同制定了《医疗机构药事管理暂行规定》"
        "（卫医发〔2002〕24号，以下简称《暂行规定》）。《暂行规定》实施8年来，合理用药水平有了很大提高。\n"
        "本规定自2011年3月1日起施行。《暂行规定》同时废止。"
    )
    refs = find_references(convert_text(text, Path("yaoshi.txt")))
    assert [(r.title, str(r.doc_number)) for r in refs] == [
        ("医疗机构药事管理暂行规定", "卫医发〔2002〕24号")
    ] * 3  # where it is named, and both uses of its short name; never 《暂行规定》 on its own
