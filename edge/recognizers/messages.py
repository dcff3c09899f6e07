"""The body of a private message the user quotes: "他微信给我发：“……”", "she texted me: "..."".

The taxonomy's Communication Content (PL3) is the body of private messages. A quoted
passage is such a body when a messaging word introduces it (a text, a WeChat message, an
e-mail, "原话是"); quotes without one are often the user's own draft or a saying, and are
left to the tagger.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer, make_span, trim
from memveil.edge.span import Span

_ZH_CUE = (
    r"(?:短信|微信|消息|留言|私信|邮件|语音|原话|原文|聊天记录|群里)"
    r"[^。！？\n“”\"「」]{0,12}?(?:是|说|发|写|道|讲)?(?:的|了|来|给我|过来)?\s*[:：，,]?\s*"
)
_EN_CUE = (
    r"(?i:(?:texted|messaged|dm'?d|emailed|wrote|sent me|replied|text said|message said|email said|message was|"
    r"(?:he|she|they) (?:sent|said|wrote):)"
    r"[^.!?\n\"“”]{0,20}?[:,]?\s*)"
)
# A message received, introduced with a colon: "he sent this on whatsapp: '...'", "whatsapp last
# night: "..."". Not a draft: `_DRAFT` before the cue makes it the user's own words.
_EN_RECEIVED_CUE = (
    r"(?<![A-Za-z])(?i:sent(?: me| us)?(?: this| that| the following)?|whatsapp|text|sms|dm|message|e-?mail|voice ?note)"
    r"(?i: on whatsapp| by text| by e-?mail| this morning| last night| yesterday| today| earlier| tonight)?"
    r"[ \t]*:[ \t]*\n*[ \t]*"
)
_DRAFT = re.compile(r"(?i:write|draft|reply|respond|compose|word|send|sending|help me|rewrite|polish|make it)\b[^.!?\n]{0,30}$")
_QUOTED = (
    r"(?:“(?P<a>[^“”\n]{6,400})”|\"(?P<b>[^\"\n]{6,400})\"|「(?P<c>[^「」\n]{6,400})」"
    # in single quotes, an apostrophe inside a word ("can't") does not close the quote
    r"|‘(?P<d>[^‘’\n]{6,400})’|(?<![A-Za-z])'(?P<e>(?:[^'\n]|(?<=[A-Za-z])'(?=[A-Za-z])){6,400})'(?![A-Za-z]))"
)
_EN_RECEIVED_RE = re.compile(_EN_RECEIVED_CUE + _QUOTED)
# A greeting that opens the message ("Hi Gareth, ") is not its body; the name is found apart.
_GREETING = re.compile(r"(?i:hi|hello|hey|dear|morning)[ \t]+[A-Z\u00c0-\u00de][\w'’-]*(?:[ \t]+[A-Z\u00c0-\u00de][\w'’-]*)?[ \t]*[,!\n][ \t]*")


class MessageBodyRecognizer(RuleRecognizer):
    """A quoted message after a messaging word, as Communication Content; in English also a
    message received and introduced with a colon, unless the user is drafting."""

    name = "message_body"
    rules = (
        Rule(re.compile(_ZH_CUE + _QUOTED), "Communication Content", 0.5, trim_trailing=True),
        Rule(re.compile(_EN_CUE + _QUOTED), "Communication Content", 0.5, trim_trailing=True),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = super().analyze(text)
        for match in _EN_RECEIVED_RE.finditer(text):
            if _DRAFT.search(text, max(0, match.start() - 40), match.start()):
                continue
            start, end = next(match.span(g) for g in "abcde" if match.group(g) is not None)
            greeting = _GREETING.match(text, start, end)
            start, end = trim(text, greeting.end() if greeting else start, end)
            if start < end and not any(s.start <= start and end <= s.end for s in spans):
                spans.append(make_span(text, start, end, "Communication Content", 0.5, self.name))
        return spans
