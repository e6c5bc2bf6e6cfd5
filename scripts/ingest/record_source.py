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

# Field families by the words in a field's name (lower case, "_" and "-" removed).
TITLE_KEYS = re.compile(
    r"title|subject|filename|^name$|biaoti|标题|名称|^wjbt$|^bt$|^wjmc$|^mc$|^zcmc$"
)
NOT_TITLE_KEYS = re.compile(
    r"py$|sp$|pinyin|url|type|id$|short"
)  # titlepy, titlesp: pinyin; shortsubject: a preview
NUMBER_KEYS = re.compile(r"filenum|docno$|^docnum|wenhao|fwzh|文号|fileno$|^wh$|^wjh$|^fwwh$")
ISSUER_KEYS = re.compile(
    r"^fbjg$|^fwjg$|issuer|publisher|发文机关|发布机构|^vcsource$|^vcarea$|^author$|^source$|department|^dept"
)
SITE_KEYS = re.compile(r"sitename|sitedesc|webname|站点|网站")
DATE_KEYS = re.compile(
    r"compalte|complete|chengwen|成文|fwrq|cwrq|pubdate|pubtime|publishdate|publishtime|发布|^date$|fbrq|fbsj|createdate$|deploytime|releasetime|releasedate"
)
URL_KEYS = re.compile(r"url$|^link$|链接")
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
BODY_MIN = 10  # characters: a notice may be two lines long
METADATA_KEYS = (TITLE_KEYS, NUMBER_KEYS, ISSUER_KEYS, SITE_KEYS, DATE_KEYS)


def read_record(text: str, path: Path) -> tuple[str, dict, list[Removal]]:
    """The JSON text of one record → (body text, facts, what reading the body dropped)."""
    fields = record_fields(text, path)
    facts = record_facts(fields)
    body, is_html = record_body(fields, path)
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
        raise SourceError(
            path,
            f"is not valid JSON ({err.msg})",
            line=err.lineno,
            fix="save the portal's record as it came, one JSON object per file",
        ) from err
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise SourceError(
            path, "holds no JSON object", fix="save one record (a JSON object) per file"
        )
    # the service may wrap the document in a field of its own ("data": {...}): take the object with
    # most text; a crawler may keep the metadata in an object beside the text ({"metadata": {"title":
    # …}, "content": "…"}): its fields count too, where the text's object has none of that name
    candidates = [data] + [v for v in data.values() if isinstance(v, dict)]
    best = max(candidates, key=lambda d: sum(len(v) for v in d.values() if isinstance(v, str)))
    fields = {
        str(k): v
        for k, v in best.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool)
    }
    for other in candidates:
        for k, v in other.items():
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                fields.setdefault(str(k), v)
    return fields


def _name(key: str) -> str:
    return re.sub(r"[_\-\s]", "", key).lower()


def _texts(
    fields: dict, family: re.Pattern, exclude: re.Pattern | None = None
) -> list[tuple[str, str]]:
    out = []
    for key, value in fields.items():
        name = _name(key)
        if (
            isinstance(value, str)
            and family.search(name)
            and not (exclude and exclude.search(name))
        ):
            value = html.unescape(value).strip()
            if value and value not in ("-", "无", "null", "None"):
                out.append((name, value))
    return out


def record_facts(fields: dict) -> dict:
    facts: dict = {}
    titles = [
        v
        for _, v in _texts(fields, TITLE_KEYS, NOT_TITLE_KEYS)
        if re.search(f"[{HAN}]", v) and not PREVIEW.search(v)
    ]
    if titles:
        facts["title"] = max(titles, key=lambda v: (titles.count(v), len(v)))
    # a 〔year〕 文号, or a decree's or 公告's number (江西省人民政府令第232号, …公告2019年第39号)
    numbers = [
        v
        for _, v in _texts(fields, NUMBER_KEYS)
        if DOC_NUMBER.search(v) or (("令" in v or "公告" in v) and DocNumber.find_series(v))
    ]
    if numbers:
        facts["doc_number"] = numbers[0]
    issuers = [(n, v) for n, v in _texts(fields, ISSUER_KEYS) if re.search(f"[{HAN}]", v)]
    if issuers:
        # fbjg / publisher name the issuing organ; a source or area field only when nothing else does
        issuers.sort(
            key=lambda nv: (
                0 if re.search(r"fbjg|fwjg|issuer|publisher|发文机关|发布机构", nv[0]) else 1
            )
        )
        facts["issuer"] = issuers[0][1]
    sites = [v for _, v in _texts(fields, SITE_KEYS) if re.search(f"[{HAN}]", v)]
    if sites:
        facts["site"] = sites[0]
    date = record_date(fields)
    if date:
        facts["published"] = date
    urls = [v for _, v in _texts(fields, URL_KEYS) if v.startswith("http") and "/col/" not in v]
    if urls:
        facts["url"] = max(urls, key=len)
    return facts


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


def record_date(fields: dict) -> str | None:
    dated = [(_name(k), as_date(v)) for k, v in fields.items() if DATE_KEYS.search(_name(k))]
    dated = [(n, d) for n, d in dated if d]
    for family in DATE_ORDER:
        for name, date in dated:
            if family.search(name):
                return date
    return None


def record_body(fields: dict, path: Path) -> tuple[str, bool]:
    texts = [
        (k, v)
        for k, v in fields.items()
        if isinstance(v, str)
        and len(v) >= BODY_MIN
        and re.search(f"[{HAN}]", v)
        and not URL_KEYS.search(_name(k))
        and not any(family.search(_name(k)) for family in METADATA_KEYS)
    ]
    if not texts:
        raise SourceError(
            path,
            "has no field holding the document's text",
            fix="save the record with its content field, or the page itself",
        )
    marked = [v for _, v in texts if HTML_TAG.search(v)]
    if marked:
        return max(marked, key=len), True
    return max((v for _, v in texts), key=len), False


# A flattened body: paragraphs joined on one line, each still opening with its indent ("　　"),
# or parts of a letter kept apart by runs of spaces ("特此通知                       2021年9月24日").
PARAGRAPH_GAP = re.compile(
    r"[ \u00a0\u2000-\u200a]*(?:\u3000{2,}|[ \u00a0\u2000-\u200a]{4,}|[ \u00a0\u2000-\u200a]+\u3000+)[ \u00a0\u2000-\u200a\u3000]*"
)
ADDRESSEE_RUN_IN = re.compile(rf"^(各[{HAN}（）()、，,]{{1,100}}?[：:])(?=[{HAN}《“])")
DATE_RUN_IN = re.compile(r"((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)(?=附件|[（(]此件)")


def unflatten(text: str) -> str:
    """One flattened line → the lines it was made of, where the page's spacing still shows them."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for part in PARAGRAPH_GAP.split(line):
            part = DATE_RUN_IN.sub("\\1\n", part)
            lines.extend(ADDRESSEE_RUN_IN.sub("\\1\n", piece) for piece in part.split("\n"))
    return "\n".join(lines)
