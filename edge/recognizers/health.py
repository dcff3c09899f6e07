"""Measured health values: a named clinical measurement with its reading.

The taxonomy counts measured values ("blood pressure 160/110", "HbA1c 7.2%", "TSH 7.8",
"空腹血糖8.6") as Medical Health (PL3). They have a format the tagger has little reason to
learn from chat (a test name, a connector, a number with a unit), so a rule finds them. The
span is the measurement's name through its reading, so the value never goes out without
its name or the name without its value.

Rule spans here are weak (below `fusion.TRUSTED_RULE_SCORE`): where the tagger found a
longer medical span over the same words (the reading together with its diagnosis), the
tagger's span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

# Depression, anxiety, trauma and memory screening scales.
_EN_SCALES = r"PHQ-?9|GAD-?7|EPDS|MMSE|MoCA|BDI(?:-II)?|PCL-5|Y-BOCS|ASRS"
# Chinese chat adds self-rating scales whose letters are other words too ("SAS" the
# airline), so those count only with 量表.
_SCALES = _EN_SCALES + r"|(?:SDS|SAS|HAMD|HAMA)(?=(?:抑郁|焦虑)?(?:自评)?量表)"
# Laboratory tests and vital signs as patients write them. Short abbreviations are
# case-sensitive (so "ALT" the test, not "alt" the key); names are not.
_EN_TESTS = (
    r"(?:(?i:blood pressure|blood sugars?|(?:fasting |random )?(?:blood )?glucose|(?:hemoglobin|haemoglobin) a1c|hba1c|"
    r"(?:fasting|morning) (?:levels?|sugars?|readings?|numbers?)|sugar levels?|potassium|ketones|"
    r"a1c|free t3|free t4|cholesterol|triglycerides|creatinine|ferritin|vitamin d|vitamin b12|hemoglobin|haemoglobin|"
    r"platelets?|(?:resting )?heart rate|pulse|oxygen saturation|o2 sat|uric acid|viral load|cd4(?: count)?|"
    r"bmi|body mass index|ejection fraction|bone density|t-score|iop|eye pressure|estradiol|progesterone)|" + _EN_SCALES
    + r"|BP|HbA1c|LDL|HDL|TSH|FT3|FT4|PSA|ALT|AST|GGT|eGFR|GFR|CRP|ESR|WBC|RBC|SpO2|AMH|FSH|"
    r"hCG|beta-hCG|CEA|AFP|CA-?125|CA19-9|TPO(?:Ab| antibodies)?|BNP|IgE|AHI|E2)"
)
_ZH_TESTS = (
    r"(?:(?:特异性|总)?IgE|AMH|FSH|HbA1c|LDL|HDL|TSH|FT3|FT4|PSA|ALT|AST|CRP|E2|hCG|HCG|黄疸值|黄疸|胆红素|糖耐量|OGTT|"
    r"血压|高压|低压|血糖|空腹血糖|餐后血糖|餐后两小时血糖|糖化血红蛋白|糖化|尿酸|肌酐|转氨酶|谷丙转氨酶|谷草转氨酶|"
    r"甘油三酯|总胆固醇|胆固醇|低密度脂蛋白|高密度脂蛋白|血红蛋白|血小板|白细胞|红细胞|静息心率|心率|血氧|血氧饱和度|"
    r"眼压|骨密度|射血分数|病毒载量|BMI|体重指数|(?:平均)?听阈|甲功|促甲状腺激素|游离T3|游离T4|TPO抗体|TG抗体|抗体|空腹胰岛素|胰岛素|"
    r"雌二醇|孕酮|泌乳素|CD4|HPV|肿瘤标志物|癌胚抗原|甲胎蛋白|近视|散光|体重|MRD|微小残留(?:病)?|"
    # Fasting glucose by the meal word alone ("平时空腹都在7左右"), not hours of fasting.
    r"空腹(?!血糖)(?!\s?\d{1,2}\s?个?小时)|"
    # Screening scales, scored in points: "SDS抑郁量表62分", "EPDS量表，14分".
    r"(?:" + _SCALES + r")(?:抑郁|焦虑)?(?:自评)?(?:量表)?(?:评分|得分|分数|测评|测试)?\s?[，,]?)"
)
# Between the name and the reading: a level/count word, a verb of measuring, a colon.
_EN_LINK = (
    r"(?:\s*(?i:levels?|count|reading|score|number))?"
    r"(?:\s*(?i:is|was|were|are|have been|has been|of|at|came back(?: at)?|came in at|went up to|dropped to|reads?|hit|"
    r"around|about|now|still|"
    r"only|just|up to|down to)(?![A-Za-z]))*\s*[:=]?\s*"
)
_ZH_LINK = (
    r"\s*(?:值|水平|指数|读数)?\s*(?:空腹|餐后|[12]小时|一直|还是|经常|常常|总是|老是|一般在|一般|基本在|是|係|为|有|在|得了|"
    r"达到|到了|去到|飙到|升到|涨到|降到|掉到|到|了|才|只有|已经|又|也|都|测出来|测了|查出来|评了|评|:|：|=)*\s*"
)
_COMPARE = r"(?:[<>≤≥]=?\s*|~\s*)?"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,4})(?:\.\d{1,3})?"
# One reading ("7.2"), a blood pressure ("160/110") or a range ("5.8-6.1").
_READING = _COMPARE + _NUMBER + r"(?:\s*/\s*" + _NUMBER + r"|\s?[-–]\s?" + _NUMBER + r")?"
_UNITS = (
    r"%|mg/dL|mg/dl|mmol/L|mmol/l|nmol/L|pmol/L|umol/L|μmol/L|mmHg|ng/mL|ng/ml|ng/dL|pg/mL|IU/mL|kIU/L|kU/L|"
    r"mIU/L|mIU/mL|uIU/mL|μIU/mL|IU/L|U/L|g/dL|g/L|"
    r"mL/min|bpm|beats per minute|copies/mL|cells/mm3|(?i:percent)"
)
_EN_UNIT = r"(?:\s?(?:" + _UNITS + r"))?"
# A reading in Chinese numerals: "心率老是一百多", "高压一百六".
_ZH_NUMERAL_READING = r"(?:[一两二三四五六七八九]?百[一二两三四五六七八九十]{0,2}|[二三四五六七八九]十[一二三四五六七八九]?)多?"
_ZH_UNIT = r"(?:\s?(?:" + _UNITS + r"|分贝|dB|分(?![钟之])|毫摩尔|毫米汞柱|次/分|次每分钟|度|℃|级|公斤|千克|斤|kg))?(?:左右|以上|出头)?(?:\s?(?:偏高|偏低|超标))?"
# Readings in a row: "糖耐量 空腹5.3 一小时10.8 两小时9.1", "高压165低压105".
_ZH_MORE_READINGS = (
    r"(?:\s*[，,、]?\s*(?:空腹|餐后|[一二两12]小时|高压|低压|收缩压|舒张压)\s*(?:是|为|:|：)?\s*"
    + _READING + _ZH_UNIT + r")*"
)
# A blood-pressure reading by itself, after a verb of measuring: "今早量的165/100", "早上量都在
# 130/85左右". The shape (systolic 80-249 over diastolic 40-149) and the verb keep dates and
# scores out; the span is the reading, as annotators mark it.
_ZH_BP = (
    r"(?:量|测)(?:的|了|出来|着)?(?:都|也|还|一直)?(?:是|在|有)?\s*"
    r"(?P<value>(?:[89]\d|1\d\d|2[0-4]\d)\s?/\s?(?:[4-9]\d|1[0-4]\d)(?![\d/.])(?:\s?(?:mmHg|毫米汞柱))?)"
)
# The clotting test, not the rupee ("INR 5000", "INR 3.4 lakh"): a small reading after a
# verb of measuring, or with its decimal.
_EN_INR = (
    r"(?<![A-Za-z])INR(?:\s+(?i:was|is|of|at|came back at|reading of|level of|levels? (?:is|was|of))\s*\d(?:\.\d{1,2})?"
    r"|\s*[:=]?\s*\d\.\d{1,2})"
    r"(?![\d.,])(?!\s*(?i:lakh|lac|crore|cr|k|m|mn|million|thousand|bn|billion)(?![A-Za-z]))"
)
# A fever with its temperature: "烧到39.2", "发烧39度".
_ZH_FEVER = r"(?<!红)(?:发高烧|发烧|发热|高烧|低烧|烧|体温)(?:到了|到|了|是|有|还是|一直)?\s?(?:3[7-9]|4[0-2])(?:\.\d)?\s?(?:度|℃)?"


class MeasuredValueRecognizer(RuleRecognizer):
    """A clinical measurement and its reading ("TSH 7.8", "blood pressure was 160/110",
    "空腹血糖8.6"), as Medical Health."""

    name = "measured_value"
    rules = (
        Rule(
            re.compile(NOT_AFTER_ALNUM + _EN_TESTS + _EN_LINK + _READING + _EN_UNIT + NOT_BEFORE_ALNUM),
            "Medical Health",
            0.5,
        ),
        Rule(
            re.compile(
                r"(?<![A-Za-z])" + _ZH_TESTS + _ZH_LINK + r"(?:" + _READING + r"|" + _ZH_NUMERAL_READING + r")"
                + _ZH_UNIT + _ZH_MORE_READINGS + NOT_BEFORE_ALNUM
            ),
            "Medical Health",
            0.5,
        ),
        Rule(re.compile(_EN_INR), "Medical Health", 0.5),
        Rule(re.compile(_ZH_FEVER + NOT_BEFORE_ALNUM), "Medical Health", 0.5),
        Rule(re.compile(_ZH_BP), "Medical Health", 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))  # an acronym both rules know ("TSH 6.1")
