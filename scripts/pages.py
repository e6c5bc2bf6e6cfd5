"""Generated index pages: the home page's document list."""

from __future__ import annotations

from .archive import Archive, document_path
from .render import escape

LEVEL_NAMES = {"national": "国家", "province": "省级", "city": "市级", "county": "县级"}

HOME_INTRO = """\
# 县域经济政策文库

省、市、县三级关于县域经济的政策文件：通知、方案、计划、答复与官方解读。
每份文件都从抓取的原文整理而来，保留原文字符，标明出处。
"""


def newest_first(archive: Archive):
    return sorted(archive.documents, key=lambda d: (d.meta.get("date", ""), d.meta["id"]), reverse=True)


def document_line(doc, base: str = "") -> str:
    meta = doc.meta
    link = f"[{escape(meta['title'])}]({base}{document_path(meta['id'])})"
    details = " · ".join(escape(str(meta[k])) for k in ("region", "doc_number", "date") if meta.get(k))
    return f"- {link}" + (f"  \n  <small>{details}</small>" if details else "")


def home_page(archive: Archive) -> dict[str, str]:
    lines = [HOME_INTRO, f"## 全部文件（{len(archive.documents)}）", ""]
    lines += [document_line(doc) for doc in newest_first(archive)]
    return {"index.md": "\n".join(lines) + "\n"}
