"""A full site build whose pages are shared out over forked workers (scripts/site/parallel.py) is
MkDocs' own build, only on more cores: the same files, byte for byte; strict mode's warnings
counted over every worker; a page that fails, or a worker that dies, stops the build and is named.

On a small MkDocs project of its own, with the archive's theme, so that each case runs in a
second; the archive's own site is held to a serial build by tests/test_incremental.py."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from scripts.site import parallel
from scripts.site.build import site_workers
from scripts.speed.forked import jobs

PAGES = 40
# hooks that fail on one page: an error of the page, and the worker killed as the out-of-memory
# killer kills
FAILING = """
from mkdocs.exceptions import PluginError

def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "p/07.md":
        raise PluginError("p/07.md: 无法读取")
    return markdown
"""
KILLER = """
import os, signal

def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "p/07.md":
        os.kill(os.getpid(), signal.SIGKILL)
    return markdown
"""


def project(folder: Path, extra_page: str = "", hook: str = "") -> Path:
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n[第一页](p/00.md)\n", encoding="utf-8")
    for n in range(PAGES):
        body = "县域经济。" * (n * 40) + f"\n\n## 第{n}节\n\n[上一页](../index.md)\n"
        (docs / "p" / f"{n:02}.md").write_text(f"# 第{n}页\n\n{body}", encoding="utf-8")
    if extra_page:
        (docs / "extra.md").write_text(extra_page, encoding="utf-8")
    hooks = ""
    if hook:
        (folder / "hook.py").write_text(hook, encoding="utf-8")
        hooks = "hooks:\n  - hook.py\n"
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: 测试\nsite_url: https://example.org/\nstrict: true\n"
        "theme:\n  name: material\n  language: zh\n"
        "nav:\n  - 首页: index.md\n  - 第一页: p/00.md\n"
        # no search plugin: it needs every page in one process (site_workers says 1 for it)
        "plugins: []\n" + hooks,
        encoding="utf-8",
    )
    return config


def files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(autouse=True)
def no_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the sitemap's gzip header: the same on any day


@pytest.fixture
def said(capfd):
    """What MkDocs logs, in this process and in the workers forked from it, as `site` shows it."""
    handler = logging.StreamHandler(sys.stderr)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)


def test_pages_shared_out_over_workers_are_mkdocs_own_build(tmp_path):
    config_file = project(tmp_path)
    mkdocs_build.build(load_config(str(config_file), site_dir=str(tmp_path / "serial")))
    written = []
    parallel.build_in_parallel(
        load_config(str(config_file), site_dir=str(tmp_path / "parallel")), 2, set(), written.append
    )
    serial, shared = files(tmp_path / "serial"), files(tmp_path / "parallel")
    assert len([rel for rel in serial if rel.endswith(".html")]) > PAGES
    assert sorted(shared) == sorted(serial)
    assert [rel for rel in serial if serial[rel] != shared[rel]] == []
    assert sum(written) == PAGES + 1  # every page counted once, as its share was done


def test_the_changed_pages_written_by_workers_give_the_full_build(tmp_path):
    """An incremental build: the pages that changed, shared out; site/ keeps the others."""
    config_file = project(tmp_path)
    site = tmp_path / "site"
    mkdocs_build.build(load_config(str(config_file), site_dir=str(site)))
    edited = {"p/03.md", "p/39.md", "index.md"}
    for uri in edited:
        page = tmp_path / "docs" / uri
        page.write_text(page.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    written = []
    parallel.build_in_parallel(
        load_config(str(config_file), site_dir=str(site)), 2, set(), written.append, only=edited
    )
    mkdocs_build.build(load_config(str(config_file), site_dir=str(tmp_path / "full")))
    assert sum(written) == len(edited)
    assert files(site) == files(tmp_path / "full")
    assert "补充一段" in (site / "p" / "39" / "index.html").read_text(encoding="utf-8")


def test_a_warning_in_a_worker_counts_in_strict_mode(tmp_path, said, capfd):
    config_file = project(tmp_path, extra_page="# 坏链接\n\n[无此页](nowhere.md)\n")
    with pytest.raises(Abort, match=r"Aborted with 1 warnings in strict mode!"):
        parallel.build_in_parallel(load_config(str(config_file)), 2, set())
    assert "'extra.md' contains a link 'nowhere.md'" in capfd.readouterr().err


def test_a_page_that_fails_stops_the_build_naming_it(tmp_path, said, capfd):
    config = load_config(str(project(tmp_path, hook=FAILING)))
    with pytest.raises(Abort, match=r"Aborted with a BuildError!"):
        parallel.build_in_parallel(config, 2, set())
    assert "p/07.md: 无法读取" in capfd.readouterr().err


def test_a_worker_killed_stops_the_build_naming_its_pages(tmp_path):
    config = load_config(str(project(tmp_path, hook=KILLER)))
    with pytest.raises(RuntimeError, match=r"was killed by SIGKILL .*docs/p/07\.md"):
        parallel.build_in_parallel(config, 2, set())


def test_a_plugin_that_needs_every_page_keeps_the_build_in_one_process():
    assert site_workers(10_000, 10**9, ["material/search"]) == 1
    assert site_workers(10_000, 10**9, ["search"]) == 1
    assert site_workers(10_000, 10**9, []) == jobs()


def test_one_page_or_a_little_markdown_is_written_in_one_process():
    assert site_workers(1, 10**9) == 1  # one edited document: no fork for it
    assert site_workers(40, 100_000) == 1  # the few pages of a small archive
    assert site_workers(40, 1_000_000) == jobs()  # the long lists one new document changes


class _File:
    def __init__(self, folder: Path, name: str, size: int):
        self.src_uri = name
        self.abs_src_path = str(folder / name)
        (folder / name).write_text("x" * size, encoding="utf-8")


def test_few_pages_are_spread_over_the_workers_largest_first(tmp_path):
    # the long lists that one new document changes: 30 pages, not 16 of them to one worker
    files = [_File(tmp_path, f"{i:02d}.md", 1000 + i * 100) for i in range(30)]
    batches = parallel.shares(files, 2)
    assert [uri for batch in batches for uri in batch] == [f"{i:02d}.md" for i in range(29, -1, -1)]
    assert len(batches) >= 8 and max(map(len, batches)) == 3
    # a full build's thousands of pages: PAGES_AT_ONCE a share, for few round trips
    many = [_File(tmp_path, f"m{i:03d}.md", 10) for i in range(200)]
    assert {len(batch) for batch in parallel.shares(many, 2)} == {parallel.PAGES_AT_ONCE, 8}
    assert parallel.shares(files[:1], 2) == [["00.md"]]
