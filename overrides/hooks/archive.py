"""MkDocs hook: the thin MkDocs side of the archive.

Everything a page says is in its Markdown (written by scripts/). This hook only
- keeps MkDocs from treating the generated manifest as a page, and
- puts a document's metadata card (overrides/partials/document-card.html) under its title.
"""

from __future__ import annotations

CARD_TEMPLATE = "partials/document-card.html"
_card = None  # compiled once per build: theme.get_env() makes a new Jinja environment each call


def on_pre_build(config):
    global _card
    _card = config.theme.get_env().get_template(CARD_TEMPLATE)


def on_files(files, config):
    # docs/.generated lists the files `python -m scripts build` wrote; it is not a page.
    for file in list(files):
        if file.src_uri == ".generated":
            files.remove(file)
    return files


def on_page_content(html, page, config, files):
    if not (page.meta.get("id") and page.meta.get("doc_type")):
        return html
    card = _card.render(page=page, config=config)
    head, sep, rest = html.partition("</h1>")
    return head + sep + card + rest if sep else card + html
