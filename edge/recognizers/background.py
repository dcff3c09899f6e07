"""Identity background with a written form: schools and classes, job titles in forms and
self-descriptions.

The taxonomy's Identity Background (PL2) includes school, class and job title. Chinese
writes them with fixed endings (…小学, …中学, 四年级3班; …部总监, …车间主任) and English forms
label them ("Job title: ..."), so rules find them where the tagger misses. Everyday mentions
("孩子上小学了", "重点高中", "我们经理说") carry no one's school or title: the name must have
its own words before the ending, and a bare role word is never a title.

Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer, longest_per_region, make_span, past_last_stop
from memveil.edge.span import Span

_SCHOOL_ENDINGS = r"(?:[一二三四五六七八九]小(?!时)|实验小学|实验中学|外国语学校|小学|中学|初中|高中|大学|学院|幼儿园|附小|附中|一中|二中|三中|四中|五中|六中|七中|八中)"
# A class or grade written right after the school: "四年级3班", "初二(3)班", "高三".
_CLASS = r"(?:[一二三四五六七八九1-9]年级(?:[一二三四五六七八九十\d]{1,2}班)?|[初高][一二三](?:[（(]?\d{1,2}[)）]?班)?|[一二三四五六七八九十\d]{1,2}班)?"
# A university's school or department after it: "武汉大学遥感信息工程学院".
_FACULTY = r"(?:(?<=大学)[\u4e00-\u9fff]{2,10}?(?:学院|系|专业))?"
_SCHOOL_RE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,8}?)" + _SCHOOL_ENDINGS + _FACULTY + _CLASS)
# Characters that end a school's name on the left: verbs, particles and pronouns.
_NAME_STOP = set("在读上的去了是到考进和跟转念我他她你家个所这那里们要想让送被把给从说就都也还每该哪")
# Place names with a stop character in them.
_PLACES = frozenset({
    "上海", "上饶", "上虞", "上杭", "上蔡", "进贤", "成都", "花都", "江都", "都江堰", "石家庄", "张家口", "张家界",
    "和平", "和田", "个旧", "那曲", "从化",
})
# Verbs right before a school that make it someone's: "在…读", "上…", "考进…", "摇到…".
_ATTENDS = set("在读上念到进转考")
# Modifiers that make "…小学" a kind of school, not a school.
_GENERIC = re.compile(
    r"^(?:重点|公立|私立|民办|国际|普通|名牌|本地|附近|市里|区里|县里|镇上|农村|寄宿|双语|示范|省重点|市重点|"
    r"好|一般|最好|一流|野鸡|985|211|双一流|知名|顶尖|全日制|成人|职业|民族)+$"
)
# An unnamed class with a grade: "在四年级3班".
_GRADE_CLASS_RE = re.compile(r"[一二三四五六七八九1-9]年级[一二三四五六七八九十\d]{1,2}班")

_TITLES = (
    r"(?:副)?(?:总监|经理|主管|主任|组长|科长|处长|部长|厂长|店长|总经理|总裁|工程师|设计师|架构师|分析师|会计|"
    r"出纳|专员|护士长|护士|医生|医师|教师|老师|讲师|教授|研究员|程序员|律师|销售|文员|司机|厨师|保安|前台|HR|HRBP|"
    r"骑手|外卖员|快递员|柜员|运营|行政|审计|科员|公务员|客服|主播|编辑|记者|导游|民警|辅警|警察|护工|保姆|月嫂|"
    r"育儿嫂|电工|焊工|技术员|业务员|店主|个体户|宝妈|实习生|研究生|博士生|开发)"
)
# A department and its title: "市场部总监", "二车间主任", "财务部的会计".
_DEPT_TITLE_RE = re.compile(r"(?P<dept>[\u4e00-\u9fffA-Za-z]{1,5}?)(?:部|处|中心|车间)(?:门)?的?" + _TITLES)
# The user describing their own job: "我是一名护士", "我在一家外企做财务分析师".
_SELF_TITLE_RE = re.compile(
    r"(?:(?:我|俺)(?:自己|现在|目前|以前|之前)?|(?<![他她它])(?:以前|之前|退休前))(?:在[^，。；！？,.;!?\n]{2,16}?)?"
    r"(?:是|当|做|干|任)(?:了|过)?(?:[一二两三四五六七八九十几半\d]+多?年的?)?(?:一名|一个|个|名)?(?P<value>[\u4e00-\u9fffA-Za-z]{0,6}?" + _TITLES + r")"
    r"(?![\u4e00-\u9fff]{0,2}(?:说|讲|告诉|让|吗|呢))"
)
# A trade said as what one does: "我是开网约车的", "我是做会计的".
_TRADE_RE = re.compile(
    r"(?:我|俺)(?:是|就是)(?P<a>(?:做|开|跑|搞|卖|干|送)[\u4e00-\u9fffA-Za-z]{1,6}?的)(?![\u4e00-\u9fff]{0,1}[人话事时钱])"
    # Without "是" only where the phrase ends the clause: "我开货车的 明天一早…", not "我开车的时候".
    r"|(?:我|俺)(?P<b>(?:开|跑|送)[\u4e00-\u9fffA-Za-z]{1,5}?的)(?=[\s，,。！!；;]|$)"
)
_FIELD_TITLE_RE = re.compile(
    r"(?:职位|职务|岗位|职称|(?i:job title|position|role|title))\s*[:：]\s*(?P<value>[^\n,，;；。]{2,40}?)\s*(?=$|[\n,，;；。])",
    re.MULTILINE,
)


_FIELD_VALUE = r"\s*[:：]\s*(?P<value>[^\s,，;；。:：]{2,30})"
# Form fields: "部门：财务部", "工作单位：上海瑞金医院", "就读学校：…".
_FIELD_DEPARTMENT_RE = re.compile(r"(?:所在部门|部门|科室)" + _FIELD_VALUE)
_FIELD_EMPLOYER_RE = re.compile(r"(?:工作单位|就职单位|任职单位|所在单位|单位名称|公司名称|所在公司|(?i:employer|company))" + _FIELD_VALUE)
# Gender in a form: "性别：女", "性别 男".
_GENDER_RE = re.compile(r"性别(?:\s*[:：]\s*|[ \t\u3000]+)(?P<value>男|女)(?![\u4e00-\u9fff])")
# Where the user studied or works, named before the verb: "毕业于华中科技大学", "在中山大学附属第一
# 医院上班". Only names with an institution's ending count: "在家上班" names nothing.
_INSTITUTION = r"[\u4e00-\u9fffA-Za-z0-9]{2,20}?(?:大学|学院|中学|小学|学校|医院|银行|支行|分行|公司|集团|事务所|研究所|研究院|局|厂|中心)"
_GRADUATED_RE = re.compile(r"(?:毕业于|就读于|考上了?|被录取到?)(?P<value>" + _INSTITUTION + r")")
_WORKS_AT_RE = re.compile(r"(?:我|我现在|我目前|现在|目前|以前|之前|原来|退休前|^|(?<=[\s，,。]))在(?![^，。,\s]{0,8}?一[家个])(?P<value>" + _INSTITUTION + r")(?=上班|工作|任职|实习|当|做|干)")
# A business named with "叫": "店名叫春梅家果园", "我在东莞一家模具厂 叫鸿锐精密", "公司叫粤康医疗".
_NAMED_BUSINESS_RE = re.compile(
    r"(?:公司|店|馆|厂|工作室|门店|铺子|档口|餐厅|饭店|超市|诊所|机构|网店|小店|店铺|品牌)(?:的?名字?)?\s?(?:叫|名叫|叫做)\s?"
    r"(?P<value>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)(?=[\s，。,.;；！!？?、]|$)"
)
# Where the user works, by any name: "我在盛禾物流做财务专员", "现在在网易杭州做产品实习生",
# "我在美团送外卖", "我在昆明十中教高二历史". The
# name must not be a kind of workplace ("在医院上班", "在一家外企做HR"), a place ("在北京上
# 班", "在苏州工业园区上班") or a pointer ("在这站干了两年").
_WORKS_AT_NAME_RE = re.compile(
    r"(?:我|我现在|我目前|现在|目前)在(?:[\u4e00-\u9fff]{1,8}[区市县镇园城]的)?(?P<value>[\u4e00-\u9fffA-Za-z]{2,10}?)(?=上班|工作|任职|实习|做|干|当|(?<!传)教|送外卖|送快递|跑外卖|跑单|跑滴滴|开滴滴|兼职|打工)"
)
# The employer said as what "单位"/"公司" is: "单位是上海电气", "公司是苏州工业园区的恒瑞精密".
# Not what kind it is ("公司是国企", "公司是做外贸的") or a question ("公司是不是…").
_EMPLOYER_IS_RE = re.compile(
    r"(?:单位|公司|單位)(?:是|為|为)(?:[\u4e00-\u9fff]{1,8}[区市县镇园城]的)?"
    r"(?P<value>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)(?=[\s，。,.;；！!？?、）)]|$)"
)
_NOT_A_NAME_START = set("不做搞干在个一很挺真怎什哪这那有没也都还就要想我他她你")
# A company's registered name, which only a real, particular company has: "…有限公司",
# "…律师事务所". The words before it are cut at a pronoun, verb or particle.
_REGISTERED_ORG_RE = re.compile(
    r"(?P<value>(?P<name>[\u4e00-\u9fffA-Za-z0-9（）()]{2,24}?)(?:股份有限公司|有限责任公司|有限公司|律师事务所|会计师事务所))"
)
_ORG_LEAD_STOP = set("我你他她们在是叫给向与跟被由致把对从为系的了和及去到找说让请帮替欠司个某")
# A kind of company, not a particular one: "注册一个有限公司", "开一家律师事务所", "哪家律师事务所".
_NOT_A_PARTICULAR_ORG = re.compile(r"一[家间所]|什么|哪")
# Trade words that end a business's brand name ("星澜科技", "格桑旅行", "立伟鞋材"): in a
# signature line such a word names the signer's business.
_TRADE_END = re.compile(
    r"[\u4e00-\u9fff]{2,6}(?:科技|智能|电子|精密|机械|五金|鞋材|口腔|家居|家具|旅行|旅游|婚礼策划|策划|物流|货运|"
    r"传媒|文化|教育|美术|餐饮|食品|贸易|商贸|建材|装饰|服饰|药业|医疗|汽修|园艺|園藝|咨询|设计|摄影|健身|美容|"
    r"乳业|茶业|置业|地产|物业|家政|网络|信息|软件|电器|工作室|科技公司|律所|诊所|診所|出租|車行|车行)"
)
_NOT_EMPLOYERS = frozenset({
    "医院", "小区", "公司", "单位", "家里", "老家", "外地", "外面", "网上", "学校", "店里", "厂里", "工地", "部队",
    "国企", "外企", "私企", "事业单位", "体制内", "大厂", "物流公司", "培训机构", "这边", "那边", "本地", "当地",
    "线上", "机构", "班上", "课上",
})
# Provinces and large cities: "在北京上班" says where, not for whom.
_ZH_REGIONS = frozenset(
    "北京 上海 天津 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 "
    "陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 广州 深圳 杭州 南京 成都 武汉 西安 苏州 长沙 郑州 厦门 "
    "青岛 昆明 大连 宁波 合肥 济南 沈阳 哈尔滨 长春 石家庄 太原 南昌 福州 南宁 贵阳 兰州 西宁 银川 乌鲁木齐 呼和浩特 "
    "拉萨 海口 三亚 东莞 佛山 无锡 常州 温州 珠海 中山 惠州 烟台 潍坊 徐州 义乌 绍兴 嘉兴 台州 金华 泉州 洛阳 "
    "国外 海外 外企 老家 县城 镇上 村里 农村 城里 市里".split()
)
_FIELD_SCHOOL_RE = re.compile(r"(?:就读学校|毕业院校|毕业学校|所在学校|学校|年级班级|班级|(?i:school))" + _FIELD_VALUE)
_FIELD_BIRTH_RE = re.compile(
    r"(?:出生日期|出生年月日?|生日|(?i:date of birth|DOB))\s*[:：]?\s*"
    r"(?P<value>(?:19|20)\d{2}(?:年\d{1,2}月(?:\d{1,2}[日号])?|[-/.]\d{1,2}(?:[-/.]\d{1,2})?))"
)
# A specific age: "我才42岁", "儿子今年8岁", "a 7-year-old".
_AGE_RE = re.compile(
    r"(?:我|他|她|孩子|儿子|女儿|老大|老二|大宝|二宝|宝宝|今年|才|已经|都|刚|快|满|虚岁|周岁)\s?"
    r"(?P<value>\d{1,3}(?:周)?岁(?:半)?)(?!以[上下]|左右|之前|之后|前|后|的时候)"
    r"|(?<![\w-])(?P<en>\d{1,2}[- ](?:years?|yrs?)[- ]old|\d{1,2}[ ]?(?:yo|y/o|y\.o\.))(?![A-Za-z])"
)
# A baby's age in months: "宝宝14个月", "女儿才8个多月".
_MONTHS_OLD_RE = re.compile(
    r"(?:宝宝|孩子|儿子|女儿|闺女|小孩|娃|二宝|大宝)(?:今年|才|刚|快|已经|现在)?\s?(?P<value>\d{1,2}个多?月(?:大)?)"
)
# An exam score that places a student: "高考考了523分", "中考 587分".
_EXAM_SCORE_RE = re.compile(r"(?:高考|中考|考研|考了|考到|总分|分数是?)\s?(?P<value>[1-7]\d{2}分)")
# A signature or letterhead: "落款写 综合科 雷晓霞", "署名：彭宇航 后端开发 星澜科技". Each
# unit in it that is a department, a team, a class or a title says where the signer works.
_SIGNATURE_RE = re.compile(r"(?:落款|署名|签名|抬头)[^\n]{0,10}?(?:[:：]|写|是|改成|用)?[ \t]*(?P<line>[^\n，。,]{2,60})")
_UNIT_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,10}?(?:部|科|组|处|办|班|室|中心|车间|事业部|办公室)")
_TITLE_UNIT_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,6}?" + _TITLES)
# A year or class at school, in English: "he's in 3rd class", "in P5 at Hyndland Primary",
# "is in grade 4 at École Riel", with the school when it follows.
_EN_CLASS_RE = re.compile(
    r"(?:(?<![A-Za-z])|(?<=[’']))(?i:(?:is|was|s|hes|shes|starts|started|starting|going into|goes into|now)[ \t]+in)[ \t]+"
    r"(?P<value>(?:(?i:grade|year|form)[ \t]+\d{1,2}|[PS][1-7]|\d{1,2}(?:st|nd|rd|th)[ \t]+(?i:grade|class|year|form)|"
    r"(?i:kindergarten|reception|junior infants|senior infants|pre-k))"
    r"(?:[ \t]+(?:at|in)[ \t]+[A-Z\u00c0-\u00de][\w\u00c0-\u00ff'’-]*(?:[ \t]+[A-Z\u00c0-\u00de][\w\u00c0-\u00ff'’-]*){0,3})?)"
    r"(?![A-Za-z])"
)
# A subject of study after its university, or standing alone between commas: "华南理工大学计算机
# 专业", "中山大学社会学系", "读大四 机械专业". Not "这个专业", "跨专业", "没关系".
_MAJOR_RE = re.compile(
    r"(?:(?<=大学)|(?<=学院)|(?<=大)(?!学))(?P<value>[\u4e00-\u9fff]{2,8}?(?:专业|系))(?=[\s，,。的读毕大研本]|$)"
    r"|(?<=[\s，,])(?P<b>(?!这|那|跨|什么|哪|热门|冷门|好|本|该|同|转|其他|别的|各)[\u4e00-\u9fff]{2,6}?专业)(?=[\s，,。的]|$)"
)
# A year of study: "读三年级", "在读研二".
_GRADE_RE = re.compile(r"(?:读|上|在读|念|我现在|我目前|今年|现在是|目前是)(?P<value>[一二三四五六]年级|初[一二三]|高[一二三]|大[一二三四]|研[一二三]|博[一二三四五])")
# The month a person was born, with the word that says so: "1996年8月生", "1988年3月12日出生".
_BIRTH_RE = re.compile(r"(?P<value>(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}[日号])?(?:出生|生))")
# Ethnicity, religion, party membership and sexual orientation said of a person (Sensitive
# Identity, PL3).
_ETHNIC_GROUPS = (
    "回民|藏民|维族|汉族|回族|维吾尔族|藏族|蒙古族|壮族|满族|苗族|彝族|土家族|布依族|侗族|瑶族|朝鲜族|白族|哈尼族|哈萨克族|黎族|傣族|畲族|"
    "傈僳族|东乡族|仡佬族|拉祜族|佤族|水族|纳西族|羌族|土族|仫佬族|锡伯族|柯尔克孜族|景颇族|达斡尔族|撒拉族|布朗族|"
    "毛南族|塔吉克族|普米族|阿昌族|怒族|鄂温克族|京族|基诺族|德昂族|保安族|俄罗斯族|裕固族|乌孜别克族|门巴族|鄂伦春族|"
    "独龙族|赫哲族|高山族|珞巴族|塔塔尔族"
)
_FAITHS = (
    "基督徒|穆斯林|佛教徒|天主教徒|道教徒|东正教徒|犹太教徒|信佛|信基督教?|信主|信耶稣|信天主教?|信伊斯兰教?|信道教|"
    "受洗了?|皈依了?|共产党员|中共党员|党员|预备党员|民主党派|同性恋|双性恋|无性恋|跨性别|gay|les|拉拉|(?i:gay|lesbian|bisexual|transgender)"
)
_IDENTITY_RE = re.compile(
    r"(?:民族\s*[:：]?\s*|宗教信仰\s*[:：]?\s*|政治面貌\s*[:：]?\s*|(?:户口本上|户口上|身份证上)(?:写的)?是|(?<=[，,、 ])(?=(?:"
    + _ETHNIC_GROUPS + r")[，,、 ])|(?:我们家|我|我们|我家|全家|他|她|他们|她们|我妈|我爸|我老公|我老婆|"
    r"男朋友|女朋友|对象|男方|女方)(?:都|也|一家)?(?:是|信|已经)?)(?P<value>" + _ETHNIC_GROUPS + "|" + _FAITHS + ")(?![A-Za-z])"
)


class BackgroundRecognizer(RuleRecognizer):
    """Who a person is: schools and classes (School), job titles (Job Title/Rank), employers,
    departments, ages and years of study (Identity Background), birth months (Specific Date
    of Birth), and ethnicity, faith and party membership (Sensitive Identity)."""

    name = "background"
    rules = (
        Rule(_GRADE_CLASS_RE, "School", 0.5),
        Rule(_FIELD_TITLE_RE, "Job Title/Rank", 0.5),
        Rule(_SELF_TITLE_RE, "Job Title/Rank", 0.5),
        Rule(_FIELD_DEPARTMENT_RE, "Identity Background", 0.5),
        Rule(_FIELD_EMPLOYER_RE, "Employer/Company Name", 0.5),
        Rule(_FIELD_SCHOOL_RE, "School", 0.5),
        Rule(_GENDER_RE, "Identity Background", 0.5),
        Rule(_FIELD_BIRTH_RE, "Specific Date of Birth", 0.5),
        Rule(_TRADE_RE, "Job Title/Rank", 0.5),
        Rule(_GRADUATED_RE, "School", 0.5),
        Rule(_WORKS_AT_RE, "Employer/Company Name", 0.5),
        Rule(_NAMED_BUSINESS_RE, "Employer/Company Name", 0.5),
        Rule(_GRADE_RE, "Identity Background", 0.5),
        Rule(_MAJOR_RE, "Identity Background", 0.5),
        Rule(_BIRTH_RE, "Specific Date of Birth", 0.5),
        Rule(_IDENTITY_RE, "Sensitive Identity", 0.5),
        Rule(_MONTHS_OLD_RE, "Identity Background", 0.5),
        Rule(_EXAM_SCORE_RE, "Identity Background", 0.5),
        Rule(_EN_CLASS_RE, "Identity Background", 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = super().analyze(text)
        for match in _AGE_RE.finditer(text):
            group = "value" if match.group("value") else "en"
            spans.append(make_span(text, *match.span(group), "Identity Background", 0.5, self.name))
        spans.extend(self._schools(text))
        spans.extend(self._department_titles(text))
        spans.extend(self._signature_units(text))
        spans.extend(self._workplaces(text))
        spans.extend(self._employers_named(text))
        spans.extend(self._registered_orgs(text))
        return longest_per_region(spans)  # a school with its class over the class alone

    def _schools(self, text: str) -> list[Span]:
        out = []
        for match in _SCHOOL_RE.finditer(text):
            name = match.group("name")
            cut = past_last_stop(name, _NAME_STOP, keep=_PLACES)
            before = name[cut - 1] if cut else text[match.start() - 1 : match.start()]
            name = name[cut:]
            if len(name) < 2 or _GENERIC.match(name):
                continue
            # Someone's school, not a school in the news: attended ("在/读/上/考进…") or with a class.
            has_class = match.end() > match.start("name") + len(match.group("name")) + 2 and text[match.end() - 1] in "班级一二三"
            if before not in _ATTENDS and not has_class:
                continue
            out.append(make_span(text, match.start("name") + cut, match.end(), "School", 0.5, self.name))
        return out

    def _department_titles(self, text: str) -> list[Span]:
        out = []
        for match in _DEPT_TITLE_RE.finditer(text):
            dept = match.group("dept")
            cut = past_last_stop(dept, _NAME_STOP)
            if cut == len(dept):
                continue
            out.append(make_span(text, match.start("dept") + cut, match.end(), "Job Title/Rank", 0.5, self.name))
        return out

    def _workplaces(self, text: str) -> list[Span]:
        out = []
        for match in _WORKS_AT_NAME_RE.finditer(text):
            name = match.group("value")
            if (
                name in _NOT_EMPLOYERS
                or name[0] in "这那给"
                or "的" in name
                or "一家" in name
                or "一个" in name
                or name[-1] in "区市省县镇村"
                or any(name.startswith(region) and len(name) <= len(region) + 1 for region in _ZH_REGIONS)
            ):
                continue
            out.append(make_span(text, *match.span("value"), "Employer/Company Name", 0.5, self.name))
        return out

    def _signature_units(self, text: str) -> list[Span]:
        out = []
        for match in _SIGNATURE_RE.finditer(text):
            offset = match.start("line")
            for unit in re.finditer(r"[^\s:：]+", match.group("line")):
                word = unit.group()
                if _UNIT_RE.fullmatch(word) or _TITLE_UNIT_RE.fullmatch(word) or _TRADE_END.fullmatch(word):
                    start = offset + unit.start()
                    out.append(make_span(text, start, start + len(word), "Identity Background", 0.5, self.name))
        return out

    def _employers_named(self, text: str) -> list[Span]:
        out = []
        for match in _EMPLOYER_IS_RE.finditer(text):
            name = match.group("value")
            if name in _NOT_EMPLOYERS or name[0] in _NOT_A_NAME_START or name[-1] in "的了吗呢吧啊" or "一家" in name:
                continue
            out.append(make_span(text, *match.span("value"), "Employer/Company Name", 0.5, self.name))
        return out

    def _registered_orgs(self, text: str) -> list[Span]:
        out = []
        for match in _REGISTERED_ORG_RE.finditer(text):
            start = match.start("name") + past_last_stop(match.group("name"), _ORG_LEAD_STOP, keep=_PLACES)
            if match.end("name") - start >= 2 and not _NOT_A_PARTICULAR_ORG.search(text, start, match.end("name")):
                out.append(make_span(text, start, match.end(), "Employer/Company Name", 0.5, self.name))
        return out
