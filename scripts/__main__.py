"""`python -m scripts COMMAND`: the archive's command line."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from pathlib import Path

from .core.errors import SourceError
from .core.files import JOURNAL, JOURNAL_DIR
from .ingest.sidecar import OVERRIDES

ROOT = Path(__file__).resolve().parent.parent


QUIET_HELP = (
    "no progress and no summary: only warnings, errors and the one closing line "
    "(without it: live bars in a terminal, else one line per stage with its time)"
)


def get_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts", description="县域经济政策文库 pipeline"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    convert = sub.add_parser(
        "convert", help="one raw source file → Markdown with front matter on stdout"
    )
    convert.add_argument("file", type=Path)
    convert.add_argument(
        "--report", action="store_true", help="also print what the cleaning removed, to stderr"
    )
    convert.add_argument(
        "--json", action="store_true", help="print the intermediate document tree as JSON"
    )

    build = sub.add_parser("build", help="every source in sources/ → docs/")
    build.add_argument(
        "--root", type=Path, default=ROOT, help="the repository to build (default: this one)"
    )
    build.add_argument(
        "--no-cache", action="store_true", help="convert every source again (ignore .cache/)"
    )
    build.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    site = sub.add_parser(
        "site", help="docs/ → site/ with MkDocs, only the changed pages when that is safe"
    )
    site.add_argument(
        "--root", type=Path, default=ROOT, help="the repository to build (default: this one)"
    )
    site.add_argument("--full", action="store_true", help="rebuild every page")
    site.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    add = sub.add_parser(
        "add",
        help="add a raw file to sources/ with its sidecar, and rebuild docs/",
        description="Copy a raw scraped file into sources/ under a readable name with its "
        "sidecar, rebuild docs/, and say what was found and what to add by hand. "
        "A FILE.yml beside the raw file, if any, is read as its sidecar; flags win over it.",
    )
    add.add_argument("file", type=Path)
    add.add_argument("--url", help="where it was scraped from")
    add.add_argument("--site", help="the name of the site it was scraped from")
    add.add_argument("--retrieved", help="when it was scraped (YYYY-MM-DD)")
    add.add_argument(
        "--id", dest="doc_id", help="the document id (default: derived from year, place and title)"
    )
    add.add_argument("--note", help="a note for later maintainers, kept in the sidecar")
    fields = add.add_argument_group("field overrides", "what the text gets wrong or does not say")
    for key, spec in OVERRIDES.items():
        fields.add_argument(
            f"--{key.replace('_', '-')}",
            dest=f"override_{key}",
            metavar=key.upper(),
            help=f"{spec.meaning} (e.g. {spec.example})",
        )
    fields.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any field override, as KEY=VALUE (repeatable)",
    )
    add.add_argument(
        "--dry-run", action="store_true", help="only say what would be added; write nothing"
    )
    add.add_argument(
        "--quiet",
        action="store_true",
        help="no progress and no summary on stderr (what was added is still said on stdout)",
    )
    add.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)

    dump = sub.add_parser(
        "import",
        help="add every in-scope record of a bulk export (CSV/TSV, JSON, JSON Lines, .xlsx, a "
        "folder of saved pages) to sources/, and rebuild docs/",
        description="Read a crawler's or dataset's export of many documents, convert each record "
        "as a single source is converted (its fields are hints; the text's own header wins), skip "
        "duplicates and records out of scope, and add the rest as one change: the dump kept byte "
        "for byte in sources/dumps/, each record's bytes as a source with a sidecar naming the dump, "
        "the record and its SHA-256.",
    )
    dump.add_argument("dump", type=Path, metavar="DUMP")
    dump.add_argument(
        "--columns",
        action="append",
        default=[],
        metavar="ROLE=COLUMN,…",
        help="the column of each field where the names do not tell: title, doc_number, issuer, "
        "date, body, url, site ('-' for none); e.g. --columns title=标题,body=正文",
    )
    dump.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="RULE",
        help="the archive's scope: only records where NAME=VALUE, NAME!=VALUE, NAME~REGEX or "
        "NAME!~REGEX holds (NAME a column of the dump or a document field: title, doc_type, "
        "level, region, issuer, year …); repeatable, all must hold",
    )
    dump.add_argument("--site", help="the name of the site the records were scraped from")
    dump.add_argument("--retrieved", help="when they were scraped (YYYY-MM-DD)")
    dump.add_argument(
        "--strict", action="store_true", help="refuse the whole dump when one record is bad"
    )
    dump.add_argument(
        "--dry-run",
        action="store_true",
        help="print the column mapping and the first records as they would be added; write nothing",
    )
    dump.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    dump.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)

    bench = sub.add_parser(
        "bench-convert",
        help="print conversion throughput (MB/s per core) for sources/ and a synthetic corpus",
    )
    bench.add_argument(
        "--synthetic-mb", type=float, default=20.0, help="size of the synthetic corpus (default 20)"
    )
    bench.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)

    targets = sub.add_parser(
        "targets",
        help="print the quantified targets and past results read from sources, and how fast",
    )
    targets.add_argument(
        "files", nargs="*", type=Path, help="source files (default: every file in sources/)"
    )
    targets.add_argument("--json", action="store_true", help="print the figures as JSON")

    check = sub.add_parser(
        "check",
        help="everything CI checks: sidecars, duplicates, docs/ up to date, "
        "published anchors, the site and its links",
    )
    check.add_argument(
        "--no-site",
        dest="site",
        action="store_false",
        help="skip the MkDocs build and the link check (quick)",
    )
    check.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)

    review = sub.add_parser(
        "review", help="what this branch changes against BASE, as Markdown for a review comment"
    )
    review.add_argument("base", metavar="BASE", help="a git revision, e.g. origin/main")
    review.add_argument(
        "--strict",
        action="store_true",
        help="exit non-zero when a raw source that BASE has was edited (CI runs this)",
    )
    review.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)

    published = sub.add_parser(
        "published", help="record the published URLs and anchors, or check a built site keeps them"
    )
    published.add_argument("action", choices=("record", "check"))
    published.add_argument(
        "--site", type=Path, default=ROOT / "site", help="the built site to check (default: site/)"
    )
    published.add_argument(
        "--reset",
        action="store_true",
        help="record: start the record over (before the first publication only)",
    )
    published.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="URL#ANCHOR",
        help="record: the words at this anchor were corrected on purpose; keep their new fingerprint",
    )
    published.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    return parser


def cmd_add(args: argparse.Namespace) -> int:
    from .maintain.add import add, parse_overrides
    from .pipeline.build import BuildError
    from .speed.progress import Progress

    overrides = parse_overrides(args.overrides, args.file)
    overrides.update(
        {
            key: getattr(args, f"override_{key}")
            for key in OVERRIDES
            if getattr(args, f"override_{key}") is not None
        }
    )

    def landed(target: Path) -> None:
        args.landed = target  # from this moment the file is added, whatever stops the command

    try:
        # its plain lines wait for the end: a refusal stays one line naming the file
        with Progress.for_command("add", quiet=args.quiet, held=True) as progress:
            add(
                args.root,
                args.file,
                url=args.url,
                retrieved=args.retrieved,
                site=args.site,
                doc_id=args.doc_id,
                note=args.note,
                overrides=overrides,
                dry_run=args.dry_run,
                progress=progress,
                on_landed=landed,
            )
    except BuildError as err:
        for line in err.errors:
            print(line, file=sys.stderr)
        print(
            f"error: {args.file} was not added: the archive does not build (above); sources/ and docs/ are unchanged",
            file=sys.stderr,
        )
        return 1
    except ValueError as err:  # a malformed line of published/moved-anchors.txt
        print(
            f"error: {err}; {args.file} was not added: sources/, docs/ and published/ are as they were",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .maintain.import_dump import ImportRefused, import_dump, report
    from .pipeline.build import BuildError
    from .speed.progress import Progress

    try:
        with Progress.for_command("import", quiet=args.quiet) as progress:
            outcome = import_dump(
                args.root,
                args.dump,
                columns=args.columns,
                rules=args.where,
                site=args.site,
                retrieved=args.retrieved,
                strict=args.strict,
                dry_run=args.dry_run,
                progress=progress,
            )
    except ImportRefused as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return 1
    except BuildError as err:
        for line in err.errors:
            print(line, file=sys.stderr)
        print(
            f"error: {args.dump} was not imported: the archive does not build (above); "
            "sources/ and docs/ are unchanged",
            file=sys.stderr,
        )
        return 1
    if not args.dry_run:
        report(outcome, args.root)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .maintain.check import main as check_main

    return check_main(args.root, site=args.site)


def cmd_review(args: argparse.Namespace) -> int:
    from .maintain.review import edited_sources, review

    sys.stdout.write(review(args.root, args.base))
    failed = False
    if args.strict:
        for name in edited_sources(args.root, args.base):
            print(
                f"{name}: a raw source was edited; sources are never edited by hand: restore it "
                f"(`git checkout {args.base} -- {name}`) and put the correction in its sidecar's overrides:",
                file=sys.stderr,
            )
            failed = True
    return 1 if failed else 0


def cmd_convert(args: argparse.Namespace) -> int:
    from .ingest.convert import convert_file
    from .pages.render import render

    doc = convert_file(args.file)
    if args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        sys.stdout.write(render(doc))
    if args.report:
        for removal in doc.removed:
            print(
                f"{args.file}:{removal.line}: removed [{removal.rule}] {removal.text}",
                file=sys.stderr,
            )
    for warning in doc.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline.record import look_before_building
    from .speed.progress import Progress

    try:
        with Progress.for_command("build", quiet=args.quiet) as progress:
            # before importing the pipeline (a second): nothing to do is known in a tenth of that
            looked = look_before_building(args.root, not args.no_cache, progress)
            if looked.unchanged:
                looked.finish(args.quiet)
                return 0
            from .pipeline.build import build
            from .speed import collector

            with collector.paused(until_exit=AS_PROGRAM):  # then the process ends with it
                build(args.root, cache=not args.no_cache, progress=progress, looked=looked)
    except Exception as err:
        from .pipeline.build import BuildError

        if not isinstance(err, BuildError):
            raise
        for line in err.errors:
            print(line, file=sys.stderr)
        print(
            f"build stopped: {len(err.errors)} problem(s); docs/ was not changed", file=sys.stderr
        )
        return 1
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort

    from .site.build import build_site
    from .speed.progress import Progress

    try:
        with Progress.for_command("site", quiet=args.quiet) as progress:
            build_site(args.root, full=args.full, progress=progress)
    except (
        Abort,
        RuntimeError,
        ValueError,
    ) as err:  # MkDocs, a malformed moved-anchors.txt
        print(f"site build stopped: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    return 0


def cmd_bench_convert(args: argparse.Namespace) -> int:
    from .bench.convert import main

    return main(args.root, args.synthetic_mb)


def cmd_targets(args: argparse.Namespace) -> int:
    from .archive.targets import main

    main([str(path) for path in args.files] + (["--json"] if args.json else []))
    return 0


def cmd_published(args: argparse.Namespace) -> int:
    from .core.paths import refuse_links_out_of_the_repository
    from .site import published

    refuse_links_out_of_the_repository(args.root)  # it reads every page of docs/

    if args.action == "record":
        try:
            added = published.record(args.root, reset=args.reset, accept=args.accept)
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        print(f"{published.RECORD}: {added} new URL(s) and anchor(s) recorded", file=sys.stderr)
        return 0
    try:
        problems = published.check(args.root, args.site)
    except ValueError as err:  # a malformed line of published/moved-anchors.txt
        problems = [str(err)]
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


COMMANDS = {
    "convert": cmd_convert,
    "build": cmd_build,
    "add": cmd_add,
    "import": cmd_import,
    "check": cmd_check,
    "review": cmd_review,
    "published": cmd_published,
    "site": cmd_site,
    "bench-convert": cmd_bench_convert,
    "targets": cmd_targets,
}


# Commands that write the checkout (or read it whole): one at a time (core/files.py: checkout_lock).
LOCKED = {"build", "site", "add", "import", "check"}


class Stopped(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: what a command was changing is undone (`add`), a build that
    did not finish leaves no state (so the next one is full)."""


def stop_on_sigterm() -> None:
    main_pid = os.getpid()

    def stop(signum, frame):
        if os.getpid() != main_pid:  # a forked worker: end as the signal would have ended it
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Stopped()

    signal.signal(signal.SIGTERM, stop)


def _signal_of(err: KeyboardInterrupt) -> int:
    """The signal that stopped the command: SIGTERM raised here as Stopped, a forked worker's
    (speed/forked.py: ChildStopped, when the group's signal reached the worker first), or Ctrl-C."""
    if isinstance(err, Stopped):
        return signal.SIGTERM
    return getattr(err, "signum", signal.SIGINT)


def _said(err: KeyboardInterrupt) -> str:
    return "SIGTERM" if _signal_of(err) == signal.SIGTERM else "Ctrl-C (SIGINT)"


def main(argv: list[str] | None = None) -> int:
    from .core.files import checkout_lock

    try:
        args = get_parser().parse_args(argv)
    except KeyboardInterrupt as err:  # stopped before it began: it has changed nothing
        print(
            f"error: stopped by {_said(err)} before it began; nothing was changed", file=sys.stderr
        )
        return 128 + _signal_of(err)
    if getattr(args, "root", None) is not None:
        args.root = args.root.resolve()
    wants_lock = args.command in LOCKED or (args.command == "published" and args.action == "record")
    try:
        with checkout_lock(args.root, args.command) if wants_lock else contextlib.nullcontext():
            return COMMANDS[args.command](args)
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        print(f"error: `{args.command}` stopped by {_said(err)}; {_left(args)}", file=sys.stderr)
        return 128 + _signal_of(err)
    except OSError as err:
        print(f"error: {_os_error(err)}; {_left(args)}", file=sys.stderr)
        return 1


def _left(args: argparse.Namespace) -> str:
    """What a stopped or failed command left, as it is now (not as it should be)."""
    if args.command != "add":
        return {
            "import": "nothing was imported: sources/, docs/ and published/ are as they were",
            "build": "pages already written are whole; run `python -m scripts build` again",
            "site": "run it again (the next build is a full one)",
        }.get(args.command, "nothing was left half-written; run it again")
    if getattr(args, "landed", None) is not None:
        rel = (
            args.landed.relative_to(args.root)
            if args.landed.is_relative_to(args.root)
            else args.landed
        )
        return (
            f"{args.file} was added before that, whole, as {rel} (sources/, docs/ and published/ "
            "changed together); only what `add` says about it was cut short: "
            f"`python -m scripts convert {rel} --report` shows it"
        )
    if (args.root / JOURNAL_DIR / "undo" / JOURNAL).exists():
        return (
            f"{args.file} was not added, but what it had changed could not all be put back now: "
            "the next command that writes this checkout (build, add, check) puts sources/, docs/ "
            "and published/ back as they were, first"
        )
    if args.dry_run:
        return f"{args.file} was not added (a dry run writes nothing)"
    return f"{args.file} was not added: sources/, docs/ and published/ are as they were"


def _os_error(err: OSError) -> str:
    """One line for a failed read or write (a full disk, a name too long, no permission)."""
    names = " → ".join(str(name) for name in (err.filename, err.filename2) if name)
    return f"{names}: {err.strerror or err}" if names else str(err.strerror or err)


# True when this file runs as the program (python -m scripts), not when a caller imports main()
AS_PROGRAM = False

if __name__ == "__main__":
    AS_PROGRAM = True
    stop_on_sigterm()
    sys.exit(main())
