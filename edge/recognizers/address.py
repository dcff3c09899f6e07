"""Addresses written after their label in forms and pasted documents ("房屋地址：...", "Address: ...").

Free-text addresses are the tagger's job; but where a form labels the field, the value runs
to the end of the field, and a rule knows its extent better than a model that may stop
partway through a long building name. The value must look like an address (a number or an
address word), so "地址：待定" or "Address: TBD" is left alone.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer, make_span, past_last_stop
from memveil.edge.span import Span

_ZH_LABEL = (
    r"(?:家庭住址|家庭地址|现住址|现居住地址|居住地址|住址|房屋地址|房屋坐落|收货地址|收件地址|寄件地址|通讯地址|"
    r"联系地址|户籍地址|户籍所在地|单位地址|地址)"
)
_ZH_ADDRESS_WORD = re.compile(r"\d|[路街道号区市县镇村乡栋幢室弄巷楼座单元]")
_EN_LABEL = r"(?i:home address|mailing address|shipping address|billing address|street address|address)"
_EN_ADDRESS_WORD = re.compile(r"\d")
# "Email address:", "IP address:" and the like label other things.
_NOT_OTHER_ADDRESS = r"(?<![A-Za-z])(?<!(?i:mail ))(?<!(?i:ip ))(?<!(?i:mac ))(?<!(?i:web ))(?<!(?i:wallet ))"


def _zh_address(value: str) -> bool:
    return len(_ZH_ADDRESS_WORD.findall(value)) >= 2


def _en_address(value: str) -> bool:
    return bool(_EN_ADDRESS_WORD.search(value)) and any(ch.isalpha() for ch in value)


# A Chinese street address by its grammar: optional province, city and district, then a
# road with a door number, then building, unit and room ("城关区张掖路14号", "文三路478号华星
# 公寓2幢1703室"). Unlabelled, so weak: the tagger's span wins unless this one contains it.
_ZH_ADMIN = r"(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?市)?(?:[\u4e00-\u9fff]{2,7}?(?:区|县|镇|乡))?"
_ZH_STREET = (
    r"[\u4e00-\u9fff]{1,8}?(?:(?:路|街|大街|大道|巷|胡同)(?:[东南西北中]段?)?(?:\d{1,5}弄)?|弄)\d{1,5}(?:-\d{1,4})?号(?:院)?"
)
_ZH_UNIT = (
    r"(?:[\u4e00-\u9fffA-Za-z\-]{0,10}?\d{1,4}(?:室|栋|幢|单元|号楼|楼|层|号|座|铺|户)){0,3}(?:\d{3,4}(?![\d\-]))?"
)
# Where an address's tail runs into the next field of a shipping line.
_ZH_NEXT_FIELD = re.compile(r"电话|手机|联系|微信|收件|寄件|邮编")
# Or a compound without a street: a named estate or campus, a building and a room
# ("韵苑23栋416", "阳光花园5号楼1202室").
_ZH_COMPOUND = r"[\u4e00-\u9fff]{2,12}?(?:\d{1,3}(?:栋|幢|号楼|座)(?:\d单元)?)\d{3,4}(?:室)?(?![\d])"
_ZH_STREET_RE = re.compile(r"(?P<value>" + _ZH_ADMIN + r"(?:" + _ZH_STREET + _ZH_UNIT + r"|" + _ZH_COMPOUND + r"))")
# Characters that end an address on the left: verbs, particles, pronouns.
_ZH_LEFT_STOP = set("在住到寄是的我他她你了和跟从去来搬往送于把给址")


class ChineseStreetAddressRecognizer:
    """Street addresses in Chinese text by their grammar, as Detailed Address (weak)."""

    name = "cn_street_address"

    def analyze(self, text: str) -> list[Span]:
        spans = []
        for match in _ZH_STREET_RE.finditer(text):
            start, end = match.span("value")
            field = _ZH_NEXT_FIELD.search(text, start, end)
            if field:
                end = field.start()
            value = text[start:end]
            cut = past_last_stop(value[:-4], _ZH_LEFT_STOP)
            start += cut
            if end - start >= 5:
                spans.append(make_span(text, start, end, "Detailed Address", 0.5, self.name))
        return spans

    def __repr__(self) -> str:
        return "ChineseStreetAddressRecognizer()"


# The full stop that ends a field's value, not one after an initial or an abbreviation that
# something follows ("5530 N. Kenmore Ave", "St. Mary's Rd", "Apt. 3C"). After a street type
# ("Rd.") it ends the sentence.
_EN_FULL_STOP = r"(?<!\b[A-Za-z])(?<!\b(?:St|Mt|No))(?<!\b(?:Apt|Ste))\.(?:\s|$)"


class AddressFieldRecognizer(RuleRecognizer):
    """The value of an address field, as Detailed Address."""

    name = "address_field"
    rules = (
        Rule(
            re.compile(_ZH_LABEL + r"\s*[:：]\s*(?P<value>[^\s:：，,。；;！？!?]{6,60})"),
            "Detailed Address",
            0.85,
            check=_zh_address,
        ),
        Rule(
            re.compile(
                _NOT_OTHER_ADDRESS + _EN_LABEL + r"[ \t]*:[ \t]*(?P<value>[^\n;]{6,100}?)[ \t]*(?=$|[\n;]|" + _EN_FULL_STOP + r")",
                re.MULTILINE,
            ),
            "Detailed Address",
            0.85,
            check=_en_address,
        ),
    )
