"""Names without NER: the user's own name (known from the device profile) and third parties
introduced by a relationship word ("my sister Jane", "我的同事张伟").

Only high-precision cues are used; finding arbitrary names is the learned tagger's job.
"""

from __future__ import annotations

import re
from functools import lru_cache

from memveil.edge.recognizers.common import longest_per_region, make_span
from memveil.edge.recognizers.first_names import FIRST_NAMES
from memveil.edge.span import Span

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "独孤", "端木", "南宫", "西门", "轩辕", "呼延", "申屠", "澹台", "公冶", "太史",
)


def _cn_given_name(name: str) -> str | None:
    """The given name of a Chinese full name, if it is long enough to stand alone (2+ chars)."""
    surname_len = 2 if name.startswith(_COMPOUND_SURNAMES) else 1
    given = name[surname_len:]
    return given if len(given) >= 2 else None


# Titles, ranks and post-nominals a profile name may carry ("Dr. Jane Doe", "Lieutenant
# Colonel Ayesha Khan (Ret.)", "John Smith Jr."): the name is what remains without them.
_PROFILE_TITLES = frozenset(
    """mr mrs ms mx miss dr doctor prof professor sir dame lord lady rev reverend fr father pastor
    rabbi imam capt captain maj major col colonel lt lieutenant sgt sergeant gen general adm admiral
    cmdr commander cpl corporal pvt private hon judge justice""".split()
)
_PROFILE_SUFFIXES = frozenset("jr sr ii iii iv phd md dds esq ret mba cpa rn".split())
_PARENTHESES = re.compile(r"\([^)]*\)")


def _core_name(name: str) -> str:
    """The profile name without titles, ranks, post-nominals and parenthesised notes."""
    tokens = _PARENTHESES.sub(" ", name).replace(",", " ").split()

    def bare(token: str) -> str:
        return token.strip(".").casefold()

    while len(tokens) > 1 and bare(tokens[0]) in _PROFILE_TITLES:
        tokens.pop(0)
    while len(tokens) > 1 and bare(tokens[-1]) in _PROFILE_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


# Characters that glue a name into a password or a handle ("Yutong@2003", "jane_doe"): a
# name alone is not one there, and masking it would leave the rest of the secret in the clear.
_HANDLE_LEFT, _HANDLE_RIGHT = "0-9@#_.", "0-9@#_$%&*"


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[str, tuple[str, ...]]:
    """Character -> its toneless readings; loaded the first time a Chinese user name is seen."""
    from memveil.edge.recognizers.pinyin_readings import READINGS

    table: dict[str, list[str]] = {}
    for line in READINGS.splitlines():
        if line.strip():
            reading, chars = line.split()
            for char in chars:
                table.setdefault(char, []).append(reading)
    return {char: tuple(readings) for char, readings in table.items()}


def _syllable(char: str) -> str | None:
    """A regex for how `char` is written in Latin letters: any of its readings, "ü" as
    passports write it ("LYU"), as "u" or as "v"."""
    readings = _pinyin_table().get(char)
    if not readings:
        return None
    forms = {form for r in readings for form in ({r, r.replace("v", "u"), r.replace("v", "yu")} if "v" in r else {r})}
    return "(?:" + "|".join(sorted(forms, key=lambda f: (-len(f), f))) + ")"


def _pinyin_patterns(name: str) -> list[tuple[re.Pattern[str], float]]:
    """A Chinese name as passports, visa forms and English e-mails write it: "HUANG SIQI",
    "Huang Si-Qi", "Siqi Huang", "HUANG, Siqi", and the given name alone when capitalised
    and at least two syllables ("Siqi"). Characters outside GB2312 leave the name as is."""
    surname_len = 2 if name.startswith(_COMPOUND_SURNAMES) else 1
    syllables = [_syllable(char) for char in name]
    if len(name) <= surname_len or None in syllables:
        return []
    surname = "".join(syllables[:surname_len])  # type: ignore[arg-type]
    given = r"['’ -]?".join(syllables[surname_len:])  # type: ignore[arg-type]
    edge_l, edge_r = r"(?<![A-Za-z" + _HANDLE_LEFT + "])", r"(?![A-Za-z" + _HANDLE_RIGHT + "])"
    patterns = [
        (re.compile(edge_l + f"{surname}(?:\\s*,\\s*|\\s+){given}" + edge_r, re.IGNORECASE), 0.9),
        (re.compile(edge_l + f"{given}\\s+{surname}" + edge_r, re.IGNORECASE), 0.9),
    ]
    if len(name) - surname_len >= 2:
        alone = r"['’-]?".join(syllables[surname_len:])  # type: ignore[arg-type]
        patterns.append((re.compile(edge_l + f"(?=[A-Z])(?i:{alone})" + edge_r), 0.7))
    return patterns


@lru_cache(maxsize=64)
def _user_name_patterns(user_name: str) -> tuple[tuple[re.Pattern[str], float], ...]:
    """Patterns for one user's name, most specific first; cached because a device has one user."""
    name = " ".join(user_name.split())
    if not name:
        return ()
    core = _core_name(name)
    if core != name and not _CJK.search(name):
        exact = re.compile(r"(?<![A-Za-z\u00c0-\u024f'])" + re.escape(name) + r"(?![A-Za-z\u00c0-\u024f])", re.IGNORECASE)
        return ((exact, 0.95), *_user_name_patterns(core))
    if _CJK.search(name):
        compact = name.replace(" ", "")
        patterns = [(re.compile(re.escape(compact)), 0.95)]
        given = _cn_given_name(compact)
        if given:
            patterns.append((re.compile(re.escape(given)), 0.75))
        return (*patterns, *_pinyin_patterns(compact))
    tokens = name.split(" ")
    edge_l = r"(?<![A-Za-z\u00c0-\u024f'" + _HANDLE_LEFT + "])"
    edge_r = r"(?![A-Za-z\u00c0-\u024f" + _HANDLE_RIGHT + "])"
    sep = r"[\s.,]*\s"
    patterns = [(re.compile(edge_l + sep.join(map(re.escape, tokens)) + edge_r, re.IGNORECASE), 0.95)]
    if len(tokens) >= 2:
        first, last = tokens[0], tokens[-1]
        # First + last without the middle names, and "Last, First".
        patterns.append((re.compile(edge_l + re.escape(first) + r"\s+" + re.escape(last) + edge_r, re.IGNORECASE), 0.95))
        # First + last with middle names or initials the profile lacks, as forms write them
        # ("Dana M. Kowalski", "DANIEL CHUKWUEMEKA OKAFOR"); capitalised, so "Dana and
        # Kowalski" is not one name.
        middle = r"(?:\s+[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'-]*\.?){1,2}\s+"
        patterns.append((re.compile(edge_l + f"(?i:{re.escape(first)})" + middle + f"(?i:{re.escape(last)})" + edge_r), 0.95))
        patterns.append((re.compile(edge_l + re.escape(last) + r",\s*" + re.escape(first) + edge_r, re.IGNORECASE), 0.9))
        # First + one of several family names ("Sofía Restrepo" of "Sofía Restrepo Arango"),
        # and first + the family name's initial, as people sign off ("Brendan K.").
        for other in tokens[1:-1]:
            patterns.append((re.compile(edge_l + re.escape(first) + r"\s+" + re.escape(other) + edge_r, re.IGNORECASE), 0.9))
        if last[:1].isupper():
            patterns.append((re.compile(edge_l + f"(?i:{re.escape(first)})" + r"\s+" + re.escape(last[0]) + r"\.?" + edge_r), 0.9))
        # A nickname or another given name with the family name ("Hattie Sowerby" of Harriet
        # Sowerby). Below a relationship cue's score: "my husband Tom Sowerby" is someone else.
        given = r"(?!(?:" + _NOT_GIVEN_NAMES + r")\s)" + _EN_NAME
        patterns.append((re.compile(edge_l + given + r"\s+" + f"(?i:{re.escape(last)})" + edge_r), 0.65))
        # The first name alone only when capitalised as a name ("Jane", not "jane" or "will").
        if len(first) >= 2:
            patterns.append((re.compile(edge_l + re.escape(first[:1].upper() + first[1:].lower()) + edge_r), 0.7))
            patterns.append((re.compile(edge_l + re.escape(first.upper()) + edge_r), 0.7))
    return tuple(patterns)


class UserNameRecognizer:
    """The user's own name and its recognisable variants as "Real Name" (PL2).

    The full name wins over the first name alone because it is tried first and longer spans
    over the same region are kept by the detector.
    """

    name = "user_name"

    def __init__(self, user_name: str) -> None:
        if not isinstance(user_name, str):
            raise TypeError("user_name must be a str")
        self._user_name = user_name

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for pattern, score in _user_name_patterns(self._user_name):
            for match in pattern.finditer(text):
                spans.append(make_span(text, *match.span(), "Real Name", score, self.name))
        return spans

    def __repr__(self) -> str:  # never show the name
        return "UserNameRecognizer(<redacted>)"


_EN_RELATIONS = (
    r"sister|brother|sibling|mother|father|mom|mum|mommy|dad|daddy|parent|son|daughter|wife|husband"
    r"|spouse|partner|boyfriend|girlfriend|fianc[ée]e?|friend|bestie|colleague|coworker|co-worker"
    r"|boss|manager|supervisor|roommate|flatmate|housemate|neighbou?r|cousin|aunt|auntie|uncle|niece"
    r"|nephew|grandma|grandmother|granny|grandpa|grandfather|grandson|granddaughter|teacher|tutor"
    r"|doctor|therapist|dentist|landlord|landlady|lawyer|attorney|classmate|teammate|mentor"
    r"|assistant|stepmother|stepfather|stepson|stepdaughter|stepbrother|stepsister|ex|kid|child"
    r"|baby|in-law|mother-in-law|father-in-law|sister-in-law|brother-in-law|client|employee|intern"
    r"|mate|solicitor|accountant|dispatcher|groom|bride|carer|caseworker|counsellor|counselor|physio|midwife|nanny"
    r"|babysitter|pastor|vicar|priest|sponsor|gf|bf|hubby|missus|wifey|stepmum|stepdad|godmother|godfather"
)
# A capitalised name word, accents included ("Chloé", "Zoë", "O'Neill", "Smith-Jones").
_EN_NAME = r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+(?:[-'’][A-Z\u00c0-\u00de]?[a-z\u00df-\u00ff]+)?"
_EN_RELATION_RE = re.compile(
    r"(?<![A-Za-z])(?i:my|our|his|her|their)\s+"
    r"(?:(?i:older|younger|little|big|elder|best|old|new|ex-|former|late|twin|eldest|youngest|oldest|step-)\s*)?"
    r"(?i:" + _EN_RELATIONS + r")s?(?:,|\s+(?i:is|was|named|called))?\s+"
    r"(?P<value>" + _EN_NAME + r"(?:\s+" + _EN_NAME + r")?)"
    r"(?![A-Za-z\u00c0-\u00ff])"
)
# People named by the role they play in the user's work or care ("our CTO Babajide Coker",
# "my GP Niamh Kavanagh", "the dispatcher is Lupe Cardenas"): a full name follows such a
# word as often as a relative's does, and the tagger, which reads text without case, misses
# names it never saw.
_EN_ROLES = (
    r"GP|CEO|CTO|CFO|COO|founder|co-founder|cofounder|lead|team lead|tech lead|line manager|director|head|"
    r"principal|headteacher|head teacher|headmaster|headmistress|consultant|surgeon|specialist|psychiatrist|"
    r"psychologist|OB|OB-GYN|obstetrician|gynaecologist|gynecologist|paediatrician|pediatrician|pharmacist|vet|"
    r"nurse|social worker|case manager|probation officer|parole officer|officer|adjuster|agent|broker|realtor|"
    r"recruiter|HR|advisor|adviser|contractor|builder|plumber|electrician|mechanic|trainer|coach|date|match|"
    r"advocate|representative|rep|investor|partner"
)
_EN_ROLE_RE = re.compile(
    r"(?<![A-Za-z])(?i:my|our|his|her|their|the)\s+(?:(?i:new|old|former|current|regular|usual)\s+)?"
    r"(?i:" + _EN_ROLES + r"|" + _EN_RELATIONS + r")(?:,|\s+(?i:is|was|named|called))?\s+"
    r"(?P<value>" + _EN_NAME + r"(?:\s+" + _EN_NAME + r")?)"
    r"(?![A-Za-z\u00c0-\u00ff])"
)
# Capitalised words after a role that start the name of a body, not a person ("the HR
# Department", "the head Office").
_EN_INSTITUTION_WORDS = frozenset(
    """Department Dept Office Team Group Services Service Unit Board Committee Council Centre Center
    Hospital Clinic School University College Bank Company Agency Division Desk Support Portal Manager
    Director Officer Nurse Coach Agent General Chief Executive Senior Junior Assistant Deputy""".split()
)
# A title written before a name: "Dr. Halvorsen", "Mrs Okafor", "Brother Hadley". The title is
# part of the span, as `fusion.with_titles` makes it for names the tagger finds.
_EN_TITLED_RE = re.compile(
    r"(?<![A-Za-z])(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?|Doctor|Professor|Brother|Sister|Father|Pastor|Rabbi|Imam|"
    r"Bishop|Elder|Coach|Nurse|Mme|Mlle|M\.)[ \t]+(?P<first>" + _EN_NAME + r")(?:[ \t]+(?P<last>" + _EN_NAME + r"))?"
    r"(?![A-Za-z\u00c0-\u00ff])"
)
# A name announced: "her name is Bev Tolland", "a guy called Dev" (not "a song called Desire").
_EN_CALLED_RE = re.compile(
    r"(?<![A-Za-z])(?i:(?:his|her|their) name is|(?:a|this|some)[ \t]+(?:guy|girl|woman|man|lady|bloke|dude|boy|kid|friend|"
    r"colleague|coworker|client|patient|student)[ \t]+(?:named|called))[ \t]+"
    r"(?P<value>" + _EN_NAME + r"(?:[ \t]+" + _EN_NAME + r")?)(?![A-Za-z\u00c0-\u00ff])"
)
# A form field naming a person: "Emergency contact: Josh Rourke", "Parent/carer 2: ...".
_EN_FIELD_RE = re.compile(
    r"(?<![A-Za-z])(?i:emergency contact|next of kin|parent/carer|parent/guardian|parent|guardian|carer|"
    r"spouse|partner|child|patient|beneficiary|landlord|tenant|contact name|contact|referee|witness|"
    r"attn|attention|full name|name)(?:\s*\d)?\s*:[ \t]*"
    r"(?P<value>" + _EN_NAME + r"(?:[ \t]+[A-Z]\.)?(?:[ \t]+" + _EN_NAME + r"){1,2})(?![A-Za-z\u00c0-\u00ff])"
)
# Name parts in a form: "Given name(s): Owen James", "Surname: Galbraith" (one word is enough).
_EN_NAME_PART_RE = re.compile(
    r"(?<![A-Za-z])(?i:given names?|given name\(s\)|first names?|forenames?|surname|last name|family name|middle names?)"
    r"\s*:[ \t]*(?P<value>" + _EN_NAME + r"(?:[ \t]+" + _EN_NAME + r"){0,2})(?![A-Za-z\u00c0-\u00ff])"
)
# The addressee of a pasted message or e-mail ("Hi Gareth,", "Dear Ms Okafor,") is someone
# else; who signs a draft the user writes ("Cheers,\nDani") is the user.
_EN_GREETING_RE = re.compile(
    r"(?:^|(?<=[\n\"'“‘:]))[ \t]*(?i:hi|hello|hey|dear|morning|evening|good morning|good afternoon)[ \t]+"
    r"(?P<value>" + _EN_NAME + r"(?:[ \t]+" + _EN_NAME + r")?)[ \t]*[,!\n—-]"
)
_EN_SIGN_OFF_RE = re.compile(
    r"(?i:cheers|thanks|thank you|best|regards|kind regards|best regards|warm regards|many thanks|sincerely|"
    r"yours sincerely|yours faithfully|love|take care),?[ \t]*\n?[ \t]*"
    r"(?P<value>" + _EN_NAME + r"(?:[ \t]+" + _EN_NAME + r")?)[ \t]*(?=$|\n|[\"'”’])"
)
# Words that follow a greeting or a sign-off without being anyone's name.
_EN_NOT_ADDRESSEES = frozenset(
    """Sir Madam Madame All Team Everyone Everybody There Guys Folks Hiring Manager Customer Support Mum Mom Dad
    Mummy Daddy Friends Colleagues Neighbours Neighbors Landlord Doctor Teacher Again Both Y'all""".split()
)
# Capitalised words that follow a relationship word without being a name.
_EN_NOT_NAMES = frozenset(
    """I I'm I've I'd I'll And But Or So Then The A An This That These Those He She They We You It
    Is Was Are Were Has Had Have Will Would Can Could Should Must May Might Did Does Do Said Says
    Told Asked Just Also Still Always Never Often Sometimes Today Tomorrow Yesterday Tonight Now
    Here There When Where Who Why How What Which If Because Since After Before While Although
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Christmas Easter Thanksgiving Mr Mrs Ms Dr
    From In On At To For With About Into Over Not No Yes Please Thanks Thank Hi Hello Dear""".split()
)
# Words before a family name that make it a form of address, not a given name ("Mrs Sowerby",
# "Dear Sowerby", "Team Sowerby"), for the user-name patterns.
_NOT_GIVEN_NAMES = "|".join(
    sorted(
        _EN_NOT_NAMES
        | set("""Miss Mx Sir Dame Lady Lord Rev Father Sister Brother Pastor Judge Officer Coach Nurse Doctor
        Professor Hey Team Family Agent Detective Sergeant Captain Mme Mlle Madam Mister Master Uncle Aunt
        Auntie Grandma Grandpa Nana Mum Mom Dad""".split())
    )
)

_ZH_RELATIONS = (
    "同事|朋友|好友|老板|领导|上司|上级|下属|经理|主管|妈妈|妈|母亲|爸爸|爸|父亲|哥哥|姐姐|弟弟|妹妹|"
    "老公|老婆|丈夫|妻子|爱人|儿子|女儿|爷爷|奶奶|外公|外婆|姥姥|姥爷|叔叔|阿姨|舅舅|姑姑|表哥|表姐|表弟|"
    "表妹|堂哥|堂姐|堂弟|堂妹|室友|舍友|同学|邻居|男朋友|女朋友|男友|女友|对象|闺蜜|前任|前妻|前夫|"
    "助理|合伙人|客户|医生|老师|导师|房东|律师|岳父|岳母|公公|婆婆|嫂子|姐夫|妹夫|侄子|侄女|外甥|外甥女|"
    "发小|死党|哥们|兄弟|姐妹|师兄|师姐|师弟|师妹|学长|学姐|学弟|学妹|同桌|搭档|队友|网友|相亲对象|"
    "媳妇|老伴|未婚夫|未婚妻|闺女|小闺女|大闺女|大儿子|小儿子|大女儿|小女儿|孙女|孙子|外孙|外孙女|儿媳妇|儿媳|女婿"
)
# Common single-character surnames; ambiguous characters that mostly start ordinary words
# (于, 时, 向, 常...) are left out for precision.
_ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏苏吕丁"
    "沈任姚卢姜崔钟谭陆汪范廖石金贾夏付方邹熊孟秦邱侯江尹薛闫雷龙黎史陶贺顾毛郝龚邵万钱严赖覃洪武莫孔楼"
)
# Less common surnames, or characters that also start everyday words (白天, 温度): trusted only
# after a cue that announces a name (a relationship, a role, "叫").
_ZH_MORE_SURNAMES = "白康毕岳柳柯段葛牛齐樊殷施乔温包滕鲍左章庞汤易戴傅邢聂焦祝谷翟季尚凌喻裴韦甘艾屈阮褚骆窦廉蓝蒲荣靳瞿邬卓冉蔺晏宁向于时常麦"
_ZH_NAME = r"(?:" + "|".join(_COMPOUND_SURNAMES) + r"|[" + _ZH_SURNAMES + _ZH_MORE_SURNAMES + r"])[\u4e00-\u9fff]{1,2}"
_ZH_RELATION_RE = re.compile(
    r"(?:我|我们|咱|咱们)(?:的|跟|和|与)?(?:" + _ZH_RELATIONS + r")\s?(?:叫|是|名叫|叫做)?"
    r"(?P<value>" + _ZH_NAME + r"|[小老][" + _ZH_SURNAMES + r"])"
)
# Roles at work and school name the person written right after them, with or without "my":
# "发给VP高建伟", "部门的副手刘洋", "班主任何老师". Kinship words are not here: without "my"
# ("妈妈王...") they start ordinary sentences too often.
_ZH_ROLES = (
    "CEO|CTO|CFO|COO|VP|HR|HRBP|PM|总监|副总|经理|主管|组长|副手|搭档|助理|秘书|同事|领导|上司|老板|"
    "班主任|辅导员|导师|同桌|室友|舍友|教练|主治医生|主治医师|医生|护士|律师|中介|房东|"
    "合伙人|股东|下属|实习生|员工|保姆|月嫂|育儿嫂|护工|家教"
)
# Chinese text names colleagues by English names too: "领导Linda", "同事Kevin"; and by "小"/"老"
# and a surname ("保姆小郑", "经理老李"), not a word that starts that way ("小孙子").
_ZH_ROLE_RE = re.compile(
    r"(?:" + _ZH_ROLES + r")(?P<value>" + _ZH_NAME + r"|[小老][" + _ZH_SURNAMES + r"](?![\u4e00-\u9fff]{0,1}[子时])|[A-Z][a-z]{2,12}(?![A-Za-z]))"
)
# Characters common in Chinese given names (Simplified; rules read text after `T2S`). A full
# name is a surname and two of them: "朱慧敏", "孙浩然", "韩雨桐". Characters that mostly
# work as grammar ("的", "了", "在") are not here even where a name may use them.
_ZH_GIVEN_CHARS = frozenset(
    "一丁七万丞东丹丽义之乐云亚亮仁书亦仪伟伦伶佑佩佳依俊俏俐信倩健偲傲儒允兰兵军冠冬冰凌凝凡凤凯函则刚力勇勋勤"
    "卉华卓博卿友双发叶吉同君启咏哲唯啸喜嘉国坚坤垚城培基堂墨士壮夏天奇奎奕如妃妍妙妤妮姗姝姣威娅娇娜娟"
    "娥娴婉婕婧婵婷媛嫣子孜孟学宁宇守安宏宗宜宝宣家宸容富寒尧小岚岩岳峥峰峻崇嵘巍巧帅帆希平年幸广庆庭康"
    "廷建弘强彤彦彩彪彬德徽心志忠怀思怡恒恩悦惠慈慧成才承振政敏敬文斌斐新方旭旻昀昂昆昊昌明昕星春昭昱晋"
    "晓晖晟晨晴晶智曜曦曼月朋朗朝杉杰松林柏柔栋树桂桐桦梁梅梓梦森楚楠楷榕欢欣歆武毅毓民永江沐泉泓波泰泽"
    "洁洋洪浚浩海涛润涵淇淑淼清渊湘源溪滨漫潇澄澜瀚灵灿炎炜烁烨焕然煜熙燕爽玉玥玫玲珂珊珍珠珺琛琦琪琰琳"
    "琴琼瑛瑜瑞瑶瑾璇璐璟生皓益盛睿石碧磊祖祥福秀秋程立竹笑笛筠紫红纯绍维美群羽翔翠翰耀聪育胜腾舒航艳艺"
    "芊芝芬芮芳芸芹苑若英茂茜茵茹荣荷莉莎莲莹菁菊菲萌萍萱蓉蓓蔚蕊蕾薇虹行衡裕言诗语诚诺豪贞贤贵超越跃轩辉辰"
    "达远迪逸道邦郁金鑫钦钧钰铭铮锋锐锦长阳雁雄雅雨雪雯霖霞露青静韬韵顺颖飞馨驰骏鸣鸿鹏鹤麒黎默龙"
)
_ZH_GIVEN = "[" + "".join(sorted(_ZH_GIVEN_CHARS)) + "]"
# A relation or role right before a name whose given part is made of name characters, without
# "my": "女儿罗小红说", "科长刘建平", "同组的刘佳也". The name characters keep "女儿高考" and
# "老公同意" out.
_ZH_KIN_CUE_RE = re.compile(
    r"(?:老公|老婆|丈夫|妻子|媳妇|女儿|儿子|孙女|孙子|外孙女|外孙|闺女|未婚妻|未婚夫|男朋友|女朋友|男友|女友|前夫|前妻|"
    r"我姐|我哥|我弟|我妹|我大哥|我二哥|我大姐|我二姐|我小妹|我小弟|我姐夫|我嫂子|我表哥|我表姐|我表弟|我表妹|"
    r"科长|处长|主任|组长|同组的|研究生|徒弟|客户是|学生|患者|员工)"
    # A three-character name stands whatever follows ("我姐王海燕刚在群里发的"); a two-character
    # one only before a character that cannot continue a name.
    r"(?P<value>[" + _ZH_SURNAMES + r"](?:" + _ZH_GIVEN + r"{2}|" + _ZH_GIVEN + r"(?!" + _ZH_GIVEN + r")))"
)
# A child's doubled pet name after the words that introduce one: "女儿朵朵今年6岁", "小名朵朵",
# "我们平时叫他航航". Doubled words that are not names ("天天", "看看") are not made of name
# characters or are left out; a pet name is carried to its later mentions as a known value.
_ZH_NOT_PET_NAMES = frozenset({"天天", "明明", "常常", "刚刚", "好好", "多多", "点点", "大大", "小小", "清清", "楚楚", "平平", "年年", "家家", "生生", "心心"})
_ZH_PET_CHARS = "".join(sorted(_ZH_GIVEN_CHARS | set("朵豆果糖贝妞球团圆悠甜丫蛋牛毛花芽皮可")))
_ZH_PET_NAME_RE = re.compile(
    r"(?:女儿|儿子|孩子|闺女|孙女|孙子|外孙女|外孙|小名|乳名|叫他|叫她|名叫)(?:叫|是)?\s?"
    r"(?P<value>(?P<char>[" + _ZH_PET_CHARS + r"])(?P=char))(?!(?P=char))"
    r"(?!(?P<next>[\u4e00-\u9fff])(?P=next))"  # not AABB ("花花绿绿")
)
# Parties in legal writing, named without a separator: "原告韩梦琪与被告孙磊", "婚生女孙悦然".
_ZH_PARTY_RE = re.compile(r"(?:原告|被告|申请人|被申请人|当事人|第三人|婚生女|婚生子)(?P<value>" + _ZH_NAME + r")")
# A name announced: "女方叫白静", "他的名字是林浩".
_ZH_CALLED_RE = re.compile(r"(?:名叫|叫做|名字叫|名字是|叫)(?P<value>" + _ZH_NAME + r")")
# Someone the user did something with: "我和邓磊去年离的婚", "我跟陈思雨说好了". Common
# surnames only: "我和时间赛跑" is not a name.
_ZH_WITH_RE = re.compile(
    r"(?:我(?:已经|已|也|都|刚|还|先)?(?:和|跟|与)|和我|跟我)(?P<value>(?:" + "|".join(_COMPOUND_SURNAMES) + r"|[" + _ZH_SURNAMES + r"])[\u4e00-\u9fff]{1,2})"
)
# Form fields: "学生姓名：陈子轩", "家长：陈浩", "联系人: 李娜".
_ZH_FIELDS = (
    "姓名|名字|联系人|紧急联系人|家长|监护人|收件人|收货人|寄件人|患者|病人|申请人|被保险人|投保人|"
    "受益人|法定代表人|法人|户主|持卡人|开户名|户名|签收人|经办人|负责人|配偶|父亲|母亲|"
    "出租方|承租方|出借人|借款人|担保人|被申请人|原告|被告|导师|推荐人|同行人|同住人|陪同人|介绍人"
)
# The value follows a colon, or a space in forms typed without colons ("姓名 陈思琪 性别 女").
# A name field may follow whose name it is ("学生姓名", "患者姓名"); other labels stand alone.
_ZH_FIELD_RE = re.compile(
    r"(?:姓名|名字|(?<![\u4e00-\u9fff])(?:" + _ZH_FIELDS + r"))(?:\s*[:：]\s*|[ \t\u3000]+)"
    r"(?P<value>[\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])"
)
# Surname + title, how Chinese refers to a known person: "何老师", "王医生", "张总".
_ZH_TITLES = r"老师|医生|医师|大夫|律师|教授|院长|校长|主任|经理|总监|警官|护士|师傅|会计|组长|科长|处长|局长|部长|厂长|书记|先生|女士|阿姨|叔叔|大爷|大妈|姐|哥|总(?![结共之算部监经裁体数额量计价统督务会店是的有要在])"
_ZH_TITLED_RE = re.compile(r"(?P<value>[" + _ZH_SURNAMES + r"](?:" + _ZH_TITLES + r"))(?!费)")
# "21万律师费", "3000块钱": an amount, not a surname.
_ZH_COUNT = re.compile(r"[0-9０-９一二两三四五六七八九十百千万亿几块][万钱]")
# Two-character words that end with a surname character: "主任老师" is not "任老师".
_ZH_WORD_ENDS = frozenset(
    {"主任", "责任", "信任", "担任", "前任", "现任", "继任", "上任", "新任", "兼任", "出任", "如何", "任何",
     "为何", "对方", "双方", "地方", "官方", "男方", "女方", "甲方", "乙方", "校方", "警方", "院方", "处方",
     "西方", "东方", "南方", "北方", "各方", "最高", "提高", "身高", "资金", "现金", "奖金", "基金", "租金",
     "押金", "课程", "工程", "过程", "流程", "行程", "疗程", "日程", "历史", "千万", "一万", "感谢", "多谢",
     "也许", "或许", "允许", "其余", "业余", "多余", "照顾", "回顾", "价钱", "赚钱", "花钱", "有钱", "上周",
     "下周", "本周", "这周", "每周", "分钟", "支付", "森林", "钻石", "结石", "规范", "示范", "师范", "大陆",
     "紧张", "主张", "依赖", "信赖", "子孙", "外孙", "树叶", "茶叶", "张罗", "祝贺", "尊严"}
)
# A name ends before these: verbs and particles that usually follow the name.
_ZH_NAME_STOP = set("说是的和跟在也都了给要把被让对去会很又就还今昨最已不没问请叫打想帮带约从向们与及这那前后时里上下过着吗呢吧啊")
# Characters common in given names that also start words: a stop only before that word's
# second character ("刘洋|一直", "王明|天", but "罗一鸣", "温志刚").
_ZH_NAME_SOFT_STOP = {
    "一": "直起样定般些下个次点", "明": "天年白", "刚": "才刚好", "来": "了过的", "家": "里的", "喜": "欢", "道": "歉个谢别",
    "准": "予许备", "生": "日", "发": "条个了消信来给", "美": "金元国",
    "怀": "孕疑", "建": "议", "学": "校习", "长": "大期", "立": "刻即", "文": "件", "小": "时",
}
# Words that often follow a name and would otherwise lend it their first character ("我已和
# 王蕾|沟通过", "老公徐磊|永远"): each is a soft stop too.
_ZH_AFTER_NAME_WORDS = (
    "沟通 商量 联系 见面 结婚 离婚 吵架 分手 聊天 吃饭 合作 一起 视频 通话 认识 约好 讨论 确认 借钱 永远 总是 经常 "
    "平时 现在 目前 当时 最近 已经 一直 刚刚 突然 居然 竟然 非要 坚持 同意 同事 同学 反对 负责 帮忙 介绍 住在 工作 "
    "天天 每天 私下 报备 知道 告诉 觉得 答应 以前 之前 好像 应该 可能 出差 住院 生病 回家"
)
# Titles after a full name ("刘芳|老师"): they end a three-character candidate, but not a
# surname's own title ("何老师", "王老板").
_ZH_TITLES_AFTER_NAME = frozenset({"老师", "老板", "老总"})
for _word in _ZH_AFTER_NAME_WORDS.split():
    _ZH_NAME_SOFT_STOP[_word[0]] = _ZH_NAME_SOFT_STOP.get(_word[0], "") + _word[1]
# Two-character words that begin with a surname character but are not names.
_ZH_NOT_NAMES = frozenset(
    {"马上", "高兴", "高铁", "高中", "高考", "马路", "周末", "方便", "方面", "程序", "金额", "黄金",
     "石头", "毛病", "江湖", "陈述", "周围", "周年", "张开", "林业", "许多", "许可", "何时", "何况",
     "万一", "钱包", "严重", "龙头", "武器", "杜绝", "余额", "朱红", "曾经", "任何", "任务",
     "付款", "付钱", "安全", "田地", "叶子", "孙子", "孙女", "宋体", "沈阳", "江苏", "黎明", "史上",
     "陶瓷", "顾客", "雷雨", "洪水", "莫名", "夏天", "秦朝",
     "胡说", "韩国", "董事", "魏国", "苏州", "丁点", "卢布",
     # Words that start with one of the less common surnames.
     "时间", "时候", "时代", "常常", "常见", "常用", "于是", "向来", "向上", "温度", "温柔", "温暖", "宁可",
     "宁愿", "宁波", "容易", "易于", "白天", "白色", "白菜", "康复", "齐全", "左右", "左边", "章节", "包括",
     "包装", "包子", "汤圆", "戴着", "季节", "尚未", "凌晨", "谷歌", "甘心", "卓越", "牛奶", "牛肉", "岳父",
     "岳母", "施工", "段落", "庞大", "蓝色", "荣誉", "焦虑", "祝福", "艾滋", "单位"}
)


_ALL_SURNAMES = frozenset(_ZH_SURNAMES + _ZH_MORE_SURNAMES)
_ZH_RELATION_WORD = re.compile(r"(?:" + _ZH_RELATIONS + r")")


def _zh_name_start(text: str) -> bool:
    if text.startswith(_COMPOUND_SURNAMES) or (len(text) == 2 and text[0] == text[1]):  # "乐乐"
        return True
    if text[:2] in _ZH_NOT_NAMES:
        return False
    if text[0] in "小老阿":
        return len(text) == 2 or text[1] in _ALL_SURNAMES
    return text[0] in _ALL_SURNAMES


def looks_like_zh_name(text: str) -> bool:
    """Whether Chinese `text` (Simplified) can be a way of naming a person: it starts with a
    surname, "小"/"老"/"阿", or is a doubled nickname, possibly after a relationship word
    ("儿媳妇小吴"); a lone surname counts (its title follows: "王|医生"). Words that merely
    start with a surname character ("许多", "任何") do not."""
    if len(text) == 1:
        return text in _ALL_SURNAMES
    if _zh_name_start(text):
        return True
    return any(_ZH_RELATION_WORD.fullmatch(text, 0, i) and _zh_name_start(text[i:]) for i in range(1, len(text) - 1))


def _stops_name(value: str, i: int, after: str) -> bool:
    char, following = value[i], (value[i + 1 : i + 2] or after)
    return char in _ZH_NAME_STOP or (following != "" and following in _ZH_NAME_SOFT_STOP.get(char, ""))


def _trim_zh_name(value: str, after: str = "") -> str:
    """Cut a 3-character candidate to 2 when its last character is a verb or particle;
    nothing when the second is. `after` is the character after the candidate."""
    if len(value) == 3 and not value.startswith(_COMPOUND_SURNAMES) and (
        _stops_name(value, 2, after) or value[2] + after in _ZH_TITLES_AFTER_NAME
    ):
        value, after = value[:2], value[2]
    if len(value) >= 2 and _stops_name(value, 1, after if len(value) == 2 else value[2]) and not value.startswith(("小", "老")):
        return ""
    return value


class ThirdPartyNameRecognizer:
    """Names right after a relationship word: "my colleague Tom Baker", "我妈妈李秀英",
    "我的同事小王". The relationship word stays out of the span."""

    name = "third_party_name"
    type_ = "Third-Party Identifiable Info"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in (*_EN_RELATION_RE.finditer(text), *_EN_ROLE_RE.finditer(text)):
            start, end = match.span("value")
            words = text[start:end].split()
            if words[0] in _EN_NOT_NAMES or words[0] in _EN_INSTITUTION_WORDS:
                continue
            if len(words) == 2 and words[1] in _EN_NOT_NAMES:
                end = start + len(words[0])
            if text.endswith(("'s", "’s"), start, end):  # "the groom Tiago's mum": the name is "Tiago"
                end -= 2
            spans.append(make_span(text, start, end, self.type_, 0.8, self.name))
        for match in _EN_TITLED_RE.finditer(text):
            if match.group("first") in _EN_NOT_NAMES:
                continue
            end = match.end("first") if match.group("last") in (None, *_EN_NOT_NAMES) else match.end("last")
            spans.append(make_span(text, match.start(), end, self.type_, 0.8, self.name))
        for pattern, type_ in ((_EN_GREETING_RE, self.type_), (_EN_SIGN_OFF_RE, "Real Name")):
            for match in pattern.finditer(text):
                words = match.group("value").split()
                if any(word in _EN_NOT_NAMES or word in _EN_NOT_ADDRESSEES for word in words):
                    continue
                spans.append(make_span(text, *match.span("value"), type_, 0.8, self.name))
        for pattern in (_EN_FIELD_RE, _EN_NAME_PART_RE, _EN_CALLED_RE):
            for match in pattern.finditer(text):
                if not any(word in _EN_NOT_NAMES for word in match.group("value").split()):
                    spans.append(make_span(text, *match.span("value"), self.type_, 0.8, self.name))
        starts: set[int] = set()
        for pattern in (_ZH_RELATION_RE, _ZH_ROLE_RE, _ZH_CALLED_RE, _ZH_WITH_RE, _ZH_PARTY_RE, _ZH_KIN_CUE_RE):
            for match in pattern.finditer(text):
                start = match.start("value")
                value = _trim_zh_name(match.group("value"), text[match.end("value") : match.end("value") + 1])
                if len(value) < 2 or value[:2] in _ZH_NOT_NAMES or start in starts:
                    continue
                starts.add(start)
                spans.append(make_span(text, start, start + len(value), self.type_, 0.8, self.name))
        for match in _ZH_PET_NAME_RE.finditer(text):
            if match.group("value") not in _ZH_NOT_PET_NAMES and match.start("value") not in starts:
                spans.append(make_span(text, *match.span("value"), self.type_, 0.8, self.name))
        for match in _ZH_FIELD_RE.finditer(text):
            spans.append(make_span(text, *match.span("value"), self.type_, 0.8, self.name))
        for match in _ZH_TITLED_RE.finditer(text):
            start = match.start()
            if text[max(0, start - 1) : start + 1] in _ZH_WORD_ENDS or _ZH_COUNT.match(text, max(0, start - 1)):
                continue
            spans.append(make_span(text, start, match.end(), self.type_, 0.8, self.name))
        return longest_per_region(spans)

    def __repr__(self) -> str:
        return "ThirdPartyNameRecognizer()"


# A capitalised first name standing alone: not part of a longer proper noun ("St Brendan's",
# "Lake Louise", "Grace Road", "Taylor Swift"), where it names a place, a shop or a public
# figure more often than someone the user knows.
_EN_FIRST_NAME_RE = re.compile(r"(?<![A-Za-z\u00c0-\u024f'.-])[A-Z][a-z]{2,}(?![A-Za-z\u00c0-\u024f-])(?!\s+[A-Z][a-z])")
_EN_WORD_BEFORE_RE = re.compile(r"([A-Z][A-Za-z]*)\.?\s+$")


def _after_proper_noun(text: str, start: int) -> bool:
    """A capitalised word right before `start` that is not a sentence opener ("Yesterday")."""
    before = _EN_WORD_BEFORE_RE.search(text, max(0, start - 24), start)
    return before is not None and before.group(1) not in _EN_NOT_NAMES


# Someone who writes "i" for "I" writes names in lower case too ("when amaya broke her wrist");
# only their messages are searched for lower-case names.
_TYPES_IN_LOWER_CASE = re.compile(r"(?:^|[\s.!?,(])i(?:'m|m|’m|'ve|’ve|'d|’d|'ll|’ll)?\s")
_EN_LOWER_WORD_RE = re.compile(r"(?<![A-Za-z\u00c0-\u024f'’.@/_-])[a-z]{3,}(?![A-Za-z\u00c0-\u024f@/_-])")


class FirstNameRecognizer:
    """Someone the user mentions by first name alone ("Mason's asthma", "told Aoife"), as
    Third-Party Identifiable Info: chat names friends and family that way, with no relation
    word for `ThirdPartyNameRecognizer` to key on. The user's own first name is found by
    `UserNameRecognizer` as Real Name at a higher score. A weak rule: the tagger's spans win
    its overlaps, so a full name the tagger found stays whole. In a message typed in lower
    case, lower-case names count too."""

    name = "first_name"
    type_ = "Third-Party Identifiable Info"

    def analyze(self, text: str) -> list[Span]:
        spans = [
            make_span(text, *match.span(), self.type_, 0.5, self.name)
            for match in _EN_FIRST_NAME_RE.finditer(text)
            if match.group() in FIRST_NAMES and not _after_proper_noun(text, match.start())
        ]
        if _TYPES_IN_LOWER_CASE.search(text):
            spans += [
                make_span(text, *match.span(), self.type_, 0.5, self.name)
                for match in _EN_LOWER_WORD_RE.finditer(text)
                if match.group().capitalize() in FIRST_NAMES
            ]
        return spans

    def __repr__(self) -> str:
        return "FirstNameRecognizer()"


# A surname (common ones only) and a two-character given name, not inside a longer run of name
# characters.
_ZH_FULL_NAME_RE = re.compile(
    r"(?:" + "|".join(_COMPOUND_SURNAMES) + r"|[" + _ZH_SURNAMES + r"])" + _ZH_GIVEN + r"{2}(?!" + _ZH_GIVEN + r")"
)
# Everyday words spelt with given-name characters, and names of things that look like names.
_ZH_GIVEN_WORDS = frozenset(
    {"喜欢", "明天", "天天", "同学", "同事", "同意", "安全", "健康", "快乐", "平安", "成功", "发生", "生活", "学生",
     "学习", "国家", "中国", "小学", "中学", "天气", "新年", "春节", "年年", "家家", "长期", "生日", "文明", "光明",
     "安静", "强大", "成立", "建立", "发明", "发展", "青年", "少年", "成年", "国庆", "华东", "华南", "华北", "华中",
     "东方", "生意", "才能", "清明", "立春", "立秋", "立冬", "春天", "秋天", "冬天", "夏天", "明星", "海洋", "长江"}
)
# Brands and landmarks of that shape, and public figures: not private unless tied to the
# user's own life, which a name's shape cannot tell.
_ZH_NOT_FULL_NAMES = frozenset(
    {"支付宝", "任天堂", "周大福", "周黑鸭", "金龙鱼", "王老吉", "黄鹤楼", "东方明珠", "周杰伦", "刘德华", "刘慈欣",
     "马化腾", "李彦宏", "张学友", "郭富城", "周星驰", "王家卫", "张艺谋", "陈凯歌", "冯小刚", "赵本山", "范冰冰",
     "赵丽颖", "王一博", "蔡徐坤", "邓紫棋", "林俊杰", "陈奕迅", "王力宏", "孙燕姿", "张韶涵", "蔡依林",
     "罗永浩", "董明珠", "任正非", "刘强东", "张一鸣", "俞敏洪", "郭敬明", "谷爱凌", "杨利伟", "袁隆平", "钟南山",
     "屠呦呦", "诸葛亮", "王安石", "孙中山"}
)
# "周" is a week after a count ("怀孕11周了") and before a day ("周一之前"); a place ends in
# these ("龙雪山").
_ZH_COUNT_BEFORE = frozenset("0123456789一二两三四五六七八九十几每上下本这那个")
_ZH_PLACE_ENDS = frozenset("山江河湖桥园城宫堂")
_ZH_WEEK_DAYS = frozenset("一二三四五六日天末")


class ChineseNameRecognizer:
    """A Chinese full name by its shape alone: a common surname and a two-character given
    name of characters common in names ("隔壁的周桂兰阿姨", "客户是孙浩然和他未婚妻李梦瑶").
    Chat names people without a cue word as often as with one, and three characters of this
    shape are rarely anything else. Third-Party Identifiable Info; the user's own name is
    found by `UserNameRecognizer` at a higher score. A weak rule: where the tagger found the
    name, its span stays."""

    name = "zh_full_name"
    type_ = "Third-Party Identifiable Info"

    def analyze(self, text: str) -> list[Span]:
        spans = []
        for match in _ZH_FULL_NAME_RE.finditer(text):
            value, start = match.group(), match.start()
            surname_len = len(value) - 2
            if (
                value in _ZH_NOT_FULL_NAMES
                or value[:2] in _ZH_NOT_NAMES
                or value[surname_len:] in _ZH_GIVEN_WORDS
                or value[-1] in _ZH_PLACE_ENDS
                or any(_stops_name(value, i, text[match.end() : match.end() + 1]) for i in range(surname_len, len(value)))
                or text[max(0, start - 1) : start + 1] in _ZH_WORD_ENDS
                or (value[0] == "周" and (value[1] in _ZH_WEEK_DAYS or (start > 0 and text[start - 1] in _ZH_COUNT_BEFORE)))
            ):
                continue
            spans.append(make_span(text, start, match.end(), self.type_, 0.5, self.name))
        return spans

    def __repr__(self) -> str:
        return "ChineseNameRecognizer()"
