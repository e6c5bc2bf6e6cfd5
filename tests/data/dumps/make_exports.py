"""Writes the CSV, TSV and JSON Lines cases of this folder from the copies of real records in
records/, as a spreadsheet program or a crawler would export them (generated: do not edit the
exports by hand; run `python -m tests.data.dumps.make_exports` again).

The project's six real reference dumps (kept outside the repository) hold no CSV, though a crawler's CSV is the commonest export
in the wild; these are the same real records in the shapes such exports take."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).parent
RECORDS = HERE / "records"


def record(name: str) -> dict:
    return json.loads((RECORDS / name).read_text(encoding="utf-8"))


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    # Excel: every row ends in CRLF, a cell holding a delimiter, a quote or a line break is quoted
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def guangan_rows() -> list[list[str]]:
    rows = []
    for name in (
        "sichuan-guangan-shizhengfu-wenjian--data-23.json",
        "sichuan-guangan-shizhengfu-wenjian--data-26.json",
        "sichuan-guangan-shizhengfu-wenjian--data-25.json",
    ):
        r = record(name)
        m = r["metadata"]
        rows.append(
            ["四川", m["publish_date"][:4], m["title"], m["url"], m["publish_date"], r["content"]]
        )
    return rows


def national_rows() -> list[list[str]]:
    rows = []
    for name in (
        "national-govcn-zhengceku-yiqing--sheet1-row-231.json",
        "national-govcn-zhengceku-yiqing--sheet1-row-33.json",
        "national-govcn-zhengceku-yiqing--sheet1-row-59.json",
    ):
        r = record(name)
        rows.append([r["标题"], r["发文机关"] or "", r["发布时间"], r["url"], r["正文"]])
    return rows


def main() -> None:
    header = ["province", "year", "title", "source_url", "publish_date", "full_text"]
    # Excel's "CSV UTF-8": a BOM, CRLF rows; a body flattened to one line by the crawler
    (HERE / "guangan-utf8-bom-crlf.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_bytes(header, guangan_rows()).encode("utf-8")
    )
    # Excel's "CSV" on a Chinese Windows: GBK, CRLF rows, a cell's line breaks as LF inside quotes
    cn = ["标题", "发文机关", "发布时间", "url", "正文"]
    (HERE / "national-gbk-crlf.csv").write_bytes(
        csv_bytes(cn, national_rows()).encode("gbk", errors="strict")
    )
    # a cell whose text kept a bare CR (a Mac-era line end) inside a CRLF file
    rows = national_rows()[:2]
    rows[0][4] = rows[0][4].replace("\n", "\r", 3)
    (HERE / "national-bare-cr.csv").write_bytes(csv_bytes(cn, rows).encode("utf-8"))
    # a tab-separated export (LibreOffice's "Text CSV" with a tab): UTF-8, LF rows
    (HERE / "national.tsv").write_bytes(
        csv_bytes(cn, national_rows(), delimiter="\t").replace("\r\n", "\n").encode("utf-8")
    )
    # JSON Lines: two records as a crawler writes them, one whose HTML broke its JSON, one cut off
    lines = []
    for name in (
        "beijing-zyj-zhongyiyao-wenjian--14.json",
        "beijing-zyj-zhongyiyao-wenjian--76.json",
    ):
        lines.append(json.dumps(record(name), ensure_ascii=False))
    broken = (RECORDS / "beijing-zyj-zhongyiyao-esbulk--line-40.jsonl").read_text(encoding="utf-8")
    lines.append(broken.strip())
    lines.append(lines[0][: len(lines[0]) // 3])  # a line cut off by a crash of the crawler
    (HERE / "beijing.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
