"""Benchmark of the archive stages and page writers of places and relations.

    python -m scripts.bench.relations 200     # the seeds copied 200 times: 1,000 documents

Converts the seeds once, copies them under new ids, and prints the seconds each stage and page
writer takes on the whole archive. Conversion itself is not timed here.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

from ..archive.documents import Archive, source_files
from ..core import places
from ..ingest.convert import convert_file
from ..pipeline import build

ROOT = Path(__file__).resolve().parents[2]


def main(copies: int) -> None:
    seeds = [convert_file(p) for p in source_files(ROOT / "sources")]
    places.gazetteer()
    documents = []
    for k in range(copies):
        for doc in seeds:
            twin = copy.deepcopy(doc)
            twin.meta["id"] = f"{doc.meta['id']}-{k}"
            documents.append(twin)
    archive = Archive(root=ROOT, documents=documents)
    print(f"{len(documents)} documents, {sum(len(d.body_text()) for d in documents):,} characters")
    for step in (*build.ARCHIVE_STAGES, *build.PAGE_WRITERS):
        start = time.perf_counter()
        result = step(archive)
        pages = f", {len(result)} files" if isinstance(result, dict) else ""
        print(
            f"{step.__module__.split('.')[-1]}.{step.__name__}: {time.perf_counter() - start:.2f} s{pages}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
