"""The Atom feed, strictly: RFC 4287's grammar (tests/data/atom.rng, validated by lxml), the rules
a grammar cannot say, and what the feed promises: what the archive added, newest first, each dated
the day its sidecar says it was added."""

from __future__ import annotations

import copy

import pytest
import yaml
from lxml import etree

from .conftest import ROOT, SOURCES, imported_ids

ATOM = "{http://www.w3.org/2005/Atom}"
GRAMMAR = ROOT / "tests" / "data" / "atom.rng"


def rfc4287_problems(feed: etree._Element) -> list[str]:
    """RFC 4287's rules: the grammar, then those it cannot express (sections 4.1.1 and 4.1.2)."""
    grammar = etree.RelaxNG(etree.parse(str(GRAMMAR)))
    problems = (
        [f"line {e.line}: {e.message}" for e in grammar.error_log]
        if not grammar.validate(etree.ElementTree(feed))
        else []
    )
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author") is None:
        problems += [
            f"entry {e.findtext(f'{ATOM}id')} has no author and neither has the feed"
            for e in entries
            if e.find(f"{ATOM}author") is None
        ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    problems += [
        f"entry id {i} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    for owner in [feed, *entries]:
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in owner.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if len(alternates) != len(set(alternates)):
            problems.append(
                f"{owner.findtext(f'{ATOM}id')}: two alternate links of one type and language"
            )
        if owner is not feed and owner.find(f"{ATOM}content") is None and not alternates:
            problems.append(
                f"entry {owner.findtext(f'{ATOM}id')} has neither content nor an alternate link"
            )
    return problems


@pytest.fixture(scope="module")
def feed(site) -> etree._Element:
    return etree.parse(str(site / "feed.xml")).getroot()


def added_dates() -> dict[str, str]:
    """Each document's id → the day its sidecar says the archive added it."""
    dates = {}
    left_out = imported_ids()  # not in the session's site (conftest.copy_project)
    for path in sorted(SOURCES.glob("*.yml")):
        if path.stem in left_out:
            continue
        sidecar = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        if sidecar.get("added"):
            dates[sidecar.get("id", path.stem)] = sidecar["added"]
    return dates


def test_the_feed_is_valid_atom(feed):
    assert rfc4287_problems(feed) == []


def test_the_check_finds_a_feed_without_author_or_date(feed):
    broken = copy.deepcopy(feed)
    broken.remove(broken.find(f"{ATOM}author"))
    broken.find(f"{ATOM}entry").find(
        f"{ATOM}updated"
    ).text = "2024-04-17"  # a date, not a date-time
    for entry in broken.findall(f"{ATOM}entry"):
        for author in entry.findall(f"{ATOM}author"):
            entry.remove(author)
    problems = rfc4287_problems(broken)
    assert any("has no author" in p for p in problems)
    assert any("updated" in p or "dateTime" in p or "Type" in p for p in problems), problems


def entry_document(entry) -> str:
    """The id of the document an entry is about: its page's, before a status line's #validity-…"""
    return entry.findtext(f"{ATOM}id").split("#")[0].rstrip("/").split("/")[-1]


def is_status_line(entry) -> bool:
    return entry.find(f"{ATOM}category").get("term") == "效力变化"


def test_entries_are_what_the_archive_added_newest_first_dated_when_added(feed):
    added = added_dates()
    assert added, "the sidecars record when each document was added"
    entries = [
        (entry_document(e), e.findtext(f"{ATOM}updated"))
        for e in feed.findall(f"{ATOM}entry")
        if not is_status_line(e)
    ]
    assert {doc_id for doc_id, _ in entries} == set(added)
    for doc_id, updated in entries:
        assert updated == f"{added[doc_id]}T00:00:00Z", doc_id
    every = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    assert every == sorted(every, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == max(every)
    assert not feed.findtext(f"{ATOM}updated").startswith("1970")


def test_a_status_that_changed_is_a_line_of_its_own_dated_when_the_archive_could_tell(feed, site):
    """A repealed, revised or lapsed document (scripts/archive/validity.py) has a second entry:
    its status, pointing at its 效力与版本 section, dated no earlier than the day it was added.
    The statuses are those of the site's own build (its archive's date is its own newest)."""
    added = added_dates()
    statuses = {}
    for path in (site.parent / "docs" / "doc").glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        statuses[meta["id"]] = meta.get("status")
    changed = {d for d in added if statuses.get(d) in ("已废止", "已修订", "已失效")}
    assert changed, "some of the archive's own documents are repealed, revised or lapsed"
    lines = [e for e in feed.findall(f"{ATOM}entry") if is_status_line(e)]
    assert {entry_document(e) for e in lines} == changed
    for entry in lines:
        doc_id = entry_document(entry)
        assert entry.findtext(f"{ATOM}title").startswith(statuses[doc_id] + "：")
        assert entry.find(f"{ATOM}link").get("href").endswith(f"/doc/{doc_id}/#validity")
        assert entry.findtext(f"{ATOM}updated") >= f"{added[doc_id]}T00:00:00Z"


def test_each_entry_names_its_issuer_and_the_feed_the_archive(feed, site):
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "县域经济政策文库"
    issuers = {}
    for path in (ROOT / "docs" / "doc").glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        # the issuer, else the site the copy came from (as a citation names it)
        issuers[meta["id"]] = meta.get("issuer") or (meta.get("source") or {}).get("site")
    for entry in feed.findall(f"{ATOM}entry"):
        doc_id = entry_document(entry)
        names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
        assert names == ([issuers[doc_id]] if issuers[doc_id] else []), doc_id


def test_a_document_without_an_added_date_is_no_news():
    from scripts.pages.web import atom_feed

    metas = [
        {"id": "a", "title": "甲", "date": "2024-01-01", "added": "2025-02-01"},
        {"id": "b", "title": "乙", "date": "2025-06-01"},  # an old document, never dated as added
        {"id": "c", "title": "丙", "source": {"retrieved": "2025-03-01"}},
    ]
    feed = etree.fromstring(atom_feed(metas, "https://example.org/", "文库").encode())
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        "https://example.org/doc/c/",
        "https://example.org/doc/a/",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2025-03-01T00:00:00Z"
    assert rfc4287_problems(feed) == []
