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
PURPOSE = re.compile(
    r"(?:^|[\n。，；])为(?P<purpose>[^。；]{2,240}?)[，,](?:现|特)(?:提出|制定|制订|出台)(?:如下|以下|本)?"
    r"(?P<count>[一二三四五六七八九十\d]+[项条])?"
    r"(?P<genre>实施意见|指导意见|意见|若干措施|措施|举措|办法|方案|实施方案|规定|细则)"
)
REQUEST_REPLY = re.compile(
    r"你[^《。]{0,6}《关于(?:恳请|请求|申请|要求)?(?:批复|批准|审批)?(?P<topic>[^《》]{2,80}?)的请示》"
)
REPLY_CUE = re.compile(r"现(?:批复|答复)如下|特此批复")
SOLICIT = re.compile(r"现(?:向[^。，]{1,20})?征集(?P<topic>[^。，；]{2,60})[。，；]")
LETTER_CUE = re.compile(r"函告如下|特此函告|函复如下|特此函复")
CLOSING_GENRE = re.compile(
    r"特此(?P<genre>通告|公告|通知|通报|函告|批复)|现将[^。]{0,30}(?P<as>通告|公告|通报)如下"
)
# a clause that states a basis, not the purpose: 贯彻落实《…》, 根据……, 按照……
BASIS_CLAUSE = re.compile(r"^(?:深入)?(?:贯彻|落实|根据|按照|依据|依照|进一步贯彻|经|结合)|《")
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
    if (m := PURPOSE.search(head)) is not None:
        purpose = _purpose(m["purpose"])
        if purpose:
            return f"{prefix}关于{purpose}的{m['count'] or ''}{m['genre']}", m["genre"]
    if LETTER_CUE.search(head) and (m := SOLICIT.search(head)) is not None:
        return f"{prefix}关于征集{_resolve_anaphora(m['topic'], head[: m.start()])}的函", "函"
    closing = CLOSING_GENRE.search(text)
    if closing is not None and prefix:
        genre = (closing["genre"] or closing["as"]).replace("函告", "函")
        return f"{prefix}{genre}", genre
    return None


def _purpose(purpose: str) -> str:
    """The clauses after 为 that say what for: basis clauses dropped, at most two kept."""
    clauses = [c for c in re.split(r"[，,]", purpose) if c and not BASIS_CLAUSE.search(c)]
    if not clauses:
        return ""
    two = "".join(clauses[:2])
    return two if len(two) <= MAX_PURPOSE_CHARS else clauses[0][: MAX_PURPOSE_CHARS * 2]


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
