"""Court and police matters of the user's own life, as Judicial Record (PL3).

People write their legal troubles in a few fixed shapes: a case number ("(2023)粤0306民初
28815号"), who the police found liable ("交警认定我全责"), who sued whom ("供货商起诉我"),
who got the children ("女儿判给我"), a detention or a sentence ("被行政拘留过5天", "集资诈骗
判了七年"), a licence taken away ("license got suspended for 9 months"), a charge or a court
date ("charged with reckless driving", "court date on the 17th"). A rule takes the shape with
the words that make it a fact about someone; the words alone ("酒驾怎么处罚", "what is a
DUI") name nothing.

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_TYPE = "Judicial Record"

# The clause a Chinese fact stays inside.
_ZH_CLAUSE = r"[^，。！？；,!?;\n]"
_ZH_NUMBER = r"[\d一二两三四五六七八九十百半]+"

# A court case number: "(2023)粤0306民初28815号", "（2024）辽0106民初8812号"; and an
# arbitration number written with 字: "宁鼓劳人仲案字〔2024〕第0312号".
_ZH_CASE_NUMBER = (
    r"[（(〔\[](?:19|20)\d{2}[）)〕\]][\u4e00-\u9fff]{1,2}\d{2,4}(?:民|刑|行|执|商|破|知|赔)[\u4e00-\u9fff]{0,3}\d{1,6}号"
    r"|(?:(?<=[是为：:\s，(（])|(?<![\u4e00-\u9fff]))[\u4e00-\u9fff]{1,8}(?:仲|裁|诉|执|民|刑)[\u4e00-\u9fff]{0,3}字"
    r"[〔\[（(](?:19|20)\d{2}[〕\]）)]第?\d{1,6}号"
)
# Liability for an accident: "交警认定我全责", "事故认定书写的对方全责", "对方全责".
_ZH_LIABILITY = (
    r"(?:(?:交警|交管|事故认定书?|责任认定书?|认定书)" + _ZH_CLAUSE + r"{0,8}?)?"
    r"(?:我|对方|他|她|对面|我们)(?:负|是)?(?:全责|主责|次责|同责|全部责任|主要责任|次要责任|同等责任)"
)
# Being sued, and suing: "对方起诉我要赔8万6", "供货商起诉我", "诉深圳拓远物流一案".
_ZH_PARTIES = r"对方|房东|租客|公司|老板|供货商|供应商|客户|甲方|乙方|债主|银行|物业|邻居|前夫|前妻|他们|他|她"
_ZH_SUED = (
    r"(?:" + _ZH_PARTIES + r")?(?:起诉|告)(?:了)?我(?:们)?"
    r"(?:要(?:求)?(?:我)?(?:赔偿?|还|支付)" + _ZH_CLAUSE + r"{0,2}?[\d.]+(?:万|千)?\d?(?:多)?(?:块|元)?)?"
    r"|被(?:人)?(?:起诉|告)了?|(?:把我)?告上(?:了)?法庭|诉[\u4e00-\u9fff]{2,14}?一案"
)
# Who the children went to: "儿子判给她", "孙子判给了我儿子".
_ZH_CUSTODY = (
    r"(?:孩子|儿子|女儿|闺女|孙子|孙女|老大|老二|抚养权)(?:的抚养权)?(?:被)?判给(?:了)?"
    r"(?:我|他|她|对方)?(?:儿子|女儿|前夫|前妻|爸爸|妈妈|爸|妈|奶奶|爷爷|姥姥|外婆)?(?<!给)(?<!了)"
)
# What a court or an arbitration ordered: "法院判他每月付2500抚养费", "判决的抚养费每月1500",
# "法院判的是每月探视两次", "仲裁委裁了我们赔 4.6万".
_ZH_ORDER = (
    r"(?:法院|仲裁委?|判决)" + _ZH_CLAUSE + r"{0,12}?"
    r"(?:抚养费(?:(?:每月|每个月|一个月)?\d+(?:块|元)?)?|探视" + _ZH_NUMBER + r"次|赔偿?金?\s?[\d.]+(?:万|千)?\d?(?:块|元)?)"
)
# Detention and prison: "因为打架被行政拘留过5天", "集资诈骗判了七年", "失信被执行人".
_ZH_OFFENCES = r"酒驾|醉驾|打架|斗殴|赌博|吸毒|嫖娼|偷东西|盗窃|诈骗|集资诈骗|非法集资|寻衅滋事|抢劫|贩毒|受贿|贪污|故意伤害|危险驾驶|交通肇事"
_ZH_TERM = r"(?:有期徒刑)?" + _ZH_NUMBER + r"年(?:半)?(?:缓刑" + _ZH_NUMBER + r"年)?"
_ZH_DETAINED = (
    r"(?:(?:因为)?(?:" + _ZH_OFFENCES + r"))?被(?:行政|刑事)?拘留(?:过|了)?(?:" + _ZH_NUMBER + r"(?:天|日|个月))?"
    r"|(?:" + _ZH_OFFENCES + r")(?:罪)?(?:被)?判(?:了|处)?" + _ZH_TERM
    + r"|(?:被)?判(?:了|处)" + _ZH_TERM
    # The offence after the verdict, then the term: "被判过故意伤害罪，一年半缓刑两年".
    + r"|(?:被)?判(?:过|了|处)?(?:" + _ZH_OFFENCES + r")罪(?:[，,]?\s?(?:判了?)?" + _ZH_TERM + r")?"
    + r"|失信被执行人|(?:驾照|驾驶证)(?:被)?(?:吊销|暂扣)"
)

# English: a charge, a licence taken, a court date, a judgment, custody.
_EN_CHARGE = (
    r"(?<![A-Za-z])(?i:(?:got|was|been|were)[ \t]+(?:done|nicked|busted|caught|pulled[ \t]+over)[ \t]+for|charged[ \t]+with|arrested[ \t]+for|"
    r"convicted[ \t]+of|pleaded[ \t]+guilty[ \t]+to|cited[ \t]+for|sentenced[ \t]+to|on[ \t]+probation[ \t]+for)[ \t]+[^.;!?,\n]{2,60}"
)
_EN_DURATION = r"[ \t]+for[ \t]+(?:\d+|a|one|two|three|six|twelve)[ \t]+(?:days?|weeks?|months?|years?)"
_EN_LICENCE = (
    r"(?<![A-Za-z])(?i:licen[cs]e|driving[ \t]+privileges)[ \t]+(?i:got|was|is|has[ \t]+been|been|were|are)?[ \t]*"
    r"(?i:suspended|revoked|taken[ \t]+away|disqualified)(?i:" + _EN_DURATION + r")?"
    r"(?:[ \t]+(?i:from|since|until)[ \t]+\d{1,2}(?:st|nd|rd|th)?[ \t]+[A-Z][a-z]+(?:[ \t]+(?:19|20)\d{2})?)?"
)
_EN_COURT_DATE = (
    r"(?<![A-Za-z])(?i:court[ \t]+(?:date|hearing|appearance)|hearing[ \t]+date)(?:[ \t]+(?i:is|was))?"
    r"[ \t]+(?:(?i:on|at|for|in|next|this|tomorrow|set)(?![A-Za-z])|\d)[^.;!?\n]{0,55}"
)
_EN_JUDGMENT = (
    r"(?<![A-Za-z])(?:(?i:had|filed[ \t]+for|declared|went[ \t]+through)[ \t]+(?i:a[ \t]+)?(?i:bankruptcy|bankrupt)"
    r"|(?:CCJ|ccj|(?i:county[ \t]+court[ \t]+judg(?:e)?ment)))(?:[ \t]+(?i:in|from|since|back[ \t]+in)[ \t]+(?:19|20)\d{2})?(?![A-Za-z])"
)
_EN_CUSTODY = (
    r"(?<![A-Za-z])(?i:sole|full|joint|shared|primary)[ \t]+(?i:legal[ \t]+|physical[ \t]+)?(?i:custody)"
    r"(?:[ \t]+(?i:since|from|in)[ \t]+(?:19|20)\d{2})?(?![A-Za-z])"
)


class JudicialRecognizer(RuleRecognizer):
    """Case numbers, liability, lawsuits, custody, court orders, detention and sentences,
    licences taken, charges and court dates, as Judicial Record."""

    name = "judicial"
    rules = tuple(
        Rule(re.compile(r"(?P<value>" + pattern + r")"), _TYPE, 0.5)
        for pattern in (
            _ZH_CASE_NUMBER,
            _ZH_LIABILITY,
            _ZH_SUED,
            _ZH_CUSTODY,
            _ZH_ORDER,
            _ZH_DETAINED,
            _EN_CHARGE,
            _EN_LICENCE,
            _EN_COURT_DATE,
            _EN_JUDGMENT,
            _EN_CUSTODY,
        )
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))
