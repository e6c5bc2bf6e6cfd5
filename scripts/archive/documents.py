"""The whole archive: every converted document, and the stages that need all of them at once.

Archive stages (places, references, relations, targets) each take the `Archive` and enrich its
documents; page writers each return `{path under docs/: Markdown}` for the pages they own.
Both are plain lists, so a capability registers itself by adding one function.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Document
from ..core.paths import SOURCE_SUFFIXES  # every suffix a source may have

__all__ = ["SOURCE_SUFFIXES", "Archive"]


@dataclass
class Archive:
    root: Path
    documents: list[Document] = field(default_factory=list)
    # Markdown appended to a document's page, by document id (relations panels, targets …).
    sections: dict[str, list[str]] = field(default_factory=dict)
    # The wanted entries (their anchors) each document cites as its basis, by document id.
    wanted_basis: dict[str, list[str]] = field(default_factory=dict)
    # Where each reference of a document went (relations.link_references), in the order of
    # analysis(doc, "references"): a document id, "wanted:<anchor>", or "" (one of its own parts).
    resolved: dict[str, list[str]] = field(default_factory=dict)
    # The day statuses are computed against (validity.archive_date), once the stage has run.
    as_of: str = ""
    # Markdown put at the top of a document's page, under its title (a repealed document's banner).
    banners: dict[str, list[str]] = field(default_factory=dict)
    _digests: dict[str, bytes] = field(default_factory=dict, repr=False)  # Archive.digest's

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    def by_id(self) -> dict[str, Document]:
        return {doc.meta["id"]: doc for doc in self.documents}

    def add_section(self, doc_id: str, markdown: str) -> None:
        self.sections.setdefault(doc_id, []).append(markdown)

    def add_banner(self, doc_id: str, markdown: str) -> None:
        self.banners.setdefault(doc_id, []).append(markdown)

    def digest(self, doc: Document) -> bytes:
        """A hash of the document's metadata and blocks (of their pickle: equal ones may pickle
        differently, never the other way round), made once: the caches of the pages drawn from it
        are keyed by it (its page, the comparisons of its versions). For page writers: the archive
        stages, which change both, have run."""
        doc_id = doc.meta["id"]
        if doc_id not in self._digests:
            data = pickle.dumps((doc.meta, doc.blocks), protocol=pickle.HIGHEST_PROTOCOL)
            self._digests[doc_id] = hashlib.sha256(data).digest()
        return self._digests[doc_id]


def source_files(sources_dir: Path) -> list[Path]:
    return sorted(
        p for p in sources_dir.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
    )


def document_path(doc_id: str) -> str:
    """Where a document's page lives under docs/ (its URL is /doc/<id>/)."""
    return f"doc/{doc_id}.md"
