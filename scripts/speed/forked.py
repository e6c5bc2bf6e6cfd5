"""Work in forked children that can never hang the command that forked them.

multiprocessing's Pool shares a task queue guarded by a lock between its workers. A worker that
dies holding it (SIGTERM to the process group, the out-of-memory killer, a `terminate()` at the
wrong moment) leaves every other worker, and `join()`, waiting on it for ever. Here nothing is
shared but pipes, one pair per child:

- `Forked(fn, *args)`: one function in one child; `.result()` gives what it returned.
- `Team(fn, items, workers)`: the items shared out over a few children, one at a time (a child
  gets its next item when it sends back its last result); iterating over it yields (index,
  result) as they come back. `map_unordered` is the same as a loop.

The guarantees, for both:
- A child that dies (a signal, `os._exit`, a crash) is seen at once, as the end of its pipe, and
  raised as `ChildDied`, naming the item it held and how it died; one ended by SIGINT or SIGTERM
  as `ChildStopped`, a KeyboardInterrupt, as the parent would be. Nothing waits on a dead child.
- Whatever ends the parent's wait (Ctrl-C, SIGTERM raised as an exception, an error), every child
  still running is killed (SIGKILL: it holds nothing the parent needs) and reaped before the
  exception goes on. A child whose parent is gone finds its pipes closed and ends.
- A child ends on SIGINT and SIGTERM as the signal would end it, without Python's handlers, so
  Ctrl-C or `kill -TERM -<group>` stops the children at once and leaves the cleaning up to the
  parent; it never runs the parent's `atexit` handlers or flushes the parent's buffers.
- An exception raised by `fn` in a child is raised again in the parent (or, when it cannot be
  pickled, a RuntimeError with its traceback).

Results travel as pickles, so `fn`'s result must be picklable; `fn` and the items are not sent:
the child is a fork and has them already.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Self

HEADER = struct.Struct("!Q")  # the length of the pickle that follows
_RESULT, _ERROR = 0, 1


class ChildStopped(KeyboardInterrupt):
    """A forked child ended by SIGINT or SIGTERM: what Ctrl-C or `kill -TERM -<group>` sends to the
    whole process group. The parent may see its child's pipe end before its own signal arrives, so
    it stops as that signal would have stopped it, not as a crash."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"a forked worker was stopped by {signal.Signals(signum).name}")


STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _ended(status: int, item: Any = None, index: int | None = None) -> BaseException:
    """What a child's end without a result raises in the parent."""
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in STOPPING_SIGNALS:
        return ChildStopped(os.WTERMSIG(status))
    return ChildDied(how_it_ended(status), item, index)


class ChildDied(Exception):
    """A forked child ended without sending its result (killed, crashed, exited)."""

    def __init__(self, how: str, item: Any = None, index: int | None = None):
        self.how, self.item, self.index = how, item, index
        holding = f" while working on {item}" if index is not None else ""
        super().__init__(f"a forked worker {how}{holding}")


def jobs() -> int:
    """Worker processes: ARCHIVE_JOBS, else one per core this process may run on."""
    wanted = os.environ.get("ARCHIVE_JOBS")
    if wanted:
        return max(1, int(wanted))
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


def can_fork() -> bool:
    return hasattr(os, "fork")


def how_it_ended(status: int) -> str:
    """'was killed by SIGKILL (as the out-of-memory killer kills)', 'exited with status 3'."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        why = " (as the out-of-memory killer kills)" if number == signal.SIGKILL else ""
        return f"was killed by {name}{why}"
    if os.WIFEXITED(status):
        return f"exited with status {os.WEXITSTATUS(status)}"
    return f"ended ({status})"


# --- both ends of a pipe -----------------------------------------------------------------------


def _send(fd: int, kind: int, value: Any) -> None:
    try:
        data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable exception travels as its traceback
        data = pickle.dumps((_ERROR, RuntimeError(str(value))), protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from the pipe, or None when it ends first (the writer is gone)."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> tuple[int, Any] | None:
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    data = _read_exactly(fd, HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _error_of(err: BaseException) -> BaseException:
    """The exception as it can travel: itself, or its traceback in a RuntimeError."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return RuntimeError("".join(traceback.format_exception(err)))


def _raise(value: BaseException) -> None:
    raise value


# --- the child's side ----------------------------------------------------------------------------


def _fork(child: Callable[[], None]) -> int:
    """Fork; the child runs `child()` and ends with os._exit, whatever happens.

    The stopping signals are held back across the fork: one that came between the fork and the
    child's own handlers would run the parent's (a KeyboardInterrupt in the child, which would end
    it with status 1, a crash, instead of the signal). Held, it reaches the child once SIG_DFL is
    set, and the parent once the fork has returned."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING_SIGNALS)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return pid
    status = 0
    try:
        for number in STOPPING_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        child()
    except BaseException:  # a child reports through its pipe, never unwinds the parent's stack
        status = 1
    finally:
        os._exit(status)


# --- one function in one child -------------------------------------------------------------------


class Forked:
    """`fn(*args)` in a forked child, started now; `result()` waits for it."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        read, write = os.pipe()

        def child() -> None:
            os.close(read)
            try:
                _send(write, _RESULT, fn(*args))
            except BrokenPipeError:
                return
            except Exception as err:  # raised again in the parent
                _send(write, _ERROR, _error_of(err))

        self.pid = _fork(child)
        os.close(write)
        self._read = read
        self._reaped = False

    def result(self) -> Any:
        try:
            message = _receive(self._read)
        except BaseException:
            self.stop()
            raise
        status = self._reap()
        if message is None:
            raise _ended(status)
        kind, value = message
        if kind == _ERROR:
            _raise(value)
        return value

    def stop(self) -> None:
        """Kill the child if it still runs, and reap it (idempotent)."""
        if not self._reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int:
        with contextlib.suppress(OSError):
            os.close(self._read)
        if self._reaped:
            return 0
        self._reaped = True
        while True:
            try:
                return os.waitpid(self.pid, 0)[1]
            except InterruptedError:
                continue
            except ChildProcessError:
                return 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- many items over a few children --------------------------------------------------------------


class _Worker:
    def __init__(self, number: int, fn: Callable[[Any], Any], items: list, starts: Callable | None):
        tasks_read, self.tasks = os.pipe()
        self.results, results_write = os.pipe()

        def child() -> None:
            os.close(self.tasks)
            os.close(self.results)
            if starts:
                starts(number)
            while True:
                message = _receive(tasks_read)
                if message is None:  # the parent closed the tasks (done) or is gone
                    return
                _, index = message
                try:
                    outcome = (_RESULT, (index, fn(items[index])))
                except Exception as err:  # raised again in the parent
                    outcome = (_ERROR, (index, _error_of(err)))
                try:
                    _send(results_write, *outcome)
                except BrokenPipeError:
                    return

        self.pid = _fork(child)
        os.close(tasks_read)
        os.close(results_write)
        self.holding: int | None = None
        self.alive = True

    def give(self, index: int) -> None:
        self.holding = index
        with contextlib.suppress(BrokenPipeError):  # it died: the end of its results says so
            _send(self.tasks, _RESULT, index)

    def finish(self) -> None:
        """No more items: the child ends when it reads the end of its tasks."""
        with contextlib.suppress(OSError):
            os.close(self.tasks)
        self.tasks = -1

    def end(self, kill: bool) -> int:
        """Reap the child (killed first when `kill`); its exit status."""
        if not self.alive:
            return 0
        self.alive = False
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        for fd in (self.tasks, self.results):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        while True:
            try:
                return os.waitpid(self.pid, 0)[1]
            except InterruptedError:
                continue
            except ChildProcessError:
                return 0


class Team:
    """`fn(item)` for every item, computed by up to `workers` forked children, forked now;
    `starts(number)` runs first in each child (numbered from 1). Iterate over it for (index,
    result) in the order they are done; it raises ChildDied when a child dies, naming the item it
    held. `close()` (or leaving its `with` block) kills and reaps what still runs."""

    def __init__(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        workers: int,
        starts: Callable[[int], None] | None = None,
    ):
        self.items = list(items)
        self._pending = iter(range(len(self.items)))
        self._team: list[_Worker] = []
        try:
            for number in range(1, min(workers, len(self.items)) + 1):
                self._team.append(_Worker(number, fn, self.items, starts))
            for worker in self._team:
                self._give_next(worker)
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        done = 0
        while done < len(self.items):
            busy = {w.results: w for w in self._team if w.alive and w.holding is not None}
            ready, _, _ = select.select(list(busy), [], [])
            for fd in ready:
                worker = busy[fd]
                message = _receive(fd)
                if message is None:
                    index = worker.holding
                    assert index is not None  # only a worker holding an item is waited on
                    status = worker.end(kill=True)
                    raise _ended(status, self.items[index], index)
                kind, (index, value) = message
                worker.holding = None
                if kind == _ERROR:
                    _raise(value)
                done += 1
                self._give_next(worker)
                yield index, value

    def close(self) -> None:
        for worker in self._team:
            worker.end(kill=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _give_next(self, worker: _Worker) -> None:
        index = next(self._pending, None)
        if index is None:
            worker.finish()
        else:
            worker.give(index)


def map_unordered(
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    workers: int,
    starts: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """(index, fn(item)) for every item, as a Team computes them; no child outlives the loop."""
    with Team(fn, items, workers, starts) as team:
        yield from team
