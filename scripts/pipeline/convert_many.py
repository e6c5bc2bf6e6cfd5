"""Convert many sources fast: a cache by content hash, and the uncached ones in parallel.

- Cache: `.cache/convert/` (gitignored) holds each converted `Document`, keyed by a hash of the
  source's bytes, its sidecar's bytes, its file name, the pipeline's code (every scripts/**/*.py)
  and the versions of the packages that shape the output. Any change to any of these misses,
  so a cached document is always what converting it now would give. A rebuild after adding one
  document converts one document. The entry holds the document with its analyses (what the
  archive stages need to know about it alone: its figures, its place names; archive/analyses.py),
  pickled and not compressed (zlib was a third of reading the cache).
- Parallel: the misses are converted and analysed by a pool of worker processes (one per
  available core), forked after the big tables (gazetteer, dictionaries) and the conversion's
  rules are loaded so they share them, while this process reads the cache; when they are few (a
  rebuild), each worker imports the rules itself, and this process only does when it converts
  (a damaged cache entry; one core, no fork, or too few documents to fork for); a worker also computes what the build will ask the
  memo about its documents (speed/memo.py; the caller hands in what to compute), and sends it back.
- Progress: n of N documents as they come back; each converter writes in shared memory what it
  is converting and since when, so that the build names a document that takes long (a hostile
  source can hang a build); each conversion is timed where it runs, and one that takes far
  longer than the others is named once all are done.

Documents come back in the order of `paths`; errors come back as messages, never raised, so
that every bad source is reported at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import multiprocessing
import pickle
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from ..archive.analyses import analyse
from ..core.errors import SourceError
from ..core.files import write_atomic
from ..core.model import Document
from ..core.slug import load_dictionaries
from ..ingest.sidecar import sidecar_path
from ..speed import memo
from ..speed.forked import ChildDied, Team, can_fork, jobs
from ..speed.progress import Progress, Stage
from ..speed.version import code_version
from .record import content_hash

CACHE_DIR = Path(".cache") / "convert"
WarmMemo = Callable[[Document], None]
PARALLEL_FROM = (
    16  # fewer sources than this to convert or to read meanwhile: forking costs more than it saves
)
# Up to this many sources to convert, the dictionaries (jieba, pypinyin, CC-CEDICT) are loaded
# before the workers are forked: each worker would load them for its first document (1.4 CPU s
# each). Beyond, not: this process would keep them (166 MB) for the rest of the build, and at
# 10,000 documents the bench's peak was 63 MB higher with them (2,141 MB against 2,078), to save
# 1.4 s of 200.
DICTIONARIES_BEFORE_FORK_UP_TO = 1000
SHOW_AFTER = 2.0  # s: a document converting this long is named beside the bar
NOTE_AFTER = 60.0  # s: ... and in a line of its own (a log has no bar): it may be hanging the build
SLOW_AT_LEAST = 1.0  # s: a conversion that took less is never named slow,
SLOW_TIMES = 10  # ... nor one that took less than this many times the median conversion
NAME_BYTES = 240  # of a source's name, in the shared memory that says what is being converted
# what a conversion is timed by (a test hands in its own clock, so that "slow" does not depend on
# how busy the machine is)
clock = time.perf_counter


class Converted(NamedTuple):
    documents: list[Document]  # in the order of the paths
    errors: list[str]  # the messages of those that failed
    converted: int  # how many were converted (the others came from the cache)


def cache_key(path: Path, known: dict[str, str] | None = None) -> str:
    """The source's and its sidecar's contents (by their hashes: `known`, by file name, holds
    those the build's record vouches for, so that an unchanged source is not read) with the
    pipeline's code."""
    known = known or {}

    def hashed(file: Path) -> str:
        return known.get(file.name) or content_hash(file.read_bytes())

    digest = hashlib.sha256(code_version().encode())
    digest.update(path.name.encode() + b"\0" + hashed(path).encode())
    sidecar = sidecar_path(path)
    digest.update(b"\0sidecar\0" + (hashed(sidecar).encode() if sidecar.exists() else b""))
    return digest.hexdigest()


class Running:
    """What each converter is converting now, and since when (0: nothing), in memory that the
    forked workers share with this process: slot 0 is this process's, worker n writes slot n.
    No lock: each slot has one writer, and the reader only ever shows a name."""

    def __init__(self, slots: int):
        self.names = multiprocessing.RawArray(ctypes.c_char, slots * NAME_BYTES)
        self.since = multiprocessing.RawArray(ctypes.c_double, slots)
        self.slots = slots

    def begin(self, path: Path) -> None:
        name = path.name.encode()[:NAME_BYTES].ljust(NAME_BYTES, b"\0")
        # through a byte view: ctypes takes bytes for a c_char slice, but its stubs want a list
        memoryview(self.names).cast("B")[_slot * NAME_BYTES : (_slot + 1) * NAME_BYTES] = name
        self.since[_slot] = time.time()

    def end(self) -> None:
        self.since[_slot] = 0.0

    def longest(self) -> tuple[str, float] | None:
        """The source converting for the longest time now, and for how long."""
        started = [(since, slot) for slot, since in enumerate(self.since) if since]
        if not started:
            return None
        since, slot = min(started)
        name = self.names.raw[slot * NAME_BYTES : (slot + 1) * NAME_BYTES].rstrip(b"\0")
        return name.decode(errors="ignore"), time.time() - since


_running: Running | None = (
    None  # the converters' slots, while convert_many runs (inherited by a fork)
)
_slot = 0  # this process's slot in it


def _worker_starts(number: int) -> None:
    """In a forked worker, first: its slot, and the cycle collector (a parsed HTML page is full of
    cycles), whatever the build does; and the conversion's rules, unless imported before the fork."""
    global _slot
    gc.enable()
    _slot = number
    conversion_rules()


def conversion_rules() -> ModuleType:
    """ingest/convert.py, imported where documents are converted: a forked worker, or this process
    before it converts or forks many workers. A rebuild that reads every other document from the
    cache does not compile the cleaning's hundreds of expressions (0.2 s) before it reads them:
    its one worker does, meanwhile."""
    from ..ingest import convert

    return convert


def _convert(
    path: Path, warm_memo: WarmMemo | None
) -> tuple[Document | None, str, dict, float | None]:
    """A source converted and analysed, or its error; what it taught the memo; and how long its
    conversion took: None when it loaded modules (the first heading to need pinyin loads jieba
    and pypinyin, seconds that say nothing of the source), and not the memo's part (the same)."""
    with memo.recording() as computed:
        start, modules = clock(), len(sys.modules)
        if _running:
            _running.begin(path)
        try:
            doc = analyse(conversion_rules().convert_file(path))
        except SourceError as err:
            return None, str(err), computed, None
        finally:
            if _running:
                _running.end()
        took = clock() - start if len(sys.modules) == modules else None
        if warm_memo:
            warm_memo(doc)
        return doc, "", computed, took


def _warm_up() -> None:
    """Load the big shared tables once, before forking, so every worker shares them."""
    from ..core.places import gazetteer
    from ..core.script import to_simplified

    gazetteer()
    to_simplified("縣")


def convert_many(
    paths: list[Path],
    cache_root: Path | None,
    warm_memo: WarmMemo | None = None,
    progress: Progress | None = None,
    known: dict[str, str] | None = None,
) -> Converted:
    """Every source converted (in `paths` order), and the error messages of those that failed.
    The sources not in the cache are converted by forked workers while the cache is read.

    `warm_memo(doc)`, handed in by the caller, computes what later stages will ask the memo about
    a new document (the pinyin of its title, places, type, issuer, the anchors of what it cites):
    in the worker that loaded jieba and pypinyin for it, and not again in the build, which then
    loads neither for a new document (a second of a rebuild)."""
    global _running
    progress = progress or Progress()
    convert = partial(_convert, warm_memo=warm_memo)
    cache = cache_root / CACHE_DIR if cache_root else None
    keys = [cache_key(path, known) for path in paths] if cache else [""] * len(paths)
    misses = [i for i, key in enumerate(keys) if not cache or not _entry(cache, key).exists()]
    stage = progress.stage("converting", total=len(paths), unit="documents")
    _running = Running(jobs() + 1)
    stop_watching = progress.every_tick(_watch(_running, stage, progress))
    converting: Team | None = None
    try:
        with stage:
            converting = _start_converting(
                convert, [paths[i] for i in misses], len(paths) - len(misses), progress
            )
            if misses:
                _warm_up()  # the archive stages need them too; and a conversion here is timed without them
            results: list[tuple[Document | None, str] | None] = [None] * len(paths)
            missed = set(misses)
            for i, key in enumerate(keys):
                if cache and i not in missed:
                    loaded = results[i] = _load(cache, key)
                    if loaded:
                        loaded[0].source = paths[i]  # the repository may have moved since
                        stage.advance()
            damaged = [i for i, result in enumerate(results) if result is None and i not in missed]
            converted = (
                _finish(converting, stage)
                if converting
                else _here(convert, [paths[i] for i in misses], stage)
            )
            converted += _here(convert, [paths[i] for i in damaged], stage)
            stage.working_on("")
            for i, (doc, error, computed, _) in zip(misses + damaged, converted, strict=True):
                results[i] = doc, error
                memo.learn(computed)
                if cache and doc is not None:
                    _store(cache, keys[i], doc)
            if cache:
                _prune(cache, set(keys))
            stage.end(
                f"{len(converted)} converted, {len(paths) - len(converted)} from the cache"
                if cache
                else f"{len(converted)} converted"
            )
    finally:
        if converting:
            converting.close()  # stopped while reading the cache: no worker outlives the build
        stop_watching()
        _running = None
    for path, seconds, median in slow_conversions(
        [paths[i] for i in misses + damaged], [took for *_, took in converted]
    ):
        progress.note(
            f"{path}: took {seconds:.1f} s to convert, {seconds / median:.0f} times the median "
            f"({median:.2f} s); a source this slow may be malformed: "
            f"`python -m scripts convert {path} --report` shows what it holds"
        )
    finished = [result for result in results if result is not None]
    assert len(finished) == len(paths), "every source is read from the cache or converted"
    documents = [doc for doc, _ in finished if doc is not None]
    errors = [error for _, error in finished if error]
    return Converted(documents, errors, len(converted))


def slow_conversions(
    paths: list[Path], seconds: list[float | None]
) -> list[tuple[Path, float, float]]:
    """The sources whose conversion took far longer than the others' (SLOW_TIMES the median and
    SLOW_AT_LEAST), with their time and the median: the first sign of a pathological source.
    A time of None (not measured) is not judged."""
    timed = [(path, took) for path, took in zip(paths, seconds, strict=True) if took is not None]
    if not timed:
        return []
    median = max(statistics.median(took for _, took in timed), 1e-3)
    return [
        (path, took, median)
        for path, took in timed
        if took >= SLOW_AT_LEAST and took >= SLOW_TIMES * median
    ]


def _watch(running: Running, stage: Stage, progress: Progress) -> Callable[[], None]:
    """What the ticker of the progress looks at: the source converting for the longest time,
    named beside the bar after SHOW_AFTER seconds, and in a line of its own after NOTE_AFTER."""
    noted: set[str] = set()

    def look() -> None:
        longest = running.longest()
        if longest is None or longest[1] < SHOW_AFTER:
            stage.working_on("")
            return
        name, seconds = longest
        stage.working_on(f"{name} ({seconds:.0f} s)")
        if seconds >= NOTE_AFTER and name not in noted:
            noted.add(name)
            progress.note(f"{name}: still converting after {seconds:.0f} s (a hostile source?)")

    return look


def _here(convert: Callable, paths: list[Path], stage: Stage) -> list:
    if paths:
        conversion_rules()  # not while the first one is timed
    converted = []
    for path in paths:
        converted.append(convert(path))
        stage.advance()
    return converted


def _start_converting(convert: Callable, paths: list[Path], cached: int, progress: Progress):
    """Forked workers converting these sources (the caller collects the results as they come),
    or None when they are better converted here: few of them and nothing to read meanwhile, one
    core, or no fork. The workers share nothing with this process but their pipes
    (speed/forked.py), so no signal, kill or crash can leave the build waiting on one."""
    workers = min(jobs(), len(paths))
    if workers < 1 or jobs() < 2 or max(len(paths), cached) < PARALLEL_FROM or not can_fork():
        return None
    if (
        len(paths) >= PARALLEL_FROM
    ):  # many workers share the tables and rules (a few load them beside this process)
        _warm_up()
        conversion_rules()
    if PARALLEL_FROM <= len(paths) <= DICTIONARIES_BEFORE_FORK_UP_TO:
        load_dictionaries()
    with progress.fork_safe():
        return Team(convert, paths, workers, starts=_worker_starts)


def _finish(team: Team, stage: Stage) -> list:
    paths = team.items
    converted: list = [None] * len(paths)
    with team:  # whatever stops the loop, no worker outlives it
        try:
            for number, result in team:
                converted[number] = result
                stage.advance()
        except ChildDied as died:
            raise SourceError(
                paths[died.index] if died.index is not None else "sources/",
                f"the conversion worker {died.how} while converting this source",
                fix="if the machine ran out of memory, convert it alone "
                f"(`python -m scripts convert {paths[died.index] if died.index is not None else 'FILE'}"
                " --report`) to see what it holds, then build again",
            ) from None
    return converted


def remember(root: Path, path: Path, doc: Document) -> None:
    """Cache `doc`, converted by the caller from the bytes and sidecar now at `path`, as converting
    `path` would: `add` converts the new file once, and the build that follows reads it from here.
    A cache that cannot be written (a full disk, a size limit) only costs that build a conversion:
    the add goes on, and fails, if it must, where it writes what it promises (docs/)."""
    with contextlib.suppress(OSError):
        _store(root / CACHE_DIR, cache_key(path), analyse(doc))


def _entry(cache: Path, key: str) -> Path:
    # not compressed: zlib took a third of loading the cache (0.1 s at 1,000 documents), for
    # 22 MB of disk instead of 9
    return cache / key[:2] / f"{key}.pickle"


def _load(cache: Path, key: str) -> tuple[Document, str] | None:
    entry = _entry(cache, key)
    try:
        data = entry.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        data = b""
    try:
        doc = pickle.loads(data)
    except Exception:  # damaged bytes raise any kind of error in pickle
        doc = None
    if not isinstance(doc, Document):  # damaged, cut short or foreign: converted again
        entry.unlink(missing_ok=True)
        return None
    return doc, ""


def _store(cache: Path, key: str, doc: Document) -> None:
    entry = _entry(cache, key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(entry, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))  # never half an entry


def _prune(cache: Path, keep: set[str]) -> None:
    """Drop entries no source produces any more (old versions of edited sources, old code)."""
    if not cache.is_dir():
        return
    for entry in cache.glob("*/*.pickle*"):  # *.pickle.z: compressed, by older code
        if entry.name.removesuffix(".pickle") not in keep:
            entry.unlink(missing_ok=True)
