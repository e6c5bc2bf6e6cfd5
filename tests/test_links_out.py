"""No file from outside the repository is read or published (issue #29, item 1).

`sources/x.txt -> ../.git/config` put the checkout's git configuration (on CI, the token
`actions/checkout` stores there) on a page, in the search index, in site/sources/ and the feed,
while `check` said all good and `review` showed an ordinary document. Every command that reads a
path refuses a symbolic link that leads out of its folder, in one line naming the link and where
it leads, never what it holds: as a source, as a sidecar, as a hand-written page or theme file, as
the folder itself, as the file given to `add` or `convert`, in a folder imported in bulk.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.__main__ import main

from .maintainer import CITY_PLAN, built_project, snapshot

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"  # what actions/checkout leaves in .git/config
ADD_FLAGS = ("--url", "https://www.hengyang.gov.cn/x.html", "--retrieved", "2025-01-20")


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m scripts ARGS` in this process (the pipeline's set-up is paid once)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A built checkout whose .git/config holds a token, as CI's has."""
    project = built_project(tmp_path_factory.mktemp("links"))
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    with open(project / ".git" / "config", "a", encoding="utf-8") as config:
        config.write(f'[http "https://github.com/"]\n\textraheader = {SECRET}\n')
    return project


@pytest.fixture
def project(clone, tmp_path) -> Path:
    return Path(shutil.copytree(clone, tmp_path / "p", symlinks=True))


def refused(result: subprocess.CompletedProcess, link: str, project: Path) -> str:
    """The command failed naming the link, and the secret is nowhere: not in what it said, not in
    docs/ nor in a site it may have begun."""
    assert result.returncode != 0, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert SECRET not in said and "extraheader" not in said
    lines = [line for line in result.stderr.splitlines() if "symbolic link" in line]
    assert len(lines) == 1 and link in lines[0], result.stderr
    for folder in ("docs", "site"):
        for path in (project / folder).rglob("*") if (project / folder).is_dir() else []:
            if path.is_file() and not path.is_symlink():
                assert SECRET.encode() not in path.read_bytes(), path
    return lines[0]


def link_a_source_to_the_git_config(project: Path) -> None:
    (project / "sources" / "x.txt").symlink_to(Path("..") / ".git" / "config")
    (project / "sources" / "x.yml").write_text(
        "id: 2024-x\nurl: https://example.gov.cn/x.html\nretrieved: 2025-01-01\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    "command",
    [
        ("build", "--quiet"),
        ("check", "--no-site"),
        ("check",),
        ("site",),
        ("add", str(CITY_PLAN), *ADD_FLAGS),
        ("review", "HEAD"),
    ],
    ids=lambda c: c[0] + ("-no-site" if "--no-site" in c else ""),
)
def test_every_command_refuses_a_source_linked_out_of_sources(project, command):
    before = pages(project)
    link_a_source_to_the_git_config(project)
    line = refused(run(*command, "--root", str(project)), "sources/x.txt", project)
    assert "../.git/config" in line
    assert pages(project) == before


def pages(project: Path) -> dict[str, str]:
    return {k: v for k, v in snapshot(project).items() if k.startswith("docs/")}


def test_convert_refuses_a_source_linked_out_of_its_folder(project):
    link_a_source_to_the_git_config(project)
    refused(run("convert", str(project / "sources" / "x.txt")), "x.txt", project)


def test_a_sidecar_linked_out_of_sources_is_refused_unread(project):
    shutil.copy(CITY_PLAN, project / "sources" / "y.txt")
    (project / "sources" / "y.yml").symlink_to(Path("..") / ".git" / "config")
    for command in (("build", "--quiet"), ("check", "--no-site")):
        refused(run(*command, "--root", str(project)), "sources/y.yml", project)


def test_add_refuses_a_raw_file_or_its_sidecar_linked_out_of_their_folder(project, tmp_path):
    before = snapshot(project)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.txt").symlink_to(project / ".git" / "config")
    refused(run("add", str(inbox / "x.txt"), *ADD_FLAGS, "--root", str(project)), "x.txt", project)
    shutil.copy(CITY_PLAN, inbox / "y.txt")
    (inbox / "y.yml").symlink_to(project / ".git" / "config")
    refused(run("add", str(inbox / "y.txt"), *ADD_FLAGS, "--root", str(project)), "y.yml", project)
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "link, target",
    [
        ("docs/about/x.md", "../../.git/config"),
        ("docs/assets/x.txt", "../../.git/config"),
        ("overrides/x.html", "../.git/config"),
    ],
)
def test_a_page_or_theme_file_linked_out_of_the_repository_is_refused(project, link, target):
    (project / link).symlink_to(target)
    for command in (("check", "--no-site"), ("site",), ("published", "record"), ("review", "HEAD")):
        refused(run(*command, "--root", str(project)), link, project)


def test_mkdocs_itself_refuses_to_publish_through_a_link(project):
    """`mkdocs build` or `mkdocs serve` run by hand: the hook refuses before any page is written."""
    link_a_source_to_the_git_config(project)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(Path(__file__).parents[1]))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0
    assert "sources/x.txt: is a symbolic link to ../.git/config" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert not (project / "site" / "sources" / "x.txt").exists()


def test_sources_itself_linked_out_of_the_repository_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / "sources", elsewhere)
    (project / "sources").symlink_to(elsewhere)
    for command in (("build", "--quiet"), ("check", "--no-site")):
        result = run(*command, "--root", str(project))
        assert result.returncode != 0
        assert "sources: is a symbolic link to" in result.stderr, result.stderr


def test_a_link_within_its_folder_is_not_leading_out(tmp_path):
    from scripts.core.paths import leads_out

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "c.txt").symlink_to("../c.txt")
    (tmp_path / "loop").symlink_to("loop")
    assert not leads_out(tmp_path / "a.txt")
    assert not leads_out(tmp_path / "b.txt")
    assert leads_out(tmp_path / "c.txt")
    assert leads_out(tmp_path / "loop")


def test_a_bulk_import_refuses_a_link_out_of_its_folder(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "SOURCES.md").write_text("", encoding="utf-8")
    (tmp_path / "id_rsa").write_text(SECRET, encoding="utf-8")
    (corpus / "x.txt").symlink_to(tmp_path / "id_rsa")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.maintain.add_corpus", str(corpus), "--dry-run"],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "x.txt: is a symbolic link to" in result.stdout and "id_rsa" in result.stdout
    assert SECRET not in result.stdout + result.stderr
