"""Relations across the archive: references resolved, cites / cited by / implements, wanted list.

Unit tests run the real pipeline (`load_archive`) on small sources written here; the done-when
test adds a city plan and a province plan (tests/fixtures/, written for this test in the style of
the scraped seeds) to a throwaway copy of the project with `python -m scripts add`, and looks at
the site MkDocs builds from it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from scripts.archive.relations import wanted_path
from scripts.pages.relation_pages import WANTED_PAGE
from scripts.pipeline.build import generate, load_archive

from .conftest import ROOT, copy_project, run

FIXTURES = Path(__file__).parent / "fixtures"
CITY_PLAN = FIXTURES / "hengyang-bada-xingdong-zongti-fangan.txt"
PROVINCE_PLAN = FIXTURES / "hunan-bada-xingdong-zongti-fangan.txt"
COUNTY = "2024-hengnan-bada-xingdong-zongti-fangan"
CITY = "2024-hengyang-bada-xingdong-zongti-fangan"
PROVINCE = "2024-hunan-bada-xingdong-zongti-fangan"


def archive_of(tmp_path: Path, sources: dict[str, str]):
    (tmp_path / "sources").mkdir()
    for name, text in sources.items():
        (tmp_path / "sources" / f"{name}.txt").write_text(text, encoding="utf-8")
    return load_archive(tmp_path)


def notice(issuer: str, number: str, date: str, title: str, body: str) -> str:
    return f"{number}\n{issuer}\n关于印发《{title}》的通知\n各有关单位:\n现将《{title}》印发给你们,请认真贯彻执行。\n{issuer}\n{date}\n{title}\n{body}\n"


def html(site: Path, rel: str) -> BeautifulSoup:
    path = site / rel / "index.html"
    assert path.exists(), f"{rel} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def section_links(soup: BeautifulSoup, anchor: str) -> list[str]:
    """The hrefs listed under one heading of the relations panel."""
    heading = soup.find(id=anchor)
    if heading is None:
        return []
    listing = heading.find_next_sibling()
    return (
        [a["href"] for a in listing.find_all("a")]
        if listing is not None and listing.name == "ul"
        else []
    )


# --- on the seeds ----------------------------------------------------------------------------


def test_seed_county_plan_wants_the_city_plan():
    archive = load_archive(ROOT)
    county = archive.by_id()[COUNTY]
    [entry] = [c for c in county.meta["cites"] if c.get("doc_number") == "衡政办发〔2024〕5号"]
    assert "target" not in entry and entry["wanted"]
    wanted = generate(archive)[wanted_path(entry["wanted"])]
    block = wanted.split(f"{{#{entry['wanted']}}}")[1].split("\n## ")[0]
    assert "衡政办发〔2024〕5号" in block
    assert wanted.split(f" {{#{entry['wanted']}}}")[0].endswith(
        "## 《衡阳市实施“八大行动”总体方案》"
    )
    assert f"doc/{COUNTY}.md" in block


def test_a_missing_basis_shows_as_wanted_under_its_higher_level_document(tmp_path):
    """上级文件 is not 无 when the document names its basis and the archive lacks it: the basis
    of the statement of purpose is listed as 未收录; a 落实《…》 deep in a section is not."""
    archive = archive_of(
        tmp_path,
        {
            "xian": notice(
                "衡南县人民政府办公室",
                "南政办发〔2024〕6号",
                "2024年3月1日",
                "衡南县产业发展方案",
                "根据《衡阳市产业发展方案》（衡政办发〔2024〕9号）精神，结合我县实际，特制定本方案。\n"
                "一、主要任务\n全面落实《衡阳市人才工作办法》，按照《衡南县工作规则》执行。",
            ),
        },
    )
    [doc] = archive.documents
    [panel] = [s for s in archive.sections[doc.meta["id"]] if "{#relations-implements}" in s]
    above = panel.split("{#relations-implements}")[1].split("###")[0]
    assert "衡政办发〔2024〕9号" in above and "未收录" in above
    assert "人才工作办法" not in above and "工作规则" not in above
    assert "人才工作办法" in panel.split("{#relations-cites}")[1]  # still a citation


def test_seed_place_pages_and_breadcrumbs(site):
    for rel, name in (
        ("hunan", "湖南省"),
        ("hunan/hengyang", "衡阳市"),
        ("hunan/hengyang/hengnan", "衡南县"),
        ("hunan/hengyang/hengdong", "衡东县"),
        ("hubei", "湖北省"),
        ("quanguo", "全国"),
    ):
        h1 = html(site, rel).h1
        for permalink in h1.select(".headerlink"):
            permalink.decompose()
        assert h1.get_text(strip=True) == name
    city = html(site, "hunan/hengyang")
    assert {a.get_text() for a in city.select("#subplaces + ul a")} >= {"衡南县", "衡东县"}
    county_page = html(site, f"doc/{COUNTY}")
    crumb = [
        a.get_text() for a in county_page.select(".doc-card__place a")
    ]  # the card draws place_path
    assert crumb == ["全国", "湖南省", "衡阳市", "衡南县"]  # the chain the place pages draw
    place_crumb = [
        a.get_text() for a in html(site, "hunan/hengyang/hengnan").select(".place-breadcrumb a")
    ]
    assert place_crumb == crumb[:-1]
    assert county_page.select_one(".doc-card__place a[href$='hunan/hengyang/hengnan/']") is not None


def test_browse_by_place_headings_link_to_place_pages(site):
    index = html(site, "browse/places")  # provinces, and their places with counts
    entry = index.find("a", href="hunan/#p430422")
    assert entry is not None and entry.get_text() == "湖南省 › 衡阳市 › 衡南县"
    soup = html(site, "browse/places/hunan")
    heading = soup.find(id="p430422")
    assert [a.get_text() for a in heading.find_all("a", href=lambda h: "#" not in h)] == [
        "湖南省",
        "衡阳市",
        "衡南县",
    ]
    assert heading.find("a", string="衡南县")["href"] == "../../../hunan/hengyang/hengnan/"
    assert heading.find_next("ul").find(
        "a", href="../../../doc/2024-hengnan-bada-xingdong-zongti-fangan/"
    )
    for h2 in soup.select("article h2"):  # every heading of a known place leads to a built page
        for a in h2.find_all("a", href=lambda h: "#" not in h):
            assert (
                (site / "browse" / "places" / "hunan" / a["href"] / "index.html")
                .resolve()
                .is_file()
            ), a["href"]


def test_first_mention_of_a_place_in_each_section_links_to_its_page(site):
    soup = html(site, "doc/2023-hengyang-zhengxie-291-hao-tian-dafu")
    links = [a for a in soup.select("article p a") if "/hunan/" in a["href"]]
    names = [a.get_text() for a in links]
    assert "常宁市" in names and "衡阳县" in names
    for p in soup.select("article p"):
        texts = [a.get_text() for a in p.find_all("a")]
        assert len(texts) == len(set(texts))  # never twice in one paragraph


# --- on small archives written here ----------------------------------------------------------


def test_basis_cue_and_same_named_plan_make_implements(tmp_path):
    archive = archive_of(
        tmp_path,
        {
            "a": notice(
                "长沙市人民政府办公厅",
                "长政办发〔2023〕7号",
                "2023年5月4日",
                "长沙市县域经济振兴方案",
                "全市县域经济加快发展。",
            ),
            "b": notice(
                "长沙县人民政府办公室",
                "长县政办发〔2023〕9号",
                "2023年6月1日",
                "长沙县产业发展行动计划",
                "按照长政办发(2023)7号文件精神,结合我县实际,制定本计划。",
            ),
            "c": notice(
                "长沙县人民政府办公室",
                "长县政办发〔2024〕10号",
                "2024年6月2日",
                "长沙县县域经济振兴方案",
                "全县上下共同努力。",
            ),
            "d": notice(
                "浏阳市人民政府办公室",
                "浏政办发〔2023〕3号",
                "2023年6月3日",
                "浏阳市人才工作要点",
                "参见长政办发[2023]7號。",
            ),
        },
    )
    by_id = {d.meta["title"]: d.meta for d in archive.documents}
    city = by_id["长沙市县域经济振兴方案"]
    assert by_id["长沙县产业发展行动计划"]["implements"] == [city["id"]]  # cited with 按照 … 精神
    assert by_id["长沙县县域经济振兴方案"]["implements"] == [
        city["id"]
    ]  # the same-named plan, not cited
    assert "implements" not in by_id["浏阳市人才工作要点"]  # cited, but not as its basis
    assert by_id["浏阳市人才工作要点"]["cites"] == [
        {"doc_number": "长政办发〔2023〕7號", "target": city["id"]}
    ]
    assert sorted(city["cited_by"]) == sorted(
        [by_id["长沙县产业发展行动计划"]["id"], by_id["浏阳市人才工作要点"]["id"]]
    )
    assert len(city["implemented_by"]) == 2
    assert "长沙县" not in [
        d.meta["region"] for d in archive.documents if d.meta["title"] == "长沙市县域经济振兴方案"
    ]


def test_a_title_without_a_place_only_resolves_within_the_place_chain(tmp_path):
    archive = archive_of(
        tmp_path,
        {
            "hb": notice(
                "湖北省人民政府",
                "鄂政发〔2018〕1号",
                "2018年1月2日",
                "关于推动县域经济高质量发展的意见",
                "正文。",
            ),
            "hn": notice(
                "衡南县人民政府办公室",
                "南政办发〔2019〕2号",
                "2019年1月2日",
                "衡南县工作方案",
                "根据《关于推动县域经济高质量发展的意见》精神,制定本方案。",
            ),
            "xt": notice(
                "仙桃市人民政府办公室",
                "仙政办发〔2019〕3号",
                "2019年1月3日",
                "仙桃市工作方案",
                "根据省政府《關於推動縣域經濟高質量發展的意見》精神,制定本方案。",
            ),
        },
    )
    by_title = {d.meta["title"]: d.meta for d in archive.documents}
    hubei = by_title["关于推动县域经济高质量发展的意见"]["id"]
    assert "target" not in by_title["衡南县工作方案"]["cites"][0]  # 湖南 does not cite 湖北's
    assert by_title["仙桃市工作方案"]["cites"][0]["target"] == hubei  # traditional, inside 湖北
    assert by_title["仙桃市工作方案"]["implements"] == [hubei]


def test_same_titled_plans_of_a_county_and_its_namesake_city_get_distinct_ids(tmp_path):
    """衡阳县 and 衡阳市 share the short name 衡阳: the id takes each place's URL token."""
    archive = archive_of(
        tmp_path,
        {
            "xian": notice(
                "衡阳县人民政府办公室",
                "衡县政办发〔2024〕2号",
                "2024年3月1日",
                "衡阳县县域经济振兴方案",
                "正文。",
            ),
            "shi": notice(
                "衡阳市人民政府办公室",
                "衡政办发〔2024〕8号",
                "2024年3月2日",
                "衡阳市县域经济振兴方案",
                "正文。",
            ),
        },
    )
    ids = {d.meta["region"]: d.meta["id"] for d in archive.documents}
    assert ids == {
        "衡阳县": "2024-hengyangxian-xianyu-jingji-zhenxing-fangan",
        "衡阳市": "2024-hengyang-xianyu-jingji-zhenxing-fangan",
    }


def test_links_in_text_keep_source_text_escaped(tmp_path):
    archive = archive_of(
        tmp_path,
        {
            "a": notice(
                "衡阳市人民政府",
                "衡政发〔2024〕1号",
                "2024年1月2日",
                "衡阳市*重点*[项目]方案",
                "正文。",
            ),
            "b": notice(
                "衡南县人民政府",
                "南政发〔2024〕2号",
                "2024年2月2日",
                "衡南县方案",
                "根据《衡阳市*重点*[项目]方案》<script>alert(1)</script>精神,制定本方案。",
            ),
        },
    )
    page = generate(archive)[
        f"doc/{next(d for d in archive.documents if d.meta['title'] == '衡南县方案').meta['id']}.md"
    ]
    target = next(d.meta["id"] for d in archive.documents if d.meta["title"].startswith("衡阳市"))
    assert f"[《衡阳市\\*重点\\*\\[项目\\]方案》]({target}.md)" in page
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_a_reference_the_archive_lacks_links_to_its_wanted_entry_escaped(tmp_path):
    archive = archive_of(
        tmp_path,
        {
            "a": notice(
                "衡阳市人民政府", "衡政发〔2024〕1号", "2024年1月2日", "衡阳市方案", "正文。"
            ),
            "b": notice(
                "衡南县人民政府",
                "南政发〔2024〕2号",
                "2024年2月2日",
                "衡南县方案",
                '根据《衡阳市方案》和《湖南省*重点*[项目](javascript:alert(1))"x"规划》<b>精神</b>,制定本方案。',
            ),
        },
    )
    doc = next(d for d in archive.documents if d.meta["title"] == "衡南县方案")
    pages = generate(archive)
    page = pages[f"doc/{doc.meta['id']}.md"]
    [entry] = [c for c in doc.meta["cites"] if "target" not in c]
    target = next(d.meta["id"] for d in archive.documents if d.meta["title"] == "衡阳市方案")
    assert f"[《衡阳市方案》]({target}.md)和" in page  # resolved: still the document itself
    wanted_link = re.search(
        r"\[(《湖南省[^\n]*?规划》)\]\(\.\./(wanted/[a-z]+\.md)#([a-z0-9-]+) \"(未收录[^\"]*)\"\)\{: \.ref-wanted \}",
        page,
    )
    assert wanted_link, page
    assert wanted_link[3] == entry["wanted"] and wanted_link[2] == wanted_path(entry["wanted"])
    assert (
        f"{{#{entry['wanted']}}}" in pages[wanted_link[2]]
        and f"{wanted_link[2]}#{entry['wanted']}" in pages[WANTED_PAGE]
    )
    assert wanted_link[1] == '《湖南省\\*重点\\*\\[项目\\](javascript:alert(1))"x"规划》'
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_seed_wanted_reference_in_the_text_is_a_marked_link(site):
    soup = html(site, f"doc/{COUNTY}")
    links = soup.select("article p a.ref-wanted")
    assert links and all(
        re.match(r"\.\./\.\./wanted/[a-z]+/#", a["href"]) and "未收录" in a["title"] for a in links
    )
    assert "../../wanted/h/#hengzhengbanfa-2024-5" in {a["href"] for a in links}
    assert not soup.select("article p a.ref-wanted[href*='/doc/']")
    assert "{:" not in soup.find("meta", attrs={"name": "description"})["content"]


# --- done when: a maintainer adds the city plan, then the province plan -----------------------


def wanted_entries(site: Path) -> list[str]:
    """Each entry of the wanted pages (wanted/<letter>/): its heading and facts (文号), without the
    citing documents."""
    entries = []
    letter_pages = sorted((site / "wanted").glob("*/index.html"))
    assert letter_pages
    for h2 in (
        h
        for page in letter_pages
        for h in html(site, page.parent.relative_to(site).as_posix()).select("article h2")
    ):
        text = [h2.get_text()]
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2" or sibling.name == "ul":
                break
            text.append(sibling.get_text())
        entries.append(" ".join(text))
    return entries


def add(project: Path, file: Path) -> None:
    run([sys.executable, "-m", "scripts", "add", str(file), "--root", str(project)], cwd=ROOT)


def mkdocs(project: Path) -> Path:
    run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(project / "mkdocs.yml"),
        ],
        cwd=project,
    )
    return project / "site"


def test_adding_the_cited_plans_links_the_chain_without_other_edits(tmp_path):
    project = copy_project(tmp_path, converted=True)
    sources_before = set((project / "sources").iterdir())

    add(project, CITY_PLAN)
    site = mkdocs(project)
    assert {p.name for p in set((project / "sources").iterdir()) - sources_before} == {
        f"{CITY}.txt",
        f"{CITY}.yml",
    }
    county, city = html(site, f"doc/{COUNTY}"), html(site, f"doc/{CITY}")
    # the county plan links up to the city plan: in its text, and as its 上级文件
    in_text = [a for a in county.select("article p a") if a["href"].endswith(f"/{CITY}/")]
    assert in_text and "衡政办发〔2024〕5号" in in_text[0].get_text()
    assert any(h.endswith(f"/{CITY}/") for h in section_links(county, "relations-implements"))
    assert section_links(county, "relations-implemented-by") == []
    # the city plan lists the county plan under 下级落实 and 被引用
    assert any(h.endswith(f"/{COUNTY}/") for h in section_links(city, "relations-implemented-by"))
    assert any(h.endswith(f"/{COUNTY}/") for h in section_links(city, "relations-cited-by"))
    wanted = wanted_entries(site)
    assert not any("衡政办发〔2024〕5号" in w for w in wanted)
    assert any("湘政办发〔2024〕3号" in w for w in wanted)
    assert "衡阳市" in [a.get_text() for a in city.select(".doc-card__place a")]

    add(project, PROVINCE_PLAN)
    site = mkdocs(project)
    city, province = html(site, f"doc/{CITY}"), html(site, f"doc/{PROVINCE}")
    assert any(h.endswith(f"/{PROVINCE}/") for h in section_links(city, "relations-implements"))
    assert any(h.endswith(f"/{CITY}/") for h in section_links(province, "relations-implemented-by"))
    assert any(h.endswith(f"/{CITY}/") for h in section_links(province, "relations-cited-by"))
    assert not any("湘政办发〔2024〕3号" in w for w in wanted_entries(site))
    # the place pages list the new plans, newest first
    hunan = html(site, "hunan")
    assert [a["href"].rstrip("/").split("/")[-1] for a in hunan.select("#documents + ul a")] == [
        PROVINCE
    ]
    hengyang_docs = [
        a["href"].rstrip("/").split("/")[-1]
        for a in html(site, "hunan/hengyang").select("#documents + ul a")
    ]
    assert hengyang_docs[0] == CITY
    # nothing but the two sources and their sidecars was added by hand
    assert {p.name for p in set((project / "sources").iterdir()) - sources_before} == {
        f"{CITY}.txt",
        f"{CITY}.yml",
        f"{PROVINCE}.txt",
        f"{PROVINCE}.yml",
    }


def test_export_is_linked_and_holds_every_document_and_relation(site):
    import csv
    import json

    data = json.loads((site / "export" / "archive.json").read_text(encoding="utf-8"))
    ids = {d["id"] for d in data["documents"]}
    assert COUNTY in ids and len(ids) == len(data["documents"])
    assert any(
        r["source"] == COUNTY
        and r["relation"] == "cites"
        and r["target_doc_number"] == "衡政办发〔2024〕5号"
        for r in data["relations"]
    )
    for name in (
        "documents.csv",
        "relations.csv",
        "places.csv",
    ):  # Excel reads UTF-8 only with a BOM
        assert (site / "export" / name).read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((site / "export" / "documents.csv").open(encoding="utf-8-sig")))
    assert {r["id"] for r in rows} == ids
    assert next(r for r in rows if r["id"] == COUNTY)["region_code"] == "430422"
    relations = list(csv.DictReader((site / "export" / "relations.csv").open(encoding="utf-8-sig")))
    assert len(relations) == len(data["relations"])
    place_rows = {
        r["code"]: r
        for r in csv.DictReader((site / "export" / "places.csv").open(encoding="utf-8-sig"))
    }
    assert place_rows["430400"]["documents_within"] == str(
        sum(1 for r in rows if r["region_code"].startswith("4304"))
    )
    assert place_rows["430422"]["url"] == "hunan/hengyang/hengnan/"
    nav = html(site, "").select("nav a[href]")
    assert any(re.search(r"export/?$", a["href"]) for a in nav)


def test_a_simplified_citation_finds_a_traditional_document(tmp_path):
    hubei = (
        ROOT / "sources" / "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua.txt"
    ).read_text(encoding="utf-8")
    archive = archive_of(
        tmp_path,
        {
            "hubei": hubei,
            "xiantao": notice(
                "仙桃市人民政府办公室",
                "仙政办发〔2019〕8号",
                "2019年5月6日",
                "仙桃市县域经济工作方案",
                "为贯彻落实鄂经信县域[2019]40号文件精神,制定本方案。",
            ),
        },
    )
    by_region = {d.meta["region"]: d.meta for d in archive.documents}
    assert by_region["仙桃市"]["cites"][0]["target"] == by_region["湖北省"]["id"]
    assert by_region["仙桃市"]["implements"] == [by_region["湖北省"]["id"]]
    assert by_region["湖北省"]["implemented_by"] == [by_region["仙桃市"]["id"]]


def test_national_documents_sit_on_the_national_page(tmp_path):
    from scripts.pages.place_pages import place_pages

    archive = archive_of(
        tmp_path,
        {
            "gwy": notice(
                "国务院办公厅",
                "国办发〔2023〕9号",
                "2023年3月1日",
                "关于推进县域经济高质量发展的指导意见",
                "正文。",
            ),
            "hn": notice(
                "衡南县人民政府办公室",
                "南政办发〔2023〕12号",
                "2023年5月1日",
                "衡南县县域经济工作方案",
                "为贯彻落实国办发〔2023〕9号文件精神,制定本方案。",
            ),
        },
    )
    national = next(d for d in archive.documents if d.meta["issuer"] == "国务院办公厅")
    county = next(d for d in archive.documents if d.meta["region"] == "衡南县")
    assert (national.meta["level"], national.meta["region_code"]) == ("national", "000000")
    assert county.meta["implements"] == [national.meta["id"]]
    pages = place_pages(archive)
    assert f"doc/{national.meta['id']}.md" in pages["quanguo/index.md"]
    assert "[湖南省](../hunan/index.md)" in pages["quanguo/index.md"]
    assert f"doc/{county.meta['id']}.md" in pages["hunan/hengyang/hengnan/index.md"]


def test_a_cited_decree_links_to_it_and_one_the_archive_lacks_is_wanted(tmp_path):
    """省政府第232号令 in a text of 江西 is the decree of 江西省人民政府 the archive holds; the same
    words in a text of 湖南 are 湖南's, which the archive lacks."""
    decree = (
        ROOT / "sources" / "2018-jiangxi-renmin-zhengfu-feizhi-jiangxisheng-zhuming-shangbiao.txt"
    ).read_text(encoding="utf-8")
    archive = archive_of(
        tmp_path,
        {
            "decree": decree,
            "jx": notice(
                "江西省市场监督管理局",
                "赣市监字〔2019〕3号",
                "2019年1月2日",
                "江西省商标工作方案",
                "根据省政府第232号令、国务院令第588号，制定本方案。",
            ),
            "hn": notice(
                "湖南省市场监督管理局",
                "湘市监发〔2019〕4号",
                "2019年1月3日",
                "湖南省商标工作方案",
                "根据省政府令（第232号），制定本方案。",
            ),
        },
    )
    by_number = {d.meta["doc_number"]: d.meta for d in archive.documents}
    decree_id = by_number["江西省人民政府令第232号"]["id"]
    jiangxi, hunan = by_number["赣市监字〔2019〕3号"], by_number["湘市监发〔2019〕4号"]
    assert jiangxi["cites"] == [
        {"doc_number": "江西省人民政府令第232号", "target": decree_id},
        {"doc_number": "国务院令第588号", "wanted": "guowuyuanling-588"},
    ]
    assert by_number["江西省人民政府令第232号"]["cited_by"] == [jiangxi["id"]]
    assert hunan["cites"] == [
        {"doc_number": "湖南省人民政府令第232号", "wanted": "hunanshengrenminzhengfuling-232"}
    ]
    pages = generate(archive)
    assert (
        "## 湖南省人民政府令第232号 {#hunanshengrenminzhengfuling-232}"
        in pages[wanted_path("hunanshengrenminzhengfuling-232")]
    )
    # the decree the repealing decision names, with its title and number, is wanted once
    wanted = pages[wanted_path("jiangxishengrenminzhengfuling-161")]
    assert "## 《江西省著名商标认定和保护办法》 {#jiangxishengrenminzhengfuling-161}" in wanted
    assert "文号：江西省人民政府令第161号" in wanted
