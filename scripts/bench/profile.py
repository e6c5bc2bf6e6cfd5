"""Where a site build spends its time: cProfile of one build, summarised by what MkDocs is doing.

The shares overlap where one phase calls another (a hook runs inside reading a page); each says
how much of the whole build sits under that phase.
"""

from __future__ import annotations

import pstats
import subprocess
from pathlib import Path

# (label, file fragment, function name): cumulative time under these functions
PHASES = [
    ("MkDocs build, all of it", "mkdocs/commands/build.py", "build"),
    ("reading pages: Markdown → HTML", "mkdocs/commands/build.py", "_populate_page"),
    ("  Python-Markdown convert", "markdown/core.py", "convert"),
    ("writing pages: theme templates", "mkdocs/commands/build.py", "_build_page"),
    ("  Jinja2 template render", "jinja2/environment.py", "render"),
    ("  Jinja2 template compile", "jinja2/environment.py", "compile"),
    ("search plugin, per page", "material/plugins/search/plugin.py", "on_page_context"),
    ("  jieba word segmentation", "jieba/__init__.py", "cut"),
    ("search plugin, writing the index", "material/plugins/search/plugin.py", "on_post_build"),
    ("our hooks (overrides/hooks/)", "overrides/hooks/", None),
    ("navigation", "mkdocs/structure/nav.py", "get_navigation"),
    ("file discovery", "mkdocs/structure/files.py", "get_files"),
    ("writing files to disk", "mkdocs/utils/__init__.py", "write_file"),
    ("search index (scripts/site/search_index.py)", "scripts/site/build.py", "index_search"),
]


def profile(cmd: list[str], cwd: Path, out: Path, env: dict) -> list[str]:
    """Run `python -m cProfile -o out <module args>`; return the summary lines."""
    python, dash_m, *rest = cmd
    assert dash_m == "-m", cmd
    env = dict(
        env, ARCHIVE_SITE_NO_FORK="1"
    )  # MkDocs in the profiled process, not in a forked child
    subprocess.run(
        [python, "-m", "cProfile", "-o", str(out), "-m", *rest],
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return summarise(out)


def summarise(path: Path) -> list[str]:
    # (file, line, func) → (cc, nc, tt, ct, callers): pstats' own table, which typeshed omits
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _), (_, _, _, ct, _) in stats.items())
    lines = []
    build = None
    for label, fragment, func in PHASES:
        seconds = _cumulative(stats, fragment, func)
        if label.startswith("MkDocs build"):
            build = seconds
        if seconds <= 0:
            continue
        share = f"{seconds / build:.0%}" if build else ""
        lines.append(f"    {label:40}{seconds:8.1f} s {share:>6}")
    lines.append(f"    {'(whole process, profiled)':40}{total:8.1f} s")
    return lines


def _cumulative(stats: dict, fragment: str, func: str | None) -> float:
    """Cumulative time of the matching functions, not counting a match called from a match."""
    matches = {key for key in stats if fragment in key[0] and (func is None or key[2] == func)}
    seconds = 0.0
    for key in matches:
        _, _, _, cumulative, callers = stats[key]
        # time reached from another match is already inside that match's cumulative time
        inner = sum(
            caller_stats[3] for caller, caller_stats in callers.items() if caller in matches
        )
        seconds += cumulative - inner
    return seconds
