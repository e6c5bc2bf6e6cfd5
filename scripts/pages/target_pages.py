"""Targets on the site: a 主要目标 box on each document page, the comparison page, the data file.

- `add_target_boxes` (an archive stage) appends the box to every document with targets: its main
  targets (stated under a 目标 heading or after 目标是：) in a table, each linked to its paragraph;
  the other targets and the past results it quotes folded below.
- `comparison_page` (a page writer) puts a county's targets beside its city's and its province's
  for the same indicator (names normalised: 规模工业增加值 = 规模以上工业增加值), each with its year,
  with one page and one table (targets/<province code>.csv) per province, so no file grows with
  the whole archive.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from ..archive.analyses import analysis, register
from ..archive.documents import Archive, document_path
from ..archive.targets import COMPARATOR_SYMBOL, Figure
from ..core.model import Document
from ..core.places import Place, gazetteer
from .export import write_csv_rows
from .render import escape

PAGE = "targets/index.md"
BOX_ID = "targets"
LEVEL_ORDER = ("county", "city", "province")
LEVEL_LABEL = {"county": "县级", "city": "市级", "province": "省级"}


def figures_of(archive: Archive) -> dict[str, list[Figure]]:
    """Every document's figures (an analysis of each document: cached with it)."""
    return {doc.meta["id"]: analysis(doc, "figures") for doc in archive.documents}


def indicator_label(figure: Figure) -> str:
    return (
        figure.indicator + figure.measure
        if figure.measure and not figure.indicator.endswith(figure.measure)
        else figure.indicator
    )


def _unique(figures: list[Figure]) -> list[tuple[Figure, list[Figure]]]:
    """Repeats of one target (the summary and an attachment both say 8.2%) become one row."""
    rows: dict[tuple, tuple[Figure, list[Figure]]] = {}
    for figure in figures:
        key = (figure.key, figure.measure, figure.value_text(), figure.year, figure.kind)
        if key in rows:
            rows[key][1].append(figure)
        else:
            rows[key] = (figure, [])
    return list(rows.values())


def _source_link(figure: Figure, base: str = "") -> str:
    label = escape(figure.section) if figure.section else "原文"
    return f"[{label}]({base}#{figure.anchor})"


def _table(rows: list[tuple[Figure, list[Figure]]]) -> str:
    lines = ["| 指标 | 数值 | 年份 | 出处 |", "| --- | --- | --- | --- |"]
    for figure, repeats in rows:
        also = "".join(f" [{n}](#{r.anchor})" for n, r in enumerate(repeats, start=2))
        lines.append(
            f"| {escape(indicator_label(figure))} | {escape(figure.value_text())} | "
            f"{figure.year or '—'} | {_source_link(figure)}{' · 另见' + also if also else ''} |"
        )
    return "\n".join(lines)


def box_markdown(doc: Document, figures: list[Figure]) -> str:
    targets = [f for f in figures if f.kind == "target"]
    results = [f for f in figures if f.kind == "result"]
    main = [f for f in targets if f.headline] or targets
    in_main = set(main)  # a set: a plan can state thousands of targets
    others = [f for f in targets if f not in in_main]
    parts = [f"## 主要目标 {{#{BOX_ID}}}"]
    note = (
        "从正文自动读出的量化目标，每项链接到所在段落，引用前请核对原文；"
        "往年实绩（同比增长……）不计为目标。"
    )
    place = gazetteer().get(str(doc.meta.get("region_code") or ""))
    province = province_of(place.code) if place else None
    if place and province and place.level not in ("province", "national") and targets:
        note += f" [与上级的同一指标对照](../{province_page(province.code)}#place-{place.code})"
    parts.append(f"<small>{note}</small>")
    parts.append(_table(_unique(main)) if main else "正文中没有读出量化目标。")
    for title, group in (
        (f"其他量化目标（{len(_unique(others))} 项）", others),
        (f"文中的往年实绩，供对照（{len(_unique(results))} 项）", results),
    ):
        if group:
            parts.append(
                f'<details markdown="1">\n<summary>{title}</summary>\n\n{_table(_unique(group))}\n\n</details>'
            )
    return "\n\n".join(parts)


@register("target_box")
def target_box(doc: Document) -> str:
    """The box of one document: it reads that document alone, so it is cached with it."""
    return box_markdown(doc, analysis(doc, "figures"))


def add_target_boxes(archive: Archive) -> None:
    # every page has the box, even when it says there is nothing: #targets is a link that holds
    for doc in archive.documents:
        archive.add_section(doc.meta["id"], analysis(doc, "target_box"))


# ---------------------------------------------------------------------------------------------
# The comparison page
# ---------------------------------------------------------------------------------------------


def _lineage(code: str) -> list[Place]:
    """衡南县 → [衡南县, 衡阳市, 湖南省]."""
    places = gazetteer()
    chain: list[Place] = []
    place = places.get(code)
    while place is not None and place not in chain:
        chain.append(place)
        place = places.get(place.parent) if place.parent else None
    return chain


def _cell(entries: list[tuple[Document, Figure]]) -> str:
    if not entries:
        return "—"
    seen, unique = set(), []
    for doc, figure in entries:  # a plan that repeats a target in its attachments counts once
        if (doc.meta["id"], figure.value_text(), figure.year) not in seen:
            seen.add((doc.meta["id"], figure.value_text(), figure.year))
            unique.append((doc, figure))
    entries = sorted(unique, key=lambda e: (-(e[1].year or 0), e[0].meta["id"]))
    return "<br>".join(
        f"[{escape(f.value_text())}](../{document_path(d.meta['id'])}#{f.anchor})"
        f"{f'（{f.year}）' if f.year else ''}"
        for d, f in entries
    )


def province_of(code: str) -> Place | None:
    """The province a place belongs to (itself for a province); None for the nation or unknown."""
    chain = [p for p in _lineage(code) if p.level != "national"]
    return chain[-1] if chain else None


def province_page(code: str) -> str:
    """One comparison page per province, so that no page grows with the whole archive."""
    return f"targets/{code}.md"


def _targets_by_place(archive: Archive) -> dict[str, dict[tuple, list[tuple[Document, Figure]]]]:
    docs = archive.by_id()
    by_place: dict[str, dict[tuple, list[tuple[Document, Figure]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for doc_id, figures in sorted(figures_of(archive).items()):
        code = str(docs[doc_id].meta.get("region_code") or "")
        for figure in figures:
            if code and figure.kind == "target":
                # the row is named by the normalised indicator; each document's wording is on its page
                by_place[code][(figure.key, figure.measure)].append((docs[doc_id], figure))
    return by_place


def _place_section(code: str, by_place) -> list[str]:
    chain = _lineage(code)
    own = by_place[code]
    # the place itself, and those above it that have documents with targets
    columns = chain[:1] + [p for p in chain[1:] if p.code in by_place]
    rows = []
    for key in sorted(own, key=lambda k: k[0] + k[1]):
        cells = [own[key]] + [by_place[p.code].get(key, []) for p in columns[1:]]
        if sum(1 for c in cells if c) >= 2:
            rows.append(
                f"| {escape(key[0] + key[1])} | " + " | ".join(_cell(c) for c in cells) + " |"
            )
    lines = [
        f"## {escape(chain[0].name)} {{#place-{code}}}",
        "",
        "所属：" + " › ".join(escape(p.name) for p in reversed(chain) if p.level != "national"),
        "",
    ]
    if rows:
        lines.append("| 指标 | " + " | ".join(escape(p.name) for p in columns) + " |")
        lines.append("| --- |" + " --- |" * len(columns))
        lines += rows
    else:
        lines.append(
            f"{escape(chain[0].name)}的文件有 {len(own)} 个指标定了量化目标，文库中暂无其上级文件的同一指标。"
        )
    return [*lines, ""]


INTRO = (
    "每个县（市、区）的量化目标，与其所在市、省文件中同一指标的目标并列，各注年份。"
    "指标名称已归并（如“规模工业增加值”与“规模以上工业增加值”、“GDP”与“地区生产总值”）；"
    "数值链接到原文段落。只列出上下级都有的指标。目标由程序从正文读出，引用前请核对原文。"
)


def comparison_markdown(archive: Archive, tables: dict[str, str] | None = None) -> dict[str, str]:
    """targets/index.md (the provinces) and one page per province with its cities and counties;
    `tables` are the data files when they are already made (data_files)."""
    by_place = _targets_by_place(archive)
    provinces: dict[str, list[str]] = defaultdict(list)
    for code in by_place:
        chain = _lineage(code)
        province = province_of(code)
        if chain and province and chain[0].level not in ("province", "national"):
            provinces[province.code].append(code)
    files = {}
    index = [
        "# 目标对照：县、市、省",
        "",
        INTRO,
        "",
        (
            "全部目标与往年实绩可按省下载为表格（CSV）。上级规划在下辖地方的落实情况见"
            "[落实地图](../implementation/index.md)。"
        ),
        "",
    ]
    tables = data_files(archive) if tables is None else tables
    if not provinces:
        index += ["文库中还没有县、市两级带量化目标的文件。", ""]
    listed = sorted(
        set(provinces) | {name[len("targets/") : -len(".csv")] for name in tables} - {"other"}
    )
    if listed:
        index += ["| 省 | 有目标的市、县 | 表格 |", "| --- | --- | --- |"]
    for province_code in listed:
        if province_code not in provinces:  # a province's own documents, nothing below it yet
            index.append(
                f"| {escape(gazetteer()[province_code].name)} | — | [{province_code}.csv]({province_code}.csv) |"
            )
            continue
        province = gazetteer()[province_code]
        codes = sorted(
            provinces[province_code], key=lambda c: [p.code for p in reversed(_lineage(c))]
        )
        page = [
            f"# 目标对照：{escape(province.name)}",
            "",
            INTRO,
            "",
            f"本省全部目标与往年实绩：[{province_code}.csv]({province_code}.csv)。",
            "",
        ]
        for code in codes:
            page += _place_section(code, by_place)
        files[province_page(province_code)] = "\n".join(page).rstrip() + "\n"
        names = "、".join(
            f"[{escape(gazetteer()[c].name)}]({province_code}.md#place-{c})" for c in codes
        )
        index.append(
            f"| [{escape(province.name)}]({province_code}.md) | {names} | [{province_code}.csv]({province_code}.csv) |"
        )
    if "targets/other.csv" in tables:
        index += ["", "全国性文件及地区不详的文件：[other.csv](other.csv)。"]
    files[PAGE] = "\n".join(index).rstrip() + "\n"
    return files


CSV_COLUMNS = (
    "doc_id",
    "title",
    "region",
    "region_code",
    "level",
    "kind",
    "indicator",
    "key",
    "measure",
    "low",
    "high",
    "unit",
    "comparator",
    "comparator_symbol",
    "year",
    "value",
    "page",
    "clause",
)


def figures_csv(archive: Archive, documents: list[Document]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    write_csv_rows(
        writer,
        (
            [
                doc.meta["id"],
                doc.meta.get("title", ""),
                doc.meta.get("region", ""),
                doc.meta.get("region_code", ""),
                doc.meta.get("level", ""),
                f.kind,
                f.indicator,
                f.key,
                f.measure,
                f"{f.low:g}",
                f"{f.high:g}",
                f.unit,
                f.comparator,
                COMPARATOR_SYMBOL.get(f.comparator, ""),
                f.year or "",
                f.value_text(),
                f"doc/{doc.meta['id']}/#{f.anchor}",
                f.clause,
            ]
            for doc in sorted(documents, key=lambda d: d.meta["id"])
            for f in analysis(doc, "figures")
        ),
    )
    # a byte-order mark, so that a spreadsheet opens the Chinese text as UTF-8
    return "\ufeff" + out.getvalue()


def data_files(archive: Archive) -> dict[str, str]:
    """targets/<province code>.csv for each province; targets/other.csv for national or unplaced ones."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in archive.documents:
        if analysis(doc, "figures"):
            province = province_of(str(doc.meta.get("region_code") or ""))
            groups[province.code if province else "other"].append(doc)
    return {f"targets/{name}.csv": figures_csv(archive, docs) for name, docs in groups.items()}


def comparison_page(archive: Archive) -> dict[str, str]:
    tables = data_files(archive)  # the index lists them: made once
    return comparison_markdown(archive, tables) | tables
