"""Nothing lost, nothing added, and converting again changes nothing — over every source.

Conservation: the text a reader sees on the page (the Markdown rendered to HTML by Python-Markdown
with the site's extensions) holds exactly the characters of the source, minus the clutter the
cleaning removed and reported, after folding width (NFKC), whitespace and the scrape's Markdown
markers (`**`, a leading `#`). Checked twice: as a multiset of characters on the rendered page,
and in source order over the document's blocks, so that nothing is reordered either.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from scripts.archive.documents import source_files
from scripts.core.model import HEADING, Document
from scripts.ingest.convert import convert_file, convert_text, split_lines
from scripts.ingest.decode import decode_bytes
from scripts.ingest.html_source import declared_charset
from scripts.ingest.record_source import record_body, record_fields
from scripts.pages.render import render

from .conftest import SOURCES, imported_ids

DUMP_RECORDS = SOURCES.parent / "tests" / "data" / "dumps" / "records"

FIXTURES = Path(__file__).parent / "fixtures"
OWN_SOURCES = [p for p in source_files(SOURCES) if p.stem not in imported_ids()]
# The documents of the bulk dumps are held to it through the copies of a sample of their records
# (tests/data/dumps/records/): the whole of them would add minutes for no other family.
ALL_SOURCES = (
    OWN_SOURCES
    + sorted(DUMP_RECORDS.glob("*.json"))
    + sorted(FIXTURES.glob("*.txt"))
    + sorted(FIXTURES.glob("*.html"))
)


def fold(text: str) -> str:
    """Width and whitespace do not count."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def scraped_markup(line: str) -> str:
    """A source line without the scrape's Markdown: "## 2024 步履铿锵" → "2024 步履铿锵",
    "**二是……。**" → "二是……。" (a pair of ** around text, within one line)."""
    line = scraped_heading(line)
    while (unbolded := re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"\1", line)) != line:
        line = unbolded
    return line


def source_lines(path: Path) -> list[str]:
    """The source's text lines; for an HTML page, every text a browser would show in its body."""
    data = path.read_bytes()
    if path.suffix == ".html":
        return html_lines(decode_bytes(data, path, declared_charset(data)))
    if (
        path.suffix == ".json"
    ):  # a portal's record: its body field is the text (the other fields are metadata)
        body, is_html, _ = record_body(record_fields(decode_bytes(data, path), path), path)
        return html_lines(body) if is_html else html.unescape(body).split("\n")
    return [line.text for line in split_lines(decode_bytes(data, path))]


def html_lines(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    return (soup.body or soup).get_text("\n").split("\n")


def scraped_heading(line: str) -> str:
    """ "## 2024 步履铿锵" → "2024 步履铿锵": the hashes were Markdown, not text."""
    m = re.match(r"^\s*#{1,6}[ \t\u3000]+(?=\S)", line)
    return line[m.end() :] if m else line


def page_text(doc: Document) -> str:
    """What a reader sees: the rendered page's text, the way the site renders it."""
    body = render(doc).split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])
    soup = BeautifulSoup(html, "html.parser")
    title_blocks = [b for b in doc.blocks if b.kind == HEADING and b.level == 0]
    if not any(b.text == doc.meta.get("title") for b in title_blocks):
        soup.h1.decompose()  # the H1 is then the filed title (a 印发 notice's plan), not source text
    for note in soup.select(".title-inferred"):
        note.decompose()  # the note under an inferred title is ours, not the source's
    return soup.get_text()


def assert_conserved(doc, path: Path) -> None:
    """Every character of the source reaches the page, but the clutter the report lists; nothing is
    added (after `fold`). tests/test_corpus.py and tests/test_heldout.py hold their documents to it."""
    source = Counter(fold("".join(scraped_markup(line) for line in source_lines(path))))
    removed = Counter(fold("".join(r.text for r in doc.removed)))
    assert not removed - source, f"reported removals that are not in the source: {removed - source}"
    expected = source - removed
    got = Counter(fold(page_text(doc)))
    assert got - expected == Counter(), (
        f"{path.name}: characters added on the page: {got - expected}"
    )
    assert expected - got == Counter(), (
        f"{path.name}: characters lost from the page: {expected - got}"
    )


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name)
def test_page_holds_the_source_minus_reported_clutter(path: Path):
    assert_conserved(convert_file(path), path)


@pytest.mark.parametrize(
    "path", [p for p in ALL_SOURCES if p.suffix == ".txt"], ids=lambda p: p.name
)
def test_blocks_keep_the_source_order(path: Path):
    assert_in_source_order(convert_file(path), path)


def assert_in_source_order(doc: Document, path: Path) -> None:
    """The blocks, in the order of their source lines, read as the source minus what the report
    lists for each line (a flattened line may lose only a piece: "……HTML5" run into its last
    sentence)."""
    removed: dict[int, list[str]] = {}
    for r in doc.removed:
        removed.setdefault(r.line, []).append(fold(r.text))
    source = ""
    for no, text in enumerate(source_lines(path), 1):
        text = fold(scraped_markup(text))
        for piece in removed.get(no, []):
            text = text.replace(piece, "", 1)
        source += text
    blocks = fold("".join(b.text for b in sorted(doc.blocks, key=lambda b: b.line)))
    assert blocks == source


def text_of(doc: Document) -> str:
    """The converted text as the page gives it: one block a paragraph, and a heading that has no
    official numbering marked as a Markdown heading (as on the page), to be converted again."""

    def line(block) -> str:
        if block.kind == HEADING and block.level >= 1 and not block.number:
            return "#" * (block.level + 1) + " " + block.text
        return block.text

    return "\n\n".join(line(block) for block in doc.blocks)


def shape(doc: Document) -> list[tuple]:
    return [(b.kind, b.text, b.level, b.number, b.anchor, b.attachment) for b in doc.blocks]


# Two records of the dumps whose second conversion differs (found by this test, left to the title
# and structure rules): the line under a 印发 notice's sign-off that starts the text it issues is a
# 正文 heading the first time and a paragraph the second (北京市中医管理局 [44]). (The law database's
# row 18 and gov.cn's 公告 row 33 were such records until the rules read them.)
# strict: a fix shows.
NOT_YET_IDEMPOTENT = {
    "beijing-zyj-zhongyiyao-wenjian--44.json",
}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            marks=pytest.mark.xfail(
                strict=True, reason="a dump's family the rules do not read yet"
            ),
        )
        if p.name in NOT_YET_IDEMPOTENT
        else p
        for p in ALL_SOURCES
    ],
    ids=lambda p: p.name,
)
def test_converting_the_output_again_changes_nothing(path: Path):
    first = convert_file(path)
    again = convert_text(text_of(first), path)
    assert shape(again) == shape(first)
    assert again.removed == []  # the clutter went the first time
    assert body_text_of(again, first) == body_text_of(first, first)


def body_text_of(doc: Document, first: Document) -> str:
    """The page below its front matter; without the H1 (and its note) when the first conversion took
    its title from a field the text does not hold (a record's title, a page's table or <title>),
    and without the text's own heading too when that field won over it ("中华人民共和国海关总署公告"
    under the record's "海关总署关于……的公告": the text converted again has only the heading)."""
    body = render(doc).split("---\n", 2)[2]
    heading = next((b for b in first.blocks if b.kind == HEADING and b.level == 0), None)
    if heading is None:
        body = re.sub(r"^\n?# [^\n]*\n(?:\n[^\n]*\n\{: \.title-inferred \}\n)?", "", body)
    elif heading.text not in (first.meta.get("title"), first.meta.get("full_title")):
        body = re.sub(r"^\n?# [^\n]*\n(?:\n[^\n]*\n\{: \.doc-title \}\n)?", "", body)
    return body


# A table a portal flattened into lines, one cell a line, with its note row under it, in a text
# that has no 文号 (so it is read as a news page, whose short lines above prose are heads).
FLATTENED_TABLE = [
    "《关于促进消费的若干措施》政策解读",
    "为促进消费，现就补贴标准解读如下。",
    "补贴标准见下表。",
    "车型",
    "补贴",
    "小型",
    "0.5",
    "中型",
    "1.2",
    "{note}",
    "单位：万元。补贴按车辆登记日期计算。",
    "办理流程",
    "申请人持有关材料到市商务局办理，办理时限为五个工作日。",
]


@pytest.mark.parametrize("note", ["说明", "备注", "注：", "數據來源"])
def test_a_flattened_tables_note_row_is_a_cell_in_both_passes(note):
    text = "\n".join(FLATTENED_TABLE).format(note=note)
    first = convert_text(text, SOURCES / "flattened.txt")
    label = next(b for b in first.blocks if b.text == note)
    assert label.kind != HEADING  # under the cell 1.2, not a section head
    assert any(b.kind == HEADING and b.text == "办理流程" for b in first.blocks)  # a real head
    again = convert_text(text_of(first), SOURCES / "flattened.txt")
    assert shape(again) == shape(first)


def test_a_note_word_after_prose_is_still_a_news_head():
    text = "\n".join([*FLATTENED_TABLE[:3], "说明", FLATTENED_TABLE[10]])
    doc = convert_text(text, SOURCES / "flattened.txt")
    assert any(b.kind == HEADING and b.text == "说明" for b in doc.blocks)


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name)
def test_conversion_is_deterministic(path: Path):
    assert render(convert_file(path)) == render(convert_file(path))


def test_every_block_reaches_the_built_page_in_order(site):
    """The same, on the site MkDocs built (with the relations and places stages run): each block of
    each source shows on its page, in order, as the characters it is."""
    for path in OWN_SOURCES:  # those the session's project holds (conftest.copy_project)
        doc = convert_file(path)
        soup = BeautifulSoup(
            (site / "doc" / doc.meta["id"] / "index.html").read_text(encoding="utf-8"),
            "html.parser",
        )
        article = soup.select_one("article")
        for extra in article.select(".doc-card, h1"):  # the card and the title come before the text
            extra.decompose()
        page = fold(article.get_text())
        position = 0
        for block in doc.blocks:
            if block.kind == HEADING and block.level == 0 and block.text == doc.meta["title"]:
                continue  # shown as the page's H1
            found = page.find(fold(block.text), position)
            assert found >= 0, (
                f"{path.name}: line {block.line} is not on the built page after what precedes it"
            )
            position = found + len(fold(block.text))


def test_the_build_keeps_a_report_of_every_removal(project):
    for path in OWN_SOURCES:  # those the session's project holds (conftest.copy_project)
        doc = convert_file(path)
        report = project / "docs" / "doc" / f"{doc.meta['id']}.removed.txt"
        if not doc.removed:
            assert not report.exists()
            continue
        rows = report.read_text(encoding="utf-8").splitlines()[1:]
        assert rows == [f"{r.line}\t{r.rule}\t{' '.join(r.text.split())}" for r in doc.removed]
