"""Saved HTML pages → the visible text of the document, plus the metadata table printed above it.

Stages, each a small function over the parsed page. The page is parsed by lxml (libxml2's HTML
parser, in C): beautifulsoup4 builds its tree in Python, which took most of the time of a saved
page's conversion and held it to 2.3 MB/s (`python -m scripts bench-convert`). In lxml's tree a
text is an element's `.text` (before its first child) or `.tail` (after the element, in its
parent); `drop_tree()` removes an element and keeps its tail.

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

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..core.errors import SourceError
from ..core.genres import GENRE_END
from ..core.model import Removal
from ..core.script import simplified
from .clean import is_breadcrumb
from .titles import reads_as_title

# The table government sites print above a document: label (as _label reads it: spaces and colons
# removed, in simplified characters, so 發文字號 is 发文字号) → key.
# Labels of a portal's metadata table whose value the front matter does not keep (gov.cn's
# 主题词, often left empty): their row leaves the text with the table, and is reported.
UNKEPT_LABELS = {"主题词"}
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
    # a ruby's reading (<rt>) and its fallback brackets (<rp>) annotate the text, they are not of it
    "rt",
    "rp",
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
    root = parse_page(html, path)
    removed: list[Removal] = []
    published = read_published_meta(root)
    page_title = read_page_title(root)
    meta_title = read_title_meta(root)
    drop_invisible(root)
    found = read_meta_table(root, removed)
    if published:
        found.setdefault("published", published)  # the page's own table, when it has one, wins
    if page_title:
        found.setdefault("page_title", page_title)
    if meta_title:
        found.setdefault("meta_title", meta_title)
    drop_chrome(root, removed)
    text = page_text(root)
    if not text.strip():
        raise SourceError(
            path, "has no text in its body", fix="save the page again with its content"
        )
    return text, found, removed


# Real pages nest their elements 10 to 20 deep; past this a page is broken or hostile (browsers
# stop at 512). It is libxml2's own limit, which stops the parse there: the page is refused.
MAX_DEPTH = 256
# … and a saved page is 50 to 300 KB; past this it is refused unread.
MAX_PAGE_CHARS = 8_000_000


def parse_page(html: str, path: Path) -> HtmlElement:
    """The page's tree. The text is already decoded: it goes to libxml2 as UTF-8, so a declared
    charset (`<meta charset=gbk>`, `<?xml encoding=…?>`) can't make it read the bytes again.
    A fatal parser error (nesting past MAX_DEPTH) would leave the rest of the page unread, so the
    page is refused, with the line."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except etree.ParserError:  # "Document is empty": no element, no text
        raise SourceError(
            path, "has no text in its body", fix="save the page again with its content"
        ) from None
    fatal = [e for e in parser.error_log if e.level == etree.ErrorLevels.FATAL]
    if fatal:
        deep = fatal[0].type == etree.ErrorTypes.ERR_RESOURCE_LIMIT
        raise SourceError(
            path,
            f"nests its elements more than {MAX_DEPTH} deep"
            if deep
            else f"is not a page the HTML parser can read to its end ({fatal[0].message})",
            line=fatal[0].line,
            fix="save the document's own part of the page, or close the tags left open",
        )
    return root


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


def read_published_meta(root: HtmlElement) -> str | None:
    """The publication date a page's <meta> tags declare (first one that is a date), as YYYY-MM-DD."""
    for tag in root.iter("meta"):
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


def read_page_title(root: HtmlElement) -> str | None:
    """The part of the page's <title> that reads as a document's title (never the site's name:
    "…人民政府门户网站" is longer than many a title)."""
    tag = root.find(".//title")
    text = _joined(tag) if tag is not None else ""
    parts = [p for p in TITLE_PARTS.split(text) if len(p) >= 4 and reads_as_title(p)]
    if not parts:
        return None
    titled = [p for p in parts if GENRE_END.search(p)]
    return titled[0] if titled else max(parts, key=len)


# The <meta> tags a CMS writes the document's title in: `<meta name="ArticleTitle" content="…">`
# (the CMS of most government portals), Open Graph's and Dublin Core's
TITLE_META = {"articletitle", "og:title", "dc.title", "dcterms.title"}


def read_title_meta(root: HtmlElement) -> str | None:
    for tag in root.iter("meta"):
        name = str(tag.get("name") or tag.get("property") or "").strip().lower()
        content = re.sub(r"\s+", " ", str(tag.get("content") or "")).strip()
        if name in TITLE_META and content:
            return content
    return None


def drop_invisible(root: HtmlElement) -> None:
    """Invisible elements, comments and processing instructions go; the text after each stays."""
    for tag in list(root.iter(*INVISIBLE_TAGS, etree.Comment, etree.ProcessingInstruction)):
        if tag.getparent() is not None:  # (not inside one dropped already)
            tag.drop_tree()


def read_meta_table(root: HtmlElement, removed: list[Removal]) -> dict:
    """label cell → the next cell's text; the smallest element holding all labels leaves the text."""
    found: dict = {}
    labels: list[HtmlElement] = []
    empty: list[HtmlElement] = []  # labels without a value to keep (an empty one, or 主题词)
    for string, parent in _strings(
        root
    ):  # a label is one short text: looked up once, not in every element
        if len(string.strip()) > LABEL_MAX:
            continue
        label = _label(string)
        if label in UNKEPT_LABELS:  # a row of the table whose value the archive does not keep
            cell = _label_cell(parent, label)
            if cell is not None:
                empty.append(cell)
            continue
        key = TABLE_LABELS.get(label)
        if key is None or key in found:
            continue
        cell = _label_cell(parent, label)
        if cell is None:
            continue
        value = _text_after_label(cell)
        if not value:
            value_cell = cell.getnext()
            if value_cell is None and cell.getparent() is not None:
                value_cell = cell.getparent().getnext()
            value = _joined(value_cell) if value_cell is not None else ""
        if value:
            found[key] = re.sub(r"\s+", " ", value)
            labels.append(cell)
        else:
            empty.append(cell)
    if len(labels) >= 2:
        table = _common_ancestor(labels)
        if table is not None and table.tag not in ("body", "html"):
            removed.append(Removal(table.sourceline or 0, _flat(table), "html-meta-table"))
            table.drop_tree()
        for cell in (
            labels + empty
        ):  # a row of the table printed apart ("主题词" in a table of its own)
            if not _in_page(cell, root):
                continue
            row = next(cell.iterancestors("table"), None)
            if row is not None and len(_flat(row)) <= SMALL_TABLE:
                removed.append(Removal(row.sourceline or 0, _flat(row), "html-meta-table"))
                row.drop_tree()
    return found


LABEL_MAX = 24  # characters, the spaces around it aside: longer texts are never a label


def _strings(root: HtmlElement):
    """Every text of the page in page order, with the element it stands in."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if element.text:
                yield element.text, element
        elif element.tail and (parent := element.getparent()) is not None:
            yield element.tail, parent


def _in_page(element: HtmlElement, root: HtmlElement) -> bool:
    """Still in the page, not inside an element dropped from it."""
    top = element
    for ancestor in element.iterancestors():
        top = ancestor  # the outermost, at the end
    return top is root


SMALL_TABLE = 120  # characters: a label and its value, not a table of the document


INLINE_WRAPPERS = ("b", "strong", "span", "font", "label", "em")
LABEL_TAGS = ("td", "th", "span", "li", "p", "div", "dt", "b", "strong", "label")


def _label(text: str) -> str:
    """A cell's text as a label: no spaces or colons, in simplified characters (文號 is 文号)."""
    return simplified(re.sub(r"[\s:：\u3000]", "", text))


def _label_cell(element: HtmlElement, label: str) -> HtmlElement | None:
    """The outermost element whose whole text is the label ("<td><b>索引号：</b></td>" → the td)."""
    chain = []
    while element is not None and _is_label(element.text_content(), label):
        chain.append(element)
        element = element.getparent()
    cells = [c for c in chain if c.tag in LABEL_TAGS]
    return cells[-1] if cells else None


def _is_label(text: str, label: str) -> bool:
    return len(text.strip()) <= LABEL_MAX and _label(text) == label


def _text_after_label(cell: HtmlElement) -> str:
    """ "<td><b>发文机关:</b> 省政府办公厅</td>": the text that follows the label in its own cell."""
    node = cell
    while (
        not node.tail
        and node.getnext() is None
        and node.getparent() is not None
        and node.getparent().tag in INLINE_WRAPPERS
    ):
        node = node.getparent()
    return node.tail.strip() if node.tail else ""


def _common_ancestor(tags: list[HtmlElement]) -> HtmlElement | None:
    chains = [list(tag.iterancestors()) for tag in tags]
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains[1:]):
            return candidate
    return None


def drop_chrome(root: HtmlElement, removed: list[Removal]) -> None:
    body = _body(root)  # what lies outside the body (a pop-up after </body>) is never shown as text
    total = len(body.text_content())
    menus = _menu_facts(
        body
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
        tag.drop_tree()


def _body(root: HtmlElement) -> HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _child_tags(tag: HtmlElement) -> list[HtmlElement]:
    """The child elements, last first (a stack pops them in page order)."""
    return list(reversed(tag))


def _chrome_reason(
    tag: HtmlElement, total: int, menus: dict[HtmlElement, tuple[str, int]]
) -> str | None:
    if tag.tag in CHROME_TAGS:
        return f"html-{tag.tag}"
    if _chrome_words(tag) and len(tag.text_content()) <= 0.5 * total:
        # a class word can mislead ("main-side-content"): never drop what holds the document
        return "html-widget"
    if (
        tag.tag in LINK_BLOCKS
        and _mostly_links(*menus[tag])
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


def _menu_facts(body: HtmlElement) -> dict[HtmlElement, tuple[str, int]]:
    """For every element: its text without whitespace, cut after MENU_TEXT + 1 characters, and
    how much of it is link text. Children before parents, each element once: reading the text of
    every element again at each level above it would cost the page's size times its depth.
    (The elements are the keys: lxml gives back the same object for an element while one is held.)"""
    facts: dict[HtmlElement, tuple[str, int]] = {}
    for _event, tag in etree.iterwalk(body, events=("end",)):
        parts, linked = [WHITESPACE.sub("", tag.text)] if tag.text else [], 0
        for child in tag:
            text, child_linked = facts[child]
            linked += child_linked + (len(text) if child.tag == "a" else 0)
            parts.append(text)
            if child.tail:
                parts.append(WHITESPACE.sub("", child.tail))
        facts[tag] = "".join(parts)[: MENU_TEXT + 1], linked
    return facts


CRUMB_WORDS = re.compile(
    r"(?:^|[-_\s])(?:crumbs?|breadcrumbs?|bread|mbx|dqwz|position|location)(?:$|[-_\s\d])",
    re.IGNORECASE,
)


def _names(tag: HtmlElement) -> str:
    return " ".join(tag.get("class", "").split()) + " " + tag.get("id", "")


def _chrome_words(tag: HtmlElement) -> bool:
    return bool(CHROME_WORDS.search(_names(tag)))


def _joined(tag: HtmlElement) -> str:
    """Its texts, each stripped, joined by a space (bs4's `get_text(" ", strip=True)`)."""
    return " ".join(t for part in tag.itertext() if (t := part.strip()))


def _flat(tag: HtmlElement) -> str:
    return re.sub(r"\s+", " ", " ".join(tag.itertext())).strip()


def page_text(root: HtmlElement) -> str:
    """One walk, in page order: a table row reads as one line, its cells tab-separated; a block
    element (p, div, tr …) stands on lines of its own."""
    body = _body(root)
    out: list[str] = [body.text or ""]
    for event, node in etree.iterwalk(body, events=("start", "end")):
        if node is body:
            continue
        if event == "start":
            if node.tag in BLOCK_TAGS:
                out.append("\n")
            if node.text:
                out.append(node.text)
        else:
            out.append("\t" if node.tag in ("td", "th") else "\n" if node.tag in BLOCK_TAGS else "")
            if node.tail:
                out.append(node.tail)
    text = "".join(out)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(
        r"[ \t\u3000\u00a0]*\n[ \t\u3000\u00a0]*", "\n", text
    )  # (a row's last tab goes too)
