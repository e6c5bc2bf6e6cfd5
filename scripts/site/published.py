"""The record of published URLs and anchors, and the check that each still lands on the same words.

`published/anchors.txt` lists every document URL and every `URL#anchor` the site has published,
one per line, sorted; an anchor's line carries a fingerprint of the words it points at (a short
hash of the heading's or paragraph's letters and digits, `words_fingerprint`):

    /doc/<id>/#s1-2-p2 9f86d081

`record` adds what the current docs/ publishes and never drops a line (`--reset` starts over, for
use before the first publication only); a line without a fingerprint (a record from before they
were kept) gets the one of the words there now. `check` reads a built site, parsing the real
`id` attributes of each page, and fails for each recorded URL or anchor that no longer lands
anywhere, and for each anchor that now lands on other words (a deleted paragraph shifts the
numbers of the ones after it). A recorded one still lands when
- the page moved and mkdocs.yml's `redirects` plugin sends its old URL to the new page, which
  has the anchor; or
- the anchor moved within its page and `published/moved-anchors.txt` says where
  (`/doc/<id>/#old #new`): the hook puts the old anchor at the new one (taking it from the
  words that hold it now, which keep their own published anchor through their own line).
Words corrected on purpose are accepted with `published record --accept URL#anchor`.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from ..core.files import Transaction, write_atomic

RECORD = Path("published") / "anchors.txt"
MOVED = Path("published") / "moved-anchors.txt"
HEADER = (
    "# Published URLs and anchors of the archive (python -m scripts published record).\n"
    "# Never delete a line: add a redirect or a moved anchor instead (docs/about/links.md).\n"
    "# An anchor's line ends with a fingerprint of the words it points at.\n"
)

# `## 一、总体目标 {#s1}` and `{: #s1-p1 .class }` in the generated Markdown
MD_ANCHOR = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$|^\{:\s*#([A-Za-z0-9_-]+)", re.MULTILINE)
MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$")
MD_BLOCK_ATTRS = re.compile(r"^\{:\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
MD_LINK_TARGET = re.compile(
    r"\]\((?:[^()]|\([^()]*\))*\)"
)  # ](url "title"): not words a reader sees
MD_ATTRS = re.compile(r"\{:[^}]*\}|\{#[^}]*\}")


def words_fingerprint(text: str) -> str:
    """8 hex digits that change when the words change: the letters and digits of `text` (NFKC),
    so that markup, spacing and punctuation marks around them do not count."""
    # str.isalnum is true for exactly the characters of the categories L* and N*
    # (tests/test_published_words.py holds it to that), and runs in C
    kept = "".join(filter(str.isalnum, unicodedata.normalize("NFKC", text)))
    return hashlib.sha256(kept.encode("utf-8")).hexdigest()[:8]


def markdown_words(text: str) -> str:
    """The words a reader sees of a block of our generated Markdown (links without their targets)."""
    return html.unescape(MD_ATTRS.sub("", MD_LINK_TARGET.sub("]", text)))


def anchored_words(markdown: str) -> dict[str, str]:
    """anchor → fingerprint of the heading or block it names, in a generated page's Markdown."""
    found: dict[str, str] = {}
    block: list[str] = []
    for line in markdown.split("\n"):
        heading, attrs = MD_HEADING.match(line), MD_BLOCK_ATTRS.match(line)
        if heading:
            found.setdefault(heading[2], words_fingerprint(markdown_words(heading[1])))
        elif attrs:
            found.setdefault(attrs[1], words_fingerprint(markdown_words("\n".join(block))))
        if heading or attrs or not line.strip():
            block = []
        else:
            block.append(line)
    # an anchor written some other way still counts as published, without words to compare
    for m in MD_ANCHOR.finditer(markdown):
        found.setdefault(m[1] or m[2], "")
    return found


def page_entries(url: str, markdown: str) -> dict[str, str]:
    """A document page's URL and `URL#anchor`s, each with its fingerprint ('' for the page)."""
    return {url: "", **{f"{url}#{anchor}": fp for anchor, fp in anchored_words(markdown).items()}}


def current(docs_dir: Path) -> dict[str, str]:
    """Every URL and anchor the document pages under docs/doc/ publish, with its fingerprint."""
    entries: dict[str, str] = {}
    for path in sorted((docs_dir / "doc").glob("*.md")):
        entries.update(page_entries(f"/doc/{path.stem}/", path.read_text(encoding="utf-8")))
    return entries


def read_lines(path: Path) -> list[str]:
    """The recorded entries (URL or URL#anchor), without their fingerprints."""
    return [entry for _, entry, _ in recorded(path)]


def recorded(path: Path) -> list[tuple[int, str, str]]:
    """(line number, entry, fingerprint or '') of each line of the record."""
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            entry, _, fp = line.strip().partition(" ")
            found.append((number, entry, fp.strip()))
    return found


def moved_anchors(root: Path) -> dict[str, str]:
    """'/doc/x/#old' → 'new' from published/moved-anchors.txt."""
    moved = {}
    for number, line in _moved_lines(root / MOVED):
        parts = line.split()
        if len(parts) != 2 or "#" not in parts[0] or not parts[1].startswith("#"):
            raise ValueError(
                f"{root / MOVED}: line {number}: write '/doc/<id>/#old #new', got {line!r}"
            )
        moved[parts[0]] = parts[1][1:]
    return moved


def _moved_lines(path: Path) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    return [
        (number, line.strip())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]


def record(
    root: Path, reset: bool = False, accept: Iterable[str] = (), change: Transaction | None = None
) -> int:
    """Add what docs/ publishes now to the record, and a fingerprint to each anchor that has none
    (or is named in `accept`: its words were corrected on purpose); return how many lines were
    added. Written whole or not at all (with `change`, as part of that change)."""
    path = root / RECORD
    old = {} if reset else {entry: fp for _, entry, fp in recorded(path)}
    now = current(root / "docs")
    accept = set(accept)
    unknown = sorted(accept - set(now))
    if unknown:
        raise ValueError(f"{RECORD}: cannot accept {unknown[0]}: docs/ does not publish it")
    moved = moved_anchors(root)
    new = dict(old)
    for entry in set(now) | {entry for entry, fp in old.items() if not fp}:
        if not new.get(entry) or entry in accept:
            # a moved anchor's words are at its new place (the hook puts it there)
            new[entry] = now.get(
                f"{entry.partition('#')[0]}#{moved[entry]}" if entry in moved else entry, ""
            )
    text = HEADER + "".join(
        f"{entry} {fp}\n" if fp else f"{entry}\n" for entry, fp in sorted(new.items())
    )
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        (change.write if change else write_atomic)(path, text)
    return len(set(new) - set(old))


def gone_fix(entry: str, fp: str, page: dict[str, str]) -> str:
    """What to do about a recorded URL or anchor that is gone: where its words are now, when the
    page still has them under another anchor."""
    elsewhere = sorted(anchor for anchor, other in page.items() if fp and other == fp)
    if elsewhere:
        return f"its words are now at #{elsewhere[0]}: keep the link with a line '{entry} #{elsewhere[0]}' in {MOVED}"
    return (
        f"add a line '{entry} #<new>' to {MOVED} for a moved anchor, or a redirect in mkdocs.yml "
        "(redirects: redirect_maps) for a moved page"
    )


def changed_words(
    root: Path, entries: list[tuple[int, str, str]], words_now, moved: dict[str, str]
) -> list[str]:
    """One line per recorded anchor that now lands on other words. `words_now(url)` gives
    anchor → fingerprint of a page as it is now (None when the page is gone: reported elsewhere)."""
    problems = []
    for number, entry, fp in entries:
        url, _, anchor = entry.partition("#")
        if not anchor or not fp:
            continue
        page = words_now(url)
        if page is None:
            continue
        at = moved.get(entry, anchor)
        now = page.get(at)
        if now is None or now in (
            "",
            fp,
        ):  # gone (reported as gone), or not comparable, or the same
            continue
        elsewhere = sorted(a for a, other in page.items() if other == fp and a != anchor)
        if elsewhere:
            fix = (
                f"its words are now at #{elsewhere[0]}: keep the link with a line '{entry} #{elsewhere[0]}' in "
                f"{MOVED}"
            )
        else:
            fix = (
                f"if the paragraph moved, keep the link with a line '{entry} #<new>' in {MOVED}; if its "
                f"words were corrected on purpose, accept them with "
                f"`python -m scripts published record --accept {entry}`"
            )
        problems.append(
            f"{RECORD}:{number}: anchor #{anchor} of {url} now points at other words than were "
            f"published (a link to it would land on different text); {fix}"
        )
    return problems


class _Ids(HTMLParser):
    """The ids of a page (its real `id` attributes, not text that looks like one), each with the
    fingerprint of the words of its element, and where a redirect page points. A moved anchor's
    alias (an empty `<span class="moved-anchor">`, overrides/hooks/archive.py) stands for the
    element right after it."""

    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: dict[str, list[str]] = {}
        self.open: list[
            tuple[str, list[str]]
        ] = []  # open elements, each with the ids whose words it holds
        self.aliases: list[str] = []  # aliases waiting for the element they stand for
        self.refresh: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)", attrs.get("content") or "", re.IGNORECASE)
            self.refresh = m[1].strip().strip("'\"") if m else None
        ident = attrs.get("id")
        idents = [ident] if ident and ident not in self.words else []
        for name in idents:
            self.words[name] = []
        if "moved-anchor" in (attrs.get("class") or "").split() and idents:
            self.aliases += idents
            idents = []
        else:
            idents, self.aliases = idents + self.aliases, []
        if tag not in self.VOID:
            self.open.append((tag, idents))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        for _, idents in self.open:
            for ident in idents:
                self.words[ident].append(data)

    def fingerprints(self) -> dict[str, str]:
        return {ident: words_fingerprint("".join(parts)) for ident, parts in self.words.items()}


def _content(html: str) -> str:
    """The page's <article> (where every anchor of its Markdown is), or all of it (a redirect page
    has none): Python's HTML parser reads ~3 MB/s, and the theme around the article is half a page."""
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start : end + len("</article>")] if 0 <= start < end else html


class Site:
    """A built site, read lazily: the ids of each page with their words, and where a redirect page points."""

    def __init__(self, site_dir: Path):
        self.dir = site_dir
        self._pages: dict[str, tuple[dict[str, str], str | None]] = {}

    def page(self, url: str) -> tuple[dict[str, str], str | None] | None:
        if url not in self._pages:
            path = self.dir / url.strip("/") / "index.html"
            if not path.exists():
                return None
            parser = _Ids()
            parser.feed(_content(path.read_text(encoding="utf-8", errors="replace")))
            target = urljoin(url, parser.refresh) if parser.refresh else None
            self._pages[url] = (parser.fingerprints(), target)
        return self._pages[url]

    def landing(self, url: str, hops: int = 5) -> tuple[str, dict[str, str]] | None:
        """The page a URL lands on, through redirect pages: its URL and its ids with their words."""
        page = self.page(url)
        if page is None:
            return None
        ids, redirect = page
        if redirect and hops:
            return self.landing(redirect.partition("#")[0], hops - 1)
        return url, ids

    def lands(self, url: str, anchor: str, hops: int = 5) -> bool:
        page = self.page(url)
        if page is None:
            return False
        ids, redirect = page
        if redirect and hops:
            target, _, target_anchor = redirect.partition("#")
            return self.lands(target, anchor or target_anchor, hops - 1)
        return not anchor or anchor in ids


def check(root: Path, site_dir: Path) -> list[str]:
    """One line per recorded URL or anchor that the built site no longer has, or that now lands
    on other words than were published."""
    site = Site(site_dir)
    moved = moved_anchors(root)
    entries = recorded(root / RECORD)
    problems = []

    def words_now(url: str) -> dict[str, str] | None:
        landing = site.landing(url)
        return landing[1] if landing else None

    for number, entry, fp in entries:
        url, _, anchor = entry.partition("#")
        if site.lands(url, anchor):
            continue
        if entry in moved and site.lands(url, moved[entry]) and site.lands(url, anchor):
            continue
        what = f"anchor #{anchor} of {url}" if anchor else f"page {url}"
        problems.append(
            f"{RECORD}:{number}: {what} was published and is gone; "
            + gone_fix(entry, fp, words_now(url) or {})
        )

    # the hook has put each moved anchor at its new place already: compare the words there
    return problems + changed_words(root, entries, words_now, {})
