"""No command can hang, whatever stops it: `add` and `build` in subprocesses, stopped at random
moments by a signal to their whole process group (what `timeout`, a CI cancel, `kill -TERM
-<pgid>` and Ctrl-C send), on a machine whose cores are both busy; and a conversion worker killed
as the out-of-memory killer kills.

Each run must end (a run still going after HANG seconds is a hang: the test kills it and fails),
leave no process of its group behind (an orphaned worker would keep converting, or hold the
checkout's lock), and leave the tree as it was or as a finished command leaves it.

Before the conversion workers were plain forks (scripts/speed/forked.py), a group SIGTERM hung a
build in multiprocessing's `Pool.terminate`: a worker killed while holding the task queue's lock
left the others, and `join()`, waiting for ever.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .maintainer import CITY_PLAN, built_project
from .test_faults import state

HANG = 90  # s: far beyond what any of these commands takes on a busy machine; only a hang gets here
SMALL = 16  # sources: enough for the build to convert them in forked workers (PARALLEL_FROM)
RUNS = 30


@contextlib.contextmanager
def busy_cores(count: int = 2):
    """Both cores kept busy by spinning processes, as on a loaded CI machine: no core is ever
    idle, so the commands are preempted at any moment (niced to the lowest priority: they take
    the cycles no one else wants, and do not slow the rest of a parallel test run)."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "import os; os.nice(19)\nwhile True: pass"])
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def start(*args: str) -> subprocess.Popen:
    """`python -m scripts ARGS` in a process group of its own, as a shell job is."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "scripts", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def ended(process: subprocess.Popen) -> tuple[int, str]:
    """The return code and stderr, or a failure naming the hang (the group is killed first)."""
    try:
        _, err = process.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{' '.join(process.args[2:])} hung: still running {HANG} s after it began")
    return process.returncode, err


def group_is_gone(pgid: int) -> bool:
    for _ in range(200):  # a killed process is reaped by its parent a moment later
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A built clone of SMALL sources, and the same with the city plan added."""
    project = built_project(tmp_path_factory.mktemp("no-hang"))
    keep = sorted(p for p in (project / "sources").iterdir() if p.suffix != ".yml")[:SMALL]
    for path in (project / "sources").iterdir():
        if path.with_suffix("") not in {k.with_suffix("") for k in keep}:
            path.unlink()
    assert run_to_the_end("build", "--root", str(project)) == 0
    # a new archive of these sources: what it publishes is what it has published
    (project / "published" / "moved-anchors.txt").unlink(missing_ok=True)
    assert run_to_the_end("published", "record", "--reset", "--root", str(project)) == 0
    return project


def lock_is_free(project: Path) -> bool:
    """No process holds the checkout's lock (scripts/core/files.py checkout_lock)."""
    lock = project / ".journal" / "lock"
    if not lock.exists():
        return True
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
    return True


def run_to_the_end(*args: str) -> int:
    process = start(*args)
    rc, err = ended(process)
    assert rc == 0, err
    return rc


def test_adds_and_builds_stopped_at_random_moments_on_busy_cores_never_hang(small, tmp_path):
    added = tmp_path / "added"
    shutil.copytree(small, added)
    run_to_the_end("add", str(CITY_PLAN), "--root", str(added), "--retrieved", "2025-01-20")
    before, after = state(small), state(added)

    draw = random.Random(2329)  # the same moments on every run of the test
    stopped = finished = 0
    with busy_cores():
        for number in range(RUNS):
            project = tmp_path / f"run-{number}"
            shutil.copytree(small, project)
            shutil.rmtree(project / ".cache", ignore_errors=True)  # cold: every source converted
            if number % 2:
                args = ("add", str(CITY_PLAN), "--root", str(project), "--retrieved", "2025-01-20")
            else:
                args = ("build", "--no-cache", "--root", str(project))
            process = start(*args)
            signal_number = draw.choice([signal.SIGTERM] * 3 + [signal.SIGINT] * 2 + [None])
            if signal_number:
                time.sleep(draw.uniform(0.3, 3.0))
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal_number)
            rc, err = ended(process)
            what = f"run {number}: {' '.join(args[:2])} with {signal_number!r}: rc {rc}\n{err}"
            assert group_is_gone(process.pid), f"{what}: a process of its group is left behind"
            if rc == 0:
                finished += 1
            else:
                stopped += 1
                if rc < 0:  # the signal came before Python had set up its handlers
                    assert -rc == signal_number, what
                else:
                    assert rc in (128 + signal.SIGTERM, 128 + signal.SIGINT), what
                    assert re.fullmatch(
                        r"(?s).*^error: .*stopped by (SIGTERM|Ctrl-C).*", err, re.MULTILINE
                    ), what
            if args[0] == "add":
                assert state(project) in (before, after), f"{what}: half an add was left"
            assert lock_is_free(project), f"{what}: the checkout is still locked"
            if number == RUNS - 1:  # the tree is whole: the next command runs and succeeds
                assert run_to_the_end("check", "--no-site", "--root", str(project)) == 0, what
            shutil.rmtree(project)
    assert stopped >= RUNS // 2, f"only {stopped} of {RUNS} runs were stopped part-way"


def test_a_conversion_worker_killed_as_by_the_oom_killer_is_an_error_naming_its_source(small):
    process = start("build", "--no-cache", "--root", str(small))
    workers: set[int] = set()
    deadline = time.monotonic() + HANG
    while not workers and process.poll() is None and time.monotonic() < deadline:
        workers = descendants(process.pid)
        time.sleep(0.01)
    assert workers, "the build forked no conversion worker"
    os.kill(min(workers), signal.SIGKILL)
    rc, err = ended(process)
    assert rc == 2, err
    assert re.search(
        r"^error: \S*sources/\S+: the conversion worker was killed by SIGKILL \(as the "
        r"out-of-memory killer kills\) while converting this source; ",
        err,
        re.MULTILINE,
    ), err
    assert group_is_gone(process.pid)
    assert run_to_the_end("build", "--root", str(small)) == 0


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(FileNotFoundError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found.add(int(child))
    return found
