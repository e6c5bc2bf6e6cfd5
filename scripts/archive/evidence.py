"""Evidence of validity in one document's text: what it says of itself and of other documents.

An analysis (archive/analyses.py: computed with the conversion, cached with it); the archive
stage validity.py resolves what it finds, as relations.py resolves what references.py finds.

    本办法自2019年7月21日起施行，有效期五年。                       its own 施行 date and 有效期
    《宝鸡市突发性地质灾害应急预案》（宝政办发[2004]28号）同时废止。   a repeal of another
    《…》（青大数据发〔2022〕9号）支持…相关内容，自本细则发布之日起废止。 a partial repeal
    本办法代替《…》 / 对《…》进行了修订                                a replacement, a revision
    《…》（广安府发〔2016〕19号）有效期届满失效 / …决定宣布失效          a lapse it states
    附件1　废止的行政规范性文件目录 / 决定废止下列规章：               a list of repeals
    附件2　继续有效的行政规范性文件目录                              a list still in force

- Its own dates come from a sentence whose subject is the document itself (本办法, 本实施意见, a
  decree's 现予公布, 以上政策), never from 本办法所称许可证的有效期: the 有效期 must follow the
  subject or its 施行 clause. A length (有效期5年) counts from its 施行 date, else its own date;
  with neither it is kept as a term without a start. A date that is no date (5355年65月06日)
  is no evidence. A 解读 or a news report speaks of another document: it has no dates of its own.
- A sentence speaks of other documents through the references it makes (references.py): the
  object of a verb is the references of the verb's clause or, when that clause names no document
  at all (…经研究，决定宣布失效), those of the nearest clause before it that does. A clause that
  names the document itself (its own title or 文号, which references.py leaves out) speaks of
  nothing else; a reference cited as a basis (根据《…》) is never an object; a verb inside a
  《title》 (关于废止〈…〉的决定) or in an enumeration (修改或废止, 作出废止、修改的决定) is no act.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from ..core.model import HEADING, Document
from ..core.numerals import numeral_value
from ..core.places import simplified_in_place
from .references import Reference, find_titles

# What a sentence says (the `kind` of a claim or of the evidence, in the words a reader sees).
REPEAL, PARTIAL, REPLACE, REVISE, DECLARED_LAPSED, CONTINUES = (
    "废止",
    "部分废止",
    "代替",
    "修订",
    "失效",
    "继续有效",
)
OWN_START, OWN_TERM, NEWER_VERSION, OVERRIDE = "施行", "有效期", "同名新版", "编者更正"

# Kinds of document whose sentences speak of another document and of what others did: no
# evidence of their own (a 解读's 《实施意见》自2022年4月1日起施行 is the 实施意见's).
NOT_ITS_OWN = {"解读", "报道"}
FIRST_YEAR = 1949  # a date before it (本规范自1913年4月3日起施行, a scrambled dump) is no evidence

# The document itself as a sentence's subject: 本办法, 本实施意见, 本通知, 本文件 …, never 本市,
# 本县, 本部门; a decree's 现予公布; 以上政策 (the measures the document lists).
SELF = re.compile(
    r"本(?!市|县|省|区|州|镇|乡|村|部|局|委|厅|办公|办事|会|院|单位|地|级|次|年|月|人|着|机关|系统|行业|领域|辖区|行政区|条(?!例)|款|项|章(?!程)|节)"
    r"[\u4e00-\u9fff]{0,6}?(?:办法|意见|通知|文件|政策|细则|方案|规则|通告|公告|预案|规定|决定|措施|条例|标准|计划"
    r"|清单|指引|规范|制度|纲要|规划|要点|目录|导则|守则|章程|批复|令|指南)(?!第)"
    r"|本法(?!规|律|人)|现予(?:公布|发布|印发)|(?:以上|上述)(?:政策|措施|规定|条款)"
)
DATE = (
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?"
    r"|[〇○零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)"
)
# 自2019年7月21日起施行 / 自公布之日起30日以后施行 / 从发布之日起施行 / 自即日起 / 本政策自2022年6月1日施行
STARTS = re.compile(
    rf"(?:自|从|于)\s*(?P<when>{DATE}|即日|[^，。；：自从\d]{{1,8}}?之日)\s*(?:起\s*)?"
    r"(?:(?P<offset>\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:日|天)\s*(?:以后|后)\s*)?"
    r"(?:起\s*)?(?:正式)?(?:施行|实施|执行|试行|生效)"
)
# 自2023年1月1日起至2025年12月31日止执行
SPAN = re.compile(
    rf"(?:自|从)\s*(?P<when>{DATE})\s*(?:起)?\s*至\s*(?P<until>{DATE}|(?:19|20)\d{{2}}\s*年(?:底|末))"
)
UNTIL_DATE = rf"(?P<until>{DATE}|(?:19|20)\d{{2}}\s*年\s*(?:\d{{1,2}}\s*月\s*)?(?:底|末))"
# 有效期5年 / 有效期为二年 / 有效期限为五年 / 有效期3个月 / 试行2年
TERM = re.compile(
    r"(?:有效期限?|试行期)\s*(?:为|是)?\s*(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>年|个月)"
    r"|试行\s*(?P<n2>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年"
)
# 有效期至2025年12月31日 / 有效期到2025年底 / 执行期限至… / 有效至…
UNTIL = re.compile(
    rf"(?:有效期限?|执行期限?|实施期限?|试行期|有效|执行|实施)\s*(?:为|是)?\s*(?:截止到|截止至|截至|截止|至|到)\s*{UNTIL_DATE}"
)
# Verbs of a sentence about another document, and what each says.
VERBS = re.compile(
    r"(?P<repeal>废止|停止执行|不再执行|停止实施|不再实施)"
    r"|(?P<lapse>宣布失效|同时失效|予以失效|自行失效|届满失效|届满后失效|不再有效)"
    r"|(?P<replace>代替|替代|取代)"
    r"|(?P<revise>(?:进行|作|作出)了?(?:全面|部分|重新)?修订|修订为|修改为)"
    r"|(?P<continue>继续有效|继续执行|继续施行)"
)
VERB_KINDS = {
    "repeal": REPEAL,
    "lapse": DECLARED_LAPSED,
    "replace": REPLACE,
    "revise": REVISE,
    "continue": CONTINUES,
}
# …修改或废止 / 变更、废止 / 作出废止、修改、失效的决定 / 不予废止: a verb that names no act
NOT_AN_ACT = re.compile(r"(?:或|、|和|及|与|作出|提出|不|未|无需|暂不|是否)\s*$")
# what limits a repeal to a part of the document: …相关内容…废止, 第十四条…废止
PART = re.compile(
    r"相关内容|有关内容|部分内容|相关条款|有关条款|部分条款|相关规定|有关规定"
    r"|第[一二三四五六七八九十百零〇\d]+[条款项章]"
)
CLAUSE_ENDS = "，,；;：:"
NUMBERED = re.compile(r"\d\s*[号號]")  # a clause with a 文号 or a decree's number names a document
SENTENCE_ENDS = "。！？!?\n"
# A list of documents under a heading or a lead-in that says what becomes of them.
LIST_HEADING = re.compile(r"废止|失效|继续有效|保留")
LIST_ITEM = re.compile(
    r"^\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[.．、]|^\s*[（(]\s*\S{1,3}\s*[）)]"
)
LIST_ITEM_MAX = 300  # characters: a longer block is a paragraph, not an entry of the list


@dataclass(frozen=True)
class Said:
    """A sentence of the document: where it is (block index, span in the block's text)."""

    block: int
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """What a sentence says of other documents: its kind, the references it names (indices into
    analysis(doc, "references")), where, and from when, when the sentence says so."""

    kind: str
    refs: tuple[int, ...]
    said: Said
    effective: str = ""


@dataclass(frozen=True)
class Evidence:
    """What a document's text says of itself and of others."""

    in_force_from: str = ""  # ISO date
    starts: Said | None = None
    valid_until: str = ""  # ISO date, the last day
    term: Said | None = None
    term_without_start: Said | None = None  # 有效期5年, and no date to count it from
    claims: tuple[Claim, ...] = ()


def find_evidence(doc: Document, refs: list[Reference]) -> Evidence:
    """What the document says of its own validity and of other documents' (`refs`: its
    references, analysis(doc, "references"), which claims point into)."""
    refs_in: dict[int, list[int]] = defaultdict(list)
    for i, ref in enumerate(refs):
        refs_in[ref.block].append(i)
    if doc.meta.get("doc_type") in NOT_ITS_OWN:
        return Evidence()
    own_dates = _own_dates(doc)
    claims = _claims(doc, refs, refs_in) + _listed(doc, refs, refs_in)
    overridden = {k: doc.meta[k] for k in ("in_force_from", "valid_until") if doc.meta.get(k)}
    return Evidence(
        in_force_from=overridden.get("in_force_from", own_dates.start),
        starts=None if "in_force_from" in overridden else own_dates.starts,
        valid_until=overridden.get("valid_until", own_dates.until),
        term=None if "valid_until" in overridden else own_dates.term,
        term_without_start=None if "valid_until" in overridden else own_dates.unstarted,
        claims=tuple(claims),
    )


@dataclass
class _OwnDates:
    start: str = ""
    starts: Said | None = None
    until: str = ""
    term: Said | None = None
    unstarted: Said | None = None


def _sentences(text: str):
    """(start, end) of each sentence of a block's text."""
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_ENDS:
            if i > start:
                yield start, i + 1
            start = i + 1
    if start < len(text):
        yield start, len(text)


def _own_dates(doc: Document) -> _OwnDates:
    """Its 施行 date (the first its main text states, else its attachments') and the last day of
    its 有效期 (the latest any part states: the document is in force while a part of it is)."""
    found = _OwnDates()
    first_in_attachment: tuple[str, Said] | None = None
    terms: list[tuple[re.Match, str, Said]] = []  # a length to count from a start not yet known
    for index, block in enumerate(doc.blocks):
        if block.kind == HEADING or not (
            "施行" in block.text or "有效" in block.text or _cues(block.text)
        ):
            continue
        text = simplified_in_place(block.text)
        for s, e in _sentences(text):
            sentence = text[s:e]
            for own in SELF.finditer(sentence):
                # the quote opens with the subject (本办法…), a decree's with its sentence
                said = Said(index, s + own.start() if own[0].startswith("本") else s, e)
                span = SPAN.search(sentence, own.start())
                begins = span or STARTS.search(sentence, own.start())
                start = _start_date(begins, doc) if begins else ""
                if start:
                    if block.attachment == 0 and not found.start:
                        found.start, found.starts = start, said
                    elif first_in_attachment is None:
                        first_in_attachment = (start, said)
                until = _until_date(span["until"]) if span else ""
                near = begins.end() if begins else own.end()
                if (
                    not until
                    and (m := UNTIL.search(sentence, own.end()))
                    and _governed(sentence, near, m.start())
                ):
                    until = _until_date(m["until"])
                if until and until > found.until:
                    found.until, found.term = until, said
                term = None if until else TERM.search(sentence, own.end())
                if term and _governed(sentence, near, term.start()):
                    terms.append((term, start, said))
                if start or until or term:
                    break  # the sentence's subject is found
    if not found.start and first_in_attachment:
        found.start, found.starts = first_in_attachment
    for m, start, said in terms:
        begin = start or found.start or iso(doc.meta.get("date"))
        if not begin:
            found.unstarted = (
                found.unstarted or said
            )  # 有效期5年, counted from no date the text gives
            continue
        until = _add_term(begin, numeral_value(m["n"] or m["n2"]), m["unit"] or "年")
        if until and until > found.until:
            found.until, found.term = until, said
    if found.until and found.start and found.until < found.start:
        found.until, found.term = "", None  # ends before it starts: a misread, not evidence
    return found


def _cues(text: str) -> bool:
    return "实施" in text or "执行" in text or "试行" in text or "生效" in text


# 以上政策未特别注明实施期限的，施行有效期至…: the measures' own term, but for those that state one
QUALIFIED = re.compile(
    r"[，,]?(?:以上|上述)(?:政策|措施|规定|条款)[^。；，]{0,16}的[，,]?(?:施行|执行)?"
)


def _governed(sentence: str, after: int, at: int) -> bool:
    """The 有效期 at `at` belongs to the subject whose words end at `after`: 本办法自…起施行，有效期5年
    or 本文件有效期至…, not 本办法所称许可证的有效期为三年."""
    gap = sentence[after:at]
    if QUALIFIED.fullmatch(gap):
        return True
    return len(gap) <= 3 and not re.search(r"[\u4e00-\u9fff]{2}", gap)


def _start_date(m: re.Match, doc: Document) -> str:
    when = m["when"]
    if re.search(r"\d|年", when):
        start = iso(when)
    else:  # 印发之日, 发布之日, 公布之日, 即日: the document's own date
        start = iso(doc.meta.get("date")) or iso(doc.meta.get("published"))
    if start and m.groupdict().get("offset"):
        start = (
            dt.date.fromisoformat(start) + dt.timedelta(days=numeral_value(m["offset"]))
        ).isoformat()
    return start


def iso(text: str | None) -> str:
    """A full date (2019年7月21日, 二〇一九年七月二十一日, 2019-07-21) as ISO, or '' when it is not
    one (a month alone, 5355年65月06日)."""
    if not text:
        return ""
    m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text)
    if m:
        parts = int(m[1]), int(m[2]), int(m[3])
    elif c := re.search(
        r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日",
        text,
    ):
        parts = numeral_value(c[1]), numeral_value(c[2]), numeral_value(c[3])
    else:
        return ""
    if parts[0] < FIRST_YEAR:
        return ""
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return ""


def _until_date(text: str) -> str:
    """2025年12月31日, 2025年底, 2025年6月底 → the last day meant."""
    if m := re.fullmatch(r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月\s*)?(?:底|末)", text.strip()):
        year, month = int(m[1]), int(m[2] or 12)
        if not 1 <= month <= 12:
            return ""
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        return (first_of_next - dt.timedelta(days=1)).isoformat()
    return iso(text)


def _add_term(start: str, n: int, unit: str) -> str:
    """The last day of a term of n years (or months) from `start`: 2019-07-21 + 5 年 → 2024-07-20."""
    if n <= 0:
        return ""
    begin = dt.date.fromisoformat(start)
    months = n * 12 if unit == "年" else n
    month0 = begin.month - 1 + months
    year, month = begin.year + month0 // 12, month0 % 12 + 1
    day = begin.day
    while True:  # 2月29日 + 1 年: the term ends on 2月28日
        try:
            end = dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    return (end - dt.timedelta(days=1)).isoformat()


# --- what it says of others ------------------------------------------------------------------


def _claims(doc: Document, refs: list[Reference], refs_in: dict[int, list[int]]) -> list[Claim]:
    """Claims made in sentences: a verb and the references it governs."""
    out: list[Claim] = []
    for index in sorted(refs_in):
        block = doc.blocks[index]
        text = simplified_in_place(block.text)
        if not VERBS.search(text):
            continue
        titles = [(s, e) for s, e, _ in find_titles(text)]
        for s, e in _sentences(text):
            out += _sentence_claims(
                doc, text, s, e, titles, [refs[i] for i in refs_in[index]], refs_in[index], index
            )
    return out


def _sentence_claims(
    doc: Document,
    text: str,
    s: int,
    e: int,
    titles: list[tuple[int, int]],
    block_refs: list[Reference],
    indices: list[int],
    index: int,
) -> list[Claim]:
    sentence = text[s:e]
    clauses = _clauses(text, s, e)
    told: dict[int, str] = {}  # reference index → the first kind the sentence says of it
    for verb in VERBS.finditer(sentence):
        at = s + verb.start()
        if any(ts <= at < te for ts, te in titles):
            continue  # 关于废止《…》的决定 inside a title: the title's words, not the sentence's
        if NOT_AN_ACT.search(text[max(s, at - 4) : at]):
            continue
        kind = VERB_KINDS[verb.lastgroup or ""]  # each branch of VERBS is a named group
        for i in _objects(text, clauses, at, titles, block_refs, indices):
            if kind == REPEAL and PART.search(text[refs_end(block_refs, indices, i) : at]):
                told.setdefault(i, PARTIAL)
            else:
                told.setdefault(i, kind)
    if not told:
        return []
    said = Said(index, s, e)
    effective = _effective(sentence, doc)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, kind in told.items():
        by_kind[kind].append(i)
    return [
        Claim(kind, tuple(sorted(ids)), said, effective) for kind, ids in sorted(by_kind.items())
    ]


def refs_end(block_refs: list[Reference], indices: list[int], i: int) -> int:
    return block_refs[indices.index(i)].end


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, start = [], s
    for i in range(s, e):
        if text[i] in CLAUSE_ENDS:
            out.append((start, i + 1))
            start = i + 1
    if start < e:
        out.append((start, e))
    return out


def _objects(
    text: str,
    clauses: list[tuple[int, int]],
    at: int,
    titles: list[tuple[int, int]],
    block_refs: list[Reference],
    indices: list[int],
) -> list[int]:
    """The references a verb at `at` governs: those of its clause; when its clause names no
    document at all, those of the nearest clause before it that names one."""
    k = next(i for i, (cs, ce) in enumerate(clauses) if cs <= at < ce)
    for cs, ce in reversed(clauses[: k + 1]):
        names = (
            any(cs <= ts < ce for ts, _ in titles)
            or any(cs <= r.start < ce for r in block_refs)
            or NUMBERED.search(text, cs, ce) is not None
        )
        if names:
            return [
                i
                for i, r in zip(indices, block_refs, strict=False)
                if cs <= r.start < ce and not r.basis
            ]
    return []


EFFECTIVE = re.compile(rf"自\s*(?P<when>{DATE}|即日|[^，。；：自从\d]{{1,12}}?之日)\s*起")


def _effective(sentence: str, doc: Document) -> str:
    m = EFFECTIVE.search(sentence)
    if m is None:
        return ""
    if re.search(r"\d|年", m["when"]):
        return iso(m["when"])
    return iso(doc.meta.get("date")) or iso(doc.meta.get("published"))


def _listed(doc: Document, refs: list[Reference], refs_in: dict[int, list[int]]) -> list[Claim]:
    """Documents listed under a heading (附件1 废止的行政规范性文件目录) or a lead-in (决定废止下列规章：)
    that says what becomes of them: each entry is a claim, said where the entry stands."""
    out: list[Claim] = []
    kind, level, attachment, lead = "", 0, -1, False
    for index, block in enumerate(doc.blocks):
        text = simplified_in_place(block.text)
        if block.kind == HEADING:
            if kind and (block.level <= level or block.attachment != attachment):
                kind = ""
            if block.level > 0 and LIST_HEADING.search(text) and not find_titles(text):
                kind, level, attachment, lead = (
                    _list_kind(text),
                    block.level,
                    block.attachment,
                    False,
                )
            continue
        if (
            kind
            and lead
            and not (LIST_ITEM.match(text) or (index in refs_in and len(text) <= LIST_ITEM_MAX))
        ):
            kind = ""  # the lead-in's list has ended
        if kind and index in refs_in:
            ids = tuple(i for i in refs_in[index] if not refs[i].basis)
            if ids:
                out.append(Claim(kind, ids, Said(index, 0, len(text))))
        if text.rstrip().endswith(("：", ":")) and LIST_HEADING.search(text) and "下列" in text:
            kind, level, attachment, lead = _list_kind(text), 99, block.attachment, True
    return out


def _list_kind(text: str) -> str:
    if "继续有效" in text or "保留" in text:
        return CONTINUES
    if "废止" in text:
        return REPEAL
    return DECLARED_LAPSED
