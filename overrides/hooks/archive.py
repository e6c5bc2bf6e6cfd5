"""MkDocs hook: the thin MkDocs side of the archive.

Everything a page says is in its Markdown (written by scripts/). This hook only
- keeps MkDocs from treating the generated manifest as a page, and
- puts a document's metadata card (overrides/partials/document-card.html) under its title.
"""

from __future__ import annotations

import html

CARD_TEMPLATE = "partials/document-card.html"


def on_files(files, config):
    # docs/.generated lists the files `python -m scripts build` wrote; it is not a page.
    for file in list(files):
        if file.src_uri == ".generated":
            files.remove(file)
    return files


def on_page_markdown(markdown, page, config, files):
    # MkDocs and Material print page.meta.title into HTML without escaping it (<title>, the header,
    # prev/next links, the search index). A title is source text, so it goes in HTML-escaped:
    # `关于<script>…` must show as those characters. (A template that adds `| e` escapes it twice.)
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = html.escape(page.meta["title"])
    return markdown


def on_page_content(html, page, config, files):
    if not (page.meta.get("id") and page.meta.get("doc_type")):
        return html
    card = config.theme.get_env().get_template(CARD_TEMPLATE).render(page=page, config=config)
    head, sep, rest = html.partition("</h1>")
    return head + sep + card + rest if sep else card + html
