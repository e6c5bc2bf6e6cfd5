"""`add FILE`: a raw scraped file → sources/ under a readable name, with its sidecar, and docs/
rebuilt (places, relations and the wanted list follow from the rebuild).

1. read what the maintainer knows: a `FILE.yml` beside the raw file (if any), then the flags;
2. convert the file: empty, binary, undecodable, oversized or untitled input stops here, nothing written;
3. name it by its id (year, place, title in pinyin) and copy the raw bytes unchanged;
4. rebuild the archive with it, and record the new page's URL and anchors in
   published/anchors.txt: all of it one change (core/files.py: Transaction), so a duplicate
   (same 文号 or same text), a full disk, SIGINT/SIGTERM or even SIGKILL (undone by the next
   command) leaves sources/, docs/ and published/ exactly as they were;
5. print what was found and what not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import SourceError
from ..core.fields import INFERRED
from ..core.files import Transaction
from ..core.paths import refuse_leading_out
from ..core.slug import id_title, id_words
from ..ingest.convert import convert_file, sniff_kind
from ..ingest.sidecar import (
    OVERRIDES,
    dump_sidecar,
    parse_sidecar,
    read_sidecar_text,
    sidecar_path,
    validate,
)
from ..pipeline import convert_many
from ..pipeline.build import count_pages, generate, load_archive, read_archive, write_docs
from ..site import published
from ..speed.progress import Progress
from .check import find_duplicates

# What a maintainer should add by hand when the text does not say it, and where it goes.
EXPECTED = {
    "title": ("标题 (title)", "…"),
    "doc_number": ("文号 (doc_number)", "XX发〔YYYY〕N号"),
    "issuer": ("发文机关 (issuer)", "…人民政府办公室"),
    "date": ("成文日期 (date)", "YYYY-MM-DD"),
    "region": ("地区 (region)", "…县"),
    "level": ("层级 (level)", "national|province|city|county"),
}
# Genres that carry no 文号 of their own: news reports and interpretations.
NO_NUMBER_TYPES = {"报道", "解读"}
SOURCE_KEYS = {"url": "https://…", "retrieved": "YYYY-MM-DD"}


def parse_overrides(pairs: list[str], path: Path) -> dict:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in OVERRIDES:
            raise SourceError(
                path,
                f"cannot use --set {pair!r}",
                fix=f"write --set KEY=VALUE with KEY one of {', '.join(sorted(OVERRIDES))}",
            )
        overrides[key] = value
    return overrides


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def sidecar_for(file: Path, given: dict) -> dict:
    """The sidecar to write: FILE.yml beside the raw file (if the scraper left one), then the flags."""
    sidecar: dict = {}
    beside = sidecar_path(file)
    if beside.is_symlink():
        refuse_leading_out(beside)
    if beside.exists() and beside != file:
        sidecar = parse_sidecar(read_sidecar_text(beside), beside)
    overrides = {**sidecar.get("overrides", {}), **(given.pop("overrides", None) or {})}
    sidecar.update({k: v for k, v in given.items() if v not in (None, "")})
    sidecar["overrides"] = overrides
    return validate(sidecar, file)


def add(
    root: Path,
    file: Path,
    url: str | None = None,
    retrieved: str | None = None,
    site: str | None = None,
    doc_id: str | None = None,
    overrides: dict | None = None,
    note: str | None = None,
    dry_run: bool = False,
    out=sys.stdout,
    progress: Progress | None = None,
    added_on: str | None = None,
    on_landed: Callable[[Path], None] | None = None,
) -> Path:
    """`progress`: the stages of the rebuild, and a summary line once it is done (on stderr).
    `on_landed(target)` is called the moment the change has landed, before anything is said about
    it: a command stopped after that moment has added the file (__main__.py says so)."""
    progress = progress or Progress()
    root, file = Path(root).resolve(), Path(file)
    if not file.is_file():
        raise SourceError(
            file,
            "does not exist" if not file.exists() else "is not a file",
            fix="give the path of the raw scraped file",
        )
    sources = root / "sources"
    if file.resolve().parent == sources:
        raise SourceError(
            file,
            "is in sources/ already",
            fix="give the raw file from outside sources/, "
            "or run `python -m scripts build` to rebuild docs/ from sources/",
        )
    sidecar = sidecar_for(
        file,
        {
            "url": url,
            "site": site,
            "retrieved": retrieved,
            "id": doc_id,
            "note": note,
            "overrides": overrides,
        },
    )
    sidecar.setdefault(
        "added", added_on or _today()
    )  # written once: builds read it, never the clock
    with progress.stage("converting the new file"):
        doc = convert_file(file, sidecar)
    if not doc.meta.get("title"):
        # a page without a title has an empty heading and lists, and its 文号 under a sentence is not read as its own
        raise SourceError(
            file,
            "no title (标题) found: its first line reads as a sentence, not a title",
            fix="run again with --title '…' (and --doc-number if a 文号 stands under the title)",
        )
    if not sidecar.get("id") and not doc.meta.get("date"):
        # The id is the page's permanent URL and begins with the year: do not freeze a "0000".
        raise SourceError(
            file,
            "no 成文日期 (date) found, and the page's permanent id begins with its year",
            fix="run again with --date YYYY-MM-DD (the date it was signed or published), or with --id",
        )
    if not sidecar.get("id") and not id_words(id_title(doc.meta)):
        # …nor an id of a year and a place alone ("2018-jiangxi"), from a title with no words ("第232号")
        raise SourceError(
            file,
            f"no title words to name it by (title found: {doc.meta.get('title', '')!r}), "
            "and the page's permanent id is made of them",
            fix="run again with --title '…' (the document's own title), or with --id",
        )
    try:
        target = _free_name(sources, doc.meta["id"], file, explicit=bool(sidecar.get("id")))
    except SourceError:
        _refuse_duplicate(
            doc, [*load_archive(root, progress=progress).documents, doc], file, root
        )  # the likelier mistake
        raise
    doc.meta["id"] = sidecar["id"] = (
        target.stem
    )  # frozen from now on: the published URL depends on it
    if dry_run:
        archive = load_archive(root, progress=progress)
        _refuse_duplicate(doc, [*archive.documents, doc], file, root)
        progress.stop_bars()  # the report comes below them
        report(doc, target, root, changed=[], cites=[], out=out, dry_run=True)
        if progress.shows:
            progress.say(
                f"add --dry-run: {len(archive.documents)} documents read; {progress.times()}"
            )
        return target
    doc.source = target
    landed = (lambda: on_landed(target)) if on_landed else None
    # sources/, docs/ and published/ change whole or not at all
    with Transaction(root, on_landed=landed) as change:
        change.write(target, file.read_bytes())
        change.write(sidecar_path(target), dump_sidecar(sidecar))
        convert_many.remember(
            root, target, doc
        )  # converted once: the build below reads it from the cache
        archive, why = read_archive(root, progress=progress)
        added = next(d for d in archive.documents if d.meta["id"] == target.stem)
        _refuse_duplicate(added, archive.documents, file, root)
        files = generate(archive, progress=progress)
        changed = write_docs(archive.docs_dir, files, progress, change)
        published.record(
            root, change=change
        )  # the new page's URL and anchors are published from now on
    progress.stop_bars()  # the report comes below them
    report(added, target, root, changed=changed, cites=added.meta.get("cites") or [], out=out)
    if progress.shows:
        progress.say(
            f"added 1 document: {len(archive.documents)} documents; {len(changed)} files changed under "
            f"docs/; {count_pages(files)} pages; {why}; {progress.times()}"
        )
    return target


SNIFFED_SUFFIX = {"record": ".json", "html": ".html", "text": ".txt"}


def _free_name(sources: Path, doc_id: str, file: Path, explicit: bool) -> Path:
    """sources/<id>.<ext>; a derived id that is taken gets -2, -3 … (a given one is an error)."""
    suffix = (
        file.suffix.lower() or SNIFFED_SUFFIX[sniff_kind(file.read_bytes()[:4096])]
    )  # no name: by content
    candidate, n = doc_id, 1
    while any(sources.glob(f"{candidate}.*")):
        if explicit:
            raise SourceError(
                file,
                f"would be added as sources/{candidate}{suffix}, which exists already",
                fix="if it is another document, give it a distinct --id",
            )
        n += 1
        candidate = f"{doc_id}-{n}"
    return sources / f"{candidate}{suffix}"


def _refuse_duplicate(doc, documents: list, file: Path, root: Path) -> None:
    """Stop when `doc` has the text or the 文号 of a document already in the archive."""
    for dup in find_duplicates(documents):
        if doc in (dup.first, dup.second):
            other = dup.second if dup.first is doc else dup.first
            raise SourceError(
                file,
                f"is already in the archive as {other.source.relative_to(root)} (same {dup.why})",
                fix=_dup_fix(dup.why),
            )


def _dup_fix(why: str) -> str:
    if why == "text":
        return "nothing to add (to correct its metadata, edit that file's sidecar)"
    if why.startswith("title"):
        return "another copy of that document: nothing to add; if it is another one, give its title or date with --title / --date"
    return "if it is another document, give its real 文号 with --doc-number"


def report(
    doc,
    target: Path,
    root: Path,
    changed: list[str],
    cites: list,
    out=sys.stdout,
    dry_run: bool = False,
) -> None:
    rel = target.relative_to(root)
    side = sidecar_path(rel)
    meta = doc.meta

    def say(text: str = "") -> None:
        print(text, file=out)

    say(
        f"{'would add' if dry_run else 'added'} {rel} and {side} → docs/doc/{meta['id']}.md (URL /doc/{meta['id']}/)"
    )
    say("found:")
    for key, value in meta.items():
        if isinstance(value, (str, int)) and key != "id":
            say(f"  {key}: {value}")
    for key, value in (meta.get("source") or {}).items():
        say(f"  source.{key}: {value}")
    paragraphs = sum(1 for b in doc.blocks if b.anchor)
    say(
        f"  {len(doc.blocks)} blocks, {paragraphs} anchors; {len(doc.removed)} clutter line(s) removed "
        f"(see `python -m scripts convert {rel} --report`)"
    )
    for cite in cites:
        label = " ".join(str(cite[k]) for k in ("doc_number", "title") if cite.get(k))
        say(
            f"  cites {label} → "
            + (f"/doc/{cite['target']}/" if cite.get("target") else "not in the archive (wanted)")
        )
    inferred = [w.removeprefix(INFERRED) for w in doc.warnings if w.startswith(INFERRED)]
    if inferred:
        say(
            "inferred (not written in the source; check them, and correct them under `overrides:` in "
            f"{side}):"
        )
    for line in inferred:
        say(f"  {line}")
    warnings = [w for w in doc.warnings if not w.startswith(INFERRED)]
    missing = [
        (key, spec)
        for key, spec in EXPECTED.items()
        if not meta.get(key)
        and not (key == "doc_number" and meta.get("doc_type") in NO_NUMBER_TYPES)
    ]
    source = meta.get("source") or {}
    missing_source = [key for key in SOURCE_KEYS if not source.get(key)]
    if missing or missing_source or warnings:
        say("not found:")
    for key, (label, example) in missing:
        say(f"  no {label} found: add `{key}: {example}` under `overrides:` in {side}")
    for key in missing_source:
        say(f"  no source {key}: add `{key}: {SOURCE_KEYS[key]}` to {side} (or pass --{key})")
    for warning in warnings:
        say(f"  warning: {warning}")
    if dry_run:
        return
    others = [c for c in changed if c != f"doc/{meta['id']}.md"]
    if others:
        say(
            f"rebuilt docs/: {len(others)} other file(s) changed: "
            + ", ".join(f"docs/{c}" for c in others[:8])
            + (" …" if len(others) > 8 else "")
        )
    say(
        "next: correct anything above in the sidecar and run `python -m scripts build`; "
        "look at it with `make serve`; then `make test` and open a pull request"
    )
