"""MkDocs hook: Mermaid diagrams without a CDN.

Material for MkDocs renders ```mermaid fences (pymdownx.superfences) and would fetch Mermaid from a
CDN unless a `mermaid` global already exists. On pages that have a diagram, this hook loads the
pinned copy that `make` vendored into docs/assets/vendor/ (scripts/vendor.py), before Material's
own scripts run. Pages without a diagram load nothing extra.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

MERMAID_JS = "assets/vendor/mermaid.min.js"
DIAGRAM_MARK = 'class="mermaid"'


def on_post_page(output: str, page, config) -> str:
    if DIAGRAM_MARK not in output:
        return output
    if not (Path(config.docs_dir) / MERMAID_JS).exists():
        raise PluginError(f"{page.file.src_uri} has a Mermaid diagram but docs/{MERMAID_JS} is missing: "
                          "run `make site` (or `python -m scripts.vendor`) to vendor the pinned Mermaid")
    src = get_relative_url(MERMAID_JS, page.url)
    tag = f'<script src="{src}"></script>\n'
    # before Material's bundle, so that it finds `mermaid` and does not fetch it
    head, sep, tail = output.partition('<script src="')
    return head + tag + sep + tail if sep else output.replace("</body>", tag + "</body>")
