"""Benchmark of validity and versions: the archive stages and the comparison pages as the archive
grows, every document with versions.

    python -m scripts.bench.validity             # 1, 2, 4, 8 editions of each source
    python -m scripts.bench.validity 1 4 16      # other counts

Converts the archive's sources once, then makes an archive where each of them has K editions, a
year apart, each edition rewording one paragraph in five, dropping one and moving another, and
saying in a sentence of its own that it repeals the one before (by 文号): the worst case for
validity.py (a claim per document) and versions.py (a chain per source, a comparison page per
edition). Prints the seconds of reference resolution, of the validity stage, of its panels and
of the comparison pages, and the seconds per document: near-constant when the stages are linear.
Conversion is not timed.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

from ..archive import relations, validity
from ..archive.analyses import analyse
from ..archive.documents import Archive, source_files
from ..core import places
from ..core.model import HEADING, PARAGRAPH, Block, Document
from ..ingest.convert import convert_file
from ..pages import validity_pages

ROOT = Path(__file__).resolve().parents[2]


def edition(doc: Document, k: int) -> Document:
    """The k-th edition of a document: k years later, a paragraph in five reworded, one dropped,
    one moved, and a sentence repealing edition k-1 by its 文号."""
    twin = copy.deepcopy(doc)
    twin.analyses = {}
    meta = twin.meta
    year = int(str(meta.get("date") or "2000-01-01")[:4]) + k
    meta["id"] = f"{meta['id']}-e{k}"
    meta["date"] = f"{year}{str(meta.get('date') or '2000-01-01')[4:]}"
    meta["doc_number"] = f"版次发〔{year}〕{k + 1}号"
    body = [b for b in twin.blocks if b.kind != HEADING]
    for i, block in enumerate(body):
        if i % 5 == 2 and len(block.text) > 4:
            block.text = (
                block.text[: len(block.text) // 2]
                + f"（第{k}版修改）"
                + block.text[len(block.text) // 2 :]
            )
    if len(body) > 6:
        twin.blocks.remove(body[3])
        moved = body[5]
        twin.blocks.remove(moved)
        twin.blocks.append(moved)
    if k:
        twin.blocks.append(
            Block(
                PARAGRAPH,
                f"本办法自印发之日起施行，版次发〔{year - 1}〕{k}号同时废止。",
                anchor=f"e{k}",
            )
        )
    return analyse(twin)


def main(counts: list[int]) -> None:
    seeds = [convert_file(p) for p in source_files(ROOT / "sources")]
    places.gazetteer()
    print(f"{len(seeds)} sources; seconds (and milliseconds per document)")
    for k in counts:
        documents = [edition(doc, e) for doc in seeds for e in range(k)]
        archive = Archive(root=ROOT, documents=sorted(documents, key=lambda d: d.meta["id"]))
        line = [f"{k} edition(s), {len(documents):,} documents:"]
        for name, step in (
            ("link_references", relations.link_references),
            ("resolve_validity", validity.resolve_validity),
            ("add_validity_panels", validity_pages.add_validity_panels),
            ("comparison_pages", validity_pages.comparison_pages),
        ):
            start = time.perf_counter()
            result = step(archive)
            took = time.perf_counter() - start
            pages = f", {len(result)} pages" if isinstance(result, dict) else ""
            line.append(f"{name} {took:.2f} s ({1000 * took / len(documents):.2f} ms){pages}")
        chains = len(
            {tuple(d.meta["versions"]) for d in archive.documents if d.meta.get("versions")}
        )
        line.append(f"{chains} chains")
        print("; ".join(line), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 2, 4, 8])
