"""Metadata: the facts found on the way, tidied into the front matter keys of BRIEF.md."""

from __future__ import annotations

import re

from .docnumber import DocNumber
from .places import region_after_overrides, region_fields
from .script import detect_script, to_simplified
from .slug import document_id
from .structure import GENRE_END

GENRE_TYPES = {
    "实施方案": "方案", "工作方案": "方案", "行动方案": "方案", "行动计划": "计划", "工作计划": "计划",
    "实施意见": "意见", "指导意见": "意见", "管理办法": "办法", "暂行办法": "办法", "实施细则": "细则",
    "工作要点": "要点", "复函": "函", "答覆": "答复", "若干措施": "措施",
}
ISSUED = re.compile(r"印[发發]\s*[《<〈](?P<title>.+?)[》>〉]\s*的")

SCRIPT_SAMPLE = 5000  # characters enough to tell traditional from simplified, in a fraction of the time

# Keys in the order the front matter shows them (other tools read these names).
KEY_ORDER = (
    "id", "title", "doc_number", "issuer", "date", "doc_type", "level", "region", "region_code",
    "script", "full_title", "published", "bylines", "index_no", "topic", "source", "added", "cites",
)


def iso_date(text: str) -> str | None:
    m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text or "")
    if not m:
        return None
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"


def doc_type_of(title: str) -> str:
    m = GENRE_END.search(to_simplified(re.sub(r"[（(][^）)]*[）)]$", "", title)))
    if not m:
        return "报道"
    word = re.sub(r"[（(].*$", "", m.group(0))
    return GENRE_TYPES.get(word, word)


def finalise(meta: dict, text: str, sidecar: dict, warnings: list[str]) -> dict:
    """Fill derived keys, then let the sidecar win (warning where the two disagree)."""
    full_title = meta.get("full_title") or meta.get("title", "")
    issued = ISSUED.search(full_title)
    out: dict = {}
    if issued:
        # A 印发 notice: the archive files it under the plan it issues; the notice title is kept.
        out["title"] = issued["title"].replace("<", "《").replace(">", "》")
        out["full_title"] = full_title
        out["doc_type"] = doc_type_of(out["title"])
    else:
        out["title"] = meta.get("title", "")
        genre = GENRE_END.search(to_simplified(out["title"]))
        out["doc_type"] = doc_type_of(out["title"]) if genre and (meta.get("doc_number") or genre[0] != "报告") else (
            "解读" if re.search("解[读讀]", text[:300]) else "报道")
    if meta.get("doc_number"):
        out["doc_number"] = str(DocNumber.parse(meta["doc_number"]))
    issuer = meta.get("issuer") or meta.get("signoff_issuer")
    if not issuer and re.match(r"^.{2,30}?(?:关于|關於)", full_title):
        issuer = re.match(r"^(.{2,30}?)(?:关于|關於)", full_title)[1]
    if issuer:
        out["issuer"] = issuer
    date = iso_date(meta.get("signoff_date", "")) or iso_date(meta.get("published", ""))
    if date:
        out["date"] = date
    # a news headline's kickers ("衡阳目标篇①") name its place as much as the headline does
    out.update(region_fields(issuer, "　".join([out["title"], *meta.get("kickers", [])]), text))
    out["script"] = detect_script(text[:SCRIPT_SAMPLE])
    if meta.get("published"):
        out["published"] = iso_date(meta["published"]) or meta["published"]
    if meta.get("bylines"):
        out["bylines"] = meta["bylines"]
    for key in ("index_no", "topic"):  # 索引号 and 主题分类 from a government page's table
        if meta.get(key):
            out[key] = meta[key]
    source = {k: sidecar[k] for k in ("url", "site", "retrieved") if sidecar.get(k)}
    if meta.get("site") and "site" not in source:
        source["site"] = meta["site"]
    if source:
        out["source"] = source
    if sidecar.get("added"):
        out["added"] = sidecar["added"]  # when the archive first published it (feed, citation)
    for key, value in sidecar.get("overrides", {}).items():
        if key in out and out[key] != value:
            warnings.append(f"sidecar sets {key}: {value!r}, the text says {out[key]!r}; the sidecar wins")
        out[key] = value
    out.update(region_after_overrides(out, sidecar.get("overrides", {})))
    out["id"] = sidecar.get("id") or document_id(out)
    return {key: out[key] for key in KEY_ORDER if key in out} | {
        k: v for k, v in out.items() if k not in KEY_ORDER
    }
