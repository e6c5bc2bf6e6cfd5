"""Writing a checkout's files so that nothing that stops a command can leave half of a change.

- `write_atomic`: a file is written under a temporary name beside it and renamed over the old one,
  so a reader (or the next build) sees the old bytes or the new ones, never a cut-off file, even
  on a full disk or after SIGKILL. (Not fsync'd: that guards against a power cut, at a cost per
  file a full build of 10,000 pages would feel; a killed process loses nothing the kernel has.)
- `Transaction`: several files that change together (a source, its sidecar, the pages it changes,
  the published record) land together or not at all. Before a file is changed, a journal line
  says how to undo it (the old bytes are kept under a hard link); `commit` deletes the journal,
  `rollback` undoes it. A command killed with SIGKILL leaves the journal, and the next command
  that takes the checkout's lock (`recover`) rolls the change back. SIGINT and SIGTERM wait while
  a commit or a rollback runs, so either is whole when the signal is handled, and `landed` (and
  `on_landed`) says which happened: a message after a signal says what is true. A rollback undoes
  what this process changed from its own list, so a journal the disk refused to write (a full
  disk) does not stop it.
- `checkout_lock`: one command at a time writes a checkout (build, site, add, check); a second
  one is refused with a message naming the first.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pickle
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self, TextIO

from .errors import SourceError

JOURNAL_DIR = Path(".journal")  # beside sources/: the undo log of a change in progress
JOURNAL = "journal.jsonl"
LOCK = Path(".journal") / "lock"


def write_atomic(path: Path, data: bytes | str) -> None:
    """`path` holds the old bytes or all the new ones, whatever happens meanwhile."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        if err.filename is None:  # a write refused part-way (a full disk) names no file: name it
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def read_kept(path: Path) -> Any:
    """What `keep` pickled at `path`, or None when it is missing, cut short by a crash or written
    by another Python: the caller checks its shape, and makes it again when it is not right."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        return None


def keep(path: Path, value: Any) -> None:
    """`value` pickled at `path` for the next process (whole or not at all); nothing where the
    folder cannot be written (a read-only checkout: every process makes it again, no more)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


class Transaction:
    """Changes to files under `root` that land together or not at all (see the module's doc).
    `on_landed` is called the moment the change has landed (signals wait meanwhile)."""

    def __init__(self, root: Path, on_landed: Callable[[], None] | None = None):
        self.root = Path(root).resolve()
        self.dir = self.root / JOURNAL_DIR / "undo"
        self.saved: set[Path] = set()
        self.entries: list[dict] = []  # what the journal holds, in order: what a rollback undoes
        self.landed = False
        self.on_landed = on_landed
        self._journal: TextIO | None = None

    def __enter__(self) -> Self:
        recover(self.root)  # a change a SIGKILL left half done is undone first
        self.dir.mkdir(parents=True, exist_ok=True)
        self._journal = open(self.dir / JOURNAL, "a", encoding="utf-8")
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            self.rollback()
            return
        try:
            self.commit()
        except BaseException:
            if not self.landed:  # the journal could not be closed or deleted: nothing landed
                self.rollback()
            raise

    def write(self, path: Path, data: bytes | str) -> None:
        path = Path(path)
        self._save(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)

    def delete(self, path: Path) -> None:
        path = Path(path)
        self._save(path)
        path.unlink(missing_ok=True)

    def _save(self, path: Path) -> None:
        """Journal how to undo a change of `path` before it is made (once per file)."""
        path = path.resolve()
        if path in self.saved:
            return
        entry: dict = {"path": path.relative_to(self.root).as_posix()}
        if path.exists():
            entry["backup"] = backup = f"{len(self.saved)}"
            try:
                os.link(
                    path, self.dir / backup
                )  # every change is a rename, so the old inode keeps its bytes
            except OSError:
                shutil.copy2(path, self.dir / backup)
        assert self._journal is not None, "a change is recorded inside its `with` block"
        try:
            self._journal.write(json.dumps(entry) + "\n")
            self._journal.flush()  # in the kernel's hands: a killed process cannot lose it
        except OSError as err:  # a full disk: the change it announces is not made
            raise _naming(err, self.dir / JOURNAL) from err
        self.entries.append(entry)
        self.saved.add(path)

    def commit(self) -> None:
        assert self._journal is not None, "a change is committed inside its `with` block"
        with signals_held():  # landed and said so, or not landed: never a signal in between
            self._journal.close()
            (self.dir / JOURNAL).unlink()  # the moment the change has landed
            self.landed = True
            if self.on_landed:
                self.on_landed()
            shutil.rmtree(self.dir, ignore_errors=True)

    def rollback(self) -> None:
        with signals_held():  # undo whole
            _close_refusing_nothing(self._journal)
            _undo(self.root, self.dir, self.entries)


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done, then are handled as they would have been.
    Their handlers are swapped for one that notes them: blocking them (pthread_sigmask) held them
    from this thread only, and another thread of the process (a progress ticker) took them, after
    which Python ran the handler here all the same, mid-commit."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can set handlers (and runs them)
        return
    caught: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda n, _: caught.append(n)) for signum in HELD_SIGNALS
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for caught_signum in dict.fromkeys(caught):
            signal.raise_signal(caught_signum)  # as if it arrived now


def _close_refusing_nothing(journal) -> None:
    """Close the journal. A line the disk refused is still in its buffer, and closing writes it
    again: on a full disk that raised again, before anything was undone. The change that line
    announced was never made (the file is changed after its line is written), so it is dropped."""
    if journal is None:
        return
    try:
        journal.close()
    except OSError:
        # the buffer's second try fails too; the file is closed by now
        with contextlib.suppress(OSError):
            journal.close()


def _naming(err: OSError, path: Path) -> OSError:
    """`err` naming `path` (a refused write to an open file names none)."""
    return err if err.filename else OSError(err.errno, err.strerror, str(path))


def _undo(root: Path, folder: Path, entries: list[dict] | None = None) -> int:
    """Undo the changes `entries` list (by default: the journal in `folder`), newest first, then
    delete the journal; returns how many files it restored. Stopped part-way (a kill, a failed
    rename), it leaves the journal, and undoing it again finishes the work."""
    if entries is None:
        entries = []
        for line in (folder / JOURNAL).read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                break  # cut off by a kill: the change it announces was never made
    for entry in reversed(entries):
        path = root / entry["path"]
        for partial in path.parent.glob(
            f".{glob_escape(path.name)}.*.tmp"
        ):  # a write a kill cut off
            partial.unlink(missing_ok=True)
        if "backup" in entry:
            if not (folder / entry["backup"]).exists():
                continue  # restored already, by an undo that was itself stopped
            path.parent.mkdir(parents=True, exist_ok=True)  # a folder that went with its last page
            os.replace(folder / entry["backup"], path)
        else:
            path.unlink(missing_ok=True)
            _remove_empty_parents(path.parent, root)
    shutil.rmtree(folder, ignore_errors=True)
    return len(entries)


def glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def recover(root: Path) -> int:
    """Undo a change that was stopped before it landed (SIGKILL, power cut); returns the number of
    files restored (0 when there was none)."""
    folder = Path(root) / JOURNAL_DIR / "undo"
    if not (folder / JOURNAL).exists():
        shutil.rmtree(folder, ignore_errors=True)  # a commit stopped after its journal was deleted
        return 0
    return _undo(Path(root), folder)


_held_locks: set[int] = set()  # file descriptors of the checkout locks this process holds


def _drop_inherited_locks() -> None:
    """In a forked child (a conversion worker, a page writer): let go of the parent's lock. An
    flock belongs to the open file, which a fork shares: a worker that outlives a killed command
    would otherwise keep the checkout locked. The descriptor now reads /dev/null instead."""
    for fd in _held_locks:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, fd)
        os.close(null)
    _held_locks.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextlib.contextmanager
def checkout_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the checkout's lock while `command` runs; refuse with a one-line message when another
    command holds it. The lock is the kernel's (flock): it goes with the process that held it,
    however that process ends. A change a killed command left half done is undone first."""
    root = Path(root)
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another command"
            raise SourceError(
                root,
                f"{holder} is running in this checkout",
                fix=f"wait for it to finish and run `{command}` again",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"`python -m scripts {command}` (pid {os.getpid()})\n")
        handle.flush()
        _held_locks.add(handle.fileno())
        try:
            restored = recover(root)
            if restored:
                print(
                    f"{root / JOURNAL_DIR}: undid a change that was stopped before it finished "
                    f"({restored} file(s) restored)",
                    file=sys.stderr,
                )
            yield
        finally:
            _held_locks.discard(handle.fileno())
