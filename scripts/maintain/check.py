"""`check`: everything CI verifies before a pull request can be merged.

Each check is a named function returning problems; each problem is one line naming the file
(and line) and the fix. The checks, in order:

0. no symbolic link in sources/, docs/ or overrides/ leads out of its folder (nothing else is
   read while one does);
1. sources/ holds only sources and their sidecars, each sidecar valid against the schema;
2. every source converts (the same errors `build` gives);
3. no document is in the archive twice: the same 文号, or the same text under two names;
4. docs/ is what `python -m scripts build` makes from sources/ (nobody edited a generated page);
5. every URL and anchor the pages publish is in published/anchors.txt, and every recorded one
   still lands (or is redirected: a moved page in mkdocs.yml, a moved anchor in
   published/moved-anchors.txt);
6. the site builds with `mkdocs build --strict`, every XML file it publishes (the feed, the
   sitemap) is well-formed, and no internal link or #anchor in it is broken.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import lxml.etree
import lxml.html
import yaml

from ..archive.documents import SOURCE_SUFFIXES
from ..core.errors import Problem, SourceError
from ..core.model import Document
from ..core.paths import links_out_of_the_repository
from ..core.script import to_simplified
from ..ingest.sidecar import load_sidecar, sidecar_path
from ..pipeline.build import MANIFEST, BuildError, generate, load_archive
from ..site import published
from ..speed import memo

REBUILD = "run `python -m scripts build` and commit docs/"


@dataclass
class Report:
    problems: list[Problem | str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def extend(self, problems: Iterable[Problem | str]) -> None:
        self.problems.extend(problems)


def check(root: Path, site: bool = True) -> Report:
    root = Path(root).resolve()
    report = Report()
    report.extend(links_out_of_the_repository(root))
    if report.problems:
        return report  # the checks below would read (and the site publish) what they lead to
    memo.consult(root)  # the pinyin the last build computed, not computed again
    with contextlib.ExitStack() as running:
        # MkDocs reads only docs/ and mkdocs.yml: it builds on the other core while the
        # sources are checked (and is stopped if a check below ends the report early)
        site_build = running.enter_context(MkdocsBuild.started(root)) if site else None
        _check_archive(root, report, site_build)
    return report


def _check_archive(root: Path, report: Report, site_build: MkdocsBuild | None) -> None:
    report.extend(check_sources_dir(root))
    try:
        archive = load_archive(root)
    except BuildError as err:
        # The same conversion errors `build` gives, named relative to the repository, without
        # repeating a sidecar problem reported above.
        reported = {str(p.path) for p in report.problems if isinstance(p, Problem)}
        for line in err.errors:
            line = line.replace(f"{root}/", "")
            if line.split(":", 1)[0] not in reported:
                report.problems.append(line)
        return  # the checks below need every document converted
    files = generate(archive)
    report.figures["documents"] = len(archive.documents)
    report.extend(duplicates(archive.documents, root))
    report.extend(docs_up_to_date(root, files))
    current = addresses(files)
    report.figures["addresses"] = len(current)
    report.extend(unrecorded(root, files, current))
    if site_build:
        report.extend(site_builds_and_links_resolve(root, site_build, report.figures))
    else:
        report.extend(recorded_but_gone(root, current))


# 1. sources/ ------------------------------------------------------------------------------


def check_sources_dir(root: Path) -> list[Problem]:
    sources = root / "sources"
    problems: list[Problem] = []
    if not sources.is_dir():
        return [
            Problem("sources", "is missing", fix="run the command from the repository's top folder")
        ]
    for path in sorted(sources.iterdir()):
        rel = path.relative_to(root)
        if path.is_dir() and path.name == DUMPS:
            problems.extend(check_dumps(root))
            continue
        if path.is_dir():
            problems.append(
                Problem(
                    rel,
                    "is a folder; sources/ holds files only",
                    fix="move its files into sources/ with `python -m scripts add FILE`",
                )
            )
        elif path.suffix.lower() == ".yml":
            problems.extend(_check_sidecar(path, root))
        elif path.suffix.lower() not in SOURCE_SUFFIXES:
            problems.append(
                Problem(
                    rel,
                    "is neither a source (.txt, .html, .json) nor a sidecar (.yml)",
                    fix="remove it, or add the document with `python -m scripts add FILE`",
                )
            )
        elif not sidecar_path(path).exists():
            problems.append(
                Problem(
                    rel,
                    "has no sidecar",
                    fix=f"create {sidecar_path(rel)} with its `id:` "
                    "(`python -m scripts add FILE` writes both)",
                )
            )
    return problems


DUMPS = "dumps"  # sources/dumps/: bulk exports, byte for byte (`python -m scripts import`)


def check_dumps(root: Path) -> list[Problem]:
    """Each dump in sources/dumps/ is named by a sidecar, and each sidecar that names a dump names
    one that is there, with the SHA-256 of its source's bytes (the record as the dump holds it)."""
    sources = root / "sources"
    named: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for sidecar in sorted(sources.glob("*.yml")):
        try:
            text = sidecar.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported as the sidecar's own problem
        dump = re.search(r"^dump: (.+)$", text, re.MULTILINE)
        if dump is None:
            continue
        named.setdefault(dump[1].strip().strip("'\""), []).append(sidecar)
        digest = re.search(r"^record_sha256: ([0-9a-f]{64})$", text, re.MULTILINE)
        source = [
            p
            for p in sources.glob(f"{glob_escape(sidecar.stem)}.*")
            if p.suffix.lower() in SOURCE_SUFFIXES
        ]
        if digest and source:
            actual = hashlib.sha256(source[0].read_bytes()).hexdigest()
            if actual != digest[1]:
                problems.append(
                    Problem(
                        source[0].relative_to(root),
                        "is not the record its sidecar names (its SHA-256 differs): a source is "
                        "never edited by hand",
                        fix=f"restore it (`git checkout -- {source[0].relative_to(root)}`) and put "
                        "a correction under `overrides:`",
                    )
                )
    for name, sidecars in sorted(named.items()):
        if not (sources / name).is_file():
            problems.append(
                Problem(
                    sidecars[0].relative_to(root),
                    f"names the dump {name}, which sources/ does not hold",
                    fix="add the dump byte for byte under sources/dumps/ "
                    "(`python -m scripts import DUMP` keeps it)",
                )
            )
    for path in sorted((sources / DUMPS).iterdir()):
        if f"{DUMPS}/{path.name}" not in named:
            problems.append(
                Problem(
                    path.relative_to(root),
                    "is a dump no document's sidecar names",
                    fix="delete it, or import it with `python -m scripts import`",
                )
            )
    return problems


def _check_sidecar(path: Path, root: Path) -> list[Problem]:
    rel = path.relative_to(root)
    sources = [
        p
        for p in path.parent.glob(f"{glob_escape(path.stem)}.*")
        if p.suffix.lower() in SOURCE_SUFFIXES
    ]
    if not sources:
        return [
            Problem(
                rel,
                "has no source file beside it",
                fix=f"add {rel.with_suffix('.txt')} or delete the sidecar",
            )
        ]
    try:
        data = load_sidecar(sources[0])
    except SourceError as err:
        return [err.relative_to(root)]
    if "id" not in data:
        return [
            Problem(
                rel,
                "has no `id:`",
                line=1,
                fix="add `id: …` (the page's URL /doc/<id>/, frozen once published)",
            )
        ]
    return []


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# 3. duplicates -----------------------------------------------------------------------------


def normalised_text(doc: Document) -> str:
    """The body with everything that differs between two scrapes of one text folded away:
    script (traditional → simplified), width (NFKC), spacing and punctuation."""
    body = to_simplified(unicodedata.normalize("NFKC", "".join(block.text for block in doc.blocks)))
    return "".join(filter(str.isalnum, body))  # the letters and digits (categories L*, N*)


@dataclass(frozen=True)
class Duplicate:
    first: Document
    second: Document
    why: str  # "文号 衡政办发〔2024〕5号" or "text"


def find_duplicates(documents: list[Document], in_order: bool = False) -> list[Duplicate]:
    """Pairs of documents with one 文号, or with one normalised text (the later source second;
    `in_order`: the later in `documents`, as `import` adds them)."""
    from ..core.docnumber import DocNumber

    found: list[Duplicate] = []
    by_number: dict[str, Document] = {}
    by_text: dict[str, Document] = {}
    by_title: dict[tuple, Document] = {}
    for doc in documents if in_order else sorted(documents, key=lambda d: str(d.source)):
        digest = hashlib.sha256(normalised_text(doc).encode()).hexdigest()
        first = by_text.setdefault(digest, doc)
        if first is not doc:
            found.append(Duplicate(first, doc, "text"))
            continue
        if (key := _title_key(doc)) is not None:
            # another copy of one document: a crawler's text of a saved page (headings dropped, no 文号)
            first = by_title.setdefault(key, doc)
            if first is not doc:
                found.append(
                    Duplicate(
                        first, doc, f"title and date ({doc.meta['title']}, {doc.meta['date']})"
                    )
                )
                continue
        number = doc.meta.get("doc_number")
        if number:
            try:
                number_key = DocNumber.parse(number).key()
            except ValueError:
                number_key = number
            first = by_number.setdefault(number_key, doc)
            if first is not doc:
                found.append(Duplicate(first, doc, f"文号 {number}"))
    return found


def _title_key(doc: Document) -> tuple | None:
    """Title (quotes, brackets, spacing and 的 folded), date and place: one document's, however copied."""
    title, date = doc.meta.get("title"), doc.meta.get("date")
    if not title or not date or len(str(date)) < 10:
        return None
    folded = re.sub(r"[\s“”\"'‘’《》〈〉<>（）()的之]", "", unicodedata.normalize("NFKC", title))
    return folded, date, doc.meta.get("region_code")


def duplicates(documents: list[Document], root: Path | None = None) -> list[Problem]:
    problems = []
    for dup in find_duplicates(documents):
        name, first = _rel(dup.second.source, root), _rel(dup.first.source, root)
        if dup.why == "text":
            problems.append(
                Problem(
                    name,
                    f"has the same text as {first}",
                    fix="it is the same document: keep one file and delete the other with its sidecar",
                )
            )
        elif dup.why.startswith("title"):
            problems.append(
                Problem(
                    name,
                    f"has the same {dup.why} as {first}",
                    fix="if it is the same document keep one file; if not, correct `title:` or "
                    f"`date:` under `overrides:` in {sidecar_path(name)}",
                )
            )
        else:
            problems.append(
                Problem(
                    name,
                    f"has the same {dup.why} as {first}",
                    fix="if it is the same document keep one file; if not, correct `doc_number:` "
                    f"under `overrides:` in {sidecar_path(name)}",
                )
            )
    return problems


def _rel(path: Path, root: Path | None) -> Path:
    if root is None:
        return path
    try:
        return path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return path


# 4. docs/ is generated ------------------------------------------------------------------------


def docs_up_to_date(root: Path, files: dict[str, str]) -> list[Problem]:
    docs = root / "docs"
    problems: list[Problem] = []
    for rel, content in sorted(files.items()):
        path = docs / rel
        if not path.exists():
            problems.append(Problem(f"docs/{rel}", "is missing", fix=REBUILD))
            continue
        committed = path.read_text(encoding="utf-8")
        if committed != content:
            problems.append(
                Problem(
                    f"docs/{rel}",
                    "differs from what sources/ produce (generated pages are "
                    "never edited by hand: a correction goes into the source's sidecar)",
                    line=_first_difference(committed, content),
                    fix=REBUILD,
                )
            )
    manifest = docs / MANIFEST
    listed = manifest.read_text(encoding="utf-8").split() if manifest.exists() else []
    for rel in sorted(set(listed) - set(files)):
        if (docs / rel).exists():
            problems.append(
                Problem(f"docs/{rel}", "is no longer produced by any source", fix=REBUILD)
            )
    problems.extend(strays(docs, set(files) | set(listed)))
    if sorted(listed) != sorted(files) and not problems:
        problems.append(
            Problem(f"docs/{MANIFEST}", "does not list the generated files", fix=REBUILD)
        )
    return problems


def strays(docs: Path, generated: set[str]) -> list[Problem]:
    """Files among the generated pages that no source produces and docs/.generated does not list:
    what a build or `add` stopped half-way could leave, which the site would publish."""
    folders = {Path(rel).parent.as_posix() for rel in generated} - {"."}
    problems = []
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if not path.is_file() or rel in generated:
            continue
        if rel.startswith("doc/") or (
            path.suffix == ".md" and path.parent.relative_to(docs).as_posix() in folders
        ):
            problems.append(
                Problem(
                    f"docs/{rel}",
                    f"is among the generated pages, but no source produces it and "
                    f"docs/{MANIFEST} does not list it (left by a build or add that did not finish?)",
                    fix="delete it; a hand-written page goes outside the folders of generated pages",
                )
            )
    return problems


def _first_difference(a: str, b: str) -> int:
    for no, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if x != y:
            return no
    return min(len(a.splitlines()), len(b.splitlines())) + 1


# 5. published addresses -----------------------------------------------------------------------
# The record (published/anchors.txt) and its redirects belong to scripts/site/published.py; with a
# built site `published.check` follows the real redirect pages, without one (--no-site) the
# same question is answered from the generated Markdown and mkdocs.yml.

RECORD_FIX = f"run `python -m scripts published record` and commit {published.RECORD}"


def page_url(rel: str) -> str | None:
    """docs-relative path of a document page → its URL (doc/x.md → /doc/x/)."""
    m = re.fullmatch(r"doc/([^/]+)\.md", rel)
    return f"/doc/{m[1]}/" if m else None


def addresses(files: dict[str, str]) -> dict[str, str]:
    """Every URL and anchor the generated document pages publish, with the fingerprint of its
    words (as `published.current` reads docs/)."""
    found: dict[str, str] = {}
    for rel, markdown in files.items():
        url = page_url(rel)
        if url is not None:
            found.update(published.page_entries(url, markdown))
    return found


def unrecorded(root: Path, files: dict[str, str], current: dict[str, str]) -> list[Problem]:
    """Addresses the site now publishes that the record does not protect yet (not there, or
    without the fingerprint of their words: a record from before they were kept), one line per page."""
    protected = {
        entry
        for _, entry, fp in published.recorded(root / published.RECORD)
        if fp or "#" not in entry
    }
    new = {entry for entry, fp in current.items() if fp or "#" not in entry} - protected
    problems = []
    for rel in sorted(files):
        url = page_url(rel)
        if not url:
            continue
        anchors = sorted(a for a in new if a.startswith(url))
        if anchors:
            shown = ", ".join(a[len(url) :] or url for a in anchors[:3]) + (
                " …" if len(anchors) > 3 else ""
            )
            problems.append(
                Problem(
                    f"docs/{rel}",
                    f"publishes {len(anchors)} URL(s) or anchor(s) not yet in "
                    f"{published.RECORD}, or there without the fingerprint of their words "
                    f"({shown})",
                    fix=RECORD_FIX,
                )
            )
    return problems


def recorded_but_gone(root: Path, current: dict[str, str]) -> list[Problem]:
    """Recorded addresses that the generated pages no longer have and nothing redirects, or that
    now point at other words than were published."""
    try:
        moved = published.moved_anchors(root)
    except ValueError as err:
        return [
            Problem(published.MOVED, str(err).split(": ", 1)[-1], fix="see docs/about/links.md")
        ]
    pages = page_redirects(root)
    by_page: dict[str, dict[str, str]] = {}
    for entry, fp in current.items():
        url, _, anchor = entry.partition("#")
        by_page.setdefault(url, {})
        if anchor:
            by_page[url][anchor] = fp

    def words_now(url: str) -> dict[str, str] | None:
        return by_page.get(pages.get(url, url))

    problems = []
    entries = published.recorded(root / published.RECORD)
    for number, entry, fp in entries:
        page, _, anchor = entry.partition("#")
        landing = pages.get(page, page)
        if f"{landing}#{anchor}" in current if anchor else landing in current:
            continue
        if entry in moved and f"{page}#{moved[entry]}" in current:
            continue
        what = f"anchor #{anchor} of {page}" if anchor else f"page {page}"
        problems.append(
            Problem(
                published.RECORD,
                f"{what} was published and is gone",
                line=number,
                fix=published.gone_fix(entry, fp, words_now(page) or {}),
            )
        )
    problems += [
        _as_problem(line) for line in published.changed_words(root, entries, words_now, moved)
    ]
    return problems


def _as_problem(line: str) -> Problem:
    """A line of `published.check` ('published/anchors.txt:N: …; fix') as a Problem."""
    where, _, rest = line.partition(": ")
    path, _, number = where.rpartition(":")
    problem, _, fix = rest.partition("; ")
    return Problem(path, problem, line=int(number), fix=fix)


def page_redirects(root: Path) -> dict[str, str]:
    """mkdocs-redirects' redirect_maps from mkdocs.yml, as URLs: {'/doc/old/': '/doc/new/'}."""
    path = root / "mkdocs.yml"
    # a SafeLoader that ignores mkdocs.yml's !!python/name and !ENV tags
    config = (
        yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)
        if path.exists()
        else None
    )
    maps: dict[str, str] = {}
    for plugin in (config or {}).get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("redirects"), dict):
            maps.update(plugin["redirects"].get("redirect_maps") or {})
    return {_md_url(old): _md_url(new) for old, new in maps.items()}


def _md_url(target: str) -> str:
    if re.match(r"https?://", target):
        return target
    return "/" + re.sub(r"(?:/?index)?\.md(?=#|$)", "/", target.lstrip("/")).lstrip("/")


class _LenientLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; they do not matter here."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


# 6. the site and its links --------------------------------------------------------------------

MKDOCS_DOC = re.compile(r"Doc file '([^']+)'")


def site_builds_and_links_resolve(
    root: Path, site_build: MkdocsBuild, figures: dict[str, int]
) -> list[Problem | str]:
    problems: list[Problem | str] = [*site_build.problems()]
    if problems:
        return problems
    site = site_build.site_dir
    gone: list[Problem | str]
    try:
        gone = [*published.check(root, site)]
    except ValueError as err:
        gone = [
            Problem(published.MOVED, str(err).split(": ", 1)[-1], fix="see docs/about/links.md")
        ]
    return [*gone, *not_xml(site), *broken_links(site, root, figures)]


def not_xml(site: Path) -> list[Problem]:
    """Every XML file the site publishes (the feed, the sitemap and its gzip) parses as XML: a feed
    reader or a search engine drops one that is not well-formed."""
    problems = []
    for path in sorted([*site.rglob("*.xml"), *site.rglob("*.xml.gz")]):
        data = path.read_bytes()
        try:
            ElementTree.fromstring(gzip.decompress(data) if path.suffix == ".gz" else data)
        except (ElementTree.ParseError, OSError, EOFError) as err:
            position = getattr(err, "position", None)
            problems.append(
                Problem(
                    f"site/{path.relative_to(site).as_posix()}",
                    f"is not well-formed XML ({err})",
                    line=position[0] if position else None,
                    fix="a character XML forbids reached it: find the field that holds it "
                    "(scripts/pages/web.py xml_text keeps them out of the feed)",
                )
            )
    return problems


@dataclass
class MkdocsBuild:
    """`mkdocs build --strict` of the repository into a folder of its own, running."""

    root: Path
    site_dir: Path
    process: subprocess.Popen
    log: IO[bytes]  # what it says, in a file: a pipe no one reads yet would stop it when full

    @classmethod
    @contextlib.contextmanager
    def started(cls, root: Path) -> Iterator[MkdocsBuild]:
        with (
            tempfile.TemporaryDirectory(prefix="check-site-") as tmp,
            tempfile.TemporaryFile() as log,
        ):
            process = subprocess.Popen(
                # Not --quiet: in MkDocs 1.6 it hides warnings from --strict, which then passes anyway.
                [
                    *(sys.executable, "-m", "mkdocs", "build", "--strict"),
                    *("-f", str(root / "mkdocs.yml"), "-d", tmp),
                ],
                cwd=root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            )
            try:
                yield cls(root, Path(tmp), process, log)
            finally:
                if process.poll() is None:  # not waited for: a check before it failed
                    process.kill()
                process.wait()

    def problems(self) -> list[Problem]:
        """Waits for the build: one problem per warning of --strict, with its page and line."""
        if self.process.wait() == 0:
            return []
        self.log.seek(0)
        return mkdocs_problems(self.root, self.log.read().decode("utf-8", errors="replace"))


def mkdocs_problems(root: Path, output: str) -> list[Problem]:
    problems = []
    for line in output.splitlines():
        m = re.match(r"\s*(?:WARNING|ERROR)\s*-\s*(.+)", line)
        if not m or "Aborted with" in line:
            continue
        doc = MKDOCS_DOC.search(m[1])
        link = re.search(r"contains a link '([^']+)'", m[1])
        path = root / "docs" / doc[1] if doc else root / "mkdocs.yml"
        where = _line_containing(path, f"]({link[1]}") if link else None
        problems.append(
            Problem(
                path.relative_to(root),
                f"mkdocs build --strict: {m[1].strip().rstrip('.')}",
                line=where,
                fix="fix the link or page it names",
            )
        )
    return problems or [
        Problem(
            "mkdocs.yml",
            f"mkdocs build --strict failed: {output.strip()[-300:]}",
            fix="run `make site` to see the full error",
        )
    ]


def _line_containing(path: Path, needle: str) -> int | None:
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((no for no, text in enumerate(lines, 1) if needle in text), None)


@dataclass
class _Page:
    """The ids a built page offers and the links it makes."""

    ids: set[str]
    links: list[str]
    redirect: bool  # a page mkdocs-redirects wrote: the browser carries the #anchor on


def _read_page(path: Path) -> _Page:
    # libxml2's parser, as for the sources (scripts/ingest/html_source.py): Python's took
    # seconds for a thousand pages
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        return _Page(set(), [], redirect=False)
    tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_HTML_PARSER)
    return _Page(
        ids=set(_IDS(tree)) - {""},
        links=_HREFS(tree),
        redirect=any(equiv.lower() == "refresh" for equiv in _HTTP_EQUIV(tree)),
    )


_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)  # an 8 MB document's page
# plain strings: lxml's default ones keep their whole page in memory
_IDS = lxml.etree.XPath("//@id | //a/@name", smart_strings=False)
_HREFS = lxml.etree.XPath("//a/@href", smart_strings=False)
_HTTP_EQUIV = lxml.etree.XPath("//meta/@http-equiv", smart_strings=False)


def broken_links(site: Path, root: Path, figures: dict[str, int] | None = None) -> list[Problem]:
    """Every <a href> of every built page that points inside the site must reach a file, and its
    #fragment an id on that page."""
    pages = {
        "/" + path.relative_to(site).as_posix(): _read_page(path)
        for path in sorted(site.rglob("*.html"))
    }
    problems: list[Problem] = []
    checked = 0
    existing: dict[str, str | None] = {}
    for page, parser in pages.items():
        if page == "/404.html":
            continue  # served at any depth, so its relative links are written for the site root only
        for href in parser.links:
            target, fragment = _resolve(page, href)
            if target is None:
                continue
            checked += 1
            if target not in existing:  # most pages link the same few dozen (the navigation)
                existing[target] = _existing(site, target)
            target_file = existing[target]
            if target_file is None:
                problems.append(
                    _link_problem(
                        root, page, href, f"links to {target}, which the site does not have"
                    )
                )
            elif (
                fragment
                and target_file in pages
                and not pages[target_file].redirect
                and fragment not in pages[target_file].ids
            ):
                problems.append(
                    _link_problem(
                        root, page, href, f"links to #{fragment}, which {target} does not have"
                    )
                )
    if figures is not None:
        figures["pages"] = len(pages)
        figures["links"] = checked
    return problems


def _resolve(page: str, href: str) -> tuple[str | None, str]:
    """An href on a page → (site path, fragment), or (None, '') for a link leaving the site."""
    url = urlsplit(urljoin(page, href.strip()))
    if (
        url.scheme not in ("", "http", "https")
        or url.netloc
        or href.strip().startswith(("//", "mailto:"))
    ):
        return None, ""
    if re.match(r"[a-z][a-z0-9+.-]*:", href.strip(), re.IGNORECASE):
        return None, ""
    return unquote(url.path), unquote(url.fragment)


def _existing(site: Path, path: str) -> str | None:
    rel = path.lstrip("/")
    for candidate in (rel, f"{rel.rstrip('/')}/index.html" if rel else "index.html"):
        if candidate and (site / candidate).is_file():
            return "/" + candidate
    if not rel:
        return "/index.html" if (site / "index.html").is_file() else None
    return None


def _link_problem(root: Path, page: str, href: str, problem: str) -> Problem:
    """Name the Markdown file (and line) the link came from when we can find it."""
    source = _markdown_of(root, page)
    line = None
    if source is not None and source.exists():
        # MkDocs rewrites `doc/x.md#a` to `../doc/x/#a`: fall back to the fragment, then the page name.
        fragment = href.partition("#")[2]
        page_name = href.partition("#")[0].rstrip("/").rsplit("/", 1)[-1]
        needles = [f"]({href})", f"]({href} ", f'href="{href}"', href]
        needles += (
            [f"#{fragment})", f'#{fragment}"']
            if fragment
            else [f"{page_name}.md)", f"{page_name}/)"]
        )
        for needle in needles:
            line = _line_containing(source, needle)
            if line:
                break
        return Problem(
            source.relative_to(root),
            f"link {href!r} {problem}",
            line=line,
            fix="fix the link (or, for a generated page, the code or sidecar that writes it)",
        )
    return Problem(
        f"site{page}", f"link {href!r} {problem}", fix="fix the template or hook that writes it"
    )


def _markdown_of(root: Path, page: str) -> Path | None:
    rel = page.lstrip("/")
    if rel == "index.html":
        return root / "docs" / "index.md"
    if rel.endswith("/index.html"):
        stem = rel[: -len("/index.html")]
        for candidate in (root / "docs" / f"{stem}.md", root / "docs" / stem / "index.md"):
            if candidate.exists():
                return candidate
    return None


def main(root: Path, site: bool = True) -> int:
    report = check(root, site=site)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print(f"check: {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    figures = ", ".join(f"{v} {k}" for k, v in report.figures.items())
    print(f"check: all good ({figures})")
    return 0
