"""Which documents of docs/ hold a word, computed from their Markdown without the search index:
the reference that search recall is measured against (the benchmark, tests/test_search.py).

A document holds a word when its own text (the Markdown before the relations, diagram and
targets appended to its page, without the status banner above it: the archive's words, which
the index does not read either) or its head (title, 文号, issuer, places) holds it, folded as a
reader expects: traditional Han characters simplified one by one (OpenCC's table, as
scripts/pages/web.py's t2s_table gives it), full-width letters and digits as ASCII, lower case,
punctuation and spaces ignored, a paragraph break kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..pages.web import BANNER

OWN_TEXT_ENDS = re.compile(r"^## [^\n]*\{#(?:relations|relation-graph|targets)\}\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    from ..pages.web import t2s_table

    pairs = t2s_table()
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}


def folded(text: str) -> str:
    text = text.translate(_simplified()).lower()
    text = re.sub("[０-９ａ-ｚ]", lambda m: chr(ord(m[0]) - 0xFEE0), text)
    return re.sub(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\n]+", "", text)


def own_text(markdown: str) -> str:
    """The readable text of a document page's Markdown, as far as the document's own text goes:
    link targets, attribute lists, heading ids, tags and diagrams are not text."""
    text = BANNER.sub("", OWN_TEXT_ENDS.split(markdown, 1)[0])
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\{[:#][^}\n]*\}", "", text)
    return re.sub(r"<[^>\n]+>", "", text)


@lru_cache(maxsize=4)
def documents(docs: Path) -> dict[str, dict]:
    """id → its front matter, folded own text and folded head, for every document page of docs/."""
    found = {}
    for path in sorted((docs / "doc").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        places = [p["name"] for p in meta.get("place_path") or [] if p.get("name") != "全国"]
        head = "\n".join(  # a word spans no two fields
            [*(str(meta.get(k, "")) for k in ("title", "doc_number", "issuer", "region")), *places]
        )
        found[path.stem] = {"meta": meta, "text": folded(own_text(body)), "head": folded(head)}
    return found


def holding(docs: Path, word: str) -> set[str]:
    """The ids of the documents that hold `word`."""
    word = folded(word)
    return {
        doc_id
        for doc_id, doc in documents(docs).items()
        if word in doc["text"] or word in doc["head"]
    }
