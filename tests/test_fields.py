"""The field registry (scripts/core/fields.py): a field is defined once, and the card, the CSV
export, the feed, the sidecar and the front matter's order all read it.

The first test adds a field the way a maintainer would (a `Field` in the registry and one function
decorated with `derives`) and finds it on the card (the real template, drawn by Jinja as MkDocs
draws it), in documents.csv and in the Atom feed of a real document."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from lxml import etree

from scripts.archive.documents import Archive
from scripts.core import fields
from scripts.core.fields import Card, Field
from scripts.ingest import sidecar
from scripts.ingest.convert import convert_file
from scripts.pages import export, web
from scripts.site import search_index

from .conftest import ROOT, SOURCES

SOURCE = SOURCES / "2023-hengyang-zhengxie-291-hao-tian-dafu.txt"
ATOM = "{http://www.w3.org/2005/Atom}"


def draw_card(meta: dict) -> str:
    """overrides/partials/document-card.html, drawn with what the hook gives it."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides" / "partials"))
    env.filters["url"] = lambda value: value
    page = SimpleNamespace(
        meta=meta,
        canonical_url="https://example.org/doc/x/",
        archive=SimpleNamespace(
            crumbs=[], citation="", card=web.card_rows(meta), source_file="", jumps=[], contents=[]
        ),
    )
    return env.get_template("document-card.html").render(page=page)


@pytest.fixture
def paragraphs_field(monkeypatch):
    """A new field: how many paragraphs the text has, on the card as 段落数, a CSV column and a
    category of the feed's entry."""
    field = Field(
        "paragraphs",
        "how many paragraphs the text has",
        column=True,
        cards=(Card("段落数", 95),),
        feed="category",
    )
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS, field))
    monkeypatch.setattr(fields, "DERIVERS", dict(fields.DERIVERS))

    @fields.derives("paragraphs")
    def paragraphs(facts: dict, text: str, sidecar: dict, out: dict) -> int:
        return sum(1 for line in text.splitlines() if line.strip())

    return paragraphs


def test_a_field_added_to_the_registry_shows_on_the_card_in_the_csv_and_in_the_feed(
    paragraphs_field,
):
    doc = convert_file(SOURCE)
    meta = doc.meta
    count = meta["paragraphs"]
    assert count > 5
    assert list(meta).index("paragraphs") > list(meta).index("added")  # the registry's order

    card = draw_card(meta)
    assert f"<div><dt>段落数</dt><dd>{count}</dd></div>" in card
    assert card.index("<dt>文种</dt>") < card.index("<dt>段落数</dt>")  # its rank: 95

    files = export.export_files(Archive(ROOT, documents=[doc]))
    rows = list(csv.DictReader(io.StringIO(files["export/documents.csv"].lstrip("\ufeff"))))
    assert rows[0]["paragraphs"] == str(count)
    assert list(rows[0])[-3:] == ["paragraphs", "url", "source_url"]
    assert "`paragraphs`" in files["export/index.md"]

    kept = {k: meta[k] for k in fields.feed_keys() if k in meta}  # what the hook keeps for it
    feed = etree.fromstring(web.atom_feed([kept], "https://example.org/", "文库").encode())
    categories = feed.findall(f"{ATOM}entry/{ATOM}category")
    assert [(c.get("term"), c.get("label")) for c in categories if c.get("label")] == [
        (str(count), "段落数")
    ]


def test_without_the_new_field_nothing_shows_it():
    doc = convert_file(SOURCE)
    assert "paragraphs" not in doc.meta
    assert "段落数" not in draw_card(doc.meta)
    assert "paragraphs" not in export.document_columns()


def test_the_card_draws_every_row_as_before():
    """The rows of the registry, in their order, with each kind's markup."""
    doc = convert_file(SOURCE)
    card = draw_card({**doc.meta, "status": "现行有效"})
    labels = [
        label for label in ("文号", "发文机关", "成文日期", "层级", "文种", "来源", "抓取日期")
    ]
    shown = [label for label in labels if f"<dt>{label}</dt>" in card]
    assert shown == sorted(shown, key=card.index)
    assert f'<dd><time datetime="{doc.meta["date"]}">' in card
    assert '<dd class="doc-card__number">' in card if doc.meta.get("doc_number") else True


def test_the_sidecar_accepts_the_overrides_the_registry_names():
    assert list(sidecar.OVERRIDES) == [f.key for f in fields.overridable()]
    for key, spec in sidecar.OVERRIDES.items():
        assert spec.meaning == fields.by_key()[key].override.meaning


class Reading(dict):
    """A document's metadata that records which keys are read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_the_search_reads_the_fields_the_registry_says_it_reads():
    doc = convert_file(SOURCE)
    markdown = "\n\n".join(block.text for block in doc.blocks)
    read: set[str] = set()
    # a place by its code, and one by its name alone (a region the gazetteer lacks)
    for meta in (dict(doc.meta), {**doc.meta, "region_code": ""}):
        meta = Reading({**meta, "cites": [{"doc_number": "衡政发〔2020〕1号"}]})
        found = web.search_fields(meta, markdown)
        search_index.document_record("/doc/x/", meta, markdown, found)
        read |= meta.read
    assert read & set(fields.keys()) == set(fields.search_keys())


def test_every_key_the_pipeline_writes_is_a_field():
    """The front matter of every page under docs/doc/ holds only the registry's keys."""
    import yaml

    seen: set[str] = set()
    for page in sorted((ROOT / "docs" / "doc").glob("*.md")):
        head = page.read_text(encoding="utf-8").split("---\n", 2)[1]
        seen |= set(yaml.safe_load(head))
    assert seen - set(fields.keys()) == set()


def test_the_validity_stage_writes_its_fields_in_the_registrys_order():
    from scripts.archive.validity import VALIDITY_KEYS

    assert VALIDITY_KEYS[:4] == ("status", "status_evidence", "in_force_from", "valid_until")
    assert set(VALIDITY_KEYS) == {f.key for f in fields.FIELDS if f.by == "validity"}


def test_a_card_row_without_a_value_keeps_its_place_empty(tmp_path: Path):
    rows = web.card_rows({"title": "x"})
    assert len(rows) == len(fields.card_rows()) and rows == [None] * len(rows)
