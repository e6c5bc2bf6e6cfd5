"""A stopped `add` leaves what its message says (issue #29, items 5 and 6).

- Item 5: on a full disk the journal write itself was refused; `rollback()` closed the journal,
  which wrote the refused line again and raised again, so nothing was undone while the message
  said "as they were" (18 files stayed changed until the next locked command). A rollback now
  undoes what this process changed from its own list, whatever the journal's file says.
- Item 6: a SIGTERM just after the journal was deleted (the change had landed) printed "the file
  was not added … as they were". A commit now lands whole before a signal is handled, and the
  message says what is true: added, not added, or to be undone by the next command.

The faults are real: the kernel's ENOSPC (/dev/full refuses every write; a 1 KiB-block ext4 that
is full, where the machine lets the test mount one), and a real SIGTERM that the process sends
itself at the exact moment (the child wraps the call after which it is sent).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.core.files import JOURNAL, JOURNAL_DIR, Transaction

from .conftest import ROOT
from .maintainer import CITY_PLAN_ID, built_project, cli
from .test_faults import ADD, state


def journal_left(project: Path) -> bool:
    return (project / JOURNAL_DIR / "undo" / JOURNAL).exists()


# item 5: the journal refused ---------------------------------------------------------------------


def test_a_rollback_undoes_even_when_the_disk_refuses_the_journal(tmp_path):
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    with pytest.raises(OSError) as refused, Transaction(tmp_path) as change:
        change.write(tmp_path / "a.md", "new a")
        change.write(tmp_path / "new.md", "new file")
        # from now on the disk takes no byte more: the next journal line is refused (ENOSPC)
        change._journal.close()
        change._journal = open("/dev/full", "a", encoding="utf-8")  # noqa: SIM115
        change.write(tmp_path / "b.md", "new b")
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")} == {
        "a.md": "old a.md",
        "b.md": "old b.md",
        "c.md": "old c.md",
    }
    assert not journal_left(tmp_path)
    assert refused.value.errno == errno.ENOSPC
    assert str(tmp_path / JOURNAL_DIR / "undo" / JOURNAL) in str(refused.value)  # named


def ext4_with_1k_blocks(tmp_path: Path, megabytes: int = 40) -> Path:
    """A fresh 1 KiB-block ext4, mounted (root only): its journal grows block by block."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4"):
        pytest.skip("mounting a small ext4 needs root and mkfs.ext4")
    image, mount = tmp_path / "disk.img", tmp_path / "disk"
    mount.mkdir()
    with open(image, "wb") as f:
        f.truncate(megabytes * 1024 * 1024)
    made = subprocess.run(
        ["mkfs.ext4", "-q", "-b", "1024", "-m", "0", "-F", str(image)], capture_output=True
    )
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mount)], capture_output=True)
    if made.returncode or mounted.returncode:
        pytest.skip(f"cannot mount a loop ext4 here: {mounted.stderr.decode().strip()}")
    return mount


def test_add_on_a_nearly_full_1k_ext4_changes_all_or_nothing(tmp_path):
    """The issue's disk: an add that needs D bytes, given a little less than D, is refused by
    whichever write comes last (a page, the journal, the record); the checkout is as before (or as
    a finished add leaves it, should it fit), and no journal is left."""
    mount = ext4_with_1k_blocks(tmp_path)
    try:
        project = built_project(mount / "p")
        assert cli("build", "--root", str(project)).returncode == 0  # its conversion cache
        before = state(project)
        probe = Path(shutil.copytree(project, mount / "probe"))
        free = shutil.disk_usage(mount).free
        assert cli(*ADD, "--root", str(probe)).returncode == 0
        needed = free - shutil.disk_usage(mount).free
        shutil.rmtree(probe)
        outcomes = set()
        for short_kb in (2, 10):  # a page, or the journal, is the write refused
            filler = mount / "filler"
            filler.unlink(missing_ok=True)
            with open(filler, "wb") as f:
                os.posix_fallocate(
                    f.fileno(), 0, shutil.disk_usage(mount).free - needed + short_kb * 1024
                )
            result = cli(*ADD, "--root", str(project))
            if result.returncode == 0:  # it fitted after all (blocks are shared differently)
                outcomes.add("added")
                shutil.rmtree(project)
                project = built_project(mount / "p")
                continue
            outcomes.add(result.stderr.strip().splitlines()[-1].split(": No space")[0])
            assert "No space left on device" in result.stderr, result.stderr
            assert "sources/, docs/ and published/ are as they were" in result.stderr
            assert state(project) == before, result.stderr
            assert not journal_left(project)
        assert outcomes != {"added"}, "the disk was never full"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


# item 6: a signal at the moment the change lands --------------------------------------------------

# The child runs `python -m scripts ADD`, sending itself SIGTERM at a moment: just before or just
# after the journal is deleted (the commit), as the published record is written (the change's last
# step), or as the report begins (after the change landed).
SIGNAL_AT = """
import os, runpy, signal, sys, pathlib
from scripts.core import files
from scripts.maintain import add as add_module
where = sys.argv.pop(1)
if where in ("after-unlink", "before-unlink"):
    unlink = pathlib.Path.unlink
    def unlinking(self, *args, **kwargs):
        if self.name == files.JOURNAL and where == "before-unlink":
            os.kill(os.getpid(), signal.SIGTERM)
        unlink(self, *args, **kwargs)
        if self.name == files.JOURNAL and where == "after-unlink":
            os.kill(os.getpid(), signal.SIGTERM)
    pathlib.Path.unlink = unlinking
else:  # the last step of the change ("record") or the first after it ("report")
    owner, name = (add_module.published, "record") if where == "record" else (add_module, "report")
    call = getattr(owner, name)
    def signalled(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        return call(*args, **kwargs)
    setattr(owner, name, signalled)
sys.argv = ["scripts", *sys.argv[1:]]
runpy.run_module("scripts", run_name="__main__")
"""


def add_signalled(where: str, project: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", SIGNAL_AT, where, *ADD, "--root", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    project = built_project(tmp_path_factory.mktemp("landed-clean"))
    added = built_project(tmp_path_factory.mktemp("landed-added"))
    assert cli(*ADD, "--root", str(added)).returncode == 0
    return state(project), state(added)


@pytest.mark.parametrize("where", ["before-unlink", "after-unlink", "report"])
def test_a_sigterm_as_the_change_lands_or_after_says_the_file_was_added(clean, tmp_path, where):
    """A commit is whole: a signal that arrives during it is handled once it has landed."""
    _, after = clean
    project = built_project(tmp_path / "p")
    result = add_signalled(where, project)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert (
        "stopped by SIGTERM" in line
        and f"was added before that, whole, as sources/{CITY_PLAN_ID}.txt" in line
    )
    assert "not added" not in line
    assert state(project) == after and not journal_left(project)


def test_a_sigterm_before_the_change_landed_says_it_was_not_added(clean, tmp_path):
    before, _ = clean
    project = built_project(tmp_path / "p")
    result = add_signalled("record", project)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "was not added: sources/, docs/ and published/ are as they were" in line
    assert state(project) == before and not journal_left(project)
