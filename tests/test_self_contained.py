"""A clone builds and tests with nothing beside it: no code, test, make target or CI step names a
path outside the repository (the folder of reference material beside the checkout, the parent of
the checkout, a machine's home).

Anyone who clones the archive from its public home has the repository alone; a test that reads
a folder beside it passes on the machine it was written on and fails everywhere else.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import ROOT

# What reads outside the checkout: a path climbing out of it, the folder of reference material
# that sits beside it on a developer's machine, or an absolute path of one machine.
OUTSIDE = re.compile(
    r"""
      \.\./+shared\b                       # the reference folder, climbed to from the root
    | (?<![\w.-])shared/(?:corpus|dumps|seeds|BRIEF|STYLE)   # shared/corpus named from the root's parent
    | \bROOT\.parent\b | \bROOT\s*/\s*["']\.\.["']          # ROOT.parent / "shared", ROOT / ".."
    | (?<![\w.])/(?:work|home|Users|root)/\w                 # /work/shared, /home/me/…
    """,
    re.VERBOSE,
)
# Where the checks and the build live; sources/, docs/ and tests/data/ are data (a sidecar's
# provenance note may say which public folder a file was copied from).
CHECKED = (
    "scripts",
    "tests",
    "overrides",
    "Makefile",
    ".ci",
    ".github",
    "pyproject.toml",
    "mkdocs.yml",
)
DATA = ("tests/data/",)


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *CHECKED], cwd=ROOT, capture_output=True
    )
    if listed.returncode != 0:  # a copy without git: every file of those folders
        return sorted(
            p.relative_to(ROOT).as_posix()
            for name in CHECKED
            for p in ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and "node_modules" not in p.parts
        )
    return sorted(filter(None, listed.stdout.decode().split("\0")))


def outside_paths(text: str) -> list[tuple[int, str]]:
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), 1)
        if OUTSIDE.search(line)
    ]


# the reference folder beside a developer's checkout, assembled here so that this file, like every
# other one of the repository, names no path outside it
BESIDE = "/".join(("..", "shared"))


@pytest.mark.parametrize(
    "line",
    [
        'CORPUS = ROOT.parent / "shared" / "corpus"',
        f"python -m scripts.bench.libraries {BESIDE}/corpus",
        f"cp /work/{BESIDE[3:]}/dumps/x.xlsx tests/data/",
        'Path("/home/maintainer/corpus")',
        'ROOT / ".." / "shared"',
    ],
)
def test_the_check_sees_a_path_outside_the_repository(line):
    assert outside_paths(line), line


@pytest.mark.parametrize(
    "line",
    [
        'CORPUS = Path(__file__).parent / "data" / "corpus"',
        "note: shared memory that the forked workers share",
        "https://github.com/example/repo/blob/main/docs/shared/x.md",
        "ROOT = Path(__file__).resolve().parent.parent",
    ],
)
def test_the_check_lets_paths_inside_the_repository_be(line):
    assert not outside_paths(line), line


def test_nothing_reads_outside_the_repository():
    found = []
    for rel in tracked_files():
        if rel.startswith(DATA) or rel == "tests/test_self_contained.py":
            continue
        try:
            text = (ROOT / rel).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        found += [f"{rel}:{number}: {line}" for number, line in outside_paths(text)]
    assert not found, "paths outside the repository (copy what is needed into it):\n" + "\n".join(
        found
    )
