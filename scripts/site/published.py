"""The record of published URLs and anchors, and the check that none disappears.

`published/anchors.txt` lists every document URL and every `URL#anchor` the site has published,
one per line, sorted. `record` adds what the current docs/ publishes and never drops a line
(`--reset` starts over, for use before the first publication only). `check` reads a built site
and fails for each recorded URL or anchor that no longer lands anywhere. A recorded one still
lands when
- the page moved and mkdocs.yml's `redirects` plugin sends its old URL to the new page, which
  has the anchor; or
- the anchor moved within its page and `published/moved-anchors.txt` says where
  (`/doc/<id>/#old #new`): the hook puts an alias of the old anchor at the new one.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

RECORD = Path("published") / "anchors.txt"
MOVED = Path("published") / "moved-anchors.txt"
HEADER = ("# Published URLs and anchors of the archive (python -m scripts published record).\n"
          "# Never delete a line: add a redirect or a moved anchor instead (docs/about/links.md).\n")

# `## 一、总体目标 {#s1}` and `{: #s1-p1 .class }` in the generated Markdown
MD_ANCHOR = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$|^\{:\s*#([A-Za-z0-9_-]+)", re.MULTILINE)
HTML_ID = re.compile(r"""\sid=["']([^"']+)["']""")
REFRESH = re.compile(r"""http-equiv=["']refresh["'][^>]*url=([^"'>]+)""", re.IGNORECASE)


def current(docs_dir: Path) -> set[str]:
    """Every URL and anchor the document pages under docs/doc/ publish."""
    entries: set[str] = set()
    for path in sorted((docs_dir / "doc").glob("*.md")):
        url = f"/doc/{path.stem}/"
        entries.add(url)
        for m in MD_ANCHOR.finditer(path.read_text(encoding="utf-8")):
            entries.add(f"{url}#{m[1] or m[2]}")
    return entries


def read_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


def numbered_lines(path: Path) -> list[tuple[int, str]]:
    """Like `read_lines`, with each line's number, so a problem can name it."""
    if not path.exists():
        return []
    return [(number, ln.strip()) for number, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if ln.strip() and not ln.startswith("#")]


def moved_anchors(root: Path) -> dict[str, str]:
    """'/doc/x/#old' → 'new' from published/moved-anchors.txt."""
    moved = {}
    for number, line in enumerate(read_lines(root / MOVED), 1):
        parts = line.split()
        if len(parts) != 2 or "#" not in parts[0] or not parts[1].startswith("#"):
            raise ValueError(f"{root / MOVED}: line {number}: write '/doc/<id>/#old #new', got {line!r}")
        moved[parts[0]] = parts[1][1:]
    return moved


def record(root: Path, reset: bool = False) -> int:
    """Add what docs/ publishes now to the record; return how many lines were added."""
    path = root / RECORD
    old = set() if reset else set(read_lines(path))
    new = old | current(root / "docs")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + "".join(f"{line}\n" for line in sorted(new))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return len(new - old)


class Site:
    """A built site, read lazily: the ids of each page and where a redirect page points."""

    def __init__(self, site_dir: Path):
        self.dir = site_dir
        self._pages: dict[str, tuple[set[str], str | None]] = {}

    def page(self, url: str) -> tuple[set[str], str | None] | None:
        if url not in self._pages:
            path = self.dir / url.strip("/") / "index.html"
            if not path.exists():
                return None
            html = path.read_text(encoding="utf-8", errors="replace")
            refresh = REFRESH.search(html)
            target = urljoin(url, refresh[1].strip()) if refresh else None
            self._pages[url] = (set(HTML_ID.findall(html)), target)
        return self._pages[url]

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
    """One line per recorded URL or anchor that the built site no longer has."""
    site = Site(site_dir)
    moved = moved_anchors(root)
    problems = []
    for number, entry in numbered_lines(root / RECORD):
        url, _, anchor = entry.partition("#")
        if site.lands(url, anchor):
            continue
        if entry in moved and site.lands(url, moved[entry]) and site.lands(url, anchor):
            continue
        what = f"anchor #{anchor} of {url}" if anchor else f"page {url}"
        problems.append(
            f"{RECORD}:{number}: {what} was published and is gone; add a redirect in mkdocs.yml "
            f"(redirects: redirect_maps) for a moved page, or a line '{entry} #<new>' in "
            f"{MOVED} for a moved anchor")
    return problems
