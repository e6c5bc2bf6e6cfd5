"""Shared fixtures: the repository, a site built once per test session, a headless Chromium."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

# CI explores the same examples on every run (a submission must not fail on a new random draw);
# locally, property tests draw new examples each run and keep failures in .hypothesis/.
from hypothesis import settings as _hypothesis_settings

from scripts.bench.browser import QuietHandler, QuietServer

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
# A phone as the browser tests open pages on it (most readers): `browser.new_context(**PHONE)`
PHONE = {
    "viewport": {"width": 375, "height": 800},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SOURCES = ROOT / "sources"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/ from the current output (then read the diff as a document)",
    )


# The test files that take longest, heaviest first (as measured on 2026-12-07). pytest-xdist
# hands out whole files (`--dist loadfile`) in collection order (`--no-loadscope-reorder`), so
# these start first and the run does not end with one core idle while the other finishes a
# long file. Any file not listed keeps its place after them.
SLOWEST_FIRST = (
    "tests/test_scale.py",
    "tests/test_faults.py",
    "tests/test_search.py",
    "tests/test_published_words.py",
    "tests/test_add.py",
    "tests/test_xml_safe.py",
    "tests/test_no_hang.py",
    "tests/test_website.py",
    "tests/test_check.py",
    "tests/test_accessibility.py",
    "tests/test_incremental.py",
    "tests/test_relations.py",
    "tests/test_faults_landed.py",
    "tests/test_hostile_text.py",
    "tests/test_import.py",
    "tests/test_progress.py",
)


def pytest_collection_modifyitems(items):
    rank = {path: place for place, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable


@pytest.fixture
def report(record_property):
    """`report(text)`: a table or figure a reader of the test run wants to see, printed after the
    run's summary (from whichever worker ran the test: pytest-xdist hands it to the main process
    with the test's report)."""
    return lambda text: record_property("report", text)


def pytest_terminal_summary(terminalreporter):
    reports = [
        value
        for kind in ("passed", "failed")
        for test in terminalreporter.stats.get(kind, [])
        if test.when == "call"
        for name, value in test.user_properties
        if name == "report"
    ]
    if reports:
        terminalreporter.section("figures the tests measured")
        for text in reports:
            terminalreporter.write_line(text.strip("\n") + "\n")


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


def imported_ids(sources: Path = SOURCES) -> set[str]:
    """The documents `python -m scripts import` added from a bulk dump (their sidecars name the
    record's SHA-256)."""
    return {
        path.stem
        for path in sources.glob("*.yml")
        if "\nrecord_sha256: " in "\n" + path.read_text(encoding="utf-8")
    }


def own_source_files() -> list[Path]:
    """The sources of the archive's own documents: those `copy_project` copies by default."""
    from scripts.archive.documents import source_files

    left_out = imported_ids()
    return [p for p in source_files(SOURCES) if p.stem not in left_out]


def copy_project(dest: Path, imported: bool = False, converted: bool = False) -> Path:
    """A throwaway copy of the parts of the repo a build reads. Without `imported`, the documents
    of the bulk dumps are left out (and their lines of the published record): the tests that build
    a copy run on the archive's own few dozen documents, in seconds rather than minutes; the
    imported ones are tested where they are (tests/test_dumps.py) and through copies of a sample
    of their records (tests/data/dumps/).

    With `converted`, the copy starts with the conversion cache and the memo of the run's shared
    project (the same sources and code: each entry is what converting them again would give, as
    both are keyed by them), so that a test about what comes after the conversion (pages, the
    site, the search) does not convert every document again first. A test of conversion, of the
    caches or of a build from nothing leaves it out."""
    if converted:
        shared = made_once("project", make_project) / ".cache"
        for cache in ("convert", "memo"):
            shutil.copytree(shared / cache, dest / ".cache" / cache)
    left_out = set() if imported else imported_ids()

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder) != SOURCES:
            return set()
        return {n for n in names if n == "dumps" or n.rsplit(".", 1)[0] in left_out}

    for name in ("mkdocs.yml", "sources", "overrides", "published"):
        src = ROOT / name
        if not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    record = dest / "published" / "anchors.txt"
    if left_out and record.exists():
        gone = tuple(f"/doc/{doc_id}/" for doc_id in left_out)
        record.write_text(
            "".join(
                line
                for line in record.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith(gone)
            ),
            encoding="utf-8",
        )
    # hand-written pages and assets only: generated pages are rebuilt from sources/
    generated = (
        set((ROOT / "docs" / ".generated").read_text(encoding="utf-8").split())
        if (ROOT / "docs" / ".generated").exists()
        else set()
    )
    for path in (ROOT / "docs").rglob("*"):
        rel = path.relative_to(ROOT / "docs").as_posix()
        if path.is_file() and rel not in generated and rel != ".generated":
            (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / "docs" / rel)
    return dest


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def build_site(project: Path) -> Path:
    run([sys.executable, "-m", "scripts", "build", "--root", str(project)], cwd=ROOT)
    run(
        [sys.executable, "-m", "scripts", "site", "--root", str(project)], cwd=ROOT
    )  # MkDocs + the search index, as `make site`
    return project / "site"


RUN_FOLDER = "ARCHIVE_TEST_RUN"  # the environment variable that names the run's shared folder


@pytest.fixture(scope="session", autouse=True)
def run_folder(tmp_path_factory) -> Path:
    """The folder every pytest-xdist worker of this run shares (above each worker's own)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    os.environ[RUN_FOLDER] = str(root)
    return root


def made_once(name: str, make) -> Path:
    """A folder `make(folder)` fills once per test run, whichever pytest-xdist worker asks first;
    the others wait for it and share it. Tests read it (a test that changes a project copies it)."""
    root = Path(os.environ[RUN_FOLDER])
    folder = root / name
    with open(root / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, however this ends
        if not (root / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.made").touch()
    return folder


def make_project(folder: Path) -> None:
    build_site(copy_project(folder))


@pytest.fixture(scope="session")
def project(run_folder) -> Path:
    """The archive's own documents, built (docs/ and site/) once per test run."""
    return made_once("project", make_project)


@pytest.fixture(scope="session")
def site(project) -> Path:
    return project / "site"


@contextlib.contextmanager
def serve(folder: Path):
    """A plain static server of `folder`, as a host serves the built site; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
