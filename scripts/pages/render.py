"""Render a `Document` as plain Markdown with YAML front matter.

The Markdown uses only what any generator reading `mkdocs.yml` understands: headings with
`{#id}`, paragraphs with `{: #id .class }` (attr_list) and ordinary links. Source text is
escaped so that it is never markup: `<script>` shows as the characters `<script>`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from ..core.chars import NOT_TEXT, code_points
from ..core.model import (
    ADDRESSEE,
    ATTACHMENT_LIST,
    CAPTION,
    CC,
    CONTACT,
    HEADING,
    NOTE,
    PARAGRAPH,
    SIGNOFF,
    SUBTITLE,
    TABLE,
    Block,
    Document,
)
from ..ingest.tables import render_table

# CSS class of each block kind that is not an ordinary paragraph.
CLASS = {
    ADDRESSEE: "letter-addressee",
    SIGNOFF: "letter-signoff",
    CC: "letter-cc",
    CONTACT: "letter-contact",
    NOTE: "letter-note",
    CAPTION: "caption",
    SUBTITLE: "subtitle",
    ATTACHMENT_LIST: "attachment-list",
}

# Characters Markdown (with attr_list and tables) reads as markup anywhere in a line; a backslash
# makes each one a character again (they are all in Python-Markdown's ESCAPED_CHARS).
INLINE_MARKUP = re.compile(r"([\\`*_{}\[\]#|])")

# What only the start of a line can open: a list (1. - +), a quote (> is an entity already), a
# fence of tildes (~~~mermaid), a heading by underline (===), an admonition (!!! note, ::: note).
# Markdown's backslash does not escape ~ = or :, so those become character references.
LIST_NUMBER = re.compile(r"^(\s*\d+)(?=[.)]\s)")  # "1. " would start an ordered list
LINE_START = re.compile(r"^(\s*)([-+~=:!])")
AT_LINE_START = {"-": "\\-", "+": "\\+", "!": "\\!", "~": "&#126;", "=": "&#61;", ":": "&#58;"}
# A line break inside one piece of text would start a new Markdown line, where the rules above
# would have to run again (and a blank line ends the paragraph with its anchor): text is drawn
# on one line, the break as a space. Fields are single-line anyway (ingest/sidecar.py refuses
# others); Python-Markdown breaks lines at \n and \r only.
LINE_BREAK = re.compile(r"\r\n?|\n")

# Any character escape() changes; most titles and names have none (escape runs ~100 times a document).
NEEDS_ESCAPE = re.compile(r"[&<>\\`*_{}\[\]#|\r\n]|^\s*[-+~=:!\d]")


def escape(text: str) -> str:
    """Source text → Markdown that shows exactly this text, wherever it is put in a line."""
    if not NEEDS_ESCAPE.search(text):
        return text
    text = LINE_BREAK.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = INLINE_MARKUP.sub(r"\\\1", text)
    if LIST_NUMBER.match(text):
        text = LIST_NUMBER.sub(r"\1\\", text)
    return LINE_START.sub(lambda m: m[1] + AT_LINE_START[m[2]], text)


# Links of a kind other than plain: their title and class (our own fixed text, never the source's).
LINK_KINDS = {"wanted": ("未收录：本库尚无此文件，见待收录文件", "ref-wanted")}


def _link(text: str, href: str, kind: str = "") -> str:
    if not kind:
        return f"[{text}]({href})"
    title, css_class = LINK_KINDS[kind]
    return f'[{text}]({href} "{title}"){{: .{css_class} }}'


def escape_linked(
    raw: str, links: Sequence[tuple] = (), start: int = 0, end: int | None = None
) -> str:
    """raw[start:end] escaped, with the link spans that lie inside it as ordinary Markdown links.
    Only our own hrefs (ASCII ids and paths) are ever written unescaped."""
    end = len(raw) if end is None else end
    out, pos = [], start
    for s, e, href, *kind in sorted(links):
        if s < pos or e > end or s >= e:
            continue  # overlapping, or crossing the part being drawn: stays plain text
        out.append(escape(raw[pos:s]) if pos < s else "")
        out.append(_link(escape(raw[s:e]), href, *kind))
        pos = e
    out.append(escape(raw[pos:end]))
    return "".join(out)


# libyaml's emitter is about 20 times faster than PyYAML's pure-Python one, and the front matter of
# every page is dumped at every build. It writes the same YAML for front matter as ours: keys that
# are plain names (id, doc_number, place_path …) and values of any text, except the characters it
# escapes where PyYAML writes them as they are: those above U+FFFF (𠀀, CJK extension B; emoji)
# and U+0085 (NEL). Any other key ('', '\r', one of 126 characters …) or one of those characters
# sends the front matter through the pure-Python emitter, so a page is byte for byte what PyYAML
# writes, however PyYAML was installed (tests/test_render_yaml.py holds them equal).
FAST_DUMPER = getattr(yaml, "CSafeDumper", None)
PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
ESCAPED_BY_LIBYAML = re.compile("[\x85\U00010000-\U0010ffff]")


def _same_with_libyaml(data) -> bool:
    if isinstance(data, str):
        return not ESCAPED_BY_LIBYAML.search(data)
    if isinstance(data, dict):
        return all(
            isinstance(key, str) and PLAIN_KEY.fullmatch(key) and _same_with_libyaml(value)
            for key, value in data.items()
        )
    if isinstance(data, (list, tuple)):
        return all(_same_with_libyaml(item) for item in data)
    return True


class _FastDumper(FAST_DUMPER or yaml.SafeDumper):  # type: ignore[misc]  # libyaml's, if built
    def ignore_aliases(self, data) -> bool:
        return True  # every value written out: readers refuse aliases (ingest/sidecar.py NoAliasLoader)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data: dict) -> str:
    fast = FAST_DUMPER is not None and _same_with_libyaml(data)
    return yaml.dump(
        data,
        Dumper=_FastDumper if fast else _Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )


def front_matter(meta: dict) -> str:
    return f"---\n{dump_yaml(meta)}---"


def render_block(block: Block, targets: dict[int, str]) -> str:
    if block.kind == TABLE:
        return render_table(block, lambda s, e: escape_linked(block.text, block.links, s, e))
    if block.kind == HEADING:
        text = escape(block.text)
        if block.level == 0:
            return f"# {text}"
        hashes = "#" * min(block.level + 1, 6)
        return f"{hashes} {text} {{#{block.anchor}}}"
    if block.kind == PARAGRAPH and block.number:
        text = _bold_run_in_head(block.text, block.links)
    elif block.kind == PARAGRAPH:
        text = _bold_counted_heads(block.text, block.links)
    elif block.kind == ATTACHMENT_LIST:
        text = _link_attachment(block.text, targets)
    else:
        text = escape_linked(block.text, block.links)
    attrs = f"#{block.anchor}" if block.anchor else ""
    if block.kind in CLASS:
        attrs += f" .{CLASS[block.kind]}"
    return f"{text}\n{{: {attrs.strip()} }}" if attrs else text


def _bold_run_in_head(raw: str, links: Sequence[tuple] = ()) -> str:
    """ "1.输变电。以省……" → "**1.输变电。**以省……": the run-in head of a numbered paragraph;
    "第五条　本办法……" → "**第五条**　本办法……": an article's number."""
    article = re.match(r"^第[一二三四五六七八九十百零〇\d]+[条條](?=.)", raw)
    if article:
        return f"**{escape(article[0])}**{escape_linked(raw, links, article.end())}"
    m = re.match(r"^(.{2,40}?[。：:])(?=.)", raw)
    if not m or re.search("[，,；;]", m[1]):
        return escape_linked(raw, links)
    return f"**{escape_linked(raw, links, 0, m.end())}**{escape_linked(raw, links, m.end())}"


# A counted run-in head inside a paragraph: "一是强化组织领导。", "二是……；" at the start of the
# paragraph or of a sentence, short and without a comma (then it is a head, not a sentence).
COUNTED_HEAD = re.compile(
    r"(?:^|(?<=[。；]))(?:[一二三四五六七八九十]{1,3}|第[一二三四五六七八九十]{1,3})是[^，,。；;：:、]{2,30}[。；：]"
)


def _bold_counted_heads(raw: str, links: Sequence[tuple] = ()) -> str:
    """ "……。一是强化组织领导。成立……" → "……。**一是强化组织领导。**成立……"."""
    out, last = [], 0
    for m in COUNTED_HEAD.finditer(raw):
        if m.end() == len(raw):
            break  # a whole sentence on its own: not a head run into a paragraph
        out += [
            escape_linked(raw, links, last, m.start()),
            f"**{escape_linked(raw, links, m.start(), m.end())}**",
        ]
        last = m.end()
    out.append(escape_linked(raw, links, last))
    return "".join(out)


def _link_attachment(raw: str, targets: dict[int, str]) -> str:
    """ "2.衡南县创新提升行动实施方案" in the list links to the attachment's section."""
    m = re.search(r"(\d{1,2})[.．、]\s*(.+)$", raw)
    if m and int(m[1]) in targets:
        number, start, title = int(m[1]), m.start(2), m[2]
    elif (single := re.match(r"^附件\s*[：:]\s*(.+)$", raw)) and len(targets) == 1:
        number, start, title = next(iter(targets)), single.start(1), single[1]  # 附件：衡南县……方案
    else:
        return escape(raw)
    return f"{escape(raw[:start])}[{escape(title)}](#{targets[number]})"


# Shown under a title the pipeline inferred from the text (our words, not the source's).
INFERRED_TITLE_NOTE = "标题为编者据正文所拟（原文无标题行）"


def render(
    doc: Document, extra_sections: list[str] | None = None, banners: list[str] | None = None
) -> str:
    """The page: front matter, the title, the banners (a repealed document's, above its text),
    the text, then the sections the archive stages appended (relations, validity …)."""
    targets = {
        b.attachment: b.anchor
        for b in doc.blocks
        if b.kind == HEADING and b.number.startswith("附件")
    }
    # The title comes first on the page, whatever stood above it in the source (issuer mark, 文号).
    # A 印发 notice is filed under the plan it issues: the H1 is that title, and the notice's own
    # title line stays in the text as what it is.
    title_blocks = [b for b in doc.blocks if b.kind == HEADING and b.level == 0][:1]
    parts = [front_matter(doc.meta), f"# {escape(doc.meta.get('title', ''))}"]
    if doc.meta.get("title_inferred"):
        parts.append(
            f"{INFERRED_TITLE_NOTE}\n{{: .title-inferred }}"
        )  # the source has no title line
    parts += banners or []
    for block in doc.blocks:
        if block in title_blocks and block.text == doc.meta.get("title"):
            continue
        if block in title_blocks:
            parts.append(f"{escape(block.text)}\n{{: .doc-title }}")
        else:
            parts.append(render_block(block, targets))
    parts += extra_sections or []
    return "\n\n".join(parts).rstrip() + "\n"


def removal_report(doc: Document) -> str:
    """What the cleaning removed from a source, one line each: where, the rule, the text.

    The build keeps it beside the page (docs/doc/<id>.removed.txt), so a pull request shows
    every removal, and a reader of the site can check that nothing else was taken out.
    """
    head = f"# removed from sources/{doc.source.name} by the cleaning (line, rule, text); everything else is on the page\n"
    return head + "".join(
        f"{r.line}\t{r.rule}\t{' '.join(_shown(r.text).split())}\n" for r in doc.removed
    )


def _shown(text: str) -> str:
    """A character that is not text (removed as such: ingest/controls.py) by its code point:
    UTF-8 cannot write a lone surrogate, and a control would hide in the report."""
    return NOT_TEXT.sub(lambda m: f"<{code_points(m[0])}>", text)


def removal_reports(archive) -> dict[str, str]:
    """Page writer: one report per document that lost any clutter."""
    return {
        f"doc/{doc.meta['id']}.removed.txt": removal_report(doc)
        for doc in archive.documents
        if doc.removed
    }
