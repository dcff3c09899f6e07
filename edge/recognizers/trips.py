"""Trips with a written form: a flight or train number by its travel words, a hotel stay.

The taxonomy files tickets, hotel stays and routes under Itinerary/Trajectory (PL3). A
flight number ("NH936", "MU5137") or a train ("G1234次") next to a travel word, and "住/入住"
before a lodging's name, say where a person will be and when; the tagger misses many of
them in long planning turns. Spans are weak (below `fusion.TRUSTED_RULE_SCORE`).
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_TYPE = "Itinerary/Trajectory"

# A flight number: airline code (two letters, or a letter and a digit) and 1-4 digits, after
# or before a travel word in the same clause.
_FLIGHT = NOT_AFTER_ALNUM + r"(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}" + NOT_BEFORE_ALNUM
_FLIGHT_WORDS = r"(?:航班|班机|机票|飞机|飞往|飞|航空|(?i:flight|flying|fly))"
_TRAIN = NOT_AFTER_ALNUM + r"[GDCZTKY]\d{1,4}" + NOT_BEFORE_ALNUM + r"(?:次)?"
_TRAIN_WORDS = r"(?:高铁|动车|火车|车次|列车|二等座|一等座|卧铺)"
_CLAUSE = r"[^，。；！？\n,;!?]{0,16}?"
_LODGING = (
    r"(?:(?:入住|住在|住进|订了|订的是|住)(?P<value>[\u4e00-\u9fffA-Za-z0-9·]{2,20}?"
    r"(?:酒店|宾馆|饭店|民宿|客栈|旅馆|青旅|度假村|锦江之星|如家|汉庭|全季|亚朵|维也纳|(?i:hotel|inn|hostel|airbnb))"
    r"(?:[^，。；！？\n,;!?]{0,6}?[一两二三四五六七八九十\d]+(?:晚|天))?))"
)


class TripRecognizer(RuleRecognizer):
    """Flights and trains by their numbers next to travel words, and hotel stays."""

    name = "trip"
    rules = (
        Rule(re.compile(_FLIGHT_WORDS + _CLAUSE + r"(?P<value>" + _FLIGHT + r")"), _TYPE, 0.5),
        Rule(re.compile(r"(?P<value>" + _FLIGHT + r")" + _CLAUSE + _FLIGHT_WORDS), _TYPE, 0.5),
        Rule(re.compile(_TRAIN_WORDS + _CLAUSE + r"(?P<value>" + _TRAIN + r")"), _TYPE, 0.5),
        Rule(re.compile(r"(?P<value>" + _TRAIN + r")" + _CLAUSE + _TRAIN_WORDS), _TYPE, 0.5),
        Rule(re.compile(_LODGING), _TYPE, 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))
