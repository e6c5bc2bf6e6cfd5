"""Pagefind's filter and meta files made the same for the same pages, so that a site built twice
from the same sources is byte-identical.

Pagefind (1.5) writes each filter's values, and the list of filters in its meta file, in the
order of a Rust hash map, which changes from run to run; the files are named after a hash of
their content, so their names change too (its fragments and index chunks are stable since 1.3,
Pagefind issue #638; there is no option for the rest). After each run the values are put in
order, the files renamed after the new content, and the names they are known by (meta file,
pagefind-entry.json) rewritten. The files are gzip'd CBOR ("pagefind_dcd" + CBOR) of arrays, text
and unsigned integers only; a file that is anything else, or that our encoding would not write
back byte for byte, is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

MAGIC = b"pagefind_dcd"


class Unexpected(ValueError):
    """Not the CBOR subset this module rewrites."""


def _decode(data: bytes, at: int = 0) -> tuple[object, int]:
    head, at = data[at], at + 1
    major, info = head >> 5, head & 31
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise Unexpected(f"CBOR item of indefinite length or float ({head:#x})")
    if major == 0:
        return value, at
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise Unexpected(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise Unexpected("integer too large")


def _encode(item: object) -> bytes:
    if isinstance(item, bool) or not isinstance(item, (int, str, list)):
        raise Unexpected(f"cannot encode {type(item).__name__}")
    if isinstance(item, int):
        return _head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(item)) + b"".join(_encode(x) for x in item)


def read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise Unexpected(f"{path.name} does not begin with {MAGIC!r}")
    item, end = _decode(data, len(MAGIC))
    if end != len(data) or _encode(item) != data[len(MAGIC):]:
        raise Unexpected(f"{path.name} would not be written back byte for byte")
    return item


def encoded(item: object) -> bytes:
    return gzip.compress(MAGIC + _encode(item), mtime=0)


def name_of(language: str, item: object, digits: int) -> str:
    return f"{language}_{hashlib.sha256(MAGIC + _encode(item)).hexdigest()[:digits]}"


def stabilise(bundle: Path) -> None:
    """Put the filter values and the filters of each language of a Pagefind bundle in order."""
    entry_path = bundle / "pagefind-entry.json"
    if not entry_path.exists():
        return
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry.get("languages", {}).items():
        try:
            plan = _plan(bundle, language, info["hash"])
        except (Unexpected, OSError, IndexError, KeyError, TypeError, ValueError):
            continue  # not the layout this was written for: left as Pagefind wrote it
        for old, new, item in plan:  # the new files first, then the old ones go
            if old != new:
                new.write_bytes(encoded(item))
        for old, new, _ in plan:
            if old != new:
                old.unlink()
        info["hash"] = plan[-1][1].name.removeprefix("pagefind.").removesuffix(".pf_meta")
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    if entry_path.read_text(encoding="utf-8") != text:
        entry_path.write_text(text, encoding="utf-8")


def _plan(bundle: Path, language: str, meta_hash: str) -> list[tuple[Path, Path, object]]:
    """(file as written, file in order, its content) for each filter file, then the meta file."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read(meta_path)
    plan, filters = [], []
    for name, digest in meta[3]:
        old = bundle / "filter" / f"{digest}.pf_filter"
        filter_name, values = read(old)
        item = [filter_name, sorted([value, sorted(pages)] for value, pages in values)]
        new_name = name_of(language, item, 7)
        plan.append((old, bundle / "filter" / f"{new_name}.pf_filter", item))
        filters.append([name, new_name])
    meta[3] = sorted(filters)
    plan.append((meta_path, bundle / f"pagefind.{name_of(language, meta, 10)}.pf_meta", meta))
    return plan
