"""`python -m scripts.bench.hostile`: seconds for `add` of one very large or pathological source.

A benchmark, not a test: it prints figures. For each size (1, 2, 4, 8 MB by default) it runs the
real command, `python -m scripts add FILE`, in a throwaway copy of the repository (sources/,
published/, mkdocs.yml and the hand-written pages), one process per run, so the figure includes
everything a maintainer waits for: conversion, the archive stages, every page written.

The inputs are generated, deterministically:

- `text`: the lines of a real source of sources/ (a plan with numbered sections and targets),
  its body repeated until the size is reached;
- `one-line`: the same text on a single line (a scrape that lost its line ends);
- `flat-html`: a saved page whose body is one <p> after another;
- `nested-div`: the 550 KB page of 50,000 nested <div>s of issue #17 (one size only), and a
  page of the same size nested 250 deep (just under the limit, html_source.MAX_DEPTH);
- `49mb`: the text at 49 MB, just under the 50 MB limit of a source file.

Time should grow in proportion to the size (double the size, double the time), above the fixed
cost of a run (about 8 s: Python, the dictionaries, the rest of the archive); a source past a
budget of ingest/ (convert.MAX_CHARS, MAX_LINE_CHARS; html_source.MAX_DEPTH, MAX_PAGE_CHARS)
must be refused at once, with a one-line message naming the file.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sources" / "2024-hengnan-bada-xingdong-zongti-fangan.txt"
COPIED = ("mkdocs.yml", "sources", "overrides", "published")


def text_of_size(megabytes: float) -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    out, size, target = list(lines), 0, int(megabytes * 1e6)
    size = sum(len(line.encode()) + 1 for line in lines)
    body = lines[5:]  # the title and the 文号 once; the numbered sections again and again
    body_size = sum(len(line.encode()) + 1 for line in body)
    while size < target:
        out += body
        size += body_size
    return "\n".join(out)


def one_line_of_size(megabytes: float) -> str:
    lines = text_of_size(megabytes).split("\n")
    return "\n".join(lines[:5]) + "\n" + "".join(lines[5:])


def flat_html_of_size(megabytes: float) -> str:
    lines = [line for line in text_of_size(megabytes).split("\n") if line.strip()]
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    return f'<html><head><meta charset="utf-8"></head><body><div class="article">{body}</div></body></html>'


def nested_divs(count: int, depth: int) -> str:
    """`count` divs, nested `depth` deep, one character of text in each (50,000 × 11 bytes = 550 KB)."""
    title = "<p>某县人民政府关于印发《某县县域经济发展实施方案》的通知</p>"
    chains, rest = divmod(count, depth)
    parts = [("<div>字" * depth) + ("</div>" * depth) for _ in range(chains)]
    parts.append(("<div>字" * rest) + ("</div>" * rest))
    return f'<html><head><meta charset="utf-8"></head><body>{title}{"".join(parts)}</body></html>'


def copy_repository(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    generated = set((ROOT / "docs" / ".generated").read_text(encoding="utf-8").split())
    for path in (ROOT / "docs").rglob("*"):
        rel = path.relative_to(ROOT / "docs").as_posix()
        if path.is_file() and rel not in generated and rel != ".generated":
            (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / "docs" / rel)
    subprocess.run(
        [sys.executable, "-m", "scripts", "build", "--root", str(dest)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return dest


def time_add(kind: str, content: str, suffix: str, timeout: float) -> str:
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        root = copy_repository(Path(tmp) / "repo")
        raw = Path(tmp) / f"big{suffix}"
        raw.write_text(content, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "scripts",
            "add",
            str(raw),
            "--root",
            str(root),
            "--date",
            "2024-04-17",
            "--doc-number",
            "试政发〔2099〕99号",
            "--id",
            "2099-bench-hostile",
            "--url",
            "https://www.example.gov.cn/big.html",
            "--retrieved",
            "2025-01-20",
        ]
        start, cpu_start = time.perf_counter(), _children_cpu()
        try:
            result = subprocess.run(
                command,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=dict(os.environ, PYTHONHASHSEED="0"),
            )
        except subprocess.TimeoutExpired:
            return (
                f"{kind:<12} {len(content.encode()) / 1e6:>6.2f} MB  over {timeout:.0f} s (stopped)"
            )
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
        if result.returncode == 0:
            outcome = "added"
        else:
            lines = result.stderr.strip().splitlines() or ["(no message)"]
            outcome = f"refused ({len(lines)} line{'s' * (len(lines) > 1)}): {lines[-1][:140]}"
        return f"{kind:<12} {len(content.encode()) / 1e6:>6.2f} MB  {seconds:>6.1f} s  {cpu:>6.1f} s CPU  {outcome}"


def _children_cpu() -> float:
    """CPU seconds of the finished child processes: the machine is shared, wall time varies more."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1,2,4,8", help="megabytes, comma-separated (default 1,2,4,8)"
    )
    parser.add_argument(
        "--kinds",
        default="text,one-line,flat-html,nested-div,49mb",
        help="which inputs (default: all)",
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="stop a run after this many seconds"
    )
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    makers = {
        "text": (text_of_size, ".txt"),
        "one-line": (one_line_of_size, ".txt"),
        "flat-html": (flat_html_of_size, ".html"),
    }
    print(
        "python -m scripts add, one process per run: seconds of wall time, and of CPU (the machine is shared)"
    )
    for kind in kinds:
        if kind == "49mb":  # the largest text under the 50 MB limit of one source
            print(time_add("text", text_of_size(49), ".txt", args.timeout), flush=True)
            continue
        if kind == "nested-div":
            print(
                time_add("nested-div", nested_divs(50_000, 50_000), ".html", args.timeout),
                flush=True,
            )
            print(time_add("250 deep", nested_divs(50_000, 250), ".html", args.timeout), flush=True)
            continue
        make, suffix = makers[kind]
        for size in sizes:
            print(time_add(kind, make(size), suffix, args.timeout), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
