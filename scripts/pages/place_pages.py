"""Place pages: 全国 → 湖南省 → 衡阳市 → 衡南县, at URLs in pinyin (/hunan/hengyang/hengnan/).

The archive stage `attach_places` gives every document
- `place_path` in its front matter: the chain 全国 → 湖南省 → … → its place, each with `name`, `code` and
  `url` relative to the site root, which the document card (overrides/) shows as a breadcrumb;
- `mentions`: the places its text names, each resolved with context (the document's own place
  and the other places named are the hints: 朝阳区 beside 长春市 is 长春's);
- a link to the place page on the first mention of each place in each section.

The page writer `place_pages` writes one page per place that has documents or is mentioned, and
per ancestor of such a place: its documents (newest first), its sub-places with documents (with
counts of the documents in each subtree), and the documents that mention it.
"""

from __future__ import annotations

from collections import defaultdict

from ..archive.analyses import analysis
from ..archive.documents import Archive, document_path
from ..archive.mentions import document_place
from ..archive.relations import newest_first
from ..core import places
from ..core.model import HEADING
from ..core.places import NATIONAL, Place
from .relation_pages import cited_item, document_item
from .render import escape


def rel(from_page: str, to_path: str) -> str:
    """A relative Markdown link from one file under docs/ to another (both relative to docs/,
    without '..'): posixpath.relpath's answer, without its file-system calls (~10 per document)."""
    start = from_page.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


def place_path_meta(p: Place) -> list[dict]:
    """全国 → 湖南省 → 衡阳市 → 衡南县: the whole chain, as the place pages' breadcrumbs draw it, so
    the document card and the place pages show one hierarchy."""
    return [{"name": q.name, "code": q.code, "url": places.url_path(q)} for q in places.lineage(p)]


def breadcrumb(p: Place, from_page: str, link_last: bool = True) -> str:
    chain = places.lineage(p)
    items = [f"[{escape(q.name)}]({rel(from_page, places.page_path(q))})" for q in chain[:-1]]
    last = chain[-1]
    items.append(
        f"[{escape(last.name)}]({rel(from_page, places.page_path(last))})"
        if link_last
        else escape(last.name)
    )
    return " › ".join(items) + "\n{: .place-breadcrumb }"


def _taken(links: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, *_ in links)


def attach_places(archive: Archive) -> None:
    for doc in archive.documents:
        here = document_place(doc)
        page = document_path(doc.meta["id"])
        if here is not None:
            doc.meta["place_path"] = place_path_meta(here)  # the card draws it as a breadcrumb
        mentioned = analysis(doc, "place_mentions")
        named: dict[str, Place] = {}
        linked: set[str] = set()  # place codes already linked in the current section
        for index, block in enumerate(doc.blocks):
            if block.kind == HEADING:
                linked = set()
                continue
            if index not in mentioned:
                continue
            quoted, found = mentioned[index]
            for start, end, code in found:
                p = places.known_place(code)
                named.setdefault(code, p)
                if code in linked or _taken(block.links + quoted, start, end):
                    continue
                block.links.append((start, end, rel(page, places.page_path(p))))
                linked.add(code)
        if named:
            doc.meta["mentions"] = [
                {"name": p.name, "code": p.code}
                for p in sorted(named.values(), key=lambda p: p.code)
            ]


def _documents_by_place(archive: Archive) -> dict[str, list]:
    by_place: dict[str, list] = defaultdict(list)
    for doc in archive.documents:
        p = document_place(doc)
        if p is not None:
            by_place[p.code].append(doc)
    return by_place


def place_pages(archive: Archive) -> dict[str, str]:
    own = _documents_by_place(archive)
    mentioned: dict[str, list] = defaultdict(list)
    for doc in archive.documents:
        for m in doc.meta.get("mentions", []):
            mentioned[m["code"]].append(doc)
    subtree: dict[str, int] = defaultdict(int)  # documents in each place and below it
    shown: set[str] = {NATIONAL.code}
    for code in set(own) | set(mentioned):
        for q in places.lineage(places.known_place(code)):
            shown.add(q.code)
            subtree[q.code] += len(own.get(code, []))
    shown_children: dict[str, list[Place]] = defaultdict(
        list
    )  # by parent code, each family by code
    for code in sorted(shown):
        parent = places.parent_of(places.known_place(code))
        if parent is not None:
            shown_children[parent.code].append(places.known_place(code))
    pages = {}
    for code in sorted(shown):
        p = places.known_place(code)
        path = places.page_path(p)
        pages[path] = place_page(
            p, path, own.get(code, []), shown_children[code], subtree, mentioned.get(code, [])
        )
    return pages


def place_page(
    p: Place, path: str, docs: list, children: list[Place], subtree: dict[str, int], mentioned: list
) -> str:
    meta = {
        "title": p.name,  # the page's title (the browser's tab, a link's preview), as its heading
        "place": p.name,
        "place_code": p.code,
        "place_level": p.level,
        "place_path": place_path_meta(p),
    }
    from .render import front_matter

    parts = [front_matter(meta)]
    if (parent := places.parent_of(p)) is not None:  # 全国 has none
        parts.append(breadcrumb(parent, path))
    parts.append(f"# {escape(p.name)}")
    facts = [places.LEVEL_NAMES[p.level]]
    if p is not NATIONAL:
        facts.append(f"行政区划代码 {p.code}")
    own_label = (
        "全国性文件" if p is NATIONAL else "本地文件"
    )  # 全国 has no 本地: its own are national
    facts.append(f"{own_label} {len(docs)} 份，含下级地区共 {subtree.get(p.code, 0)} 份")
    parts.append(" · ".join(facts))
    with_docs = [c for c in children if subtree.get(c.code)]
    without = [c for c in children if not subtree.get(c.code)]
    if docs:
        parts.append(
            f"## {own_label} {{#documents}}\n\n"
            + "\n".join(
                document_item(d, rel(path, document_path(d.meta["id"])), with_region=False)
                for d in newest_first(docs)
            )
        )
    if with_docs:
        parts.append(
            "## 下级地区 {#subplaces}\n\n"
            + "\n".join(
                f"- [{escape(c.name)}]({rel(path, places.page_path(c))})（{subtree[c.code]} 份）"
                for c in with_docs
            )
        )
    if without:
        parts.append(
            "## 文中提及的下级地区 {#subplaces-mentioned}\n\n"
            + "、".join(f"[{escape(c.name)}]({rel(path, places.page_path(c))})" for c in without)
        )
    own = {id(d) for d in docs}  # by identity: comparing documents field by field is slow
    mentioned = [d for d in mentioned if id(d) not in own]
    if mentioned:
        parts.append(
            "## 提及本地的文件 {#mentioned-in}\n\n"
            + "\n".join(
                document_item(d, rel(path, document_path(d.meta["id"])))
                for d in newest_first(mentioned)
            )
        )
    wanted = wanted_items(docs, "../" * path.count("/"))
    if wanted:
        parts.append("## 本地文件引用、本库尚未收录的文件 {#wanted}\n\n" + "\n".join(wanted))
    return "\n\n".join(parts) + "\n"


def wanted_items(docs: list, root: str) -> list[str]:
    """What this place's documents cite and the archive lacks: a to-do list for maintainers."""
    seen: dict[str, dict] = {}
    for doc in docs:
        for entry in doc.meta.get("cites", []):
            if entry.get("wanted"):
                seen.setdefault(entry["wanted"], entry)
    return [cited_item(entry, root) for _, entry in sorted(seen.items())]
