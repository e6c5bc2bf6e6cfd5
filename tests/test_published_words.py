"""Links that keep their words: a published anchor that now points at other words fails the check,
which says how to keep the old link; the redirects in published/moved-anchors.txt reach the
site in an incremental build; anchors are read from the HTML's real `id` attributes.

A paragraph is deleted from a real source (a new scrape of the page lacks it): the anchors after
it in its section shift by one, and the link a journalist made to #s1-2-p2 would land on other words.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.site import published

from .conftest import serve
from .maintainer import built_project, cli

HUBEI = "2019-hubei-xianyu-jingji-gaozhiliang-fazhan-sannian-jihua"
URL = f"/doc/{HUBEI}/"
FIRST_OF_SECTION = "統籌協調、突出重點。"  # the paragraph at #s1-2-p1


def delete_paragraph(project: Path) -> None:
    source = project / "sources" / f"{HUBEI}.txt"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if FIRST_OF_SECTION not in line]
    assert len(kept) == len(lines) - 1
    source.write_text("".join(kept), encoding="utf-8")
    result = cli("build", "--root", str(project))
    assert result.returncode == 0, result.stderr


def words_at(site: Path, url: str) -> dict[str, str]:
    """anchor → the words a reader lands on at it (read with BeautifulSoup, not the code under test):
    its element's, or for a moved anchor's alias, those of the element right after it."""
    soup = BeautifulSoup(
        (site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    for control in soup.select(".para-link"):  # the ¶ control beside a paragraph is not its words
        control.decompose()
    found: dict[str, str] = {}
    for element in soup.select("[id]"):
        target = element
        while target is not None and "moved-anchor" in (target.get("class") or []):
            target = target.find_next_sibling()
        found.setdefault(element["id"], target.get_text() if target is not None else "")
    return found


def check_lines(project: Path, *args: str) -> list[str]:
    result = cli("check", "--root", str(project), *args)
    return [line for line in result.stderr.splitlines() if not line.startswith("check: ")]


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    """A clone whose site was built, then a paragraph deleted from a source and docs/ rebuilt."""
    project = built_project(tmp_path_factory.mktemp("words"))
    assert cli("site", "--root", str(project)).returncode == 0
    before = words_at(project / "site", URL)
    delete_paragraph(project)
    return project, before


@pytest.fixture
def project(shifted, tmp_path):
    return Path(shutil.copytree(shifted[0], tmp_path / "p", symlinks=True))


def test_every_recorded_anchor_has_the_fingerprint_of_its_words_on_the_built_site(shifted):
    """The fingerprints recorded from the Markdown are those of the words the HTML shows."""
    project, _ = shifted
    site = project / "site"
    recorded = published.recorded(project / published.RECORD)
    compared = 0
    pages: dict[str, dict[str, str]] = {}  # each page read once, not once per anchor
    for _, entry, fp in recorded:
        url, _, anchor = entry.partition("#")
        if anchor and fp:
            words = pages.get(url) or pages.setdefault(url, words_at(site, url))
            assert published.words_fingerprint(words[anchor]) == fp, entry
            compared += 1
    assert compared > 300


@pytest.mark.parametrize(
    "mode", [["--no-site"], []], ids=["from the Markdown", "from the built site"]
)
def test_a_shifted_anchor_fails_the_check_and_says_where_its_words_went(project, mode):
    found = check_lines(project, *mode)
    record = published.RECORD
    shifted_ones = [
        line for line in found if "now points at other words than were published" in line
    ]
    assert any(
        f"anchor #s1-2-p2 of {URL} now points at other words" in line
        and f"its words are now at #s1-2-p1: keep the link with a line '{URL}#s1-2-p2 #s1-2-p1' in "
        f"{published.MOVED}"
        in line
        for line in shifted_ones
    ), found
    # the deleted paragraph's own anchor: its words are nowhere; accept the new ones, or move it
    assert any(
        f"anchor #s1-2-p1 of {URL}" in line and f"published record --accept {URL}#s1-2-p1" in line
        for line in shifted_ones
    ), found
    gone = [line for line in found if "#s1-2-p5" in line]
    assert (
        gone
        and "was published and is gone" in gone[0]
        and "its words are now at #s1-2-p4" in gone[0]
    )
    assert all(line.startswith(f"{record}:") for line in found), found


def follow_the_advice(project: Path) -> None:
    """What the check says to do: a moved line per shifted anchor, the deleted paragraph's accepted."""
    moved = project / published.MOVED
    lines = [f"{URL}#s1-2-p{n} #s1-2-p{n - 1}\n" for n in range(2, 6)]
    moved.write_text(moved.read_text(encoding="utf-8") + "".join(lines), encoding="utf-8")
    result = cli("published", "record", "--accept", f"{URL}#s1-2-p1", "--root", str(project))
    assert result.returncode == 0, result.stderr


def test_following_the_advice_keeps_every_old_link_on_its_words_in_an_incremental_build(
    shifted, project
):
    _, before = shifted
    follow_the_advice(project)
    assert check_lines(project, "--no-site") == []
    result = cli(
        "site", "--root", str(project)
    )  # not --full: the moved anchors are among its inputs
    assert result.returncode == 0, result.stderr
    after = words_at(project / "site", URL)
    for n in range(2, 6):  # each old link lands on the words it was published with
        assert after[f"s1-2-p{n}"] == before[f"s1-2-p{n}"], n
    assert check_lines(project) == []


def test_accepting_new_words_is_named_in_the_record(project):
    follow_the_advice(project)
    record = (project / published.RECORD).read_text(encoding="utf-8")
    fp = re.search(rf"^{re.escape(URL)}#s1-2-p1 ([0-9a-f]{{8}})$", record, re.MULTILINE)
    assert (
        fp
        and fp[1]
        == published.anchored_words(
            (project / "docs" / "doc" / f"{HUBEI}.md").read_text(encoding="utf-8")
        )["s1-2-p1"]
    )


def test_a_record_without_fingerprints_is_migrated_by_record(project):
    follow_the_advice(project)
    record = project / published.RECORD
    old_format = re.sub(
        r" [0-9a-f]{8}$", "", record.read_text(encoding="utf-8"), flags=re.MULTILINE
    )
    record.write_text(old_format, encoding="utf-8")
    found = check_lines(project, "--no-site")
    assert found and all("without the fingerprint of their words" in line for line in found), found
    assert cli("published", "record", "--root", str(project)).returncode == 0
    lines = [
        ln
        for ln in record.read_text(encoding="utf-8").splitlines()
        if "#" in ln and not ln.startswith("#")
    ]
    assert all(re.search(r"#\S+ [0-9a-f]{8}$", line) for line in lines)
    assert check_lines(project, "--no-site") == []


def test_text_that_looks_like_an_id_is_not_an_anchor(shifted, tmp_path):
    """Python-Markdown leaves `"` in text as it is: a paragraph may read ` id="s2-1"`."""
    project, _ = shifted
    page = tmp_path / "site" / "doc" / HUBEI / "index.html"
    page.parent.mkdir(parents=True)
    html = (project / "site" / "doc" / HUBEI / "index.html").read_text(encoding="utf-8")
    assert 'id="s2-1"' in html
    html = html.replace('id="s2-1"', 'id="s2-one"').replace(
        "</article>", '<p>原文写着 id="s2-1" 这几个字</p></article>'
    )
    page.write_text(html, encoding="utf-8")
    (tmp_path / published.RECORD).parent.mkdir()
    (tmp_path / published.RECORD).write_text(f"{URL}\n{URL}#s2-1\n", encoding="utf-8")
    problems = published.check(tmp_path, tmp_path / "site")
    assert len(problems) == 1 and f"anchor #s2-1 of {URL} was published and is gone" in problems[0]


@pytest.mark.browser
def test_an_old_link_opens_on_its_words_in_chromium(shifted, project, page):
    _, before = shifted
    follow_the_advice(project)
    assert cli("site", "--root", str(project)).returncode == 0
    with serve(project / "site") as url:
        for n in (2, 3):
            page.goto(f"{url}{URL}#s1-2-p{n}")
            target = page.locator(".is-target")
            target.wait_for()
            # the words the link was published with, highlighted (the ¶ the page adds aside)
            assert target.inner_text().rstrip("¶").strip() == before[f"s1-2-p{n}"].strip()


def test_a_new_moved_anchor_line_reaches_an_unchanged_page_in_an_incremental_build(tmp_path):
    project = built_project(tmp_path / "p")
    assert cli("site", "--root", str(project)).returncode == 0
    county = "/doc/2024-hengnan-bada-xingdong-zongti-fangan/"
    with open(project / published.MOVED, "a", encoding="utf-8") as f:
        f.write(f"{county}#an-old-anchor #s1\n")  # the page's Markdown is unchanged
    result = cli("site", "--root", str(project))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(
        (project / "site" / county.strip("/") / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    alias = soup.find(id="an-old-anchor")
    assert alias is not None and alias.find_next_sibling().get("id") == "s1"


def test_the_letters_and_digits_a_fingerprint_keeps_are_the_unicode_categories_l_and_n():
    """words_fingerprint (and check's duplicate text) keep the characters str.isalnum accepts:
    for this Python's Unicode tables, exactly the categories L* and N*, which the recorded
    fingerprints were made of. A Python whose tables part the two would change every
    fingerprint: this fails first."""
    import sys
    import unicodedata

    parted = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if chr(code).isalnum() != (unicodedata.category(chr(code))[0] in "LN")
    ]
    assert parted == []
    assert published.words_fingerprint("一、总体目标 (2024)") == published.words_fingerprint(
        "一总体目标2024"
    )
