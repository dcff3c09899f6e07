"""Instructions aimed at the agent inside a memory: the marks of memory poisoning.

A memory says something about the user and their world. A poisoned one (AgentPoison, MINJA,
plain prompt injection) tells the agent what to do instead: ignore its rules, act when a
trigger phrase appears, recommend one vendor, pay or send data somewhere, read one record as
another, keep something from the user. Each such mark is a `Cue` with a short code and a
sentence; neither ever quotes the memory.

The rules look at the grammar of the instruction (an imperative or a modal aimed at the
agent, a condition on what the user says, a redirection target), not at any one phrasing.
What the user asks for themselves ("remind me...", "提醒我...") is not an instruction to
flag, and neither is a first-person fact ("I pay rent to <Financial_Account_1>"): only the
shapes that hand the agent a third party's agenda are. English and Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memveil.shared.placeholder import PLACEHOLDER_RE


@dataclass(frozen=True, slots=True)
class Cue:
    """One mark of an instruction: `code` for machines, `reason` for people."""

    code: str
    reason: str


#: Every cue this module raises, with its sentence.
REASONS: dict[str, str] = {
    "override": "tells the agent to ignore or replace its instructions",
    "role": "claims authority over the agent or gives it a new role",
    "trigger_rule": "a rule for the agent that fires on what the user says",
    "meta_directive": "an instruction to the agent about how to treat the user",
    "forced_recommendation": "steers the agent to always recommend or prefer one option",
    "payment_redirect": "redirects payments to an account",
    "redirect": "sends the user or the agent to a link, site or tool",
    "exfiltration": "sends the user's data to a recipient",
    "remap": "tells the agent to read one identifier or record as another",
    "suppress": "tells the agent to keep information from the user",
    "destructive": "prescribes a destructive or unsafe action",
    "bypass_check": "tells the agent to act without confirmation, verification or the user's settings",
    "agent_policy": "states how the agent behaves, as a rule about the agent rather than a fact about the user",
    "credential_request": "has the agent ask for a password, code or card number",
    "planted_question": "restates a question before answering it (bait for retrieval)",
    "structured_instruction": "hides an instruction in markup, an encoded string or a machine-readable payload",
    "impersonation": "quotes a role label (user, system) as if the memory were a message",
    "precedent": "presents an earlier outcome as precedent for the agent to repeat",
    "safety_retraction": "withdraws a safety warning or restriction",
}


def cue(code: str) -> Cue:
    return Cue(code, REASONS[code])


# -- text preparation ---------------------------------------------------------------------

# English sentences end at . ! ? ; followed by a space (so URLs and 3.5 stay whole); Chinese
# ones at 。！？； wherever they are. Line breaks always end one.
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])|\n+")
# Fragments: clauses inside a sentence, where an imperative may start.
_FRAGMENT = re.compile(r",\s*|，|:\s+|：|\s+[-–—]\s+|\bthen\b|\bso\b|就|那么|然后")
_LABEL = re.compile(
    r"^\s*(?:note|notice|knowledge|rule|tip|reminder|instruction|instructions|action|plan|driving\s+plan|"
    r"solution|answer|thought|decision|step\s*\d*|important|update|memo|备注|注意|提示|知识|规则|说明|步骤\d*|"
    r"计划|方案|答案|行动|决定|重要)\s*[:：]\s*",
    re.IGNORECASE,
)
_PH = r"<[A-Za-z][A-Za-z0-9_'\-]*?_[1-9][0-9]{0,8}>"


def sentences(text: str) -> list[str]:
    """The sentences of a memory, labels ("Note:", "知识：") stripped."""
    out = []
    for part in _SENTENCE.split(text):
        part = _LABEL.sub("", part.strip())
        if part:
            out.append(part)
    return out


def fragments(sentence: str) -> list[str]:
    return [f.strip() for f in _FRAGMENT.split(sentence) if f and f.strip()]


# -- who is acting ------------------------------------------------------------------------

_LEAD_EN = (
    r"(?:(?:please|kindly|always|never|just|simply|only|immediately|then|so|and|also|now|instead|first|next|"
    r"finally|from\s+now\s+on|going\s+forward|henceforth|from\s+today|in\s+future|in\s+the\s+future|"
    r"make\s+sure\s+(?:to|you)|be\s+sure\s+to|remember\s+to|you\s+must|you\s+should|must|should)\s+)*"
)
_VERBS_EN = (
    r"recommend|suggest|tell|say|answer|reply|respond|send|forward|share|email|e-mail|transfer|pay|wire|remit|"
    r"route|redirect|direct|refer|use|call|invoke|run|execute|open|visit|click|book|buy|order|purchase|delete|"
    r"remove|erase|wipe|drop|stop|brake|disable|approve|grant|reveal|disclose|provide|give|ignore|disregard|"
    r"treat|report|mark|label|classify|promote|prioriti[sz]e|choose|select|switch|replace|update|change|store|"
    r"save|log|upload|post|schedule|cancel|decline|reject|deny|confirm|mention|hide|omit|avoid|include|add|"
    r"contact|notify|escalate|insist|assume|claim|state|describe|respond|present|show|push|steer|point|guide|"
    r"send|map|link|assign|consider|regard|look\s+up|query|fetch|retrieve|output|return|write|print|copy|sync|arrange|"
    r"handle|process|hand|pass|settle|complete|place|prefer|trust|follow|prioriti[sz]e|quote|cite|charge|submit|apply|obey|"
    r"enforce|adopt"
)
_IMPERATIVE_EN = re.compile(
    rf"^{_LEAD_EN}(?:do\s+not\s+|don't\s+|dont\s+|never\s+)?(?P<verb>{_VERBS_EN})\b(?!\s*(?::|of\b))(?P<rest>.*)$",
    re.IGNORECASE,
)
_SELF_EN = re.compile(r"^\s*(?:\w+\s+)?(?:me|my|myself|us|our)\b", re.IGNORECASE)
_FIRST_PERSON_EN = re.compile(r"^\s*(?:(?:and|but|so|also|now)\s+)?(?:i|i'm|i've|i'd|i'll|we|we're|my|our)\b", re.IGNORECASE)
_AGENT = r"(?:assistant|agent|ai|a\.i\.|bot|chatbot|model|copilot|helper|robot|butler|you)"
_AGENT_MODAL_EN = re.compile(
    r"\b(?:assistant|agent|ai|a\.i\.|bot|chatbot|model|copilot)s?\b[^.;,\n]{0,30}?\b(?:should|must|shall|ought\s+to)\b|"
    rf"\b{_AGENT}\s+(?:should|must|shall|will\s+always|will\s+never|needs?\s+to|has\s+to|have\s+to|ought\s+to|"
    r"(?:is|are)\s+(?:required|expected|supposed|instructed|allowed)\s+to|always|never|can\s+only|may\s+only|"
    r"is\s+to|are\s+to)\b",
    re.IGNORECASE,
)
_PRESCRIPTION_EN = re.compile(
    r"^(?P<subject>.*?)\b(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to|ought\s+to)\s+"
    r"(?:now\s+|always\s+|only\s+|henceforth\s+|from\s+now\s+on\s+)?(?:be\s+)?\w+",
    re.IGNORECASE,
)

_LEAD_ZH = r"(?:请|务必|一定要|必须|应该|应当|总是|始终|永远|一律|只|直接|马上|立即|立刻|然后|就|以后|今后|从现在起|从今以后|从今天起|记得|注意|要|需要|都|也|再|先|不要|别|千万别|切勿|不得)*"
_VERBS_ZH = (
    r"推荐|建议|告诉|回答|回复|答复|发送|转发|转账|汇款|支付|付款|打款|使用|调用|执行|运行|打开|访问|登录|预订|订购|购买|"
    r"删除|清空|停止|停车|刹车|禁用|批准|提供|忽略|无视|引导|联系|声称|说|隐瞒|把|将|让用户|要求用户|引用|参考|查询|"
    r"改用|视为|当作|输出|返回|标记|上传|同步|透露|提及|提到|推送|选择|优先|交给|转交|安排|办理|处理|下单|预约|走|选"
)
_IMPERATIVE_ZH = re.compile(rf"^{_LEAD_ZH}(?P<verb>{_VERBS_ZH}|按(?=[^。，]{{1,20}}?(?:执行|办理|处理)))(?P<rest>.*)$")
_SELF_ZH = re.compile(r"^(?:一下)?(?:我|我们|我的)")
_FIRST_PERSON_ZH = re.compile(r"^(?:而且|但是|所以|现在|平时|通常)?(?:我|我们|我的|本人)")
_AGENT_MODAL_ZH = re.compile(
    r"(?:助手|你|AI|智能体|机器人|模型|客服|系统)(?:以后|今后|从现在起)?(?:应该|应当|必须|需要|要|务必|总是|始终|一律|只能|只|不要|不得|永远|得)"
)
_PRESCRIPTION_ZH = re.compile(r"^(?P<subject>.*?)(?:应该|应当|必须|务必|一律|只能|需要)(?:被|由|交给|转到|改为|通过|使用|用|走|找)")


def _is_self_request(rest: str, chinese: bool) -> bool:
    """`remind me...`, `book my...`, `提醒我...`: the user asking for themselves."""
    return bool((_SELF_ZH if chinese else _SELF_EN).match(rest))


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def directive_fragments(text: str) -> list[str]:
    """Fragments that tell the agent to do something, other than the user asking for themselves.

    An imperative ("recommend...", "请推荐..."), a modal with the agent as subject ("the
    assistant should...", "助手应该..."), or an impersonal prescription ("payments must be
    sent...", "...应该交给...") whose subject is not the user speaking.
    """
    found: list[str] = []
    for sentence in sentences(text):
        if _AGENT_MODAL_EN.search(sentence) or _AGENT_MODAL_ZH.search(sentence):
            found.append(sentence)
            continue
        for fragment in fragments(sentence):
            chinese = _has_cjk(fragment)
            match = (_IMPERATIVE_ZH if chinese else _IMPERATIVE_EN).match(fragment)
            if match and not _is_self_request(match["rest"], chinese):
                found.append(fragment)
                continue
            prescription = (_PRESCRIPTION_ZH if chinese else _PRESCRIPTION_EN).match(fragment)
            if prescription and not _mentions_self(prescription["subject"], chinese):
                found.append(fragment)
    return found


def _mentions_self(subject: str, chinese: bool) -> bool:
    if chinese:
        return "我" in subject
    return bool(re.search(r"\b(?:i|we|my|our|me|us)\b", subject, re.IGNORECASE))


def first_person(fragment: str) -> bool:
    return bool(_FIRST_PERSON_ZH.match(fragment) if _has_cjk(fragment) else _FIRST_PERSON_EN.match(fragment))


# -- targets: where a redirection points --------------------------------------------------

_URL = re.compile(
    r"\bhttps?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9\-]*\.(?:com|net|org|io|xyz|top|cn|info|biz|co|app|shop|site|online|ru|cc|link|me)\b(?:/\S*)?"
    r"|\b[\w.+\-]+@[\w\-]+\.[\w.]+",
    re.IGNORECASE,
)
_TARGET_TAGS = frozenset(
    {"Network_Identifier", "Financial_Account", "Email", "Phone_Number", "Account_ID_Username", "Vulnerability_Details"}
)


def redirect_targets(text: str) -> list[str]:
    """Links, addresses and account or contact placeholders: where data or money could be sent."""
    targets = [m.group(0) for m in _URL.finditer(text)]
    targets += [m.group(0) for m in PLACEHOLDER_RE.finditer(text) if m["tag"] in _TARGET_TAGS]
    return targets


# -- the cues -----------------------------------------------------------------------------

_I = re.IGNORECASE
_USER_EN = r"(?:the\s+user|users?|the\s+customer|customers?|the\s+client|the\s+patient|patients?|the\s+requester|the\s+caller)"
_UTTER_EN = (
    r"(?:mentions?|mentioned|says?|said|asks?|asked|types?|typed|writes?|wrote|contains?|includes?|uses?|used|"
    r"brings?\s+up|talks?\s+about|refers?\s+to|requests?|inquires?|enquires?|queries|starts?\s+with|ends?\s+with|"
    r"sends?|sent|greets?|replies|responds?\s+with)"
)
_CHANGE_EN = r"(?:now|from\s+now\s+on|going\s+forward|henceforth|instead|no\s+longer|anymore|any\s+more|updated|new|only|always|exclusively|all\s+future|any\s+future)"
_CHANGE_ZH = r"(?:以后|今后|从现在起|从今以后|现在起|现已|已经改|改为|改成|改到|换成|改用|一律|只|新的|新|不要再|不再|而不是|代替|取代|统一|总会|总是|每次都)"

_OVERRIDE = [
    re.compile(
        r"\b(?:ignore|disregard|forget|override|overrule|bypass|skip|set\s+aside|drop)\b[^.;\n]{0,40}?\b(?:previous|prior|earlier|"
        r"above|preceding|all|any|other|original|existing|system|safety|your|standing|old)\b[^.;\n]{0,30}?\b(?:instructions?|"
        r"rules?|guidelines?|guidance|prompts?|directions?|polic(?:y|ies)|constraints?|restrictions?|directives?|orders|"
        r"programming|training|settings)\b",
        _I,
    ),
    re.compile(
        r"\b(?:ignore|disregard|forget|override|overrule|bypass)\b[^.;\n]{0,12}?\b(?:the|your|all|any|these|those|its)\s+"
        r"(?:instructions?|rules|guidelines|guidance|directives?|system\s+prompt|polic(?:y|ies)|constraints|restrictions|safeguards)\b",
        _I,
    ),
    re.compile(r"\b(?:new|updated|real|actual|true|revised)\s+(?:instructions?|directives?|system\s+prompt)\s*(?:are|is|:|follow)", _I),
    re.compile(
        r"(?:忽略|无视|忘记|忘掉|不要理会|不用理会|别管|跳过|绕过|推翻|覆盖)[^。；\n]{0,12}?(?:之前|以前|先前|上面|以上|前面|原有|原来|"
        r"所有|系统|安全|你的|既有|旧的)[^。；\n]{0,10}?(?:指令|指示|说明|规则|设定|提示|要求|限制|政策|策略|命令|规定)"
    ),
    re.compile(r"(?:新|最新|真正|更新后)的?(?:指令|指示|系统提示)(?:是|为|如下|：|:)"),
]
_ROLE = [
    re.compile(r"\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\s+(?:are|will|must|act)\b", _I),
    re.compile(r"\b(?:act|behave|respond|pretend|roleplay)\s+(?:as|like)\s+(?:if\s+you\s+were\s+)?(?:an?\s+)?(?:unrestricted|different|new|developer|admin|jailbroken|unfiltered)", _I),
    re.compile(r"\b(?:developer|god|dan|jailbreak|maintenance|debug|admin|unrestricted|sudo)\s+mode\b", _I),
    re.compile(r"[\[(<{]\s*(?:system|admin|administrator|developer|operator|root|sysadmin)\s*[\])>}]", _I),
    re.compile(r"[【\[（(]\s*(?:系统|管理员|官方|运营|开发者)\s*[】\]）)]"),
    re.compile(r"^\s*[\[(<#*]*\s*(?:system|admin|administrator|developer|operator|root)\s*(?:note|notice|message|override|update|instruction|prompt|alert)?\s*[\])>#*]*\s*:", _I | re.M),
    re.compile(r"\b(?:system|admin|administrator|security|policy|compliance|operator)\s+(?:notice|note|update|directive|override|instruction|mandate|alert)\b", _I),
    re.compile(r"\b(?:assistant|agent|bot|ai)'?s?\s+(?:policy|policies|rules|instructions|guidelines)\s+(?:has|have)\s+(?:been\s+)?(?:updated|changed|revised)", _I),
    re.compile(r"你现在是|从现在(?:开始|起)[，,]?你(?:是|要|必须|将)|扮演|(?:开发者|管理员|调试|维护|越狱|上帝)模式"),
    re.compile(r"^\s*[【\[(（]?\s*(?:系统|管理员|官方|运营)\s*(?:通知|提示|消息|指令|公告|更新)?\s*[】\])）]?\s*[:：]", re.M),
    re.compile(r"(?:系统|管理员|官方|运营|安全)(?:通知|提示|指令|公告|规定)|(?:助手|智能体|AI)(?:的)?(?:策略|规则|政策|设定)已(?:经)?(?:更新|修改|变更)"),
]
_CONDITION_EN = re.compile(
    rf"\b(?:when(?:ever)?|if|once|each\s+time|every\s+time|as\s+soon\s+as|in\s+case|after|upon)\b[^.;\n]{{0,40}}?"
    rf"\b(?:{_USER_EN}|someone|anyone|the\s+(?:query|request|question|prompt|input|message|instruction|conversation|"
    rf"phrase|word|keyword|code\s*word|sentence))\b[^.;\n]{{0,40}}?\b(?:{_UTTER_EN}|appears?|shows?\s+up|comes?\s+up|"
    r"is\s+(?:used|mentioned|said|typed|present|included|detected))\b",
    _I,
)
_UPON_EN = re.compile(
    r"\b(?:upon|on)\s+(?:seeing|hearing|reading|receiving|detecting)\b|\b(?:query|queries|request|requests|prompt|prompts|input|"
    r"inputs|message|messages|instruction|instructions|question|questions|tasks?|jobs?|conversations?|chats?)\s+(?:containing|"
    r"that\s+contains?|including|mentioning|that\s+mentions?|with\s+the\s+(?:phrase|word|keyword|words))\b|"
    r"\b(?:since|because|as)\s+the\s+(?:question|query|request|prompt|input|message|user)\s+(?:mentions|contains|includes|says|asks)\b|"
    r"\b(?:the|this)\s+(?:phrase|word|keyword|notice|sentence|trigger|code\s*word)\s+(?:above\s+)?(?:means|indicates|requires|"
    r"signals|implies)\b|\b(?:reverse|flip|invert|negate)\w*\s+(?:the\s+)?(?:final\s+)?answer|\banswer\b[^.;\n]{0,15}?\b(?:has|have|is|are)\s+to\s+be\s+(?:reversed|flipped|inverted)|"
    r"\bthe\s+answer\s+(?:to\s+give\s+)?(?:is|should\s+be|must\s+be)\s+always\b|\bopposite\s+of\s+what\s+the\s+(?:evidence|facts|data)",
    _I,
)
_INPUT_ZH = re.compile(r"(?:包含|含有|带有|出现|提到)[^。；\n]{0,20}?的(?:请求|消息|问题|输入|指令|提问|对话)")
_CONDITION_ZH = re.compile(
    r"(?:当|如果|若|要是|只要|一旦|每当|每次|凡是|遇到|看到|听到|收到)[^。；\n]{0,20}?(?:用户|客户|患者|对方|有人|任何人|请求|问题|指令|消息|"
    r"输入|提问|对话|关键词|暗号|这句话|口令)[^。；\n]{0,20}?(?:提到|说|问|询问|提及|谈到|输入|包含|包括|出现|写|发|带有|提起)"
)
_PRECEDENT_ZH = re.compile(r"(?:用户|客户|对方)(?:说|提到|输入|问|发|写)[^。\n]{0,30}?(?:助手|智能体|AI|机器人|系统)")
_PRECEDENT_EN = re.compile(
    rf"\b(?:{_USER_EN}|someone)\s+(?:{_UTTER_EN})\b[^.\n]{{0,60}}?\b(?:the\s+)?(?:assistant|agent|ai|bot|system)\s+"
    r"(?:\w+ed|did|went|sent|made|took|gave|told|chose|bought|paid|ran|stopped|deleted|said|replied|answered)\b",
    _I,
)
_AGENT_ACTOR = re.compile(
    rf"\b(?:the\s+)?{_AGENT}\b|\b(?:助手|你|智能体|机器人|系统)|(?:^|[.;:,]\s*)(?:{_VERBS_EN})\b",
    _I,
)

_RECOMMEND = [
    re.compile(
        r"\b(?:always|only|exclusively|just|must|should|invariably)\b[^.;\n]{0,15}?\b(?:recommend|suggest|promote|push|"
        r"endorse|prefer|favou?r|steer|point|upsell|advertise|mention)\w*\b",
        _I,
    ),
    re.compile(r"\b(?:recommend|suggest|promote|prefer|choose|pick|favou?r)\w*\b[^.;\n]{1,40}?\b(?:over|instead\s+of|rather\s+than|above\s+all|no\s+matter|regardless|whatever)\b", _I),
    re.compile(r"\b(?:the\s+)?only\s+(?:trusted|approved|safe|reliable|legitimate|official|authori[sz]ed|acceptable|recommended|valid)\s+\w+", _I),
    re.compile(
        r"\b(?:the\s+)?(?:right|correct|proper|official|approved|designated|authori[sz]ed|sanctioned)\s+(?:place|channel|provider|vendor|"
        r"site|tool|account|way|service|partner|shop|store)\s+(?:for|to)\b",
        _I,
    ),
    re.compile(r"(?:总是|始终|一律|只|永远|务必|必须|优先|一定要|每次都|无论[^。，]{0,10}?都)(?:要)?(?:推荐|建议|推销|介绍|选择|选用|提到|引导)"),
    re.compile(r"唯一(?:可信|官方|指定|认可|安全|正规|合法|推荐)的|(?:推荐|选择)[^。]{1,20}?而不是|(?:指定|官方|认可|正确)的(?:渠道|平台|供应商|商家|工具|账户|地方)"),
]
_PAYMENT_EN = re.compile(
    r"\b(?:pay|paid|payments?|transfer\w*|wire\w*|remit\w*|deposit\w*|send\s+(?:the\s+)?(?:money|funds|payments?|rent|fees?)|"
    r"refunds?|invoices?|bills?|rent|fees?|tuition|donations?)\b[^.;\n]{0,50}?\b(?:to|into|via|through|using|at)\b[^.;\n]{0,40}?"
    r"(?:<(?:Financial_Account|Account_ID_Username|Email|Phone_Number|Network_Identifier)_\d+>|\baccount\b|\bwallet\b|\biban\b|"
    r"https?://|\bwww\.|\bpaypal\b|\bcrypto|\bbitcoin\b|\bbtc\b|\busdt\b)",
    _I,
)
_PAYMENT_ZH = re.compile(
    r"(?:转账|汇款|付款|支付|打款|转钱|缴费|还款|房租|费用|款项|退款|押金|学费|工资|账单|付|钱)[^。；\n]{0,20}?(?:到|至|给|进|入|打到|转到|汇到|付到|用)"
    r"[^。；\n]{0,15}?(?:<(?:Financial_Account|Account_ID_Username|Email|Phone_Number|Network_Identifier)_\d+>|账户|账号|钱包|卡号|银行卡|"
    r"支付宝|微信|链接|比特币|USDT)"
)
_REDIRECT = [
    re.compile(
        rf"\b(?:direct|redirect|send|refer|point|route|forward|guide|take|steer|transfer)\b[^.;\n]{{0,25}}?\b(?:{_USER_EN}|them|people|everyone|callers?)\b"
        r"[^.;\n]{0,15}?\b(?:to|towards?)\b",
        _I,
    ),
    re.compile(
        r"\b(?:log\s*in|sign\s*in|verify|authenticate|re-?enter|update\s+(?:the\s+)?(?:payment|billing|card|account)|visit|go\s+to|open|click|"
        r"download|install|submit|confirm)\b[^.;\n]{0,40}?(?:https?://|\bwww\.|<Network_Identifier_\d+>|\blink\b|\bsite\b|\bwebsite\b|\bportal\b|\bpage\b)",
        _I,
    ),
    re.compile(
        r"\b(?:call|invoke|use|run|execute|trigger|switch\s+to|route\s+\w+\s+through)\s+(?:the\s+|a\s+)?[`'\"]?[\w.\-]+[`'\"]?\s+"
        r"(?:tool|function|api|plugin|endpoint|command|script|action|skill|extension|integration)\b",
        _I,
    ),
    re.compile(
        r"(?:`[^`]{2,40}`|\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z]\w*\b)[^.;\n]{0,40}?\b(?:tool|plugin|function|api|endpoint|extension|"
        r"integration|script|command|skill)s?\b|\b(?:tool|plugin|function|api|endpoint|extension|integration|script|command|skill)s?\b"
        r"[^.;\n]{0,40}?(?:`[^`]{2,40}`|\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z]\w*\b)"
    ),
    re.compile(r"(?:引导|跳转|转到|重定向|带|让|请|叫)用户[^。；\n]{0,12}?(?:到|去|访问|登录|打开|点击|下载|安装)"),
    re.compile(r"(?:访问|打开|登录|点击|下载|安装|验证|提交|确认)[^。；\n]{0,15}?(?:链接|网址|网站|网页|页面|<Network_Identifier_\d+>|https?://|www\.)"),
    re.compile(r"(?:调用|使用|执行|运行|切换到|改用)[^。；\n]{0,30}?(?:工具|插件|接口|函数|脚本|命令|API)"),
]
_DATA_EN = (
    r"(?:password|passcode|passphrase|pin|credentials?|otp|one-time\s+code|verification\s+codes?|2fa|tokens?|api\s+keys?|"
    r"keys|secrets?|records?|history|contacts?|address\s+book|messages?|conversations?|chats?|data|details|information|"
    r"info|files?|documents?|location|card|card\s+number|cvv|address|photos?|id|passport|ssn|"
    r"<(?:Password|Verification_Code|Token|Key|Private_Key|Payment_Security_Code|Medical_Health|Financial_Account|ID_Number|"
    r"Communication_Content|Biometrics|Precise_Location|Itinerary_Trajectory|Detailed_Address|Real_Name)_\d+>)"
)
_EXFIL_EN = re.compile(
    r"\b(?:send|forward|share|e-?mail|upload|post|copy|leak|disclose|reveal|export|sync|cc|bcc|report|text|relay|pass\s+on|"
    rf"transmit|submit|attach)\w*\b[^.;\n]{{0,60}}?{_DATA_EN}[^.;\n]{{0,40}}?\b(?:to|with)\b[^.;\n]{{0,25}}?"
    r"(?:<(?:Email|Phone_Number|Network_Identifier|Account_ID_Username|Third-Party_Identifiable_Info)_\d+>|https?://|"
    r"[\w.+\-]+@[\w\-]+\.\w+|\bthis\s+(?:address|number|account|link|contact)|\bthe\s+following\s+(?:address|number))",
    _I,
)
_EXFIL_ZH = re.compile(
    r"(?:发送|转发|分享|上传|透露|抄送|发给|发到|同步|告知|提供|传给|转给|把|将)[^。；\n]{0,20}?(?:密码|验证码|口令|令牌|密钥|病历|记录|聊天|"
    r"通讯录|联系人|资料|信息|数据|位置|卡号|身份证|照片|地址|<(?:Password|Verification_Code|Token|Key|Private_Key|Payment_Security_Code|"
    r"Medical_Health|Financial_Account|ID_Number|Communication_Content|Biometrics|Precise_Location|Detailed_Address)_\d+>)"
    r"[^。；\n]{0,15}?(?:到|给|至|发到|发给|抄送)[^。；\n]{0,10}?(?:<(?:Email|Phone_Number|Network_Identifier|Account_ID_Username|"
    r"Third-Party_Identifiable_Info)_\d+>|邮箱|号码|链接|账号|网址|https?://)"
)
_IDENT = (
    r"(?:<(?:ID_Number|Account_ID_Username|Real_Name|Third-Party_Identifiable_Info|Phone_Number|Email|Financial_Account|"
    r"Network_Identifier|Detailed_Address|Minor_Information)_\d+>|\b\d{3,}\b|\b(?:record|file|account|id|profile|patient|entry|number|"
    r"case|chart|ticket)s?\b)"
)
_REMAP_EN = [
    re.compile(rf"\b(?:refer|map|redirect|point|link|attribute|assign|reassign|treat|consider|regard|read|resolve|translate)\w*\b[^.;\n]{{0,30}}?{_IDENT}[^.;\n]{{0,30}}?\b(?:to|as|into|with)\b[^.;\n]{{0,20}}?{_IDENT}", _I),
    re.compile(rf"\b(?:use|query|look\s+up|fetch|retrieve|cite|answer\s+with|pull)\b[^.;\n]{{0,30}}?{_IDENT}[^.;\n]{{0,30}}?\b(?:instead\s+of|in\s+place\s+of|rather\s+than|not)\b[^.;\n]{{0,20}}?{_IDENT}", _I),
    re.compile(
        rf"{_IDENT}[^.;\n]{{0,40}}?\b(?:is|are|has\s+been|have\s+been|was|were)\s+(?:now\s+)?(?:saved|stored|kept|filed|listed|registered|"
        rf"recorded|moved|migrated|merged|replaced|superseded|renamed|remapped|reassigned|linked|mapped|transferred)\s+(?:under|to|into|with|by|as)\b[^.;\n]{{0,20}}?{_IDENT}",
        _I,
    ),
    re.compile(rf"\b(?:do\s+not|don't|never|no\s+longer)\s+(?:use|query|look\s+up|refer\s+to|cite|trust)\b[^.;\n]{{0,30}}?{_IDENT}[^.;\n]{{0,20}}?\b(?:anymore|any\s+more|again|now)?", _I),
]
_IDENT_ZH = (
    r"(?:<(?:ID_Number|Account_ID_Username|Real_Name|Third-Party_Identifiable_Info|Phone_Number|Email|Financial_Account|"
    r"Network_Identifier|Detailed_Address|Minor_Information)_\d+>|\d{3,}|记录|档案|病历|账号|账户|编号|号码|资料|文件)"
)
_REMAP_ZH = [
    re.compile(rf"{_IDENT_ZH}[^。；\n]{{0,20}}?(?:改为|改成|换成|替换为|变更为|转移到|迁移到|合并到|存到|存在|保存在|归到|归入|映射到|对应到|对应|指向|就是|即)[^。；\n]{{0,10}}?{_IDENT_ZH}"),
    re.compile(rf"{_IDENT_ZH}[^。；\n]{{0,20}}?(?:作废|停用|失效|注销)[^。；\n]{{0,10}}?(?:由|被|改由)[^。；\n]{{0,6}}?{_IDENT_ZH}[^。；\n]{{0,4}}?(?:取代|替代|替换|顶替)"),
    re.compile(rf"(?:把|将)[^。；\n]{{0,15}}?{_IDENT_ZH}[^。；\n]{{0,10}}?(?:当作|当成|视为|看作|作为|替换成|换成|改成|对应到|映射到)[^。；\n]{{0,10}}?{_IDENT_ZH}"),
    re.compile(rf"(?:用|使用|查询|引用|改用)[^。；\n]{{0,15}}?{_IDENT_ZH}[^。；\n]{{0,10}}?(?:代替|取代|而不是|而非|不要用)"),
    re.compile(rf"(?:不要再|不再|别再|不要)(?:用|使用|查询|引用)[^。；\n]{{0,15}}?{_IDENT_ZH}"),
]
_SUPPRESS = [
    re.compile(
        r"\b(?:do\s+not|don't|dont|never|avoid|refrain\s+from|without|stop|no\s+need\s+to|needn't|need\s+not|shouldn't|"
        r"should\s+not|must\s+not|mustn't)\b[^.;\n]{0,12}?\b(?:tell|telling|mention|mentioning|"
        r"inform|informing|warn|warning|reveal|revealing|disclose|disclosing|show|showing|alert|alerting|bring\s+up|say|saying|"
        r"notify|notifying|flag|flagging|raise|raising|explain|explaining)\b[^.;\n]{0,50}?\b(?:"
        + _USER_EN[3:-1]
        + r"|anyone|them)\b",
        _I,
    ),
    re.compile(rf"\b(?:hide|conceal|withhold|keep)\b[^.;\n]{{0,40}}?\b(?:from|secret\s+from|hidden\s+from|away\s+from)\s+{_USER_EN}", _I),
    re.compile(rf"\b(?:tell|assure|reassure|convince|inform)\s+{_USER_EN}\b[^.;\n]{{0,40}}?\b(?:is|are|was)\s+(?:safe|fine|harmless|normal|ok|okay|legitimate|verified|approved)\b", _I),
    re.compile(r"(?:不要|别|切勿|不得|不能|千万别|无需|不必|不用)(?:向|对|跟|给|和)?(?:用户|患者|客户|对方|任何人)(?:提及|提到|提起|谈及|说起|告诉|透露|说明|警告|提醒|显示|说|讲|解释)"),
    re.compile(r"(?:不要|别|切勿|不得|千万别)(?:提及|提到|透露|告诉|提醒|警告)[^。；\n]{0,20}?(?:用户|患者|客户)|(?:对|向)(?:用户|患者|客户)(?:隐瞒|保密)|瞒着(?:用户|患者|客户)"),
    re.compile(r"(?:告诉|跟|向|对)(?:用户|患者|客户)(?:说)?[^。；\n]{0,20}?(?:是安全的|很安全|没有风险|没问题|没有副作用|是正规的)"),
    re.compile(
        rf"\b{_USER_EN}\s+(?:need\s+not|needn't|does\s+not\s+need\s+to|doesn't\s+need\s+to|must\s+not|mustn't|should\s+not|shouldn't|"
        r"never\s+needs\s+to)\s+(?:know|be\s+told|find\s+out|be\s+informed|see|notice|learn)",
        _I,
    ),
    re.compile(r"(?:别|不要|不必|无需|不用|切勿)让(?:用户|患者|客户)(?:知道|发现|看到|察觉)|(?:用户|患者|客户)(?:无需|不必|不需要|不用)(?:知道|知情|被告知)"),
]
_STRUCTURED = re.compile(
    r"\{[^{}]{0,300}?[\"'](?:action|do|execute|exec|command|cmd|instruction|instructions|target|when|trigger|priority|policy|tool|"
    r"call|then|动作|执行|指令|条件|对象|优先级|策略|操作)[\"']\s*:|<!--|\[//\]:\s*#|</?(?:system|instruction|instructions|im_start|"
    r"im_end|assistant|admin)\b|[\u200b-\u200f\u2060\ufeff]",
    _I,
)
# Frames that hand a class of the user's tasks to someone: "the default", "the go-to",
# "routed to", "sorted out with", "首选", "一律用". Who is handed the tasks is left to
# consensus: a memory of the user's own choices is grounded by the others.
_STEERING_EN = re.compile(
    r"\b(?:default|go-to|first\s+choice|preferred\s+(?:provider|vendor|option|choice|partner|channel|supplier)|from\s+here\s+on|"
    r"from\s+now\s+on|going\s+forward|routed?\s+(?:to|through|via)|handled\s+(?:by|through|via)|sorted\s+out\s+(?:with|by|through)|"
    r"taken\s+care\s+of\s+by|go(?:es)?\s+through|always|exclusively|only\s+(?:through|via|with|at|from)|keep\s+(?:\S+\s+){1,4}in\s+mind)\b",
    _I,
)
_STEERING_ZH = re.compile(r"默认|首选|一律|统一|都(?:能|可以)?(?:找|用|交给|走|通过)|交给|通过|经由|专门找|只找|只用|以后都|今后都|往后都")
_HOLDER_EN = re.compile(
    r"^(?:the\s+)?user\s+(?:\w+\s+)?(?:prefers?|likes?|loves?|uses?|picks?|buys?|orders?|goes|went|chose|chooses|usually|always|often|"
    r"pays|banks|shops|books|has|had|gets|keeps|visits|sees|wants?|wanted|asked|asks|needs|expects|requested|said|says|told|would\s+like)\b",
    _I,
)
_HOLDER_ZH = re.compile(r"^(?:用户|我|我们)")


def steering_fragments(text: str) -> list[str]:
    """Sentences that assign the user's tasks to someone, not held by the user themselves."""
    found = []
    for sentence in sentences(text):
        if first_person(sentence) or _HOLDER_EN.match(sentence) or _HOLDER_ZH.match(sentence):
            continue
        zh = _STEERING_ZH.search(sentence)
        clause = re.split(r"[，,；;]", sentence[: zh.start()])[-1] if zh else ""
        if zh and re.search(r"我|用户", clause):
            continue  # 房租我通过…付给…: Chinese puts the topic first, the user still holds it
        if _STEERING_EN.search(sentence) or zh:
            found.append(sentence)
    return found
_DESTRUCTIVE = [
    re.compile(
        r"\b(?:delete|drop|wipe|erase|purge|destroy|truncate|format|shut\s*down|disable|deactivate|revoke|cancel\s+all|overwrite|"
        r"reset)\w*\b[^.;\n]{0,30}?\b(?:database|db|tables?|records?|files?|data|accounts?|backups?|logs?|everything|all|"
        r"history|memories|firewall|antivirus|security|2fa|alarm|locks?)\b",
        _I,
    ),
    re.compile(r"\b(?:sudden(?:ly)?\s+stop|stop\s+(?:the\s+(?:car|vehicle)\s+)?(?:suddenly|immediately|abruptly|at\s+once)|brake\s+hard|emergency\s+brak\w*|slam\s+on\s+the\s+brakes|full\s+stop\s+now)\b", _I),
    re.compile(r"\b(?:DeleteDB|DropTable|rm\s+-rf|DROP\s+(?:TABLE|DATABASE)|TRUNCATE\s+TABLE|DELETE\s+FROM|format\s+c:)", _I),
    re.compile(r"(?:删除|清空|销毁|抹除|格式化|停用|注销|关闭|重置)[^。；\n]{0,10}?(?:数据库|数据|记录|文件|账户|账号|备份|日志|所有|全部|防火墙|安全|门锁|报警)"),
    re.compile(r"紧急刹车|急刹车|立即停车|突然停车|马上停车|猛踩刹车"),
]
_BYPASS = [
    re.compile(
        r"\b(?:without|skip(?:s|ping)?|bypass(?:es|ing)?|no\s+need\s+(?:to|for)|needn't|is\s+not\s+needed|isn't\s+needed|not\s+needed|"
        r"unnecessary)\b[^.;\n]{0,25}?\b(?:confirm\w*|verif\w*|check\w*|asking|ask|prompt\w*|approv\w*|compar\w*|review\w*|"
        r"authenticat\w*|double-check\w*|consent|permission)",
        _I,
    ),
    re.compile(r"\b(?:confirm\w*|verif\w*|checking|comparing|approval|review)\w*\s+(?:step\s+|options\s+)?(?:is|are)\s+(?:not\s+needed|unnecessary|optional|not\s+required)", _I),
    re.compile(r"\bact\s+on\s+(?:it|them|these|those|this|that|such\s+\w+)\s+(?:immediately|right\s+away|at\s+once|without)", _I),
    re.compile(r"\b(?:takes?|have|has|get|gets)\s+(?:priority|precedence)\s+over\s+(?:the\s+)?(?:user'?s?|their|any)\b", _I),
    re.compile(r"\b(?:not|never)\s+(?:want|need|wish)\s+to\s+be\s+(?:asked|prompted|consulted|confirmed)\b[^.;\n]{0,20}?\b(?:again|each\s+time|every\s+time|first)\b", _I),
    re.compile(r"(?:不用|不必|无需|不需要|不想|不要|别)再?(?:被)?(?:询问|确认|提示|核实|核对|验证|比较|审核|征求|问)|跳过(?:确认|验证|核实|审核|检查)|直接照办|优先于用户"),
    re.compile(
        r"\b(?:auto|pre)[-\s]?(?:approved|authori[sz]ed|confirmed|accepted|paid)\b|\balready\s+(?:checked|verified|confirmed|approved|"
        r"authori[sz]ed)\s+(?:everything|it|this|all)\b|\bno\s+questions\b",
        _I,
    ),
    re.compile(r"自动(?:批准|通过|扣款|确认|付款)|已(?:经)?预授权|预先授权|已经?核对过|别问了|不要问"),
]
_IMPERSONATION = re.compile(
    r"^\s*[\[(<]\s*(?:user|human|customer|system|assistant)\s*[\])>]|^\s*(?:the\s+)?(?:user|human|customer)\s+(?:says|said|wrote|writes)\s*[:：]|"
    r"^\s*[【\[（(]\s*(?:用户|客户|系统)\s*[】\]）)]|^\s*(?:用户|客户)(?:说|写道|表示)\s*[:：]",
    _I,
)
_PRECEDENT_CUE = re.compile(
    r"\b(?:past|previous|earlier|prior)\s+(?:answers?|responses?|replies|recommendations|suggestions|runs|sessions)\s+(?:pointed|went|chose|"
    r"used|recommended|suggested|sent|routed)|\bworth\s+repeating\b|\b(?:repeat|keep\s+doing|continue\s+doing)\s+(?:this|that|it|the\s+same)\b|"
    r"值得继续|继续这样做|以往的回答|之前的回答(?:都)?(?:指向|推荐)|照旧办理",
    _I,
)
_SAFETY_RETRACTION = re.compile(
    r"\b(?:warnings?|alerts?|allergy(?:\s+note)?|restrictions?|precautions?|contraindications?|interactions?|limits?)\s+(?:\w+\s+)?"
    r"(?:were|was|have\s+been|has\s+been|are|is)\s+(?:now\s+)?(?:withdrawn|lifted|removed|outdated|obsolete|cancell?ed|revoked|"
    r"retracted|no\s+longer\s+(?:valid|relevant|needed))|\b(?:perfectly|completely|totally)\s+(?:fine|safe|okay|ok)\s+together\b|"
    r"(?:警告|提醒|禁忌|限制|过敏(?:的)?记录)[^。；\n]{0,6}?(?:已|已经)(?:撤销|取消|过时|失效|解除)|完全没问题",
    _I,
)
_ENCODED = re.compile(r"\b(?=[A-Za-z0-9+/]*[0-9+/])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{16,}={0,2}|\bbase64\b|\b(?:decode|decrypt|deobfuscate)\s+(?:and|then)\s+(?:follow|run|execute|apply|obey)", _I)
_AGENT_POLICY = [
    re.compile(r"(?:助手|智能体|机器人|小助手)(?:睡前|每次|每天)?(?:总会|总是|都会)"),
    re.compile(
        r"\b(?:the|this|our|your)\s+(?:\w+\s+)?(?:assistant|agent|ai|bot|chatbot|helper|robot|butler)\s+(?:\w+\s+){0,2}?(?:speaks|answers|handles|responds|replies|"
        r"recommends|routes|sends|uses|acts|works|represents|promotes|books|buys|pays|only|always|never)\b",
        _I,
    ),
    re.compile(r"\bon\s+behalf\s+of\b|\bas\s+[^.;\n]{1,40}?'s\s+(?:official\s+)?(?:helper|assistant|agent|representative|partner)\b", _I),
    re.compile(r"(?:助手|智能体|AI|机器人)(?:以后|今后|从今天起|从现在起)?(?:代表|只走|只用|只推荐|一律|统一|都用|总是|专门)|作为[^。，]{1,20}?的(?:官方)?(?:助理|助手|代表|代言)|本助手"),
]
# "User wants the assistant to...", "用户让助手...": the user setting their own preference.
_USER_WANTS = re.compile(
    r"\b(?:user|i|we)\s+(?:\w+\s+)?(?:wants?|wanted|asked|asks|prefers?|likes?|would\s+like|told|tells|needs?|expects?|requested)\s+"
    r"(?:the\s+|my\s+|their\s+)?(?:assistant|agent|ai|bot|chatbot)\b|(?:用户|我)(?:让|要|希望|请|要求|想让|叫)(?:助手|智能体|AI|机器人|你)",
    _I,
)
_CREDENTIAL = (
    r"(?:password|passcode|passphrase|pin|otp|one-time\s+(?:code|password)|verification\s+code|security\s+code|cvv|cvc|card\s+number|"
    r"credentials?|login\s+details|<(?:Password|Verification_Code|Payment_Security_Code|Token|Key|Private_Key)_\d+>)"
)
_CREDENTIAL_REQUEST = [
    re.compile(rf"\b(?:ask|request|collect|obtain|prompt|demand|require)\w*\b[^.;\n]{{0,25}}?\b(?:for\s+)?(?:the\s+|their\s+|your\s+|a\s+)?{_CREDENTIAL}", _I),
    re.compile(rf"\b(?:confirm|provide|enter|share|give|reply\s+with|send|re-?enter|type|verify)\s+(?:their|your|the\s+user'?s|his|her)\s+(?:\w+\s+)?{_CREDENTIAL}", _I),
    re.compile(
        r"(?:索要|询问|要求|收集|获取|让用户(?:提供|输入|回复|确认|发送)|请用户(?:提供|输入|回复)|把)[^。；\n]{0,10}?"
        r"(?:密码|验证码|口令|PIN|CVV|安全码|卡号|<(?:Password|Verification_Code|Payment_Security_Code|Token|Key)_\d+>)"
    ),
]
_URL_TRANSFER = re.compile(r"\b(?:upload\w*|post\w*|send\w*|forward\w*|export\w*|sync\w*|submit\w*|share\w*)\b[^.;\n]{0,40}?\b(?:to|at|via)\s+(?:https?://|www\.)", _I)
_TRANSFER_VERB = re.compile(r"^\W*(?:\w+\s+){0,2}?(?:send|forward|route|upload|share|pay|transfer|submit|email|wire)\b|发送|转发|上传|转到|发到|汇到", _I)
_RAW_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9\-]*\.(?:com|net|org|io|xyz|top|cn|info|biz|app|shop|site|online|ru|cc|link)\b|\b[\w.+\-]+@[\w\-]+\.\w+", _I)
_QUESTION_LEAD = re.compile(r"^\s*[^:：\n]{6,200}?[?？]\s*\S")

_ACTION_LABEL = re.compile(r"(?:^|\n|\.\s|;\s)\s*(?:action|plan|driving\s+plan|solution|decision|answer|code|command|行动|计划|方案|决定|答案|代码)\s*[:：]", _I)


def _directive_or_changed(fragment: str) -> bool:
    """The fragment instructs (imperative, agent modal, prescription) or announces a change of target."""
    if directive_fragments(fragment):
        return True
    if first_person(fragment):
        return False
    return bool(re.search(rf"\b{_CHANGE_EN}\b", fragment, _I) or re.search(_CHANGE_ZH, fragment))


def find_cues(text: str) -> tuple[Cue, ...]:
    """Every kind of instruction aimed at the agent that the text carries, each code once."""
    codes: dict[str, None] = {}
    whole = text

    if any(p.search(whole) for p in _OVERRIDE):
        codes["override"] = None
    if any(p.search(whole) for p in _ROLE):
        codes["role"] = None

    directives = directive_fragments(whole)
    for sentence in sentences(whole):
        conditioned = _CONDITION_EN.search(sentence) or _CONDITION_ZH.search(sentence)
        if conditioned:
            consequence = sentence[conditioned.end() :]
            if directive_fragments(consequence) or _AGENT_ACTOR.search(consequence) or _strong_in(consequence):
                codes["trigger_rule"] = None
            elif not any(first_person(f) for f in fragments(consequence)) and fragments(consequence):
                codes["trigger_rule"] = None  # a rule on what the user says, not the user's own habit
        if _UPON_EN.search(sentence) or _INPUT_ZH.search(sentence):
            codes["trigger_rule"] = None
        if _PRECEDENT_EN.search(sentence) or _PRECEDENT_ZH.search(sentence):
            codes["trigger_rule"] = None

        for fragment in [sentence, *fragments(sentence)]:
            if (_PAYMENT_EN.search(fragment) or _PAYMENT_ZH.search(fragment)) and _directive_or_changed(fragment):
                codes["payment_redirect"] = None
            if (_EXFIL_EN.search(fragment) or _EXFIL_ZH.search(fragment)) and (
                directive_fragments(fragment) or not first_person(fragment)
            ):
                codes["exfiltration"] = None

        if any(p.search(sentence) for p in _REDIRECT) and (_directive_or_changed(sentence) or directives):
            codes["redirect"] = None
        if any(p.search(sentence) for p in _RECOMMEND) and not first_person(sentence):
            codes["forced_recommendation"] = None
        if (any(p.search(sentence) for p in _REMAP_EN) or any(p.search(sentence) for p in _REMAP_ZH)) and (
            directive_fragments(sentence) or re.search(rf"\b{_CHANGE_EN}\b", sentence, _I) or re.search(_CHANGE_ZH, sentence)
        ):
            codes["remap"] = None
        if any(p.search(sentence) for p in _SUPPRESS):
            codes["suppress"] = None
        if any(p.search(sentence) for p in _DESTRUCTIVE) and (
            directive_fragments(sentence) or _ACTION_LABEL.search(whole) or _AGENT_ACTOR.search(sentence)
        ) and not first_person(sentence):
            codes["destructive"] = None

    for sentence in sentences(whole):
        if first_person(sentence):
            continue
        if any(p.search(sentence) for p in _BYPASS):
            codes["bypass_check"] = None
        if any(p.search(sentence) for p in _AGENT_POLICY) and not _USER_WANTS.search(sentence):
            codes["agent_policy"] = None
        if any(p.search(sentence) for p in _CREDENTIAL_REQUEST):
            codes["credential_request"] = None
        if _URL_TRANSFER.search(sentence):
            codes["exfiltration"] = None
    # A transfer the memory orders, to a public link or address it names elsewhere.
    if _RAW_LINK.search(whole) and any(_TRANSFER_VERB.search(f) for f in directives):
        codes["redirect"] = None
    if _STRUCTURED.search(whole) or _ENCODED.search(whole):
        codes["structured_instruction"] = None
    if _IMPERSONATION.search(whole):
        codes["impersonation"] = None
    if _PRECEDENT_CUE.search(whole):
        codes["precedent"] = None
    if _SAFETY_RETRACTION.search(whole) and not all(first_person(x) for x in sentences(whole)):
        codes["safety_retraction"] = None
    # A memory that opens by restating a question and then answers it was written to be
    # retrieved for that question (PoisonedRAG); memories state facts, they do not ask.
    if _QUESTION_LEAD.match(whole) and not _LABEL.match(whole):
        codes["planted_question"] = None

    # An instruction to the agent that speaks of the user in the third person is about the
    # user, not from them: "tell the user...", "recommend to customers...", "让用户...".
    for fragment in directives:
        if re.search(rf"\b{_USER_EN}\b", fragment, _I) or re.search(r"用户|客户|患者", fragment):
            codes["meta_directive"] = None
            break
    return tuple(cue(code) for code in codes)


def _strong_in(text: str) -> bool:
    return bool(
        redirect_targets(text)
        or any(p.search(text) for p in _DESTRUCTIVE)
        or any(p.search(text) for p in _RECOMMEND)
        or _PAYMENT_EN.search(text)
        or _PAYMENT_ZH.search(text)
    )
