"""Where a document is, and the places its text names: read from the document alone.

`place_mentions` is an analysis (archive/analyses.py), cached with the document's conversion;
the archive stage that links the names to place pages (pages/place_pages.py) reads it.
"""

from __future__ import annotations

from ..core import places
from ..core.model import CAPTION, PARAGRAPH, SUBTITLE, Document
from .references import find_titles

# Blocks whose place names link to place pages (headings and letter parts stay as they are).
LINKED_KINDS = {PARAGRAPH, SUBTITLE, CAPTION}


def document_place(doc: Document) -> places.Place | None:
    meta = doc.meta
    return places.place(str(meta.get("region_code", ""))) or (
        places.resolve(meta["region"]) if meta.get("region") else None
    )


def place_mentions(
    doc: Document,
) -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int, str]]]]:
    """The places each linkable block names, by block index: (the spans of the 《titles》 in it,
    where a name is part of the title and is not linked; [(start, end, place code)] of every
    resolved mention, the document's own place chain as the hint). It reads the document alone,
    so it is cached with it (scripts/archive/analyses.py)."""
    here = document_place(doc)
    hints = places.lineage(here) if here else []
    found = {}
    for index, block in enumerate(doc.blocks):
        if block.kind in LINKED_KINDS:
            quoted = [(s, e) for s, e, _ in find_titles(block.text)]
            named = [
                (m.start, m.end, p.code)
                for m, p in places.resolve_mentions(places.mentions(block.text), hints=hints)
            ]
            found[index] = (quoted, named)
    return found
