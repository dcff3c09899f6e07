"""Booking references: the code that retrieves a trip (a flight's PNR, a hotel or train booking).

With the passenger's surname, a booking reference opens the booking: itinerary, seats,
passport details. The taxonomy files tickets and stays under Itinerary/Trajectory (PL3). The
code has no format of its own (five to ten letters and digits), so only its label finds it.

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): when the tagger marks the whole trip
("LH 455 to Munich on 3 May, booking ref QX7T2M"), its longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, Rule, RuleRecognizer

_LABEL = (
    r"(?:(?i:(?<![A-Za-z])(?:booking|reservation)[ \-]?(?:ref(?:erence)?|code|number|no\.?|#)"
    r"|(?<![A-Za-z])(?:PNR|record locator|e-?ticket(?: number| no\.?)?)(?![A-Za-z]))"
    r"|预订号|预定号|订座记录编号|订座记录|取票号|取票码|票号|电子客票号)"
)
_CONNECTOR = r"\s*(?:(?:is|was|:|：|#|=|是|为)\s*)*"


def _looks_like_code(value: str) -> bool:
    """A code, not a word: has a digit, or is all capitals (PNRs are six letters)."""
    return any(ch.isdigit() for ch in value) or value.isupper()


class BookingReferenceRecognizer(RuleRecognizer):
    """A booking reference after its label, as Itinerary/Trajectory."""

    name = "booking_reference"
    rules = (
        Rule(
            re.compile(_LABEL + _CONNECTOR + NOT_AFTER_ALNUM + r"(?P<value>[A-Za-z0-9]{5,13})" + NOT_BEFORE_ALNUM),
            "Itinerary/Trajectory",
            0.5,
            check=_looks_like_code,
        ),
    )
