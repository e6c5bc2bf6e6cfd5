"""Quantified targets (主要目标) of a plan, told apart from the results of a past year.

A *target* is a figure a document commits to: 力争实现地区生产总值增长6.5%以上, 确保粮食播种面积
稳定在800万亩以上, 到2020年……达到2.8万亿元左右. A *result* is a figure already achieved:
去年完成地区生产总值391.38亿元，同比增长6.7%. Both are read the same way; only the cues around
them differ.

The stages, one function each:

1. `sentences`   a paragraph → sentences (。！？；) → clauses (，：), with their offsets;
2. `quantities`  a clause → the figures in it: number (Arabic or Chinese numerals, 百分之…,
                 ranges such as 6%—7%), unit, comparator (以上, 左右, 不低于 …);
3. `indicator`   what the figure measures: the words before it, cue words stripped;
4. `classify`    target or result, from the nearest cue: the clause's own (力争 / 同比 …), then
                 its sentence's, its paragraph's, its section heading's, the document type's;
5. `target_year` the year the figure belongs to: 到2025年, 今年, 去年, a year in the heading, else
                 the plan's own year.

Cue words are matched on simplified text, so a document in traditional characters reads the same;
what is shown (indicator, clause) stays in the document's own characters.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from ..core.model import CAPTION, HEADING, PARAGRAPH, Document
from ..core.numerals import numeral_figure, numeral_value
from ..core.script import to_simplified as _to_simplified

# The same short strings (indicators, verbs) are converted again and again.
to_simplified = lru_cache(maxsize=8192)(_to_simplified)

# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

# Full-width digits and point, one character each, so offsets survive the translation.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

CN_DIGITS = "零〇一二两三四五六七八九"
# 一千二百, 十二, 六点五, 一万二千 (万 only inside a number; 800万亩 keeps 万 in the unit)
CN_NUMBER = rf"[{CN_DIGITS}十百千]+(?:万[{CN_DIGITS}十百千]+)?(?:点[{CN_DIGITS}]+)?"
ARABIC_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,500 and 1500
NUMBER = rf"(?:{ARABIC_NUMBER}|{CN_NUMBER})"

# Units, longest first so 个百分点 wins over 个 and 万亩 over 亩.
UNITS = sorted(
    [
        "个百分点",
        "百分点",
        "%",
        "‰",
        "倍",
        "万亿元",
        "亿元",
        "万元",
        "元",
        "亿美元",
        "万美元",
        "美元",
        "万亩",
        "亩",
        "万公顷",
        "公顷",
        "平方公里",
        "万平方米",
        "平方米",
        "万立方米",
        "立方米",
        "万方",
        "万吨",
        "吨",
        "万千瓦",
        "千瓦",
        "亿千瓦时",
        "万千瓦时",
        "亿瓦时",
        "万人次",
        "人次",
        "万人",
        "人",
        "万户",
        "户",
        "万个",
        "个",
        "家",
        "所",
        "座",
        "条",
        "项",
        "套",
        "场",
        "件",
        "台",
        "辆",
        "张",
        "名",
        "批",
        "处",
        "栋",
        "间",
        "只",
        "头",
        "株",
        "棵",
        "公里",
        "千米",
        "米",
        "个工作日",
        "工作日",
        "天",
        "小时",
    ],
    key=len,
    reverse=True,
)
# A count unit that may be followed by the thing counted: 新增560家企业上云.
COUNT_UNITS = {
    "个",
    "家",
    "所",
    "座",
    "条",
    "项",
    "套",
    "场",
    "件",
    "台",
    "辆",
    "张",
    "名",
    "批",
    "处",
    "栋",
    "间",
    "只",
    "头",
    "株",
    "棵",
    "户",
    "万户",
    "人",
    "万人",
    "万个",
    "人次",
    "万人次",
}
UNIT = "|".join(re.escape(u) for u in UNITS)
RANGE_DASH = r"[-－—–~～至到]"

QUANTITY = re.compile(
    rf"""
    (?P<pre>不低于|不少于|不超过|不高于|不到|超过|突破|高于|低于|约|近)?
    (?:百分之(?P<pct_low>{NUMBER})(?:{RANGE_DASH}(?:百分之)?(?P<pct_high>{NUMBER}))?
     |(?P<low>{NUMBER})(?:(?P<low_unit>{UNIT})?{RANGE_DASH}(?P<high>{NUMBER}))?(?P<approx>多|余)?(?P<unit>{UNIT}))
    (?P<post>以上|以下|以内|左右|上下|之内)?
""",
    re.VERBOSE,
)

# Text inside these brackets is a name or a reference, never a figure: “3215”工程, 〔2024〕5号.
SHIELDED = re.compile(
    r"“[^”]*”|《[^》]*》|〔[^〕]*〕|［[^］]*］|\[[^\]]*\]|（[^）]*）|\([^)]*\)|‘[^’]*’|「[^」]*」"
)


def cn_to_number(text: str) -> float:
    """一千二百 → 1200, 十二 → 12, 六点五 → 6.5, 一万二千 → 12000, 5.2 → 5.2, 1,500 → 1500."""
    if re.fullmatch(ARABIC_NUMBER, text):
        return float(text.replace(",", ""))
    return numeral_figure(text)


# ---------------------------------------------------------------------------------------------
# Cues
# ---------------------------------------------------------------------------------------------

# What a document commits to. Intent wins over a comparison base in the same clause:
# 力争比上年增长8% is a target.
TARGET_CUES = re.compile(
    r"力争|确保|争取|努力|目标|预期|计划|年内|今年|新的一年|全年力争|到20\d\d年|"
    r"到“十[四五六]五”|将.{0,12}(?:压缩|控制|提高|提升|降低)|不低于|不少于"
)
# What has already happened.
RESULT_CUES = re.compile(
    r"(?<![比较])(?:去年|上年度)|过去一年|过去五年|过去的一年|已经|已|实现了|完成了|取得了|共计|累计完成"
)
# A comparison base: a result in a report (同比增长6.7%), but in a plan's targets 比上年增长8% is
# a target. These count as a result only outside a plan's target context.
BASE_CUES = re.compile(r"同比|比上年|较上年|比去年|较去年|排名|位列|位居|居全[省市]")
INTENT = re.compile(r"力争|确保|争取|努力|目标|预期|计划")
# A heading that announces targets or looks back.
TARGET_HEADING = re.compile(r"目标|预期|任务|计划|举措|措施|要求|重点|支撑|行动")
RESULT_HEADING = re.compile(r"成效|成绩|成果|回顾|完成情况|进展|亮点|基本情况|开展情况|工作情况")
# The heading over a plan's main targets: 一、总体目标, （三）发展目标, 主要指标.
HEADLINE_HEADING = re.compile(r"目标|指标")
# 主要预期目标是：… — what follows in the paragraph is a list of targets.
TARGET_LEAD = re.compile(r"(?:目标|指标)(?:任务)?(?:是|为)?[:：]")

# Document types that are plans: a figure without any cue in them is a target.
PLAN_TYPES = {
    "方案",
    "计划",
    "规划",
    "意见",
    "纲要",
    "要点",
    "通知",
    "决定",
    "办法",
    "工作要点",
    "实施方案",
}

YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
CN_YEAR = re.compile(r"([二一][〇零○一二三四五六七八九]{3})年")  # 二〇二五年
PLAN_PERIOD = {"十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}

# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------

# Verbs between an indicator and its figure: 地区生产总值 增长 6.5%.
GROWTH_VERBS = ("年均增长", "分别增长", "增长速", "增速", "增长", "增幅", "增加", "提高", "上升")
DECLINE_VERBS = ("下降", "降低", "减少")
RATE_WORDS = re.compile(r"(?<=.)(?:增速|增幅|增长率|增长速度)$")
LEVEL_VERBS = (
    "稳定在",
    "保持在",
    "控制在",
    "提升至",
    "提升到",
    "提高至",
    "提高到",
    "压缩至",
    "压缩到",
    "缩短至",
    "减少为",
    "减少到",
    "降至",
    "降到",
    "达到",
    "分别达",
    "达",
    "突破",
    "超过",
    "实现",
    "完成",
    "为",
    "占比",
)
# Verbs that are part of what is counted: 新增 规模以上工业企业 18家.
ACTION_VERBS = (
    "新增",
    "净增",
    "培育",
    "引进",
    "建成",
    "新建",
    "开工建设",
    "建设",
    "改造",
    "实施",
    "创建",
    "争创",
    "开展",
    "举办",
    "打造",
    "认定",
    "申报",
    "提供",
    "转移",
    "新注册",
    "培训",
    "招聘",
    "新认定",
    "发展",
    "落地",
    "上市",
    "储备",
    "盘活",
    "完成",
    "实现",
    "接待",
    "吸纳",
    "帮助",
)
# Words before an indicator that say when or how sure, not what: 力争实现 地区生产总值.
LEADING_NOISE = re.compile(
    r"^(?:[、，,：:和及与并且]|同时|其中|全年|年内|今年|明年|新的一年|力争|争取|确保|努力|实现|"
    r"预计|主要预期目标是|预期目标是|目标是|要|将|使|推动|推进|加快|进一步|持续|分别|共计|累计|约|"
    r"同比|比上年|较上年|比去年|较去年|去年|上年|"
    r"全县|全市|全省|全区|我县|我市|我省|本县|本市|当年|"
    r"到?20\d\d年(?:度|底|末)?|到“十[四五六]五”末?)+"
)
# 落实《……》和优化营商环境20条: a policy package named by its size, not a figure.
NOT_AN_INDICATOR = re.compile(r"《|落实|贯彻|执行|印发")
TRAILING_NOISE = re.compile(r"(?:分别|的|均|要|将|力争|确保|实现|年均|同比|比上年|较上年)+$")


@dataclass(frozen=True)
class Figure:
    """One quantified figure of a document: a target or a result."""

    doc_id: str
    anchor: str  # the paragraph's anchor on the document page
    indicator: str  # as written: 地区生产总值, 規模工業增加值, 新增规模以上工业企业
    key: str  # canonical simplified name, for comparisons across documents
    measure: str  # 增长 (a rate of change), 下降, or "" (a level or a count)
    low: float
    high: float  # == low unless a range such as 6%—7%
    unit: str  # %, 个百分点, 亿元, 万亩, 家 …
    comparator: str  # as written: 以上, 左右, 不低于 … ("" = exactly)
    year: int | None  # the year the figure is for
    kind: str  # "target" or "result"
    clause: str  # the clause it was read from, in the document's characters
    section: str = ""  # the heading above the paragraph: 一、总体目标
    headline: bool = (
        False  # stated where the document lists its main targets (a 目标 heading or lead)
    )

    def value_text(self) -> str:
        """6.5%以上, 6%—7%, 不少于10亿元, 800万亩以上."""
        number = _fmt(self.low) if self.low == self.high else f"{_fmt(self.low)}—{_fmt(self.high)}"
        if self.comparator in ("多", "余"):  # 20多场, 660余件
            return f"{number}{self.comparator}{self.unit}"
        before = self.comparator if self.comparator in PREFIX_COMPARATORS else ""
        after = self.comparator if self.comparator and not before else ""
        return f"{before}{number}{self.unit}{after}"

    def to_dict(self) -> dict:
        return asdict(self)


PREFIX_COMPARATORS = {
    "不低于",
    "不少于",
    "不超过",
    "不高于",
    "不到",
    "超过",
    "突破",
    "高于",
    "低于",
    "约",
    "近",
}
# The comparator as a symbol, for sorting and for the downloadable table.
COMPARATOR_SYMBOL = {
    "以上": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "突破": ">",
    "超过": ">",
    "高于": ">",
    "多": ">",
    "余": ">",
    "以下": "≤",
    "以内": "≤",
    "之内": "≤",
    "内": "≤",
    "不超过": "≤",
    "不高于": "≤",
    "不到": "<",
    "低于": "<",
    "左右": "≈",
    "上下": "≈",
    "约": "≈",
    "近": "≈",
    "": "=",
}


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


# ---------------------------------------------------------------------------------------------
# Canonical indicator names
# ---------------------------------------------------------------------------------------------

# (canonical name, pattern over the simplified indicator with place words removed)
SYNONYMS: list[tuple[str, re.Pattern]] = [
    (name, re.compile(pattern))
    for name, pattern in [
        (
            "研发经费投入占地区生产总值比重",
            r"(?:研发|R&D|研究与试验发展)经费(?:投入)?(?:强度|占(?:GDP|地区生产总值|生产总值)(?:的)?比重)",
        ),
        (
            "高新技术产业增加值占地区生产总值比重",
            r"高新技术产业增加值占(?:GDP|地区生产总值|生产总值)(?:的)?比重",
        ),
        ("地区生产总值", r"^(?:地区生产总值|GDP|生产总值|经济总量|经济增长|经济增速)$"),
        ("规模以上工业增加值", r"^(?:规模以上|规模|规上)工业增加值$"),
        ("固定资产投资", r"^(?:固定资产投资|固投)$"),
        ("社会消费品零售总额", r"^(?:社会消费品零售总额|社零(?:总额)?)$"),
        ("进出口总额", r"^(?:外贸)?进出口(?:总额|总值)?$"),
        ("地方一般公共预算收入", r"^(?:地方)?(?:一般公共预算收入|一般预算收入|财政收入)$"),
        ("居民人均可支配收入", r"^(?:城乡)?居民人均(?:可支配)?收入$"),
        ("全社会研发经费投入", r"^(?:全社会)?(?:研发|R&D)经费投入$"),
        ("粮食播种面积", r"^粮食(?:种植|播种)(?:总)?面积$"),
        ("粮食产量", r"^粮食(?:总)?产量$"),
        ("城镇新增就业", r"^(?:城镇新增就业|新增城镇就业)(?:人数)?$"),
        ("实际利用外资", r"^实际(?:利用|使用)外资$"),
        ("新增规模以上工业企业", r"^(?:新增|净增)(?:规模以上|规模|规上)工业企业$"),
        ("新增高新技术企业", r"^(?:新增|净增)高新技术企业$"),
        ("新增专精特新中小企业", r"^(?:新增|培育)(?:省级及以上)?专精特新(?:中小)?企业$"),
    ]
]
PLACE_WORDS = re.compile(
    r"^(?:全县|全市|全省|全区|全州|县域|我县|我市|我省|本县|本市)|"
    r"(?:纳入考核范围的)?县[（(]市、区[)）]"
)


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], frozenset[str]]:
    from ..core.places import gazetteer

    places = gazetteer().values()
    return frozenset(p.name for p in places), frozenset(
        p.short for p in places if len(p.short) >= 2
    )


def _known(text: str) -> str | None:
    return next((name for name, pattern in SYNONYMS if pattern.search(text)), None)


def canonical(indicator: str) -> str:
    """衡南 规模工业增加值 and 衡阳 规模以上工业增加值 compare as one indicator."""
    text = PLACE_WORDS.sub("", to_simplified(indicator).replace(" ", ""))
    text = re.sub(r"^(?:完成|实现)(?=..)", "", text)  # 完成固定资产投资 is 固定资产投资
    full, short = _place_names()
    for length in range(min(8, len(text) - 2), 1, -1):
        head, rest = text[:length], text[length:]
        # 衡东县城镇化率 → 城镇化率; a short name only where what follows is a known indicator
        # (衡东地区生产总值), since 惠民便企 begins with the short name of 惠民县
        if head in full or (head in short and _known(rest)):
            text = rest
            break
    known = _known(text)
    if known:
        return known
    return text.replace("净增", "新增")


# ---------------------------------------------------------------------------------------------
# The stages
# ---------------------------------------------------------------------------------------------


@dataclass
class Clause:
    text: str  # simplified, full-width digits folded
    original: str  # as written
    sentence: int
    cue: str | None = None  # "target" / "result" / None, from the clause's own words
    intent: bool = False
    year: int | None = None  # the year the clause names, if any


# A clause ends at ，or ：, but not inside 1,500 or 3.5:1.
CLAUSE = re.compile(r"(?:[^，,：:]|(?<=\d),(?=\d{3}(?!\d))|(?<=\d):(?=\d))+[，,：:]?")


def sentences(text: str, original: str) -> list[Clause]:
    """A paragraph → clauses, each knowing its sentence (。！？；) so cues can spread within it."""
    clauses: list[Clause] = []
    for number, match in enumerate(re.finditer(r"[^。！？；;!?]+[。！？；;!?]?", text)):
        start = match.start()
        for part in CLAUSE.finditer(match.group()):
            a, b = start + part.start(), start + part.end()
            clauses.append(Clause(text[a:b], original[a:b], number))
    return clauses


def quantities(clause: str):
    """The figures in a clause (simplified text): each match with the offset where the words
    that name it begin (the end of the figure before it)."""
    shielded = SHIELDED.sub(lambda m: "＿" * len(m.group()), clause)
    previous_end = 0
    for match in QUANTITY.finditer(shielded):
        if not _is_figure(shielded, match):
            continue
        yield match, previous_end
        previous_end = match.end()


def _is_figure(text: str, match: re.Match) -> bool:
    start, end = match.span()
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    number = match["low"] or match["pct_low"] or ""
    chinese = not re.match(r"\d", number)
    if before in ("第", "＿") or re.match(r"[\d.A-Za-z]", before):
        return False  # 第七届, 5G, part of a longer code
    if re.match(r"[\dA-Za-z]", after):
        return False
    # 对投资1000万元以上的项目给予奖励: a threshold that qualifies a noun, not a figure to reach;
    # but 实现增长8%的目标 is one
    if after == "的" and not re.match(r"的(?:目标|任务|预期)", text[end : end + 3]):
        return False
    after = "“" if after == "＿" else after  # a shielded name follows: 一批“数字化”改造项目
    if match["pct_low"]:
        return True
    unit = match["unit"]
    if chinese and (
        (len(number) == 1 and number in "十百千") or (unit in COUNT_UNITS and after == "“")
    ):
        return False
    # 十个统筹, 三大产业, 两项补贴, 一件事: a Chinese numeral with a following noun is a name.
    followed_by_word = bool(re.match(r"[\u4e00-\u9fff“]", after)) and not match["post"]
    if followed_by_word and chinese:
        return False
    if followed_by_word and unit in COUNT_UNITS:
        # 新增560家企业上云 counts; 30条政策措施 and 83个重点建设项目 are names of sets.
        head = text[:start]
        return any(head.endswith(verb) for verb in (*ACTION_VERBS, "压缩至"))
    if followed_by_word and unit not in ("%", "个百分点", "百分点", "倍"):
        return any(text[:start].endswith(v) for v in ACTION_VERBS + LEVEL_VERBS + GROWTH_VERBS)
    return True


def indicator_of(between: str, previous: str | None, action: str | None) -> tuple[str, str]:
    """(indicator, measure) from the words before a figure."""
    text = between.strip()
    measure = ""
    for verbs, name in ((GROWTH_VERBS, "增长"), (DECLINE_VERBS, "下降")):
        for verb in verbs:
            if to_simplified(text).endswith(verb):
                text, measure = text[: -len(verb)], name
                break
        if measure:
            break
    if not measure:
        for verb in LEVEL_VERBS:  # 稳定在 / 达到 / 实现 … lead to the figure, they do not name it
            if to_simplified(text).endswith(verb):
                text = text[: -len(verb)]
                break
        rate = RATE_WORDS.search(to_simplified(text))
        if rate:  # GDP增速达到6%: a growth rate stated as a level
            text, measure = text[: rate.start()], "增长"
    text = _strip_noise(text)
    if not text and previous:
        text = previous  # 增长6.1% after 农村居民人均可支配收入30513元
    elif text and action and not any(to_simplified(text).startswith(v) for v in ACTION_VERBS):
        text = action + text  # 新增高新技术企业100家、科技型中小企业150家
    return text, measure


def _strip_noise(text: str) -> str:
    simple = to_simplified(text)
    previous = None
    while previous != simple:
        previous = simple
        m = LEADING_NOISE.match(simple)
        if m:
            text, simple = text[m.end() :], simple[m.end() :]
        m = TRAILING_NOISE.search(simple)
        if m and m.start() > 0:
            text, simple = text[: m.start()], simple[: m.start()]
    text = re.sub(
        r"(?<=.)(?:由|从).*$", "", text
    )  # 审批时长由平均40天减少为5天: the figure is the new one
    simple = to_simplified(text)
    # 机械制造业实现工业产值 → 机械制造业工业产值: 实现 / 完成 join, they do not name
    inner = re.search(r"(?<=.)(?:实现|完成)(?=.)", simple)
    if inner:
        text, simple = (
            text[: inner.start()] + text[inner.end() :],
            simple[: inner.start()] + simple[inner.end() :],
        )
    if len(text) > 30:  # a long run-in: keep what follows the last verb of intent
        cut = max(
            simple.rfind(w) + len(w) if simple.rfind(w) >= 0 else 0
            for w in ("实现", "推动", "使", "达到")
        )
        text = text[cut:]
    return text.strip("、，,和及与 ")


def _cue(text: str) -> tuple[str | None, bool]:
    intent = bool(INTENT.search(text))
    if intent or TARGET_CUES.search(text):
        return "target", intent
    if RESULT_CUES.search(text):
        return "result", False
    if BASE_CUES.search(text):
        return "base", False
    return None, False


def reference_year(doc: Document) -> int | None:
    """The year a document speaks from: its date, else the newest year in its headings."""
    date = str(doc.meta.get("date") or "")
    if re.match(r"\d{4}", date):
        return int(date[:4])
    years = [int(y) for b in doc.blocks if b.kind == HEADING for y in YEAR.findall(b.text + "年")]
    years += [
        int(y)
        for y in re.findall(
            r"(20\d\d)(?!\d)", " ".join(b.text for b in doc.blocks if b.kind == HEADING)
        )
    ]
    return max(years) if years else None


def plan_year(doc: Document, ref: int | None) -> int | None:
    """The year a plan's figures are for, unless a sentence says otherwise: (2018-2020) → 2020."""
    title = to_simplified(str(doc.meta.get("title", "")))
    span = re.search(r"(20\d\d)\s*[-－—–~～至到]\s*(20\d\d)", title)
    if span:
        return int(span[2])
    for name, year in PLAN_PERIOD.items():
        if name in title:
            return year
    single = YEAR.search(title)
    return int(single[1]) if single else ref


def _year_in(text: str, ref: int | None) -> tuple[int | None, str | None]:
    """(year, cue) said in a clause: 到2025年 → (2025, target); 去年 → (ref-1, result)."""
    years = [int(m[1]) for m in YEAR.finditer(text)]
    years += [numeral_value(m[1]) for m in CN_YEAR.finditer(text)]
    if years:
        year = years[-1]
        if ref is None:
            return year, None
        return year, ("target" if year >= ref else "result")
    for name, year in PLAN_PERIOD.items():
        if name in text and ref and year >= ref:
            return year, "target"
    if re.search(r"今年|年内|新的一年|当年", text):
        return ref, "target"
    if re.search(
        r"(?<![比较])(?:去年|上年)|过去一年|过去的一年", text
    ):  # 比上年 is a base, not a year
        return (ref - 1 if ref else None), "result"
    return None, None


def extract(doc: Document) -> list[Figure]:
    """Every figure in the document's paragraphs, each classified as target or result."""
    doc_id = doc.meta.get("id", "")
    ref = reference_year(doc)
    default_year = plan_year(doc, ref)
    is_plan = doc.meta.get("doc_type") in PLAN_TYPES
    figures: list[Figure] = []
    heading_context: dict[int, tuple[str | None, int | None]] = {}
    heading_text: dict[int, str] = {}
    for block in doc.blocks:
        if block.kind == HEADING:
            heading_context = {k: v for k, v in heading_context.items() if k < block.level}
            heading_context[block.level] = _heading_cue(block.text, ref, block.level)
            heading_text = {k: v for k, v in heading_text.items() if k < block.level}
            heading_text[block.level] = block.text
            continue
        if (
            block.kind not in (PARAGRAPH, CAPTION) or not block.anchor
        ):  # a short line may read as a caption
            continue
        section = next((heading_text[k] for k in sorted(heading_text, reverse=True) if k > 0), "")
        if block.attachment and not section.startswith("附件"):  # 一、工作目标 of which attachment
            section = f"附件{block.attachment} {section}".strip()
        section_cue = next(
            (cue for _, (cue, _) in sorted(heading_context.items(), reverse=True) if cue), None
        )
        section_year = next(
            (y for _, (_, y) in sorted(heading_context.items(), reverse=True) if y), None
        )
        found = _paragraph_figures(
            doc_id,
            block.anchor,
            block.text,
            ref,
            section_cue,
            section_year or default_year,
            is_plan,
        )
        headline_section = bool(HEADLINE_HEADING.search(to_simplified(section)))
        headline_lead = TARGET_LEAD.search(to_simplified(block.text))
        figures += [
            _replace(f, section=section, headline=headline_section or bool(headline_lead))
            for f in found
        ]
    return figures


def _heading_cue(text: str, ref: int | None, level: int) -> tuple[str | None, int | None]:
    simple = to_simplified(text)
    years = [int(y) for y in re.findall(r"(20\d\d)", simple)]
    year = max(years) if years else None  # (2018-2020): the plan's figures are for 2020
    if level == 0:
        return None, year
    if year and ref:
        return ("target" if year >= ref else "result"), year
    if RESULT_HEADING.search(simple):
        return "result", year
    if TARGET_HEADING.search(simple):
        return "target", year
    return None, year


def _paragraph_figures(
    doc_id, anchor, original, ref, section_cue, default_year, is_plan
) -> list[Figure]:
    text = to_simplified(original.translate(FULLWIDTH_DIGITS))
    if len(text) != len(original):  # a conversion that changed length: show the simplified text
        original = text
    clauses = sentences(text, original)
    in_targets = section_cue == "target" or (section_cue is None and is_plan)
    for clause in clauses:
        clause.cue, clause.intent = _cue(clause.text)
        if clause.cue == "base":
            clause.cue = None if in_targets else "result"
        clause.year, year_cue = _year_in(clause.text, ref)
        if year_cue and not clause.intent:
            clause.cue = year_cue
    lead = TARGET_LEAD.search(text)
    own = [c.cue for c in clauses if c.cue]
    paragraph_cue = (
        "target"
        if own.count("target") > own.count("result")
        else "result"
        if own.count("result") > own.count("target")
        else None
    )
    document_cue = "target" if is_plan else "result"
    figures: list[Figure] = []
    offset = 0
    sentence_of_last = -1
    cue_before, cue_after, year_so_far = _sentence_context(clauses)
    for index, clause in enumerate(clauses):
        clause_start = text.find(clause.text, offset)
        offset = clause_start + len(clause.text)
        action = None
        for match, words_start in quantities(clause.text):
            # 增长6.1% right after 人均可支配收入30513元: the indicator carries on within a sentence
            previous = (
                figures[-1].indicator if figures and sentence_of_last == clause.sentence else None
            )
            indicator, measure = indicator_of(
                clause.original[words_start : match.start()], previous, action
            )
            if previous and indicator == previous and not measure:
                measure = figures[-1].measure  # 分别增长5.5%和7%: the second grows too
            counted = _counted_after(clause.text, clause.original, match)
            if counted:  # 新增560家企业上云: what is counted follows the figure
                before = _strip_noise(clause.original[words_start : match.start()])
                indicator = (
                    before
                    if any(to_simplified(before).startswith(v) for v in ACTION_VERBS)
                    else (action or "")
                ) + counted
            if (
                not indicator
                and index
                and clauses[index - 1].sentence == clause.sentence
                and not any(True for _ in quantities(clauses[index - 1].text))
            ):
                # 加快培育海关AEO高级认证企业，力争达到2家: the subject is the clause before
                subject = _strip_noise(clauses[index - 1].original.rstrip("，,：:"))
                indicator = subject if len(subject) <= 20 and not re.search(r"\d", subject) else ""
            if not indicator or NOT_AN_INDICATOR.search(to_simplified(indicator)):
                continue
            action = next(
                (v for v in ACTION_VERBS[:4] if to_simplified(indicator).startswith(v)), action
            )
            kind = _kind(
                clause.cue or cue_before[index] or cue_after[index],
                lead is not None and lead.start() < clause_start,
                paragraph_cue,
                section_cue,
                document_cue,
            )
            low = cn_to_number(match["low"] or match["pct_low"])
            high_text = match["high"] or match["pct_high"]
            figures.append(
                Figure(
                    doc_id=doc_id,
                    anchor=anchor,
                    indicator=indicator,
                    key=canonical(indicator),
                    measure=measure,
                    low=low,
                    high=cn_to_number(high_text) if high_text else low,
                    unit="%" if match["pct_low"] else match["unit"],
                    comparator=match["post"] or match["pre"] or match["approx"] or "",
                    year=year_so_far[index] or _default_year(ref, default_year, kind),
                    kind=kind,
                    clause=clause.original.strip("，,：:；;。 "),
                )
            )
            sentence_of_last = clause.sentence
    return _pair_respectively(figures)


def _counted_after(text: str, original: str, match: re.Match) -> str:
    if match["post"] not in (None, "以上", "左右") or match["unit"] not in COUNT_UNITS:
        return ""
    tail = re.match(r"[\u4e00-\u9fff“”A-Za-z0-9]+", text[match.end() :])
    return original[match.end() : match.end() + len(tail.group())] if tail else ""


def _sentence_context(clauses: list[Clause]) -> tuple[list, list, list]:
    """For each clause, within its sentence: the nearest cue before it, the nearest cue after it,
    and the year it or the nearest clause before it names. One pass each way, so that a paragraph
    of a hundred thousand clauses (a scrape that lost its line ends) costs as much as its length."""
    before: list[str | None] = [None] * len(clauses)
    after: list[str | None] = [None] * len(clauses)
    year: list[int | None] = [None] * len(clauses)
    last_cue: dict[int, str | None] = {}
    last_year: dict[int, int] = {}
    for i, clause in enumerate(clauses):
        before[i] = last_cue.get(clause.sentence)
        if clause.cue:
            last_cue[clause.sentence] = clause.cue
        if clause.year:
            last_year[clause.sentence] = clause.year
        year[i] = last_year.get(clause.sentence)
    next_cue: dict[int, str | None] = {}
    for i in range(len(clauses) - 1, -1, -1):
        after[i] = next_cue.get(clauses[i].sentence)
        if clauses[i].cue:
            next_cue[clauses[i].sentence] = clauses[i].cue
    return before, after, year


def _kind(
    nearest_cue: str | None, after_lead: bool, paragraph_cue, section_cue, document_cue
) -> str:
    """The nearest cue wins: the clause's, then its sentence's (before, then after), then wider."""
    if nearest_cue:
        return nearest_cue
    if after_lead:
        return "target"
    return paragraph_cue or section_cue or document_cue


def _default_year(ref, default_year, kind) -> int | None:
    """The year of a figure whose sentence names none."""
    if kind == "result":
        return (ref - 1) if ref and default_year == ref else default_year
    return default_year


def _pair_respectively(figures: list[Figure]) -> list[Figure]:
    """接待国内外游客、旅游总收入分别增长12%、13%以上: one indicator each, in order."""
    out: list[Figure] = []
    i = 0
    while i < len(figures):
        figure = figures[i]
        group = [figure]
        while (
            i + len(group) < len(figures)
            and figures[i + len(group)].clause == figure.clause
            and figures[i + len(group)].indicator == figure.indicator
        ):
            group.append(figures[i + len(group)])
        names = [n for n in re.split(r"[、和及与]", figure.indicator) if n]
        if "分别" in to_simplified(figure.clause) and len(group) == len(names) > 1:
            group = [
                _replace(f, indicator=name, measure=group[0].measure)
                for f, name in zip(group, names, strict=False)
            ]
        out += group
        i += len(group)
    return out


def _replace(figure: Figure, **changes) -> Figure:
    if "indicator" in changes:
        changes["key"] = canonical(changes["indicator"])
    return replace(figure, **changes)


def targets(doc: Document) -> list[Figure]:
    return [f for f in extract(doc) if f.kind == "target"]


def main(argv: list[str] | None = None) -> None:
    """`python -m scripts targets [--json] FILE…`: the figures read from sources, and how fast."""
    import argparse
    import json
    import sys
    import time
    from pathlib import Path

    from ..ingest.convert import convert_file
    from .documents import source_files

    parser = argparse.ArgumentParser(prog="python -m scripts targets", description=main.__doc__)
    parser.add_argument(
        "files", nargs="*", type=Path, help="source files (default: every file in sources/)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    docs = [convert_file(p) for p in (args.files or source_files(Path("sources")))]
    start = time.perf_counter()
    found = {doc.meta["id"]: extract(doc) for doc in docs}
    cold = time.perf_counter() - start  # includes loading OpenCC's dictionaries
    start = time.perf_counter()
    found = {doc.meta["id"]: extract(doc) for doc in docs}
    seconds = time.perf_counter() - start
    if args.json:
        print(
            json.dumps(
                {k: [f.to_dict() for f in v] for k, v in found.items()},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for doc_id, figures in found.items():
            print(f"# {doc_id}")
            for f in figures:
                print(
                    f"{f.kind:6} {f.year or '—'} {f.anchor:<16} {f.indicator}{f.measure} {f.value_text()}"
                )
    chars = sum(len(doc.body_text()) for doc in docs)
    targets_count = sum(f.kind == "target" for v in found.values() for f in v)
    print(
        f"{sum(map(len, found.values()))} figures ({targets_count} targets) from {len(docs)} documents, "
        f"{chars} characters, in {seconds * 1000:.0f} ms ({chars / max(seconds, 1e-9) / 1000:.0f}k characters/s; "
        f"first pass {cold * 1000:.0f} ms)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
