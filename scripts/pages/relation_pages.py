"""Relations on the pages: each document's relations panel, and the wanted documents' pages.

The archive stage `link_references` (archive/relations.py) has resolved every reference; this
shows what it found:
- `add_relation_panels` appends to each document page its four relations (上级文件, 下级落实,
  引用, 被引用), every heading always there so that its anchor stays published;
- `wanted_page` writes every cited document the archive lacks, on pages by letter, the most
  cited on the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..archive.documents import Archive
from ..archive.mentions import document_place
from ..archive.references import ISSUED_TITLE
from ..archive.relations import letter_page, newest_first, wanted_letter, wanted_path
from ..core import places
from ..core.model import Document
from ..core.script import to_simplified
from .render import escape

WANTED_PAGE = (
    "wanted.md"  # the index of the wanted documents; the entries sit on wanted/<letter>.md
)
MOST_WANTED = 20  # the most cited of them, listed on the index


def add_relation_panels(archive: Archive) -> None:
    by_id = archive.by_id()
    for doc in archive.documents:
        doc_id = doc.meta["id"]
        archive.add_section(
            doc_id, relations_panel(doc, by_id, archive.wanted_basis.get(doc_id, []))
        )


def document_item(doc: Document, href: str, with_region: bool = True) -> str:
    """'- [title](href)（衡阳市 · 文号 · date）'; without the region on its own place's page."""
    meta = doc.meta
    keys = ("region", "doc_number", "date") if with_region else ("doc_number", "date")
    details = " · ".join(escape(str(meta[k])) for k in keys if meta.get(k))
    return f"- [{escape(meta['title'])}]({href})" + (f"（{details}）" if details else "")


def cited_item(entry: dict, root: str) -> str:
    """A cited document the archive lacks, linked to its wanted entry; `root`: the way from the
    page to the top of docs/ ('../' from a document page)."""
    label = "《" + escape(entry["title"]) + "》" if entry.get("title") else ""
    if entry.get("doc_number"):
        label += (
            ("（" + escape(entry["doc_number"]) + "）") if label else escape(entry["doc_number"])
        )
    return f"- {label} — [未收录]({root}{wanted_path(entry['wanted'])}#{entry['wanted']})"


EMPTY_RELATION = "本库暂无。"


def relations_panel(
    doc: Document, by_id: dict[str, Document], wanted_basis: Sequence[str] = ()
) -> str:
    """The four relations of a document; 上级文件 also names the bases it cites that the archive
    lacks (wanted_basis: their anchors on the wanted page), marked 未收录."""
    meta = doc.meta
    parts = []

    def listed(ids):
        return [document_item(by_id[i], f"{i}.md") for i in ids]

    missing_above = [
        cited_item(e, "../") for e in meta.get("cites", []) if e.get("wanted") in wanted_basis
    ]
    for heading, anchor, lines in (
        ("上级文件", "relations-implements", listed(meta.get("implements", [])) + missing_above),
        ("下级落实", "relations-implemented-by", listed(meta.get("implemented_by", []))),
        (
            "引用",
            "relations-cites",
            [
                document_item(by_id[e["target"]], f"{e['target']}.md")
                if e.get("target")
                else cited_item(e, "../")
                for e in meta.get("cites", [])
            ],
        ),
        ("被引用", "relations-cited-by", listed(meta.get("cited_by", []))),
    ):
        # every page has every heading, so its anchors stay published whatever the archive holds;
        # an empty one says what the archive holds, not that no such document exists
        parts.append(
            f"### {heading} {{#{anchor}}}\n\n" + ("\n".join(lines) if lines else EMPTY_RELATION)
        )
    return "## 文件关系 {#relations}\n\n" + "\n\n".join(parts)


WANTED_INTRO = """\
# 待收录文件

本库文件引用了、但本库尚未收录的文件。收录其中一份（`python -m scripts add 文件`）之后，
引用它的文件会自动链接到它，它也会从这里消失。

"""


def wanted_page(archive: Archive) -> dict[str, str]:
    """Every cited document the archive lacks, with the documents citing it, on pages by letter
    (wanted_path), most cited first; the index gives the letters and the most cited of all."""
    citing: dict[str, list[Document]] = defaultdict(list)
    variants: dict[str, list[dict]] = defaultdict(list)
    ended: dict[str, list[tuple[Document, dict]]] = defaultdict(list)  # repealed by (validity.py)
    for doc in archive.documents:
        for entry in doc.meta.get("cites", []):
            if entry.get("wanted"):
                citing[entry["wanted"]].append(doc)
                variants[entry["wanted"]].append(entry)
        for entry in doc.meta.get("repeals", []):
            if entry.get("wanted"):
                ended[entry["wanted"]].append((doc, entry))
    order = sorted(citing, key=lambda a: (-len(citing[a]), a))
    cited_as = {anchor: wanted_titles(variants[anchor]) for anchor in order}
    by_letter: dict[str, list[str]] = defaultdict(list)
    for anchor in order:
        by_letter[wanted_letter(anchor)].append(anchor)
    letters = " · ".join(
        f"[{_shown(letter)}]({letter_page(letter)})（{len(by_letter[letter])}）"
        for letter in sorted(by_letter)
    )
    index = [
        WANTED_INTRO,
        f"共 {len(order)} 份，按拼音首字母分页：{letters}" if order else "共 0 份。",
        "",
    ]
    if order:
        index += [f"## 引用最多的 {min(MOST_WANTED, len(order))} 份 {{#most-cited}}", ""]
        index += [
            f"- [{_wanted_head(*cited_as[a])}]({wanted_path(a)}#{a})（{len(citing[a])} 份文件引用）"
            for a in order[:MOST_WANTED]
        ]
    files = {WANTED_PAGE: "\n".join(index).rstrip() + "\n"}
    for letter, anchors in by_letter.items():
        lines = [
            f"# 待收录文件 · {_shown(letter)}（{len(anchors)}）",
            "",
            f"[← 待收录文件](../{WANTED_PAGE})",
            "",
        ]
        for anchor in anchors:
            lines += _wanted_entry(anchor, *cited_as[anchor], citing[anchor], ended[anchor])
        files[letter_page(letter)] = "\n".join(lines).rstrip() + "\n"
    return files


def _shown(letter: str) -> str:
    return letter.upper() if len(letter) == 1 else "其他"


def wanted_titles(variants: list[dict]) -> tuple[list[str], list[str]]:
    """The 文号 and titles a wanted document was cited by."""
    numbers = sorted({e["doc_number"] for e in variants if e.get("doc_number")})
    titles: list[str] = []
    for e in variants:
        if e.get("title"):
            issued = ISSUED_TITLE.search(to_simplified(e["title"]))
            if issued:  # the plan a 印发 notice issues is what the archive files it under
                titles.append(e["title"][issued.start("title") : issued.end("title")])
            titles.append(e["title"])
    titles = list(dict.fromkeys(t.replace("<", "〈").replace(">", "〉") for t in titles))
    return numbers, titles


def _wanted_head(numbers: list[str], titles: list[str]) -> str:
    return f"《{escape(titles[0])}》" if titles else escape(numbers[0])


# what a document of the archive did to a wanted one, by the kind of its sentence (evidence.py)
ENDED_BY = {
    "废止": "废止",
    "部分废止": "废止部分内容",
    "代替": "代替",
    "修订": "修订",
    "失效": "宣布失效",
}


def _wanted_entry(
    anchor: str,
    numbers: list[str],
    titles: list[str],
    citing: list[Document],
    ended: Sequence[tuple[Document, dict]] = (),
) -> list[str]:
    """A wanted document's section on its letter page (wanted/<letter>.md): its 文号 and titles,
    whether a document of the archive repeals or replaces it, who cites it."""
    lines = [f"## {_wanted_head(numbers, titles)} {{#{anchor}}}\n"]
    facts = []
    if numbers and titles:
        facts.append("文号：" + "、".join(escape(n) for n in numbers))
    if len(titles) > 1:
        facts.append("又作：" + "、".join(f"《{escape(t)}》" for t in titles[1:]))
    for doc, entry in ended:
        said = f"#{entry['anchor']}" if entry.get("anchor") else ""
        facts.append(
            f"据本库文件，[《{escape(doc.meta['title'])}》](../doc/{doc.meta['id']}.md{said})"
            f"{ENDED_BY.get(entry.get('how', ''), '废止')}了它"
        )
    if facts:
        lines.append("  \n".join(facts) + "\n")
    cited_from = sorted(
        {p for p in map(document_place, citing) if p is not None}, key=lambda p: p.code
    )
    if cited_from:
        lines.append(
            "引用它的地区："
            + "、".join(f"[{escape(p.name)}](../{places.page_path(p)})" for p in cited_from)
            + "\n"
        )
    lines.append("引用它的文件：\n")
    lines += [document_item(doc, f"../doc/{doc.meta['id']}.md") for doc in newest_first(citing)]
    lines.append("")
    return lines
