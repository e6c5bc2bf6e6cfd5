"""`python -m scripts.bench.lighthouse [SITE] [--page URL] [--runs 3]`: Lighthouse's mobile
performance and accessibility scores of a page of a built site (by default the longest document
page), the median of a few runs, with what its first screen waits for. A benchmark, not a test.

Lighthouse is pinned in tests/lighthouse/package.json (npm ci, from the npm registry) and drives
Debian's chromium (CHROME_PATH=/usr/bin/chromium), never a downloaded browser. The site is served
as a host serves it: gzip for text (GitHub Pages, any CDN), so that the simulated slow 4G of
Lighthouse's phone weighs what a reader would download.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .browser import QuietHandler, QuietServer

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE_DIR = ROOT / "tests" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
GOALS = {"performance": 90, "accessibility": 100}  # issue 28: the longest document on a phone
ZIPPED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


class _GzipHost(QuietHandler):
    """Static files, text gzipped when the browser accepts it, as a host serves them."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's own address
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in ZIPPED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[QuietServer, str]:
    server = QuietServer(("127.0.0.1", 0), partial(_GzipHost, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def longest_document(site: Path) -> str:
    """The URL path of the document page with the most HTML."""
    pages = (site / "doc").glob("*/index.html")
    page = max(pages, key=lambda p: (p.stat().st_size, p.as_posix()))
    return f"/doc/{page.parent.name}/"


@dataclass
class Run:
    performance: float
    accessibility: float
    metrics: dict[str, float]  # ms (CLS: a score)
    waits_for: list[tuple[str, int]] = field(default_factory=list)  # render-blocking, bytes
    biggest: list[tuple[str, int]] = field(default_factory=list)  # transfer sizes


def run_once(url: str, work: Path) -> Run:
    out = work / "report.json"
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=performance,accessibility",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        check=True,
        env=dict(os.environ, CHROME_PATH=CHROMIUM),
        capture_output=True,
        timeout=600,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    return Run(
        performance=report["categories"]["performance"]["score"] * 100,
        accessibility=report["categories"]["accessibility"]["score"] * 100,
        metrics={m: audits[m]["numericValue"] for m in METRICS if m in audits},
        waits_for=[(item["url"], int(item.get("totalBytes", 0))) for item in blocking],
        biggest=sorted(
            ((r["url"], int(r.get("transferSize", 0))) for r in requests),
            key=lambda item: -item[1],
        )[:6],
    )


def measure(site: Path, page: str | None = None, runs: int = 3) -> tuple[str, list[Run]]:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(LIGHTHOUSE_DIR), "--ignore-scripts", "--no-audit"],
            check=True,
            env=dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1"),
        )
    page = page or longest_document(site)
    server, base = serve(site)
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        return page, [run_once(base + page, work) for _ in range(runs)]
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


def report(page: str, site: Path, runs: list[Run]) -> list[str]:
    size = (site / page.strip("/") / "index.html").stat().st_size
    perf = statistics.median(r.performance for r in runs)
    access = statistics.median(r.accessibility for r in runs)
    lines = [
        (
            f"Lighthouse {lighthouse_version()} mobile on Debian's chromium, {page} "
            f"({size / 1e3:,.0f} KB of HTML), {len(runs)} runs:"
        ),
        (
            f"  performance {', '.join(f'{r.performance:.0f}' for r in runs)} "
            f"(median {perf:.0f}); accessibility "
            f"{', '.join(f'{r.accessibility:.0f}' for r in runs)} (median {access:.0f})"
        ),
    ]
    for metric in METRICS:
        values = [r.metrics[metric] for r in runs if metric in r.metrics]
        if values:
            value = statistics.median(values)
            shown = f"{value:.3f}" if metric == "cumulative-layout-shift" else f"{value:,.0f} ms"
            lines.append(f"  {metric}: {shown} (median)")
    middle = sorted(runs, key=lambda r: r.performance)[len(runs) // 2]
    waits = ", ".join(f"{_short(u)} {b / 1e3:,.0f} KB" for u, b in middle.waits_for) or "nothing"
    lines.append(f"  the first screen waits for: {waits}")
    lines.append(
        "  largest downloads: "
        + ", ".join(f"{_short(u)} {b / 1e3:,.0f} KB" for u, b in middle.biggest)
    )
    lines.append(
        f"  goals (issue 28): performance {perf:.0f} (goal ≥ {GOALS['performance']}): "
        f"{'meets' if perf >= GOALS['performance'] else 'MISSES'}; accessibility {access:.0f} "
        f"(goal {GOALS['accessibility']}): "
        f"{'meets' if access >= GOALS['accessibility'] else 'MISSES'}"
    )
    return lines


def _short(url: str) -> str:
    return "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else url


def lighthouse_version() -> str:
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.lighthouse")
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--page", help="a URL path, e.g. /doc/<id>/ (default: the longest)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    page, runs = measure(args.site, args.page, args.runs)
    print("\n".join(report(page, args.site, runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
