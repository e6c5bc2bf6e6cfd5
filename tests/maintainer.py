"""Helpers for the maintainer tests: a throwaway project, the CLI, and a snapshot of what it holds."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, copy_project, made_once

DATA = Path(__file__).parent / "data"
CITY_PLAN = DATA / "hengyang-city-plan.txt"
CITY_PLAN_ID = "2024-hengyang-bada-xingdong-zongti-fangan"
CITY_PLAN_NUMBER = "衡政办发〔2024〕5号"
COUNTY_PLAN_ID = "2024-hengnan-bada-xingdong-zongti-fangan"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "scripts", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@functools.cache
def _fresh_clone() -> Path:
    """Built once per test run (shared by the pytest-xdist workers); each test gets its own copy."""
    return made_once("fresh-clone", _make_fresh_clone)


def _make_fresh_clone(clone: Path) -> None:
    copy_project(clone)
    result = cli("build", "--root", str(clone))
    assert result.returncode == 0, result.stderr
    _without_the_city_plan(clone)


def _without_the_city_plan(clone: Path) -> None:
    """The tests add the city plan (衡政办发〔2024〕5号) themselves: should the archive hold the real
    one some day, they work on a copy without it (its pages, and its lines in the record)."""
    pages = [
        p
        for p in (clone / "docs" / "doc").glob("*.md")
        if f"\ndoc_number: {CITY_PLAN_NUMBER}\n"
        in p.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    ]
    if not pages:
        return
    for page in pages:
        for source in (clone / "sources").glob(f"{page.stem}.*"):
            source.unlink()
    record = clone / "published" / "anchors.txt"
    gone = tuple(f"/doc/{page.stem}/" for page in pages)
    record.write_text(
        "".join(
            line
            for line in record.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(gone)
        ),
        encoding="utf-8",
    )
    result = cli("build", "--root", str(clone))
    assert result.returncode == 0, result.stderr


def built_project(dest: Path) -> Path:
    """A copy of the repository as a fresh clone has it: sources/, and docs/ built from them."""
    return Path(shutil.copytree(_fresh_clone(), dest, dirs_exist_ok=True))


def document_count(project: Path) -> int:
    return len(list((project / "docs" / "doc").glob("*.md")))


def snapshot(project: Path) -> dict[str, str]:
    """Every file under sources/ and docs/, by path, with a hash of its bytes."""
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("sources", "docs")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def one_error_line(result: subprocess.CompletedProcess, names: str) -> str:
    """The command failed with exactly one line on stderr, naming `names`, and printed nothing else."""
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert names in lines[0], lines[0]
    assert result.stdout == "", result.stdout
    return lines[0]
