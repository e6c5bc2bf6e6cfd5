"""Faults leave no damage: whatever stops `add` (a disk that takes no more bytes, SIGTERM, SIGKILL),
sources/, docs/ and published/ are as they were before it, or as a finished `add` leaves them;
state files are whole or absent; two commands in one checkout do not run at once; ids that would
collide with the site's own names, or make file names too long, are refused in one line.

The faults are real: signals sent to a running subprocess, and a file-size limit (RLIMIT_FSIZE)
under which the kernel refuses a write past a size, as a full disk does (EFBIG instead of ENOSPC).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .maintainer import CITY_PLAN, CITY_PLAN_ID, built_project, cli, one_error_line

CITY_URL = "https://www.hengyang.gov.cn/xxgk/zfxxgk/2024/0328/5.html"
ADD = ("add", str(CITY_PLAN), "--url", CITY_URL, "--retrieved", "2025-01-20")


def state(project: Path) -> dict[str, str]:
    """Every file of sources/, docs/ and published/ (what `add` changes), with a hash of its bytes."""
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("sources", "docs", "published")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def start(*args: str, limit_bytes: int | None = None) -> subprocess.Popen:
    """`python -m scripts ARGS` running; with `limit_bytes`, the kernel refuses to write any file
    past that size (Python ignores SIGXFSZ, so the write raises OSError, as on a full disk)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "scripts", *args]
    if limit_bytes:
        limited = (
            "import resource, runpy, sys; "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit_bytes}, {limit_bytes})); "
            f"sys.argv = ['scripts', *{list(args)!r}]; runpy.run_module('scripts', run_name='__main__')"
        )
        command = [sys.executable, "-c", limited]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A fresh clone, and what it holds once the city plan is added to it."""
    project = built_project(tmp_path_factory.mktemp("faults-clean"))
    before = state(project)
    added = built_project(tmp_path_factory.mktemp("faults-added"))
    result = cli(*ADD, "--root", str(added))
    assert result.returncode == 0, result.stderr
    return project, before, state(added)


@pytest.fixture
def project(clean, tmp_path):
    return built_project(tmp_path / "p")


def new_source(project: Path) -> Path:
    return project / "sources" / f"{CITY_PLAN_ID}.txt"


def wait_for(condition, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


# add, stopped -------------------------------------------------------------------------------------


def test_add_on_a_full_disk_is_one_line_and_changes_nothing(clean, project):
    _, before, _ = clean
    # the raw file, its sidecar and the small pages fit; a larger page it changes does not: the
    # kernel refuses the write part-way, after other pages under docs/ were written
    process = start(*ADD, "--root", str(project), limit_bytes=8000)
    out, err = process.communicate(timeout=120)
    result = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    line = one_error_line(result, "File too large")
    assert (
        f"error: {project}/docs/" in line
        and "sources/, docs/ and published/ are as they were" in line
    )
    assert state(project) == before
    assert cli("check", "--no-site", "--root", str(project)).returncode == 0


def test_sigterm_during_add_undoes_it(clean, project):
    _, before, _ = clean
    process = start(*ADD, "--root", str(project))
    wait_for(
        lambda: new_source(project).exists()
    )  # the raw file is in sources/: the change has begun
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    result = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    if result.returncode == 0:
        pytest.skip("add finished before the signal arrived")
    assert "stopped by SIGTERM" in one_error_line(result, "add")
    assert state(project) == before


@pytest.mark.parametrize(
    "delay", [0.0, 0.1, 0.3, 0.6, 1.0]
)  # after the raw file lands; add takes ~2 s more
def test_sigkill_during_add_is_undone_by_the_next_command(clean, project, delay):
    _, before, after = clean
    process = start(*ADD, "--root", str(project))
    wait_for(lambda: new_source(project).exists())
    time.sleep(delay)
    if process.poll() is not None:
        pytest.skip("add finished before the kill")
    process.kill()
    process.wait()
    result = cli(
        "build", "--root", str(project)
    )  # any command that writes the checkout mends it first
    assert result.returncode == 0, result.stderr
    assert state(project) in (before, after), "a killed add left half of its change"
    assert cli("check", "--no-site", "--root", str(project)).returncode == 0


def test_check_finds_a_page_no_source_produces(project):
    """What a killed write used to leave: a cut-off page, not in docs/.generated, that the site published."""
    (project / "docs" / "doc" / "2099-cut-off.md").write_text("---\ntitle: 半\n", encoding="utf-8")
    result = cli("check", "--no-site", "--root", str(project))
    assert result.returncode != 0
    assert (
        "docs/doc/2099-cut-off.md: is among the generated pages, but no source produces it"
        in result.stderr
    )


# ids ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", ["index", "assets", "search", "export", "a" * 300])
def test_an_id_the_site_uses_or_too_long_is_refused_in_one_line(clean, project, doc_id):
    _, before, _ = clean
    line = one_error_line(cli(*ADD, "--id", doc_id, "--root", str(project)), "id")
    assert "Errno" not in line and "Traceback" not in line
    assert state(project) == before


# state files and the lock -------------------------------------------------------------------------


def test_a_damaged_build_state_means_a_full_build(project):
    assert cli("site", "--root", str(project)).returncode == 0
    state_file = project / "site" / ".build-state.json"
    state_file.write_bytes(
        state_file.read_bytes()[:100]
    )  # as a write cut off by a full disk left it
    result = cli("site", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert "site built: full" in result.stderr


def test_a_second_command_in_the_same_checkout_is_refused_with_a_message(project):
    first = start("site", "--root", str(project))
    lock = project / ".journal" / "lock"
    wait_for(lambda: lock.exists() and "site" in lock.read_text(encoding="utf-8"))
    try:
        second = cli("build", "--root", str(project))
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    line = one_error_line(second, "is running in this checkout")
    assert f"(pid {first.pid})" in line and "wait for it to finish" in line


# reproducible -------------------------------------------------------------------------------------


def site_files(site: Path) -> dict[str, str]:
    """Every file of site/ with a hash of its bytes, but the build's own bookkeeping (.build-state.json:
    the times it looked at docs/, so that the next build reads only what changed)."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.name != ".build-state.json"
    }


def test_the_same_sources_give_a_byte_identical_site_on_any_day(project):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    sites = []
    for day in ("1764460800", "1900000000"):  # MkDocs learns the day from SOURCE_DATE_EPOCH
        result = subprocess.run(
            [sys.executable, "-m", "scripts", "site", "--full", "--root", str(project)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=dict(env, SOURCE_DATE_EPOCH=day),
        )
        assert result.returncode == 0, result.stderr
        sites.append(site_files(project / "site"))
    first, second = sites
    assert [name for name in first if name.startswith("search/main/")], (
        "the search index is part of what is compared"
    )
    assert first.keys() == second.keys(), sorted(first.keys() ^ second.keys())
    assert [name for name in first if first[name] != second[name]] == []
