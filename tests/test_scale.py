"""Scale machinery: the synthetic archive, the conversion cache, parallel conversion, incremental site
builds and the benchmark command. Correctness only: speed figures come from `make bench`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.bench import synth
from scripts.docnumber import DocNumber

from .conftest import ROOT, SOURCES, copy_project


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "scripts", *args], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})))
    assert result.returncode == 0, result.stderr
    return result


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in skip}


def new_project(tmp_path: Path) -> Path:
    (tmp_path / "p").mkdir()
    return copy_project(tmp_path / "p")


def pages(site: Path) -> dict[str, bytes]:
    """Every file of a built site but Pagefind's index (whose chunk names differ run to run
    even over the same pages) and the incremental build's own state."""
    return {rel: data for rel, data in tree(site, skip=(".build-state.json",)).items()
            if not rel.startswith("pagefind/")}


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
    from scripts.convert import convert_file

    docs = [convert_file(p) for p in sorted((tmp_path / "sources").glob("*.txt"))]
    assert len({d.meta["id"] for d in docs}) == 30
    assert len({d.meta.get("region") for d in docs}) > 10, "places should vary"
    numbers = [d.meta["doc_number"] for d in docs if d.meta.get("doc_number")]
    assert len(numbers) == len(set(numbers)) >= 12
    # every document that carries a 文号 is listed for later documents to cite, with that 文号
    assert {DocNumber.parse(m.doc_number).key() for m in made} <= {DocNumber.parse(n).key() for n in numbers}
    # later documents cite earlier ones by 《title》 and 文号, in their body text
    from scripts.render import render

    cited = set()
    for doc in docs:
        own = DocNumber.parse(doc.meta["doc_number"]).key() if doc.meta.get("doc_number") else None
        cited |= {n.key() for n, _, _ in DocNumber.find_all(render(doc).replace("\\", ""))} - {own}
    assert cited & {DocNumber.parse(m.doc_number).key() for m in made}, "documents should cite each other"


def test_parallel_and_cached_conversion_give_the_same_docs(tmp_path, seeds):
    project = new_project(tmp_path)
    synth.generate(SOURCES, project / "sources", 40, seeds=seeds)
    cli("build", "--root", str(project), "--no-cache", env={"ARCHIVE_JOBS": "1"})
    serial = tree(project / "docs")
    shutil.rmtree(project / "docs" / "doc")
    cli("build", "--root", str(project), env={"ARCHIVE_JOBS": "2"})  # parallel, fills the cache
    assert tree(project / "docs") == serial
    entries = list((project / ".cache" / "convert").glob("*/*.pickle.z"))
    assert len(entries) == len(list((project / "sources").glob("*.txt")))
    shutil.rmtree(project / "docs" / "doc")
    cli("build", "--root", str(project))  # every document from the cache
    assert tree(project / "docs") == serial


def test_cache_misses_when_a_source_or_its_sidecar_changes(tmp_path):
    project = new_project(tmp_path)
    cli("build", "--root", str(project))
    source = project / "sources" / "2024-hengnan-bada-xingdong-zongti-fangan.txt"
    page = project / "docs" / "doc" / "2024-hengnan-bada-xingdong-zongti-fangan.md"
    sidecar = source.with_suffix(".yml")
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "overrides:\n  date: 2024-04-18\n", encoding="utf-8")
    cli("build", "--root", str(project))
    assert "date: '2024-04-18'" in page.read_text(encoding="utf-8")
    source.write_bytes(source.read_bytes().replace("总体目标".encode(), "总 体 目标X".encode(), 1))
    cli("build", "--root", str(project))
    assert "总体目标X" in page.read_text(encoding="utf-8")
    sources = list((project / "sources").glob("*.txt"))
    assert len(list((project / ".cache" / "convert").glob("*/*.pickle.z"))) == len(sources), "stale entries are pruned"


def test_incremental_site_build_equals_a_full_build(tmp_path, seeds):
    """With the real mkdocs.yml: its navigation is pruned and its search index comes from site/."""
    project = new_project(tmp_path)
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
    incremental = pages(project / "site")
    assert (project / "site" / "pagefind" / "pagefind-entry.json").exists()
    cli("site", "--root", str(project), "--full")
    assert pages(project / "site") == incremental
    # a removed document's page leaves the site too
    (project / "sources" / "synth-00012.txt").unlink()
    (project / "sources" / "synth-00012.yml").unlink()
    cli("build", "--root", str(project))
    assert "incremental" in cli("site", "--root", str(project)).stderr
    assert not (project / "site" / "doc" / "synth-00012").exists()


def test_a_changed_theme_makes_a_full_build(tmp_path):
    project = new_project(tmp_path)
    cli("build", "--root", str(project))
    cli("site", "--root", str(project))
    second = cli("site", "--root", str(project)).stderr
    assert re.search(r"incremental \((\d+) of", second)  # only the pages of the navigation
    css = next((project / "docs").rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert "full (configuration, theme, assets or packages changed)" in cli("site", "--root", str(project)).stderr


@pytest.mark.browser
def test_bench_prints_every_figure_for_ours_and_the_baseline():
    result = subprocess.run([sys.executable, "-m", "scripts.bench", "--n", "5", "--query", "发展"], cwd=ROOT,
                            capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    rows = {line[:38].strip(): re.findall(r"\d[\d,.]*", line[38:]) for line in out.splitlines() if len(line) > 38}
    both = ["full build, s (pipeline + site)", "site build (MkDocs + search), s", "documents per second",
            "rebuild after adding one doc, s", "peak memory", "site size", "site bytes per document",
            "site size / Markdown size", "search code", "index (grows with N)", "text of results shown",
            "search download, total", "results shown"]
    ours_only = ["pipeline sources → docs/, s", "rebuild, nothing changed, s"]
    for label in both + ours_only:
        assert label in rows, f"{label!r} missing from:\n{out}"
        assert len(rows[label]) >= (2 if label in both else 1), f"{label!r}: {rows[label]}"
    assert all(int(n) > 0 for n in rows["results shown"]), "both searches should find documents"
    goals = out.split("goals (issue #7):")[1]
    assert len(re.findall(r": (?:meets|MISSES)$", goals, re.M)) == 5
