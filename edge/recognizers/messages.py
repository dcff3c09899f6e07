"""The body of a private message the user quotes: "他微信给我发：“……”", "she texted me: "..."".

The taxonomy's Communication Content (PL3) is the body of private messages. A quoted
passage is such a body when a messaging word introduces it (a text, a WeChat message, an
e-mail, "原话是"); quotes without one are often the user's own draft or a saying, and are
left to the tagger.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer

_ZH_CUE = (
    r"(?:短信|微信|消息|留言|私信|邮件|语音|原话|原文|聊天记录|群里)"
    r"[^。！？\n“”\"「」]{0,12}?(?:是|说|发|写|道|讲)?(?:的|了|来|给我|过来)?\s*[:：，,]?\s*"
)
_EN_CUE = (
    r"(?i:(?:texted|messaged|dm'?d|emailed|wrote|sent me|replied|text said|message said|email said|message was|"
    r"(?:he|she|they) (?:sent|said|wrote):)"
    r"[^.!?\n\"“”]{0,20}?[:,]?\s*)"
)
_QUOTED = (
    r"(?:“(?P<a>[^“”\n]{6,400})”|\"(?P<b>[^\"\n]{6,400})\"|「(?P<c>[^「」\n]{6,400})」"
    # in single quotes, an apostrophe inside a word ("can't") does not close the quote
    r"|‘(?P<d>[^‘’\n]{6,400})’|(?<![A-Za-z])'(?P<e>(?:[^'\n]|(?<=[A-Za-z])'(?=[A-Za-z])){6,400})'(?![A-Za-z]))"
)


class MessageBodyRecognizer(RuleRecognizer):
    """A quoted message after a messaging word, as Communication Content."""

    name = "message_body"
    rules = (
        Rule(re.compile(_ZH_CUE + _QUOTED), "Communication Content", 0.5, trim_trailing=True),
        Rule(re.compile(_EN_CUE + _QUOTED), "Communication Content", 0.5, trim_trailing=True),
    )
