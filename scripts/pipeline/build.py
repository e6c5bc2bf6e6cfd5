"""`build`: every source → docs/. Deterministic: a second run changes nothing.

1. convert every source (all errors are collected and reported together; docs/ is not touched
   when any source fails, so one bad file never damages the pages of the others); unchanged
   sources come from a cache by content hash, the others are converted in parallel
   (pipeline/convert_many.py);
2. run the archive stages that need every document at once;
3. render the document pages (a page whose inputs are unchanged comes from .cache/pages.pickle)
   and the generated index pages (some of them in a forked child, on the other core);
4. write what changed, each writer's files as soon as they are made (a build never holds every
   page at once), and delete generated pages that are no longer produced. A page writer that
   fails leaves docs/ part written and no build record: the next build writes it all again.

The cycle collector is off meanwhile (speed/collector.py). Each step is a stage of the
command's progress (speed/progress.py), and the closing line says what was done again and why.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from ..archive import relations, validity
from ..archive.documents import Archive, document_path, source_files
from ..core.errors import SourceError
from ..core.fields import INFERRED
from ..core.files import Transaction, write_atomic
from ..core.model import Document
from ..core.paths import leading_out, leads_out
from ..pages import (
    export,
    implementation_map,
    place_pages,
    relation_pages,
    target_pages,
    validity_pages,
    web,
)
from ..pages import home_browse as pages
from ..pages.render import removal_reports, render
from ..speed import collector, memo
from ..speed.forked import ChildDied, Forked, can_fork, jobs
from ..speed.progress import Progress, Stage
from ..speed.stamps import settled
from ..speed.version import code_version
from .convert_many import CACHE_DIR, PARALLEL_FROM, convert_many
from .record import BuildRecord, Looked, content_hash, look_before_building, say_closing

# Generated files are listed here, so a rebuild can remove the ones no source produces any more.
MANIFEST = ".generated"
# Rendered document pages by id, each with the digest of what it was rendered from.
PAGE_CACHE = Path(".cache") / "pages.pickle"

ArchiveStage = Callable[[Archive], None]
PageWriter = Callable[[Archive], dict[str, str]]

# relations before places: a place name inside a linked reference is not linked again; validity
# reads where each reference went, and its section follows the relations panel; targets and
# diagrams after both (they read the relations and the places)
ARCHIVE_STAGES: list[ArchiveStage] = [
    relations.link_references,
    validity.resolve_validity,
    relation_pages.add_relation_panels,
    validity_pages.add_validity_panels,
    place_pages.attach_places,
    implementation_map.add_neighbourhoods,
    target_pages.add_target_boxes,
]
PAGE_WRITERS: list[PageWriter] = [
    pages.home_page,
    relation_pages.wanted_page,
    export.export_files,
    removal_reports,
]
# Written in a forked child at the same time as the document pages and the writers above (they
# read the archive and touch nothing the others read): one core each, as long as each other.
PAGE_WRITERS_BESIDE: list[PageWriter] = [
    place_pages.place_pages,
    target_pages.comparison_page,
    implementation_map.implementation_pages,
    validity_pages.comparison_pages,  # two versions' paragraphs aligned: the heaviest per page
]
# ... up to this many documents: the child's reads update reference counts, so it copies the pages
# of the archive it reads (+1.1 GB at 10,000 documents, to save 1.2 s of a 22 s rebuild).
WRITERS_BESIDE_UP_TO = 5000


def warm_memo(doc: Document) -> None:
    """What the archive stages and the site build will ask the memo about a new document (the
    pinyin of its title, places, type, issuer, the anchors of what it cites): computed in the
    conversion worker (convert_many) beside its conversion."""
    web.warm_search_words([doc.meta])
    pages.warm_anchors(doc)
    relations.warm_anchors(doc)


class BuildError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def load_archive(root: Path, cache: bool = True, progress: Progress | None = None) -> Archive:
    return read_archive(root, cache, progress)[0]


def read_archive(
    root: Path,
    cache: bool = True,
    progress: Progress | None = None,
    known: dict[str, str] | None = None,
) -> tuple[Archive, str]:
    """The archive, every stage run; and what was converted again and why, for the closing line.
    `known`: the hashes of the files of sources/ that the build's record vouches for, by name."""
    progress = progress or Progress()
    archive = Archive(root=root)
    had_cache = (root / CACHE_DIR).is_dir()
    if leads_out(archive.sources_dir, root):  # each file is checked where it is read (ingest)
        raise BuildError([str(leading_out(archive.sources_dir, root, "the repository"))])
    sources = source_files(archive.sources_dir)
    archive.documents, errors, converted = convert_many(
        sources, root if cache else None, warm_memo, progress, known
    )
    seen: dict[str, Path] = {}
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        if doc_id in seen:
            errors.append(
                f"{doc.source}: has the same id {doc_id!r} as {seen[doc_id]}; "
                "set a distinct 'id:' in one of their sidecars"
            )
        seen[doc_id] = doc.source
    if errors:
        raise BuildError(errors)
    archive.documents.sort(key=lambda d: d.meta["id"])
    run_archive_stages(archive, progress)
    return archive, rebuilt(len(sources), converted, cache, had_cache)


def run_archive_stages(archive: Archive, progress: Progress) -> None:
    took = []
    with progress.stage("archive stages", total=len(ARCHIVE_STAGES), unit="stages") as stage:
        for archive_stage in ARCHIVE_STAGES:
            stage.working_on(archive_stage.__name__)
            start = time.perf_counter()
            archive_stage(archive)
            took.append(f"{archive_stage.__name__} {time.perf_counter() - start:.1f} s")
            stage.advance()
        stage.end(", ".join(took))


def rebuilt(sources: int, converted: int, cache: bool, had_cache: bool) -> str:
    """Whether the build converted everything again (full) or only what changed, and why."""
    if not cache:
        return "full (--no-cache)"
    if converted < sources or not sources:
        return (
            f"incremental ({converted} of {sources} documents converted, the others from the cache)"
        )
    if not had_cache:
        return "full (no conversion cache yet)"
    return "full (no source was in the conversion cache: the code or the packages changed)"


def page_digest(
    archive: Archive, doc, sections: list[str] | None, banners: list[str] | None = None
) -> bytes:
    """Everything a document page is rendered from: its metadata and blocks as the archive stages
    left them (links included: Archive.digest), the sections appended to it and the banners above
    it, and the pipeline's code and packages. Equal inputs may pickle differently (never the other
    way round): at worst a page is rendered again."""
    data = pickle.dumps((sections, banners), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(
        code_version().encode() + b"\0" + archive.digest(doc) + b"\0" + data
    ).digest()


def render_pages(
    archive: Archive, cache: Path | None, stage: Stage | None = None
) -> dict[str, str]:
    """Every document page; with a cache, only those whose inputs changed are rendered again."""
    stage = stage or Progress().stage("")
    try:
        cached = pickle.loads(cache.read_bytes()) if cache else {}
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        cached = {}  # none yet, or damaged: every page is rendered
    kept: dict[str, tuple[bytes, str]] = {}
    rendered = 0
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        sections, banners = archive.sections.get(doc_id), archive.banners.get(doc_id)
        digest = page_digest(archive, doc, sections, banners) if cache else b""
        hit = cached.get(doc_id)
        if hit and hit[0] == digest:
            kept[doc_id] = hit
        else:
            kept[doc_id] = digest, render(doc, sections, banners)
            rendered += 1
        stage.advance()
    stage.end(f"{rendered} rendered, {len(kept) - rendered} from the page cache" if cache else "")
    if cache and kept != cached:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as f:  # streamed: never a second copy of every page in memory
            pickle.dump(kept, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)  # atomic: a reader never sees half of it
    return {document_path(doc_id): page for doc_id, (_, page) in kept.items()}


def generate(
    archive: Archive, cache: bool = False, progress: Progress | None = None
) -> dict[str, str]:
    """Every generated file under docs/, by relative path, held at once (`check` compares them
    with docs/; `add` writes them as one change)."""
    files: dict[str, str] = {}
    generate_into(files.update, archive, cache, progress)
    return files


def generate_into(
    put: Callable[[dict[str, str]], None],
    archive: Archive,
    cache: bool = False,
    progress: Progress | None = None,
) -> None:
    """Every generated file under docs/, handed to `put` a writer's worth at a time and kept by
    no one here: `build` writes each group as it comes (pages of 10,000 documents are half a
    gigabyte of strings, which a build held at once until it wrote the first)."""
    global _forked_archive
    progress = progress or Progress()
    beside: Forked | None = None
    if (
        jobs() > 1
        and PARALLEL_FROM <= len(archive.documents) <= WRITERS_BESIDE_UP_TO
        and can_fork()
    ):
        _forked_archive = archive  # the child finds it there: it is forked, not sent
        if cache:  # made once, for the document pages here and the comparisons there
            for doc in archive.documents:
                archive.digest(doc)
        with progress.fork_safe():
            beside = Forked(_write_beside)
    try:
        with progress.stage("document pages", total=len(archive.documents), unit="pages") as stage:
            put(render_pages(archive, archive.root / PAGE_CACHE if cache else None, stage))
        with progress.stage(
            "other pages", total=len(PAGE_WRITERS) + len(PAGE_WRITERS_BESIDE), unit="writers"
        ) as stage:
            for writer in PAGE_WRITERS:
                stage.working_on(writer.__name__)
                put(writer(archive))
                stage.advance()
            if beside:
                stage.working_on(
                    f"{', '.join(w.__name__ for w in PAGE_WRITERS_BESIDE)} (beside, in a forked child)"
                )
                put(_written_beside(beside))
                stage.advance(len(PAGE_WRITERS_BESIDE))
            else:
                for writer in PAGE_WRITERS_BESIDE:
                    stage.working_on(writer.__name__)
                    put(writer(archive))
                    stage.advance()
            stage.end("beside the document pages, in a forked child" if beside else "")
    finally:
        _forked_archive = None
        if beside:
            beside.stop()  # killed if it still runs (the build was stopped), reaped in any case


def _written_beside(beside: Forked) -> dict[str, str]:
    try:
        return beside.result()
    except ChildDied as died:
        raise SourceError(
            "docs/",
            f"the process writing the place, target and implementation pages {died.how}",
            fix="if the machine ran out of memory, build again with ARCHIVE_JOBS=1",
        ) from None


_forked_archive: Archive | None = None


def _write_beside(archive: Archive | None = None) -> dict[str, str]:
    archive = archive or _forked_archive
    assert archive is not None, "handed the archive, or forked while generate() holds it"
    files: dict[str, str] = {}
    for writer in PAGE_WRITERS_BESIDE:
        files.update(writer(archive))
    return files


def write_docs(
    docs_dir: Path,
    files: dict[str, str],
    progress: Progress | None = None,
    change: Transaction | None = None,
) -> list[str]:
    """Write what changed; remove what a previous build generated and this one did not. Each file
    is written under a temporary name and renamed (never a cut-off page), the list of generated
    files last; with `change`, as part of a change that lands whole or not at all (`add`)."""
    progress = progress or Progress()
    docs = DocsWriter(docs_dir, change)
    with progress.stage("writing docs/", total=len(files), unit="files") as stage:
        docs.put(files, stage)
        changed = docs.finish()
        stage.end(f"{len(changed)} changed or removed")
    return changed


class DocsWriter:
    """Generated files written under docs/ a group at a time, as they are made: a file whose bytes
    are already there is left alone; `finish` removes what a previous build generated and this
    one did not, then writes the list of generated files. It keeps the files' names, and the hash
    of each file it wrote (for the build's record), not their text. A file the list does not hold
    yet is added to it before the file is written: a build stopped part-way leaves no generated
    file that the next build would not know to remove.

    `record`: the last finished build's record of docs/. A file with its recorded size and time
    (settled: see speed/stamps.py) holds the recorded hash, so it is compared by hash, not read
    (at 10,000 documents, reading the 28,000 files took 1-2 s of every rebuild)."""

    def __init__(
        self, docs_dir: Path, change: Transaction | None = None, record: BuildRecord | None = None
    ):
        self.docs_dir = docs_dir
        self.record = record
        self.write = change.write if change else write_atomic
        self.delete = change.delete if change else Path.unlink
        self.listed: set[str] = set()
        self.written: dict[str, str] = {}  # relative path → hash of the bytes written
        # relative path → hash of its bytes on disk, where this writer knows them (it wrote them, or
        # read them and found them equal): the build's record takes them rather than read again
        self.known: dict[str, str] = {}
        self.removed: list[str] = []
        self.seconds = 0.0  # spent writing, wherever the groups came from
        self.manifest = docs_dir / MANIFEST
        self.previous = (
            set(self.manifest.read_text(encoding="utf-8").split())
            if self.manifest.exists()
            else set()
        )
        self.announced: set[str] = set()  # listed in the manifest before they were written

    def put(self, files: dict[str, str], stage: Stage | None = None) -> None:
        start = time.perf_counter()
        new = set(files) - self.previous - self.announced
        if new:
            self.announced |= new
            self.docs_dir.mkdir(parents=True, exist_ok=True)
            self.write(self.manifest, _listing(self.previous | self.announced))
        for rel, content in sorted(files.items()):
            self.listed.add(rel)
            path = self.docs_dir / rel
            data = content.encode("utf-8")
            if stage:
                stage.advance()
            if self._holds(rel, path, data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            self.write(path, data)
            self.written[rel] = self.known[rel] = content_hash(data)
        self.seconds += time.perf_counter() - start

    def _holds(self, rel: str, path: Path, data: bytes) -> bool:
        """Whether the file at `path` holds `data` already."""
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return False
        if stat.st_size != len(data):
            return False
        record = self.record
        entry = record.docs.get(rel) if record else None
        if (
            record
            and entry
            and entry[:2] == [stat.st_size, stat.st_mtime_ns]
            and settled(stat.st_mtime_ns, record.docs_at)
        ):
            return entry[2] == content_hash(data)
        if path.read_bytes() != data:
            return False
        self.known[rel] = content_hash(data)
        return True

    def finish(self) -> list[str]:
        """What changed under docs/ (written or removed), once every group is in."""
        start = time.perf_counter()
        for rel in sorted(self.previous - self.listed):
            stale = self.docs_dir / rel
            if stale.exists():
                self.delete(stale)
                self.removed.append(rel)
                for folder in stale.parents:  # a place page's folder goes with its last page
                    if folder == self.docs_dir or any(folder.iterdir()):
                        break
                    folder.rmdir()
        listing = _listing(self.listed)
        if not self.manifest.exists() or self.manifest.read_text(encoding="utf-8") != listing:
            self.write(self.manifest, listing)
        self.seconds += time.perf_counter() - start
        return sorted([*self.written, *self.removed])


def _listing(names: set[str]) -> str:
    """The manifest of generated files: one relative path a line, sorted."""
    return "".join(f"{rel}\n" for rel in sorted(names))


def build(
    root: Path,
    quiet: bool = False,
    cache: bool = True,
    progress: Progress | None = None,
    looked: Looked | None = None,
) -> list[str]:
    """docs/ from sources/; returns the files changed. Unless `quiet`, says the warnings and a
    closing line: with a progress that shows, the summary (pages, what was rebuilt and why, the
    time of each stage).

    With the cache, the record of the last finished build (pipeline/record.py) is looked at first
    (`looked`: already, by the command line, before it imported this module): when no source,
    sidecar, generated page nor the code changed since, there is nothing to do."""
    progress = progress or Progress()
    looked = looked or look_before_building(root, cache, progress)
    if looked.unchanged:
        return looked.finish(quiet)
    # The cycle collector stays off until the archive is freed: the objects made meanwhile are all
    # young, and a collection while they are alive walks them all (0.2 s at 1,000 documents)
    with collector.paused():
        return _build(root, quiet, cache, progress, looked)


def _build(root: Path, quiet: bool, cache: bool, progress: Progress, looked: Looked) -> list[str]:
    BuildRecord.forget(root)  # until this build finishes, the last one's no longer holds
    with memo.kept_in(root) if cache else nullcontext():
        known = {name: entry[2] for name, entry in looked.sources.entries.items()}
        archive, why = read_archive(root, cache, progress, known)
        docs = DocsWriter(archive.docs_dir, record=looked.record if cache else None)
        generate_into(docs.put, archive, cache, progress)
        with progress.stage("writing docs/", unit="files") as stage:
            changed = docs.finish()
            stage.end(
                f"{len(docs.listed)} files, {len(changed)} changed or removed; "
                f"{docs.seconds:.1f} s in all, as each writer's files were made"
            )
        if cache:  # for the site build, which finds them in the memo (pages/web.py)
            web.warm_search_words(doc.meta for doc in archive.documents)
    said = {
        "documents": len(archive.documents),
        "pages": count_pages(docs.listed),
        "warnings": [
            f"{doc.source.name}: warning: {warning}"
            for doc in archive.documents
            for warning in doc.warnings
            if not warning.startswith(INFERRED)  # `add` lists what was inferred, when it matters
        ],
    }
    if cache:
        looked.record_build(archive.docs_dir, docs.listed, docs.known, said)
    if not quiet:
        say_closing(root, progress, said, len(changed), why)
    return changed


def count_pages(files: Iterable[str]) -> int:
    """The pages among generated files (by their relative paths)."""
    return sum(1 for rel in files if rel.endswith(".md"))
