"""Addresses written after their label in forms and pasted documents ("房屋地址：...", "Address: ...").

Free-text addresses are the tagger's job; but where a form labels the field, the value runs
to the end of the field, and a rule knows its extent better than a model that may stop
partway through a long building name. The value must look like an address (a number or an
address word), so "地址：待定" or "Address: TBD" is left alone.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer

_ZH_LABEL = (
    r"(?:家庭住址|家庭地址|现住址|现居住地址|居住地址|住址|房屋地址|房屋坐落|收货地址|收件地址|寄件地址|通讯地址|"
    r"联系地址|户籍地址|户籍所在地|单位地址|地址)"
)
_ZH_ADDRESS_WORD = re.compile(r"\d|[路街道号区市县镇村乡栋幢室弄巷楼座单元]")
_EN_LABEL = r"(?i:home address|mailing address|shipping address|billing address|street address|address)"
_EN_ADDRESS_WORD = re.compile(r"\d")


def _zh_address(value: str) -> bool:
    return len(_ZH_ADDRESS_WORD.findall(value)) >= 2


def _en_address(value: str) -> bool:
    return bool(_EN_ADDRESS_WORD.search(value)) and any(ch.isalpha() for ch in value)


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
            re.compile(r"(?<![A-Za-z])(?<!(?i:mail ))(?<!(?i:ip ))(?<!(?i:mac ))(?<!(?i:web ))(?<!(?i:wallet ))" + _EN_LABEL + r"[ \t]*:[ \t]*(?P<value>[^\n;]{6,100}?)[ \t]*(?=$|[\n;]|\.(?:\s|$))", re.MULTILINE),
            "Detailed Address",
            0.85,
            check=_en_address,
        ),
    )
