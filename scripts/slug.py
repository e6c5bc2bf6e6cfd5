"""ASCII identifiers from Chinese text, through pypinyin (and jieba for word boundaries)."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

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

    words = []
    for word in _split_long(_jieba().cut(to_simplified(text))):
        if word in STOP_WORDS:
            continue
        syllables = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
        token = re.sub(r"[^a-z0-9]", "", syllables.lower())
        if token:
            words.append(token)
    return words


def _split_long(words):
    """jieba keeps 总体方案 whole; ids read better as zongti-fangan, so cut 4+ characters in pairs."""
    for word in words:
        if len(word) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            yield from (word[i : i + 2] for i in range(0, len(word), 2))
        else:
            yield word


def slugify(text: str, max_words: int = 6) -> str:
    return "-".join(pinyin_words(text)[:max_words]) or "x"


def place_slug(name: str) -> str:
    """衡南县 → hengnan (the short name, without 省/市/县/区)."""
    short = re.sub(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$", "", name)
    return "".join(lazy_pinyin(short or name, errors="ignore")).lower()


def document_id(meta: dict) -> str:
    """'2024-hengnan-bada-xingdong-zongti-fangan': year, place, title words."""
    year = (meta.get("date") or "0000")[:4]
    title = meta.get("title", "")
    region = meta.get("region", "")
    parts = [year]
    if region and region != "全国":
        parts.append(place_slug(region))
        for form in (region, re.sub("[省市县区]$", "", region)):
            if title.startswith(form):
                title = title[len(form):]
                break
    parts.append(slugify(title))
    return "-".join(p for p in parts if p)
