"""`python -m scripts review BASE`: what a branch changes, as Markdown for a review comment."""

from __future__ import annotations

import subprocess

import pytest

from .maintainer import CITY_PLAN, CITY_PLAN_ID, COUNTY_PLAN_ID, built_project, cli


def git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit_all(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def page(doc_id, cites=(), anchors=("s1", "s1-p1")):
    lines = ["---", f"id: {doc_id}", f"title: 标题{doc_id}", "date: '2024-01-01'"]
    if cites:
        lines.append("cites:")
        for number, target in cites:
            lines.append(f"- doc_number: {number}")
            if target:
                lines.append(f"  target: {target}")
    lines += ["---", "", f"# 标题{doc_id}", ""]
    for anchor in anchors:
        lines += [f"正文{anchor}", f"{{: #{anchor} }}", ""]
    return "\n".join(lines)


@pytest.fixture
def repo(tmp_path):
    """A repository whose pages cite one document the archive does not have yet."""
    (tmp_path / "docs" / "doc").mkdir(parents=True)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text("原文\n", encoding="utf-8")
    (tmp_path / "docs" / "doc" / "a.md").write_text(
        page("a", cites=[("衡政办发〔2024〕5号", None)], anchors=("s1", "s1-p1", "s2")),
        encoding="utf-8",
    )
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "base")
    return tmp_path


def review(repo, base="HEAD"):
    result = cli("review", base, "--root", str(repo))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_no_change_says_so(repo):
    assert "No change to the archive's documents." in review(repo)


def test_added_document_resolves_a_wanted_reference(repo):
    (repo / "docs" / "doc" / "b.md").write_text(
        page("b", cites=[("湘政发〔2023〕1号", None)]), encoding="utf-8"
    )
    (repo / "docs" / "doc" / "a.md").write_text(
        page("a", cites=[("衡政办发〔2024〕5号", "b")], anchors=("s1", "s1-p1", "s3")),
        encoding="utf-8",
    )
    out = review(repo)
    assert (
        "1 added · 0 removed · 1 changed · 1 wanted resolved · 1 new wanted · 1 anchor(s) removed"
        in out
    )
    assert "### 新增文件 · Documents added (1)\n\n- **标题b** `docs/doc/b.md`" in out
    assert (
        "### 补上的待收录文件 · Wanted references now resolved (1)\n\n"
        "- `a` cites 衡政办发〔2024〕5号 → `b` (标题b)"
    ) in out
    assert (
        "### 新的待收录文件 · New wanted references (1)\n\n- `b` cites 湘政发〔2023〕1号, not in the archive"
        in out
    )
    assert "- `a`: 1 removed ⚠ `#s2` (not moved)" in out
    assert "New citations between documents" not in out  # a's citation is counted as resolved, once
    assert "- `a`: 1 added `#s3`" in out


def test_a_new_document_citing_one_already_there(repo):
    (repo / "docs" / "doc" / "c.md").write_text(
        page("c", cites=[("衡政办发〔2023〕1号", "a")]), encoding="utf-8"
    )
    out = review(repo)
    assert (
        "### 新的文件间引用 · New citations between documents (1)\n\n- `c` cites 衡政办发〔2023〕1号 → `a` (标题a)"
        in out
    )


def test_edited_source_and_changed_metadata_are_flagged(repo):
    (repo / "sources" / "a.txt").write_text("原文（改）\n", encoding="utf-8")
    markdown = (
        (repo / "docs" / "doc" / "a.md")
        .read_text(encoding="utf-8")
        .replace("2024-01-01", "2024-02-02")
    )
    (repo / "docs" / "doc" / "a.md").write_text(markdown, encoding="utf-8")
    out = review(repo)
    assert "- `a`: date: 2024-01-01 → 2024-02-02" in out
    assert "Sources edited ⚠" in out and "- `sources/a.txt`" in out
    strict = cli("review", "--strict", "HEAD", "--root", str(repo))
    assert strict.returncode == 1 and strict.stdout == out
    assert strict.stderr.startswith("sources/a.txt: a raw source was edited;")
    assert len(strict.stderr.strip().splitlines()) == 1


def test_strict_review_passes_added_renamed_and_removed_sources(repo):
    (repo / "sources" / "b.txt").write_text("新原文\n", encoding="utf-8")
    git(repo, "add", "-A")
    commit_all(repo, "b")
    (repo / "sources" / "c.txt").write_text("又一份原文\n", encoding="utf-8")
    git(repo, "mv", "sources/a.txt", "sources/a-renamed.txt")
    git(repo, "rm", "-q", "sources/b.txt")
    assert cli("review", "--strict", "HEAD", "--root", str(repo)).returncode == 0


def test_unknown_base_is_one_line(repo):
    result = cli("review", "no-such-branch", "--root", str(repo))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "no-such-branch" in result.stderr


def test_review_after_add_on_a_fresh_clone(tmp_path):
    project = built_project(tmp_path / "p")
    git(project, "init", "-q")
    commit_all(project, "base")
    assert cli("add", str(CITY_PLAN), "--root", str(project)).returncode == 0
    out = review(project)
    assert (
        f"**衡阳市实施“八大行动”总体方案** `docs/doc/{CITY_PLAN_ID}.md` 衡政办发〔2024〕5号" in out
    )
    assert "Documents removed" not in out and "Anchors changed" not in out
    # the county plan cited the city plan's 文号 as wanted: review says it is found now
    assert (
        f"- `{COUNTY_PLAN_ID}` cites 《衡阳市人民政府办公室关于印发<衡阳市实施“八大行动”总体方案>的通知》 "
        f"衡政办发〔2024〕5号 → `{CITY_PLAN_ID}` (衡阳市实施“八大行动”总体方案)"
    ) in out
