"""`review BASE`: what a pull request changes, as Markdown ready to paste as a review comment.

It compares the generated pages (docs/doc/*.md, committed with every change) at git revision
BASE with the working tree, so it reads exactly what the pull request would publish:
documents added, removed and changed; references to wanted documents now resolved, new ones,
and new citations between documents; anchors removed or added; sources edited by hand;
published addresses dropped.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.errors import SourceError
from ..core.paths import refuse_links_out_of_the_repository
from ..ingest.sidecar import NoAliasLoader
from ..site import published

DOC_DIR = "docs/doc"


@dataclass
class Page:
    id: str
    meta: dict
    body: str
    anchors: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, doc_id: str, markdown: str, where: str = "") -> Page:
        meta: dict = {}
        body = markdown
        if markdown.startswith("---\n"):
            _, head, body = markdown.split("---\n", 2)
            try:  # the pipeline writes no alias: one is a page edited by hand (a "billion laughs")
                meta = yaml.load(head, Loader=NoAliasLoader) or {}
            except yaml.YAMLError as err:
                raise SourceError(
                    where or f"{DOC_DIR}/{doc_id}.md",
                    f"front matter is not the YAML the pipeline writes ({getattr(err, 'problem', None) or err})",
                    fix="generated pages are never edited by hand: run `python -m scripts build`",
                ) from None
        return cls(doc_id, meta, body, [m[1] or m[2] for m in published.MD_ANCHOR.finditer(body)])

    def wanted(self) -> dict[str, dict]:
        """References that resolve to nothing in the archive, by a key naming what is cited."""
        return {
            _cite_key(c): c
            for c in self.meta.get("cites") or []
            if isinstance(c, dict) and not c.get("target")
        }

    def resolved(self) -> dict[str, dict]:
        return {
            _cite_key(c): c
            for c in self.meta.get("cites") or []
            if isinstance(c, dict) and c.get("target")
        }


def _cite_key(cite: dict) -> str:
    return " ".join(str(cite[k]) for k in ("doc_number", "title") if cite.get(k))


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SourceError(
            root,
            f"git {' '.join(args)} failed: {result.stderr.strip()}",
            fix="give a revision this clone has, e.g. origin/main (fetch it first)",
        )
    return result.stdout


def pages_at(root: Path, base: str) -> dict[str, Page]:
    names = [
        n
        for n in git(root, "ls-tree", "-r", "--name-only", base, "--", f"{DOC_DIR}/").splitlines()
        if n.endswith(".md")
    ]
    if not names:
        return {}
    # One `git cat-file --batch` for every page, not one process per page.
    batch = "".join(f"{base}:{name}\n" for name in names)
    out = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=batch.encode(), capture_output=True
    ).stdout
    pages, pos = {}, 0
    for name in names:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        content = out[header_end + 1 : header_end + 1 + size].decode("utf-8")
        pos = header_end + 1 + size + 1
        doc_id = Path(name).stem
        pages[doc_id] = Page.parse(doc_id, content, f"{base}:{name}")
    return pages


def pages_now(root: Path) -> dict[str, Page]:
    return {
        p.stem: Page.parse(p.stem, p.read_text(encoding="utf-8"))
        for p in sorted((root / DOC_DIR).glob("*.md"))
    }


def review(root: Path, base: str) -> str:
    root = Path(root)
    refuse_links_out_of_the_repository(root)  # a page read through one would show what it leads to
    git(root, "rev-parse", "--verify", f"{base}^{{commit}}")
    before, after = pages_at(root, base), pages_now(root)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    kept = sorted(set(before) & set(after))
    out = [f"## 本次修改 · What this pull request changes (vs `{base}`)", ""]

    out += _section("新增文件 · Documents added", [_doc_line(after[i]) for i in added])
    out += _section("删除文件 · Documents removed ⚠", [_doc_line(before[i]) for i in removed])
    changed = [line for i in kept if (line := _changed_line(before[i], after[i]))]
    out += _section("改动的文件 · Documents changed", changed)

    wanted_before = {(i, k) for i, p in before.items() for k in p.wanted()}
    resolved_now = [
        f"`{i}` cites {_fmt(c)} → `{c['target']}`" + _title_of(after.get(str(c["target"])))
        for i, p in sorted(after.items())
        for k, c in p.resolved().items()
        if (i, k) in wanted_before
    ]
    out += _section("补上的待收录文件 · Wanted references now resolved", resolved_now)
    new_wanted = [
        f"`{i}` cites {_fmt(c)}, not in the archive"
        for i, p in sorted(after.items())
        for k, c in p.wanted().items()
        if (i, k) not in wanted_before
    ]
    out += _section("新的待收录文件 · New wanted references", new_wanted)
    resolved_before = {(i, k) for i, p in before.items() for k in p.resolved()}
    new_links = [
        f"`{i}` cites {_fmt(c)} → `{c['target']}`" + _title_of(after.get(str(c["target"])))
        for i, p in sorted(after.items())
        for k, c in p.resolved().items()
        if (i, k) not in resolved_before and (i, k) not in wanted_before
    ]
    out += _section("新的文件间引用 · New citations between documents", new_links)

    out += _section("锚点变化 · Anchors changed", _anchor_lines(before, after, kept, root))
    out += _section(
        "手工改动的原文 · Sources edited ⚠ (sources are never edited by hand: correct the sidecar)",
        [f"`{name}`" for name in edited_sources(root, base)],
    )
    out += _section(
        "撤下的已发布地址 · Published addresses dropped from the record ⚠",
        [f"`{line}`" for line in _dropped_record_lines(root, base)],
    )
    if len(out) == 2:
        out.append("No change to the archive's documents.")
    else:
        removed_anchors = sum(len(set(before[i].anchors) - set(after[i].anchors)) for i in kept)
        out.insert(
            2,
            f"{len(added)} added · {len(removed)} removed · {len(changed)} changed · "
            f"{len(resolved_now)} wanted resolved · {len(new_wanted)} new wanted · "
            f"{removed_anchors} anchor(s) removed\n",
        )
    return "\n".join(out).rstrip() + "\n"


def _title_of(page: Page | None) -> str:
    return f" ({page.meta['title']})" if page and page.meta.get("title") else ""


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    return [f"### {title} ({len(lines)})", "", *(f"- {line}" for line in lines), ""]


def _fmt(cite: dict) -> str:
    parts = []
    if cite.get("title"):
        parts.append(f"《{cite['title']}》")
    if cite.get("doc_number"):
        parts.append(str(cite["doc_number"]))
    return " ".join(parts) or "?"


def _doc_line(page: Page) -> str:
    meta = page.meta
    facts = " · ".join(
        str(meta[k]) for k in ("doc_number", "issuer", "date", "region", "doc_type") if meta.get(k)
    )
    missing = [k for k in ("date", "issuer", "region") if not meta.get(k)]
    note = f" — missing: {', '.join(missing)}" if missing else ""
    return f"**{meta.get('title', page.id)}** `docs/doc/{page.id}.md` {facts} ({len(page.anchors)} anchors){note}"


def _changed_line(old: Page, new: Page) -> str | None:
    keys = [
        k
        for k in dict.fromkeys([*old.meta, *new.meta])
        if k != "cites" and old.meta.get(k) != new.meta.get(k)
    ]
    details = [
        f"{k}: {_short(old.meta.get(k, '∅'))} → {_short(new.meta.get(k, '∅'))}" for k in keys
    ]
    old_lines, new_lines = _text_lines(old.body), _text_lines(new.body)
    gone, came = len(old_lines - new_lines), len(new_lines - old_lines)
    if gone or came:
        details.append(f"text: {gone} paragraph(s) changed or removed, {came} changed or added")
    if not details:
        return None
    return f"`{new.id}`: " + "; ".join(details)


def _short(value: object, limit: int = 100) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_lines(body: str) -> set[str]:
    return {line for line in body.splitlines() if line.strip() and not line.startswith("{:")}


def _anchor_lines(
    before: dict[str, Page], after: dict[str, Page], kept: list[str], root: Path
) -> list[str]:
    try:
        moved = published.moved_anchors(root)
    except ValueError:
        moved = {}
    lines = []
    for i in kept:
        old, new = set(before[i].anchors), set(after[i].anchors)
        gone, came = sorted(old - new), sorted(new - old)
        if gone:
            shown = ", ".join(
                f"`#{a}`"
                + (
                    f" → `#{moved[f'/doc/{i}/#{a}']}`"
                    if f"/doc/{i}/#{a}" in moved
                    else " (not moved)"
                )
                for a in gone[:10]
            )
            lines.append(f"`{i}`: {len(gone)} removed ⚠ {shown}" + (" …" if len(gone) > 10 else ""))
        if came:
            lines.append(
                f"`{i}`: {len(came)} added "
                + ", ".join(f"`#{a}`" for a in came[:10])
                + (" …" if len(came) > 10 else "")
            )
    return lines


def edited_sources(root: Path, base: str) -> list[str]:
    """Raw source files that BASE has and whose bytes differ now. An added file is an addition, a
    deleted one a removal (listed under documents removed), a renamed one with the same bytes fine."""
    out = git(root, "diff", "--name-status", "-M", base, "--", "sources/")
    edited = []
    for line in out.splitlines():
        status, *paths = line.split("\t")
        if paths[-1].endswith(".yml"):
            continue
        if status == "M" or (status.startswith("R") and status != "R100"):
            edited.append(paths[-1])
    return edited


def _dropped_record_lines(root: Path, base: str) -> list[str]:
    try:
        old = git(root, "show", f"{base}:{published.RECORD.as_posix()}")
    except SourceError:
        return []
    now = set(published.read_lines(root / published.RECORD))
    entries = [
        line.split()[0] for line in old.splitlines() if line.strip() and not line.startswith("#")
    ]
    return [entry for entry in entries if entry not in now]
