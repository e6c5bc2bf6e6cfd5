"""What the website adds around a document's Markdown: place breadcrumb, search fields, feed.

The MkDocs hook (overrides/hooks/archive.py) only calls these functions; everything that takes
some thought about Chinese text lives here, where it can be tested without building a site.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..core import fields
from ..core.chars import NOT_TEXT
from ..core.docnumber import LOOSE, SERIAL_NUMERAL, DocNumber, organ_key
from ..core.numerals import numeral_value
from ..core.places import Place, gazetteer, place_pinyin, url_path
from ..core.script import to_simplified
from ..core.slug import _jieba
from ..speed import memo

LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级"}


# --- places -------------------------------------------------------------------------------


def place_chain(code: str) -> list[Place]:
    """湖南省 → 衡阳市 → 衡南县 for '430422'; [] for an unknown code or 全国 (000000)."""
    places = gazetteer()
    chain: list[Place] = []
    place = places.get(str(code or ""))
    while place is not None and len(chain) < 4:
        chain.append(place)
        place = places.get(place.parent)
    return chain[::-1]


def place_url(chain: list[Place]) -> str:
    """Where the place pages live (issue 4): /hunan/hengyang/hengnan/ → 'hunan/hengyang/hengnan/'."""
    return url_path(chain[-1]) if chain else ""


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str  # site-relative URL of the place's page, "" while there is none


def breadcrumb(meta: dict, page_urls: set[str]) -> list[Crumb]:
    """The document's place as a breadcrumb, linked where a place page exists.

    The places stage (issue 4) puts the chain in the front matter as `place_path`; until a
    document has one, the chain comes from its region_code and the gazetteer.
    """
    if meta.get("place_path"):
        return [
            Crumb(p["name"], p.get("url", "") if p.get("url", "") in page_urls else "")
            for p in meta["place_path"]
        ]
    if meta.get("region_code") == "000000":
        return [Crumb("全国", "")]
    chain = place_chain(meta.get("region_code", ""))
    if not chain:
        return [Crumb(meta["region"], "")] if meta.get("region") else []
    crumbs = [Crumb("全国", "quanguo/" if "quanguo/" in page_urls else "")]  # as place pages start
    for i in range(len(chain)):
        url = place_url(chain[: i + 1])
        crumbs.append(Crumb(chain[i].name, url if url in page_urls else ""))
    return crumbs


# --- search ---------------------------------------------------------------------------------


def docnumber_token(code: str, year: int | str, serial: int | str) -> str:
    """One ASCII word for a 文号, however it was typed: 衡政办发〔2024〕5号 → '8861653f529e53d1y2024n5h'.

    A 文号 is written with brackets of any kind, or none; this token is matched whole, whichever
    way it was written or typed. The issuer code is written as the hex code points of its simplified
    characters, which the browser computes from the query without a dictionary
    (docs/assets/search/query.js does the same, with the t2s table below). 'h' ends the serial, as in
    series_token: the token of 衡政办发〔2024〕5号 is not the start of 衡政办发〔2024〕51号's.
    """
    hexed = "".join(f"{ord(ch):x}" for ch in to_simplified(code))
    return f"{hexed}y{int(year)}n{int(serial)}h"


def series_token(organ: str, series: str, year: int | str | None, serial: int | str) -> str:
    """One ASCII word for a decree's or a 公告's number, however it was typed: 江西省人民政府令第232号
    → '6c5f897f77014eba6c11653f5e9cl232h', …公告2019年第39号 → '…g2019n39h'.

    The organ is written as the hex code points of its key (docnumber.organ_key: 江西省政府 and
    江西省人民政府 alike), so that an organ typed with less of its name is the end of the word:
    省政府令第232号 gives '77014eba6c11653f5e9cl232h', 令第232号 'l232h', and the search index,
    which finds a word by its pairs of characters, finds them in the decree's word. 'h' ends
    the serial: l232h is not in l2320h.
    """
    hexed = "".join(f"{ord(ch):x}" for ch in organ_key(organ)) if organ else ""
    mark = "l" if series == "令" else f"g{year or ''}n"
    return f"{hexed}{mark}{int(serial)}h"


# The shape of every token above: a 文号's (…y2024n5h), a decree's (…l232h), a 公告's (…g2019n39h)
NUMBER_TOKEN = re.compile(r"^[0-9a-f]*(?:y\d+n\d+|l\d+|g\d*n\d+)h$")


def number_token(number: DocNumber) -> str:
    if number.series:
        return series_token(number.issuer_code, number.series, number.year, number.serial)
    assert number.year is not None  # a 文号 without a series has its year
    return docnumber_token(number.issuer_code, number.year, number.serial)


def docnumber_tokens(text: str) -> list[str]:
    """Tokens of every 文号, decree's and 公告's number written in `text`, in order of appearance,
    without repeats."""
    return list(dict.fromkeys(number_token(n) for n, _, _ in DocNumber.find_all(text)))


def loose_docnumber_token(query: str) -> str | None:
    """The token of a loosely typed 文号 ('衡政办发2024 5号'); mirrors the JavaScript."""
    m = LOOSE.search(query)
    return docnumber_token(m["code"], m["year"], m["serial"]) if m else None


# A decree's or a 公告's number as a reader types it (docs/assets/search/query.js has the same):
# 江西省人民政府令第232号, 省政府令（第232号）, 国务院令588号, 232号令, 省政府第232号令,
# 财政部公告2019年第39号. The organ is whatever Han characters stand before it, or none.
SERIES_QUERY = re.compile(
    rf"(?P<organ>[\u3400-\u4dbf\u4e00-\u9fff]*?)\s*(?:"
    rf"令\s*[（(]?\s*(?:第\s*(?P<a>{SERIAL_NUMERAL})\s*[号號]?|(?P<b>{SERIAL_NUMERAL})\s*[号號])\s*[）)]?"
    rf"|第?\s*(?P<c>{SERIAL_NUMERAL})\s*[号號]\s*令"
    rf"|公告\s*(?P<year>(?:19|20)\d{{2}})\s*年?\s*第?\s*(?P<d>{SERIAL_NUMERAL})\s*[号號]?)"
)


def loose_series_tokens(query: str) -> list[str]:
    """The tokens to try for a loosely typed decree's or 公告's number, best first: with the organ
    typed, then without it (a word before the organ, 查询省政府令第232号, is no organ's name)."""
    m = SERIES_QUERY.search(to_simplified(query))
    if m is None:
        return []
    series = "公告" if m["d"] else "令"
    serial = numeral_value(m["a"] or m["b"] or m["c"] or m["d"])
    tokens = [series_token(m["organ"], series, m["year"], serial)]
    if m["organ"]:
        tokens.append(series_token("", series, m["year"], serial))
    return tokens


# The pinyin of titles and places is remembered across builds (memo.py): the worker that
# converts a new document computes it (scripts/pipeline/convert_many.py), `scripts build` makes sure of
# every document's (warm_search_words), and the site build then loads neither jieba nor CC-CEDICT.
# A field's pinyin is written as syllables joined by "'" ("heng'nan'xian"), runs of it apart by a
# space: search matches a pinyin query only on whole syllables (changsha is not chang + sha of
# 增长 and 沙 apart), so the index needs to know where each syllable starts and ends.
SYLLABLE, RUN = "'", " "
HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]+)")


def title_syllables(text: str) -> str:
    """衡南县实施“八大行动” → "heng'nan'xian'shi'shi'ba'da'xing'dong": a title's pinyin, read a
    jieba word at a time (a word gives a character its reading: 长沙 cháng, 增长 zhǎng); a run
    ends where the title has something else than Han characters."""
    return memo.remembered("title-syllables", text, lambda: _title_syllables(text))


def _title_syllables(text: str) -> str:
    from pypinyin import (
        lazy_pinyin,  # here: `python -m scripts build` imports this module, never calls this
    )

    runs: list[list[str]] = [[]]
    for word in _jieba().cut(to_simplified(text)):
        for part in HAN_RUN.split(word):
            if not part:
                continue
            for syllable in lazy_pinyin(part) if HAN_CHAR.match(part) else [""]:
                if syllable.isascii() and syllable.isalpha():
                    runs[-1].append(syllable.lower())
                elif runs[-1]:  # anything else (digits, letters, a character without a reading)
                    runs.append([])
    return RUN.join(SYLLABLE.join(run) for run in runs if run)


def place_syllables(meta: dict) -> list[str]:
    """The pinyin of the document's places, one field each, by their official readings (and by
    pypinyin's, where they differ): ["hu'nan'sheng", "heng'yang'shi", "heng'nan'xian"]."""
    code = str(meta.get("region_code", ""))
    return memo.remembered("place-syllables", code, lambda: _place_syllables(code))


def _place_syllables(code: str) -> list[str]:
    from pypinyin import lazy_pinyin

    fields: list[str] = []
    for place in place_chain(code):
        fields.append(SYLLABLE.join(place_pinyin(place.name)))
        fields.append(SYLLABLE.join(s.lower() for s in lazy_pinyin(place.name)))
    return list(dict.fromkeys(f for f in fields if f))


# A link the pipeline wrote: its [ is not escaped (a [ of the source's text is, and so is any ] in it).
OWN_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\([^)]*\)(?:\{:[^}\n]*\})?")
MARKUP_LINE = re.compile(r"^\{:[^}]*\}\s*$", re.MULTILINE)
HEADING_ID = re.compile(r"\s*\{#[^}]*\}\s*$", re.MULTILINE)


# The banner under a repealed document's title (pages/validity_pages.py): the archive's words,
# not the document's, so neither its description nor its search text
BANNER = re.compile(r"^[^\n]*\n\{:[^}\n]*\.status-banner[^}\n]*\}[ \t]*$", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """The readable text of a generated page's Markdown (attr_list lines, ids, escapes dropped;
    the status banner, which is not the document's text, too)."""
    markdown = BANNER.sub("", markdown)
    text = re.sub(
        r"^```[^\n]*\n.*?^```[ \t]*$", "", markdown, flags=re.MULTILINE | re.DOTALL
    )  # diagrams: markup, not text
    text = re.sub(
        r"</?[a-zA-Z][^<>]*>", "", text
    )  # raw tags of appended sections (source text is escaped)
    text = MARKUP_LINE.sub("", text)
    text = HEADING_ID.sub("", text)
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    text = OWN_LINK.sub(r"\1", text)  # a link, and its own attr list
    text = re.sub(r"(?<!\\)\*\*", "", text)  # our bold; a * of the text is escaped
    text = re.sub(r"\\(.)", r"\1", text)
    return html.unescape(text)


@dataclass(frozen=True)
class SearchFields:
    """What the search index adds to a document so that readers find it in their own words
    (scripts/site/search_index.py)."""

    pinyin: list[
        str
    ]  # the title's and the places' pinyin, syllables joined by "'" (title_syllables)
    own_number: str  # token of the document's own 文号 (in its head: ranked first)
    cited_numbers: str  # tokens of the 文号 it mentions
    filters: dict[str, list[str]]
    meta: dict[str, str]


def warm_search_words(metas) -> None:
    """Compute (or find in the memo) the pinyin of these documents' titles and places."""
    for meta in metas:
        title_syllables(meta.get("title", ""))
        place_syllables(meta)


# The sections the archive appends to a document's page (relations, diagram, targets): not its text.
APPENDED_SECTION = re.compile(
    r"^## [^\n]*\{#(?:relations|relation-graph|targets)\}\s*$", re.MULTILINE
)


def own_markdown(markdown: str) -> str:
    """A document page's Markdown up to the sections the archive appends to it."""
    return APPENDED_SECTION.split(markdown, 1)[0]


# The search's filters: each by its name in the address (?year=2019) and in the index (=年份:2019)
SEARCH_FILTERS = {"level": "级别", "place": "地区", "year": "年份", "type": "文种"}


def search_fields(meta: dict, markdown: str) -> SearchFields:
    # its own text: the numbers of the documents citing it, listed under 文件关系, are not its own
    text = plain_text(own_markdown(markdown))
    pinyin = [title_syllables(meta.get("title", "")), *place_syllables(meta)]
    own = docnumber_tokens(meta.get("doc_number", ""))
    # as written in the text, and as the references stage named them (省政府令 → 江西省人民政府令)
    cites = " ".join(str(c.get("doc_number", "")) for c in meta.get("cites") or [])
    cited = [t for t in docnumber_tokens(text + "\n" + cites) if t not in own]
    places = [p.name for p in place_chain(meta.get("region_code", ""))] or (
        [meta["region"]] if meta.get("region") else []
    )
    values = {
        "level": [LEVEL_NAMES[meta["level"]]] if meta.get("level") in LEVEL_NAMES else [],
        "place": places,
        "year": [meta["date"][:4]] if meta.get("date") else [],
        "type": [meta["doc_type"]] if meta.get("doc_type") else [],
    }
    filters = {SEARCH_FILTERS[param]: values[param] for param in SEARCH_FILTERS}
    shown = {
        "place": " › ".join(places),
        "date": meta.get("date", ""),
        "number": meta.get("doc_number", ""),
    }
    return SearchFields(
        pinyin=[p for p in pinyin if p],
        own_number=" ".join(own),
        cited_numbers=" ".join(cited),
        filters={k: v for k, v in filters.items() if v},
        meta={k: v for k, v in shown.items() if v},
    )


@lru_cache(maxsize=1)
def t2s_table() -> str:
    """Traditional → simplified, one character each, as a string of pairs '們们個个…'.

    Only the CJK Unified Ideographs block, where readers type: ~3,500 pairs, 15 KB gzipped,
    loaded by the search box the first time a query contains Chinese.
    """
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    # one call, a character a line: none of OpenCC's phrases spans a line break, so each character
    # converts as it does alone (tests/test_t2s_table.py), in a twentieth of the time (0.1 s)
    converted = to_simplified("\n".join(chars)).split("\n")
    return "".join(
        ch + simple
        for ch, simple in zip(chars, converted, strict=True)
        if simple != ch and len(simple) == 1
    )


def t2s_script() -> str:
    return (
        "// generated by scripts/pages/web.py from OpenCC's t2s table; do not edit\n"
        f"window.ARCHIVE_T2S = {json.dumps(t2s_table(), ensure_ascii=False)};\n"
    )


# --- page description, citation -------------------------------------------------------------


def first_paragraph(markdown: str, minimum: int = 20) -> str:
    blocks = re.split(r"\n\s*\n", markdown)
    for block in blocks:
        if block.lstrip().startswith("#") or re.search(
            r"\{:[^}]*\.(?:letter-|doc-title|subtitle|status-banner)", block
        ):
            continue
        text = plain_text(block).strip()
        if len(text) >= minimum:
            return re.sub(r"\s*\n\s*", " ", text)
    return ""


@dataclass(frozen=True)
class CardRow:
    label: str
    shown_as: str  # core/fields.py Card: how overrides/partials/document-card.html draws it
    value: object


def card_rows(meta: dict) -> list[CardRow | None]:
    """The document card's rows, one per card of the field registry (core/fields.py) in its
    order; None where the document has no value (the template keeps its place)."""
    rows: list[CardRow | None] = []
    for field, card in fields.card_rows():
        value = meta.get(field.key)
        if card.part:
            value = (value or {}).get(card.part)
        if card.shown_as == "level":
            value = LEVEL_NAMES.get(value or "", "")
        elif card.shown_as == "status":
            value = status_card(meta)
        elif card.shown_as == "source":
            value = value if value and (value.get("site") or value.get("url")) else None
        rows.append(CardRow(card.label, card.shown_as, value) if value else None)
    return rows


def add_description(meta: dict, markdown: str) -> None:
    """A document page's description, unless its front matter gives one."""
    meta.setdefault("description", description(meta, markdown))


def description(meta: dict, markdown: str, limit: int = 110) -> str:
    """A line for search engines and link previews: who, which number, when, then the opening."""
    head = "".join(meta.get(k, "") for k in ("issuer", "doc_number"))
    if meta.get("date"):
        head += f"（{meta['date']}）"
    opening = first_paragraph(markdown)
    text = f"{head}：{opening}" if head and opening else head or opening
    return text if len(text) <= limit else text[: limit - 1] + "…"


def citation_head(meta: dict, site_name: str) -> str:
    """A GB/T 7714-2015 reference to an electronic resource, up to its date:
    责任者. 题名: 文号[EB/OL]. (更新或修改日期). The page adds [引用日期] and its canonical URL.

    The title and the 文号 are those of one document: a 印发 notice's number is the notice's, so
    it goes with the notice's title. Someone is always responsible: the issuer, else the site that
    published a news item or an interpretation, else this archive, which published the copy cited.
    Without a date of its own the document is dated when its page first appeared (`published`
    line of a news page, else the day the archive added it)."""
    source = meta.get("source") or {}
    author = meta.get("issuer") or source.get("site") or site_name
    number = meta.get("doc_number") or ""
    title = (meta.get("full_title") if number else "") or meta.get("title", "")
    date = str(meta.get("date") or meta.get("published") or meta.get("added") or "")
    head = f"{author}. {title}" + (f": {number}" if number else "") + "[EB/OL]. "
    return head + (f"({date})" if date else "")


# --- validity on the card ----------------------------------------------------------------------

STATUS_CSS = {
    "现行有效": "in-force",
    "已修订": "revised",
    "已废止": "repealed",
    "已失效": "lapsed",
    "尚未施行": "not-yet",
    "未知": "unknown",
}
# what the card says after the status, by the kind of evidence (archive/evidence.py kinds)
CARD_WORDS = {
    "废止": "由《{title}》废止",
    "部分废止": "《{title}》废止其部分内容",
    "代替": "由《{title}》代替",
    "修订": "由《{title}》修订",
    "失效": "由《{title}》宣布失效",
    "继续有效": "《{title}》列为继续有效",
    "同名新版": "有新版本《{title}》",
    "施行": "自 {date} 起施行",
    "有效期": "有效期至 {until}",
    "编者更正": "施行日期或有效期经编者更正",
}


@dataclass(frozen=True)
class StatusCard:
    """The card's 效力 line (overrides/partials/document-card.html): the status, what says so, and
    where: `href` is site-relative ('doc/<id>/#p3') or this page's '#p3', for the `url` filter."""

    label: str
    css: str
    summary: str
    href: str
    quote: str


def status_card(meta: dict) -> StatusCard | None:
    status = meta.get("status")
    if not status:
        return None
    ev = meta.get("status_evidence") or {}
    words = CARD_WORDS.get(ev.get("kind", ""), "")
    summary = words.format(
        title=ev.get("title", ""),
        date=ev.get("date", ""),
        until=meta.get("valid_until", ""),
    )
    if status == "已失效" and ev.get("kind") == "有效期":
        summary = f"有效期至 {meta.get('valid_until', '')}，已失效"
    if ev.get("date") and ev.get("kind") in ("废止", "部分废止", "代替", "修订", "失效"):
        summary += f"（{ev['date']} 起）"
    anchor = ev.get("anchor", "")
    if ev.get("document"):
        href = f"doc/{ev['document']}/" + (f"#{anchor}" if anchor else "")
    else:
        href = f"#{anchor}" if anchor else ""
    return StatusCard(status, STATUS_CSS.get(status, "unknown"), summary, href, ev.get("quote", ""))


# --- feed ------------------------------------------------------------------------------------


def added_key(meta: dict) -> tuple[str, str]:
    """Newest first: the day the archive added it (the sidecar's `added`, else `retrieved`)."""
    source = meta.get("source") or {}
    when = str(meta.get("added") or source.get("retrieved") or "")
    return (when, meta.get("id", ""))


# Statuses whose change is news: the archive learnt that a document no longer stands as it was.
STATUS_NEWS = ("已废止", "已修订", "已失效")


def status_changes(metas: list[dict]) -> list[dict]:
    """A feed entry for each document the archive's evidence shows repealed, revised or lapsed,
    dated the day the archive could tell: the later of the day it added the document and the day
    it added the one that says so, or the day its own 有效期 ran out (all from the sidecars and
    the texts, so the feed stays reproducible)."""
    added = {m.get("id", ""): added_key(m)[0] for m in metas}
    changes = []
    for meta in metas:
        if meta.get("status") not in STATUS_NEWS:
            continue
        evidence = meta.get("status_evidence") or {}
        by = evidence.get("document", "")
        days = [added.get(meta["id"], ""), added.get(by, "") if by else evidence.get("date", "")]
        day = max((d for d in days if d), default="")
        if day:
            card = status_card(meta)
            changes.append({"meta": meta, "day": day, "summary": card.summary if card else ""})
    return changes


def atom_feed(metas: list[dict], site_url: str, site_name: str, limit: int = 50) -> str:
    """An Atom feed (RFC 4287) of what the archive added last, newest first, each dated when it was
    added; and, among them, a line for each document whose status changed (status_changes).
    Documents with no such date (no `added` or `retrieved` in their sidecar) are not news.
    Every date comes from the sidecars, so the feed is reproducible."""
    base = site_url.rstrip("/") + "/"
    dated = [m for m in metas if added_key(m)[0]]
    items = [(added_key(m), "", m) for m in dated]
    items += [((c["day"], c["meta"]["id"]), c["summary"], c["meta"]) for c in status_changes(metas)]
    newest = sorted(items, key=lambda item: (item[0], bool(item[1])), reverse=True)[:limit]
    updated = (
        newest[0][0][0] if newest else max((str(m.get("date") or "") for m in metas), default="")
    )
    esc = xml_text
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">',
        f"  <title>{esc(site_name)}：新收录的文件</title>",
        f'  <link rel="alternate" type="text/html" href="{esc(base)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{esc(base)}feed.xml"/>',
        f"  <id>{esc(base)}</id>",
        f"  <updated>{esc(_atom_time(updated))}</updated>",
        # the archive answers for the feed; each entry names its own issuer where it has one
        f"  <author><name>{esc(site_name)}</name><uri>{esc(base)}</uri></author>",
    ]
    for (day, _), change, meta in newest:
        url = f"{base}doc/{meta['id']}/"
        title, link, entry_id = meta.get("title", ""), url, url
        summary = meta.get("description") or ""
        if change:  # a status line: its own entry, pointing at the page's 效力与版本
            title = f"{meta['status']}：{title}"
            link, entry_id = f"{url}#validity", f"{url}#validity-{day}"
            summary = change
        author = meta.get("issuer") or (meta.get("source") or {}).get("site")
        lines += [
            "  <entry>",
            f"    <title>{esc(title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{esc(link)}"/>',
            f"    <id>{esc(entry_id)}</id>",
            f"    <updated>{esc(_atom_time(day))}</updated>",
        ]
        if author:
            lines.append(f"    <author><name>{esc(author)}</name></author>")
        category = "效力变化" if change else meta.get("doc_type")
        if category:
            lines.append(f'    <category term="{esc(category)}"/>')
        lines += feed_categories(meta, base)
        if summary:
            lines.append(f"    <summary>{esc(summary)}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def feed_categories(meta: dict, base: str) -> list[str]:
    """The fields the registry shows in the feed as categories (core/fields.py, feed="category"):
    their value, labelled as the card labels it, in a scheme named after the field."""
    lines = []
    for field in fields.feed_categories():
        if (value := meta.get(field.key)) not in (None, "", []):
            label = field.cards[0].label if field.cards else field.key
            lines.append(
                f'    <category scheme="{xml_text(base)}export/#{field.key}" '
                f'term="{xml_text(value)}" label="{xml_text(label)}"/>'
            )
    return lines


def xml_text(value: object) -> str:
    """Text as XML 1.0 takes it: escaped, and without the characters it forbids (a C0 control,
    U+FFFE …: core/chars.py NOT_TEXT), which the pipeline keeps out of every field already; this is
    the last guard of a file that is not XML at all with one of them."""
    return html.escape(NOT_TEXT.sub("", str(value)))


def _atom_time(day: str) -> str:
    day = day[:10] if re.match(r"\d{4}-\d{2}-\d{2}", day) else "1970-01-01"
    return f"{day}T00:00:00Z"


# --- a page's HTML on a phone ------------------------------------------------------------------

TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)
DATA_CELL = re.compile(r"<td\b")
ANY_TAG = re.compile(r"<[^>]+>")


def labelled_cells(page: str) -> str:
    """Each cell of a table with a header row says its column (data-label="成文日期"): on a
    narrow screen a row is drawn as a card, each value under its label (docs/assets/archive.css),
    so that no column is cut off at the screen's edge."""

    def label(table: re.Match) -> str:
        text = table[0]
        head, _, body = text.partition("</thead>")
        names = [
            html.escape(html.unescape(ANY_TAG.sub("", cell)).strip(), quote=True)
            for cell in HEADER_CELL.findall(head)
        ]
        if not body or not names:
            return text

        def row(found: re.Match) -> str:
            cells = iter(names)
            return DATA_CELL.sub(lambda m: f'<td data-label="{next(cells, "")}"', found[0])

        return head + "</thead>" + ROW.sub(row, body)

    return TABLE.sub(label, page)


DATE = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])")
UNTOUCHED = re.compile(r"<(pre|code|script|style|time|textarea)\b.*?</\1\s*>", re.DOTALL)


def unbroken_dates(page: str) -> str:
    """Dates in a page's text as <time> (which never breaks: 2022-04-14, not 2022-04-/14 in a
    narrow column), outside code, scripts and the diagrams' sources."""

    def dates(text: str) -> str:
        parts = re.split(r"(<[^>]*>)", text)
        for i in range(0, len(parts), 2):  # text between tags
            parts[i] = DATE.sub(r'<time datetime="\1">\1</time>', parts[i])
        return "".join(parts)

    out, at = [], 0
    for block in UNTOUCHED.finditer(page):
        out += [dates(page[at : block.start()]), block[0]]
        at = block.end()
    out.append(dates(page[at:]))
    return "".join(out)
