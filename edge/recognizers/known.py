"""Values already known to be private, found again wherever they recur.

A name the tagger catches in one message ("my friend Nadia is visiting") is often missed in
the next ("Nadia said no"), where nothing in the sentence marks it as a person. The vault
already maps it to a placeholder, so the value itself is enough to recognise it: the
placeholder stays stable across messages and the value does not leak on its second mention.

Only values that name or number one thing are carried: people, contact details, addresses,
identifiers, organisations and schools, secrets. Descriptive facts and attributes ("heart
disease", "nurse", "32", "female") are private in the sentence that makes them the user's;
elsewhere they are ordinary words, and masking every later use of them would hide
conversation without protecting anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span
from memveil.shared.taxonomy import Level, is_descriptive

#: Identity Background's attribute types: values such as "32", "female" or "nurse" are
#: common words and numbers outside the sentence that ties them to the user. Employer and
#: school names are proper names and are carried.
_ATTRIBUTE_TYPES = frozenset(
    name.casefold()
    for name in (
        "Identity Background", "Gender", "Age", "Specific Date of Birth", "Date of Birth",
        "Job Title/Rank", "Education", "Class",
    )
)

# A Latin value must not continue a longer word or number ("Mark" is not in "Markus");
# next to CJK text there is no such boundary to check.
_LATIN = re.compile("[0-9A-Za-z\u00c0-\u024f]")

#: Score of a recurrence: below the trusted rules, so it never overrides a span found in the
#: text itself; it only fills regions nothing else claimed (see `fusion.fuse`).
SCORE = 0.9


class KnownValue(NamedTuple):
    """A private value with the type and level it was first protected under."""

    value: str
    type: str
    level: Level


@lru_cache(maxsize=512)
def carries(type_name: str) -> bool:
    """Whether values of this type are recognised again wherever they recur (cached: the
    guard asks for every vault value on every message, and type names are few)."""
    return not is_descriptive(type_name) and type_name.casefold() not in _ATTRIBUTE_TYPES


def distinctive(value: str) -> bool:
    """Long and specific enough that a recurrence is the same value, not a coincidence:
    at least two characters, and a letter or at least five digits (a year or a four-digit
    number recurs by coincidence)."""
    stripped = value.strip()
    return len(stripped) >= 2 and (any(c.isalpha() for c in stripped) or sum(c.isdigit() for c in stripped) >= 5)


#: The type of other people's names, whose values are carried by their parts too.
_THIRD_PARTY = "third-party identifiable info"
# A Latin full name of two or three words, titles aside ("Dr Helen Baptiste").
_LATIN_FULL_NAME = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?([A-Z][a-z\u00df-\u00ff]{2,}(?:-[A-Z][a-z]+)?)(?:\s+[A-Z][a-z\u00df-\u00ff]*\.?)?"
    r"\s+([A-Z][a-z\u00df-\u00ff]{2,}(?:[-'’][A-Z][a-z\u00df-\u00ff]+)?)"
)


def name_parts(item: KnownValue) -> tuple[str, ...]:
    """The given name and the family name of someone else's full name: chat names a person
    in full once ("our CTO Babajide Coker") and then by one part ("ping Babajide", "Mr
    Coker"), which nothing in the later sentence marks as a name."""
    if item.type.casefold() != _THIRD_PARTY:
        return ()
    match = _LATIN_FULL_NAME.fullmatch(item.value.strip())
    return match.groups() if match else ()


class KnownValueRecognizer:
    """Exact, case-sensitive recurrences of known values; Latin values as whole words.

    Leftmost first, and the longest value at a position ("Nadia Khan" over "Nadia"). Values
    are indexed by their first two characters, so a scan costs one lookup per character of
    the text however many values the vault holds. The values are private: the repr never
    shows them.
    """

    name = "known_value"

    def __init__(self, values: Iterable[KnownValue]) -> None:
        by_value: dict[str, KnownValue] = {}
        parts: list[KnownValue] = []
        for item in values:
            if carries(item.type) and distinctive(item.value):
                by_value.setdefault(item.value, item)
                parts += [item._replace(value=part) for part in name_parts(item)]
        self._values = len(by_value)
        for part in parts:  # a whole value wins over the same text as part of a name
            by_value.setdefault(part.value, part)
        self._by_value = by_value
        index: dict[str, list[str]] = {}
        for value in sorted(by_value, key=len, reverse=True):
            index.setdefault(value[:2], []).append(value)
        self._index = index

    def __len__(self) -> int:
        """How many known values are carried (a name's parts are not counted apart)."""
        return self._values

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not self._index:
            return spans
        i, end = 0, len(text) - 1
        while i < end:
            for value in self._index.get(text[i : i + 2], ()):
                stop = i + len(value)
                if text.startswith(value, i) and _bounded(text, i, stop, value):
                    item = self._by_value[value]
                    spans.append(make_span(text, i, stop, item.type, SCORE, self.name, item.level))
                    i = stop - 1
                    break
            i += 1
        return spans

    def __repr__(self) -> str:
        return f"KnownValueRecognizer(<{self._values} values redacted>)"


def _bounded(text: str, start: int, stop: int, value: str) -> bool:
    """A Latin edge of the value does not continue a Latin word or number in the text."""
    if _LATIN.match(value[0]) and start > 0 and _LATIN.match(text[start - 1]):
        return False
    return not (_LATIN.match(value[-1]) and stop < len(text) and _LATIN.match(text[stop]))
