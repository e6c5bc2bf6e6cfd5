"""A title is a document's name, never page chrome: the gate every title candidate must pass.

A source offers its title several times over: the text's own header lines, a record's title
field or a page's 标题 row, a `<meta name="ArticleTitle">` tag, the page's `<title>`. Any of them
can be chrome instead: a breadcrumb glued to a font-size widget, a portal's own name, a rule of
dashes, the organs of a letterhead, the date line under a decree's title, a stub such as
"详见附件". `title_fault` says why a candidate is not a title (None when it reads as one);
`metadata.finalise` takes the first candidate that passes, in the order the text's own header
first, and infers a title from the text when none does. tests/test_titles.py runs the same gate
over every title the build writes.
"""

from __future__ import annotations

import re

from ..core.chars import HAN
from ..core.docnumber import DocNumber
from ..core.genres import GENRE_END
from ..core.model import HEADING, NOTE, PARAGRAPH, Block
from ..core.script import simplified

MIN_TITLE_CHARS = 4  # "各", a line cut to one character, is a fragment
MAX_TITLE_CHARS = 150
MIN_TITLE_HAN = 3  # "- - - - - -", "Notice on …" (a translated title), "2010年第4号" have fewer

# "您当前所在的位置：首页 > 政务服务 > …", "首页 » 政策法规": the marks of a breadcrumb trail
BREADCRUMB = re.compile(
    r"(?:当前|现在|所在|您的|您当前|您现在)[^，。：:]{0,4}位置|首页\s*(?:[>＞»›/→]|&gt;)|"
    r"[>＞»›][^>＞»›]{1,20}[>＞»›]"  # a trail of three steps or more (one ">" may be a title's own)
)
# "-A+大A+中A+小", "【字号：大 中 小】", "打印本页", "【关闭】", "分享到": a page's widgets. A bare word
# (打印, 分享, 收藏) can be a title's own ("3D打印", "分享经济"), so each is matched in a widget's shape.
WIDGET = re.compile(
    r"[大中小]\s*A\s*[+＋]|A\s*[+＋]\s*[大中小]|字[号体]\s*[:：]|[【\[]\s*(?:打印|关闭|收藏|分享|字号|字体|[大中小])|"
    r"打印本页|打印此页|关闭窗口|关闭本页|分享到|扫一扫|浏览次数|点击查看|点击数|访问量|【音频解读】|【视频解读】"
)
# "北京市人民政府门户网站 www.beijing.gov.cn", "中国政府网": a site's name, its address
PORTAL = (
    re.compile(  # (a title about one, "关于加强政府网站建设管理的通知", ends in its genre word)
        r"(?:门户网站|网站|政府网|门户网)$|[Ww]{3}\.|\.gov\.cn|https?://|\.(?:com|cn|net)\b"
    )
)
# "详见附件", "点击下方查看附件", "见附件！": a stub standing for a text the scrape did not keep
STUB = re.compile(
    r"^(?:详见|详情见|请见|请查看|见|点击(?:下方|下面|此处|这里)?(?:查看|下载)?)(?:下方|下面)?(?:附件|链接|原文)"
)
# "（1994年8月29日卫生部令第36号发布）", "2001年6月22日……会议通过", "（2019年10月20日）": the date
# line a decree or a regulation prints under its title
DATED_LINE = re.compile(
    r"^(?:[（(]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
# "2010年第4号", "第26号", "〔2024〕5号": a number with nothing to name the document by
NUMBER_ALONE = re.compile(
    r"^[（(]?(?:(?:19|20)\d{2}\s*年\s*)?第?\s*[0-9０-９一二三四五六七八九十百零〇]+\s*号[）)]?$"
)
# "前言 ........ 2": a table of contents' line
DOT_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|…\s*\d+$)")
# a sentence of the text: "为深入贯彻……，现提出如下意见。"
SENTENCE = re.compile(r"[。；;]")  # (a headline may ask or exclaim: "最全！一图读懂……")
SENTENCE_START = re.compile(
    r"^(?:为了?|根据|按照|依据|近日|日前|经)[^，,]{0,60}[，,]"
    # "为深入贯彻落实党中央、国务院关于加快发展人工智能": a purpose clause a hard wrap cut
    r"|^为了?(?:深入|全面|认真|进一步)*(?:贯彻|落实)"
)
# "、指导思想", "》的通知": a title cut at its start
CUT_START = re.compile(r"^[、，,。；：:》〉」』”’）)\]】]")
# The organs of a letterhead: "重庆市经济和信息化委员会 重庆市财政局 文件", "中华人民共和国卫生部"
ORGAN_NAME = re.compile(
    rf"[{HAN}（）()]{{2,40}}?(?:人民政府|政府|办公厅|办公室|委员会|管委会|厅|局|委|办|署|部|院|中心|总队|调查队|联合社|联合会|协会)"
)
LETTERHEAD_WORD = re.compile(r"[\s\u3000]*(?:文件|文件处理笺)?$")


def title_fault(title: str | None) -> str | None:
    """Why `title` is no document's name ("breadcrumb", "widget", "portal name" …), or None when
    it reads as a title. The words are read in simplified characters (首頁 is 首页)."""
    text = (title or "").strip()
    if len(text) < MIN_TITLE_CHARS:
        return "too short"
    if len(re.findall(f"[{HAN}]", text)) < MIN_TITLE_HAN:
        return "no words"  # punctuation alone, a number, a translation
    if len(text) > MAX_TITLE_CHARS:
        return "too long"
    folded = simplified(text)
    for fault, pattern in (
        ("breadcrumb", BREADCRUMB),
        ("widget", WIDGET),
        ("portal name", PORTAL),
        ("stub", STUB),
        ("date line", DATED_LINE),
        ("table of contents", DOT_LEADER),
        ("cut", CUT_START),
    ):
        if pattern.search(folded):
            return fault
    if folded.endswith(("：", ":")):
        return "label"
    if SENTENCE.search(folded.rstrip("。")) or SENTENCE_START.match(folded):
        return "sentence"
    if folded.count("《") != folded.count("》"):
        return "cut"  # "“十三五”时期中医药发展规划》的通知": its start is lost
    if is_number(folded):
        return "number alone"
    if is_letterhead(folded):
        return "letterhead"
    return None


def reads_as_title(title: str | None) -> bool:
    return title_fault(title) is None


def is_number(text: str) -> bool:
    """A 文号 or a decree's number alone (国务院令第588号, 〔2024〕5号, 2010年第4号)."""
    if NUMBER_ALONE.match(text) or re.fullmatch(r".{0,16}[〔\[(（]\d{4}[〕\])）]\s*第?\d+号", text):
        return True
    try:
        number = DocNumber.parse(text)
    except ValueError:
        return False
    return len(text) <= len(str(number)) + 4


def is_letterhead(text: str) -> bool:
    """Organs' names alone, with or without the 文件 under them: the 发文机关标志 of a red-head
    document (joint ones print each organ on a line of its own), never its title."""
    names = [n for n in re.split(r"[\s\u3000]+", LETTERHEAD_WORD.sub("", text)) if n]
    if not names:
        return False
    if len(names) == 1:  # "重庆市经济和信息化委员会重庆市财政局": names run together
        return _organs_alone(names[0])
    return all(_organs_alone(n) for n in names)


def _organs_alone(text: str) -> bool:
    return bool(text) and re.fullmatch(f"(?:{ORGAN_NAME.pattern})+", text) is not None


def names_no_subject(title: str) -> bool:
    """ "中华人民共和国海关总署公告", "北京市人民政府令": an organ and a genre word, no subject. Such a
    heading is a title, but another candidate that names the subject is a better one."""
    genre = GENRE_END.search(title) or re.search("令$", title)
    return genre is not None and _organs_alone(title[: genre.start()].strip())


# A header line that is no title stays in the text as what it is (the clutter rules of clean.py
# remove chrome, with their report; the gate only keeps it from being the title): a note for the
# organs of a letterhead, a promulgation line or a number; a paragraph for anything else.
NOTE_FAULTS = {"letterhead", "date line", "number alone"}
# The candidates of a source other than its header, in the order they are trusted: a record's
# title field or a page's 标题 row, a <meta name="ArticleTitle"> tag, the page's <title>.
FIELD_CANDIDATES = ("field_title", "meta_title", "page_title")


def gate_header_title(blocks: list[Block], meta: dict) -> None:
    """The title the text's header gave, if it is no title, is taken back: its heading becomes
    the note or paragraph it is, and meta loses it."""
    title = meta.get("header_title")
    if not title or meta.get("title") != title or (fault := title_fault(title)) is None:
        return
    meta["rejected_title"] = meta.pop("title")  # (a decree's number alone still beats nothing)
    meta.pop("full_title", None)  # built from the same header lines
    for block in blocks:
        if block.kind == HEADING and block.level == 0 and block.text == title:
            block.kind = NOTE if fault in NOTE_FAULTS else PARAGRAPH
            if fault == "letterhead":  # the 发文机关标志, anchored as structure.py anchors it
                block.anchor = "fawen-jiguan"
            break


def choose_title(meta: dict) -> None:
    """meta["title"] := the first candidate that reads as a title (the text's own first); a
    heading that names no subject (an organ and a genre word) or a cut one gives way to a field
    that names it whole. No candidate passing leaves no title (the text's words are inferred)."""
    candidates = [meta.get("title"), *(meta.get(key) for key in FIELD_CANDIDATES)]
    passing = [c.strip() for c in candidates if c and reads_as_title(c)]
    if not passing:
        meta.pop("title", None)
        return
    best = passing[0]
    for other in passing[1:]:
        if (names_no_subject(best) and not names_no_subject(other)) or _cut_from(best, other):
            best = other
    best = unwrapped(best)
    if best != meta.get("title"):
        meta.pop("full_title", None)
    meta["title"] = best


# "《中华人民共和国中医药法》全文", "《……条例》": a page that reposts a document names it in title
# marks (and says it is the whole text): the document's name is what the marks hold
WRAPPED = re.compile(r"^《(?P<name>[^《》]{4,})》\s*(?:全文|原文|[（(](?:全文|原文)[）)])?$")


def unwrapped(title: str) -> str:
    m = WRAPPED.match(title)
    return m["name"] if m else title


def _cut_from(title: str, whole: str) -> bool:
    """ "联控机制关于……的通知" is the end of "国务院……联防联控机制关于……的通知": a title whose first
    line was taken for a letterhead. ("关于……" under its organ is whole: that is its full title.)"""
    a, b = _fold(title), _fold(whole)
    if len(a) >= len(b) or not b.endswith(a) or re.match("关于|关於|關於", a):
        return False
    # the part before it is the rest of a name, not a number ("国务院令(第450号) 重大……条例")
    head = (
        whole[: len(whole) - len(title.strip())] if whole.endswith(title.strip()) else b[: -len(a)]
    )
    return re.search(r"[\d０-９\s（）()〔〕\[\]号令]", head) is None


def _fold(text: str) -> str:
    return re.sub(r"[\s\u3000“”\"'‘’《》〈〉<>]", "", simplified(text))
