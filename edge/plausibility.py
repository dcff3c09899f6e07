"""Shape checks on the tagger's spans: a span that cannot be what its type says is dropped.

On colloquial Chinese the tagger sometimes marks pronouns and fragments with confidence: "他"
or "网站" as a person, "前 你教教" as a religious belief, "欠钱" as a health fact. Those spans
mask text that is not private, and a turn with nothing private scores zero for each one. The
checks are deliberately loose, so that what they reject is plainly not of its type:

- a value has a letter or a digit (not a row of dashes from a pasted form);
- one Chinese character is a value only as a gender ("男", "女") or a surname (its title
  follows: "王|医生");
- a Chinese name starts like one: a surname, "小"/"老"/"阿", a doubled nickname ("乐乐"), or a
  relationship word before any of those ("儿媳妇小吴");
- a religious belief names a faith or its practice, a political view names politics;
- a health fact in Chinese has a medical character, a number, a word of fertility treatment
  or test results, or a term the medical dictionary knows.

Only the tagger's spans are checked: the rules already key on the words that make a value
what it is.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.medical import MedicalTermRecognizer
from memveil.edge.recognizers.people import looks_like_zh_name
from memveil.edge.recognizers.script import T2S
from memveil.edge.span import Span

_CJK = re.compile(r"[\u3400-\u9fff]")
_ALL_CJK = re.compile(r"[\u3400-\u9fff]+")

_FAITH = re.compile(
    r"佛|菩萨|基督|耶稣|上帝|天主|主日|信主|圣经|教会|教堂|礼拜|祷告|祈祷|弥撒|受洗|洗礼|穆斯林|清真|伊斯兰|真主|古兰|"
    r"斋|道教|道观|寺|庙|庵|烧香|拜拜|上香|念经|信教|宗教|无神论|回族|犹太|印度教|锡克|妈祖|萨满|天理|一贯道|"
    r"(?i:church|mosque|temple|synagogue|gurdwara|god|jesus|christ|allah|faith|pray|mass|catholic|christian|"
    r"muslim|islam|hindu|buddhis|jewish|judaism|atheis|agnostic|sikh|bible|quran|koran|baptis|lds|mormon|"
    r"evangel|pentecostal|methodist|anglican|orthodox|protestant|religio|spiritual|ramadan|sabbath|brahmin|caste|"
    r"adventist|quaker|jehovah|latter-day|amish|mennonite|shinto|tao|jain|zoroastr|baha|wicca|pagan|rastafari|sufi|"
    r"shia|sunni|ahmadi|born[- ]again|ringat|diocese|parish|congregation|mandir|masjid|kirk|chapel)"
)
_POLITICS = re.compile(
    r"党|选|投票|投给|票|政治|政府|政策|左|右|蓝|绿|民主|共和|保守|自由|激进|独立|统一|改革|抗议|游行|示威|社会主义|"
    r"共产|资本主义|民族主义|女权|"
    r"(?i:vot|elect|ballot|party|labou?r|tory|tories|conservative|liberal|democrat|republican|green|reform|"
    r"left|right|socialis|communis|capitalis|libertarian|progressive|maga|trump|biden|harris|protest|march|"
    r"union|campaign|politic|government|brexit|independence|nationalis|feminis|anc|apc|pdp|snp|sinn)"
)
_MEDICAL_CHARS = frozenset(
    "病症炎癌瘤痛药医诊疗术孕胎血糖脂酸肝肾肺胃肠脑骨髓疹痒肿咳烧敏抑郁焦虑失眠哮喘痴呆肌腺瘫痪伤疮疤障碍痔疝"
    "产析康院穿刺检镜囊毒菌染冒吐泻晕虚弱疼瘙耳鼻喉牙眼肤腰椎颈膝脏疫苗针剂卵剖植梗栓"
)
# Words of fertility treatment and test results that carry no medical character: "试管",
# "EGFR突变阳性", "约了PET-CT", "OGTT复查".
_MEDICAL_WORDS = re.compile(r"试管|阳性|阴性|突变|放射|(?<![A-Za-z])(?:PET|CT|OGTT|HPV|HIV)(?![A-Za-z])")
_MEDICAL_TERMS = MedicalTermRecognizer()


def plausible(span: Span) -> bool:
    """False for a tagger span whose text cannot be what its type says (see module doc)."""
    text = span.text.translate(T2S)
    if not any(char.isalnum() for char in text):
        return False  # a rule of dashes or a lone hyphen from a pasted form
    if span.type in ("Third-Party Identifiable Info", "Real Name") and _ALL_CJK.fullmatch(text):
        return looks_like_zh_name(text)
    if len(text) == 1 and _CJK.match(text):
        return text in "男女"
    if span.type == "Religious Beliefs":
        return bool(_FAITH.search(text))
    if span.type == "Political Views/Stance":
        return bool(_POLITICS.search(text))
    if span.type == "Medical Health" and _CJK.search(text):
        return (
            any(char in _MEDICAL_CHARS for char in text)
            or bool(_MEDICAL_WORDS.search(text))
            or any(char.isdigit() for char in text)
            or bool(_MEDICAL_TERMS.analyze(text))
        )
    return True
