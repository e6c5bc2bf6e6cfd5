"""`python -m scripts.bench.import_speed [--n 500]`: how long `import` takes for a crawler's CSV of
N records (the goal: 500 in under a minute on the 2-core project machine). A benchmark, not a test.

It makes the CSV from synthetic documents grown from the seeds in sources/ (scripts/bench/synth.py:
other places, 文号 and dates, so that no record repeats another), as Excel writes one (a BOM, CRLF
rows, quoted cells with line breaks), builds a throwaway copy of the archive's own documents as a
maintainer's checkout has it, then imports the CSV into it and prints the time of each stage."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..ingest.decode import decode_bytes
from ..maintain.import_dump import import_dump
from ..pipeline.build import build
from ..speed.progress import Progress
from . import synth

ROOT = Path(__file__).resolve().parents[2]


def make_csv(path: Path, n: int, work: Path) -> None:
    made = synth.generate(ROOT / "sources", work, n)
    del made
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["序号", "来源", "发布日期", "正文"])
    for index in range(n):
        text_path = work / f"synth-{index:05d}.txt"
        text = decode_bytes(text_path.read_bytes(), text_path)
        published = f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
        writer.writerow([index + 1, f"https://example.org/crawl/{index:05d}.html", published, text])
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def own_documents(dest: Path) -> None:
    """sources/ without the documents of bulk dumps, as the archive was before any import."""
    (dest / "sources").mkdir(parents=True)
    for path in (ROOT / "sources").iterdir():
        if path.is_file():
            sidecar = path.with_suffix(".yml")
            if sidecar.exists() and "\nrecord_sha256: " in "\n" + sidecar.read_text("utf-8"):
                continue
            shutil.copy2(path, dest / "sources" / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=500, help="records in the CSV (default 500)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        tmp = Path(folder)
        dump = tmp / "crawl.csv"
        make_csv(dump, args.n, tmp / "synth")
        project = tmp / "project"
        own_documents(project)
        build(project, quiet=True)  # a checkout whose conversion cache is warm
        size = dump.stat().st_size
        progress = Progress.for_command("bench-import")  # a line per stage, with its time
        start, cpu = time.perf_counter(), time.process_time()
        with progress:
            outcome = import_dump(project, dump, progress=progress, added_on="2025-01-01")
        wall = time.perf_counter() - start
    print(f"import of a CSV of {args.n} records ({size / 1e6:.1f} MB)")
    print(
        f"  added {len(outcome.added)}, duplicates {len(outcome.duplicates)}, bad {len(outcome.bad)}"
    )
    print(
        f"  wall {wall:.1f} s ({len(outcome.added) / wall:.1f} records/s); CPU of this process {time.process_time() - cpu:.1f} s"
    )
    print(f"  stages: {progress.times()}")
    for line in outcome.bad[:3]:
        print(f"  a bad record: {line}")
    print(f"  goal: 500 records in under 60 s: {'meets' if wall < 60 * args.n / 500 else 'misses'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
