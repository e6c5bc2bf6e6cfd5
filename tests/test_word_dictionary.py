"""jieba's prefix dictionary read from our pickle is jieba's own, whatever state the pickle is in
(scripts/core/word_dictionary.py)."""

from __future__ import annotations

import types
from pathlib import Path

import jieba
import pytest

from scripts.core import word_dictionary


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    """The dictionary as jieba loads it itself."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def jieba_with_a_new_tokenizer(refuse_own_loading: bool = False) -> types.SimpleNamespace:
    """jieba as word_dictionary sees it, with a tokenizer of its own (not the process's jieba.dt)."""
    tokenizer = jieba.Tokenizer()
    if refuse_own_loading:

        def refused(*args, **kwargs):
            raise AssertionError("jieba loaded its own cache: the pickle was not read")

        tokenizer.initialize = refused
    return types.SimpleNamespace(
        dt=tokenizer,
        DEFAULT_DICT=jieba.DEFAULT_DICT,
        DEFAULT_DICT_NAME=jieba.DEFAULT_DICT_NAME,
        __file__=jieba.__file__,
        __version__=jieba.__version__,
    )


def the_pickle(folder: Path) -> Path:
    (path,) = folder.glob("prefix-*.pickle")
    return path


def test_the_pickle_written_by_one_process_is_read_by_the_next_as_jiebas_own(tmp_path, reference):
    first = jieba_with_a_new_tokenizer()
    word_dictionary.loaded(first, tmp_path)
    assert first.dt.initialized and first.dt.FREQ == reference.FREQ
    assert f"-{jieba.__version__}-" in the_pickle(tmp_path).name

    second = jieba_with_a_new_tokenizer(refuse_own_loading=True)
    word_dictionary.loaded(second, tmp_path)
    assert second.dt.initialized
    assert second.dt.FREQ == reference.FREQ and second.dt.total == reference.total
    assert list(second.dt.cut("衡阳市八大行动总体方案")) == list(
        reference.cut("衡阳市八大行动总体方案")
    )


@pytest.fixture(scope="module")
def good_pickle(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("good")
    word_dictionary.loaded(jieba_with_a_new_tokenizer(), folder)
    return the_pickle(folder).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: b"",  # the file made, nothing written yet
        lambda good: good[: len(good) // 2],  # cut short
        lambda good: __import__("pickle").dumps(["word", 1]),  # a pickle of something else
    ],
    ids=["empty", "cut-short", "not-a-pair"],
)
def test_a_damaged_pickle_means_jiebas_own_loading_and_a_good_pickle_again(
    tmp_path, reference, good_pickle, damage
):
    damaged_file = tmp_path / word_dictionary._pickle_name(jieba)
    damaged_file.write_bytes(damage(good_pickle))

    damaged = jieba_with_a_new_tokenizer()
    word_dictionary.loaded(damaged, tmp_path)
    assert damaged.dt.FREQ == reference.FREQ and damaged.dt.total == reference.total
    assert damaged_file.read_bytes() == good_pickle

    mended = jieba_with_a_new_tokenizer(refuse_own_loading=True)
    word_dictionary.loaded(mended, tmp_path)
    assert mended.dt.FREQ == reference.FREQ


def test_a_folder_that_cannot_be_written_still_loads_jiebas_dictionary(tmp_path, reference):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    loaded = jieba_with_a_new_tokenizer()
    word_dictionary.loaded(loaded, blocked / "jieba")
    assert loaded.dt.FREQ == reference.FREQ
    assert blocked.read_text() == "not a folder"


def test_a_dictionary_of_another_choosing_is_left_to_jieba(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("县域经济 100 n\n", encoding="utf-8")
    custom = jieba_with_a_new_tokenizer()
    custom.dt = jieba.Tokenizer(str(words))
    word_dictionary.loaded(custom, tmp_path / "pickles")
    assert custom.dt.FREQ == {"县": 0, "县域": 0, "县域经": 0, "县域经济": 100}
    assert not (tmp_path / "pickles").exists()
