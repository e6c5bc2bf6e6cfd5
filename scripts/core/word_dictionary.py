"""jieba's prefix dictionary, read from a pickle instead of jieba's own marshal cache.

jieba cuts titles into words (ids, anchors, the search index's title syllables). Before its
first cut it loads its prefix dictionary, every word of its dict.txt and every prefix of one
(about 500,000 keys), from `<tmp>/jieba.cache`, written with marshal: about 0.6 s, the largest
fixed cost of an `add`, of a build that converts anything and of every conversion worker that
loads it. The same dict and total pickled read in about 0.2 s (scripts/PERF.md).

The pickle is kept in the checkout's .cache/jieba/, named after jieba's version and the size and
time of its dictionary file: another jieba or dictionary gets a file of its own. A missing,
damaged or unreadable file means jieba loads its dictionary its own way, and the pickle is written
for the next process (where the checkout is read-only, it is not, and nothing else changes).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from .files import keep, read_kept

FOLDER = Path(__file__).resolve().parents[2] / ".cache" / "jieba"


def loaded(jieba: ModuleType, folder: Path = FOLDER) -> None:
    """jieba's default tokenizer with its dictionary loaded, from the pickle when there is one."""
    tokenizer = jieba.dt
    if tokenizer.initialized or tokenizer.dictionary is not jieba.DEFAULT_DICT:
        tokenizer.check_initialized()  # a dictionary of someone else's choosing: jieba's own way
        return
    path = folder / _pickle_name(jieba)
    freq_total = _read(path)
    with tokenizer.lock:
        if tokenizer.initialized:
            return
        if freq_total is not None:
            tokenizer.FREQ, tokenizer.total = freq_total
            tokenizer.initialized = True
            return
    tokenizer.initialize()
    keep(
        path, (tokenizer.FREQ, tokenizer.total)
    )  # read-only checkout: jieba's own cache, as before


def _pickle_name(jieba: ModuleType) -> str:
    words = os.stat(Path(str(jieba.__file__)).parent / jieba.DEFAULT_DICT_NAME)
    return f"prefix-{jieba.__version__}-{words.st_size}-{words.st_mtime_ns}.pickle"


def _read(path: Path) -> tuple[dict[str, int], int] | None:
    """(FREQ, total) as jieba keeps them, or None when the file is missing or not such a pair."""
    kept = read_kept(path)
    if not isinstance(kept, tuple) or len(kept) != 2:
        return None
    freq, total = kept
    if not isinstance(freq, dict) or not isinstance(total, int) or total <= 0 or not freq:
        return None
    return freq, total
