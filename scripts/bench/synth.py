"""A synthetic archive of N documents, grown from the seed sources, for the benchmark.

Each synthetic document is a seed text (raw, clutter and all, so the whole pipeline works on it)
moved to another place and time:

- places: every gazetteer place the seed names is swapped for one of the same level along a
  real province → city → county chain (scripts/core/places.py), full names and short names alike;
- 文号 and date: a new 发文机关代字 from the new place, a year and a serial that make it unique,
  written with a random bracket style (〔〕, [], ()), the sign-off date moved to that year; a
  decree (令) of a seed gets a serial of its new government's decrees (…人民政府令第N号);
- title: a policy topic swapped (县域经济 → 数字经济 …), so titles differ beyond the place;
- cross-references: a paragraph citing an earlier synthetic document of the parent place by
  《title》 and 文号 (implements relations), another earlier document, and now and then a 文号
  that is in no document (the wanted list);
- length: a contiguous window of the body, so pages vary in size the way real ones do;
- encoding: one in five is written in GB18030, as scraped files often are.

Deterministic: the same N and seed give the same files.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..archive.documents import source_files
from ..core.docnumber import SERIAL_NUMERAL, DocNumber
from ..core.numerals import numeral_value
from ..core.places import Place, gazetteer
from ..core.script import detect_script, to_simplified, to_traditional
from ..ingest.convert import convert_file
from ..ingest.decode import decode_bytes

# Policy topics that appear in seed titles, and what a synthetic title may say instead.
TOPICS = {
    "县域经济": [
        "县域经济",
        "数字经济",
        "民营经济",
        "园区经济",
        "开放型经济",
        "乡村振兴",
        "文旅融合",
    ],
    "高质量发展": ["高质量发展", "转型升级", "创新发展", "绿色发展", "提质增效"],
    "八大行动": [
        "三大攻坚",
        "四大工程",
        "五大行动",
        "六大提升",
        "七大专项",
        "八大行动",
        "九大举措",
    ],
    "三年工作计划": ["三年工作计划", "三年行动计划", "五年行动方案", "专项工作计划"],
    "产业强市": ["产业强市", "工业强市", "开放强市", "创新强市"],
    "六大支撑": ["六大支撑", "五大抓手", "四个聚焦", "七项举措"],
    "提案": ["提案", "建议"],
}
ISSUER_CODES = ["政发", "政办发", "政办函", "发改", "经信", "农发", "财预"]
BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("〔", "〕")]
DATE_RE = re.compile(r"((?:19|20)\d{2})(\s*)年(\s*)(\d{1,2})(\s*)月(\s*)(\d{1,2})(\s*)日")
FOCUS_CITIES, FOCUS_SHARE = 20, 0.7
KEEP_TAIL_LINES = 8  # sign-offs, contacts and clutter live at the end: always keep them


@dataclass
class Seed:
    """A seed source and what the pipeline found in it."""

    path: Path
    text: str
    traditional: bool
    title: str
    doc_number: str  # as written in the text, or ""
    date_written: str  # the sign-off date as written, or ""
    home: Place | None  # the place the document governs (its region)
    places: list[Place] = field(default_factory=list)  # places the text names, most specific first
    decree_organ: str = ""  # a 令's government (its number is 第N号 of that organ's decrees), or ""


@dataclass
class Made:
    """A synthetic document already written: what later documents may cite."""

    index: int
    title: str
    doc_number: str
    place: Place


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    names = sorted(
        {p.name for p in gazetteer().values() if len(p.name) >= 3}, key=len, reverse=True
    )
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def _places_by_name() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for place in sorted(gazetteer().values(), key=lambda p: p.code):
        out.setdefault(place.name, place)
    return out


@lru_cache(maxsize=1)
def _children() -> dict[str, list[Place]]:
    kids: dict[str, list[Place]] = {}
    for place in sorted(gazetteer().values(), key=lambda p: p.code):
        if place.parent:
            kids.setdefault(place.parent, []).append(place)
    return kids


def load_seeds(sources_dir: Path) -> list[Seed]:
    seeds = []
    for path in source_files(sources_dir):
        if path.suffix.lower() not in (".txt", ".text"):
            continue  # saved HTML pages would need their markup rewritten too
        text = decode_bytes(path.read_bytes(), path)
        doc = convert_file(path)
        simple = to_simplified(text)
        by_name = _places_by_name()
        found: dict[str, Place] = {}
        for m in _place_pattern().finditer(simple):
            found.setdefault(m.group(0), by_name[m.group(0)])
        rank = {"county": 0, "city": 1, "province": 2}
        places = sorted(found.values(), key=lambda p: rank[p.level])
        written_number, decree_organ = "", ""
        own = DocNumber.parse(doc.meta["doc_number"]) if doc.meta.get("doc_number") else None
        if own and not own.series:
            for number, start, end in DocNumber.find_all(text):
                if number.key() == own.key():
                    written_number = text[start:end]
                    break
        elif own and own.series == "令":  # its 第N号, under the organ's line or alone at the top
            written_number = decree_serial_written(text, own.serial)
            decree_organ = own.issuer_code if written_number else ""
        date_written = ""
        if doc.meta.get("date"):
            for m in DATE_RE.finditer(text):
                if f"{int(m[1]):04d}-{int(m[4]):02d}-{int(m[7]):02d}" == doc.meta["date"]:
                    date_written = m.group(0)
                    break
        home = gazetteer().get(doc.meta.get("region_code", ""))
        if home and home not in places:
            places.append(home)
        seeds.append(
            Seed(
                path,
                text,
                detect_script(text) == "zh-Hant",
                doc.meta.get("title", ""),
                written_number,
                date_written,
                home,
                places,
                decree_organ,
            )
        )
    if not seeds:
        raise SystemExit(f"{sources_dir}: no .txt seed sources to grow a synthetic archive from")
    return seeds


DECREE_SERIAL = re.compile(rf"第\s*(?P<n>{SERIAL_NUMERAL})\s*[号號]")


def decree_serial_written(text: str, serial: int) -> str:
    """How a decree's head writes its serial (第232号, 第二百三十二号), or ""."""
    head = text[:600]
    return next((m[0] for m in DECREE_SERIAL.finditer(head) if numeral_value(m["n"]) == serial), "")


@lru_cache(maxsize=1)
def _counties() -> tuple[list[Place], list[Place]]:
    """All counties, and those of a few focus cities: a real archive clusters where it is
    collected, so that county plans find their city's plan (implements relations)."""
    counties = [p for p in _sorted_places() if p.level == "county"]
    cities = sorted({p.parent for p in counties if gazetteer()[p.parent].level == "city"})
    focus = set(random.Random(1).sample(cities, FOCUS_CITIES))
    return counties, [p for p in counties if p.parent in focus]


def pick_chain(rng: random.Random) -> tuple[Place, Place | None, Place]:
    """A random county with its city (None when it hangs from the province) and province."""
    counties, focus = _counties()
    county = rng.choice(focus if rng.random() < FOCUS_SHARE else counties)
    parent = gazetteer()[county.parent]
    if parent.level == "city":
        return county, parent, gazetteer()[parent.parent]
    return county, None, parent


@lru_cache(maxsize=1)
def _sorted_places() -> list[Place]:
    return sorted(gazetteer().values(), key=lambda p: p.code)


def place_mapping(seed: Seed, rng: random.Random) -> tuple[dict[str, str], Place]:
    """Old name → new name for every place the seed names; and the document's new home place."""
    county, city, province = pick_chain(rng)
    siblings = [p for p in _children().get((city or province).code, []) if p.level == "county"]
    provinces = [p for p in _sorted_places() if p.level == "province"]
    new_for = {
        "county": [county] + [p for p in siblings if p != county],
        "city": [city] if city else [],
        "province": [province] + [p for p in provinces if p != province],
    }
    cities = [p for p in _children().get(province.code, []) if p.level == "city"]
    new_for["city"] += [p for p in cities if p != city]
    used = {"county": 0, "city": 0, "province": 0}
    mapping: dict[str, str] = {}
    home = county
    for old in seed.places:
        options = new_for[old.level] or new_for["county"]  # a province without cities
        new = options[min(used[old.level], len(options) - 1)]
        used[old.level] += 1
        if old == seed.home:
            home = new
        mapping[old.name] = new.name
        if old.short and new.short and len(old.short) >= 2 and old.short != old.name:
            mapping.setdefault(old.short, new.short)
    return mapping, home


def swap(text: str, mapping: dict[str, str], traditional: bool) -> str:
    """Replace every key of `mapping` (in the text's own script) in one pass, longest first."""
    if not mapping:
        return text
    written = {}
    for old, new in mapping.items():
        if traditional:
            written[to_traditional(old)] = to_traditional(new)
        written[old] = to_traditional(new) if traditional else new
    pattern = re.compile("|".join(map(re.escape, sorted(written, key=len, reverse=True))))
    return pattern.sub(lambda m: written[m.group(0)], text)


def topic_mapping(title: str, rng: random.Random) -> dict[str, str]:
    """The policy topics of the title, each swapped for another (everywhere in the text)."""
    simple = to_simplified(title)
    return {topic: rng.choice(options) for topic, options in TOPICS.items() if topic in simple}


def new_doc_number(index: int, place: Place, rng: random.Random) -> tuple[str, int]:
    """Unique per document: the year and the serial together encode the index."""
    year = 2015 + index % 11
    serial = index // 11 + 1
    code = (place.short or place.name)[0] + rng.choice(ISSUER_CODES)
    left, right = rng.choice(BRACKETS)
    return f"{code}{left}{year}{right}{serial}号", year


def reference_paragraph(made: list[Made], home: Place, rng: random.Random) -> tuple[str, list[int]]:
    """Cite the parent place's latest document, one earlier document, sometimes a missing one."""
    cited: list[Made] = []
    parent = next((m for m in reversed(made) if m.place.code == home.parent), None)
    if parent:
        cited.append(parent)
    if made:
        other = made[rng.randrange(len(made))]
        if other not in cited:
            cited.append(other)
    parts = [f"《{m.title}》（{m.doc_number}）" for m in cited]
    if rng.random() < 0.1:
        parts.append(
            f"《关于推进{home.name}重点工作的意见》（{home.short[:1] or '省'}政发〔2014〕{rng.randrange(1, 99)}号）"
        )
    if not parts:
        return "", []
    return f"根据{'和'.join(parts)}精神，结合本地实际，抓好贯彻落实。", [m.index for m in cited]


def window(lines: list[str], rng: random.Random) -> list[str]:
    """The header, a contiguous part of the body, and the tail: pages of varied length."""
    if len(lines) < 40:
        return lines
    head = max(12, len(lines) // 10)
    body = lines[head:-KEEP_TAIL_LINES]
    share = rng.uniform(0.15, 0.8)
    length = max(10, int(len(body) * share))
    start = rng.randrange(0, len(body) - length + 1)
    return lines[:head] + body[start : start + length] + lines[-KEEP_TAIL_LINES:]


def insert_paragraph(lines: list[str], paragraph: str, rng: random.Random) -> list[str]:
    """After a sentence-ending line in the first third of the text, in the seed's own layout."""
    if not paragraph:
        return lines
    candidates = [
        i
        for i, line in enumerate(lines)
        if len(line.strip()) > 30 and line.rstrip().endswith(("。", "。 "))
    ]
    early = (
        [i for i in candidates if i >= 3 and i < max(4, len(lines) // 3)]
        or candidates
        or [len(lines) - 1]
    )
    at = rng.choice(early[:5]) + 1
    indent = re.match(r"\s*", lines[at - 1])[0]  # type: ignore[index]  # \s* always matches
    spaced = at < len(lines) and not lines[at].strip()
    return lines[:at] + ([""] if spaced else []) + [indent + paragraph] + lines[at:]


def synthesise(seed: Seed, index: int, made: list[Made], rng: random.Random) -> tuple[str, Made]:
    mapping, home = place_mapping(seed, rng)
    mapping |= topic_mapping(seed.title, rng)
    text = swap(seed.text, mapping, seed.traditional)
    title = to_simplified(swap(seed.title, mapping, seed.traditional))
    number, year = new_doc_number(index, home, rng)
    if seed.decree_organ:  # the place's government's decree N: N unique, as the 文号 are
        text = text.replace(seed.doc_number, f"第{index + 1}号", 1)
        organ = to_simplified(swap(seed.decree_organ, mapping, False))
        number = f"{organ}令第{index + 1}号"
    elif seed.doc_number:
        text = text.replace(seed.doc_number, to_traditional(number) if seed.traditional else number)
    if seed.date_written:
        month, day = rng.randrange(1, 13), rng.randrange(1, 29)
        new_date = DATE_RE.sub(
            lambda m: f"{year}{m[2]}年{m[3]}{month}{m[5]}月{m[6]}{day}{m[8]}日", seed.date_written
        )
        text = text.replace(seed.date_written, new_date, 1)
    paragraph, _ = reference_paragraph(made, home, rng)
    if seed.traditional:
        paragraph = to_traditional(paragraph)
    lines = insert_paragraph(window(text.split("\n"), rng), paragraph, rng)
    return "\n".join(lines), Made(index, title, number if seed.doc_number else "", home)


def sidecar_text(index: int) -> str:
    return (
        f"id: synth-{index:05d}\n"
        f"url: https://example.org/synth/{index:05d}.html\n"
        "site: 合成测试站\n"
        f"retrieved: 2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}\n"
    )


def write_document(
    sources: Path, seeds: list[Seed], index: int, made: list[Made], seed_value: int = 7
) -> Path:
    """The `index`-th synthetic document (its own random stream, so it never depends on N)."""
    rng = random.Random(seed_value * 1_000_003 + index)
    seed = seeds[index % len(seeds)]
    text, record = synthesise(seed, index, made, rng)
    path = sources / f"synth-{index:05d}.txt"
    encoding = "gb18030" if index % 5 == 4 else "utf-8"
    path.write_bytes(text.encode(encoding))
    path.with_suffix(".yml").write_text(sidecar_text(index), encoding="utf-8")
    if record.doc_number:
        made.append(record)
    return path


def generate(
    seed_sources: Path,
    sources: Path,
    count: int,
    start: int = 0,
    made: list[Made] | None = None,
    seeds: list[Seed] | None = None,
) -> list[Made]:
    """Write documents start … start+count-1 into `sources`; returns what later ones may cite."""
    sources.mkdir(parents=True, exist_ok=True)
    seeds = seeds or load_seeds(seed_sources)
    made = [] if made is None else made
    for index in range(start, start + count):
        write_document(sources, seeds, index, made)
    return made
