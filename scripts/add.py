"""`add FILE`: copy a raw scraped file into sources/ under a readable name, with its sidecar,
then rebuild docs/ (places, relations and the wanted list follow from the rebuild).

The raw bytes are copied unchanged; what the text cannot tell goes into the sidecar.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .build import build
from .convert import convert_file
from .errors import SourceError
from .sidecar import OVERRIDE_KEYS, dump_sidecar, validate

# What a maintainer should add by hand when the text does not say it.
EXPECTED = {
    "title": "标题 (title)",
    "date": "成文日期 (date)",
    "issuer": "发文机关 (issuer)",
    "region": "地区 (region)",
}


def parse_overrides(pairs: list[str], path: Path) -> dict:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in OVERRIDE_KEYS:
            raise SourceError(path, f"cannot use --set {pair!r}",
                              fix=f"write --set KEY=VALUE with KEY one of {', '.join(sorted(OVERRIDE_KEYS))}")
        overrides[key] = value
    return overrides


def add(root: Path, file: Path, url: str | None = None, retrieved: str | None = None, site: str | None = None,
        doc_id: str | None = None, overrides: dict | None = None) -> Path:
    file = Path(file)
    sidecar = {"url": url, "site": site, "retrieved": retrieved, "id": doc_id, "overrides": overrides or {}}
    sidecar = {k: v for k, v in sidecar.items() if v}
    validate(sidecar, file.with_suffix(".yml"))
    doc = convert_file(file, sidecar)
    doc_id = doc.meta["id"]
    sources = root / "sources"
    target = sources / f"{doc_id}{file.suffix.lower()}"
    if target.exists():
        raise SourceError(file, f"would be added as {target.relative_to(root)}, which exists already",
                          fix="if it is another document, give it a distinct --id")
    sidecar["id"] = doc_id  # frozen from now on: the published URL depends on it
    shutil.copyfile(file, target)
    target.with_suffix(".yml").write_text(dump_sidecar(sidecar), encoding="utf-8")
    try:
        build(root)
    except Exception:
        target.unlink()
        target.with_suffix(".yml").unlink()
        raise
    report(doc, target, root)
    return target


def report(doc, target: Path, root: Path) -> None:
    rel = target.relative_to(root)
    print(f"added {rel} as /doc/{doc.meta['id']}/")
    for key, value in doc.meta.items():
        if isinstance(value, (str, int)):
            print(f"  {key}: {value}")
    for key, label in EXPECTED.items():
        if not doc.meta.get(key):
            print(f"  no {label} found: add `{key}:` under `overrides:` in {rel.with_suffix('.yml')}", file=sys.stderr)
    for warning in doc.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
