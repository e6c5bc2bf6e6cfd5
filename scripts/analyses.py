"""Analyses of one document: computed with its conversion, and cached with it.

What an archive stage needs to know about one document alone (the figures of its targets, its
主要目标 box, the places its text names, the references it makes) changes only when the document does. So it is computed
where the document is converted (in the worker processes on a cold build) and kept with it in
the convert cache (scripts/convert_many.py, whose key covers the source, its sidecar, the
pipeline's code and the packages): a rebuild reads it instead of reading the text again.

Rules for an analysis:
- it reads only what conversion made (`meta`, the blocks' text, kind, level, anchor …), never
  what the archive stages add (links, cites, place_path …), so that computing it before the
  stages or after them gives the same;
- the stage that uses it never changes it (it is shared with the cache).

A stage asks `analysis(doc, name)`; a document that did not come through convert_many (a test,
`python -m scripts convert`) has it computed on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .model import Document


@lru_cache(maxsize=1)
def registry() -> dict[str, Callable[[Document], Any]]:
    """Every analysis by name, in the order they run (a later one may ask for an earlier one).
    Imported here, not at the top: the modules that define them also ask for them."""
    from .place_pages import place_mentions
    from .references import document_keys, find_references
    from .target_pages import target_box
    from .targets import extract

    return {"figures": extract, "target_box": target_box, "place_mentions": place_mentions,
            "references": find_references, "document_keys": document_keys}


def analyse(doc: Document) -> Document:
    """Run every analysis on a freshly converted document (before any archive stage)."""
    for name in registry():
        analysis(doc, name)
    return doc


def analysis(doc: Document, name: str) -> Any:
    if name not in doc.analyses:
        doc.analyses[name] = registry()[name](doc)
    return doc.analyses[name]
