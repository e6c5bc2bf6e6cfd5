"""Add the documents of a corpus folder (real documents with a SOURCES.md that says where each
came from) to sources/, each with `python -m scripts add`.

    python -m scripts.maintain.add_corpus CORPUS [--dry-run]

Where each document came from is read from the corpus's SOURCES.md (its tables name, for every
file, the public repository, commit and path it was copied from, byte for byte): the sidecar's
`url` is that file on GitHub at that commit, its `site` the site the repository had scraped, its
`note` the whole provenance line. Re-running it adds only what sources/ does not hold yet (a file
whose bytes are there already is skipped), so it can be run again after the corpus grows.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

from ..core.paths import leading_out, leads_out

ROOT = Path(__file__).resolve().parent.parent.parent
RETRIEVED = "2026-11-30"  # the day the corpus was copied from the repositories named in SOURCES.md

# The site each repository had scraped (SOURCES.md, "Repositories").
SITES = {
    "ZhouYNF/platform-1": "中国政府网 www.gov.cn",
    "chairmenfrog/Policy_crawler": "江西省人民政府网 www.jiangxi.gov.cn",
    "mengke25/policy_text_frenq": "北大法宝 pkulaw.com",
    "mengke25/policy_text_analyse": "北大法宝 pkulaw.com",
}
RECORD_SITES = {
    "ZJProvince": "浙江政务服务网 政策检索",
    "GXProvince": "广西壮族自治区人民政府门户网站 政策检索",
    "MGProvince": "内蒙古自治区人民政府门户网站 政策检索",
}
# "Ternali/PolicySpider @ e4732b34d1a9 : `ZJProvince/ZJProvince/success.json` — byte range …"
PROVENANCE = re.compile(
    r"(?P<repo>[\w.-]+/[\w.-]+) @ (?P<commit>[0-9a-f]{7,40})\s*:\s*`(?P<path>[^`]+)`(?P<rest>.*)"
)
# the further documents: repository and commit stated above their table
RELEASED = {
    "guowuyuan": ("ZhouYNF/platform-1", "8b438cf73f25", "db/ge_policy_raw-20190217.sql"),
    "jiangxi": ("chairmenfrog/Policy_crawler", "c207101ae1af", "data/JX_text/"),
}


def provenance(sources_md: str) -> dict[str, dict]:
    """file name → url, site, note, from the rows of SOURCES.md's tables."""
    out = {}
    for row in sources_md.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`")
        m = PROVENANCE.search(cells[-1])
        if m:
            repo, commit, path = m["repo"], m["commit"], m["path"]
            site = SITES.get(repo) or RECORD_SITES.get(path.split("/")[0], repo)
            note = f"{repo}@{commit}:{path}{m['rest']}".strip()
        else:  # a released-* row: "SQL row id=1" or "art_4975_1503934.txt"
            repo, commit, folder = RELEASED["guowuyuan" if "guowuyuan" in name else "jiangxi"]
            path = folder if folder.endswith(".sql") else folder + cells[-1].strip("`")
            site = SITES[repo]
            note = (
                f"{repo}@{commit}:{path} ({cells[-1].strip('`')}; SOURCES.md names the repository and "
                f"the path of these further documents, the commit is the one its other files of that path come from)"
            )
        out[name] = {
            "url": f"https://github.com/{repo}/blob/{commit}/{path}",
            "site": site,
            "note": f"corpus/{name}, copied byte for byte from {note}; see its SOURCES.md ({cells[1]})",
        }
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.maintain.add_corpus", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "corpus", type=Path, help="the folder of documents and their SOURCES.md (tests/data/corpus)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be added, add nothing"
    )
    args = parser.parse_args(argv)
    rows = provenance((args.corpus / "SOURCES.md").read_text(encoding="utf-8"))
    held = {
        digest(p): p for p in (ROOT / "sources").iterdir() if p.is_file() and p.suffix != ".yml"
    }
    failures = 0
    for path in sorted(p for p in args.corpus.iterdir() if p.is_file() and p.name != "SOURCES.md"):
        if leads_out(path, args.corpus):  # `add` refuses it too: said here, before anything is read
            print(leading_out(path, args.corpus))
            failures += 1
            continue
        row = rows.get(path.name)
        if (kept := held.get(digest(path))) is not None:
            print(f"{path.name}: its bytes are in sources/ already, as {kept.name} (skipped)")
            if row and not args.dry_run and f"corpus/{path.name}," not in _note(kept):
                note_other_copy(
                    kept, path.name, row["note"]
                )  # the corpus lists the same file twice
            continue
        if row is None:
            print(
                f"{path.name}: not in SOURCES.md, so its origin is unknown (skipped): add a row for it first"
            )
            failures += 1
            continue
        command = [
            sys.executable,
            "-m",
            "scripts",
            "add",
            str(path),
            "--url",
            row["url"],
            "--site",
            row["site"],
            "--retrieved",
            RETRIEVED,
            "--note",
            row["note"],
        ] + (["--dry-run"] if args.dry_run else [])
        print(f"{path.name}:", flush=True)
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        print(run.stdout, end="")
        copy_of = re.search(r"is already in the archive as (sources/\S+)", run.stderr)
        if run.returncode != 0 and copy_of:
            # another copy of a document sources/ holds (same text, 文号, or title and date): its origin
            # goes into that document's sidecar note, so that both copies stay accounted for
            print(f"  another copy of {copy_of[1]}: recorded in its sidecar's note, not added")
            if not args.dry_run:
                note_other_copy(ROOT / copy_of[1], path.name, row["note"])
        elif run.returncode != 0:
            print(run.stderr, end="")
            failures += 1
        else:
            added = next(
                p for p in (ROOT / "sources").iterdir() if p.is_file() and digest(p) == digest(path)
            )
            held[digest(path)] = added
    return 1 if failures else 0


def _note(source: Path) -> str:
    from ..ingest.sidecar import load_sidecar

    return load_sidecar(source).get("note", "")


def note_other_copy(source: Path, name: str, note: str) -> None:
    from ..ingest.sidecar import dump_sidecar, load_sidecar, sidecar_path

    sidecar = load_sidecar(source)
    extra = f"Another copy, not added: {note}"
    if extra not in sidecar.get("note", ""):
        sidecar["note"] = f"{sidecar.get('note', '')}\n{extra}".strip()
        sidecar_path(source).write_text(dump_sidecar(sidecar), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
