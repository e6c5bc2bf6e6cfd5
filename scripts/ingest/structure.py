"""Structure: cleaned lines → typed blocks (headings, paragraphs, letter parts, attachments).

Stages, in order (`build_blocks`), each a small function over the list of lines:
1. `read_header`: 文号, 发文机关标志, title (split over several lines or not), kickers and decks
   of a news headline, and the 主送 line at the top. After it: at most one level-0 heading (the
   title), header blocks in source order, and `meta` holds what the header says.
2. `classify_body`: every other line becomes one block: a numbered heading or paragraph, a letter
   part (sign-off, 抄送, contact, note), an attachment heading or list, the text a 印发 notice
   issues (`正文`), a news head or caption, or a paragraph. After it: no line is lost or merged.
3. `assign_levels`: heading depths from the order in which the document nests its markers, news
   heads by family, scraped Markdown heads as written. After it: every heading has level ≥ 1.
4. `demote_empty_headings`: a numbered heading with nothing under it is a list item. After it:
   every heading but the title has content or a deeper heading below it.

Header facts found on the way (title, 文号, issuer, 成文日期) go into `meta`.
"""

from __future__ import annotations

import re

from ..core.chars import HAN, has_han
from ..core.docnumber import PATTERN as DOC_NUMBER_PATTERN
from ..core.docnumber import SERIAL_NUMERAL, DocNumber
from ..core.genres import GENRE_END
from ..core.model import (
    ADDRESSEE,
    ATTACHMENT_LIST,
    CAPTION,
    CC,
    CONTACT,
    HEADING,
    NOTE,
    PARAGRAPH,
    SIGNOFF,
    SUBTITLE,
    Block,
)
from ..core.numerals import numeral_value
from ..core.places import mentions
from .clean import HEAD_LIKE, NUMBERED_START, Line, normalise_line
from .infer import ISSUING, PROMULGATED
from .numbering import KIND_ARTICLE, Marker, parse_marker

# "2024年4月17日", "2023 年 6 月 29 日" (spaces are gone by now), "二〇二四年四月十七日"
DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|[二〇○一二三四五六七八九零OＯ]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)
# 各乡镇人民政府、街道办事处，县直各相关单位：  /  段鸣委员：  /  各市州縣經信委（局）：
ADDRESSEE_LINE = re.compile(rf"^[{HAN}（）()、，,\s]{{2,120}}[：:]$")
CC_LINE = re.compile(r"^(?:抄送|抄報|抄报|分送)\s*[：:]")
CONTACT_LINE = re.compile(  # "联系人：…", and in brackets: "（联系人：孙晓东；联系电话：…）"
    r"^[（(]?(?:责任领导|責任領導|承办人|承辦人|经办人|經辦人|联系人|聯繫人|联系电话|聯繫電話|电话号码|電話號碼|电话|電話|传真|傳真|邮箱|郵箱)\s*[：:]"
)
NOTE_LINE = re.compile(
    r"^[（(]此件[^）)]{0,20}[）)]$|^[（(](?:[来來]源|原[标標]题|原標題)[：:].*[）)]$"
)
ATTACHMENT_HEAD = re.compile(
    r"^附件(?:\s*(?P<n>\d{1,2})(?![\d.．]))?(?P<sep>\s*[：:]?\s*)(?P<rest>.*)$"
)
ISSUED_TITLE = re.compile(r"印[发發]\s*[《<〈](?P<title>.+?)[》>〉]\s*的")
# … and without title marks: "关于印发五常市……考核办法的通知"
ISSUED_TITLE_BARE = re.compile(r"印[发發](?P<title>[^《<〈》>〉]{4,}?)的通知$")
ABOUT = re.compile("^(?:关|關)(?:于|於)|^(?:对|對)")
ABOUT_ANYWHERE = re.compile("(?:关|關)(?:于|於)|^(?:对|對)")
# "（此件公开发布）" ends a notice; the text it issues (regulations, a plan) follows.
PUBLISHED_NOTE = re.compile(r"^[（(]此件")
MAX_HEADING_CHARS = 40
MAX_TITLE_CHARS = 150
# "## 2024 步履铿锵": a scrape that kept Markdown headings (the hashes are markup, not text)
MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t\u3000]+(?P<text>\S.*)$")
NEWS_HEAD = 9  # placeholder level of a news section head until `assign_levels` places it


# A 令 (decree): "广东省人民政府令" above "（第290号）", "第232号" alone at the top (第２３２号,
# 第二百三十二号), or "江西省人民政府令第232号" on one line.
ORDER_HEAD = re.compile(rf"^(?P<issuer>[{HAN}]{{2,24}}?)令$")
# … and "〔2022〕第3号", the year in brackets before the number, as some provinces number theirs
ORDER_NUMBER = re.compile(
    r"^[（(]?\s*(?:[〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]\s*)?"
    rf"第\s*(?P<n>{SERIAL_NUMERAL})\s*[号號]\s*[）)]?$"
)
# "2020年 第40号" under "中华人民共和国海关总署公告" or "中华人民共和国农业部令": the number in the
# organ's series, with its year written out (the organ is the heading's)
YEAR_SERIAL_LINE = re.compile(
    rf"^[（(]?\s*(?P<year>(?:19|20)\d{{2}})\s*年\s*第\s*(?P<n>{SERIAL_NUMERAL})\s*[号號]\s*[）)]?$"
)
ANNOUNCEMENT_HEAD = re.compile(r"公告$")
# "（大房金管发[2009]1号　大连市住房公积金管理委员会）": a law database's line under the title, the
# 文号 and the organs that issued it in brackets (either first)
BRACKETED = re.compile(r"^[（(](?P<inside>[^（）()]{6,100})[）)]$")
# "（2021年10月18日省人民政府第…次常务会议通过）", "（2020年3月）": a date in brackets under the title
BRACKET_DATE = re.compile(
    r"^[（(][^（）()]{0,40}?(?P<date>(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?)[^（）()]{0,40}[）)]$"
)
# "2023年3月23日", "2023年3月23日发布" alone under a title: the 公报's date, not a sign-off; and
# the promulgation line a law or a decree prints there: "1997年7月31日中华人民共和国国务院令第226号",
# "2001年6月22日北京市第十一届人民代表大会常务委员会第二十七次会议通过"
HEADER_DATE = re.compile(
    r"^(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|[〇○零OＯ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)"
    r"(?P<rest>[^。，；\s]{0,60}?令(?:\d{4}年)?第[\d一二三四五六七八九十百零〇]+号|[^。，；]{0,60}?(?:通过|公布|施行|修订|修正))?"
    r"(?:发布|印发|公布|發布|印發)?$"
)
# An addressee line names organs or people: "各市、县（区）人民政府，省政府各部门：", "鹰潭市人民政府：", "段鸣委员："
ORGAN_WORDS = re.compile(
    r"各|人民政府|政府|部门|单位|机构|委员会|办公室|办公厅|管委会|厅|局|委|办|同志|委员|代表|公司|学校"
)
CUT_ENDINGS = ("的", "和", "与", "及", "、", "或", "在", "对", "为", "将")
NEW_TITLE = re.compile(r"^(?:《|关于|關於|解读|解讀)")
QUOTED_TITLE = re.compile(r"^(?:解读|解讀|图解|圖解)《[^《》]+》$")  # 解读《关于……若干措施》: whole
MIN_TITLE_CHARS = 4  # "各", a line cut to one character, is a fragment, never a title


def _decree_number(text: str) -> DocNumber | None:
    """ "江西省人民政府令第232号", "广东省人民政府令（第290号）", "中华人民共和国卫生部令1992年第24号",
    and in brackets under a title, "（中华人民共和国国务院令第374号）": a line that is a decree's
    number."""
    if "令" not in text:
        return None
    text = re.sub(r"^[（(](.+)[）)]$", r"\1", text)
    found = DocNumber.find_series(text)
    if len(found) != 1:
        return None
    number, start, end = found[0]
    whole = start == 0 and end == len(text)
    return number if whole and number.series == "令" else None


def _decree_in(text: str) -> DocNumber | None:
    """The decree number a promulgation line names ("……国务院令第226号", "卫生部令第36号发布")."""
    found = DocNumber.find_series(text) if "令" in text else []
    return found[0][0] if found and found[0][0].series == "令" else None


def _number_and_organs(text: str) -> tuple[str, list[str]] | None:
    """ "（大房金管发[2009]1号　大连市住房公积金管理委员会）" → its 文号 and its organs; None when the
    brackets hold anything else (a date, a promulgation line, a note)."""
    bracketed = BRACKETED.match(text)
    number = DOC_NUMBER_PATTERN.search(bracketed["inside"]) if bracketed else None
    if number is None or bracketed is None:
        return None
    rest = (
        bracketed["inside"][: number.start()] + " " + bracketed["inside"][number.end() :]
    ).strip()
    names = [o for n in re.split(r"[\s\u3000、，,]+", rest) if n for o in split_organs(n)]
    if not names or not all(ORGAN.fullmatch(n) for n in names):
        return None
    return number.group(0), names


def _is_addressee(text: str) -> bool:
    return ADDRESSEE_LINE.match(text) is not None and ORGAN_WORDS.search(text) is not None


def read_header(lines: list[Line], meta: dict) -> tuple[list[Block], int]:
    """Read the top of an official document; return its blocks and the index where the body starts.

    The header is at most the first eight lines (not counting the organs of a joint letterhead,
    one a line) and ends at the 主送 line or the first line of prose.
    """
    blocks: list[Block] = []
    title_parts: list[Line] = []
    organ_lines = 0  # a joint document's letterhead: eight organs stand above its title
    # the title is whole once it was printed twice or its 文号 stood under it: no line after joins
    # it (a line after the 文号 joined to the title would move above it)
    closed = False
    markdown_title = False  # "# 标题" from a scrape that kept Markdown: the title is that line
    i = 0
    while i < min(len(lines), 8 + organ_lines):
        line = lines[i]
        text = line.text
        if (heading := MD_HEADING.match(text)) is not None:
            title = heading["text"]  # "# 标题": only a first-level Markdown heading is the title
            if title_parts or len(heading["hashes"]) > 1:
                break  # "## 2024 步履铿锵": the body has begun
            title_parts.append(Line(line.no, title))
            markdown_title = True
            i += 1
            continue
        if text.startswith("附件"):
            break  # attachments belong to the body
        if not has_han(text) and not title_parts:
            # "- - - - - -", a rule or a number above the title: never part of it
            blocks.append(Block(NOTE, text, line=line.no))
            i += 1
            continue
        if title_parts and (numbered_organs := _number_and_organs(text)) is not None:
            number_text, organs = numbered_organs
            meta.setdefault("doc_number", number_text)
            meta.setdefault("header_issuers", organs)
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            closed = True
            i += 1
            continue
        number = DOC_NUMBER_PATTERN.search(text)
        if (
            number
            and len(text) - len(number.group(0)) <= 8
            and not any(b.anchor == "wenhao" for b in blocks)
        ):
            hinted = meta.get("hints", {}).get("doc_number")
            if hinted and meta.get("doc_number") == hinted[1]:
                meta["doc_number"] = number.group(0)  # a record's field is a hint: the text wins
            meta.setdefault("doc_number", number.group(0))
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            if title_parts and _is_letterhead(title_parts):
                _letterhead(title_parts, meta, blocks)  # "……局 / ……局 / 文件" above the 文号
                title_parts = []
            closed = bool(title_parts)
            i += 1
            continue
        if ADDRESSEE_LINE.match(text) and (
            title_parts or "doc_number" in meta or _is_addressee(text)
        ):
            blocks.append(Block(ADDRESSEE, text, line=line.no))
            i += 1
            break
        if (decree := _decree_number(text)) is not None and not any(
            b.anchor == "wenhao" for b in blocks
        ):
            meta.setdefault("order_issuer", decree.issuer_code)
            meta.setdefault("order_number", decree.serial)
            if decree.year:
                meta.setdefault("order_year_written", decree.year)
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            i += 1
            continue
        if text == "令" and title_parts and _is_letterhead([*title_parts, Line(0, "文件")]):
            # a joint decree: its organs stacked over 令 ("……总局 / ……部 / 令 / 第26号")
            organs = [o for p in title_parts for o in split_organs(p.text)]
            meta.setdefault("order_issuer", "、".join(organs))
            meta.setdefault("header_issuers", organs)
            _letterhead(title_parts, meta, blocks)
            blocks.append(Block(NOTE, text, line=line.no, anchor="ling"))
            title_parts = []
            i += 1
            continue
        if (order := ORDER_HEAD.match(text)) is not None and not GENRE_END.search(text):
            meta.setdefault(
                "order_issuer", order["issuer"]
            )  # 广东省人民政府令: a decree of 广东省人民政府
            blocks.append(Block(NOTE, text, line=line.no, anchor="ling"))
            i += 1
            continue
        numbered = ORDER_NUMBER.match(text) or YEAR_SERIAL_LINE.match(text)
        if (
            numbered is not None
            and title_parts
            and ANNOUNCEMENT_HEAD.search(title_parts[-1].text)
            and not any(b.anchor == "wenhao" for b in blocks)
        ):
            # a 公告's number under its heading: 海关总署公告2020年第40号, not a 令's
            meta.setdefault("announcement_heading", "".join(p.text for p in title_parts))
            meta.setdefault(
                "announcement_number",
                (int(numbered["year"]) if numbered["year"] else None, numeral_value(numbered["n"])),
            )
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            closed = True
            i += 1
            continue
        if (
            (year_serial := YEAR_SERIAL_LINE.match(text)) is not None
            and meta.get("order_issuer")
            and not any(b.anchor == "wenhao" for b in blocks)
        ):
            # "中华人民共和国农业部令" over "2010 年 第 4 号": the decree's number and its year
            meta.setdefault("order_number", numeral_value(year_serial["n"]))
            meta.setdefault("order_year_written", int(year_serial["year"]))
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            i += 1
            continue
        if (order_number := ORDER_NUMBER.match(text)) is not None and not any(
            b.anchor == "wenhao" for b in blocks
        ):
            meta.setdefault("order_number", numeral_value(order_number["n"]))
            if order_number["year"]:
                meta.setdefault("order_year", int(order_number["year"]))
            blocks.append(Block(NOTE, text, line=line.no, anchor="wenhao"))
            i += 1
            continue
        if (dated := BRACKET_DATE.match(text) or HEADER_DATE.match(text)) is not None and (
            title_parts or (i <= 2 and meta.get("title"))
        ):
            # the date a 公报 (or a regulation) prints under its title and organs, with or without
            # brackets: the document's, not the page's (a record whose title is a field of its own
            # opens its text with it)
            meta.setdefault("bracket_date", dated["date"])
            if (decree := _decree_in(text)) is not None:  # (……卫生部令第36号发布)
                meta.setdefault("order_issuer", decree.issuer_code)
                meta.setdefault("order_number", decree.serial)
            blocks.append(Block(NOTE, text, line=line.no))
            closed = True
            i += 1
            continue
        if (
            _is_prose(text)
            or parse_marker(text)
            or NUMBERED_START.fullmatch(text)
            or (HEAD_LIKE.match(text) and not text.startswith(("——", "--")))
        ):
            break
        if text.startswith(("——", "--")):
            blocks.append(Block(SUBTITLE, text, line=line.no))
            i += 1
            continue
        if (
            title_parts
            and TITLE_NOTE.fullmatch(text)
            and GENRE_END.search(_without_notes("".join(p.text for p in title_parts)))
        ):
            # "（征求意见稿）", "（2022版）" on a line under a title that ends in its genre word:
            # the title's own note, and the title is whole (a line after it is the text's)
            title_parts.append(line)
            closed = True
            i += 1
            continue
        if title_parts and _fold(text) == _fold("".join(p.text for p in title_parts)):
            # a saved page prints the title above the text and the text repeats it: kept, once as title
            blocks.append(Block(SUBTITLE, text, line=line.no))
            closed = True
            i += 1
            continue
        if (len(text) <= 60 or not _is_prose(text)) and not (markdown_title and title_parts):
            if closed:
                break
            title_parts.append(line)
            organ_lines += _is_organ_line(_letterhead_organs(text))
            i += 1
            continue
        break
    _set_title(title_parts, meta, blocks)
    return blocks, i


# "（试行）", "（征求意见稿）", "（2021-2025年）": a title's note in brackets, printed on a line of its own
TITLE_NOTE = re.compile(r"[（(][^（）()。，日]{1,16}[）)]")


def _without_notes(title: str) -> str:
    return re.sub(r"(?:[（(][^（）()]*[）)])+$", "", title)


def _is_prose(text: str) -> bool:
    """A sentence, not a title: long, or holding a full stop, question or exclamation mark, or a
    comma where no genre word ends the line ("近期，江西省市场监督管理局" is a cut sentence)."""
    if (
        len(text) <= MAX_TITLE_CHARS
        and GENRE_END.search(text)
        and not re.search("[。？！?!]", text)
    ):
        return False  # a long title still ends in its genre word: "关于印发《……》的通知"
    return len(text) > 60 or re.search("[。？！?!；]", text) is not None or "，" in text


def _set_title(parts: list[Line], meta: dict, blocks: list[Block]) -> None:
    """Pick the title among the header lines.

    An official document: the lines up to the one ending in a genre word (通知, 方案 …) are its
    title, split over several lines; a short line above a "关于……" line is the 发文机关标志.
    A news page: the longest line is the headline; lines above it are kickers (栏目, 系列),
    lines below it decks; both are shown as subtitles.
    """
    if not parts:
        return
    joined = "".join(line.text for line in parts)
    if len(joined) < MIN_TITLE_CHARS or joined.endswith(("：", ":")):
        for line in parts:  # a cut fragment ("各") or the rest of an addressee: text, not a title
            blocks.append(Block(PARAGRAPH, line.text, line=line.no))
        return
    if len(parts) == 1 and _is_organ_line(joined):
        # an organ's name alone above the 文号 (a 发文机关标志, a page's logo) is no title: the
        # title comes from elsewhere (the page's <title>, a table, the text)
        blocks.append(Block(NOTE, joined, line=parts[0].no, anchor="fawen-jiguan"))
        return
    parts = _peel_organ_lines(parts, meta, blocks)
    official = (
        "doc_number" in meta or ABOUT.search(joined) or any(ABOUT.match(p.text) for p in parts)
    )
    if not official and len(parts) > 1 and not GENRE_END.search(_without_notes(joined)):
        head = max(range(len(parts)), key=lambda k: (len(parts[k].text), -k))
        for k, line in enumerate(parts):
            if k == head:
                blocks.append(Block(HEADING, line.text, level=0, line=line.no))
                meta["title"] = meta["header_title"] = line.text
            else:
                blocks.append(Block(SUBTITLE, line.text, line=line.no))
                meta.setdefault("kickers", []).append(line.text)
        return
    end = next(
        (k for k in range(len(parts) - 1, -1, -1) if GENRE_END.search(parts[k].text)),
        len(parts) - 1,
    )
    # a second whole title under the first ("解读《…》" over "《…》十问十答政策解读"): a subtitle
    first = next(
        (
            k
            for k in range(end)
            if (GENRE_END.search(parts[k].text) or QUOTED_TITLE.match(parts[k].text))
            and NEW_TITLE.match(parts[k + 1].text)
        ),
        None,
    )
    if first is not None:
        end = first
    while end + 1 < len(parts) and TITLE_NOTE.fullmatch(parts[end + 1].text):
        end += 1  # "……管理指南（试行）" over "（征求意见稿）": the note is the title's
    issuer_lines = []
    title_lines = parts[: end + 1]
    # a joint document's 发文机关标志: its organs stacked one a line (then 文件) above "关于……"
    stacked = 0
    while stacked < len(title_lines) - 1 and _is_organ_line(
        _letterhead_organs(title_lines[stacked].text)
    ):
        stacked += 1
    if stacked >= 2 and (
        ABOUT.match(title_lines[stacked].text) or title_lines[stacked].text.startswith("印发")
    ):
        issuer_lines, title_lines = title_lines[:stacked], title_lines[stacked:]
    # the 发文机关标志 above the title: "衡阳市人民政府办公室" over "（衡阳市人民政府办公室）关于印发……"
    elif (
        len(title_lines) > 1
        and ABOUT_ANYWHERE.search(title_lines[1].text)
        and not GENRE_END.search(title_lines[0].text)
        and not ABOUT_ANYWHERE.search(title_lines[0].text)
        and len(title_lines[0].text) <= 30
        # … a whole organ's name, or a line the next one does not go on from: "国务院应对……联防" over
        # "联控机制关于……" is one title broken inside the organ's name
        and (ABOUT.match(title_lines[1].text) or _is_organ_line(title_lines[0].text))
    ):
        issuer_lines, title_lines = title_lines[:1], title_lines[1:]
    if issuer_lines:
        mark = _letterhead(issuer_lines, meta, blocks)
    title = normalise_line("".join(line.text for line in title_lines))
    if issuer_lines and ABOUT.match(title):
        # "关于……" alone names no issuer
        meta.setdefault("full_title", _letterhead_organs(mark) + title)
    blocks.append(Block(HEADING, title, level=0, line=title_lines[0].no))
    meta["title"] = meta["header_title"] = title  # (titles.gate_header_title judges it)
    for line in parts[end + 1 :]:  # a kicker or deck under the headline
        blocks.append(Block(SUBTITLE, line.text, line=line.no))


def classify_body(lines: list[Line], meta: dict, news: bool) -> list[Block]:
    blocks: list[Block] = []
    issued_seen, signoff_seen = (
        _Seen(lambda b: b.number == "正文"),
        _Seen(lambda b: b.kind == SIGNOFF),
    )
    issued_names = _IssuedNames()
    attachment = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if MD_HEADING.match(following):
            following = ""  # a Markdown heading is never the title of what stands above it
        if (decree := _decree_head(text, following)) is not None:
            # "中华人民共和国主席令" over "第五十九号" after a news item's lines: the decree it
            # reposts (the header held none), its head and number notes, never a section heading
            if "order_number" not in meta and "doc_number" not in meta:
                meta.setdefault("order_issuer", decree[0])
                meta["order_number"] = decree[1]
            blocks.append(Block(NOTE, text, line=line.no, attachment=attachment, anchor="ling"))
            i += 1
            blocks.append(
                Block(NOTE, following, line=lines[i].no, attachment=attachment, anchor="wenhao")
            )
        elif DATE_LINE.match(text) and blocks and _could_be_signoff(blocks[-1]):
            blocks[-1].kind = SIGNOFF
            blocks[-1].level = 0
            signers = _joint_signers(blocks)
            blocks.append(Block(SIGNOFF, text, line=line.no, attachment=attachment))
            meta.setdefault("signoff_issuer", blocks[-2].text)
            if len(signers) > 1:
                meta.setdefault("signoff_issuers", signers)
            meta.setdefault("signoff_date", text)
        elif (
            DATE_LINE.match(text)
            and attachment == 0
            and not any(b.kind == SIGNOFF for b in blocks)
            and blocks
            and (
                blocks[-1].kind in (PARAGRAPH, ADDRESSEE, ATTACHMENT_LIST)
                or (blocks[-1].kind == HEADING and blocks[-1].level == NEWS_HEAD)
                or _closes_the_text(lines[i + 1 :])
            )
        ):
            # a date alone under the text: the sign-off of a text whose issuer line the scrape lost
            blocks.append(Block(SIGNOFF, text, line=line.no, attachment=attachment))
            meta.setdefault("signoff_date", text)
        elif CC_LINE.match(text):
            blocks.append(Block(CC, text, line=line.no, attachment=attachment))
        elif CONTACT_LINE.match(text):
            blocks.append(Block(CONTACT, text, line=line.no, attachment=attachment))
        elif NOTE_LINE.match(text):
            blocks.append(Block(NOTE, text, line=line.no, attachment=attachment))
        elif (m := ATTACHMENT_HEAD.match(text)) and _starts_attachment(m, following):
            attachment = int(m["n"] or attachment + 1)
            title = m["rest"].strip()
            if not title and _starts_attachment(m, following):
                i += 1
                title_line = lines[i]
                text = f"{text}　{title_line.text}"
            blocks.append(
                Block(
                    HEADING,
                    text,
                    level=1,
                    number=f"附件{attachment}",
                    line=line.no,
                    attachment=attachment,
                )
            )
        elif (m := ATTACHMENT_HEAD.match(text)) and m["rest"]:
            # "附件：1.衡南县产业培塑行动实施方案" then "2.…" lines: the list of attachments
            blocks.append(Block(ATTACHMENT_LIST, text, line=line.no, attachment=attachment))
            while (
                i + 1 < len(lines)
                and re.match(r"^\d{1,2}[.．、]", lines[i + 1].text)
                and not _is_prose(lines[i + 1].text)
            ):
                i += 1
                blocks.append(
                    Block(ATTACHMENT_LIST, lines[i].text, line=lines[i].no, attachment=attachment)
                )
        elif (heading := MD_HEADING.match(text)) is not None:
            hashes = max(
                2, len(heading["hashes"])
            )  # a "# " in the body is a section, not a second title
            blocks.append(
                Block(HEADING, heading["text"], level=hashes, line=line.no, attachment=attachment)
            )
        elif (marker := parse_marker(text)) is not None:
            # an article (第五条) is always a paragraph of the text, never a heading
            kind = (
                HEADING
                if marker.kind != KIND_ARTICLE and _is_heading_text(marker.rest)
                else PARAGRAPH
            )
            blocks.append(
                Block(kind, text, number=marker.text, line=line.no, attachment=attachment)
            )
        elif news and _is_caption(text, blocks):
            # before the heads: "图为会议现场" is short and stands above a paragraph like a head
            blocks.append(Block(CAPTION, text, line=line.no, attachment=attachment))
        elif news and _is_news_heading(text, following) and not _is_table_note(text, blocks):
            blocks.append(
                Block(HEADING, text, level=NEWS_HEAD, line=line.no, attachment=attachment)
            )
        elif not news and _is_issued_title(
            text, meta, blocks, issued_seen, signoff_seen, issued_names
        ):
            blocks.append(
                Block(HEADING, text, level=1, number="正文", line=line.no, attachment=attachment)
            )
        else:
            blocks.append(Block(PARAGRAPH, text, line=line.no, attachment=attachment))
        i += 1
    return blocks


def _decree_head(text: str, following: str) -> tuple[str, int] | None:
    """(organ, number) of a decree's head standing in the body: "……令" on a line, its number
    ("第五十九号", "2010年第4号") alone on the next."""
    order = ORDER_HEAD.match(text)
    if order is None or GENRE_END.search(text):
        return None
    numbered = ORDER_NUMBER.match(following) or YEAR_SERIAL_LINE.match(following)
    return (order["issuer"], numeral_value(numbered["n"])) if numbered else None


def _closes_the_text(rest: list[Line]) -> bool:
    """A date that ends the text, or stands above its note, attachments or 抄送, is its sign-off."""
    return len(rest) <= 1 or re.match(r"[（(]此件|附件|抄送|抄报", rest[0].text) is not None


def _could_be_signoff(block: Block) -> bool:
    guessed = block.kind == PARAGRAPH or (
        block.kind == HEADING and block.level == NEWS_HEAD
    )  # not "## …"
    return (
        guessed
        and not block.number
        and len(block.text) <= 60
        and not _is_prose(block.text)
        and "，" not in block.text
        and not CLOSING.match(block.text)
        and not block.text.endswith(("：", ":"))
    )


# "特此通知", "特此通告": the closing formula above the sign-off, never the issuer
CLOSING = re.compile(r"^(?:特此|此复|专此)")
# Each organ of a joint sign-off, several to a line: "浙江省商务厅　中共浙江省委……领导小组办公室"
ORGAN = re.compile(
    rf"[{HAN}（）()]{{2,40}}?(?:厅|局|委员会|委|办公室|办公厅|政府|社|联合社|行|支行|会|院|部|署|办|中心|公司|小组|总队|调查队"
    # … 全国妇联, 全国工商联, 共青团中央; one organ under two names: 中国企业联合会/中国企业家协会
    rf"|[妇商]联|团中央|处)(?:/[{HAN}]{{2,20}}?(?:会|局|委|部|办))?$"
)
MAX_SIGNER_LINES = 12


def _joint_signers(blocks: list[Block]) -> list[str]:
    """The organs of a sign-off: the line above the date and the organ-name lines above it, when a
    joint document is signed by several (the first one is the `issuer`, all are `issuers`)."""
    signers: list[str] = []
    k = len(blocks) - 1
    while k >= 0 and len(blocks) - k <= MAX_SIGNER_LINES:
        block = blocks[k]
        names = [o for n in re.split(r"[\s\u3000]+", block.text) if n for o in split_organs(n)]
        if (
            block.kind not in (PARAGRAPH, SIGNOFF)
            or block.number
            or not names
            or not all(ORGAN.match(n) for n in names)
        ):
            break
        if k < len(blocks) - 1:
            block.kind, block.level = SIGNOFF, 0
        signers[:0] = names
        k -= 1
    return signers


# Where an organ's name ends: "…局", "…委员会", "…办公室" (the longer words first)
ORGAN_END = re.compile(
    r"人民政府|政府|办公厅|办公室|委员会|管委会|管理委员会|联合会|联合社|厅|局|署|院|中心|公司|总队|调查队|小组"
)
NEXT_ORGAN = re.compile(r"中共|中国|国家|国网|国务院")


def split_organs(text: str) -> list[str]:
    """ "重庆市民政局重庆市财政局重庆市残疾人联合会" → its three organs: a letterhead or a sign-off that
    lost the spaces between them. A cut falls only where an organ's name ends and a place's name
    (or 中共, 国家 …) opens the next one: 中共重庆市委网络安全和信息化委员会办公室 stays whole."""
    names, start = [], 0
    for m in ORGAN_END.finditer(text):
        rest = text[m.end() :]
        if not rest:
            break
        place = next(iter(mentions(rest[:12])), None)
        opens = NEXT_ORGAN.match(rest) is not None or (place is not None and place.start == 0)
        if opens and m.end() - start >= 4:
            names.append(text[start : m.end()])
            start = m.end()
    names.append(text[start:])
    return names


def _peel_organ_lines(parts: list[Line], meta: dict, blocks: list[Block]) -> list[Line]:
    """Organs' names around a whole title are not part of it: those under it issue it (a 公报's,
    a 规划's: `header_issuers`); one above a title that names no organ of its own ("关于……") is
    the name of the site that reposted it (a kicker)."""
    parts = list(parts)
    if any(GENRE_END.search(p.text) for p in parts[:-1]):
        under: list = []
        while len(parts) > 1 and _is_organ_line(parts[-1].text):
            under.insert(0, parts.pop())
        for line in under:
            blocks.append(Block(NOTE, line.text, line=line.no))
            meta.setdefault("header_issuers", []).extend(
                n for n in re.split(r"[\s\u3000]+", line.text) if n
            )
    while (
        len(parts) > 1
        and _is_organ_line(parts[0].text)
        and GENRE_END.search(parts[1].text)
        and not ABOUT_ANYWHERE.search(parts[1].text)
        and not parts[1].text.startswith(("印发", "印發"))
    ):
        blocks.append(Block(SUBTITLE, parts[0].text, line=parts[0].no))
        meta.setdefault("kickers", []).append(parts[0].text)
        parts = parts[1:]
    return parts


def _is_letterhead(parts: list[Line]) -> bool:
    """Organs' names one a line, the last perhaps followed by 文件 or with 文件 on a line of its own."""
    texts = [p.text for p in parts]
    if texts[-1] == "文件" and len(texts) > 1:
        texts = texts[:-1]
    return all(_is_organ_line(_letterhead_organs(t)) for t in texts) and (
        len(texts) > 1 or texts[0] != _letterhead_organs(texts[0]) or parts[-1].text == "文件"
    )


def _letterhead(parts: list[Line], meta: dict, blocks: list[Block]) -> str:
    """The 发文机关标志 above a title: one note, its organs the document's issuers."""
    mark = "\u3000".join(line.text for line in parts)
    blocks.insert(0, Block(NOTE, mark, line=parts[0].no, anchor="fawen-jiguan"))
    organs = [o for line in parts for o in split_organs(_letterhead_organs(line.text)) if o]
    organs = [o for o in organs if o != "文件"]
    if len(organs) > 1:  # each organ of a joint document issues it
        meta.setdefault("issuer", organs[0])
        meta.setdefault("header_issuers", organs)
    else:
        meta.setdefault("issuer", mark)
    return mark


def _letterhead_organs(text: str) -> str:
    """ "重庆市财政局文件" → "重庆市财政局": the 文件 a letterhead prints after its organs."""
    return re.sub(r"[\s\u3000]*文件$", "", text)


def _is_organ_line(text: str) -> bool:
    """ "河南省统计局", "四川省财政厅　四川省农业农村厅": organs' names and nothing else."""
    names = [n for n in re.split(r"[\s\u3000]+", text) if n]
    return bool(names) and len(text) <= 60 and all(ORGAN.fullmatch(n) for n in names)


def _starts_attachment(m: re.Match, following: str) -> bool:
    """ "附件1" alone on its line (title below), or "附件1 衡南县……方案" as a heading."""
    rest = m["rest"].strip()
    if not rest:  # "附件：" alone introduces a list; "附件1" alone has its title below
        return (
            not re.search("[:：]", m["sep"])
            # the title below may open with its year: "2024年元旦春节期间……企业名单"
            and re.match(f"[{HAN}“《]|(?:19|20)\\d{{2}}年", following) is not None
            and not DATE_LINE.match(following)
            and not _is_prose(following)
            and not NUMBERED_START.match(following)
        )
    if _is_prose(rest) or len(rest) > MAX_HEADING_CHARS * 2 or NUMBERED_START.match(rest):
        return False
    spaced = m["sep"] != "" and not re.search("[:：]", m["sep"])
    # "附件　祁东县……项目表": a title after a space; "附件：1.……" (a colon) starts the list instead
    if m["n"] is None:
        return spaced
    return spaced or GENRE_END.search(rest) is not None


def _is_heading_text(rest: str) -> bool:
    """ "加强全域统筹" is a heading; "聚力攻坚产业培塑行动。围绕……" is a paragraph with a run-in head."""
    body = rest.rstrip("。")
    if rest.endswith("。") and re.search("[，,]", body):
        return False  # "二、请你局抓紧编制规划，并按程序报批。" is a sentence, not a heading
    return len(body) <= MAX_HEADING_CHARS and not re.search("[。；！？]", body)


def _is_news_heading(text: str, following: str) -> bool:
    return (
        len(text) <= 30
        and not text.endswith(CUT_ENDINGS)  # "感染的": a line cut mid-phrase, not a head
        and has_han(text)
        and not NUMBERED_START.match(text)
        and not re.search("[。；！？，]", text)
        # a head stands above a paragraph; a 关键词 head is one whatever follows
        and (
            _is_prose(following)
            or re.search("[，。；！？：]", following) is not None
            or head_family(text) == "关键词"
        )
        and not DATE_LINE.match(text)
    )


# The label of a table's note row (说明, 备注 …): a cell of the table above, never a section head.
TABLE_NOTE = re.compile(
    r"^(?:说明|說明|备注|備註|附注|附註|注释|註釋|注|註|资料来源|資料來源|数据来源|數據來源)[：:]?$"
)
MAX_CELL_CHARS = 20


def _is_table_note(text: str, blocks: list[Block]) -> bool:
    """ "说明" under "3.96": a table a portal flattened into lines, whose cells stand one a line.
    The first conversion may have known it was no news page (a record's 文号 field); its text,
    converted again, must not make the label a heading."""
    if TABLE_NOTE.match(text) is None or not blocks or blocks[-1].kind != PARAGRAPH:
        return False
    cell = blocks[-1].text
    return len(cell) <= MAX_CELL_CHARS and not re.search("[。；！？，]", cell)


# The family of a news section head, so that each family gets its own level:
# "关键词　产业强市" → 关键词, "措施一：聚焦……" → 措施, "亮点二·改革创新……" → 亮点.
HEAD_FAMILY = re.compile(
    rf"^(?:(?P<keyword>关键词|關鍵詞)|(?P<label>[{HAN}]{{1,4}}?)[一二三四五六七八九十\d]{{1,3}}\s*[:：·])"
)


def head_family(text: str) -> str:
    m = HEAD_FAMILY.match(text)
    if m is None:
        return ""
    return m["keyword"] or m["label"]


def _is_caption(text: str, blocks: list[Block]) -> bool:
    """A photo caption: "图为……", or a short sentence standing alone before the first heading."""
    if re.search("图为|圖為|（图|（圖|摄$|攝$", text):
        return True
    return (
        len(text) <= 40
        and text.endswith("。")
        and "，" not in text
        and not any(b.kind == HEADING for b in blocks)
    )


class _Seen:
    """Has any block so far a mark it keeps once it has it (the 正文 heading, a sign-off)? Each
    block is looked at once, not once per line: a text of 50,000 short lines stays linear."""

    def __init__(self, has_mark):
        self.has_mark, self.checked, self.found = has_mark, 0, False

    def __call__(self, blocks: list[Block]) -> bool:
        if not self.found:  # the last block looked at may have become a sign-off since: again
            self.found = any(self.has_mark(b) for b in blocks[max(0, self.checked - 1) :])
            self.checked = len(blocks)
        return self.found


class _IssuedNames:
    """The titles a 印发 notice's text names as what it issues ("现将《X》印发给你们", "《X》已经……
    同意，现印发给你们") or a 令 as what it promulgates ("《X》已经……通过，现予公布"), folded;
    each block read once."""

    def __init__(self):
        self.checked, self.names = 0, set()

    def __call__(self, blocks: list[Block]) -> set[str]:
        for block in blocks[self.checked :]:
            if block.kind == PARAGRAPH and "《" in block.text:
                for pattern in (ISSUING, PROMULGATED):
                    self.names.update(_fold(m["title"]) for m in pattern.finditer(block.text))
        self.checked = len(blocks)
        return self.names


def _is_issued_title(
    text: str,
    meta: dict,
    blocks: list[Block],
    issued_seen: _Seen,
    signoff_seen: _Seen,
    issued_names: _IssuedNames,
) -> bool:
    """The title of the plan a 印发 notice issues, standing after the notice's sign-off."""
    if len(text) > 60 or _is_prose(text) or issued_seen(blocks):
        return False
    after_note = (
        bool(blocks)
        and blocks[-1].kind == NOTE
        and PUBLISHED_NOTE.match(blocks[-1].text) is not None
    )
    # the 印发 notice's title: the one read so far, or (converting a page again) its full_title
    title = next(
        (t for t in (meta.get("title", ""), meta.get("full_title", "")) if "印" in t),
        meta.get("title", ""),
    )
    marked = ISSUED_TITLE.search(title)
    bare = None if marked else ISSUED_TITLE_BARE.search(title)
    m = marked or bare
    if not after_note and (not m or not signoff_seen(blocks)):
        # no title to match (a page converted again, a title from elsewhere): the one the
        # notice's own text says it issues
        return signoff_seen(blocks) and _fold(text) in issued_names(blocks)
    if bare is not None and not after_note:
        # no title marks to bound it: the issued title is words of the notice's own title (half
        # of one broken over two lines, "转制为企业的规定", is not)
        return _fold(text) in _fold(bare["title"]) and GENRE_END.search(text) is not None
    return (m is not None and _fold(text) == _fold(m["title"])) or GENRE_END.search(
        text
    ) is not None


def _fold(text: str) -> str:
    """Spacing, quotes, title marks, bracket width and dash shapes do not make two titles differ."""
    text = re.sub(r"[\s“”\"'‘’<>《》〈〉]", "", text)
    return re.sub(r"[—–－\-~～]+", "-", text.replace("（", "(").replace("）", ")"))


def assign_levels(blocks: list[Block]) -> None:
    """Heading depth: 1 for attachments (and the issued text), then the numbering nests under it.

    A marker family takes the next depth the first time it appears below the current one, so a
    document that goes 一、 → 1. gets two levels, not four. News heads do the same by family
    (关键词 → 措施); scraped Markdown heads keep the depth they were written at (## → 1).
    """
    base = 1 if any(b.kind == HEADING and b.level == 1 for b in blocks) else 0
    stack: list[str] = []
    families: list[str] = []
    for block in blocks:
        if block.kind == HEADING and block.level == 1:
            stack, families = [], []
            continue
        if block.number and (marker := parse_marker(block.text)) is not None:
            _push(stack, marker)
            block.level = base + len(stack)  # for a numbered paragraph: its numbering depth
            block.number = marker.text
        elif block.kind == HEADING and block.level == NEWS_HEAD:
            family = head_family(block.text)
            if family in families:  # a family seen before closes the families opened under it
                del families[families.index(family) + 1 :]
            else:
                families.append(family)
            block.level = base + families.index(family) + 1
        elif block.kind == HEADING and block.level >= 2:
            block.level = max(1, block.level - 1)  # scraped Markdown: ## → 1, ### → 2, as written
            families = []


def demote_empty_headings(blocks: list[Block]) -> None:
    """A numbered heading with nothing under it is an item of a list: "（2）引导连锁企业下沉。"."""
    for k, block in enumerate(blocks):
        if (
            block.kind != HEADING
            or not block.number
            or (block.level <= 1 and block.number.startswith(("附件", "正文")))
        ):
            continue
        following = blocks[k + 1] if k + 1 < len(blocks) else None
        if (
            following is None
            or ((following.kind == HEADING or following.number) and following.level <= block.level)
            or (following.kind in (SIGNOFF, CC, CONTACT, ATTACHMENT_LIST))
        ):
            block.kind = PARAGRAPH


def _push(stack: list[str], marker: Marker) -> None:
    if marker.kind in stack:
        del stack[stack.index(marker.kind) + 1 :]
    else:
        stack.append(marker.kind)


def _source_position(block: Block, lines: list[Line]) -> tuple[int, int]:
    """Where a header block stood: its source line, and among the pieces of a line a crawler had
    flattened (each with the line's number, clean.split_run_on_lines), the piece it opens with."""
    for k, line in enumerate(lines):
        if line.no == block.line and (
            block.text.startswith(line.text[:6]) or line.text.startswith(block.text[:6])
        ):
            return block.line, k
    return block.line, len(lines)


def build_blocks(lines: list[Line], meta: dict) -> list[Block]:
    header, start = read_header(lines, meta)
    # in source order, so that converting the text again reads it the same
    header.sort(key=lambda b: _source_position(b, lines[: start + 1]))
    # a news page: no 文号, no addressee, and a headline rather than a title ending in a genre word
    news = (
        "doc_number" not in meta
        and not any(b.kind == ADDRESSEE for b in header)
        and not (
            GENRE_END.search(_without_notes(meta.get("title", "")))
            and not re.search("(?:报告|報告|解读|解讀)$", meta.get("title", ""))
        )
    )
    body = classify_body(lines[start:], meta, news)
    blocks = header + body
    assign_levels(blocks)
    demote_empty_headings(blocks)
    return blocks
