"""文号 (document number), a small value class after cobalt's FrbrUri.

    >>> DocNumber.parse("清政办函[2024]3号")
    DocNumber(issuer_code='清政办函', year=2024, serial=3, suffix='')
    >>> str(DocNumber.parse("鄂經信縣域(2019) 40號"))
    '鄂經信縣域〔2019〕40號'

The canonical form normalises brackets to 〔〕 and drops spaces; the issuer code and 号/號 stay
as written (the page shows the original characters). `key()` folds traditional characters and
号/號 too, so that references written either way find each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import HAN

PATTERN = re.compile(
    rf"""
    (?P<code>[{HAN}]{{1,16}}?)           # issuer code: 衡政办发, 鄂經信縣域, 国办发
    \s*[〔\[［(（【{{]\s*                 # any opening bracket, full- or half-width
    (?P<year>(?:19|20)\d{{2}})           # year
    \s*[〕\]］)）】}}]\s*                 # any closing bracket
    (?P<serial>\d{{1,4}})\s*             # serial number
    (?P<hao>[号號])                      # 号 or 號
    """,
    re.VERBOSE,
)
# A loosely typed 文号 in a search box: "衡政办发2024 5号", "衡政办发 2024-5".
LOOSE = re.compile(
    rf"(?P<code>[{HAN}]{{2,16}})\s*[〔\[［(（【]?\s*(?P<year>(?:19|20)\d{{2}})\s*[〕\]］)）】\-—]?\s*(?P<serial>\d{{1,4}})\s*[号號]?"
)

# Words that precede a 文号's issuer code in running text but are not part of it:
# "精神和鄂发〔2018〕18號" → 鄂发. Greedy, so the last such word wins.
LEADING_NOISE = re.compile(
    r"^.*(?:印发|根据|按照|依据|参照|执行|落实|文件|精神|通知|规定|见|和|及|与|的|是|为)"
)


@dataclass(frozen=True)
class DocNumber:
    issuer_code: str  # 发文机关代字, e.g. 衡政办发
    year: int
    serial: int
    hao: str = "号"

    @classmethod
    def parse(cls, text: str) -> DocNumber:
        m = PATTERN.search(text)
        if not m:
            raise ValueError(f"not a 文号: {text!r}")
        return cls(m["code"], int(m["year"]), int(m["serial"]), m["hao"])

    @classmethod
    def find_all(cls, text: str) -> list[tuple[DocNumber, int, int]]:
        """Every 文号 in running text, with its span."""
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
        return found

    def __str__(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕{self.serial}{self.hao}"

    def key(self) -> str:
        """Comparison key: simplified characters, 号, no brackets variance."""
        from .script import to_simplified

        return f"{to_simplified(self.issuer_code)}〔{self.year}〕{self.serial}号"
