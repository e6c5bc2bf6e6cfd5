"""`python -m scripts check`: each kind of mistake a pull request can make is one line naming the
file (and line) and the fix, with a non-zero exit; a correct archive passes."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess

import pytest

from scripts.__main__ import main
from scripts.core.script import to_traditional

from .conftest import ROOT
from .maintainer import COUNTY_PLAN_ID, built_project, cli, document_count, snapshot

COUNTY = f"sources/{COUNTY_PLAN_ID}"
RECORD = "published/anchors.txt"
MOVED = "published/moved-anchors.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_project(tmp_path_factory.mktemp("check"))


@pytest.fixture
def project(built, tmp_path):
    """A fresh copy of a correct archive for each test to break."""
    return shutil.copytree(built, tmp_path / "p")


def check(project, *args) -> subprocess.CompletedProcess:
    """`python -m scripts check`, run in this process (the pipeline's set-up is paid once)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--root", str(project), *args])
    return subprocess.CompletedProcess(["check"], code, out.getvalue(), err.getvalue())


def problems(project, *args) -> list[str]:
    result = check(project, *args)
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("check: ") and "problem" in lines[-1], result.stderr
    return lines[:-1]


def the_problem(project, names: str, *args) -> str:
    """Exactly one problem, naming `names`."""
    found = problems(project, "--no-site", *args)
    assert len(found) == 1, "\n".join(found)
    assert found[0].startswith(names), found[0]
    return found[0]


def test_a_correct_archive_passes_every_check_and_check_writes_nothing(project):
    before = snapshot(project)
    result = cli("check", "--root", str(project))  # the real command line, once
    assert snapshot(project) == before and not (project / "site").exists()
    assert result.returncode == 0, result.stderr
    assert f"{document_count(project)} documents" in result.stdout and "links" in result.stdout


def test_the_repository_itself_passes():
    result = cli("check", "--no-site")
    assert result.returncode == 0, result.stderr


# sidecars ----------------------------------------------------------------------------------------


def test_malformed_sidecar(project):
    (project / f"{COUNTY}.yml").write_text(
        f"id: {COUNTY_PLAN_ID}\nnote: a: b: [c\n", encoding="utf-8"
    )
    line = the_problem(project, f"{COUNTY}.yml:2: is not valid YAML")
    assert "fix the YAML syntax" in line


def test_unknown_sidecar_key(project):
    with open(project / f"{COUNTY}.yml", "a", encoding="utf-8") as f:
        f.write("source_url: https://example.gov.cn/\n")
    line = the_problem(project, f"{COUNTY}.yml:4: has unknown key 'source_url'")
    assert (
        "use one of added, columns, dump, id, note, overrides, record, record_sha256, retrieved, site, url"
        in line
    )


def test_invalid_override_value(project):
    with open(project / f"{COUNTY}.yml", "a", encoding="utf-8") as f:
        f.write("overrides:\n  level: township\n")
    line = the_problem(project, f"{COUNTY}.yml:5: level 'township' is not valid")
    assert "national, province, city, county" in line


def test_source_without_sidecar(project):
    (project / f"{COUNTY}.yml").unlink()
    found = problems(project, "--no-site")
    assert (
        found[0].startswith(f"{COUNTY}.txt: has no sidecar") and f"create {COUNTY}.yml" in found[0]
    )
    # without its sidecar the page also loses the day it was added: the only other problems
    assert all(": differs from what sources/ produce" in line for line in found[1:]), found


def test_sidecar_without_source(project):
    (project / "sources" / "orphan.yml").write_text("id: orphan\n", encoding="utf-8")
    the_problem(project, "sources/orphan.yml: has no source file beside it")


def test_sidecar_without_id(project):
    (project / f"{COUNTY}.yml").write_text("url: https://example.gov.cn/a.html\n", encoding="utf-8")
    found = problems(project, "--no-site")
    assert found[0] == (
        f"{COUNTY}.yml:1: has no `id:`; add `id: …` "
        "(the page's URL /doc/<id>/, frozen once published)"
    )


def test_stray_file_in_sources(project):
    (project / "sources" / "notes.docx").write_bytes(b"PK\x03\x04")
    the_problem(project, "sources/notes.docx: is neither a source")


# duplicates --------------------------------------------------------------------------------------


def _add_raw(project, name: str, data: bytes) -> None:
    (project / "sources" / f"{name}.txt").write_bytes(data)
    (project / "sources" / f"{name}.yml").write_text(f"id: {name}\n", encoding="utf-8")


def test_same_text_under_two_names(project):
    _add_raw(project, "zz-copy", (project / f"{COUNTY}.txt").read_bytes())
    line = problems(project, "--no-site")[0]
    assert line.startswith(f"sources/zz-copy.txt: has the same text as {COUNTY}.txt;"), line


def test_same_text_in_traditional_characters_with_other_spacing(project):
    raw = (project / f"{COUNTY}.txt").read_text(encoding="utf-8")
    fanti = to_traditional(raw).replace("，", ", ").replace("\n", "\n\n")
    _add_raw(project, "zz-fanti", fanti.encode("gb18030"))
    found = [p for p in problems(project, "--no-site") if "same" in p]
    assert found and found[0].startswith(
        f"sources/zz-fanti.txt: has the same text as {COUNTY}.txt"
    ), found


def test_same_doc_number_in_another_bracket_style(project):
    text = (ROOT / "tests" / "data" / "hengyang-city-plan.txt").read_text(encoding="utf-8")
    _add_raw(project, "zz-other", text.replace("衡政办发〔2024〕5号", "清政办函(2024)3号").encode())
    found = [p for p in problems(project, "--no-site") if "same" in p]
    assert found == [
        (
            f"sources/zz-other.txt: has the same 文号 清政办函〔2024〕3号 as {COUNTY}.txt; if it is the "
            "same document keep one file; if not, correct `doc_number:` under `overrides:` in "
            "sources/zz-other.yml"
        )
    ]


# docs/ is generated --------------------------------------------------------------------------------


def test_hand_edited_page(project):
    page = project / "docs" / "doc" / f"{COUNTY_PLAN_ID}.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "一、总体目标" in line)
    lines[number] = lines[number].replace("总体目标", "总体目的")
    page.write_text("".join(lines), encoding="utf-8")
    line = the_problem(
        project, f"docs/doc/{COUNTY_PLAN_ID}.md:{number + 1}: differs from what sources/ produce"
    )
    assert line.endswith("run `python -m scripts build` and commit docs/")


def test_docs_not_rebuilt_after_adding_a_source(project):
    shutil.copyfile(
        ROOT / "tests" / "data" / "hengyang-city-plan.txt", project / "sources" / "city.txt"
    )
    (project / "sources" / "city.yml").write_text("id: city\n", encoding="utf-8")
    found = problems(project, "--no-site")
    assert "docs/doc/city.md: is missing; run `python -m scripts build` and commit docs/" in found


# published addresses --------------------------------------------------------------------------------


def test_removed_source_leaves_published_addresses_without_redirect(project):
    for suffix in (".txt", ".yml"):
        (project / f"{COUNTY}{suffix}").unlink()
    assert cli("build", "--root", str(project)).returncode == 0
    for args in (["--no-site"], []):  # from the Markdown, and from the built site
        found = problems(project, *args)
        assert found, "removing a published document must fail the check"
        assert all(
            p.startswith(f"{RECORD}:") and "was published and is gone" in p for p in found
        ), found
        assert any(f"anchor #s1 of /doc/{COUNTY_PLAN_ID}/ was published" in p for p in found)


def test_a_moved_anchor_line_keeps_a_renumbered_anchor(project):
    record = project / RECORD
    with open(record, "a", encoding="utf-8") as f:
        f.write(f"/doc/{COUNTY_PLAN_ID}/#s99\n")
    number = len(record.read_text(encoding="utf-8").splitlines())
    line = the_problem(
        project,
        f"{RECORD}:{number}: anchor #s99 of /doc/{COUNTY_PLAN_ID}/ was published and is gone",
    )
    assert f"add a line '/doc/{COUNTY_PLAN_ID}/#s99 #<new>' to {MOVED}" in line
    with open(project / MOVED, "a", encoding="utf-8") as f:
        f.write(f"/doc/{COUNTY_PLAN_ID}/#s99 #s1\n")
    result = check(project)
    assert result.returncode == 0, result.stderr


def test_a_page_redirect_in_mkdocs_yml_keeps_a_moved_page(project):
    with open(project / RECORD, "a", encoding="utf-8") as f:
        f.write("/doc/old-name/\n/doc/old-name/#s1\n")
    assert len(problems(project, "--no-site")) == 2
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "redirect_maps: {}" in config
    config = config.replace(
        "redirect_maps: {}", f"redirect_maps: {{doc/old-name.md: doc/{COUNTY_PLAN_ID}.md}}"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    # an old link through the redirect page still counts as landing (the browser keeps the #anchor)
    (project / "docs" / "guide.md").write_text(
        '# 指南\n\n<a href="/doc/old-name/#s1">旧链接</a>\n', encoding="utf-8"
    )
    for args in (["--no-site"], []):
        result = check(project, *args)
        assert result.returncode == 0, result.stderr


def test_new_addresses_must_be_recorded(project):
    record = project / RECORD
    record.write_text(
        "".join(
            line
            for line in record.read_text(encoding="utf-8").splitlines(keepends=True)
            if f"/doc/{COUNTY_PLAN_ID}/" not in line
        ),
        encoding="utf-8",
    )
    line = the_problem(project, f"docs/doc/{COUNTY_PLAN_ID}.md: publishes")
    assert line.endswith(f"run `python -m scripts published record` and commit {RECORD}")
    result = cli("published", "record", "--root", str(project))
    assert result.returncode == 0, result.stderr
    assert check(project, "--no-site").returncode == 0


# the site and its links ----------------------------------------------------------------------------


def test_link_to_a_missing_page_fails_mkdocs_strict(project):
    (project / "docs" / "guide.md").write_text(
        "# 指南\n\n见[这里](doc/no-such-page.md)。\n", encoding="utf-8"
    )
    found = problems(project)
    assert len(found) == 1, found
    assert (
        found[0].startswith("docs/guide.md:3: mkdocs build --strict:")
        and "no-such-page.md" in found[0]
    )


def test_broken_anchors_are_found_in_the_built_html(project):
    (project / "docs" / "guide.md").write_text(
        "# 指南\n\n"
        f"[总体目标](doc/{COUNTY_PLAN_ID}.md#s1)\n\n"
        f"[不存在的段落](doc/{COUNTY_PLAN_ID}.md#s1-p99)\n\n"
        f'<a href="/doc/{COUNTY_PLAN_ID}/#nowhere">绝对地址</a>\n\n'
        "[不存在的页面](/doc/no-such-page/)\n",
        encoding="utf-8",
    )
    found = problems(project)
    assert found == [
        (
            f"docs/guide.md:5: link '../doc/{COUNTY_PLAN_ID}/#s1-p99' links to #s1-p99, which "
            f"/doc/{COUNTY_PLAN_ID}/ does not have; fix the link (or, for a generated page, the code or "
            "sidecar that writes it)"
        ),
        (
            f"docs/guide.md:7: link '/doc/{COUNTY_PLAN_ID}/#nowhere' links to #nowhere, which "
            f"/doc/{COUNTY_PLAN_ID}/ does not have; fix the link (or, for a generated page, the code or "
            "sidecar that writes it)"
        ),
        (
            "docs/guide.md:9: link '/doc/no-such-page/' links to /doc/no-such-page/, which the site does not have; "
            "fix the link (or, for a generated page, the code or sidecar that writes it)"
        ),
    ], found


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("empty", b"\n \n", "is empty"),
        ("binary", bytes(range(256)) * 64, "binary"),
        ("huge", None, "over the 50 MB limit"),
    ],
)
def test_a_broken_raw_file_in_sources_is_one_line(project, name, data, words):
    path = project / "sources" / f"zz-{name}.txt"
    if data is None:
        with open(path, "wb") as f:
            f.truncate(51 * 1024 * 1024)  # sparse: instant
    else:
        path.write_bytes(data)
    (project / "sources" / f"zz-{name}.yml").write_text(f"id: zz-{name}\n", encoding="utf-8")
    line = the_problem(project, f"sources/zz-{name}.txt: ")
    assert words in line
