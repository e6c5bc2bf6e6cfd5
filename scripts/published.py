"""The record of published URLs and anchors: links a journalist made must keep working.

`docs/published-anchors.txt` holds one published address per line, sorted:

    /doc/2024-hengnan-bada-xingdong-zongti-fangan/
    /doc/2024-hengnan-bada-xingdong-zongti-fangan/#s1
    /doc/2024-hengnan-bada-xingdong-zongti-fangan/#s1-p1
    /doc/old-id/#s2 -> /doc/new-id/#s3

A line `OLD -> NEW` records that OLD was published and now lands on NEW. A whole page that
moved may instead be redirected in mkdocs.yml (mkdocs-redirects' `redirect_maps`, which keeps
the #anchor). `check` fails when a recorded address is neither produced any more nor redirected.
`add` records the pages it adds; `python -m scripts record` records everything the build
produces now (after a deliberate change); `--forget-missing` drops what was never really published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem

RECORD = Path("docs/published-anchors.txt")
HEADER = (
    "# Published URLs and anchors (see scripts/published.py). Never delete a line: redirect it\n"
    "# with 'OLD -> NEW'. Updated by `python -m scripts add` and `python -m scripts record`.\n"
)
# An anchor as render.py writes it: `{#s1}` after a heading, `{: #s1-p1 .class }` after a
# paragraph. Source text is escaped (`\{`), so a brace from the text never matches.
MARKDOWN_ANCHOR = re.compile(r"(?<!\\)\{:?\s*#([A-Za-z][\w-]*)")


@dataclass(frozen=True)
class Entry:
    line: int
    url: str
    redirect: str | None = None


def page_url(rel: str) -> str | None:
    """docs-relative path of a document page → its URL (doc/x.md → /doc/x/)."""
    m = re.fullmatch(r"doc/([^/]+)\.md", rel)
    return f"/doc/{m[1]}/" if m else None


def addresses(files: dict[str, str]) -> set[str]:
    """Every address the generated document pages publish: the page and each of its anchors."""
    found: set[str] = set()
    for rel, markdown in files.items():
        url = page_url(rel)
        if url is None:
            continue
        found.add(url)
        found.update(f"{url}#{anchor}" for anchor in MARKDOWN_ANCHOR.findall(markdown))
    return found


def read(root: Path) -> list[Entry]:
    path = root / RECORD
    if not path.exists():
        return []
    entries = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        old, arrow, new = (part.strip() for part in line.partition("->"))
        entries.append(Entry(no, old, new if arrow else None))
    return entries


def write(root: Path, entries: list[Entry]) -> None:
    lines = sorted({f"{e.url} -> {e.redirect}" if e.redirect else e.url for e in entries})
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def record(root: Path, current: set[str], forget_missing: bool = False) -> tuple[int, int]:
    """Add every current address to the record; optionally drop recorded ones no longer produced
    (and not redirected). Returns (added, forgotten)."""
    entries = read(root)
    known = {e.url for e in entries}
    forgotten = [e for e in entries if forget_missing and not e.redirect and e.url not in current]
    kept = [e for e in entries if e not in forgotten]
    added = [Entry(0, url) for url in sorted(current - known)]
    if added or forgotten or not (root / RECORD).exists():
        write(root, kept + added)
    return len(added), len(forgotten)


def page_redirects(root: Path) -> dict[str, str]:
    """mkdocs-redirects' redirect_maps from mkdocs.yml, as URLs: {'/doc/old/': '/doc/new/'}."""
    path = root / "mkdocs.yml"
    if not path.exists():
        return {}
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}  # noqa: S506
    maps: dict[str, str] = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("redirects"), dict):
            maps.update(plugin["redirects"].get("redirect_maps") or {})
    return {_md_url(old): _md_url(new) for old, new in maps.items()}


def _md_url(target: str) -> str:
    if re.match(r"https?://", target):
        return target
    target = re.sub(r"(?:/?index)?\.md(?=#|$)", "/", target.lstrip("/"))
    return "/" + target if not target.startswith("/") else target


class _LenientLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; they do not matter here."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def missing(root: Path, current: set[str]) -> list[Problem]:
    """Recorded addresses that the build no longer produces and nothing redirects."""
    problems: list[Problem] = []
    pages = page_redirects(root)
    for entry in read(root):
        if entry.redirect:
            if not _lands(entry.redirect, current):
                problems.append(Problem(RECORD, f"{entry.url} redirects to {entry.redirect}, which does not exist",
                                        line=entry.line, fix="point the redirect at an address the site has"))
            continue
        if entry.url in current:
            continue
        page, _, anchor = entry.url.partition("#")
        moved = pages.get(page)
        if moved and (not anchor or f"{moved}#{anchor}" in current):
            continue
        problems.append(Problem(
            RECORD, f"{entry.url} was published but the site no longer has it", line=entry.line,
            fix=f"change the line to '{entry.url} -> NEW' naming where it went "
                "(or, if it was never published, run `python -m scripts record --forget-missing`)"))
    return problems


def _lands(address: str, current: set[str]) -> bool:
    return address in current or re.match(r"https?://", address) is not None
