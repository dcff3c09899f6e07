"""Unannounced company plans the user says are secret, as Business Secret (PL4).

A layoff, a merger or a margin is news when it is public and a secret when it is not, and
the text usually says which: "这事还没公开", "请勿外传", "this isn't public yet". So the rule
needs both: a message that says something is secret, and in it the clauses about a business
event (裁员, 并购, 外包, 良率, layoffs, an acquisition, a launch date). Each such clause is the
span, without the words that say it is secret; a clause that only says "keep it quiet" is
not.

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span

_TYPE = "Business Secret"

_SECRET = re.compile(
    r"还没公开|还没公布|还没宣布|没有公布|未公开|未公布|没对外|还没对外|不要外传|请勿外传|别外传|不能外传|不能外流|"
    r"保密|先别说|别说出去|内部消息|内部还没|私下说|没官宣|机密|唔好講出去|未公佈|"
    r"(?i:confidential|not public|isn't public|is not public|hasn't been announced|not been announced|not announced|"
    r"keep (?:this|it) (?:quiet|between us)|under (?:an )?nda|internal only|don't share|off the record|hush-hush|embargoed)"
)
_EVENT = re.compile(
    r"裁员|裁員|优化编制|并购|收购|融资|外包|灰度|良率|毛利|底价|底线|独家|合作案|名单|名單|代号|代號|重组|并到|"
    r"关闭|关店|签约|估值|营收|利润|上市|"
    r"(?i:layoffs?|redundanc(?:y|ies)|acquisition|acquir(?:e|ing)|merger|merging|restructur(?:e|ing)|ipo|funding round|"
    r"series [a-d]|roadmap|launch(?:es|ing)?|margins?|revenue|client list|valuation|buyout)"
)
# Clause ends; in Chinese chat a space between two CJK characters ends a clause too.
_CLAUSE_END = re.compile(r"[，。！？；,!?;\n]|\.(?:\s|$)|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_LEAD_IN = re.compile(r"(?:另外|还有个事|其实|而且|但是|不过|and|but|also|so)\s*", re.IGNORECASE)
# News and hearsay about other companies: public, whatever else the message keeps quiet.
_PUBLIC = re.compile(r"听说|据说|新闻|报道|又裁员|(?i:just announced|publicly announced|in the news|announced)")


def _clauses(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for end in _CLAUSE_END.finditer(text):
        out.append((start, end.start()))
        start = end.end()
    out.append((start, len(text)))
    return out


def _around_secret_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a clause on either side of its secrecy words ("老板私下说|Q3要把…外包",
    "this is confidential|: we're announcing layoffs"): the secret, not the saying so."""
    parts, at = [], start
    for word in _SECRET.finditer(text, start, end):
        parts.append((at, word.start()))
        at = word.end()
    parts.append((at, end))
    return [(a, b) for a, b in parts if b > a]


class BusinessSecretRecognizer:
    """Clauses about a business event in a message that says it is secret."""

    name = "business_secret"

    def analyze(self, text: str) -> list[Span]:
        if not _SECRET.search(text):
            return []
        out = []
        parts = [part for clause in _clauses(text) for part in _around_secret_words(text, *clause)]
        for start, end in parts:
            if not _EVENT.search(text, start, end) or _PUBLIC.search(text, start, end):
                continue
            while start < end and (text[start].isspace() or text[start] in ":："):
                start += 1
            lead = _LEAD_IN.match(text, start, end)
            if lead:
                start = lead.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if end - start >= 4:
                out.append(make_span(text, start, end, _TYPE, 0.5, self.name))
        return out

    def __repr__(self) -> str:
        return "BusinessSecretRecognizer()"
