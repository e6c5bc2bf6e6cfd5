"""ASCII identifiers from Chinese text, through pypinyin (and jieba for word boundaries)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..speed import memo

# Words that carry no meaning in a document id: wrappers of the title, not its subject.
STOP_WORDS = {"关于", "印发", "的", "实施", "进一步", "有关", "工作", "号", "和", "及", "与"}


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def pinyin_words(text: str) -> list[str]:
    """'八大行动总体方案' → ['bada', 'xingdong', 'zongti', 'fangan'] (one token per word)."""
    from .script import to_simplified

    return [token for word in _split_long(_jieba().cut(to_simplified(text)))
            if word not in STOP_WORDS and (token := _word_token(word))]


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
    """jieba keeps 总体方案 whole; ids read better as zongti-fangan, so cut 4+ characters in pairs."""
    for word in words:
        if len(word) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            yield from (word[i : i + 2] for i in range(0, len(word), 2))
        else:
            yield word


def slugify(text: str, max_words: int = 6) -> str:
    # remembered across builds (memo.py): a build that asks only for known slugs never loads jieba
    return memo.remembered("slugify", (text, max_words), lambda: "-".join(pinyin_words(text)[:max_words]) or "x")


def place_slug(name: str) -> str:
    """衡南县 → hengnan: the token of the place's page when the gazetteer knows the name (衡阳县 →
    hengyangxian, unlike 衡阳市 → hengyang), else the place-name reading of its short name."""
    from . import places

    found = places.find_by_name(name)
    if len(found) == 1:
        return places.url_token(found[0])
    short = re.sub(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$", "", name)
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


def document_id(meta: dict) -> str:
    """'2024-hengnan-bada-xingdong-zongti-fangan': year, place, title words."""
    year = (meta.get("date") or "0000")[:4]
    title = meta.get("title", "")
    region = meta.get("region", "")
    parts = [year, region_token(meta)]
    if region and region != "全国":
        for form in (region, re.sub("[省市县区]$", "", region)):
            if title.startswith(form):
                title = title[len(form):]
                break
    parts.append(slugify(title))
    return "-".join(p for p in parts if p)
