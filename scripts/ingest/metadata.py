"""Metadata: the facts found on the way, tidied into the front matter's fields (core/fields.py)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..core import fields
from ..core.docnumber import DocNumber, organ_key
from ..core.fields import INFERRED
from ..core.numerals import numeral_value
from ..core.places import (
    SUBJECT_TEXT,
    is_national_issuer,
    lineage,
    mentions,
    place_fields,
    place_of_issuer,
    place_of_subject,
    place_of_translated_organ,
    region_after_overrides,
    region_fields,
    resolve_mentions,
    simplified_in_place,
)
from ..core.script import detect_script, simplified, to_simplified, to_traditional
from ..core.slug import document_id
from .infer import CLOSING_GENRE, addressee_level, infer_title
from .structure import GENRE_END
from .titles import choose_title, names_no_subject

GENRE_TYPES = {
    "实施方案": "方案",
    "工作方案": "方案",
    "行动方案": "方案",
    "行动计划": "计划",
    "工作计划": "计划",
    "实施意见": "意见",
    "指导意见": "意见",
    "管理办法": "办法",
    "暂行办法": "办法",
    "实施细则": "细则",
    "工作要点": "要点",
    "复函": "函",
    "答覆": "答复",
    "若干措施": "措施",
    "应急预案": "预案",
}
# "中华人民共和国行政复议法": a law names itself by 法 alone
LAW_TITLE = re.compile(r"^中华人民共和国[\u4e00-\u9fff]{2,30}法$")
# "关于支持文化旅游产业高质量发展的若干政策（试行）": a city's policies, typed by their own word (not a
# genre word of the structure: a heading ending in it stays text where it stood)
POLICIES_TITLE = re.compile(r"若干政策(?:[（(][^）)]*[）)])?$")
# A 解读 by its own words: "就此政策，解读如下", "一、制定《公告》的背景", "二、主要内容解读", or a page
# that opens on the document it explains ("政策文件：《……》"); never a link to a 解读 elsewhere on a page
EXPLAINING = re.compile(
    r"解[读讀]如下|^\s*(?:政策文件|相关文件|相關文件|解读文件|原文件)\s*[:：]|"
    # … a heading of its own (a short line): "一、《若干政策》出台背景", "二、主要内容解读"
    r"(?m:^[^。，；\n]{0,24}(?:(?:起草|制定|制订|出台)(?:的)?(?:背景|依据|过程|目的)|主要内容(?:解[读讀])?)\s*$)"
)
NOTIFYING = re.compile(r"现(?:将|就)[^。]{0,40}通知如下")
ADDRESSED = re.compile(
    r"(?m)^[^。，\n]{0,100}(?:各|人民政府|部门|单位|机构)[^。\n]{0,80}[：:][ \u3000]*$"
)
# A 解读's title: "……政策解读", "一图读懂……", "……答记者问", "……问答"
EXPLAINS = re.compile(r"解[读讀]|[读讀]懂|答[记記]者问|答[记記]者問|问答|問答")
ISSUED = re.compile(r"印[发發]\s*[《<〈](?P<title>.+?)[》>〉]\s*的")
# "关于印发象州县农村公路“路长制”实施方案的通知": the plan named without title marks
ISSUED_BARE = re.compile(r"印[发發](?P<title>[^《<〈].{3,}?)的通知$")


SCRIPT_SAMPLE = (
    2000  # characters enough to tell traditional from simplified, in a fraction of the time
)

CN_DATE = re.compile(
    r"([〇○零OＯ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*日)?"
)


def iso_date(text: str) -> str | None:
    """2024年4月17日, 2024-04-17, 二〇〇六年十月十八日 → 2024-04-17; 2021年10月 → 2021-10 (month precision kept)."""
    m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text or "")
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if (c := CN_DATE.search(text or "")) is not None:
        year, month = numeral_value(c[1]), numeral_value(c[2])
        return (
            f"{year:04d}-{month:02d}-{numeral_value(c[3]):02d}"
            if c[3]
            else f"{year:04d}-{month:02d}"
        )
    m = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)", text or "")
    if m and 1 <= int(m[2]) <= 12:
        return f"{int(m[1]):04d}-{int(m[2]):02d}"
    return None


def inferred_title(text: str, issuer: str | None, script: str) -> tuple[str, str] | None:
    """infer_title over the text in simplified characters (its sentences are matched in them); in
    a traditional text the title is the text's own characters where it quotes the text (a 令's
    promulgated 《X》), else the inferred words in traditional characters."""
    if script != "zh-Hant":
        return infer_title(text, issuer)
    view = simplified_in_place(text)
    found = infer_title(view, issuer)
    if found is None:
        return None
    title, genre = found
    if (at := view.find(title)) >= 0:
        return text[at : at + len(title)], genre
    return to_traditional(title), genre


def stands_as_a_line(title: str, text: str) -> bool:
    """The title is a line of the text on its own (then it was not made up by the pipeline)."""
    return re.search(rf"(?m)^[ \t\u3000]*{re.escape(title)}[ \t\u3000]*$", text) is not None


# "关于印发“北京市中医药人才培养计划”的通知": a plan named in quotes where title marks belong
QUOTED_WHOLE = re.compile(r"^[“\"「『](?P<name>[^“”\"「」『』]{4,})[”\"」』]$")


def unquoted(title: str) -> str:
    """The name a 印发 notice issues, without the quotes it was written in instead of 《》."""
    m = QUOTED_WHOLE.match(title.strip())
    return m["name"] if m else title


def without_notes(title: str) -> str:
    """ "……管理指南（试行）（征求意见稿）" → "……管理指南": the notes in brackets after a title."""
    return re.sub(r"(?:[（(][^（）()]*[）)])+$", "", title)


def doc_type_of(title: str) -> str:
    m = GENRE_END.search(to_simplified(without_notes(unquoted(title))))
    if not m:
        if POLICIES_TITLE.search(to_simplified(title)):
            return "政策"
        return "法律" if LAW_TITLE.match(to_simplified(title)) else "报道"
    word = re.sub(r"[（(].*$", "", m.group(0))
    return GENRE_TYPES.get(word, word)


def finalise(meta: dict, text: str, sidecar: dict, warnings: list[str]) -> dict:
    """The front matter from the facts read on the way (`meta`), a step at a time; then the fields
    computed on their own (core/fields.py `derives`); then the sidecar wins (warning where the two
    disagree). Each step adds its fields to `out` and says what it inferred in `warnings`."""
    out: dict = {}
    script = detect_script(text[:SCRIPT_SAMPLE])
    tidy_facts(meta, warnings)
    inferred_genre = title_from_text(meta, text, script, out, warnings)
    full_title = restore_inner_title(meta.get("full_title") or meta.get("title", ""), text)
    title_and_type(meta, text, full_title, inferred_genre, out)
    issuer = number_and_issuer(meta, text, full_title, out, warnings)
    date_of(meta, out, warnings)
    place_of(meta, text, issuer, out, warnings)
    out["script"] = script
    for key, derive in fields.DERIVERS.items():  # the fields computed on their own, below
        if (value := derive(meta, text, sidecar, out)) is not None:
            out[key] = value
    sidecar_wins(sidecar, out, warnings)
    out["id"] = sidecar.get("id") or document_id(out)
    order = fields.key_order()
    return {key: out[key] for key in order if key in out} | {
        k: v for k, v in out.items() if k not in order
    }


def tidy_facts(meta: dict, warnings: list[str]) -> None:
    """A 文号 field that holds no number is dropped; a label glued to an issuer or site goes."""
    drop_number_after_title(meta)
    if meta.get("doc_number") and not parses_as_number(meta["doc_number"]):
        # a table's 文号 cell that holds no number (a list's column head "标题" under "文号")
        warnings.append(f"ignored the 文号 field {meta.pop('doc_number')!r}: it is no 文号")
    for key in ("issuer", "site"):
        if meta.get(key):
            meta[key] = without_glued_label(meta[key])


def title_from_text(meta: dict, text: str, script: str, out: dict, warnings: list[str]) -> str:
    """The title among the candidates; without one, what the text says it is (marked inferred).
    Returns the genre an inferred title names ("" for none)."""
    inferred_genre = ""
    unacceptable = meta.get("title") or meta.get("rejected_title") or ""
    choose_title(
        meta
    )  # the first candidate that reads as a title: the text's header, a field, <title>
    if not meta.get("title") and not meta.get("full_title"):
        # no title line (a crawler kept the body only): what the text says it is, marked as inferred
        found = inferred_title(text, signoff_organ(meta), script)
        if is_number_alone(unacceptable) and not (found and found[0] in text):
            # 江西省人民政府令第232号 names a decree better than nothing, and better than words
            # put together from its first article; a name the text gives (《X》) names it better
            meta["title"], found = unacceptable, None
        if found:
            meta["title"], inferred_genre = found
            if not stands_as_a_line(found[0], text):
                out["title_inferred"] = True
                warnings.append(
                    f"{INFERRED}title {found[0]!r}, from what the text says it is (it has no title line)"
                )
            # else the text has the title line, below where a title is looked for: a 令's
            # promulgated 《X》 whose own title line follows the 省长's signature
    return inferred_genre


def title_and_type(meta: dict, text: str, full_title: str, inferred_genre: str, out: dict) -> None:
    """`title`, `full_title` and `doc_type`: a 印发 notice is filed under the plan it issues."""
    issued = ISSUED.search(full_title) or ISSUED_BARE.search(full_title)
    if issued and full_title[: issued.start()].count("《") > full_title[: issued.start()].count(
        "》"
    ):
        issued = None  # "《……关于印发〈…〉的通知》政策解读": the 印发 of the document it explains
    if issued:
        # A 印发 notice: the archive files it under the plan it issues; the notice title is kept.
        out["title"] = unquoted(issued["title"].replace("<", "《").replace(">", "》"))
        out["full_title"] = full_title
        out["doc_type"] = doc_type_of(out["title"])
    else:
        out["title"] = restore_inner_title(meta.get("title", ""), text)
        if meta.get("full_title") and meta["full_title"] != out["title"]:
            out["full_title"] = meta[
                "full_title"
            ]  # "关于……" under its 发文机关标志: the whole title kept
        genre = GENRE_END.search(to_simplified(without_notes(out["title"])))
        named = LAW_TITLE.match(to_simplified(out["title"])) or POLICIES_TITLE.search(
            to_simplified(out["title"])
        )  # a law, a city's 若干政策: named by their own words
        if (genre and (meta.get("doc_number") or genre[0] != "报告")) or named:
            out["doc_type"] = doc_type_of(out["title"])
        elif inferred_genre:
            out["doc_type"] = GENRE_TYPES.get(inferred_genre, inferred_genre)
        elif EXPLAINS.search("　".join([out["title"], *meta.get("kickers", [])])):
            # the title (or a kicker over it: "政府工作报告 解读") says so: never a link to the 解读
            # on the page around a 通知
            out["doc_type"] = "解读"
        elif (closing := CLOSING_GENRE.search(text)) is not None:
            out["doc_type"] = (closing["genre"] or closing["as"]).replace("函告", "函")
        elif EXPLAINING.search(text[:1500]):
            out["doc_type"] = (
                "解读"  # its own words explain a document, or it opens on the one it explains
            )
        elif NOTIFYING.search(text[:3000]) and ADDRESSED.search(text[:1500]):
            # "现将有关事项通知如下" in a letter to its addressees: a 通知 by its own words (a news
            # item quoting one has no addressees of its own)
            out["doc_type"] = "通知"
        else:
            out["doc_type"] = "报道"


def number_and_issuer(
    meta: dict, text: str, full_title: str, out: dict, warnings: list[str]
) -> str | None:
    """`doc_number` (a 文号, or a 令's or 公告's number), `issuer` and `issuers`; returns the issuer."""
    # a record's or table's 江西省人民政府令第232号: its 省长 signs for that organ (a 解读's number
    # field holds the decree it explains, not its own author)
    if not meta.get("doc_number"):
        meta.update(number_of_attachment(text, out["title"], full_title) or {})
    decree = decree_number(meta.get("doc_number", ""))
    if decree is not None and out.get("doc_type") != "解读":
        meta.setdefault("order_issuer", decree.issuer_code)
    issuer, issuers = choose_issuer(meta, full_title, text)
    if (
        issuer
        and issuer not in (meta.get("issuer"), *signers_of(meta)[:1], meta.get("order_issuer"))
        and not full_title.startswith(issuer)
    ):
        warnings.append(
            f"{INFERRED}issuer {issuer!r}, from {meta.get('issuer') or meta.get('signoff_issuer')!r} "
            "and the place the document is of"
        )
    if not meta.get("doc_number") and meta.get("announcement_number"):
        meta.update(announcement_number(meta, issuer) or {})
    if meta.get("order_number") and (order_by := meta.get("order_issuer") or issuer):
        year = (
            f"〔{meta['order_year']}〕"  # 河北省人民政府令〔2022〕第3号
            if meta.get("order_year")
            else f"{meta['order_year_written']}年"  # 中华人民共和国农业部令2010年第4号
            if meta.get("order_year_written")
            else ""
        )
        out["doc_number"] = (
            f"{order_by}令{year}第{meta['order_number']}号"  # 广东省人民政府令第290号
        )
        if not GENRE_END.search(without_notes(out["title"])) and not LAW_TITLE.match(
            to_simplified(out["title"])
        ):
            out["doc_type"] = "令"  # (a law is promulgated by a 主席令, and stays a 法律)
    elif meta.get("doc_number") and out.get("doc_type") != "解读":
        number = own_government_named(DocNumber.parse(meta["doc_number"]), issuer)
        out["doc_number"] = str(number)
        if number.series and not GENRE_END.search(without_notes(out["title"])):
            out["doc_type"] = number.series  # 国务院令第588号, …公告2019年第39号: a 令, a 公告
    elif meta.get("doc_number"):
        # a 解读 carries the 文号 of the document it explains (a record's field), not one of its own
        meta.setdefault("explains", str(DocNumber.parse(meta["doc_number"])))
    if issuer:
        out["issuer"] = issuer
    if len(issuers) > 1:
        out["issuers"] = issuers
    return issuer


def date_of(meta: dict, out: dict, warnings: list[str]) -> None:
    """`date`: the 成文日期 signed or in brackets, else the publication date (said as inferred)."""
    date = (
        iso_date(meta.get("signoff_date", ""))
        or iso_date(meta.get("bracket_date", ""))
        or iso_date(meta.get("published", ""))
    )
    if date:
        out["date"] = date
        if not meta.get("signoff_date") and not meta.get("bracket_date"):
            warnings.append(
                f"{INFERRED}date {date}, the publication date (the text shows no 成文日期)"
            )


def place_of(meta: dict, text: str, issuer: str | None, out: dict, warnings: list[str]) -> None:
    """`region`, `region_code` and `level`: the issuer's place, else the text's own place words."""
    # an organ the record names in translation only ("Shandong Provincial Big Data Bureau"): its
    # place is the document's, where the text names no issuer of its own
    translated = None if issuer else place_of_translated_organ(meta.get("translated_issuer", ""))
    if translated is not None:
        out.update(place_fields(translated))
        warnings.append(
            f"{INFERRED}region {translated.name}, from the record's issuer in translation "
            f"{meta['translated_issuer']!r}"
        )
    else:
        # a news headline's kickers ("衡阳目标篇①") name its place as much as the headline does
        out.update(region_fields(issuer, "　".join([out["title"], *meta.get("kickers", [])]), text))
    if translated is None and (not issuer or "region" not in out):
        out.update(region_from_letter(meta, text) or {})
    if "region" not in out and out.get("doc_type") == "解读":
        out.update(region_of_explained(out["title"] + "\n" + text) or {})
    if not issuer and translated is None and out.get("region"):
        warnings.append(
            f"{INFERRED}region {out['region']}, from the text's addressees and place names (no issuer)"
        )


def sidecar_wins(sidecar: dict, out: dict, warnings: list[str]) -> None:
    """The sidecar's overrides replace what the text was read to say (a warning where they differ)."""
    for key, value in sidecar.get("overrides", {}).items():
        if key in out and out[key] != value:
            warnings.append(
                f"sidecar sets {key}: {value!r}, the text says {out[key]!r}; the sidecar wins"
            )
        out[key] = value
    if "title" in sidecar.get("overrides", {}):
        out.pop(
            "title_inferred", None
        )  # a maintainer wrote the title: it is no longer the pipeline's guess
    out.update(region_after_overrides(out, sidecar.get("overrides", {})))


# --- the fields computed on their own, each from the facts read on the way (core/fields.py) ----


@fields.derives("published")
def published(facts: dict, text: str, sidecar: dict, out: dict) -> str | None:
    """A news page's publication line, as a date where it reads as one."""
    return (iso_date(facts["published"]) or facts["published"]) if facts.get("published") else None


@fields.derives("bylines")
def bylines(facts: dict, text: str, sidecar: dict, out: dict) -> list | None:
    return facts.get("bylines") or None


@fields.derives("index_no")
def index_no(facts: dict, text: str, sidecar: dict, out: dict) -> str | None:
    return facts.get("index_no") or None  # 索引号 from a government page's table


@fields.derives("topic")
def topic(facts: dict, text: str, sidecar: dict, out: dict) -> str | None:
    return facts.get("topic") or None  # 主题分类 from a government page's table


@fields.derives("explains")
def explains(facts: dict, text: str, sidecar: dict, out: dict) -> str | None:
    return facts.get("explains") or None


@fields.derives("source")
def source(facts: dict, text: str, sidecar: dict, out: dict) -> dict | None:
    """Where it was scraped, from the sidecar; the site's name from the page where it has none."""
    found = {k: sidecar[k] for k in ("url", "site", "retrieved") if sidecar.get(k)}
    if facts.get("site") and "site" not in found:
        found["site"] = facts["site"]
    return found or None


@fields.derives("added")
def added(facts: dict, text: str, sidecar: dict, out: dict) -> str | None:
    return sidecar.get("added") or None  # when the archive first published it (feed, citation)


def announcement_number(meta: dict, issuer: str | None) -> dict | None:
    """The number under a 公告's heading in its organ's series: the heading's organ ("中华人民共和国
    海关总署公告", "交通运输部关于……的公告"), named as the document signs it (海关总署公告2020年第40号)."""
    heading = meta["announcement_heading"]
    about = ABOUT_ISSUER.match(heading)
    organ = heading[: -len("公告")] if names_no_subject(heading) else about and about["issuer"]
    if issuer and (not organ or organ_key(organ) == organ_key(issuer)):
        organ = issuer
    if not organ:
        return None
    year, serial = meta["announcement_number"]
    return {"doc_number": str(DocNumber(organ, year, serial, series="公告"))}


# "相关附件：广安府规〔2022〕5号关于调整全市最低工资标准的通知.pdf": the file a portal attaches,
# named by the document's own 文号 and title
ATTACHED_FILE = re.compile(
    r"(?:相关附件|相關附件|附件)[:：]?\s*(?P<number>[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*[号號])"
    r"\s*(?P<name>[^\n.。（(]{4,150})\.(?:pdf|docx?|wps|ofd|PDF|DOCX?)"
)


def number_of_attachment(text: str, title: str, full_title: str) -> dict | None:
    """The 文号 of a text that shows none but in the name of the file its page attaches, when that
    file is the document itself: its name is the document's title (or the 印发 notice's)."""
    own = {_fold_title(t) for t in (title, full_title) if t}
    for m in ATTACHED_FILE.finditer(text[-4000:]):
        name = _fold_title(m["name"])
        if any(t and (name.endswith(t) or t.endswith(name) or t in name) for t in own):
            return {"doc_number": m["number"]}
    return None


def _fold_title(text: str) -> str:
    return re.sub(r"[\s“”\"《》〈〉<>]", "", to_simplified(text))


# --- title ---------------------------------------------------------------------------------

# "……的通知（阳政办发〔2022〕11号）": a title field that carries the 文号 after it, in brackets
NUMBER_AFTER_TITLE = re.compile(
    r"\s*[（(]\s*(?P<number>[^（）()]{1,20}?[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*[号號])\s*[）)]$"
)


# "中华人民共和国国务院令(第450号) 重大动物疫情应急条例": a portal's title of a decree's page, its number first
NUMBER_BEFORE_TITLE = re.compile(
    r"^(?P<number>[\u4e00-\u9fff]{2,30}令\s*[（(]?\s*(?:(?:19|20)\d{2}年)?第\s*\d{1,4}\s*号\s*[）)]?)[\s\u3000]+(?=\S{4})"
)


# "海关总署公告2020年第17号(关于……的公告)": a portal's title of a 公告's page, its number first and
# its title in brackets
SERIES_NUMBER_FIRST = re.compile(
    r"^(?P<number>[\u4e00-\u9fff](?:[\u4e00-\u9fff]|[ \u3000、](?=[\u4e00-\u9fff])){1,40}?(?:令|公告)"
    r"\s*(?:(?:19|20)\d{2}\s*年)?\s*第\s*\d{1,4}\s*号)"
    r"\s*[（(](?P<title>.{4,})[）)]$"
)


def drop_number_after_title(meta: dict) -> None:
    """The 文号 after a title (or a decree's number before it) is the document's number, not
    part of its title."""
    for key in ("title", "full_title", "field_title", "meta_title", "page_title"):
        if meta.get(key) and (m := NUMBER_AFTER_TITLE.search(meta[key])) is not None:
            meta[key] = meta[key][: m.start()]
            meta.setdefault("doc_number", m["number"])
        if meta.get(key) and (m := SERIES_NUMBER_FIRST.match(meta[key])) is not None:
            meta[key] = m["title"]
            meta.setdefault("doc_number", m["number"])
        if meta.get(key) and (m := NUMBER_BEFORE_TITLE.match(meta[key])) is not None:
            meta[key] = meta[key][m.end() :]
            meta.setdefault("doc_number", m["number"])


def title_without_number(title: str) -> str:
    """A title field without the number a portal wrote before or after it."""
    meta = {"title": title}
    drop_number_after_title(meta)
    return meta["title"]


def parses_as_number(text: str) -> bool:
    try:
        DocNumber.parse(text)
    except ValueError:
        return False
    return True


def is_number_alone(title: str) -> bool:
    """江西省人民政府令第232号, 国务院令（第588号）: a portal that titles a decree by its number."""
    try:
        number = DocNumber.parse(title)
    except ValueError:
        return False
    return bool(number.series) and len(title) <= len(str(number)) + 4


# "《义乌市交通运输局等六部门关于印发的通知》政策解读": a record's title that lost its inner <title>
# when the service stripped what looked like a tag; the body quotes it whole.
LOST_INNER = re.compile(r"印[发發]的(?:通知|决定|意见)")


def restore_inner_title(title: str, text: str) -> str:
    if not LOST_INNER.search(title):
        return title
    outer = re.search(r"《([^《》]*?)印[发發]的", title)
    if outer is None:
        return title
    quoted = re.search(
        re.escape(outer[1]) + r"印[发發]\s*[<〈《](?P<inner>[^<>〈〉《》]{2,80})[>〉》]\s*的",
        text[:3000],
    )
    if quoted is None:
        return title
    return title.replace(f"{outer[1]}印发的", f"{outer[1]}印发〈{quoted['inner']}〉的", 1)


# --- issuer --------------------------------------------------------------------------------

# "重庆市渝北区正文", "某某县人民政府 打印": a page's tab or widget label run into the value of its
# 发布机构 cell (the cell's text and the label's stand side by side in the page)
GLUED_LABEL = re.compile(
    r"[\s\u3000|｜]*(?:正文|全文|原文|内容|附件|下载|下載|打印|关闭|關閉|分享|收藏|字号|字號|解读|解讀|"
    r"发布日期|發布日期|发布时间|發布時間|成文日期|文号|文號|索引号|索引號)(?:[:：].*)?$"
)


ORGAN_OR_PLACE_END = re.compile(
    r"..(?:政府|厅|局|委员会|管委会|委|办公室|办|院|中心|署|部|区|县|市|州|盟|旗|镇|乡|街道)$"
)


def without_glued_label(value: str) -> str:
    """A table's or record's field value without the label a page ran into it, when what is left
    still names an organ or a place ("重庆市渝北区正文" → "重庆市渝北区"; "正文" alone stays)."""
    stripped = GLUED_LABEL.sub("", value).strip()
    if stripped != value.strip() and (
        names_a_place(stripped) or ORGAN_OR_PLACE_END.search(stripped)
    ):
        return stripped
    return value


# "省长　马兴瑞", "市长", "县长 张三": the head of a government signs its 令 for the government
HEAD_SIGNATURE = re.compile(
    r"^(?P<nation>中华人民共和国)?(?P<office>省长|市长|县长|區長|区长|州长|盟长|旗长|自治区主席|主席)(?:[\s\u3000]+\S{1,6})?$"
)
# "省　长　王正谱": the office spaced out as a signature prints it
SPACED_OFFICE = re.compile(r"^(\S)[\s\u3000]+(\S)(?=$|[\s\u3000])")


def head_signature(signer: str) -> re.Match | None:
    signer = simplified(signer)  # 省長 signs as 省长 does
    return HEAD_SIGNATURE.match(signer) or HEAD_SIGNATURE.match(SPACED_OFFICE.sub(r"\1\2", signer))


GOVERNMENT_OF = {
    "省长": "省",
    "市长": "市",
    "县长": "县",
    "区长": "区",
    "區長": "区",
    "州长": "州",
    "盟长": "盟",
    "旗长": "旗",
    "自治区主席": "自治区",
    "主席": "自治区",
}
ABOUT_ISSUER = re.compile(r"^(?P<issuer>[^《“]{2,60}?)(?:关于|關於|印发|印發)")
# "民政部对“关于……的建议”的答复": 对 opens the subject only where no 关于 does ("国务院应对……机制关于")
REPLY_ISSUER = re.compile(r"^(?P<issuer>[^《“]{2,60}?)(?:对|對)")


# "……领导小组办公室（代章）": the seal of one organ standing for another's, noted after its name
SEAL_NOTE = re.compile(r"[\s\u3000]*[（(]\s*代章\s*[）)]$")


def signers_of(meta: dict) -> list[str]:
    """The organs of the sign-off, without the note of a seal used on their behalf."""
    signers = meta.get("signoff_issuers") or (
        [meta["signoff_issuer"]] if meta.get("signoff_issuer") else []
    )
    return [SEAL_NOTE.sub("", s) for s in signers]


def signoff_organ(meta: dict) -> str | None:
    """The organ that signed, when the sign-off names one (not 省长 or a closing formula)."""
    signers = signers_of(meta)
    if signers and not head_signature(signers[0]) and names_a_place(signers[0]):
        return signers[0]
    return None


def decree_number(text: str) -> DocNumber | None:
    """A 令's own number of an organ that names its place (江西省人民政府令第232号); None for a
    〔year〕 文号, a 公告's number or an organ named by its level alone (省政府令第232号)."""
    if "令" not in text:
        return None
    found = DocNumber.find_series(text)
    if not found or found[0][0].series != "令" or not names_a_place(found[0][0].issuer_code):
        return None
    return found[0][0]


# A government named by its level alone: 省政府令第232号 in a field of 江西省人民政府's record
LEVEL_GOVERNMENT = re.compile(r"^(?:省|自治区|市|州|盟|县|区|旗)人民政府$")


def own_government_named(number: DocNumber, issuer: str | None) -> DocNumber:
    """省政府令第232号 of 江西省人民政府 → 江西省人民政府令第232号, as its citations are named."""
    organ = organ_key(number.issuer_code)
    if number.series and issuer and LEVEL_GOVERNMENT.match(organ) and issuer.endswith(organ):
        return replace(number, issuer_code=issuer)
    return number


def names_a_place(organ: str) -> bool:
    return place_of_issuer(organ) is not None or is_national_issuer(organ)


def choose_issuer(meta: dict, full_title: str, text: str) -> tuple[str | None, list[str]]:
    """The organ that issued the document, and every organ of a joint one.

    In order: the sign-off (a 令 signed by its 省长 is the 省人民政府's), the title ("X关于……"), a
    page's table or a record's field. A name that names no place ("省政府办公厅", "退役军人事务局",
    "市交通局") is the site's shorthand: the place the other facts give completes it.
    """
    signers = signers_of(meta) or meta.get(
        "header_issuers", []
    )  # (the organs under a 公报's title)
    head = head_signature(signers[0]) if signers else None
    if head is not None:
        if meta.get("order_issuer"):
            return meta["order_issuer"], []
        if head["nation"]:
            return f"{head['nation']}{head['office']}", []  # 中华人民共和国主席 signs a 主席令
        unit = GOVERNMENT_OF[head["office"]]
        government = government_named(text, unit)
        field = meta.get("issuer") or ""  # the text names none: a record's or table's field may
        if government is None and field.endswith(f"{unit}人民政府") and names_a_place(field):
            government = field
        return government, []
    about = ABOUT_ISSUER.match(full_title or "") or REPLY_ISSUER.match(full_title or "")
    # (organ, every organ of a joint one): a title's or a field's organs may stand side by side
    # ("财政部办公厅　教育部办公厅关于……", a 发文机关 field "人力资源社会保障部 中华全国总工会 ……")
    candidates = [
        *(
            _first_of(signers[0])
            if len(signers) == 1
            else [(signers[0] if signers else None, signers)]
        ),
        *(_first_of(about["issuer"]) if about else []),
        *_first_of(meta.get("issuer")),
        (meta.get("order_issuer"), []),
    ]
    for organ, organs in candidates:
        if organ and names_a_place(organ):
            return organ, organs if len(organs) > 1 else []
    short = next((c for c in (_first_of(meta.get("issuer"))[0][0], *signers[:1]) if c), None)
    if short:
        return qualify(short, meta, full_title, text), []
    return None, []


# the organs of a joint document named side by side, in a title or a record's field
JOINT_SEPARATOR = re.compile(r"[\s\u3000\u2002、]+")
JOINT_PART = re.compile(
    r"[\u4e00-\u9fff（）()/]{2,40}?(?:厅|局|委员会|委|办公室|办公厅|政府|社|行|会|院|部|署|办|中心|公司|"
    r"小组|总队|中央|联|集团|司|处)"
)


def _first_of(name: str | None) -> list[tuple[str | None, list[str]]]:
    """[(the first organ, every organ)] of a name that lists several; [(name, [])] otherwise."""
    parts = [p for p in JOINT_SEPARATOR.split(name or "") if p]
    if len(parts) > 1 and all(JOINT_PART.fullmatch(p) for p in parts):
        return [(parts[0], parts)]
    return [(name, [])]


def government_named(text: str, unit: str) -> str | None:
    """江西省人民政府 for 省 when the text names it (a 令's promulgation sentence does)."""
    m = re.search(rf"([{HAN_CHARS}]{{1,12}}{unit})人民政府", text)
    return f"{m[1]}人民政府" if m and place_of_issuer(m[1]) is not None else None


HAN_CHARS = "\u4e00-\u9fff"
LEVEL_PREFIX = re.compile(r"^(?:省|市|县|区|州|盟|旗)")


def qualify(short: str, meta: dict, full_title: str, text: str) -> str:
    """ "退役军人事务局" on 清水河县人民政府's site → 清水河县退役军人事务局; "市交通局" → 义乌市交通局."""
    short = re.sub(
        r"[（(][^）)]*[）)]$", "", short
    ).strip()  # "市政府办公室（市外办、…）": the office's other names
    place = None
    for name in (meta.get("site"), full_title):
        if name and (place := place_of_issuer(name.lstrip("《“"))) is not None:
            break
    if place is None:
        place = place_of_subject(meta.get("title", ""), text)  # the place the text itself is about
    if place is None:
        return short
    level_word = LEVEL_PREFIX.match(short)
    if level_word and place.name.endswith(level_word[0]):
        return place.name + short[1:]
    if level_word:
        ancestor = next((p for p in lineage(place) if p.name.endswith(level_word[0])), None)
        return ancestor.name + short[1:] if ancestor else short
    return place.name + short


# --- region of a letter without an issuer ----------------------------------------------------


def region_from_letter(meta: dict, text: str) -> dict | None:
    """The place of a text whose issuer is unknown: the level its addressees imply, and the place
    of that level its own words name (a name in an enumeration, "浙江、福建等周边省份", is another's).
    The text is read in simplified characters (各縣（區）人民政府 addresses counties as 各县（区）)."""
    text = simplified_in_place(text[:SUBJECT_TEXT])  # its own words: the first pages say them
    addressee = next(
        (line for line in text.split("\n")[:12] if line.strip().endswith(("：", ":"))), ""
    )
    level = addressee_level(addressee)
    single = re.fullmatch(r"\s*(?P<place>[^，、]{2,20}?)人民政府[：:]\s*", addressee)
    if single and (p := place_of_issuer(single["place"])) is not None:
        # a letter to one government (a 批复 to 鹰潭市人民政府) comes from the one above it
        parents = lineage(p)
        return _fields(parents[-2]) if len(parents) >= 2 else None
    if level is None:
        return None
    counts: dict = {}
    for m, p in resolve_mentions([m for m in mentions(text, shorts=True) if not m.weak]):
        enumerated = text[m.end : m.end + 1] == "、" or text[max(0, m.start - 1) : m.start] == "、"
        if m.name != p.name and p.level != level:
            continue  # a short name of a place below ("资源" of 资源县) is as often a common word
        target = next((a for a in lineage(p) if a.level == level), None)
        if target is not None and not enumerated:
            counts[target] = counts.get(target, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].code))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return _fields(ranked[0][0])


def _fields(p) -> dict:
    return {"level": p.level, "region": p.name, "region_code": p.code}


EXPLAINED_ISSUER = re.compile(
    r"(?:^|[\n：:《“])(?P<issuer>[^\s，。《》：:“”]{2,30}?)(?:关于|關於|印发|印發)"
)


def region_of_explained(text: str) -> dict | None:
    """A 解读 that names no issuer is of the place of the document it explains ("相关文件：
    江西省人民政府关于……的通知")."""
    for m in EXPLAINED_ISSUER.finditer(text[:2000]):
        if (p := place_of_issuer(m["issuer"])) is not None:
            return _fields(p)
    return None
