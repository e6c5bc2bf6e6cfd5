"""Scale machinery: the synthetic archive, the conversion cache, parallel conversion, incremental site
builds and the benchmark command. Correctness only: speed figures come from `make bench`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.archive.documents import source_files
from scripts.bench import measure, synth
from scripts.core.docnumber import DocNumber
from scripts.ingest.convert import convert_file
from scripts.site import search_index
from scripts.site.build import page_hashes, untitled_nav_pages

from .conftest import ROOT, SOURCES, copy_project, serve


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "scripts", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})),
    )
    assert result.returncode == 0, result.stderr
    return result


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def new_project(tmp_path: Path, converted: bool = False) -> Path:
    (tmp_path / "p").mkdir()
    return copy_project(tmp_path / "p", converted=converted)


SEARCH_FILES = ("search/",)


def pages(site: Path) -> dict[str, bytes]:
    """Every file of a built site but the search index (a rebuild keeps it in two parts, main and
    recent, and numbers a new document after the others: what they find is tested in Chromium
    below) and the incremental build's own state."""
    return {
        rel: data
        for rel, data in tree(site, skip=(".build-state.json",)).items()
        if not rel.startswith(SEARCH_FILES)
    }


@pytest.fixture(scope="module")
def seeds():
    return synth.load_seeds(SOURCES)


def test_synthetic_archive_is_deterministic_and_varied(tmp_path, seeds):
    synth.generate(SOURCES, tmp_path / "a", 15, seeds=seeds)
    synth.generate(SOURCES, tmp_path / "b", 15, seeds=seeds)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    texts = [p.read_bytes() for p in sorted((tmp_path / "a").glob("*.txt"))]
    assert len(texts) == 15 and len(set(texts)) == 15
    assert any(not _is_utf8(t) for t in texts), "some files should be GB18030, as scrapes often are"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_synthetic_documents_convert_with_new_places_numbers_and_references(tmp_path, seeds):
    made = synth.generate(SOURCES, tmp_path / "sources", 30, seeds=seeds)
    from scripts.ingest.convert import convert_file

    docs = [convert_file(p) for p in source_files(tmp_path / "sources")]
    assert len({d.meta["id"] for d in docs}) == 30
    assert len({d.meta.get("region") for d in docs}) > 10, "places should vary"
    numbers = [d.meta["doc_number"] for d in docs if d.meta.get("doc_number")]
    assert len(numbers) == len(set(numbers)) >= 12
    # the decrees among the seeds give decrees of their new places, each numbered anew
    decrees = [n for n in numbers if DocNumber.parse(n).series == "令"]
    assert len(decrees) >= 2 and not any(re.search(r"第(?:232|290|16)号$", n) for n in decrees)
    assert {m.doc_number for m in made if "令" in m.doc_number} == set(decrees)
    # every document that carries a 文号 is listed for later documents to cite, with that 文号
    # a 令's number (…令第232号) has no year, and is a number as much as a 文号 is
    assert {DocNumber.parse(m.doc_number).key() for m in made} <= {
        DocNumber.parse(n).key() for n in numbers
    }
    # later documents cite earlier ones by 《title》 and 文号, in their body text
    from scripts.pages.render import render

    cited = set()
    for doc in docs:
        number = doc.meta.get("doc_number", "")
        own = DocNumber.parse(number).key() if number else None
        cited |= {n.key() for n, _, _ in DocNumber.find_all(render(doc).replace("\\", ""))} - {own}
    assert cited & {DocNumber.parse(m.doc_number).key() for m in made}, (
        "documents should cite each other"
    )


def test_parallel_and_cached_conversion_give_the_same_docs(tmp_path, seeds):
    project = new_project(tmp_path)
    synth.generate(SOURCES, project / "sources", 40, seeds=seeds)
    cli("build", "--root", str(project), "--no-cache", env={"ARCHIVE_JOBS": "1"})
    serial = tree(project / "docs")
    shutil.rmtree(project / "docs" / "doc")
    cli("build", "--root", str(project), env={"ARCHIVE_JOBS": "2"})  # parallel, fills the cache
    assert tree(project / "docs") == serial
    entries = list((project / ".cache" / "convert").glob("*/*.pickle"))
    assert len(entries) == len(source_files(project / "sources"))
    shutil.rmtree(project / "docs" / "doc")
    cli("build", "--root", str(project))  # every document from the cache
    assert tree(project / "docs") == serial


def printed_by(code: str, **env: str) -> list[str]:
    """The words a `python -c` probe prints, run from the repository (it must succeed)."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_rebuild_after_adding_a_document_and_a_check_load_no_dictionary(tmp_path, seeds):
    """jieba and pypinyin take a second and a half to load: a forked worker converts the new
    document and computes what the build will ask about it, while the build reads the cache; what
    the build computed is remembered for `check` and MkDocs."""
    project = new_project(tmp_path)
    made = synth.generate(SOURCES, project / "sources", 20, seeds=seeds)
    cli("build", "--root", str(project), env={"ARCHIVE_JOBS": "2"})
    synth.write_document(project / "sources", seeds, 20, made)
    probe = (
        "import sys; from pathlib import Path; from scripts.pipeline.build import build; "
        f"changed = build(Path({str(project)!r}), quiet=True); "
        "print(len(changed), 'jieba' in sys.modules, 'pypinyin' in sys.modules)"
    )
    changed, jieba, pypinyin = printed_by(probe, ARCHIVE_JOBS="2")
    assert int(changed) > 0 and (jieba, pypinyin) == ("False", "False")
    # `check` (every source converted again in memory) and a plain `mkdocs build` (what check
    # runs, in a process of its own) find the pinyin in the memo the build left
    probe = (
        "import sys; from pathlib import Path; from scripts.maintain.check import check; "
        "from mkdocs.commands.build import build; from mkdocs.config import load_config; "
        f"root = Path({str(project)!r}); "
        "report = check(root, site=False); "
        f"build(load_config(config_file=str(root / 'mkdocs.yml'), site_dir={str(tmp_path / 'built')!r})); "
        "print('addresses' in report.figures, 'jieba' in sys.modules, 'pypinyin' in sys.modules)"
    )
    # check went as far as the published addresses: every document converted and its pages made
    assert printed_by(probe) == ["True", "False", "False"]


def test_cache_misses_when_a_source_or_its_sidecar_changes(tmp_path):
    project = new_project(tmp_path)
    cli("build", "--root", str(project))
    source = project / "sources" / "2024-hengnan-bada-xingdong-zongti-fangan.txt"
    page = project / "docs" / "doc" / "2024-hengnan-bada-xingdong-zongti-fangan.md"
    sidecar = source.with_suffix(".yml")
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8") + "overrides:\n  date: 2024-04-18\n", encoding="utf-8"
    )
    cli("build", "--root", str(project))
    assert "date: '2024-04-18'" in page.read_text(encoding="utf-8")
    source.write_bytes(source.read_bytes().replace("总体目标".encode(), "总 体 目标X".encode(), 1))
    cli("build", "--root", str(project))
    assert "总体目标X" in page.read_text(encoding="utf-8")
    sources = source_files(project / "sources")
    assert len(list((project / ".cache" / "convert").glob("*/*.pickle"))) == len(sources), (
        "stale entries are pruned"
    )


def test_incremental_site_build_equals_a_full_build(tmp_path, seeds):
    """With the real mkdocs.yml: its navigation is pruned and its search index comes from site/."""
    project = new_project(tmp_path, converted=True)  # about the site, not the conversion
    made = synth.generate(SOURCES, project / "sources", 12, seeds=seeds)
    cli("build", "--root", str(project))
    first = cli("site", "--root", str(project)).stderr
    assert "site built: full" in first
    # add one document that cites an earlier one, as a pull request would
    synth.write_document(project / "sources", seeds, 12, made)
    cli("build", "--root", str(project))
    second = cli("site", "--root", str(project)).stderr
    m = re.search(r"incremental \((\d+) of (\d+) pages\)", second)
    assert m, second
    assert int(m[1]) < int(m[2]) / 2
    assert re.search(r"search: \d+ recent pages", second), second  # the main index kept
    incremental = pages(project / "site")
    records = tree(project / ".cache" / "site-pages")
    assert (project / "site" / "search" / "index.json").exists()
    cli("site", "--root", str(project), "--full")
    assert pages(project / "site") == incremental
    # what the hook writes of each page it renders (search records, feed entries): the same either way
    assert tree(project / ".cache" / "site-pages") == records
    # a removed document's page leaves the site too
    (project / "sources" / "synth-00012.txt").unlink()
    (project / "sources" / "synth-00012.yml").unlink()
    cli("build", "--root", str(project))
    assert "incremental" in cli("site", "--root", str(project)).stderr
    assert not (project / "site" / "doc" / "synth-00012").exists()
    assert not (project / ".cache" / "site-pages" / "doc" / "synth-00012").exists()
    stale = json.loads((project / "site" / "search" / "index.json").read_text(encoding="utf-8"))[
        "stale"
    ]
    assert stale, "the removed page's entry in the main index is skipped"


def test_a_build_made_full_by_a_theme_edit_indexes_every_document_again(tmp_path, seeds):
    project = new_project(tmp_path, converted=True)  # about the site, not the conversion
    made = synth.generate(SOURCES, project / "sources", 3, seeds=seeds)
    cli("build", "--root", str(project))
    cli("site", "--root", str(project))
    synth.write_document(project / "sources", seeds, 3, made)
    cli("build", "--root", str(project))
    card = project / "overrides" / "partials" / "document-card.html"
    card.write_text(
        card.read_text(encoding="utf-8") + "{# a theme edit: the next build is full #}\n",
        encoding="utf-8",
    )
    said = cli("site", "--root", str(project)).stderr
    documents = {p.stem for p in (project / "docs" / "doc").glob("*.md")}
    assert (
        "site built: full (configuration" in said and f"search: {len(documents)} documents" in said
    ), said
    records = project / ".cache" / "site-pages" / "doc"
    assert {p.name for p in records.iterdir() if (p / "search.json").exists()} == documents
    texts = (project / "site" / "search" / "doc").glob("*.json")
    assert {
        p.name[: -len(".json")] for p in texts if not p.name.endswith(".more.json")
    } == documents
    assert "site built: unchanged" in cli("site", "--root", str(project)).stderr
    # pages long unchanged are known by their size and time, and a build with nothing to do
    # leaves its state as it was (a page touched is read, and the state records it once)
    old = time.time_ns() - 60 * 10**9
    for path in (project / "docs").rglob("*"):
        os.utime(path, ns=(old, old))
    assert "site built: unchanged" in cli("site", "--root", str(project)).stderr
    state = project / "site" / ".build-state.json"
    recorded = state.read_bytes(), state.stat().st_mtime_ns
    assert "site built: unchanged" in cli("site", "--root", str(project)).stderr
    assert (state.read_bytes(), state.stat().st_mtime_ns) == recorded


def test_an_incremental_build_renders_again_the_pages_whose_navigation_title_they_give():
    nav = [
        {"首页": "index.md"},
        "about/untitled.md",
        {"浏览": [{"按年份": "browse/years.md"}, "browse/plain.md", {"深处": ["deep/a.md"]}]},
    ]
    assert untitled_nav_pages(nav) == {"about/untitled.md", "browse/plain.md", "deep/a.md"}


def test_page_hashes_are_read_again_only_for_files_whose_size_or_time_changed(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# 一\n", encoding="utf-8")
    old = 1_700_000_000 * 10**9
    os.utime(page, ns=(old, old))
    hashes, stats, read = page_hashes(tmp_path, {})
    assert read == {"a.md"}
    later = old + 60 * 10**9  # when that build looked
    page.write_text("# 二\n", encoding="utf-8")  # the same size
    os.utime(page, ns=(old, old))  # and the same time: trusted, as git trusts its index
    state = {"pages": hashes, "stats": stats, "looked_at": later}
    assert page_hashes(tmp_path, state)[::2] == (hashes, set())
    os.utime(page, ns=(old + 1, old + 1))
    again, _, read = page_hashes(tmp_path, state)
    assert again != hashes and read == {"a.md"}  # a new time: read again
    again, _, read = page_hashes(tmp_path, dict(state, looked_at=old + 10**9))
    assert again != hashes and read == {"a.md"}  # looked at in the same tick: read again
    # a file system that keeps fractions of a second ticks in milliseconds: a page looked at a
    # fifth of a second after it was written is trusted, one looked at in the same 50 ms is not
    fine = old + 123_456_789
    os.utime(page, ns=(fine, fine))
    state = {"pages": hashes, "stats": {"a.md": [page.stat().st_size, fine]}}
    assert page_hashes(tmp_path, dict(state, looked_at=fine + 200 * 10**6))[::2] == (hashes, set())
    again, _, read = page_hashes(tmp_path, dict(state, looked_at=fine + 50 * 10**6))
    assert again != hashes and read == {"a.md"}


def test_the_main_search_index_is_kept_until_too_many_pages_changed():
    urls = {f"/doc/{i}/" for i in range(1000)}
    numbers = {url: n for n, url in enumerate(sorted(urls))}
    built = search_index.SearchState(numbers=numbers, main=sorted(urls))
    assert search_index.next_state(None, urls, set()) is None  # nothing to keep
    one_more = search_index.next_state(built, urls | {"/doc/new/"}, {"/doc/new/", "/doc/1/"})
    assert (
        one_more.recent == ["/doc/1/", "/doc/new/"]
        and one_more.removed == []
        and one_more.main == built.main
    )
    assert (
        one_more.numbers["/doc/new/"] == 1000 and one_more.numbers["/doc/1/"] == numbers["/doc/1/"]
    )
    fewer = search_index.next_state(one_more, (urls | {"/doc/new/"}) - {"/doc/2/"}, set())
    assert fewer.recent == ["/doc/1/", "/doc/new/"] and fewer.removed == ["/doc/2/"]
    gone_again = search_index.next_state(
        fewer, urls - {"/doc/2/"}, set()
    )  # never in the main index
    assert gone_again.recent == ["/doc/1/"] and gone_again.removed == ["/doc/2/"]
    assert "/doc/new/" not in gone_again.numbers
    changed = {
        f"/doc/{i}/" for i in range(120)
    }  # more than 100 pages and 5% of the archive since the main index
    assert search_index.next_state(fewer, urls, changed) is None


@pytest.mark.browser
def test_after_a_rebuild_search_finds_new_text_and_never_the_old(tmp_path, seeds, browser):
    """A rebuild indexes only the changed pages (a second, small index): in Chromium, the changed
    page is found by its new words, never by the words it lost, and never twice."""
    project = new_project(tmp_path, converted=True)  # about the site, not the conversion
    made = synth.generate(SOURCES, project / "sources", 8, seeds=seeds)
    edited = project / "sources" / "synth-00003.txt"
    encoding = "utf-8" if _is_utf8(edited.read_bytes()) else "gb18030"
    text = edited.read_text(encoding=encoding)
    paragraph = max(text.splitlines()[8:], key=len)  # a long paragraph of the body
    edited.write_text(
        text.replace(paragraph, paragraph + "青梅酒坊 qingmeijiufang 焕发生机。", 1),
        encoding=encoding,
    )
    cli("build", "--root", str(project))
    cli("site", "--root", str(project))
    page = browser.new_page()
    with serve(project / "site") as url:
        page.goto(url + "/")
        assert search_in(page, "青梅酒坊") == ["/doc/synth-00003/"]  # before the edit
        assert search_in(page, "qingmeijiufang") == ["/doc/synth-00003/"]
        assert set(search_in(page, "经济")) >= holding_paths(project, "经济")

    edited.write_text(
        text.replace(paragraph, "蓝莓产业园 lanmeichanyeyuan 旧貌换新颜。", 1), encoding=encoding
    )
    for new in range(8, 14):  # new documents, up to one with a 文号 to search it by
        synth.write_document(project / "sources", seeds, new, made)
        number = convert_file(project / "sources" / f"synth-{new:05d}.txt").meta.get("doc_number")
        if number:
            break
    cli("build", "--root", str(project))
    assert re.search(r"search: \d+ recent pages", cli("site", "--root", str(project)).stderr)
    with serve(project / "site") as url:
        page.goto(url + "/")
        assert search_in(page, "蓝莓产业园") == ["/doc/synth-00003/"]  # once, not twice
        assert search_in(page, "lanmeichanyeyuan") == ["/doc/synth-00003/"]
        assert search_in(page, "青梅酒坊") == []  # its entry in the main index is stale
        assert search_in(page, number)[0] == f"/doc/synth-{new:05d}/"  # a new document
        assert (
            set(search_in(page, "经济")) >= holding_paths(project, "经济")
            and len(holding_paths(project, "经济")) > 13
        )
        # documents that tie rank by date, the new ones (numbered after the main index's) too
        kind = convert_file(project / "sources" / f"synth-{new:05d}.txt").meta["doc_type"]
        page.goto(f"{url}/?type={kind}")
        page.wait_for_selector(".md-search-result__meta[data-query]")
        listed = [
            urlparse(a.get_attribute("href")).path
            for a in page.locator(".md-search-result__item a").all()
        ]
        assert f"/doc/synth-{new:05d}/" in listed
        dates = [date_of(project, path) for path in listed]
        assert dates == sorted(dates, reverse=True), list(zip(listed, dates, strict=True))
    page.close()


def date_of(project: Path, path: str) -> str:
    front = (project / "docs" / f"{path.strip('/')}.md").read_text(encoding="utf-8").split("---")[1]
    found = re.search(r"^date: '?([\d-]+)", front, re.MULTILINE)
    return found[1] if found else ""


def test_a_document_added_since_the_main_index_ranks_among_ties_by_its_date():
    """The main index numbers its documents newest first, and ties rank by number: a document
    added since (numbered after them all) ranked last among ties whatever its date."""
    state = search_index.SearchState(
        numbers={"/a/": 0, "/b/": 1, "/c/": 2, "/new/": 3},
        main=["/a/", "/b/", "/c/"],
        recent=["/c/", "/new/"],
        dates={
            "/a/": "2024-01-01",
            "/b/": "2022-01-01",
            "/c/": "2025-06-01",
            "/new/": "2023-05-01",
        },
    )
    order = search_index._date_order(state)
    assert 0 < order[3] < 1  # between 2024's /a/ and 2022's /b/
    assert order[2] < 0  # /c/ changed, now dated 2025: before them all


def holding_paths(project: Path, word: str) -> set[str]:
    from scripts.bench.recall import documents, holding

    documents.cache_clear()
    return {f"/doc/{doc_id}/" for doc_id in holding(project / "docs", word)}


def search_in(page, query: str) -> list[str]:
    """Search as a reader does; the paths of every result listed."""
    meta = ".md-search-result__meta"
    page.evaluate(f"document.querySelector('{meta}').removeAttribute('data-query')")
    page.fill(".md-search__input", query)
    page.wait_for_function(
        f"q => document.querySelector('{meta}').getAttribute('data-query') === q", arg=query
    )
    return [
        urlparse(a.get_attribute("href")).path
        for a in page.locator(".md-search-result__item a").all()
    ]


MEGABYTES_200 = "x = bytearray(200 * 2**20); x[::4096] = b'y' * len(x[::4096])"


def test_the_memory_sampler_skips_a_process_that_ends_while_it_is_read(monkeypatch):
    """A child that ends between two reads of /proc (its folder found, then gone) is skipped: the
    sampler's thread goes on measuring. The race happened once in a test run (pathlib's glob
    raised FileNotFoundError and the thread died, so the peak stopped growing); it is made here
    by a folder that vanishes as it is listed."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert measure._tree(ended.pid) == [ended.pid]

    def vanished(path):
        raise FileNotFoundError(2, "No such file or directory", path)

    monkeypatch.setattr(measure.os, "listdir", vanished)
    assert measure._tree(os.getpid()) == [os.getpid()]


def test_peak_memory_counts_a_page_shared_with_a_forked_child_once():
    """A forked child shares its parent's pages: the bench's peak counts them once, not twice."""
    alone = measure.run(
        [sys.executable, "-c", f"{MEGABYTES_200}; import time; time.sleep(0.5)"], ROOT
    )
    forked = measure.run(
        [
            sys.executable,
            "-c",
            (
                f"{MEGABYTES_200}; import os, time; pid = os.fork(); "
                "time.sleep(0.6); os._exit(0) if pid == 0 else os.waitpid(pid, 0)"
            ),
        ],
        ROOT,
    )
    assert 200 * 2**20 < alone.peak_bytes < 300 * 2**20
    assert forked.peak_bytes < 1.3 * alone.peak_bytes  # a sum of resident sizes would be twice


@pytest.mark.browser
def test_the_benchmark_runs_on_a_small_archive(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench",
            "--n",
            "3",
            "--no-baseline",
            "--phone-runs",
            "1",  # Lighthouse once: its figures are the bench's, its accessibility audit ours
            "--workdir",
            str(tmp_path / "bench"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for line in (
        "full build, s",
        "rebuild after adding one doc, s",
        "the median of 3 documents added, s",
        "peak memory",
        "site size / Markdown size",
        "search download, total",
        "first results on screen, total",
        "every result listed =",
        "recall = 100.0%",
        "add one document =",
        "Lighthouse ",
    ):
        assert line in report, report
    # Lighthouse's accessibility audits on the longest document, on a phone: none fails
    assert re.search(r"accessibility \d+ \(goal 100\): meets", report), report
