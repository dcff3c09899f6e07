"""Marital and partner status: divorce, separation, an ex, an affair.

The taxonomy's Relationship Info (PL2) is the user's relationship to someone when it says
something about their private life. Most relationship words do not ("my mom", "我同事"), and
annotators leave them alone; the end or breach of a marriage or partnership always does
("my ex-wife", "我们分居两年了", "他出轨了"), and in English a partner named as such ("my
late husband"). Those words are few and unambiguous, so a rule
finds them; the span takes the "my"/"我" that ties the relation to the user.

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer

_TYPE = "Relationship Info"

_ZH = r"(?:我的?)?(?:前妻|前夫|前男友|前女友)|(?:离婚|离了婚|离过婚|离的婚|离异|分居|二婚|再婚|丧偶|出轨|婚外情|复婚)(?!率|法|案例)"
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
