"""Cleaning: decoded text → lines a reader can trust.

Three named stages, run in this order by `clean_lines`:

1. `remove_clutter` drops page furniture, injected spam, bylines and a page's info line (来源,
   发布时间), one whole line at a time, and reports every line it drops (with the rule that
   dropped it). Bylines and info lines become metadata.
   After it: no line matches a clutter rule; every dropped line is in the returned removals.
2. `normalise_line` fixes one line in place; it is idempotent (`normalise_line(normalise_line(x))
   == normalise_line(x)`). After it: the line is stripped; Markdown bold markers `**` from a
   scrape are gone; inside Chinese text there are no stray spaces and no half-width `,:;?!()`,
   while `2018-2020`, `3.5:1`, `R&D`, `7*12小时` and 文号 stay as written.
3. `rejoin_broken_paragraphs` glues the halves of a paragraph that a page break cut in two.
   After it: every line is non-empty and is one paragraph, heading or letter part.

Nothing but whole clutter lines, whitespace and the `**` markers is ever deleted: the
conservation test (tests/test_conservation.py) holds every stage to that.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache

from ..core.chars import CJK, HAN, SENTENCE_END
from ..core.docnumber import DocNumber
from ..core.genres import GENRE_END, GENRES
from ..core.model import Removal
from ..core.script import simplified


@dataclass
class Line:
    no: int  # 1-based line number in the decoded source
    text: str


# "川府发〔2023〕5号" opening a line (the 文号 pattern of core/docnumber.py, anchored)
DOC_NUMBER_AT_START = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*[号號]"
)

# ---------------------------------------------------------------------------
# 1. clutter: whole lines that are page furniture, never document text

# Widget words a scraped page prints around the text: "0 收藏 打印 增大字體 減小字體", "分享", "首頁".
WIDGET_WORDS = (
    r"收藏|打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|分享|分享到|首页|返回|"
    r"返回顶部|返回首页|增大字体|减小字体|字[号体][:：]?\s*[大中小]?|"
    r"【?[大中小]】?|默认|顶部|上一篇|下一篇|纠错|我要纠错|微信|微博|QQ|qq|QQ空间|"
    r"视力保护色|"
    # a law library's toolbar: "下载 打印 全屏 收藏"; a font-size widget: "-A+大A+中A+小", "A- A A+"
    r"下载|全屏|[-－]?[大中小]?\s*A\s*[+＋\-－]?\s*[大中小]?|"
    # a counter: "浏览次数：123", "访问量：911", "阅读量 56", "点击率"
    # … of the page or the text: "本页访问量：2367", "本文阅读次数 12"
    r"(?:本页|本文|页面|文章)?(?:浏览|阅读|访问|点击)(?:次数|量|数|率)[:：]?\s*\d*|"
    r"打印正文|打印全文|打印文章|"
    # what a share widget lists: "分享到：QQ空间 新浪微博 微信 朋友圈"
    r"新浪微博|腾讯微博|人人网|豆瓣|朋友圈|QQ好友|微信好友|"
    r"当前位置[:：]?|无障碍|长者模式|智能问答|登录|注册|English|繁体|简体|"
    r"我要纠错|我要打印|分享到[:：]?|T\s*[|｜]\s*T|放弃|[\[【]|[\]】]|"
    # a top bar's links and its date script's label: "今天是： 无障碍浏览 | 设为首页 | 手机版"
    r"无障碍浏览|网站首页|设为首页|加入收藏|手机版|移动版|网站地图|今天是[:：]?|"
    # … and the day it prints: "2023年03月15日 星期三"
    r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*(?:星期|礼拜)[一二三四五六日天]"
)
# "欢迎访问湖北省农业农村厅门户网站 无障碍 长者模式", "长兴县人民政府门户网站 | 无障碍 | 长者模式",
# "沈阳市人民政府 繁体 English 无障碍": a site's greeting, or its name (a site's, or the government's
# that runs it) among the widgets of its top bar (one pattern with the widgets: every short line
# meets these rules, so each pattern costs)
SITE_BAR = (
    rf"(?:(?:您好[，,！!]?\s*)?欢迎(?:访问|来到|光临)[^。，；]{{0,30}}(?:网站|网|平台)[！!。]?"
    rf"(?:[\s|｜/]*(?:{WIDGET_WORDS}))*"
    rf"|(?:[^网。，；\s]{{2,30}}+网站|[^府。，；\s]{{1,28}}+府(?<=政府))"
    rf"(?:[\s|｜/]*(?:{WIDGET_WORDS}))+)"
)
# The keys of a site's credits and the names after them ("张三", "欧阳·娜", "Li Lei" aside: two to
# four characters, as Chinese names run)
EDITOR_KEYS = (
    r"责任编辑|网站编辑|编辑|责编|校对|审核|审校|签发|"
    r"初审|复审|终审|监制|值班编辑"
)
EDITOR_NAME = r"[\u4e00-\u9fff·]{2,5}"
CLUTTER_RULES: list[tuple[str, re.Pattern[str]]] = [
    # "0 收藏 打印 增大字體 減小字體", "分享", "首頁", "【打印本页】【关闭窗口】", and a site's top bar
    (
        "page-widgets",
        re.compile(
            rf"^(?:\d*\s*(?:[【\[]?\s*(?:{WIDGET_WORDS})\s*[】\]]?[\s|｜/丨·:：]*)+|{SITE_BAR})$"
        ),
    ),
    # "— 3 —", "- 12 -", "第 3 页 共 10 页": the page number a PDF printed at a page break
    (
        "page-number",
        re.compile(
            r"^(?:[-－—–]+\s*\d{1,3}\s*[-－—–]+|第\s*\d{1,3}\s*页\s*[,，/]?\s*(?:共\s*\d{1,3}\s*页)?)$"
        ),
    ),
    # "上一篇：关于……的通知", "下一篇：无": links to the neighbouring pages of the site
    (
        "prev-next",
        re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[:：].{0,80}$"),
    ),
    # "掃二維碼,手機閱讀本文", "扫一扫在手机打开当前页"
    # … and "二维码开始扫一扫在手机打开当前页用来校验该浏览器是否支持HTML5", its script's fallback text
    (
        "qr-code",
        re.compile(r"^.{0,6}扫描?(?:二维码|一扫).{0,20}(?:[^。，]{0,30}(?:浏览器|HTML5))?$"),
    ),
    # "点击查看政策解读：【音频解读】……", "【图文解读】《……》", "关联细则：《……》": a link to a page about
    # the document (its 解读, its rules), not its text
    (
        "related-links",
        re.compile(
            r"^(?:点击查看|点击阅读)[^。]{0,8}解读[^。]{0,100}$"
            r"|^[【\[](?:图文|音频|视频|动漫|一图|政策)解读[】\]][^。]{0,100}$"
            r"|^关联(?:细则|文件|解读|政策)\s*[:：][^。]{0,100}$"
        ),
    ),
    # "編輯:莫曉遙", "责任编辑：张三", "（责任编辑：张三 李四）", "责任编辑：张三　审核：李四": the site's
    # editors, not the document's words; each credit a key and one or more names
    (
        "site-editor",
        re.compile(
            rf"^(?:[【\[][^】\]]{{1,6}}[】\]]\s*)*(?:[（(【\[]?\s*(?:{EDITOR_KEYS})[】\]]?\s*[:：]\s*"
            rf"(?:{EDITOR_NAME}(?:[\s、，,/]+{EDITOR_NAME})*)?\s*[）)】\]]?[\s|｜]*)+$"
        ),
    ),
    # "附件下载:" with nothing after it: the download links did not survive the scrape
    (
        "attachment-download",
        re.compile(r"^(?:附件下载|相关附件|相关下载)\s*[:：]?\s*$"),
    ),
    # "(/gasrmzfw/c104243/1733356284465385472/3inJoM6B.doc)": where a link pointed, left by a
    # scrape that kept a link's target after its words
    ("link-target", re.compile(r"^[（(]\s*/[\w./\-%?=&]+\s*[）)]$")),
    # "【法宝引证码】 CLI.12.4638041": a law database's citation code for its own copy
    (
        "law-db-citation",
        re.compile(r"^[【\[](?:法宝引证码|[^】\]]{0,6}引证码)[】\]]\s*\S{0,40}$"),
    ),
    # "原文链接：https://www.pkulaw.com/…", "具体链接：http://…": where a database or crawler found the text
    (
        "source-link",
        re.compile(
            r"^(?:原文链接|原文连结|原文地址|具体链接|链接|网址|来源网址|url|URL|link)\s*[:：]\s*https?://\S+$"
        ),
    ),
    # "记录ID：10917849", "docid: 1038354": a crawler's record key, not the document's
    (
        "crawler-record-id",
        re.compile(r"^(?:记录ID|记录编号|record[_ ]?id|doc[_ ]?id|ID|id)\s*[:：]\s*[\w\-/]{1,40}$"),
    ),
    # "您访问的链接即将离开'江西省人民政府网站'是否继续？": a leave-site pop-up
    (
        "leave-site",
        re.compile(r"^.{0,12}(?:即将离开|将要离开).{0,40}(?:是否继续|确定).{0,4}$"),
    ),
    # "技术支持：某某科技有限公司", "Powered by …": the CMS's or its vendor's credit
    (
        "cms-credit",
        re.compile(
            r"^(?:技术支持|网站技术支持|(?i:Powered\s+by|Produced\s+by|Designed\s+by))\s*[:：]?.{0,40}$"
        ),
    ),
    # "主办单位：…", "湘ICP备05001234号", "版权所有": a site footer
    (
        "site-footer",
        re.compile(r"^.{0,40}(?:ICP备|ICP证|公网安备|网站标识码|版权所有|主办单位)"),
    ),
    # "中文字幕日韩亚洲制服丝袜_欧美专区日韩视频人妻_熟女自拍": injected spam, underscores joining
    # keyword runs with no sentence punctuation
    (
        "injected-spam",
        re.compile(
            r"^(?=.*(?:中文字幕|日韩|欧美|人妻|自拍|丝袜|无码|成人视频|av|AV|亚洲|博彩|彩票|娱乐城))"
            r"[^。，,；;]{4,}_[^。，,；;]+$"
        ),
    ),
]

# Rules whose pattern reads far into a line before it can fail (".{0,100}…摄"), tried only on a
# line that holds one of their words: in the one pattern above they would cost every short line.
GUARDED_RULES: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    # "（记者 张三 摄）", "图为……现场。记者 李四 摄", "本报记者 王五 通讯员 赵六 摄": the credit of a
    # photo the scrape did not keep, with its caption
    (
        "photo-caption",
        ("摄",),
        re.compile(
            rf"^.{{0,100}}(?:记者|通讯员|摄影|供图)[\s:：]*{EDITOR_NAME}"
            rf"(?:[\s、，,]+(?:(?:记者|通讯员)\s*)?{EDITOR_NAME})*\s*摄[）)]?$"
        ),
    ),
    # "北京市人民政府门户网站 www.beijing.gov.cn", "中国政府网": the site's own name (its logo's
    # text), with its address or not
    (
        "site-name",
        ("网", ".cn"),
        re.compile(
            r"^[^。，；,;：:\s]{2,30}?(?:门户网站|政府网站|政府网|门户网)"
            r"(?:[\s|｜]*(?:https?://)?[\w\-]+(?:\.[\w\-]+)+/?)?$|^[^。，；,;：:]{2,30}?[\s|｜]+(?:https?://)?[\w\-]+(?:\.[\w\-]+)*\.(?:gov\.)?cn/?$"
        ),
    ),
    # "Produced By 大汉网络 大汉版通发布系统", "大汉版通发布系统": the publishing system's name ends the line
    (
        "cms-credit",
        ("系统", "平台"),
        re.compile(r"^.{0,40}(?:发布系统|内容管理系统|网站群管理平台)$"),
    ),
]


# A site's breadcrumb trail: "首页 > 政务公开 > 政策文件", "当前位置：首页 > 信息公开 > …",
# "您现在的位置: 首页 » 政策法规", "首页 → 新闻中心 / 图片新闻". It is clutter only when it opens with a
# "you are here" label or with the home page, and every step is a short name without a sentence in
# it: "首页改版后，……" or "增速>5%" are text.
CRUMB_LABEL = re.compile(  # … "您当前所在的位置", "你现在所处的位置"
    r"^(?:当前位置|當前位置|您的位置|所在位置|(?:您|你)(?:当前|當前|现在|現在|目前)?(?:所在|所處|所处)?的?位置)"
    r"\s*(?:是|為|为)?\s*[:：]?\s*"
)
CRUMB_HOME = re.compile(r"^(?:网站首页|網站首頁|首页|首頁|主页|主頁|Home|HOME|home)$")
CRUMB_SEP = re.compile(r"\s*(?:>>|->|=>|&gt;|[>＞»›→/／]|\s[-－]\s)+\s*")
CRUMB_STEP_MAX = 20  # a section name; the last step may be the page's title
CRUMB_TITLE_MAX = 80
CRUMB_NOT_A_STEP = re.compile(r"[。，,；;！？!?：:]")


CRUMB_START = re.compile(r"^(?:[当當您你所位]|网站首|網站首|首[页頁]|主[页頁]|home)", re.IGNORECASE)
# A labelled trail glued to the widgets after it on one line ("您当前所在的位置：首页 > 政务服务 > … -A+大A+
# 中A+小点击查看政策解读：【音频解读】…"): chrome to its end, however long the last step
GLUED_CRUMB_MAX = 300


def is_breadcrumb(text: str) -> bool:
    if not CRUMB_START.match(text):
        return False  # most lines: neither a label nor the home page opens them
    label = CRUMB_LABEL.match(text)
    rest = text[label.end() :] if label and label.end() > 0 else text
    steps = [s.strip(" \u3000\u00a0") for s in CRUMB_SEP.split(rest)]
    if steps and steps[-1] in ("", "…", "...", "……", "正文"):
        steps = steps[:-1]  # "首页 > 信息公开 > …", a trail that ends on a separator
    if not steps or any(not s for s in steps):
        return False
    # a trail of at least two steps; without a "you are here" label it starts at the home page
    if len(steps) < 2 and not CRUMB_HOME.match(steps[0]):
        return False
    if (label is None or label.end() == 0) and not (CRUMB_HOME.match(steps[0]) and len(steps) >= 2):
        return False
    *middle, last = steps
    if any(len(s) > CRUMB_STEP_MAX or CRUMB_NOT_A_STEP.search(s) or s.isdigit() for s in middle):
        return False
    if label is not None and label.end() > 0 and middle and len(text) <= GLUED_CRUMB_MAX:
        return "。" not in last  # a labelled trail of two steps or more: what follows is chrome too
    return (
        len(last) <= CRUMB_TITLE_MAX
        and not re.search(r"[。；;！？!?]", last)
        and not last.isdigit()
    )


# Bylines go to metadata, not the body.
# "2021年02月03日 來源:中郡縣域經濟網", "发布时间：2024-04-18 来源：衡南县人民政府"
# A page's info line, made only of "key：value" fields, goes to metadata:
# "2021年02月03日 來源:中郡縣域經濟網", "发布时间：2024-04-18 09:30 来源：衡南县人民政府 浏览次数：123",
# "信息来源：县发改局 | 发布日期：2024-01-02", "作者：张三 来源：本站".
FIELD_KEYS = {
    "published": r"发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|更新时间|更新時間",
    "date": r"时间|時間|日期",
    "site": r"信息来源|信息來源|文章来源|文章來源|来源|來源|出处|出處",
    "author": r"作者|撰稿",
    "other": r"浏览次数|瀏覽次數|阅读次数|閱讀次數|点击数|點擊數|访问量|訪問量|字号|字號|字体|字體|"
    # the counter under its other names: "阅读量：3108", "浏览量：56", "点击：12", "阅读：652"
    r"阅读量|閱讀量|浏览量|瀏覽量|点击量|點擊量|点击率|點擊率|阅读|閱讀|点击|點擊",
}
FIELD = re.compile(  # "作者：刘芳　【字体：大 中 小】": a bracket may open the next field
    r"\s*[|｜丨/【\[]?\s*(?:(?P<key>" + "|".join(FIELD_KEYS.values()) + r")\s*[:：]\s*)"
    r"(?P<value>.*?)\s*[】\]]?(?=\s*[|｜丨/【\[]?\s*(?:"
    + "|".join(FIELD_KEYS.values())
    + r")\s*[:：]|\s*$)"
)
LEADING_DATE = re.compile(
    r"^(?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
INFO_LINE_MAX = 120
# "作者：管理员", "作者：admin": the CMS account that posted the page, no one's byline
CMS_ACCOUNT = re.compile(
    r"(?:系统|系統|网站|網站|超级|超級)?(?:管理员|管理員)|admin(?:istrator)?|系统|系統|佚名|未知|本站",
    re.IGNORECASE,
)


def info_fields(text: str) -> dict[str, str] | None:
    """The fields of a page's info line, or None when the line is anything else."""
    if len(text) > INFO_LINE_MAX or "。" in text:
        return None
    fields: dict[str, str] = {}
    pos = 0
    if (date := LEADING_DATE.match(text)) is not None:
        fields["date"], pos = date[0], date.end()
    while pos < len(text):
        m = FIELD.match(text, pos)
        if m is None or m.end() == pos:
            return None
        kind = next(k for k, keys in FIELD_KEYS.items() if re.fullmatch(keys, m["key"]))
        value = m["value"].strip()
        if kind in ("published", "date"):
            if not LEADING_DATE.match(value):
                return None  # "时间：上午9点" is the text of a meeting notice
            kind = "date"
        fields.setdefault(kind, value)
        pos = m.end()
    # a source or an author makes it an info line; a date alone only under a 发布 key
    # (a bare "2024年1月2日" or "时间：……" is the document's own)
    published_alone = FIELD.match(text) is not None and re.match(
        rf"\s*(?:{FIELD_KEYS['published']})", text
    )
    return fields if set(fields) & {"site", "author"} or published_alone else None


# "■本报记者 邹雪峰", "■策划/邓明君 统筹/李永民 文/…", "■制图/张静"
# "本报记者 张三 通讯员 李四" on a line of its own, no box: short and without a sentence in it
REPORTER_BYLINE = re.compile(
    r"^[■□▲●◆]\s*(?P<byline>.*(?:记者|記者|通讯员|通訊員|策划|策劃|文/|图/|圖/|制图|製圖|编辑|編輯|摄影|攝影).*)$"
    r"|^(?P<plain>(?:(?:本报记者|本報記者|本报通讯员|本報通訊員|记者|記者|通讯员|通訊員)[ \u3000]+|"
    r"(?:文|图|圖|摄影|攝影)\s*[/|｜]\s*)[^，。；,;！？!?]{1,50})$"
)


PROSE_MIN = 120  # longer than any clutter line, info line or byline


# A crawler's or a database's header block: "政策名：…", "文号：…", "发布机构：…", "发布时间：…",
# "具体链接：…", "正文：" above the text; a law database's "【发布部门】 …" rows (no colon); a
# scraper's "Title: …" / "URL: …". Its lines are metadata, never body text.
HEADER_FIELDS = {  # by the head noun of the key, whatever qualifies it (信息名称, 发文机构, 页面地址 …)
    "title": r"(?:政策|文件|信息|法规|法規|规章|規章|公文|文章)?(?:名称|名稱|标题|標題)|政策名|文件名|題名|题名|[Tt]itle|TITLE",
    "doc_number": r"文号|文號|(?:发文|發文|文件)(?:字号|字號|文号|文號|编号|編號)",
    "issuer": r"(?:发文|發文|发布|發布|制定|颁布|頒布|印发|印發)(?:机关|機關|机构|機構|单位|單位|部门|部門)",
    "signoff_date": r"成文(?:日期|时间|時間)|签发日期|簽發日期",
    "published": r"(?:发布|發布|公布|颁布|頒布|印发|印發|生成|发表|發表|公开|公開)(?:日期|时间|時間)|[Dd]ate|DATE|[Pp]ub[Dd]ate",
    "url": r"(?:具体|具體|原文|来源|來源|页面|頁面|访问|訪問|网页|網頁)?(?:链接|鏈接|连结|連結|网址|網址)|(?:原文|页面|頁面|访问|訪問|网页|網頁|来源|來源)地址|url|URL|[Uu]rl|[Ll]ink",
    "index_no": r"索引号|索引號",
    "topic": r"(?:主题|主題|信息|公文|法规|法規)?(?:分类|分類|类别|類別)|效力级别|效力級別",
    "site": r"(?:信息|文章|发布|發布)?(?:来源|來源)|[Ss]ource|SOURCE",
    "author": r"作者|撰稿|[Aa]uthor",
    "body": r"正文|全文|内容|內容",
}
HEADER_KEYS = "|".join(HEADER_FIELDS.values())
HEADER_FIELD = re.compile(
    # "文号：…", and "【发文字号】…": a law database closes its label with 】 alone
    r"^(?:[【\[]?(?P<key>"
    + HEADER_KEYS
    + r")[】\]]?\s*[:：]|[【\[](?P<bracketed>"
    + HEADER_KEYS
    + r")[】\]])"
    r"\s*(?P<value>.*)$"
)
KNOWN_KEY = re.compile("|".join(HEADER_FIELDS.values()))
# Any field line of such a block, whatever its key: "【实施日期】 2021.10.12" (a database's key in
# brackets, colon or not), "来源链接：http://…", "栏目：县政府办文件", "文    号：…" (a key padded
# with spaces). Only inside a block that names known fields does an unknown key count.
ANY_FIELD = re.compile(
    r"^(?:[【\[](?P<bkey>[^】\]\s]{1,10})[】\]]\s*[:：]?|(?P<key>[A-Za-z][A-Za-z_ ]{0,14}|[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,10})\s*[:：])"
    r"\s*(?P<value>.*)$"
)
# "----------", "==========": the rule a crawler draws under its header block
RULE_LINE = re.compile(r"^[-=_*—－＝~～]{5,}$")
HEADER_MAX_LINES = (
    20  # a header block sits in the first lines; below them a "标题：" is the text's own
)
HEADER_VALUE_MAX = 200
TITLE_ABOVE_MAX = 150  # a database prints the title above its field rows


def header_field(text: str) -> tuple[str, str, bool] | None:
    """(key, value, known) of a field line of a header block, or None."""
    m = ANY_FIELD.match(text)
    if m is None or len(m["value"]) > HEADER_VALUE_MAX:
        return None
    key = re.sub(r"[\s\u3000]", "", m["bkey"] or m["key"])
    return key, m["value"].strip(), KNOWN_KEY.fullmatch(key) is not None


def read_header_fields(lines: list[Line], meta: dict) -> tuple[list[Line], list[Removal]]:
    """The `key：value` lines a crawler or a law database writes above the text → metadata.

    Only a block at the very top counts (blank lines and other clutter lines may sit between its
    lines, and a database's title line may stand above it), and only when it names at least two
    known fields, or the title: one "时间：上午9点" is the text's. Inside such a block a line of an
    unknown key ("实施日期", "栏目", "浏览量") is a field too, as is the rule that closes it.
    A "正文：" line opens the body: its label goes, its value (the first line of the text) stays.
    """
    fields: list[tuple[int, str, str]] = []
    above = False  # a title line above the block
    for k, line in enumerate(lines[: HEADER_MAX_LINES + 1]):
        text = line.text.strip()
        m = HEADER_FIELD.match(text)
        if m is None and (not text or clutter_rule(text) is not None):
            continue
        found = header_field(text) if m is None or len(m["value"]) > HEADER_VALUE_MAX else None
        if m is not None and len(m["value"]) <= HEADER_VALUE_MAX:
            key = m["key"] or m["bracketed"]
            kind = next(k2 for k2, keys in HEADER_FIELDS.items() if re.fullmatch(keys, key))
            fields.append((k, kind, m["value"].strip()))
            if kind == "body":
                break
        elif found is not None and (found[1] or found[2]):
            key, value, known = found
            kind = (
                next(k2 for k2, keys in HEADER_FIELDS.items() if re.fullmatch(keys, key))
                if known
                else "other"
            )
            fields.append((k, kind, value))
            if kind == "body":
                break
        elif fields and RULE_LINE.match(text):
            fields.append((k, "other", ""))
            break
        elif (
            not fields
            and not above
            and len(text) <= TITLE_ABOVE_MAX
            and not re.search("[。：:]", text)
        ):
            above = True
        else:
            break
    kinds = [kind for _, kind, _ in fields if kind != "other"]
    if len(kinds) < 2 and "title" not in kinds:
        return lines, []
    removed: list[Removal] = []
    out = list(lines)
    for k, kind, value in fields:
        line = lines[k]
        text = line.text.strip()
        if kind == "body":  # the label goes, the first line of the text stays
            removed.append(Removal(line.no, text[: len(text) - len(value)].strip(), "header-field"))
            out[k] = Line(line.no, value)
            continue
        removed.append(Removal(line.no, text, "header-field"))
        out[k] = Line(line.no, "")
        if kind == "doc_number" and not is_doc_number(value):
            continue  # "文号：无": no 文号 to keep
        if value and kind == "author":
            meta.setdefault("bylines", []).append(value)
        elif value and kind != "other":
            meta.setdefault(kind, value)
    return out, removed


def is_doc_number(value: str) -> bool:
    """A 文号 (衡政办发〔2024〕3号) or a number of its organ's series (江西省人民政府令第232号)."""
    try:
        DocNumber.parse(value)
    except ValueError:
        return False
    return True


# "相关解读：" / "相关阅读" and the titles of the pages it links, at the foot of a page
RELATED_LABEL = re.compile(
    r"^(?:相关解读|相關解讀|相关阅读|相關閱讀|相关链接|相關鏈接|相关文章|相關文章|相关新闻|相關新聞|延伸阅读|延伸閱讀|"
    # a related-documents widget: "关联细则", "图文解读" over the titles of the pages it links
    r"关联细则|關聯細則|关联文件|關聯文件|关联解读|關聯解讀|关联政策|關聯政策|相关政策|相關政策|"
    r"图文解读|圖文解讀|音频解读|音頻解讀|视频解读|視頻解讀)\s*[:：]?$"
)
RELATED_ITEM_MAX = 80


def remove_clutter(lines: list[Line], meta: dict) -> tuple[list[Line], list[Removal]]:
    """Drop clutter lines; bylines become metadata (`published`, `site`, `bylines`)."""
    kept: list[Line] = []
    removed: list[Removal] = []
    related = False  # inside the list of links under a "相关阅读" label
    pending_site = False  # "来源：" alone on its line: its value is the next line
    last_rule: str | None = None  # the rule that dropped the line before (None: it was kept)
    last_kept: Line | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            kept.append(line)
            continue
        if related and len(text) <= RELATED_ITEM_MAX and "。" not in text:
            # (a credit or a footer under the list is that, not a related page)
            removed.append(Removal(line.no, text, clutter_rule(text) or "related-links"))
            continue
        related = False
        if pending_site:
            pending_site = False
            if len(text) <= 30 and not re.search(r"[，。；：,;:]", text):
                meta.setdefault("site", text)
                removed.append(Removal(line.no, text, "source-byline"))
                continue
        if RELATED_LABEL.match(text):
            related = True
            removed.append(Removal(line.no, text, "related-links"))
            continue
        if len(text) > PROSE_MIN and "。" in text:
            kept.append(line)  # a long paragraph of sentences: no clutter rule can match it
            continue
        rule = clutter_rule(text)
        if rule is None and (fields := info_fields(text)) is not None:
            rule = "source-byline"
            pending_site = "site" in fields and not fields["site"]
            if fields.get("site"):
                meta.setdefault("site", fields["site"])
            if fields.get("date"):
                meta.setdefault("published", fields["date"])
            if fields.get("author") and not CMS_ACCOUNT.fullmatch(fields["author"]):
                meta.setdefault("bylines", []).append(fields["author"])
        elif rule is None and (m := REPORTER_BYLINE.match(text)):
            rule = "reporter-byline"
            meta.setdefault("bylines", []).append((m["byline"] or m["plain"]).strip())
        if rule is None and last_rule in PAGE_INFO_RULES and PAGE_DATE.match(text):
            rule = "source-byline"  # "时间：2024-01-02" under the page's 来源 line or toolbar
            meta.setdefault("published", PAGE_DATE.match(text)[1])  # type: ignore[index]
        if (
            rule in PAGE_INFO_RULES
            and kept
            and kept[-1] is last_kept
            and PAGE_DATE.match(last_kept.text.strip())
        ):
            # … or above them
            kept.pop()
            removed.append(Removal(last_kept.no, last_kept.text.strip(), "source-byline"))
            meta.setdefault("published", PAGE_DATE.match(last_kept.text.strip())[1])  # type: ignore[index]
        if rule:
            removed.append(Removal(line.no, text, rule))
        else:
            kept.append(line)
            last_kept = line
        last_rule = rule
    return kept, removed


# "时间：2024-01-02", "日期：2024年1月2日": a date alone under a key that names no publication, which
# is the page's only beside its 来源 line or its toolbar (alone it may be a meeting's time)
PAGE_DATE = re.compile(
    r"^(?:时间|時間|日期)\s*[:：]\s*((?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?)"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
PAGE_INFO_RULES = ("source-byline", "page-widgets")


def clutter_rule(text: str) -> str | None:
    """The name of the clutter rule a stripped line matches, or None. The rules read the line in
    simplified characters, so a traditional page's 原文鏈接 or 瀏覽次數 is the clutter it is (and
    the rules are written in simplified characters only: a traditional spelling would never match)."""
    text = simplified(text)
    if is_breadcrumb(text):
        return "breadcrumb"
    m = _any_clutter_rule().match(text)
    if m is not None:
        return CLUTTER_RULES[int(str(m.lastgroup)[1:])][0]  # each rule is a group r<i>
    if _guard_words().search(text) is None:
        return None  # most lines: no word a guarded rule needs
    for name, words, pattern in GUARDED_RULES:
        if any(w in text for w in words) and pattern.match(text):
            return name
    return None


@lru_cache(maxsize=1)
def _guard_words() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for _, words, _ in GUARDED_RULES for w in words))


@lru_cache(maxsize=1)
def _any_clutter_rule() -> re.Pattern[str]:
    """The rules as one pattern, tried in their order in one call (each branch a group `r<i>`):
    a line is read once by the regex engine rather than by each rule in turn."""
    return re.compile(
        "|".join(f"(?P<r{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(CLUTTER_RULES))
    )


# ---------------------------------------------------------------------------
# 2. normalise: one line at a time, idempotent

SPACE = " \t\u3000\u00a0"
# A tab separates the cells of a table row (a saved page's <td>s, a table copied from a word
# processor): it is kept, one per cell boundary, while other spaces between Chinese go.
CELL_GAP = re.compile(r"[ \u3000\u00a0]*\t[\t \u3000\u00a0]*")
INLINE_SPACE = " \u3000\u00a0"
# A space between two Chinese characters (or Chinese and a digit) is a scraping artefact:
# "的通 知" → "的通知", "提案 的答复" → "提案的答复", "2023 年 6 月" → "2023年6月".
STRAY_SPACE = re.compile(
    rf"(?<=[{CJK}0-9])[{INLINE_SPACE}]+(?=[{CJK}])|(?<=[{CJK}])[{INLINE_SPACE}]+(?=[0-9])"
)
# …except the break between two phrases of a headline, which a reader needs:
# "打造产业强市、区域中心、开放高地 加快建设名副其实的省域副中心城市", "关键词 产业强市".
# It is kept (as one full-width space) in a short line with no sentence punctuation, between two
# runs of at least two characters (or a year heading the line), the second not starting with a
# particle (的通 知, 提案 的答复).
PHRASE_BREAK = re.compile(
    rf"(?:(?<=[{HAN}]{{2}})|(?<=^(?:19|20)\d\d)|(?<=# (?:19|20)\d\d))[{INLINE_SPACE}]+(?=[{HAN}]{{2}})(?![的地得之了着们等及和与年])"
)  # "2024 步履铿锵"
HEADLINE_MAX = 50
SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
# Half-width marks next to Chinese become full-width; "2018-2020", "3.5:1", "R&D", "7*12小时" stay.
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
# (The mark first, then what stands before it: a pattern that opens with a character class is
# skipped to its candidates in C, one that opens with a lookbehind is tried at every character.)
HALF_PUNCT_IN_CJK = re.compile(rf"[,:;?!](?<=[{CJK}].)|[,;?!](?=[{HAN}])")
# Parentheses around anything that contains Chinese: "(一)" → "（一）", "(牵头单位:县人社局)".
HALF_PARENS_WITH_HAN = re.compile(rf"\(([^()]*[{HAN}][^()]*)\)")
# Parentheses around digits when Chinese text is on either side: "计划(2018-2020)》".
HALF_PARENS_IN_CJK = re.compile(rf"(?<=[{CJK}])\(([^()]*)\)|\(([^()]*)\)(?=[{CJK}])")
# "**二是抓产业链。**" from a scrape that kept Markdown bold: the markers are markup, not text.
# (Run-in heads are bolded again, uniformly, when the page is rendered.)
SCRAPED_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# "第一条　为推动……", "第二章　规划建设": the space after an article or chapter number is kept (as one
# full-width space), as regulations print it.
# So is the space between "附件1" and the attachment's title.
ARTICLE_SPACE = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条編编節條]|附件\s*\d{0,2})[ \t\u3000\u00a0]+(?=\S)"
)


# Lines with none of these characters have nothing to normalise (most lines of a clean source).
NEEDS_WORK = re.compile(rf"[,:;?!()*{SPACE}]")
HALF_MARK = re.compile(r"[,:;?!(]")  # … none of these: no mark to make full-width
SPACE_RE = re.compile(f"[{SPACE}]")  # … none of these: no stray space, no space after 第一条


def normalise_line(text: str) -> str:
    """One line, idempotently: bold markers, bracket and punctuation width, stray spaces."""
    text = _normalise_once(text)
    if ARTICLE_SPACE.match(text):
        # the full-width space kept after "附件" / "第一条" is Chinese context for the mark after it
        # ("附件 ," → "附件　," → "附件　，"): one more pass reaches the fixed point
        text = _normalise_once(text)
    return text


def _normalise_once(text: str) -> str:
    text = text.strip(SPACE + "\r\n")
    if NEEDS_WORK.search(text) is None:
        return text
    while "**" in text and (unbolded := SCRAPED_BOLD.sub(r"\1", text)) != text:  # "****x****" too
        text = unbolded
    if "\t" in text:
        text = CELL_GAP.sub("\t", text)
    # nested brackets "(来源:…《计划(2018-2020)》…)" convert inside out, and a converted mark makes
    # its neighbour Chinese context: loop to a fixed point (a few passes; past them, a run of marks
    # or brackets nested deep, which would take a pass per mark: finished in one, see below)
    for _ in range(MARK_PASSES):
        if not HALF_MARK.search(text):
            break
        before = text
        if "(" in text:
            text = HALF_PARENS_WITH_HAN.sub(r"（\1）", text)
            text = HALF_PARENS_IN_CJK.sub(
                lambda m: f"（{m[1] if m[1] is not None else m[2]}）", text
            )
        text = HALF_PUNCT_IN_CJK.sub(_full_width, text)  # ",," next to Chinese: both
        if text == before:
            break
    else:
        text = full_width_fixed_point(text)
    if not SPACE_RE.search(text):
        return text  # no space left to judge (the rest is about spaces)
    headline = len(text) <= HEADLINE_MAX and not SENTENCE_PUNCT.search(text)
    if (article := ARTICLE_SPACE.match(text)) is not None:
        rest = text[article.end() :]
        return (
            article[1]
            + "\u3000"
            + STRAY_SPACE.sub(
                lambda m: "\u3000" if headline and _is_phrase_break(rest, m) else "", rest
            )
        )
    if not headline:
        return STRAY_SPACE.sub("", text)
    return STRAY_SPACE.sub(lambda m: "\u3000" if _is_phrase_break(text, m) else "", text)


def _full_width(m: re.Match) -> str:
    return HALF_TO_FULL[m[0]]


MARK_PASSES = 4  # passes of the patterns above before `full_width_fixed_point` finishes the work
HAN_CHAR = re.compile(f"[{HAN}]")
CJK_CHAR = re.compile(f"[{CJK}]")


def full_width_fixed_point(text: str) -> str:
    """The text as the passes of the patterns above leave it once nothing changes any more, in one
    pass and a queue of what each change makes possible: the passes take a turn, reading the whole
    line, per mark of a run (",,,,…" after Chinese) and per level of nested brackets, which a
    hostile line of a million marks makes days. The rules (the patterns say the same):
    - a mark , : ; ? ! after a Chinese character or full-width mark becomes full-width, and so
      does , ; ? ! before a Chinese character;
    - a pair of brackets holding no half-width bracket becomes （…） when a Chinese character is
      inside, or one stands just before or just after it.
    A change only ever adds Chinese context, so the order of the changes does not matter."""
    chars = list(text)
    n = len(chars)
    han_upto = [0]  # han_upto[k]: Chinese characters among the first k
    for ch in chars:
        han_upto.append(han_upto[-1] + (HAN_CHAR.match(ch) is not None))
    closing: dict[int, int] = {}  # a "(" → the ")" it pairs with
    opening: dict[int, int] = {}  # and back
    enclosing: dict[int, int] = {}  # a "(" → the "(" of the pair around its pair
    unconverted_inside: dict[
        int, int
    ] = {}  # a "(" → pairs directly inside its pair still half-width
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            o = stack.pop()
            closing[o], opening[i] = i, o
            if stack:
                enclosing[o] = stack[-1]
                unconverted_inside[stack[-1]] = unconverted_inside.get(stack[-1], 0) + 1

    def chinese_context(i: int) -> bool:
        return 0 <= i < n and CJK_CHAR.match(chars[i]) is not None

    def changes(i: int) -> bool:
        ch = chars[i]
        if ch in HALF_TO_FULL:
            return chinese_context(i - 1) or (
                ch != ":" and i + 1 < n and HAN_CHAR.match(chars[i + 1]) is not None
            )
        o = i if ch == "(" else opening.get(i) if ch == ")" else None
        if o is None or o not in closing or unconverted_inside.get(o, 0):
            return False
        c = closing[o]
        return han_upto[c] > han_upto[o + 1] or chinese_context(o - 1) or chinese_context(c + 1)

    queue = deque(range(n))
    while queue:
        i = queue.popleft()
        if not 0 <= i < n or not changes(i):
            continue
        if chars[i] in HALF_TO_FULL:
            chars[i] = HALF_TO_FULL[chars[i]]
            queue.extend((i + 1, i - 1))  # a mark or "(" after it, a ")" before it
            continue
        o = opening.get(i, i)
        c = closing[o]
        chars[o], chars[c] = "（", "）"
        queue.extend((o - 1, o + 1, c + 1))
        if o in enclosing:  # one pair fewer inside the pair around it
            unconverted_inside[enclosing[o]] -= 1
            queue.append(enclosing[o])
    return "".join(chars)


def _is_phrase_break(text: str, space: re.Match) -> bool:
    m = PHRASE_BREAK.match(text, space.start())
    return m is not None and m.end() == space.end()


# ---------------------------------------------------------------------------
# 3. rejoin: a paragraph cut in two by a page break

NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|[（(]\d+[）)]|"
    r"第[一二三四五六七八九十百零〇\d]+[章节条節條]|附件(?![。，；])\s*\d*)"
)
# A line that stands on its own and never continues or is continued by its neighbour:
HEAD_LIKE = re.compile(
    r"^(?:#|■|□|——|--|"  # scraped Markdown heading, byline box, a dash-led item or deck
    r"(?:关键词|關鍵詞)|"  # news section head: "关键词 产业强市"
    # a label ending in a colon or a middle dot: "措施一:", "目标:", "亮点一·", "支撑二：", "抄送："
    rf"[{HAN}]{{1,5}}[一二三四五六七八九十\d]{{0,3}}\s*[:：·]|"
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$)"  # a date alone: the sign-off date
)
# A fragment that cannot start a sentence: "施、公共服务设施…" (one to three characters, then 、，)
FRAGMENT_START = re.compile(rf"^(?:[{HAN}][、，,；]|[、，,。；：）)》”’])")
# A short line with no punctuation at all is a title, a heading, a name or a 文号, never half a
# paragraph: "衡南县人民政府办公室", "国办发〔2024〕9号", "一、总体要求".
STANDALONE_MAX = 40
ANY_PUNCT = re.compile(r"[，,、。；;：:！？!?]")
MID_SENTENCE = ("、", "，", ",")  # marks a paragraph never ends on
OPEN_CLOSE = (("《", "》"), ("“", "”"), ("（", "）"), ("〔", "〕"))
INNER_SENTENCE_END = re.compile(r"[。！？；!?]")


def rejoin_broken_paragraphs(lines: list[Line]) -> list[Line]:
    """Join a paragraph's halves: "县域经济工作" / "领导小组。", "耒阳市重" / "点发展……".

    A page break leaves a line that does not end its sentence. It is joined to the next line when
    that line is not a head of its own and one of these holds:
    - the text so far leaves a 《title》, “quote” or bracket open;
    - the text so far is running prose (it already holds a full stop) cut mid-sentence;
    - the next line starts with a fragment that cannot start a sentence ("施、公共服务…");
    - the source is hard-wrapped at a fixed width and this line fills it.
    Decisions look at the paragraph built so far, so rejoining already rejoined text changes nothing.
    """
    texts = [line for line in lines if line.text.strip()]
    width = hard_wrap_width([line.text.strip() for line in texts])
    paragraphs: list[Paragraph] = []
    last_piece = ""
    for line in texts:
        text = line.text.strip()
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and is_cut(previous, text, last_piece, width):
            previous.add(text)
        else:
            paragraphs.append(Paragraph(line.no, text))
        last_piece = text
    # a joined paragraph is normalised once more: the join can make a mark's context Chinese
    return [Line(p.no, normalise_line(p.text) if len(p.pieces) > 1 else p.text) for p in paragraphs]


# What the rules read of a paragraph's start (its number, a label) and of its end (its last
# mark, a genre word with a note in brackets): far more than any of them needs.
HEAD_WINDOW = 200
END_WINDOW = 200


class Paragraph:
    """A paragraph being rejoined from its lines, with what `is_cut` asks of it kept up to date as
    lines are added: asking the whole text again at each line took the square of its length (a
    sentence cut into 8,000 lines: minutes)."""

    def __init__(self, no: int, text: str):
        self.no = no
        self.pieces: list[str] = []
        self.length = 0
        self.head = ""  # the first HEAD_WINDOW characters
        self.end = ""  # the last END_WINDOW characters
        self.has_tab = self.has_inner_end = self.has_punct = False
        self.open_minus_closed = [0] * len(OPEN_CLOSE)
        self.add(text)

    def add(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)
        if len(self.head) < HEAD_WINDOW:
            self.head = (self.head + text[:HEAD_WINDOW])[:HEAD_WINDOW]
        self.end = (self.end + text[-END_WINDOW:])[-END_WINDOW:]
        self.has_tab = self.has_tab or "\t" in text
        self.has_inner_end = self.has_inner_end or INNER_SENTENCE_END.search(text) is not None
        self.has_punct = self.has_punct or ANY_PUNCT.search(text) is not None
        for k, (opening, closing) in enumerate(OPEN_CLOSE):
            self.open_minus_closed[k] += text.count(opening) - text.count(closing)

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def head_like(self) -> bool:
        """HEAD_LIKE on the whole text (its one rule that reads to the end, a date alone, is
        shorter than the window)."""
        return (
            HEAD_LIKE.match(self.head if self.length <= HEAD_WINDOW else self.head + "…")
            is not None
        )

    def unclosed(self) -> bool:
        return any(n > 0 for n in self.open_minus_closed)


def hard_wrap_width(texts: list[str]) -> int:
    """The fixed line width of a hard-wrapped source (0 when lines are whole paragraphs).

    A text wrapped at N characters has many lines of exactly N (±1) characters, and most of them
    stop mid-sentence: the width cut them, not the end of a paragraph (three whole paragraphs of
    one length in a short text are a coincidence, not a wrap).
    """
    # prose lines only: a column of phone numbers or dates has equal lengths and is not wrapped text
    prose = [t for t in texts if len(t) >= 16 and len(t.encode("ascii", "ignore")) * 2 < len(t)]
    if len(prose) < 8:
        return 0
    width, _ = Counter(len(t) for t in prose).most_common(1)[0]
    full = [t for t in prose if abs(len(t) - width) <= 1]
    cut = sum(1 for t in full if not t.endswith(tuple(SENTENCE_END)))
    return width if len(full) >= 0.3 * len(prose) and 2 * cut > len(full) else 0


def is_cut(before: str | Paragraph, after: str, last_piece: str, width: int = 0) -> bool:
    """Does `after` continue the paragraph `before`, cut by a page break? (See the rules above.)"""
    if isinstance(before, str):
        before = Paragraph(0, before)
    if (
        before.end.endswith(tuple(SENTENCE_END))
        or NUMBERED_START.match(after)
        or HEAD_LIKE.match(after)
    ):
        return False
    if before.has_tab or "\t" in after:
        return False  # a table row is whole: a page break never cuts a saved page's <tr>
    if before.head_like() and not before.has_inner_end:
        return False
    if not re.match(rf"[{HAN}0-9A-Za-z“‘《（(、，,。；：）)》”’]", after):
        return False
    if width and abs(len(last_piece) - width) <= 1:
        return True  # a hard-wrapped line that fills the width goes on, whatever it holds
    if before.end.endswith(MID_SENTENCE):
        return True  # "…肉制品、乳制品、" / "饮料、酒类……": no paragraph ends on a comma
    unclosed = before.unclosed()
    if (
        (before.length <= STANDALONE_MAX or GENRE_END.search(before.end))
        and not before.has_punct
        and not unclosed
    ):
        return False  # a name, a heading or a title (however long: header lines join into one)
    if (
        NUMBERED_START.match(before.head)
        and before.length <= STANDALONE_MAX
        and not before.has_inner_end
    ):
        return False
    if unclosed:
        return True
    if FRAGMENT_START.match(after):
        return True
    return re.search(f"[{HAN}0-9]$", before.end) is not None and before.has_inner_end


# A page that printed its text twice (a CMS template that ran twice, a scrape that caught the print
# view too): the second copy of a run of lines is a duplicated tail, removed and reported.
TAIL_MIN_CHARS = 200


# A repeated run that ends on the sign-off (3 lines at least, a sentence among them, the date last)
# is shorter: a document is signed once, so its closing lines printed twice are a duplicate however short.
SIGNED_TAIL_MIN_CHARS = 60
SIGNOFF_DATE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零OＯ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)


def remove_duplicated_tail(lines: list[Line]) -> tuple[list[Line], list[Removal]]:
    """The longest run of lines at the end that repeats, line for line, a run standing before it."""
    kept = [k for k, line in enumerate(lines) if line.text.strip()]
    start = duplicated_tail_start([lines[k].text.strip() for k in kept])
    if start is None:
        return lines, []
    cut = kept[start]
    removed = [
        Removal(line.no, line.text.strip(), "duplicated-tail")
        for line in lines[cut:]
        if line.text.strip()
    ]
    return lines[:cut], removed


def duplicated_tail_start(texts: list[str]) -> int | None:
    """Where the longest tail of `texts` begins that repeats, line for line, a run of lines ending
    at or before that place; None when there is none (or it is too short, or holds a table row).

    Linear in the number of lines, whatever repeats: a tail of L lines repeats a run ending at
    line j exactly when the lines before j and the whole text end with the same L lines; the
    Z-function of the reversed text gives that common ending for every j at once. (Comparing
    each tail with each earlier place took the cube of the lines: 8,000 identical lines, minutes.)
    """
    n = len(texts)
    if n < 3:
        return None
    codes: dict[str, int] = {}
    reversed_codes = [codes.setdefault(text, len(codes)) for text in reversed(texts)]
    common = z_function(
        reversed_codes
    )  # common[n - j]: how many lines texts[:j] and texts end alike
    chars_after = [0] * (n + 1)  # characters from line k to the end
    for k in range(n - 1, -1, -1):
        chars_after[k] = chars_after[k + 1] + len(texts[k])
    last_tab = max((k for k, text in enumerate(texts) if "\t" in text), default=-1)
    last_full_stop = max((k for k, text in enumerate(texts) if "。" in text), default=-1)
    ends_signed = SIGNOFF_DATE.match(texts[-1]) is not None
    longest_before = 0  # the longest common ending of texts[:j] with texts, over j <= start
    for start in range(1, n - 1):  # the longest tail first
        longest_before = max(longest_before, common[n - start])
        tail = n - start
        if longest_before < tail or start <= last_tab:
            continue  # no earlier run repeats it, or a table row is in it (a row repeats legitimately)
        signed = tail >= 3 and ends_signed and start <= last_full_stop  # a sign-off (above)
        if chars_after[start] >= (SIGNED_TAIL_MIN_CHARS if signed else TAIL_MIN_CHARS):
            return start
    return None


def z_function(items: list) -> list[int]:
    """z[i]: the length of the longest common prefix of `items` and `items[i:]` (z[0] = len)."""
    n = len(items)
    z = [0] * n
    if n:
        z[0] = n
    left = right = 0  # the match reaching furthest right so far: items[left:right]
    for i in range(1, n):
        k = min(right - i, z[i - left]) if i < right else 0
        while i + k < n and items[k] == items[i + k]:
            k += 1
        z[i] = k
        if i + k > right:
            left, right = i, i + k
    return z


# ---------------------------------------------------------------------------
# 0. run-on lines: a body a crawler flattened into one line, split again where the text shows a
# paragraph starting (before the clutter rules, which read whole lines)

RUN_ON_MIN = 200  # characters: a line this long holding two paragraph starts is a flattened body
ONE_LINE_SHARE = 0.8  # … or holding this share of the whole text
# the indent or the spacing that stood between two paragraphs: "　　", four spaces, " 　"
GAP = re.compile(
    r"[ \u00a0\u2000-\u200a]*(?:\u3000{2,}|[ \u00a0\u2000-\u200a]{4,}|[ \u00a0\u2000-\u200a]+\u3000+)[ \u00a0\u2000-\u200a\u3000]*"
)
# a numbered item or an article opening a paragraph: "一、", "（二）", "3.", "（4）", "第五条", "第二章"
ITEM_START = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|"
    r"第[一二三四五六七八九十百零〇\d]{1,4}[章节条]|附件\s*\d{0,2}\s*[：:])"
)
# "第五条　本办法……", "附件1　……": the space after an article's or an attachment's number is its own
NUMBER_SPACE = re.compile(r"(?:第[一二三四五六七八九十百零〇\d]{1,4}[章节条]|附件\s*\d{0,2})$")
PARAGRAPH_END = "。！？；：!?;"
# where a paragraph may start in a flattened line: a run of spaces, or a numbered item right
# after a sentence's end ("……如下。一、……")
BREAK_CANDIDATE = re.compile(
    rf"[ \u00a0\u2000-\u200a\u3000]+|(?<=[{PARAGRAPH_END}])(?={ITEM_START.pattern})"
    # an article or a chapter whose number a space follows opens its paragraph wherever it stands
    # ("……细则第一章　总　则第一条　为规范……"); one cited in a sentence has none ("第十条规定")
    r"|(?<![ \u00a0\u3000])(?=第[一二三四五六七八九十百零〇\d]{1,4}[章条][ \u3000])"
    # "（此件公开发布）" run in between the notice and the text it issues
    r"|(?=[（(]此件[^）)]{0,20}[）)])|(?<=[（(]此件公开发布[）)])"
)
# the head a crawler glues to the salutation: a title ending in its genre word, then the addressees
# ending in "：" (各市（州）人民政府，省政府各部门：)
RUN_IN_TITLE = re.compile(
    rf"(?P<title>[^。；：:\n]{{4,150}}?(?:{'|'.join(sorted(GENRES, key=len, reverse=True))})(?:[（(][^）)]{{1,20}}[）)])?)"
    r"(?=[\s\u3000]*各|[\s\u3000]*[^\s。，、；：:的《》]{2,30}?(?:人民政府|政府|部门|单位|委员会|管委会|局|厅|委|办)"
    r"[^。；：:的《》]{0,80}?[：:])"
)
RUN_IN_ADDRESSEE = re.compile(
    r"[\u4e00-\u9fff（）()、，,\s\u3000]{2,120}?(?:各|人民政府|政府|部门|单位|机构|委员会|办公室|办公厅|管委会|厅|局|委|办)"
    r"[\u4e00-\u9fff（）()、，,]{0,40}?[：:]"
)
# the sign-off run into the last sentence: "……同时废止。广安市人民政府2022年7月29日相关附件：……"
RUN_IN_SIGNOFF = re.compile(
    r"(?<=[。！？])(?P<organ>[\u4e00-\u9fff（）()]{2,60}?(?:人民政府|政府|办公室|办公厅|委员会|管委会|局|厅|委|办|院|中心|小组|指挥部))?"
    r"(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)"
    # after a date alone, the end or what a sign-off stands above; after an organ and a date,
    # anything but the rest of a sentence ("2018年9月13日发布的《……》")
    r"(?(organ)(?![，,、的起至前后以印发颁公])|(?=$|\n|附件|相关附件|相關附件|[（(]此件|抄送|二维码))"
)
# clutter a page glued to the text's end: "二维码开始扫一扫……", "相关附件：……"
RUN_IN_CLUTTER = re.compile(
    r"(?=二维码开始|相关附件[:：]|相關附件[:：])|(?<!二维码开始)(?=扫一扫在手机)"
)


def split_run_on_lines(lines: list[Line]) -> list[Line]:
    """A flattened body (a crawler's one-line field, a record's text) → its paragraphs again.

    Only a line of RUN_ON_MIN characters or more that shows at least two paragraph starts
    (`_breaks`) is split, there; and, in such a line, at its start the 文号, the title and the
    addressees a crawler glued to the salutation, at its end the issuer and the date run into the
    last sentence and the page's clutter after them. A line keeps its number; only the spacing at
    a cut is lost.
    """
    out: list[Line] = []
    first = True
    # a body that is (nearly all) one line, a crawler's field, is split however few starts it shows
    alone_min = max(RUN_ON_MIN, ONE_LINE_SHARE * sum(len(line.text) for line in lines))
    for line in lines:
        if len(line.text) < RUN_ON_MIN:  # most lines: too short to hold two paragraphs
            out.append(line)
            first = first and not line.text.strip()
            continue
        text = line.text.strip(" \t\u00a0\u3000\r")
        alone = len(text) >= alone_min
        breaks = _breaks(text) if alone or _may_break(text) else []
        if len(breaks) < 2 and not alone:
            out.append(line)
            first = False
            continue
        pieces, pos = [], 0
        for start, end in breaks:
            pieces.append(text[pos:start])
            pos = end
        pieces.append(text[pos:])
        if first:
            pieces[:1] = _split_run_in_head(pieces[0]).split("\n")
        text = "\n".join(pieces)
        text = RUN_IN_SIGNOFF.sub(_signoff_break, text)
        text = _split_issued_title(text)
        text = RUN_IN_CLUTTER.sub("\n", text)
        out.extend(Line(line.no, piece) for piece in text.split("\n") if piece.strip())
        first = False
    return out


# what a paragraph start in a flattened line shows, cheaply: an indent, a run of spaces, a sentence's
# end before a number (most long lines are one paragraph and show none, or one)
BREAK_HINT = re.compile(
    r"\u3000\u3000| {4}|[ \u00a0]\u3000|[。！？；：!?;][ \u00a0\u3000]{0,3}[一二三四五六七八九十（(\d第附]"
)


def _may_break(text: str) -> bool:
    hints = BREAK_HINT.finditer(text)
    return next(hints, None) is not None and next(hints, None) is not None


def _breaks(text: str) -> list[tuple[int, int]]:
    """The spans of a line where the text itself shows a paragraph or a numbered item starting:
    an indent or a long run of spaces (not the one after 第五条); a short space after a sentence's
    end or before a numbered item; a numbered item right after a sentence's end."""
    found = []
    for m in BREAK_CANDIDATE.finditer(text):
        if m.start() == 0 or m.end() == len(text):
            continue
        before, after = text[: m.start()], text[m.end() :]
        if m.start() == m.end():
            found.append((m.start(), m.end()))  # "。一、": a numbered item after a sentence's end
        elif GAP.fullmatch(m[0]):
            if not NUMBER_SPACE.search(before):
                found.append((m.start(), m.end()))
        elif before[-1] in PARAGRAPH_END or ITEM_START.match(after):
            found.append((m.start(), m.end()))
    return found


def _split_run_in_head(text: str) -> str:
    """ "川府发〔2023〕5号　四川省人民政府关于……的通知　各市（州）人民政府：为了……" → its lines."""
    parts = []
    if (number := DOC_NUMBER_AT_START.match(text)) is not None:
        parts.append(number[0].strip())
        text = text[number.end() :].lstrip(" \u3000")
    if (title := RUN_IN_TITLE.match(text)) is not None and not re.search("[。，]", title["title"]):
        parts.append(title["title"].strip())
        text = text[title.end() :].lstrip(" \u3000")
        if (number := DOC_NUMBER_AT_START.match(text)) is not None:  # the 文号 under the title
            parts.append(number[0].strip())
            text = text[number.end() :].lstrip(" \u3000")
    if (addressee := RUN_IN_ADDRESSEE.match(text)) is not None and (parts or text.startswith("各")):
        parts.append(addressee[0].strip())
        text = text[addressee.end() :].lstrip(" \u3000")
    return "\n".join([*parts, text])


def _split_issued_title(text: str) -> str:
    """ "……2021年7月21日\n关于构建……的实施意见为贯彻落实……": the text a 印发 notice issues opens
    with the title the notice named in 《》; its first paragraph starts after it."""
    # (the 印发 sentence stands at the top: the titles it names are looked for there only)
    named = {m[1] for m in re.finditer(r"《([^《》\n]{4,80})》", text[:ISSUING_HEAD])}
    pieces = text.split("\n")
    for k in range(1, len(pieces)):
        if not named or not SIGNOFF_DATE.match(pieces[k - 1]):
            continue
        piece = pieces[k]
        # the longest title that opens it (若干政策（试行）, not 若干政策): never the first a set gives,
        # whose order changes from one process to the next
        opening = [t for t in named if piece.startswith(t) and len(piece) > len(t)]
        title = max(opening, key=lambda t: (len(t), t), default=None)
        if title is not None:
            pieces[k] = title + "\n" + piece[len(title) :]
    return "\n".join(pieces)


ISSUING_HEAD = 3000  # characters: the notice's own text before what it issues


def _signoff_break(m: re.Match) -> str:
    organ = (m["organ"] or "").strip()
    return ("\n" + organ if organ else "") + "\n" + m["date"] + "\n"


# "……取得实效。（责任编辑：王五）", "……现场。（记者 张三 摄）": a credit run into the paragraph it follows
TRAILING_CREDIT = re.compile(
    rf"[（(【\[]\s*(?:(?:{EDITOR_KEYS})\s*[:：]|(?:本报|新华社)?(?:记者|記者|通讯员|通訊員))"
    r"[^（）()【】\[\]。]{1,40}[）)】\]]"
)
CREDIT_CLOSERS = ("）", ")", "】", "]")
CREDIT_AFTER = "。！？”）)"


def split_trailing_credits(lines: list[Line]) -> list[Line]:
    """A site's credit run into the last sentence of a paragraph becomes a line of its own, for
    the clutter rules to read whole. (The credit is looked for from the last opening bracket: a
    pattern tried at every character of every line would cost the cleaning a tenth of its time.)"""
    out: list[Line] = []
    for line in lines:
        text = line.text
        if text[-1:].isspace():
            text = text.rstrip()
        if text.endswith(CREDIT_CLOSERS):
            at = max(text.rfind("（"), text.rfind("("), text.rfind("【"), text.rfind("["))
            before = text[:at].rstrip(" \u3000")
            if (
                at > 0
                and before.endswith(tuple(CREDIT_AFTER))
                and TRAILING_CREDIT.fullmatch(text, at)
            ):
                out += [Line(line.no, before), Line(line.no, text[at:])]
                continue
        out.append(line)
    return out


def clean_lines(lines: list[Line], meta: dict) -> tuple[list[Line], list[Removal]]:
    """Stage 0 → 1 → 2 → 3 (see the module docstring for what holds after each)."""
    lines = split_trailing_credits(split_run_on_lines(lines))
    lines, header = read_header_fields(lines, meta)
    kept, removed = remove_clutter(lines, meta)
    kept, repeated = remove_duplicated_tail(kept)
    removed = sorted(header + removed + repeated, key=lambda r: r.line)
    normalised = [Line(line.no, normalise_line(line.text)) for line in kept]
    return rejoin_broken_paragraphs(normalised), removed
