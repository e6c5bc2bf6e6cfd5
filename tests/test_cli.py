"""The command line: `convert` prints one document, `build` is deterministic, bad input is one line."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from scripts.pipeline.convert_many import CACHE_DIR

from .conftest import ROOT, SOURCES

SEED_NOTICE = SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt"


def cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts", *args], cwd=cwd, capture_output=True, text=True
    )


def front_matter(markdown: str) -> dict:
    assert markdown.startswith("---\n")
    return yaml.safe_load(markdown.split("---\n", 2)[1])


def test_convert_prints_front_matter_and_text():
    result = cli("convert", str(SEED_NOTICE))
    assert result.returncode == 0, result.stderr
    meta = front_matter(result.stdout)
    assert meta["title"] == "衡南县实施“八大行动”总体方案"
    assert meta["doc_number"] == "清政办函〔2024〕3号"
    assert meta["issuer"] == "衡南县人民政府办公室"
    assert meta["date"] == "2024-04-17"
    assert "一、总体目标" in result.stdout


def test_convert_writes_nothing(tmp_path):
    before = sorted(p.name for p in SOURCES.iterdir())
    cli("convert", str(SEED_NOTICE), cwd=tmp_path)
    assert sorted(p.name for p in SOURCES.iterdir()) == before
    assert list(tmp_path.iterdir()) == []


def test_convert_bad_input_is_one_line_naming_the_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\n\n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    for path in (empty, binary, tmp_path / "missing.txt"):
        result = cli("convert", str(path))
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], result.stderr
        assert result.stdout == ""


def test_build_twice_changes_nothing(project):
    cli("build", "--root", str(project))
    first = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    cli("build", "--root", str(project))
    second = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert first == second


def test_committed_docs_are_up_to_date(tmp_path):
    """docs/ in the repo is what `python -m scripts build` makes from sources/."""
    from .conftest import copy_project

    project = copy_project(tmp_path, imported=True)  # all of it: the bulk dumps' documents too
    # the repository's conversion cache, when `make test`'s `check` has filled it: an entry is
    # what converting its source now gives (its key is the source, sidecar, code and packages)
    if (ROOT / CACHE_DIR).is_dir():
        shutil.copytree(ROOT / CACHE_DIR, project / CACHE_DIR)
    result = cli("build", "--root", str(project))
    assert result.returncode == 0, result.stderr
    generated = (ROOT / "docs" / ".generated").read_text(encoding="utf-8").split()
    for rel in generated:
        assert (project / "docs" / rel).read_text(encoding="utf-8") == (
            ROOT / "docs" / rel
        ).read_text(encoding="utf-8"), f"docs/{rel} is stale: run `make docs` and commit the result"
