"""References: the documents a text cites, by 文号 and by 《title》.

    根据《衡阳市人民政府办公室关于印发<衡阳市实施“八大行动”总体方案>的通知》（衡政办发〔2024〕5号）精神
          └────────────────────── title ──────────────────────────────┘ └──── doc_number ────┘
    is one `Reference` (a title followed by its 文号 in brackets), with the cue 根据 that makes it
    the basis the citing document carries out.

Found:
- 文号 in every bracket variant (〔〕 [] () ［］ 【】), 号 or 號, spaces, full-width digits,
  traditional issuer codes (see docnumber.py, whose `key()` folds them);
- a decree's number (江西省人民政府令第161号, 国务院令第588号, 省政府第232号令) and a 公告's
  (住房城乡建设部公告2019年第237号); an organ named by its level alone (省政府令) is the
  government of the citing document's own place;
- 《titles》, nested ones included: 《…<…>…》, 《…〈…〉…》, 《…《…》…》;
- only titles that name a document (they end with a genre word: 方案, 通知, 条例, 纲要 …), so
  《人民日报》 is a newspaper, not a reference.
Titles compare through `title_key`: traditional → simplified (OpenCC), full-width → half-width,
quotes, inner brackets and spaces dropped.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate

from ..core import places
from ..core.docnumber import DocNumber
from ..core.genres import GENRES
from ..core.model import HEADING, Block, Document
from ..core.script import to_simplified

OPEN, CLOSE = "《〈<", "》〉>"
# Words a document title ends with, beyond the genres that end the titles of our own documents.
DOCUMENT_ENDINGS = (
    *GENRES,
    "纲要",
    "綱要",
    "法",
    "协定",
    "協定",
    "提案",
    "议案",
    "大纲",
    "大綱",
    "措施",
    "清单",
    "清單",
    "指南",
    "章程",
    "公报",
    "公報",
    "标准",
    "標準",
    "规范",
    "規範",
    "规程",
    "規程",
    "通则",
    "通則",
    "准则",
    "準則",
    "指引",
    "目录",
    "目錄",
    "名录",
    "名錄",
    "政策",
)
DOCUMENT_TITLE = re.compile("(?:" + "|".join(DOCUMENT_ENDINGS) + r")(?:[（(][^）)]*[）)])*$")
# A title's number in brackets right after it, what comes between: 《…》（衡政办发〔2024〕5号）,
# 《…》（2007年9月13日江西省人民政府令第161号公布）
NUMBER_AFTER_TITLE = re.compile(
    r"\s*[（(]\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*)?"
)
# … and after the number: its closing bracket (after 公布, 发布 …), or a comma that goes on
# (以下简称《方案》)
NUMBER_CLOSED = re.compile(r"\s*(?:公布|发布|颁布|印发|施行)?\s*[）)]|(?=\s*[，,；;])")
MAX_TITLE = 200  # characters between 《 and 》: past this an unclosed 《 is text
# Words that make a citation the basis the citing document carries out (上级文件).
BASIS_CUE = re.compile(r"根据|按照|依据|遵照|贯彻|落实|执行|对照")
CLAUSE_END = "。；！？，：;!?,:"
CLAUSE_END_RE = re.compile(f"[{CLAUSE_END}]")
ISSUED_TITLE = re.compile(r"印发\s*[《〈<](?P<title>.+)[》〉>]\s*的")
# 关于印发《…》的通知, and 关于印发…的通知 without the title marks: a notice that issues a text.
ISSUING_NOTICE = re.compile(r"印发\s*\S.*的")
# 现将《…》印发给你们 / 《…》已经…同意，现印发给你们: the title named is the text being issued.
ISSUING_SENTENCE = re.compile(r"印发给|现予印发|予以印发|现印发|现将.{0,80}印发")
# A decree's organ named by its level alone (省政府令第232号): the government at that level of the
# citing document's place.
LEVEL_ORGAN = re.compile(r"^(?P<level>省|自治区|市|州|盟|县|区|旗)(?:人民)?政府$")
ORGAN_LEVELS = {
    "省": "province",
    "自治区": "province",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县": "county",
    "区": "county",
    "旗": "county",
}


@dataclass
class Reference:
    block: int  # index of the block in the document
    start: int  # span in the block's text: the whole citation, 《title》（文号）
    end: int
    title: str = ""  # as written, without the outer 《》
    doc_number: DocNumber | None = None
    basis: bool = False  # cited as the basis the document carries out (根据 / 按照 / 贯彻落实 …)

    def keys(self) -> set[str]:
        """Everything this reference may be matched by: its 文号 and its title(s)."""
        keys = set(title_keys(self.title)) if self.title else set()
        if self.doc_number:
            keys.add(self.doc_number.key())
        return keys


def title_key(title: str) -> str:
    """'湖北省縣域經濟高質量發展三年工作計劃（2018—2020）' and '湖北省县域经济高质量发展三年工作计划(2018-2020)'
    give the same key: simplified, half-width, no quotes, inner brackets, dashes or spaces."""
    text = unicodedata.normalize("NFKC", to_simplified(title))
    text = re.sub(r"[\s《》〈〉<>“”‘’\"'「」『』]", "", text)
    text = re.sub(r"[—–－‐-]+", "-", text)
    return "t:" + text


@cache
def title_keys(title: str) -> tuple[str, ...]:
    """A 印发 notice is known by its own title and by the title of the text it issues.
    Once per title: an archive cites the same documents many times."""
    keys = [title_key(title)]
    issued = ISSUED_TITLE.search(to_simplified(title))
    if issued:
        keys.append(title_key(issued["title"]))
    return tuple(keys)


def document_keys(doc: Document) -> set[str]:
    """The keys a document is cited by: its 文号, its title, its notice's title."""
    meta = doc.meta
    keys: set[str] = set()
    for field in ("title", "full_title"):
        if meta.get(field):
            keys.update(title_keys(meta[field]))
    if meta.get("doc_number"):
        with contextlib.suppress(ValueError):
            keys.add(DocNumber.parse(meta["doc_number"]).key())
    return keys


def find_titles(text: str) -> list[tuple[int, int, str]]:
    """Every outermost 《…》 with balanced inner brackets: (start, end, inner text)."""
    found = []
    i = 0
    while (start := text.find("《", i)) != -1:
        depth, j = 0, start
        while j < min(
            len(text), start + MAX_TITLE + 1
        ):  # no further: a text of unclosed 《 stays linear
            if text[j] in OPEN and (text[j] != "<" or depth > 0):
                depth += 1
            elif text[j] in CLOSE and (text[j] != ">" or depth > 1):
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth != 0 or j - start > MAX_TITLE:
            i = start + 1  # unbalanced: an unclosed 《 is text, not a title
            continue
        found.append((start, j + 1, text[start + 1 : j]))
        i = j + 1
    return found


def is_document_title(title: str) -> bool:
    return bool(DOCUMENT_TITLE.search(to_simplified(title.strip()))) and len(title.strip()) >= 4


def _basis(text: str, start: int, clause_ends: list[int]) -> bool:
    """Does the clause before `start` say 根据, 按照 …? (`clause_ends`: where clauses end in `text`)"""
    before = bisect_left(clause_ends, start)
    clause_start = clause_ends[before - 1] + 1 if before else 0
    return bool(BASIS_CUE.search(to_simplified(text[clause_start:start])))


def find_in_block(text: str, block_index: int = 0) -> list[Reference]:
    """The references of one block. Every step looks at the text near a title or a number only, so
    that a block of a million characters (a scrape without line ends) costs as much as its length."""
    refs: list[Reference] = []
    numbers = DocNumber.find_all(text) if ("号" in text or "號" in text) else []
    number_starts = [n_start for _, n_start, _ in numbers]
    clause_ends = [m.start() for m in CLAUSE_END_RE.finditer(text)]
    used_numbers: set[int] = set()
    for start, end, title in find_titles(text):
        number = None
        k = bisect_right(number_starts, end)  # only the first number after the title can follow it
        if k < len(numbers) and k not in used_numbers:
            num, n_start, n_end = numbers[k]
            between = NUMBER_AFTER_TITLE.match(text, end)
            after = NUMBER_CLOSED.match(text, n_end)
            if between and between.end() == n_start and after:
                # 《…》（衡政办发〔2024〕5号） or 《…》（衡政办发〔2024〕5号，以下简称《方案》）
                number = num
                used_numbers.add(k)
                end = after.end()
        if number is None and not is_document_title(title):
            continue
        refs.append(
            Reference(block_index, start, end, title, number, _basis(text, start, clause_ends))
        )
    titled_starts = [
        r.start for r in refs
    ]  # in order; a span may reach over the next title's start
    titled_reach = list(accumulate((r.end for r in refs), max))
    for k, (num, n_start, n_end) in enumerate(numbers):
        inside = bisect_right(titled_starts, n_start) - 1
        if k in used_numbers or (inside >= 0 and n_start < titled_reach[inside]):
            continue
        refs.append(
            Reference(block_index, n_start, n_end, "", num, _basis(text, n_start, clause_ends))
        )
    return sorted(refs, key=lambda r: r.start)


def find_references(doc: Document) -> list[Reference]:
    """The references of a document's body, without the document's own 文号 and title."""
    own = document_keys(doc)
    notice = bool(
        ISSUING_NOTICE.search(
            to_simplified(doc.meta.get("full_title") or doc.meta.get("title", ""))
        )
    )
    here = places.place(str(doc.meta.get("region_code", "")))
    refs = []
    # 《医疗机构药事管理暂行规定》（以下简称《暂行规定》）: the short name stands for the document
    # before it wherever the text uses it (None: it names the document itself, or nothing found)
    aliases: dict[str, Reference | None] = {}
    for index, block in enumerate(doc.blocks):
        if block.kind == HEADING:
            continue
        before: Reference | None = None
        for ref in find_in_block(block.text, index):
            if ref.doc_number and ref.doc_number.series and here is not None:
                ref.doc_number = organ_named(ref.doc_number, here)
            if (
                ref.title
                and not ref.doc_number
                and SHORT_NAME.search(block.text[max(0, ref.start - 8) : ref.start])
            ):
                aliases[title_key(ref.title)] = before
                continue
            if ref.title and not ref.doc_number and title_key(ref.title) in aliases:
                named = aliases[title_key(ref.title)]
                if named is None:
                    continue
                ref = replace(ref, title=named.title, doc_number=named.doc_number)
            before = ref
            if ref.keys() & own and not is_other_version(ref, own):
                continue
            # 现将《…》印发给你们: the text being issued, even when the notice misspells its title;
            # the sentence's, not the paragraph's: 《…（2019年版）》同时废止 after it is a citation
            if (
                notice
                and not ref.doc_number
                and ISSUING_SENTENCE.search(sentence_around(block.text, ref.start, ref.end))
            ):
                continue
            refs.append(ref)
    return refs


# what stands before a short name: （以下简称《方案》）, （简称《办法（试行）》）
SHORT_NAME = re.compile(r"简称[为：:]?\s*$")
SENTENCE_ENDS = "。！？!?\n"


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds text[start:end] (。！？ or a line end close it)."""
    begin = max(text.rfind(c, 0, start) for c in SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(c, end) for c in SENTENCE_ENDS) if i >= 0]
    return text[begin : min(ends, default=len(text))]


def is_other_version(ref: Reference, own: set[str]) -> bool:
    """《陆川县突发事件总体应急预案》（陆政办发〔2015〕56号）in the 预案 of 2022 that replaces it: the
    same title under another 文号 is the earlier version the document revises or repeals."""
    own_numbers = {key for key in own if not key.startswith("t:")}
    return (
        ref.doc_number is not None and bool(own_numbers) and ref.doc_number.key() not in own_numbers
    )


def organ_named(number: DocNumber, here: places.Place) -> DocNumber:
    """省政府令第232号 in a document of 江西省 → 江西省人民政府令第232号."""
    m = LEVEL_ORGAN.match(to_simplified(number.issuer_code))
    if m is None:
        return number
    level = ORGAN_LEVELS[m["level"]]
    place = next((p for p in places.lineage(here) if p.level == level), None)
    return replace(number, issuer_code=place.name + "人民政府") if place else number


def attachment_titles(doc: Document) -> dict[str, Block]:
    """An attachment's heading by the key of its title (附件2　衡南县创新提升行动实施方案)."""
    out = {}
    for block in doc.blocks:
        if block.kind == HEADING and block.number.startswith("附件") and block.anchor:
            title = re.sub(r"^附件\s*\d*\s*[：:]?\s*", "", block.text).strip()
            if title:
                out[title_key(title)] = block
    return out
