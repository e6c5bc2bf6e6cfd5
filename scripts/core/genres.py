"""Genre words (文种) that end a document title: 通知, 实施方案, 答复 … in both scripts."""

from __future__ import annotations

import re

from .script import to_traditional

# Genre words that end a document title (文种), longest first so 实施方案 wins over 方案.
GENRES: tuple[str, ...] = (
    "实施意见",
    "实施方案",
    "实施细则",
    "工作方案",
    "行动方案",
    "行动计划",
    "工作计划",
    "工作要点",
    "指导意见",
    "管理办法",
    "暂行办法",
    "通知",
    "通告",
    "公告",
    "通报",
    "意见",
    "方案",
    "计划",
    "规划",
    "决定",
    "决议",
    "命令",
    "答复",
    "批复",
    "复函",
    "报告",
    "请示",
    "函",
    "纪要",
    "办法",
    "规定",
    "细则",
    "条例",
    "规则",
    "要点",
    "解读",
    "通知書",
    "決定",
    "答覆",
    "規劃",
    "計劃",
    "報告",
    "規定",
    "若干措施",
    "措施",
    "纲要",
    "指南",
    "清单",
    "公报",
    "应急预案",
    "预案",
    "章程",
    "导则",
    # rules a department issues under other names: 指引, 规范, 规程, 标准, 基准 (裁量基准), 公示
    "指引",
    "规范",
    "规程",
    "标准",
    "基准",
    "公示",
    "程序",
)
GENRES = tuple(
    dict.fromkeys(GENRES + tuple(to_traditional(g) for g in GENRES))
)  # 計劃, 決定, 條例 …
GENRE_END = re.compile(
    "(?:" + "|".join(sorted(GENRES, key=len, reverse=True)) + r")(?:[（(][^）)]*[）)])?$"
)
