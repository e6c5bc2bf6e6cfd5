"""The site's search index: character pairs of every document's text with their positions, light
to download at 10,000 documents, found whatever the segmentation, and never a false hit
(docs/assets/search/index.js reads it in the browser).

A word-based index (Pagefind cuts Chinese into words) finds 县域经济 only where the segmenter
cut the text the same way: not inside 县域经济强县. CJK search engines guarantee substring recall
with character n-grams (Lucene's CJKAnalyzer, Elasticsearch's `cjk_bigram`): the text and the
query are both turned into overlapping pairs of characters. Pairs alone find too much (a text
holding 县域 and 区域经济 holds every pair of 县域经济, not the word), so each pair is listed with
where it stands, and the browser keeps a document only where the pairs of the word follow one
another: where the word itself is. This index is that:

- a document is searched by its head (title, 文号, issuer, place names, the token of its 文号, the
  pinyin of its title and places: each a line of its own, so that no pair spans two of them) and
  its body (its own text, then the tokens of the 文号 it cites), folded as the browser folds a
  query (traditional → simplified one character at a time with web.t2s_table, lower case, only
  Han characters, letters and digits kept, so that a pair spans punctuation and spaces but not a
  line break);
- search/main/<n>.bin: pair → the documents holding it, and in each where it stands (the
  position of its first character in the folded body; in the head, the position with two flags:
  whether a pinyin syllable starts at its first letter and ends at its second, so that a pinyin
  query matches whole syllables: hengyang is heng·yang, never the heng of one word and the yang
  of another, nor heng·yan + g…); a query fetches the shards of a few pairs of each word (those
  that cover it: 县域 and 经济 for 县域经济), keeps the documents where they stand side by side,
  and counts them (the word's frequency, for the ranking: BM25 over head and body, RANKING);
- search/main/<n>.json: single characters (a one-character query) and filter values
  ('=年份:2024') → documents, a bitmap or varint gaps, whichever is shorter;
- search/meta/<k>.json: title, place, date, 文号, type of documents numbered k·CHUNK… (what a result
  shows); search/doc/<id>.json: a document's own text, fetched for an excerpt when its result is
  on screen; search/wanted/<n>.json: the cited documents the archive lacks, by the token of their
  文号 and by their folded title, so that a query for one finds its wanted entry.
- search/index.json: the shards, the documents' lengths (for the ranking), the order of their dates
  (ties rank newer first), the ranking's parameters.

A rebuild does not rebuild the main index: documents added or changed since go to a small second
index (search/recent/), whose entries win over the main index's stale ones (listed in
search/index.json); the main index is rebuilt when those pass a share of the archive. The MkDocs
hook writes each rendered document's record (.cache/site-pages/doc/<id>/search.json), so that a
rebuild reads only the records of what changed.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import hashlib
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from ..core.fields import feed_keys
from ..core.files import write_atomic
from ..speed.forked import can_fork, jobs, map_unordered
from ..speed.progress import Progress

SEARCH_DIR = "search"  # in site/
MAIN_DIR, RECENT_DIR, META_DIR, TEXT_DIR, WANTED_DIR = "main", "recent", "meta", "doc", "wanted"
MANIFEST = "search/index.json"
FILTERS = "search/filters.json"
# What the MkDocs hook keeps of each document page it renders, for the builds that do not render
# it again: <here>/doc/<id>/search.json (its search record) and feed.json (its feed entry).
PAGE_CACHE = Path(".cache") / "site-pages"
RECORD = "search.json"
# Rebuild the main index when this many pages changed since it was built
# (the recent index is rebuilt on every build, so it must stay small). Adding one document
# changes a few dozen pages (its places, browse and wanted lists, the documents it cites).
COMPACT_SHARE = 0.05
COMPACT_AT_LEAST = 100
SHARD_BYTES = 4096  # aimed size of a shard of characters and filters (JSON, raw)
POSITION_SHARD_BYTES = 8192  # aimed size of a shard of pairs (binary): a query fetches a few
PAIRS_AT_ONCE = 12_000_000  # pairs sorted at once while writing them (memory: ~40 bytes each)
WANTED_SHARD_BYTES = 4096
WANTED_CITING_SHOWN = 10  # documents citing a wanted entry, listed on its card (the rest counted)
CHUNK = 32  # documents per meta file: the first results fetch a few of them
OPENING_CHARS = (
    3000  # search/doc/<id>.json holds the text up to the end of the paragraph after this
)
# What a search result shows, in this order, in search/meta/<k>.json
SHOWN = ("url", "title", "place", "date", "number", "type")
HEAD_MARK, FILTER_MARK = "^", "="
# The ranking the browser computes (written into search/index.json): BM25 over the head and the
# body of each document as one field, a word in the head counting HEAD_WEIGHT times (BM25F);
# a document whose own 文号 is the one asked for comes before those citing it. k1 saturates the
# count of a word (its 15th mention adds little), b weighs the body's length (0.5: a long plan
# that names a word 26 times is about it, as is a short reply that names it 15 times).
RANKING = {"k1": 1.2, "b": 0.5, "head": 3.0}
LENGTH_STEPS = 11  # a body's length is sent as round(11·log2(1 + characters)): one byte, ±3%
MAX_QUERY = 200  # characters of a query: the longest titles fit; a pasted page is cut


# --- records (written by the MkDocs hook) -----------------------------------------------------


def records_dir(root: Path) -> Path:
    return root / PAGE_CACHE


def _in_folder(folder: Path, url: str, name: str = "index.html") -> Path:
    """Where a page's file sits in a folder laid out as the site is: /doc/x/ → folder/doc/x/name."""
    return folder / url.strip("/") / name


def keep_page(root: Path, url: str, meta: dict, markdown: str, fields) -> None:
    """What later builds that do not render a document page need of it: its feed entry (the
    fields the feed reads, core/fields.py) and its search record."""
    feed_entry = _in_folder(records_dir(root), url, "feed.json")
    feed_entry.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(
        feed_entry,
        json.dumps({k: meta[k] for k in feed_keys() if k in meta}, ensure_ascii=False, default=str),
    )
    record = document_record(url, meta, markdown, fields)
    write_atomic(_in_folder(records_dir(root), url, RECORD), json.dumps(record, ensure_ascii=False))


PAGE_TYPE = (
    "页面"  # what a result of another page (a place, a browse list, the wanted list …) says it is
)
PAGE_FILTER = (
    "类别:" + PAGE_TYPE
)  # such pages are listed under it, to rank them after the documents


def keep_other_page(root: Path, url: str, title: str) -> None:
    """The search record of a page that is not a document (a place, a browse list …): found by
    its title, listed after the documents."""
    record = {
        "url": url,
        "title": title,
        "place": "",
        "date": "",
        "number": "",
        "type": PAGE_TYPE,
        "head": [title],
        "pinyin": [],
        "own": "",
        "tokens": "",
        "filters": [PAGE_FILTER],
        "text": "",
        "wanted": [],
    }
    path = _in_folder(records_dir(root), url, RECORD)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(record, ensure_ascii=False))


def feed_entries(root: Path, urls: set[str]) -> list[dict]:
    """The feed entries of the documents at these URLs, as the pages were last rendered."""
    entries = []
    for url in sorted(urls):
        path = _in_folder(records_dir(root), url, "feed.json")
        if path.exists():
            entries.append(json.loads(path.read_text(encoding="utf-8")))
    return entries


def document_record(url: str, meta: dict, markdown: str, fields) -> dict:
    """What search needs of a document: what its result shows, its head and text to index, the
    text its excerpt is cut from (the document's own: not the relations, diagram and targets
    appended to its page), and the cited documents the archive lacks (its wanted entries)."""
    from ..pages.web import own_markdown, plain_text

    body = plain_text(own_markdown(markdown))
    body = re.sub(r"\n{2,}", "\n", body).strip()
    places = fields.filters.get("地区", [])
    head = [meta.get("title", ""), meta.get("doc_number", ""), meta.get("issuer", ""), *places]
    wanted = [
        [str(c["wanted"]), str(c.get("doc_number") or ""), str(c.get("title") or "")]
        for c in meta.get("cites") or []
        if isinstance(c, dict) and c.get("wanted")
    ]
    return {
        "url": url,
        "title": meta.get("title", ""),
        "place": " › ".join(places),
        "date": str(meta.get("date", "")),
        "number": meta.get("doc_number", ""),
        "type": meta.get("doc_type", ""),
        "head": [h for h in head if h],
        "pinyin": fields.pinyin,
        "own": fields.own_number,  # the token of its own 文号: in its head
        "tokens": fields.cited_numbers,  # the 文号 it mentions, as tokens: after its text
        "filters": [
            f"{name}:{value}" for name, values in fields.filters.items() for value in values
        ],
        "text": body,
        "wanted": wanted,
    }


def _record(root: Path, url: str) -> dict:
    path = _in_folder(records_dir(root), url, RECORD)
    if not path.exists():
        raise RuntimeError(f"no search record for {url}; run `python -m scripts site --full`")
    return json.loads(path.read_text(encoding="utf-8"))


# --- folding: docs/assets/search/query.js does the same to a query ----------------------------
# Characters are folded through one table of code points (numpy, so that 10,000 documents of
# text are folded and paired in seconds): traditional → simplified (web.t2s_table), full-width
# letters and digits → ASCII, upper → lower case; 0 drops a character (punctuation, spaces,
# symbols), so that a pair spans them; a line break (10) stays and no pair spans it.

NEWLINE = 10
PAIR_SHIFT = 16  # a pair's code: first << 16 | second (both below 2**16)


# What folding keeps of a text, each range (first, last, what its first becomes, whether its
# characters are simplified): the rest is dropped. The browser folds a query with the same ranges
# (browser_rules).
FOLD_RANGES = (
    (NEWLINE, NEWLINE, NEWLINE, False),  # a paragraph break: a passage does not run across it
    (0x30, 0x39, 0x30, False),  # 0–9
    (0x61, 0x7A, 0x61, False),  # a–z
    (0x41, 0x5A, 0x61, False),  # A–Z
    (0xFF10, 0xFF19, 0x30, False),  # full-width ０–９
    (0xFF21, 0xFF3A, 0x61, False),  # Ａ–Ｚ
    (0xFF41, 0xFF5A, 0x61, False),  # ａ–ｚ
    (0x3400, 0x4DBF, 0x3400, True),  # Han, extension A
    (0x4E00, 0x9FFF, 0x4E00, True),  # Han
)


@lru_cache(maxsize=1)
def _fold_table():
    import numpy as np

    from ..pages.web import t2s_table

    table = np.zeros(0x10000, dtype=np.uint64)
    for first, last, to, _ in FOLD_RANGES:
        table[first : last + 1] = np.arange(to, to + last - first + 1)
    pairs = t2s_table()
    for i in range(0, len(pairs), 2):
        table[ord(pairs[i])] = ord(pairs[i + 1])
    return table


def fold_codes(text: str):
    """A text's code points, folded, dropped characters gone (a numpy array)."""
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    folded = _fold_table()[np.minimum(points, 0xFFFF)]
    folded[points > 0xFFFF] = 0
    return folded[folded != 0]


def fold(text: str) -> str:
    """'“六大支撑”助力 衡東' → '六大支撑助力衡东' (what the index sees of a text)."""
    return fold_lines(text)


# --- what a document is searched by -----------------------------------------------------------
# Its head: one line per field (title, 文号, issuer, each place), the token of its own 文号, and
# the pinyin of its title and places, a run of syllables a line. Its body: its own text, then the
# tokens of the 文号 it cites, one a line. Positions are those of the folded lines, line breaks
# included (the browser folds a result's text the same way to find the passage to show).

SYLLABLE_STARTS, SYLLABLE_ENDS = 2, 1  # a head position's flags: position << 2 | flags
ANYWHERE = SYLLABLE_STARTS | SYLLABLE_ENDS  # in a field that is not pinyin, a word may start
# and end at any character


def head_lines(record: dict) -> list[tuple[str, list[int] | None]]:
    """The head's lines, folded, each with the flags of its characters (None: a field that is
    not pinyin, where a word may start and end anywhere): for a pinyin line, SYLLABLE_STARTS on
    the first letter of a syllable and SYLLABLE_ENDS on its last."""
    fields = [line.replace("\n", " ") for line in [*record["head"], *record["own"].split()]]
    lines: list[tuple[str, list[int] | None]] = [
        (line, None) for line in fold_lines("\n".join(fields)).split("\n")
    ]
    for field_ in record["pinyin"]:
        for run in field_.lower().split():
            letters, flags = "", []
            for syllable in run.split("'"):
                if not syllable.isascii() or not syllable.isalpha():
                    continue
                marks = [0] * len(syllable)
                marks[0] |= SYLLABLE_STARTS
                marks[-1] |= SYLLABLE_ENDS
                letters += syllable
                flags += marks
            if letters:
                lines.append((letters, flags))
    return [(text, flags) for text, flags in lines if text]


def body_string(record: dict) -> str:
    """The body as the index sees it: the folded text, then the cited tokens, one a line."""
    return fold_lines(record["text"] + "".join("\n" + t for t in record["tokens"].split()))


def fold_lines(text: str) -> str:
    """A text folded, its line breaks kept."""
    return fold_codes(text).astype("<u4").tobytes().decode("utf-32-le") if text else ""


def occurrences(record: dict, word: str) -> tuple[int, list[int]]:
    """Where a folded word stands in a document: how many times in its head (a pinyin line only
    on whole syllables), and its positions in its body. What the browser finds with the index
    (tests hold it to this); a word found in neither is no hit."""
    in_head = 0
    for text, flags in head_lines(record):
        at = text.find(word)
        while at >= 0:
            if flags is None or (
                flags[at] & SYLLABLE_STARTS and flags[at + len(word) - 1] & SYLLABLE_ENDS
            ):
                in_head += 1
            at = text.find(word, at + 1)
    body = body_string(record)
    positions = []
    at = body.find(word)
    while at >= 0:
        positions.append(at)
        at = body.find(word, at + 1)
    return in_head, positions


def _line_codes(lines: list[tuple[str, list[int] | None]]):
    """The head's lines as one array of codes (line breaks between them) and its flags."""
    import numpy as np

    text = "\n".join(line for line, _ in lines)
    flags = []
    for line, marks in lines:
        flags += (marks or [ANYWHERE] * len(line)) + [0]
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    return codes, np.array(flags[: len(codes)], dtype=np.uint64)


def _pairs(codes):
    """Every pair of neighbouring codes that spans no line break: (its code, its position)."""
    import numpy as np

    first, second = codes[:-1], codes[1:]
    keep = (first != NEWLINE) & (second != NEWLINE)
    return (first << PAIR_SHIFT | second)[keep], np.flatnonzero(keep).astype(np.uint64)


def positioned_pairs(record: dict):
    """(key, value) of every pair of a document: key = pair code · 2 + 1 in the head, + 0 in the
    body; value = the position in the body, or position << 2 | flags in the head (a pair starts
    a word at a syllable's start, and ends it at a syllable's end)."""
    import numpy as np

    tokens = "".join("\n" + t for t in record["tokens"].split())
    body_pairs, body_at = _pairs(fold_codes(record["text"] + tokens))
    head_codes, flags = _line_codes(head_lines(record))
    head_pairs, head_at = _pairs(head_codes)
    head_flags = (flags[head_at.astype(np.int64)] & SYLLABLE_STARTS) | (
        flags[head_at.astype(np.int64) + 1] & SYLLABLE_ENDS
    )
    keys = np.concatenate([body_pairs << np.uint64(1), head_pairs << np.uint64(1) | np.uint64(1)])
    values = np.concatenate([body_at, head_at << np.uint64(2) | head_flags])
    return keys, values


HEAD_FLAG = 1 << 32  # a single character of the head ('^' in its name)


def character_codes(record: dict):
    """Every character of the body and (| HEAD_FLAG) of the head's fields (not its pinyin), for
    one-character queries; unique, sorted."""
    import numpy as np

    body = fold_codes(body_string(record))
    head = fold_codes("\n".join([*record["head"], *record["own"].split()]))
    return np.unique(
        np.concatenate([body[body != NEWLINE], head[head != NEWLINE] | np.uint64(HEAD_FLAG)])
    )


def key_name(code: int) -> str:
    """A character's code as the key the browser asks for: '县', '^县'."""
    return (HEAD_MARK if code & HEAD_FLAG else "") + chr(code & 0xFFFF)


def pair_name(key: int) -> str:
    """A pair's key as a name (for tests): '县域', '^县域'."""
    code = key >> 1
    return (HEAD_MARK if key & 1 else "") + chr(code >> PAIR_SHIFT) + chr(code & 0xFFFF)


def document_keys(record: dict) -> set[str]:
    """Every key a document is listed under (for tests and checks)."""
    keys, _ = positioned_pairs(record)
    return (
        {pair_name(k) for k in keys.tolist()}
        | {key_name(c) for c in character_codes(record).tolist()}
        | {FILTER_MARK + f for f in record["filters"]}
    )


FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193  # FNV-1a, 32 bits


def key_hash(key: str) -> int:
    """FNV-1a over the UTF-16 code units of a key without its head mark (a key's body and head
    entries share a shard); the browser computes the same."""
    if key.startswith(HEAD_MARK):
        key = key[1:]
    h = FNV_OFFSET
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * FNV_PRIME) & 0xFFFFFFFF
    return h


def _pair_hashes(codes):
    """key_hash of each pair (codes: first << 16 | second), at once."""
    import numpy as np

    mask, prime = np.uint64(0xFFFFFFFF), np.uint64(0x01000193)
    h = ((np.uint64(0x811C9DC5) ^ (codes >> np.uint64(PAIR_SHIFT))) * prime) & mask
    return ((h ^ (codes & np.uint64(0xFFFF))) * prime) & mask


def length_byte(characters: int) -> int:
    """A body's length in one byte, for the ranking: round(LENGTH_STEPS · log2(1 + n))."""
    return min(255, round(LENGTH_STEPS * math.log2(1 + characters)))


# --- encodings --------------------------------------------------------------------------------


def _varint_gaps(numbers: list[int]) -> bytes:
    gaps = bytearray()
    previous = -1
    for n in numbers:
        gap = n - previous
        previous = n
        while gap >= 0x80:
            gaps.append(gap & 0x7F | 0x80)
            gap >>= 7
        gaps.append(gap)
    return bytes(gaps)


def encode(numbers: list[int], size: int) -> str:
    """Sorted document numbers as 'b' + a bitmap (bit n of byte n // 8, lowest first) or 'd' + the
    varint gaps between them, whichever is shorter, in base64."""
    gaps = _varint_gaps(numbers)
    if len(gaps) <= (size + 7) // 8:
        return "d" + base64.b64encode(gaps).decode()
    bitmap = bytearray((size + 7) // 8)
    for n in numbers:
        bitmap[n >> 3] |= 1 << (n & 7)
    return "b" + base64.b64encode(bytes(bitmap)).decode()


def decode(value: str) -> list[int]:
    """The inverse of encode (for tests and checks)."""
    data = base64.b64decode(value[1:])
    if value[0] == "b":
        return [i * 8 + bit for i, byte in enumerate(data) for bit in range(8) if byte >> bit & 1]
    numbers, n, shift, previous = [], 0, 0, -1
    for byte in data:
        n |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            previous += n
            numbers.append(previous)
            n, shift = 0, 0
    return numbers


def varints(values):
    """Unsigned integers (a numpy array) as LEB128 varints, all at once: (bytes, bytes per value)."""
    import numpy as np

    values = values.astype(np.uint64)
    lengths = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35, 42):
        lengths += values >= np.uint64(1 << bits)
    starts = np.cumsum(lengths) - lengths
    out = np.zeros(int(lengths.sum()), dtype=np.uint8)
    rest = values.copy()
    for k in range(int(lengths.max(initial=0))):
        here = lengths > k
        more = (lengths[here] > k + 1).astype(np.uint8) << 7
        out[starts[here] + k] = (rest[here] & np.uint64(0x7F)).astype(np.uint8) | more
        rest >>= np.uint64(7)
    return out, lengths


def read_varints(data: bytes) -> list[int]:
    numbers, n, shift = [], 0, 0
    for byte in data:
        n |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            numbers.append(n)
            n, shift = 0, 0
    return numbers


def read_shard(data: bytes) -> dict[int, dict[int, list[int]]]:
    """A shard of pairs (search/<index>/<n>.bin) as key → document → values; what the browser
    reads (for tests and checks). Each entry: varint key, varint length, then for each document
    varint (number − previous − 1) and its values, each a varint (value − previous − 1) · 2 + 1
    when another value of the document follows."""
    found: dict[int, dict[int, list[int]]] = {}
    at = 0
    while at < len(data):
        key, length = _two_varints(data, at)
        at = _skip_varints(data, at, 2)
        numbers = read_varints(data[at : at + length])
        at += length
        entry, i, doc = {}, 0, -1
        while i < len(numbers):
            doc += numbers[i] + 1
            value, values = -1, []
            while True:
                i += 1
                value += (numbers[i] >> 1) + 1
                values.append(value)
                if not numbers[i] & 1:
                    break
            entry[doc] = values
            i += 1
        found[key] = entry
    return found


def _two_varints(data: bytes, at: int) -> tuple[int, int]:
    end = _skip_varints(data, at, 2)
    first, second = read_varints(data[at:end])
    return first, second


def _skip_varints(data: bytes, at: int, count: int) -> int:
    while count:
        if not data[at] & 0x80:
            count -= 1
        at += 1
    return at


# --- building the index -----------------------------------------------------------------------


@dataclass
class SearchState:
    """What the search index holds, kept in site/.build-state.json between builds."""

    numbers: dict[str, int] = field(default_factory=dict)  # URL → its document number
    main: list[str] = field(default_factory=list)  # URLs in the main index, newest first
    recent: list[str] = field(
        default_factory=list
    )  # URLs changed or added since the main index was built
    removed: list[str] = field(default_factory=list)  # URLs gone since then
    filters: dict[str, list[str]] = field(
        default_factory=dict
    )  # URL → its filter values, for the counts
    dates: dict[str, str] = field(default_factory=dict)  # URL → its date: ties rank newer first
    lengths: dict[str, int] = field(default_factory=dict)  # URL → length_byte of its body
    wanted: dict[str, list[list[str]]] = field(
        default_factory=dict
    )  # URL → the documents it cites that the archive lacks: [anchor, 文号, title]

    def as_json(self) -> dict:
        """The state as build-state.json keeps it: its fields, whose values are JSON already
        (dataclasses.asdict copies every list and dict: 1 s at 10,000 documents)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def load(cls, data: dict | None) -> SearchState | None:
        """The state a build kept; None (the index is rebuilt) when there is none, or one written
        by a version that kept other things."""
        names = {f.name for f in fields(cls)}
        if not data or set(data) != names:
            return None
        return cls(**data)


def next_state(
    previous: SearchState | None, doc_urls: set[str], changed: set[str]
) -> SearchState | None:
    """The index after this build: the main index kept, with the pages changed or added since it
    was built in the recent index; None when the main index must be rebuilt (none yet, or too
    many pages changed since, which would make every build slow)."""
    if previous is None or not previous.main:
        return None
    main = set(previous.main)
    recent = ((set(previous.recent) | changed) & doc_urls) | (doc_urls - main)
    removed = (set(previous.removed) | main) - doc_urls
    if len(recent) + len(removed) > max(COMPACT_AT_LEAST, COMPACT_SHARE * len(doc_urls)):
        return None
    numbers = {url: n for url, n in previous.numbers.items() if url in doc_urls or url in main}
    following = max(numbers.values(), default=-1) + 1
    for url in sorted(doc_urls - set(numbers)):
        numbers[url] = following
        following += 1

    def kept(values: dict) -> dict:
        return {url: v for url, v in values.items() if url in doc_urls}

    return SearchState(
        numbers=numbers,
        main=previous.main,
        recent=sorted(recent),
        removed=sorted(removed),
        filters=kept(previous.filters),
        dates=kept(previous.dates),
        lengths=kept(previous.lengths),
        wanted=kept(previous.wanted),
    )


def index_site(
    root: Path,
    site_dir: Path,
    doc_urls: set[str],
    changed: set[str],
    previous: SearchState | None,
    progress: Progress | None = None,
) -> tuple[SearchState, str]:
    """The search index after a site build: `doc_urls` are the pages it finds (the documents and
    the other pages, by their titles), `changed` those rendered anew (added or edited). Returns the
    state to keep and what was done, for the build's message (`progress` shows it as a stage)."""
    with (progress or Progress()).stage("search index") as stage:
        state, done = _index_site(root, site_dir, doc_urls, changed, previous)
        stage.end(done)
    return state, done


def _index_site(
    root: Path, site_dir: Path, doc_urls: set[str], changed: set[str], previous: SearchState | None
) -> tuple[SearchState, str]:
    # a page MkDocs did not render (not in the site) has no record: only documents must have one
    doc_urls = {
        url
        for url in doc_urls
        if url.startswith("/doc/") or _in_folder(records_dir(root), url, RECORD).exists()
    }
    changed = changed & doc_urls
    state = next_state(previous, doc_urls, changed)
    out = site_dir / SEARCH_DIR
    _forget_removed(root, doc_urls, set(previous.numbers) if previous else None)
    if state is None:
        records = {url: _record(root, url) for url in doc_urls}
        newest_first = sorted(doc_urls, key=lambda url: (records[url]["date"], url), reverse=True)
        state = SearchState(
            numbers={url: n for n, url in enumerate(newest_first)}, main=newest_first
        )
        shutil.rmtree(out, ignore_errors=True)
        _write_index(out / MAIN_DIR, records, state.numbers)
        documents = sum(url.startswith("/doc/") for url in doc_urls)
        touched, done = (
            set(doc_urls),
            f"{documents} documents and {len(doc_urls) - documents} other pages",
        )
    else:
        if not changed and state == previous and (site_dir / MANIFEST).exists():
            return state, "unchanged"
        records = {url: _record(root, url) for url in state.recent}
        shutil.rmtree(out / RECENT_DIR, ignore_errors=True)
        if records:
            _write_index(out / RECENT_DIR, records, state.numbers)
        assert previous is not None  # an update follows a build (planned so above)
        touched = (
            (changed & doc_urls)
            | (doc_urls - set(previous.numbers))
            | (set(previous.numbers) - doc_urls)
        )
        done = f"{len(state.recent)} recent pages"
    for url in touched & doc_urls:
        record = records.get(url) or _record(root, url)
        state.filters[url] = record["filters"]
        state.dates[url] = record["date"]
        state.lengths[url] = length_byte(len(record["text"]))
        state.wanted[url] = record["wanted"]
    _write_texts(out / TEXT_DIR, root, records, touched, doc_urls)
    gone = {
        url: n for url, n in (previous.numbers if previous else {}).items() if url not in doc_urls
    }
    _write_meta(out / META_DIR, root, state, touched, records, gone)
    _write_wanted(out / WANTED_DIR, state)
    _write_manifest(site_dir, state)
    return state, done


def _forget_removed(root: Path, doc_urls: set[str], indexed_before: set[str] | None) -> None:
    """The records of pages no longer in the site. After a finished build (`indexed_before`: every
    page it indexed), a record is either one of those or one this build's MkDocs wrote for a page
    of the site: only those pages can be gone. Otherwise (no finished build before: a build that
    stops leaves no state), every record is looked at, with a walk of strings (at 10,000
    documents, 0.8 s; a pathlib glob of the 22,000 records took 1.5 s). `check` and `mkdocs serve`
    run the same hook: the record of a page they rendered and the site no longer has stays until
    the index is next built whole; only the pages of the site are ever read (_record,
    feed_entries)."""
    top = str(records_dir(root))
    if indexed_before is not None:
        gone = sorted(indexed_before - doc_urls)
        folders = [os.path.normpath(os.path.join(top, url.strip("/"))) for url in gone]
    else:
        folders = [here for here, _, names in os.walk(top) if RECORD in names]
    for here in folders:
        where = os.path.relpath(here, top).replace(os.sep, "/")
        if ("/" if where == "." else f"/{where}/") in doc_urls:
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(here, RECORD))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(here, "feed.json"))
        if here != top and os.path.isdir(here) and not os.listdir(here):  # may hold others'
            os.rmdir(here)


def _write_index(folder: Path, records: dict[str, dict], numbers: dict[str, int]) -> None:
    """An index (main or recent) of these records: its shards of pairs, of characters and
    filters, and shards.json (how many of each, how many documents, a version of the whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    ordered = sorted(records, key=numbers.__getitem__)
    digest = hashlib.sha1()
    shards = _write_characters(folder, [records[u] for u in ordered], [numbers[u] for u in ordered])
    pairs = _write_pairs(folder, [records[u] for u in ordered], [numbers[u] for u in ordered])
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    size = max(numbers.values(), default=-1) + 1
    (folder / "shards.json").write_text(
        json.dumps({"shards": shards, "pairs": pairs, "size": size, "v": digest.hexdigest()[:10]}),
        encoding="utf-8",
    )


def _write_characters(folder: Path, records: list[dict], numbers: list[int]) -> int:
    """<n>.json: each character (of the body, and '^' of the head) and each filter value → the
    documents listed under it; keys hashed into shards of about SHARD_BYTES. Returns how many."""
    import numpy as np

    size = max(numbers, default=-1) + 1
    bits = max(1, size.bit_length())
    parts: list = []
    filters: dict[str, list[int]] = {}
    for record, n in zip(records, numbers, strict=True):
        parts.append(character_codes(record) << np.uint64(bits) | np.uint64(n))
        for value in record["filters"]:
            filters.setdefault(FILTER_MARK + value, []).append(n)
    combined = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
    keys, docs = combined >> np.uint64(bits), (combined & np.uint64((1 << bits) - 1))
    starts: Any = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else []
    ends = np.r_[starts[1:], len(keys)] if len(keys) else []
    encoded = {
        key_name(int(keys[start])): encode(docs[start:end].tolist(), size)
        for start, end in zip(starts, ends, strict=True)
    }
    encoded.update({key: encode(found, size) for key, found in filters.items()})
    total = sum(len(k) * 3 + len(v) + 6 for k, v in encoded.items())
    shards = 1
    while total / shards > SHARD_BYTES:
        shards *= 2
    files: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(encoded):
        files[key_hash(key) & (shards - 1)][key] = encoded[key]
    for number, entries in enumerate(files):
        (folder / f"{number}.json").write_text(
            json.dumps(entries, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return shards


def _write_pairs(folder: Path, records: list[dict], numbers: list[int]) -> int:
    """<n>.bin: each pair → the documents holding it and where (read_shard says how it is
    written), keys hashed into shards of about POSITION_SHARD_BYTES. All (shard, key, document,
    position) of a group of shards are sorted at once as numbers: the groups keep memory bounded
    at 10,000 documents (42 million pairs, a group of 2.6 million each). The groups are written by
    forked workers, one per core, each sorting at most PAIRS_AT_ONCE / workers at a time (the peak
    stays that of one process); each finds every record's pairs again for each of its groups.
    Returns how many shards."""
    total = sum(len(r["text"]) + 200 for r in records)  # about the pairs: a character each
    shards = 1
    while total * 1.5 / shards > POSITION_SHARD_BYTES:  # about 1.5 bytes a pair
        shards *= 2
    # the pairs sorted at once stay PAIRS_AT_ONCE however many workers share them: smaller groups
    cores = jobs() if can_fork() else 1
    groups = 1
    while total / groups > PAIRS_AT_ONCE / cores and groups < shards:
        groups *= 2
    write_group = partial(_write_pair_group, folder, records, numbers, shards, groups)

    workers = min(cores, groups)
    if workers > 1:
        for _ in map_unordered(write_group, range(groups), workers):
            pass  # each worker writes its groups' files: nothing comes back
    else:
        for group in range(groups):
            write_group(group)
    for number in range(shards):  # a shard no pair falls in is there, empty (no 404)
        path = folder / f"{number}.bin"
        if not path.exists():
            path.write_bytes(b"")
    return shards


def _write_pair_group(
    folder: Path, records: list[dict], numbers: list[int], shards: int, groups: int, group: int
) -> None:
    """The shards of one group (shard // (shards // groups) == group) that hold pairs."""
    import numpy as np

    per_group = shards // groups
    sort_keys, docs, values = [], [], []
    for record, n in zip(records, numbers, strict=True):
        keys, at = positioned_pairs(record)
        shard = _pair_hashes(keys >> np.uint64(1)) & np.uint64(shards - 1)
        mine = (shard // np.uint64(per_group)) == np.uint64(group)
        sort_keys.append(shard[mine] << np.uint64(34) | keys[mine])
        docs.append(np.full(int(mine.sum()), n, dtype=np.uint64))
        values.append(at[mine])
    if not sort_keys:
        return
    order = np.argsort(np.concatenate(sort_keys), kind="stable")
    sort_key = np.concatenate(sort_keys)[order]
    doc = np.concatenate(docs)[order]
    value = np.concatenate(values)[order]
    del order
    for number, data in _encode_pairs(sort_key, doc, value):
        (folder / f"{number}.bin").write_bytes(data)


def _encode_pairs(sort_key, doc, value):
    """(shard number, bytes) of each shard holding pairs, from the sorted (shard << 34 | key,
    document, value) of its pairs."""
    import numpy as np

    n = len(sort_key)
    if not n:
        return []
    new_key = np.r_[True, sort_key[1:] != sort_key[:-1]]
    new_doc = new_key | np.r_[True, doc[1:] != doc[:-1]]
    group_starts = np.flatnonzero(new_doc)
    previous_doc = np.r_[np.uint64(0), doc[:-1]]
    doc_gap = np.where(new_key, doc, doc - previous_doc - np.uint64(1))[group_starts]
    previous_value = np.r_[np.uint64(0), value[:-1]]
    value_gap = np.where(new_doc, value, value - previous_value - np.uint64(1))
    more = ~np.r_[new_doc[1:], True]  # another value of the same document follows
    # the stream: each document's gap before its values, each value's gap · 2 + more
    group_of = np.cumsum(new_doc) - 1
    stream = np.zeros(n + len(group_starts), dtype=np.uint64)
    stream[np.arange(n) + group_of + 1] = value_gap << np.uint64(1) | more.astype(np.uint64)
    heads = group_starts + np.arange(len(group_starts))
    stream[heads] = doc_gap
    data, lengths = varints(stream)
    # each key's header (key, length in bytes) before its bytes
    key_starts = np.flatnonzero(new_key)
    key_stream_starts = key_starts + np.searchsorted(group_starts, key_starts)
    byte_ends = np.cumsum(lengths)
    key_byte_starts = byte_ends[key_stream_starts] - lengths[key_stream_starts]
    key_bytes = np.diff(np.r_[key_byte_starts, len(data)])
    keys = sort_key[key_starts] & np.uint64((1 << 34) - 1)
    headers, header_lengths = varints(np.column_stack([keys, key_bytes.astype(np.uint64)]).ravel())
    header_bytes = header_lengths[0::2] + header_lengths[1::2]
    before = np.cumsum(header_bytes) - header_bytes  # the header bytes of the keys before each
    starts = key_byte_starts + before  # where each key's header goes
    out = np.empty(len(data) + len(headers), dtype=np.uint8)
    out[np.arange(len(data)) + np.repeat(before + header_bytes, key_bytes)] = data
    out[np.repeat(starts - before, header_bytes) + np.arange(len(headers))] = headers
    offsets = np.r_[starts, len(out)]
    shard_of = (sort_key[key_starts] >> np.uint64(34)).astype(np.int64)
    shard_starts = np.flatnonzero(np.r_[True, shard_of[1:] != shard_of[:-1]])
    shard_ends = np.r_[shard_starts[1:], len(keys)]
    return [
        (int(shard_of[a]), out[offsets[a] : offsets[b]].tobytes())
        for a, b in zip(shard_starts.tolist(), shard_ends.tolist(), strict=True)
    ]


def _write_texts(
    folder: Path, root: Path, records: dict[str, dict], touched: set[str], doc_urls: set[str]
) -> None:
    """search/doc/<id>.json: a document's own text, for the excerpt of its result: its opening
    paragraphs (up to OPENING_CHARS and the end of a paragraph), and the rest, if any, in
    <id>.more.json, fetched only when neither the title nor the opening holds the words (the
    first results, mostly found by their titles, cost a fraction of their text)."""
    folder.mkdir(parents=True, exist_ok=True)
    for url in sorted(u for u in touched if u.startswith("/doc/")):
        path = folder / (url.strip("/").split("/")[-1] + ".json")
        more = path.with_suffix(".more.json")
        path.unlink(missing_ok=True)
        more.unlink(missing_ok=True)
        if url not in doc_urls:
            continue
        text = (records.get(url) or _record(root, url))["text"]
        cut = text.find("\n", OPENING_CHARS)
        if cut < 0:
            path.write_text(json.dumps({"text": text}, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(
                json.dumps({"text": text[:cut], "more": 1}, ensure_ascii=False), encoding="utf-8"
            )
            more.write_text(json.dumps({"text": text[cut:]}, ensure_ascii=False), encoding="utf-8")


def _write_meta(
    folder: Path,
    root: Path,
    state: SearchState,
    touched: set[str],
    records: dict[str, dict],
    gone: dict[str, int],
) -> None:
    """search/meta/<k>.json for every chunk of CHUNK document numbers a changed, added or removed
    document is in."""
    live = {url: n for url, n in state.numbers.items() if url in state.filters}
    chunks = {state.numbers[url] // CHUNK for url in touched if url in state.numbers}
    chunks |= {n // CHUNK for n in gone.values()}
    by_chunk: dict[int, list[str]] = {}
    for url, n in live.items():
        if n // CHUNK in chunks:
            by_chunk.setdefault(n // CHUNK, []).append(url)
    folder.mkdir(parents=True, exist_ok=True)
    for chunk in sorted(chunks):
        entries = {}
        for url in sorted(by_chunk.get(chunk, []), key=live.__getitem__):
            record = records.get(url) or _record(root, url)
            entries[str(live[url])] = [
                record[k].strip("/") if k == "url" else record[k] for k in SHOWN
            ]
        (folder / f"{chunk}.json").write_text(
            json.dumps(entries, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def import_ahead() -> None:
    """What the index imports as it is built (numpy, the wanted entries' rules: 0.1 s), imported
    while MkDocs, in a forked child, reads its configuration, files and navigation in one process:
    the other core is free then, and a rebuild's index waits for none of it."""
    import numpy  # noqa: F401

    from ..pages import relation_pages  # noqa: F401


def wanted_entries(state: SearchState) -> dict[str, dict]:
    """Every cited document the archive lacks, by its anchor: its 文号 and titles, its entry on the
    wanted pages, and the numbers of the documents citing it (newest first)."""
    from ..archive.relations import wanted_path
    from ..pages.relation_pages import wanted_titles

    cites: dict[str, list[dict]] = {}
    citing: dict[str, set[int]] = {}
    # by URL: the pages' order would be the order a set of them was walked in, which changes with
    # each process (string hashing), and the first title cited is the one a result shows
    for url, wanted in sorted(state.wanted.items()):
        for anchor, number, title in wanted:
            cites.setdefault(anchor, []).append({"doc_number": number, "title": title})
            citing.setdefault(anchor, set()).add(state.numbers[url])
    entries = {}
    order = _date_order(state)  # once: it reads every document (per entry, it was N² in all)
    for anchor in sorted(cites):
        numbers, titles = wanted_titles(cites[anchor])
        page = wanted_path(anchor).removesuffix(".md")
        newest_first: list[int] = sorted(citing[anchor], key=lambda n: order.get(n, n))
        entries[anchor] = {
            "numbers": numbers,
            "titles": titles,
            "url": f"{page}/#{anchor}",
            "citing": newest_first,
        }
    return entries


def wanted_keys(entry: dict) -> list[str]:
    """What a query is looked up by in the wanted shards: the token of each 文号 of the entry, and
    each of its titles folded."""
    from ..pages.web import docnumber_tokens

    tokens = [t for number in entry["numbers"] for t in docnumber_tokens(number)]
    return list(dict.fromkeys([*tokens, *(fold(t) for t in entry["titles"] if fold(t))]))


def _write_wanted(folder: Path, state: SearchState) -> None:
    """search/wanted/<n>.json: key → the wanted entries it names, each [文号, title, url, how many
    documents cite it, the first of them] (a key names two when two entries share a title)."""
    entries = wanted_entries(state)
    found: dict[str, list] = {}
    for entry in entries.values():
        shown = [  # what its card shows: one title (a notice's plan: its own name), a few citing
            entry["numbers"],
            entry["titles"][0] if entry["titles"] else "",
            entry["url"],
            len(entry["citing"]),
            entry["citing"][:WANTED_CITING_SHOWN],
        ]
        for key in wanted_keys(entry):
            found.setdefault(key, []).append(shown)
    total = sum(len(k) * 3 + len(json.dumps(v, ensure_ascii=False)) for k, v in found.items())
    shards = 1
    while total / shards > WANTED_SHARD_BYTES:
        shards *= 2
    files: list[dict] = [{} for _ in range(shards)]
    for key in sorted(found):
        files[key_hash(key) & (shards - 1)][key] = found[key]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for number, entries_ in enumerate(files):
        (folder / f"{number}.json").write_text(
            json.dumps(entries_, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    (folder / "shards.json").write_text(json.dumps({"shards": shards}), encoding="utf-8")


def _date_order(state: SearchState) -> dict[int, float]:
    """Where each document of the recent index stands among the main index's by date (newest
    first): the main index numbers its documents newest first, so that a number is its place; a
    document added since gets a place between two numbers, so that it ranks among ties by its
    date and not last (its number is the highest)."""
    recent = set(state.recent)
    main = [url for url in state.main if url in state.dates and url not in recent]
    oldest_first = [(state.dates[url], url) for url in reversed(main)]
    places: dict[int, list[tuple[tuple[str, str], int]]] = {}
    for url in state.recent:
        if url in state.dates:
            key = (state.dates[url], url)
            place = len(main) - bisect.bisect_left(oldest_first, key)  # newer ones before it
            places.setdefault(place, []).append((key, state.numbers[url]))
    order: dict[int, float] = {}
    for place, found in places.items():
        before = state.numbers[main[place - 1]] if place else -1
        after = state.numbers[main[place]] if place < len(main) else before + 1
        found.sort(reverse=True)
        for i, (_, number) in enumerate(found):
            order[number] = before + (after - before) * (i + 1) / (len(found) + 1)
    return order


def _write_manifest(site_dir: Path, state: SearchState) -> None:
    """search/index.json: the shards of both indexes, the main entries to skip, the chunk size,
    the documents' lengths and date order, the ranking's parameters; search/filters.json: each
    filter value and how many documents have it."""
    out = site_dir / SEARCH_DIR

    def shards(name: str) -> dict | None:
        path = out / name / "shards.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    main = set(state.main)
    stale = sorted(
        state.numbers[url] for url in set(state.recent) | set(state.removed) if url in main
    )
    size = max(state.numbers.values(), default=-1) + 1
    lengths = bytearray(size)
    for url, length in state.lengths.items():
        lengths[state.numbers[url]] = length
    wanted = shards(WANTED_DIR)
    if wanted:
        digest = hashlib.sha1(
            b"".join(p.read_bytes() for p in sorted((out / WANTED_DIR).glob("*.json")))
        )
        wanted["v"] = digest.hexdigest()[:10]
    manifest = {
        "count": len(state.filters),
        "chunk": CHUNK,
        "main": shards(MAIN_DIR),
        "recent": shards(RECENT_DIR) if state.recent else None,
        "stale": stale,
        "lengths": base64.b64encode(bytes(lengths)).decode(),
        "order": {str(n): round(key, 6) for n, key in sorted(_date_order(state).items())},
        "wanted": wanted,
        "rank": {**RANKING, "lengthSteps": LENGTH_STEPS},
        "syllable": {"starts": SYLLABLE_STARTS, "ends": SYLLABLE_ENDS},  # a head value's flags
        "rules": browser_rules(),
    }
    (site_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    counts: dict[str, dict[str, int]] = {}
    for values in state.filters.values():
        for value in values:
            name, _, item = value.partition(":")
            counts.setdefault(name, {})
            counts[name][item] = counts[name].get(item, 0) + 1
    (site_dir / FILTERS).write_text(
        json.dumps(counts, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


# --- what the browser reads a query by ----------------------------------------------------------

# Python's own pattern syntax, which JavaScript's RegExp does not read: a conditional group, a
# back reference by name, an inline flag
NOT_JAVASCRIPT = re.compile(r"\(\?(?:\(|P=|[aiLmsux])")


def js_pattern(pattern: re.Pattern[str]) -> str:
    """A pattern as JavaScript's RegExp reads it: a named group (?P<x>…) is (?<x>…). A pattern
    written with Python's own syntax is refused, rather than read differently by the browser.
    (JavaScript's \\d is ASCII digits only: a query's full-width digits are folded first.)"""
    if NOT_JAVASCRIPT.search(pattern.pattern) or pattern.flags & (re.VERBOSE | re.IGNORECASE):
        raise ValueError(f"{pattern.pattern!r}: no JavaScript pattern reads it the same")
    return pattern.pattern.replace("(?P<", "(?<")


@lru_cache(maxsize=1)
def browser_rules() -> dict:
    """What the browser's search reads a query by, decided here and written into
    search/index.json, so that docs/assets/search/ holds none of it: the patterns of a loosely
    typed 文号 and of a decree's or 公告's number, the numeral tables, how an organ is named, the
    shape of a number's token, the filters' names, the marks and hash of the index's keys, and what
    folding keeps."""
    from ..core import docnumber, numerals
    from ..pages import web

    return {
        "looseNumber": js_pattern(docnumber.LOOSE),
        "seriesQuery": js_pattern(web.SERIES_QUERY),
        "numberToken": js_pattern(web.NUMBER_TOKEN),
        "digits": numerals.DIGITS,
        "units": numerals.UNITS,
        "organ": {
            "gaps": js_pattern(docnumber.ORGAN_GAPS),
            "nation": js_pattern(docnumber.NATION),
            "government": js_pattern(docnumber.GOVERNMENT),
            "governmentAs": docnumber.PEOPLES_GOVERNMENT,
        },
        "filters": web.SEARCH_FILTERS,
        "pages": FILTER_MARK + PAGE_FILTER,
        "marks": {"head": HEAD_MARK, "filter": FILTER_MARK},
        "hash": {"offset": FNV_OFFSET, "prime": FNV_PRIME},
        "fold": [list(r) for r in FOLD_RANGES],
    }
