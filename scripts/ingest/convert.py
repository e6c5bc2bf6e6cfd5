"""One source file → one `Document`: the pipeline's named stages, in order.

read → decode (or parse the saved HTML page) → split lines → drop bidi controls → clean
→ structure → anchors → metadata (every field on one line)
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import SourceError
from ..core.model import Document
from ..core.paths import (
    HTML_SUFFIXES,
    ONE_RECORD_SUFFIXES,
    RECORD_SUFFIXES,
    TEXT_SUFFIXES,
)
from .anchors import assign_anchors
from .clean import Line, clean_lines
from .controls import drop_hidden_characters, single_line_fields
from .decode import decode_bytes, read_source_bytes
from .metadata import finalise, title_without_number
from .sidecar import load_sidecar
from .structure import build_blocks
from .tables import group_tables
from .titles import gate_header_title

# The work budget of one document. Every stage is linear in the text, but a text far past any real
# document (the largest plans run to 200,000 characters, 0.6 MB) is a wrong file, and `add` must
# answer in a minute, not hours: it is refused, with what to do.
MAX_CHARS = 3_000_000  # about 9 MB of Chinese text in UTF-8
MAX_LINE_CHARS = 1_000_000  # one paragraph: a scrape that lost its line ends, past this


def check_budget(text: str, source: Path) -> None:
    if len(text) > MAX_CHARS:
        raise SourceError(
            source,
            f"has {len(text):,} characters of text, over the budget of {MAX_CHARS:,} for one document",
            fix="check that it is one document (a plan and its attachments may be added one by one)",
        )
    for no, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise SourceError(
                source,
                f"has a line of {len(line):,} characters, over the budget of {MAX_LINE_CHARS:,}",
                line=no,
                fix="the scrape lost its line ends: save the page again, or break the text into paragraphs",
            )


def split_lines(text: str) -> list[Line]:
    return [Line(no, line) for no, line in enumerate(text.split("\n"), 1)]


def convert_text(
    text: str,
    source: Path,
    sidecar: dict | None = None,
    found: dict | None = None,
    removed_before: list | None = None,
    page: bool | None = None,
) -> Document:
    """Run the stages after decoding. `found` carries facts already read (e.g. an HTML meta table),
    `removed_before` what reading the page already dropped (its navigation, widgets …)."""
    check_budget(text, source)
    sidecar = sidecar or {}
    meta: dict = dict(found or {})
    removed = list(removed_before or [])
    lines, cleaned_out = clean_lines(drop_hidden_characters(split_lines(text), removed), meta)
    removed += cleaned_out
    if not lines:
        raise SourceError(
            source,
            "has no text left after cleaning",
            fix="check that the scrape caught the document body",
        )
    if meta.get("title"):  # a record's or a table's: a candidate if the header's is no title
        meta["field_title"] = meta["title"]
    blocks = build_blocks(lines, meta)
    gate_header_title(blocks, meta)
    if page if page is not None else source.suffix.lower() in HTML_SUFFIXES | RECORD_SUFFIXES:
        blocks = group_tables(blocks)  # a page's <table> rows → one table block
    assign_anchors(blocks)
    doc = Document(source=source, blocks=blocks, removed=removed)
    doc.meta = single_line_fields(finalise(meta, text, sidecar, doc.warnings), doc.warnings)
    doc.warnings += hint_conflicts(meta.get("hints", {}), doc.meta)
    return doc


def convert_file(path: Path, sidecar: dict | None = None) -> Document:
    path = Path(path)
    if sidecar is None:
        sidecar = load_sidecar(path)
    return convert_bytes(read_source_bytes(path), path, sidecar)


def convert_record(
    fields: dict, path: Path, sidecar: dict | None = None, lenient: str = ""
) -> Document:
    """One record of a dump (its fields) → its `Document`: the body field read as a portal
    record's is, the other fields as hints that the text's own header overrides."""
    from .record_source import read_fields

    sidecar = sidecar or {}
    text, found, dropped = read_fields(fields, path, sidecar.get("columns"))
    doc = convert_text(text, path, sidecar, found, dropped, page=True)
    if lenient:
        doc.warnings.append(f"the record's JSON is broken: {lenient}")
    return doc


def hint_conflicts(hints: dict, meta: dict) -> list[str]:
    """Where a record's field says another title, 文号 or issuer than the text: the text won.
    A field that only says less (a title whose inner 《》 the service dropped, an organ named
    short, "省商务厅等17部门" for its lead organ) agrees."""
    from ..core.docnumber import DocNumber

    said = []
    for role, (column, value) in hints.items():
        if role == "title":
            final = meta.get("full_title") or meta.get("title")
            shown = [meta.get("title", ""), meta.get("full_title", "")]
            value = title_without_number(value)  # "海关总署公告2020年第17号(关于……的公告)"
            agrees = meta.get("title_inferred") or any(_says_less(value, t) for t in shown if t)
        elif role == "doc_number":
            final = meta.get("doc_number") or meta.get("explains")
            try:
                agrees = (
                    final is None or DocNumber.parse(value).key() == DocNumber.parse(final).key()
                )
            except ValueError:
                agrees = _fold(value) == _fold(final or "")
        elif role == "issuer":
            final = meta.get("issuer")
            short = re.sub(r"[（(][^）)]*[）)]|等\S{0,3}部门$", "", value)
            short = re.sub(r"^(?:省|市|县|区|州)", "", short)
            agrees = final is None or any(
                _fold(short) in _fold(i) or _fold(i) in _fold(value)
                for i in meta.get("issuers") or [final]
            )
        else:
            continue  # a record's date is its publication's; the 成文日期 is the text's
        if not agrees and final:
            said.append(
                f"the record's {column!r} says {role} {value!r}, the text says {final!r}: "
                "the text wins"
            )
    return said


def _fold(value: str) -> str:
    return re.sub(r"[\s　“”\"‘’'《》〈〉<>（）()、，,：:]", "", str(value))


def _says_less(hint: str, title: str) -> bool:
    """The hint is the title, or the title with words left out (every character of it in order)."""
    hint, title = _fold(hint), _fold(title)
    if hint == title:
        return True
    found = 0
    for ch in title:
        if found < len(hint) and ch == hint[found]:
            found += 1
    return found == len(hint) and len(hint) >= len(title) // 2


# A file without a telling name is read by what it holds: a JSON object, a page, or text.
HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<div|<p[\s>]|<table|<meta|<!--)", re.IGNORECASE
)
JSON_START = re.compile(rb"^\s*[{\[]\s*\"")


def sniff_kind(data: bytes) -> str:
    """'record', 'html' or 'text', from the first bytes (after a BOM)."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if JSON_START.match(head):
        return "record"
    if HTML_START.match(head):
        return "html"
    return "text"


def source_kind(path: Path, data: bytes | None = None) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in RECORD_SUFFIXES:
        return "record"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix == "" or data is not None:
        return sniff_kind(data if data is not None else read_source_bytes(path))
    return "unknown"


def convert_bytes(data: bytes, path: Path, sidecar: dict | None = None) -> Document:
    """The raw bytes of a source named `path` → its `Document` (decode or parse the page first)."""
    kind = (
        source_kind(path, data)
        if path.suffix.lower() in HTML_SUFFIXES | RECORD_SUFFIXES | TEXT_SUFFIXES | {""}
        else "unknown"
    )
    if kind == "html":
        from .html_source import declared_charset, html_to_text

        text, found, dropped = html_to_text(decode_bytes(data, path, declared_charset(data)), path)
        return convert_text(text, path, sidecar, found, dropped, page=True)
    if kind == "record":
        from .record_source import read_record

        text, found, dropped = read_record(
            decode_bytes(data, path), path, (sidecar or {}).get("columns")
        )
        return convert_text(text, path, sidecar, found, dropped, page=True)
    if kind == "text":
        return convert_text(decode_bytes(data, path), path, sidecar)
    if path.suffix.lower() in ONE_RECORD_SUFFIXES:
        return convert_one_record_dump(data, path, sidecar)
    raise SourceError(
        path,
        f"has an unknown kind {path.suffix.lower()!r}",
        fix="add a .txt, a saved .html page, a portal's .json record, or a dump of one record "
        "(.csv, .tsv, .jsonl, .xlsx); a dump of many is imported with `python -m scripts import`",
    )


def convert_one_record_dump(data: bytes, path: Path, sidecar: dict | None = None) -> Document:
    from .dump import read_dump

    dump = read_dump(path, data)
    if dump.problems:
        raise dump.problems[0]
    if len(dump.records) != 1:
        raise SourceError(
            path,
            f"holds {len(dump.records)} records; a source is one document",
            fix="import a dump of many with `python -m scripts import DUMP`",
        )
    record = dump.records[0]
    return convert_record(record.fields, path, sidecar, record.lenient)
