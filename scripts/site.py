"""`site`: docs/ → site/ with MkDocs, rebuilding only the pages whose Markdown changed when that is
safe, so that adding one document to a 10,000-document archive does not re-render 10,000 pages.

MkDocs renders every page one by one and has no incremental build of its own (`--dirty` compares
file times and warns that navigation may go stale). Our pages can be rebuilt alone because
everything a page shows lives in its own Markdown (relations are written into it by
scripts/build.py) and the navigation is pruned to a few fixed pages (mkdocs.yml `nav:`). So:

- the previous build's state (site/.build-state.json) records a fingerprint of everything that
  is not a page (mkdocs.yml, overrides/, docs/ assets, scripts/*.py, package versions) and a
  hash per page;
- when the fingerprint matches, MkDocs runs with `dirty=True` and a page counts as modified
  only when its content hash changed (and the pages the navigation names without a title are
  always rebuilt, so the navigation shows their real titles); pages that disappeared are removed
  from site/;
  unchanged pages are not even read, so a hook never sees every page: what it needs of every
  page (the feed's entries, the search summaries) it caches when it renders the page
  (.cache/site-pages/, scripts/search_index.py);
- then Pagefind indexes site/ (when the site has a pagefind.yml): the summary index whole, the
  full text only for what changed (scripts/search_index.py).

Otherwise (first build, changed config, theme, hooks or the scripts they import, `--full`, a
build that did not finish, a navigation that lists every page, a plugin that needs every page
such as MkDocs' own `search`) it is a full, clean build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from . import memo, search_index

STATE = ".build-state.json"
DOCUMENTS = "doc/"  # document pages: docs/doc/<id>.md
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "mkdocs-redirects")
# Plugins that must see every page in one build (MkDocs' `search` builds one index of all pages).
NEEDS_EVERY_PAGE = {"search", "material/search"}
DIRTY_WARNING = "A 'dirty' build is being performed"


def fingerprint(root: Path, config_file: Path, docs_dir: Path) -> str:
    """Everything a page's HTML depends on besides its own Markdown."""
    digest = hashlib.sha256()
    digest.update(config_file.read_bytes())
    content = {docs_dir / rel for rel in generated_files(docs_dir)}
    for folder in (root / "overrides", docs_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            # not pages, not docs/.generated (scripts/build.py's list), not caches
            if path.is_file() and path.suffix != ".md" and not path.name.startswith(".") and path not in content \
                    and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    # hooks import scripts/ (and this file decides what is rebuilt): any change there is a full build
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generated_files(docs_dir: Path) -> set[str]:
    """What scripts/build.py wrote (docs/.generated): content, like pages, not theme."""
    manifest = docs_dir / ".generated"
    return set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()


def page_hashes(docs_dir: Path) -> dict[str, str]:
    """A hash per page, and per generated file (exports, removal reports) that MkDocs copies."""
    paths = set(docs_dir.rglob("*.md")) | {docs_dir / rel for rel in generated_files(docs_dir)}
    return {path.relative_to(docs_dir).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
            for path in sorted(paths) if path.is_file()}


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
    if not search_index.records_dir(root).is_dir() and (root / "pagefind.yml").exists():
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


def build_site(root: Path, full: bool = False, quiet: bool = False) -> str:
    """Build root/site from root/docs; returns 'full …' or 'incremental (K of N pages)'.

    MkDocs runs in a forked child: it holds every page in memory, and Pagefind, which holds the
    whole index in memory too, starts only once that memory is given back (peak = the larger
    of the two, not their sum)."""
    # ARCHIVE_SITE_NO_FORK=1: in this process, so that a profiler sees MkDocs (scripts/bench/profile.py)
    if "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("ARCHIVE_SITE_NO_FORK"):
        with multiprocessing.get_context("fork").Pool(1) as pool:
            mode, site_dir, state, previous, summary_built = pool.apply(_build_pages, (root, full))
    else:
        mode, site_dir, state, previous, summary_built = _build_pages(root, full)
    searched = index_search(root, site_dir, state, previous, summary_built)
    (site_dir / STATE).write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    if not quiet:
        print(f"site built: {mode}" + (f"; search: {searched}" if searched else ""), file=sys.stderr)
    return mode


def _build_pages(root: Path, full: bool) -> tuple[str, Path, dict, dict, bool]:
    """MkDocs: every page, or only the changed ones; returns the mode, site/, the new state, the
    previous one (empty after a full build), and whether the summary index was built beside it."""
    with memo.kept_in(root):  # the hook's search words: found there (scripts/web.py)
        return _build_pages_now(root, full)


def _build_pages_now(root: Path, full: bool) -> tuple[str, Path, dict, dict, bool]:
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    config_file = root / "mkdocs.yml"
    search_index.kept_before_mkdocs.clear()  # a build before this one, in this process, is over
    _show_mkdocs_warnings()
    config = load_config(str(config_file), strict=True)
    docs_dir, site_dir = Path(config["docs_dir"]), Path(config["site_dir"])
    state_path = site_dir / STATE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() and not full else {}
    current = page_hashes(docs_dir)
    print_ = fingerprint(root, config_file, docs_dir)
    reason = "--full" if full else full_reason(config, state, print_, root)
    if state_path.exists():
        state_path.unlink()  # a build that does not finish leaves no state: the next one is full

    summary = None
    if reason:
        changed = set(current)
        state = {}
        shutil.rmtree(search_index.records_dir(root), ignore_errors=True)  # every page writes its own again
        _run_mkdocs(config, mkdocs_build, dirty=False)
        mode = f"full ({reason})"
    else:
        previous = state["pages"]
        changed = {uri for uri, digest in current.items() if previous.get(uri) != digest}
        changed |= untitled_nav_pages(config["nav"]) & set(current)
        for uri in sorted(set(previous) - set(current)):
            _remove_output(File(uri, str(docs_dir), str(site_dir), config["use_directory_urls"]))
        original, populate = File.is_modified, mkdocs_build._populate_page
        ours = set(current)  # pages and generated files: by hash; theme and hand-made assets: by mtime
        File.is_modified = lambda self: (self.src_uri in changed) if self.src_uri in ours else original(self)
        mkdocs_build._populate_page = _read_only_unless(changed, populate)
        summary = summary_beside_mkdocs(root, docs_dir, site_dir, current, changed, previous)
        try:
            _run_mkdocs(config, mkdocs_build, dirty=True)
        finally:
            File.is_modified, mkdocs_build._populate_page = original, populate
            if summary:
                search_index.finish(summary)
        pages = [uri for uri in current if uri.endswith(".md")]
        mode = f"incremental ({len([uri for uri in changed if uri.endswith('.md')])} of {len(pages)} pages)"
    return mode, site_dir, {"fingerprint": print_, "pages": current}, state, summary is not None


def is_document_page(uri: str) -> bool:
    return uri.startswith(DOCUMENTS) and uri.endswith(".md")


def page_url(uri: str) -> str:
    return f"/{uri[:-3]}/"  # doc/<id>.md → /doc/<id>/ (use_directory_urls)


def summary_beside_mkdocs(root: Path, docs_dir: Path, site_dir: Path, current: dict, changed: set[str],
                          previous: dict):
    """In an incremental build that adds, edits or removes documents: the summary records of the
    changed document pages are written first, from their Markdown as the hook would write them,
    and Pagefind builds the summary index while MkDocs renders (one core each; at 10,000
    documents each takes ~15 s). Returns the running Pagefind, or None when there is nothing to do."""
    from mkdocs.utils.meta import get_data

    from . import web

    if not (root / "pagefind.yml").exists():
        return None
    documents = {uri for uri in current if is_document_page(uri)}
    touched = documents & changed
    gone = {uri for uri in previous if is_document_page(uri)} - documents
    if not touched and not gone and search_index.has_bundle(site_dir, search_index.SUMMARY_DIR):
        return None
    for uri in sorted(touched):
        markdown, meta = get_data((docs_dir / uri).read_text(encoding="utf-8-sig"))  # as MkDocs reads a page
        web.add_description(meta, markdown)
        search_index.keep_page(root, page_url(uri), meta, markdown, web.search_fields(meta, markdown),
                                before_mkdocs=True)
    return search_index.index_summary(root, site_dir, {page_url(uri) for uri in documents})


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


def _run_mkdocs(config, mkdocs_build, dirty: bool) -> None:
    dirty_filter = _DropDirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")  # where MkDocs logs its --dirty warning
    logger.addFilter(dirty_filter)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build.build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
        logger.removeFilter(dirty_filter)


def _remove_output(file) -> None:
    dest = Path(file.abs_dest_path)
    if dest.exists():
        dest.unlink()
        if dest.name == "index.html" and not any(dest.parent.iterdir()):
            dest.parent.rmdir()


def index_search(root: Path, site_dir: Path, state: dict, previous: dict, summary_built: bool) -> str:
    """Pagefind's indexes of the built site (scripts/search_index.py), when the site uses Pagefind
    (pagefind.yml): the summary index whole (unless it was built beside MkDocs), the full-text
    one only for what changed. The full-text state is stored in `state`."""
    if not (root / "pagefind.yml").exists():
        return ""
    urls = {page_url(uri): uri for uri in state["pages"] if is_document_page(uri)}
    changed = {url for url, uri in urls.items() if previous.get("pages", {}).get(uri) != state["pages"][uri]}
    full_text, done = search_index.index_site(root, site_dir, set(urls), changed,
                                              search_index.FullTextState.load(previous.get("full_text")),
                                              summary_built)
    state["full_text"] = asdict(full_text)
    return done
