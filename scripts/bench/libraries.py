"""The field's libraries against our rules, on the real documents of the corpus.

    python -m scripts.bench.libraries [CORPUS]   # default: tests/data/corpus

Measured, for the pages of the corpus (saved pages and the HTML bodies of portal records):
- title and date: trafilatura's metadata, gne's title and publish time, htmldate's date, against
  what a reader takes from each document (tests/data/corpus-expectations.yaml);
- main text: the passages a reader needs (`survive`) found in trafilatura's and gne's text, and
  the clutter lines left in it (counters, print/close widgets, leave-site pop-ups, 相关阅读 lists);
- Chinese dates: cn2an against metadata.iso_date on the sign-off dates of the corpus, right and time.

The libraries are not dependencies of the archive (see scripts/ingest/INPUT.md, "Libraries considered"): this
benchmark runs where they are installed (`pip install trafilatura htmldate gne cn2an`) and says
which are missing otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import re
import time
import warnings
from pathlib import Path

from tests.corpus_score import CORPUS, converted, field_right, fold, load_expectations

# what must never be left in a document's text (one family each)
CLUTTER = re.compile(
    r"扫一扫|打印本页|关闭窗口|浏览次数|字体：|即将离开|相关阅读|法宝引证码|原文链接|当前位置"
)
CN_DATES = {  # the Chinese-numeral sign-offs met in the corpus and in the family
    "二〇〇六年九月七日": "2006-09-07",
    "二〇〇六年十月十八日": "2006-10-18",
    "二〇二一年十二月三十一日": "2021-12-31",
    "二〇二〇年二月二十九日": "2020-02-29",
    "二○一九年十一月十日": "2019-11-10",
    "二〇二一年十月": "2021-10",
}


def pages(folder: Path) -> list[tuple[str, str]]:
    """(name, HTML) of every corpus document that is a page or carries an HTML body."""
    from scripts.ingest.record_source import record_body, record_fields

    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".html":
            out.append((path.name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".json":
            body, is_html, _ = record_body(
                record_fields(path.read_text(encoding="utf-8"), path), path
            )
            if is_html:
                out.append((path.name, f"<html><body>{body}</body></html>"))
    return out


def available(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def score_text(name: str, text: str, expected: dict) -> tuple[int, int, int]:
    """(passages found, passages wanted, clutter lines left) in an extracted text."""
    folded = fold(text or "")
    wanted = expected[name].get("survive", [])
    found = sum(1 for s in wanted if fold(s) in folded)
    clutter = sum(1 for line in (text or "").splitlines() if CLUTTER.search(line))
    return found, len(wanted), clutter


def ours(name: str, folder: Path) -> dict:
    from scripts.pages.render import render
    from scripts.pages.web import plain_text

    doc = converted(name, folder)
    return {
        "title": doc.meta.get("title"),
        "full_title": doc.meta.get("full_title"),
        "date": doc.meta.get("date"),
        "text": plain_text(render(doc).split("---\n", 2)[2]),
        "doc": doc,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.libraries", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=CORPUS, help="default: tests/data/corpus"
    )
    folder = parser.parse_args(argv).corpus
    expected = load_expectations()
    docs = pages(folder)
    print(f"{len(docs)} pages of {folder}")
    rows = []
    mine = {name: ours(name, folder) for name, _ in docs}
    rows.append(("our rules", mine))
    if (traf := available("trafilatura")) is not None:
        out = {}
        for name, page in docs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = traf.bare_extraction(
                    page, with_metadata=True, include_tables=True, favor_recall=True
                )
            result = result.as_dict() if hasattr(result, "as_dict") else (result or {})
            out[name] = {
                "title": result.get("title"),
                "date": result.get("date"),
                "text": result.get("text") or "",
            }
        rows.append((f"trafilatura {traf.__version__}", out))
    if (gne := available("gne")) is not None:
        extractor = gne.GeneralNewsExtractor()
        out = {}
        for name, page in docs:
            try:
                result = extractor.extract(page)
            except Exception as err:  # a library that fails on a page scores nothing there
                result = {"title": "", "publish_time": "", "content": f"(failed: {err})"}
            out[name] = {
                "title": result.get("title"),
                "date": (result.get("publish_time") or "")[:10],
                "text": result.get("content") or "",
            }
        rows.append(("gne 0.4", out))
    if (htmldate := available("htmldate")) is not None:
        out = {}
        for name, page in docs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = htmldate.find_date(page, original_date=True, extensive_search=True)
            out[name] = {"title": None, "date": found, "text": None}
        rows.append(("htmldate (original date)", out))
    print(f"\n{'extractor':<28} {'title':>7} {'date':>7} {'passages':>10} {'clutter lines':>14}")
    for label, results in rows:
        titles = dates = found = wanted = clutter = 0
        for name, _ in docs:
            r = results[name]
            fake = type(
                "D",
                (),
                {
                    "meta": {
                        "title": r["title"] or "",
                        "date": r["date"] or "",
                        "full_title": r.get("full_title"),
                        "title_inferred": bool(
                            r.get("doc") and r["doc"].meta.get("title_inferred")
                        ),
                    }
                },
            )
            titles += field_right("title", fake, expected[name]) if r["title"] is not None else 0
            dates += field_right("date", fake, expected[name])
            if r["text"] is not None:
                f, w, c = score_text(name, r["text"], expected)
                found, wanted, clutter = found + f, wanted + w, clutter + c
        text = f"{found:>4}/{wanted:<5} {clutter:>14}" if wanted else f"{'—':>10} {'—':>14}"
        title = (
            f"{titles:>3}/{len(docs):<3}" if label != "htmldate (original date)" else f"{'—':>7}"
        )
        print(f"{label:<28} {title} {dates:>3}/{len(docs):<3} {text}")
    cn_dates()


def cn_dates() -> None:
    from scripts.ingest.metadata import iso_date

    cn2an = available("cn2an")
    rounds = 2000
    start = time.perf_counter()
    ours_right = (
        sum(iso_date(cn) == iso for cn, iso in CN_DATES.items() for _ in range(rounds)) // rounds
    )
    ours_us = (time.perf_counter() - start) / (rounds * len(CN_DATES)) * 1e6
    print(
        f"\nChinese-numeral dates ({len(CN_DATES)}): our iso_date {ours_right}/{len(CN_DATES)} right, {ours_us:.1f} µs each"
    )
    if cn2an is None:
        print("cn2an: not installed")
        return
    start = time.perf_counter()
    right = 0
    for cn, iso in CN_DATES.items():
        for _ in range(rounds // 10):
            got = cn2an.transform(cn, "cn2an")
        parts = [int(n) for n in re.findall(r"\d+", got)]
        right += "-".join(f"{n:02d}" if k else f"{n:04d}" for k, n in enumerate(parts)) == iso
    each = (time.perf_counter() - start) / (rounds // 10 * len(CN_DATES)) * 1e6
    print(
        f"cn2an {cn2an.__version__ if hasattr(cn2an, '__version__') else ''}: {right}/{len(CN_DATES)} right, {each:.1f} µs each"
        f" (e.g. {next(iter(CN_DATES))} → {cn2an.transform(next(iter(CN_DATES)), 'cn2an')})"
    )


if __name__ == "__main__":
    main()
