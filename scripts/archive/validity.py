"""Validity: is a document still in force, by the archive's own evidence? An archive stage.

`resolve_validity` takes what each document's text says (evidence.py, an analysis) and resolves
each document it names where link_references resolved the reference (`Archive.resolved`): a
document of the archive, or a wanted entry (a repeal of a document the archive lacks is listed
there like any citation). A claim counts only
- from a newer document about an older one, never about itself;
- about a document of a place within the claimer's (a city does not repeal its province's rules;
  the title of another province's document is resolved away from it by relations.py already);
- when it is not part of a cycle of claims (A replaces B and B replaces A, or a ring of three:
  none of them counts).
A refused claim is a warning on the claimer. Versions of one policy are chained (versions.py).

Every document then gets a status as of the archive's date (`archive_date`), strongest evidence
first: 已废止 (a later document repeals it), 已失效 (a later document says it lapsed, or its own
有效期 ended before the archive's date), 已修订 (a newer version of it, a document that replaces
or revises it, or a partial repeal), 尚未施行 (its 施行 date is after the archive's date), 现行有效
(its own 施行 or 有效期 sentence, or a later list that keeps it in force), 未知 (no evidence
either way). A repeal or a lapse by a newer version of the same policy makes it 已修订: it has a
new version. The front matter keeps the status and the one sentence that decides it
(`status_evidence`); pages/validity_pages.py shows them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..core import fields, places
from ..core.model import Document
from .analyses import analysis
from .documents import Archive
from .evidence import (
    CONTINUES,
    DECLARED_LAPSED,
    NEWER_VERSION,
    OVERRIDE,
    OWN_START,
    OWN_TERM,
    PARTIAL,
    REPEAL,
    REPLACE,
    REVISE,
    Evidence,
    Said,
    iso,
)
from .mentions import document_place
from .references import Reference
from .versions import chain_versions

IN_FORCE = "现行有效"
REPEALED = "已废止"
REVISED = "已修订"
LAPSED = "已失效"
NOT_YET = "尚未施行"
UNKNOWN = "未知"
STATUSES = (IN_FORCE, REVISED, REPEALED, LAPSED, NOT_YET, UNKNOWN)
# The front matter keys this stage writes, in their order (core/fields.py): the status, the
# sentence that decides it, the document's own 施行 date and last day in force, the documents that
# repeal or replace it (ids), what it repeals or replaces itself (entries shaped like `cites`), the
# ids of its versions, oldest first.
VALIDITY_KEYS = fields.written_by("validity")


def archive_date(archive: Archive) -> str:
    """The day the statuses are computed against: the newest day the archive added or retrieved a
    document (the sidecars' `added`, else `retrieved`). A status cannot be newer than the newest
    evidence, and the same sources give the same date, so a build is reproducible on any day."""
    days = []
    for doc in archive.documents:
        source = doc.meta.get("source") or {}
        day = iso(str(doc.meta.get("added") or source.get("retrieved") or ""))
        if day:
            days.append(day)
    return max(days, default="")


@dataclass
class Accepted:
    """A claim of one document about another (or about a wanted entry), once resolved."""

    kind: str
    claimer: Document
    target: Document | None
    wanted: str  # the wanted entry's anchor, when the archive lacks the target
    ref: Reference
    said: Said
    effective: str


def resolve_validity(archive: Archive) -> None:
    """The archive stage: claims resolved, versions chained, every document given a status."""
    as_of = archive.as_of = archive_date(archive)
    by_id = archive.by_id()
    evidence = {doc.meta["id"]: analysis(doc, "validity") for doc in archive.documents}
    accepted = _accepted_claims(archive, by_id, evidence)
    chains = chain_versions(
        archive,
        [(c.claimer, c.target) for c in accepted if c.target and c.kind in (REPLACE, REVISE)],
    )
    chain_of = {doc_id: chain for chain in chains for doc_id in chain}
    about: dict[str, list[Accepted]] = defaultdict(list)
    for claim in accepted:
        if claim.target is not None:
            about[claim.target.meta["id"]].append(claim)
    repeals: dict[str, dict[str, dict]] = defaultdict(dict)  # claimer → what it ends, once each
    for c in accepted:
        if c.kind != CONTINUES:
            what = c.target.meta["id"] if c.target is not None else c.wanted
            repeals[c.claimer.meta["id"]].setdefault(what, _repeal_entry(c))
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        fields = status_fields(
            doc, evidence[doc_id], about.get(doc_id, []), chain_of.get(doc_id), by_id, as_of
        )
        if repeals.get(doc_id):
            fields["repeals"] = list(repeals[doc_id].values())
        doc.meta.update((key, fields[key]) for key in VALIDITY_KEYS if fields.get(key))


def _accepted_claims(
    archive: Archive, by_id: dict[str, Document], evidence: dict
) -> list[Accepted]:
    """Every claim of every document, resolved; refused (with a warning on the claimer): one about
    the claimer itself, one about a document of a place outside the claimer's, one about a newer
    document, and every claim of a cycle."""
    found: list[Accepted] = []
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        refs = analysis(doc, "references")
        targets = archive.resolved.get(doc_id, [])
        # from when: the day the sentence says, else the claimer's 施行 date, else its own date
        since = evidence[doc_id].in_force_from or iso(doc.meta.get("date"))
        for claim in evidence[doc_id].claims:
            for i in claim.refs:
                where = targets[i] if i < len(targets) else ""
                if not where:
                    continue
                if where.startswith("wanted:"):
                    found.append(
                        Accepted(
                            claim.kind,
                            doc,
                            None,
                            where[7:],
                            refs[i],
                            claim.said,
                            claim.effective or since,
                        )
                    )
                    continue
                target = by_id[where]
                why = _refused(doc, target)
                if why:
                    doc.warnings.append(f"validity: not taken as evidence about {where}: {why}")
                    continue
                found.append(
                    Accepted(
                        claim.kind, doc, target, "", refs[i], claim.said, claim.effective or since
                    )
                )
    return _without_cycles(found)


def _without_cycles(claims: list[Accepted]) -> list[Accepted]:
    """The claims, less those inside a cycle (A replaces B, B replaces A; or A, B, C in a ring,
    all of one date): no document can be older than the one it was replaced by, so none of them
    is evidence. The cycles are the strongly connected components of the claims (Tarjan's, with
    a stack of its own: linear, whatever the length of a chain)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if c.target is not None and c.kind != CONTINUES:
            edges[c.claimer.meta["id"]].add(c.target.meta["id"])
    in_cycle = _cyclic(edges)
    kept = []
    for c in claims:
        if c.target is not None and c.kind != CONTINUES:
            a, b = c.claimer.meta["id"], c.target.meta["id"]
            if in_cycle.get(a) is not None and in_cycle.get(a) == in_cycle.get(b):
                c.claimer.warnings.append(
                    f"validity: {a} says it {c.kind}s {b}, which says the same of it (directly "
                    "or through others): none of these claims is taken as evidence"
                )
                continue
        kept.append(c)
    return kept


def _cyclic(edges: dict[str, set[str]]) -> dict[str, int]:
    """Each node in a cycle → the number of its strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    for member in members:
                        component[member] = index[node]
    return component


def _refused(claimer: Document, target: Document) -> str:
    if target is claimer:
        return "it names itself"
    newer = iso(target.meta.get("date"))
    if newer and iso(claimer.meta.get("date")) and newer > iso(claimer.meta.get("date")):
        return f"it is dated {newer}, after the document that speaks of it"
    here, there = document_place(claimer), document_place(target)
    if here is not None and there is not None and not places.is_within(there, here):
        return f"its place ({there.name}) is not within the claimer's ({here.name})"
    return ""


def status_fields(
    doc: Document,
    own: Evidence,
    about: list[Accepted],
    chain: list[str] | None,
    by_id: dict[str, Document],
    as_of: str,
) -> dict:
    """A document's validity keys: its status and the evidence that decides it, its own dates,
    who repeals or replaces it, its versions."""
    meta: dict = {"in_force_from": own.in_force_from, "valid_until": own.valid_until}
    doc_id = doc.meta["id"]
    later = chain[chain.index(doc_id) + 1 :] if chain else []
    in_effect = [c for c in about if not (as_of and c.effective and c.effective > as_of)]

    def same_policy(c: Accepted) -> bool:
        return c.claimer.meta["id"] in later

    repeals = [c for c in in_effect if c.kind == REPEAL and not same_policy(c)]
    lapses = [c for c in in_effect if c.kind == DECLARED_LAPSED and not same_policy(c)]
    replaced = [
        c
        for c in in_effect
        if c.kind in (REPLACE, REVISE, PARTIAL)
        or (c.kind in (REPEAL, DECLARED_LAPSED) and same_policy(c))
    ]
    keeps = [c for c in in_effect if c.kind == CONTINUES]
    if repeals:
        meta["repealed_by"] = _ids(c.claimer for c in repeals)
    newer = _ids([*(c.claimer for c in replaced), *(by_id[i] for i in later[:1])])
    if newer:
        meta["replaced_by"] = newer
    if chain:
        meta["versions"] = list(chain)
    if repeals:
        status, proof = REPEALED, _claim_proof(_first(repeals))
    elif lapses:
        status, proof = LAPSED, _claim_proof(_first(lapses))
    elif replaced:
        status, proof = REVISED, _claim_proof(_first(replaced))
    elif later:
        newest = by_id[later[0]]
        status, proof = (
            REVISED,
            {
                "kind": NEWER_VERSION,
                "document": later[0],
                "title": newest.meta.get("title", ""),
                "date": iso(newest.meta.get("date")),
            },
        )
    elif own.valid_until and as_of and own.valid_until < as_of:
        status, proof = LAPSED, _own_proof(doc, OWN_TERM, own.term, _next_day(own.valid_until))
    elif own.in_force_from and as_of and own.in_force_from > as_of:
        status, proof = NOT_YET, _own_proof(doc, OWN_START, own.starts, own.in_force_from)
    elif own.in_force_from or own.valid_until:
        said, kind = (own.term, OWN_TERM) if own.valid_until else (own.starts, OWN_START)
        status, proof = IN_FORCE, _own_proof(doc, kind, said, own.in_force_from)
    elif keeps:
        status, proof = IN_FORCE, _claim_proof(_last(keeps))
    elif own.term_without_start:
        status, proof = UNKNOWN, _own_proof(doc, OWN_TERM, own.term_without_start, "")
    else:
        status, proof = UNKNOWN, None
    meta["status"] = status
    if proof:
        meta["status_evidence"] = {k: v for k, v in proof.items() if v}
    return meta


def _ids(docs) -> list[str]:
    return list(dict.fromkeys(d.meta["id"] for d in docs))


def _first(claims: list[Accepted]) -> Accepted:
    """The earliest document that says it (by date, then id): the one it took effect by."""
    return min(
        claims, key=lambda c: (iso(c.claimer.meta.get("date")) or "9999", c.claimer.meta["id"])
    )


def _last(claims: list[Accepted]) -> Accepted:
    return max(claims, key=lambda c: (iso(c.claimer.meta.get("date")) or "", c.claimer.meta["id"]))


QUOTE_MAX = 160  # characters of the evidence sentence kept in the front matter


def quote(doc: Document, said: Said) -> str:
    text = doc.blocks[said.block].text[said.start : said.end].strip()
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def anchor_of(doc: Document, said: Said) -> str:
    """The anchor of the block that says it, or of the nearest block before it that has one."""
    for block in reversed(doc.blocks[: said.block + 1]):
        if block.anchor:
            return block.anchor
    return ""


def _claim_proof(c: Accepted) -> dict:
    return {
        "kind": c.kind,
        "document": c.claimer.meta["id"],
        "title": c.claimer.meta.get("title", ""),
        "anchor": anchor_of(c.claimer, c.said),
        "quote": quote(c.claimer, c.said),
        "date": c.effective,
    }


def _own_proof(doc: Document, kind: str, said: Said | None, date: str) -> dict:
    if said is None:  # an override in the sidecar
        return {"kind": OVERRIDE, "date": date}
    return {"kind": kind, "anchor": anchor_of(doc, said), "quote": quote(doc, said), "date": date}


def _next_day(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def _repeal_entry(c: Accepted) -> dict:
    """An entry of `repeals`: what the document repeals, replaces or revises, in the shape of a
    `cites` entry (the target's id, or the wanted entry with the 文号 and title it was named by)."""
    entry: dict = {"how": c.kind}
    if c.target is not None:
        entry["target"] = c.target.meta["id"]
    else:
        if c.ref.doc_number:
            entry["doc_number"] = str(c.ref.doc_number)
        if c.ref.title:
            entry["title"] = c.ref.title
        entry["wanted"] = c.wanted
    entry["anchor"] = anchor_of(c.claimer, c.said)
    return entry
