"""The gazetteer and the rules that tell which place a name, an issuer or a document means."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts.core import places
from scripts.core.places import (
    NATIONAL,
    mentions,
    place_of_issuer,
    place_of_subject,
    region_fields,
    resolve,
)


def test_gazetteer_comes_from_the_dataset_with_codes_for_all_of_china():
    g = places.gazetteer()
    assert len(g) > 3000  # 34 provinces, ~330 cities, ~2800 counties
    assert g["430422"].name == "衡南县" and g["430422"].parent == "430400"
    assert g["430400"].name == "衡阳市" and g["430400"].level == "city"
    assert g["430000"].level == "province" and places.parent_of(g["430000"]) is NATIONAL
    assert places.place("000000") is NATIONAL and "000000" not in g


@pytest.mark.parametrize(
    "name, code, level",
    [
        ("衡阳县", "430421", "county"),
        ("衡阳市", "430400", "city"),
        ("衡阳", "430400", "city"),  # the short name of both: the wider one, as people say it
        ("长沙县", "430121", "county"),
        ("长沙市", "430100", "city"),
        ("常宁市", "430482", "county"),  # 县级市: a city in name, county level
        ("衡東縣", "430424", "county"),  # traditional characters
    ],
)
def test_names_resolve_to_the_right_place(name, code, level):
    p = resolve(name)
    assert (p.code, p.level) == (code, level)


def test_a_name_in_several_cities_needs_a_parent():
    assert resolve("朝阳区") is None  # 北京市朝阳区 or 长春市朝阳区: not guessed
    assert resolve("朝阳区", [resolve("长春市")]).code == "220104"
    assert resolve("朝阳区", [resolve("北京市")]).code == "110105"
    assert place_of_issuer("长春市朝阳区人民政府").code == "220104"
    assert place_of_issuer("北京市朝阳区发展和改革委员会").code == "110105"
    assert place_of_issuer("朝阳区人民政府") is None


@pytest.mark.parametrize(
    "issuer, name",
    [
        ("衡南县人民政府办公室", "衡南县"),
        ("湖北省經濟和信息化廳", "湖北省"),
        ("中共衡阳市委办公室", "衡阳市"),
        ("衡东县委宣传部", "衡东县"),
        ("衡阳县人民政府", "衡阳县"),
        ("湖南省衡阳市衡南县农业农村局", "衡南县"),
    ],
)
def test_issuer_gives_the_place(issuer, name):
    assert place_of_issuer(issuer).name == name


@pytest.mark.parametrize(
    "issuer", ["国务院办公厅", "财政部", "农业农村部办公厅", "国家发展改革委", "中共中央办公厅"]
)
def test_national_issuers(issuer):
    assert region_fields(issuer, "关于推进县域经济高质量发展的意见", "") == {
        "level": "national",
        "region": "全国",
        "region_code": "000000",
    }


def test_a_place_issuer_is_never_national():
    assert region_fields("衡东县委宣传部", "x", "")["level"] == "county"


def test_subject_of_a_report_without_issuer():
    text = "衡东县经济工作会议召开。去年衡东完成地区生产总值391亿元，高于全市水平。衡东县将加快建设县域经济强县。衡阳市委要求……"
    assert place_of_subject("“六大支撑”助力衡东迈向县域经济强县", text).name == "衡东县"
    assert (
        place_of_subject(
            "衡阳目标篇①政府工作报告解读", "加快建设名副其实的省域副中心城市，“衡阳目标”……衡阳茶油"
        ).name
        == "衡阳市"
    )
    assert place_of_subject("政府工作报告解读", "今年的目标是增长6%。") is None


def test_the_subject_朝阳区_takes_the_city_the_text_names():
    title = "朝阳区推进县域商业体系建设"
    assert (
        place_of_subject(
            title, "北京市商务局与朝阳区共同召开推进会。朝阳区将新建便民商业网点。"
        ).code
        == "110105"
    )
    assert (
        place_of_subject(title, "长春市朝阳区召开推进会。朝阳区将新建便民商业网点。").code
        == "220104"
    )
    assert place_of_subject(title, "朝阳区召开推进会。朝阳区将新建便民商业网点。") is None


def test_words_that_only_look_like_places_are_not_places():
    names = [m.name for m in mentions("衡阳县域经济，衡阳市场繁荣，中心城区和郊区，提高县级统筹")]
    assert (
        "衡阳县" not in names
        and "衡阳市" not in names
        and "城区" not in names
        and "郊区" not in names
    )
    # a one-character stem (和县, 高县) is weak unless its parent introduces it
    weak = {m.name: m.weak for m in mentions("街道办事处）和县直单位；宜宾市高县；乡镇和县直单位")}
    assert weak == {"和县": True, "宜宾市": False, "高县": False}
    found = places.resolve_mentions(mentions("街道办事处）和县直单位"), hints=[resolve("衡南县")])
    assert found == []  # 和县 is in 安徽, far from a 衡南县 document


def test_place_urls_are_pinyin_and_unique():
    assert places.url_path(resolve("衡南县")) == "hunan/hengyang/hengnan/"
    assert places.url_path(resolve("湖北省")) == "hubei/"
    assert places.url_path(NATIONAL) == "quanguo/"
    # a county named like its city does not share its city's path segment
    assert places.url_path(resolve("衡阳县")) == "hunan/hengyang/hengyangxian/"
    assert places.url_path(resolve("陕西省")) != places.url_path(resolve("山西省"))
    paths = [places.url_path(p) for p in places.gazetteer().values()]
    assert len(paths) == len(set(paths))
    assert all(path.isascii() for path in paths)


# Place names whose characters pypinyin reads as everyday words (朝阳 zhāoyáng "morning sun",
# 长治 zhǎng, 单 dān, 洪洞 dòng, 涡 wō, 浚 jùn), next to well-known ones it already reads right.
@pytest.mark.parametrize(
    "name, token",
    [
        ("朝阳市", "chaoyang"),
        ("朝阳县", "chaoyangxian"),
        ("单县", "shanxian"),
        ("六安市", "luan"),
        ("蚌埠市", "bengbu"),
        ("番禺区", "panyu"),
        ("丽水市", "lishui"),
        ("乐清市", "yueqing"),
        ("长治市", "changzhi"),
        ("长子县", "changzi"),
        ("东阿县", "donge"),
        ("大城县", "dacheng"),
        ("长沙市", "changsha"),
        ("长春市", "changchun"),
        ("洪洞县", "hongtong"),
        ("涡阳县", "guoyang"),
        ("浚县", "xunxian"),
        ("六合区", "luhe"),
        ("什邡市", "shifang"),
        ("闵行区", "minhang"),
        ("乐亭县", "laoting"),
        ("铅山县", "yanshan"),
        ("蔚县", "yuxian"),
        ("黄陂区", "huangpi"),
        ("漯河市", "luohe"),
        ("都匀市", "duyun"),
        ("信都区", "xindu"),
        ("郫都区", "pidu"),
        ("石鼓区", "shigu"),
        ("栖霞市", "qixia"),
        ("中牟县", "zhongmu"),
        ("龙圩区", "longxu"),
    ],
)
def test_place_urls_read_polyphonic_names_as_places(name, token):
    assert places.url_token(resolve(name)) == token


def test_published_place_urls_keep_their_reading():
    for name, path in [
        ("湖南省", "hunan/"),
        ("衡阳市", "hunan/hengyang/"),
        ("衡南县", "hunan/hengyang/hengnan/"),
        ("衡东县", "hunan/hengyang/hengdong/"),
        ("湖北省", "hubei/"),
    ]:
        assert places.url_path(resolve(name)) == path


def test_place_readings_stay_out_of_document_text():
    """The place dictionary is read, not loaded into pypinyin: 朝阳产业 in a title keeps its reading."""
    from pypinyin import lazy_pinyin

    places.url_token(resolve("朝阳市"))
    assert lazy_pinyin("朝阳产业")[:2] == ["zhao", "yang"]


def test_a_sidecar_region_brings_its_code_and_level(tmp_path):
    from scripts.ingest.convert import convert_text

    text = "衡阳市人民政府办公室\n关于做好县域经济工作的通知\n各县市区:\n请认真落实。\n衡阳市人民政府办公室\n2024年1月2日\n"
    doc = convert_text(text, tmp_path / "x.txt", {"overrides": {"region": "衡东县"}})
    assert (doc.meta["region"], doc.meta["region_code"], doc.meta["level"]) == (
        "衡东县",
        "430424",
        "county",
    )
    doc = convert_text(text, tmp_path / "x.txt", {"overrides": {"region": "长春市朝阳区"}})
    assert (doc.meta["region"], doc.meta["region_code"]) == ("朝阳区", "220104")
    doc = convert_text(text, tmp_path / "x.txt")
    assert (doc.meta["region"], doc.meta["region_code"], doc.meta["level"]) == (
        "衡阳市",
        "430400",
        "city",
    )


@given(
    st.text(alphabet="衡阳南东县市区长沙朝阳和高示范域场省湖北南京（）《》，。 ab1", max_size=60)
)
def test_finding_places_never_raises_and_never_overlaps(text):
    found = mentions(text, shorts=True)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for m in found:
        assert text[m.start : m.end] == m.name


def test_traditional_place_names_are_found_at_their_own_offsets():
    """A document in traditional characters links 潛江市 and 武漢市 like 仙桃市 and 十堰市."""
    text = (
        "依托仙桃市、潛江市等電子信息產業基礎，發揮武漢市、黃石市、襄陽市、十堰市等地產業帶動作用"
    )
    found = places.resolve_mentions(mentions(text))
    assert [(text[m.start : m.end], p.name) for m, p in found] == [
        ("仙桃市", "仙桃市"),
        ("潛江市", "潜江市"),
        ("武漢市", "武汉市"),
        ("黃石市", "黄石市"),
        ("襄陽市", "襄阳市"),
        ("十堰市", "十堰市"),
    ]
    assert place_of_issuer("湖北省經濟和信息化廳") == resolve("湖北省")


def test_title_words_read_place_names_as_places():
    """A place named in a title reads as on its page (document ids, anchors); a word that only
    looks like one keeps its everyday reading (朝阳产业, a sunrise industry)."""
    from scripts.core.slug import document_id, slugify

    assert slugify("关于支持长治市产业发展的意见") == "zhichi-changzhishi-chanye-fazhan-yijian"
    assert slugify("单县乡村振兴规划").startswith("shanxian-")
    assert slugify("朝阳产业发展").startswith("zhaoyang-")
    meta = {
        "date": "2024-05-01",
        "title": "长治市县域经济振兴方案",
        "region": "长治市",
        "region_code": "140400",
    }
    assert document_id(meta) == "2024-changzhi-xianyu-jingji-zhenxing-fangan"


def test_a_district_named_by_an_everyday_word_is_a_place_only_near_its_own():
    """老城区 is 洛阳's district and every city's old town: a 江西 notice's 老城区 links nowhere."""
    jiangxi, henan = resolve("江西省"), resolve("河南省")
    text = "老城区和已建成无婴幼儿照护服务设施的居住小区，2025年前要建设照护服务设施。"
    assert places.resolve_mentions(mentions(text), hints=[jiangxi]) == []
    assert [p.name for _, p in places.resolve_mentions(mentions(text), hints=[henan])] == ["老城区"]
    named = places.resolve_mentions(mentions("洛阳市老城区人民政府"), hints=[jiangxi])
    assert [p.name for _, p in named] == ["洛阳市", "老城区"]  # after its parent's name
