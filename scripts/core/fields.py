"""The front matter's fields, each defined once: its key and place in the order, whether a sidecar
may correct it, its column in documents.csv, its row on the document card, and whether the search
and the feed read it. Everything that lists fields reads them here:

- ingest/metadata.py writes the keys in this order (key_order), and calls the function a field
  registers with `@derives(key)` (metadata.py holds the ones of the pipeline's own fields);
- ingest/sidecar.py accepts `overrides:` for the fields with an `override` (their meaning and
  example are what `python -m scripts add --help` and CONTRIBUTING.md show);
- pages/export.py writes the `column` fields to documents.csv (archive.json holds every field);
- pages/web.py `card_rows` gives overrides/partials/document-card.html one row per `cards` entry,
  in the order of their rank; the template draws a row as its `shown_as` says;
- site/search_index.py keeps the `feed` fields of each page for the Atom feed (pages/web.py
  atom_feed): `read` ones are read by name, `category` ones are shown in each entry as a category
  with their card label;
- `search` says which fields the search index reads (pages/web.py search_fields,
  site/search_index.py document_record); tests/test_fields.py keeps that true.

To add a field shown on the card, in the CSV and in the feed: a `Field` below, and one function
that computes its value, decorated with `@derives("key")` in the ingest stage.

A document's intermediate facts (what a text's parts said on the way: `order_issuer`, `kickers`,
`signoff_date` …) are not fields: they stay in metadata.py's working dict and never reach the
front matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# A warning that begins so names a field the pipeline inferred rather than read (`add` lists them).
INFERRED = "inferred: "


@dataclass(frozen=True)
class Override:
    """A sidecar may set the field under `overrides:` (it wins over what the text was read to say)."""

    meaning: str
    example: str
    parse: str = "line"  # the name of ingest/sidecar.py's parser: line, doc_number, date, level, …


@dataclass(frozen=True)
class Card:
    """A row of the document card: its label, its place among the rows, and how it is drawn:
    text, number (the 文号's style), date (a <time>), level (its Chinese name), status (the
    validity stage's label and evidence), source (the site, linked). `part` draws one key of a
    field that is a mapping (source's retrieved)."""

    label: str
    rank: int
    shown_as: str = "text"
    part: str = ""


@dataclass(frozen=True)
class Field:
    key: str
    meaning: str
    by: str = "ingest"  # the stage that writes it: ingest, relations, validity, places, site
    override: Override | None = None
    column: bool = False  # a column of documents.csv
    cards: tuple[Card, ...] = ()
    feed: str = ""  # "" (not in the feed), "read" (by name), "category" (shown as one)
    search: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", "stable ASCII identifier, the page's URL /doc/<id>/", column=True, feed="read"),
    Field(
        "title",
        "标题",
        override=Override("标题, the document's title", "衡南县实施“八大行动”总体方案"),
        column=True,
        feed="read",
        search=True,
    ),
    Field("title_inferred", "the title was put together from what the text says it is"),
    Field(
        "doc_number",
        "文号, or a 令's or 公告's number",
        override=Override(
            "文号, any bracket style; or a 令's or 公告's number (江西省人民政府令第232号)",
            "清政办函〔2024〕3号",
            "doc_number",
        ),
        column=True,
        cards=(Card("文号", 10, "number"),),
        search=True,
    ),
    Field(
        "issuer",
        "发文机关",
        override=Override("发文机关, the issuing body", "衡南县人民政府办公室"),
        column=True,
        cards=(Card("发文机关", 20),),
        feed="read",
        search=True,
    ),
    Field("issuers", "every organ of a joint document, the first being `issuer`"),
    Field(
        "date",
        "成文日期",
        override=Override("成文日期, the date it was signed", "2024-04-17", "date"),
        column=True,
        cards=(Card("成文日期", 30, "date"),),
        feed="read",
        search=True,
    ),
    Field(
        "doc_type",
        "文种",
        override=Override("通知, 方案, 计划, 答复, 报告, 解读, 报道 …", "方案"),
        column=True,
        cards=(Card("文种", 50),),
        feed="read",
        search=True,
    ),
    Field(
        "level",
        "national, province, city or county",
        override=Override("national, province, city or county", "county", "level"),
        column=True,
        cards=(Card("层级", 40, "level"),),
        search=True,
    ),
    Field(
        "region",
        "the place it governs or reports on",
        override=Override("the place it governs or reports on", "衡南县"),
        column=True,
        search=True,
    ),
    Field(
        "region_code",
        "that place's 6-digit code",
        override=Override("that place's 6-digit code, quoted", "'430422'", "region_code"),
        column=True,
        search=True,
    ),
    Field(
        "script",
        "zh-Hans or zh-Hant",
        override=Override("zh-Hans or zh-Hant", "zh-Hans", "script"),
        column=True,
    ),
    Field(
        "full_title",
        "the whole title of a 印发 notice (the archive files it under the plan it issues)",
        override=Override(
            "the full title of a 印发 notice", "衡南县人民政府办公室关于印发《…》的通知"
        ),
    ),
    Field("explains", "the 文号 of the document a 解读 explains"),
    Field(
        "published",
        "the publication line of a news page",
        override=Override("the publication line of a news page", "2021年02月03日"),
    ),
    Field("bylines", "a news page's bylines"),
    Field("index_no", "索引号, from a government page's table"),
    Field("topic", "主题分类, from a government page's table"),
    Field(
        "source",
        "where it was scraped: url, site, retrieved (from the sidecar)",
        cards=(Card("来源", 90, "source"), Card("抓取日期", 100, "date", part="retrieved")),
        feed="read",
    ),
    Field("added", "the day it entered the archive (the sidecar's)", feed="read"),
    Field("cites", "what it cites: 文号, title, target id", by="relations", search=True),
    # validity (archive/validity.py): written by the archive stage; the two dates may also come
    # from the sidecar, as a correction of what the text was read to say
    Field(
        "status",
        "现行有效, 已修订, 已废止, 已失效, 尚未施行 or 未知",
        by="validity",
        column=True,
        cards=(Card("效力", 60, "status"),),
        feed="read",
    ),
    Field("status_evidence", "the sentence that decides the status", by="validity", feed="read"),
    Field(
        "in_force_from",
        "施行日期",
        by="validity",
        override=Override(
            "施行日期, the day it takes effect, where the text's 施行 sentence was misread",
            "2019-07-21",
            "date",
        ),
        column=True,
        cards=(Card("施行日期", 70, "date"),),
    ),
    Field(
        "valid_until",
        "the last day of its 有效期",
        by="validity",
        override=Override(
            "the last day of its 有效期, where the text's 有效期 was misread", "2024-07-20", "date"
        ),
        column=True,
        cards=(Card("有效期至", 80, "date"),),
        feed="read",
    ),
    Field("repealed_by", "the documents that repeal it (ids)", by="validity"),
    Field("replaced_by", "the documents that replace it (ids)", by="validity"),
    Field("repeals", "what it repeals or replaces, shaped like `cites`", by="validity"),
    Field("versions", "the ids of its versions, oldest first", by="validity"),
    # written by the stages after validity, in this order
    Field("place_path", "the chain 全国 → … → its place (the card's breadcrumb)", by="places"),
    Field("mentions", "the places its text names", by="places"),
    Field("implements", "the documents it carries out (ids)", by="relations"),
    Field("implemented_by", "the documents that carry it out (ids)", by="relations"),
    Field("cited_by", "the documents that cite it (ids)", by="relations"),
    # not in the front matter: the hook's description of a page, for the feed and <meta>
    Field("description", "the page's first paragraph, cut short", by="site", feed="read"),
)

# The intermediate facts of a document, set by the functions that derive its fields
Derive = Callable[[dict, str, dict, dict], object]
DERIVERS: dict[str, Derive] = {}


def derives(key: str) -> Callable[[Derive], Derive]:
    """Registers the function that computes a field, called as f(facts, text, sidecar, out): the
    facts read on the way, the document's text, its sidecar and the fields computed so far. It
    returns the value, or None for none."""

    def register(function: Derive) -> Derive:
        DERIVERS[key] = function
        return function

    return register


def by_key() -> dict[str, Field]:
    return {f.key: f for f in FIELDS}


def keys(fields: tuple[Field, ...] | None = None) -> tuple[str, ...]:
    return tuple(f.key for f in (FIELDS if fields is None else fields))


def key_order() -> tuple[str, ...]:
    """The front matter's keys in their order."""
    return keys()


def columns() -> tuple[str, ...]:
    return tuple(f.key for f in FIELDS if f.column)


def feed_keys() -> tuple[str, ...]:
    return tuple(f.key for f in FIELDS if f.feed)


def feed_categories() -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.feed == "category")


def overridable() -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.override is not None)


def written_by(stage: str) -> tuple[str, ...]:
    return tuple(f.key for f in FIELDS if f.by == stage)


def card_rows() -> list[tuple[Field, Card]]:
    """Every card row, in its order."""
    rows = [(f, card) for f in FIELDS for card in f.cards]
    return sorted(rows, key=lambda row: row[1].rank)


def search_keys() -> tuple[str, ...]:
    return tuple(f.key for f in FIELDS if f.search)
