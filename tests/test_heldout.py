"""The held-out set: documents of the corpus's families from other sites (tests/data/heldout/).

The rules were developed on the 37 documents of the corpus (tests/data/corpus/); these were written apart from
them, in the shapes other portals, crawlers and databases give the same families (other organs,
places, key names and clutter words), and their expectations were written by reading each one
before the pipeline ran on it (tests/data/heldout-expectations.yaml). Every field must be right on
95% of them, as on the corpus. `python -m tests.corpus_score --heldout --misses` prints the table.
A document marked `xfail` in the yaml is one whose miss no family rule can fix (the reason is there).
"""

from __future__ import annotations

import pytest

from scripts.pages.render import render
from scripts.pages.web import plain_text

from .corpus_score import (
    FIELDS,
    GOAL,
    HELDOUT,
    HELDOUT_EXPECTATIONS,
    converted,
    field_right,
    fold,
    load_expectations,
    score,
    table,
)
from .test_conservation import assert_conserved

EXPECTED = load_expectations(HELDOUT_EXPECTATIONS)


def heldout(name: str):
    return converted(name, HELDOUT)


def each_document():
    """Every document, marked xfail (strictly: a fixed one must lose its mark) where the yaml says so."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=EXPECTED[name]["xfail"], strict=True))
        if EXPECTED[name].get("xfail")
        else name
        for name in sorted(EXPECTED)
    ]


def page_of(name: str) -> str:
    return fold(plain_text(render(heldout(name)).split("---\n", 2)[2]))


def test_every_heldout_file_has_its_expectations_and_a_family():
    files = {p.name for p in HELDOUT.iterdir() if p.is_file()}
    assert files == set(EXPECTED), (
        f"without expectations: {files - set(EXPECTED)}; gone: {set(EXPECTED) - files}"
    )
    assert len(files) >= 20
    assert all(EXPECTED[name].get("family") for name in EXPECTED)


def test_the_heldout_set_is_not_archive_content():
    from .corpus_score import ROOT

    sources = {p.name for p in (ROOT / "sources").iterdir()}
    assert not sources & set(EXPECTED)


def test_every_field_is_right_on_95_percent_of_the_heldout_documents(report):
    right, total, misses = score(expectations=EXPECTED, folder=HELDOUT)
    report(f"held-out: {total} documents\n{table(right, total)}")
    below = [f for f in FIELDS if right[f] < GOAL * total]
    detail = "\n".join(
        f"{name}: {field}: got {got!r}, wanted {want!r}" for name, field, got, want in misses
    )
    assert not below, f"below {GOAL:.0%}: {below}\n{table(right, total)}\n{detail}"


@pytest.mark.parametrize("name", each_document())
def test_each_field_of_the_document_is_what_a_reader_takes_from_it(name: str):
    doc = heldout(name)
    wrong = [
        f"{field}: got {doc.meta.get(field)!r}, wanted {EXPECTED[name].get(field)!r}"
        for field in FIELDS
        if not field_right(field, doc, EXPECTED[name])
    ]
    assert not wrong, f"{name}: " + "; ".join(wrong)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_passages_a_reader_needs_reach_the_page(name: str):
    page = page_of(name)
    lost = [s for s in EXPECTED[name].get("survive", []) if fold(s) not in page]
    assert not lost, f"{name}: not on the page: {lost}"
    twice = [s for s in EXPECTED[name].get("once", []) if page.count(fold(s)) != 1]
    assert not twice, f"{name}: not on the page exactly once: {twice}"


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n].get("removed")])
def test_clutter_leaves_the_page_and_is_reported(name: str):
    page = page_of(name)
    left = [w for w in EXPECTED[name]["removed"] if fold(w) in page]
    assert not left, f"{name}: clutter on the page: {left}"
    # what left the page went on purpose: the removal report names it (or the page's table)
    doc = heldout(name)
    report = fold(" ".join(r.text for r in doc.removed))
    unreported = [w for w in EXPECTED[name]["removed"] if fold(w) not in report]
    assert not unreported, f"{name}: removed without a report: {unreported}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_title_is_empty_an_addressee_or_shorter_than_four_characters(name: str):
    title = heldout(name).meta.get("title") or ""
    assert len(title.strip()) >= 4, f"{name}: title {title!r}"
    assert not title.rstrip().endswith(("：", ":")), f"{name}: an addressee line: {title!r}"


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if EXPECTED[n].get("issuers")])
def test_a_joint_document_names_every_issuer(name: str):
    assert [fold(i) for i in heldout(name).meta.get("issuers", [])] == [
        fold(i) for i in EXPECTED[name]["issuers"]
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nothing_is_lost_but_reported_clutter(name: str):
    """Conservation, as tests/test_conservation.py holds it over sources/."""
    assert_conserved(heldout(name), HELDOUT / name)
