"""The site's search index: character bigrams of every document's text, light to download at
10,000 documents, and found whatever the segmentation (docs/assets/archive.js searches it).

A word-based index (Pagefind cuts Chinese into words) finds 县域经济 only where the segmenter
cut the text the same way: not inside 县域经济强县. CJK search engines guarantee substring recall
with character n-grams (Lucene's CJKAnalyzer, Elasticsearch's `cjk_bigram`): the text and the
query are both turned into overlapping pairs of characters, and a document holds the query
when it holds all of its pairs. This index is that, at the level of documents:

- a document's text (its body, the simplified twin of its characters, its 文号 tokens) and its
  head (title, 文号, issuer, places, their pinyin) are folded as the browser folds a query
  (traditional → simplified one character at a time with web.t2s_table, lower case, only Han
  characters, letters and digits kept, so that a pair spans punctuation and spaces but not a
  paragraph break);
- key → the documents holding it: every pair of the text ('县域'), of the head ('^县域'), every
  character (for one-character queries), every filter value ('=年份:2024'). A list of document
  numbers is written as a bitmap or as varint gaps, whichever is shorter: a pair found in every
  document of 10,000 costs 1.25 KB, without positions (what made a word index heavy);
- keys are hashed into shards (search/main/<n>.json) of a few KB: a query fetches one shard per
  pair. A document holding all pairs of a word is a match (a superset of the documents holding
  the word itself; the browser checks the word in the text when it shows the excerpt);
- search/meta/<k>.json: title, place, date, 文号, type of documents numbered k·CHUNK… (what a result
  shows); search/doc/<id>.json: a document's own text, fetched for an excerpt when its result is
  on screen. Documents are numbered newest first, so that ties rank newer documents first.

A rebuild does not rebuild the main index: documents added or changed since go to a small second
index (search/recent/), whose entries win over the main index's stale ones (listed in
search/index.json); the main index is rebuilt when those pass a share of the archive. The MkDocs
hook writes each rendered document's record (.cache/site-pages/doc/<id>/search.json), so that a
rebuild reads only the records of what changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..core.files import write_atomic
from ..speed.progress import Progress

SEARCH_DIR = "search"  # in site/
MAIN_DIR, RECENT_DIR, META_DIR, TEXT_DIR = "main", "recent", "meta", "doc"
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
SHARD_BYTES = 4096  # aimed size of a shard, raw: a query downloads one per pair of characters
CHUNK = 32  # documents per meta file: the first results fetch a few of them
OPENING_CHARS = (
    3000  # search/doc/<id>.json holds the text up to the end of the paragraph after this
)
FEED_KEYS = (
    "id",
    "title",
    "description",
    "issuer",
    "doc_type",
    "date",
    "added",
    "source",
    "status",
    "status_evidence",
    "valid_until",
)  # what web.atom_feed reads (the status: a line when it changed, web.status_changes)
# What a search result shows, in this order, in search/meta/<k>.json
SHOWN = ("url", "title", "place", "date", "number", "type")
HEAD_MARK, FILTER_MARK = "^", "="


# --- records (written by the MkDocs hook) -----------------------------------------------------


def records_dir(root: Path) -> Path:
    return root / PAGE_CACHE


def _in_folder(folder: Path, url: str, name: str = "index.html") -> Path:
    """Where a page's file sits in a folder laid out as the site is: /doc/x/ → folder/doc/x/name."""
    return folder / url.strip("/") / name


def keep_page(root: Path, url: str, meta: dict, markdown: str, fields) -> None:
    """What later builds that do not render a document page need of it: its feed entry and its
    search record."""
    feed_entry = _in_folder(records_dir(root), url, "feed.json")
    feed_entry.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(
        feed_entry,
        json.dumps({k: meta[k] for k in FEED_KEYS if k in meta}, ensure_ascii=False, default=str),
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
        "head": title,
        "tokens": "",
        "filters": [PAGE_FILTER],
        "text": "",
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


APPENDED_SECTION = re.compile(
    r"^## [^\n]*\{#(?:relations|relation-graph|targets)\}\s*$", re.MULTILINE
)


def document_record(url: str, meta: dict, markdown: str, fields) -> dict:
    """What search needs of a document: what its result shows, its head and text to index, the
    text its excerpt is cut from (the document's own: not the relations, diagram and targets
    appended to its page)."""
    from ..pages.web import plain_text

    body = plain_text(APPENDED_SECTION.split(markdown, 1)[0])
    body = re.sub(r"\n{2,}", "\n", body).strip()
    places = fields.filters.get("地区", [])
    head = [
        meta.get("title", ""),
        meta.get("doc_number", ""),
        meta.get("issuer", ""),
        *places,
        fields.pinyin,
        fields.own_number,
    ]
    return {
        "url": url,
        "title": meta.get("title", ""),
        "place": " › ".join(places),
        "date": str(meta.get("date", "")),
        "number": meta.get("doc_number", ""),
        "type": meta.get("doc_type", ""),
        "head": " ".join(h for h in head if h),
        "tokens": fields.cited_numbers,  # the 文号 it mentions, as tokens: found with its text
        "filters": [
            f"{name}:{value}" for name, values in fields.filters.items() for value in values
        ],
        "text": body,
    }


def _record(root: Path, url: str) -> dict:
    path = _in_folder(records_dir(root), url, RECORD)
    if not path.exists():
        raise RuntimeError(f"no search record for {url}; run `python -m scripts site --full`")
    return json.loads(path.read_text(encoding="utf-8"))


# --- folding and keys: docs/assets/archive.js does the same to a query -------------------------
# Characters are folded through one table of code points (numpy, so that 10,000 documents of
# text are folded and paired in seconds): traditional → simplified (web.t2s_table), full-width
# letters and digits → ASCII, upper → lower case; 0 drops a character (punctuation, spaces,
# symbols), so that a pair spans them; a line break (10) stays and no pair spans it.

NEWLINE = 10
PAIR_SHIFT = 16  # a pair's code: first << 16 | second (both below 2**16)
HEAD_FLAG = 1 << 32  # a key of the head ('^' in its name)


@lru_cache(maxsize=1)
def _fold_table():
    import numpy as np

    from ..pages.web import t2s_table

    table = np.zeros(0x10000, dtype=np.uint64)
    keep = [*range(0x30, 0x3A), *range(0x61, 0x7B), *range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]
    table[keep] = keep
    table[NEWLINE] = NEWLINE
    table[0x41:0x5B] = np.arange(0x61, 0x7B)  # A–Z
    table[0xFF10:0xFF1A] = np.arange(0x30, 0x3A)  # full-width ０–９
    table[0xFF21:0xFF3B] = np.arange(0x61, 0x7B)  # Ａ–Ｚ
    table[0xFF41:0xFF5B] = np.arange(0x61, 0x7B)  # ａ–ｚ
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
    return "".join(map(chr, fold_codes(text).tolist()))


def key_codes(text: str):
    """Every character and every pair of neighbouring characters of a text, folded, as codes
    (no pair spans a line break); unique, sorted."""
    import numpy as np

    codes = fold_codes(text)
    first, second = codes[:-1], codes[1:]
    pairs = (first << PAIR_SHIFT | second)[(first != NEWLINE) & (second != NEWLINE)]
    return np.unique(np.concatenate([codes[codes != NEWLINE], pairs]))


def document_codes(record: dict):
    import numpy as np

    text = key_codes("\n".join([record["head"], record["text"], record["tokens"]]))
    return np.concatenate([text, key_codes(record["head"]) | HEAD_FLAG])


def key_name(code: int) -> str:
    """A code as the key the browser asks for: '县', '县域', '^县域'."""
    mark = HEAD_MARK if code & HEAD_FLAG else ""
    code &= HEAD_FLAG - 1
    first, second = code >> PAIR_SHIFT, code & 0xFFFF
    return mark + (chr(first) if first else "") + chr(second)


def document_keys(record: dict) -> set[str]:
    """Every key a document is listed under (for tests and checks)."""
    return {key_name(c) for c in document_codes(record).tolist()} | {
        FILTER_MARK + f for f in record["filters"]
    }


def key_hash(key: str) -> int:
    """FNV-1a over the UTF-16 code units of a key without its head mark (a pair's body and head
    entries share a shard); the browser computes the same."""
    if key.startswith(HEAD_MARK):
        key = key[1:]
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return h


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


# --- building the index -----------------------------------------------------------------------


@dataclass
class SearchState:
    """What the search index holds, kept in site/.build-state.json between builds."""

    numbers: dict[str, int] = field(default_factory=dict)  # URL → its document number
    main: list[str] = field(default_factory=list)  # URLs in the main index
    recent: list[str] = field(
        default_factory=list
    )  # URLs changed or added since the main index was built
    removed: list[str] = field(default_factory=list)  # URLs gone since then
    filters: dict[str, list[str]] = field(
        default_factory=dict
    )  # URL → its filter values, for the counts

    @classmethod
    def load(cls, data: dict | None) -> SearchState | None:
        return cls(**data) if data and "numbers" in data else None


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
    return SearchState(
        numbers=numbers,
        main=previous.main,
        recent=sorted(recent),
        removed=sorted(removed),
        filters={url: v for url, v in previous.filters.items() if url in doc_urls},
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
    _forget_removed(root, doc_urls)
    if state is None:
        records = {url: _record(root, url) for url in doc_urls}
        newest_first = sorted(doc_urls, key=lambda url: (records[url]["date"], url), reverse=True)
        state = SearchState(
            numbers={url: n for n, url in enumerate(newest_first)}, main=newest_first
        )
        shutil.rmtree(out, ignore_errors=True)
        _write_postings(out / MAIN_DIR, records, state.numbers)
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
            _write_postings(out / RECENT_DIR, records, state.numbers)
        touched = (
            (changed & doc_urls)
            | (doc_urls - set(previous.numbers))
            | (set(previous.numbers) - doc_urls)
        )
        done = f"{len(state.recent)} recent pages"
    for url in touched & doc_urls:
        state.filters[url] = (records.get(url) or _record(root, url))["filters"]
    _write_texts(out / TEXT_DIR, root, records, touched, doc_urls)
    gone = {
        url: n for url, n in (previous.numbers if previous else {}).items() if url not in doc_urls
    }
    _write_meta(out / META_DIR, root, state, touched, records, gone)
    _write_manifest(site_dir, state)
    return state, done


def _forget_removed(root: Path, doc_urls: set[str]) -> None:
    """The records of pages no longer in the site."""
    folder = records_dir(root)
    for path in sorted(folder.rglob(RECORD)) if folder.is_dir() else []:
        where = path.parent.relative_to(folder).as_posix()
        if ("/" if where == "." else f"/{where}/") not in doc_urls:
            path.unlink()
            (path.parent / "feed.json").unlink(missing_ok=True)
            if path.parent != folder and not any(
                path.parent.iterdir()
            ):  # a page's folder may hold others'
                path.parent.rmdir()


def _write_postings(folder: Path, records: dict[str, dict], numbers: dict[str, int]) -> None:
    """Key → document numbers, in shards of about SHARD_BYTES. All (key, document) pairs are
    sorted at once as numbers (key << bits | document): 4 million at 1,000 documents."""
    import numpy as np

    size = max(numbers.values(), default=-1) + 1
    bits = max(1, size.bit_length())
    parts, filters = [], {}
    for url in sorted(records, key=numbers.__getitem__):
        n = numbers[url]
        parts.append(document_codes(records[url]) << np.uint64(bits) | np.uint64(n))
        for value in records[url]["filters"]:
            filters.setdefault(FILTER_MARK + value, []).append(n)
    combined = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
    keys, docs = (
        combined >> np.uint64(bits),
        (combined & np.uint64((1 << bits) - 1)).astype(np.int64),
    )
    starts = (
        np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        if len(keys)
        else np.zeros(0, dtype=np.int64)
    )
    ends = np.r_[starts[1:], len(keys)].astype(np.int64)
    gaps = np.diff(docs, prepend=-1)
    gaps[starts] = docs[starts] + 1
    gap_bytes = (
        np.add.reduceat(1 + (gaps >= 1 << 7) + (gaps >= 1 << 14) + (gaps >= 1 << 21), starts)
        if len(keys)
        else np.zeros(0)
    )
    bitmap_bytes = (size + 7) // 8
    encoded = {}
    for start, end, key, length in zip(
        starts.tolist(), ends.tolist(), keys[starts].tolist(), gap_bytes.tolist()
    ):
        if length <= bitmap_bytes:
            value = "d" + base64.b64encode(_varint_gaps(docs[start:end].tolist())).decode()
        else:
            present = np.zeros(bitmap_bytes * 8, dtype=bool)
            present[docs[start:end]] = True
            value = (
                "b" + base64.b64encode(np.packbits(present, bitorder="little").tobytes()).decode()
            )
        encoded[key_name(key)] = value
    encoded.update({key: encode(found, size) for key, found in filters.items()})
    total = sum(len(k) * 3 + len(v) + 6 for k, v in encoded.items())
    shards = 1
    while total / shards > SHARD_BYTES:
        shards *= 2
    files: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(encoded):
        files[key_hash(key) & (shards - 1)][key] = encoded[key]
    folder.mkdir(parents=True, exist_ok=True)
    for number, entries in enumerate(files):
        (folder / f"{number}.json").write_text(
            json.dumps(entries, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    (folder / "shards.json").write_text(
        json.dumps({"shards": shards, "size": size}), encoding="utf-8"
    )


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


def _write_manifest(site_dir: Path, state: SearchState) -> None:
    """search/index.json: the shards of both indexes, the main entries to skip, the chunk size;
    search/filters.json: each filter value and how many documents have it."""
    out = site_dir / SEARCH_DIR

    def shards(name: str) -> dict | None:
        path = out / name / "shards.json"
        if not path.exists():
            return None
        info = json.loads(path.read_text(encoding="utf-8"))
        digest = hashlib.sha1(b"".join(p.read_bytes() for p in sorted((out / name).glob("*.json"))))
        return {
            **info,
            "v": digest.hexdigest()[:10],
        }  # a new version is fetched again, never an old copy

    main = set(state.main)
    stale = sorted(
        state.numbers[url] for url in set(state.recent) | set(state.removed) if url in main
    )
    manifest = {
        "count": len(state.filters),
        "chunk": CHUNK,
        "main": shards(MAIN_DIR),
        "recent": shards(RECENT_DIR) if state.recent else None,
        "stale": stale,
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
