"""Validity and versions on the pages: what archive/validity.py and archive/versions.py found.

- `add_validity_panels` (an archive stage of the pages): on each document page a banner under the
  title when it is repealed, revised or lapsed, linking the document that says so; and a section
  效力与版本 with its status, the sentence that decides it (linked to its paragraph), its dates,
  what it repeals or replaces itself, and its versions with a comparison of each adjacent two.
  Every page has the section and its two sub-headings, so that their anchors stay published.
- `comparison_pages`: compare/<old id>--<new id>.md for two adjacent versions, paragraph by
  paragraph (added, removed, reworded, moved), each side's paragraph linked; compare/index.md
  lists every chain.
The browse pages by status are home_browse.py's; the card's status line is web.py's.
"""

from __future__ import annotations

from functools import partial

from ..archive.documents import Archive
from ..archive.evidence import (
    CONTINUES,
    DECLARED_LAPSED,
    NEWER_VERSION,
    OVERRIDE,
    OWN_TERM,
    PARTIAL,
    REPEAL,
    REPLACE,
    REVISE,
)
from ..archive.relations import wanted_path
from ..archive.validity import IN_FORCE, LAPSED, NOT_YET, REPEALED, REVISED, UNKNOWN
from ..archive.versions import (
    ADDED,
    MOVED,
    REMOVED,
    REWORDED,
    UNCHANGED,
    align,
    inline_changes,
    paragraphs,
)
from ..core.model import HEADING, Document
from ..speed import memo
from .render import escape

COMPARE_DIR = "compare"
ABOUT = "../about/validity.md"  # from a document page
NOTE = "这是本库所收文件显示的状态，不是法律意见"
EMPTY = "本库暂无。"
# A verb for each kind of evidence, as a sentence about the document says it.
DOES = {
    REPEAL: "废止",
    PARTIAL: "废止部分内容",
    REPLACE: "代替",
    REVISE: "修订",
    DECLARED_LAPSED: "宣布失效",
    CONTINUES: "列为继续有效",
}


def compare_path(old: str, new: str) -> str:
    """Where the comparison of two adjacent versions lives (under docs/): both ids, so that its
    address never changes whatever versions are added later."""
    return f"{COMPARE_DIR}/{old}--{new}.md"


def add_validity_panels(archive: Archive) -> None:
    by_id = archive.by_id()
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        banner = status_banner(doc.meta, by_id)
        if banner:
            archive.add_banner(doc_id, banner)
        archive.add_section(doc_id, validity_panel(doc.meta, by_id))


# --- what a document page says ------------------------------------------------------------------


def _doc_link(doc_id: str, by_id: dict[str, Document], anchor: str = "") -> str:
    """[《title》](id.md#anchor), from a document page (both under doc/)."""
    title = by_id[doc_id].meta.get("title", doc_id) if doc_id in by_id else doc_id
    return f"[《{escape(title)}》]({doc_id}.md{'#' + anchor if anchor else ''})"


def _details(meta: dict) -> str:
    parts = [escape(str(meta[k])) for k in ("doc_number", "date") if meta.get(k)]
    return f"（{' · '.join(parts)}）" if parts else ""


def _where(evidence: dict, by_id: dict[str, Document]) -> str:
    """The link to the sentence that says it: its paragraph here, or in the other document."""
    anchor = evidence.get("anchor", "")
    if evidence.get("document"):
        return f"{evidence['document']}.md" + (f"#{anchor}" if anchor else "")
    return f"#{anchor}" if anchor else ""


def status_sentence(meta: dict, by_id: dict[str, Document]) -> str:
    """What the archive's evidence says of the document, in one sentence (Markdown)."""
    status = meta.get("status", UNKNOWN)
    ev = meta.get("status_evidence") or {}
    kind, since = ev.get("kind", ""), ev.get("date", "")
    by = ev.get("document", "")
    who = (_doc_link(by, by_id) + _details(by_id[by].meta)) if by in by_id else ""
    from_day = f"，自 {escape(since)} 起" if since else ""
    if status == REPEALED:
        return f"{who}{DOES.get(kind, '废止')}本文件{from_day}。"
    if status == LAPSED and by:
        return f"{who}{DOES.get(kind, '宣布失效')}本文件{from_day}。"
    if status == LAPSED:
        return f"本文件的有效期到 {escape(meta.get('valid_until', ''))} 为止，已于 {escape(since)} 失效。"
    if status == REVISED and kind == NEWER_VERSION:
        return f"本库收有同一地区、同一名称的较新版本：{who}。"
    if status == REVISED:
        return f"{who}{DOES.get(kind, '修订')}本文件{from_day}。"
    if status == NOT_YET:
        return f"本文件自 {escape(meta.get('in_force_from', ''))} 起施行，尚未施行。"
    if status == IN_FORCE and kind == CONTINUES:
        return f"{who}将本文件列为继续有效；本库没有废止、修订它的文件。"
    if status == IN_FORCE:
        days = [f"自 {escape(meta['in_force_from'])} 起施行"] if meta.get("in_force_from") else []
        if meta.get("valid_until"):
            days.append(f"有效期至 {escape(meta['valid_until'])}")
        return f"本文件{'，'.join(days)}；本库没有废止、修订它的文件。"
    if kind == OWN_TERM:
        return "本文件写有有效期，但没有可据以起算的施行或成文日期。"
    return "本库所收文件中，没有说明本文件施行、有效期、废止或修订的文字。"


def _quote_line(meta: dict, by_id: dict[str, Document]) -> str:
    ev = meta.get("status_evidence") or {}
    if ev.get("kind") == OVERRIDE:
        return "依据：编者据原文更正的日期（见原始文件的元数据）。"
    if not ev.get("quote"):
        return ""
    where = _where(ev, by_id)
    quoted = f"“{escape(ev['quote'])}”"
    return f"依据：{quoted}（[原文]({where})）" if where else f"依据：{quoted}"


# The banner's head for a revised document, by what the evidence says (a repeal by a newer version
# of the same policy, or the newer version itself, says it has a new version).
BANNER_HEADS = {
    REPLACE: "本文件已被代替",
    REVISE: "本文件已被修订",
    PARTIAL: "本文件部分内容已废止",
}
BANNER_CSS = {REPEALED: "repealed", REVISED: "revised", LAPSED: "lapsed"}


def status_banner(meta: dict, by_id: dict[str, Document]) -> str:
    """The line under the title of a document that is no longer in force as it stands: what says
    so, and the newest version when that is another document."""
    status = meta.get("status")
    if status not in BANNER_CSS:
        return ""
    evidence = meta.get("status_evidence") or {}
    head = {REPEALED: "本文件已废止", LAPSED: "本文件已失效"}.get(status) or BANNER_HEADS.get(
        evidence.get("kind", ""), "本文件有新版本"
    )
    line = f"**{head}。**{status_sentence(meta, by_id)}"
    versions = meta.get("versions") or []
    if versions and versions[-1] not in (meta["id"], evidence.get("document")):
        line += f"最新版本：{_doc_link(versions[-1], by_id)}。"
    line += "[效力与版本](#validity)"
    return f"{line}\n{{: .status-banner .status-banner--{BANNER_CSS[status]} }}"


def validity_panel(meta: dict, by_id: dict[str, Document]) -> str:
    """The section 效力与版本 of a document page."""
    parts = [f"**效力：{escape(meta.get('status', UNKNOWN))}。**{status_sentence(meta, by_id)}"]
    quote = _quote_line(meta, by_id)
    if quote:
        parts.append(quote)
    days = []
    if meta.get("in_force_from"):
        days.append(f"施行日期：{escape(meta['in_force_from'])}")
    if meta.get("valid_until"):
        days.append(f"有效期至：{escape(meta['valid_until'])}")
    if days:
        parts.append(" · ".join(days))
    said_by = (meta.get("status_evidence") or {}).get("document")
    others = [  # the documents against it that the sentence above does not name
        f"{'废止' if i in meta.get('repealed_by', []) else '代替或修订'}本文件的还有："
        f"{_doc_link(i, by_id)}{_details(by_id[i].meta)}"
        for i in dict.fromkeys([*meta.get("repealed_by", []), *meta.get("replaced_by", [])])
        if i in by_id and i != said_by
    ]
    if others:
        parts.append("  \n".join(others))
    parts.append(f"{NOTE}（[说明]({ABOUT})）。\n{{: .validity-note }}")
    repeals = [_repeal_item(e, by_id) for e in meta.get("repeals", [])]
    versions = _version_items(meta, by_id)
    return (
        "## 效力与版本 {#validity}\n\n"
        + "\n\n".join(parts)
        + "\n\n### 本文件废止、代替的文件 {#validity-repeals}\n\n"
        + ("\n".join(repeals) if repeals else EMPTY)
        + "\n\n### 版本 {#validity-versions}\n\n"
        + ("\n".join(versions) if versions else EMPTY)
    )


def _repeal_item(entry: dict, by_id: dict[str, Document]) -> str:
    how = DOES.get(entry.get("how", ""), entry.get("how", ""))
    said = f"（[原文](#{entry['anchor']})）" if entry.get("anchor") else ""
    if entry.get("target") in by_id:
        return f"- {_doc_link(entry['target'], by_id)}{_details(by_id[entry['target']].meta)} — {how}{said}"
    label = f"《{escape(entry['title'])}》" if entry.get("title") else ""
    if entry.get("doc_number"):
        label += f"（{escape(entry['doc_number'])}）" if label else escape(entry["doc_number"])
    wanted = entry.get("wanted", "")
    missing = f" · [未收录](../{wanted_path(wanted)}#{wanted})" if wanted else ""
    return f"- {label} — {how}{said}{missing}"


def _version_items(meta: dict, by_id: dict[str, Document]) -> list[str]:
    versions = [v for v in meta.get("versions", []) if v in by_id]
    items = []
    for k, doc_id in enumerate(versions):
        other = by_id[doc_id].meta
        name = "**本文件**" if doc_id == meta["id"] else _doc_link(doc_id, by_id)
        line = f"{k + 1}. {name}{_details(other)}"
        if k:
            line += f" · [与上一版本对照](../{compare_path(versions[k - 1], doc_id)})"
        items.append(line)
    return items


# --- comparison pages --------------------------------------------------------------------------

CHANGE_NAMES = {
    UNCHANGED: "未变",
    MOVED: "移动",
    REWORDED: "改写",
    ADDED: "新增",
    REMOVED: "删除",
}


def version_pairs(archive: Archive) -> list[tuple[str, str]]:
    """Every two adjacent versions, once, in the order of the chains."""
    pairs: dict[tuple[str, str], None] = {}
    for doc in archive.documents:
        chain = doc.meta.get("versions") or []
        for k in range(len(chain) - 1):
            pairs[(chain[k], chain[k + 1])] = None
    return list(pairs)


def comparison_pages(archive: Archive) -> dict[str, str]:
    """Page writer: a comparison of each two adjacent versions, and the index of the chains."""
    by_id = archive.by_id()
    with memo.drawings("comparisons") as draw:  # the alignment is the slow part: drawn once
        files = {
            compare_path(old, new): draw(
                archive.digest(by_id[old]) + archive.digest(by_id[new]),
                partial(comparison_page, by_id[old], by_id[new]),
            )
            for old, new in version_pairs(archive)
        }
    files[f"{COMPARE_DIR}/index.md"] = chains_page(archive)
    return files


def _page_link(doc: Document, anchor: str = "") -> str:
    """A link from a comparison page to a document or one of its paragraphs."""
    return f"../doc/{doc.meta['id']}.md" + (f"#{anchor}" if anchor else "")


def comparison_page(old: Document, new: Document) -> str:
    olds, news = paragraphs(old), paragraphs(new)
    rows = align([b.text for b in olds], [b.text for b in news])
    counts = {name: 0 for name in CHANGE_NAMES}
    for row in rows:
        counts[MOVED if row.change == UNCHANGED and row.moved else row.change] += 1
    head = [
        f"# 版本对照：{escape(new.meta.get('title', ''))}",
        "",
        (
            f"旧版：[《{escape(old.meta.get('title', ''))}》]({_page_link(old)}){_details(old.meta)}  \n"
            f"新版：[《{escape(new.meta.get('title', ''))}》]({_page_link(new)}){_details(new.meta)}"
        ),
        "",
        (
            "逐段对照：按内容而不是位置配对段落，所以挪了位置的段落显示为“移动”，而不是先删后增。"
            "改写的段落里，<del>删去的文字</del>和<ins>新增的文字</ins>分别标出；每段都链接到它在原文件中的位置。"
        ),
        "",
        " · ".join(f"{name} {counts[key]} 段" for key, name in CHANGE_NAMES.items()),
        "",
        '<div class="version-compare" markdown="1">',
        "",
        f"| 变化 | 旧版（{escape(str(old.meta.get('date', '')))}） | 新版（{escape(str(new.meta.get('date', '')))}） |",
        "| --- | --- | --- |",
    ]
    body = _table_rows(rows, olds, news, old, new)
    return "\n".join([*head, *body, "", "</div>", ""])


def _table_rows(rows, olds, news, old: Document, new: Document) -> list[str]:
    out: list[str] = []
    run: list = []  # unchanged paragraphs in a row: one line for all of them

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        if len(run) == 1:
            out.append(_row(UNCHANGED, first, olds, news, old, new))
        else:
            span_old = f"{_cell_link(old, olds[first.old])} 至 {_cell_link(old, olds[last.old])}"
            span_new = f"{_cell_link(new, news[first.new])} 至 {_cell_link(new, news[last.new])}"
            out.append(f"| 未变 {len(run)} 段 | {span_old} | {span_new} |")
        run.clear()

    for row in rows:
        quiet = row.change == UNCHANGED and news[row.new].kind != HEADING
        if quiet:
            run.append(row)
            continue
        flush()
        out.append(_row(row.change, row, olds, news, old, new))
    flush()
    return out


def _cell_link(doc: Document, block) -> str:
    return f"[¶ {escape(block.anchor)}]({_page_link(doc, block.anchor)})" if block.anchor else "¶"


def _row(change: str, row, olds, news, old: Document, new: Document) -> str:
    name = CHANGE_NAMES[change]
    if row.moved and change in (REWORDED, UNCHANGED):
        name = "移动并改写" if change == REWORDED else "移动"
    left = right = ""
    if row.old is not None and row.new is not None and change == REWORDED:
        deleted, inserted = _marked(olds[row.old].text, news[row.new].text)
        left = f"{_cell_link(old, olds[row.old])} {deleted}"
        right = f"{_cell_link(new, news[row.new])} {inserted}"
    else:
        if row.old is not None:
            left = f"{_cell_link(old, olds[row.old])} {escape(olds[row.old].text)}"
        if row.new is not None:
            right = f"{_cell_link(new, news[row.new])} {escape(news[row.new].text)}"
    return f"| {name} | {left} | {right} |"


def _marked(old_text: str, new_text: str) -> tuple[str, str]:
    """The two sides of a reworded paragraph: what the new one dropped in <del>, what it added in
    <ins>; the rest as it is."""
    left, right = [], []
    for tag, a, b in inline_changes(old_text, new_text):
        if tag == "equal":
            left.append(escape(a))
            right.append(escape(b))
            continue
        if a:
            left.append(f"<del>{escape(a)}</del>")
        if b:
            right.append(f"<ins>{escape(b)}</ins>")
    return "".join(left), "".join(right)


def chains_page(archive: Archive) -> str:
    by_id = archive.by_id()
    chains: dict[tuple[str, ...], None] = {}
    for doc in archive.documents:
        if doc.meta.get("versions"):
            chains[tuple(doc.meta["versions"])] = None
    lines = [
        "# 版本对照",
        "",
        (
            "同一政策的各个版本：同一地区、同一名称的文件，或后一份文件说明它代替、修订前一份。"
            "每两个相邻版本有一页逐段对照。"
        ),
        "",
        f"共 {len(chains)} 组。" if chains else "本库暂无多个版本的文件。",
        "",
    ]
    for chain in sorted(chains):
        newest = by_id[chain[-1]].meta
        lines += [f"## {escape(newest.get('title', ''))}", ""]
        for k, doc_id in enumerate(chain):
            meta = by_id[doc_id].meta
            line = f"{k + 1}. [《{escape(meta.get('title', ''))}》](../doc/{doc_id}.md){_details(meta)}"
            if k:
                line += f" · [与上一版本对照]({compare_path(chain[k - 1], doc_id).removeprefix(COMPARE_DIR + '/')})"
            lines.append(line)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
