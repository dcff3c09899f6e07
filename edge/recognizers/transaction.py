"""Transactions whose purpose is private: an amount paid or owed for health, law, family or debt.

The taxonomy's Transaction Record (PL3) is "an amount with a purpose that reveals something
private" ("paid 1800 yuan for a check-up at a fertility clinic", not "spent 86 yuan at the
supermarket"). The amount has a format; the purpose is a word from a short list of private
domains (a clinic, a lawyer, child support, a gambling debt, the rent and its deposit, a
child's school or care, a wedding). A rule pairs the two when
they sit in the same clause, close together, and the span runs from one to the other, with
the words that qualify the purpose ("无痛胃镜花了1260块", "$180 copay").

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import longest_per_region, make_span
from memveil.edge.span import Span

_TYPE = "Transaction Record"

_ZH_AMOUNT = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千几]+)(?:多|余)?"
    r"(?:(?:万|千)(?:\d|[一二两三四五六七八九])?(?:多|余)?(?:块钱|块|元)?|块钱|块|元)"
    r"|(?<![\d.])\d{3,6}(?![\d.年月日号岁个次张天页点分秒人%])"
)
_ZH_PURPOSES = re.compile(
    r"医院|看病|挂号|检查|化验|体检|胃镜|肠镜|手术|住院|开药|药费|医药费|治疗|心理咨询|咨询费|试管|产检|做B超|"
    r"正畸|种植牙|补牙|拔牙|牙|康复|复查|评估|打胎|流产|整容|医美|戒毒|戒酒|"
    r"律师|官司|诉讼|罚款|罚金|保释|赔偿|赔了|赌债|赌博|赌|"
    r"抚养费|赡养费|生活费|彩礼|嫁妆|养老院|护工|月嫂|"
    r"还赌|高利贷|应急|借我|借了我|借给|(?:给|往)(?:家里|老家|爸妈|父母)(?:寄|打|转)|"
    r"房租|月租金?|租金|押金|按金|定金|订金|婚纱照|婚礼|婚宴|婚庆|"
    r"学费|托管|课外班|补习|辅导班|幼儿园|早教|感统|育儿嫂|保姆"
)
_EN_AMOUNT = re.compile(
    r"[-−]?(?:US)?[$£€]\s?\d[\d,]*(?:\.\d{1,2})?(?:\s?[kK])?|\d[\d,]*(?:\.\d{1,2})?\s?(?:dollars|bucks|pounds|euros)"
)
_EN_PURPOSES = re.compile(
    r"(?i)(?<![A-Za-z])(?:therapy|therapist|copay|co-pay|clinic|hospital|surgery|rehab|recovery center|treatment|"
    r"orthodontic|orthodontist|dentist|dental|root canal|prescription|meds|ivf|fertility|abortion|counsell?ing|"
    r"psychiatrist|er visit|ambulance|lawyer|attorney|law office|retainer|bail|court fees?|legal fees?|"
    r"settlement|(?:parking|speeding|court) fine|speeding ticket|dui|ovi|child support|child maintenance|alimony|"
    r"divorce|loan payback|payback|"
    r"repo'?d|payday loan|collections|gambling|casino|bookie|rent arrears|rent|deposit|tuition|daycare|childcare|"
    r"nursery fees?|nanny|wedding|engagement ring)(?![A-Za-z])"
)
# A clause: no sentence or clause punctuation between amount and purpose (commas inside
# "$1,100" are part of the amount, so clause marks are only those not between digits).
# The detector reads text width-folded ("，" as ","), so both widths break a clause; a comma
# or point between digits is part of the amount ("1,200").
_ZH_BREAK = re.compile(r"[，。；！？、;!?\n]|[.,](?!\d)|(?<!\d)[.,]")
_EN_BREAK = re.compile(r"[;!?\n]|[.,](?!\d)|(?<!\d)[.,]")
# Characters that end a qualifier on the left ("做了个|无痛胃镜"): verbs, particles, pronouns.
_ZH_STOP = set("了的个做去在是我他她你们这那和跟给把被让又也都就还说要想上下")
# How often, a few words before the pair: "每个月该给|2000抚养费". A recurring payment is
# the fact as annotators mark it.
_ZH_PERIOD_BEFORE = re.compile(r"(?:每个月|每月|一个月|每年|一年|每周)[^，。；！？、,;!?\n\d]{0,4}$")
_ZH_REACH, _EN_REACH = 10, 40


def _whole_word_end(text: str, end: int) -> int:
    while end < len(text) and (text[end].isalnum() or text[end] in "'-"):
        end += 1
    return end


def _qualifies(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" and char not in _ZH_STOP


def _clause_ok(text: str, start: int, end: int, breaks: re.Pattern[str]) -> bool:
    return breaks.search(text, start, end) is None


class TransactionRecognizer:
    """An amount and a private purpose in one clause, as Transaction Record."""

    name = "transaction"

    def analyze(self, text: str) -> list[Span]:
        spans = self._pair(text, _ZH_AMOUNT, _ZH_PURPOSES, _ZH_BREAK, _ZH_REACH, chinese=True)
        spans += self._pair(text, _EN_AMOUNT, _EN_PURPOSES, _EN_BREAK, _EN_REACH, chinese=False)
        return longest_per_region(spans)

    def _pair(
        self, text: str, amounts: re.Pattern[str], purposes: re.Pattern[str], breaks: re.Pattern[str], reach: int,
        *, chinese: bool,
    ) -> list[Span]:
        found = [m for m in purposes.finditer(text)]
        if not found:
            return []
        out = []
        for amount in amounts.finditer(text):
            near = [
                p for p in found
                if (0 <= amount.start() - p.end() <= reach or 0 <= p.start() - amount.end() <= reach)
                and _clause_ok(text, min(p.end(), amount.end()), max(p.start(), amount.start()), breaks)
                # Chinese chat types a space between items of a list ("房租3500 护工7500"): an
                # amount takes a purpose after it only when nothing but text lies between.
                and not (chinese and p.start() >= amount.end() and any(c.isspace() for c in text[amount.end() : p.start()]))
            ]
            if not near:
                continue
            purpose = min(near, key=lambda p: abs(p.start() - amount.start()))
            start, end = min(purpose.start(), amount.start()), max(purpose.end(), amount.end())
            if chinese and start == purpose.start():
                # Take the purpose's qualifier: up to 4 characters that are not verbs or particles.
                while start > 0 and purpose.start() - start < 4 and _qualifies(text[start - 1]):
                    start -= 1
            if chinese:
                period = _ZH_PERIOD_BEFORE.search(text, max(0, start - 8), start)
                if period:
                    start = period.start()
            if chinese and end == purpose.end():
                # And what follows it in the clause ("1800块做试管|婴儿的检查"), a few characters.
                stop = end + 6
                while end < min(stop, len(text)) and "\u4e00" <= text[end] <= "\u9fff":
                    end += 1
            elif not chinese:
                end = _whole_word_end(text, end)
            out.append(make_span(text, start, end, _TYPE, 0.5, self.name))
        return out

    def __repr__(self) -> str:
        return "TransactionRecognizer()"
