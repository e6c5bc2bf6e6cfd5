"""Convert many sources fast: a cache by content hash, and the uncached ones in parallel.

- Cache: `.cache/convert/` (gitignored) holds each converted `Document`, keyed by a hash of the
  source's bytes, its sidecar's bytes, its file name, the pipeline's code (every scripts/*.py)
  and the versions of the packages that shape the output. Any change to any of these misses,
  so a cached document is always what converting it now would give. A rebuild after adding one
  document converts one document. The entry holds the document with its analyses (what the
  archive stages need to know about it alone: its figures, its place names; scripts/analyses.py).
- Parallel: the misses are converted and analysed by a pool of worker processes (one per
  available core), forked after the big tables (gazetteer, dictionaries) are loaded so they share them.

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
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .analyses import analyse
from .convert import convert_file
from .errors import SourceError
from .model import Document
from .sidecar import sidecar_path

CACHE_DIR = Path(".cache") / "convert"
PACKAGES = ("opencc", "jieba", "pypinyin", "pypinyin-dict", "cnloc", "charset-normalizer", "beautifulsoup4", "pyyaml")
PARALLEL_FROM = 16  # fewer misses than this: forking workers costs more than it saves


@lru_cache(maxsize=1)
def code_version() -> str:
    """The pipeline's code and the packages it leans on: a change to either empties the cache."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


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


def _convert(path: Path) -> tuple[Document | None, str]:
    try:
        return analyse(convert_file(path)), ""
    except SourceError as err:
        return None, str(err)


def _warm_up() -> None:
    """Load the big shared tables once, before forking, so every worker shares them."""
    from .places import gazetteer
    from .script import to_simplified

    gazetteer()
    to_simplified("縣")


def convert_many(paths: list[Path], cache_root: Path | None) -> tuple[list[Document], list[str]]:
    """Every source converted (in `paths` order), and the error messages of those that failed."""
    cache = cache_root / CACHE_DIR if cache_root else None
    keys = [cache_key(path) for path in paths] if cache else [""] * len(paths)
    results: list[tuple[Document | None, str] | None] = [None] * len(paths)
    if cache:
        for i, key in enumerate(keys):
            results[i] = _load(cache, key)
            if results[i]:
                results[i][0].source = paths[i]  # the repository may have moved since
    misses = [i for i, result in enumerate(results) if result is None]
    for i, result in zip(misses, _convert_all([paths[i] for i in misses])):
        results[i] = result
        if cache and result[0] is not None:
            _store(cache, keys[i], result[0])
    if cache:
        _prune(cache, set(keys))
    documents = [doc for doc, _ in results if doc is not None]
    errors = [error for _, error in results if error]
    return documents, errors


def _convert_all(paths: list[Path]) -> Iterable[tuple[Document | None, str]]:
    workers = min(jobs(), len(paths))
    if workers < 2 or len(paths) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [_convert(path) for path in paths]
    _warm_up()
    # the workers collect cycles (a parsed HTML page is full of them), whatever the build does
    with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
        return pool.map(_convert, paths, chunksize=max(1, min(32, len(paths) // (workers * 8))))


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
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), 1))
    partial.replace(entry)  # atomic: a reader never sees half an entry


def _prune(cache: Path, keep: set[str]) -> None:
    """Drop entries no source produces any more (old versions of edited sources, old code)."""
    if not cache.is_dir():
        return
    for entry in cache.glob("*/*.pickle.z"):
        if entry.name.removesuffix(".pickle.z") not in keep:
            entry.unlink(missing_ok=True)
