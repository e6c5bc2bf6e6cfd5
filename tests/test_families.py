"""Rules for families of documents, on texts of those families that are not in the corpus.

Each rule is keyed on structure (a header block's shape, a line's position, a genre word, a
sign-off), so each is tried here on a document of the family written another way: other key
names, another organ, another place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.core.docnumber import DocNumber
from scripts.ingest.convert import convert_file, convert_text
from scripts.ingest.metadata import iso_date
from scripts.pages.render import render


def lines(*texts: str) -> str:
    return "\n".join(texts)


def doc_of(tmp_path: Path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return convert_file(path, sidecar={})


def test_a_crawler_header_block_is_metadata_not_body(tmp_path):
    doc = doc_of(
        tmp_path,
        "crawl.txt",
        lines(
            "政策名：湘潭县促进民营经济发展若干措施",
            "发布机构：湘潭县人民政府办公室",
            "文号：潭县政办发[2022]7号",
            "发布时间：2022-05-06",
            "具体链接：http://www.xiangtanxian.gov.cn/art/2022/5/6/art_1.html",
            "正文：各乡镇人民政府，县直各单位：",
            "为促进民营经济高质量发展，结合我县实际，制定如下措施。",
            "一、优化营商环境。",
            "湘潭县人民政府办公室",
            "2022年4月28日",
        ),
    )
    assert doc.meta["title"] == "湘潭县促进民营经济发展若干措施"
    assert doc.meta["doc_number"] == "潭县政办发〔2022〕7号"
    assert doc.meta["issuer"] == "湘潭县人民政府办公室"
    assert doc.meta["date"] == "2022-04-28"  # the sign-off, not the crawler's publication time
    assert doc.meta["region"] == "湘潭县"
    body = doc.body_text()
    assert "政策名" not in body and "具体链接" not in body and "http" not in body
    assert "各乡镇人民政府，县直各单位：" in body  # 正文's value is the text's first line
    assert {r.rule for r in doc.removed} == {"header-field"}


def test_a_portal_record_is_read_by_field_family_whatever_its_keys(tmp_path):
    record = {
        "result": {
            "wjbt": "关于做好2023年春耕生产工作的通知",
            "wenhao": "醴政办发〔2023〕2号",
            "fwjg": "醴陵市人民政府办公室",
            "fbrq": "2023-02-10 09:00:00",
            "hits": 12,
            "zwnr": "<p>各镇人民政府、街道办事处：</p><p>现将有关事项通知如下：</p>"
            "<p>一、抓好种子供应。</p><p>醴陵市人民政府办公室</p><p>2023年2月8日</p>",
            "zwnr_text": "各镇人民政府、街道办事处：现将有关事项通知如下：一、抓好种子供应。",
        }
    }
    doc = doc_of(tmp_path, "record.json", json.dumps(record, ensure_ascii=False))
    assert doc.meta["title"] == "关于做好2023年春耕生产工作的通知"
    assert doc.meta["doc_number"] == "醴政办发〔2023〕2号"
    assert doc.meta["issuer"] == "醴陵市人民政府办公室"
    assert doc.meta["date"] == "2023-02-08"
    assert doc.meta["level"] == "county" and doc.meta["region"] == "醴陵市"
    assert "一、抓好种子供应。" in doc.body_text()


def test_a_file_without_extension_is_read_by_its_content(tmp_path):
    record = {
        "title": "关于开展安全生产大检查的通知",
        "docno": "攸政发〔2021〕3号",
        "publisher": "攸县人民政府",
        "content": "各乡镇人民政府：　　现就开展安全生产大检查有关事项通知如下。　　一、检查范围。　　2021年3月1日",
    }
    doc = doc_of(tmp_path, "record-without-suffix", json.dumps(record, ensure_ascii=False))
    assert doc.meta["title"] == "关于开展安全生产大检查的通知"
    assert doc.meta["date"] == "2021-03-01"
    assert [b.text for b in doc.blocks][-2:] == [
        "一、检查范围。",
        "2021年3月1日",
    ]  # the flattened line split again


def test_a_law_database_export_loses_its_citation_lines_and_keeps_its_title_once(tmp_path):
    doc = doc_of(
        tmp_path,
        "pkulaw.txt",
        lines(
            "    【法宝引证码】 CLI.12.1234567",
            "原文链接：https://www.pkulaw.com/lar/abcdef.html",
            "株洲市人民政府办公室关于印发株洲市数据共享管理办法(试行)的通知",
            "株洲市人民政府办公室关于印发株洲市数据共享管理办法（试行）的通知",
            "株政办发〔2022〕5号",
            "各县市区人民政府，市政府各局委办：",
            "　　现将《株洲市数据共享管理办法（试行）》印发给你们，请认真执行。",
            "株洲市人民政府办公室",
            "2022年3月1日",
        ),
    )
    assert doc.meta["full_title"].startswith("株洲市人民政府办公室关于印发")
    assert doc.meta["doc_number"] == "株政办发〔2022〕5号"
    assert [r.rule for r in doc.removed] == ["law-db-citation", "source-link"]
    assert (
        sum(1 for b in doc.blocks if "关于印发" in b.text) == 2
    )  # the title, and its repeat as a subtitle


def test_a_decree_signed_by_its_governor_is_the_governments(tmp_path):
    doc = doc_of(
        tmp_path,
        "ling.txt",
        lines(
            "湖南省政务数据管理办法",
            "湖南省人民政府令",
            "（第301号）",
            "《湖南省政务数据管理办法》已经2020年5月6日省人民政府第68次常务会议审议通过，现予公布，自2020年7月1日起施行。",
            "省长　张三",
            "2020年5月20日",
            "第一条　为了规范政务数据管理，制定本办法。",
        ),
    )
    assert doc.meta["title"] == "湖南省政务数据管理办法"
    assert doc.meta["issuer"] == "湖南省人民政府"
    assert doc.meta["doc_number"] == "湖南省人民政府令第301号"
    assert doc.meta["date"] == "2020-05-20"


def test_a_decree_number_alone_at_the_top_takes_its_government_from_the_text(tmp_path):
    doc = doc_of(
        tmp_path,
        "ling2.txt",
        lines(
            "第88号",
            "《湖南省人民政府关于修改〈湖南省某某办法〉的决定》已经2019年3月1日省人民政府常务会议审议通过，现予公布，自公布之日起施行。",
            "省长",
            "2019年3月8日",
            "本决定自公布之日起施行。",
        ),
    )
    assert doc.meta["title"] == "湖南省人民政府关于修改〈湖南省某某办法〉的决定"
    assert doc.meta["title_inferred"] is True
    assert doc.meta["issuer"] == "湖南省人民政府"
    assert doc.meta["doc_number"] == "湖南省人民政府令第88号"
    assert doc.meta["doc_type"] == "决定"


@pytest.mark.parametrize(
    ("opening", "title", "doc_type"),
    [
        ("现就加快发展县域商贸提出如下实施意见。", "关于加快发展县域商贸的实施意见", "意见"),
        (
            "为推动数字乡村建设，经县政府同意，特制定以下措施。",
            "关于推动数字乡村建设的措施",
            "措施",
        ),
        (
            "你县《关于恳请批准设立工业园区的请示》收悉。现批复如下。",
            "关于设立工业园区的批复",
            "批复",
        ),
    ],
)
def test_a_text_without_a_title_line_gets_one_from_its_own_words(opening, title, doc_type):
    text = f"各乡镇人民政府：\n{opening}\n一、总体要求。\n2023年5月6日"
    doc = convert_text(text, Path("no-title.txt"))
    assert doc.meta["title"] == title and doc.meta["doc_type"] == doc_type
    assert doc.meta["title_inferred"] is True
    assert "标题为编者据正文所拟" in render(doc)


def test_a_first_line_cut_to_a_fragment_is_never_the_title():
    doc = convert_text(
        "各\n《某某县乡村振兴促进办法》已经县政府同意，现印发给你们，请认真执行。\n2022年1月5日",
        Path("cut.txt"),
    )
    assert doc.meta["title"] == "某某县乡村振兴促进办法"
    assert doc.meta["full_title"] == "关于印发《某某县乡村振兴促进办法》的通知"


def test_a_joint_document_names_every_organ_that_signed():
    doc = convert_text(
        lines(
            "关于推进县域商业体系建设的通知",
            "各市州商务局：",
            "现将有关事项通知如下。",
            "湖南省商务厅　湖南省财政厅",
            "湖南省农业农村厅",
            "2022年6月1日",
        ),
        Path("joint.txt"),
    )
    assert doc.meta["issuer"] == "湖南省商务厅"
    assert doc.meta["issuers"] == ["湖南省商务厅", "湖南省财政厅", "湖南省农业农村厅"]


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("二〇〇六年十月十八日", "2006-10-18"),
        ("二〇二〇年二月二十九日", "2020-02-29"),
        ("二〇二一年十二月", "2021-12"),
        ("2021年10月", "2021-10"),
        ("2024年4月17日", "2024-04-17"),
    ],
)
def test_dates_in_chinese_numerals_and_month_only_dates(written, iso):
    assert iso_date(written) == iso


def test_a_text_printed_twice_loses_its_second_copy_reported():
    once = (
        "一、制定背景\n为切实提升孤儿基本生活保障水平，"
        + "根据有关文件精神，经研究决定，" * 16
        + "拟调整标准。\n二、解读机关：某区民政局。"
    )
    doc = convert_text(f"{once}\n{once}", Path("twice.txt"))
    assert doc.body_text().count("拟调整标准。") == 1
    assert {r.rule for r in doc.removed} == {"duplicated-tail"}


def test_an_issuer_named_without_its_place_is_completed_from_the_site(tmp_path):
    record = {
        "title": "关于发放补贴的通知",
        "docno": "渌退军发〔2021〕9号",
        "publisher": "退役军人事务局",
        "sitedesc": "渌口区人民政府",
        "content": "各镇人民政府：　　现将补贴发放如下。　　特此通知　　2021年5月6日",
    }
    doc = doc_of(tmp_path, "dept.json", json.dumps(record, ensure_ascii=False))
    assert doc.meta["issuer"] == "渌口区退役军人事务局"
    assert doc.meta["date"] == "2021-05-06"  # the sign-off; "特此通知" is never the issuer


def test_a_header_block_is_read_by_the_head_noun_of_its_keys_and_a_missing_number_is_none(tmp_path):
    doc = doc_of(
        tmp_path,
        "crawl-other-keys.txt",
        lines(
            "信息名称：关于做好汛期安全防范工作的通知",
            "发文机构：石门县应急管理局",
            "文件编号：无",
            "生成日期：2023-05-04",
            "【实施日期】 2023.05.04",
            "页面地址：http://www.shimen.gov.cn/art/2023/5/4/art_1.html",
            "========",
            "各乡镇人民政府：",
            "现将有关事项通知如下。",
            "石门县应急管理局",
            "2023年5月4日",
        ),
    )
    assert doc.meta["title"] == "关于做好汛期安全防范工作的通知"
    assert "doc_number" not in doc.meta  # "文件编号：无" is no 文号 (and no traceback)
    assert doc.meta["issuer"] == "石门县应急管理局"
    body = doc.body_text()
    assert "页面地址" not in body and "实施日期" not in body and "====" not in body
    assert {r.rule for r in doc.removed} == {"header-field"}


def test_a_decree_numbered_with_its_year_and_signed_by_a_spaced_office(tmp_path):
    doc = doc_of(
        tmp_path,
        "ling-year.txt",
        lines(
            "山西省人民政府令",
            "〔2021〕第5号",
            "《山西省某某管理办法》已经2021年3月2日省人民政府常务会议通过，现予公布，自2021年5月1日起施行。",
            "省　长　张某",
            "2021年3月20日",
            "山西省某某管理办法",
            "第一条　为了规范某某管理，制定本办法。",
        ),
    )
    assert doc.meta["doc_number"] == "山西省人民政府令〔2021〕第5号"
    assert doc.meta["issuer"] == "山西省人民政府"
    assert doc.meta["date"] == "2021-03-20"
    assert doc.meta["title"] == "山西省某某管理办法"


def test_the_organs_under_a_bulletins_title_issue_it_and_a_reposting_sites_name_is_no_title(
    tmp_path,
):
    doc = doc_of(
        tmp_path,
        "gongbao.txt",
        lines(
            "株洲市人民政府",
            "2023年湖南省国民经济和社会发展统计公报",
            "湖南省统计局　国家统计局湖南调查总队",
            "（2024年3月20日）",
            "2023年，全省经济运行总体回升向好，高质量发展扎实推进。",
        ),
    )
    assert doc.meta["title"] == "2023年湖南省国民经济和社会发展统计公报"
    assert doc.meta["issuer"] == "湖南省统计局"
    assert doc.meta["issuers"] == ["湖南省统计局", "国家统计局湖南调查总队"]
    assert doc.meta["level"] == "province" and doc.meta["region"] == "湖南省"
    assert doc.meta["date"] == "2024-03-20"


def test_a_decrees_title_line_under_the_signature_is_its_own_not_inferred(tmp_path):
    head = [
        "山西省人民政府令",
        "第305号",
        "　　《山西省县域经济发展促进办法》已经2023年4月10日省人民政府第5次常务会议通过，现予公布，自2023年6月1日起施行。",
        "省长　金湘军",
        "2023年4月21日",
    ]
    body = [
        "第一条　为了促进县域经济高质量发展，根据有关法律、法规，结合本省实际，制定本办法。",
        "第二条　本办法自2023年6月1日起施行。",
    ]
    with_title_line = doc_of(
        tmp_path, "ling.txt", lines(*head, "山西省县域经济发展促进办法", *body)
    )
    assert with_title_line.meta["title"] == "山西省县域经济发展促进办法"
    assert "title_inferred" not in with_title_line.meta  # the text has it, under the signature
    assert with_title_line.meta["doc_type"] == "办法"
    without = doc_of(tmp_path, "ling-body.txt", lines(*head, *body))
    assert without.meta["title"] == "山西省县域经济发展促进办法"
    assert without.meta["title_inferred"] is True  # only the promulgation sentence names it


# --- a decree's or 公告's number in a number field: the document's own doc_number --------------

DECREE_OPENING = (
    "《江西省著名商标认定和保护办法》已经2018年4月28日省人民政府第4次常务会议审议通过，现予公布。"
)


def decree_in_a_number_field(family: str, title: str, number: str) -> tuple[str, str]:
    """A decree with `number` in the number field of a source of `family`: (file name, content)."""
    body = [DECREE_OPENING, "省长　刘奇", "2018年5月9日"]
    if family == "record":
        html = "".join(f"<p>{line}</p>" for line in body)
        record = {"title": title, "filenumber": number, "fbrq": "2018-05-10", "content": html}
        return "record.json", json.dumps(record, ensure_ascii=False)
    if family == "page":
        rows = (("标题", title), ("发文字号", number), ("发布日期", "2018-05-10"))
        table = "".join(f"<tr><td>{k}：</td><td>{v}</td></tr>" for k, v in rows)
        paragraphs = "".join(f"<p>{line}</p>" for line in body)
        return (
            "page.html",
            f"<html><body><table>{table}</table><div>{paragraphs}</div></body></html>",
        )
    if family == "crawler":
        return "crawl.txt", lines(f"政策名：{title}", f"文号：{number}", "正文：", *body)
    # a law database's export: 【label】 value, without a colon
    return "pkulaw.txt", lines(
        "    【法宝引证码】 CLI.12.1234567",
        f"【发文字号】 {number}",
        "【发布日期】 2018.05.10",
        "",
        title,
        *body,
    )


@pytest.mark.parametrize("family", ["record", "page", "crawler", "law-database"])
@pytest.mark.parametrize(
    ("number", "doc_type"),
    [
        ("江西省人民政府令第232号", "令"),
        ("国务院令第588号", "令"),
        ("财政部 税务总局公告2019年第39号", "公告"),
        ("财政部、税务总局公告2019年第39号", "公告"),  # the organs joined by 、
        ("江西省人民政府令（第二百三十二号）", "令"),
    ],
)
def test_a_decree_or_notice_number_in_a_number_field_is_the_documents_own(
    tmp_path, family, number, doc_type
):
    name, content = decree_in_a_number_field(family, "江西省著名商标认定和保护办法", number)
    doc = doc_of(tmp_path, name, content)
    assert DocNumber.parse(doc.meta["doc_number"]).key() == DocNumber.parse(number).key()
    assert doc.meta["doc_type"] == "办法"  # the title's genre word first
    if family != "law-database":  # a portal that titles a decree by its number alone: the
        # number is no title (the issue's rule); the text's promulgated 《X》 is, marked inferred
        name, content = decree_in_a_number_field(family, number, number)
        titled_by_number = doc_of(tmp_path, name, content).meta
        assert titled_by_number["title"] == "江西省著名商标认定和保护办法"
        assert titled_by_number["title_inferred"] is True
        assert titled_by_number["doc_type"] == "办法"
        assert titled_by_number["doc_number"] == str(DocNumber.parse(number))


def test_a_decree_number_in_a_record_names_the_government_its_governor_signs_for(tmp_path):
    name, content = decree_in_a_number_field(
        "record", "江西省著名商标认定和保护办法", "江西省人民政府令第232号"
    )
    doc = doc_of(tmp_path, name, content)
    assert doc.meta["issuer"] == "江西省人民政府"
    assert doc.meta["region"] == "江西省"


def test_an_interpretation_of_a_decree_is_not_signed_by_the_decrees_government(tmp_path):
    record = {
        "title": "《江西省著名商标认定和保护办法》政策解读",
        "filenumber": "江西省人民政府令第232号",
        "fbjg": "江西省市场监督管理局",
        "content": "<p>一、出台背景。为了规范商标工作，省政府制定了办法。</p><p>二、主要内容。</p>",
    }
    doc = doc_of(tmp_path, "jiedu.json", json.dumps(record, ensure_ascii=False))
    assert doc.meta["doc_type"] == "解读"
    assert doc.meta["issuer"] == "江西省市场监督管理局"
    assert doc.meta["explains"] == "江西省人民政府令第232号"
    del record["fbjg"]  # no author named: none is taken from the decree it explains
    doc = doc_of(tmp_path, "jiedu.json", json.dumps(record, ensure_ascii=False))
    assert doc.meta.get("issuer") is None and doc.meta["explains"] == "江西省人民政府令第232号"


def test_a_decree_number_naming_its_government_by_level_takes_the_issuers_name(tmp_path):
    # the record of 江西省人民政府 writes 省政府令第232号: citations name it 江西省人民政府令第232号
    name, content = decree_in_a_number_field(
        "record", "江西省著名商标认定和保护办法", "省政府令第232号"
    )
    record = json.loads(content) | {"fbjg": "江西省人民政府"}
    doc = doc_of(tmp_path, name, json.dumps(record, ensure_ascii=False))
    assert doc.meta["doc_number"] == "江西省人民政府令第232号"
    record["fbjg"] = (
        "江西省市场监督管理局"  # a department's number keeps the words it was written with
    )
    record["filenumber"] = "省政府令第232号"
    doc = doc_of(tmp_path, name, json.dumps(record, ensure_ascii=False))
    assert doc.meta["doc_number"] == "省政府令第232号"


def test_a_record_titled_by_its_decree_number_alone_keeps_it_when_the_text_names_no_title(tmp_path):
    body = "".join(
        f"<p>{line}</p>"
        for line in (
            "第一条　为了加强著名商标管理，制定本办法。",
            "第二条　本办法自公布之日起施行。",
            "省长　刘奇",
            "2018年5月9日",
        )
    )
    for number, doc_type in (
        ("江西省人民政府令第232号", "令"),
        ("财政部、税务总局公告2019年第39号", "公告"),
    ):
        record = {"title": number, "filenumber": number, "fbrq": "2018-05-10", "content": body}
        meta = doc_of(tmp_path, "record.json", json.dumps(record, ensure_ascii=False)).meta
        assert meta["title"] == number  # never empty: the number names it better than nothing
        assert meta["doc_type"] == doc_type
