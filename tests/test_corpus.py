"""The 37 real documents of the corpus (tests/data/corpus/): every one converts, and gets each field right.

The expectations were written by reading each document (tests/data/corpus-expectations.yaml);
`python -m tests.corpus_score --misses` prints the table and every miss.
"""

from __future__ import annotations

import pytest

from scripts.pages.render import render
from scripts.pages.web import plain_text

from .corpus_score import CORPUS, FIELDS, GOAL, converted, fold, load_expectations, score, table
from .test_conservation import assert_conserved

EXPECTED = load_expectations()


def test_the_corpus_is_in_the_repository():
    assert (CORPUS / "SOURCES.md").is_file(), f"{CORPUS} is missing its SOURCES.md"


def test_every_corpus_document_has_its_expectations():
    files = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md"}
    assert files == set(EXPECTED), (
        f"without expectations: {files - set(EXPECTED)}; gone: {set(EXPECTED) - files}"
    )


def test_every_field_is_right_on_95_percent_of_the_documents(report):
    right, total, misses = score()
    report(f"corpus: {total} documents\n{table(right, total)}")
    below = [f for f in FIELDS if right[f] < GOAL * total]
    detail = "\n".join(
        f"{name}: {field}: got {got!r}, wanted {want!r}" for name, field, got, want in misses
    )
    assert not below, f"below {GOAL:.0%}: {below}\n{table(right, total)}\n{detail}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_passages_a_reader_needs_reach_the_page(name: str):
    page = fold(plain_text(render(converted(name)).split("---\n", 2)[2]))
    lost = [s for s in EXPECTED[name].get("survive", []) if fold(s) not in page]
    assert not lost, f"{name}: not on the page: {lost}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_title_is_empty_or_shorter_than_four_characters(name: str):
    title = converted(name).meta.get("title") or ""
    assert len(title.strip()) >= 4, f"{name}: title {title!r}"
    assert not title.rstrip().endswith(("：", ":")), (
        f"{name}: the title is an addressee line: {title!r}"
    )


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n].get("title_inferred")])
def test_an_inferred_title_is_marked_in_front_matter_and_on_the_page(name: str):
    doc = converted(name)
    assert doc.meta.get("title_inferred") is True
    page = render(doc)
    assert "title_inferred: true" in page.split("---\n", 2)[1]
    assert "标题为编者据正文所拟" in page.split("---\n", 2)[2]


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n].get("issuers")])
def test_a_joint_document_names_every_issuer(name: str):
    assert [fold(i) for i in converted(name).meta.get("issuers", [])] == [
        fold(i) for i in EXPECTED[name]["issuers"]
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nothing_is_lost_but_reported_clutter(name: str):
    """Conservation over every corpus document, as tests/test_conservation.py holds it over sources/."""
    assert_conserved(converted(name), CORPUS / name)
