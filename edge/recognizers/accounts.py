"""Account names after their label: "账号是 lin_zh93", "微信号 su_su0612", "username=deploy".

An account name has no format of its own; its label says what it is. The value is one
token of letters, digits and `_ . @ -`; it must hold a letter or a digit run, so "账号是多少"
finds nothing. E-mail addresses and phone numbers used as account names are left to their
own recognizers, which win the overlap with their validated formats; the spans here are
weak (below `fusion.TRUSTED_RULE_SCORE`), so a tagger span that types the value otherwise
(a bank account after "账号") stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import NOT_BEFORE_ALNUM, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_ZH_LABEL = r"(?:登录账号|登录帐号|账号|帐号|账户名|用户名|登录名|微信号|微信ID|QQ号|QQ|抖音号|小红书号|微博ID|B站ID|游戏ID|ID号)"
_EN_LABEL = (
    r"(?i:(?<![A-Za-z])(?:user(?:name| name| id)|login (?:id|name)|account (?:name|id)|screen name|gamertag|uid"
    # Numbers an organisation gives its members: "membership no 4410982", "employee ID E-20931".
    r"|(?:membership|student|employee|staff|badge|payroll|matric(?:ulation)?) (?:id|no\.?|number|num|#)))"
)
# Config lines ("spring.datasource.username=svc_report"), with "=" only: "User:" starts chat lines.
_CONFIG_LABEL = r"(?i:(?<![A-Za-z0-9])(?:[a-z_.]*\.)?(?:username|user_name|user|login|uid))"
_CONNECTOR = r"\s*(?:(?:是|为|:|：|=|is)\s*)*"
# It ends in a letter, digit or "_": a full stop after it ends the sentence ("username bo_88.").
_VALUE = r"(?P<value>[A-Za-z0-9][A-Za-z0-9_.@\-]{1,38}[A-Za-z0-9_])"


def _is_handle(value: str) -> bool:
    """A handle has a digit or a separator ("dkowalski88", "lin_zh93"), or is all letters
    after a Chinese label, where the label is all there is ("微信号 abcdef")."""
    return any(c.isdigit() or c in "_.@-" for c in value) and (any(c.isalpha() for c in value) or len(value) >= 5)


def _is_zh_handle(value: str) -> bool:
    """As `_is_handle`, and not a bank account: "账号" also labels those (12+ digits)."""
    if value.isdigit():
        return 5 <= len(value) < 12
    return any(c.isalpha() for c in value)


def _is_config_value(value: str) -> bool:
    """After "user=" in a config or log line the label is all there is: "user=hejunwen"."""
    return len(value) >= 3 and any(c.isalpha() for c in value)


# A machine's name in a log line: "host=HY-ENG-PC07".
_HOST_LABEL = r"(?i:(?<![A-Za-z0-9])(?:host|hostname|host_name|computer_name))"


class AccountIdRecognizer(RuleRecognizer):
    """An account name or user id after its label, as Account ID/Username (PL2), and a host
    name in a log line as Network Identifier."""

    name = "account_id"
    rules = (
        Rule(re.compile(_ZH_LABEL + _CONNECTOR + _VALUE + NOT_BEFORE_ALNUM), "Account ID/Username", 0.5, check=_is_zh_handle),
        Rule(re.compile(_EN_LABEL + _CONNECTOR + _VALUE + NOT_BEFORE_ALNUM), "Account ID/Username", 0.5, check=_is_handle),
        Rule(re.compile(_CONFIG_LABEL + r"\s*=\s*" + _VALUE + NOT_BEFORE_ALNUM), "Account ID/Username", 0.5, check=_is_config_value),
        Rule(re.compile(_HOST_LABEL + r"\s*=\s*" + _VALUE + NOT_BEFORE_ALNUM), "Network Identifier", 0.5, check=_is_config_value),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))
