"""`import DUMP`: a crawler's or dataset's bulk export (CSV/TSV, JSON, JSON Lines, Excel, a
folder of saved pages) → one document per in-scope record in sources/, and docs/ rebuilt.

1. read the dump (ingest/dump.py): each record with its own bytes; what cannot be read is said
   by line or row, and the rest goes on;
2. map its columns by their names (标题/title, 文号/fwzh, 发文机关/issuer, 发布日期/publish_date,
   正文/content/full_text, 链接/url …; ingest/record_source.py), or as `--columns` states;
3. keep the records in scope (`--where`: a column's or a document field's value);
4. convert each record's bytes by the pipeline that converts a single source (a record's fields are
   hints: where the text's own header says otherwise the text wins, and that is said);
5. skip a record that repeats a document of the archive or an earlier record (same 文号, same
   text, same title and date), naming what it repeats;
6. write it all as one change (core/files.py: Transaction): the dump byte for byte under
   sources/dumps/, each record's bytes as sources/<id>.<ext> with a sidecar naming the dump,
   the record and the record's SHA-256, docs/ rebuilt, the new pages' URLs and anchors recorded.
   A bad record is reported and the rest go in; with `--strict` one bad record refuses the dump.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..archive.documents import source_files
from ..core.errors import SourceError
from ..core.files import Transaction
from ..core.model import Document
from ..core.slug import id_title, id_words
from ..ingest.convert import convert_bytes
from ..ingest.dump import Dump, Record, read_dump
from ..ingest.record_source import NO_COLUMN, ROLES, flat_fields, record_body, record_facts
from ..ingest.sidecar import dump_sidecar, sidecar_path, url, validate
from ..pipeline import convert_many
from ..pipeline.build import count_pages, generate, read_archive, write_docs
from ..site import published
from ..speed.forked import jobs
from ..speed.progress import Progress
from .check import find_duplicates

DUMPS = "dumps"  # sources/dumps/: the dumps, byte for byte
SHOWN = 3  # records --dry-run shows as they would be added
# Document fields a --where rule may name, beside the dump's own columns.
DOC_FIELDS = ("title", "doc_number", "issuer", "date", "year", "doc_type", "level", "region")
RULE = re.compile(r"^\s*(?P<name>[^=!~]+?)\s*(?P<op>!=|!~|=|~)\s*(?P<value>.*?)\s*$")


class ImportRefused(Exception):
    """--strict and a bad record: nothing was written; `lines` say why."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Rule:
    """`--where NAME OP VALUE`: = and != compare the whole value, ~ and !~ search a regex."""

    name: str
    op: str
    value: str
    on_column: bool  # a column of the dump (else a field of the converted document)

    def holds(self, value: object) -> bool:
        text = "" if value is None else str(value).strip()
        if self.op in ("=", "!="):
            return (text == self.value) == (self.op == "=")
        return (re.search(self.value, text) is not None) == (self.op == "~")

    def __str__(self) -> str:
        return f"{self.name}{self.op}{self.value}"


def parse_rules(rules: list[str], dump: Dump) -> list[Rule]:
    parsed = []
    for rule in rules:
        m = RULE.match(rule)
        if m is None:
            raise SourceError(
                dump.path,
                f"cannot read the rule --where {rule!r}",
                fix="write NAME=VALUE, NAME!=VALUE, NAME~REGEX or NAME!~REGEX",
            )
        name = m["name"]
        if name not in dump.columns and name not in DOC_FIELDS:
            raise SourceError(
                dump.path,
                f"--where {rule!r} names {name!r}, which is neither a column of the dump nor a "
                "document field",
                fix=f"use a column ({', '.join(dump.columns[:12])}) or a field "
                f"({', '.join(DOC_FIELDS)})",
            )
        if m["op"] in ("~", "!~"):
            try:
                re.compile(m["value"])
            except re.error as err:
                raise SourceError(
                    dump.path, f"--where {rule!r}: {err}", fix="write a valid regular expression"
                ) from None
        parsed.append(Rule(name, m["op"], m["value"], name in dump.columns))
    return parsed


def parse_columns(stated: list[str], dump: Dump) -> dict[str, str]:
    """`--columns title=标题,body=正文` (repeatable) → {role: column}; '-' states none."""
    columns: dict[str, str] = {}
    for part in (p for s in stated for p in s.split(",") if p.strip()):
        role, sep, column = (x.strip() for x in part.partition("="))
        if not sep or role not in ROLES:
            raise SourceError(
                dump.path,
                f"cannot read --columns {part!r}",
                fix=f"write ROLE=COLUMN with ROLE one of {', '.join(ROLES)}",
            )
        if column != NO_COLUMN and column not in dump.columns:
            raise SourceError(
                dump.path,
                f"--columns {part!r}: the dump has no column {column!r}",
                fix=f"use one of {', '.join(dump.columns)}",
            )
        columns[role] = column
    return columns


def guessed_mapping(dump: Dump, columns: dict[str, str], sample: int = 20) -> dict[str, str]:
    """The column each role is read from in the first records (what --dry-run shows)."""
    seen: dict[str, dict[str, int]] = {}
    for record in dump.records[:sample]:
        _, used = record_facts(flat_fields(record.fields), columns)
        with contextlib.suppress(SourceError):
            used["body"] = record_body(flat_fields(record.fields), dump.path, columns)[2]
        for role, column in used.items():
            seen.setdefault(role, {}).setdefault(column, 0)
            seen[role][column] += 1
    return {
        role: max(seen[role], key=lambda column: seen[role][column])
        for role in ROLES
        if role in seen
    }


@dataclass
class Outcome:
    dump: Dump
    added: list[tuple[Record, Document]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dump_file: Path | None = None
    changed: list[str] = field(default_factory=list)


def where(dump: Dump, record: Record) -> str:
    """How a line of the report names a record: the dump, its line, its key."""
    line = f":{record.line}" if record.line else ""
    return f"{dump.path.name}{line}: record {record.key}"


def import_dump(
    root: Path,
    path: Path,
    columns: list[str] | None = None,
    rules: list[str] | None = None,
    site: str | None = None,
    retrieved: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    out=sys.stdout,
    progress: Progress | None = None,
    added_on: str | None = None,
) -> Outcome:
    progress = progress or Progress()
    root, path = Path(root).resolve(), Path(path)
    if not path.exists():
        raise SourceError(path, "does not exist", fix="give the path of the dump")
    sources = root / "sources"
    if path.resolve().is_relative_to(sources):
        raise SourceError(path, "is in sources/ already", fix="give the dump from outside sources/")
    with progress.stage("reading the dump") as stage:
        dump = read_dump(path)
        stage.end(f"{len(dump.records)} records, {dump.kind}")
    stated = parse_columns(columns or [], dump)
    scope = parse_rules(rules or [], dump)
    outcome = Outcome(dump)
    outcome.bad += [str(p) for p in dump.problems]
    added_on = added_on or datetime.now(UTC).date().isoformat()
    dump_name = _dump_name(sources, path) if dump.kind != "folder" else None

    candidates = []
    for record in dump.records:
        failed = [r for r in scope if r.on_column and not r.holds(record.fields.get(r.name))]
        if failed:
            outcome.out_of_scope.append(
                f"{where(dump, record)}: out of scope (--where {failed[0]})"
            )
            continue
        candidates.append(record)
    if dry_run:
        candidates = candidates[: max(SHOWN * 4, SHOWN)]  # enough to show SHOWN in scope

    sidecars = [
        _sidecar(record, dump, dump_name, stated, site, retrieved, added_on)
        for record in candidates
    ]
    tasks = [
        (record.data, Path(f"{path.stem}-record-{n}{record.suffix}"), sidecar)
        for n, (record, sidecar) in enumerate(zip(candidates, sidecars, strict=True), 1)
    ]
    converted = convert_records(tasks, progress)

    new: list[tuple[Record, Document, dict]] = []
    for record, sidecar, (doc, error) in zip(candidates, sidecars, converted, strict=True):
        if doc is None:
            outcome.bad.append(f"{where(dump, record)}: {_problem(error, tasks, record)}")
            continue
        if (missing := _unnamed(doc)) is not None:
            # before the scope: a text without a title is typed 报道 for want of one, not for news
            outcome.bad.append(f"{where(dump, record)}: {missing}")
            continue
        failed = [r for r in scope if not r.on_column and not r.holds(_doc_field(doc, r.name))]
        if failed:
            outcome.out_of_scope.append(
                f"{where(dump, record)}: out of scope (--where {failed[0]}; it reads "
                f"{failed[0].name} {_doc_field(doc, failed[0].name)!r})"
            )
            continue
        new.append((record, doc, sidecar))

    if strict and outcome.bad:
        raise ImportRefused(
            [
                *outcome.bad,
                f"{path}: --strict: {len(outcome.bad)} bad record(s); nothing was imported",
            ]
        )

    existing = (
        convert_many.convert_many(source_files(sources), root, None, progress).documents
        if sources.is_dir()
        else []
    )
    new = _skip_duplicates(new, existing, dump, root, outcome, progress)
    _name_documents(
        new, sources, {p.stem for p in source_files(sources)} if sources.is_dir() else set()
    )
    for record, doc, _ in new:
        outcome.notes += [
            f"{where(dump, record)} → {doc.meta['id']}: {w}"
            for w in doc.warnings
            if "the text wins" in w or "JSON is broken" in w
        ]
    outcome.added = [(record, doc) for record, doc, _ in new]
    if dry_run:
        progress.stop_bars()
        show_dry_run(outcome, stated, scope, new[:SHOWN], out)
        return outcome
    if not new:
        progress.stop_bars()
        return outcome

    with Transaction(root) as change:  # sources/, docs/ and published/ change whole or not at all
        if dump_name is not None:
            outcome.dump_file = sources / dump_name
            if not outcome.dump_file.exists():
                change.write(outcome.dump_file, path.read_bytes())
        for record, doc, sidecar in new:
            target = sources / f"{doc.meta['id']}{record.suffix}"
            sidecar["id"] = doc.meta["id"]
            change.write(target, record.data)
            change.write(sidecar_path(target), dump_sidecar(sidecar))
            doc.source = target
            convert_many.remember(root, target, doc)  # converted once: the build reads it
        archive, why = read_archive(root, progress=progress)
        files = generate(archive, progress=progress)
        outcome.changed = write_docs(archive.docs_dir, files, progress, change)
        published.record(root, change=change)
    progress.stop_bars()
    if progress.shows:
        progress.say(
            f"imported {len(new)} documents: {len(archive.documents)} documents; "
            f"{len(outcome.changed)} files changed under docs/; {count_pages(files)} pages; {why}; "
            f"{progress.times()}"
        )
    return outcome


def _dump_name(sources: Path, path: Path) -> str:
    """dumps/<name>: the dump's own name, or name-2 … when another dump has it."""
    data = path.read_bytes()
    stem, suffix = path.stem, path.suffix
    candidate, n = f"{DUMPS}/{path.name}", 1
    while (sources / candidate).exists() and (sources / candidate).read_bytes() != data:
        n += 1
        candidate = f"{DUMPS}/{stem}-{n}{suffix}"
    return candidate


def _sidecar(
    record: Record,
    dump: Dump,
    dump_name: str | None,
    columns: dict[str, str],
    site: str | None,
    retrieved: str | None,
    added_on: str,
) -> dict:
    sidecar: dict = {}
    facts, _ = record_facts(flat_fields(record.fields), columns) if record.fields else ({}, {})
    try:
        sidecar["url"] = url(facts["url"]) if facts.get("url") else None
    except ValueError:
        sidecar["url"] = None
    sidecar.update(
        site=site,
        retrieved=retrieved,
        added=added_on,
        dump=dump_name or f"{DUMPS}/{dump.path.name}",
        record=record.key,
        record_sha256=hashlib.sha256(record.data).hexdigest(),
    )
    if dump_name is None:
        sidecar.pop("dump")  # a folder's pages are kept as they are: each is its own source
        sidecar["note"] = f"from the folder {dump.path.name}/ ({record.key})"
        sidecar.pop("record")
    if columns:
        sidecar["columns"] = dict(columns)
    return validate({k: v for k, v in sidecar.items() if v not in (None, "")}, dump.path)


def convert_records(tasks: list[tuple[bytes, Path, dict]], progress: Progress) -> list:
    """Each record's bytes converted as a source of its own, in forked workers when there are many:
    (Document or None, the error's message)."""
    results: list = [None] * len(tasks)
    with progress.stage("converting records", total=len(tasks), unit="records") as stage:
        workers = min(jobs(), len(tasks))
        if (
            workers > 1
            and len(tasks) >= convert_many.PARALLEL_FROM
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            convert_many._warm_up()
            with progress.fork_safe():
                pool = multiprocessing.get_context("fork").Pool(workers)
            try:
                for n, result in pool.imap_unordered(
                    _convert_numbered, enumerate(tasks), chunksize=8
                ):
                    results[n] = result
                    stage.advance()
            finally:
                pool.terminate()
                pool.join()
        else:
            for n, task in enumerate(tasks):
                results[n] = _convert_numbered((n, task))[1]
                stage.advance()
    return results


def _convert_numbered(numbered: tuple[int, tuple]) -> tuple[int, tuple]:
    from ..archive.analyses import analyse

    n, (data, path, sidecar) = numbered
    try:
        return n, (analyse(convert_bytes(data, path, sidecar)), "")
    except SourceError as err:
        return n, (None, str(err))
    except Exception as err:  # a fault of the pipeline on one record spares the others
        return n, (
            None,
            (
                f"{path}: the pipeline failed on it ({type(err).__name__}: {err}); "
                "`python -m scripts convert` on the record shows where"
            ),
        )


def _problem(error: str, tasks: list, record: Record) -> str:
    """A conversion error without the made-up file name it was converted under."""
    return re.sub(r"^\S+?-record-\d+\.\w+(?::\d+)?: ", "", error)


def _doc_field(doc: Document, name: str) -> object:
    if name == "year":
        return (doc.meta.get("date") or "")[:4]
    return doc.meta.get(name)


def _unnamed(doc: Document) -> str | None:
    """Why a record cannot become a page with a permanent id, as `add` refuses one."""
    meta = doc.meta
    if not meta.get("title"):
        return "no title (标题) found in the record or its text; state its column with --columns title=…"
    if not meta.get("date"):
        return (
            "no 成文日期 or publication date found, and the page's permanent id begins with its "
            "year; state the date's column with --columns date=…"
        )
    if not id_words(id_title(meta)):
        return f"no title words to name it by (title found: {meta['title']!r})"
    return None


def _skip_duplicates(
    new: list, existing: list[Document], dump: Dump, root: Path, outcome: Outcome, progress
) -> list:
    with progress.stage("duplicates") as stage:
        docs = existing + [doc for _, doc, _ in new]
        record_of = {id(doc): record for record, doc, _ in new}
        skipped = set()
        for dup in find_duplicates(docs, in_order=True):
            if id(dup.second) not in record_of:
                continue  # two documents of the archive: `check` says so
            first = record_of.get(id(dup.first))
            what = (
                f"record {first.key} of this dump"
                if first is not None
                else str(_relative(dup.first.source, root))
            )
            outcome.duplicates.append(
                f"{where(dump, record_of[id(dup.second)])}: skipped, it repeats {what} "
                f"(same {dup.why})"
            )
            skipped.add(id(dup.second))
        stage.end(f"{len(skipped)} skipped")
    return [entry for entry in new if id(entry[1]) not in skipped]


def _relative(path: Path, root: Path) -> Path:
    try:
        return Path(path).resolve().relative_to(root)
    except ValueError:
        return Path(path)


def _name_documents(new: list, sources: Path, taken: set[str]) -> None:
    """Each new document's id: its own (year, place, title words), or -2, -3 … when taken."""
    for _, doc, _ in new:
        base = doc.meta["id"]
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        doc.meta["id"] = candidate


def show_dry_run(
    outcome: Outcome, columns: dict[str, str], scope: list[Rule], shown: list, out
) -> None:
    dump = outcome.dump

    def say(text: str = "") -> None:
        print(text, file=out)

    mapping = guessed_mapping(dump, columns)
    say(
        f"{dump.path}: {dump.kind}, {len(dump.records)} records, columns: {', '.join(dump.columns)}"
    )
    say("mapping (stated with --columns, else guessed from the names):")
    for role in ROLES:
        column = mapping.get(role)
        how = "stated" if role in columns else "guessed"
        say(f"  {role:<10} ← {column if column else '(none)'}  [{how}]")
    unused = [c for c in dump.columns if c not in mapping.values()]
    if unused:
        say(f"  not read: {', '.join(unused)}")
    if scope:
        say(f"scope: {' and '.join(str(r) for r in scope)}")
    say(f"the first {len(shown)} records as they would be added:")
    for record, doc, _sidecar in shown:
        meta = doc.meta
        say(f"  {record.key} → sources/{meta['id']}{record.suffix}")
        for key in ("title", "doc_number", "issuer", "date", "doc_type", "level", "region"):
            if meta.get(key):
                say(f"    {key}: {meta[key]}")
        for warning in doc.warnings:
            say(f"    note: {warning}")
    for line in outcome.bad[:5] + outcome.duplicates[:5] + outcome.out_of_scope[:5]:
        say(f"  {line}")
    say("(dry run: nothing was written)")


def report(outcome: Outcome, root: Path, out=sys.stdout, err=sys.stderr) -> None:
    dump = outcome.dump
    for record, doc in outcome.added:
        print(
            f"added sources/{doc.meta['id']}{record.suffix} ← {record.key}: {doc.meta.get('title', '')}",
            file=out,
        )
    for line in outcome.bad + outcome.duplicates + outcome.out_of_scope + outcome.notes:
        print(line, file=err)
    kept = f" (kept as {outcome.dump_file.relative_to(root)})" if outcome.dump_file else ""
    print(
        f"imported {dump.path.name}{kept}: {len(outcome.added)} of {len(dump.records) + len(dump.problems)} "
        f"records added; {len(outcome.duplicates)} duplicate(s), {len(outcome.out_of_scope)} out "
        f"of scope, {len(outcome.bad)} bad",
        file=out,
    )
