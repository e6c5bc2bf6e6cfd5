"""Versions of one policy: chained oldest to newest, and what changed between two of them.

A chain is the documents of one place whose titles are the same policy's, or that a later
document says it replaces or revises (validity.py):

    西安市突发地质灾害应急预案 (2006, 西安市)  ──  市突发地质灾害应急预案 (2018, 西安市)
    非洲猪瘟疫情应急实施方案（2019年版）(全国) ── 非洲猪瘟疫情应急实施方案（2020年版）(全国)

Titles compare through `version_key`: the folded title (references.title_key) without what
marks an edition ((2019年版), (试行), 暂行, (修订)), without the place's own name in front
(西安市突发… and 市突发… in a document of 西安市) and without 关于. Documents are grouped by
place and key (a dictionary, so the archive is read once), and a group is ordered by date;
two of the same date are copies or parts, never versions, and only the first of them is kept.
Reports, replies and interpretations (NOT_VERSIONED) have no versions.

`align` matches two versions' paragraphs by content, with difflib (Python's own sequence
matcher): identical paragraphs in order are unchanged; identical ones out of order are moved;
what is left is paired by likeness (a paragraph reworded, in place or moved), found through the
rare character pairs two paragraphs share, so that no paragraph is compared with every other.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..core import places
from ..core.groups import Groups
from ..core.model import HEADING, Block, Document
from ..core.script import to_simplified
from .documents import Archive
from .mentions import document_place
from .references import title_key

# Kinds of document that are not a policy's text: they have no versions.
NOT_VERSIONED = {"报道", "解读", "答复", "函", "批复", "报告", "公报"}
# What marks an edition in a title: （2019年版）（试行）（暂行）（修订）（征求意见稿）, and 暂行 / 试行.
EDITION = re.compile(
    r"[（(](?:(?:19|20)\d{2}\s*年?\s*(?:版|修订|修正|修订版)|第?[一二三四五六七八九十\d]+版|试行|暂行|修订|修正|修订稿|征求意见稿|草案)[）)]"
    r"|暂行|试行"
)
LEVEL_WORD = re.compile(r"^(?:省|市|县|区|州|盟|旗)(?=[\u4e00-\u9fff]{4})")
MIN_KEY = 6  # characters: a shorter key (通知, 实施方案) names no policy of its own


def version_key(doc: Document) -> str:
    """The title as the same policy's titles share it, in the document's place."""
    title = unicodedata.normalize("NFKC", to_simplified(doc.meta.get("title", "")))
    title = EDITION.sub("", title)
    title = re.sub(r"^关于", "", title)
    here = document_place(doc)
    named = False
    for place in reversed(places.lineage(here)) if here else []:
        for name in (place.name, place.short):
            if name and title.startswith(name) and len(title) > len(name) + MIN_KEY:
                title, named = title[len(name) :], True
                break
    if not named:
        title = LEVEL_WORD.sub("", title)  # 市突发地质灾害应急预案 in a document of 西安市
    key = title_key(title)[2:]
    return key if len(key) >= MIN_KEY else ""


def chain_versions(archive: Archive, said: list[tuple[Document, Document]]) -> list[list[str]]:
    """The chains of versions (ids, oldest first, two documents at least): documents of one place
    and version key, joined with those a later document says it replaces or revises (`said`:
    claimer, target). Linear in the documents: a dictionary of (place, key), and a union-find."""
    versions = Groups()
    groups: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in archive.documents:
        here = document_place(doc)
        if here is None or not doc.meta.get("date") or doc.meta.get("doc_type") in NOT_VERSIONED:
            continue
        key = version_key(doc)
        if key:
            groups[(here.code, key)].append(doc)
    for members in groups.values():
        kept = _one_a_day(members)
        for doc in kept[1:]:
            versions.join(doc.meta["id"], kept[0].meta["id"])
    for claimer, target in said:
        if claimer.meta.get("date") and target.meta.get("date"):
            versions.join(claimer.meta["id"], target.meta["id"])
    by_id = archive.by_id()
    joined: dict[str, list[Document]] = defaultdict(list)
    for doc_id in versions.members():
        joined[versions.root(doc_id)].append(by_id[doc_id])
    chains = [_one_a_day(docs) for docs in joined.values()]
    return sorted(([d.meta["id"] for d in c] for c in chains if len(c) > 1), key=lambda c: c[0])


def _one_a_day(docs: list[Document]) -> list[Document]:
    """Oldest first; of documents of the same date only the first (by id) is a version."""
    out: list[Document] = []
    for doc in sorted(docs, key=lambda d: (str(d.meta["date"]), d.meta["id"])):
        if not out or str(out[-1].meta["date"]) != str(doc.meta["date"]):
            out.append(doc)
    return out


def adjacent_pairs(chains: list[list[str]]) -> list[tuple[str, str]]:
    return [(chain[i], chain[i + 1]) for chain in chains for i in range(len(chain) - 1)]


# --- what changed between two versions --------------------------------------------------------

UNCHANGED, MOVED, REWORDED, ADDED, REMOVED = "unchanged", "moved", "reworded", "added", "removed"
LIKE_ENOUGH = 0.5  # share of characters two paragraphs have in common to be one paragraph reworded
CANDIDATES = 8  # paragraphs of the old version a new one is compared with, those sharing most pairs
COMMON_PAIR = 50  # a character pair in more paragraphs than this tells nothing about likeness
LONG = 1500  # characters: longer paragraphs are compared by their characters, not aligned
NEARLY_THE_SAME = 0.9  # a candidate this alike ends the search for a paragraph's partner


@dataclass(frozen=True)
class Row:
    """One line of a comparison: a paragraph of the old version, of the new, or both."""

    change: str  # unchanged, moved, reworded (moved or not: `moved`), added, removed
    old: int | None  # index into the old version's paragraphs (`paragraphs`)
    new: int | None
    moved: bool = False
    likeness: float = 1.0


def paragraphs(doc: Document) -> list[Block]:
    """The blocks a comparison shows: every block with text, except the title."""
    return [b for b in doc.blocks if b.text.strip() and not (b.kind == HEADING and b.level == 0)]


def folded(text: str) -> str:
    """What two paragraphs must share to be the same: the characters, without spacing."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def align(old: list[str], new: list[str]) -> list[Row]:
    """The rows comparing two versions' paragraphs, in the new version's order, each removed
    paragraph after the row of the paragraph before it in the old version."""
    old_keys, new_keys = [folded(t) for t in old], [folded(t) for t in new]
    pairs: dict[int, tuple[int, float]] = {}  # new index → (old index, likeness)
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs[block.b + k] = (block.a + k, 1.0)
    # identical paragraphs out of order: moved
    unmatched_old: dict[str, list[int]] = defaultdict(list)
    taken = {o for o, _ in pairs.values()}
    for i, key in enumerate(old_keys):
        if i not in taken:
            unmatched_old[key].append(i)
    for j, key in enumerate(new_keys):
        if j not in pairs and unmatched_old.get(key):
            pairs[j] = (unmatched_old[key].pop(0), 1.0)
    # what is left: the likeliest pairs, best first
    taken = {o for o, _ in pairs.values()}
    left_old = [i for i in range(len(old)) if i not in taken]
    left_new = [j for j in range(len(new)) if j not in pairs]
    for score, i, j in _likely_pairs(old_keys, new_keys, left_old, left_new):
        if j not in pairs and i not in taken:
            pairs[j] = (i, score)
            taken.add(i)
    in_order = _in_order(sorted((j, o) for j, (o, _) in pairs.items()))
    rows = []
    for j in range(len(new)):
        if j not in pairs:
            rows.append(Row(ADDED, None, j))
            continue
        i, score = pairs[j]
        moved = j not in in_order
        if score == 1.0 and old_keys[i] == new_keys[j]:
            rows.append(Row(MOVED if moved else UNCHANGED, i, j, moved))
        else:
            rows.append(Row(REWORDED, i, j, moved, round(score, 2)))
    return _with_removed(rows, len(old), {o for o, _ in pairs.values()}, pairs, in_order)


def _likely_pairs(
    old_keys: list[str], new_keys: list[str], left_old: list[int], left_new: list[int]
) -> list[tuple[float, int, int]]:
    """(likeness, old, new) of paragraphs alike enough, best first. Each new paragraph is compared
    with the few old ones that share most of its rarer character pairs (an index, as search does),
    the likeliest first, and no further once one is nearly the same."""
    index: dict[str, list[int]] = defaultdict(list)
    for i in left_old:
        for pair in dict.fromkeys(_pairs(old_keys[i])):  # in order: the same ties every run
            index[pair].append(i)
    found = []
    matcher = SequenceMatcher(None, autojunk=False)
    for j in left_new:
        shared: Counter[int] = Counter()
        for pair in dict.fromkeys(_pairs(new_keys[j])):
            holders = index.get(pair, ())
            if len(holders) <= COMMON_PAIR:
                shared.update(holders)
        matcher.set_seq2(new_keys[j])  # difflib keeps what it learnt of the second sequence
        for i, _ in shared.most_common(CANDIDATES):
            matcher.set_seq1(old_keys[i])
            score = likeness(matcher)
            if score >= LIKE_ENOUGH:
                found.append((score, i, j))
            if score >= NEARLY_THE_SAME:
                break
    return sorted(found, key=lambda t: (-t[0], t[2], t[1]))


def _pairs(text: str) -> list[str]:
    return [text[k : k + 2] for k in range(len(text) - 1)] or [text]


def likeness(matcher: SequenceMatcher) -> float:
    """Share of characters in common of the matcher's two paragraphs (difflib's ratio); long
    ones by their characters alone (quick_ratio: linear, where ratio is quadratic at worst)."""
    if matcher.real_quick_ratio() < LIKE_ENOUGH:
        return 0.0
    quick = matcher.quick_ratio()
    # a and b: the sequences set_seqs gave it (difflib's own attributes, which typeshed omits)
    a, b = matcher.a, matcher.b  # type: ignore[attr-defined]
    if quick < LIKE_ENOUGH or len(a) > LONG or len(b) > LONG:
        return quick if quick >= LIKE_ENOUGH else 0.0
    return matcher.ratio()


def _in_order(pairs: list[tuple[int, int]]) -> set[int]:
    """The new indices of the longest run of pairs whose old indices rise with the new ones (the
    paragraphs that stayed in place; the others moved). Patience sorting: n log n."""
    tails: list[int] = []  # old index ending each increasing run of length k+1
    tail_at: list[int] = []  # the pair index at each tail
    before: list[int] = [-1] * len(pairs)
    for k, (_, o) in enumerate(pairs):
        at = bisect_left(tails, o)
        if at == len(tails):
            tails.append(o)
            tail_at.append(k)
        else:
            tails[at], tail_at[at] = o, k
        before[k] = tail_at[at - 1] if at else -1
    kept: set[int] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        kept.add(pairs[k][0])
        k = before[k]
    return kept


def _with_removed(
    rows: list[Row],
    old_count: int,
    matched: set[int],
    pairs: dict[int, tuple[int, float]],
    in_order: set[int],
) -> list[Row]:
    """Each removed paragraph after the row of the nearest paragraph before it in the old version
    that stayed in place (at the top when there is none)."""
    row_of_old = {pairs[j][0]: j for j in in_order}
    after: dict[int, list[int]] = defaultdict(list)  # new index (-1: the top) → removed old indices
    anchor = -1
    for i in range(old_count):
        if i in row_of_old:
            anchor = row_of_old[i]
        elif i not in matched:
            after[anchor].append(i)
    out = [Row(REMOVED, i, None) for i in after.get(-1, [])]
    for row in rows:
        out.append(row)
        if row.new is not None and row.new in after:
            out += [Row(REMOVED, i, None) for i in after[row.new]]
    return out


# Where a long paragraph is cut to be compared clause by clause first.
CLAUSE = re.compile(r"[^，。；：！？,;:!?]*[，。；：！？,;:!?]?")
SHORT = 400  # characters: a shorter paragraph is compared character by character at once


def inline_changes(old: str, new: str) -> list[tuple[str, str, str]]:
    """A reworded paragraph's changes: (tag, old piece, new piece) with difflib's tags (equal,
    delete, insert, replace). A long paragraph is compared clause by clause, and only the clauses
    that changed character by character: the work stays near its length, and a change reads as
    the words of its clause."""
    if len(old) <= SHORT and len(new) <= SHORT:
        return _by_character(old, new)
    olds, news = _clauses(old), _clauses(new)
    out: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, olds, news).get_opcodes():
        a, b = "".join(olds[i1:i2]), "".join(news[j1:j2])
        if tag == "replace" and len(a) <= LONG and len(b) <= LONG:
            out += _by_character(a, b)
        else:
            out.append((tag, a, b))
    return out


def _clauses(text: str) -> list[str]:
    return [m[0] for m in CLAUSE.finditer(text) if m[0]]


def _by_character(old: str, new: str) -> list[tuple[str, str, str]]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
