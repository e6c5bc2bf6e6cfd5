"""`python -m scripts bench-convert`: conversion throughput, in MB of source per second per core.

Measures the whole conversion of one source, bytes → page Markdown (decode, clean, structure,
anchors, metadata, render), in one process, so the figure is per core. CPU time is used as well
as wall time, because the machine is shared. Two corpora:

- every file in sources/ (repeated until at least a second of work has been timed);
- a synthetic corpus of about 20 MB: documents assembled, deterministically, from the lines of
  sources/ with the mess of real scrapes added (clutter lines, page-break cuts, half-width
  punctuation, stray spaces), so that every rule has work to do.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from ..archive.documents import source_files
from ..ingest.convert import convert_bytes as convert_document
from ..ingest.decode import decode_bytes
from ..pages.render import render

CLUTTER = [
    "0 收藏 打印 增大字體 減小字體",
    "扫一扫在手机打开当前页",
    "编辑：李明",
    "分享",
    "首页",
    "2024年03月05日 来源:某县人民政府网",
    "附件下载:",
    "【打印本页】【关闭窗口】",
]


@dataclass
class Result:
    name: str
    documents: int
    megabytes: float
    wall: float
    cpu: float

    def line(self) -> str:
        per_core = self.megabytes / self.cpu
        verdict = "goal met" if per_core >= GOAL_MB_PER_CORE else "BELOW the goal"
        return (
            f"{self.name:<28} {self.documents:>6} docs {self.megabytes:>8.2f} MB   "
            f"{self.megabytes / self.wall:>6.2f} MB/s wall   {per_core:>6.2f} MB/s per core (CPU)   "
            f"{verdict} ({GOAL_MB_PER_CORE:g})"
        )


GOAL_MB_PER_CORE = 5.0  # issue #14: cleaning stays at 5 MB/s per core or more


def convert_bytes(data: bytes, path: Path) -> str:
    return render(convert_document(data, path))


def measure(name: str, corpus: list[tuple[Path, bytes]], min_seconds: float = 1.0) -> Result:
    for path, data in {path.suffix: (path, data) for path, data in corpus}.values():
        convert_bytes(
            data, path
        )  # warm up, once per kind of source: dictionaries, gazetteer, regexes, parsers
    documents, size, wall, cpu = 0, 0, 0.0, 0.0
    while True:  # at least once, and until `min_seconds` of work has been timed
        w0, c0 = time.perf_counter(), time.process_time()
        for path, data in corpus:
            convert_bytes(data, path)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        documents += len(corpus)
        size += sum(len(data) for _, data in corpus)
        if wall >= min_seconds:
            break
    return Result(name, documents, size / 1e6, wall, cpu)


def synthetic_corpus(
    sources: list[Path], megabytes: float, seed: int = 0
) -> list[tuple[Path, bytes]]:
    """Documents of ~60 KB each, deterministic for a given seed."""
    rng = random.Random(seed)
    lines = [
        line.strip()
        for p in sources
        for line in decode_bytes(p.read_bytes(), p).split("\n")
        if line.strip()
    ]
    heads = [p for p in sources]
    corpus: list[tuple[Path, bytes]] = []
    total, target = 0, int(megabytes * 1e6)
    while total < target:
        head = decode_bytes(heads[rng.randrange(len(heads))].read_bytes(), heads[0]).split("\n")[
            :12
        ]
        body: list[str] = list(head)
        size = 0
        while size < 60_000:
            line = lines[rng.randrange(len(lines))]
            roll = rng.random()
            if roll < 0.05:
                body.append(rng.choice(CLUTTER))
            elif roll < 0.15 and len(line) > 20:  # a page break cuts the paragraph in two
                cut = rng.randrange(5, len(line) - 5)
                body += [line[:cut], "", line[cut:]]
            elif roll < 0.25:
                body.append(
                    line.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")
                )
            elif roll < 0.30:
                body.append(" ".join(line[i : i + 7] for i in range(0, len(line), 7)))
            else:
                body.append(line)
            body.append("")
            size += len(line) * 3
        data = "\n".join(body).encode("utf-8")
        corpus.append((Path(f"synthetic-{len(corpus):04d}.txt"), data))
        total += len(data)
    return corpus


def stage_times(corpus: list[tuple[Path, bytes]]) -> dict[str, float]:
    """CPU seconds per stage of `convert.convert_text` (the same calls, timed one by one)."""
    from ..core.model import Document
    from ..ingest.anchors import assign_anchors
    from ..ingest.clean import clean_lines
    from ..ingest.convert import split_lines
    from ..ingest.metadata import finalise
    from ..ingest.structure import build_blocks

    times = dict.fromkeys(("decode", "clean", "structure", "anchors", "metadata", "render"), 0.0)

    def timed(stage, call, *args):
        start = time.process_time()
        result = call(*args)
        times[stage] += time.process_time() - start
        return result

    for path, data in corpus:
        text = timed("decode", decode_bytes, data, path)
        meta: dict = {}
        lines, removed = timed("clean", clean_lines, split_lines(text), meta)
        blocks = timed("structure", build_blocks, lines, meta)
        timed("anchors", assign_anchors, blocks)
        doc = Document(source=path, blocks=blocks, removed=removed)
        doc.meta = timed("metadata", finalise, meta, text, {}, doc.warnings)
        timed("render", render, doc)
    return times


def bench_convert(root: Path, synthetic_mb: float = 20.0) -> list[Result]:
    sources = [p for p in source_files(root / "sources") if p.suffix == ".txt"]
    seeds = [(p, p.read_bytes()) for p in source_files(root / "sources")]
    results = [measure("sources/ (all files)", seeds)]
    results.append(
        measure(
            f"synthetic (~{synthetic_mb:g} MB)",
            synthetic_corpus(sources, synthetic_mb),
            min_seconds=0,
        )
    )
    return results


def main(root: Path, synthetic_mb: float) -> int:
    for result in bench_convert(root, synthetic_mb):
        print(result.line())
    corpus = synthetic_corpus(
        [p for p in source_files(root / "sources") if p.suffix == ".txt"], min(synthetic_mb, 5)
    )
    times = stage_times(corpus)
    total = sum(times.values())
    print(
        "CPU share per stage (synthetic): "
        + ", ".join(f"{k} {v / total:.0%}" for k, v in times.items())
    )
    return 0
