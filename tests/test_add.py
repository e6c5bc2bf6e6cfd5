"""`python -m scripts add FILE`, as a new maintainer runs it on a fresh clone: one command turns a
raw scraped file into a page, `check` passes, the real MkDocs site shows it; bad input is one
line naming the file, and leaves sources/ and docs/ exactly as they were."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime

import pytest
import yaml
from bs4 import BeautifulSoup

from scripts.site import published

from .conftest import SOURCES, build_site
from .maintainer import (
    CITY_PLAN,
    CITY_PLAN_ID,
    COUNTY_PLAN_ID,
    built_project,
    cli,
    document_count,
    one_error_line,
    snapshot,
)

COUNTY_NOTICE = SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt"
CITY_URL = "https://www.hengyang.gov.cn/xxgk/zfxxgk/2024/0328/5.html"


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """A fresh clone to which a maintainer has added the city plan with one command."""
    project = built_project(tmp_path_factory.mktemp("add"))
    before = snapshot(project)
    result = cli(
        "add",
        str(CITY_PLAN),
        "--url",
        CITY_URL,
        "--retrieved",
        "2025-01-20",
        "--root",
        str(project),
    )
    assert result.returncode == 0, result.stderr
    return project, before, result


def test_add_copies_the_raw_bytes_under_a_readable_name_with_a_sidecar(added):
    project, before, _ = added
    raw = project / "sources" / f"{CITY_PLAN_ID}.txt"
    assert raw.read_bytes() == CITY_PLAN.read_bytes()
    sidecar = yaml.safe_load(
        (project / "sources" / f"{CITY_PLAN_ID}.yml").read_text(encoding="utf-8")
    )
    # the day it entered the archive, written once (the feed and citations read it, never the clock)
    assert sidecar == {
        "id": CITY_PLAN_ID,
        "url": CITY_URL,
        "retrieved": "2025-01-20",
        "added": datetime.now(UTC).date().isoformat(),
    }
    new = set(snapshot(project)) - set(before)
    assert f"sources/{CITY_PLAN_ID}.txt" in new and f"docs/doc/{CITY_PLAN_ID}.md" in new


def test_add_says_what_it_found(added):
    _, _, result = added
    out = result.stdout
    assert f"URL /doc/{CITY_PLAN_ID}/" in out
    for found in (
        "doc_number: 衡政办发〔2024〕5号",
        "issuer: 衡阳市人民政府办公室",
        "date: 2024-03-28",
        "level: city",
        f"source.url: {CITY_URL}",
    ):
        assert found in out, found
    assert (
        "not found:" not in out
    )  # everything expected was in the text or given on the command line


def test_add_records_the_new_page_as_published(added):
    project, _, _ = added
    record = {entry: fp for _, entry, fp in published.recorded(project / published.RECORD)}
    assert record[f"/doc/{CITY_PLAN_ID}/"] == ""
    assert re.fullmatch(
        "[0-9a-f]{8}", record[f"/doc/{CITY_PLAN_ID}/#s1"]
    )  # with the fingerprint of its words


def test_check_passes_after_add(added):
    project, _, _ = added
    result = cli("check", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert f"{document_count(project)} documents" in result.stdout


def test_the_site_shows_the_new_page(added):
    project, _, _ = added
    site = build_site(project)
    page = BeautifulSoup(
        (site / "doc" / CITY_PLAN_ID / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.h1.get_text(strip=True).startswith("衡阳市实施“八大行动”总体方案")
    assert "衡政办发〔2024〕5号" in page.select_one(".doc-card").get_text()
    assert page.find(id="s1") is not None
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(CITY_PLAN_ID in a["href"] for a in home.select("article a[href]"))


def _links_under(page: BeautifulSoup, heading_id: str) -> list[str]:
    """The hrefs of the list that follows a relations heading."""
    heading = page.find(id=heading_id)
    assert heading is not None, f"no #{heading_id}"
    block = heading.find_next_sibling()
    return [a["href"] for a in block.find_all("a", href=True)] if block.name == "ul" else []


def test_the_site_shows_the_relations_the_new_page_completes(added):
    """The county plan cited the city plan's 文号 as wanted; now both pages link to each other."""
    project, _, _ = added
    site = project / "site"
    if not site.exists():
        build_site(project)
    city, county = (
        BeautifulSoup(
            (site / "doc" / doc_id / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        for doc_id in (CITY_PLAN_ID, COUNTY_PLAN_ID)
    )
    assert any(COUNTY_PLAN_ID in href for href in _links_under(city, "relations-implemented-by"))
    assert any(COUNTY_PLAN_ID in href for href in _links_under(city, "relations-cited-by"))
    assert any(CITY_PLAN_ID in href for href in _links_under(county, "relations-implements"))
    wanted = [
        p.read_text(encoding="utf-8")
        for p in [project / "docs" / "wanted.md", *(project / "docs" / "wanted").glob("*.md")]
    ]
    assert len(wanted) > 1 and not any("衡政办发〔2024〕5号" in page for page in wanted)


def test_add_says_what_it_could_not_find_and_never_freezes_an_id_without_a_year(tmp_path):
    project = built_project(tmp_path / "p")
    bare = tmp_path / "bare.txt"
    bare.write_text(
        "县域经济发展情况\n今年以来，各地加快推进县域经济高质量发展，成效明显。\n", encoding="utf-8"
    )
    before = snapshot(project)
    line = one_error_line(cli("add", str(bare), "--root", str(project)), "bare.txt")
    assert "no 成文日期 (date) found" in line and "--date YYYY-MM-DD" in line
    assert snapshot(project) == before
    result = cli(
        "add", str(bare), "--id", "2024-xianyu-jingji-fazhan-qingkuang", "--root", str(project)
    )
    assert result.returncode == 0, result.stderr
    added_sidecar = next(
        line for line in result.stdout.splitlines() if line.startswith("added")
    ).split(" and ")[1]
    added_sidecar = added_sidecar.split(" ")[0]
    assert (
        f"no 成文日期 (date) found: add `date: YYYY-MM-DD` under `overrides:` in {added_sidecar}"
        in result.stdout
    )
    assert "no 发文机关 (issuer) found: add `issuer: " in result.stdout
    assert "no source url" in result.stdout


def test_add_overrides_win_and_are_kept_in_the_sidecar(tmp_path):
    project = built_project(tmp_path / "p")
    result = cli(
        "add",
        str(CITY_PLAN),
        "--date",
        "2024-03-29",
        "--set",
        "doc_type=实施方案",
        "--root",
        str(project),
    )
    assert result.returncode == 0, result.stderr
    sidecar = yaml.safe_load(
        (project / "sources" / f"{CITY_PLAN_ID}.yml").read_text(encoding="utf-8")
    )
    assert sidecar["overrides"] == {"date": "2024-03-29", "doc_type": "实施方案"}
    page = (project / "docs" / "doc" / f"{CITY_PLAN_ID}.md").read_text(encoding="utf-8")
    assert "date: '2024-03-29'" in page and "doc_type: 实施方案" in page


def test_add_reads_a_sidecar_left_beside_the_raw_file(tmp_path):
    project = built_project(tmp_path / "p")
    raw = tmp_path / "scraped.txt"
    shutil.copyfile(CITY_PLAN, raw)
    (tmp_path / "scraped.yml").write_text(
        f"url: {CITY_URL}\nsite: 衡阳市人民政府网\n", encoding="utf-8"
    )
    result = cli("add", str(raw), "--retrieved", "2025-01-20", "--root", str(project))
    assert result.returncode == 0, result.stderr
    sidecar = yaml.safe_load(
        (project / "sources" / f"{CITY_PLAN_ID}.yml").read_text(encoding="utf-8")
    )
    assert sidecar["site"] == "衡阳市人民政府网" and sidecar["retrieved"] == "2025-01-20"


def test_dry_run_writes_nothing(tmp_path):
    project = built_project(tmp_path / "p")
    before = snapshot(project)
    result = cli("add", str(CITY_PLAN), "--dry-run", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("would add")
    assert snapshot(project) == before
    copy = tmp_path / "copy.txt"
    shutil.copyfile(COUNTY_NOTICE, copy)
    assert "same text" in one_error_line(
        cli("add", str(copy), "--dry-run", "--root", str(project)), "copy.txt"
    )
    # the file straight from sources/ with its sidecar beside it: its id is taken, and it is a duplicate
    again = cli("add", str(COUNTY_NOTICE), "--root", str(project))
    assert "same text" in one_error_line(again, COUNTY_NOTICE.name)
    assert snapshot(project) == before


# Bad input: one line naming the file, nothing else touched ---------------------------------------


def _write_sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)  # sparse: instant, and takes no disk space


BAD_INPUTS = {
    # name: (how to make it in a folder → the path to pass, what the message names, words in it)
    "malformed sidecar YAML": (
        lambda d: _beside(d, "url: [https://x\n"),
        "scraped.yml:2",
        "not valid YAML",
    ),
    "unknown sidecar key": (
        lambda d: _beside(d, "url: https://x.cn/1\ntitel: 标题\n"),
        "scraped.yml:2",
        "unknown key 'titel'",
    ),
    "unknown override": (
        lambda d: _beside(d, "overrides:\n  dat: 2024-01-01\n"),
        "scraped.yml:2",
        "unknown override 'dat'",
    ),
    "bad date in sidecar": (
        lambda d: _beside(d, "retrieved: 2025/01/20\n"),
        "scraped.yml:1",
        "YYYY-MM-DD",
    ),
    "duplicate text": (lambda d: _copy(d, COUNTY_NOTICE), "copy.txt", "same text"),
    "duplicate 文号": (lambda d: _same_number(d), "other.txt", "same 文号 清政办函〔2024〕3号"),
    "empty file": (lambda d: _bytes(d, "empty.txt", b"\r\n \n"), "empty.txt", "is empty"),
    "binary file": (lambda d: _bytes(d, "scan.txt", bytes(range(256)) * 64), "scan.txt", "binary"),
    "undecodable file": (
        lambda d: _bytes(d, "mojibake.txt", "县域经济".encode() + b"\xff\xfe\xfa" * 3000),
        "mojibake.txt",
        "cannot be decoded",
    ),
    "file over 50 MB": (lambda d: _sparse(d), "huge.txt", "over the 50 MB limit"),
    "missing file": (lambda d: d / "nowhere.txt", "nowhere.txt", "does not exist"),
    "unknown kind": (lambda d: _bytes(d, "scan.pdf", b"%PDF-1.4 text"), "scan.pdf", "unknown kind"),
}


def _beside(folder, sidecar_text):
    raw = folder / "scraped.txt"
    shutil.copyfile(CITY_PLAN, raw)
    (folder / "scraped.yml").write_text(sidecar_text, encoding="utf-8")
    return raw


def _copy(folder, source):
    shutil.copyfile(source, folder / "copy.txt")
    return folder / "copy.txt"


def _same_number(folder):
    text = CITY_PLAN.read_text(encoding="utf-8").replace("衡政办发〔2024〕5号", "清政办函[2024]3号")
    (folder / "other.txt").write_text(text, encoding="utf-8")
    return folder / "other.txt"


def _bytes(folder, name, data):
    (folder / name).write_bytes(data)
    return folder / name


def _sparse(folder):
    _write_sparse(folder / "huge.txt", 51 * 1024 * 1024)
    return folder / "huge.txt"


@pytest.fixture(scope="module")
def clean_project(tmp_path_factory):
    return built_project(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_and_touches_nothing(case, clean_project, tmp_path):
    make, names, words = BAD_INPUTS[case]
    before = snapshot(clean_project)
    path = make(tmp_path)
    result = cli("add", str(path), "--root", str(clean_project))
    line = one_error_line(result, names)
    assert words in line, line
    assert snapshot(clean_project) == before, f"{case}: sources/ or docs/ changed"


def test_bad_flag_value_names_the_file(clean_project):
    before = snapshot(clean_project)
    result = cli("add", str(CITY_PLAN), "--date", "2024/3/28", "--root", str(clean_project))
    line = one_error_line(result, CITY_PLAN.name)
    assert "YYYY-MM-DD" in line
    assert snapshot(clean_project) == before


def test_add_a_saved_html_page(tmp_path):
    """A page saved from a government site: its metadata table and body, the page around them dropped."""
    project = built_project(tmp_path / "p")
    body = "".join(
        f"<p>{line}</p>" for line in CITY_PLAN.read_text(encoding="utf-8").splitlines()[3:-1]
    )
    page = tmp_path / "saved.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>衡阳市人民政府</title></head><body>"
        "<nav><a href='/'>首页</a> &gt; 政务公开</nav>"
        "<table><tr><td>发文机关：</td><td>衡阳市人民政府办公室</td><td>成文日期：</td><td>2024-03-28</td></tr>"
        "<tr><td>文号：</td><td>衡政办发〔2024〕5号</td></tr></table>"
        f"<div class='article-content'>{body}</div><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    result = cli(
        "add", str(page), "--url", CITY_URL, "--retrieved", "2025-01-20", "--root", str(project)
    )
    assert result.returncode == 0, result.stderr
    raw = project / "sources" / f"{CITY_PLAN_ID}.html"
    assert raw.read_bytes() == page.read_bytes()
    assert (
        "doc_number: 衡政办发〔2024〕5号" in result.stdout and "date: 2024-03-28" in result.stdout
    )
    markdown = (project / "docs" / "doc" / f"{CITY_PLAN_ID}.md").read_text(encoding="utf-8")
    assert "一、总体目标" in markdown and "版权所有" not in markdown
