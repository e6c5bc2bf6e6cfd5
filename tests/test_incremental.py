"""An incremental build is a full build, only faster: after documents are added, changed and
deleted, `build` then `site` on the previous build's state and caches give the same docs/ and
site/, byte for byte, as the same two commands run from nothing on a copy of the sources.

The one part of site/ compared otherwise is the search index: a rebuild keeps it in two parts
(main and recent) and numbers a new document after the others, by design; what it is built from
(each page's search record, kept by the MkDocs hook) is compared here byte for byte, and what it
finds is tested in Chromium (tests/test_scale.py).

The first build is made by one process, the full builds it is compared with by two (the site's
pages shared out: scripts/site/parallel.py), so the pages an incremental build keeps are held to
the pages a parallel build writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.archive.documents import source_files
from scripts.site.search_index import PAGE_CACHE

from .conftest import ROOT, copy_project

# what is not part of the website: the incremental build's own record of what it looked at
NOT_SITE = (".build-state.json",)
SEARCH_INDEX = "search/"


def cli(*args: str, jobs: int | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "scripts", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(
            os.environ, NO_MKDOCS_2_WARNING="1", **({"ARCHIVE_JOBS": str(jobs)} if jobs else {})
        ),
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stderr


def build_and_site(project: Path, jobs: int | None = None) -> str:
    """`make site` as a maintainer runs it: what the two commands said. `jobs`: processes
    (ARCHIVE_JOBS), else one per core."""
    return cli("build", "--root", str(project), jobs=jobs) + cli(
        "site", "--root", str(project), jobs=jobs
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def outputs(project: Path) -> dict[str, dict[str, bytes]]:
    """What a build leaves that a reader or the next command sees."""
    site = files(project / "site")
    return {
        "docs/": files(project / "docs"),
        "site/ (without its search index)": {
            rel: data
            for rel, data in site.items()
            if rel not in NOT_SITE and not rel.startswith(SEARCH_INDEX)
        },
        "the search records the index is built from": files(project / PAGE_CACHE),
    }


def from_scratch(project: Path, where: Path) -> dict[str, dict[str, bytes]]:
    """The outputs of a full build of the project's sources as they are now: a copy without the
    caches, site/ or the generated pages, built by the same commands."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(project, where, ignore=shutil.ignore_patterns(".cache", "site", ".journal"))
    generated = where / "docs" / ".generated"
    for rel in generated.read_text(encoding="utf-8").split():
        (where / "docs" / rel).unlink()
    generated.unlink()
    said = build_and_site(where, jobs=2)
    assert "MkDocs: reading and writing pages" in said, said  # shared out over two processes
    return outputs(where)


def differences(incremental: dict, full: dict) -> list[str]:
    found = []
    for part, mine in incremental.items():
        theirs = full[part]
        for rel in sorted(set(mine) | set(theirs)):
            if mine.get(rel) != theirs.get(rel):
                how = (
                    "only in the incremental build"
                    if rel not in theirs
                    else "only in the full build"
                    if rel not in mine
                    else "differs"
                )
                found.append(f"{part} {rel}: {how}")
    return found


def front_matter(page: Path) -> dict:
    return yaml.safe_load(page.read_text(encoding="utf-8").split("---\n", 2)[1])


def cited_documents(project: Path) -> list[str]:
    """Ids of documents other documents of the project cite, by their pages' front matter."""
    return sorted(
        page.stem
        for page in (project / "docs" / "doc").glob("*.md")
        if front_matter(page).get("cited_by")
    )


def source_of(project: Path, doc_id: str) -> Path:
    for path in source_files(project / "sources"):
        sidecar = path.with_suffix(".yml")
        if path.stem == doc_id or f"\nid: {doc_id}\n" in "\n" + sidecar.read_text("utf-8"):
            return path
    raise LookupError(doc_id)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incremental") / "project"
    folder.mkdir()
    copy_project(folder)
    # in one process, where the full builds it is compared with share their pages out over two
    # (scripts/site/parallel.py): the pages an incremental build keeps are held to theirs
    said = build_and_site(folder, jobs=1)
    assert "MkDocs: reading pages" in said, said
    return folder


def test_incremental_builds_equal_full_builds_after_adding_changing_and_deleting(project, tmp_path):
    def same_as_full(step: str) -> None:
        build_and_site(project)
        found = differences(outputs(project), from_scratch(project, tmp_path / "full"))
        assert not found, f"after {step}: " + "; ".join(found[:20])

    # nothing changed: nothing is written, and the outputs stay those of the first (full) build
    before = outputs(project)
    said = build_and_site(project)
    assert re.search(r"\b0 files changed under docs/", said), said
    assert not differences(outputs(project), before)

    # a document that others cite goes: their links to it become wanted entries
    cited = cited_documents(project)
    assert cited, "the project's documents should cite one another"
    gone = source_of(project, cited[0])
    kept = tmp_path / "kept"
    kept.mkdir()
    moved = [gone, gone.with_suffix(".yml")]
    for path in moved:
        shutil.move(path, kept / path.name)
    same_as_full(f"deleting {gone.name}, which other documents cite")

    # it comes back: their references resolve again, both ways
    for path in moved:
        shutil.move(kept / path.name, path)
    same_as_full(f"adding {gone.name} back")

    # a text changes (its page, its search record, the pages that list it) and a sidecar's title
    # override renames another document (the pages that name it, its place's, the exports)
    sources = [p for p in source_files(project / "sources") if p.suffix == ".txt"]
    edited = next(p for p in sources if "加强" in p.read_text(encoding="utf-8", errors="replace"))
    edited.write_bytes(edited.read_bytes().replace("加强".encode(), "加快".encode(), 1))
    renamed = next(p for p in sources if p != edited).with_suffix(".yml")
    renamed.write_text(
        renamed.read_text(encoding="utf-8") + "overrides:\n  title: 关于改过标题的实施方案\n",
        encoding="utf-8",
    )
    same_as_full(f"editing {edited.name} and renaming {renamed.stem} in its sidecar")

    # two documents at once: one deleted, one added under a new name
    victim = source_of(project, cited_documents(project)[-1])
    twin = sources[-1] if sources[-1] != victim else sources[0]
    copy = twin.with_name("zz-added-copy" + twin.suffix)
    shutil.copy2(twin, copy)
    sidecar = twin.with_suffix(".yml").read_text(encoding="utf-8")
    copy.with_suffix(".yml").write_text(
        re.sub(r"(?m)^id: .*$", "id: zz-added-copy", sidecar), encoding="utf-8"
    )
    victim.unlink()
    victim.with_suffix(".yml").unlink()
    same_as_full(f"deleting {victim.name} and adding a copy of {twin.name}")
