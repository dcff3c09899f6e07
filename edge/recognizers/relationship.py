"""Marital and partner status: divorce, separation, an ex, an affair.

The taxonomy's Relationship Info (PL2) is the user's relationship to someone when it says
something about their private life. Most relationship words do not ("my mom", "我同事"), and
annotators leave them alone; the end or breach of a marriage or partnership always does
("my ex-wife", "我们分居两年了", "他出轨了"), as does a widowhood ("老伴前年走了"), a partner
named as such in English ("my late husband") and a boyfriend or girlfriend in Chinese ("我男朋
友"). Those words are few and unambiguous, so a rule finds them; the span takes the "my"/"我"
that ties the relation to the user, and when it happened ("去年11月离的婚").

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer

_TYPE = "Relationship Info"

# When and how far along, kept with the fact as annotators do: "在办离婚", "去年11月离的婚", "分居两地三年".
_ZH_WHEN = r"(?:在办|正在办|在闹|闹|真想|想|要|打算|准备|已经|刚|去年|前年|今年|\d{4}年(?:\d{1,2}月)?|\d{1,2}月)*"
_ZH_HOW_LONG = r"(?:了)?(?:两地)?(?:(?:\d{1,2}|[一二两三四五六七八九十几]{1,3})多?年(?:了)?)?"
_ZH = (
    r"(?:我的?)?(?:前妻|前夫|前男友|前女友)"
    r"|" + _ZH_WHEN + r"(?:离婚|离了婚|离过婚|离的婚|离异|分居|二婚|再婚|丧偶|出轨|婚外情|复婚)(?!率|法|案例)" + _ZH_HOW_LONG
    # A boyfriend or girlfriend is a relationship annotators mark (about 9 in 10 in our
    # development parts); a husband or wife ("老公", "老婆") mostly is not.
    + r"|(?:我的?)?(?:男朋友|女朋友|男友|女友)(?![们圈])"
    + r"|老伴(?:前年|去年|\d{4}年)?(?:走了|去世了?|过世了?)(?:好几年了|(?:\d{1,2}|[一二两三四五六七八九十几]{1,3})年了)?"
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


class RelationshipStatusRecognizer(RuleRecognizer):
    """Divorce, separation, exes and affairs (EN and ZH), as Relationship Info."""

    name = "relationship_status"
    rules = (
        Rule(re.compile(_ZH), _TYPE, 0.5),
        Rule(re.compile(_EN), _TYPE, 0.5),
    )
