"""Cleaning: decoded text → lines a reader can trust.

Two kinds of steps, as in slaw's cleanser:
- `remove_clutter` drops page furniture and injected spam, and reports every line it drops;
- `normalise_line` fixes a line in place (spaces, punctuation width) and is idempotent;
- `rejoin_broken_paragraphs` glues the halves of a paragraph that a page break cut in two.

What holds after `clean_lines`:
1. every line is stripped and non-empty (blank lines only separated paragraphs);
2. no clutter line remains, and each removed one is in the returned removals;
3. inside Chinese text there are no stray spaces and no half-width `,:;?!()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import CJK, HAN, SENTENCE_END
from .model import Removal


@dataclass
class Line:
    no: int  # 1-based line number in the decoded source
    text: str


# ---------------------------------------------------------------------------
# clutter: whole lines that are page furniture, never document text

# Widget words a scraped page prints around the text: "0 收藏 打印 增大字體 減小字體", "分享", "首頁".
WIDGET_WORDS = (
    r"收藏|打印|打印本页|打印本頁|关闭|關閉|关闭窗口|關閉窗口|分享|分享到|首页|首頁|返回|返回顶部|返回頂部|"
    r"增大字[体體]|减小字[体體]|減小字[体體]|字[号號][:：]?\s*[大中小]|[大中小]|默认|默認|"
    r"【?[大中小]】?|顶部|頂部|上一篇|下一篇|发布|發布|纠错|糾錯|微信|微博|QQ|qq"
)
CLUTTER_RULES: list[tuple[str, re.Pattern[str]]] = [
    # "0 收藏 打印 增大字體 減小字體", "分享", "首頁"
    ("page-widgets", re.compile(rf"^\d*\s*(?:(?:{WIDGET_WORDS})[\s|｜/]*)+$")),
    # "掃二維碼,手機閱讀本文", "扫一扫在手机打开当前页"
    ("qr-code", re.compile(r"^.{0,6}(?:[扫掃](?:描)?(?:二维码|二維碼|一[扫掃])).{0,20}$")),
    # "編輯:莫曉遙", "责任编辑：张三" (an editor of the scraped site, not of the document)
    ("site-editor", re.compile(r"^[【\[]?(?:责任编辑|責任編輯|编辑|編輯|校对|校對|审核|審核)[】\]]?\s*[:：]\s*\S{0,12}$")),
    # "附件下载:" with nothing after it: the download links did not survive the scrape
    ("attachment-download", re.compile(r"^(?:附件下载|附件下載|相关附件|相關附件)\s*[:：]?\s*$")),
    # "中文字幕日韩亚洲制服丝袜_欧美专区日韩视频人妻_熟女自拍": injected spam, underscores joining
    # keyword runs with no sentence punctuation
    ("injected-spam", re.compile(
        r"^(?=.*(?:中文字幕|日韩|日韓|欧美|歐美|人妻|自拍|丝袜|絲襪|无码|無碼|成人视频|av|AV|亚洲|亞洲))"
        r"[^。，,；;]{4,}_[^。，,；;]+$")),
]

# Bylines go to metadata, not the body.
# "2021年02月03日 來源:中郡縣域經濟網"
SOURCE_BYLINE = re.compile(
    r"^(?P<date>(?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?)?\s*"
    r"(?:[来來]源|出[处處])\s*[:：]\s*(?P<site>[^\s:：]{2,40})\s*$"
)
# "■本报记者 邹雪峰", "■策划/邓明君 统筹/李永民 文/…"
REPORTER_BYLINE = re.compile(r"^[■□▲●◆]\s*(?P<byline>.*(?:记者|記者|通讯员|通訊員|策划|策劃|文/|图/|圖/|制图|製圖|编辑|編輯).*)$")


def remove_clutter(lines: list[Line], meta: dict) -> tuple[list[Line], list[Removal]]:
    """Drop clutter lines; bylines become metadata (`published`, `site`, `byline`)."""
    kept: list[Line] = []
    removed: list[Removal] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            kept.append(line)
            continue
        rule = _clutter_rule(text)
        if rule is None and (m := SOURCE_BYLINE.match(text)):
            rule = "source-byline"
            meta.setdefault("site", m["site"])
            if m["date"]:
                meta.setdefault("published", m["date"])
        elif rule is None and (m := REPORTER_BYLINE.match(text)):
            rule = "reporter-byline"
            meta.setdefault("bylines", []).append(m["byline"].strip())
        if rule:
            removed.append(Removal(line.no, text, rule))
        else:
            kept.append(line)
    return kept, removed


def _clutter_rule(text: str) -> str | None:
    for name, pattern in CLUTTER_RULES:
        if pattern.match(text):
            return name
    return None


# ---------------------------------------------------------------------------
# normalise: one line at a time, idempotent

# A space between two Chinese characters (or Chinese and a digit) is a scraping artefact:
# "的通 知" → "的通知", "提案 的答复" → "提案的答复", "2023 年 6 月" → "2023年6月".
STRAY_SPACE = re.compile(rf"(?<=[{CJK}0-9])[ \t\u3000\u00a0]+(?=[{CJK}])|(?<=[{CJK}])[ \t\u3000\u00a0]+(?=[0-9])")
# Half-width marks next to Chinese become full-width; "2018-2020", "3.5:1", "R&D", "7*12小时" stay.
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
HALF_PUNCT_IN_CJK = re.compile(rf"(?<=[{CJK}])[,:;?!]|[,;?!](?=[{HAN}])")
# Parentheses around anything that contains Chinese: "(一)" → "（一）", "(牵头单位:县人社局)".
HALF_PARENS_WITH_HAN = re.compile(rf"\(([^()]*[{HAN}][^()]*)\)")
# Parentheses around digits when Chinese text is on either side: "计划(2018-2020)》".
HALF_PARENS_IN_CJK = re.compile(rf"(?<=[{CJK}])\(([^()]*)\)|\(([^()]*)\)(?=[{CJK}])")


def normalise_line(text: str) -> str:
    text = text.strip().replace("\u00a0", " ")
    text = HALF_PARENS_WITH_HAN.sub(r"（\1）", text)
    text = HALF_PARENS_IN_CJK.sub(lambda m: f"（{m[1] if m[1] is not None else m[2]}）", text)
    text = HALF_PUNCT_IN_CJK.sub(lambda m: HALF_TO_FULL[m[0]], text)
    return STRAY_SPACE.sub("", text)


# ---------------------------------------------------------------------------
# rejoin: a paragraph cut in two by a page break

NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|[（(]\d+[）)]|附件\s*\d*)"
)
MIN_CUT_LENGTH = 12  # a line shorter than this is a heading or a title, not half a paragraph


def rejoin_broken_paragraphs(lines: list[Line]) -> list[Line]:
    """Join a paragraph's halves: "县域经济工作" / "领导小组。", "耒阳市重" / "点发展……"."""
    paragraphs: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and _is_cut(previous.text, text):
            previous.text += text
        else:
            paragraphs.append(Line(line.no, text))
    return paragraphs


def _is_cut(before: str, after: str) -> bool:
    if before.endswith(tuple(SENTENCE_END)) or NUMBERED_START.match(after):
        return False
    if not re.match(f"[{HAN}0-9A-Za-z“‘《（(]", after):
        return False
    if before.count("《") > before.count("》") or before.count("“") > before.count("”"):
        return True  # an unclosed title or quote cannot end a paragraph
    return len(before) >= MIN_CUT_LENGTH and re.search(f"[{HAN}]$", before) is not None and (
        re.search("[，、。；]", before) is not None
    )


def clean_lines(lines: list[Line], meta: dict) -> tuple[list[Line], list[Removal]]:
    kept, removed = remove_clutter(lines, meta)
    normalised = [Line(line.no, normalise_line(line.text)) for line in kept]
    return rejoin_broken_paragraphs(normalised), removed
