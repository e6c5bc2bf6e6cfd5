"""`python -m scripts COMMAND`: the archive's command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import SourceError

ROOT = Path(__file__).resolve().parent.parent


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts", description="县域经济政策文库 pipeline")
    sub = parser.add_subparsers(dest="command", required=True)

    convert = sub.add_parser("convert", help="one raw source file → Markdown with front matter on stdout")
    convert.add_argument("file", type=Path)
    convert.add_argument("--report", action="store_true", help="also print what the cleaning removed, to stderr")
    convert.add_argument("--json", action="store_true", help="print the intermediate document tree as JSON")

    build = sub.add_parser("build", help="every source in sources/ → docs/")
    build.add_argument("--root", type=Path, default=ROOT, help="the repository to build (default: this one)")
    return parser


def cmd_convert(args: argparse.Namespace) -> int:
    from .convert import convert_file
    from .render import render

    doc = convert_file(args.file)
    if args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        sys.stdout.write(render(doc))
    if args.report:
        for removal in doc.removed:
            print(f"{args.file}:{removal.line}: removed [{removal.rule}] {removal.text}", file=sys.stderr)
    for warning in doc.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build

    try:
        build(args.root)
    except BuildError as err:
        for line in err.errors:
            print(line, file=sys.stderr)
        print(f"build stopped: {len(err.errors)} problem(s); docs/ was not changed", file=sys.stderr)
        return 1
    return 0


COMMANDS = {"convert": cmd_convert, "build": cmd_build}


def main(argv: list[str] | None = None) -> int:
    args = get_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
