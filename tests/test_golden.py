"""Golden tests: each seed source converts to the Markdown checked in under tests/golden/.

The expected files are read by a person as documents. After a deliberate change, run
`pytest tests/test_golden.py --update-goldens` and review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.archive.documents import source_files
from scripts.ingest.convert import convert_file
from scripts.pages.render import render

from .conftest import SOURCES

GOLDEN = Path(__file__).parent / "golden"


# The seeds are the sources with a golden file. A document a maintainer adds later needs none:
# its committed page docs/doc/<id>.md plays that part, and `python -m scripts check` keeps it current.
SEEDS = [source for source in source_files(SOURCES) if (GOLDEN / f"{source.stem}.md").exists()]


def test_every_golden_file_has_its_seed():
    assert SEEDS and len(SEEDS) == len(list(GOLDEN.glob("*.md"))), (
        "a golden file lost its source in sources/"
    )


@pytest.mark.parametrize("source", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden(source: Path, update_goldens: bool):
    got = render(convert_file(source))
    expected_path = GOLDEN / f"{source.stem}.md"
    if update_goldens:
        expected_path.write_text(got, encoding="utf-8")
    assert expected_path.exists(), (
        f"no golden file for {source.name}: run with --update-goldens and review it"
    )
    assert got == expected_path.read_text(encoding="utf-8")
