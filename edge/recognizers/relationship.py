"""Marital and partner status: divorce, separation, an ex, an affair, a wedding, a loss.

The taxonomy's Relationship Info (PL2) is the user's relationship to someone when it says
something about their private life. Most relationship words do not ("my mom", "我同事"), and
annotators leave them alone; the end or breach of a marriage or partnership always does
("my ex-wife", "我们分居两年了", "他出轨了"), as does a widowhood ("老伴前年走了"), a partner
named as such in English ("my late husband"), a boyfriend or girlfriend in Chinese ("我男朋
友"), a marriage dated or counted ("我们2021年结的婚", "结婚二十二年了"), a death in the family
("我丈夫三月份去世了"), a break-up or a couple living apart ("异地恋快一年了") and a single
parent ("单亲妈妈"). Those words are few and unambiguous, so a rule finds them; the span takes
the "my"/"我" that ties the relation to the user, and when it happened ("去年11月离的婚").

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import EN_COUNT, EN_MONTH, ZH_COUNT, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_TYPE = "Relationship Info"

# When and how far along, kept with the fact as annotators do: "在办离婚", "去年11月离的婚", "分居两地三年".
_ZH_WHEN = r"(?:在办|正在办|在闹|闹|真想|想|要|打算|准备|已经|刚|去年|前年|今年|\d{4}年(?:\d{1,2}月)?|\d{1,2}月)*"
_ZH_HOW_LONG = r"(?:了)?(?:两地)?(?:" + ZH_COUNT + r"多?年(?:了)?)?"
_ZH_SPAN = r"(?:" + ZH_COUNT + r"(?:多)?(?:年|个月)|大?半年)"
# A marriage and when: "2021年结的婚", "明年3月结婚", "打算明年领证", "结婚二十二年了". Said of
# the user (我们, 我俩, 我跟…), not of a colleague's wedding.
_ZH_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?"
_ZH_TIME = r"(?:\d{4}年|明年|今年|去年|前年|下个月|上个月|年底|" + _ZH_MONTH + r")"
_ZH_WEDDING = r"(?:结的婚|结婚|結的婚|結婚|领的证|领证|領的證|領證|办的婚礼|订婚|订的婚|訂婚)"
_ZH_MARRIAGE = (
    r"(?<=我们|我俩|咱俩|咱们|我們|我倆|咱們|我哋)(?:(?:打算|准备|计划)?" + _ZH_TIME + r"+|打算|准备|计划)" + _ZH_WEDDING + r"(?:了)?"
    r"|(?<![^\s，,。我们俩])结婚(?:快|都|已经)?" + _ZH_SPAN + r"了"
)
# A loss: "丈夫三月份去世了", "我爸已经走了八年了"; "走了" alone is only leaving.
_ZH_KIN_LOST = r"(?:我(?:的)?)?(?:丈夫|老公|妻子|老婆|爱人|爸爸|妈妈|爸|妈|父亲|母亲)"
_ZH_LOSS = (
    _ZH_KIN_LOST + r"(?:已经|都)?(?:" + _ZH_MONTH + r"|去年|前年|年初|" + _ZH_SPAN + r"前)?(?:去世|过世)了?(?:" + _ZH_SPAN + r"了|好几年了)?"
    r"|" + _ZH_KIN_LOST + r"(?:(?:已经|都)(?:" + _ZH_MONTH + r"|去年|前年|" + _ZH_SPAN + r"前)?|" + _ZH_MONTH + r"|去年|前年|" + _ZH_SPAN + r"前)走了(?:"
    + _ZH_SPAN + r"了|好几年了)?"
    r"|" + _ZH_KIN_LOST + r"走了(?:" + _ZH_SPAN + r"了|好几年了)"
)
# A break-up or a couple living apart: "跟女朋友分手", "在闹分手", "异地恋快一年了".
_ZH_PARTING = (
    r"(?:跟|和)?(?:女朋友|男朋友|对象|女友|男友)(?:昨天|前天|上周|上个月|刚|又)?(?:跟我)?(?:提了?分手|分手了?|分了)"
    r"|(?:在闹|闹着?|提了?)分手"
    r"|异地(?:恋)?(?:快|都|已经)?" + _ZH_SPAN + r"(?:了)?"
)
# A couple's life together, said without the word for marriage: "在一起四年了", "本来打算今年领
# 证", "和男朋友打算下个月开始同居", "跟老婆分房睡两个月了", "有个男生在追我". A marriage
# certificate (领证) and living together (同居) name a couple whoever says them.
_ZH_PARTNER = r"(?:男朋友|女朋友|男友|女友|对象|老公|老婆|媳妇|爱人|他|她)"
_ZH_COUPLE = (
    r"(?:^|(?<=[\s，,。！？!?；;：:…])|(?<=我们|我俩|咱俩|他俩|她俩|我們|我倆))在一起(?:快|都|已经|已經)?" + _ZH_SPAN + r"了"
    r"|(?:本来|本來)?(?:打算|准备|準備|计划|計劃)" + _ZH_TIME + r"*(?:领证|領證)"
    r"|(?:(?:和|跟)" + _ZH_PARTNER + r"|(?<=我们|我俩|咱俩|我們|我倆))(?:打算|准备|计划)?" + _ZH_TIME + r"?(?:开始)?同居(?:了)?(?:" + _ZH_SPAN + r"了?)?"
    r"|(?:(?:和|跟)" + _ZH_PARTNER + r")?分房睡(?:了)?(?:(?:快|都|已经)?" + _ZH_SPAN + r"了?)?"
    r"|(?:有个|有一个|有個)(?:男生|女生|男的|女的|同事|学长|学姐|師兄|师兄|师姐|學長|學姐)在追我"
)
_ZH = (
    r"(?:我的?|他的?|她的?)?(?:前妻|前夫|前男友|前女友)(?:离了?(?:婚)?(?:快|都|已经)?" + _ZH_SPAN + r"了?)?"
    + r"|" + _ZH_COUPLE + r"|" + _ZH_MARRIAGE + r"|" + _ZH_LOSS + r"|" + _ZH_PARTING
    + r"|单亲(?:妈妈|爸爸|家庭)|离异带娃|带娃离异"
    r"|" + _ZH_WHEN + r"(?:离婚|离了婚|离过婚|离的婚|离异|離婚|離了婚|離過婚|離異|分居|二婚|再婚|丧偶|出轨|婚外情|复婚)(?!率|法|案例)" + _ZH_HOW_LONG
    # A boyfriend or girlfriend is a relationship annotators mark (about 9 in 10 in our
    # development parts); a husband or wife ("老公", "老婆") mostly is not.
    + r"|(?:我的?)?(?:男朋友|女朋友|男友|女友)(?![们圈])"
    + r"|老伴(?:前年|去年|\d{4}年)?(?:走了|去世了?|过世了?)(?:好几年了|" + ZH_COUNT + r"年了)?"
)
_EN = (
    r"(?i:(?<![A-Za-z])(?:(?:my|our)\s+)?ex-(?:wife|husband|girlfriend|boyfriend|partner|fianc[ée]e?)"
    r"|(?<![A-Za-z])my\s+ex(?![A-Za-z-])"
    # A partner named as such ("my fiancée", "my late husband"): in English chat annotators
    # mark these consistently; in Chinese they do not ("我老公" is marked in under half).
    r"|(?<![A-Za-z])my\s+(?:late\s+|future\s+)?(?:husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|spouse)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:divorc(?:ed|ing)|(?:my|our|the) divorce(?!\s+rates?)|separated from|widow(?:ed|er)?"
    r"|(?:an|his|her|my) affair)(?![A-Za-z]))"
)


# A marriage's end or start with when: "separating after 14 years", "we split up two years ago",
# "getting married in August". The time is what annotators keep with it.
_EN_WHEN = (
    r"(?:after\s+(?:nearly\s+|almost\s+|over\s+)?" + EN_COUNT + r"\s+years(?:\s+of\s+marriage)?"
    r"|" + EN_COUNT + r"\s+(?:years?|months?)\s+ago|last\s+(?:year|month|spring|summer|autumn|fall|winter|" + EN_MONTH + r")"
    r"|in\s+(?:" + EN_MONTH + r"|(?:19|20)\d\d)|next\s+(?:year|month|spring|summer|autumn|fall|winter))"
)
_EN_EVENT = (
    r"(?i:(?<![A-Za-z])(?:separating|separated|divorced|getting\s+married|got\s+married|got\s+engaged|getting\s+divorced)"
    # A band or a meeting splits up too: a break-up is a couple's only with "we" or "… and I".
    r"|(?:(?<![A-Za-z])we\s+|(?<=and\sI\s))(?:split\s+up|broke\s+up))\s+(?i:" + _EN_WHEN + r")(?![A-Za-z])"
)


class RelationshipStatusRecognizer(RuleRecognizer):
    """Divorce, separation, exes and affairs (EN and ZH), as Relationship Info."""

    name = "relationship_status"
    rules = (
        Rule(re.compile(_ZH), _TYPE, 0.5),
        Rule(re.compile(_EN_EVENT), _TYPE, 0.5),
        Rule(re.compile(_EN), _TYPE, 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))  # an event with its time over the bare word
