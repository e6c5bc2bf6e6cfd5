"""Generated index pages: the home page and the browse pages (by place, year, type, issuer).

The home page is short whatever the size of the archive: the place tree with counts, the newest
documents, and counts by year, type and issuer that lead to the browse pages, where every
document is listed once per grouping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from .archive import Archive, document_path
from .render import escape
from .slug import slugify
from .places import NATIONAL, gazetteer, page_path
from .web import LEVEL_NAMES, place_chain

NEWEST = 10
TOP_ISSUERS = 12
UNPLACED = "未定地区"
UNDATED = "日期不详"

HOME_INTRO = """\
# 县域经济政策文库

省、市、县三级关于县域经济的政策文件：通知、方案、计划、答复与官方解读。
每份文件都从抓取的原文整理而来，保留原文字符，标明出处，可以下载原始文件。

用页首的搜索框查找：简体或繁体词语、地名拼音（如 `hengnan`）、文号（如 `衡政办发〔2024〕5号`）都可以。
搜索先查标题、文号、地区和开头摘要；点“全文”查正文里的每一个词（摘要里没有时会自动查全文）。
每一段都有固定的链接和现成的引文，见[链接与引用](about/links.md)。
"""


def newest_first(archive: Archive):
    return sorted(archive.documents, key=lambda d: (d.meta.get("date", ""), d.meta["id"]), reverse=True)


def document_line(doc, base: str = "") -> str:
    meta = doc.meta
    link = f"[{escape(meta['title'])}]({base}{document_path(meta['id'])})"
    parts = [escape(str(meta[k])) for k in ("region", "doc_number") if meta.get(k)]
    if meta.get("date"):  # a phone must not break 2023-06-29 at a hyphen
        parts.append(f'<span class="nobreak">{escape(str(meta["date"]))}</span>')
    details = " · ".join(parts)
    return f"- {link}" + (f"  \n  <small>{details}</small>" if details else "")


# --- groupings ---------------------------------------------------------------------------------

def year_of(doc) -> str:
    return (doc.meta.get("date") or "")[:4] or UNDATED


def type_of(doc) -> str:
    return doc.meta.get("doc_type") or "其他"


def issuer_of(doc) -> str:
    return doc.meta.get("issuer") or "发文机关不详"


def place_key(doc) -> str:
    return doc.meta.get("region_code") or UNPLACED


def anchor_of(kind: str, value: str) -> str:
    """ASCII section ids of the browse pages: y2024, p430422, t-fangan, i-hengnanxian-renmin-zhengfu-…

    Pinyin of a type or issuer can collide (two issuers read alike): the hex of the characters
    is added then, so an id stays unique and stays the same whatever else is in the archive.
    """
    if kind == "y":
        return f"y{value}" if value.isdigit() else "y-none"
    if kind == "p":
        return f"p{value}" if value.isdigit() else "p-none"
    slug = f"{kind}-{slugify(value, max_words=8)}"
    if _PINYIN_OWNER.setdefault(slug, value) != value:
        slug += "-" + "".join(f"{ord(ch):x}" for ch in value)[:24]
    return slug


_PINYIN_OWNER: dict[str, str] = {}


def grouped(archive: Archive, key: Callable) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for doc in newest_first(archive):
        groups[key(doc)].append(doc)
    return groups


def browse_page(title: str, intro: str, groups: dict[str, list], kind: str, order: list[str],
                label: Callable[[str], str] = str, heading: Callable[[str], str] | None = None) -> str:
    """`heading`, when given, writes a group's heading as Markdown itself (escaped there)."""
    lines = [f"# {title}", "", intro, ""]
    for value in order:
        docs = groups[value]
        text = heading(value) if heading else escape(label(value))
        lines += [f"## {text}（{len(docs)}） {{#{anchor_of(kind, value)}}}", ""]
        lines += [document_line(doc, "../") for doc in docs]
        lines.append("")
    return "\n".join(lines)


def place_label(code: str) -> str:
    chain = place_chain(code)
    return " › ".join(p.name for p in chain) if chain else ("全国" if code == "000000" else code)


def place_heading(code: str) -> str:
    """湖南省 › 衡阳市 › 衡南县, each name a link to its place page (pages under browse/)."""
    chain = place_chain(code) or ([NATIONAL] if code == NATIONAL.code else [])
    if not chain:
        return escape(place_label(code))
    return " › ".join(f"[{escape(p.name)}](../{page_path(p)})" for p in chain)


# --- the place tree ----------------------------------------------------------------------------

def place_tree(archive: Archive) -> list[str]:
    """湖南省（3） → 衡阳市（3） → 衡南县（1): every place that has documents, with its ancestors."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    children: dict[str, set[str]] = defaultdict(set)
    for doc in archive.documents:
        code = doc.meta.get("region_code", "")
        chain = place_chain(code)
        if not chain:
            label = "全国" if code == "000000" else UNPLACED
            key = code or UNPLACED
            names[key] = label
            counts[key] += 1
            children[""].add(key)
            continue
        parent = ""
        for place in chain:
            names[place.code] = place.name
            counts[place.code] += 1
            children[parent].add(place.code)
            parent = place.code
    lines: list[str] = []
    own_counts = Counter(d.meta.get("region_code") for d in archive.documents)  # once, not once per place

    def walk(parent: str, depth: int) -> None:
        for code in sorted(children[parent], key=lambda c: (c == UNPLACED, c)):
            own = own_counts[code]
            place = gazetteer().get(code)  # every place with documents has a place page (place_pages.py)
            link = (f"[{escape(names[code])}]({page_path(place)})" if place is not None
                    else f"[{escape(names[code])}](browse/places.md#{anchor_of('p', code)})" if own else escape(names[code]))
            lines.append(f"{'    ' * depth}- {link}（{counts[code]}）")
            walk(code, depth + 1)

    walk("", 0)
    return lines


def counts_line(groups: dict[str, list], order: list[str], page: str, kind: str,
                label: Callable[[str], str] = str) -> str:
    return " · ".join(f"[{escape(label(v))}]({page}#{anchor_of(kind, v)})（{len(groups[v])}）" for v in order)


# --- pages -------------------------------------------------------------------------------------

def home_page(archive: Archive) -> dict[str, str]:
    years = grouped(archive, year_of)
    types = grouped(archive, type_of)
    issuers = grouped(archive, issuer_of)
    places = grouped(archive, place_key)
    year_order = sorted((y for y in years if y != UNDATED), reverse=True) + [y for y in years if y == UNDATED]
    type_order = sorted(types, key=lambda t: (-len(types[t]), t))
    issuer_order = sorted(issuers, key=lambda i: (-len(issuers[i]), i))
    place_order = sorted(places, key=lambda c: (c == UNPLACED, place_label(c)))

    home = [HOME_INTRO, f"## 按地区 {{#diqu}}", "", *place_tree(archive), ""]
    home += [f"## 最新文件 {{#zuixin}}", ""]
    home += [document_line(doc) for doc in newest_first(archive)[:NEWEST]]
    home += ["", f"[全部 {len(archive.documents)} 份文件，按年份排列](browse/years.md)", ""]
    home += ["## 分类浏览 {#liulan}", ""]
    home += [f"**按年份**：{counts_line(years, year_order, 'browse/years.md', 'y')}", ""]
    home += [f"**按文种**：{counts_line(types, type_order, 'browse/types.md', 't')}", ""]
    shown = issuer_order[:TOP_ISSUERS]
    more = f" · [全部 {len(issuer_order)} 个机关](browse/issuers.md)" if len(issuer_order) > len(shown) else ""
    home += [f"**按发文机关**：{counts_line(issuers, shown, 'browse/issuers.md', 'i')}{more}", ""]
    level_counts = Counter(d.meta.get("level") for d in archive.documents if d.meta.get("level"))
    if level_counts:
        home += ["**按层级**：" + " · ".join(
            f"{LEVEL_NAMES[k]}（{level_counts[k]}）" for k in LEVEL_NAMES if level_counts[k]), ""]

    return {
        "index.md": "\n".join(home).rstrip() + "\n",
        "browse/years.md": browse_page("按年份浏览", "按成文日期，新的在前。", years, "y", year_order),
        "browse/types.md": browse_page("按文种浏览", "通知、方案、计划、答复、解读、报道……", types, "t", type_order),
        "browse/issuers.md": browse_page("按发文机关浏览", "发文机关按文件数排列。", issuers, "i", issuer_order),
        "browse/places.md": browse_page("按地区浏览", "每个地区自己的文件（不含下级地区）。", places, "p",
                                        place_order, place_label, place_heading),
    }
