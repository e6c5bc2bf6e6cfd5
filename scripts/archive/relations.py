"""Relations: every reference resolved against the whole archive.

An archive stage (`link_references`) that, for each document,
1. finds its references (references.py) and resolves them: by 文号 first, else by title (its own,
   or the title of the text a 印发 notice issues); a title that names no place only resolves to
   a document of the citing document's own place chain, so a generic 《关于……的意见》 never links
   to another province's document of the same name;
2. turns each resolved reference into a link in the text and a `target` in `cites`;
3. derives 被引用 (cited_by), 上级文件 (implements: a higher place's document cited as the basis,
   根据 / 按照 / 贯彻落实 … , or the same-named plan of the nearest higher place that has one)
   and 下级落实 (implemented_by);
4. records, for the relations panel (pages/relation_pages.py), the wanted bases of each document.
Unresolved references become the entries of the "wanted documents" pages, one entry per cited
document however many ways it was cited (a 文号, a notice title, the title of the plan it issues).
Everything is derived from the sources at each build: adding the cited document is enough to
turn a wanted entry into links both ways.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ..core import places
from ..core.groups import Groups
from ..core.model import Block, Document
from ..core.script import to_simplified
from ..core.slug import slugify
from ..speed import memo
from .analyses import analysis
from .documents import Archive
from .mentions import document_place
from .references import (
    Reference,
    attachment_titles,
    title_key,
)

# Kinds of document that report or answer rather than carry out a plan.
NOT_PLANS = {"报道", "解读", "答复", "函", "报告"}


def wanted_letter(anchor: str) -> str:
    """The first letter of a wanted entry's anchor (its 文号's or its title's pinyin), or 'qita'."""
    first = anchor[:1]
    return first if "a" <= first <= "z" else "qita"


def wanted_path(anchor: str) -> str:
    """The page of a wanted entry, by its letter (hengzhengbanfa-2024-5 → wanted/h.md): no page
    grows with the whole archive, and adding a document renders again only the pages of what it cites."""
    return letter_page(wanted_letter(anchor))


def letter_page(letter: str) -> str:
    return f"wanted/{letter}.md"


@cache
def names_a_place(title: str) -> bool:
    """Once per title: many documents cite the same ones."""
    return bool(places.mentions(to_simplified(title)))


def _related(a: places.Place | None, b: places.Place | None) -> bool:
    """One place inside the other (or both national): the same chain of government."""
    if a is None or b is None:
        return False
    return places.is_within(a, b) or places.is_within(b, a)


class Resolver:
    def __init__(self, archive: Archive):
        self.by_key: dict[str, list[Document]] = defaultdict(list)
        for doc in archive.documents:
            for key in analysis(doc, "document_keys"):
                self.by_key[key].append(doc)

    def resolve(self, ref: Reference, citing: Document) -> Document | None:
        here = document_place(citing)
        if ref.doc_number:
            found = [d for d in self.by_key.get(ref.doc_number.key(), []) if d is not citing]
            if found:
                return self._one(found, here)
        found = list(
            {
                id(d): d for key in ref.keys() for d in self.by_key.get(key, []) if d is not citing
            }.values()
        )
        if ref.doc_number:  # a title match must not contradict the 文号 it was cited with
            found = [d for d in found if not d.meta.get("doc_number")]
        if ref.title and not names_a_place(ref.title):
            found = [d for d in found if _related(document_place(d), here)]
        return self._one(found, here) if found else None

    @staticmethod
    def _one(found: list[Document], here: places.Place | None) -> Document | None:
        if len(found) > 1:
            near = [d for d in found if _related(document_place(d), here)]
            found = near or found
        return found[0] if len(found) == 1 else None


def plan_name(doc: Document) -> str:
    """'衡南县实施“八大行动”总体方案' → the key of '实施八大行动总体方案': the plan without its place."""
    title = to_simplified(doc.meta.get("title", ""))
    p = document_place(doc)
    if p is not None:
        for prefix in (p.name, p.short):
            if prefix and title.startswith(prefix):
                title = title[len(prefix) :]
                break
    return title_key(title)


def issuer_pinyin(issuer_code: str) -> str:
    """衡政办发 → hengzhengbanfa; remembered across builds (memo.py), as pypinyin is slow to load."""

    def compute() -> str:
        from pypinyin import lazy_pinyin  # loaded only when a new 文号 is met (about 0.2 s)

        return "".join(lazy_pinyin(issuer_code, errors="ignore")).lower()

    return memo.remembered("issuer-pinyin", issuer_code, compute)


def wanted_anchor(entry_keys: list[str], used: set[str]) -> str:
    number = next((k for k in entry_keys if not k.startswith("t:")), None)
    base = anchor_base(number or entry_keys[0])
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def anchor_base(key: str) -> str:
    """The anchor a wanted entry known by this key would have: hengzhengbanfa-2024-5 for a 文号,
    jiangxishengrenminzhengfuling-161 for a decree's number, the pinyin of the words of a title."""
    if key.startswith("t:"):
        return slugify(key[2:], max_words=8)
    m = re.match(r"^(.*)〔(\d+)〕(\d+)号$", key) or re.match(  # 江西省人民政府令第161号
        r"^(.*?(?:令|公告))(?:(\d+)年)?第(\d+)号$", key
    )
    assert m is not None, f"{key!r} is no 文号 key (DocNumber.key writes one of the two)"
    return "-".join(part for part in (issuer_pinyin(m[1]) or "wenhao", m[2], m[3]) if part)


def warm_anchors(doc: Document) -> None:
    """Compute (or find in the memo) the anchors the wanted entries of this document's references
    could have (scripts/pipeline/convert_many.py: before the archive stages ask)."""
    for ref in analysis(doc, "references"):
        for key in ref.keys():
            anchor_base(key)


def _union(groups: list[set[str]]) -> list[set[str]]:
    """Key sets that share a key, merged (union-find over keys: linear in the references)."""
    keys_of = Groups()
    for keys in groups:
        first, *rest = sorted(keys)
        keys_of.root(first)
        for key in rest:
            keys_of.join(key, first)
    merged: dict[str, set[str]] = {}
    for key in sorted(keys_of.members()):
        merged.setdefault(keys_of.root(key), set()).add(key)
    return list(merged.values())


def newest_first(docs):
    return sorted(docs, key=lambda d: (d.meta.get("date", ""), d.meta["id"]), reverse=True)


def link_references(archive: Archive) -> None:
    """The archive stage: references → links, `cites`, relations, and the wanted entries."""
    resolver = Resolver(archive)
    resolved = {
        doc.meta["id"]: [(ref, resolver.resolve(ref, doc)) for ref in analysis(doc, "references")]
        for doc in archive.documents
    }
    # one wanted entry per cited document, however it was cited (文号, notice title, plan title)
    groups = _union(
        [ref.keys() for refs in resolved.values() for ref, target in refs if target is None]
    )
    group_of = {key: f"wanted:{i}" for i, g in enumerate(groups) for key in g}
    unresolved: list[tuple[Block, Reference, str]] = []
    citations = {
        doc.meta["id"]: cite_entries(doc, resolved[doc.meta["id"]], group_of, unresolved)
        for doc in archive.documents
    }
    anchors = wanted_anchors(citations, groups)
    for block, ref, key in unresolved:  # a reference the archive lacks links to its wanted entry
        block.links.append(
            (ref.start, ref.end, f"../{wanted_path(anchors[key])}#{anchors[key]}", "wanted")
        )

    implements = {
        doc.meta["id"]: carried_out(doc, resolved[doc.meta["id"]]) for doc in archive.documents
    }
    _same_named_plans(archive, implements)
    wanted_basis = {
        doc.meta["id"]: basis_wanted(doc, resolved[doc.meta["id"]], group_of)
        for doc in archive.documents
    }
    cites = {
        i: [k for k in entries if not k.startswith("wanted:")] for i, entries in citations.items()
    }
    relations = {
        "cited_by": _inverse(cites),
        "implements": implements,
        "implemented_by": _inverse(implements),
    }

    for doc_id, refs in resolved.items():  # for the stages that read what a sentence names
        archive.resolved[doc_id] = [
            target.meta["id"]
            if target is not None
            else (
                f"wanted:{anchors[g]}" if (g := group_of[next(iter(ref.keys()))]) in anchors else ""
            )
            for ref, target in refs
        ]

    by_id = archive.by_id()
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        entries = [
            e | ({"wanted": anchors[k]} if k in anchors else {})
            for k, e in citations[doc_id].items()
        ]
        if entries:
            doc.meta["cites"] = entries
        for key, relation in relations.items():
            ids = [
                d.meta["id"] for d in newest_first(by_id[i] for i in set(relation.get(doc_id, [])))
            ]
            if ids:
                doc.meta[key] = ids
        archive.wanted_basis[doc_id] = [anchors[k] for k in wanted_basis[doc_id]]


def cite_entries(
    doc: Document,
    refs: list[tuple[Reference, Document | None]],
    group_of: dict[str, str],
    unresolved: list | None = None,
) -> dict[str, dict]:
    """The `cites` entries of a document, keyed by target id (or wanted group), in order of first
    citation; and, on the way, each reference becomes a link in its block, or, when the archive
    lacks the document, goes to `unresolved` (block, reference, wanted group) to be linked once
    the wanted page's anchors are known."""
    internal = attachment_titles(doc)
    entries: dict[str, dict] = {}
    for ref, target in refs:
        block = doc.blocks[ref.block]
        if target is None and not ref.doc_number:
            inner = next((internal[k] for k in ref.keys() if k in internal), None)
            if inner is not None:  # one of its own attachments: a link within the page
                block.links.append((ref.start, ref.end, f"#{inner.anchor}"))
                continue
        if target is not None:
            block.links.append((ref.start, ref.end, f"{target.meta['id']}.md"))
        key = target.meta["id"] if target is not None else group_of[next(iter(ref.keys()))]
        if target is None and unresolved is not None:
            unresolved.append((block, ref, key))
        entry = entries.setdefault(key, {})
        if ref.doc_number:
            entry.setdefault("doc_number", str(ref.doc_number))
        if ref.title:
            entry.setdefault("title", ref.title)
        if target is not None:
            entry["target"] = key
    return {
        k: {f: e[f] for f in ("doc_number", "title", "target") if f in e}
        for k, e in entries.items()
    }


def wanted_anchors(citations: dict[str, dict[str, dict]], groups: list[set[str]]) -> dict[str, str]:
    """An anchor on the wanted page for each wanted group, the most cited first."""
    citing: dict[str, int] = defaultdict(int)
    for entries in citations.values():
        for key in entries:
            if key.startswith("wanted:"):
                citing[key] += 1
    keys_of = {f"wanted:{i}": sorted(g) for i, g in enumerate(groups)}
    used: set[str] = set()
    return {
        group: wanted_anchor(keys_of[group], used)
        for group in sorted(citing, key=lambda g: (-citing[g], keys_of[g]))
    }


def carried_out(doc: Document, refs: list[tuple[Reference, Document | None]]) -> list[str]:
    """上级文件 by citation: a higher place's document cited as the basis (根据 / 按照 / 贯彻落实 …)."""
    here = document_place(doc)
    out: list[str] = []
    for ref, target in refs:
        above = document_place(target) if target is not None else None
        if (
            ref.basis
            and here
            and above
            and target is not None
            and above != here
            and places.is_within(here, above)
            and target.meta["id"] not in out
        ):
            out.append(target.meta["id"])
    return out


# The sentence that says why the document was made: 根据《…》精神，结合我县实际，特制定本方案。
PURPOSE_SENTENCE = re.compile(r"制定本|制订本|特制定|特制订|提出如下|现提出|结合.{0,12}实际")
SENTENCE_END = "。！？；!?;"


def states_purpose(text: str, start: int, end: int) -> bool:
    sentence_start = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0]
    return bool(
        PURPOSE_SENTENCE.search(to_simplified(text[sentence_start : min(ends, default=len(text))]))
    )


def basis_wanted(
    doc: Document, refs: list[tuple[Reference, Document | None]], group_of: dict[str, str]
) -> list[str]:
    """上级文件 the archive lacks, so that a plan carrying out a missing city plan does not show
    上级文件: 无. Only the basis named in the document's statement of purpose (根据《…》精神，
    特制定本方案), from a place above (《衡阳市…》 for a 衡南县 document) or from no place its
    title names (《关于推动全省…的意见》): a 落实《…》 deep in a section is a citation, not its basis."""
    here = document_place(doc)
    out: list[str] = []
    for ref, target in refs:
        if target is not None or not ref.basis or here is None:
            continue
        if not states_purpose(doc.blocks[ref.block].text, ref.start, ref.end):
            continue
        named = places.place_of_issuer(ref.title) if ref.title else None
        if named is not None and (named == here or not places.is_within(here, named)):
            continue
        key = group_of[next(iter(ref.keys()))]
        if key not in out:
            out.append(key)
    return out


def _inverse(relation: dict[str, list[str]]) -> dict[str, list[str]]:
    inverse: dict[str, list[str]] = defaultdict(list)
    for source, targets in relation.items():
        for target in targets:
            inverse[target].append(source)
    return inverse


def _same_named_plans(archive: Archive, implements: dict[str, list[str]]) -> None:
    """A plan carries out the same-named plan of the nearest higher place that has one:
    衡南县实施“八大行动”总体方案 → 衡阳市实施“八大行动”总体方案, even when it does not cite it."""
    by_place_and_name: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in archive.documents:
        p = document_place(doc)
        if p is not None and doc.meta.get("doc_type") not in NOT_PLANS:
            by_place_and_name[(p.code, plan_name(doc))].append(doc)
    for doc in archive.documents:
        p = document_place(doc)
        if p is None or doc.meta.get("doc_type") in NOT_PLANS:
            continue
        name = plan_name(doc)
        for higher in reversed(places.lineage(p)[:-1]):
            parents = by_place_and_name.get((higher.code, name))
            if parents:
                for parent in parents:
                    if parent.meta["id"] not in implements[doc.meta["id"]]:
                        implements[doc.meta["id"]].append(parent.meta["id"])
                break
