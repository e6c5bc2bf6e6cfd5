"""How right the pipeline is on the real documents of the corpus (tests/data/corpus/), field by field.

    python -m tests.corpus_score           # the per-field table
    python -m tests.corpus_score --misses  # … and every value that is not what a reader expects
    python -m tests.corpus_score --heldout # the same for the held-out set (tests/data/heldout/)
    python -m tests.corpus_score --dumps   # … for the sample of bulk-dump records (tests/data/dumps/)
    python -m tests.corpus_score --dump-families  # … for the records the dump rules were built on

The expectations (tests/data/corpus-expectations.yaml, tests/data/heldout-expectations.yaml)
were written by reading each document; tests/test_corpus.py and tests/test_heldout.py hold the
pipeline to them.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The 37 real documents the rules were developed on, byte for byte, with their SOURCES.md (35 of
# them are in sources/ too, under the archive's names; the tests read them under these names).
CORPUS = Path(__file__).parent / "data" / "corpus"
EXPECTATIONS = Path(__file__).parent / "data" / "corpus-expectations.yaml"
# Documents of the corpus's families from other sites, written apart from the rules (test material,
# never in sources/): what the rules are judged on, since they were developed on the corpus.
HELDOUT = Path(__file__).parent / "data" / "heldout"
HELDOUT_EXPECTATIONS = Path(__file__).parent / "data" / "heldout-expectations.yaml"
# A sample of the records of the six bulk dumps (scripts/ingest/INPUT.md → Bulk dumps), drawn at random and
# written down before the pipeline ran on them, each as the one-record dump `import` writes for it.
DUMP_RECORDS = Path(__file__).parent / "data" / "dumps" / "records"
DUMP_EXPECTATIONS = Path(__file__).parent / "data" / "dumps-expectations.yaml"
# Records of the dumps the conversion rules of their families were built on (no blind set), each
# stating only the fields its family is about (tests/test_dump_families.py): scored over the
# records that state a field
DUMP_FAMILIES = Path(__file__).parent / "data" / "dump-families"
DUMP_FAMILIES_EXPECTATIONS = Path(__file__).parent / "data" / "dump-families-expectations.yaml"
FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "date",
    "doc_type",
    "level",
    "region",
    "region_code",
    "cites",
)
DUMP_FIELDS = FIELDS[:-1]
GOAL = 0.95


def load_expectations(path: Path = EXPECTATIONS) -> dict[str, dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """What a reader does not count: spacing, width, the shape of brackets, quotes and dashes."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[《》〈〉<>「」『』]", "《", text)
    text = re.sub(r"[“”\"‘’']", "“", text)
    text = re.sub(r"[—–\-－~～]+", "-", text)
    text = re.sub(r"[〔\[【［]", "(", text)
    text = re.sub(r"[〕\]】］]", ")", text)
    return "".join(text.split())


def accepted(value) -> list:
    return value if isinstance(value, list) else [value]


@cache
def converted(name: str, folder: Path = CORPUS):
    from scripts.ingest.convert import convert_file

    return convert_file(folder / name, sidecar={})


def cited_numbers(doc) -> set[str]:
    """The 文号 the document cites (its own excluded), folded."""
    from scripts.archive.references import find_references

    own = fold(doc.meta.get("doc_number", "")) if doc.meta.get("doc_number") else None
    found = set()
    for ref in find_references(doc):
        if ref.doc_number is not None:
            found.add(fold(str(ref.doc_number)))
    return found - {own}


def field_right(field: str, doc, expected: dict) -> bool:
    meta = doc.meta
    if field == "title":
        title = meta.get("title") or ""
        if expected.get("title_inferred"):
            return bool(meta.get("title_inferred")) and all(
                fold(w) in fold(title) for w in expected["title_words"]
            )
        titles = {fold(title), fold(meta.get("full_title") or title)}
        return any(fold(t) in titles for t in accepted(expected["title"]))
    if field == "cites":
        return cited_numbers(doc) == {fold(n) for n in expected["cites"]}
    got = meta.get(field)
    for want in accepted(expected.get(field)):
        if want is None and not got:
            return True
        if want is not None and got is not None and fold(got) == fold(want):
            return True
    return False


def score(
    names: list[str] | None = None,
    expectations: dict[str, dict] | None = None,
    folder: Path = CORPUS,
    fields: tuple[str, ...] = FIELDS,
    stated: dict[str, int] | None = None,
) -> tuple[dict[str, int], int, list[tuple[str, str, object, object]]]:
    """Right answers per field, the number of documents, and every miss (file, field, got, wanted).
    With `stated` (a dict to fill), a field a document's expectations leave out is not scored, and
    `stated` counts the documents that state each field."""
    expectations = expectations if expectations is not None else load_expectations()
    names = names or sorted(expectations)
    right = dict.fromkeys(fields, 0)
    if stated is not None:
        stated.update(dict.fromkeys(fields, 0))
    misses = []
    for name in names:
        try:
            doc = converted(name, folder)
        except Exception as err:  # a document the pipeline refuses gets every field wrong
            for field in fields:
                if stated is not None and field not in expectations[name]:
                    continue
                if stated is not None:
                    stated[field] += 1
                misses.append((name, field, f"not converted: {err}", expectations[name].get(field)))
            continue
        for field in fields:
            if stated is not None:
                if field not in expectations[name]:
                    continue
                stated[field] += 1
            if field_right(field, doc, expectations[name]):
                right[field] += 1
            else:
                got = sorted(cited_numbers(doc)) if field == "cites" else doc.meta.get(field)
                want = (
                    expectations[name].get("title_words")
                    if field == "title" and expectations[name].get("title_inferred")
                    else expectations[name].get(field)
                )
                misses.append((name, field, got, want))
    return right, len(names), misses


def table(right: dict[str, int], total: int | dict[str, int]) -> str:
    """The per-field table; `total` per field where documents state only some fields."""
    rows = ["field        right/total      %"]
    for field, n in right.items():
        total_of_field = total[field] if isinstance(total, dict) else total
        if total_of_field:
            rows.append(f"{field:<12} {n:>5}/{total_of_field:<5} {100 * n / total_of_field:6.1f}")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    folder, path = (
        (HELDOUT, HELDOUT_EXPECTATIONS) if "--heldout" in argv else (CORPUS, EXPECTATIONS)
    )
    fields, stated = FIELDS, None
    if "--dumps" in argv:  # the fields of the issue: a record's citations are the corpus's business
        folder, path, fields = DUMP_RECORDS, DUMP_EXPECTATIONS, DUMP_FIELDS
    if "--dump-families" in argv:  # each record scored on the fields it states
        folder, path, stated = DUMP_FAMILIES, DUMP_FAMILIES_EXPECTATIONS, {}
    right, total, misses = score(
        expectations=load_expectations(path), folder=folder, fields=fields, stated=stated
    )
    print(f"corpus: {folder} ({total} documents)")
    print(table(right, stated or total))
    if "--misses" in argv:
        for name, field, got, want in misses:
            print(f"{name}\t{field}\tgot {got!r}\twanted {want!r}")
    totals = stated or dict.fromkeys(fields, total)
    return 0 if all(right[f] >= GOAL * totals[f] for f in fields) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
