"""Validity and versions (issue 27): what real documents say of their own force and of others',
resolved across an archive built from real sources, shown on the pages; and the hostile cases.

- The evidence read from real texts is held to what a careful reader takes from them
  (tests/data/validity-expectations.yaml: held-out documents and the archive's own sources).
- Real pairs, in an archive of copies of real sources: the 2019 and 2020 editions of the 非洲猪瘟
  plan (the newer repeals the older: versions, linked both ways, compared paragraph by
  paragraph), the 2006 and 2018 西安 地质灾害 预案 (the same title, the newer's cut to 市突发…,
  and 宝鸡's of the same words in another city), the decree 江西省人民政府令第232号 repealing
  令第161号 (a 161号 text written here, so that the repeal lands on a document), the 陆川 预案
  repealing its 2015 version that the archive lacks (the wanted list says so).
- Hostile: a document naming itself in its repeal sentence, a repeal of a same-titled document of
  another province, cycles of 代替 claims, an 有效期 with no date to count from, a certificate's
  有效期, an old document claiming a newer one, a repeal not yet in effect.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree

from scripts.archive.analyses import analysis
from scripts.archive.evidence import CONTINUES, DECLARED_LAPSED, PARTIAL, REPEAL, REPLACE, REVISE
from scripts.archive.versions import (
    ADDED,
    CANDIDATES,
    MOVED,
    REMOVED,
    REWORDED,
    UNCHANGED,
    align,
)
from scripts.ingest.convert import convert_file
from scripts.pages import web
from scripts.pages.validity_pages import compare_path
from scripts.pipeline.build import generate, load_archive

from .conftest import ROOT, SOURCES

EXPECTATIONS = yaml.safe_load(
    (ROOT / "tests" / "data" / "validity-expectations.yaml").read_text(encoding="utf-8")
)
# expectation key → the kind of claim it lists (exactly, or `_include`: at least these)
CLAIM_KEYS = {
    "repeals": REPEAL,
    "repeals_in_part": PARTIAL,
    "lapses": DECLARED_LAPSED,
    "continues": CONTINUES,
    "replaces": REPLACE,
    "revises": REVISE,
}


def named(ref, expected: list[str]) -> str:
    """The name a claim's reference goes by: the expected one it matches (its 文号 or its
    title), else its own."""
    number = str(ref.doc_number) if ref.doc_number else ""
    return next((e for e in expected if e in (number, ref.title)), number or ref.title)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            path,
            id=Path(path).name[:48],
            marks=[pytest.mark.xfail(strict=True, reason=want["known_miss"])]
            if "known_miss" in want
            else [],
        )
        for path, want in sorted(EXPECTATIONS.items())
    ],
)
def test_what_real_documents_say_of_their_force(path):
    want = EXPECTATIONS[path]
    doc = convert_file(ROOT / path)
    evidence = analysis(doc, "validity")
    refs = analysis(doc, "references")
    assert evidence.in_force_from == str(want.get("in_force_from", "")), want["says"]
    assert evidence.valid_until == str(want.get("valid_until", "")), want["says"]
    listed = [n for key in CLAIM_KEYS for n in want.get(key, []) + want.get(f"{key}_include", [])]
    said: dict[str, set[str]] = {}
    for claim in evidence.claims:
        said.setdefault(claim.kind, set()).update(named(refs[i], listed) for i in claim.refs)
    for key, kind in CLAIM_KEYS.items():
        found = said.get(kind, set())
        if key in want:
            assert found == set(want[key]), f"{kind}: {want['says']}"
        elif f"{key}_include" in want:
            assert set(want[f"{key}_include"]) <= found, f"{kind}: {want['says']}"
        else:
            assert not found, f"no {kind} is said in {path}, found {sorted(found)}"
    if "continues_include" in want:  # a document is on one list of a clean-up, never on both
        assert not said.get(REPEAL, set()) & said.get(CONTINUES, set())


# --- real pairs, in an archive of copies of real sources ---------------------------------------

FEIZHOU_2019 = "2019-feizhou-zhuwen-yiqing-yingji-fangan-nianban"
FEIZHOU_2020 = "2020-feizhou-zhuwen-yiqing-yingji-fangan-nianban"
XIAN_2006 = "2006-xian-tufa-dizhi-zaihai-yingji-yuan"
XIAN_2018 = "2018-xian-shi-tufa-dizhi-zaihai-yingji-yuan"
BAOJI_2008 = "2008-baoji-tufa-dizhi-zaihai-yingji-yuan"
DECREE_232 = "2018-jiangxi-renmin-zhengfu-feizhi-jiangxisheng-zhuming-shangbiao"
DECREE_161 = "2007-jiangxi-zhuming-shangbiao-renden-baohu-banfa"
LUCHUAN = "2022-luchuan-ziran-zaihai-jiuzhu-yingji-yuan"
HELDOUT = ROOT / "tests" / "data" / "heldout"

# The rules 令第232号 repeals, as their decree would open (written here: the archive lacks them).
DECREE_161_TEXT = """江西省人民政府令
第161号
《江西省著名商标认定和保护办法》已经2007年8月20日省人民政府第59次常务会议审议通过，现予公布，自2007年11月1日起施行。
省长
二〇〇七年九月十三日
江西省著名商标认定和保护办法
第一条　为了规范江西省著名商标的认定和保护工作，制定本办法。
第二十条　本办法自2007年11月1日起施行。
"""


def copy_source(stem: str, into: Path) -> None:
    for path in SOURCES.glob(f"{stem}.*"):
        shutil.copy2(path, into / path.name)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The archive of those real sources, every stage run, and the files the pages would be."""
    root = tmp_path_factory.mktemp("validity")
    sources = root / "sources"
    sources.mkdir()
    for stem in (FEIZHOU_2019, FEIZHOU_2020, XIAN_2006, XIAN_2018, BAOJI_2008, DECREE_232):
        copy_source(stem, sources)
    (sources / f"{DECREE_161}.txt").write_text(DECREE_161_TEXT, encoding="utf-8")
    (sources / f"{DECREE_161}.yml").write_text(
        f"id: {DECREE_161}\nadded: '2026-11-30'\n", encoding="utf-8"
    )
    shutil.copy2(
        HELDOUT / "h25-luchuan-ul-meta-yingji-yuan-tongzhi.html", sources / f"{LUCHUAN}.html"
    )
    (sources / f"{LUCHUAN}.yml").write_text(
        f"id: {LUCHUAN}\nadded: '2026-12-01'\n", encoding="utf-8"
    )
    archive = load_archive(root)
    return archive, archive.by_id(), generate(archive)


def test_a_newer_edition_that_repeals_the_older_makes_it_revised_linked_both_ways(real):
    _archive, by_id, files = real
    old, new = by_id[FEIZHOU_2019].meta, by_id[FEIZHOU_2020].meta
    assert old["status"] == "已修订"  # repealed by its own next edition: it has a new version
    assert old["status_evidence"]["kind"] == "废止"
    assert old["status_evidence"]["document"] == FEIZHOU_2020
    assert old["status_evidence"]["anchor"] == "p1"
    assert "同时废止" in old["status_evidence"]["quote"]
    assert old["replaced_by"] == [FEIZHOU_2020] and "repealed_by" not in old
    assert old["versions"] == new["versions"] == [FEIZHOU_2019, FEIZHOU_2020]
    assert {"how": "废止", "target": FEIZHOU_2019, "anchor": "p1"} in new["repeals"]
    old_page, new_page = files[f"doc/{FEIZHOU_2019}.md"], files[f"doc/{FEIZHOU_2020}.md"]
    banner = next(line for line in old_page.split("\n\n") if ".status-banner" in line)
    assert f"]({FEIZHOU_2020}.md)" in banner
    repealed = new_page.split("{#validity-repeals}")[1].split("###")[0]
    assert f"]({FEIZHOU_2019}.md)" in repealed and "](#p1)" in repealed
    compare = compare_path(FEIZHOU_2019, FEIZHOU_2020)
    assert f"../{compare}" in old_page.split("{#validity-versions}")[1]
    page = files[compare]
    assert f"../doc/{FEIZHOU_2019}.md#wenhao" in page and f"../doc/{FEIZHOU_2020}.md#wenhao" in page
    assert "<del>" in page and "<ins>" in page  # 农牧发〔2019〕5号 → 〔2020〕10号, reworded


def test_the_same_title_in_the_same_city_is_a_newer_version_and_another_citys_is_not(real):
    _, by_id, files = real
    assert by_id[XIAN_2018].meta["title"] == "市突发地质灾害应急预案"  # its title lost 西安
    assert by_id[XIAN_2006].meta["versions"] == [XIAN_2006, XIAN_2018]
    assert by_id[XIAN_2006].meta["status"] == "已修订"
    assert by_id[XIAN_2006].meta["status_evidence"]["kind"] == "同名新版"
    assert "versions" not in by_id[BAOJI_2008].meta  # 宝鸡市突发地质灾害应急预案: another city
    assert by_id[BAOJI_2008].meta["status"] != "已修订"
    assert compare_path(XIAN_2006, XIAN_2018) in files
    assert "compare/index.md" in files and XIAN_2018 in files["compare/index.md"]


def test_a_decree_that_repeals_another_shows_on_both(real):
    _, by_id, files = real
    repealed = by_id[DECREE_161].meta
    assert repealed["status"] == "已废止"
    assert repealed["repealed_by"] == [DECREE_232]
    assert repealed["status_evidence"]["anchor"] == "p3"  # 省政府决定废止《…》（…令第161号公布）
    assert repealed["status_evidence"]["date"] == "2018-05-09"  # the decree's 自公布之日起施行
    assert repealed["in_force_from"] == "2007-11-01"  # its own date stays, for the record
    assert {"how": "废止", "target": DECREE_161, "anchor": "p3"} in by_id[DECREE_232].meta[
        "repeals"
    ]
    assert by_id[DECREE_232].meta["status"] == "现行有效"
    page = files[f"doc/{DECREE_161}.md"]
    assert "**本文件已废止。**" in page and f"]({DECREE_232}.md)" in page
    assert f"{DECREE_232}.md#p3" in page  # the sentence that says it, linked
    assert "jiangxishengrenminzhengfuling-161" not in "".join(
        text for path, text in files.items() if path.startswith("wanted")
    )


def test_a_repeal_of_a_document_the_archive_lacks_goes_to_the_wanted_list(real):
    _, by_id, files = real
    [entry] = by_id[LUCHUAN].meta["repeals"]
    assert entry["doc_number"] == "陆政办发〔2015〕56号" and entry["wanted"]
    page = next(
        text
        for path, text in files.items()
        if path.startswith("wanted/") and f"{{#{entry['wanted']}}}" in text
    )
    block = page.split(f"{{#{entry['wanted']}}}")[1].split("\n## ")[0]
    assert f"../doc/{LUCHUAN}.md#" in block and "废止了它" in block


def test_statuses_are_counted_against_the_archives_newest_date(real):
    archive, _, files = real
    assert archive.as_of == "2026-12-07"  # the newest `added` of the sidecars copied
    assert "有效期按 2026-12-07" in files["browse/status.md"]
    for status_page in ("browse/status/yifeizhi.md", "browse/status/yixiuding.md"):
        assert status_page in files


def test_the_export_and_the_feed_carry_the_status(real):
    archive, _by_id, files = real
    rows = list(csv.DictReader(io.StringIO(files["export/documents.csv"].lstrip("\ufeff"))))
    assert {r["id"]: r["status"] for r in rows}[DECREE_161] == "已废止"
    relations = list(csv.DictReader(io.StringIO(files["export/relations.csv"].lstrip("\ufeff"))))
    assert {"source": DECREE_232, "relation": "repeals", "target": DECREE_161} in [
        {k: r[k] for k in ("source", "relation", "target")} for r in relations
    ]
    assert {"source": FEIZHOU_2020, "relation": "previous_version", "target": FEIZHOU_2019} in [
        {k: r[k] for k in ("source", "relation", "target")} for r in relations
    ]
    metas = [d.meta | {"description": ""} for d in archive.documents]
    feed = etree.fromstring(web.atom_feed(metas, "https://example.org/", "文库").encode())
    atom = "{http://www.w3.org/2005/Atom}"
    changes = {
        e.findtext(f"{atom}id"): e
        for e in feed.findall(f"{atom}entry")
        if e.find(f"{atom}category").get("term") == "效力变化"
    }
    entry = changes[f"https://example.org/doc/{DECREE_161}/#validity-2026-11-30"]
    assert entry.findtext(f"{atom}title").startswith("已废止：")
    assert "废止" in entry.findtext(f"{atom}summary")
    # dated the day the archive could tell: the later of the two documents' `added`
    assert entry.findtext(f"{atom}updated") == "2026-11-30T00:00:00Z"


def test_the_card_links_the_evidence_here_or_in_the_other_document(real):
    _, by_id, _ = real
    card = web.status_card(by_id[DECREE_161].meta)
    assert (card.label, card.href) == ("已废止", f"doc/{DECREE_232}/#p3")
    assert "2018-05-09" in card.summary and "废止" in card.summary
    own = web.status_card(by_id[DECREE_232].meta)
    assert (own.label, own.href) == ("现行有效", "#p1")


# --- hostile cases ------------------------------------------------------------------------------


def build(tmp_path: Path, texts: dict[str, tuple[str, str]]):
    """An archive of these texts: name → (text, added)."""
    (tmp_path / "sources").mkdir()
    for name, (text, added) in texts.items():
        (tmp_path / "sources" / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / "sources" / f"{name}.yml").write_text(
            f"id: {name}\nadded: '{added}'\n", encoding="utf-8"
        )
    archive = load_archive(tmp_path)
    return archive, archive.by_id()


def decree(
    number: int,
    title: str,
    day: str,
    rest: str,
    province: str = "江西省",
    starts: str = "自公布之日起施行",
) -> str:
    """A province's decree in the shape of the real ones (h12, h13, 令第232号): its 现予公布
    sentence, the governor's sign-off, the rules with their articles."""
    return (
        f"{province}人民政府令\n第{number}号\n《{title}》已经省人民政府常务会议审议通过，现予公布，"
        f"{starts}。\n省长\n{day}\n{title}\n第一条　为了加强管理，制定本办法。\n{rest}\n"
    )


def test_a_document_that_names_itself_in_its_repeal_sentence_repeals_nothing(tmp_path):
    own = "第二十条　本办法自2020年1月1日起施行，《江西省数据共享办法》（江西省人民政府令第250号）同时废止。"
    _archive, by_id = build(
        tmp_path,
        {"2019-self": (decree(250, "江西省数据共享办法", "2019年12月1日", own), "2026-01-01")},
    )
    meta = by_id["2019-self"].meta
    assert analysis(by_id["2019-self"], "validity").claims == ()
    assert meta["status"] == "现行有效" and "repeals" not in meta and "repealed_by" not in meta


def test_a_repeal_of_a_title_another_province_uses_leaves_that_province_alone(tmp_path):
    # the same words under Guangdong's decree: its own earlier 暂行办法 (which the archive lacks),
    # not Jiangxi's, and no version of Jiangxi's either (the edition word 暂行 aside, one key)
    jiangxi = decree(
        180, "突发事件应急预案管理暂行办法", "2015年3月1日", "第十条　本办法自2015年4月1日起施行。"
    )
    guangdong = decree(
        300,
        "突发事件应急预案管理办法",
        "2024年3月1日",
        "第十条　本办法自2024年4月1日起施行，原《突发事件应急预案管理暂行办法》同时废止。",
        province="广东省",
    )
    _archive, by_id = build(
        tmp_path,
        {"2015-jiangxi": (jiangxi, "2026-01-01"), "2024-guangdong": (guangdong, "2026-01-01")},
    )
    jx, gd = by_id["2015-jiangxi"].meta, by_id["2024-guangdong"].meta
    assert jx["status"] == "现行有效" and "repealed_by" not in jx and "versions" not in jx
    [entry] = gd["repeals"]
    assert "target" not in entry and entry["wanted"]  # its own province's, which the archive lacks


def test_a_title_naming_another_province_is_resolved_but_not_taken_as_a_repeal(tmp_path):
    jiangxi = decree(
        180, "江西省应急预案管理办法", "2015年3月1日", "第十条　本办法自2015年4月1日起施行。"
    )
    guangdong = decree(
        300,
        "广东省应急预案管理办法",
        "2024年3月1日",
        "第十条　本办法自2024年4月1日起施行，《江西省应急预案管理办法》同时废止。",
        province="广东省",
    )
    _archive, by_id = build(
        tmp_path,
        {"2015-jiangxi": (jiangxi, "2026-01-01"), "2024-guangdong": (guangdong, "2026-01-01")},
    )
    assert by_id["2015-jiangxi"].meta["status"] == "现行有效"
    assert "repeals" not in by_id["2024-guangdong"].meta
    assert any("not within" in w for w in by_id["2024-guangdong"].warnings)


@pytest.mark.parametrize("ring", [2, 3])
def test_a_cycle_of_replacement_claims_is_no_evidence(tmp_path, ring):
    names = ["甲", "乙", "丙"][:ring]
    texts = {}
    for k, name in enumerate(names):
        after = names[(k + 1) % ring]
        body = f"第十条　本办法自2020年5月1日起施行，本办法代替《江西省{after}项目管理办法》。"
        texts[f"2020-ring-{k}"] = (
            decree(400 + k, f"江西省{name}项目管理办法", "2020年4月1日", body),
            "2026-01-01",
        )
    _archive, by_id = build(tmp_path, texts)
    for k in range(ring):
        meta = by_id[f"2020-ring-{k}"].meta
        assert meta["status"] == "现行有效", meta.get("status_evidence")
        assert "replaced_by" not in meta and "versions" not in meta
        assert any("none of these claims" in w for w in by_id[f"2020-ring-{k}"].warnings)


def test_an_older_document_cannot_repeal_a_newer_one(tmp_path):
    old = decree(
        100,
        "江西省旧管理办法",
        "2015年3月1日",
        "第十条　本办法自2015年4月1日起施行，《江西省新管理办法》（江西省人民政府令第200号）同时废止。",
    )
    new = decree(200, "江西省新管理办法", "2020年3月1日", "第十条　本办法自2020年4月1日起施行。")
    _archive, by_id = build(
        tmp_path, {"2015-old": (old, "2026-01-01"), "2020-new": (new, "2026-01-01")}
    )
    assert by_id["2020-new"].meta["status"] == "现行有效"
    assert any("after the document" in w for w in by_id["2015-old"].warnings)


def test_a_term_with_no_date_to_count_from_is_unknown(tmp_path):
    text = (
        "关于加强项目资金管理的办法\n各有关单位：\n一、加强项目资金管理。\n二、本办法有效期5年。\n"
    )
    _archive, by_id = build(tmp_path, {"undated": (text, "2026-01-01")})
    meta = by_id["undated"].meta
    assert "date" not in meta and "valid_until" not in meta
    assert meta["status"] == "未知"
    assert meta["status_evidence"]["kind"] == "有效期"
    assert "有效期5年" in meta["status_evidence"]["quote"]


SPRING = "自2020年4月1日起施行"


def test_a_certificates_term_is_not_the_documents(tmp_path):
    body = "第九条　本办法所称许可证有效期为三年。\n第十条　本办法自2020年4月1日起施行。"
    _archive, by_id = build(
        tmp_path,
        {
            "2020-cert": (
                decree(500, "江西省许可管理办法", "2020年3月1日", body, starts=SPRING),
                "2026-01-01",
            )
        },
    )
    meta = by_id["2020-cert"].meta
    assert meta["in_force_from"] == "2020-04-01" and "valid_until" not in meta


def test_lapsed_and_not_yet_in_force_are_counted_against_the_archives_date(tmp_path):
    lapsed = decree(
        600, "江西省甲管理办法", "2019年3月1日", "第十条　本办法自2019年4月1日起施行，有效期五年。"
    )
    later = decree(
        601,
        "江西省乙管理办法",
        "2026年3月1日",
        "第十条　本办法自2027年1月1日起施行。",
        starts="自2027年1月1日起施行",
    )
    repeal_later = decree(
        602,
        "江西省丙管理办法",
        "2026年6月1日",
        "第十条　《江西省甲管理办法》（江西省人民政府令第600号）自2027年1月1日起废止。",
    )
    archive, by_id = build(
        tmp_path,
        {
            "2019-lapsed": (lapsed, "2025-01-01"),
            "2026-later": (later, "2026-06-30"),
            "2026-repeal-later": (repeal_later, "2026-06-30"),
        },
    )
    assert archive.as_of == "2026-06-30"
    meta = by_id["2019-lapsed"].meta
    # its term ended on 2024-03-31; the repeal that takes effect in 2027 has not happened yet
    assert (meta["status"], meta["valid_until"]) == ("已失效", "2024-03-31")
    assert meta["status_evidence"]["date"] == "2024-04-01" and "repealed_by" not in meta
    assert by_id["2026-later"].meta["status"] == "尚未施行"


# --- comparing two versions ---------------------------------------------------------------------


def test_a_moved_paragraph_reads_as_moved_not_as_removed_and_added():
    old = ["一、总则", "第一条 目的。", "第二条 适用范围。", "第三条 职责分工。", "第四条 附则。"]
    new = [
        "一、总则",
        "第一条 目的。",
        "第三条 职责分工。",
        "第二条 适用范围，包括各县区。",
        "第四条 附则。",
        "第五条 新增条款。",
    ]
    rows = align(old, new)
    changes = [(r.change, r.old, r.new, r.moved) for r in rows]
    assert (UNCHANGED, 0, 0, False) in changes and (UNCHANGED, 4, 4, False) in changes
    assert any(c == REWORDED and o == 2 and n == 3 for c, o, n, _ in changes)
    assert (MOVED, 3, 2, True) in changes or any(
        r.moved and r.old in (2, 3) for r in rows
    )  # one of the two swapped paragraphs moved, never a removal and an addition
    assert (ADDED, None, 5, False) in changes
    assert not [r for r in rows if r.change == REMOVED]


def test_identical_paragraphs_in_order_are_unchanged_and_a_removed_one_stays_in_its_place():
    old = ["甲。", "乙。", "丙。", "丁。"]
    rows = align(old, ["甲。", "乙。", "丁。"])
    assert [(r.change, r.old) for r in rows] == [
        (UNCHANGED, 0),
        (UNCHANGED, 1),
        (REMOVED, 2),
        (UNCHANGED, 3),
    ]


def test_pairing_compares_each_paragraph_with_a_few_others_only(monkeypatch):
    """Each new paragraph is compared with at most CANDIDATES old ones, found through the
    character pairs they share: the work grows with the paragraphs, not with their square."""
    import random

    from scripts.archive import versions

    calls = []
    real_likeness = versions.likeness
    monkeypatch.setattr(versions, "likeness", lambda m: calls.append(1) or real_likeness(m))
    rng = random.Random(27)
    alphabet = [chr(0x4E00 + k) for k in range(400)]
    old = ["".join(rng.choice(alphabet) for _ in range(30)) for _ in range(800)]
    new = [p[:10] + "".join(rng.choice(alphabet) for _ in range(3)) + p[13:] for p in old]
    rows = align(old, new)
    assert len(calls) <= CANDIDATES * len(new)
    assert [(r.change, r.old, r.new) for r in rows] == [(REWORDED, k, k) for k in range(800)]


def test_the_comparison_is_the_same_whatever_the_hash_seed():
    """Ties between candidate paragraphs are broken in the text's order, never in a set's (whose
    order changes with PYTHONHASHSEED): two builds of the same sources compare alike."""
    import os
    import subprocess
    import sys

    script = (
        "from pathlib import Path\n"
        "from scripts.archive.versions import align, paragraphs\n"
        "from scripts.ingest.convert import convert_file\n"
        f"old, new = (paragraphs(convert_file(Path({str(SOURCES)!r}) / (n + '.json'))) "
        f"for n in ({XIAN_2006!r}, {XIAN_2018!r}))\n"
        "print(align([b.text for b in old], [b.text for b in new]))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=dict(os.environ, PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_a_replacement_under_another_title_chains_the_versions_and_a_partial_repeal_does_not(
    tmp_path,
):
    old = decree(
        150, "江西省政府投资项目管理办法", "2015年3月1日", "第十条　本办法自2015年4月1日起施行。"
    )
    part = decree(
        160, "江西省项目资金管理办法", "2016年3月1日", "第十条　本办法自2016年4月1日起施行。"
    )
    new = decree(
        250,
        "江西省政府投资管理办法",
        "2020年3月1日",
        "第九条　《江西省项目资金管理办法》（江西省人民政府令第160号）第五条同时废止。\n"
        "第十条　本办法自2020年4月1日起施行，代替《江西省政府投资项目管理办法》（江西省人民政府令第150号）。",
    )
    _, by_id = build(
        tmp_path,
        {
            "2015-old": (old, "2026-01-01"),
            "2016-part": (part, "2026-01-01"),
            "2020-new": (new, "2026-01-01"),
        },
    )
    replaced, partly, newer = (by_id[i].meta for i in ("2015-old", "2016-part", "2020-new"))
    assert (replaced["status"], replaced["status_evidence"]["kind"]) == ("已修订", "代替")
    assert replaced["versions"] == newer["versions"] == ["2015-old", "2020-new"]
    assert (partly["status"], partly["status_evidence"]["kind"]) == ("已修订", "部分废止")
    assert partly["replaced_by"] == ["2020-new"] and "versions" not in partly
    assert {e["how"] for e in newer["repeals"]} == {"代替", "部分废止"}
