"""Diagnoses and medicines by name (English and Chinese), as Medical Health.

The taxonomy's Medical Health (PL3) covers diagnoses, conditions and prescriptions, "not vague
moods". A condition or a medicine has a name a dictionary can hold, which chat rarely uses
for anything else ("二甲双胍", "Hashimoto's", "sertraline 50mg"); the learned tagger misses
names it never saw in training. So this recognizer looks them up, the way Presidio's
deny-list recognizers do, with the words that qualify them (severity, stage, type, dose).

Words that are also everyday moods ("depression", "anxiety", "焦虑", "失眠") count only with
a clinical word ("disorder", "症", a severity) or after "diagnosed with"/"诊断为" and the like.
Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import EN_COUNT, EN_MONTH, ZH_COUNT, Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_TYPE = "Medical Health"


def _alternation(words: str, sep: str | None = None) -> str:
    """Longest first, so "2型糖尿病" is not cut at "糖尿病". Acronyms and names with inner
    capitals keep their case ("ADHD", "PrEP"); other words match in any case ("Diabetes")."""
    terms = sorted({w.strip() for w in words.split(sep) if w.strip()}, key=lambda w: (-len(w), w))
    # Chat drops or curls the apostrophe: "crohns", "Alzheimer’s".
    escaped = [(w, re.escape(w).replace("'", "['’]?")) for w in terms]
    return "|".join(e if any(c.isupper() for c in w[1:]) else f"(?i:{e})" for w, e in escaped)


_ZH_CONDITIONS = _alternation(
    """抑郁症 焦虑症 焦虑障碍 抑郁障碍 双相情感障碍 双相障碍 躁郁症 强迫症 精神分裂症 惊恐障碍 惊恐发作 社交恐惧症
    创伤后应激障碍 注意缺陷多动障碍 多动症 抽动症 自闭症 孤独症 阿斯伯格综合征 进食障碍 厌食症 暴食症 产后抑郁
    阿尔茨海默病 阿尔茨海默症 阿尔茨海默 老年痴呆 帕金森病 帕金森 癫痫 偏头痛 脑梗 脑梗塞 脑出血 中风 高血压 低血压 糖尿病 妊娠期糖尿病
    甲减 甲亢 甲状腺功能减退 甲状腺功能亢进 桥本甲状腺炎 桥本氏甲状腺炎 甲状腺结节 乳腺结节 乳腺增生 肺结节 脂肪肝
    乙肝 丙肝 肝硬化 艾滋病 梅毒 淋病 尖锐湿疣 生殖器疱疹 HPV感染 多囊卵巢综合征 多囊 子宫肌瘤 子宫内膜异位症
    卵巢囊肿 宫颈糜烂 不孕症 不孕 不育 弱精 早泄 阳痿 勃起功能障碍 痛风 类风湿关节炎 类风湿 红斑狼疮 强直性脊柱炎
    银屑病 牛皮癣 湿疹 荨麻疹 白癜风 哮喘 慢阻肺 肺气肿 肺结核 冠心病 心梗 心肌梗死 心衰 心力衰竭 房颤 心律不齐
    心肌炎 肾衰竭 尿毒症 肾病综合征 肾结石 胆结石 胃溃疡 十二指肠溃疡 萎缩性胃炎 胃炎 幽门螺杆菌感染 幽门螺杆菌
    肠易激综合征 克罗恩病 溃疡性结肠炎 腰椎间盘突出 腰间盘突出 颈椎病 骨质疏松 贫血 地中海贫血 白血病 淋巴瘤 肺癌 乳腺癌 胃癌
    肝癌 肠癌 结肠癌 直肠癌 宫颈癌 卵巢癌 甲状腺癌 前列腺癌 鼻咽癌 食管癌 胰腺癌 脑瘤 青光眼 白内障 视网膜脱落
    弱视 唐氏综合征 发育迟缓 先天性心脏病 宫外孕 先兆流产 胎停 睡眠呼吸暂停 睡眠障碍 抑郁倾向 焦虑倾向 产后抑郁症
    盆底肌松弛 腹直肌分离 新生儿黄疸 湿疹 过敏性鼻炎 鼻炎 幽门螺杆菌阳性 阴道炎 霉菌性阴道炎 盆腔炎 宫颈炎 前列腺炎
    尿路感染 带状疱疹 肾炎 肾衰 尿毒症 脑梗死 急性脑梗 急性心梗 心肌缺血 冠脉狭窄 动脉硬化 颈动脉斑块 室颤 早搏
    室性早搏 心动过速 心悸 睡眠障碍 高血脂 高尿酸 高尿酸血症 低血糖 脑震荡 半月板损伤 半月板撕裂 韧带撕裂 十字韧带断裂
    腰肌劳损 痔疮 肠息肉 胃息肉 阑尾炎 胆囊炎 肺炎 支气管炎 过敏性哮喘 过敏性皮炎 特应性皮炎 月经不调 更年期综合征
    乳糖不耐受 牛奶蛋白过敏 青光眼 近视性黄斑病变 肌无力 重症肌无力 结肠息肉 胆囊息肉 骨折
    甲流 乙流 甲型流感 乙型流感 支原体肺炎 支原体感染 手足口病 水痘 麻疹 猩红热 腮腺炎 百日咳 川崎病 诺如病毒感染
    热性惊厥 高热惊厥 冠状动脉扩张 冠脉扩张 冠状动脉狭窄 主动脉夹层 主动脉瘤 动脉瘤 肺栓塞 深静脉血栓 下肢静脉曲张
    静脉曲张 心肌病 扩张型心肌病 肥厚型心肌病 心绞痛 心包积液 二尖瓣反流 黄斑变性 黄斑裂孔 糖尿病视网膜病变 视网膜病变
    糖尿病肾病 糖尿病足 斑秃 雄激素性脱发 痤疮 玫瑰痤疮 脂溢性皮炎 轻躁狂 躁狂发作 抑郁发作 广泛性焦虑障碍 边缘型人格障碍
    人格障碍 分离性障碍 失眠症 发作性睡病 肾积水 尿失禁 前列腺增生 膀胱炎 肾囊肿 多囊肾 IgA肾病 慢性肾病 肾功能不全
    扁桃体炎 腺样体肥大 中耳炎 鼻窦炎 鼻息肉 声带小结 感统失调 语言发育迟缓 抽动障碍 渐冻症 肌萎缩侧索硬化 多发性硬化
    脑瘫 截瘫 偏瘫 面瘫 面神经麻痹 三叉神经痛 突发性耳聋 突聋 神经性耳聋 梅尼埃病 卵巢早衰 子宫内膜增厚 宫颈息肉
    子宫腺肌症 宫颈上皮内瘤变 宫颈癌前病变 HPV阳性 HIV阳性 乙肝大三阳 乙肝小三阳 乙肝携带者 多发性骨髓瘤 骨髓瘤
    甲状腺乳头状癌 结直肠癌 三阴乳腺癌 膀胱癌 肾癌 胆管癌 骨肉瘤 黑色素瘤 尘肺 矽肺 间皮瘤 石棉肺 系统性红斑狼疮 干燥综合征
    硬皮病 银屑病关节炎 骨关节炎 股骨头坏死 腱鞘炎 肩袖损伤 足底筋膜炎 脊柱侧弯 肠梗阻 急性胰腺炎 胰腺炎 反流性食管炎
    胃食管反流 肛瘘 肛裂 腹股沟疝 子痫前期 妊娠高血压 前置胎盘 胎盘早剥 宫颈机能不全 产后出血 乳腺炎 潜伏结核 代谢综合征
    骨转移 脑转移 肝转移 肺转移 淋巴结转移 腹膜转移 转移灶"""
)
# Moods as much as conditions: clinical only with a severity or after a diagnosis verb.
_ZH_MOODS = "抑郁|焦虑|失眠|厌食"
_ZH_SEVERITY = r"(?:轻度|中度|重度|中重度|轻中度|早期|中期|晚期|[1-4一二三四]期|[12一二]型|I型|II型|慢性|急性|复发性|难治性|妊娠期|产后)"
_ZH_DIAGNOSED = r"(?:诊断为|诊断是|确诊为|确诊了|确诊|查出|查出了|查出来|得了|患有|患了|医生说是|医生说我是)"
_ZH_GRADE = r"(?:\s?[，,]?\s?(?:\d[a-c]?类|[1-4]级|[ⅠⅡⅢⅣ]度|[ⅠⅡⅢⅣ]期))?"
# What a condition comes with: another one ("中度焦虑伴惊恐发作"), how long ("高血压十几年"),
# how bad ("很严重"), a stay in hospital ("脑梗住院了").
_ZH_TAIL = (
    r"(?:(?:伴|伴有|合并)" + _ZH_SEVERITY + r"?(?:" + _ZH_CONDITIONS + r"))?"
    r"(?:" + ZH_COUNT + r"多?年(?:了|多了)?)?"
    r"(?:\s?(?:混合型|注意缺陷型|注意力缺陷型|多动冲动型))?(?:的?倾向)?"
    r"(?:(?:很|比较|特别|挺|非常)?严重)?(?:住院(?:了)?)?"
)
# A gloss in brackets right after a name: "注意缺陷多动障碍（ADHD）".
_GLOSS = r"(?:\s?[（(][^()（）\n]{1,15}[)）])?"
# Pregnancy and fertility: private health facts with a form of their own.
_ZH_PREGNANCY = (
    # IVF by its steps, first: "促排第8天", "促排打了十天针", "第一次移植没成功", "备孕两年一直没怀上".
    r"促排(?:第" + ZH_COUNT + r"天|打了" + ZH_COUNT + r"天(?:的)?针)?|(?:第[一二三四五六七八九十\d]次移植|移植(?=没|失|成))(?:没成功|失败了?|成功了?)?"
    r"|(?:结婚|备孕)" + ZH_COUNT + r"年(?:了)?(?:一直|都|还)?没怀上|"
    r"(?:孕|怀孕)\s?\d{1,2}\s?周(?:\s?\+?\s?\d天)?|(?:刚|已经)?怀孕(?:了)?(?:[一二三四五六七八九十\d]{1,2}个多?月)?|"
    r"备孕(?:二胎|三胎)?|胎停(?:育)?|(?<!年)人流(?![感量])|药流|剖腹产|剖宫产|顺产|早产|做试管|试管婴儿"
)

# A period that is late, missing or irregular: "月经已经两个多月没来了", "三个月没来例假",
# "例假推迟了十来天". The period alone ("来例假了") is everyday talk; what it does is the fact.
_ZH_MENSES_WORD = r"(?:月经|例假|大姨妈|姨妈)"
_ZH_MENSES = (
    _ZH_MENSES_WORD + r"(?:已经|都|也|一直|老是|又|还)?(?:" + ZH_COUNT + r"个多?月|" + ZH_COUNT + r"来?天)?"
    r"(?:没来了?|沒來了?|推迟了?(?:" + ZH_COUNT + r"(?:来?天|周|个星期)多?)?|不规律|不调|紊乱|停了|量(?:特别|很|非常)?[少多])"
    r"|(?:已经|都)?" + ZH_COUNT + r"(?:个多?月|来?天)(?:都)?没来" + _ZH_MENSES_WORD + r"(?:了)?"
)
# Thoughts of ending one's life, with how often: "有时候真的不想活了", "不想活了的念头".
_ZH_SUICIDAL = (
    r"(?:有时候|有时|偶尔|经常|老是|常常|总是|真的|一直|都|又|会){0,3}"
    r"(?:不想活了?|(?<!得)想死(?![你他她])|想轻生|想自杀|轻生|自残|割腕)(?:的(?:念头|想法))?"
)

# Allergies by what they are to, and injuries by the body part: "青霉素过敏", "对海鲜过敏",
# "膝盖肿起来了", "脚踝扭伤".
_ZH_ALLERGY = (
    r"(?:对)?(?:牛奶蛋白|青霉素|头孢|磺胺|阿司匹林|花粉|尘螨|螨虫|海鲜|虾|芒果|花生|坚果|鸡蛋|牛奶|乳糖|麸质|酒精|"
    r"猫毛|狗毛|紫外线|药物|造影剂|乳胶)过敏"
)
_ZH_BODY = (
    r"(?:膝盖|膝关节|(?<=[左右双])膝|半月板|韧带|跟腱|脚踝|脚腕|腳踝|手腕|手腕子|肩膀|肩周|脖子|颈椎|腰椎|腰|肋骨|锁骨|尾椎|手指|脚趾|"
    r"胳膊|手臂|大腿|小腿|手脚|手腳|腿脚|腿腳|"
    # A lone hand, leg or foot, not the end of a word ("骑手", "火腿", "山脚").
    r"(?<![骑选歌对助新高水帮凶扒舵能老好火狗跑山墙拳])(?:腿|脚|腳|手))"
)
# A named bone, alone or after its limb: "左手腕桡骨骨裂", "右腿胫骨骨折", "鼻梁骨折".
_ZH_BONE = r"(?:桡骨|尺骨|肱骨|股骨|胫骨|腓骨|跖骨|掌骨|趾骨|指骨|髌骨|鼻骨|鼻梁|颅骨|尾骨|骶骨|跟骨|距骨|舟骨)"
# Which side: "左边", "右侧". Half the body only with a side ("左边身体"), since "身体没什么力气"
# alone is more often tiredness than a stroke's weakness.
_ZH_SIDE = r"(?:[左右](?:边|邊|侧|側)?|双|雙)"
_ZH_LIMB = (
    r"(?:" + _ZH_SIDE + r"?(?:" + _ZH_BODY + r")(?:半月板|韧带|关节)?" + _ZH_BONE + r"?|" + _ZH_SIDE + r"?" + _ZH_BONE
    + r"|" + _ZH_SIDE + r"(?:身体|身體|半边身子|半邊身子|半身))"
)
_ZH_INJURY = (
    _ZH_LIMB + r"(?:又|今天|昨天|现在|現在|到现在|目前|还是|還是|还|還|都|也|一直|老是){0,3}(?:[一二三四1-4Ⅰ-Ⅳ]度)?"
    r"(?:擦破|扭伤|扭了|骨折|骨裂|拉伤|撕裂|损伤|摔伤|摔断|崴了|断了|肿起来|肿了|肿得(?:很|特别)?厉害|积液|发麻|發麻|麻木|"
    r"没(?:什么|啥)?力气|沒(?:什麼|啥)?力氣|使不上劲|使不上勁|抬不起来|抬不起來|不听使唤|不聽使喚|"
    r"不太?(?:灵活|靈活|灵|靈|利索)|拿不稳(?:筷子|东西)?|拿不穩(?:筷子|東西)?)"
    r"(?:了|得厉害|得很厉害)?"
)

_ZH_DRUGS = _alternation(
    """二甲双胍 格列美脲 阿卡波糖 胰岛素 司美格鲁肽 优甲乐 左甲状腺素钠 左甲状腺素 甲巯咪唑 丙硫氧嘧啶 氨氯地平
    硝苯地平 缬沙坦 厄贝沙坦 氯沙坦 美托洛尔 倍他乐克 阿托伐他汀 瑞舒伐他汀 阿司匹林 氯吡格雷 华法林 利伐沙班
    舍曲林 左洛复 帕罗西汀 氟西汀 百忧解 艾司西酞普兰 来士普 文拉法辛 度洛西汀 米氮平 阿戈美拉汀 安非他酮
    阿普唑仑 劳拉西泮 氯硝西泮 艾司唑仑 佐匹克隆 右佐匹克隆 唑吡坦 喹硫平 奥氮平 利培酮 阿立哌唑 碳酸锂
    丙戊酸钠 拉莫三嗪 左乙拉西坦 卡马西平 奥卡西平 专注达 哌甲酯 托莫西汀 择思达 泼尼松 甲泼尼龙 地塞米松
    奥美拉唑 雷贝拉唑 泮托拉唑 艾司奥美拉唑 来曲唑 他莫昔芬 黄体酮 地屈孕酮 达英-35 克罗米芬 恩替卡韦
    替诺福韦 阿达木单抗 甲氨蝶呤 羟氯喹 秋水仙碱 非布司他 别嘌醇 西地那非 他达拉非 非那雄胺 米诺地尔 异维A酸
    孟鲁司特 布地奈德 沙美特罗 沙丁胺醇 奥司他韦 加巴喷丁 普瑞巴林 曲马多 美沙酮 纳曲酮 PrEP 阿莫西林 克拉霉素
    枸橼酸铋钾 左氧氟沙星 甲硝唑 头孢克肟 头孢呋辛 阿奇霉素 硝酸甘油 单硝酸异山梨酯 螺内酯 呋塞米 克霉唑 达克宁
    美林 布洛芬 对乙酰氨基酚 泰诺林 蒙脱石散 氯雷他定 西替利嗪 速效救心丸 胰岛素泵 甘精胰岛素 门冬胰岛素
    黛力新 氟哌噻吨美利曲辛 塞来昔布 西乐葆 美金刚 多奈哌齐 安理申 利斯的明 优思明 屈螺酮炔雌醇 妈富隆 去氧孕烯炔雌醇
    毓婷 左炔诺孕酮 米非司酮 米索前列醇 补佳乐 戊酸雌二醇 色普龙 雪诺酮 黄体酮凝胶 芬吗通 帕利哌酮 丁螺环酮 坦度螺酮
    德巴金 思瑞康 再普乐 维思通 安立复 鲁拉西酮 伏硫西汀 心达悦 怡诺思 欣百达 瑞美隆 赛乐特 喜普妙 西酞普兰 曲唑酮
    乌灵胶囊 拜新同 络活喜 安博维 科素亚 立普妥 波立维 拜阿司匹灵 诺和灵 诺和锐 来得时 优泌林 优泌乐 达格列净
    安达唐 恩格列净 欧唐静 西格列汀 捷诺维 利拉鲁肽 诺和力 度拉糖肽 度易达 伏格列波糖 格列齐特 格列吡嗪 吡格列酮 甲钴胺
    来氟米特 柳氮磺吡啶 托法替布 英夫利西单抗 司库奇尤单抗 度普利尤单抗 达必妥 丙酚替诺福韦 韦立得 拉米夫定 多替拉韦
    必妥维 舒发泰 恩曲他滨 依非韦伦 利福平 异烟肼 吡嗪酰胺 乙胺丁醇 羟考酮 奥施康定 芬太尼 吗啡 帕博利珠单抗 可瑞达
    纳武利尤单抗 欧狄沃 信迪利单抗 卡瑞利珠单抗 奥希替尼 泰瑞沙 吉非替尼 易瑞沙 埃克替尼 阿来替尼 曲妥珠单抗 赫赛汀
    帕妥珠单抗 贝伐珠单抗 安维汀 卡培他滨 白蛋白紫杉醇 紫杉醇 多西他赛 顺铂 奥沙利铂 环磷酰胺 表柔比星 吉西他滨
    培美曲塞 阿那曲唑 依西美坦 戈舍瑞林 诺雷德 亮丙瑞林 抑那通 瑞巴派特 铝碳酸镁 莫沙必利 多潘立酮 吗丁啉 美沙拉嗪
    硫唑嘌呤 环孢素 他克莫司 吗替麦考酚酯 骁悉 醋酸泼尼松 强的松 甲强龙 氢化可的松 辅舒良 雷诺考特 舒利迭 信必可
    思力华 万托林 顺尔宁 开瑞坦 仙特明 依巴斯汀 左西替利嗪 地氯雷他定 卤米松 丁酸氢化可的松 阿昔洛韦 伐昔洛韦
    坦索罗辛 哈乐 专思达 利他能 阿比特龙 比卡鲁胺 恩扎卢胺
    玛巴洛沙韦 速福达 替格瑞洛 倍林达 史蒂诺斯 思诺思 玻璃酸钠"""
)
# What a formal diagnosis says, to the end of its clause: "出院诊断写的是 慢性结石性胆囊炎伴胆囊
# 多发结石". Names the dictionary lacks are still a diagnosis after these words.
_ZH_DIAGNOSIS = (
    r"(?:出院诊断|入院诊断|初步诊断|临床诊断|诊断结果|诊断)(?:写的|上写的)?(?:是|为|[:：])\s*"
    r"(?P<value>(?![没不无]|正常)[\u4e00-\u9fffA-Za-z0-9（）()/+\-.]{2,30})"
)
# The salt a prescription names before the drug: "苯磺酸氨氯地平片".
_ZH_SALT = r"(?:苯磺酸|盐酸|硫酸|酒石酸|琥珀酸|枸橼酸|马来酸|富马酸|甲磺酸|磷酸)?"
# A blood type: "血型是B型", "O型 RH阴性".
_ZH_BLOOD_TYPE = r"血型\s*(?:是|为|[:：])?\s*(?:A|B|AB|O)型(?:\s?(?:RH|Rh)[阴阳]性)?"
_ZH_FORM = r"(?:缓释片|控释片|肠溶片|片|胶囊|颗粒|注射液|栓|软膏|滴眼液|口服液)?"
_ZH_DOSE = r"(?:\s?\d+(?:\.\d+)?\s?(?:mg|毫克|微克|μg|ug|mcg|g|克|ml|毫升|单位|IU|片|粒|支))?"
_ZH_FREQUENCY = (
    r"(?:\s?(?:每天|一天|每日|每晚|每周|一周|早晚各?)?(?:早上|晚上|睡前|饭前|饭后)?(?:一次)?"
    r"[一两二三四半1-4](?:次|片|粒|支|袋)(?:[，,]?(?:每次|一次)?[一两二三四半1-4](?:片|粒|支|袋))?)?"
)
# Treatments and procedures: what was done to the patient, with its qualifier ("心脏搭桥手术").
_ZH_PROCEDURES = (
    r"(?:(?:(?![去做了在的我他她要给带陪是过])[\u4e00-\u9fff]){0,4}?(?:搭桥|支架|切除|摘除|移植|置换))手术|心脏搭桥|冠脉支架|血液透析|腹膜透析|透析|化疗|放疗|"
    r"靶向治疗|免疫治疗|穿刺活检|穿刺|活检|宫腔镜|腹腔镜|人工授精|取卵|移植胚胎"
    # Stents by count, an H. pylori regimen with its length, a newborn's phototherapy, a trapped nerve.
    r"|(?:放了?|装了?|做了?|植入了?|安了?)(?:[一二两三四五1-5]个)?(?:心脏|冠脉)?支架"
    r"|[二三四]联疗法(?:吃(?:\d{1,2}|[一二两三四])(?:天|周|个星期))?|照蓝光|压迫(?:到)?神经"
    # A fracture's fixing: "打了钢板", "手打着石膏", "石膏要打六周", "钢板一年后才能取".
    r"|(?:打了?|打着|上了?|做了?|装了?|取了?)(?:钢板|钢钉|石膏|夹板)(?:内固定)?"
    r"|(?:钢板|钢钉|石膏|夹板)(?:要打|得打|还要打)(?:\d{1,2}|[一二两三四五六七八九十])(?:周|个星期|个月)"
    r"|(?:钢板|钢钉)(?:要)?(?:\d{1,2}|[一二两半])年(?:后|以后)?(?:才能|再)?取"
)

_EN_CONDITIONS = _alternation(
    """bipolar, ADHD, PTSD, C-PTSD, OCD, schizophrenia, schizoaffective, anorexia, bulimia, BPD, autism,
    Asperger's, Alzheimer's, dementia, Parkinson's, epilepsy, migraines, diabetes, prediabetes,
    hypertension, hypothyroidism, hyperthyroidism, Hashimoto's, Graves' disease, PCOS, endometriosis,
    fibroids, infertility, IBS, Crohn's, colitis, celiac disease, GERD, asthma, COPD, HIV, AIDS, herpes,
    chlamydia, gonorrhea, syphilis, HPV, hepatitis B, hepatitis C, cirrhosis, lupus, fibromyalgia,
    psoriasis, eczema, gout, arthritis, osteoporosis, anemia, leukemia, lymphoma, melanoma, cancer,
    tumor, tumour, sleep apnea, narcolepsy, tinnitus, glaucoma, cataracts, scoliosis, sciatica,
    tendinitis, tendinopathy, RSI, concussion, miscarriage, preeclampsia, migraine, migraine headaches,
    acid reflux, allergic rhinitis, hay fever, dyslexia, dyspraxia, dyscalculia, speech delay, stammer,
    stutter, heart attack, atrial fibrillation, AFib, A-fib, angina, arrhythmia, heart murmur,
    heart failure, kidney stones, gallstones, kidney disease, fatty liver, whiplash, slipped disc,
    herniated disc, bulging disc, carpal tunnel, plantar fasciitis, frozen shoulder, tennis elbow,
    hernia, shingles, pneumonia, bronchitis, long COVID, vertigo, rosacea, high blood pressure,
    high cholesterol, low iron, iron deficiency, vitamin D deficiency, B12 deficiency, UTI, UTIs,
    night sweats, hot flashes, hot flushes, perimenopause, PMDD, lactose intolerance,
    gluten intolerance, coeliac disease, ectopic pregnancy, multiple sclerosis, cerebral palsy,
    Tourette's, sickle cell, thalassemia, haemophilia, hemophilia, psychosis, self-harm, celiac,
    coeliac, prediabetic, diabetic, type 1 diabetes, type 2 diabetes, T1D, T2D,
    suicidal thoughts, alcoholism, alcohol use disorder, neuropathy, hypoglycemia, TIA, mini-stroke,
    pleural plaques, asbestosis, mesothelioma, silicosis, chronic fatigue syndrome, ME/CFS, POTS,
    macular degeneration, diabetic retinopathy, trigeminal neuralgia, Bell's palsy, Meniere's disease,
    sleep apnoea, anaemia, leukaemia, haemorrhoids, hemorrhoids, postnatal depression, PND, hyperemesis,
    autistic, epileptic, dyslexic, asthmatic, anorexic, bulimic, schizophrenic, hypothyroid, hyperthyroid,
    kidney failure, renal failure, end-stage renal disease, ESRD, CKD, chronic kidney disease, FSGS,
    liver disease, heart disease, coronary artery disease, heart condition, cystic fibrosis,
    muscular dystrophy, motor neurone disease, MND, Huntington's, spina bifida, Down syndrome,
    Down's syndrome, emphysema, tuberculosis, meningitis, sepsis, MRSA, glandular fever, Lyme disease,
    diverticulitis, pancreatitis, gastritis, appendicitis, stomach ulcer, ovarian cyst, ovarian cysts,
    erectile dysfunction, incontinence, DVT, pulmonary embolism, blood clot, aneurysm, PTSD flashbacks,
    MDD, early-onset Alzheimer's, early onset dementia, early-onset dementia, vascular dementia,
    Lewy body dementia, hypermobility, Ehlers-Danlos, multiple sclerosis, IBD, ulcerative colitis,
    seizures, brain fog, focal seizures, absence seizures, tonic-clonic seizures""",
    ",",
)
# A body part hurt, and what was done to it: "sprained ankle", "knee injury", "broke her wrist".
_EN_BODY = (
    r"(?:(?:left|right|lower|upper)\s+)?(?i:knee|knees|back|wrist|ankle|shoulder|hip|neck|elbow|hamstring|ACL|meniscus|"
    r"rotator cuff|Achilles|foot|hand|arm|leg|finger|toe|ribs?|collarbone|spine|pelvis|jaw|groin|calf)"
)
_EN_INJURED = r"(?i:torn|broken|fractured|sprained|dislocated|twisted|pulled|strained|injured|herniated|bad|sore|bum|dodgy)"
_EN_HURT = r"(?i:broke|fractured|sprained|dislocated|tore|twisted|hurt|injured|pulled|strained|busted|wrecked)"
_EN_INJURY = (
    _EN_INJURED + r"\s+" + _EN_BODY
    + r"|" + _EN_BODY + r"\s+(?i:injury|injuries|sprain|fracture|strain|surgery|replacement|reconstruction|arthroplasty|pain)"
    + r"|" + _EN_HURT + r"\s+(?i:my|her|his|their)\s+" + _EN_BODY
)
# Allergies by what they are to: "peanut allergy", "allergic to penicillin".
_EN_ALLERGEN = (
    r"(?i:peanut|tree nut|nut|shellfish|penicillin|sulfa|latex|pollen|dust mite|dust|cat|dog|egg|milk|dairy|gluten|"
    r"wheat|soy|bee sting|wasp|seafood|fish|sesame|food|drug|grass|ragweed)"
)
_EN_ALLERGY = (
    r"(?i:(?:severe|mild|seasonal|life-threatening|bad)\s+)?" + _EN_ALLERGEN + r"\s+(?i:allergy|allergies|intolerance)"
    + r"|(?i:allergic to)\s+(?:" + _EN_ALLERGEN + r"|[a-z]+(?:cillin|mycin|profen|amides?))"
    + r"(?:(?:,\s*|\s+(?i:and|or)\s+)" + _EN_ALLERGEN + r")*"
)
# Procedures and treatments named as such.
_EN_PROCEDURES = _alternation(
    """cataract surgery, C-section, c-section, IVF, egg retrieval, chemo, chemotherapy, radiotherapy,
    radiation therapy, dialysis, vasectomy, hysterectomy, mastectomy, lumpectomy, appendectomy,
    colonoscopy, endoscopy, biopsy, bypass surgery, gastric bypass, gastric sleeve, skin graft,
    stent, pacemaker, transplant, ECT, rehab, haemodialysis, hemodialysis, bowel resection,
    colostomy, ileostomy, stoma, HRT, hormone replacement therapy, hormone therapy, knee replacement,
    hip replacement, bone marrow transplant, kidney transplant, liver transplant, angioplasty,
    tonsillectomy, cholecystectomy, IUI, embryo transfer, frozen embryo transfer""",
    ",",
)
# A stroke, not a swimmer's or a brush's, and a seizure, not of goods: told as something
# someone had ("had a stroke in 2019", "dad suffered a minor stroke last year", "had a
# seizure at work").
_EN_STROKE = (
    r"(?i:had|has had|suffered|survived|having|recovering from)\s+(?i:a|an|his|her|my)?\s*"
    r"(?i:(?:mild|minor|major|massive|small|second|big|bad|serious)\s+)?(?i:stroke|seizure)(?![A-Za-z])(?!\s+(?i:of)\s)"
    r"(?:\s+(?i:in\s+(?:19|20)\d\d|last\s+(?:year|month|week)|(?:\d+|two|three|a few)\s+(?:years|months|weeks)\s+ago))?"
)
# The user's own treatment named by what it is: "my inhaler", "my meds".
_EN_OWN_TREATMENT = (
    r"(?i:my|her|his)\s+(?i:(?:asthma|rescue|blue|reliever)\s+)?(?i:inhaler|meds|medication|medications|antidepressants|"
    r"insulin pen|insulin pump|CPAP(?: machine)?|EpiPen|nebuli[sz]er)"
)
# Pregnancy and fertility, stated of the user or someone they know: "due date is 19 october",
# "trying for a baby for 4 years".
_EN_PREGNANCY = (
    r"(?i:(?:\d{1,2}|a few)\s+weeks\s+pregnant|pregnant with (?:twins|my|our|her|his)\b[^.,;!?\n]{0,20}|my pregnancy"
    r"|(?:my\s+)?due\s+date\s+is\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+" + EN_MONTH + r"|" + EN_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?)"
    r"|trying\s+(?:for\s+a\s+baby|to\s+conceive|to\s+get\s+pregnant)(?:\s+for\s+(?:over\s+|nearly\s+|almost\s+)?" + EN_COUNT + r"\s+(?:years?|months?))?)"
)
# Care the user gets, named by how it is given: signed off sick, a referral, Alcoholics
# Anonymous ("signed off work with stress", "referred him to CAMHS", "going to AA at St
# Brendan's on tuesdays").
_EN_CARE = (
    r"(?i:signed\s+off(?:\s+work|\s+sick)?\s+(?:with|for)\s+(?:stress|depression|anxiety|burnout|my\s+back|a\s+bad\s+back))"
    r"|(?i:referred\s+(?:me|him|her|them))\s+(?:(?i:to|for)\s+(?:(?i:an?|the)\s+)?(?:CAMHS|IAPT|(?i:a\s+)?specialist|(?i:the\s+)?(?:memory|pain|fertility|sleep|eating\s+disorders?)\s+(?i:clinic|service)|"
    r"(?i:[a-z]+ologists?|[a-z]+iatrists?|physio(?:therapy)?|counselling|therapy|an?\s+MRI|a\s+scan|surgery))|(?i:on\s+the\s+two[\s-]week\s+wait))"
    r"|(?i:going\s+to|goes\s+to|attending|started)\s+(?:AA|NA)(?:\s+(?i:meetings?))?(?:\s+(?i:at)\s+[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,3})?"
    r"(?:\s+(?i:on)\s+(?i:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays))?"
)
# What a condition or a medicine comes with: "asthma inhaler", "ADHD assessment".
_EN_WITH = (
    r"(?:\s+(?i:inhaler|medication|meds|assessment|diagnosis|surgery|consult|consultation|treatment|flare-ups?|"
    r"flares?|attacks?|screening|referral|prescription|pump|clinic|specialist|relapse|episode))?"
)
# How long a medicine has been taken: "sertraline 50mg since March".
_EN_SINCE = (
    r"(?:\s(?i:since)\s(?:(?i:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"|\d{4}|(?i:last\s(?:year|month|week|spring|summer|fall|autumn|winter))))?"
)
_EN_MOODS = r"depression|anxiety|insomnia|panic attacks|eating disorder"
_EN_SEVERITY = (
    r"(?i:(?:mild|moderate|severe|major|chronic|acute|clinical|generalized|postpartum|treatment-resistant|"
    r"stage\s+(?:[1-4]|I{1,3}V?|IV)|type\s+[12]|early-stage|late-stage|metastatic|gestational|rheumatoid|"
    r"psoriatic|ulcerative|social|persistent|recurrent|really bad|bad|possible|suspected|probable|borderline|"
    r"occasional|seasonal|frequent|recurring|intermittent|debilitating)\s+)"
)
_EN_DIAGNOSED = r"(?i:diagnosed with|dx(?:'d)? with|treated for|suffer(?:ing|s)? from|living with|struggling with|battling)\s+"
_EN_CLINICAL = r"(?:\s+(?i:disorder|syndrome|disease))?"

_EN_DRUGS = _alternation(
    """sertraline, Zoloft, escitalopram, Lexapro, citalopram, Celexa, fluoxetine, Prozac, paroxetine,
    Paxil, venlafaxine, Effexor, duloxetine, Cymbalta, bupropion, Wellbutrin, mirtazapine, trazodone,
    alprazolam, Xanax, lorazepam, Ativan, clonazepam, Klonopin, diazepam, Valium, zolpidem, Ambien,
    quetiapine, Seroquel, olanzapine, risperidone, aripiprazole, Abilify, lamotrigine, Lamictal,
    valproate, Depakote, Adderall, Ritalin, methylphenidate, Vyvanse, Concerta, Strattera, atomoxetine,
    metformin, insulin, Ozempic, semaglutide, Wegovy, Mounjaro, tirzepatide, levothyroxine, Synthroid,
    methimazole, lisinopril, amlodipine, losartan, metoprolol, atorvastatin, Lipitor, rosuvastatin,
    Crestor, warfarin, Eliquis, apixaban, Xarelto, clopidogrel, prednisone, methotrexate, Humira,
    adalimumab, hydroxychloroquine, Plaquenil, allopurinol, colchicine, omeprazole, pantoprazole,
    letrozole, tamoxifen, Clomid, clomiphene, progesterone, estradiol, testosterone, finasteride,
    minoxidil, isotretinoin, Accutane, sumatriptan, gabapentin, Neurontin, pregabalin, Lyrica,
    tramadol, oxycodone, methadone, Suboxone, buprenorphine, naltrexone, PrEP, Truvada, Descovy,
    Biktarvy, albuterol, Symbicort, montelukast, Singulair, EpiPen, naproxen, diclofenac, codeine,
    morphine, Jardiance, empagliflozin, Farxiga, dapagliflozin, Januvia, sitagliptin, gliclazide,
    glipizide, Ventolin, salbutamol, Seretide, Advair, Flovent, fluticasone, budesonide, Spiriva,
    propranolol, bisoprolol, atenolol, ramipril, enalapril, candesartan, valsartan, furosemide,
    spironolactone, hydrochlorothiazide, nitrofurantoin, amoxicillin, azithromycin, doxycycline,
    ciprofloxacin, metronidazole, Utrogestan, Gonal-f, Cetrotide, Menopur, Ovidrel, mifepristone,
    misoprostol, ferrous fumarate, ferrous sulfate, ferrous sulphate, hydrocortisone cream,
    hydrocortisone, Diprobase, Epaderm, clozapine, haloperidol, Lantus, Novorapid,
    Humalog, Trulicity, Victoza, liraglutide, Entresto, Plavix, aspirin 75mg, Aricept, donepezil,
    memantine, Namenda, topiramate, Topamax, Keppra, levetiracetam, Latuda, lurasidone, Rexulti,
    Trintellix, Skyrizi, Stelara, Enbrel, Remicade, Dupixent, Otezla, Tamiflu, Paxlovid, Valtrex,
    valacyclovir, acyclovir, Bactrim, Keflex, Diflucan, fluconazole, Yaz, Yasmin, Mirena, Nexplanon,
    Depo-Provera, ondansetron, Zofran, Nurtec, rizatriptan, Maxalt, Imitrex, Aimovig, Emgality,
    amitriptyline, nortriptyline, buspirone, hydroxyzine, Zepbound, Flomax, tamsulosin, Cialis,
    sildenafil, tadalafil, tacrolimus, mycophenolate, CellCept, Xeljanz, Rinvoq, Ocrevus, Tecfidera,
    Copaxone, Herceptin, Keytruda, Opdivo, Tagrisso, Ibrance, anastrozole, Arimidex, exemestane,
    Zoladex, Lupron, capecitabine, Xeloda, paclitaxel, docetaxel, cisplatin, carboplatin, Avastin,
    rituximab, Rituxan, Revlimid, lenalidomide, Stilnox, Endone, Panadeine Forte, Trelegy, azathioprine,
    mesalamine, mesalazine, Entyvio, Stelara, spironolactone, Provera, Duphaston, letrozole,
    Concerta, Elvanse, Mounjaro, buprenorphine, Subutex, Antabuse, disulfiram, acamprosate, Campral,
    zopiclone, temazepam, lithium carbonate, Epilim, sodium valproate, Tegretol,
    carbamazepine, Trikafta, Creon, Pulmicort, Breo, Trelegy Ellipta, Anoro""",
    ",",
)
_EN_DOSE = (
    r"(?:(?:\s(?i:to|at|of))?\s?\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ug|g|ml|mL|units|IU)(?![A-Za-z])"
    r"(?:\s(?i:tablets?|capsules?|pills?|injections?))?)?"
)
_EN_FREQUENCY = (
    r"(?:\s(?i:(?:once|twice|three times)\s(?:a|per)\s(?:day|week|night)|daily|weekly|nightly|at night|"
    r"in the morning|as needed))?"
    # and what it treats, when the condition is one the dictionary knows: "sertraline 50mg for anxiety"
    r"(?:\s(?i:for)\s(?:(?:my|her|his)\s)?" + _EN_SEVERITY + r"?(?:" + _EN_CONDITIONS + r"|(?i:" + _EN_MOODS + r")))?"
)

_L, _R = r"(?<![A-Za-z])", r"(?![A-Za-z])"

# Any name with a dose after it is a medicine the dictionary may not know: "Utrogestan 100mg",
# "Gonal-f 225 IU". Nutrients and stimulants written with a dose are not.
_EN_DOSED_DRUG = (
    _L + r"(?!(?i:caffeine|sugars?|sodium|salt|protein|carbs?|fib(?:er|re)|fat|calories|creatine|melatonin|tablets?|capsules?|pills?|doses?)" + _R + r")"
    r"[A-Za-z][A-Za-z-]{3,19}\s?\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ug|IU)" + _R
)

# General health talk ("people with asthma", "二型糖尿病患病率", "抑郁症状", "痛风有哪些症状"): a
# condition of people in general, not of the user or someone they know.
_GENERAL_BEFORE = re.compile(
    r"(?i)(?:(?:people|patients|those|anyone|adults|children|kids|teens|women|men|someone)\s+(?:with|who have)"
    r"|(?:symptoms|signs|causes|treatments?|risks?|types|stages)\s+of|(?:take for|treat|heal)\s+an?"
    r"|(?:deaths?|mortality|dying)\s+from|difference\s+between(?:\s+(?:an?|early|late|mild))?)\s+$"
)
_GENERAL_AFTER = re.compile(
    r"(?i)\s*(?:rates?|research|awareness|patients|risk|prevalence|season|vaccines?|outbreaks?|患病率|发病率|患者|人群|症状|状|研究|风险|"
    r"高发|流行|疫苗|季|"
    r"有哪些|是怎么|是什么|一般|怎么治|能治|会传染|会遗传|的危害|的原因|早期一般|的常见|的治疗|的护理|的饮食|的预防)"
)


def _about_people_in_general(text: str, span: Span) -> bool:
    return bool(_GENERAL_BEFORE.search(text, max(0, span.start - 32), span.start) or _GENERAL_AFTER.match(text, span.end))


class MedicalTermRecognizer(RuleRecognizer):
    """Named conditions and medicines with their qualifiers, as Medical Health."""

    name = "medical_term"
    rules = (
        # Not the end of a verb: "升高尿酸", "降低血压".
        Rule(re.compile(r"(?<![升降])" + _ZH_SEVERITY + r"?(?:" + _ZH_CONDITIONS + r")" + _ZH_GRADE + _GLOSS + _ZH_TAIL), _TYPE, 0.5),
        Rule(re.compile(_ZH_ALLERGY + r"|" + _ZH_INJURY), _TYPE, 0.5),
        Rule(re.compile(_ZH_PREGNANCY), _TYPE, 0.5),
        Rule(re.compile(_ZH_MENSES + r"|" + _ZH_SUICIDAL), _TYPE, 0.5),
        Rule(re.compile(_ZH_DIAGNOSED + r"(?P<value>" + _ZH_SEVERITY + r"?(?:" + _ZH_MOODS + r")(?:症|障碍|状态)?" + _ZH_TAIL + ")"), _TYPE, 0.5),
        Rule(
            re.compile(
                r"(?:" + _ZH_SEVERITY + r"(?:" + _ZH_MOODS + r")(?:症|障碍|状态)?|(?:" + _ZH_MOODS + r")(?:症|障碍|状态)"
                r"|(?:" + _ZH_MOODS + r")得?(?:很|特别|非常|比较|挺)?(?:厉害|严重|凶)"
                # How long, or how often sleep fails: "失眠两个多月了", "晚上老失眠".
                r"|(?:" + _ZH_MOODS + r")了?(?:快|都|已经)?" + ZH_COUNT + r"多?(?:个多?月|年|周)(?:多)?了?"
                r"|(?:老|一直|长期|经常|天天|总是|整夜)失眠)" + _ZH_TAIL
            ),
            _TYPE,
            0.5,
        ),
        Rule(re.compile(_ZH_SALT + r"(?:" + _ZH_DRUGS + r")(?:钙|钠|钾|镁)?" + _ZH_FORM + _ZH_DOSE + _ZH_FREQUENCY + _ZH_DOSE), _TYPE, 0.5),
        Rule(re.compile(_ZH_BLOOD_TYPE), _TYPE, 0.5),
        Rule(re.compile(_ZH_DIAGNOSIS), _TYPE, 0.5),
        Rule(re.compile(_ZH_PROCEDURES), _TYPE, 0.5),
        Rule(re.compile(_L + _EN_SEVERITY + r"?(?:" + _EN_CONDITIONS + r")" + _EN_CLINICAL + _R + _GLOSS + _EN_WITH + _R), _TYPE, 0.5),
        Rule(re.compile(_L + r"(?:" + _EN_INJURY + r"|" + _EN_ALLERGY + r"|" + _EN_OWN_TREATMENT + r"|" + _EN_PREGNANCY + r")" + _R), _TYPE, 0.5),
        Rule(re.compile(_L + _EN_STROKE + _R), _TYPE, 0.5),
        Rule(re.compile(_L + _EN_CARE + _R), _TYPE, 0.5),
        Rule(re.compile(_L + r"(?:" + _EN_PROCEDURES + r")" + _R + _EN_WITH + _R), _TYPE, 0.5),
        Rule(
            re.compile(_L + _EN_DIAGNOSED + r"(?P<value>" + _EN_SEVERITY + r"?(?i:" + _EN_MOODS + r")" + _EN_CLINICAL + r")" + _R),
            _TYPE,
            0.5,
        ),
        Rule(
            re.compile(
                _L + r"(?:" + _EN_SEVERITY + r"(?i:" + _EN_MOODS + r")" + _EN_CLINICAL
                + r"|(?i:" + _EN_MOODS + r")\s+(?i:disorder))" + _R
            ),
            _TYPE,
            0.5,
        ),
        Rule(re.compile(_L + r"(?:" + _EN_DRUGS + r")" + _EN_WITH + _EN_DOSE + _EN_FREQUENCY + _EN_SINCE + _R), _TYPE, 0.5),
        Rule(re.compile(_EN_DOSED_DRUG + r"(?:\s(?i:tablets?|capsules?|pills?|injections?))?" + _EN_FREQUENCY + _EN_SINCE + _R), _TYPE, 0.5),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = [s for s in super().analyze(text) if not _about_people_in_general(text, s)]
        return longest_per_region(spans)
