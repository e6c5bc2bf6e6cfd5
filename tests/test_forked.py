"""Forked workers that can never hang the command (scripts/speed/forked.py), in real processes:
a child killed mid-item is an error naming the item, an exception comes back as itself, and no
child outlives the loop however it ends."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from scripts.speed.forked import ChildDied, ChildStopped, Forked, Team, map_unordered


def living_children() -> set[int]:
    """The pids of this process's living children (zombies are not living). A thread of this
    process may end while they are read (a server's, a browser driver's): its folder is gone."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            listed = (task / "children").read_text().split()
            found |= {int(pid) for pid in listed}
    return {pid for pid in found if _state(pid) not in ("Z", None)}


@pytest.fixture(autouse=True)
def children():
    """This test's living children: those of this process but the ones it had before (a browser
    test's driver, when the tests share a process). Whatever a test leaves running is killed after
    it, so that a failing test cannot leave children holding the pipes of others."""
    before = living_children()
    yield lambda: living_children() - before
    for pid in living_children() - before:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def square(n: int) -> int:
    return n * n


def test_every_item_comes_back_once_with_its_index(children):
    got = dict(map_unordered(square, range(50), workers=3))
    assert got == {i: i * i for i in range(50)}
    assert not children()


def test_an_exception_in_a_child_is_raised_again_as_itself(children):
    def fails_on_seven(n: int) -> int:
        if n == 7:
            raise ValueError(f"bad item {n}")
        return n

    with pytest.raises(ValueError, match="bad item 7"):
        dict(map_unordered(fails_on_seven, range(20), workers=2))
    assert not children()


def test_a_child_killed_while_working_is_named_with_its_item(children):
    def dies_on_five(n: int) -> int:
        if n == 5:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return n

    with pytest.raises(ChildDied) as died:
        dict(map_unordered(dies_on_five, range(10), workers=2))
    assert died.value.item == 5 and died.value.index == 5
    assert "was killed by SIGKILL" in str(died.value) and "working on 5" in str(died.value)
    assert not children()


def test_a_child_that_ends_by_a_group_sigterm_is_seen_at_once(children):
    def stopped(n: int) -> int:
        os.kill(os.getpid(), signal.SIGTERM)  # the child's share of `kill -TERM -<group>`
        return n

    # the parent stops as the group's signal stops it (its own may arrive after the pipe's end):
    # a KeyboardInterrupt naming the signal, which the command line turns into 128 + 15
    with pytest.raises(ChildStopped) as stop:
        dict(map_unordered(stopped, range(4), workers=2))
    assert isinstance(stop.value, KeyboardInterrupt) and stop.value.signum == signal.SIGTERM
    assert not children()


def test_a_command_whose_worker_got_the_groups_signal_first_says_it_was_stopped():
    """The race test_no_hang.py met (1 run in 30): a group SIGINT ended a conversion worker, and
    the parent saw the worker's end before its own signal, and said the worker had crashed (rc 2)."""
    from scripts.__main__ import _said, _signal_of

    for signum, said in ((signal.SIGINT, "Ctrl-C (SIGINT)"), (signal.SIGTERM, "SIGTERM")):
        err = ChildStopped(signum)
        assert (_signal_of(err), _said(err)) == (signum, said)


def test_children_are_gone_when_the_parent_stops_reading(children):
    def slow(n: int) -> int:
        time.sleep(30)
        return n

    with Team(slow, range(4), workers=2) as team:
        assert len(children()) == 2
        team.close()  # what an exception (Ctrl-C, SIGTERM raised by the command) leads to
        assert not children()


def test_an_interrupted_loop_leaves_no_child(children):
    def slow_after_first(n: int) -> int:
        if n:
            time.sleep(30)
        return n

    with pytest.raises(KeyboardInterrupt):
        for _ in map_unordered(slow_after_first, range(4), workers=2):
            raise KeyboardInterrupt
    assert not children()


def test_one_function_in_a_child(children):
    assert Forked(square, 12).result() == 144

    def crashes() -> None:
        os._exit(3)

    with pytest.raises(ChildDied, match="exited with status 3"):
        Forked(crashes).result()

    def raises() -> None:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        Forked(raises).result()
    assert not children()


def test_a_large_result_comes_back_whole():
    def big() -> bytes:
        return bytes(range(256)) * 40_000  # 10 MB: many times a pipe's buffer

    assert Forked(big).result() == bytes(range(256)) * 40_000
