"""Shared machinery for memveil's regex recognizers: a rule table and span construction.

Most recognizers are a handful of (pattern, type, score, validator) rules; writing them as
data keeps each recognizer module about its formats rather than about loops and offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass

from memveil.edge.span import Span
from memveil.shared.taxonomy import Level, default_level

# Boundaries that work next to CJK text, where `\b` fails because CJK characters are `\w`.
NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])"
NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z])"

#: Trailing characters that end a sentence rather than a value.
TRAILING_PUNCT = ".,;:!?'\"`)]}>([{<，。；：！？、）】」』”’》（【「『“‘《"

#: "number", "no.", "#" after a document word; "no." would otherwise look like a sentence end.
NUMBER_WORD = r"(?:\s*(?i:number|no\.|no|num\.?|nr\.?|#))?"

#: Sentence-internal gap between a context word and its value: no line or sentence break.
GAP = r"[^\n.。;；!?！？]"
#: English months (names and their short forms) and small counts ("two years", "a month").
EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
EN_COUNT = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
#: The same in Chinese: "3", "二十二", "十几".
ZH_COUNT = r"(?:\d{1,2}|[一二两三四五六七八九十几]{1,3})"


def make_span(
    text: str,
    start: int,
    end: int,
    type_: str,
    score: float,
    source: str,
    level: Level | None = None,
) -> Span:
    """A Span over text[start:end]; the level defaults to the taxonomy's level for the type."""
    return Span(
        start=start,
        end=end,
        text=text[start:end],
        type=type_,
        level=level if level is not None else default_level(type_),
        score=score,
        source=source,
    )


def longest_per_region(spans: Sequence[Span]) -> list[Span]:
    """One span per region, the longest (the earliest among equals): several rules of one
    recognizer can match the same value at different lengths ("还欠招行贷款186万")."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def past_last_stop(prefix: str, stops: Container[str], keep: Container[str] = ()) -> int:
    """The offset just past the last stop character in `prefix`, 0 if none: where a CJK
    name that a rule matched together with the words before it really starts ("已经摇到|西溪
    实验小学"). A stop inside a word of `keep` ("上海", "成都", "石家庄") is part of the name."""
    kept = {i for word in keep for at in _occurrences(prefix, word) for i in range(at, at + len(word))}
    for i in range(len(prefix) - 1, -1, -1):
        if prefix[i] in stops and i not in kept:
            return i + 1
    return 0


def _occurrences(text: str, word: str) -> list[int]:
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def trim(text: str, start: int, end: int, chars: str = TRAILING_PUNCT) -> tuple[int, int]:
    """Drop trailing punctuation, keeping a closing bracket whose opener is inside the value."""
    while end > start and text[end - 1] in chars:
        closer = text[end - 1]
        opener = {")": "(", "]": "[", "}": "{", ">": "<"}.get(closer)
        if opener and text.count(opener, start, end) > text.count(closer, start, end - 1):
            break
        end -= 1
    return start, end


def _value_span(match: re.Match[str]) -> tuple[int, int]:
    """The span of the "value" group, or of the first other named group ("a", "b", ...) that
    took part in the match, or of the whole match."""
    names = sorted(match.re.groupindex, key=lambda name: name != "value")
    for name in names:
        if match.group(name) is not None:
            return match.span(name)
    return match.span()


@dataclass(frozen=True)
class Rule:
    """One pattern: the group named "value" (or the first other named group that matched,
    or the whole match) is the span.

    `check` validates the value text; it may also return a type name to override `type_`
    (e.g. an IP turning out to be internal), True to accept, or False/None to reject.
    """

    pattern: re.Pattern[str]
    type_: str
    score: float
    check: Callable[[str], bool | str | None] | None = None
    trim_trailing: bool = False


class RuleRecognizer:
    """A recognizer defined by a table of rules; stateless, so safe across threads."""

    name: str = "rules"
    rules: Sequence[Rule] = ()

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                start, end = _value_span(match)
                if rule.trim_trailing:
                    start, end = trim(text, start, end)
                if start >= end:
                    continue
                type_ = rule.type_
                if rule.check is not None:
                    verdict = rule.check(text[start:end])
                    if not verdict:
                        continue
                    if isinstance(verdict, str):
                        type_ = verdict
                spans.append(make_span(text, start, end, type_, rule.score, self.name))
        return spans

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
