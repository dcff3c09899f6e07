"""Money facts about the user: income, savings, debts and credit scores with their amount.

The taxonomy makes salary, net worth, debt, loans and credit scores Assets/Income (PL3),
while an amount alone is not private ("spent 86 yuan at the supermarket"). What makes an
amount private here is the word in front of it: a salary, a mortgage, a credit-card debt, a
credit score. So a rule takes that word and the amount after it, in the same clause, and the
span covers both ("月薪税后8500", "欠了信用卡2万多", "credit score is 580").

Rule spans are weak (below `fusion.TRUSTED_RULE_SCORE`): where the tagger found the fact
with more of its wording, the tagger's span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import NOT_BEFORE_ALNUM, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_TYPE = "Assets/Income"

# Words after which an amount is the user's money: pay, savings, property and debts.
_ZH_MONEY_WORDS = (
    r"年薪|月薪|时薪|薪水|薪资|工资|底薪|收入|年终奖|退休金|养老金|存款|积蓄|首付|公积金|理财|身家|资产|"
    r"到手|税后|税前|年包|涨薪|教育金|余额宝|零钱通|余额|挣|赚|生活费|流水|进账|月入|"
    r"房贷|车贷|贷款|欠款|负债|外债|网贷|花呗|借呗|白条|微粒贷|信用卡"
)
# The lender written before the debt: "招行信用卡还欠着6万3", "建行房贷每月4650".
_ZH_BANK = (
    r"(?:(?:招行|工行|建行|农行|中行|交行|招商银行|工商银行|建设银行|农业银行|中国银行|交通银行|邮储银行|浦发|中信|民生|"
    r"兴业|光大|平安|广发|华夏)(?:银行)?(?:卡|的|那张)?)?"
)
# How often, written before the word: "一个月到手9800", "每个月房贷还4960". Annotators keep it
# with the fact (the fact is a monthly sum), so the span does too.
_ZH_EVERY = r"(?:一个月|每个月|每月|一年|每年)"
_ZH_PERIOD = (
    r"(?:" + _ZH_EVERY + r"(?:的)?(?:也就|就|才|能|大概|差不多)?"
    # Which pay, written before the word: "3月份工资", "三个月工资", "上个月流水", "拖欠工资".
    r"|(?:\d{1,2}月份?|上个?月|这个月|本月|去年|今年|前年|(?:\d{1,2}|[一二两三四五六七八九十]{1,2})个月)(?:的)?"
    r"|拖欠(?:了)?|家庭)?"
)
# A word of time fused to the word: "月收入", "年收入", "月工资".
_ZH_FUSED = r"(?:[月年](?=收入|工资|入|流水))?"
# Verbs of owing and saving name a sum only with a money unit after them ("存了5万").
_ZH_MONEY_VERBS = r"欠了|欠着|还欠|存了|攒了|借了"
_ZH_CREDIT = r"芝麻信用分?|芝麻分|信用分|征信分"
# A pay package as offers write it, months after the monthly sum: "20k*15", "35k×16"; and an
# offer's sum after "给到"/"开到" ("给到32k", not "功率给到100w"). Hourly pay is two digits
# ("时薪18").
_ZH_PACKAGE = r"(?<![\dA-Za-z.])\d{1,3}(?:\.\d)?[kKwW]\s?[*×xX]\s?1[2-9](?![\d.])(?:薪)?"
_ZH_OFFER = r"(?:给到|开到|开出|谈到)(?:了)?\s?(?P<value>\d{1,3}(?:\.\d)?[kK万](?:[*×xX]1[2-9])?)(?![\dA-Za-z])"
_ZH_HOURLY = r"时薪\s?(?:才|大概|差不多)?\d{2,3}(?:\.\d{1,2})?(?:块|元)?(?![\d.])"
# Within the clause: no digits and no punctuation between the word and the amount, and no
# card words ("工资卡是6212...", "信用卡尾号..." are card numbers, not sums).
_ZH_GAP = r"[^\d\s，。；！？、,.;!?\n卡号]{0,8}?"
_ZH_NUMERAL = r"[一二两三四五六七八九十百千几]+"
# "2万2", "一万一": a digit or numeral after 万/千 (never after 元: "19500元一直没发").
_ZH_UNIT = r"(?:多|余|来)?(?:万元|万块|千块|千元|块钱|块|元|(?:万|千|w|W|k|K)(?:\d|[一二两三四五六七八九])?)"
# An approximation after the amount: "7000多", "23万左右", "五千出头".
_ZH_ABOUT = r"(?:多|余)?(?:块钱|块|元)?(?:左右|上下|出头)?"
_ZH_AMOUNT_WITH_UNIT = r"(?:\d+(?:\.\d+)?|" + _ZH_NUMERAL + r")" + _ZH_UNIT + _ZH_ABOUT
_ZH_AMOUNT = r"(?:" + _ZH_AMOUNT_WITH_UNIT + r"|\d{3,7}(?:\.\d+)?" + _ZH_ABOUT + r"(?![\d年月日号岁个次张天页点分秒人%]|[\s-]\d))"
# A sum by the month or year with no money word, as people say what they make: "一个月也就
# 九千多", "两口子加起来一个月也就一万三出头", "年底能落个七八万". In the inspected parts 20 of
# 22 such sums are reference items, mostly Assets/Income.
_ZH_PERIOD_SUM = (
    r"(?:(?:两口子|俩人|我俩|两个人|夫妻俩|我们俩)?加起来)?"
    r"(?:" + _ZH_EVERY + r"(?:也就|就|才|能|大概|差不多|顶多|最多)?(?:能拿|拿)?|年底(?:能|也就|就)?(?:落个|落|拿|分))"
)
# What is still owed, kept with the sum: "车贷还剩18万没还完", "欠着13万多没还".
_ZH_OWED = r"(?:还?没还(?:完|清)?)?"

_EN_MONEY_WORDS = (
    r"salary|income|take[- ]home|paycheck|net worth|savings|saved up|nest egg|401\(?k\)?|IRA|"
    r"mortgage|student loans?|car loan|personal loan|payday loan|credit card debt|debt|owe|owed|"
    r"in the hole|behind on|alimony|child support|make|makes|making|earn|earns|earned|earning|bring in|gross|"
    r"stipend|pension|bonus|overdraft|arrears|base salary|base pay|balance"
)
_EN_GAP = r"(?:[^\d.,;!?\n]{0,30}?)"
# Currencies of the places our users write from: "$", "£", "€", "₦", "₹", "KSh", "R 4 500".
_EN_CURRENCY = r"(?:(?:US|AU|A|C|CA|NZ|S|J|HK)?\$|£|€|₦|₹|₱|GH₵|₵|KSh|Ksh|Rs\.?|INR|NGN|R(?=\s?\d))"
_EN_AMOUNT = (
    r"(?:" + _EN_CURRENCY + r"\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|K|m|million|mil|bn|grand|lakhs?|L|cr|crore)(?![A-Za-z]))?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:k|K|grand|dollars|bucks|pounds|quid|euros|rupees|naira|rand|shillings|cedis|"
    r"USD|GBP|EUR|INR|NGN|KES|ZAR|LPA|lakhs?|L)(?![A-Za-z]))"
)
_EN_PERIOD = r"[ \t]+(?i:a|an|per)[ \t]+(?i:year|yr|month|week|hour|hr|annum)"
# A rate of pay: "i'm on $94k a year", "on £11.90 an hour", "at 128k base", "42 LPA CTC".
_EN_RATE = (
    r"(?<![A-Za-z])(?i:on|at|earning|making|offered|offer|offer of|current|currently)[ \t]+(?P<a>" + _EN_AMOUNT
    + r"(?:" + _EN_PERIOD + r"|[ \t]+(?i:p\.?a\.?|pa|base|CTC)(?![A-Za-z])))"
    r"|(?P<b>" + _EN_AMOUNT + r"[ \t]+(?:in[ \t]+RSUs|CTC|base(?=[ \t]*(?:$|[,.;+]|plus|salary|pay|and))))"
)
# A form field with a sum: "Annual income: £31,500", "Existing loans: ₦1.5m with LAPO".
_EN_MONEY_FIELD = (
    r"(?<![A-Za-z])(?i:annual income|monthly income|household income|income|salary|gross salary|net salary|"
    r"monthly turnover|annual turnover|turnover|existing loans?|outstanding loans?|savings|net worth|total debt)"
    r"[ \t]*:[ \t]*(?P<value>(?:" + _EN_CURRENCY + r")?\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|K|m|million|L|lakhs?))?"
    r"(?:[ \t]+(?:with|from|to|at)[ \t]+[A-Z][A-Za-z&]*(?:[ \t]+[A-Z][A-Za-z&]*){0,2})?)"
)
_EN_CREDIT = r"(?i:credit score|fico(?: score)?)"
# The sum written before what it is, when the user owns it: "on top of my 22k salary", "we
# have $12k in savings", "i've got about £9,000 of credit card debt". The owner keeps a
# general question ("is a $60k salary good?") out.
_EN_MONEY_NOUNS = (
    r"salary|income|pension|bonus|savings|nest egg|debt|credit card debt|student loans?|car loan|"
    r"personal loan|mortgage|overdraft|arrears|loan|loans|inheritance|severance|settlement"
)
_EN_OWNED_SUM = (
    r"(?<![A-Za-z])(?i:my|our|(?:i|we)(?:'ve| have)?(?: got)?|(?:i|we) (?:still )?(?:have|owe|carry))"
    r"[ \t]+(?:(?i:about|around|roughly|nearly|almost|over|under|just|like|only)[ \t]+)?"
    r"(?P<value>" + _EN_AMOUNT + r"(?:" + _EN_PERIOD + r"|/(?i:month|mo|year|yr))?"
    r"[ \t]+(?:(?i:in|of|worth of)[ \t]+)?(?:(?i:my|our)[ \t]+)?(?i:" + _EN_MONEY_NOUNS + r"))(?![A-Za-z])"
)


# Property someone owns, said in Chinese: "还有一套房子在滨湖新区", "名下有两套房", "建设路的房子一套",
# "老家有块宅基地", "房本上就我一个人的名字". Owning, not shopping ("想买一套房" has no 有).
_ZH_PROPERTY = (
    r"(?<![没沒])(?:有|买了|名下有?)(?:一|两|三|几)?[套栋处块](?:[\u4e00-\u9fff]{0,4}?(?:房子|房产|房|公寓|别墅|商铺|门面|门市|宅基地))"
    r"|(?:房子|房产)(?:一|两|三)套|(?:房本|房产证)上(?:写的)?(?:是|就)?[\u4e00-\u9fff]{1,8}?的?名字"
)


class MoneyFactRecognizer(RuleRecognizer):
    """Income, savings, debts, credit scores and property, as Assets/Income."""

    name = "money_fact"
    rules = (
        Rule(
            re.compile(_ZH_PERIOD + _ZH_BANK + _ZH_FUSED + r"(?:" + _ZH_MONEY_WORDS + r")" + _ZH_GAP + _ZH_AMOUNT + NOT_BEFORE_ALNUM + _ZH_OWED),
            _TYPE,
            0.5,
        ),
        Rule(re.compile(_ZH_PERIOD + r"(?:卡里)?(?:" + _ZH_MONEY_VERBS + r")" + _ZH_GAP + _ZH_AMOUNT_WITH_UNIT + _ZH_OWED), _TYPE, 0.5),
        Rule(re.compile(_ZH_PERIOD_SUM + _ZH_AMOUNT_WITH_UNIT + NOT_BEFORE_ALNUM), _TYPE, 0.5),
        Rule(re.compile(r"(?:" + _ZH_CREDIT + r")" + _ZH_GAP + r"\d{3}" + NOT_BEFORE_ALNUM), _TYPE, 0.5),
        Rule(re.compile(_ZH_PACKAGE + "|" + _ZH_HOURLY), _TYPE, 0.5),
        Rule(re.compile(_ZH_OFFER), _TYPE, 0.5),
        Rule(re.compile(_ZH_PROPERTY), _TYPE, 0.5),
        Rule(
            re.compile(r"(?<![A-Za-z])(?i:" + _EN_MONEY_WORDS + r")(?![A-Za-z])" + _EN_GAP + _EN_AMOUNT + r"(?:" + _EN_PERIOD + r")?" + NOT_BEFORE_ALNUM),
            _TYPE,
            0.5,
        ),
        Rule(re.compile(_EN_MONEY_FIELD), _TYPE, 0.5),
        Rule(re.compile(_EN_RATE), _TYPE, 0.5),
        Rule(re.compile(_EN_OWNED_SUM), _TYPE, 0.5),
        Rule(re.compile(r"(?<![A-Za-z])" + _EN_CREDIT + r"(?![A-Za-z])" + _EN_GAP + r"\d{3}" + NOT_BEFORE_ALNUM), _TYPE, 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))
