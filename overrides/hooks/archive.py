"""MkDocs hook: the thin MkDocs side of the archive.

Everything a page says is in its Markdown (written by scripts/); what the site adds around it
is computed by scripts/pages/web.py. This hook only wires those into MkDocs:
- keeps the generated manifest from being a page, and ships each document's raw source file;
- gives document pages their card data (with a long document's contents), description and
  search record;
- gives every page's tables their column names per cell and its dates a <time> (web.labelled_cells,
  web.unbroken_dates: a phone draws a table's rows as cards, and never breaks a date);
- lets the header show its search box, which the archive's index serves (`make site` writes it:
  scripts/site/search_index.py), and gives the box its longest query (search_index.MAX_QUERY);
- writes the Atom feed and the traditional→simplified table the search box uses.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import yaml
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import YAML_RE

from scripts.core.paths import links_out_of_the_repository
from scripts.ingest.sidecar import NoAliasLoader
from scripts.pages import web
from scripts.site import published, search_index
from scripts.site.build import source_downloads
from scripts.speed import memo

CARD_TEMPLATE = "partials/document-card.html"

_document_urls: set[str] = set()  # '/doc/<id>/' of every document page of this build, for the feed
_sources: dict[str, str] = {}  # document id → URL of its raw source file
_moved: dict[str, str] = {}  # '/doc/<id>/#old' → 'new' (published/moved-anchors.txt)
# Once per build, not once per page: at 10,000 pages these would cost minutes.
_page_urls: set[str] = set()  # URL of every page, for the breadcrumb's links
_card = None  # the compiled card template (theme.get_env() makes a new Jinja environment per call)


class ArchiveSearch(BasePlugin):
    """Takes the place of Material's search plugin, so the header shows the search box.

    Material's header renders `partials/search.html` only when "material/search" is a plugin;
    our partial of that name searches the archive's own index instead of Material's lunr worker.
    """

    def __init__(self):
        self.config = SimpleNamespace(enabled=True)


def on_config(config):
    # sources/x.txt -> ../.git/config would be shipped as a download, its words on a page: nothing
    # is published through a link out of the repository (`python -m scripts site` says so first)
    links = links_out_of_the_repository(Path(config.config_file_path).parent)
    if links:
        raise PluginError(str(links[0]))
    _document_urls.clear()
    _sources.clear()
    _moved.clear()
    _moved.update(published.moved_anchors(Path(config.config_file_path).parent))
    # the search words' pinyin as the last build computed it (pages/web.py), when MkDocs runs
    # outside `python -m scripts site` (check, a hand-run build): not jieba and pypinyin again
    memo.consult(Path(config.config_file_path).parent)
    if "material/search" not in config.plugins:
        config.plugins["material/search"] = ArchiveSearch()
    config.extra["search_max_query"] = search_index.MAX_QUERY  # the box's maxlength
    return config


def on_files(files, config):
    # docs/.generated lists the files `python -m scripts build` wrote; it is not a page.
    for file in list(files):
        if file.src_uri == ".generated":
            files.remove(file)
    # The original source of each document, byte for byte, as a download. A saved .html page
    # is served as .html.txt, so that the scraped page's scripts never run on this site.
    sources = Path(config.config_file_path).parent / "sources"
    doc_ids = {
        f.src_uri[4:-3] for f in files if f.src_uri.startswith("doc/") and f.src_uri.endswith(".md")
    }
    for path, uri in source_downloads(sources, doc_ids).items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
        _sources[path.stem] = uri
    _page_urls.clear()
    _page_urls.update(f.url for f in files.documentation_pages())
    _document_urls.update(f"/doc/{doc_id}/" for doc_id in doc_ids)
    return files


def on_page_read_source(page, config):
    """A page's Markdown, as MkDocs reads it, once its front matter is known to hold no YAML alias:
    repeats of repeats ("a billion laughs") in a page edited by hand would grow to gigabytes when
    the feed and the search records write its fields out. The pipeline writes none."""
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return None  # MkDocs reads it again and says what is wrong
    front = YAML_RE.match(source)
    if front and "*" in front[1]:  # only then can there be an alias
        try:
            yaml.compose(front[1], Loader=NoAliasLoader)
        except yaml.composer.ComposerError as err:
            raise PluginError(
                f"docs/{page.file.src_uri}: front matter: {err.problem} (line {err.problem_mark.line + 2}); "
                "write the value out (a generated page: run `python -m scripts build`)"
            ) from None
        except yaml.YAMLError:
            pass  # not YAML at all: MkDocs reads it as no front matter
    return source


def on_pre_build(config):
    global _card
    env = config.theme.get_env()
    on_env(env, config, None)
    _card = env.get_template(CARD_TEMPLATE)


def on_env(env, config, files):
    # compiled templates kept between builds (Jinja checks each against its source): compiling
    # Material's ~40 templates again took a tenth of a rebuild that renders a few pages
    env.bytecode_cache = FileSystemBytecodeCache(str(_jinja_cache(config)))
    return env


def _jinja_cache(config) -> Path:
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_document(page) -> bool:
    return bool(page.meta.get("id") and page.meta.get("doc_type"))


RAW_PRINTED_META = ("title", "description")


def escape_title(page) -> None:
    """Titles and descriptions are source text, but MkDocs and Material print page.meta.title and
    .description into the HTML without escaping them (<title>, the header, <meta content="…">):
    `关于<script>…` must show as those characters, never run. As Markup they are escaped once:
    templates that add `| e` do not escape them a second time."""
    for key in RAW_PRINTED_META:
        value = page.meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            page.meta[key] = escape(value)


def on_page_markdown(markdown, page, config, files):
    if not is_document(page):
        escape_title(page)
        return markdown
    meta = page.meta
    web.add_description(meta, markdown)
    page.archive = SimpleNamespace(
        crumbs=web.breadcrumb(meta, _page_urls),
        card=web.card_rows(meta),  # the card's rows: the field registry's (core/fields.py)
        source_file=_sources.get(meta["id"], ""),
        search=None,  # in on_page_content: only for the pages this build renders
        citation=web.citation_head(meta, config.site_name),
        plain_meta=dict(meta),  # as written, before titles are escaped for the templates
    )
    escape_title(page)  # after the feed took its copy of the plain metadata
    return markdown


def on_page_content(html, page, config, files):
    if not is_document(page):
        search_index.keep_other_page(
            Path(config.config_file_path).parent, "/" + page.url, page_heading(page)
        )
        return for_a_phone(html)
    meta = page.archive.plain_meta
    page.archive.search = web.search_fields(meta, page.markdown)
    # an incremental build does not read unchanged pages: each rendered page leaves its feed entry
    # and its record in the summary search index (scripts/site/search_index.py)
    search_index.keep_page(
        Path(config.config_file_path).parent,
        "/" + page.url,
        meta,
        page.markdown,
        page.archive.search,
    )
    page.archive.contents, page.archive.jumps = contents(page.toc)
    card = _card.render(page=page, config=config, base_url=get_relative_url(".", page.url))
    head, sep, rest = html.partition("</h1>")
    html = head + sep + card + rest if sep else card + html
    return for_a_phone(add_paragraph_links(alias_moved_anchors(html, page)))


def for_a_phone(html: str) -> str:
    """What every page's content gets on a phone: tables whose cells say their column (they are
    cards on a narrow screen), dates that never break."""
    return web.unbroken_dates(web.labelled_cells(html))


LONG_DOCUMENT = 4  # headings from which a document's card carries its contents (目录)
JUMPS = ("#relations", "#targets")  # sections appended after the text, linked from the card


def contents(toc) -> tuple[list, list]:
    """A document's headings under its title (two levels, as the sidebar shows them), when it
    has LONG_DOCUMENT or more; and its 文件关系 and 主要目标 sections."""
    items = list(toc)
    while len(items) == 1 and items[0].children:  # the title's heading holds the others
        items = list(items[0].children)
    count = len(items) + sum(len(item.children) for item in items)
    jumps = [item for item in items if item.url in JUMPS]
    return (items if count >= LONG_DOCUMENT else []), jumps


PARAGRAPH_END = re.compile(r'(<p\b[^>]*\sid="([^"]+)"[^>]*>.*?)(</p>)', re.DOTALL)
PARAGRAPH_LINK = (
    '<a class="para-link" href="#{id}" aria-label="本段的链接与引用" title="本段的链接与引用">¶</a>'
)


def add_paragraph_links(html: str) -> str:
    """Each numbered paragraph ends with its ¶ link (docs/assets/archive.js opens the link and cite
    tools on it). Written here rather than by the script: adding 200 links to a long document
    after it was laid out made a phone lay it out again (a quarter of a second on Lighthouse's)."""
    return PARAGRAPH_END.sub(lambda m: m[1] + PARAGRAPH_LINK.format(id=m[2]) + m[3], html)


FIRST_H1 = re.compile(r"^# +(.+?)(?:\s*\{[:#][^}]*\})?\s*$", re.MULTILINE)


def page_heading(page) -> str:
    """What a page that is not a document is called, for search: its title, else its first
    heading (a place page's breadcrumb stands before it, so MkDocs falls back to the file name)."""
    m = FIRST_H1.search(page.markdown or "")
    return unescape(str(page.meta.get("title") or (m[1] if m else page.title) or ""))


def alias_moved_anchors(html, page):
    """An anchor that moved (published/moved-anchors.txt) still lands on its words: an alias with the
    old id sits at the new one. When other words hold the old id now (a deleted paragraph shifts
    the numbers of the ones after it), the published meaning wins: they lose it, and keep their
    own published anchor through their own line."""
    url = "/" + page.url
    moves = [
        (entry.partition("#")[2], new)
        for entry, new in _moved.items()
        if entry.partition("#")[0] == url
    ]
    placeholder = "\x00moved:{}"
    for old, new in moves:
        alias = f'<span id="{placeholder.format(old)}" class="moved-anchor" data-moved-to="{new}"></span>'
        html = re.sub(
            rf'(<[a-z0-9]+[^>]*\sid="{re.escape(new)}")',
            lambda m, alias=alias: alias + m[1],
            html,
            count=1,
        )
    for old, _ in moves:
        html = re.sub(rf'(<[a-z0-9]+[^>]*?)\sid="{re.escape(old)}"', r"\1", html, count=1)
    for old, _ in moves:
        html = html.replace(f'id="{placeholder.format(old)}"', f'id="{old}"')
    return html


# Material's templates are indented: a quarter of a small page's HTML (a place page's 20 KB),
# paid once per page, which a small archive of many short pages pays most. A line break and the
# spaces after it show as one space, as a line break alone does: only HTML's own white space
# (never U+3000, which a text may open a paragraph with), and never inside <pre>, <textarea> or
# <script>, which keep theirs.
KEEPS_ITS_SPACES = re.compile(r"<(pre|textarea|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
INDENTATION = re.compile(r"\n[ \t\r\n]+")


def without_indentation(html: str) -> str:
    kept, at = [], 0
    for block in KEEPS_ITS_SPACES.finditer(html):
        kept += [INDENTATION.sub("\n", html[at : block.start()]), block[0]]
        at = block.end()
    kept.append(INDENTATION.sub("\n", html[at:]))
    return "".join(kept)


def on_post_page(output, page, config):
    return without_indentation(output)


def on_post_build(config):
    site = Path(config.site_dir)
    if config.site_url:
        entries = search_index.feed_entries(Path(config.config_file_path).parent, _document_urls)
        feed = web.atom_feed(entries, config.site_url, config.site_name)
        (site / "feed.xml").write_text(feed, encoding="utf-8")
    (site / "assets" / "t2s.js").write_text(web.t2s_script(), encoding="utf-8")
