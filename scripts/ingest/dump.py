"""A bulk export of many documents (a dump) → its records, each with the bytes that are its own.

Crawlers and datasets deliver documents many at a time. The shapes read here, by the file's
suffix and then by what it holds:

- CSV / TSV (`.csv`, `.tsv`, `.txt` with a header row): any encoding (a BOM, else UTF-8, else
  GB18030 / Big5 …), any line ends; a quoted field may hold CR and LF, and in a file whose rows
  end in CRLF a bare CR or LF is part of its field, quoted or not (a spreadsheet's line break in
  a cell). The delimiter is the header's: `,`, a tab, `;` or `|`.
- JSON: an array of objects, or an object wrapping one (`{"data": [...]}`); a single object is
  a dump of one record.
- JSON Lines (`.jsonl`, `.ndjson`, or a `.json` holding one value per line): an Elasticsearch
  bulk file's action lines (`{"index":{}}`) are skipped; a line whose JSON is broken (HTML
  written into it with its quotes unescaped) is read key by key, and said so.
- Excel `.xlsx` (openpyxl): every sheet with a header row; empty columns and rows skipped.
- A folder of saved pages (or texts, or portal records): each file is a record of its own.

What holds once `read_dump` has run: each `Record` has a key that names it in the dump (`row 12`,
`[3]`, `data[3]`, `line 12`, `Sheet1 row 12`, a file's path), the line it starts on (text
dumps), its fields (column → value; a page has none), and `data`: the bytes a dump of that one
record holds, in the dump's own shape and encoding (the header row and the record's row of a
CSV, byte for byte; the element of a JSON array; the line of a JSON Lines file; a spreadsheet's
row written as a JSON object, as a row has no bytes of its own in an .xlsx; a page's file). What
could not be read is in `problems`, one per record or line, and nothing else is lost with it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SourceError
from .decode import decode_keeping_line_ends

CSV_SUFFIXES = {".csv", ".tsv"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DUMP_SUFFIXES = CSV_SUFFIXES | JSON_LINES_SUFFIXES | XLSX_SUFFIXES | {".json"}
# the files of a folder that are documents (as ingest/convert.py reads them)
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".txt", ".text", ".json"}
DELIMITERS = ",\t;|"
# An Elasticsearch bulk request's action line: the document follows on the next line.
BULK_ACTIONS = {"index", "create", "update", "delete"}


@dataclass
class Record:
    key: str  # how the dump names it: "row 12", "[3]", "data[3]", "line 12", "Sheet1 row 12"
    line: int | None  # where it starts in the dump's text (None in a spreadsheet or a folder)
    fields: dict[str, object]  # column → value; empty for a page of a folder
    data: bytes  # a one-record dump of it (see the module's doc)
    suffix: str  # the suffix of a file that holds `data` alone
    lenient: str = ""  # why its JSON was read key by key ('' when it parsed)


@dataclass
class Dump:
    path: Path
    kind: str  # "csv", "json", "jsonl", "xlsx", "folder"
    columns: list[str] = field(default_factory=list)  # every column name, in the dump's order
    records: list[Record] = field(default_factory=list)
    problems: list[SourceError] = field(default_factory=list)  # records that could not be read


def dump_kind(path: Path, data: bytes | None = None) -> str | None:
    """The dump shape of a file or folder, or None when it is not one (a page, a text)."""
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSON_LINES_SUFFIXES:
        return "jsonl"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix == ".json":
        return "json"
    return None


def read_dump(path: Path, data: bytes | None = None, kind: str | None = None) -> Dump:
    """Every record of the dump at `path` (its bytes may be given), and what could not be read."""
    path = Path(path)
    kind = kind or dump_kind(path)
    if kind == "folder":
        return _read_folder(path)
    if kind is None:
        raise SourceError(
            path,
            f"is not a dump ({path.suffix or 'no suffix'})",
            fix="give a .csv, .tsv, .json, .jsonl, .xlsx file or a folder of saved pages",
        )
    if data is None:
        data = path.read_bytes()
    if kind == "xlsx":
        return _read_xlsx(path, data)
    text, encoding = decode_keeping_line_ends(data, path)
    cut = _Cutter(data, text, encoding)
    if kind == "csv":
        return _read_csv(path, text, cut)
    if kind == "jsonl":
        return _read_json_lines(path, text, cut)
    return _read_json(path, text, cut)


class _Cutter:
    """The bytes of a stretch of the decoded text, cut out of the original bytes (never
    re-encoded): byte offsets are counted once, in order, as the stretches come."""

    def __init__(self, data: bytes, text: str, encoding: str):
        self.data, self.text = data, text
        self.codec, self.start = _slice_codec(data, encoding)
        self.char, self.byte = 0, self.start  # a character offset and its byte offset

    def offset(self, char: int) -> int:
        if char < self.char:  # going back: count again from the start
            self.char, self.byte = 0, self.start
        self.byte += len(self.text[self.char : char].encode(self.codec))
        self.char = char
        return self.byte

    def cut(self, start: int, end: int) -> bytes:
        return self.data[self.offset(start) : self.offset(end)]

    def head(self, end: int) -> bytes:
        """From the file's first byte (its BOM too) to character `end`."""
        return self.data[: self.offset(end)]


def _slice_codec(data: bytes, encoding: str) -> tuple[str, int]:
    """The codec that encodes a piece of the text to its bytes, and the length of the BOM."""
    name = encoding.lower().replace("_", "-")
    if name == "utf-8-sig":
        return "utf-8", 3
    if name in ("utf-16", "utf-32"):
        bom_le = data.startswith(b"\xff\xfe")
        width = 2 if name == "utf-16" else 4
        return f"{name}-{'le' if bom_le else 'be'}", width
    return encoding, 0


def _line_at(text: str, char: int) -> int:
    return text.count("\n", 0, char) + text.count("\r", 0, char) - text.count("\r\n", 0, char) + 1


# --- CSV / TSV ----------------------------------------------------------------------------------


def _row_end(text: str) -> str:
    """The line end that ends a row: the header's (a header never holds a line break). In a file
    whose rows end in CRLF a bare CR or LF is part of a field, as a spreadsheet writes a line
    break in a cell."""
    m = re.search(r"\r\n|\n|\r", text)
    return m[0] if m else "\n"


def _delimiter(header: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(text: str, delimiter: str, end: str):
    """(fields, start, end) of each row: RFC 4180 quoting, rows ended by `end`."""
    d, stop = re.escape(delimiter), re.escape(end)
    quoted = re.compile(rf'"((?:[^"]|"")*)"(?=[ \t]*(?:{d}|\r\n|\n|\r|\Z))')
    bare = re.compile(rf"((?:(?!{d}|{stop}).)*)", re.DOTALL)
    sep = re.compile(rf"{d}|{stop}|\Z")
    pos, n = 0, len(text)
    while pos < n:
        start, fields = pos, []
        while True:
            m = quoted.match(text, pos)
            if m:
                fields.append(m[1].replace('""', '"'))
                pos = m.end()
                pos = re.compile(r"[ \t]*").match(text, pos).end()  # type: ignore[union-attr]
            else:
                m = bare.match(text, pos)
                assert m is not None  # the bare field's pattern matches the empty field too
                fields.append(m[1])
                pos = m.end()
            s = sep.match(text, pos)
            if s is None:  # cannot happen: the field ran to a delimiter, a row end or the end
                break
            pos = s.end()
            if s[0] != delimiter:
                break
        yield fields, start, pos


def _read_csv(path: Path, text: str, cut: _Cutter) -> Dump:
    dump = Dump(path, "csv")
    body = text.lstrip("\ufeff")
    offset = len(text) - len(body)
    end = _row_end(body)
    first_line = re.split(r"\r\n|\n|\r", body, maxsplit=1)[0]
    delimiter = _delimiter(first_line, path.suffix.lower())
    rows = _csv_rows(body, delimiter, end)
    header = None
    header_end = 0
    row_no = 0
    for fields, start, stop in rows:
        row_no += 1
        if not any(f.strip() for f in fields):
            continue  # a blank line
        if header is None:
            header = [f.strip() for f in fields]
            header_end = stop + offset
            dump.columns = [h for h in header if h]
            continue
        line = _line_at(body, start)
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header) :]):
            dump.problems.append(
                SourceError(
                    path,
                    f"row {row_no} has {len(fields)} fields, the header has {len(header)}",
                    line=line,
                    fix="quote the fields that hold the delimiter, or state the right delimiter",
                )
            )
            continue
        values = {h: f for h, f in zip(header, fields, strict=False) if h}
        data = cut.head(header_end) + cut.cut(start + offset, stop + offset)
        dump.records.append(Record(f"row {row_no}", line, values, data, path.suffix.lower()))
    if header is None:
        raise SourceError(path, "has no header row", fix="export it with its column names")
    return dump


# --- JSON ---------------------------------------------------------------------------------------

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # spaces: none at least


def _array_items(text: str, pos: int):
    """(value, start, end) of each element of the JSON array starting at `pos`."""
    pos = _skip(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return
    while True:
        value, end = _DECODER.raw_decode(text, pos)
        yield value, pos, end
        pos = _skip(text, end)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
            continue
        return


def _member_at(text: str, wanted: str) -> int:
    """Where the value of the top-level object's member `wanted` starts."""
    pos = _skip(text, _skip(text, 0) + 1)
    while text[pos : pos + 1] == '"':
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1)  # the colon
        if key == wanted:
            return pos
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
    raise ValueError(wanted)


def _read_json(path: Path, text: str, cut: _Cutter) -> Dump:
    body = text.lstrip("\ufeff")
    offset = len(text) - len(body)
    try:
        value = json.loads(body)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" or _one_object_per_line(body):
            return _read_json_lines(path, text, cut)  # a bulk file or JSON Lines, named .json
        raise SourceError(
            path,
            f"is not valid JSON ({err.msg})",
            line=err.lineno,
            fix="export it again, or as JSON Lines (one record per line: a broken one is then "
            "read on its own)",
        ) from err
    dump = Dump(path, "json")
    prefix, start = "", 0
    if isinstance(value, dict):
        wrapped = [
            (k, v)
            for k, v in value.items()
            if isinstance(v, list) and v and all(isinstance(e, dict) for e in v)
        ]
        if not wrapped or not is_wrapper(value):  # one record (its list of Q&A is no dump)
            dump.records.append(Record("[0]", 1, value, cut.cut(offset, len(text)), ".json"))
            dump.columns = list(value)
            return dump
        prefix, _ = max(wrapped, key=lambda kv: len(kv[1]))
        start = _member_at(body, prefix)
    elif not isinstance(value, list):
        raise SourceError(path, "holds no JSON object", fix="export the records as JSON objects")
    columns: dict[str, None] = {}
    for i, (item, s, e) in enumerate(_array_items(body, start)):
        key = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            dump.problems.append(
                SourceError(
                    path,
                    f"record {key} is a JSON {type(item).__name__}, not an object",
                    line=_line_at(body, s),
                    fix="export each record as a JSON object",
                )
            )
            continue
        columns.update(dict.fromkeys(item))
        data = cut.cut(s + offset, e + offset)
        dump.records.append(Record(key, _line_at(body, s), item, data, ".json"))
    dump.columns = list(columns)
    return dump


WRAPPER_TEXT = 200  # characters: a wrapper's own fields are a status, a count, a message


def is_wrapper(value: dict) -> bool:
    """{"code": 0, "data": [...]} wraps records; a record with a list in it has text of its own."""
    own = sum(len(v) for v in value.values() if isinstance(v, str))
    return own < WRAPPER_TEXT and not any(isinstance(v, dict) for v in value.values())


def _one_object_per_line(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines)


def _read_json_lines(path: Path, text: str, cut: _Cutter) -> Dump:
    dump = Dump(path, "jsonl")
    columns: dict[str, None] = {}
    for m in re.finditer(r"[^\r\n]+", text):
        line_text = m[0].strip().lstrip("\ufeff")
        if not line_text:
            continue
        line = _line_at(text, m.start())
        lenient = ""
        try:
            value = json.loads(line_text)
        except json.JSONDecodeError as err:
            value = read_broken_object(line_text)
            if value is None:
                dump.problems.append(
                    SourceError(
                        path,
                        f"line {line} cannot be read as a JSON object ({err.msg} at column "
                        f"{err.colno})",
                        line=line,
                        fix="export that record again",
                    )
                )
                continue
            lenient = f"not valid JSON ({err.msg} at column {err.colno}), read key by key"
        if _is_bulk_action(value):
            continue
        if not isinstance(value, dict):
            dump.problems.append(
                SourceError(
                    path,
                    f"line {line} is a JSON {type(value).__name__}, not an object",
                    line=line,
                    fix="export each record as a JSON object on its own line",
                )
            )
            continue
        columns.update(dict.fromkeys(value))
        start = m.start() + (len(m[0]) - len(m[0].lstrip().lstrip("\ufeff")))
        data = cut.cut(start, m.end())
        dump.records.append(Record(f"line {line}", line, value, data, ".jsonl", lenient))
    dump.columns = list(columns)
    return dump


def _is_bulk_action(value: object) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)) in BULK_ACTIONS
        and isinstance(next(iter(value.values())), dict)
    )


# A member of a broken object: `"key":` after the object's opening brace, or after a comma that
# follows the end of a value (a quote, a bracket, a digit, null/true/false).
BROKEN_KEY = re.compile(r'(?:^\{|(?<=["\]}\del])\s*,)\s*"(?P<key>[^"\\]{1,64})"\s*:\s*')
JSON_ESCAPE = re.compile(r'\\(?:u(?P<hex>[0-9a-fA-F]{4})|(?P<ch>["\\/bfnrt]))')
ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def read_broken_object(line: str) -> dict | None:
    """A JSON object whose string values broke its syntax (an HTML body written with its double
    quotes unescaped: `"article":"<div class="view">…"`), read member by member: a value that
    parses (null, a number, a list of attachments) is taken whole; a broken string runs to the
    next `,"key":` or the closing brace. None when it is not such an object."""
    line = line.strip()
    if not (line.startswith("{") and line.endswith("}")):
        return None
    keys = list(BROKEN_KEY.finditer(line))
    if not keys or keys[0].start() != 0:
        return None
    value: dict = {}
    pos = 0
    for i, m in enumerate(keys):
        if m.start() < pos:
            continue  # a key inside the value before it (an attachment's "link")
        try:
            parsed, end = _DECODER.raw_decode(line, m.end())
        except json.JSONDecodeError:
            parsed, end = None, -1
        follows = line[end:].lstrip()[:1] if end >= 0 else ""
        if end >= 0 and follows in (",", "}") and (follows == "}" or _key_at(keys, line, end)):
            value[m["key"]] = parsed
            pos = end
            continue
        after = next((k for k in keys[i + 1 :] if k.start() >= m.end()), None)
        raw = line[m.end() : after.start() if after else len(line) - 1].strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            value[m["key"]] = JSON_ESCAPE.sub(_unescape, raw[1:-1])
        else:
            value[m["key"]] = raw
        pos = after.start() if after else len(line)
    return value


def _key_at(keys: list[re.Match], line: str, end: int) -> bool:
    """A member's key follows the value that ended at `end`."""
    at = end + len(line[end:]) - len(line[end:].lstrip())
    return any(k.start() == at or k.start() == end for k in keys)


def _unescape(m: re.Match) -> str:
    if m["hex"]:
        return chr(int(m["hex"], 16))
    return ESCAPED.get(m["ch"], m["ch"])


# --- Excel --------------------------------------------------------------------------------------


def cell_value(value: object) -> object:
    """A cell as JSON keeps it: a date or time as ISO text (a day alone when it is midnight)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_xlsx(path: Path, data: bytes) -> Dump:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise SourceError(
            path,
            f"cannot be read as an Excel workbook ({err})",
            fix="save it again as .xlsx, or export it as CSV",
        ) from err
    dump = Dump(path, "xlsx")
    columns: dict[str, None] = {}
    try:
        for sheet in book.worksheets:
            header: list[str] | None = None
            for row_no, row in enumerate(sheet.iter_rows(values_only=True), 1):
                if header is None:
                    if any(v is not None and str(v).strip() for v in row):
                        header = [str(v).strip() if v is not None else "" for v in row]
                    continue
                values = {
                    name: cell_value(v)
                    for name, v in zip(header, row, strict=False)
                    if name and v is not None
                }
                if not any(str(v).strip() for v in values.values()):
                    continue  # an empty row
                record = {name: values.get(name) for name in header if name}
                columns.update(dict.fromkeys(record))
                data_bytes = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode()
                key = f"{sheet.title} row {row_no}"
                dump.records.append(Record(key, None, record, data_bytes, ".json"))
    finally:
        book.close()
    dump.columns = list(columns)
    return dump


# --- a folder -----------------------------------------------------------------------------------


def _read_folder(path: Path) -> Dump:
    dump = Dump(path, "folder")
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = file.relative_to(path).as_posix()
        if file.suffix.lower() not in PAGE_SUFFIXES or any(
            part.startswith(".") for part in file.relative_to(path).parts
        ):
            continue  # a sidecar, a picture, a hidden file: not a document
        dump.records.append(Record(rel, None, {}, file.read_bytes(), file.suffix.lower()))
    return dump
