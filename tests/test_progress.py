"""What `build` and `site` say while they work, when their output is a pipe (CI, a log file): one
plain line per stage with its time, a document far slower than the others named, and one
summary line at the end; `--quiet` keeps the closing line alone. (The live bars of a terminal
are shown in the closing note of issue #19: a tmux capture.)"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.archive.documents import source_files
from scripts.bench import synth
from scripts.pipeline import convert_many
from scripts.pipeline.build import ARCHIVE_STAGES, build
from scripts.pipeline.convert_many import slow_conversions
from scripts.site.build import site_workers
from scripts.speed.progress import PLAIN, Progress

from .conftest import ROOT, SOURCES, copy_project

SYNTHETIC = 20
SECONDS = r"\d+\.\d s"
COUNT_AND_TIME = rf"(\d+) (\w+) in {SECONDS}(?: \(\d+\.\d/s\))?"


def cli(*args: str) -> subprocess.CompletedProcess:
    """The command with stderr and stdout to pipes, as CI runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "scripts", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result


def stage_lines(command: str, said: str) -> dict[str, str]:
    """'[build] converting: 25 documents in 4.2 s; …' → {'converting': '25 documents in 4.2 s; …'}."""
    lines = {}
    for line in said.splitlines():
        m = re.match(rf"\[{command}\] ([A-Za-z][^:]*(?:: [a-z -]+)?): (.*)$", line)
        if m:
            lines[m[1]] = m[2]
    return lines


def times_of(summary: str) -> tuple[dict[str, float], float]:
    """The time per stage and the total that a summary line ends with."""
    spent, total = re.search(r"; ([^;]+); total (\d+\.\d) s$", summary).groups()
    return {
        name: float(s) for name, s in re.findall(r"([^,]+?) (\d+\.\d) s(?:, |$)", spent)
    }, float(total)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("progress"))
    synth.generate(SOURCES, project / "sources", SYNTHETIC, seeds=synth.load_seeds(SOURCES))
    return project


def test_build_says_each_stage_and_a_summary(project):
    documents = len(source_files(project / "sources"))
    said = cli("build", "--root", str(project)).stderr
    assert "\x1b[" not in said, "no terminal codes in a pipe"
    lines = stage_lines("build", said)
    assert list(lines) == [
        "looking at sources/ and docs/",
        "converting",
        "archive stages",
        "document pages",
        "other pages",
        "writing docs/",
    ], said
    converting = re.fullmatch(
        rf"{COUNT_AND_TIME}; (\d+) converted, (\d+) from the cache", lines["converting"]
    )
    assert converting and converting.groups() == (
        str(documents),
        "documents",
        str(documents),
        "0",
    ), said
    stage_times = ", ".join(rf"{stage.__name__} {SECONDS}" for stage in ARCHIVE_STAGES)
    assert re.fullmatch(
        rf"{len(ARCHIVE_STAGES)} stages in {SECONDS}; {stage_times}", lines["archive stages"]
    ), said
    assert re.fullmatch(
        rf"{documents} pages in .*; {documents} rendered, 0 from the page cache",
        lines["document pages"],
    ), said
    files = len((project / "docs" / ".generated").read_text(encoding="utf-8").split())
    assert re.fullmatch(
        rf"{SECONDS}; {files} files, {files} changed or removed; "
        rf"{SECONDS} in all, as each writer's files were made",
        lines["writing docs/"],
    ), said

    summary = said.strip().splitlines()[-1]
    pages = len(
        [
            rel
            for rel in (project / "docs" / ".generated").read_text(encoding="utf-8").split()
            if rel.endswith(".md")
        ]
    )
    assert summary.startswith(
        f"built {documents} documents; {files} files changed under docs/; {pages} pages; "
        "full (no conversion cache yet); looking at sources/ and docs/ "
    ), summary
    spent, total = times_of(summary)
    assert list(spent) == list(lines), summary
    assert sum(spent.values()) <= total + 0.1 * len(spent), summary  # each rounded to a tenth

    # nothing changed: the record of this build says so, without converting or reading a page
    again = cli("build", "--root", str(project)).stderr.strip().splitlines()
    assert again[-1].startswith(
        f"built {documents} documents; 0 files changed under docs/; {pages} pages; "
        "nothing changed (sources, sidecars, generated pages and code as last built); "
    ), again
    assert [line for line in again if line.startswith("[build]")] == [
        line for line in again if line.startswith("[build] looking at sources/ and docs/")
    ], again
    # a page edited by hand: the build runs, from its caches, and puts it back
    page = next((project / "docs" / "doc").glob("*.md"))
    page.write_text("edited by hand\n", encoding="utf-8")
    third = cli("build", "--root", str(project)).stderr.strip().splitlines()
    assert third[-1].startswith(
        f"built {documents} documents; 1 files changed under docs/; {pages} pages; "
        f"incremental (0 of {documents} documents converted, the others from the cache); "
    ), third


def test_build_names_the_document_that_took_far_longer_than_the_others(
    project, tmp_path, monkeypatch
):
    """The conversions are timed by a clock the test hands in: each document takes 0.05 s of it,
    one takes 30 s. The build (in this process, its workers forked from it) names that one once,
    with its time and the median, and a second build, which reads the cache, names nothing."""
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".cache", "docs"))
    shutil.copytree(ROOT / "docs", copy / "docs")  # the hand-written pages
    slow = sorted(source_files(copy / "sources"))[len(source_files(copy / "sources")) // 2]
    elapsed = [0.0]  # the injected clock: per process (a forked worker keeps its own)

    def timed_convert_file(path, *args, **kwargs):
        doc = real_convert_file(path, *args, **kwargs)
        elapsed[0] += 30.0 if path.name == slow.name else 0.05
        return doc

    rules = convert_many.conversion_rules()  # ingest/convert.py, where the workers find it
    real_convert_file = rules.convert_file
    monkeypatch.setattr(rules, "convert_file", timed_convert_file)
    monkeypatch.setattr(convert_many, "clock", lambda: elapsed[0])
    preload_the_dictionaries()  # a conversion that loads them is not timed at all

    said = io.StringIO()
    with Progress(PLAIN, "build", stream=said) as progress:
        build(copy, progress=progress)
    named = [line for line in said.getvalue().splitlines() if slow.name in line]
    assert len(named) == 1, said.getvalue()
    assert re.search(r"took 30\.0 s to convert, 600 times the median \(0\.05 s\)", named[0]), named

    again = io.StringIO()
    with Progress(PLAIN, "build", stream=again) as progress:
        build(copy, progress=progress)
    assert slow.name not in again.getvalue(), "only a conversion is timed, not a cache read"


def preload_the_dictionaries() -> None:
    from scripts.ingest.convert import convert_file
    from scripts.pipeline.build import warm_memo

    warm_memo(convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt"))


def test_site_says_each_stage_each_search_index_and_a_summary(project):
    if not (project / "docs" / ".generated").exists():
        cli("build", "--root", str(project), "--quiet")
    documents = len(list((project / "docs" / "doc").glob("*.md")))
    pages = len(list((project / "docs").rglob("*.md")))
    said = cli("site", "--root", str(project)).stderr
    assert "\x1b[" not in said, said
    lines = stage_lines("site", said)
    # a full build of many pages shares them out over the cores: each process reads and writes
    markdown = sum(page.stat().st_size for page in (project / "docs").rglob("*.md"))
    workers = site_workers(pages, markdown)
    mkdocs = (
        ["MkDocs: reading and writing pages"]
        if workers > 1
        else ["MkDocs: reading pages", "MkDocs: writing pages"]
    )
    assert list(lines) == [
        "reading mkdocs.yml",
        "looking at docs/",
        "fingerprint",
        *mkdocs,
        "search index",
    ], said
    for stage in mkdocs:
        assert re.fullmatch(rf"{pages} pages in {SECONDS}(?: \(.*\))?(?:; .*)?", lines[stage]), said
    if workers > 1:
        assert lines[mkdocs[0]].endswith(f"; {workers} processes"), said
    assert re.fullmatch(
        rf"{SECONDS}; {documents} documents and \d+ other pages", lines["search index"]
    ), said
    summary = said.strip().splitlines()[-1]
    assert summary.startswith(
        f"site built: full (no finished previous build); search: {documents} documents and "
    ), summary
    spent, total = times_of(summary)
    assert list(spent) == list(lines) and sum(spent.values()) <= total + 0.1 * len(spent), summary

    # one page edited: only it is rendered again, and the recent pages' index is the one built
    page = next((project / "docs" / "doc").glob("synth-*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    said = cli("site", "--root", str(project)).stderr
    lines = stage_lines("site", said)
    assert lines["MkDocs: reading pages"].startswith("1 page in "), said
    assert re.fullmatch(rf"{SECONDS}; 1 recent pages", lines["search index"]), said
    assert re.search(
        rf"site built: incremental \(1 of {pages} pages\); .*; total {SECONDS}$", said.strip()
    ), said


def test_quiet_keeps_the_closing_line_alone(project):
    if not (project / "site").exists():
        cli("build", "--root", str(project), "--quiet")
        cli("site", "--root", str(project), "--quiet")
    built = cli("build", "--root", str(project), "--quiet").stderr.strip().splitlines()
    assert len(built) == 1 and re.fullmatch(
        r"built \d+ documents; \d+ files changed under docs/", built[0]
    ), built
    site = cli("site", "--root", str(project), "--quiet").stderr.strip().splitlines()
    assert len(site) == 1 and re.fullmatch(
        r"site built: incremental \(\d+ of \d+ pages\); search: [^;]+",
        site[0],
    ), site


def test_a_conversion_far_slower_than_the_others_is_named():
    paths = [Path(f"{i}.txt") for i in range(21)]
    assert slow_conversions(paths, [0.05] * 20 + [2.0]) == [(paths[20], 2.0, 0.05)]
    assert slow_conversions(paths, [0.05] * 20 + [0.9]) == [], "never below a second"
    assert slow_conversions(paths[:3], [1.0, 1.2, 1.5]) == [], (
        "not when all are slow alike (a busy machine)"
    )
    assert slow_conversions([], []) == []
    # a conversion that loaded modules (the dictionaries) is not timed, and not judged
    assert slow_conversions(paths, [None] + [0.05] * 19 + [2.0]) == [(paths[20], 2.0, 0.05)]
