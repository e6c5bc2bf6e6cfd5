"""YAML read from a contribution is bounded (issue #29, item 7).

A 1 KB sidecar of nested aliases ("a billion laughs") took `add --dry-run` to 11 GB in 120 s and
ended `build` in a MemoryError traceback: the message quoting the value wrote it out. Aliases are
refused wherever the pipeline reads YAML that a pull request can change (sidecars, the front
matter of pages), in one line naming the file and line; a sidecar is small; a message quotes a
bounded part of a value. The commands run under a memory limit, so that a regression fails here
instead of taking the machine's memory.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from .conftest import ROOT
from .maintainer import CITY_PLAN, built_project

MEMORY = 2 * 1024**3  # bytes of address space a command may take here


def laughs(depth: int = 9, key: str = "note") -> str:
    """url and a `key` whose value nests `depth` levels of nine aliases: 9**depth strings."""
    levels = ['&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, depth):
        levels.append(f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return f"url: https://www.example.gov.cn/x.html\n{key}: [{', '.join(levels)}]\n"


def limited(*args: str) -> subprocess.CompletedProcess:
    """`python -m scripts ARGS`, with at most MEMORY of address space and two minutes."""
    return limited_python("-m", "scripts", *args)


def limited_python(*args: str) -> subprocess.CompletedProcess:
    """`python ARGS` (or `python -c CODE`), with at most MEMORY of address space and two minutes."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    if len(args) == 1:
        args = ("-c", args[0])
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit,
        timeout=120,
    )


def test_the_laughs_are_one_kilobyte():
    assert len(laughs().encode()) < 1024


@pytest.mark.parametrize("key", ["note", "site", "id", "overrides"])
def test_a_sidecar_with_an_alias_is_refused_naming_its_line(key, tmp_path):
    sidecar = tmp_path / "x.yml"
    sidecar.write_text(laughs(key=key), encoding="utf-8")
    result = limited_python(
        "from pathlib import Path; from scripts.ingest.sidecar import parse_sidecar\n"
        "try:\n"
        f"    parse_sidecar(Path({str(sidecar)!r}).read_text(), Path('x.yml'))\n"
        "except Exception as err:\n"
        "    print(err)"
    )
    message = result.stdout.strip()
    assert message.startswith("x.yml:2: ") and "alias *a0" in message and len(message) < 300


def test_add_dry_run_refuses_the_laughs_beside_the_file(tmp_path):
    raw = tmp_path / "plan.txt"
    shutil.copy(CITY_PLAN, raw)
    (tmp_path / "plan.yml").write_text(laughs(), encoding="utf-8")
    result = limited("add", str(raw), "--dry-run", "--root", str(built_project(tmp_path / "p")))
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.count("\n") == 1 and "plan.yml:2:" in result.stderr, result.stderr[-500:]
    assert "Traceback" not in result.stderr


def test_build_refuses_the_laughs_in_sources(tmp_path):
    project = built_project(tmp_path / "p")
    shutil.copy(CITY_PLAN, project / "sources" / "plan.txt")
    (project / "sources" / "plan.yml").write_text(laughs(), encoding="utf-8")
    result = limited("build", "--quiet", "--root", str(project))
    assert result.returncode == 1, result.stderr[-500:]
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert f"{project}/sources/plan.yml:2: is not valid YAML (the alias" in result.stderr


@pytest.mark.parametrize(
    "text, words",
    [
        ("note: " + "长" * 70_000 + "\n", "over the 65,536 of a sidecar"),
        ("? [a, b]\n: 1\n", "a key is a name"),
        ("site: " + "x" * 5000 + "\nid: [1]\n", "id (a list) is not valid"),
        ("titel: " + "长" * 5000 + "\n", "has unknown key 'titel'"),
    ],
)
def test_a_long_or_odd_sidecar_is_one_short_line(tmp_path, text, words):
    source = tmp_path / "x.txt"
    shutil.copy(CITY_PLAN, source)
    (tmp_path / "x.yml").write_text(text, encoding="utf-8")
    result = limited("convert", str(source))
    assert result.returncode == 2 and words in result.stderr, result.stderr[-500:]
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 400


def test_review_refuses_a_page_whose_front_matter_holds_an_alias(tmp_path):
    project = built_project(tmp_path / "p")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"],
        cwd=project,
        check=True,
    )
    page = next((project / "docs" / "doc").glob("*.md"))
    page.write_text("---\n" + laughs(key="title") + "---\n\n正文\n", encoding="utf-8")
    result = limited("review", "HEAD", "--root", str(project))
    assert result.returncode == 2, result.stderr[-500:]
    assert f"docs/doc/{page.name}" in result.stderr and "alias *a0" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_site_refuses_a_page_whose_front_matter_holds_an_alias():
    """The MkDocs hook reads each page before MkDocs parses its front matter (`mkdocs build`,
    `serve`, `python -m scripts site` and `check` all go through it)."""
    spec = importlib.util.spec_from_file_location("hook", ROOT / "overrides/hooks/archive.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    def page(markdown: str):
        return SimpleNamespace(file=SimpleNamespace(content_string=markdown, src_uri="doc/x.md"))

    hand_made = "---\n" + laughs(key="title") + "---\n\n正文\n"
    with pytest.raises(hook.PluginError, match=r"docs/doc/x.md: front matter: the alias \*a0"):
        hook.on_page_read_source(page(hand_made), None)
    ordinary = "---\ntitle: 关于*号的说明\n---\n\n正文 *强调*\n"
    assert hook.on_page_read_source(page(ordinary), None) == ordinary
