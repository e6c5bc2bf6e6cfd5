"""Run a command and measure it: wall seconds and peak memory of its whole process tree.

Peak memory is the larger of
- the sum of the proportional set sizes (PSS) of the command and all its descendants, sampled
  every 50 ms from /proc (parallel workers count together, as they do on the machine; a page a
  forked child still shares with its parent counts once, not once per process as a sum of
  resident set sizes would count it), and
- the kernel's high-water mark (VmHWM) of the largest single process, which catches a spike
  shorter than a sampling interval. (Not `getrusage` ru_maxrss: after fork + exec it still
  carries the parent's size, here the benchmark's own.)
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    output: str
    cpu_seconds: float = 0.0  # user + system, of the command and the processes it waited for


class CommandFailed(RuntimeError):
    pass


def _tree(pid: int) -> list[int]:
    """The process and its descendants now. Any of them may end while it is read (its /proc
    folder is gone): it is skipped, and the sampler goes on."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            with contextlib.suppress(OSError):
                children = Path(f"/proc/{current}/task/{task}/children").read_text()
                todo += [int(child) for child in children.split()]
    return pids


def _proc_kb(pid: int, name: str, field: str) -> int | None:
    """A `field:  <n> kB` line of /proc/<pid>/<name>, in bytes; None when it is not there."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _pss(pid: int) -> int:
    """The process's share of the memory it uses (/proc/<pid>/smaps_rollup); its resident set
    size where the kernel does not give that (before Linux 4.14)."""
    pss = _proc_kb(pid, "smaps_rollup", "Pss")
    if pss is not None:
        return pss
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _high_water(pid: int) -> int:
    return _proc_kb(pid, "status", "VmHWM") or 0


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run `cmd`; raise CommandFailed with its output when it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            pids = _tree(proc.pid)
            peak = max(peak, sum(map(_pss, pids)), *map(_high_water, pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    chunks = []
    assert proc.stdout is not None  # started with stdout=PIPE
    out = proc.stdout
    reader = threading.Thread(target=lambda: chunks.append(out.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    reader.join()
    output = b"".join(chunks).decode("utf-8", "replace")
    if proc.returncode != 0:
        raise CommandFailed(
            f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{output[-3000:]}"
        )
    return Run(seconds, peak, output, usage.ru_utime + usage.ru_stime)


def tree_bytes(folder: Path, suffix: str | None = None) -> int:
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and (suffix is None or p.name.endswith(suffix))
    )
