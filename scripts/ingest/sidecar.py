"""The sidecar: what the text cannot tell, beside each source as `NAME.yml`.

    url: https://…            # where it was scraped from
    site: 中郡县域经济网        # the site's name
    retrieved: 2025-01-20      # when
    id: 2024-hengnan-…         # frozen once published
    overrides:                 # corrections to what the pipeline extracted; they win
      date: 2024-04-17

Sources are never edited by hand: a correction goes here. `SCHEMA` and `OVERRIDES` below are
the whole schema (OVERRIDES from the field registry, core/fields.py): `validate` checks a sidecar against them, CONTRIBUTING.md documents them (a
test keeps the two in step), and `add` offers one command-line flag per override.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core import fields
from ..core.chars import BIDI_CONTROLS, LINE_BREAKS, NOT_TEXT, code_points
from ..core.errors import SourceError
from ..core.paths import refuse_leading_out

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An id names sources/<id>.*, docs/doc/<id>.md (and .removed.txt) and /doc/<id>/: far below a file
# name's 255 bytes, and no name MkDocs or the site gives a meaning of its own (doc/index.md would
# be the folder's own page).
ID_MAX_LENGTH = 120
RESERVED_IDS = {
    "index",
    "readme",
    "404",
    "sitemap",
    "feed",
    "assets",
    "search",
    "export",
    "browse",
    "doc",
    "wanted",
    "sources",
    "targets",
    "implementation",
    "about",
    "quanguo",
}
LEVELS = ("national", "province", "city", "county")
SCRIPTS = ("zh-Hans", "zh-Hant")


class Invalid(ValueError):
    """A value that does not fit its field; the message says how to write it."""


def text(value: object) -> str:
    if isinstance(value, (dict, list, set, bytes)) or value is None:
        raise Invalid("write a single line of text")
    return str(value).strip()


def line(value: object) -> str:
    """A field shown on the page: one line, no bidi controls (ingest/controls.py says why)."""
    value = text(value)
    if LINE_BREAKS.search(value):
        raise Invalid(
            "write it on one line: a field is shown in headings, tables, the feed and the CSV"
        )
    if NOT_TEXT.search(value):
        raise Invalid(
            f"remove {code_points(''.join(NOT_TEXT.findall(value)))}: it is not text "
            "(a feed with it would not be XML)"
        )
    if BIDI_CONTROLS.search(value):
        raise Invalid(
            f"remove the bidirectional control(s) {code_points(''.join(BIDI_CONTROLS.findall(value)))}: "
            "they show the text reversed"
        )
    return value


def iso_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise Invalid("write a date as YYYY-MM-DD, e.g. 2024-04-17")


def url(value: object) -> str:
    value = line(value)
    if not re.fullmatch(r"https?://[^\s/]+\S*", value):
        raise Invalid("write the full address, starting with http:// or https://")
    return value


def doc_id(value: object) -> str:
    value = text(value)
    if not ID_PATTERN.match(value):
        raise Invalid("write lower-case ASCII words joined by '-', e.g. 2024-hengnan-bada-xingdong")
    if len(value) > ID_MAX_LENGTH:
        raise Invalid(
            f"write at most {ID_MAX_LENGTH} characters (it names files and the page's URL)"
        )
    if value in RESERVED_IDS:
        raise Invalid(
            f"{value!r} is a name the site uses itself; begin the id with the year, e.g. 2024-{value}"
        )
    return value


def sha256_hex(value: object) -> str:
    value = text(value).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise Invalid("write the 64 hexadecimal digits of the record's SHA-256")
    return value


def dump_name(value: object) -> str:
    value = line(value)
    if not re.fullmatch(r"dumps/[^/\\]+", value) or value.endswith((".", "/")):
        raise Invalid("write the dump's path in sources/, e.g. dumps/crawl-2024.csv")
    return value


def column_map(value: object) -> dict[str, str]:
    from .record_source import ROLES

    if not isinstance(value, dict):
        raise Invalid(f"write one indented 'ROLE: column' per line, ROLE one of {', '.join(ROLES)}")
    out = {}
    for role, column in value.items():
        if role not in ROLES:
            raise Invalid(f"{role!r} is no role; use one of {', '.join(ROLES)}")
        out[str(role)] = line(column)
    return out


def one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise Invalid(f"write one of {', '.join(choices)}")
        return str(value)

    return check


def region_code(value: object) -> str:
    # YAML reads an unquoted 430422 as a number; a leading zero would be lost, so quote it.
    value = (
        str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    )
    if not re.fullmatch(r"\d{6}", value):
        raise Invalid("write the 6-digit administrative division code in quotes, e.g. '430422'")
    return value


def doc_number(value: object) -> str:
    from ..core.docnumber import DocNumber

    value = line(value)
    try:
        return str(DocNumber.parse(value))
    except ValueError:
        raise Invalid(
            "write a 文号 like 衡政办发〔2024〕5号, or a decree's or 公告's number like "
            "江西省人民政府令第232号"
        ) from None


@dataclass(frozen=True)
class Field:
    meaning: str
    example: str
    parse: Callable[[object], object] = line


SCHEMA: dict[str, Field] = {
    "id": Field(
        "stable ASCII identifier, the page's URL /doc/<id>/; frozen once published",
        "2024-hengnan-bada-xingdong-zongti-fangan",
        doc_id,
    ),
    "url": Field(
        "the address it was scraped from", "https://www.example.gov.cn/art/2024/4/17/1.html", url
    ),
    "site": Field("the name of the site it was scraped from", "衡南县人民政府网"),
    "retrieved": Field("the day it was scraped", "2025-01-20", iso_date),
    "added": Field(
        "the day it entered the archive (`add` writes it): the feed's date, and a "
        "citation's when the document has none",
        "2025-01-21",
        iso_date,
    ),
    "note": Field(
        "anything a later maintainer should know about this source",
        "正文末尾的广告已手工核对",
        text,
    ),
    "dump": Field(
        "the bulk export this record came from, kept byte for byte in sources/ "
        "(`python -m scripts import` writes it)",
        "dumps/national-govcn-zhengceku-yiqing.xlsx",
        dump_name,
    ),
    "record": Field(
        "which record of the dump: a row, an element, a line",
        "Sheet1 row 12",
    ),
    "record_sha256": Field(
        "the SHA-256 of the record's bytes (the source file beside this sidecar)",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        sha256_hex,
    ),
    "columns": Field(
        "the dump's column of each field, where its names do not tell "
        "(title, doc_number, issuer, date, body, url, site; '-' for none)",
        "{title: 标题, body: 正文}",
        column_map,
    ),
    "overrides": Field(
        "corrections to what the pipeline extracted (keys below); they win", "date: 2024-04-17"
    ),
}
# The parsers an override names (core/fields.py Override.parse)
PARSERS: dict[str, Callable[[object], object]] = {
    "line": line,
    "doc_number": doc_number,
    "date": iso_date,
    "level": one_of(LEVELS),
    "region_code": region_code,
    "script": one_of(SCRIPTS),
}
# The fields a sidecar may correct: the registry's (core/fields.py), in its order
OVERRIDES: dict[str, Field] = {
    f.key: Field(f.override.meaning, f.override.example, PARSERS[f.override.parse])
    for f in fields.FIELDS
    if f.override is not None
}
TOP_KEYS = set(SCHEMA)
OVERRIDE_KEYS = set(OVERRIDES)


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".yml")


class NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without aliases. `*a` repeats the value `&a` names, and repeats of repeats ("a
    billion laughs") make a 1 KB file gigabytes of values the moment anything walks them (an
    error message that quotes one took 11 GB). A sidecar, or the front matter the pipeline
    writes, spells every value out: an alias is refused, naming its line."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the alias *{event.anchor} repeats another value",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _Loader(NoAliasLoader):
    """Safe YAML that refuses a key written twice (YAML would silently keep the last), and aliases."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key is a name, not a list or a mapping", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {shown(key)} is written twice (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# Dates stay text, checked by `iso_date`: PyYAML would crash on 2025-02-30 instead of saying so.
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def parse_sidecar(content: str, path: Path) -> dict:
    """YAML text → a validated sidecar (dates as ISO strings, 文号 canonical)."""
    try:
        data = yaml.load(content, Loader=_Loader)  # a SafeLoader: no Python objects from YAML
        lines = _key_lines(yaml.compose(content, Loader=yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceError(
            path,
            f"is not valid YAML ({getattr(err, 'problem', None) or err})",
            line=mark.line + 1 if mark is not None else None,
            fix="write the value out where the alias stands"
            if "alias" in str(getattr(err, "problem", ""))
            else "fix the YAML syntax (quote a value that contains ': ' or ' #')",
        ) from err
    return validate(data if data is not None else {}, path, lines)


def load_sidecar(source: Path) -> dict:
    path = sidecar_path(source)
    if path.is_symlink():
        refuse_leading_out(path)
    if not path.exists():
        return {}
    return parse_sidecar(read_sidecar_text(path), path)


# A sidecar is a dozen short lines; past this it is not one (and every message quoting it is bounded).
MAX_SIDECAR_BYTES = 64 * 1024


def read_sidecar_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_SIDECAR_BYTES:
        raise SourceError(
            path,
            f"is {size:,} bytes, over the {MAX_SIDECAR_BYTES:,} of a sidecar",
            fix="a sidecar holds a few keys (see CONTRIBUTING.md): check that it is the right file",
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(path, "is not UTF-8", fix="save the sidecar as UTF-8") from err


def validate(data: object, path: Path, lines: dict[str, int] | None = None) -> dict:
    """Check `data` against the schema, normalising values in place; returns it."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise SourceError(
            path,
            "must be a mapping of keys to values",
            line=1,
            fix="write one 'key: value' per line (see CONTRIBUTING.md)",
        )
    for key in list(data):
        if key not in SCHEMA:
            raise SourceError(
                path,
                f"has unknown key {shown(key)}",
                line=lines.get(str(key)),
                fix=f"use one of {', '.join(sorted(SCHEMA))}, or put a field correction under 'overrides:'",
            )
        if key != "overrides":
            data[key] = _field(SCHEMA[key], key, data[key], path, lines.get(key))
    if "record" in data and "dump" not in data:
        raise SourceError(
            path,
            "names a record but no dump",
            line=lines.get("record"),
            fix="add `dump: dumps/NAME` (the export the record came from)",
        )
    overrides = data.get("overrides")
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise SourceError(
            path,
            "'overrides' must be a mapping",
            line=lines.get("overrides"),
            fix="write one indented 'key: value' per line under it",
        )
    for key in list(overrides):
        where = lines.get(f"overrides.{key}")
        if key not in OVERRIDES:
            raise SourceError(
                path,
                f"has unknown override {shown(key)}",
                line=where,
                fix=f"use one of {', '.join(sorted(OVERRIDES))}",
            )
        overrides[key] = _field(OVERRIDES[key], key, overrides[key], path, where)
    data["overrides"] = overrides
    return data


def _field(field: Field, key: str, value: object, path: Path, line: int | None) -> object:
    if value is None or value == "":
        raise SourceError(
            path,
            f"{key} is empty",
            line=line,
            fix=f"write a value (e.g. {key}: {field.example}) or delete the line",
        )
    try:
        return field.parse(value)
    except Invalid as err:
        raise SourceError(
            path, f"{key} {shown(value)} is not valid", line=line, fix=str(err)
        ) from None


def shown(value: object, limit: int = 80) -> str:
    """A value as a message quotes it, cut to `limit` characters: never the whole of a long one."""
    if isinstance(value, (dict, list)):
        return f"(a {'mapping' if isinstance(value, dict) else 'list'})"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """1-based line of each top-level key, and of each key under `overrides` as 'overrides.KEY'."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        lines[str(key_node.value)] = key_node.start_mark.line + 1
        if key_node.value == "overrides" and isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"overrides.{sub_key.value}"] = sub_key.start_mark.line + 1
    return lines


def dump_sidecar(data: dict) -> str:
    order = list(SCHEMA)
    clean = {
        k: data[k]
        for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))
        if data[k] not in (None, {}, "")
    }
    return yaml.safe_dump(clean, allow_unicode=True, sort_keys=False, width=1000)
