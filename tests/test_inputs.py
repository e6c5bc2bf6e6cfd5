"""Input: every encoding a scrape comes in, bad files refused in one line, and saved HTML pages."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.core.docnumber import DocNumber
from scripts.core.errors import SourceError
from scripts.ingest.convert import convert_file

from .conftest import ROOT, SOURCES
from .test_conservation import FIXTURES

HUBEI = SOURCES / "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua.txt"  # traditional
REPLY = SOURCES / "2023-hengyang-zhengxie-291-hao-tian-dafu.txt"  # simplified


def body(path: Path) -> list[tuple]:
    doc = convert_file(path)
    return [(b.kind, b.text, b.anchor) for b in doc.blocks]


ENCODINGS = [
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    ("utf-16-le-bom", lambda t: t.encode("utf-16")),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("utf-16-le", lambda t: t.encode("utf-16-le")),
    ("utf-16-be", lambda t: t.encode("utf-16-be")),
    ("gb18030", lambda t: t.encode("gb18030")),
    ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
]


@pytest.mark.parametrize("name, encode", ENCODINGS, ids=[n for n, _ in ENCODINGS])
def test_every_encoding_gives_the_same_document(tmp_path, name, encode):
    source = tmp_path / REPLY.name
    source.write_bytes(encode(REPLY.read_text(encoding="utf-8")))
    assert body(source) == body(REPLY)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_simplified(tmp_path, encoding):
    source = tmp_path / REPLY.name
    source.write_bytes(
        REPLY.read_text(encoding="utf-8").replace("\u00a0", " ").encode(encoding, errors="strict")
    )
    assert body(source) == body(REPLY)


def test_big5_traditional(tmp_path):
    text = HUBEI.read_text(encoding="utf-8")
    source = tmp_path / HUBEI.name
    source.write_bytes(text.encode("big5", errors="replace"))
    # Big5 lacks a few characters of the page (simplified spam, 于): compare the ones it can carry
    expected = text.encode("big5", errors="replace").decode("big5")
    reference = tmp_path / "utf8" / HUBEI.name
    reference.parent.mkdir()
    reference.write_text(expected, encoding="utf-8")
    assert body(source) == body(reference)


def cli(*args: str):
    return subprocess.run(
        [sys.executable, "-m", "scripts", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b" \r\n\r\n\t", "is empty"),
        ("bom-only.txt", codecs.BOM_UTF8, "is empty"),
        ("photo.txt", bytes(range(256)) * 16, "binary"),
        ("zip.txt", b"PK\x03\x04" + bytes(range(1, 200)) * 10, "binary"),
        ("page.html", b"<html><body><script>var a=1;</script></body></html>", "no text"),
        ("only-clutter.txt", "分享\n首页\n打印\n".encode(), "no text left"),
    ],
)
def test_bad_input_is_refused_in_one_line_naming_the_file(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        convert_file(path)
    assert problem in str(err.value) and str(path) in str(err.value)
    result = cli("convert", str(path))
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr


def test_convert_report_lists_each_removal_with_file_line_and_rule():
    result = cli("convert", "--report", str(HUBEI))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert f"{HUBEI}:2: removed [page-widgets] 0 收藏 打印 增大字體 減小字體" in lines
    assert (
        f"{HUBEI}:274: removed [injected-spam] 中文字幕日韩亚洲制服丝袜_欧美专区日韩视频人妻_熟女自拍"
        in lines
    )


# --- saved HTML pages -------------------------------------------------------------------------


def test_portal_page_gbk_meta_table_and_chrome():
    doc = convert_file(FIXTURES / "portal-notice.html")  # saved as GB18030, declared gb2312
    meta = doc.meta
    assert meta["doc_number"] == "祁政办发〔2023〕12号" and meta["issuer"] == "祁东县人民政府办公室"
    assert meta["date"] == "2023-05-08" and meta["published"] == "2023-05-10"
    assert meta["title"] == "祁东县推进县域商业体系建设实施方案" and meta["doc_type"] == "方案"
    assert (
        meta["full_title"]
        == "祁东县人民政府办公室关于印发《祁东县推进县域商业体系建设实施方案》的通知"
    )
    rules = {r.rule for r in doc.removed}
    assert {"html-meta-table", "html-widget", "html-links", "source-byline"} <= rules
    text = doc.body_text()
    for chrome in (
        "政务公开",
        "扫一扫",
        "打印本页",
        "关闭窗口",
        "微博",
        "ICP",
        "长者模式",
        "相关链接",
        "hacked",
    ):
        assert chrome not in text, f"{chrome} was left in the body"
    # the title was split over three <p>, the headings were styled <span>s
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == "heading" and b.level]
    assert ("一、总体要求", 2) in headings and ("（一）完善县乡村三级物流体系", 3) in headings
    assert "R&D投入强度达到1.5%" in text and "7*12小时" in text


def test_state_council_page_two_documents_in_one_body():
    doc = convert_file(FIXTURES / "state-council-measures.html")
    assert doc.meta["level"] == "national" and doc.meta["doc_number"] == "国办发〔2024〕9号"
    assert doc.meta["full_title"] == "国务院办公厅关于印发《县域商业高质量发展管理办法》的通知"
    kinds = [(b.kind, b.anchor) for b in doc.blocks]
    assert ("heading", "zhengwen") in kinds and ("paragraph", "art4") in kinds
    assert "中国政府网" not in doc.body_text() and "王晓" not in doc.body_text()


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("清政办函[2024]3号", "清政办函〔2024〕3号"),
        ("祁政办发(2023)12号", "祁政办发〔2023〕12号"),
        ("国办发〔2024〕9号", "国办发〔2024〕9号"),
        ("鄂經信縣域（2019） 40號", "鄂經信縣域〔2019〕40號"),
        ("湘政发【2022】7号", "湘政发〔2022〕7号"),
        ("衡政办发［2024］5号", "衡政办发〔2024〕5号"),
    ],
)
def test_doc_number_variants(text, canonical):
    assert str(DocNumber.parse(text)) == canonical


@pytest.mark.parametrize("suffix", [".xhtml", ".md", ".shtml", ".text"])
def test_a_suffix_the_converter_reads_is_a_source_the_build_lists(tmp_path, suffix):
    """One list of source suffixes (ingest/convert.py SOURCE_SUFFIXES): a file `add` stores as
    x.xhtml is converted by `build` and served by the site, not skipped by one of them."""
    from scripts.archive.documents import source_files
    from scripts.ingest import convert

    page = ROOT / "tests" / "fixtures" / "portal-notice.html"
    text = REPLY if suffix in convert.TEXT_SUFFIXES else page
    source = tmp_path / f"2024-a-source{suffix}"
    source.write_bytes(text.read_bytes())
    assert source_files(tmp_path) == [source]
    assert body(source) == body(text)
