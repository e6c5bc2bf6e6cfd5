"""`python -m scripts bench-convert` runs and prints its figures (the figures themselves are read by
people from its output, not asserted: a timed test would flake on a shared machine)."""

from __future__ import annotations

from scripts.archive.documents import source_files
from scripts.bench.convert import bench_convert, main

from .conftest import ROOT, SOURCES


def test_the_benchmark_converts_every_source_and_a_synthetic_corpus():
    sources, synthetic = bench_convert(ROOT, synthetic_mb=0.3)
    count = len(source_files(SOURCES))
    assert sources.documents % count == 0 and sources.documents >= count  # whole passes
    passes = sources.documents // count
    assert round(sources.megabytes * 1e6) == passes * sum(
        p.stat().st_size for p in source_files(SOURCES)
    )
    assert synthetic.megabytes >= 0.3 and synthetic.cpu > 0


def test_the_benchmark_prints_a_line_per_corpus_and_the_goal(capsys):
    main(ROOT, synthetic_mb=0.3)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("sources/ (all files)") and "MB/s per core (CPU)" in out[0]
    assert out[1].startswith("synthetic (~0.3 MB)")
    assert all(("goal met" in line) != ("BELOW the goal" in line) for line in out[:2])
    assert out[2].startswith("CPU share per stage (synthetic): decode")
