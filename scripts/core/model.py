"""The plain data that flows between the pipeline's stages.

A source becomes a `Document`: metadata plus a flat list of `Block`s (the tree is implied by
heading levels), plus the `Removal`s that the cleaning reported. Every stage reads and returns
these; nothing here knows about Markdown or MkDocs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

# Block kinds. Headings carry a level; the rest are paragraph-like.
HEADING = "heading"
PARAGRAPH = "paragraph"
ADDRESSEE = "addressee"  # 主送: 各乡镇人民政府……:
SIGNOFF = "signoff"  # issuer and date at the end of a letter
CC = "cc"  # 抄送
CONTACT = "contact"  # 责任领导/承办人/电话
NOTE = "note"  # （此件主动公开） and similar
CAPTION = "caption"  # a photo caption whose photo is gone
SUBTITLE = "subtitle"  # a news deck line under the headline: ——从……
ATTACHMENT_LIST = "attachment-list"  # 附件：1. …  at the end of a notice
TABLE = "table"  # a saved page's table: rows as lines, cells tab-separated

LETTER_PARTS = (ADDRESSEE, SIGNOFF, CC, CONTACT, NOTE)


@dataclass
class Block:
    kind: str
    text: str
    level: int = 0  # heading depth below the title: 1 = the top numbering level used
    number: str = ""  # official numbering as written, e.g. "一、", "（二）", "3.", "附件1"
    anchor: str = ""  # ASCII id, stable across rebuilds
    line: int = 0  # 1-based line in the decoded source, for error messages
    attachment: int = 0  # which attachment the block belongs to (0 = the main text)
    # spans of the text that link elsewhere: (start, end, href relative to the page), set by the
    # archive stages (references, place mentions) and drawn by render.py; a fourth item names the
    # kind of link ("wanted": a document the archive lacks) when it is not a plain one
    links: list[tuple] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Removal:
    """A line the cleaning removed on purpose, with the rule that removed it."""

    line: int
    text: str
    rule: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Document:
    source: Path
    meta: dict = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what analyses of this document alone found (its figures, its place names …), by name:
    # computed with the conversion and cached with it (scripts/archive/analyses.py); not part of the tree
    analyses: dict = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict:
        return {
            "source": str(self.source),
            "meta": self.meta,
            "blocks": [b.to_dict() for b in self.blocks],
            "removed": [r.to_dict() for r in self.removed],
            "warnings": self.warnings,
        }

    def body_text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
