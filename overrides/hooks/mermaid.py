"""MkDocs hook: Mermaid diagrams without a CDN, and without the weight on pages read on a phone.

Material for MkDocs renders ```mermaid fences (pymdownx.superfences) and would fetch Mermaid from a
CDN unless a `mermaid` global already exists. On pages that have a diagram, this hook puts a small
stand-in (docs/assets/mermaid-loader.js) before Material's own scripts: it is that global, and it
loads the pinned copy that `make` vendored into docs/assets/vendor/ (scripts/site/vendor.py, 3.5 MB)
only when a diagram comes near the viewport. Pages without a diagram load nothing extra.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

MERMAID_JS = "assets/vendor/mermaid.min.js"
LOADER_JS = "assets/mermaid-loader.js"
DIAGRAM_MARK = 'class="mermaid"'
# Until it is drawn, a screen reader hears a named image rather than the Mermaid source (which
# docs/assets/archive.css keeps from scrolling, so that no region a keyboard cannot reach scrolls).
NAMED_DIAGRAM = '<pre class="mermaid" role="img" aria-label="关系图">'


def on_post_page(output: str, page, config) -> str:
    if DIAGRAM_MARK not in output:
        return output
    if not (Path(config.docs_dir) / MERMAID_JS).exists():
        raise PluginError(
            f"{page.file.src_uri} has a Mermaid diagram but docs/{MERMAID_JS} is missing: "
            "run `make site` (or `python -m scripts.site.vendor`) to vendor the pinned Mermaid"
        )
    output = output.replace('<pre class="mermaid">', NAMED_DIAGRAM)
    loader = get_relative_url(LOADER_JS, page.url)
    mermaid = get_relative_url(MERMAID_JS, page.url)
    tag = f'<script defer src="{loader}" data-mermaid-src="{mermaid}"></script>\n'
    # before Material's bundle, so that it finds `mermaid` and does not fetch it (both deferred:
    # they run in this order once the page is parsed, overrides/main.html)
    head, sep, tail = output.partition('<script defer src="')
    return head + tag + sep + tail if sep else output.replace("</body>", tag + "</body>")
