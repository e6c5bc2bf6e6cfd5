"""What a text without a title line says about itself: its title, its genre, its level.

A crawler that kept only the body of a page leaves a text that opens with its addressees
("各市、县（区）人民政府，省政府各部门："), with a line cut to one character ("各") or with
"第232号". Such a text still names what it is, in sentences every official document uses:

- a 印发 notice:   "《X》已经省政府同意，现印发给你们"             → 关于印发《X》的通知
- a 令:            "《X》已经……常务会议审议通过，现予公布"          → X
- an opinion:      "现就X提出如下实施意见"                          → 关于X的实施意见
                   "为（贯彻落实《…》，）X，……现提出以下实施意见"   → 关于X的实施意见
- a 批复:          "你市《关于Y的请示》……收悉 … 现批复如下"         → 关于Y的批复
- measures:        "为X，……特制定以下十项举措"                     → 关于X的十项举措
- a 函:            "现向各单位征集X。具体事项函告如下"               → 关于征集X的函
- an 通告 / a 通知 closing "特此通告" with nothing more to go on   → ISSUER通告

The title found so is marked `title_inferred: true` in the front matter and on the page.
"""

from __future__ import annotations

import re

from ..core.chars import HAN

ISSUING = re.compile(
    r"《(?P<title>[^《》]{4,120})》[^。]{0,60}?。?(?:现(?:予)?印发给你们|现印发给你们|印发给你们|现予印发|现印发你们|印发你们)"
)
ISSUING_BEFORE = re.compile(r"现将《(?P<title>[^《》]{4,120})》印发给你们")
PROMULGATED = re.compile(
    r"《(?P<title>[^《》]{4,120})》已经[^。]{0,80}?(?:通过|同意)[^。]{0,10}现予(?:公布|发布)"
)
ABOUT_PROPOSAL = re.compile(
    rf"现就(?P<topic>[{HAN}“”《》〈〉、\w（）()]{{2,60}}?)(?:工作|有关事项|有关问题)?提出(?:如下|以下)?(?P<genre>实施意见|指导意见|意见|措施|举措|办法)"
)
# The genres a text names itself by when it says why it was made ("制定本规范", "制定以下政策措施")
SELF_GENRES = (
    "实施意见|指导意见|意见|若干措施|政策措施|措施|举措|管理办法|暂行办法|办法|实施方案|行动方案|工作方案|"
    "方案|行动计划|工作计划|计划|规划|实施细则|细则|暂行规定|规定|规范|规则|指引|指南|战略|框架|纲要|"
    "要点|若干政策|政策|条例"
)
# "为X，特制定本规范", "第一条　为X，……，制定本办法", "为X，结合我市实际，制定以下政策措施", "为X，
# 提出以下意见": the purpose, then what the text is (a 第一条 or an indent may stand before 为)
PURPOSE = re.compile(
    r"(?:^|[\n。，；：:]|第[一二三四五六七八九十\d]{1,3}条)[^\S\n]*为了?(?P<purpose>[^。；]{2,300}?)[，,]\s*"
    r"(?:(?:现|特)(?:提出|制定|制订|出台)(?:如下|以下|本)?|(?:提出|制定|制订)(?:本|以下|如下|若干))"
    rf"(?P<count>[一二三四五六七八九十\d]+[项条])?(?P<genre>{SELF_GENRES})"
)
# "为X，制定《国家新一代人工智能标准体系建设指南》。", "为X，现制定山东（济南）……补贴资金实施细则。":
# the purpose sentence names the text itself, in title marks or not
PURPOSE_NAMED = re.compile(
    r"(?:^|[\n。，；：:])[^\S\n]*为了?[^。；]{2,300}?[，,]\s*(?:现|特)?(?:制定|制订)(?:了)?"
    rf"《?(?P<title>(?!本|以下|如下|若干)[^《》。，；]{{4,80}}?(?P<genre>{SELF_GENRES})"
    r"(?:[（(][^（）()]{1,20}[）)])?)》?[。.]?[^\S\n]*(?:$|\n)"
)
# A 通知 that says what it is about where it turns to its points: "现就做好X工作通知如下", "现将X
# 有关要求进一步明确如下", "决定X。现将有关事项通知如下", "为X，现将有关事项通知如下"
NOTICE_CUE = re.compile(r"(?:通知|明确)如下")
NOTICE_ABOUT = re.compile(
    r"现(?:就|将)(?P<topic>[^。；\n]{2,80}?)(?:的)?(?:有关|相关)?(?:要求|事项|事宜|问题)?(?:进一步)?"
    r"(?:通知|明确)如下"
)
GENERIC_TOPIC = re.compile(
    r"(?:有关|相关|以下|如下)?(?:事项|事宜|问题|工作)?"
)  # 现就有关事项通知如下
# "经研究，决定X", "我部决定X": a decision the text announces (not a 《……的决定》 it cites)
DECIDED = re.compile(
    r"(?:^|[，,。；]|研究|[部局委厅办署院府])\s*决定(?P<topic>[^。；，,《》\n]{4,80})"
)
PURPOSE_OPENING = re.compile(r"^[^\S\n]*为了?(?P<purpose>[^。；\n]{2,300})[，,]")
# the clause that turns to the points, not what the text is for: "现将有关事项", "现就"
TURNING_CLAUSE = re.compile(r"[，,]\s*(?:现|特|并|经研究)[^，,]*$")
REQUEST_REPLY = re.compile(
    r"你[^《。]{0,6}《关于(?:恳请|请求|申请|要求)?(?:批复|批准|审批)?(?P<topic>[^《》]{2,80}?)的请示》"
)
REPLY_CUE = re.compile(r"现(?:批复|答复)如下|特此批复")
SOLICIT = re.compile(r"现(?:向[^。，]{1,20})?征集(?P<topic>[^。，；]{2,60})[。，；]")
LETTER_CUE = re.compile(r"函告如下|特此函告|函复如下|特此函复")
CLOSING_GENRE = re.compile(
    r"特此(?P<genre>通告|公告|通知|通报|函告|批复)|现将[^。]{0,30}(?P<as>通告|公告|通报)如下"
)
# a clause that states a basis, not the purpose: 贯彻落实《…》, 根据……, 按照……, 认真落实……部署
BASIS_CLAUSE = re.compile(
    r"^(?:深入|全面|认真|进一步|深入学习)*(?:贯彻|落实)|^(?:根据|按照|依据|依照|遵照|经|结合)|《"
)
# … which may go on to say what for after the documents it names: "落实《……》《……》进一步做好X工作"
BASIS_TAIL = re.compile(
    r"》(?:[（(][^（）()]*[）)])?(?:等)?(?:文件)?(?:的)?(?:精神|要求|规定|部署|有关规定|相关要求|有关要求)?"
    rf"(?P<tail>[{HAN}][^《》]{{5,}})$"
)
# … whose 关于X的决策部署 still says what the text is about, when no clause of its own does
BASIS_ABOUT = re.compile(
    r"关于(?P<topic>[^，。、；]{2,40}?)的(?:重大|重要)?(?:决策部署|战略部署|部署要求|部署|重要指示|指示|要求)"
)
ANAPHORA = re.compile(r"该(?P<noun>标准|规划|方案|办法|规定|文件|项目|条例)")
MAX_PURPOSE_CHARS = 40


def infer_title(text: str, issuer: str | None) -> tuple[str, str] | None:
    """(title, genre) of a text with no title line, from what its own sentences say it is."""
    head = text[:3000]
    if (m := ISSUING.search(head) or ISSUING_BEFORE.search(head)) is not None:
        return f"关于印发《{m['title']}》的通知", "通知"
    if (m := PROMULGATED.search(head)) is not None:
        return m["title"].replace("<", "〈").replace(">", "〉"), ""
    prefix = issuer or ""
    if (m := ABOUT_PROPOSAL.search(head)) is not None:
        return f"{prefix}关于{m['topic']}的{m['genre']}", m["genre"]
    if (m := REQUEST_REPLY.search(head)) is not None and REPLY_CUE.search(head):
        return f"{prefix}关于{m['topic']}的批复", "批复"
    # what the text says it is where it first says so: "为X，制定本办法" or "……通知如下"
    made, notice = PURPOSE.search(head), NOTICE_CUE.search(head)
    named = PURPOSE_NAMED.search(head)
    if named is not None and all(m is None or named.start() <= m.start() for m in (made, notice)):
        return re.sub(r"\s*\n\s*", "", named["title"]), named["genre"]  # (a hard wrap in it)
    if made is not None and (notice is None or made.start() < notice.start()):
        purpose = _purpose(made["purpose"], text[made.end() : made.end() + TOPIC_TEXT])
        if purpose:
            return f"{prefix}关于{purpose}的{made['count'] or ''}{made['genre']}", made["genre"]
    if notice is not None and (topic := _notice_topic(head, notice, text)):
        return f"{prefix}关于{topic}的通知", "通知"
    if LETTER_CUE.search(head) and (m := SOLICIT.search(head)) is not None:
        return f"{prefix}关于征集{_resolve_anaphora(m['topic'], head[: m.start()])}的函", "函"
    closing = CLOSING_GENRE.search(text)
    if closing is not None and prefix:
        genre = (closing["genre"] or closing["as"]).replace("函告", "函")
        return f"{prefix}{genre}", genre
    return None


def _purpose(purpose: str, body: str) -> str:
    """The clauses after 为 that say what the text is about: of those that state no basis, the
    first, with the second when the text uses its words as much and both are short ("加快推进我省
    流通发展，促进商业消费"); but a clause whose words the text goes on to use far more is its
    subject ("规范智能网联汽车道路测试管理" in a text about road tests, not "加快制造强国、科技强国……
    建设"). A basis's 关于X的决策部署 when no clause of its own says what for."""
    parts = [_after_basis(_bare_clause(c)) for c in re.split(r"[，,]", purpose)]
    clauses = [c for c in parts if c and not BASIS_CLAUSE.search(c)]
    if not clauses:
        about = next((m for c in parts if (m := BASIS_ABOUT.search(c))), None)
        return about["topic"] if about else ""
    scores = [_topic_score(c, body) for c in clauses]
    best = max(range(len(clauses)), key=lambda k: (scores[k], -k))
    if scores[best] >= TOPIC_SCORE and scores[best] >= 2 * scores[0]:
        return clauses[best][: MAX_PURPOSE_CHARS * 2]
    two = "".join(clauses[:2])
    if len(clauses) > 1 and len(two) <= MAX_PURPOSE_CHARS and scores[1] * 2 >= scores[0]:
        return two
    return clauses[0][: MAX_PURPOSE_CHARS * 2]


# what a clause says besides its subject: the conjunction that joins it to the one before ("并正式
# 启动……"), the short name it introduces ("（以下简称“先导区”）")
CLAUSE_CONJUNCTION = re.compile(r"^(?:并且?|同时|从而|进而)")
SHORT_NAME_NOTE = re.compile(r"[（(]以下简称[^（）()]{1,30}[）)]")


def _bare_clause(clause: str) -> str:
    """A clause without a hard wrap in it, its joining conjunction or a short name's note."""
    clause = re.sub(r"\s*\n\s*", "", clause).strip()  # (a PDF's hard wrap: "加快赋能轻\n工业发展")
    return CLAUSE_CONJUNCTION.sub("", SHORT_NAME_NOTE.sub("", clause))


def _after_basis(clause: str) -> str:
    """ "落实《A》《B》进一步做好X管理工作" → "进一步做好X管理工作": what a basis clause goes on to say
    it is for, after the documents it names."""
    if BASIS_CLAUSE.search(clause) and (m := BASIS_TAIL.search(clause)) is not None:
        return m["tail"]
    return clause


# the text after the purpose sentence that is read for its words (a long text says its subject
# in its first pages)
TOPIC_TEXT = 20_000
MAX_COUNTED = 10
TOPIC_SCORE = 3.0  # a clause whose every run of three the text uses three times on average


def _topic_score(clause: str, body: str) -> float:
    """How much the text is about the clause's words: over the clause's runs of three characters,
    how often the text uses each (at most 10 times counted)."""
    runs = {clause[k : k + 3] for k in range(len(clause) - 2)}
    runs = {r for r in runs if HAN_RUN.fullmatch(r)}
    if not runs:
        return 0.0
    return sum(min(body.count(r), MAX_COUNTED) for r in runs) / len(runs)


HAN_RUN = re.compile(f"[{HAN}]+")


def _notice_topic(head: str, cue: re.Match, text: str) -> str:
    """What a 通知 without a title line is about, from the sentence where it turns to its points:
    "现就X通知如下" names it; else the sentences up to it say "决定X" or "为X，……"."""
    about = NOTICE_ABOUT.search(head, max(0, cue.start() - 100), cue.end())
    if about is not None and not GENERIC_TOPIC.fullmatch(about["topic"]):
        return about["topic"]
    # the sentence of the cue and the one before it
    starts = [m.end() for m in re.finditer(r"[。；：:\n]", head[: cue.start()])]
    sentence_start = starts[-1] if starts else 0
    previous_start = starts[-2] if len(starts) >= 2 else 0
    for start in (sentence_start, previous_start):
        sentence = head[start : cue.start()]
        if (decided := DECIDED.search(sentence)) is not None:
            return decided["topic"]
        if (opening := PURPOSE_OPENING.match(sentence + "，")) is not None:
            body = text[cue.end() : cue.end() + TOPIC_TEXT]
            if purpose := _purpose(TURNING_CLAUSE.sub("", opening["purpose"]), body):
                return purpose
    return ""


def _resolve_anaphora(topic: str, before: str) -> str:
    """ "该标准立项意见" after "启动《农贸市场经营管理规范》地方标准的编制" → "《农贸市场经营管理规范》立项意见"."""
    named = re.findall(r"《[^《》]{2,60}》", before)
    if not named or ANAPHORA.search(topic) is None:
        return topic
    return ANAPHORA.sub(named[-1], topic, count=1)


# Who a letter is addressed to says whose it is: a province writes to 各市、县（区）人民政府 and to
# 省政府各部门, a city to 各县（市、区）人民政府 and 市直各单位, a county to 各乡镇人民政府.
ADDRESSEE_LEVELS = (
    (
        "province",
        re.compile(
            r"省政府各部门|省直各|省级各|各设区市|自治区政府各|各市、县（区）|各市、县\(区\)|各市人民政府|各盟市|各地级市|各市州"
        ),
    ),
    (
        "city",
        re.compile(
            r"市政府各部门|市直各|市直有关|各县（市、区）|各县\(市、区\)|各县（区）|各县区|各区县|各旗县|州直各|各县（市）"
        ),
    ),
    (
        "county",
        re.compile(
            r"各乡镇|各乡（镇）|各乡\(镇\)|各镇人民政府|各街道|县直各|区直各单位|县政府各|各苏木"
        ),
    ),
)


def addressee_level(addressee: str) -> str | None:
    for level, pattern in ADDRESSEE_LEVELS:
        if pattern.search(addressee):
            return level
    return None
