"""Generated index pages: the home page and the browse pages (by place, year, type, issuer,
status).

The home page is short whatever the size of the archive: the place tree with counts, the newest
documents, and counts by year, type and issuer that lead to the browse pages, where every
document is listed once per grouping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..archive.documents import Archive, document_path
from ..archive.validity import STATUSES, UNKNOWN
from ..core.places import NATIONAL, gazetteer, page_path, url_path
from ..core.slug import slugify
from .render import escape
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
搜索查遍每份文件的全文，只列出确实含有所查词语的文件，标题、文号里有它的和正文里讲得多的排在前面；
库里还没有的文号或标题，会先列出它的待收录条目和引用它的文件。
每一段都有固定的链接和现成的引文，见[链接与引用](about/links.md)。
"""


def newest_first(archive: Archive):
    return sorted(
        archive.documents, key=lambda d: (d.meta.get("date", ""), d.meta["id"]), reverse=True
    )


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


def status_of(doc) -> str:
    return doc.meta.get("status") or UNKNOWN


# The pages of the statuses (archive/validity.py), at ASCII addresses: browse/status/yifeizhi/
STATUS_PAGES = {
    "现行有效": "xianxing-youxiao",
    "已修订": "yixiuding",
    "已废止": "yifeizhi",
    "已失效": "yishixiao",
    "尚未施行": "shangwei-shixing",
    "未知": "weizhi",
}


def status_intro(as_of: str) -> str:
    when = f"，有效期按 {as_of}（本库最新的收录日期）计算" if as_of else ""
    return (
        f"据本库所收文件的文字判断（施行日期、有效期，后来的文件废止、修订、代替它的说明）{when}；"
        "不是法律意见。判断方法见“关于 → 效力与版本”。"
    )


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


def warm_anchors(doc) -> None:
    """Compute (or find in the memo) the pinyin of the anchors of this document's type and issuer."""
    for value in (type_of(doc), issuer_of(doc)):
        slugify(value, max_words=8)


def grouped(archive: Archive, key: Callable) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for doc in newest_first(archive):
        groups[key(doc)].append(doc)
    return groups


# --- browse pages: an index, and the documents on pages of a bounded size ---------------------
# A page listing every document grows with the archive (2 MB of Markdown at 10,000 documents, as
# heavy on a phone) and changes with every document added, so a rebuild would render it whole
# each time. So each way of browsing has a small index (browse/years.md) and its documents sit on
# one page per year, per type, per province (browse/years/2024.md): adding a document renders
# again the index and the pages of its own year, type, province.


@dataclass
class Browse:
    folder: str  # 'years': the index is browse/years.md, the pages browse/years/<slug>.md
    title: str
    intro: str
    kind: str  # the anchors' prefix (anchor_of)
    groups: dict[str, list]  # value → its documents, newest first
    order: list[str]  # the values, as listed
    page_of: Callable[[str], str]  # value → the slug of the page that lists its documents
    page_title: Callable[[str], str]  # slug → the title of that page
    label: Callable[[str], str] = str
    heading: Callable[[str], str] | None = (
        None  # a group's heading as Markdown (escaped there), from a page
    )
    page_per_value: bool = False  # a page is the value's own (a year, a type), not a province's

    def page(self, value: str) -> str:
        """The page of a value's documents, relative to browse/."""
        return f"{self.folder}/{self.page_of(value)}.md"

    def pages(self) -> dict[str, list[str]]:
        """slug → its values, in order."""
        by_page: dict[str, list[str]] = {}
        for value in self.order:
            by_page.setdefault(self.page_of(value), []).append(value)
        return by_page


def browse_files(b: Browse) -> dict[str, str]:
    """browse/<folder>.md and browse/<folder>/<slug>.md. A value's own page (a year, a type)
    carries the value's anchor on its title; a province's page (its places, its issuers) has a
    section per value."""
    index = [f"# {b.title}", "", b.intro, ""]
    files = {}
    for slug, values in b.pages().items():
        path, total = f"{b.folder}/{slug}.md", sum(len(b.groups[v]) for v in values)
        title = escape(b.page_title(slug))
        back = f"[← {escape(b.title)}](../{b.folder}.md)"
        if b.page_per_value:
            anchor = anchor_of(b.kind, values[0])
            index += [f"## [{title}]({path})（{total}） {{#{anchor}}}", ""]
            lines = [
                f"# {title}（{total}） {{#{anchor}}}",
                "",
                b.intro,
                "",
                back,
                "",
                *[document_line(doc, "../../") for doc in b.groups[values[0]]],
                "",
            ]
        else:
            index += [f"## [{title}]({path})（{total}）", ""]
            index += [
                f"- [{escape(b.label(v))}]({path}#{anchor_of(b.kind, v)})（{len(b.groups[v])}）"
                for v in values
            ]
            index.append("")
            lines = [f"# {title}（{total}）", "", b.intro, "", back, ""]
            for v in values:
                text = b.heading(v) if b.heading else escape(b.label(v))
                lines += [f"## {text}（{len(b.groups[v])}） {{#{anchor_of(b.kind, v)}}}", ""]
                lines += [document_line(doc, "../../") for doc in b.groups[v]]
                lines.append("")
        files[f"browse/{path}"] = "\n".join(lines)
    files[f"browse/{b.folder}.md"] = "\n".join(index)
    return files


def province_slug(code: str) -> str:
    """The browse page of a place's province: 'hunan' for 430422; 'quanguo' for 全国; 'qita' else."""
    chain = place_chain(code)
    if chain:
        return url_path(chain[0]).strip("/")
    return "quanguo" if code == NATIONAL.code else "qita"


def province_title(slug: str, suffix: str = "") -> str:
    return (
        _province_names().get(slug, {"quanguo": "全国", "qita": "地区不详"}.get(slug, slug))
        + suffix
    )


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    return {url_path(p).strip("/"): p.name for p in gazetteer().values() if p.level == "province"}


def main_province(docs: list) -> str:
    """The province most of these documents (an issuer's) come from: its issuer page."""
    counts = Counter(province_slug(place_key(doc)) for doc in docs)
    return min(counts, key=lambda slug: (-counts[slug], slug))


def place_label(code: str) -> str:
    chain = place_chain(code)
    return " › ".join(p.name for p in chain) if chain else ("全国" if code == "000000" else code)


def place_heading(code: str) -> str:
    """湖南省 › 衡阳市 › 衡南县, each name a link to its place page (from browse/places/)."""
    chain = place_chain(code) or ([NATIONAL] if code == NATIONAL.code else [])
    if not chain:
        return escape(place_label(code))
    return " › ".join(f"[{escape(p.name)}](../../{page_path(p)})" for p in chain)


# --- the place tree ----------------------------------------------------------------------------


def place_tree(archive: Archive, places: Browse) -> list[str]:
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
    own_counts = Counter(
        d.meta.get("region_code") for d in archive.documents
    )  # once, not once per place

    def walk(parent: str, depth: int) -> None:
        for code in sorted(children[parent], key=lambda c: (c == UNPLACED, c)):
            own = own_counts[code]
            place = gazetteer().get(
                code
            )  # every place with documents has a place page (place_pages.py)
            link = (
                f"[{escape(names[code])}]({page_path(place)})"
                if place is not None
                else f"[{escape(names[code])}](browse/{places.page(code)}#{anchor_of('p', code)})"
                if own
                else escape(names[code])
            )
            lines.append(f"{'    ' * depth}- {link}（{counts[code]}）")
            walk(code, depth + 1)

    walk("", 0)
    return lines


def counts_line(b: Browse, values: list[str]) -> str:
    """2025（38） · 2024（51） …, each leading to its documents' browse page."""
    return " · ".join(
        f"[{escape(b.label(v))}](browse/{b.page(v)}#{anchor_of(b.kind, v)})（{len(b.groups[v])}）"
        for v in values
    )


# --- pages -------------------------------------------------------------------------------------


def browse_ways(archive: Archive) -> list[Browse]:
    """By year, type, issuer, place, status: the ways of browsing, each an index and its pages."""
    years = grouped(archive, year_of)
    types = grouped(archive, type_of)
    issuers = grouped(archive, issuer_of)
    places = grouped(archive, place_key)
    statuses = grouped(archive, status_of)
    issuer_home = {issuer: main_province(docs) for issuer, docs in issuers.items()}
    return [
        Browse(
            "years",
            "按年份浏览",
            "按成文日期，新的在前。",
            "y",
            years,
            sorted((y for y in years if y != UNDATED), reverse=True)
            + [y for y in years if y == UNDATED],
            page_of=lambda y: y if y.isdigit() else "undated",
            page_title=lambda slug: f"{slug} 年" if slug.isdigit() else UNDATED,
            page_per_value=True,
        ),
        Browse(
            "types",
            "按文种浏览",
            "通知、方案、计划、答复、解读、报道……",
            "t",
            types,
            sorted(types, key=lambda t: (-len(types[t]), t)),
            page_of=lambda t: anchor_of("t", t).removeprefix("t-"),
            page_title=lambda slug: next(
                t for t in types if anchor_of("t", t).removeprefix("t-") == slug
            ),
            page_per_value=True,
        ),
        Browse(
            "issuers",
            "按发文机关浏览",
            "发文机关按所在省份分页，按文件数排列。",
            "i",
            issuers,
            sorted(issuers, key=lambda i: (issuer_home[i], -len(issuers[i]), i)),
            page_of=issuer_home.__getitem__,
            page_title=lambda slug: province_title(slug, "的发文机关"),
        ),
        Browse(
            "places",
            "按地区浏览",
            "每个地区自己的文件（不含下级地区），按省份分页。",
            "p",
            places,
            sorted(places, key=lambda c: (c == UNPLACED, place_label(c))),
            page_of=province_slug,
            page_title=province_title,
            label=place_label,
            heading=place_heading,
        ),
        Browse(
            "status",
            "按效力浏览",
            status_intro(archive.as_of),
            "s",
            statuses,
            [status for status in STATUSES if status in statuses],
            page_of=STATUS_PAGES.__getitem__,
            page_title=lambda slug: next(k for k, v in STATUS_PAGES.items() if v == slug),
            page_per_value=True,
        ),
    ]


def home_page(archive: Archive) -> dict[str, str]:
    """The home page, and the browse pages it leads to."""
    years, types, issuers, places, statuses = ways = browse_ways(archive)
    home = [HOME_INTRO, "## 按地区 {#diqu}", "", *place_tree(archive, places), ""]
    home += ["## 最新文件 {#zuixin}", ""]
    home += [document_line(doc) for doc in newest_first(archive)[:NEWEST]]
    home += ["", f"[全部 {len(archive.documents)} 份文件，按年份排列](browse/years.md)", ""]
    home += ["## 分类浏览 {#liulan}", ""]
    home += [f"**按年份**：{counts_line(years, years.order)}", ""]
    home += [f"**按文种**：{counts_line(types, types.order)}", ""]
    by_count = sorted(issuers.groups, key=lambda i: (-len(issuers.groups[i]), i))
    shown = by_count[:TOP_ISSUERS]
    more = (
        f" · [全部 {len(by_count)} 个机关](browse/issuers.md)" if len(by_count) > len(shown) else ""
    )
    home += [f"**按发文机关**：{counts_line(issuers, shown)}{more}", ""]
    home += [f"**按效力**：{counts_line(statuses, statuses.order)}", ""]
    level_counts = Counter(d.meta.get("level") for d in archive.documents if d.meta.get("level"))
    if level_counts:
        home += [
            "**按层级**："
            + " · ".join(
                f"{LEVEL_NAMES[k]}（{level_counts[k]}）" for k in LEVEL_NAMES if level_counts[k]
            ),
            "",
        ]
    files = {"index.md": "\n".join(home).rstrip() + "\n"}
    for way in ways:
        files.update(browse_files(way))
    return files
