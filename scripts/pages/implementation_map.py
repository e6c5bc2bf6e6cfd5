"""Who carries out a plan: the implementation map, and each document's neighbourhood diagram.

- For each higher-level plan (a province's or a city's), `implementation_pages` lists its
  sub-places from the gazetteer (places.py): which have an implementing document, with the delay
  in days between the two 成文日期, and which have none yet; as a Mermaid diagram and as a table.
- `add_neighbourhoods` (an archive stage) draws, on every document page with relations, a small
  Mermaid diagram of what it cites, what cites it, what it implements and what implements it.

The relations themselves are found by the relations stage; this module reads them from the
documents' metadata through one small interface, `Relations`:
    meta["implements"]  list of ids (or of {"target": id, …}) of the plans a document carries out;
    meta["cites"]       list of {"doc_number", "title", "target"} (target = an id when resolved).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..archive.documents import Archive, document_path
from ..core.model import Document
from ..core.places import NATIONAL, Place, gazetteer
from .render import escape

INDEX = "implementation/index.md"
GRAPH_ID = "relation-graph"
# Document types that are plans other places are expected to carry out.
PLAN_TYPES = {
    "方案",
    "计划",
    "规划",
    "意见",
    "纲要",
    "要点",
    "决定",
    "办法",
    "实施方案",
    "行动方案",
}
PLAN_TITLE = re.compile(r"方案|计划|計劃|规划|規劃|意见|意見|纲要|綱要|行动|行動")
NOT_PLANS = {"报道", "解读", "答复", "函", "报告", "复函", "批复"}
HIGHER_LEVELS = {"national", "province", "city"}
# A city has a dozen counties: keep the column of sub-places short.
COMPACT = '%%{init: {"flowchart": {"nodeSpacing": 10, "rankSpacing": 60}}}%%'
MAX_NEIGHBOURS = 6
IMPLEMENTS = "==>"  # thick: carries out
CITES = "-.->"  # dotted: cites  # per kind of relation in a document's diagram; the rest is counted


def _ids(value) -> list[str]:
    """A relation list as ids: ["id", …] or [{"target": "id", …}, …] (unresolved ones dropped)."""
    out = []
    for item in value or []:
        target = (
            item
            if isinstance(item, str)
            else (item.get("target") or item.get("id"))
            if isinstance(item, dict)
            else None
        )
        if target and target not in out:
            out.append(str(target))
    return out


@dataclass
class Relations:
    """Every relation in the archive, both ways, by document id."""

    cites: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    implements: dict[str, list[str]] = field(default_factory=dict)
    implemented_by: dict[str, list[str]] = field(default_factory=dict)
    unresolved: dict[str, list[str]] = field(default_factory=dict)  # cited, not in the archive
    documents: dict[str, Document] = field(default_factory=dict)  # the archive's, by id

    @classmethod
    def of(cls, archive: Archive) -> Relations:
        rel = cls(documents=archive.by_id())
        known = set(rel.documents)
        for doc in archive.documents:
            doc_id = doc.meta["id"]
            rel.cites[doc_id] = [
                t for t in _ids(doc.meta.get("cites")) if t in known and t != doc_id
            ]
            rel.implements[doc_id] = [
                t for t in _ids(doc.meta.get("implements")) if t in known and t != doc_id
            ]
            rel.unresolved[doc_id] = [
                _cite_label(c)
                for c in doc.meta.get("cites") or []
                if isinstance(c, dict) and not c.get("target") and _cite_label(c)
            ]
        for source, targets in rel.cites.items():
            for target in targets:
                rel.cited_by.setdefault(target, []).append(source)
        for source, targets in rel.implements.items():
            for target in targets:
                rel.implemented_by.setdefault(target, []).append(source)
        return rel


def _cite_label(cite: dict) -> str:
    return plan_label(str(cite.get("title") or "")) or str(cite.get("doc_number") or "")


def _date(doc: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(doc.meta.get("date") or ""))
    except ValueError:
        return None


def delay_days(plan: Document, implementer: Document) -> int | None:
    start, end = _date(plan), _date(implementer)
    return (end - start).days if start and end else None


def children(code: str) -> list[Place]:
    """The places right under a place: a province's cities, 全国's provinces (whose parent the
    gazetteer leaves empty)."""
    return list(_children_by_parent().get("" if code == NATIONAL.code else code, ()))


@lru_cache(maxsize=1)
def _children_by_parent() -> dict[str, tuple[Place, ...]]:
    """The gazetteer by parent code, each family by code: one pass, not one per plan."""
    families: dict[str, list[Place]] = {}
    for p in sorted(gazetteer().values(), key=lambda p: p.code):
        families.setdefault(p.parent, []).append(p)
    return {parent: tuple(kids) for parent, kids in families.items()}


def _within(code: str, ancestor: str) -> bool:
    if ancestor == NATIONAL.code:
        return code in gazetteer()
    places = gazetteer()
    place = places.get(code)
    while place is not None:
        if place.code == ancestor:
            return True
        place = places.get(place.parent) if place.parent else None
    return False


def is_higher_plan(doc: Document, rel: Relations) -> bool:
    if doc.meta.get("level") not in HIGHER_LEVELS or not doc.meta.get("region_code"):
        return False
    if rel.implemented_by.get(doc.meta["id"]):
        return True
    if doc.meta.get("doc_type") in NOT_PLANS:  # 关于《……方案》的解读 is not itself a plan
        return False
    return doc.meta.get("doc_type") in PLAN_TYPES or bool(
        PLAN_TITLE.search(str(doc.meta.get("title", "")))
    )


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------


def mermaid_label(text: str, limit: int = 24, suffix: str = "") -> str:
    """Source text inside a quoted Mermaid label: no quote, bracket or fence can end it early."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text += suffix
    for char, entity in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("`", "#96;"),
        ("<", "#lt;"),
        (">", "#gt;"),
    ):
        text = text.replace(char, entity)
    return f'"{text}"'


def plan_label(title: str) -> str:
    """A 印发 notice is known by the plan it issues: 关于印发《X方案》的通知 → X方案."""
    inner = re.search(r"[《<＜]([^》>＞]+)[》>＞]", title)
    return inner[1] if inner and re.search("印发|印發", title) else title


def short_title(doc: Document) -> str:
    return plan_label(str(doc.meta.get("title", doc.meta["id"])))


@dataclass
class Coverage:
    place: Place
    implementers: list[tuple[Document, int | None]]  # (document, delay in days)


def coverage(
    plan: Document, archive: Archive, rel: Relations
) -> tuple[list[Coverage], list[Document]]:
    """Each sub-place with its implementing documents; and implementers outside the sub-places."""
    docs = rel.documents
    implementers = [docs[i] for i in rel.implemented_by.get(plan.meta["id"], [])]
    rows: list = []
    placed: set[str] = set()
    for place in children(str(plan.meta["region_code"])):
        found = [
            d for d in implementers if _within(str(d.meta.get("region_code") or ""), place.code)
        ]
        placed.update(d.meta["id"] for d in found)
        found.sort(key=lambda d: (str(d.meta.get("date") or "9999"), d.meta["id"]))
        rows.append(Coverage(place, [(d, delay_days(plan, d)) for d in found]))
    others = [d for d in implementers if d.meta["id"] not in placed]
    return rows, others


def _days(days: int | None) -> str:
    return "日期不详" if days is None else f"{days} 天"


def coverage_mermaid(plan: Document, rows: list[Coverage]) -> str:
    """The plan and the sub-places that carried it out; the others as one grey box (34 boxes
    saying 未见 under a national plan said nothing the table does not)."""
    lines = [
        "```mermaid",
        COMPACT,
        "flowchart LR",
        f"  plan[{mermaid_label(short_title(plan), 30)}]",
    ]
    for row in rows:
        if row.implementers:
            best = row.implementers[0][1]
            lines.append(
                f"  plan -->|{mermaid_label(_days(best))}| p{row.place.code}"
                f"[{mermaid_label(row.place.name)}]:::done"
            )
    missing = sum(1 for row in rows if not row.implementers)
    if missing:
        lines.append(
            f"  plan -.-> others[{mermaid_label(f'其余 {missing} 个地方 · 未见')}]:::missing"
        )
    lines += [
        "  classDef done fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20",
        "  classDef missing fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575",
        "```",
    ]
    return "\n".join(lines)


def _doc_link(doc: Document, base: str) -> str:
    return f"[{escape(str(doc.meta.get('title', doc.meta['id'])))}]({base}{document_path(doc.meta['id'])})"


# What fills the map: a lower place's document that carries out a plan (scripts/archive/relations.py).
WHAT_FILLS_IT = (
    "落实文件是下辖地方依据上级文件出台的文件：正文写明“根据”“按照”“贯彻落实”上级文件"
    "（以文号或标题），或是与上级方案同名的下级方案。"
)


def plan_page(plan: Document, archive: Archive, rel: Relations) -> str:
    rows, others = coverage(plan, archive, rel)
    done = [r for r in rows if r.implementers]
    missing = [r for r in rows if not r.implementers]
    region = escape(str(plan.meta.get("region", "")))
    link = f"{_doc_link(plan, '../')}，{escape(str(plan.meta.get('date') or '日期不详'))}"
    lines = [f"# 落实情况：{escape(short_title(plan))}", ""]
    if not done and not others:
        lines += [
            f"{region}的这份文件（{link}）下辖 {len(rows)} 个地方，文库中还没有其中任何一地落实它的文件。",
            "",
            WHAT_FILLS_IT
            + "文库收录了这样的文件，这里就会列出是哪个地方、哪份文件、成文日期，以及与这份文件相隔多少天。",
        ]
        return "\n".join(lines) + "\n"
    lines += [
        (
            f"{region}的这份文件（{link}）下辖 {len(rows)} 个地方，其中 {len(done)} 个在文库中有落实文件。"
            "天数为两份文件成文日期之差。"
        ),
        "",
    ]
    if done:
        lines += [coverage_mermaid(plan, rows), ""]
    if done:
        lines += ["| 地方 | 落实文件 | 成文日期 | 相隔 |", "| --- | --- | --- | --- |"]
        for row in done:
            for doc, days in row.implementers:
                lines.append(
                    f"| {escape(row.place.name)} | {_doc_link(doc, '../')} | "
                    f"{escape(str(doc.meta.get('date') or '—'))} | {_days(days)} |"
                )
    if missing:
        lines += [
            "",
            f"尚未见到落实文件的 {len(missing)} 个地方："
            + "、".join(escape(r.place.name) for r in missing),
        ]
    if others:
        lines += ["", "下辖地方以外的落实文件：", ""]
        lines += [
            f"- {_doc_link(d, '../')}（{escape(str(d.meta.get('region') or '地区不详'))}，"
            f"{_days(delay_days(plan, d))}）"
            for d in others
        ]
    return "\n".join(lines) + "\n"


def plan_page_path(doc_id: str) -> str:
    return f"implementation/{doc_id}.md"


def implementation_pages(archive: Archive) -> dict[str, str]:
    rel = Relations.of(archive)
    plans = [d for d in archive.documents if is_higher_plan(d, rel)]
    files = {plan_page_path(p.meta["id"]): plan_page(p, archive, rel) for p in plans}
    lines = [
        "# 落实地图",
        "",
        (
            "全国、省、市级的规划和方案，由哪些下辖地方出台了落实文件、相隔多少天，哪些还没有。"
            "各级文件的量化目标并列对照见[目标对照](../targets/index.md)。"
        ),
        "",
    ]
    newest_first = sorted(
        plans, key=lambda d: (str(d.meta.get("date") or ""), d.meta["id"]), reverse=True
    )
    counted = {p.meta["id"]: coverage(p, archive, rel) for p in plans}
    carried_out = [
        p
        for p in newest_first
        if any(r.implementers for r in counted[p.meta["id"]][0]) or counted[p.meta["id"]][1]
    ]
    shown = {id(p) for p in carried_out}  # by identity: comparing documents field by field is slow
    waiting = [p for p in newest_first if id(p) not in shown]
    if not plans:
        lines.append("文库中还没有全国、省、市级的规划或方案。")
    elif not carried_out:
        lines += [
            (
                f"文库中有 {len(plans)} 份全国、省、市级的规划和方案，但还没有一份下级地方落实它们的文件，"
                "所以这里还没有可以对照的内容。"
            ),
            "",
            WHAT_FILLS_IT
            + "文库收录了这样的文件，这里就会列出哪些下辖地方出台了落实文件、相隔多少天。",
        ]
    else:
        lines += ["| 文件 | 地区 | 成文日期 | 已落实 / 下辖地方 |", "| --- | --- | --- | --- |"]
        for plan in carried_out:
            rows, _ = counted[plan.meta["id"]]
            done = sum(1 for r in rows if r.implementers)
            lines.append(
                f"| [{escape(short_title(plan))}]({plan.meta['id']}.md) | "
                f"{escape(str(plan.meta.get('region', '')))} | {escape(str(plan.meta.get('date') or '—'))} | "
                f"{done} / {len(rows)} |"
            )
    if waiting:
        lines += [
            "",
            f"## 尚无落实文件的规划和方案（{len(waiting)}） {{#waiting}}",
            "",
        ]
        lines += [
            f"- [{escape(short_title(plan))}]({plan.meta['id']}.md)（{escape(str(plan.meta.get('region', '')))}，"
            f"{escape(str(plan.meta.get('date') or '日期不详'))}）"
            for plan in waiting
        ]
    files[INDEX] = "\n".join(lines) + "\n"
    return files


# ---------------------------------------------------------------------------------------------
# Each document's neighbourhood
# ---------------------------------------------------------------------------------------------


def neighbourhood_mermaid(doc: Document, archive: Archive, rel: Relations) -> str | None:
    doc_id = doc.meta["id"]
    docs = rel.documents
    edges: list[str] = []
    nodes: dict[str, str] = {}

    def node(other: str, label: str, css: str = "doc", suffix: str = "", limit: int = 18) -> str:
        name = f"n{len(nodes) + 1}"
        nodes.setdefault(other, name)
        edges.append(f"  {nodes[other]}[{mermaid_label(label, limit, suffix)}]:::{css}")
        return nodes[other]

    def add(kind_ids: list[str], arrow: str, outgoing: bool) -> None:
        for other in kind_ids[:MAX_NEIGHBOURS]:
            name = nodes.get(other) or node(other, short_title(docs[other]), "doc", "", 18)
            edges.append(f"  self {arrow} {name}" if outgoing else f"  {name} {arrow} self")
        if len(kind_ids) > MAX_NEIGHBOURS:
            more = node(
                f"more-{arrow}-{outgoing}", f"另有 {len(kind_ids) - MAX_NEIGHBOURS} 份", "missing"
            )
            edges.append(f"  self {arrow} {more}" if outgoing else f"  {more} {arrow} self")

    # the legend above the diagram says what a line means: no labels, so it stays small
    add(rel.implements.get(doc_id, []), IMPLEMENTS, True)
    add(rel.implemented_by.get(doc_id, []), IMPLEMENTS, False)
    add(
        [i for i in rel.cites.get(doc_id, []) if i not in rel.implements.get(doc_id, [])],
        CITES,
        True,
    )
    add(
        [i for i in rel.cited_by.get(doc_id, []) if i not in rel.implemented_by.get(doc_id, [])],
        CITES,
        False,
    )
    wanted = rel.unresolved.get(doc_id, [])
    for label in wanted[:MAX_NEIGHBOURS]:
        name = node(f"wanted:{label}", label, "missing", suffix="（未收录）")
        edges.append(f"  self {CITES} {name}")
    if len(wanted) > MAX_NEIGHBOURS:
        name = node("wanted:more", f"另有 {len(wanted) - MAX_NEIGHBOURS} 份未收录", "missing")
        edges.append(f"  self {CITES} {name}")
    if not edges:
        return None
    return "\n".join(
        [
            "```mermaid",
            COMPACT,
            "flowchart LR",
            f"  self[{mermaid_label(short_title(doc))}]:::self",
            *edges,
            "  classDef self fill:#ffebee,stroke:#c62828,stroke-width:2px",
            "  classDef doc fill:#ffffff,stroke:#616161",
            "  classDef missing fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575",
            "```",
        ]
    )


def add_neighbourhoods(archive: Archive) -> None:
    rel = Relations.of(archive)
    for doc in archive.documents:
        diagram = neighbourhood_mermaid(doc, archive, rel)
        # every page has the heading, so that #relation-graph is a link that holds
        parts = [f"## 关系图 {{#{GRAPH_ID}}}"]
        if diagram:
            parts += [
                (
                    "<small>粗箭头：落实（下级文件指向它落实的上级文件）；"
                    "虚线箭头：引用。灰色虚框：文库中尚未收录。</small>"
                ),
                diagram,
            ]
        else:
            parts.append("这份文件没有引用、也没有被引用或落实的文件。")
        if is_higher_plan(doc, rel):
            rows, others = coverage(doc, archive, rel)
            done = sum(1 for r in rows if r.implementers)
            page = f"[落实地图](../{plan_page_path(doc.meta['id'])})"
            parts.append(
                f"下辖 {len(rows)} 个地方中，{done} 个有落实文件：{page}"
                if done or others
                else f"文库中还没有下辖地方落实这份文件的文件：{page}"
            )
        archive.add_section(doc.meta["id"], "\n\n".join(parts))
