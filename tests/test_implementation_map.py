"""The implementation map and the neighbourhood diagrams: logic on hard text, pages in a real build,
and Mermaid drawing an <svg> in headless Chromium without any CDN."""

from __future__ import annotations

import csv
import functools
import io
import re
import sys
import threading

import pytest
from bs4 import BeautifulSoup

from scripts.archive.documents import Archive
from scripts.ingest.convert import convert_file
from scripts.pages.implementation_map import (
    WHAT_FILLS_IT,
    Relations,
    add_neighbourhoods,
    children,
    coverage,
    implementation_pages,
    mermaid_label,
    neighbourhood_mermaid,
)
from scripts.pages.target_pages import add_target_boxes
from scripts.pipeline.build import generate, write_docs

from .conftest import QuietHandler, QuietServer, copy_project, run
from .test_targets import write_source

HUBEI = "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua"
# a national plan that 江西's 融资担保 measures carry out: the archive's one plan with an implementer
NATIONAL_PLAN = "2019-guowuyuan-bangongting-youxiao-fahui-zhengfu-xing"
HENGNAN = "2024-hengnan-bada-xingdong-zongti-fangan"


@pytest.fixture
def chain(tmp_path) -> Archive:
    return make_chain(tmp_path)


def make_chain(tmp_path) -> Archive:
    """A city plan, a county plan carrying it out, and one from another city that cites it."""
    city = convert_file(
        write_source(
            tmp_path,
            "city",
            "衡阳市实施“八大行动”总体方案\n一、总体目标\n力争地区生产总值增长6%以上，各县市区要认真组织实施。\n",
            date="2024-03-01",
            doc_type="方案",
            level="city",
            region="衡阳市",
            region_code="430400",
        )
    )
    county = convert_file(
        write_source(
            tmp_path,
            "county",
            "衡山县实施“八大行动”方案\n一、总体目标\n力争地区生产总值增长6.5%以上，规上工业增加值增长8%。\n",
            date="2024-03-30",
            doc_type="方案",
            level="county",
            region="衡山县",
            region_code="430423",
        )
    )
    other = convert_file(
        write_source(
            tmp_path,
            "other",
            "攸县落实方案\n一、总体目标\n力争地区生产总值增长6%以上，确保粮食播种面积稳定。\n",
            date="2024-05-01",
            doc_type="方案",
            level="county",
            region="攸县",
            region_code="430223",
        )
    )
    # what the relations stage records (scripts/archive/relations.py): ids of the plans a document carries out
    county.meta["implements"] = [city.meta["id"]]
    county.meta["cites"] = [
        {"doc_number": "衡政办发〔2024〕5号", "target": city.meta["id"]},
        {"title": "湖南省实施“八大行动”总体方案"},
    ]
    other.meta["implements"] = [{"target": city.meta["id"]}]
    return Archive(root=tmp_path, documents=[city, county, other])


def test_coverage_lists_every_sub_place_with_its_delay(chain):
    city, county, other = chain.documents
    rows, outside = coverage(city, chain, Relations.of(chain))
    names = [r.place.name for r in rows]
    assert "衡山县" in names and "衡南县" in names and "耒阳市" in names and len(names) >= 12
    done = {
        r.place.name: [(d.meta["id"], days) for d, days in r.implementers]
        for r in rows
        if r.implementers
    }
    assert done == {"衡山县": [(county.meta["id"], 29)]}
    assert outside == [other]  # 攸县 is in 株洲市, not a sub-place of 衡阳市


def test_plan_page_draws_and_tabulates_coverage(chain):
    city = chain.documents[0]
    page = implementation_pages(chain)[f"implementation/{city.meta['id']}.md"]
    diagram = page.split("```mermaid")[1].split("```")[0]
    assert 'p430423["衡山县"]:::done' in diagram and '"29 天"' in diagram
    others = len(children("430400")) - 1
    assert f'others["其余 {others} 个地方 · 未见"]:::missing' in diagram  # one box, not twelve
    assert "| 衡山县 | [" in page and "| 2024-03-30 | 29 天 |" in page
    assert "尚未见到" not in page.split("尚未见到落实文件的")[0]  # no row of nothing
    assert "衡南县" in page.split(f"尚未见到落实文件的 {others} 个地方：")[1]
    assert "攸县" in page.split("下辖地方以外的落实文件")[1]
    index = implementation_pages(chain)["implementation/index.md"]
    assert f"]({city.meta['id']}.md)" in index and "| 1 / " in index


def test_a_national_plan_is_carried_out_by_its_provinces(tmp_path):
    """全国's sub-places are the provinces (the gazetteer leaves their parent empty): a province's
    document carrying out a national one is in its row, never listed as outside 全国."""
    national = convert_file(
        write_source(
            tmp_path,
            "national",
            "国务院办公厅关于推进县域商业体系建设的指导意见\n一、总体要求\n各省要认真组织实施。\n",
            date="2021-05-01",
            doc_type="意见",
            level="national",
            region="全国",
            region_code="000000",
        )
    )
    province = convert_file(
        write_source(
            tmp_path,
            "province",
            "江西省推进县域商业体系建设实施方案\n一、总体目标\n根据国务院办公厅的意见，制定本方案。\n",
            date="2021-08-01",
            doc_type="方案",
            level="province",
            region="江西省",
            region_code="360000",
        )
    )
    province.meta["implements"] = [national.meta["id"]]
    archive = Archive(root=tmp_path, documents=[national, province])
    rows, outside = coverage(national, archive, Relations.of(archive))
    assert len(rows) == len(children("000000")) >= 31
    assert [
        (r.place.name, [d.meta["id"] for d, _ in r.implementers]) for r in rows if r.implementers
    ] == [("江西省", [province.meta["id"]])]
    assert outside == []
    page = implementation_pages(archive)[f"implementation/{national.meta['id']}.md"]
    assert f"下辖 {len(rows)} 个地方，其中 1 个" in page and "下辖地方以外" not in page


def test_a_plan_nobody_carried_out_says_so_and_what_would_fill_it(chain):
    city = chain.documents[0]
    alone = Archive(root=chain.root, documents=[city])
    pages = implementation_pages(alone)
    page = pages[f"implementation/{city.meta['id']}.md"]
    assert "文库中还没有其中任何一地落实它的文件" in page and WHAT_FILLS_IT in page
    assert "```mermaid" not in page and "|" not in page  # no table of empty rows, no 0 / N
    index = pages["implementation/index.md"]
    assert "还没有一份下级地方落实它们的文件" in index and WHAT_FILLS_IT in index
    assert " / " not in index and city.meta["id"] in index.split("{#waiting}")[1]


def test_neighbourhood_shows_implements_cites_and_wanted(chain):
    city, county, _ = chain.documents
    rel = Relations.of(chain)
    mine = neighbourhood_mermaid(county, chain, rel)
    city_node = re.search(r'(n\d+)\["衡阳市实施', mine)[1]
    assert f"self ==> {city_node}" in mine  # carries out the city's plan
    assert "（未收录）" in mine  # the cited plan that is not in the archive
    theirs = neighbourhood_mermaid(city, chain, rel)
    assert theirs.count(" ==> self") == 2  # implemented by two documents
    add_neighbourhoods(chain)
    assert "## 关系图 {#relation-graph}" in chain.sections[county.meta["id"]][0]
    assert "[落实地图](../implementation/" in chain.sections[city.meta["id"]][0]


def test_document_without_relations_gets_no_diagram_but_keeps_its_heading(chain):
    lonely = Archive(root=chain.root, documents=[chain.documents[2]])
    lonely.documents[0].meta.pop("implements")
    assert neighbourhood_mermaid(lonely.documents[0], lonely, Relations.of(lonely)) is None
    add_neighbourhoods(lonely)
    section = lonely.sections[lonely.documents[0].meta["id"]][0]
    assert section.startswith("## 关系图 {#relation-graph}") and "mermaid" not in section


@pytest.mark.parametrize("text", ['他说"结束"]', "a`b#c<d>", "```mermaid", "《方案》\n第二行"])
def test_source_text_cannot_break_out_of_a_mermaid_label(text):
    label = mermaid_label(text, limit=100)
    inner = label[1:-1]
    assert label[0] == label[-1] == '"' and not any(c in inner for c in '"`<>\n')


# ---------------------------------------------------------------------------------------------
# In a real MkDocs build of the seeds
# ---------------------------------------------------------------------------------------------


def soup(site, rel: str) -> BeautifulSoup:
    path = site / rel / "index.html"
    assert path.exists(), f"{rel} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_document_page_has_its_targets_box(site):
    page = soup(site, f"doc/{HENGNAN}")
    box = page.find(id="targets")
    assert box is not None and box.name == "h2" and "主要目标" in box.get_text()
    table = box.find_next("table")
    text = table.get_text(" ", strip=True)
    for value in ("6.5%以上", "8.2%", "7%", "8%", "7%以上", "6%"):
        assert f" {value} " in f" {text} "
    first = table.select_one("tbody a[href]")
    assert first["href"] == "#s1-p1" and page.find(id="s1-p1") is not None


def test_document_page_draws_its_neighbourhood(site):
    graph = soup(site, f"doc/{HENGNAN}").find(id="relation-graph")
    assert graph is not None and graph.name == "h2"
    diagram = graph.find_next("pre", class_="mermaid").get_text()
    # the city plan it cites, which the archive does not hold yet
    assert "衡阳市实施“八大行动”总体方案（未收录）" in diagram and "self -.->" in diagram


def test_comparison_page_and_downloadable_table(site):
    index = soup(site, "targets")
    assert "目标对照" in index.h1.get_text()
    assert index.find("a", href="430000/#place-430422") is not None  # 衡南县, on 湖南省's page
    page = soup(site, "targets/430000")
    assert page.find(id="place-430422") is not None
    box = soup(site, f"doc/{HENGNAN}").find(id="targets").find_next("small")
    assert box.find("a", href="../../targets/430000/#place-430422") is not None
    rows = list(
        csv.DictReader(
            io.StringIO((site / "targets" / "430000.csv").read_text(encoding="utf-8-sig"))
        )
    )
    hengnan = [
        r
        for r in rows
        if r["doc_id"] == HENGNAN and r["kind"] == "target" and r["page"].endswith("#s1-p1")
    ]
    assert [r["value"] for r in hengnan] == ["6.5%以上", "8.2%", "7%", "8%", "7%以上", "6%"]


def test_implementation_pages_carry_a_diagram_and_vendored_mermaid(site):
    page = soup(site, f"implementation/{NATIONAL_PLAN}")
    assert page.select_one("pre.mermaid") is not None
    scripts = [s["src"] for s in page.select("script[src]")]
    # the stand-in that loads the vendored Mermaid on demand comes before Material's bundle
    loader = page.select_one('script[src="../../assets/mermaid-loader.js"]')
    assert loader["data-mermaid-src"] == "../../assets/vendor/mermaid.min.js"
    assert scripts.index(loader["src"]) < next(i for i, s in enumerate(scripts) if "bundle" in s)
    # both deferred (in this order, once the page is parsed): a phone paints the text first
    bundle = next(s for s in page.select("script[src]") if "bundle" in s["src"])
    assert loader.has_attr("defer") and bundle.has_attr("defer")
    assert not [s for s in scripts if "mermaid.min.js" in s]  # not fetched until a diagram is near
    assert (site / "assets" / "vendor" / "mermaid.min.js").stat().st_size > 500_000
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "mermaid-loader.js" not in home and "mermaid.min.js" not in home  # only where needed
    assert soup(site, "implementation").find("a", href=f"{NATIONAL_PLAN}/") is not None
    assert soup(site, "implementation").find("a", href=f"{HUBEI}/") is not None  # among the waiting


@pytest.mark.browser
def test_mermaid_draws_an_svg_offline(page, site_url):
    # Material draws into a closed shadow root; open it so the test can look inside.
    page.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (o) { return attach.call(this, {...o, mode: 'open'}); };"
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/implementation/{NATIONAL_PLAN}/")
    page.evaluate(
        "document.querySelector('.mermaid').scrollIntoView()"
    )  # Mermaid loads when a diagram is near
    svg = page.locator("div.mermaid svg").first
    svg.wait_for(state="attached", timeout=15000)
    assert "江西省" in svg.text_content()
    assert page.locator("div.mermaid svg g.node").count() == 3  # the plan, 江西省, the others
    assert not [
        u for u in requested if u.startswith("http") and not u.startswith(site_url)
    ]  # nothing leaves
    assert page.js_errors == []


@pytest.mark.browser
def test_neighbourhood_diagram_draws_on_a_document_page(tmp_path, page):
    """The relations of hard-text documents, built by MkDocs into a page that Chromium draws."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    (tmp_path / "src").mkdir()
    archive = make_chain(tmp_path / "src")
    archive.root = project
    add_target_boxes(archive)
    add_neighbourhoods(archive)
    write_docs(project / "docs", generate(archive))
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=project)
    county = archive.documents[1].meta["id"]
    server = QuietServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(project / "site"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.add_init_script(
            "const attach = Element.prototype.attachShadow;"
            "Element.prototype.attachShadow = function (o) { return attach.call(this, {...o, mode: 'open'}); };"
        )
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/doc/{county}/")
        page.evaluate("document.querySelector('#relation-graph ~ .mermaid').scrollIntoView()")
        graph = page.locator("#relation-graph ~ div.mermaid svg").first
        graph.wait_for(state="attached", timeout=15000)
        text = graph.text_content()
        assert "衡阳市实施“八大行动”总体方案" in text and "（未收录）" in text
        assert page.js_errors == []
    finally:
        server.shutdown()
