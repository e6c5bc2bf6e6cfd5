"""Convert many sources fast: a cache by content hash, and the uncached ones in parallel.

- Cache: `.cache/convert/` (gitignored) holds each converted `Document`, keyed by a hash of the
  source's bytes, its sidecar's bytes, its file name, the pipeline's code (every scripts/**/*.py)
  and the versions of the packages that shape the output. Any change to any of these misses,
  so a cached document is always what converting it now would give. A rebuild after adding one
  document converts one document. The entry holds the document with its analyses (what the
  archive stages need to know about it alone: its figures, its place names; archive/analyses.py).
- Parallel: the misses are converted and analysed by a pool of worker processes (one per
  available core), forked after the big tables (gazetteer, dictionaries) are loaded so they share
  them, while this process reads the cache; a worker also computes what the build will ask the
  memo about its documents (speed/memo.py; the caller hands in what to compute), and sends it back.

Documents come back in the order of `paths`; errors come back as messages, never raised, so
that every bad source is reported at once.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..archive.analyses import analyse
from ..core.errors import SourceError
from ..core.files import write_atomic
from ..core.model import Document
from ..ingest.convert import convert_file
from ..ingest.sidecar import sidecar_path
from ..speed import memo
from ..speed.version import code_version

CACHE_DIR = Path(".cache") / "convert"
WarmMemo = Callable[[Document], None]
PARALLEL_FROM = 16  # fewer sources than this to convert or to read meanwhile: forking costs more than it saves


def cache_key(path: Path) -> str:
    digest = hashlib.sha256(code_version().encode())
    digest.update(path.name.encode() + b"\0" + path.read_bytes())
    sidecar = sidecar_path(path)
    digest.update(b"\0sidecar\0" + (sidecar.read_bytes() if sidecar.exists() else b""))
    return digest.hexdigest()


def jobs() -> int:
    """Worker processes: ARCHIVE_JOBS, else one per core this process may run on."""
    wanted = os.environ.get("ARCHIVE_JOBS")
    if wanted:
        return max(1, int(wanted))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _convert(path: Path, warm_memo: WarmMemo | None) -> tuple[Document | None, str, dict]:
    """A source converted and analysed, or its error; and what it taught the memo."""
    with memo.recording() as computed:
        try:
            doc = analyse(convert_file(path))
        except SourceError as err:
            return None, str(err), computed
        if warm_memo:
            warm_memo(doc)
        return doc, "", computed


def _warm_up() -> None:
    """Load the big shared tables once, before forking, so every worker shares them."""
    from ..core.places import gazetteer
    from ..core.script import to_simplified

    gazetteer()
    to_simplified("縣")


def convert_many(paths: list[Path], cache_root: Path | None,
                 warm_memo: WarmMemo | None = None) -> tuple[list[Document], list[str]]:
    """Every source converted (in `paths` order), and the error messages of those that failed.
    The sources not in the cache are converted by forked workers while the cache is read.

    `warm_memo(doc)`, handed in by the caller, computes what later stages will ask the memo about
    a new document (the pinyin of its title, places, type, issuer, the anchors of what it cites):
    in the worker that loaded jieba and pypinyin for it, and not again in the build, which then
    loads neither for a new document (a second of a rebuild)."""
    convert = partial(_convert, warm_memo=warm_memo)
    cache = cache_root / CACHE_DIR if cache_root else None
    keys = [cache_key(path) for path in paths] if cache else [""] * len(paths)
    misses = [i for i, key in enumerate(keys) if not cache or not _entry(cache, key).exists()]
    converting = _start_converting(convert, [paths[i] for i in misses], cached=len(paths) - len(misses))
    if converting:
        _warm_up()  # the archive stages need them too
    results: list[tuple[Document | None, str] | None] = [None] * len(paths)
    missed = set(misses)
    for i, key in enumerate(keys):
        if cache and i not in missed:
            results[i] = _load(cache, key)
            if results[i]:
                results[i][0].source = paths[i]  # the repository may have moved since
    damaged = [i for i, result in enumerate(results) if result is None and i not in missed]
    converted = _finish(converting) if converting else [convert(paths[i]) for i in misses]
    converted += [convert(paths[i]) for i in damaged]
    for i, (doc, error, computed) in zip(misses + damaged, converted):
        results[i] = doc, error
        memo.learn(computed)
        if cache and doc is not None:
            _store(cache, keys[i], doc)
    if cache:
        _prune(cache, set(keys))
    documents = [doc for doc, _ in results if doc is not None]
    errors = [error for _, error in results if error]
    return documents, errors


def _start_converting(convert: Callable, paths: list[Path], cached: int):
    """Forked workers converting these sources (map_async: the caller gets the results), or None
    when they are better converted here: few of them and nothing to read meanwhile, one core,
    or no fork."""
    workers = min(jobs(), len(paths))
    if workers < 1 or jobs() < 2 or max(len(paths), cached) < PARALLEL_FROM \
            or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if len(paths) >= PARALLEL_FROM:  # many workers share the tables (a few load them beside this process)
        _warm_up()
    # the workers collect cycles (a parsed HTML page is full of them), whatever the build does
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable)
    converting = pool.map_async(convert, paths, chunksize=max(1, min(32, len(paths) // (workers * 8))))
    pool.close()  # its workers end once they are done
    return pool, converting


def _finish(converting) -> list:
    pool, results = converting
    try:
        return results.get()
    finally:
        pool.terminate()
        pool.join()


def _entry(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.pickle.z"


def _load(cache: Path, key: str) -> tuple[Document, str] | None:
    entry = _entry(cache, key)
    try:
        return pickle.loads(zlib.decompress(entry.read_bytes())), ""
    except FileNotFoundError:
        return None
    except (OSError, EOFError, zlib.error, pickle.UnpicklingError, AttributeError, ImportError):
        entry.unlink(missing_ok=True)  # a damaged or outdated entry is converted again
        return None


def _store(cache: Path, key: str, doc: Document) -> None:
    entry = _entry(cache, key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(entry, zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), 1))  # never half an entry


def _prune(cache: Path, keep: set[str]) -> None:
    """Drop entries no source produces any more (old versions of edited sources, old code)."""
    if not cache.is_dir():
        return
    for entry in cache.glob("*/*.pickle.z"):
        if entry.name.removesuffix(".pickle.z") not in keep:
            entry.unlink(missing_ok=True)
