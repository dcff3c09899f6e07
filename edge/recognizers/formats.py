"""Formats scored by context: a value's shape, its checks, and the words that make it private.

Many identifiers have a shape too generic to trust on its own: nine digits may be a Social
Security number, a passport, a bank account or nothing. A `Format` gives each shape a base
score; a context word in the characters just before a match raises it, and a per-format
minimum score drops what stays weak. A checksum that passes makes a match certain (1.0).

This is the scoring model of Microsoft Presidio's pattern recognizers (base score, context
boost of 0.35 with a floor of 0.4, matches contained in a stronger one of the same format
dropped), which the phone, national-id, financial, MAC-address and document recognizers port.
Context is read from the text before the match, not from NLP tokens, so no language model
is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span

#: A match before context: start, end and base score.
Candidate = tuple[int, int, float]

CONTEXT_WINDOW = 40  # characters before the match, roughly a five-token prefix
CONTEXT_BOOST = 0.35  # added to the base score when a context word is there
CONTEXT_FLOOR = 0.4  # a boosted score is at least this
MIN_SCORE = 0.4  # default minimum after the boost

# Patterns built on \w and \b run into adjacent Chinese text ("号码12345678" is one word);
# memveil's CJK-aware recognizers handle those, so matches containing CJK are dropped.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def context_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for the words; ASCII words must stand alone ("dl", not
    "handle"), others (Chinese) match anywhere."""
    if not words:
        return None
    alternatives = [
        re.escape(w) if not w.isascii() else r"(?<![a-z])" + re.escape(w) + r"(?![a-z])" for w in words
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def drop_contained(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates of one format without duplicates, zero scores, and matches lying inside
    another kept match whose score is at least theirs (Presidio's `remove_duplicates`)."""
    ordered = sorted(set(candidates), key=lambda c: (c[0], c[0] - c[1], -c[2]))
    kept: list[Candidate] = []
    active: list[Candidate] = []
    for start, end, score in ordered:
        if score == 0:
            continue
        active = [c for c in active if c[1] >= start]
        if any(start >= c[0] and end <= c[1] and score <= c[2] for c in active):
            continue
        kept.append((start, end, score))
        active.append((start, end, score))
    return kept


@dataclass(frozen=True, kw_only=True)
class Format:
    """A kind of value (`key` names it): its taxonomy type, context words and minimum score.
    Subclasses find the candidates (`PatternFormat` with regexes, phones with phonenumbers)."""

    key: str
    type_: str
    context: tuple[str, ...] = ()
    min_score: float = MIN_SCORE
    _context: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_context", context_pattern(self.context))

    def candidates(self, text: str) -> list[Candidate]:
        raise NotImplementedError

    def score(self, text: str, start: int, base: float) -> float:
        """The base score, raised when a context word ends within the window before `start`."""
        if self._context is not None and self._context.search(text, max(0, start - CONTEXT_WINDOW), start):
            return max(min(base + CONTEXT_BOOST, 1.0), CONTEXT_FLOOR)
        return base


@dataclass(frozen=True, kw_only=True)
class PatternFormat(Format):
    """Regexes with base scores. `validate` is a checksum: passing makes the score 1.0,
    failing drops the match. `reject` drops matches that fit the shape but cannot be real."""

    patterns: tuple[tuple[re.Pattern[str], float], ...]
    validate: Callable[[str], bool] | None = None
    reject: Callable[[str], bool] | None = None

    def candidates(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for pattern, score in self.patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                if self.validate is not None and not self.validate(value):
                    continue
                if self.reject is not None and self.reject(value):
                    continue
                found.append((start, end, 1.0 if self.validate is not None else score))
        return found


class FormatRecognizer:
    """A recognizer made of formats. Spans come strongest base score first, then by start,
    longest first and format order: of two spans that tie in the detector's overlap
    resolution, the first wins. Stateless, so safe across threads."""

    name: str = "formats"
    formats: Sequence[Format] = ()

    def analyze(self, text: str) -> list[Span]:
        ranked: list[tuple[tuple[float, int, int, int], Span]] = []
        for index, fmt in enumerate(self.formats):
            for start, end, base in drop_contained(fmt.candidates(text)):
                if _CJK.search(text, start, end):
                    continue
                score = fmt.score(text, start, base)
                if score < fmt.min_score:
                    continue
                span = make_span(text, start, end, fmt.type_, round(score, 4), self.name)
                ranked.append(((-base, start, start - end, index), span))
        ranked.sort(key=lambda item: item[0])
        return [span for _, span in ranked]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
