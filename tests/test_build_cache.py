"""The build's caches (converted documents with their analyses, rendered pages, the memo) never
serve stale output: after any edit, a cached build writes what a build without caches writes."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from scripts.archive.analyses import registry
from scripts.archive.documents import source_files
from scripts.ingest.convert import convert_file
from scripts.pipeline import build as build_module
from scripts.pipeline.build import PAGE_CACHE, build, load_archive
from scripts.pipeline.record import BuildRecord, content_hash
from scripts.speed.memo import MEMO_DIR

from .conftest import copy_project


def docs_tree(root: Path) -> dict[str, str]:
    docs = root / "docs"
    # losslessly as text: docs/ also holds hand-made binary assets (the share card, a PNG)
    return {
        p.relative_to(docs).as_posix(): p.read_bytes().decode("utf-8", "surrogateescape")
        for p in docs.rglob("*")
        if p.is_file()
    }


def without_caches(project: Path, tmp_path: Path) -> dict[str, str]:
    """docs/ as a build from nothing writes it, for the project as it is now."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".cache"))
    build(fresh, quiet=True, cache=False)
    return docs_tree(fresh)


@pytest.fixture
def built(tmp_path) -> Path:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    build(project, quiet=True)
    assert (project / PAGE_CACHE).exists() and list((project / MEMO_DIR).glob("*.pickle"))
    return project


def a_source(project: Path) -> Path:
    return next(p for p in source_files(project / "sources") if "hengnan" in p.name)


def test_a_rebuild_changes_nothing(built, tmp_path):
    before = docs_tree(built)
    assert build(built, quiet=True) == []
    assert docs_tree(built) == before == without_caches(built, tmp_path)


def test_an_edited_source_changes_its_page_and_the_pages_that_read_it(built, tmp_path):
    source = a_source(built)
    text = source.read_bytes().decode("utf-8")
    assert "衡南县" in text
    source.write_bytes(text.replace("衡南县", "衡南县（改）", 3).encode("utf-8"))
    changed = build(built, quiet=True)
    assert any(rel.startswith("doc/") and rel.endswith(".md") for rel in changed)
    assert docs_tree(built) == without_caches(built, tmp_path)


def test_an_edited_sidecar_changes_the_page(built, tmp_path):
    sidecar = a_source(built).with_suffix(".yml")
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8") + "url: https://example.org/hengnan.html\n",
        encoding="utf-8",
    )
    changed = build(built, quiet=True)
    assert any(rel.startswith("doc/") and "hengnan" in rel for rel in changed)
    assert docs_tree(built) == without_caches(built, tmp_path)


def test_a_title_override_reaches_the_page_through_the_caches(built, tmp_path):
    source = a_source(built)
    sidecar = source.with_suffix(".yml")
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8") + "overrides:\n  title: 衡南县改过的标题方案\n",
        encoding="utf-8",
    )
    build(built, quiet=True)
    tree = docs_tree(built)
    assert any(
        "衡南县改过的标题方案" in page for rel, page in tree.items() if rel.startswith("doc/")
    )
    assert tree == without_caches(built, tmp_path)


def test_a_removed_and_an_added_document(built, tmp_path):
    source = a_source(built)
    copy = source.with_name("added-copy" + source.suffix)
    shutil.copy2(source, copy)
    sidecar = source.with_suffix(".yml").read_text(encoding="utf-8")
    copy.with_suffix(".yml").write_text(
        re.sub(r"^id: .*$", "id: added-copy", sidecar, flags=re.MULTILINE), encoding="utf-8"
    )
    build(built, quiet=True)
    assert (built / "docs" / "doc" / "added-copy.md").exists()
    assert docs_tree(built) == without_caches(built, tmp_path)
    copy.unlink()
    copy.with_suffix(".yml").unlink()
    build(built, quiet=True)
    assert not (built / "docs" / "doc" / "added-copy.md").exists()
    assert docs_tree(built) == without_caches(built, tmp_path)


def test_a_page_edited_by_hand_is_put_back_and_new_code_misses_the_page_cache(built, monkeypatch):
    page = next((built / "docs" / "doc").glob("*hengnan*.md"))
    page.write_text("edited by hand\n", encoding="utf-8")  # a build puts back what the sources give
    build(built, quiet=True)
    assert page.read_text(encoding="utf-8") != "edited by hand\n"
    archive = load_archive(built)
    doc = archive.documents[0]
    digest = build_module.page_digest(archive, doc, archive.sections.get(doc.meta["id"]))
    monkeypatch.setattr(build_module, "code_version", lambda: "another version of the code")
    assert build_module.page_digest(archive, doc, archive.sections.get(doc.meta["id"])) != digest


def test_cached_analyses_are_what_the_document_gives_now(built):
    """A document from the cache carries its analyses; they equal those of a fresh conversion."""
    archive = load_archive(built)
    for doc in archive.documents:
        assert set(doc.analyses) == set(registry())
        fresh = convert_file(doc.source)
        for name, analyse in registry().items():
            assert analyse(fresh) == doc.analyses[name], (doc.source.name, name)


def test_the_docs_writer_writes_each_group_as_it_comes_and_removes_what_no_group_gave(tmp_path):
    """`build` hands docs/ a writer's files at a time (build_module.DocsWriter): what is there
    already is left alone, what a previous build generated and no group gave is removed (its folder
    with its last page), and the record gets the hash of each file written."""
    docs = tmp_path / "docs"
    first = build_module.DocsWriter(docs)
    first.put({"doc/a.md": "# 甲\n", "hunan/b.md": "# 乙\n"})
    first.put({"c.csv": "\ufeffid\n"})
    assert first.finish() == ["c.csv", "doc/a.md", "hunan/b.md"]
    assert (docs / build_module.MANIFEST).read_text(encoding="utf-8").split() == [
        "c.csv",
        "doc/a.md",
        "hunan/b.md",
    ]
    assert first.written["doc/a.md"] == content_hash("# 甲\n".encode())
    kept = (docs / "doc/a.md").stat().st_mtime_ns

    second = build_module.DocsWriter(docs)
    second.put({"doc/a.md": "# 甲\n"})
    second.put({"c.csv": "\ufeffid\n1\n", "doc/a.md": "# 甲\n"})  # the same file twice: once
    assert second.finish() == ["c.csv", "hunan/b.md"]
    assert (docs / "doc/a.md").stat().st_mtime_ns == kept  # the same bytes: not written again
    assert not (docs / "hunan").exists()  # the place's folder went with its last page
    assert (docs / "c.csv").read_text(encoding="utf-8") == "\ufeffid\n1\n"
    assert set(second.written) == {"c.csv"}
    assert second.listed == {"c.csv", "doc/a.md"}


def test_the_docs_writer_compares_a_file_its_record_vouches_for_by_hash_and_reads_the_others(
    tmp_path,
):
    """A file with the size and time the last build recorded holds the recorded bytes (as git's
    index assumes): it is compared by hash, not read. Shown with a record that says otherwise than
    the disk, same size and time: the writer believes the record. Without it, or once the time
    differs, the file is read."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "a.md"
    page.write_text("# 甲\n", encoding="utf-8")
    long_ago = time.time_ns() - 60 * 10**9
    os.utime(page, ns=(long_ago, long_ago))
    stat = page.stat()
    record = BuildRecord(
        docs={"a.md": [stat.st_size, stat.st_mtime_ns, content_hash("# 乙\n".encode())]},
        docs_at=time.time_ns(),
    )
    believing = build_module.DocsWriter(docs, record=record)
    believing.put({"a.md": "# 乙\n"})
    assert believing.written == {}  # by the record, the file holds 乙 already
    assert page.read_text(encoding="utf-8") == "# 甲\n"

    reading = build_module.DocsWriter(docs)
    reading.put({"a.md": "# 乙\n"})
    assert page.read_text(encoding="utf-8") == "# 乙\n"

    os.utime(page, ns=(long_ago + 10**9, long_ago + 10**9))  # 乙 on disk, the record's time no more
    record.docs["a.md"][2] = content_hash("# 丙\n".encode())
    stale = build_module.DocsWriter(docs, record=record)
    stale.put({"a.md": "# 乙\n"})
    assert stale.written == {}  # read, and equal
    stale.put({"a.md": "# 丁\n"})
    assert set(stale.written) == {"a.md"}
    assert page.read_text(encoding="utf-8") == "# 丁\n"


def test_a_build_stopped_part_way_leaves_no_page_the_next_build_cannot_remove(tmp_path):
    """A new file is listed in docs/.generated before it is written: when the build stops before
    `finish` (Ctrl-C, a writer that fails), the next build still knows it generated the file, and
    removes it when no source gives it any more."""
    docs = tmp_path / "docs"
    done = build_module.DocsWriter(docs)
    done.put({"doc/a.md": "# 甲\n"})
    done.finish()

    stopped = build_module.DocsWriter(docs)
    stopped.put({"doc/a.md": "# 甲\n", "doc/b.md": "# 乙\n"})  # and then the build stops
    listed = (docs / build_module.MANIFEST).read_text(encoding="utf-8").split()
    assert listed == ["doc/a.md", "doc/b.md"]

    after = build_module.DocsWriter(docs)  # b's source was deleted meanwhile
    after.put({"doc/a.md": "# 甲\n"})
    assert after.finish() == ["doc/b.md"]
    assert not (docs / "doc/b.md").exists()
    assert (docs / build_module.MANIFEST).read_text(encoding="utf-8") == "doc/a.md\n"


def test_damaged_conversion_cache_entries_are_converted_again(built, tmp_path):
    """An entry cut short, overwritten, emptied, or holding something else than a document (a disk
    that filled up, another program, a hand edit) is converted again and rewritten; the others are
    still read."""
    import pickle

    from scripts.pipeline.convert_many import CACHE_DIR

    before = docs_tree(built)
    entries = sorted((built / CACHE_DIR).glob("*/*.pickle"))
    assert len(entries) == len(source_files(built / "sources")) >= 5
    damage = {
        entries[0]: entries[0].read_bytes()[: len(entries[0].read_bytes()) // 2],
        entries[1]: b"\x80\x05garbage" * 100,
        entries[2]: b"",
        entries[3]: pickle.dumps({"meta": {}, "blocks": []}),
        entries[4]: os.urandom(4096),
    }
    for entry, data in damage.items():
        entry.write_bytes(data)
    untouched = {entry: entry.stat().st_mtime_ns for entry in entries[5:]}
    for page in (built / "docs" / "doc").glob("*.md"):
        page.unlink()  # every page written again, from the documents as loaded
    build(built, quiet=True)
    assert docs_tree(built) == before
    for entry, data in damage.items():
        assert entry.read_bytes() != data and pickle.loads(entry.read_bytes()).meta["id"]
    assert {entry: entry.stat().st_mtime_ns for entry in entries[5:]} == untouched  # read, kept


def test_a_documents_digest_follows_its_metadata_and_blocks(built):
    """Archive.digest keys the page cache and the comparisons' drawings: a link a stage adds, a
    changed field or text gives another digest (asked of a new archive: it is made once)."""
    digests = []
    for change in (
        lambda doc: None,
        lambda doc: doc.blocks[-1].links.append((0, 1, "../doc/x.md")),
        lambda doc: doc.meta.update(status="已废止"),
        lambda doc: setattr(doc.blocks[0], "text", doc.blocks[0].text + "。"),
    ):
        archive = load_archive(built)
        doc = archive.documents[0]
        change(doc)
        digests.append(archive.digest(doc))
        assert archive.digest(doc) == digests[-1]  # made once, the same when asked again
    assert len(set(digests)) == 4
    assert load_archive(built).digest(load_archive(built).documents[0]) == digests[0]


def test_the_build_command_called_in_a_process_leaves_the_collector_on(built):
    """Only `python -m scripts build`, whose process ends with the build, leaves the cycle
    collector off (and freezes what lives as it exits); a caller of main() gets it back on."""
    import gc

    from scripts.__main__ import main

    source = a_source(built)
    source.write_bytes(source.read_bytes() + "\n附：补充一句。\n".encode())
    assert gc.isenabled()
    assert main(["build", "--root", str(built), "--quiet"]) == 0
    assert gc.isenabled()
