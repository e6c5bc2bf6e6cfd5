"""A file is read where it is named: a symbolic link that leads out of its folder is refused.

`sources/x.txt -> ../.git/config` would put the checkout's git configuration (on CI, the token
`actions/checkout` stores there) on a page, in the search index, the feed and site/sources/.
Every command that reads a file checks it here first: a source and its sidecar (ingest, for
`convert`, `add`, `build`, `check`), the folders the archive is read from (sources/, docs/), the
files the site ships, and a folder of files imported in bulk. A link to a file in the same
folder stays allowed (it is no secret); one that leaves it is refused in one line naming the
link and where it leads, never what it holds.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SourceError

# The suffixes of the sources the converter reads (scripts/ingest/convert.py), here below it: the
# site build lists the sources it ships without loading the converter's patterns
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
RECORD_SUFFIXES = {".json"}  # a portal search service's record (record_source.py)
# a dump of one record: a crawler's CSV row with its header, a JSON Lines line, a spreadsheet's
# row (ingest/dump.py; `python -m scripts import` reads a dump of many)
ONE_RECORD_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".xlsx", ".xlsm"}
# Every suffix a source may have: what `add` stores, `build` converts and the site serves are one
SOURCE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES | ONE_RECORD_SUFFIXES


def leads_out(path: Path, folder: Path | None = None) -> bool:
    """Whether `path` (named in `folder`, by default its own folder) really is outside `folder`:
    it, or a folder on the way to it, is a symbolic link leading elsewhere."""
    folder = Path(folder) if folder is not None else Path(path).parent
    try:
        real, home = Path(path).resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return True
    return real != home and not real.is_relative_to(home)


def link_target(path: Path) -> str:
    """Where a link says it leads (as written in it), or where it resolves to."""
    try:
        return os.readlink(path)
    except OSError:
        return str(Path(path).resolve())


def refuse_leading_out(path: Path, folder: Path | None = None, name: str | None = None) -> None:
    """Raise a one-line SourceError when `path` leads out of `folder` (see `leads_out`)."""
    if leads_out(path, folder):
        raise leading_out(path, folder, name)


def leading_out(path: Path, folder: Path | None = None, name: str | None = None) -> SourceError:
    folder = Path(folder) if folder is not None else Path(path).parent
    return SourceError(
        path,
        f"is a symbolic link to {link_target(path)}, outside {name or str(folder) + '/'}: "
        "nothing is read through it",
        fix="put the file itself there (a copy of what it should hold), or remove the link",
    )


def links_leading_out(folder: Path, name: str | None = None) -> list[SourceError]:
    """Every entry under `folder` (at any depth) that leads out of it, one error each, in the
    order of their names. The walk does not follow links (a linked folder is named once) and
    asks the kernel nothing more for an entry that is not a link."""
    folder = Path(folder)
    found = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    if leads_out(Path(entry.path), folder):
                        found.append(leading_out(Path(entry.path), folder, name))
                elif entry.is_dir():
                    pending.append(Path(entry.path))
    return sorted(found, key=lambda err: str(err.path))


# The folders a build reads and the site publishes: sources/ (its files are shipped as
# downloads), docs/, and overrides/ (the theme's own files are copied into the site).
PUBLISHED_FOLDERS = ("sources", "docs", "overrides")


def links_out_of_the_repository(root: Path) -> list[SourceError]:
    """The symbolic links in the published folders that lead out of their folder (or a folder that
    leads out of the repository), each named relative to `root`."""
    root = Path(root)
    found: list[SourceError] = []
    for name in PUBLISHED_FOLDERS:
        folder = root / name
        if folder.is_symlink() and leads_out(folder, root):
            found.append(leading_out(folder, root, "the repository").relative_to(root))
        elif folder.is_dir():
            found += [err.relative_to(root) for err in links_leading_out(folder, f"{name}/")]
    return found


def refuse_links_out_of_the_repository(root: Path) -> None:
    """Raise the first of `links_out_of_the_repository`, saying how many there are."""
    found = links_out_of_the_repository(root)
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more such link(s))" if len(found) > 1 else ""
        raise SourceError(first.path, first.problem + more, fix=first.fix)
