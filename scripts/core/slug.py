"""ASCII identifiers from Chinese text, through pypinyin (and jieba for word boundaries)."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..speed import memo

# Words that carry no meaning in a document id: wrappers of the title, not its subject.
STOP_WORDS = {"关于", "印发", "的", "实施", "进一步", "有关", "工作", "号", "和", "及", "与"}
ID_STOP_WORDS = {
    "对"
}  # 国务院办公厅对…提案的答复: 对 wraps as 关于 does (kept in anchors, which are published)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    from . import word_dictionary

    jieba.setLogLevel(logging.WARNING)
    word_dictionary.loaded(jieba)  # from a pickle: a third of the time of jieba's own cache
    return jieba


def load_dictionaries() -> None:
    """jieba's words, pypinyin's phrases and CC-CEDICT's place readings, loaded now rather than
    at the first title that needs them: a process about to fork many converters loads them once
    for all of them."""
    from pypinyin import lazy_pinyin

    from . import places

    _jieba()
    lazy_pinyin("县")
    places.place_pinyin("长治市")


def pinyin_words(text: str) -> list[str]:
    """'八大行动总体方案' → ['bada', 'xingdong', 'zongti', 'fangan'] (one token per word)."""
    return [token for word in title_words(text) if (token := _word_token(word))]


def title_words(text: str) -> list[str]:
    """The words of a slug, in Chinese: jieba's words, the long ones cut at their own sub-words,
    without the wrappers of STOP_WORDS."""
    from .script import to_simplified

    return [
        word for word in _split_long(_jieba().cut(to_simplified(text))) if word not in STOP_WORDS
    ]


def id_words(title: str) -> list[str]:
    """The words of a document id: those of a slug, less the numbers and their measure words
    (2020年, 第4626号, 十届, 四次): the year is the id's first part already, and 十届 read back
    as shijie is 世界."""
    return [
        word
        for word in _without_numbers(title_words(title))
        if word not in ID_STOP_WORDS and _word_token(word)
    ]


@lru_cache(maxsize=1 << 16)
def _word_token(word: str) -> str:
    """One word's token. The same words recur in heading after heading (工作, 目标, 推进 …), and
    pypinyin takes a dictionary walk each time: remembered, a word costs a lookup."""
    from pypinyin import (  # here: a build that finds every slug in its memo never loads it
        Style,
        lazy_pinyin,
    )

    from . import places

    if places.find_by_name(word):  # 长治市 is changzhi, as on its place page, not zhangzhi
        syllables = "".join(places.place_pinyin(word))
    else:
        syllables = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", syllables.lower())


def _split_long(words):
    """jieba keeps 国务院办公厅 and 总体方案 whole; ids read better as guowuyuan-bangongting and
    zongti-fangan, so a word of 4+ characters is cut where its own sub-words meet (never every n
    characters: that gave guowu-yuanban-gongting). A place name stays whole (呼和浩特市)."""
    for word in words:
        if len(word) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", word) and not _is_place(word):
            yield from _sub_words(word)
        else:
            yield word


def _is_place(word: str) -> bool:
    from . import places

    return bool(places.find_by_name(word))


# A single character is a sub-word only as a joiner (发展/和/改革/委员会) or the level of an organ
# (县/公安局): others cut idioms and set terms wrongly (因/地/制宜, 工业园/区, 党/的/建设).
SINGLE_SUB_WORDS = set("和与及暨之的") | set("省市县")


@lru_cache(maxsize=1 << 12)
def _sub_words(word: str) -> tuple[str, ...]:
    """The likeliest cut of `word` into shorter dictionary words, by jieba's own word frequencies
    (as jieba cuts a sentence), a long piece cut again: 国务院办公厅 → 国务院/办公厅, 发展和改革委员会
    → 发展/和/改革/委员会, 中华人民共和国 → 中华/人民/共和国. A word with no such cut (a name) stays whole."""
    dictionary = _jieba().dt
    dictionary.check_initialized()  # jieba loads its dictionary on the first cut: this may come first
    freq, log_total = dictionary.FREQ, math.log(dictionary.total)
    n = len(word)
    best: list[tuple[float, int] | None] = [None] * n + [
        (0.0, n)
    ]  # from i: (log probability, end of first piece)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n + 1):
            piece = word[i:j]
            if (
                best[j] is None
                or (j - i == 1 and piece not in SINGLE_SUB_WORDS)
                or (i, j) == (0, n)
            ):
                continue
            if not freq.get(piece):
                continue
            after, here = best[j], best[i]
            assert after is not None  # skipped above when it is
            score = math.log(freq[piece]) - log_total + after[0]
            if here is None or score > here[0]:
                best[i] = (score, j)
    if best[0] is None:
        return (word,)
    pieces: list[str] = []
    i = 0
    while i < n:
        step = best[i]
        assert step is not None  # a path from 0 to n: every piece on it has its best
        j = step[1]
        pieces += _sub_words(word[i:j]) if j - i >= 4 else [word[i:j]]  # 人民共和国 → 人民/共和国
        i = j
    return tuple(pieces)


NUMERAL = "0-9０-９〇零一二三四五六七八九十百千万两"
MEASURE_WORDS = "年号届次期批个项条款章节份月日岁元"
MEASURE_PHRASES = ("月份", "万元", "亿元")
NUMBER_WORD = re.compile(rf"第?[{NUMERAL}]+[{MEASURE_WORDS}]?|第?[{NUMERAL}]*[.．][{NUMERAL}]+")
NUMBER_ALONE = re.compile(rf"[{NUMERAL}]+")
PLAN_NAME = re.compile(
    "十[一二三四五六七八九]五"
)  # 十四五 (the 14th five-year plan) is a name, not a count


def _without_numbers(words: list[str]) -> list[str]:
    """Numbers and the measure words around them dropped: 2020/年, 第/4626/号, 十届, 四次, 2021/年/10/月份, 3/岁."""
    kept = []
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if NUMBER_WORD.fullmatch(word) and not PLAN_NAME.fullmatch(word):
            continue
        if word in (*MEASURE_WORDS, *MEASURE_PHRASES) and NUMBER_ALONE.fullmatch(before):
            continue
        if word == "第" and NUMBER_ALONE.match(after):
            continue
        kept.append(word)
    return kept


def slugify(text: str, max_words: int = 6) -> str:
    # remembered across builds (memo.py): a build that asks only for known slugs never loads jieba
    return memo.remembered(
        "slugify", (text, max_words), lambda: "-".join(pinyin_words(text)[:max_words]) or "x"
    )


def place_slug(name: str) -> str:
    """衡南县 → hengnan: the token of the place's page when the gazetteer knows the name (衡阳县 →
    hengyangxian, unlike 衡阳市 → hengyang), else the place-name reading of its short name."""
    from . import places

    found = places.find_by_name(name)
    if len(found) == 1:
        return places.url_token(found[0])
    short = re.sub(
        r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$",
        "",
        name,
    )
    return re.sub(r"[^a-z0-9]", "", "".join(places.place_pinyin(short or name)).lower())


def region_token(meta: dict) -> str:
    """The place part of a document id: the URL token of its `region_code` (so two documents of
    衡阳县 and 衡阳市 never share an id), else of its `region` name; '' for 全国."""
    from . import places

    p = places.place(str(meta.get("region_code") or ""))
    if p is not None:
        return "" if p is places.NATIONAL else places.url_token(p)
    region = meta.get("region", "")
    return place_slug(region) if region and region != "全国" else ""


ID_WORDS = 6  # title words in an id


def document_id(meta: dict) -> str:
    """'2024-hengnan-bada-xingdong-zongti-fangan': year, place, title words."""
    year = (meta.get("date") or "0000")[:4]
    parts = [
        year,
        region_token(meta),
        *(_word_token(w) for w in id_words(id_title(meta))[:ID_WORDS]),
    ]
    return "-".join(p for p in parts if p)


def id_title(meta: dict) -> str:
    """The title less its leading place, which the id's place part says already."""
    title = meta.get("title", "")
    region = meta.get("region", "")
    if region and region != "全国":
        for form in (region, re.sub("[省市县区]$", "", region)):
            if title.startswith(form):
                return title[len(form) :]
    return title
