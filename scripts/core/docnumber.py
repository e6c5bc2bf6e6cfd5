"""文号 (document number), a small value class after cobalt's FrbrUri.

    >>> DocNumber.parse("清政办函[2024]3号")
    DocNumber(issuer_code='清政办函', year=2024, serial=3, hao='号', series='')
    >>> str(DocNumber.parse("鄂經信縣域(2019) 40號"))
    '鄂經信縣域〔2019〕40號'
    >>> str(DocNumber.parse("省政府令（第二百三十二号）"))
    '省政府令第232号'

The canonical form normalises brackets to 〔〕, digits to ASCII and drops spaces; the issuer code
and 号/號 stay as written (the page shows the original characters). `key()` folds traditional
characters and 号/號 too, so that references written either way find each other.

A decree (令) and a ministry's 公告 are numbered in a series of their organ, with no bracketed
year: 江西省人民政府令第161号, 国务院令第588号, 省政府第232号令, 中华人民共和国主席令第三十一号,
住房城乡建设部公告2019年第237号. Such a number's `issuer_code` is the organ and its `series` the
word 令 or 公告; `key()` folds the ways one organ is named (中华人民共和国国务院 / 国务院,
江西省政府 / 江西省人民政府). An organ named without its place (省政府令第232号) is the citing
document's own government: references.py names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import HAN
from .numerals import numeral_value

PATTERN = re.compile(
    rf"""
    (?P<code>[{HAN}]{{1,16}}?)           # issuer code: 衡政办发, 鄂經信縣域, 国办发
    \s*[〔\[［(（【{{]\s*                 # any opening bracket, full- or half-width
    (?P<year>(?:19|20|１９|２０)\d{{2}}) # year, in ASCII or full-width digits
    \s*[〕\]］)）】}}]\s*                 # any closing bracket
    (?:第\s*)?(?P<serial>\d{{1,4}})\s*   # serial number: 5号, 第5号, ５号
    (?P<hao>[号號])                      # 号 or 號
    """,
    re.VERBOSE,
)
# A loosely typed 文号 in a search box: "衡政办发2024 5号", "衡政办发 2024-5".
LOOSE = re.compile(
    rf"(?P<code>[{HAN}]{{2,16}})\s*[〔\[［(（【]?\s*(?P<year>(?:19|20)\d{{2}})\s*[〕\]］)）】\-—]?\s*(?P<serial>\d{{1,4}})\s*[号號]?"
)

# A number in a series of its organ (令, 公告): its organ's name, then 令第N号 / 公告2019年第N号 /
# 令（第N号）, or 第N号令. The tail is matched; the organ is the run of characters before it.
SERIAL_NUMERAL = r"[0-9０-９]{1,5}|[〇零一二两三四五六七八九十百千]{1,10}"
OPEN, CLOSE = "〔\\[［(（【", "〕\\]］)）】"
SERIES_TAIL = re.compile(
    rf"""
    (?P<series>令|公告)\s*
    (?P<open>[{OPEN}])?\s*                                     # 令（第290号）
    (?:(?P<year>(?:19|20|１９|２０)\d{{2}})\s*年\s*)?           # 公告2019年第237号
    第\s*(?P<serial>{SERIAL_NUMERAL})\s*(?P<hao>[号號])
    (?(open)\s*[{CLOSE}])
  |
    第\s*(?P<serial_before>{SERIAL_NUMERAL})\s*(?P<hao_before>[号號])\s*令  # 省政府第232号令
    """,
    re.VERBOSE,
)
# The organ before the tail: characters, a single space or 、 between the organs of a joint one
# (财政部 税务总局, 财政部、税务总局).
ORGAN_RUN = re.compile(rf"[{HAN}](?:[{HAN}]|[ \u3000、](?=[{HAN}]))*\s*$")
ORGAN_SEPARATOR = re.compile(r"[ \u3000、]")
MAX_ORGAN = 40
# The word an organ's name ends with: a series number whose organ ends otherwise is not one (命令, 口令).
ORGAN_END = re.compile(
    r"(?:政府|国务院|國務院|主席|部|委员会|委員會|委|局|署|行|厅|廳|办|辦|院|会|會|室)$"
)
# Words before an organ in running text that are not part of it (greedy: the last one wins):
# "2007年9月13日江西省人民政府令" → 江西省人民政府, "废止省政府令" → 省政府.
# "国务院令第588号和省政府令第232号" → 省政府 (a conjunction after a word of noise goes with it).
ORGAN_NOISE = re.compile(
    r"^.*(?:印发|根据|按照|依据|依照|参照|遵照|对照|贯彻|执行|落实|文件|精神|通知|规定|废止|修改|"
    r"修订|公布|发布|颁布|施行|实施|[号號]令?|见|的|是|为|即|以|[〇零一二三四五六七八九十]日)[和及与或]?"
)
NATION = re.compile(r"^(?:中华人民共和国|中華人民共和國)")


def joint_organ_start(organ: str) -> int:
    """Where the organs of a run start: the first part from which every part separated by a space
    or 、 ends with an organ's word (财政部、税务总局 from the start; 工作、省政府 at 省)."""
    from .script import to_simplified

    starts = [0] + [m.end() for m in ORGAN_SEPARATOR.finditer(organ)]
    for start in starts:
        parts = ORGAN_SEPARATOR.split(to_simplified(organ[start:]))
        if all(ORGAN_END.search(part) for part in parts):
            return start
    return starts[-1]


# An organ's name as a key: without spaces and 、, the nation's name, and 政府 named in full
ORGAN_GAPS = re.compile(r"[\s、]")
GOVERNMENT = re.compile(r"(?<!人民)政府$")
PEOPLES_GOVERNMENT = "人民政府"


def organ_key(organ: str) -> str:
    """中华人民共和国国务院 → 国务院, 江西省政府 → 江西省人民政府: one organ however it is named
    (the browser does the same with these patterns: site/search_index.py browser_rules)."""
    from .script import to_simplified

    organ = NATION.sub("", ORGAN_GAPS.sub("", to_simplified(organ)))
    return GOVERNMENT.sub(PEOPLES_GOVERNMENT, organ)


# Words that precede a 文号's issuer code in running text but are not part of it:
# "精神和鄂发〔2018〕18號" → 鄂发. Greedy, so the last such word wins.
LEADING_NOISE = re.compile(
    r"^.*(?:印发|根据|按照|依据|参照|执行|落实|文件|精神|通知|规定|见|和|及|与|的|是|为)"
)


@dataclass(frozen=True)
class DocNumber:
    issuer_code: str  # 发文机关代字, e.g. 衡政办发; a series number's organ, e.g. 江西省人民政府
    year: int | None  # None: a decree's number has no year (江西省人民政府令第161号)
    serial: int
    hao: str = "号"
    series: str = ""  # 令 or 公告: a number in a series of its organ, not a 〔year〕 文号

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        m = PATTERN.search(text)
        if m:
            return cls(m["code"], int(m["year"]), int(m["serial"]), m["hao"])
        series = cls.find_series(text)
        if series:
            return series[0][0]
        raise ValueError(f"not a 文号: {text!r}")

    @classmethod
    def find_all(cls, text: str) -> list[tuple[DocNumber, int, int]]:
        """Every 文号 in running text, with its span, and every decree's or 公告's number."""
        from .script import to_simplified

        found = []
        for m in PATTERN.finditer(text):
            code = m["code"]
            simplified = to_simplified(code)  # 根據 as well as 根据: same length, char by char
            noise = LEADING_NOISE.match(simplified if len(simplified) == len(code) else code)
            if noise and noise.end() < len(code):
                code = code[noise.end() :]
            start = m.end("code") - len(code)
            found.append((cls(code, int(m["year"]), int(m["serial"]), m["hao"]), start, m.end()))
        if "令" in text or "公告" in text:
            spans = [(start, end) for _, start, end in found]
            series = [
                n for n in cls.find_series(text) if not any(s < n[2] and n[1] < e for s, e in spans)
            ]
            found = sorted(found + series, key=lambda n: n[1]) if series else found
        return found

    @classmethod
    def find_series(cls, text: str) -> list[tuple[DocNumber, int, int]]:
        """Every decree's (令) or 公告's number in `text`, with its span, its organ included."""
        from .script import to_simplified

        found = []
        for m in SERIES_TAIL.finditer(text):
            run = ORGAN_RUN.search(text, max(0, m.start() - MAX_ORGAN), m.start())
            if run is None:
                continue
            start, organ = run.start(), run.group(0).rstrip()
            if organ[0] in "年月日" and start > 0 and text[start - 1].isdigit():
                start, organ = start + 1, organ[1:]  # 2007年9月13日江西省人民政府令: after a date
            simplified = to_simplified(organ)
            noise = ORGAN_NOISE.match(simplified if len(simplified) == len(organ) else organ)
            if noise:
                start, organ = start + noise.end(), organ[noise.end() :]
            cut = joint_organ_start(organ)  # 根据 国务院令, 工作、省政府令: the organs only
            start, organ = start + cut, organ[cut:]
            if len(organ) < 2 or not ORGAN_END.search(to_simplified(organ)):
                continue  # 命令第3号, 责令: not an organ's series
            year = int(m["year"]) if m["year"] else None
            serial = numeral_value(m["serial"] or m["serial_before"])
            hao = m["hao"] or m["hao_before"]
            found.append(
                (
                    cls(organ, year, serial, hao, "令" if m["serial_before"] else m["series"]),
                    start,
                    m.end(),
                )
            )
        return found

    def __str__(self) -> str:
        if self.series:
            year = f"{self.year}年" if self.year else ""
            return f"{self.issuer_code}{self.series}{year}第{self.serial}{self.hao}"
        return f"{self.issuer_code}〔{self.year}〕{self.serial}{self.hao}"

    def key(self) -> str:
        """Comparison key: simplified characters, 号, no brackets variance; a series number's organ
        however it is named."""
        from .script import to_simplified

        if self.series:
            year = f"{self.year}年" if self.year else ""
            return f"{organ_key(self.issuer_code)}{self.series}{year}第{self.serial}号"
        return f"{to_simplified(self.issuer_code)}〔{self.year}〕{self.serial}号"
