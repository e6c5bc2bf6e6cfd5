"""`python -m scripts.maintain.import_dumps FOLDER`: the six real bulk dumps of the archive's
reference material (a folder whose SOURCES.md says where each comes from) imported with `python
-m scripts import`, each with the scope rule that keeps its policy documents (README.md → Scope).
Re-runnable: a record already in the archive is skipped as a duplicate."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# dump → (--where rules, the site its records were scraped from): what is left out and why is in
# README.md → Scope. The Beijing array goes before the bulk file that repeats 20 of its records.
BEIJING = [
    # graphics, news read-outs and procurement schedules are no policy documents
    "title!~一图读懂|速读|采购意向",
    # a stub whose text is only in its attachment (点击下方查看附件), or no text at all
    r"article~[\s\S]{300}",
]
DUMPS: dict[str, tuple[list[str], str]] = {
    "sichuan-guangan-shizhengfu-wenjian.json": ([], "广安市人民政府网"),
    "beijing-zyj-zhongyiyao-wenjian.json": (BEIJING, "北京市中医管理局网站"),
    "beijing-zyj-zhongyiyao-esbulk.json": (BEIJING, "北京市中医管理局网站"),
    "multi-lawdb-zhengce-wenjian.xlsx": ([], ""),
    # news items and Q&A pages of the gov.cn policy library are typed otherfile
    "national-govcn-zhengceku-yiqing.xlsx": (["类型!=otherfile"], "中国政府网"),
    # the PKULaw tables hold news of ministries' meetings beside their documents
    "shandong-and-national-pkulaw-zhengce.xlsx": (["doc_type!=报道"], ""),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.maintain.import_dumps", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", type=Path, help="the folder that holds the six dumps")
    folder = parser.parse_args(argv).folder
    failed = 0
    for name, (rules, site) in DUMPS.items():
        args = [sys.executable, "-m", "scripts", "import", str(folder / name), "--quiet"]
        for rule in rules:
            args += ["--where", rule]
        if site:
            args += ["--site", site]
        print(f"$ python -m scripts import {name} " + " ".join(f"--where '{r}'" for r in rules))
        result = subprocess.run(args, cwd=ROOT)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
