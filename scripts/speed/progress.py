"""What a long command is doing, as it goes: a stage at a time, with a count, a rate and an
estimate where the count is known, so that a slow build can be told from a hung one.

- In a terminal: live bars (rich), one per stage, that stay on screen with their time.
- Otherwise (CI, a pipe, a log file): one plain line per stage as it ends, with its time.
- Quiet: nothing but what the command always says (`say`: its closing line, its warnings).

Work done in another process (a forked worker, MkDocs in a forked child) is followed
from here: a function handed to `every_tick` is called a few times a second (it reads a shared
counter, polls a process) and moves its stage along. Knows nothing of documents: the stages
name themselves and their unit.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Self, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as Bars
from rich.table import Column
from rich.text import Text

TICK = 0.25  # seconds between two looks at work done elsewhere (and two redraws of the bars)
LIVE, PLAIN, QUIET = "live", "plain", "quiet"
RATED_FROM = 1.0  # s: a plain line gives the rate of a stage that took this long (shorter: noise)


class Stage:
    """One stage of a command: started when made, ended by `end()` (or its `with` block)."""

    def __init__(self, progress: Progress, name: str, total: int | None, unit: str):
        self.progress, self.name, self.total, self.unit = progress, name, total, unit
        self.done = 0
        self.doing = ""  # what is being worked on now
        self.started = time.perf_counter()
        self.seconds: float | None = None  # once ended
        self.task: TaskID | None = None  # its bar, in a terminal

    # cheap, to be called once per document: the bars read them at their next redraw
    def advance(self, n: int = 1) -> None:
        self.done += n

    def reached(self, done: int) -> None:
        """As many as this are done (a count kept elsewhere, e.g. by a forked child)."""
        self.done = done

    def working_on(self, text: str) -> None:
        """What is being worked on now, shown beside the bar ("" for nothing)."""
        self.doing = text

    def end(self, detail: str = "", failed: bool = False) -> None:
        if self.seconds is None:
            self.seconds = time.perf_counter() - self.started
            self.progress._ended(self, detail, failed)

    @property
    def ended(self) -> bool:
        return self.seconds is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.end(failed=kind is not None)


class Progress:
    """The progress of one command (`build`, `site`, `add`), on stderr; use as a context manager.

    `held`: plain lines wait until the command ends well, and go unsaid when it fails (a command
    whose failure is one line naming the file, like `add`, keeps it one line)."""

    def __init__(
        self, mode: str = QUIET, command: str = "", stream: TextIO | None = None, held: bool = False
    ):
        self.mode, self.command, self.held = mode, command, held
        self._stream = stream
        self.stages: list[Stage] = []
        self.started = time.perf_counter()
        self._lock = threading.RLock()  # one writer at a time; a fork waits for it (fork_safe)
        self._ticks: list[Callable[[], bool | None]] = []
        self._waiting: list[str] = []  # held lines
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._bars = _bars(self.stream) if mode == LIVE else None

    @classmethod
    def for_command(cls, command: str, quiet: bool = False, held: bool = False) -> Progress:
        """Live bars when stderr is a terminal, plain lines when it is not, nothing when quiet."""
        if quiet:
            return cls(QUIET, command)
        return cls(LIVE if sys.stderr.isatty() else PLAIN, command, held=held)

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr  # as it is now: a test may have redirected it

    @property
    def shows(self) -> bool:
        return self.mode != QUIET

    # --- as a context manager: the ticker and the bars run inside ----------------------------

    def __enter__(self) -> Self:
        if self._bars:
            self._bars.start()
        if self.shows:
            self._ticker = threading.Thread(
                target=self._tick_until_stopped, name="progress", daemon=True
            )
            self._ticker.start()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(ok=kind is None)

    def close(self, ok: bool = True) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join()
            self._ticker = None
        self.stop_bars()
        with self._lock:
            if ok:
                for line in self._waiting:
                    print(line, file=self.stream, flush=True)
            self._waiting.clear()

    # --- what a command calls ----------------------------------------------------------------

    def stage(self, name: str, total: int | None = None, unit: str = "") -> Stage:
        """A stage begins now; `total` when its count is known (else it shows a time only)."""
        stage = Stage(self, name, total, unit)
        if not self.shows:
            return stage
        with self._lock:
            self.stages.append(stage)
            if self._bars:
                stage.task = self._bars.add_task(
                    name, total=total, unit=unit, doing="", counted=total is not None
                )
        return stage

    def every_tick(self, look: Callable[[], bool | None]) -> Callable[[], None]:
        """Call `look` a few times a second, until it returns True or the returned function is called."""
        if not self.shows:
            return lambda: None
        with self._lock:
            self._ticks.append(look)

        def stop() -> None:
            with self._lock:
                if look in self._ticks:
                    self._ticks.remove(look)

        return stop

    def follow_process(self, name: str, process: subprocess.Popen, detail: str = "") -> Stage:
        """A stage that lasts as long as `process` runs (seen within a tick of its end)."""
        stage = self.stage(name)
        stage.working_on(detail)

        def look() -> bool:
            code = process.poll()
            if code is not None:
                stage.end(detail, failed=code != 0)
            return code is not None

        self.every_tick(look)
        return stage

    def note(self, text: str) -> None:
        """A line about the work (a document far slower than the others), kept above the bars."""
        if self.shows:
            self._write(f"[{self.command}] {text}" if self.command else text)

    def say(self, text: str) -> None:
        """A line the command says whatever the mode (its closing line, a warning): below the
        bars, which stop there."""
        self.stop_bars()
        self._write(text)

    def stop_bars(self) -> None:
        """The bars stop as they are, and stay on screen: what is printed next comes below them."""
        with self._lock:
            self._tick()  # the last look: a stage followed from here sees its work done
            if self._bars:
                self._bars.refresh()
                self._bars.stop()
                self._bars = None

    @contextmanager
    def fork_safe(self) -> Iterator[None]:
        """While a process forks: no thread of ours is writing, so the child inherits no lock of
        the terminal's held by a thread it does not have."""
        with self._lock:
            yield

    def times(self) -> str:
        """'converting 2.1 s, pages 0.4 s; total 2.6 s' (the stages in the order they began)."""
        spent = ", ".join(
            f"{stage.name} {_seconds(stage.seconds)}" for stage in self.stages if stage.ended
        )
        return f"{spent}; total {_seconds(time.perf_counter() - self.started)}"

    # --- inside ------------------------------------------------------------------------------

    def _write(self, line: str) -> None:
        with self._lock:
            if self.held and self.mode == PLAIN:
                self._waiting.append(line)
            elif self._bars:
                self._bars.console.print(line, markup=False, highlight=False, soft_wrap=True)
            else:
                print(line, file=self.stream, flush=True)

    def _ended(self, stage: Stage, detail: str, failed: bool) -> None:
        if not self.shows:
            return
        with self._lock:
            if stage.task is not None and self._bars is not None:
                total = stage.total if stage.total is not None else max(stage.done, 1)
                self._bars.update(
                    stage.task,
                    total=total,
                    completed=total if not failed else stage.done,
                    doing=("stopped" if failed else detail),
                )
                self._bars.stop_task(stage.task)
            else:
                self._write(plain_line(self.command, stage, detail, failed))

    def _tick_until_stopped(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                self._tick()
                if self._bars:
                    self._bars.refresh()

    def _tick(self) -> None:
        for look in list(self._ticks):
            if look():
                self._ticks.remove(look)
        if self._bars:
            for stage in self.stages:
                if not stage.ended and stage.task is not None:
                    self._bars.update(stage.task, completed=stage.done, doing=stage.doing)


def plain_line(command: str, stage: Stage, detail: str = "", failed: bool = False) -> str:
    """'[build] converting: 37 documents in 4.2 s (8.8/s); 2 converted, 35 from the cache'."""
    took = _seconds(stage.seconds)
    if stage.total is not None or stage.done:
        counted = (
            f"{stage.done} of {stage.total}"
            if failed and stage.total is not None
            else str(stage.done)
        )
        unit = (
            stage.unit[:-1] if stage.done == 1 and stage.unit.endswith("s") else stage.unit
        )  # 1 page
        said = f"{counted} {unit} in {took}".replace("  ", " ")
        if stage.seconds and stage.seconds >= RATED_FROM and stage.done >= 10 and not failed:
            said += f" ({stage.done / stage.seconds:.1f}/s)"
    else:
        said = took
    if failed:
        said = f"stopped after {said}"
    prefix = f"[{command}] " if command else ""
    return f"{prefix}{stage.name}: {said}" + (f"; {detail}" if detail else "")


def _seconds(seconds: float | None) -> str:
    return f"{seconds or 0:.1f} s"


def _bars(stream: TextIO) -> Bars:
    """rich's bars on `stream`, redrawn by our ticker (not by a thread of rich's own, so that a
    fork can wait for a redraw to finish); what Python prints elsewhere is not redirected (a
    forked child would inherit the redirection)."""
    return Bars(
        SpinnerColumn(finished_text="[green]✓"),
        TextColumn("{task.description}", table_column=Column(no_wrap=True, min_width=22)),
        BarColumn(bar_width=24),
        CountColumn(table_column=Column(no_wrap=True)),
        TimeElapsedColumn(),
        EstimateColumn(table_column=Column(no_wrap=True)),
        TextColumn(
            "[dim]{task.fields[doing]}",
            table_column=Column(no_wrap=True, overflow="ellipsis", max_width=40),
        ),
        console=Console(file=stream),
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    )


class CountColumn(ProgressColumn):
    """'1,204/10,000 documents 61/s' where the count is known; nothing for a time-only stage."""

    def render(self, task: Task) -> Text:
        if not task.fields.get("counted"):
            return Text("")
        said = f"{int(task.completed):,}/{int(task.total or 0):,} {task.fields.get('unit', '')}".rstrip()
        speed = (
            task.speed if not task.finished else task.completed / max(task.finished_time or 0, 1e-9)
        )
        if speed and (not task.finished or (task.finished_time or 0) >= RATED_FROM):
            said += f" {speed:,.0f}/s" if speed >= 10 else f" {speed:.1f}/s"
        return Text(said, style="progress.download")


class EstimateColumn(ProgressColumn):
    """'~0:01:23 left' while a counted stage runs."""

    def render(self, task: Task) -> Text:
        remaining = task.time_remaining
        if not task.fields.get("counted") or task.finished or remaining is None:
            return Text("")
        minutes, seconds = divmod(int(remaining), 60)
        return Text(
            f"~{minutes // 60}:{minutes % 60:02d}:{seconds:02d} left", style="progress.remaining"
        )
