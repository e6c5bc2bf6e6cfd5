"""A record of a portal's search service (JSON) → the document's body, plus the facts its fields carry.

Government portals answer a search with one JSON object per document. Each system names its
fields its own way (`title` / `DOCTITLE` / `FileName`, `filenumber` / `docno` / `fileNum`, `fbjg` /
`publisher`, `compaltedate` / `PUBDATE` / `docpubtime`), so fields are recognised by family, from
the words in their names and the shape of their values, never by one system's list of keys:

1. `record_fields`: the object that holds the document (the top level, or the `data` object the
   service wraps it in), its string and number fields by name.
2. `record_facts`: title, 文号, issuer, site, date and URL from the fields of each family (a value
   cut short with "..." is a preview, not the title).
3. `record_body`: the body is the longest field of text; an HTML field (tags in it) is preferred,
   because its paragraphs survive, while a plain field is often the same text flattened into one
   line. A flattened body is split again where its paragraph indents and spacing runs stood.

What holds after `read_record`: the body is text with `\n` line ends (an HTML body went through
the saved-page reader of html_source.py), and the facts use the keys of an HTML page's metadata
table (title, doc_number, issuer, published, site, url), so the later stages treat both alike.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from ..core.chars import HAN
from ..core.docnumber import PATTERN as DOC_NUMBER
from ..core.docnumber import DocNumber
from ..core.errors import SourceError
from ..core.model import Removal

# Field families by the words in a field's name (lower case, "_" and "-" removed). A crawler's
# or dataset's column names are of the same families, in Chinese or English (标题/title,
# 发文字号/fwzh, 发布日期/publish_date/Release Time, 正文/content/full_text, 链接/source_url).
TITLE_KEYS = re.compile(
    r"title|subject|filename|^name$|biaoti|标题|名称|^wjbt$|^bt$|^wjmc$|^mc$|^zcmc$"
)
NOT_TITLE_KEYS = re.compile(
    r"py$|sp$|pinyin|url|type|id$|short"
)  # titlepy, titlesp: pinyin; shortsubject: a preview
NUMBER_KEYS = re.compile(
    r"filenum|docno$|^docnum|wenhao|fwzh|文号|文字号|fileno$|^wh$|^wjh$|^fwwh$|^docnumber$"
)
ISSUER_KEYS = re.compile(
    r"^fbjg$|^fwjg$|issuer|publisher|发文机关|发布机构|^vcsource$|^vcarea$|^author$|^source$|department|^dept"
)
SITE_KEYS = re.compile(r"sitename|sitedesc|webname|站点|网站")
DATE_KEYS = re.compile(
    r"compalte|complete|chengwen|成文|fwrq|cwrq|pubdate|pubtime|publishdate|publishtime|发布|^date$|fbrq|fbsj|createdate$|deploytime|releasetime|releasedate"
)
URL_KEYS = re.compile(r"url$|^link$|链接|^urlsource$")
# A field named for where the record came from holds its address when its value is one (来源,
# Policy Source); otherwise it names a site or an issuer.
SOURCE_KEYS = re.compile(r"来源|source$")
# The date families in the order they say when a document was made: 成文日期 before publication.
DATE_ORDER = (
    re.compile(r"compalte|complete|chengwen|成文|fwrq|cwrq"),
    re.compile(r"pub|publish|发布|fbrq|fbsj|^date$|release"),
    re.compile(r"create|deploy"),
)
HTML_TAG = re.compile(
    r"<(?:p|div|br|span|table|tr|td|font|strong|b|section|h\d)\b[^>]*>", re.IGNORECASE
)
PREVIEW = re.compile(r"(?:\.\.\.|…)$")
# an issuer named in translation: Latin words only ("Ministry of Natural Resources")
TRANSLATED_KEYS = re.compile(r"department|dept|issuer|publisher")  # (not a source: "Xinhua")
TRANSLATED = re.compile(r"[\s]*[A-Za-z][A-Za-z\s'’,.()&/-]*[A-Za-z)][\s]*")
BODY_MIN = 10  # characters: a notice may be two lines long
METADATA_KEYS = (TITLE_KEYS, NUMBER_KEYS, ISSUER_KEYS, SITE_KEYS, DATE_KEYS)
# What a column can be stated to hold (`import --columns title=标题,body=正文`); "-" states none.
ROLES = ("title", "doc_number", "issuer", "date", "body", "url", "site")
ROLE_FAMILIES = {
    "title": TITLE_KEYS,
    "doc_number": NUMBER_KEYS,
    "issuer": ISSUER_KEYS,
    "date": DATE_KEYS,
    "url": URL_KEYS,
    "site": SITE_KEYS,
}
NO_COLUMN = "-"


def read_record(
    text: str, path: Path, columns: dict[str, str] | None = None
) -> tuple[str, dict, list[Removal]]:
    """The JSON text of one record → (body text, facts, what reading the body dropped)."""
    return read_fields(record_fields(text, path), path, columns)


def read_fields(
    fields: dict[str, object], path: Path, columns: dict[str, str] | None = None
) -> tuple[str, dict, list[Removal]]:
    """A record's fields (a JSON object's, a CSV row's) → (body text, facts, what reading the body
    dropped). `columns` states the column of a role where the names do not tell (ROLES). The facts
    carry `hints`: each fact a field gave and its column, so that where the text says otherwise
    the text wins and the conflict is reported (ingest/convert.py)."""
    fields = flat_fields(fields)
    columns = columns or {}
    facts, used = record_facts(fields, columns)
    body, is_html, body_key = record_body(fields, path, columns)
    used["body"] = body_key
    facts["hints"] = {
        role: (used[role], facts[fact])
        for role, fact in (
            ("title", "title"),
            ("doc_number", "doc_number"),
            ("issuer", "issuer"),
            ("date", "published"),
        )
        if role in used and fact in facts
    }
    facts["columns_used"] = used
    if is_html:
        from .html_source import html_to_text

        body_text, found, dropped = html_to_text(body, path)
        for key, value in found.items():
            facts.setdefault(key, value)
        return body_text, facts, dropped
    return unflatten(html.unescape(body)), facts, []


def record_fields(text: str, path: Path) -> dict[str, object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        from .dump import read_broken_object

        data = read_broken_object(text)  # a bulk file's line whose HTML broke its JSON
        if data is None:
            raise SourceError(
                path,
                f"is not valid JSON ({err.msg})",
                line=err.lineno,
                fix="save the portal's record as it came, one JSON object per file",
            ) from err
    if isinstance(data, dict):  # a dump of one record: {"data": [{...}]}
        from .dump import is_wrapper

        arrays = [v for v in data.values() if isinstance(v, list) and v]
        if (
            len(arrays) == 1
            and len(arrays[0]) == 1
            and isinstance(arrays[0][0], dict)
            and is_wrapper(data)
        ):
            data = arrays[0]
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise SourceError(
            path, "holds no JSON object", fix="save one record (a JSON object) per file"
        )
    return flat_fields(data)


def flat_fields(data: dict) -> dict[str, object]:
    """The record's text and number fields. A service may wrap the document in an object of its own
    ("data": {...}): the object with most text is the record; the fields of the objects beside it
    ("metadata": {title, url, …} beside the "content") are added where it has none of that name."""
    candidates = [data] + [v for v in data.values() if isinstance(v, dict)]
    best = max(candidates, key=lambda d: sum(len(v) for v in d.values() if isinstance(v, str)))
    out: dict[str, object] = {
        str(k): v
        for k, v in best.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool)
    }
    for other in candidates:
        if other is best:
            continue
        for k, v in other.items():
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                out.setdefault(str(k), v)
    return out


def _name(key: str) -> str:
    return re.sub(r"[_\-\s.]", "", key).lower()


def _texts(
    fields: dict,
    family: re.Pattern,
    exclude: re.Pattern | None = None,
    role: str = "",
    columns: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(column, value) of the fields of a family; a stated column is its role's alone."""
    columns = columns or {}
    stated = columns.get(role)
    taken = {c for r, c in columns.items() if r != role}
    out = []
    for key, value in fields.items():
        name = _name(key)
        if stated is not None:
            matches = key == stated
        else:
            matches = (
                family.search(name) is not None
                and not (exclude and exclude.search(name))
                and key not in taken
            )
        if isinstance(value, str) and matches:
            value = html.unescape(value).strip()
            if value and value not in ("-", "无", "null", "None"):
                out.append((key, value))
    return out


def record_facts(fields: dict, columns: dict[str, str] | None = None) -> tuple[dict, dict]:
    """The facts the fields give, and the column each came from."""
    columns = columns or {}
    facts: dict = {}
    used: dict[str, str] = {}
    titles = [
        (k, v)
        for k, v in _texts(fields, TITLE_KEYS, NOT_TITLE_KEYS, "title", columns)
        if re.search(f"[{HAN}]", v) and not PREVIEW.search(v)
    ]
    if titles:
        values = [v for _, v in titles]
        best = max(titles, key=lambda kv: (values.count(kv[1]), len(kv[1])))
        used["title"], facts["title"] = best
    # a 〔year〕 文号, or a decree's or 公告's number (江西省人民政府令第232号, …公告2019年第39号)
    numbers = [
        (k, v)
        for k, v in _texts(fields, NUMBER_KEYS, None, "doc_number", columns)
        if DOC_NUMBER.search(v) or (("令" in v or "公告" in v) and DocNumber.find_series(v))
    ]
    if numbers:
        used["doc_number"], facts["doc_number"] = numbers[0]
    issuers = [
        (k, v)
        for k, v in _texts(fields, ISSUER_KEYS, None, "issuer", columns)
        if re.search(f"[{HAN}]", v) and not v.startswith("http")
    ]
    if issuers:
        # fbjg / publisher name the issuing organ; a source or area field only when nothing else does
        issuers.sort(
            key=lambda kv: (
                0 if re.search(r"fbjg|fwjg|issuer|publisher|发文机关|发布机构", _name(kv[0])) else 1
            )
        )
        used["issuer"], facts["issuer"] = issuers[0][0], issuers[0][1].strip("\u200b\u3000 ")
    else:
        # "Shandong Provincial Big Data Bureau": a dataset that translated its fields names the
        # organ in English, no issuer of the text's own words; a hint of its place and level only
        translated = [
            v
            for k, v in _texts(fields, ISSUER_KEYS, None, "issuer", columns)
            if TRANSLATED.fullmatch(v) and TRANSLATED_KEYS.search(_name(k))
        ]
        if translated:
            facts["translated_issuer"] = translated[0]
    sites = [
        (k, v)
        for k, v in _texts(fields, SITE_KEYS, None, "site", columns)
        if re.search(f"[{HAN}]", v)
    ]
    if sites:
        used["site"], facts["site"] = sites[0]
    dated = record_date(fields, columns)
    if dated:
        used["date"], facts["published"] = dated
    urls = [
        (k, v)
        for k, v in _texts(fields, URL_KEYS, None, "url", columns)
        + (_texts(fields, SOURCE_KEYS, None, "url", columns) if "url" not in columns else [])
        if v.startswith("http") and "/col/" not in v
    ]
    if urls:
        used["url"], facts["url"] = max(urls, key=lambda kv: len(kv[1]))
        facts["url"] = facts["url"].split()[0]
    return facts, used


CHINA = timezone(
    timedelta(hours=8)
)  # the portals' epoch times are instants; the document's day is Beijing's


def as_date(value) -> str | None:
    """1387728000000, "2021-11-19T09:59:00.000Z", "2021-10-19 16:54:37" → YYYY-MM-DD (Beijing time)."""
    text = str(value).strip()
    if re.fullmatch(r"\d{12,13}", text):
        return datetime.fromtimestamp(int(text) / 1000, CHINA).date().isoformat()
    if m := re.match(
        r"^((?:19|20)\d{2})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z$", text
    ):
        instant = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), tzinfo=UTC)
        return instant.astimezone(CHINA).date().isoformat()
    if m := re.match(r"^((?:19|20)\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})", text):
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    return None


def record_date(
    fields: dict, columns: dict[str, str] | None = None
) -> tuple[str, str | None] | None:
    """The column and day of the date that best says when the document was made."""
    columns = columns or {}
    stated = columns.get("date")
    taken = {c for r, c in columns.items() if r != "date"}
    if stated is not None:
        day = as_date(fields[stated]) if fields.get(stated) is not None else None
        return (stated, day) if day else None
    dated = [
        (k, _name(k), as_date(v))
        for k, v in fields.items()
        if DATE_KEYS.search(_name(k)) and k not in taken
    ]
    dated = [(k, n, d) for k, n, d in dated if d]
    for family in DATE_ORDER:
        for key, name, date in dated:
            if family.search(name):
                return key, date
    return None


def record_body(
    fields: dict, path: Path, columns: dict[str, str] | None = None
) -> tuple[str, bool, str]:
    """The body (the stated column, else the longest field of text, an HTML one first), whether
    it is HTML, and its column."""
    columns = columns or {}
    stated = columns.get("body")
    taken = {c for r, c in columns.items() if r != "body"}
    texts = [
        (k, v)
        for k, v in fields.items()
        if isinstance(v, str)
        and (
            k == stated
            if stated is not None
            else len(v) >= BODY_MIN
            and re.search(f"[{HAN}]", v)
            and k not in taken
            and not URL_KEYS.search(_name(k))
            and not any(family.search(_name(k)) for family in METADATA_KEYS)
        )
        and v.strip()
    ]
    if not texts:
        named = f"its {stated!r} field is empty" if stated else "no field holds the document's text"
        raise SourceError(
            path,
            f"has no text: {named}",
            fix="save the record with its content field, or the page itself"
            if not stated
            else "state the body's column with --columns body=COLUMN",
        )
    marked = [(k, v) for k, v in texts if HTML_TAG.search(v)]
    key, value = max(marked or texts, key=lambda kv: len(kv[1]))
    return value, bool(marked), key


# A flattened body: paragraphs joined on one line, each still opening with its indent ("　　"),
# or parts of a letter kept apart by runs of spaces ("特此通知                       2021年9月24日").
PARAGRAPH_GAP = re.compile(
    r"[ \u00a0\u2000-\u200a]*(?:\u3000{2,}|[ \u00a0\u2000-\u200a]{4,}|[ \u00a0\u2000-\u200a]+\u3000+)[ \u00a0\u2000-\u200a\u3000]*"
)
ADDRESSEE_RUN_IN = re.compile(rf"^(各[{HAN}（）()、，,]{{1,100}}?[：:])(?=[{HAN}《“])")
DATE_RUN_IN = re.compile(r"((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)(?=附件|[（(]此件)")


def unflatten(text: str) -> str:
    """One flattened line → the lines it was made of, where the page's spacing still shows them."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for part in PARAGRAPH_GAP.split(line):
            part = DATE_RUN_IN.sub("\\1\n", part)
            lines.extend(ADDRESSEE_RUN_IN.sub("\\1\n", piece) for piece in part.split("\n"))
    return "\n".join(lines)
