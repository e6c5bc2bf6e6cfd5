"""A saved page's body table → a Markdown table; irregular tables stay rows of text."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from scripts.core.model import PARAGRAPH, TABLE
from scripts.ingest.convert import convert_file
from scripts.pages.render import render

PAGE = """<html><head><meta charset="utf-8"></head><body>
<table class="layout"><tr><td>
<p>关于印发重点项目清单的通知</p><p>各乡镇人民政府：</p><p>现将重点项目清单印发给你们，请认真贯彻执行。</p>
<table border="1"><tr><td>序号</td><td>项目名称|<b>**粗**</b></td><td>责任单位</td></tr>
<tr><td>1</td><td>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:1)</td><td>县发改局，牵头推进。</td></tr>
<tr><td>2</td><td>- 园区 {{ x }}</td><td>县工信局</td></tr></table>
<p>不规则的表如下。</p>
<table><tr><td colspan="2">合计</td><td>3</td></tr><tr><td>甲</td><td>乙</td><td>丙</td></tr>
<tr><td rowspan="2">A</td><td>B</td><td>C</td></tr><tr><td>D</td><td>E</td></tr></table>
<p>衡南县人民政府</p><p>2024年1月2日</p>
</td></tr></table></body></html>"""


def page_html(tmp_path):
    path = tmp_path / "notice.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = convert_file(path)
    body = render(doc).split("---\n", 2)[2]
    return doc, BeautifulSoup(
        markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"]),
        "html.parser",
    )


def test_a_body_table_is_a_markdown_table_with_a_header_and_an_anchor(tmp_path):
    doc, html = page_html(tmp_path)
    tables = [b for b in doc.blocks if b.kind == TABLE]
    assert len(tables) == 1 and tables[0].anchor
    table = html.select_one(f"#{tables[0].anchor} table")
    assert [th.get_text() for th in table.select("thead th")] == ["序号", "项目名称|粗", "责任单位"]
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows == [
        ["1", "<script>alert(1)</script> [x](javascript:1)", "县发改局，牵头推进。"],
        ["2", "- 园区 {{ x }}", "县工信局"],
    ]
    assert not html.find("script") and not html.select("a[href^=javascript]")  # cells are text


def test_an_irregular_table_falls_back_to_one_line_a_row(tmp_path):
    doc, html = page_html(tmp_path)
    rows = [b.text for b in doc.blocks if b.kind == PARAGRAPH and "\t" in b.text]
    assert rows == ["合计\t3", "甲\t乙\t丙", "A\tB\tC", "D\tE"]
    assert len(html.find_all("table")) == 1


def test_the_layout_table_around_the_document_is_not_a_table(tmp_path):
    doc, _ = page_html(tmp_path)
    assert doc.blocks[0].text == "关于印发重点项目清单的通知"
    assert [b.kind for b in doc.blocks[-2:]] == ["signoff", "signoff"]


def test_a_tab_separated_text_source_is_left_as_it_was(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于印发清单的通知\n序号\t名称\n1\t园区\n", encoding="utf-8")
    assert TABLE not in [b.kind for b in convert_file(path).blocks]
