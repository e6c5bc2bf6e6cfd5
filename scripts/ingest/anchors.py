"""Anchors: an ASCII id for every heading and paragraph, derived from the document itself.

The scheme (also written down in docs/about/links.md):

- a numbered heading or paragraph takes its official numbering, level by level:
  二、 → `s2`, 二、（一） → `s2-1`, 二、（一）3. → `s2-1-3`; 第五条 → `art5`, 第二章 → `ch2`;
- an attachment is `fujian1` … and prefixes everything inside it: `fujian1-s2-1`;
- the text that a 印发 notice issues is `zhengwen`, and its numbering is not prefixed;
- a heading without numbering takes the pinyin of its first words: `2024-bu-lv-keng-qiang`;
- an unnumbered paragraph is numbered within its section: `s2-1-p3`, or `p3` before any heading;
- letter parts have fixed names: `zhusong` (主送), `luokuan` (sign-off), `chaosong` (抄送),
  `lianxi` (contact lines), `fujian` (the list of attachments).

Ids are unique in a page (a repeat gets `-2`), and depend only on the text, so a rebuild gives
the same ids.
"""

from __future__ import annotations

from ..core.model import ADDRESSEE, ATTACHMENT_LIST, CC, CONTACT, HEADING, SIGNOFF, Block
from ..core.slug import slugify
from .numbering import KIND_ARTICLE, KIND_CHAPTER, KIND_SECTION, parse_marker

FIXED = {
    ADDRESSEE: "zhusong",
    SIGNOFF: "luokuan",
    CC: "chaosong",
    CONTACT: "lianxi",
    ATTACHMENT_LIST: "fujian",
}
PREFIX = {KIND_CHAPTER: "ch", KIND_SECTION: "sec", KIND_ARTICLE: "art"}


def assign_anchors(blocks: list[Block]) -> None:
    used: dict[str, int] = {}  # each anchor given → the next number to try after it
    prefix = ""  # fujianN- inside an attachment
    path: list[tuple[int, str]] = []  # (depth, token) of the numbered sections we are inside
    section = ""  # anchor of the innermost section, for its paragraphs
    paragraphs = 0
    for block in blocks:
        if block.anchor:
            block.anchor = _unique(block.anchor, used)
            continue
        if block.kind == HEADING and block.level == 0:
            continue  # the title: the page itself
        if block.kind == HEADING and block.level == 1 and block.number.startswith("附件"):
            prefix = f"fujian{block.attachment}"
            block.anchor = _unique(prefix, used)
            prefix += "-"
            path, section, paragraphs = [], block.anchor, 0
            continue
        if block.kind == HEADING and block.number == "正文":
            block.anchor = _unique("zhengwen", used)
            prefix, path, section, paragraphs = "", [], block.anchor, 0
            continue
        if block.kind in FIXED:
            block.anchor = _unique(prefix + FIXED[block.kind], used)
            continue
        marker = parse_marker(block.text) if block.number else None
        if marker is not None:
            block.anchor = _unique(prefix + _numbered_anchor(marker, block.level, path), used)
            section, paragraphs = block.anchor, 0
            continue
        if block.kind == HEADING:
            block.anchor = _unique(prefix + slugify(block.text, max_words=5), used)
            section, paragraphs = block.anchor, 0
            continue
        paragraphs += 1
        block.anchor = _unique(
            f"{section}-p{paragraphs}" if section else f"{prefix}p{paragraphs}", used
        )


def _numbered_anchor(marker, depth: int, path: list[tuple[int, str]]) -> str:
    """Extend `path` (in place) with this marker at `depth`; return the anchor it gives."""
    if marker.kind == KIND_ARTICLE:  # articles are numbered through the whole text: 第五条 → art5
        path[:] = [(depth, f"art{marker.value}")]  # and root their items: 第三条（一） → art3-1
        return f"art{marker.value}"
    path[:] = [(d, t) for d, t in path if d < depth]
    path.append((depth, f"{PREFIX.get(marker.kind, '')}{marker.value}"))
    joined = "-".join(token for _, token in path)
    return joined if joined[0].isalpha() else f"s{joined}"


def _unique(anchor: str, used: dict[str, int]) -> str:
    """`anchor`, or the first of anchor-2, anchor-3 … not given yet; the number tried last is kept,
    so a text that repeats one heading thousands of times does not try them all each time."""
    if anchor not in used:
        used[anchor] = 2
        return anchor
    n = used[anchor]
    while f"{anchor}-{n}" in used:
        n += 1
    used[anchor] = n + 1
    candidate = f"{anchor}-{n}"
    used[candidate] = 2
    return candidate
