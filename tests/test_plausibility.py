"""Shape checks on tagger spans: what they reject is plainly not of its type, and real values
of each type pass; fusion drops the rejected tagger spans and nothing else."""

from __future__ import annotations

import pytest

from memveil.edge.fusion import fuse
from memveil.edge.plausibility import plausible
from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span


def tagged(text: str, value: str, type_: str) -> Span:
    start = text.index(value)
    return make_span(text, start, start + len(value), type_, 0.99, "tagger")


@pytest.mark.parametrize(
    "value, type_",
    [
        ("陈思琪", "Third-Party Identifiable Info"),
        ("欧阳娜娜", "Third-Party Identifiable Info"),
        ("小吴", "Third-Party Identifiable Info"),
        ("老周", "Third-Party Identifiable Info"),
        ("乐乐", "Third-Party Identifiable Info"),
        ("儿媳妇小吴", "Third-Party Identifiable Info"),
        ("黃大文", "Third-Party Identifiable Info"),  # Traditional characters fold first
        ("Kelvin Tsang", "Third-Party Identifiable Info"),
        ("女", "Gender"),
        ("信佛", "Religious Beliefs"),
        ("Seventh-day Adventist", "Religious Beliefs"),
        ("深綠", "Political Views/Stance"),
        ("voted Reform", "Political Views/Stance"),
        ("二甲双胍", "Medical Health"),
        ("空腹血糖7.8", "Medical Health"),
        ("膝盖肿了", "Medical Health"),
        ("knee injury", "Medical Health"),
        # Fertility treatment and test results, without a medical character.
        ("在做试管", "Medical Health"),
        ("KRAS突变阳性", "Medical Health"),
        ("输卵管堵塞", "Medical Health"),
    ],
)
def test_values_of_their_type_pass(value: str, type_: str) -> None:
    assert plausible(tagged(value, value, type_))


@pytest.mark.parametrize(
    "value, type_",
    [
        ("他", "Third-Party Identifiable Info"),
        ("网站", "Third-Party Identifiable Info"),
        ("视频", "Third-Party Identifiable Info"),
        ("都", "Identity Background"),
        ("前 你教教", "Religious Beliefs"),
        ("canning jars", "Religious Beliefs"),
        ("没权限", "Political Views/Stance"),
        ("international business trip", "Political Views/Stance"),
        ("欠钱", "Medical Health"),
        ("透透气", "Medical Health"),
        # Lines of a pasted form: no letter or digit at all.
        ("-", "ID Number"),
        ("––––––––––––", "Financial Account"),
    ],
)
def test_fragments_that_cannot_be_their_type_fail(value: str, type_: str) -> None:
    assert not plausible(tagged(value, value, type_))


def test_fusion_drops_implausible_tagger_spans_but_keeps_rule_spans() -> None:
    text = "他说网站上能查到，李娜的电话是13812345678"
    learned = [tagged(text, "网站", "Third-Party Identifiable Info"), tagged(text, "李娜", "Third-Party Identifiable Info")]
    rule = make_span(text, 0, 1, "Third-Party Identifiable Info", 0.8, "third_party_name")
    fused = fuse(text, [rule], learned, None)
    assert [(s.text, s.source) for s in fused] == [("他", "third_party_name"), ("李娜", "tagger")]
