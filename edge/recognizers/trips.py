"""Trips with a written form: a flight or train number by its travel words, a hotel stay.

The taxonomy files tickets, hotel stays and routes under Itinerary/Trajectory (PL3). A
flight number ("NH936", "MU5137") or a train ("G1234次") next to a travel word, and "住/入住"
before a lodging's name, say where a person will be and when; the tagger misses many of
them in long planning turns. Spans are weak (below `fusion.TRUSTED_RULE_SCORE`).
"""

from __future__ import annotations

import dataclasses
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
_STAY = r"(?:[^，。；！？\n,;!?]{0,6}?[一两二三四五六七八九十\d]+(?:晚|天))?"
_LODGING = (
    # "住" is part of the stay as annotators mark it ("住春熙路那边的亚朵"); "订在" is not.
    r"(?:(?:订了|订的是|订在|订的|入住|住进|(?=住))(?P<value>(?:住在|住)?[\u4e00-\u9fffA-Za-z0-9·]{2,20}?"
    r"(?:酒店|宾馆|饭店|民宿|客栈|旅馆|青旅|度假村|锦江之星|如家|汉庭|全季|亚朵|维也纳|香格里拉|希尔顿|万豪|喜来登|洲际|"
    r"(?i:hotel|inn|hostel|airbnb))" + _STAY + r"))"
)
# A hotel by its English name ("Hotel Keihan Namba Grande 四晚"), and a stay counted in nights
# after a place ("清迈住4晚", "Baan Suan Lanna，住5晚").
# Latin name words keep their accented letters ("Pod Białym Orłem", "Côte").
_NAME_WORD = r"[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'&-]+"
_HOTEL_NAME = r"(?P<hotel>(?:Hotel|Hostel)(?:\s" + _NAME_WORD + r"){1,4}" + _STAY + r")"
_NIGHTS = (
    r"(?:(?:酒店|宾馆|民宿)?(?:订在|订的是|订的|订了))?(?P<nights>(?:[\u4e00-\u9fff]{2,8}?(?:那边|附近|旁边|边上|对面)的)?"
    r"(?:[\u4e00-\u9fff]{2,6}|" + _NAME_WORD + r"(?:\s" + _NAME_WORD + r"){0,3})[，,]?\s?住[一两二三四五六七八九十\d]+晚)"
)
# An English trip by its route and dates: "a trip San Angelo to Denver Jan 14-19", "flying
# Leeds to Faro on 12 June", "moving to melbourne in march". Places may be written in lower
# case, so the travel word before and the date after are what make it a trip.
_EN_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])"
)
_EN_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?:\s?[-–]\s?\d{1,2}(?:st|nd|rd|th)?)?"
_EN_TRIP_DATE = (
    r"(?:(?i:on|in|from|for|between|this|next|early|mid|late|end of)\s+)?(?:(?i:the)\s+)?"
    r"(?:" + _EN_DAY + r"\s+(?:(?i:of)\s+)?" + _EN_MONTH + r"|" + _EN_MONTH + r"(?:\s+" + _EN_DAY + r"(?![\d:]))?)"
)
_EN_PLACE = r"(?!(?i:a|an|the|my|our|his|her|their|bed|work|school|church|hospital|court)\b)[A-Za-z][A-Za-z.'-]+(?:\s[A-Z][A-Za-z.'-]+){0,2}"
_EN_TRIP = (
    r"(?<![A-Za-z])(?i:trip|flight|flights|flying|fly|drive|driving|road trip|travell?ing|heading|headed)\s+"
    r"(?:(?i:from)\s+)?(?P<route>" + _EN_PLACE + r"\s+(?i:to)\s+" + _EN_PLACE + r",?\s+" + _EN_TRIP_DATE + r")"
    r"|(?<![A-Za-z])(?P<move>(?i:moving|relocating|emigrating)\s+(?i:to)\s+" + _EN_PLACE + r"\s+" + _EN_TRIP_DATE + r")"
)
# Words that lead into a trip and are not part of it ("我订了|4月21号 G6104 韶关到广州南").
_LEAD_IN = re.compile(
    r"^(?:我们?|他们?|她|还|就|也|先|再|然后|订了|订的是?|买了|买的是?|坐|坐的|乘|搭|是|打算|准备|要|"
    r"(?:航班|车次|班次)(?:号)?(?:是|为|[:：])?)+\s*"
)
#: The longest clause a flight or train number widens to; longer ones keep the number alone.
_MAX_TRIP_CLAUSE = 40
_TRIP_NUMBER = re.compile(_FLIGHT + "|" + _TRAIN)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_END = "，。；！？\n,;!?"


class TripRecognizer(RuleRecognizer):
    """Flights and trains by their numbers next to travel words, and hotel stays."""

    name = "trip"
    rules = (
        Rule(re.compile(_FLIGHT_WORDS + _CLAUSE + r"(?P<value>" + _FLIGHT + r")"), _TYPE, 0.5),
        Rule(re.compile(r"(?P<value>" + _FLIGHT + r")" + _CLAUSE + _FLIGHT_WORDS), _TYPE, 0.5),
        Rule(re.compile(_TRAIN_WORDS + _CLAUSE + r"(?P<value>" + _TRAIN + r")"), _TYPE, 0.5),
        Rule(re.compile(r"(?P<value>" + _TRAIN + r")" + _CLAUSE + _TRAIN_WORDS), _TYPE, 0.5),
        Rule(re.compile(_LODGING), _TYPE, 0.5),
        Rule(re.compile(_HOTEL_NAME + r"|" + _NIGHTS), _TYPE, 0.5),
        Rule(re.compile(_EN_TRIP), _TYPE, 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region([_whole_clause(text, span) for span in super().analyze(text)])


def _whole_clause(text: str, span: Span) -> Span:
    """A flight or train number with the rest of its clause: date, route and times ("NH920
    11月22号 上海浦东-东京羽田") are the trip, and annotators mark them together."""
    if not _TRIP_NUMBER.fullmatch(span.text):
        return span
    start = span.start
    while start > 0 and text[start - 1] not in _CLAUSE_END:
        start -= 1
    end = span.end
    while end < len(text) and text[end] not in _CLAUSE_END:
        end += 1
    if not _CJK.search(text, start, end):
        start = span.start  # English puts the date and route after the number ("UA 857 on Friday")
    clause = text[start:end]
    lead = _LEAD_IN.match(clause.strip())
    start += len(clause) - len(clause.lstrip()) + (lead.end() if lead else 0)
    end -= len(clause) - len(clause.rstrip())
    if end - start > _MAX_TRIP_CLAUSE or start > span.start:
        return span
    return dataclasses.replace(span, start=start, end=end, text=text[start:end])
