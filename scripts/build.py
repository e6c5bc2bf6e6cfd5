"""`build`: every source → docs/. Deterministic: a second run changes nothing.

1. convert every source (all errors are collected and reported together; docs/ is not touched
   when any source fails, so one bad file never damages the pages of the others); unchanged
   sources come from a cache by content hash, the others are converted in parallel
   (scripts/convert_many.py);
2. run the archive stages that need every document at once;
3. render the document pages and the generated index pages;
4. write what changed, and delete generated pages that are no longer produced.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from . import export, implementation_map, memo, pages, place_pages, relations, target_pages
from .archive import Archive, document_path, source_files
from .convert_many import convert_many
from .render import removal_reports, render

# Generated files are listed here, so a rebuild can remove the ones no source produces any more.
MANIFEST = ".generated"

ArchiveStage = Callable[[Archive], None]
PageWriter = Callable[[Archive], dict[str, str]]

# relations before places: a place name inside a linked reference is not linked again;
# targets and diagrams after both (they read the relations and the places)
ARCHIVE_STAGES: list[ArchiveStage] = [relations.link_references, place_pages.attach_places,
                                      implementation_map.add_neighbourhoods, target_pages.add_target_boxes]
PAGE_WRITERS: list[PageWriter] = [pages.home_page, place_pages.place_pages, relations.wanted_page,
                                  export.export_files, removal_reports, target_pages.comparison_page,
                                  implementation_map.implementation_pages]


class BuildError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def load_archive(root: Path, cache: bool = True) -> Archive:
    archive = Archive(root=root)
    archive.documents, errors = convert_many(source_files(archive.sources_dir), root if cache else None)
    seen: dict[str, Path] = {}
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        if doc_id in seen:
            errors.append(f"{doc.source}: has the same id {doc_id!r} as {seen[doc_id]}; "
                          "set a distinct 'id:' in one of their sidecars")
        seen[doc_id] = doc.source
    if errors:
        raise BuildError(errors)
    archive.documents.sort(key=lambda d: d.meta["id"])
    for stage in ARCHIVE_STAGES:
        stage(archive)
    return archive


def generate(archive: Archive) -> dict[str, str]:
    """Every generated file under docs/, by relative path."""
    files: dict[str, str] = {}
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        files[document_path(doc_id)] = render(doc, archive.sections.get(doc_id))
    for writer in PAGE_WRITERS:
        files.update(writer(archive))
    return files


def write_docs(docs_dir: Path, files: dict[str, str]) -> list[str]:
    """Write what changed; remove what a previous build generated and this one did not."""
    changed = []
    manifest = docs_dir / MANIFEST
    previous = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    for rel, content in sorted(files.items()):
        path = docs_dir / rel
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        changed.append(rel)
    for rel in sorted(previous - set(files)):
        stale = docs_dir / rel
        if stale.exists():
            stale.unlink()
            changed.append(rel)
            for folder in stale.parents:  # a place page's folder goes with its last page
                if folder == docs_dir or any(folder.iterdir()):
                    break
                folder.rmdir()
    listing = "".join(f"{rel}\n" for rel in sorted(files))
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != listing:
        manifest.write_text(listing, encoding="utf-8")
    return changed


def build(root: Path, quiet: bool = False, cache: bool = True) -> list[str]:
    with memo.kept_in(root) if cache else nullcontext():
        archive = load_archive(root, cache=cache)
        changed = write_docs(archive.docs_dir, generate(archive))
    if not quiet:
        for doc in archive.documents:
            for warning in doc.warnings:
                print(f"{doc.source}: warning: {warning}", file=sys.stderr)
        print(f"built {len(archive.documents)} documents; {len(changed)} files changed under docs/", file=sys.stderr)
    return changed
