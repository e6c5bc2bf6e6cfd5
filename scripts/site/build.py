"""`site`: docs/ → site/ with MkDocs, rebuilding only the pages whose Markdown changed when that is
safe, so that adding one document to a 10,000-document archive does not re-render 10,000 pages.

MkDocs renders every page one by one and has no incremental build of its own (`--dirty` compares
file times and warns that navigation may go stale). Our pages can be rebuilt alone because
everything a page shows lives in its own Markdown (relations are written into it by
scripts/pipeline/build.py) and the navigation is pruned to a few fixed pages (mkdocs.yml `nav:`). So:

- the previous build's state (site/.build-state.json, written whole under a temporary name; a
  damaged one counts as none) records a fingerprint of everything that is not a page
  (mkdocs.yml, published/moved-anchors.txt, overrides/, docs/ assets, scripts/*.py, package versions) and a
  hash per page (with its size and time, so that an unchanged file is not read again);
- when the fingerprint matches, MkDocs runs with `dirty=True` and a page counts as modified
  only when its content hash changed (and the pages the navigation names without a title are
  always rebuilt, so the navigation shows their real titles); pages that disappeared are removed
  from site/;
  unchanged pages are not even read, so a hook never sees every page: what it needs of every
  page (the feed's entries, the search summaries) it caches when it renders the page
  (.cache/site-pages/, scripts/site/search_index.py);
- the search index (scripts/site/search_index.py) is written once MkDocs has rendered the pages:
  whole after a full build, otherwise only for the documents that changed.

Otherwise (first build, changed config, theme, hooks or the scripts they import, `--full`, a
build that did not finish, a navigation that lists every page, a plugin that needs every page
such as MkDocs' own `search`) it is a full, clean build.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..core.files import write_atomic
from ..core.paths import SOURCE_SUFFIXES, refuse_links_out_of_the_repository
from ..speed import collector, memo
from ..speed.forked import ChildDied, Forked, can_fork, jobs
from ..speed.progress import Progress, Stage
from ..speed.stamps import settled
from ..speed.version import code_version
from . import parallel, search_index

STATE = ".build-state.json"
# Markdown to render from which the pages are shared out over the cores (scripts/site/parallel.py):
# a full build of more than a few documents, or an incremental one that renders long lists again
PARALLEL_FROM_BYTES = 256 * 1024
DOCUMENTS = "doc/"  # document pages: docs/doc/<id>.md
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "mkdocs-redirects")
# Plugins that must see every page in one build (MkDocs' `search` builds one index of all pages).
NEEDS_EVERY_PAGE = {"search", "material/search"}
DIRTY_WARNING = "A 'dirty' build is being performed"
DOWNLOADS = "sources/"  # in site/: each document's raw source, as the MkDocs hook ships it
# served under their own names: text, and a spreadsheet a browser downloads (a page, a record or a
# CSV row gets .txt after its name, so that a scraped page's scripts never run on this site)
SERVED_AS_IS = (".txt", ".text", ".xlsx", ".xlsm")


def downloads_stamp(sources: Path) -> str:
    """The name, size and time of every file in sources/: when they are those of the last build,
    the sources it shipped as downloads (source_downloads) are still the right ones."""
    digest = hashlib.sha1()
    if sources.is_dir():
        for entry in sorted(os.scandir(sources), key=lambda entry: entry.name):
            if entry.is_file():
                stat = entry.stat()
                digest.update(f"{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def source_downloads(sources: Path, doc_ids: set[str]) -> dict[Path, str]:
    """The raw source of each document page, and the site's path of its download."""
    downloads = {}
    # names as strings, a Path made only for a download: at 10,000 documents, Path objects for
    # the 20,000 files of sources/ cost 0.3 s of each site build, twice
    for name in sorted(os.listdir(sources)) if sources.is_dir() else []:
        stem, dot, extension = name.rpartition(".")
        suffix = f".{extension.lower()}"
        if dot and stem and stem in doc_ids and suffix in SOURCE_SUFFIXES:
            served = name if suffix in SERVED_AS_IS else name + ".txt"
            downloads[sources / name] = DOWNLOADS + served
    return downloads


def fingerprint(root: Path, config_file: Path, docs_dir: Path) -> str:
    """Everything a page's HTML depends on besides its own Markdown."""
    digest = hashlib.sha256()
    digest.update(config_file.read_bytes())
    # the moved anchors: the hook puts their aliases into the pages they name
    moved = root / "published" / "moved-anchors.txt"
    digest.update(b"moved\0" + (moved.read_bytes() if moved.exists() else b""))
    content = generated_files(docs_dir)
    for folder in (root / "overrides", docs_dir):
        # not pages, not docs/.generated (scripts/pipeline/build.py's list), not caches; as strings
        # (at 10,000 documents, a walk of pathlib objects over docs/ took a second of a no-op)
        for rel in sorted(_files_under(folder)):
            name = rel.rsplit("/", 1)[-1]
            if (
                not name.endswith(".md")
                and not name.startswith(".")
                and not (folder == docs_dir and rel in content)
                and "__pycache__" not in rel.split("/")
            ):
                path = folder / rel
                digest.update(
                    path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes()
                )
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}=={metadata.version(package)}".encode())
    # hooks import scripts/ (and this file decides what is rebuilt): any change there is a full build
    digest.update(code_version().encode())
    return digest.hexdigest()


def generated_files(docs_dir: Path) -> set[str]:
    """What scripts/pipeline/build.py wrote (docs/.generated): content, like pages, not theme."""
    manifest = docs_dir / ".generated"
    return set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()


def page_hashes(
    docs_dir: Path, previous: dict
) -> tuple[dict[str, str], dict[str, list[int]], set[str]]:
    """A hash per page, and per generated file (exports, removal reports) that MkDocs copies;
    each file's size and modification time; and the files that were read. A file whose size and
    time are those the last build saw (`previous`: its state, with "pages", "stats" and
    "looked_at") keeps its hash unread, as git's index does: at 10,000 documents, reading docs/
    took longer than rendering the pages that changed. A file changed in the same tick as it was
    looked at could keep its size and time: it is read again (speed/stamps.py)."""
    known, known_stats = previous.get("pages", {}), previous.get("stats", {})
    looked_at = previous.get("looked_at", 0)
    uris = markdown_files(docs_dir) | generated_files(docs_dir)
    hashes, stats, read = {}, {}, set()
    prefix = f"{docs_dir}/"
    for uri in sorted(uris):  # paths as strings: at 10,000 documents pathlib cost more than stat
        try:
            stat = os.stat(prefix + uri)
        except FileNotFoundError:
            continue
        stats[uri] = [stat.st_size, stat.st_mtime_ns]
        if (
            uri in known
            and known_stats.get(uri) == stats[uri]
            and settled(stat.st_mtime_ns, looked_at)
        ):
            hashes[uri] = known[uri]
        else:
            with open(prefix + uri, "rb") as f:
                hashes[uri] = hashlib.sha1(f.read()).hexdigest()
            read.add(uri)
    return hashes, stats, read


def _files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as a path relative to it."""
    found = []
    for here, _, names in os.walk(folder):
        rel = os.path.relpath(here, folder)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found += [prefix + name for name in names]
    return found


def markdown_files(docs_dir: Path) -> set[str]:
    """Every page under docs/, as a path relative to it."""
    found: set[str] = set()
    for folder, _, names in os.walk(docs_dir):
        rel = os.path.relpath(folder, docs_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names if name.endswith(".md"))
    return found


def untitled_nav_pages(nav: list) -> set[str]:
    """The pages the configured navigation names without a title (`- about/x.md`): the navigation
    of every page shows their title, which MkDocs reads from the page itself, so an incremental
    build renders them again. A titled entry (`- 按年份: browse/years.md`) needs no such thing."""
    found: set[str] = set()

    def walk(item, titled: bool) -> None:
        if isinstance(item, str):
            if item.endswith(".md") and not titled:
                found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value, True)
        elif isinstance(item, list):
            for value in item:
                walk(value, False)

    walk(nav, False)
    return found


def full_reason(config, state: dict, print_: str, root: Path) -> str | None:
    """Why this build must be full, or None when an incremental build is safe."""
    if not state:
        return "no finished previous build"
    if not search_index.records_dir(root).is_dir():
        return "the search records of the last build are gone"
    if state.get("fingerprint") != print_:
        return "configuration, theme, assets or packages changed"
    if config["nav"] is None:
        return "the navigation lists every page (no `nav:` in mkdocs.yml)"
    needy = NEEDS_EVERY_PAGE & set(config["plugins"].keys())
    if needy:
        return f"the {', '.join(sorted(needy))} plugin needs every page"
    return None


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@dataclass
class Seen:
    """docs/ as it is now, against the state the last finished build left in site/."""

    docs_dir: Path
    site_dir: Path
    previous: dict  # that state ({} when there is none, or the build is --full)
    hashes: dict[str, str]  # a hash per page and generated file
    stats: dict[str, list]  # their sizes and times
    looked_at: int  # when
    read: set[str]  # the files whose size and time were not enough: read and hashed

    def changed(self) -> set[str]:
        before = self.previous.get("pages", {})
        return {uri for uri, digest in self.hashes.items() if before.get(uri) != digest}


def look(docs_dir: Path, site_dir: Path, full: bool, progress: Progress | None = None) -> Seen:
    state_path = site_dir / STATE
    with (progress or Progress()).stage("looking at docs/", unit="files") as stage:
        previous = read_state(state_path) if not full else {}
        looked_at = time.time_ns()
        hashes, stats, read = page_hashes(docs_dir, previous)
        stage.reached(len(hashes))
    return Seen(docs_dir, site_dir, previous, hashes, stats, looked_at, read)


def read_state(path: Path) -> dict:
    """The last finished build's state; none (a full build) when it is missing or damaged (written
    by hand, or by a version that kept other keys): it is only ever a shortcut."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    valid = (
        isinstance(state, dict)
        and isinstance(state.get("pages"), dict)
        and isinstance(state.get("stats"), dict)
        and isinstance(state.get("looked_at"), int)
    )
    return state if valid else {}


@dataclass
class Plan:
    """What a site build will do, worked out before MkDocs runs."""

    root: Path
    config: Any  # MkDocs' configuration, loaded
    docs_dir: Path
    site_dir: Path
    previous: dict  # the state of the last finished build ({} when this one is full)
    state: dict  # the state this build leaves: fingerprint, a hash per page
    full_because: str | None  # why the build is full; None for an incremental one
    changed: set[str]  # the pages (and generated files) to render or copy again
    seen: Seen

    def nothing_to_do(self) -> bool:
        """An incremental build with no page changed, added or removed, and no source to ship
        again: site/ is already what a build would make of docs/ (the search index too)."""
        return (
            not self.full_because
            and not self.seen.changed()
            and set(self.previous["pages"]) == set(self.state["pages"])
            and self.previous.get("downloads") == self.state["downloads"]
            and "search" in self.previous
        )


def build_site(
    root: Path, full: bool = False, quiet: bool = False, progress: Progress | None = None
) -> str:
    """Build root/site from root/docs; returns 'full …' or 'incremental (K of N pages)'.
    Unless `quiet`, says so in a closing line: with a progress that shows, the summary
    (documents, pages, the time of each stage).

    MkDocs runs in a forked child: it holds every page in memory, which is given back before the
    search index is built (peak = the larger of the two, not their sum)."""
    global _plan
    progress = progress or Progress()
    _plan = plan = plan_build(root, full, progress=progress)
    unchanged = plan.nothing_to_do()
    if unchanged:
        mode, searched = "unchanged (no page, source, setting nor code changed since)", ""
    else:
        # a build that does not finish leaves no state: the next one is full
        (plan.site_dir / STATE).unlink(missing_ok=True)
        with memo.kept_in(root):  # the hook's search words: found there (scripts/pages/web.py)
            mode = render_following(plan, progress)
        searched = index_search(root, plan, progress)
    # Written unless nothing was done and every file was known by its size and time: then the
    # state on disk says all this already (at 10,000 documents, writing it was a fifth of a no-op)
    if not unchanged or plan.seen.read:
        write_atomic(
            plan.site_dir / STATE, json.dumps(plan.state, sort_keys=True)
        )  # whole, or the old one
    if not quiet:
        closing = f"site built: {mode}" + (f"; search: {searched}" if searched else "")
        if progress.shows:
            pages = [uri for uri in plan.state["pages"] if uri.endswith(".md")]
            closing += (
                f"; {sum(map(is_document_page, pages))} documents, {len(pages)} pages; "
                f"{progress.times()}"
            )
        progress.say(closing)
    return mode


def render_following(plan: Plan, progress: Progress) -> str:
    """MkDocs on the plan, its pages counted as they are read and written (MkDocsCounts) by
    this process's progress. In a forked child: it holds every page in memory, which is given
    back when it ends. ARCHIVE_SITE_NO_FORK=1: in this process, so that a profiler sees MkDocs
    (scripts/bench/profile.py)."""
    global _counts
    _counts = counts = MkDocsCounts()
    follow = counts.follower(progress, len(pages_to_render(plan)), planned_workers(plan))
    stop_following = progress.every_tick(follow)
    try:
        if can_fork() and not os.environ.get("ARCHIVE_SITE_NO_FORK"):
            with progress.fork_safe():
                mkdocs = Forked(_render_planned)  # the child has the plan: forked after it was made
            with mkdocs:  # stopped (Ctrl-C, SIGTERM): killed and reaped, never waited on
                search_index.import_ahead()  # while the child sets MkDocs up on one core
                try:
                    mode = mkdocs.result()
                except ChildDied as died:
                    raise RuntimeError(
                        f"MkDocs, building the site in a forked process, {died.how}"
                    ) from None
        else:
            mode = _render_planned()
        follow(done=True)
    finally:
        stop_following()
        _counts = None
    return mode


class MkDocsCounts:
    """The pages MkDocs has read (Markdown → HTML) and written (theme → site/), counted where it
    runs (a forked child) in memory shared with this process, whose progress follows them."""

    def __init__(self):
        # RawValue is what Value(..., lock=False) returns; its stub types `.value` as an int
        self.read = multiprocessing.RawValue(ctypes.c_long, 0)
        self.written = multiprocessing.RawValue(ctypes.c_long, 0)

    def counting(self, mkdocs_build) -> tuple[Any, Any]:
        """MkDocs' reading and writing of a page, counted: wrapped around what the plan leaves them."""
        populate, build_page = mkdocs_build._populate_page, mkdocs_build._build_page

        def read(page, config, files, dirty=False):
            done = populate(page, config, files, dirty)
            if page.content is not None:  # read and rendered, not skipped as unchanged
                self.read.value += 1
            return done

        def write(page, config, doc_files, nav, env, dirty=False, excluded=False):
            if (
                not dirty or page.file.is_modified()
            ):  # MkDocs writes it (a dirty build skips the others)
                self.written.value += 1
            return build_page(page, config, doc_files, nav, env, dirty, excluded)

        return read, write

    def follower(self, progress: Progress, pages: int, workers: int = 1):
        """A look for the progress's ticker: one stage while MkDocs reads, one while it writes;
        one for both when `workers` processes read and write the pages side by side."""
        if workers > 1:
            both = progress.stage("MkDocs: reading and writing pages", total=pages, unit="pages")

            def follow_both(done: bool = False) -> None:
                both.reached(self.written.value)
                if done:
                    both.end(f"{workers} processes")

            return follow_both
        reading = progress.stage("MkDocs: reading pages", total=pages, unit="pages")
        writing: list[Stage] = []

        def follow(done: bool = False) -> None:
            reading.reached(self.read.value)
            if (self.written.value or done) and not writing:
                reading.end()
                writing.append(progress.stage("MkDocs: writing pages", total=pages, unit="pages"))
            if writing:
                writing[0].reached(self.written.value)
                if done:
                    writing[0].end()

        return follow


_counts: MkDocsCounts | None = None  # while MkDocs runs (inherited by the forked child)


_plan: Plan | None = None  # the build in progress, for the forked child that runs MkDocs


def plan_build(
    root: Path, full: bool, seen: Seen | None = None, progress: Progress | None = None
) -> Plan:
    """`seen`: docs/ as looked at already, when MkDocs' configuration puts docs/ and site/ there."""
    from mkdocs.config import load_config

    progress = progress or Progress()
    refuse_links_out_of_the_repository(root)  # the site would publish what they lead to
    config_file = root / "mkdocs.yml"
    _show_mkdocs_warnings()
    with progress.stage("reading mkdocs.yml"):
        config = load_config(str(config_file), strict=True)
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    if seen is None or (seen.docs_dir, seen.site_dir) != (docs_dir.resolve(), site_dir.resolve()):
        seen = look(docs_dir, site_dir, full, progress)
    with progress.stage("fingerprint"):
        print_ = fingerprint(root, config_file, docs_dir)
    reason = "--full" if full else full_reason(config, seen.previous, print_, root)
    if reason:
        previous, changed = {}, set(seen.hashes)
    else:
        previous, changed = (
            seen.previous,
            seen.changed() | (untitled_nav_pages(config["nav"]) & set(seen.hashes)),
        )
    state = {
        "fingerprint": print_,
        "pages": seen.hashes,
        "stats": seen.stats,
        "looked_at": seen.looked_at,
        "downloads": downloads_stamp(root / "sources"),
    }
    if not reason and "search" in seen.previous:  # kept as it is when nothing is to be done
        state["search"] = seen.previous["search"]
    return Plan(root, config, docs_dir, site_dir, previous, state, reason, changed, seen)


def _render_planned() -> str:
    """MkDocs: every page, or only the changed ones; returns the mode."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.files import File

    plan = _plan
    assert plan is not None, "build_site() plans the build before MkDocs renders it"
    config, current, changed = plan.config, plan.state["pages"], plan.changed
    original, populate, build_page = (
        File.is_modified,
        mkdocs_build._populate_page,
        mkdocs_build._build_page,
    )
    workers = planned_workers(plan)
    untitled = untitled_nav_pages(config["nav"] or [])  # read first by every worker
    if plan.full_because:
        shutil.rmtree(
            search_index.records_dir(plan.root), ignore_errors=True
        )  # every page writes its own again
        if workers > 1:
            _run_mkdocs(
                config,
                False,
                lambda config: parallel.build_in_parallel(config, workers, untitled, _pages_done),
            )
            return f"full ({plan.full_because})"
        try:
            if _counts:
                mkdocs_build._populate_page, mkdocs_build._build_page = _counts.counting(
                    mkdocs_build
                )
            _run_mkdocs(config, False, lambda config: mkdocs_build.build(config, dirty=False))
        finally:
            mkdocs_build._populate_page, mkdocs_build._build_page = populate, build_page
        return f"full ({plan.full_because})"
    for uri in sorted(set(plan.previous["pages"]) - set(current)):
        _remove_output(
            File(uri, str(plan.docs_dir), str(plan.site_dir), config["use_directory_urls"])
        )
    ours = set(current)  # pages and generated files: by hash; theme and hand-made assets: by mtime
    # MkDocs has no hook for what counts as modified: patched for this build, restored below
    File.is_modified = lambda self: (  # type: ignore[method-assign]
        (self.src_uri in changed) if self.src_uri in ours else original(self)
    )
    try:
        with collector.paused():  # few pages are rendered, but MkDocs makes objects for them all
            if workers > 1:  # the long lists one new document changes, over the cores
                _run_mkdocs(
                    config,
                    True,
                    lambda config: parallel.build_in_parallel(
                        config, workers, untitled, _pages_done, only=changed
                    ),
                )
            else:
                mkdocs_build._populate_page = _read_only_unless(changed, populate)
                if _counts:
                    mkdocs_build._populate_page, mkdocs_build._build_page = _counts.counting(
                        mkdocs_build
                    )
                _run_mkdocs(config, True, lambda config: mkdocs_build.build(config, dirty=True))
    finally:
        File.is_modified = original  # type: ignore[method-assign]  # the patch above, undone
        mkdocs_build._populate_page, mkdocs_build._build_page = populate, build_page
    _remove_stale_downloads(plan)
    pages = [uri for uri in current if uri.endswith(".md")]
    return f"incremental ({len([uri for uri in changed if uri.endswith('.md')])} of {len(pages)} pages)"


def is_document_page(uri: str) -> bool:
    return uri.startswith(DOCUMENTS) and uri.endswith(".md")


def page_url(uri: str) -> str:
    """doc/<id>.md → /doc/<id>/, hunan/index.md → /hunan/, index.md → / (use_directory_urls)."""
    path = uri[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    return f"/{path}/".replace("//", "/")


def _read_only_unless(changed: set[str], populate):
    """MkDocs' page reading, for an incremental build: a changed page is read and rendered; an
    unchanged one is not even read (what hooks need of every page, they cached when it was
    rendered: the feed's entries, the search summaries)."""

    def read(page, config, files, dirty=False):
        if page.file.src_uri in changed:
            return populate(page, config, files, dirty=False)

    return read


def _show_mkdocs_warnings() -> None:
    """As `mkdocs build --strict` shows them: warnings and errors (and strict mode counts them).
    Not like --quiet, which drops warnings before strict mode can count them."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.WARNING)


def pages_to_render(plan: Plan) -> list[str]:
    """Every page of a full build; the changed pages of an incremental one."""
    return [
        uri
        for uri in (plan.state["pages"] if plan.full_because else plan.changed)
        if uri.endswith(".md")
    ]


def planned_workers(plan: Plan) -> int:
    """Processes to read and write the pages this build renders."""
    uris = pages_to_render(plan)
    sizes = plan.state["stats"]
    markdown = sum(sizes[uri][0] for uri in uris if uri in sizes)
    return site_workers(len(uris), markdown, plan.config["plugins"])


def site_workers(pages: int, markdown_bytes: int, plugins: Iterable[str] = ()) -> int:
    """Processes for the pages a build renders (scripts/site/parallel.py): one per core
    (ARCHIVE_JOBS, as the pipeline's) for two pages or more and PARALLEL_FROM_BYTES of their
    Markdown; one where a profiler must see MkDocs, or where a plugin needs every page in one
    process (MkDocs' search)."""
    if (
        pages < 2
        or markdown_bytes < PARALLEL_FROM_BYTES
        or NEEDS_EVERY_PAGE & set(plugins)
        or not can_fork()
        or os.environ.get("ARCHIVE_SITE_NO_FORK")
    ):
        return 1
    return jobs()


def _pages_done(pages: int) -> None:
    """The progress's counts, as the parallel build's workers finish their shares of pages."""
    if _counts:
        _counts.read.value += pages
        _counts.written.value += pages


def _run_mkdocs(config, dirty: bool, build: Callable[[Any], None]) -> None:
    """MkDocs' `build(config)` (or ours, scripts/site/parallel.py) as `mkdocs build` runs it."""
    dirty_filter = _DropDirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")  # where MkDocs logs its --dirty warning
    logger.addFilter(dirty_filter)
    config.plugins.on_startup(command="build", dirty=dirty)
    # no build date in the site: the same sources give the same bytes on any day (MkDocs reads the
    # date from here: the sitemap's gzip header; overrides/sitemap.xml leaves out <lastmod>)
    date_before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        logger.removeFilter(dirty_filter)
        if date_before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = date_before


def _remove_stale_downloads(plan: Plan) -> None:
    """A dirty build only adds: the download of a source that was deleted (or renamed) goes here,
    as a full build would never have written it."""
    folder = plan.site_dir / DOWNLOADS
    if not folder.is_dir():
        return
    doc_ids = {uri[len(DOCUMENTS) : -3] for uri in plan.state["pages"] if is_document_page(uri)}
    wanted = set(source_downloads(plan.root / "sources", doc_ids).values())
    for path in folder.iterdir():
        if DOWNLOADS + path.name not in wanted and path.is_file():
            path.unlink()


def _remove_output(file) -> None:
    dest = Path(file.abs_dest_path)
    if dest.exists():
        dest.unlink()
        if dest.name == "index.html" and not any(dest.parent.iterdir()):
            dest.parent.rmdir()


def index_search(root: Path, plan: Plan, progress: Progress | None = None) -> str:
    """The search index of the built site (scripts/site/search_index.py), of every page (the documents
    by their text, the others by their titles): rebuilt whole after a full build or when many
    pages changed since it was; otherwise only the changed pages are indexed again, in a small
    second index. Its state is stored in the plan's state."""
    urls = {page_url(uri) for uri in plan.state["pages"] if uri.endswith(".md")}
    changed = {page_url(uri) for uri in plan.changed if uri.endswith(".md")}
    state, done = search_index.index_site(
        root,
        plan.site_dir,
        urls,
        changed,
        search_index.SearchState.load(plan.previous.get("search")),
        progress,
    )
    plan.state["search"] = state.as_json()
    return done
