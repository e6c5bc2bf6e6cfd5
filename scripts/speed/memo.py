"""Results of slow functions of a short text, remembered from one build to the next.

A few archive-wide steps call functions that are slow the first time in a process: `slugify`
loads jieba's and pypinyin's dictionaries (the place slugs, which read CC-CEDICT, are committed
instead: core/place_slugs.json). A build that changes nothing would spend more time loading those dictionaries than doing its work. What they return
depends only on their argument, the pipeline's code and its packages, so it is kept in
`.cache/memo/<code version>.pickle`, named after `version.code_version()` (every
scripts/**/*.py and the versions of the packages that shape the output): a change to either starts
from an empty memo, so a remembered value is always what computing it now would give.

Only a build keeps the memo (`kept_in(root)`); anywhere else (a test, `convert`) `remembered`
remembers within the process only.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from .version import code_version

MEMO_DIR = Path(".cache") / "memo"

T = TypeVar("T")
_tables: dict[str, dict] = {}  # table name → {argument: value}
_added = False  # something was computed since the memo was read
_recording: dict[str, dict] | None = None  # what is computed, for a forked worker to send back
_kept_in: Path | None = None  # the memo's folder while a build keeps it (kept_in)


def remembered(table: str, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it returned last time for this key in this table."""
    global _added
    values = _tables.setdefault(table, {})
    if key not in values:
        values[key] = compute()
        _added = True
        if _recording is not None:
            _recording.setdefault(table, {})[key] = values[key]
    return values[key]


@contextmanager
def recording() -> Iterator[dict[str, dict]]:
    """Collects what is computed inside, table by table: a forked worker (scripts/pipeline/convert_many.py)
    sends it back, and the build learns it."""
    global _recording
    computed: dict = {}
    _recording = computed
    try:
        yield computed
    finally:
        _recording = None


def learn(computed: dict[str, dict]) -> None:
    """Values computed in another process, for this one to remember."""
    global _added
    for table, values in computed.items():
        known = _tables.setdefault(table, {})
        for key, value in values.items():
            if key not in known:
                known[key] = value
                _added = True


@contextmanager
def kept_in(root: Path) -> Iterator[None]:
    """Read the memo of this code version from root/.cache/memo/; write it back when it grew."""
    global _added
    folder = root / MEMO_DIR
    path = folder / f"{code_version()}.pickle"
    stored = _stored(path)
    for table, values in stored.items():
        _tables.setdefault(table, {}).update(values)
    _added = stored != _tables  # this process already knew more (an earlier build in it)
    global _kept_in
    _kept_in = folder
    try:
        yield
    finally:
        _kept_in = None
    if _added:
        folder.mkdir(parents=True, exist_ok=True)
        _write_pickle(path, _tables)
        for old in folder.glob("*.pickle"):  # other code versions: never read again
            if not old.name.startswith(code_version()):
                old.unlink(missing_ok=True)
        _added = False


def consult(root: Path) -> None:
    """What the last build under root remembered, known to this process from now on, and never
    written back (only a build keeps the memo): `check` and a plain `mkdocs build` find there the
    pinyin the build computed, instead of loading jieba and pypinyin (a second and a half)."""
    if _kept_in is not None:
        return  # a build keeps it: read already
    for table, values in _stored(root / MEMO_DIR / f"{code_version()}.pickle").items():
        known = _tables.setdefault(table, {})
        for key, value in values.items():
            known.setdefault(key, value)


def _stored(path: Path) -> dict[str, dict]:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return {}  # none yet, or damaged: computed again


@contextmanager
def drawings(table: str) -> Iterator[Callable[[bytes, Callable[[], T]], T]]:
    """For a page writer whose pages each take long to draw from a few documents (a comparison
    of two versions): `draw(inputs, compute)` returns compute(), or what it returned in the last
    build for the same `inputs` (bytes that hold everything the page is drawn from). Kept apart
    from the memo (pages are large; the memo is read by every build) in
    .cache/memo/<code version>.<table>.pickle, only the drawings this build used, and only while
    a build keeps the memo (kept_in): elsewhere every page is drawn. Safe in a forked child: the
    writer that uses a table is its only reader and writer."""
    folder = _kept_in
    path = folder / f"{code_version()}.{table}.pickle" if folder else None
    try:
        stored = pickle.loads(path.read_bytes()) if path else {}
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        stored = {}
    used: dict[bytes, Any] = {}

    def draw(inputs: bytes, compute: Callable[[], T]) -> T:
        key = hashlib.sha256(inputs).digest()
        if key not in used:
            used[key] = stored[key] if key in stored else compute()
        return used[key]

    yield draw
    if path and used.keys() != stored.keys():  # a key is the hash of all a drawing is drawn from
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_pickle(path, used)


def _write_pickle(path: Path, value: Any) -> None:
    """Atomic: a reader never sees half of it; a full disk names the file and leaves no half.
    (core/files.py's write_atomic does the same a layer above this one.)"""
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise OSError(err.errno, err.strerror, str(path)) from err
    partial.replace(path)
