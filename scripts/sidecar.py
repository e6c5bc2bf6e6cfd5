"""The sidecar: what the text cannot tell, beside each source as `NAME.yml`.

    url: https://…            # where it was scraped from
    site: 中郡县域经济网        # the site's name
    retrieved: 2025-01-20      # when
    id: 2024-hengnan-…         # frozen once published
    overrides:                 # corrections to what the pipeline extracted; they win
      date: 2024-04-17

Sources are never edited by hand: a correction goes here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .errors import SourceError

TOP_KEYS = {"url", "site", "retrieved", "id", "overrides", "note"}
OVERRIDE_KEYS = {
    "title", "doc_number", "issuer", "date", "doc_type", "level", "region", "region_code", "script",
    "full_title", "published",
}
LEVELS = {"national", "province", "city", "county"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def sidecar_path(source: Path) -> Path:
    return source.with_suffix(".yml")


def load_sidecar(source: Path) -> dict:
    path = sidecar_path(source)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise SourceError(path, f"is not valid YAML ({getattr(err, 'problem', err)})",
                          line=line + 1 if line is not None else None,
                          fix="fix the YAML syntax (quote values that contain ':' or '#')") from err
    except UnicodeDecodeError as err:
        raise SourceError(path, "is not UTF-8", fix="save the sidecar as UTF-8") from err
    validate(data, path)
    return data


def validate(data: object, path: Path) -> None:
    if not isinstance(data, dict):
        raise SourceError(path, "must be a mapping of keys to values", fix="see CONTRIBUTING.md for the sidecar keys")
    for key in data:
        if key not in TOP_KEYS:
            raise SourceError(path, f"has unknown key {key!r}", line=_line_of(path, key),
                              fix=f"use one of {', '.join(sorted(TOP_KEYS))}, or put a field correction under 'overrides:'")
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise SourceError(path, "'overrides' must be a mapping", line=_line_of(path, "overrides"),
                          fix="write one 'key: value' per line under it")
    for key, value in overrides.items():
        if key not in OVERRIDE_KEYS:
            raise SourceError(path, f"has unknown override {key!r}", line=_line_of(path, key),
                              fix=f"use one of {', '.join(sorted(OVERRIDE_KEYS))}")
        if key == "level" and value not in LEVELS:
            raise SourceError(path, f"level {value!r} is not one of {sorted(LEVELS)}", line=_line_of(path, key),
                              fix="write national, province, city or county")
        if key == "date":
            overrides[key] = _iso(value, path, key)
    if "retrieved" in data:
        data["retrieved"] = _iso(data["retrieved"], path, "retrieved")
    if "id" in data and not ID_PATTERN.match(str(data["id"])):
        raise SourceError(path, f"id {data['id']!r} is not lower-case ASCII words joined by '-'",
                          line=_line_of(path, "id"), fix="write it like 2024-hengnan-bada-xingdong")
    data["overrides"] = overrides


def _iso(value: object, path: Path, key: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise SourceError(path, f"{key} {value!r} is not a date", line=_line_of(path, key), fix="write it as YYYY-MM-DD")


def _line_of(path: Path, key: str) -> int | None:
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(rf"\s*{re.escape(str(key))}\s*:", line):
            return no
    return None


def dump_sidecar(data: dict) -> str:
    clean = {k: v for k, v in data.items() if v not in (None, {}, "")}
    return yaml.safe_dump(clean, allow_unicode=True, sort_keys=False)
