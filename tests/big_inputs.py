"""Generators of big and pathological inputs, for the tests and the benchmarks (never committed as
files: they are made when needed, deterministically, from what the repository holds).

- `policy_text`: a long plan of real policy text: the title and 文号 of a seed plan once, then
  parts (第N部分), each the body of one of the repository's plain-text sources in turn, until the
  size is reached, signed once at the end. Headings and stock sentences repeat from one part to
  the next, as they do in a long plan, but no run of parts repeats another (the cleaning would
  drop it as a duplicated tail, and the time would not be that of converting the whole size).
- `identical_lines`: one line, N times (a scrape stuck in a loop), and then, if asked, the
  document's sign-off: with it, no tail of the text repeats (the slowest case of the search for a
  duplicated tail, when it compared lines with lines).
- `marks_line`: a Chinese character and then N half-width marks or nested brackets, on one line
  (each mark made full-width is the Chinese context of the next).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "2024-hengnan-bada-xingdong-zongti-fangan.txt"

# A sentence of a plan (24 characters, 73 bytes with its line end: 8,000 lines are 584 KB).
PLAN_SENTENCE = "各县市区要切实加强组织领导，压实工作责任，确保任务落到实处。"
# A row of a table as a saved page gives it (cells joined by tabs)
TABLE_ROW = "县域经济\t数字经济\t民营经济\t园区经济\t开放型经济\t乡村振兴"
# A line cut mid-sentence: the cleaning joins such lines into one paragraph
UNENDED_LINE = "确保任务落到实处。各县市区要切实加强组织领导，压实工作责任并"
SIGN_OFF = "衡南县人民政府办公室\n2024年4月17日\n"


@cache
def _bodies() -> tuple[str, ...]:
    from scripts.archive.documents import source_files
    from scripts.ingest.decode import decode_bytes

    texts = []
    for path in source_files(ROOT / "sources"):
        if path.suffix == ".txt":
            lines = decode_bytes(path.read_bytes(), path).split("\n")
            texts.append("\n".join(lines[5:]))  # past the title and the 文号
    return tuple(texts)


def policy_text(megabytes: float) -> str:
    head = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[:5])
    parts, size, target = [head], len(head.encode()), int(megabytes * 1e6)
    bodies = _bodies()
    n = 0
    while size < target:
        part = f"第{n + 1}部分\n" + bodies[n % len(bodies)]
        parts.append(part)
        size += len(part.encode()) + 1
        n += 1
    return "\n".join(parts) + "\n" + SIGN_OFF


def identical_lines(count: int, line: str = PLAN_SENTENCE, signed: bool = False) -> str:
    return (line + "\n") * count + (SIGN_OFF if signed else "")


def marks_line(count: int, kind: str = ",") -> str:
    """'中,,,,…' (kind ','), or '((((…中…))))' (kind '(')."""
    if kind == "(":
        return "某县人民政府通知\n" + "(" * count + "中" + ")" * count + "\n"
    return "某县人民政府通知\n中" + kind * count + "\n"
