"""Results of slow functions of a short text, remembered from one build to the next.

A few archive-wide steps call functions that are slow the first time in a process: `slugify`
loads jieba's and pypinyin's dictionaries, the place slugs read CC-CEDICT. A build that changes
nothing would spend more time loading those dictionaries than doing its work. What they return
depends only on their argument, the pipeline's code and its packages, so it is kept in
`.cache/memo/<code version>.pickle`, named after `version.code_version()` (every
scripts/**/*.py and the versions of the packages that shape the output): a change to either starts
from an empty memo, so a remembered value is always what computing it now would give.

Only a build keeps the memo (`kept_in(root)`); anywhere else (a test, `convert`) `remembered`
remembers within the process only.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from .version import code_version

MEMO_DIR = Path(".cache") / "memo"

T = TypeVar("T")
_tables: dict[str, dict] = {}  # table name → {argument: value}
_added = False  # something was computed since the memo was read
_recording: dict[str, dict] | None = None  # what is computed, for a forked worker to send back


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
    try:
        stored = pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        stored = {}  # none yet, or damaged: computed again
    for table, values in stored.items():
        _tables.setdefault(table, {}).update(values)
    _added = stored != _tables  # this process already knew more (an earlier build in it)
    yield
    if _added:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            partial.write_bytes(pickle.dumps(_tables, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as err:  # a full disk: name the file, leave no half of it
            partial.unlink(missing_ok=True)
            raise OSError(err.errno, err.strerror, str(path)) from err
        partial.replace(path)  # atomic: a reader never sees half a memo
        for old in folder.glob("*.pickle"):  # other code versions: never read again
            if old != path:
                old.unlink(missing_ok=True)
        _added = False
