"""The cleaning and structure rules, one family of mess at a time, each with the text it fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.core.model import (
    ADDRESSEE,
    ATTACHMENT_LIST,
    CAPTION,
    CC,
    CONTACT,
    HEADING,
    NOTE,
    PARAGRAPH,
    SIGNOFF,
    SUBTITLE,
)
from scripts.ingest.clean import (
    Line,
    clutter_rule,
    info_fields,
    is_cut,
    normalise_line,
    rejoin_broken_paragraphs,
)
from scripts.ingest.convert import convert_text
from scripts.pages.render import render

SOURCE = Path("test.txt")


def convert(text: str, sidecar: dict | None = None):
    return convert_text(text, SOURCE, sidecar)


def kinds(doc) -> list[tuple[str, str, int]]:
    return [(b.kind, b.text, b.level) for b in doc.blocks]


# --- clutter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, rule",
    [
        ("0 收藏 打印 增大字體 減小字體", "page-widgets"),
        ("【打印本页】【关闭窗口】", "page-widgets"),
        ("分享", "page-widgets"),
        ("掃二維碼,手機閱讀本文", "qr-code"),
        ("扫一扫在手机打开当前页", "qr-code"),
        ("編輯:莫曉遙", "site-editor"),
        ("【我要纠错】 责任编辑：王晓", "site-editor"),
        ("附件下载:", "attachment-download"),
        ("湘ICP备05001234号　湘公网安备43042602000123号", "site-footer"),
        ("首页 > 政务公开 > 政策文件", "breadcrumb"),
        ("中文字幕日韩亚洲制服丝袜_欧美专区日韩视频人妻_熟女自拍", "injected-spam"),
        ("上一篇：关于印发方案的通知", "prev-next"),
        ("— 3 —", "page-number"),
        ("- 12 -", "page-number"),
        ("第 3 页 共 10 页", "page-number"),
        ("分享到：微信 微博 QQ空间", "page-widgets"),
        ("【 大 中 小 】", "page-widgets"),
        # a top bar naming the government that runs the site, its date script's label and day
        ("沈阳市人民政府繁体English无障碍", "page-widgets"),
        ("今天是：无障碍浏览 | 设为首页 | 手机版", "page-widgets"),
        ("2023年03月15日 星期三 网站首页 | 网站地图 | 加入收藏", "page-widgets"),
        ("【打印正文】  【关闭窗口】", "page-widgets"),
        ("本页访问量：2367", "page-widgets"),
    ],
)
def test_clutter_lines_are_named_by_their_rule(line, rule):
    assert clutter_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "各乡镇、各有关单位要高度重视，确保各项任务落到实处。",
        "附件下载：1.项目表.xls",
        "分享经济健康发展。",
        "编辑出版《县域经济年鉴》，系统总结经验。",
        "打印机、复印机等办公设备按规定采购。",
        "沈阳市人民政府",  # a signature, not a top bar
        "2023年3月15日",  # a sign-off date, without the day of the week a site prints
    ],
)
def test_document_text_is_never_clutter(line):
    assert clutter_rule(line) is None


def test_removals_are_reported_with_line_and_rule_and_bylines_go_to_metadata():
    doc = convert(
        "2021年02月03日 來源:中郡縣域經濟網\n关于加强县域经济工作的通知\n■本报记者 邹雪峰\n"
        "各单位要抓好落实。\n分享\n首頁"
    )
    assert [(r.line, r.rule) for r in doc.removed] == [
        (1, "source-byline"),
        (3, "reporter-byline"),
        (5, "page-widgets"),
        (6, "page-widgets"),
    ]
    assert doc.meta["published"] == "2021-02-03" and doc.meta["source"]["site"] == "中郡縣域經濟網"
    assert doc.meta["bylines"] == ["本报记者 邹雪峰"]
    assert "分享" not in doc.body_text() and "邹雪峰" not in doc.body_text()


@pytest.mark.parametrize(
    "line",
    [
        "首页 > 政务公开 > 政策文件",
        "当前位置：首页 > 信息公开 > …",
        "您现在的位置: 首页 » 政策法规",
        "首页＞新闻中心＞图片新闻",
        "首页 → 政务公开 / 通知公告",
        "首頁 > 政府資訊公開",
        "当前位置：首页",
        "首页 >> 政务公开 >> 通知公告",
        "当前位置：首页 > 政务公开 > 正文",
        "您当前的位置：首页 &gt; 政策文件 &gt; 关于印发《衡南县八大行动总体方案》的通知",
    ],
)
def test_a_breadcrumb_trail_is_clutter_of_its_own(line):
    assert clutter_rule(line) == "breadcrumb"


@pytest.mark.parametrize(
    "line",
    [
        "首页改版后，用户体验更好。",
        "首页 > 政务公开栏目每日更新。",
        "增速>5%",
        "规上工业增加值增速 > 5%，居全市首位",
        "首页/网站改版工作已经完成，请大家提出意见。",
        "网站首页设计要简洁",
        "当前位置在县城东侧。",
        "所在位置：衡南县云集镇",
        "2018/2019/2020",
        "首页 > 1 > 2",
        "县城 > 乡镇 > 村",
    ],
)
def test_a_sentence_with_home_page_or_arrows_is_not_a_breadcrumb(line):
    assert clutter_rule(line) is None


def test_a_breadcrumb_is_reported_in_text_and_in_a_saved_page(tmp_path):
    doc = convert(
        "当前位置：首页 > 信息公开 > 政策文件\n关于加强县域经济工作的通知\n首页改版后，各单位要及时更新。"
    )
    assert [(r.line, r.rule) for r in doc.removed] == [(1, "breadcrumb")]
    assert "首页改版后" in doc.body_text() and "信息公开" not in doc.body_text()
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><div>您现在的位置: <a href='/'>首页</a> &raquo; <a href='/z'>政策法规</a></div>"
        "<p>关于加强县域经济工作的通知</p><p>各单位要抓好落实，首页 > 专题栏目同步转载。</p></body></html>",
        encoding="utf-8",
    )
    from scripts.ingest.convert import convert_file

    doc = convert_file(page)
    assert "政策法规" not in doc.body_text() and "首页 > 专题栏目" in doc.body_text().replace(
        "＞", ">"
    )
    assert [r.rule for r in doc.removed if "政策法规" in r.text] == ["breadcrumb"]
    page.write_text(
        "<html><body><div class='dqwz'><span>首页</span><span>政务公开</span></div>"
        "<p>关于加强县域经济工作的通知</p><p>各单位要抓好落实。</p></body></html>",
        encoding="utf-8",
    )
    doc = convert_file(page)
    assert [r.rule for r in convert_file(page).removed] == [
        "breadcrumb"
    ] and "政务公开" not in doc.body_text()


@pytest.mark.parametrize(
    "line, fields",
    [
        (
            "发布时间：2023-05-10 09:30 来源：祁东县人民政府办公室 浏览次数：1203",
            {"date": "2023-05-10 09:30", "site": "祁东县人民政府办公室", "other": "1203"},
        ),
        ("信息来源：县发改局 | 发布日期：2024-01-02", {"site": "县发改局", "date": "2024-01-02"}),
        ("作者：张三 来源：本站", {"author": "张三", "site": "本站"}),
        ("发布日期：2024-01-02", {"date": "2024-01-02"}),
        ("2024年1月2日", None),  # a sign-off date is the document's own
        ("时间：2024年3月5日上午9:00", None),  # so is a meeting notice's time
        ("来源：本报讯。记者获悉", None),
        # the counter under another name ends the source
        (
            "2022-12-02 08:30　来源：市政府办公室　　阅读量：3108",
            {"date": "2022-12-02 08:30", "site": "市政府办公室", "other": "3108"},
        ),
        (
            "日期：2022-08-05来源：梅河口市农业农村局阅读：652次",
            {"date": "2022-08-05", "site": "梅河口市农业农村局", "other": "652次"},
        ),
    ],
)
def test_a_page_info_line_is_read_into_fields(line, fields):
    assert info_fields(line) == fields


# --- normalise: punctuation width, stray spaces ----------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("各乡镇人民政府,街道办事处:", "各乡镇人民政府，街道办事处："),
        ("(一)加强组织领导", "（一）加强组织领导"),
        ("(一) 强化考核激励措施", "（一）强化考核激励措施"),
        ("《计划(2018-2020)》的通知", "《计划（2018-2020）》的通知"),
        (
            "(来源:网站 原标题:《计划(2018-2020)》)",
            "（来源：网站\u3000原标题：《计划（2018-2020）》）",
        ),
        ("的通 知", "的通知"),
        ("第291号提案 的答复", "第291号提案的答复"),
        ("2023 年 6 月 29 日", "2023年6月29日"),
        ("力争R&D经费投入增长", "力争R&D经费投入增长"),
        ("落实“7*12小时”网上巡控", "落实“7*12小时”网上巡控"),
        ("比例为3.5:1,增速1.5%", "比例为3.5:1，增速1.5%"),
        ("会议于10:30召开", "会议于10:30召开"),
        ("清政办函[2024]3号", "清政办函[2024]3号"),
        ("2018-2020年", "2018-2020年"),
        ("use English, please", "use English, please"),
        ("**二是抓平台建设促发展。**以园区为", "二是抓平台建设促发展。以园区为"),
        (
            "打造产业强市、开放高地 加快建设省域副中心城市",
            "打造产业强市、开放高地\u3000加快建设省域副中心城市",
        ),
        ("关键词 产业强市", "关键词\u3000产业强市"),
        ("第一条 为推动县域商业发展", "第一条\u3000为推动县域商业发展"),
        ("附件1 衡南县产业培塑行动实施方案", "附件1\u3000衡南县产业培塑行动实施方案"),
        (
            "1 \t县级物流配送中心\t\t3500",
            "1\t县级物流配送中心\t3500",
        ),  # table cells keep one tab apart
    ],
)
def test_normalise_line(raw, clean):
    assert normalise_line(raw) == clean
    assert normalise_line(clean) == clean  # idempotent


# --- rejoin: paragraphs cut by page breaks ---------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        (
            "一是强化组织领导。各县市相继成立县市党委、政府主要负责人挂帅的县域经济工作",
            "领导小组。",
        ),  # prose cut
        ("绘好产业红绿蓝“三原色”。耒阳市重", "点发展“211+X”产业。"),
        ("要制定出台《衡东县政府投", "资项目全生命周期管理实施办法》。"),  # an open 《
        (
            "加强市县联动、协调布局，引导现代产业、交通能源设",
            "施、公共服务设施向县域延伸布局。",
        ),  # a fragment
        ("降低直供电交易门槛。到", "2020 年縣域電力市場交易電量占比不低于 50%。"),
    ],
)
def test_a_cut_paragraph_is_joined(before, after):
    assert is_cut(before, after, before)


@pytest.mark.parametrize(
    "before, after",
    [
        (
            "打造产业强市、区域中心、开放高地　加快建设名副其实的省域副中心城市",
            "关键词　产业强市",
        ),  # headline, head
        (
            "目标：坚持以项目扩投资，着力打造现代产业强市",
            "措施一：聚焦聚力先进制造业",
        ),  # a label head follows
        (
            "措施一：聚焦聚力先进制造业",
            "紧紧咬住集群发展，持续推进振兴实体经济。",
        ),  # a label head stands alone
        (
            "深入推进商事制度改革，将企业工商注册登记时间压缩至1个工作日",
            "如何加快建设名副其实的省域副中心城市？",
        ),
        ("衡南县人民政府办公室", "各乡镇人民政府、街道办事处："),  # a name
        ("国办发〔2024〕9号", "各省、自治区、直辖市人民政府："),  # a 文号
        ("一、总体要求", "各乡镇、各有关单位要高度重视。"),  # a numbered head
        ("工作取得新进展。", "二、重点任务"),
        ("引导城区基础设施建设", "（一）加强组织领导"),
        ("各单位要抓好落实", "——新一代信息技术。依托电子信息产业基础。"),  # a dash-led item
    ],
)
def test_lines_that_stand_alone_are_not_joined(before, after):
    assert not is_cut(before, after, before)


def test_a_page_number_between_the_halves_of_a_paragraph_goes_and_the_halves_join():
    doc = convert(
        "关于加强县域经济工作的通知\n衡政发〔2024〕1号\n各乡镇人民政府：\n"
        "一是强化组织领导。各县市相继成立县域经济工作\n\n— 2 —\n\n领导小组。\n衡南县人民政府\n2024年1月2日"
    )
    assert "一是强化组织领导。各县市相继成立县域经济工作领导小组。" in [b.text for b in doc.blocks]
    assert [r.rule for r in doc.removed] == ["page-number"]


def test_a_hard_wrapped_source_is_joined_at_its_width():
    """A text wrapped at 24 characters: a line that fills the width continues on the next."""
    paragraph = (
        "到二零二五年全县地区生产总值年均增长百分之七左右规模工业增加值年均增长百分之九以上" * 3
        + "。"
    )
    wrapped = [paragraph[i : i + 24] for i in range(0, len(paragraph), 24)]
    lines = [
        Line(n, t) for n, t in enumerate(["一、总体目标", *wrapped, "二、重点任务", *wrapped], 1)
    ]
    assert [p.text for p in rejoin_broken_paragraphs(lines)] == [
        "一、总体目标",
        paragraph,
        "二、重点任务",
        paragraph,
    ]


def test_paragraphs_of_one_length_by_chance_are_no_hard_wrap():
    """Whole sentences that happen to share a length (a short text, items of one size) do not
    make a wrap: a line cut by the width stops mid-sentence. The title keeps to its line."""
    texts = [
        "琼海市人民政府办公室关于调整琼海市促进县域消费若干措施有关条款的补充通知",
        "琼府办〔2023〕41号",
        "各镇人民政府，市政府直属各单位：",
        "一、将第二条调整为对年度零售额首次突破三千万元的商贸企业给予一次性奖励八万元。" * 2,
        "二、将第五条调整为消费券发放活动每季度不少于一次，重点向农村地区倾斜。" * 2,
        "三、新增一条作为第八条，支持农村电商发展，对达到规模的企业按比例给予奖励。" * 2,
        "四、奖励资金申报程序按原文件规定执行，由市商务局会同市财政局审核后拨付。",
        "五、本补充通知自印发之日起施行，原文件其他条款不变，有效期与原文件一致。",
        "六、各镇人民政府要做好政策宣传解读工作，确保惠企政策应知尽知。",
        "琼海市人民政府办公室",
        "2023年7月18日",
    ]
    assert len({len(texts[0]), len(texts[6]), len(texts[7])}) == 1  # the coincidence
    lines = [Line(n, t) for n, t in enumerate(texts, 1)]
    assert [p.text for p in rejoin_broken_paragraphs(lines)] == texts
    doc = convert("\n".join(texts))
    assert doc.meta["title"] == texts[0] and doc.meta["doc_number"] == "琼府办〔2023〕41号"


def test_a_cms_account_is_no_byline():
    doc = convert(
        "时间：2023-03-15 10:46 来源：县政府办 作者：管理员\n县域经济工作会议召开\n会议部署了全年工作。"
    )
    assert doc.meta["source"]["site"] == "县政府办" and "bylines" not in doc.meta


# --- structure ------------------------------------------------------------------------------


def test_numbering_levels_are_the_ones_the_document_uses_with_either_bracket_width():
    doc = convert(
        "关于加强县域经济工作的意见\n一、总体要求\n1.指导思想\n坚持稳中求进。\n(1)基本原则\n统筹协调。\n"
        "（2）主要目标\n到2025年实现倍增。\n二、重点任务\n（一）壮大产业\n做强主导产业。"
    )
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == HEADING and b.level]
    assert headings == [
        ("一、总体要求", 1),
        ("1.指导思想", 2),
        ("（1）基本原则", 3),
        ("（2）主要目标", 3),
        ("二、重点任务", 1),
        ("（一）壮大产业", 2),
    ]
    assert [b.anchor for b in doc.blocks if b.kind == HEADING and b.level] == [
        "s1",
        "s1-1",
        "s1-1-1",
        "s1-1-2",
        "s2",
        "s2-1",
    ]


def test_run_in_heads_stay_in_their_paragraph_and_are_bold():
    doc = convert(
        "关于加强县域经济工作的意见\n一、总体要求\n一是强化组织领导。成立领导小组。二是强化顶层设计。制订议事规则。\n"
        "(一)强化组织领导。建立总专班，由县委书记任组长。\n**三是抓平台建设。**以园区为主阵地。"
    )
    paragraphs = [b for b in doc.blocks if b.kind == PARAGRAPH]
    assert paragraphs[0].text == "一是强化组织领导。成立领导小组。二是强化顶层设计。制订议事规则。"
    assert (
        paragraphs[1].number == "（一）"
    )  # a numbered paragraph with a run-in head, not a heading
    page = render(doc)
    assert "**一是强化组织领导。**成立领导小组。**二是强化顶层设计。**制订议事规则。" in page
    assert "**（一）强化组织领导。**建立总专班" in page
    assert "**三是抓平台建设。**以园区为主阵地。" in page and "\\*" not in page


def test_a_numbered_item_with_nothing_under_it_is_not_a_heading():
    doc = convert(
        "关于印发方案的通知\n一、重点任务\n(1)引导连锁企业下沉。\n(2)支持乡镇商贸中心改造。\n二、保障措施\n抓好落实。"
    )
    assert [b.kind for b in doc.blocks if b.number.startswith("（")] == [PARAGRAPH, PARAGRAPH]


LETTER = """清政办函[2024]3号
衡南县人民政府办公室
关于印发《衡南县产业培塑行动实施方案》的通 知
各乡镇人民政府,县直各相关单位:
《衡南县产业培塑行动实施方案》已经县人民政府同意,现印发给你们,请认真贯彻执行。
附件:1.衡南县产业培塑行动实施方案
2.衡南县重点项目表
衡南县人民政府办公室
2024年4月17日
（此件主动公开）
抄送：县委办，县人大办。
联系人：张三
联系电话：0734-1234567
附件1
衡南县产业培塑行动实施方案
一、工作目标
培育现代化产业体系。
附件2
衡南县重点项目表
序号　项目名称
"""


def test_letter_parts_and_attachments():
    doc = convert(LETTER)
    by_kind = {}
    for block in doc.blocks:
        by_kind.setdefault(block.kind, []).append(block.text)
    assert by_kind[ADDRESSEE] == ["各乡镇人民政府，县直各相关单位："]
    assert by_kind[SIGNOFF] == ["衡南县人民政府办公室", "2024年4月17日"]
    assert by_kind[NOTE] == ["清政办函[2024]3号", "衡南县人民政府办公室", "（此件主动公开）"]
    assert by_kind[CC] == ["抄送：县委办，县人大办。"]
    assert by_kind[CONTACT] == ["联系人：张三", "联系电话：0734-1234567"]
    assert by_kind[ATTACHMENT_LIST] == ["附件：1.衡南县产业培塑行动实施方案", "2.衡南县重点项目表"]
    attachments = [b for b in doc.blocks if b.kind == HEADING and b.number.startswith("附件")]
    assert [(b.text, b.anchor) for b in attachments] == [
        ("附件1\u3000衡南县产业培塑行动实施方案", "fujian1"),
        ("附件2\u3000衡南县重点项目表", "fujian2"),
    ]
    page = render(doc)
    assert (
        "附件：1.[衡南县产业培塑行动实施方案](#fujian1)" in page
        and "2.[衡南县重点项目表](#fujian2)" in page
    )
    assert (
        doc.meta["title"] == "衡南县产业培塑行动实施方案"
    )  # a 印发 notice is filed under what it issues
    assert (
        doc.meta["full_title"] == "衡南县人民政府办公室关于印发《衡南县产业培塑行动实施方案》的通知"
    )
    assert doc.meta["doc_number"] == "清政办函〔2024〕3号" and doc.meta["date"] == "2024-04-17"


def test_the_regulations_after_a_published_note_are_their_own_section():
    doc = convert(
        "国务院关于印发《县域商业管理条例》的通知\n国发〔2024〕5号\n各省、自治区、直辖市人民政府：\n"
        "现将《县域商业管理条例》印发给你们，请认真贯彻执行。\n国务院\n2024年3月1日\n（此件公开发布）\n"
        "县域商业管理条例\n第一章　总则\n第一条　为规范县域商业，制定本条例。\n第二条　本条例自公布之日起施行。"
    )
    section = next(b for b in doc.blocks if b.number == "正文")
    assert section.text == "县域商业管理条例" and section.anchor == "zhengwen"
    articles = [b for b in doc.blocks if b.anchor.startswith("art")]
    assert [(b.kind, b.anchor) for b in articles] == [(PARAGRAPH, "art1"), (PARAGRAPH, "art2")]
    assert "**第一条**　为规范县域商业" in render(doc)
    assert doc.meta["level"] == "national" and doc.meta["issuer"] == "国务院"


@pytest.mark.parametrize(
    "title",
    [
        "五常市人民政府办公室关于印发五常市乡镇考核办法的通知",  # no title marks
        "五常市乡镇考核办法",  # the issued title only (a page converted again)
    ],
)
def test_the_text_a_notice_issues_after_its_signoff_is_its_own_section(title):
    """No published note between the sign-off and the 办法: the notice's title names it (with or
    without 《》), or its text does ("《X》……现印发给你们")."""
    doc = convert(
        f"{title}\n五政办发〔2023〕7号\n各乡镇人民政府：\n"
        "《五常市乡镇考核办法》已经市政府同意，现印发给你们，请认真贯彻执行。\n"
        "五常市人民政府办公室\n2023年2月27日\n五常市乡镇考核办法\n第一条　为推动发展，制定本办法。"
    )
    section = next(b for b in doc.blocks if b.number == "正文")
    assert section.text == "五常市乡镇考核办法" and section.anchor == "zhengwen"


def test_the_text_a_decree_promulgates_after_its_signature_is_its_own_section():
    doc = convert(
        "沈阳市农村集体资产管理办法\n沈阳市人民政府令\n第88号\n《沈阳市农村集体资产管理办法》已经2022年11月10日市政府常务会议"
        "讨论通过，现予公布，自2023年1月1日起施行。\n市长　姜有为\n2022年11月25日\n"
        "沈阳市农村集体资产管理办法\n第一条　为了加强农村集体资产管理，制定本办法。"
    )
    section = next(b for b in doc.blocks if b.number == "正文")
    assert section.text == "沈阳市农村集体资产管理办法"


def test_half_a_broken_issued_title_is_no_section():
    doc = convert(
        "国务院办公厅关于印发文化单位转制为企业和支持文化企业发展两个规定的通知\n国办发〔2018〕124号\n"
        "各省、自治区、直辖市人民政府：\n两个规定已经国务院同意，请认真贯彻执行。\n国务院办公厅\n2018年12月18日\n"
        "文化单位\n转制为企业的规定\n一、关于公司制改革"
    )
    assert not any(b.number == "正文" for b in doc.blocks)


def test_an_attachment_title_may_open_with_its_year_and_a_contact_line_its_brackets():
    doc = convert(
        "关于做好元旦春节期间保供工作的通知\n昌市政办发〔2023〕96号\n各乡镇人民政府：\n"
        "一、加强市场监测预警。\n附件：1．保供企业名单\n昌吉市人民政府办公室\n二〇二三年十二月二十九日\n"
        "（联系人：孙晓东；联系电话：0994-2345678）\n附件1\n2024年元旦春节期间重要民生商品保供企业名单\n1．某某公司"
    )
    heads = [b.text for b in doc.blocks if b.kind == HEADING and b.number == "附件1"]
    assert heads == ["附件1\u30002024年元旦春节期间重要民生商品保供企业名单"]
    assert [b.kind for b in doc.blocks if "联系人" in b.text] == [CONTACT]


def test_a_news_page_headline_kicker_byline_heads_and_captions():
    doc = convert(
        "衡阳目标篇①\n政府工作报告 解读\n打造产业强市、区域中心 加快建设省域副中心城市\n■本报记者 邹雪峰\n"
        "关键词 产业强市\n目标:坚持以项目扩投资,着力打造现代产业强市\n措施一: 聚焦先进制造业\n"
        "紧紧咬住集群发展,持续推进振兴实体经济工程。\n图为衡南县工业园区。\n关键词 区域中心\n"
        "目标:放大主枢纽效应,打造区域中心\n措施一:提升城市带动作用\n建立统一的全市发展规划体系。"
    )
    assert doc.meta["title"] == "打造产业强市、区域中心\u3000加快建设省域副中心城市"
    assert doc.meta["doc_type"] == "解读" and doc.meta["bylines"] == ["本报记者 邹雪峰"]
    assert [b.text for b in doc.blocks if b.kind == SUBTITLE] == [
        "衡阳目标篇①",
        "政府工作报告\u3000解读",
    ]
    heads = [(b.text, b.level) for b in doc.blocks if b.kind == HEADING and b.level]
    assert heads == [
        ("关键词\u3000产业强市", 1),
        ("措施一：聚焦先进制造业", 2),
        ("关键词\u3000区域中心", 1),
        ("措施一：提升城市带动作用", 2),
    ]
    assert [b.text for b in doc.blocks if b.kind == CAPTION] == ["图为衡南县工业园区。"]


def test_a_caption_above_a_paragraph_is_no_news_head():
    doc = convert(
        "肥西县召开县域经济大会\n2月20日上午，肥西县召开县域经济高质量发展大会，部署全年重点任务。\n"
        "图为会议现场\n会议指出，全县地区生产总值突破1200亿元，同比增长6.8%。"
    )
    assert [(b.kind, b.text) for b in doc.blocks if "图为" in b.text] == [(CAPTION, "图为会议现场")]


def test_traditional_characters_are_kept():
    doc = convert(
        "湖北省經信廳關于印發《縣域經濟三年工作計劃》的通知\n鄂經信縣域〔2019〕40號\n各市州縣經信委（局）：\n"
        "現將計劃印發給你們，請結合實際認真貫徹落實。\n湖北省經濟和信息化廳\n2019年3月23日"
    )
    assert "現將計劃印發給你們" in doc.body_text()
    assert doc.meta["script"] == "zh-Hant" and doc.meta["doc_number"] == "鄂經信縣域〔2019〕40號"
    assert doc.meta["title"] == "縣域經濟三年工作計劃" and doc.meta["doc_type"] == "计划"


# --- metadata ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, doc_type",
    [
        ("国务院关于推进县域商业高质量发展的意见", "意见"),
        ("衡南县人民政府关于调整工作机构的决定", "决定"),
        ("关于同意设立衡南县工业园区的批复", "批复"),
        ("衡阳市人民政府关于禁止燃放烟花爆竹的通告", "通告"),
        ("关于商请支持县域经济发展的函", "函"),
        ("衡南县实施“八大行动”总体方案", "方案"),
    ],
)
def test_doc_type_comes_from_the_titles_genre_word(title, doc_type):
    doc = convert(
        f"{title}\n衡政发〔2024〕1号\n各乡镇人民政府：\n现予以公布。\n衡南县人民政府\n2024年1月2日"
    )
    assert doc.meta["doc_type"] == doc_type


def test_a_sidecar_override_wins_with_a_warning_when_it_disagrees():
    doc = convert(
        "关于加强县域经济工作的通知\n衡政发〔2024〕1号\n各乡镇人民政府：\n请抓好落实。\n衡南县人民政府\n2024年1月2日",
        {"overrides": {"date": "2024-01-03", "issuer": "衡南县人民政府"}},
    )
    assert doc.meta["date"] == "2024-01-03" and doc.meta["issuer"] == "衡南县人民政府"
    assert len(doc.warnings) == 1 and "date" in doc.warnings[0] and "2024-01-02" in doc.warnings[0]


def test_a_title_printed_twice_is_the_title_once_and_kept_twice():
    full = "衡东县人民政府关于印发《衡东县优化营商环境若干措施》的通知"
    doc = convert(
        f"{full}\n{full}\n东政发〔2024〕4号\n各乡镇人民政府：\n现将若干措施印发给你们，请认真贯彻执行。\n"
        "衡东县人民政府\n2024年5月6日\n衡东县优化营商环境若干措施\n一、提升政务服务效能\n全面推行一件事一次办。"
    )
    assert doc.meta["title"] == "衡东县优化营商环境若干措施" and doc.meta["doc_type"] == "措施"
    assert doc.meta["full_title"] == full
    assert [b.text for b in doc.blocks].count(full) == 2
    assert any(b.anchor == "zhengwen" for b in doc.blocks)


@pytest.mark.parametrize("line", ["附件 ,", "第一条 ;为推动", "附件2 (一)"])
def test_the_space_kept_after_an_article_number_leaves_the_line_at_a_fixed_point(line):
    once = normalise_line(line)
    assert normalise_line(once) == once and "\u3000" in once


def test_an_issued_text_opens_with_the_longest_title_its_notice_named():
    """广安's 印发 notice names 《…若干政策（试行）》, and its attachment's name 《…若干政策》: the issued
    text's title is the longer one, whichever order a set of the two gives (it changed from one
    process to the next, and a rebuild differed from the committed docs/)."""
    from scripts.ingest.clean import _split_issued_title

    text = (
        "《广安市支持知识产权高质量发展若干政策（试行）》已经审议通过，现印发给你们。\n"
        "2022年11月16日\n"
        "广安市支持知识产权高质量发展若干政策（试行）为切实提升知识产权创造能力，制定本政策。\n"
        "相关附件：关于印发《广安市支持知识产权高质量发展若干政策》的通知.pdf"
    )
    assert _split_issued_title(text).split("\n")[2:4] == [
        "广安市支持知识产权高质量发展若干政策（试行）",
        "为切实提升知识产权创造能力，制定本政策。",
    ]


def test_the_rules_read_simplified_lines_so_hold_no_traditional_spelling():
    """clutter_rule and html_source._label fold a line to simplified characters before a rule reads
    it: a traditional spelling in a rule (頁, 連結) or a label (發文字號) could never match."""
    from scripts.core.script import simplified
    from scripts.ingest import clean, html_source

    patterns = [(name, p.pattern) for name, p in clean.CLUTTER_RULES]
    patterns += [(name, p.pattern + "".join(words)) for name, words, p in clean.GUARDED_RULES]
    dead = {
        name: chars
        for name, text in patterns
        if (chars := "".join(c for c in dict.fromkeys(text) if simplified(c) != c))
    }
    assert not dead, f"rules with traditional characters that never match: {dead}"
    labels = [*html_source.TABLE_LABELS, *html_source.UNKEPT_LABELS]
    assert [label for label in labels if html_source._label(label) != label] == []


def test_a_traditional_pages_clutter_is_read_in_simplified_characters():
    # each rule once, written as a traditional page prints it
    for line, rule in [
        ("上一頁：關於印發的通知", "prev-next"),
        ("原文連結：https://www.example.gov.cn/a.html", "source-link"),
        ("湘ICP證05001234號", "site-footer"),
        ("瀏覽次數：123", "page-widgets"),
        ("（記者 張三 攝）", "photo-caption"),
    ]:
        assert clutter_rule(line) == rule, line
