"""The site's two Pagefind indexes, and how a rebuild keeps them fresh without reading every page.

Pagefind downloads, for each word of a query, the index chunk that lists every page holding that
word, with every place it occurs, and then the text of each result shown. Over the full text of
10,000 policy documents a common word (经济, 发展, 县域) sits in every page many times, so one
index cannot keep a first query light. Law databases answer this the way we do: a search of
titles and summaries first, full text when asked.

- summary (site/pagefind/): one small record per document: title, issuer, 文号 (and its search
  token), date, type, places with their pinyin, the opening of the text and its headings, the
  文号 it cites. The header search box searches this first.
- full text (site/pagefind-full/0/, 1/, …): every word of every document page, as Pagefind
  reads the built HTML, in bundles of at most SHARD_PAGES pages that the browser merges.
  Searched when the reader asks for it, or when the summary finds nothing (docs/assets/archive.js).

Pagefind has no incremental mode, so:
- summary records are written by the MkDocs hook for the pages it renders
  (.cache/site-pages/doc/<id>/index.html), and the summary index is rebuilt from all of them:
  small, so that is quick;
- the full-text index is rebuilt only now and then ("main"); pages added or changed since go to
  a small second index ("recent"), which the browser merges in, and the main index's entries for
  those pages are listed as stale (site/search/full-text.json) so results skip them. When the
  recent pages pass a share of the archive, the main index is rebuilt and the recent one emptied.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..speed.progress import Progress
from . import pagefind_stable

SUMMARY_DIR = "pagefind"  # the default index: what the header search box loads first
FULL_DIR = "pagefind-full"
RECENT_DIR = "pagefind-recent"
MANIFEST = "search/full-text.json"  # tells the browser about the recent index and stale entries
# What the MkDocs hook keeps of each document page it renders, for the builds that do not render
# it again: <here>/doc/<id>/index.html (its summary record) and feed.json (its feed entry).
PAGE_CACHE = Path(".cache") / "site-pages"
# Rebuild the main full-text index when this many pages changed since it was built
# (the recent index is rebuilt on every build, so it must stay small).
COMPACT_SHARE = 0.05
COMPACT_AT_LEAST = 20
# Pages per bundle of the main full-text index (Pagefind's memory: ~1.2 GB per 1,000 of our pages);
# ARCHIVE_SHARD_PAGES sets another (tests use small bundles).
SHARD_PAGES = int(os.environ.get("ARCHIVE_SHARD_PAGES", "2000"))
# Pagefind's browser UI bundles; the site has its own search box and never loads them.
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
DOCUMENT_PAGES = "doc/**/index.html"  # relative to site/
OPENING_CHARS = 150
FEED_KEYS = ("id", "title", "description", "issuer", "doc_type", "date", "added", "source")  # what web.atom_feed reads
HEADINGS_AT_MOST = 20


# --- summary records (written by the MkDocs hook) ---------------------------------------------

def records_dir(root: Path) -> Path:
    """Records laid out as the site is (<records>/doc/<id>/index.html), so that Pagefind reads the
    folder itself and gives each record its page's URL. (Pagefind's Python API takes ~0.1 s a
    message: one message a record would cost minutes.)"""
    return root / PAGE_CACHE


def _in_folder(folder: Path, url: str, name: str = "index.html") -> Path:
    """Where a page's file sits in a folder laid out as the site is: /doc/x/ → folder/doc/x/name."""
    return folder / url.strip("/") / name


def summary_record(title: str, facts: list[str], opening: str, headings: list[str], fields, twin: str = "") -> str:
    """A document's summary as a small HTML page for Pagefind: what is shown first comes first
    (title, opening), so an excerpt reads as the document does; search tokens last."""
    esc = html.escape
    parts = [f'<html lang="zh"><head><title>{esc(title)}</title></head><body>', f"<h1>{esc(title)}</h1>"]
    parts += [f'<span data-pagefind-meta="{esc(k)}">{esc(v)}</span>' for k, v in fields.meta.items()]
    parts += [f'<span data-pagefind-filter="{esc(k)}">{esc(v)}</span>'
              for k, values in fields.filters.items() for v in values]
    if opening:
        parts.append(f"<p>{esc(opening)}</p>")
    if facts:
        parts.append(f"<p>{esc(' · '.join(facts))}</p>")
    if headings:
        parts.append("<p>" + "；".join(esc(h) for h in headings) + "</p>")
    if fields.own_number:
        parts.append(f'<p data-pagefind-weight="10">{esc(fields.own_number)}</p>')
    if fields.pinyin:
        parts.append(f'<p data-pagefind-weight="5">{esc(fields.pinyin)}</p>')
    if fields.cited_numbers:
        parts.append(f'<p data-pagefind-weight="0.5">{esc(fields.cited_numbers)}</p>')
    if twin:
        parts.append(f'<p lang="zh-Hans">{esc(twin)}</p>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


kept_before_mkdocs: set[str] = set()  # URLs whose records site.py wrote before MkDocs ran, in this build


def keep_page(root: Path, url: str, meta: dict, markdown: str, fields, before_mkdocs: bool = False) -> None:
    """What later builds that do not render a document page need of it: its feed entry and its
    summary record. An incremental build writes those of the changed pages before MkDocs runs
    (`before_mkdocs`, scripts/site/build.py), so that Pagefind indexes them beside it; the hook then
    leaves them as they are (never rewritten under Pagefind's eyes)."""
    if before_mkdocs:
        kept_before_mkdocs.add(url)
    elif url in kept_before_mkdocs:
        return
    feed_entry = _in_folder(records_dir(root), url, "feed.json")
    feed_entry.parent.mkdir(parents=True, exist_ok=True)
    # whole or not at all: a cut-off one would stop every later build
    write_atomic(feed_entry, json.dumps({k: meta[k] for k in FEED_KEYS if k in meta}, ensure_ascii=False, default=str))
    write_atomic(_in_folder(records_dir(root), url), document_summary(meta, markdown, fields))


def feed_entries(root: Path, urls: set[str]) -> list[dict]:
    """The feed entries of the documents at these URLs, as the pages were last rendered."""
    entries = []
    for url in sorted(urls):
        path = _in_folder(records_dir(root), url, "feed.json")
        if path.exists():
            entries.append(json.loads(path.read_text(encoding="utf-8")))
    return entries


# --- building the indexes ---------------------------------------------------------------------

@dataclass
class FullTextState:
    """What the full-text indexes hold, kept in site/.build-state.json between builds."""

    ids: dict[str, str] = field(default_factory=dict)  # URL → Pagefind id of its entry in the main index
    shards: list[str] = field(default_factory=list)  # the main index's bundles, e.g. ['pagefind-full/0/']
    recent: list[str] = field(default_factory=list)  # URLs changed or added since the main index was built
    removed: list[str] = field(default_factory=list)  # URLs gone since then

    @classmethod
    def load(cls, data: dict | None) -> FullTextState | None:
        """None (the main index is rebuilt) when there is none, or it is damaged."""
        try:
            return cls(**data) if data else None
        except TypeError:
            return None


def index_summary(root: Path, site_dir: Path, doc_urls: set[str], progress: Progress | None = None) -> subprocess.Popen:
    """Starts Pagefind on every document's summary record → site/pagefind/ (records of documents
    gone are removed first); the caller waits for it, `progress` follows it."""
    folder = records_dir(root)
    written = {"/" + p.parent.relative_to(folder).as_posix() + "/" for p in folder.rglob("index.html")} \
        if folder.is_dir() else set()
    for url in written - doc_urls:
        shutil.rmtree(_in_folder(folder, url).parent)
    missing = doc_urls - written
    if missing:
        raise RuntimeError(f"no search summary for {len(missing)} documents (e.g. {min(missing)}); "
                           "run `python -m scripts site --full`")
    process = _start_pagefind(root, folder, site_dir / SUMMARY_DIR, "**/index.html")
    (progress or Progress()).follow_process("search: summary index", process, f"{len(doc_urls)} documents")
    return process


def index_site(root: Path, site_dir: Path, doc_urls: set[str], changed: set[str],
               previous: FullTextState | None, running: subprocess.Popen | None = None,
               progress: Progress | None = None) -> tuple[FullTextState, str]:
    """Both indexes after a site build: `changed` are the document pages rendered anew (added or
    edited); `running`: the Pagefind that has been building the summary index beside MkDocs
    (scripts/site/build.py). Returns the full-text state to keep and what was done, for the build's message."""
    planned = next_full_text(previous, doc_urls, changed)
    unchanged = not changed and planned is not None and planned == previous  # none added, edited or removed
    if running is not None:
        summary, said = running, f"summary: {len(doc_urls)} documents, beside MkDocs"
    elif unchanged and has_bundle(site_dir, SUMMARY_DIR):
        summary, said = None, "summary: unchanged"
    else:
        summary, said = index_summary(root, site_dir, doc_urls, progress), f"summary: {len(doc_urls)} documents"
    if summary and planned is None:  # not beside a rebuild of the main full-text index: their memory would add up
        finish(summary)
        summary = None
    try:
        state, done = index_full_text(root, site_dir, doc_urls, changed, previous, planned, progress)
    finally:
        if summary:  # it ran beside the full text
            finish(summary)
    return state, f"{said}; {done}"


def index_full_text(root: Path, site_dir: Path, doc_urls: set[str], changed: set[str],
                    previous: FullTextState | None, planned: FullTextState | None,
                    progress: Progress | None = None) -> tuple[FullTextState, str]:
    """The main full-text index (rebuilt when `planned`, from next_full_text, is None) and the
    recent one; returns the new state and what was done."""
    progress = progress or Progress()
    state = planned
    if state is None:  # the main index, from every document page of the site
        state = FullTextState(shards=build_main_index(root, site_dir, sorted(doc_urls), progress))
        state.ids = {url: pid for shard in state.shards for url, pid in fragment_ids(site_dir / shard).items()}
        if set(state.ids) != doc_urls:  # without every id, stale entries could not be skipped
            raise RuntimeError(f"the full-text index has {len(state.ids)} of {len(doc_urls)} document pages, "
                               "or Pagefind's fragment format changed (scripts/site/search_index.py: fragment_ids)")
        done = f"full text: {len(state.ids)} pages"
    elif not changed and state == previous and has_bundle(site_dir, RECENT_DIR) == bool(state.recent):  # as it was
        return state, "full text: unchanged"
    else:
        done = f"full text: {len(state.recent)} recent pages"
    shutil.rmtree(site_dir / RECENT_DIR, ignore_errors=True)
    if state.recent:
        with tempfile.TemporaryDirectory() as scratch:
            for url in state.recent:
                # marked, so that a recent entry never has the id of a stale one, even when its text is unchanged
                page = _page_html(site_dir, url).replace(
                    "<div data-pagefind-body>", '<div data-pagefind-body><span hidden data-pagefind-meta="recent:1"></span>', 1)
                path = _in_folder(Path(scratch), url)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(page, encoding="utf-8")
            recent = _start_pagefind(root, Path(scratch), site_dir / RECENT_DIR, DOCUMENT_PAGES)
            progress.follow_process("search: recent pages index", recent, f"{len(state.recent)} page" + ("s" if len(state.recent) != 1 else ""))
            finish(recent)
    stale = sorted(state.ids[url] for url in set(state.recent) | set(state.removed) if url in state.ids)
    manifest = site_dir / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(manifest, json.dumps({"shards": state.shards, "recent": RECENT_DIR + "/" if state.recent else "",
                                       "stale": stale}))
    return state, done


def build_main_index(root: Path, site_dir: Path, urls: list[str], progress: Progress | None = None) -> list[str]:
    """The main full-text index, in bundles of at most SHARD_PAGES pages built one after the
    other: Pagefind holds a whole index in memory (12 GB for 10,000 of our pages at once), the
    browser merges the bundles. Returns their folders, relative to site/."""
    shutil.rmtree(site_dir / FULL_DIR, ignore_errors=True)
    shards = []
    bundles = range(0, len(urls), SHARD_PAGES)
    with (progress or Progress()).stage("search: full-text index", total=len(urls), unit="pages") as stage:
        for number, start in enumerate(bundles):
            stage.working_on(f"bundle {number + 1} of {len(bundles)}")
            shard = f"{FULL_DIR}/{number}/"
            pages = urls[start:start + SHARD_PAGES]
            with tempfile.TemporaryDirectory() as scratch:
                for url in pages:  # the shard's pages, linked, not copied
                    path = _in_folder(Path(scratch), url)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    _link_or_copy(_in_folder(site_dir, url), path)
                finish(_start_pagefind(root, Path(scratch), site_dir / shard, DOCUMENT_PAGES))
            shards.append(shard)
            stage.advance(len(pages))
        stage.working_on("")
        stage.end(f"{len(shards)} bundle(s) of at most {SHARD_PAGES} pages")
    return shards


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system: a copy will do
        shutil.copyfile(source, dest)


def has_bundle(site_dir: Path, name: str) -> bool:
    return (site_dir / name / "pagefind-entry.json").exists()


def next_full_text(previous: FullTextState | None, doc_urls: set[str], changed: set[str]) -> FullTextState | None:
    """The full-text indexes after this build: the main index kept, with the pages changed or
    added since it was built in the recent index; None when the main index must be rebuilt
    (none yet, or too many pages changed since, which would make every build slow)."""
    if previous is None or not previous.shards:
        return None
    recent = ((set(previous.recent) | changed) & doc_urls) | (doc_urls - set(previous.ids))
    removed = (set(previous.removed) | set(previous.ids)) - doc_urls
    if len(recent) + len(removed) > max(COMPACT_AT_LEAST, COMPACT_SHARE * len(doc_urls)):
        return None
    return FullTextState(ids=previous.ids, shards=previous.shards, recent=sorted(recent), removed=sorted(removed))


def _page_html(site_dir: Path, url: str) -> str:
    return _in_folder(site_dir, url).read_text(encoding="utf-8")


def _start_pagefind(root: Path, folder: Path, output: Path, glob: str) -> subprocess.Popen:
    """Pagefind's command line on the pages of `folder` matching `glob` (their URLs are their
    paths there) → a bundle at `output`. Run from the root, so that pagefind.yml gives the
    language and the excluded selectors. (Not its Python API: that waits 0.1 s on every
    message.) Returns the running process: two indexes can be built at once, one per core."""
    from pagefind.service import get_executable

    shutil.rmtree(output, ignore_errors=True)
    command = [str(get_executable()), "--site", str(folder), "--glob", glob, "--output-path", str(output), "--quiet"]
    # what it says on stderr is kept aside (it would break the progress bars) and said by finish()
    said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish, once the process is done)
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=said)
    process.said = said
    return process


# What Pagefind says on every run of ours (pagefind.yml's language is zh): not worth a line.
KNOWN_NOTES = ("Note: Pagefind doesn't support stemming for the language zh.",
               "Search will still work, but will not match across root words.")


def finish(process: subprocess.Popen) -> None:
    """Waits for a Pagefind run; says what it said besides its known notes (all of it when it
    failed); drops the browser UI files it writes that the site never loads."""
    try:
        code = process.wait()
    except BaseException:  # Ctrl-C or SIGTERM: no Pagefind left writing into site/ behind us
        process.kill()
        process.wait()
        raise
    process.said.seek(0)
    said = process.said.read().decode("utf-8", "replace").strip()
    process.said.close()
    if code != 0:
        raise RuntimeError(f"Pagefind failed ({process.returncode}): {' '.join(process.args)}"
                           + (f"\n{said}" if said else ""))
    news = [line for line in said.splitlines() if line.strip() and line.strip() not in KNOWN_NOTES]
    if news:
        print("\n".join(news), file=sys.stderr)
    output = Path(process.args[process.args.index("--output-path") + 1])
    for name in UNUSED_BUNDLE_FILES:
        (output / name).unlink(missing_ok=True)
    pagefind_stable.stabilise(output)  # the same pages give the same files (not so from Pagefind itself)


FRAGMENT_URL = re.compile(rb'^pagefind_dcd\{"url":"((?:[^"\\]|\\.)*)"')


def fragment_ids(bundle: Path) -> dict[str, str]:
    """URL → the id Pagefind gives its result (the name of its fragment file)."""
    ids = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        with gzip.open(path) as f:
            m = FRAGMENT_URL.match(f.read(600))
        if m:
            ids[json.loads(b'"' + m[1] + b'"')] = path.stem
    return ids


def document_summary(meta: dict, markdown: str, fields) -> str:
    """The summary record of a document page, from its metadata and Markdown."""
    from ..pages.web import plain_text, to_simplified

    title = meta.get("title", "")
    facts = [meta.get(k, "") for k in ("issuer", "doc_number", "date", "doc_type")]
    facts.append(" ".join(fields.filters.get("地区", [])))
    markdown = APPENDED_SECTION.split(markdown, 1)[0]  # relations, diagram, targets: not the document's own text
    headings = []
    for m in HEADING.finditer(markdown):
        text = plain_text(m[1]).strip()
        if text and text != title and text not in headings:
            headings.append(text)
    body = markdown.split("\n# ", 1)[-1]  # after the title line
    body = plain_text(HEADING.sub("", body.split("\n", 1)[-1]))
    opening = re.sub(r"\s+", " ", body).strip()[:OPENING_CHARS]
    headings = headings[:HEADINGS_AT_MOST]
    twin = ""
    if meta.get("script") == "zh-Hant":
        twin = to_simplified(" ".join([title, opening, *headings]))
    return summary_record(title, [f for f in facts if f], opening, headings, fields, twin)


APPENDED_SECTION = re.compile(r"^## [^\n]*\{#(?:relations|relation-graph|targets)\}\s*$", re.MULTILINE)
HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*(?:\{#[^}]*\})?\s*$", re.MULTILINE)
