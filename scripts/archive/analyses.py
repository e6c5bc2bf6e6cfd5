"""Analyses of one document: computed with its conversion, and cached with it.

What an archive stage needs to know about one document alone (the figures of its targets, its
主要目标 box, the places its text names, the references it makes) changes only when the document does. So it is computed
where the document is converted (in the worker processes on a cold build) and kept with it in
the convert cache (pipeline/convert_many.py, whose key covers the source, its sidecar, the
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
from typing import Any, TypeVar

from ..core.model import Document
from .evidence import find_evidence
from .mentions import place_mentions
from .references import document_keys, find_references
from .targets import extract

Analysis = TypeVar("Analysis", bound=Callable[[Document], Any])


def validity_evidence(doc: Document):
    """What the text says of its own validity and of other documents' (evidence.py), through the
    references found above."""
    return find_evidence(doc, analysis(doc, "references"))


# Every analysis by name, in the order they run (a later one may ask for an earlier one): those
# of the archive stages here; a page writer that caches what it draws of one document registers
# its own (`register`), so that this module never knows the pages that show its results.
_ANALYSES: dict[str, Callable[[Document], Any]] = {
    "figures": extract,
    "place_mentions": place_mentions,
    "references": find_references,
    "document_keys": document_keys,
    "validity": validity_evidence,
}


def register(name: str) -> Callable[[Analysis], Analysis]:
    """Decorator: `fn(doc)` becomes the analysis `name`, run with every conversion."""

    def add(fn: Analysis) -> Analysis:
        _ANALYSES[name] = fn
        return fn

    return add


def registry() -> dict[str, Callable[[Document], Any]]:
    return _ANALYSES


def analyse(doc: Document) -> Document:
    """Run every analysis on a freshly converted document (before any archive stage)."""
    for name in registry():
        analysis(doc, name)
    return doc


def analysis(doc: Document, name: str) -> Any:
    if name not in doc.analyses:
        doc.analyses[name] = registry()[name](doc)
    return doc.analyses[name]
