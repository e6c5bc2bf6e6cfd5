"""Saved HTML pages → the visible text of the document, plus the metadata table printed above it.

Stages, each a small function over the parsed page (beautifulsoup4, the stdlib parser):

1. `drop_invisible`: script, style, template, noscript … never show; they are dropped unreported.
   After it: every text node left is one a browser would show.
1a. `read_published_meta` (before stage 1 drops the <head>): the publication date a <meta> tag
   declares (PubDate, article:published_time …) becomes `published`, and so the page's `date`.
2. `read_meta_table`: the table government sites print above a document (索引号, 主题分类,
   发文机关, 成文日期, 标题, 发文字号, 发布日期) becomes facts for the front matter, and the
   table leaves the text (reported as `html-meta-table`).
3. `drop_chrome`: navigation, sidebars, iframes, forms, share / print / close / 扫一扫 widgets,
   breadcrumbs and footers, found by tag and by class or id words; each one that held text is
   reported (`html-nav`, `html-widget` …) with its line in the HTML file.
4. `page_text`: block elements (p, div, h1–h6, li, tr, td, br …) become line breaks, inline ones
   (span, strong, font, a) do not, so a heading in a styled <span> stays one line and a title
   split over several <p> becomes several lines (the structure stage joins them again).
   After it: the text has `\n` line ends and no markup; source characters such as `<` are text.

Line clutter that survives (a "打印本页 关闭窗口" paragraph, a 来源 byline) is removed and
reported by the text cleaning, as for a .txt source.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..core.errors import SourceError
from ..core.genres import GENRE_END
from ..core.model import Removal
from .clean import is_breadcrumb

# The table government sites print above a document: label (spaces and colons removed) → key.
# Labels of a portal's metadata table whose value the front matter does not keep (gov.cn's
# 主题词, often left empty): their row leaves the text with the table, and is reported.
UNKEPT_LABELS = {"主题词", "主題詞"}
TABLE_LABELS = {
    "索引号": "index_no",
    "主题分类": "topic",
    "发文机关": "issuer",
    "发布机构": "issuer",
    "成文日期": "signoff_date",
    "标题": "title",
    "名称": "title",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "published",
    "發文機關": "issuer",
    "成文日期 ": "signoff_date",
    "標題": "title",
    "發文字號": "doc_number",
    "發布日期": "published",
    "索引號": "index_no",
    "主題分類": "topic",
}
INVISIBLE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "meta",
    "link",
    "object",
    "embed",
)
# Page chrome by tag: never part of a document body.
CHROME_TAGS = (
    "nav",
    "aside",
    "iframe",
    "frame",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "img",
    "svg",
    "video",
    "audio",
    "canvas",
    "map",
    "footer",
)
# Page chrome by the words in its class or id: "bdshare", "share-box", "print", "sidebar", "erweima" …
CHROME_WORDS = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|sidebar|side|share|bdshare|fenxiang|print|dayin|close|guanbi|qr|qrcode|ewm|"
    r"erweima|crumb|crumbs|breadcrumb|bread|mbx|dqwz|position|location|footer|foot|related|xgwz|xglj|pagination|pager|toolbar|tools|"
    r"widget|fontsize|font-size|zihao|search|login|banner|advert|ad|gotop|backtop|comment|xg|xgbd|xgyd|alert)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "br",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
    "center",
    "header",
    "main",
    "figure",
    "figcaption",
    "caption",
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset a saved page declares in its first 4 KB (`<meta charset="gb2312">`)."""
    m = META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m[1].decode("ascii").lower()
    return "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name


def html_to_text(html: str, path: Path) -> tuple[str, dict, list[Removal]]:
    """Stage 1 → 4; returns the text, the facts of the metadata table and what was dropped."""
    if len(html) > MAX_PAGE_CHARS:
        raise SourceError(
            path,
            f"is a page of {len(html):,} characters, over the budget of {MAX_PAGE_CHARS:,} for a saved page",
            fix="save the document's own page, not a merged file or a whole site",
        )
    soup = BeautifulSoup(html, "html.parser")
    check_nesting(soup, path)
    removed: list[Removal] = []
    published = read_published_meta(soup)
    page_title = read_page_title(soup)
    drop_invisible(soup)
    found = read_meta_table(soup, removed)
    if published:
        found.setdefault("published", published)  # the page's own table, when it has one, wins
    if page_title:
        found.setdefault("page_title", page_title)
    drop_chrome(soup, removed)
    text = page_text(soup)
    if not text.strip():
        raise SourceError(
            path, "has no text in its body", fix="save the page again with its content"
        )
    return text, found, removed


# Real pages nest their elements 10 to 20 deep; past this a page is broken or hostile, and every
# stage below reads an element's text at each level above it (browsers stop at 512).
MAX_DEPTH = 256
# … and a saved page is 50 to 300 KB; parsing one costs 2 s a MB, so past this it is refused unread.
MAX_PAGE_CHARS = 8_000_000


def check_nesting(soup: BeautifulSoup, path: Path) -> None:
    """Refuse a page whose elements nest deeper than MAX_DEPTH, naming the line where it happens."""
    depth: dict[int, int] = {}
    for tag in soup.find_all(True):  # parents come before their children: one pass
        level = depth[id(tag)] = depth.get(id(tag.parent), 0) + 1
        if level > MAX_DEPTH:
            raise SourceError(
                path,
                f"nests its elements more than {MAX_DEPTH} deep",
                line=tag.sourceline,
                fix="save the document's own part of the page, or close the tags left open",
            )


# The <meta> tags that carry a page's publication date: the CMS of government sites
# (`<meta name="PubDate" content="2024-01-02 09:30">`, "firstpublishedtime"), Open Graph's
# `article:published_time` and schema.org's `datePublished`. A modified date is not a publication date.
PUBLISHED_META = {
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "firstpublishedtime",
    "article:published_time",
    "datepublished",
}
META_DATE = re.compile(r"^\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?![\d])")


def read_published_meta(soup: BeautifulSoup) -> str | None:
    """The publication date a page's <meta> tags declare (first one that is a date), as YYYY-MM-DD."""
    for tag in soup.find_all("meta"):
        name = (
            str(tag.get("name") or tag.get("property") or tag.get("itemprop") or "").strip().lower()
        )
        if name in PUBLISHED_META and (m := META_DATE.match(str(tag.get("content") or ""))):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# "江西省人民政府 工作动态 江西省人民政府办公厅关于……的通知", "标题_栏目_某某市人民政府": a page's
# <title> joins the site, the column and the document's title; the document's is the part that
# ends in a genre word, else the longest.
TITLE_PARTS = re.compile(r"\s*(?:[_|｜]|\s-\s|\s—\s|\s{1,}|--)\s*")


def read_page_title(soup: BeautifulSoup) -> str | None:
    tag = soup.find("title")
    text = tag.get_text(" ", strip=True) if tag is not None else ""
    parts = [p for p in TITLE_PARTS.split(text) if len(p) >= 4]
    if not parts:
        return None
    titled = [p for p in parts if GENRE_END.search(p)]
    return titled[0] if titled else max(parts, key=len)


def drop_invisible(soup: BeautifulSoup) -> None:
    for tag in soup(INVISIBLE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def read_meta_table(soup: BeautifulSoup, removed: list[Removal]) -> dict:
    """label cell → the next cell's text; the smallest element holding all labels leaves the text."""
    found: dict = {}
    labels: list[Tag] = []
    empty: list[Tag] = []  # labels without a value to keep (an empty one, or 主题词)
    for string in soup.find_all(
        string=True
    ):  # a label is one short text: looked up once, not in every element
        label = _label(string)
        if label in UNKEPT_LABELS:  # a row of the table whose value the archive does not keep
            cell = _label_cell(string, label)
            if cell is not None:
                empty.append(cell)
            continue
        key = TABLE_LABELS.get(label)
        if key is None or key in found:
            continue
        cell = _label_cell(string, label)
        if cell is None:
            continue
        value = _text_after_label(cell)
        if not value:
            value_cell = cell.find_next_sibling() or (
                cell.parent.find_next_sibling() if cell.parent else None
            )
            value = value_cell.get_text(" ", strip=True) if value_cell is not None else ""
        if value:
            found[key] = re.sub(r"\s+", " ", value)
            labels.append(cell)
        else:
            empty.append(cell)
    if len(labels) >= 2:
        table = _common_ancestor(labels)
        if table is not None and table.name not in ("body", "html", "[document]"):
            removed.append(Removal(table.sourceline or 0, _flat(table), "html-meta-table"))
            table.decompose()
        for cell in (
            labels + empty
        ):  # a row of the table printed apart ("主题词" in a table of its own)
            row = None if cell.__dict__.get("_decomposed") else cell.find_parent("table")
            if row is not None and len(_flat(row)) <= SMALL_TABLE:
                removed.append(Removal(row.sourceline or 0, _flat(row), "html-meta-table"))
                row.decompose()
    return found


SMALL_TABLE = 120  # characters: a label and its value, not a table of the document


INLINE_WRAPPERS = ("b", "strong", "span", "font", "label", "em")
LABEL_TAGS = ("td", "th", "span", "li", "p", "div", "dt", "b", "strong", "label")


def _label(text: str) -> str:
    return re.sub(r"[\s:：\u3000]", "", text)


def _label_cell(string, label: str) -> Tag | None:
    """The outermost element whose whole text is the label ("<td><b>索引号：</b></td>" → the td)."""
    chain = []
    element = string.parent
    while (
        element is not None and element.name != "[document]" and _label(element.get_text()) == label
    ):
        chain.append(element)
        element = element.parent
    cells = [c for c in chain if c.name in LABEL_TAGS]
    return cells[-1] if cells else None


def _text_after_label(cell: Tag) -> str:
    """ "<td><b>发文机关:</b> 省政府办公厅</td>": the text that follows the label in its own cell."""
    node = cell
    while (
        node.next_sibling is None
        and node.parent is not None
        and node.parent.name in INLINE_WRAPPERS
    ):
        node = node.parent
    following = node.next_sibling
    return following.strip() if isinstance(following, str) else ""


def _common_ancestor(tags: list[Tag]) -> Tag | None:
    chains = [list(tag.parents) for tag in tags]
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains[1:]):
            return candidate
    return None


def drop_chrome(soup: BeautifulSoup, removed: list[Removal]) -> None:
    body = (
        soup.body or soup
    )  # what lies outside the body (a pop-up after </body>) is never shown as text
    total = len(body.get_text())
    menus = _menu_facts(
        soup
    )  # read before anything is dropped: an element is judged before its contents
    todo = _child_tags(body)
    while todo:  # every element in page order, but never inside one already dropped
        tag = todo.pop()
        reason = _chrome_reason(tag, total, menus)
        if reason is None:
            todo += _child_tags(tag)
            continue
        text = _flat(tag)
        if reason in ("html-widget", "html-links") and (
            CRUMB_WORDS.search(_names(tag)) or is_breadcrumb(text)
        ):
            reason = "breadcrumb"  # "当前位置：首页 > 政务公开": the same rule as in a text scrape
        if text:
            removed.append(Removal(tag.sourceline or 0, text, reason))
        tag.decompose()


def _child_tags(tag: Tag) -> list[Tag]:
    """The child elements, last first (a stack pops them in page order)."""
    return [child for child in reversed(tag.contents) if isinstance(child, Tag)]


def _chrome_reason(tag: Tag, total: int, menus: dict[int, tuple[str, int]]) -> str | None:
    if tag.name in CHROME_TAGS:
        return f"html-{tag.name}"
    if _chrome_words(tag) and len(tag.get_text()) <= 0.5 * total:
        # a class word can mislead ("main-side-content"): never drop what holds the document
        return "html-widget"
    if (
        tag.name in LINK_BLOCKS
        and _mostly_links(*menus[id(tag)])
        and not CONTENT_WORDS.search(_names(tag))
    ):
        return "html-links"
    return None


LINK_BLOCKS = ("header", "div", "ul", "ol", "table", "section")
# The element a CMS puts the document's text in ("zoom", "content", "article", "zhengwen" …): its
# text is the body even when it is only a link ("相关文件：<a>……的通知</a>" of a 解读 page).
CONTENT_WORDS = re.compile(
    r"(?:^|[-_\s])(?:zoom|content|article|zhengwen|zw|detail|text|con|main-text|body)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
LINK_SHARE = 0.8  # a block whose text is this much link text is a menu, not a paragraph
MENU_TEXT = 300  # … and no longer than this (spaces not counted)
WHITESPACE = re.compile(r"\s")


def _mostly_links(text: str, linked: int) -> bool:
    """A menu or a list of related pages: short, nearly all links, no sentence, no attachment."""
    if not text or len(text) > MENU_TEXT or "附件" in text or "。" in text:
        return False
    return linked >= LINK_SHARE * len(text)


def _menu_facts(soup: BeautifulSoup) -> dict[int, tuple[str, int]]:
    """For every element (by id): its text without whitespace, cut after MENU_TEXT + 1 characters,
    and how much of it is link text. Children before parents, each element once: reading the
    text of every element again at each level above it would cost the page's size times its depth."""
    order, todo = [], _child_tags(soup)
    while todo:
        tag = todo.pop()
        order.append(tag)
        todo += _child_tags(tag)
    facts: dict[int, tuple[str, int]] = {}
    for tag in reversed(order):
        parts, linked = [], 0
        for child in tag.contents:
            if isinstance(child, Tag):
                text, child_linked = facts[id(child)]
                linked += child_linked + (len(text) if child.name == "a" else 0)
                parts.append(text)
            elif type(child) in Tag.MAIN_CONTENT_STRING_TYPES:  # what get_text() reads
                parts.append(WHITESPACE.sub("", child))
        facts[id(tag)] = "".join(parts)[: MENU_TEXT + 1], linked
    return facts


CRUMB_WORDS = re.compile(
    r"(?:^|[-_\s])(?:crumbs?|breadcrumbs?|bread|mbx|dqwz|position|location)(?:$|[-_\s\d])",
    re.IGNORECASE,
)


def _names(tag: Tag) -> str:
    return " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")


def _chrome_words(tag: Tag) -> bool:
    return bool(CHROME_WORDS.search(_names(tag)))


def _flat(tag: Tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ")).strip()


def page_text(soup: BeautifulSoup) -> str:
    body = soup.body or soup
    wanted = body.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES  # what get_text() reads
    out: list[str] = []
    todo: list = [body]
    while todo:  # one walk, in page order: a table row reads as one line, its cells tab-separated;
        node = todo.pop()  # a block element (p, div, tr …) stands on lines of its own
        if type(node) is str:  # a separator pushed below
            out.append(node)
        elif isinstance(node, NavigableString):
            if type(node) in wanted:
                out.append(node)
        elif node is body:
            todo += reversed(node.contents)
        else:
            after = "\t" if node.name in ("td", "th") else "\n" if node.name in BLOCK_TAGS else ""
            todo += [after, *reversed(node.contents)]
            if node.name in BLOCK_TAGS:
                out.append("\n")
    text = "".join(out)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(
        r"[ \t\u3000\u00a0]*\n[ \t\u3000\u00a0]*", "\n", text
    )  # (a row's last tab goes too)
