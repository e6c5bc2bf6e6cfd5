"""Characters XML 1.0 forbids never reach XML (issue #29, item 8).

U+FFFE in a scraped title (and U+0001 in `--title`, which was accepted) made site/feed.xml not
well-formed ("invalid Char value 65534") while `check` said all good. Such characters are not text
(core/chars.py NOT_TEXT: C0 controls, U+FFFE/U+FFFF, lone surrogates): removed from a source's
text and reported like bidi controls, removed from fields read from a page with a warning,
refused in a sidecar or a flag; every XML writer drops them last; `check` parses every XML file
the site publishes.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from scripts.ingest.convert import convert_bytes, convert_file, convert_text
from scripts.pages.render import removal_report, render

from .conftest import ROOT, build_site
from .maintainer import CITY_PLAN, built_project, cli, one_error_line
from .test_conservation import assert_conserved

NOT_TEXT = ["\ufffe", "\uffff", "\x01", "\x1f", "\ud800"]


def hostile_plan(char: str) -> str:
    """The city plan, `char` in its title line and in a paragraph."""
    lines = CITY_PLAN.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3][:6] + char + lines[3][6:]
    lines[5] = char + lines[5]
    return "\n".join(lines)


@pytest.mark.parametrize("char", NOT_TEXT, ids=lambda c: f"U+{ord(c):04X}")
def test_a_character_that_is_not_text_never_reaches_the_page(char, tmp_path):
    text = hostile_plan(char)
    if char == "\ud800":  # only a JSON record can bring one (a file on disk is UTF-8)
        doc = convert_text(text, Path("x.txt"))
    else:
        source = tmp_path / "x.txt"
        source.write_text(text, encoding="utf-8")
        doc = convert_file(source)
        assert_conserved(doc, source)
    page = render(doc)
    assert char not in page and char not in json.dumps(doc.meta, ensure_ascii=False)
    assert "衡阳市实施" in doc.meta["title"]  # the title is whole, not split where it stood
    page.encode("utf-8")  # a lone surrogate could not be written
    if char >= "\ud800":  # a C0 control is dropped by decoding already (ingest/decode.py)
        rule = f"not-text U+{ord(char):04X}"
        assert sorted(r.line for r in doc.removed if r.rule == rule) == [4, 6]
        assert f"<U+{ord(char):04X}>" in removal_report(doc) and char not in removal_report(doc)


@pytest.mark.parametrize("char", ["\\ufffe", "\\u0001", "\\ud800"])
def test_a_record_that_holds_one_gives_a_page_without_it(char):
    """A portal's JSON record can escape any code point, a lone surrogate too (it made the page
    impossible to write: UnicodeEncodeError)."""
    path = ROOT / "sources" / "2013-linhai-nongcun-wenhua-litang-jianshe-biaozhun-buzhu.json"
    raw = path.read_text(encoding="utf-8").replace(
        "人民政府办公室关于", f"人民政府{char}办公室关于"
    )
    doc = convert_bytes(raw.encode(), path)
    page = render(doc)
    page.encode("utf-8")
    removal_report(doc).encode("utf-8")
    assert "临海市人民政府办公室关于印发" in page
    decoded = json.loads(f'"{char}"')
    assert decoded not in page and decoded not in json.dumps(doc.meta, ensure_ascii=False)


@pytest.mark.parametrize("char", ["\x01", "\ufffe"])
def test_add_refuses_a_title_flag_that_is_not_text(char, tmp_path):
    project = built_project(tmp_path / "p")
    result = cli("add", str(CITY_PLAN), "--title", f"衡阳{char}方案", "--root", str(project))
    line = one_error_line(result, "title")
    assert f"U+{ord(char):04X}" in line and "not text" in line


def test_the_feed_drops_what_xml_forbids():
    from scripts.pages.web import atom_feed

    metas = [
        {
            "id": f"2024-x{n}",
            "title": f"标题{char}",
            "issuer": f"机关{char}",
            "description": f"摘要{char}",
            "doc_type": f"方案{char}",
            "added": "2025-01-01",
        }
        for n, char in enumerate(NOT_TEXT)
    ]
    feed = ElementTree.fromstring(atom_feed(metas, "https://example.org/", "站\x02"))
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed]
    assert "标题" in titles


def test_check_finds_an_xml_file_that_is_not_well_formed(tmp_path):
    from scripts.maintain.check import not_xml

    (tmp_path / "feed.xml").write_text("<feed>\ufffe</feed>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset></urlset>", encoding="utf-8")
    (problem,) = not_xml(tmp_path)
    assert str(problem).startswith("site/feed.xml:1: is not well-formed XML")


def test_a_scraped_title_with_ufffe_gives_a_well_formed_feed_and_check_passes(tmp_path):
    """The attack as it was run: the source added, the site built, the feed and sitemap parsed,
    and `check` (which builds the site again and parses them) passes."""
    project = built_project(tmp_path / "p")
    raw = tmp_path / "plan.txt"
    raw.write_text(hostile_plan("\ufffe"), encoding="utf-8")
    added = cli(
        "add", str(raw), "--url", "https://www.hengyang.gov.cn/x.html", "--retrieved",
        "2025-01-20", "--root", str(project),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    site = build_site(project)
    for name in ("feed.xml", "sitemap.xml"):
        ElementTree.parse(site / name)  # raises when not well-formed
    assert "衡阳市实施" in (site / "feed.xml").read_text(encoding="utf-8")
    result = cli("check", "--root", str(project))
    assert result.returncode == 0, result.stderr
