"""The families of the blind dump sample's misses (tests/data/dumps-expectations.yaml), each rule
tried on neighbours of the records it was built on (tests/data/dump-families/): other organs,
other places, other wordings, and the look-alikes each rule must leave alone.

Texts are assembled here in the shapes the dumps show (a record's fields, a body's lines); each
test says which family it stands for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.core.places import (
    is_national_issuer,
    place_of_translated_organ,
    zone_of,
)
from scripts.ingest.convert import convert_file, convert_text
from scripts.ingest.infer import infer_title
from scripts.ingest.titles import title_fault


def lines(*texts: str) -> str:
    return "\n".join(texts)


def converted(tmp_path: Path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return convert_file(path, sidecar={})


def record(tmp_path: Path, fields: dict):
    return converted(tmp_path, "record.json", json.dumps(fields, ensure_ascii=False))


# --- an issuer named in translation (PKULaw) --------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "place", "level"),
    [
        ("Shandong Provincial Big Data Bureau", "山东省", "province"),
        ("General Office of Jinan Municipal People's Government", "济南市", "city"),
        ("Hengyang County People's Government", "衡阳县", "county"),  # not 衡阳市
        ("Hengyang Municipal Bureau of Finance", "衡阳市", "city"),
        ("Xi'an Municipal Bureau of Commerce", "西安市", "city"),  # not the 西安区 counties
        ("Shaanxi Provincial Department of Education", "陕西省", "province"),  # not 山西
        ("Beijing Municipal Health Commission", "北京市", "province"),
        ("Beijing Chaoyang District People's Government", "朝阳区", "county"),  # 北京's
        ("Qingdao Department of Industry, and Qingdao Laoshan District", "青岛市", "city"),
        ("Ministry of Natural Resources", "全国", "national"),
        ("General Office of the State Council", "全国", "national"),
        ("Supreme People's Court", "全国", "national"),
    ],
)
def test_an_organ_named_in_english_gives_its_place_through_the_place_pages_pinyin(
    organ, place, level
):
    found = place_of_translated_organ(organ)
    assert (found.name, found.level) == (place, level)


@pytest.mark.parametrize(
    "organ",
    [
        "Chaoyang District People's Government",  # 朝阳区 of 北京 or of 长春: unsaid
        "Department of Finance",  # no place, no national organ
        "Degree Management and Graduate Education Department",
        "",
    ],
)
def test_an_english_name_that_says_no_place_gives_none(organ):
    assert place_of_translated_organ(organ) is None


def test_the_translated_department_is_a_hint_the_text_s_own_signoff_overrides(tmp_path):
    body = lines(
        "各市人民政府，省政府各部门：",
        "为加快推进数字经济发展，制定本方案。",
        "一、总体要求",
        "湖南省人民政府",
        "2024年3月1日",
    )
    fields = {
        "Release Department": "Shandong Provincial People's Government",  # a wrong hint
        "Policy Title": "Plan for the Digital Economy",
        "Policy Content": body,
        "Release Time": "2024-03-05",
    }
    doc = record(tmp_path, fields)
    assert doc.meta["issuer"] == "湖南省人民政府"
    assert doc.meta["region"] == "湖南省"
    # without a sign-off the department says the place
    fields["Policy Content"] = "\n".join(body.split("\n")[:3])
    doc = record(tmp_path, fields)
    assert "issuer" not in doc.meta
    assert (doc.meta["region"], doc.meta["level"]) == ("山东省", "province")
    assert doc.meta["title_inferred"] is True
    assert doc.meta["title"] == "关于加快推进数字经济发展的方案"
    assert any("in translation" in w for w in doc.warnings)


def test_an_english_source_field_is_no_department(tmp_path):
    """A `source` field names where a record came from (a news agency), not the organ."""
    doc = record(
        tmp_path,
        {
            "title": "关于加快推进数字经济发展的方案",
            "source": "Xinhua",  # 新化县 in pinyin
            "content": "为加快推进数字经济发展，制定本方案。\n一、总体要求",
            "date": "2024-03-05",
        },
    )
    assert doc.meta.get("region") != "新化县"


# --- county-level zones and a national organ's own bodies --------------------------------------


@pytest.mark.parametrize(
    ("organ", "zone", "parent"),
    [
        ("重庆两江新区管理委员会", "两江新区", "重庆市"),
        ("重庆市万盛经开区管委会", "万盛经开区", "重庆市"),
        ("重庆高新区管委会", "重庆高新区", "重庆市"),  # 高新区 alone names no zone
        ("四川天府新区管理委员会", "天府新区", "四川省"),
        ("广安经济技术开发区管理委员会", "经济技术开发区", "广安市"),
    ],
)
def test_a_zone_s_committee_is_its_county_level_zone_without_a_division_code(organ, zone, parent):
    found = zone_of(organ)
    assert (found.name, found.level, found.code) == (zone, "county", "")
    assert not is_national_issuer(organ)


def test_a_zone_the_gazetteer_knows_or_a_county_s_park_is_that_place():
    assert zone_of("上海市浦东新区管理委员会").code == "310115"  # a district of its own
    park = zone_of("衡南县工业园区管理委员会")
    assert (park.name, park.code) == ("衡南县", "430422")  # a county's park: the county's
    assert zone_of("两江新区管委会") is None  # no place names the zone's parent


def test_a_zone_s_document_is_county_level_with_no_region_code(tmp_path):
    doc = converted(
        tmp_path,
        "zone.txt",
        lines(
            "四川天府新区管理委员会关于印发加快建设公园城市示范区若干措施的通知",
            "川天管发〔2024〕3号",
            "各街道办事处，管委会各部门：",
            "现将《加快建设公园城市示范区若干措施》印发给你们，请认真贯彻执行。",
            "四川天府新区管理委员会",
            "2024年5月6日",
        ),
    )
    assert (doc.meta["level"], doc.meta["region"]) == ("county", "天府新区")
    assert "region_code" not in doc.meta


@pytest.mark.parametrize(
    ("organ", "national"),
    [
        ("教育部应对新型冠状病毒感染肺炎疫情工作领导小组办公室", True),
        ("工业和信息化部中小企业局", True),
        ("科技部火炬中心", True),
        ("市场监管总局", True),  # 市场 is no 市
        ("市委宣传部", False),  # a city's, named by its level
        ("县财政局", False),
        ("人社部事业单位人事管理司有关负责人就", False),  # no organ: a Q&A's headline
        ("审计署", True),  # the nation's organs named short
        ("银保监会", True),
        ("民航局", True),
        ("国防科工局", True),
        ("卫生健康委办公厅", True),
        ("全国爱卫办", True),
        ("共青团中央", True),
        ("中国人民银行金融市场司", True),
        ("中国人民银行长春中心支行", False),  # a branch is its place's
        ("统计局", False),  # a 统计局 is any county's
        ("县委", False),
    ],
)
def test_a_ministry_s_own_bodies_are_national_an_organ_named_by_its_level_is_not(organ, national):
    assert is_national_issuer(organ) is national


def test_the_organs_of_a_joint_document_side_by_side_in_a_field_or_a_title(tmp_path):
    """A record's 发文机关 that lists the organs of a joint document with spaces between them,
    and a text with no sign-off: the first organ issues it, every one is an issuer; never a
    place its words happen to name (资源 of 人力资源 is 资源县's short name)."""
    doc = record(
        tmp_path,
        {
            "标题": "关于做好疫情防控期间稳定劳动关系的意见",
            "发文机关": "人力资源社会保障部 中华全国总工会 中国企业联合会/中国企业家协会",
            "正文": "人社部发〔2020〕8号\n各省、自治区、直辖市人力资源社会保障厅：\n现就有关事项提出如下意见。",
            "发布时间": "2020-02-08",
        },
    )
    assert doc.meta["issuer"] == "人力资源社会保障部"
    assert doc.meta["issuers"] == [
        "人力资源社会保障部",
        "中华全国总工会",
        "中国企业联合会/中国企业家协会",
    ]
    assert (doc.meta["level"], doc.meta["region"]) == ("national", "全国")
    titled = converted(
        tmp_path,
        "joint-title.txt",
        lines(
            "财政部办公厅　教育部办公厅关于做好学校经费保障工作的通知",
            "各省、自治区、直辖市财政厅（局）、教育厅（教委）：",
            "现就有关事项通知如下。",
        ),
    )
    assert titled.meta["issuer"] == "财政部办公厅"
    assert titled.meta["issuers"] == ["财政部办公厅", "教育部办公厅"]
    assert titled.meta["level"] == "national"


def test_a_joint_sign_off_with_an_organ_under_two_names_and_a_federation(tmp_path):
    doc = converted(
        tmp_path,
        "joint-signoff.txt",
        lines(
            "关于开展爱国卫生月活动的通知",
            "全爱卫办发〔2020〕3号",
            "各省、自治区、直辖市爱卫会：",
            "现就有关事项通知如下。",
            "全国爱卫办　中央文明办",
            "中国企业联合会/中国企业家协会　全国总工会　共青团中央　全国妇联",
            "2020年3月20日",
        ),
    )
    assert doc.meta["issuer"] == "全国爱卫办"
    assert doc.meta["issuers"] == [
        "全国爱卫办",
        "中央文明办",
        "中国企业联合会/中国企业家协会",
        "全国总工会",
        "共青团中央",
        "全国妇联",
    ]


def test_a_sign_off_line_of_two_divisions_side_by_side(tmp_path):
    doc = converted(
        tmp_path,
        "divisions.txt",
        lines(
            "关于征集科研专项需求建议的通知",
            "各有关单位：",
            "现就有关事项通知如下。",
            "北京市卫生健康委科教处　北京市中医管理局科教处",
            "2021年4月20日",
        ),
    )
    assert doc.meta["issuer"] == "北京市卫生健康委科教处"
    assert doc.meta["issuers"] == ["北京市卫生健康委科教处", "北京市中医管理局科教处"]


def test_a_seal_note_after_the_signer_is_no_part_of_the_issuer(tmp_path):
    doc = converted(
        tmp_path,
        "seal.txt",
        lines(
            "关于做好春季学期开学工作的通知",
            "各省、自治区、直辖市教育厅：",
            "现就有关事项通知如下。",
            "一、做好准备。",
            "教育部应对新型冠状病毒肺炎疫情工作领导小组办公室（代章）",
            "2020年2月10日",
        ),
    )
    assert doc.meta["issuer"] == "教育部应对新型冠状病毒肺炎疫情工作领导小组办公室"
    assert doc.meta["level"] == "national"


# --- numbers under a heading, numbers before a title ------------------------------------------


def test_a_gonggao_number_under_its_heading_is_the_organ_s_series_number(tmp_path):
    doc = converted(
        tmp_path,
        "gonggao.txt",
        lines(
            "国家税务总局公告",
            "2021年 第5号",
            "为贯彻落实党中央、国务院决策部署，现将有关事项公告如下：",
            "一、本公告自发布之日起施行。",
            "特此公告。",
            "国家税务总局",
            "2021年3月1日",
        ),
    )
    assert doc.meta["doc_number"] == "国家税务总局公告2021年第5号"
    assert doc.meta["doc_type"] == "公告"
    # its number alone ("第5号") is no 令's
    alone = converted(
        tmp_path,
        "gonggao-2.txt",
        lines(
            "国家税务总局关于延长申报期限的公告",
            "第5号",
            "现将有关事项公告如下：",
            "特此公告。",
            "国家税务总局",
            "2021年3月1日",
        ),
    )
    assert alone.meta["doc_number"] == "国家税务总局公告第5号"
    assert alone.meta["doc_type"] == "公告"


def test_a_decree_s_number_with_its_year_written_out(tmp_path):
    doc = converted(
        tmp_path,
        "ling.txt",
        lines(
            "中华人民共和国农业部令",
            "2010 年 第 4 号",
            "《农业植物疫情报告与发布管理办法》已经2010年1月4日农业部第1次常务会议审议通过，现予发布。",
            "部　长　　韩长赋",
            "二〇一〇年一月十八日",
        ),
    )
    assert doc.meta["doc_number"] == "中华人民共和国农业部令2010年第4号"


@pytest.mark.parametrize(
    ("line", "number", "issuer"),
    [
        (
            "（中华人民共和国国务院令第374号）",
            "中华人民共和国国务院令第374号",
            "中华人民共和国国务院",
        ),
        (
            "中华人民共和国卫生部令1992年第24号",
            "中华人民共和国卫生部令1992年第24号",
            "中华人民共和国卫生部",
        ),
        (
            "中华人民共和国对外贸易经济合作部令2000年第11号",  # (合作 names 合作市 too)
            "中华人民共和国对外贸易经济合作部令2000年第11号",
            "中华人民共和国对外贸易经济合作部",
        ),
    ],
)
def test_a_decree_s_number_under_a_reposted_regulation_s_title(tmp_path, line, number, issuer):
    doc = converted(
        tmp_path,
        "decree.txt",
        lines("中医药管理条例", line, "第一章　总则", "第一条　为了发展中医药，制定本条例。"),
    )
    assert (doc.meta["doc_number"], doc.meta["issuer"]) == (number, issuer)
    assert doc.meta["level"] == "national"
    assert doc.meta["doc_type"] == "条例"


def test_a_portal_title_that_puts_a_gonggao_s_number_first(tmp_path):
    doc = record(
        tmp_path,
        {
            "标题": "财政部 税务总局公告2020年第8号（关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告）",
            "正文": "为支持新型冠状病毒感染的肺炎疫情防控工作，现就有关税收政策公告如下：\n一、…\n特此公告。",
            "发布时间": "2020-02-06",
        },
    )
    assert doc.meta["title"] == "关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告"
    assert doc.meta["doc_number"] == "财政部 税务总局公告2020年第8号"


# --- a reposted law, a decree standing in a news page's body ----------------------------------


def test_a_reposted_law_is_named_by_its_title_marks_and_its_decree_is_the_president_s(tmp_path):
    doc = converted(
        tmp_path,
        "law.txt",
        lines(
            "《中华人民共和国疫苗管理法》全文",
            "6月29日，十三届全国人大常委会第十一次会议表决通过了疫苗管理法。",
            "新华社北京6月29日电：",
            "中华人民共和国主席令",
            "第三十号",
            "《中华人民共和国疫苗管理法》已由中华人民共和国第十三届全国人民代表大会常务委员会第十一次会议于2019年6月29日通过，现予公布，自2019年12月1日起施行。",
            "中华人民共和国主席　习近平",
            "2019年6月29日",
            "中华人民共和国疫苗管理法",
            "第一章　总则",
            "第一条　为了加强疫苗管理，制定本法。",
        ),
    )
    assert doc.meta["title"] == "中华人民共和国疫苗管理法"
    assert doc.meta["doc_number"] == "中华人民共和国主席令第30号"
    assert doc.meta["issuer"] == "中华人民共和国主席"
    assert doc.meta["doc_type"] == "法律"
    assert doc.meta["date"] == "2019-06-29"
    notes = [b.text for b in doc.blocks if b.kind == "note"]
    assert "第三十号" in notes  # the decree's number, no section heading


def test_a_title_in_title_marks_is_the_name_they_hold_a_title_that_cites_one_is_not(tmp_path):
    doc = record(
        tmp_path,
        {
            "title": "《北京市中医药条例》",
            "article": "<p>第一条　为了发展中医药事业，制定本条例。</p>",
        },
    )
    assert doc.meta["title"] == "北京市中医药条例"
    cited = record(
        tmp_path,
        {
            "title": "《北京市中医药条例》解读",
            "article": "<p>一、制定背景</p><p>为了发展中医药。</p>",
        },
    )
    assert cited.meta["title"] == "《北京市中医药条例》解读"


# --- the organs in brackets under a title; a plan named in quotes ------------------------------


def test_the_number_and_organs_in_brackets_under_a_title(tmp_path):
    doc = converted(
        tmp_path,
        "bracket.txt",
        lines(
            "沈阳市城市供水管理办法",
            "（沈政发〔2012〕15号　沈阳市人民政府　沈阳市水务局）",
            "第一条　为了加强城市供水管理，制定本办法。",
        ),
    )
    assert doc.meta["doc_number"] == "沈政发〔2012〕15号"
    assert doc.meta["issuer"] == "沈阳市人民政府"
    assert doc.meta["issuers"] == ["沈阳市人民政府", "沈阳市水务局"]
    # a bracket line of a date or a promulgation is no issuer's
    dated = converted(
        tmp_path,
        "bracket-2.txt",
        lines(
            "沈阳市城市供水管理办法",
            "（2012年5月10日沈阳市人民政府令第15号发布）",
            "第一条　为了加强城市供水管理，制定本办法。",
        ),
    )
    assert not dated.meta.get("issuers")


def test_a_plan_a_notice_issues_named_in_quotes(tmp_path):
    doc = converted(
        tmp_path,
        "quoted.txt",
        lines(
            "关于印发“衡南县中医药人才培养实施方案”的通知",
            "南卫发〔2021〕3号",
            "各乡镇卫生院：",
            "现将“衡南县中医药人才培养实施方案”印发给你们，请认真执行。",
            "衡南县卫生健康局",
            "二O二一年三月五日",
        ),
    )
    assert doc.meta["title"] == "衡南县中医药人才培养实施方案"
    assert doc.meta["doc_type"] == "方案"
    assert doc.meta["date"] == "2021-03-05"  # 二O二一: a letter O for the zero


# --- titles inferred from what a text says it is -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "genre"),
    [
        (  # a first article, its subject the clause the text goes on about
            (
                "第一章　总则\n第一条　为深入贯彻党的精神，加快交通强国建设，规范无人机物流配送管理，"
                "制定本规范。\n第二条　无人机物流配送管理应当遵守本规范。\n第三条　无人机物流配送企业"
                "应当建立无人机物流配送管理制度。\n第四条　无人机物流配送的飞行由无人机物流配送企业报告。"
                "\n第五条　规范无人机物流配送的安全管理。"
            ),
            "关于规范无人机物流配送管理的规范",
            "规范",
        ),
        (  # 为了, and a name without title marks
            "为了支持科技企业发展，现制定衡阳市科技企业研发补助资金管理细则。\n一、补助对象",
            "衡阳市科技企业研发补助资金管理细则",
            "细则",
        ),
        (  # the text's name in title marks, broken by a hard wrap
            "为落实党中央决策部署，推动标准化工作，制定《国家智能农机标准\n体系建设指南》。\n一、总体要求",
            "国家智能农机标准体系建设指南",
            "指南",
        ),
        (  # a basis clause that goes on to say its aim after the documents it names
            (
                "各单位：\n为落实《关于加强管理的意见》《关于试点的通知》进一步做好车辆召回管理工作，"
                "现将有关事项通知如下：\n一、总体要求"
            ),
            "关于进一步做好车辆召回管理工作的通知",
            "通知",
        ),
        (  # only a basis: its 关于X的决策部署
            "各部门：\n为贯彻落实党中央、国务院关于推进乡村振兴的重大决策部署，现提出以下意见。\n一、总体要求",
            "关于推进乡村振兴的意见",
            "意见",
        ),
        (
            "各有关单位：\n经研究，决定开展2024年度智慧农业示范项目申报工作。现将有关事项通知如下：\n一、申报条件",
            "关于开展2024年度智慧农业示范项目申报工作的通知",
            "通知",
        ),
        (  # a clause's joining conjunction and a short name's note are no part of the subject
            (
                "各高级人民法院：\n为提升智慧法院建设水平（以下简称“建设水平”），并正式启动评价工作，"
                "现将有关事项通知如下：\n一、评价指标"
            ),
            "关于提升智慧法院建设水平正式启动评价工作的通知",
            "通知",
        ),
        (
            "各有关单位：\n现就做好2024年防汛有关工作通知如下。\n一、压实责任",
            "关于做好2024年防汛有关工作的通知",
            "通知",
        ),
    ],
)
def test_a_text_without_a_title_line_is_titled_by_what_it_says_it_is(text, title, genre):
    assert infer_title(text, None) == (title, genre)


def test_a_decision_a_text_cites_is_no_decision_of_its_own():
    """决定 in a cited title (《……的决定》) says nothing of what the text decided."""
    text = (
        "各有关单位：\n根据《全国人民代表大会常务委员会关于加强网络信息保护的决定》、《电信条例》，"
        "现将加强移动终端进网管理有关要求进一步明确如下：\n一、……"
    )
    title, _ = infer_title(text, None)
    assert "《" not in title and "》" not in title
    assert title == "关于加强移动终端进网管理的通知"


def test_a_purpose_clause_cut_by_a_hard_wrap_is_no_title():
    assert title_fault("为深入贯彻落实党中央、国务院关于加快发展人工智能") == "sentence"
    assert title_fault("为民服务十件实事清单") is None  # 为 opening a title is no purpose clause


def test_a_title_s_notes_on_lines_of_their_own_are_the_title_s(tmp_path):
    doc = convert_text(
        lines(
            "智能船舶标准体系",
            "建设指南",
            "（征求意见稿）",
            "智能船舶是未来船舶发展的重点方向，",
            "一、总体要求",
        ),
        Path("notes.txt"),
    )
    assert doc.meta["title"] == "智能船舶标准体系建设指南（征求意见稿）"
    assert doc.meta["doc_type"] == "指南"
