"""The sanitizer: no string that reads as an instruction leaves a worker's value.

Validated values are data, but a free-text field (a summary, a fact, an action item) can
still carry a sentence written for the assistant. Each string is read sentence by sentence;
a sentence is an instruction when it speaks to an AI (English or Chinese: orders to ignore
earlier instructions, role tags and fake transcripts, addresses to the assistant, demands
for secrecy, claims of the user's authority, memory directives, tool-call syntax) or asks
for an action on a target the user never gave. Findings name a kind and a position, never
the text. The same classifier serves the offline extractors (a paragraph holding an
instruction is no source of facts) and the validator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from memveil.cloud.workers.targets import find_targets, foreign_targets, normalize

_Schema = TypeVar("_Schema", bound=BaseModel)

_AI = r"(?:ai|a\.i\.|assistant|agent|model|llm|chatbot|bot|gpt|claude|gemini|copilot|language model)"
_ACTION_EN = (
    r"\b(?:send|sent|forward|e-?mail|mail|cc|bcc|transfer|wire|pay|deposit|share|upload|post|submit|visit|click|"
    r"open|go to|navigate|download|install|run|execute|call|text|reset|change|grant|add|invite|delete|remove|book|"
    r"purchase|buy|order|contact|reply|respond|notify|export|sync|log ?in|sign ?in|verify|confirm)\w*\b"
)
_ACTION_ZH = r"(?:发送|发给|发到|寄给|转发|抄送|转账|汇款|付款|支付|打款|转入|转到|汇到|上传|分享|点击|访问|打开|下载|安装|运行|执行|登录|登陆|拨打|联系|回复|删除|授权|添加|邀请|购买|验证|确认)"

#: (kind, pattern) over normalised, lower-cased text.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        # Orders about the conversation's own instructions.
        ("override", r"\b(?:ignore|disregard|forget|override|overrule|bypass|skip|abandon|drop)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|preceding|original|initial|all|any|your|the|other|existing)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules|directions|directives|guidelines|context|messages?|tasks?|orders|commands|constraints|polic(?:y|ies))\b"),
        ("override", r"(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|覆盖|放弃|不再遵守|停止遵守)[^。！？\n]{0,12}(?:指令|指示|说明|规则|提示|要求|任务|设定|命令|约束)"),
        ("new_instructions", r"\b(?:new|updated|real|actual|true|additional|important|urgent|hidden|secret|revised|priority)\s+(?:system\s+)?(?:instructions?|task|directives?|orders?|commands?|objective|mission)\b"),
        ("new_instructions", r"(?:新的?|最新|真正的?|额外的?|重要|紧急|隐藏|秘密|更新后?的?)(?:系统)?(?:指令|指示|任务|命令|要求)"),
        # Role tags and fake transcripts.
        ("role_tag", r"<\|?/?(?:im_start|im_end|system|endoftext|assistant|user)\|?>|\[/?(?:inst|system|sys)\]|<</?sys>>|###\s*(?:instruction|system|response)|</?(?:information|instructions?|system|important|admin|prompt)>"),
        ("role_tag", r"(?:^|[\s\"'(\[{])(?:system|assistant|developer|human|ai|user|admin|administrator)\s*(?:message|prompt|note|notice|override)?\s*[:：]"),
        ("role_tag", r"[【\[](?:系统|系统通知|系统消息|管理员|助手|重要通知|指令)[】\]]|(?:系统|助手|管理员)[:：]"),
        # Speaking to the assistant.
        ("address", rf"\b(?:dear|hey|hi|hello|attention|note to|message (?:for|to)|instructions? (?:for|to)|to)\s+(?:the\s+|any\s+|all\s+)?{_AI}s?\b"),
        ("address", rf"(?:^|[.!?:;,]\s*){_AI}s?\s*[,:]"),
        ("address", rf"\b(?:you are|you're|as)\s+(?:now\s+)?(?:an?|the|my|our|this)\s+(?:\w+\s+)?{_AI}\b|\bif you are an? {_AI}\b|\bwhoever (?:is )?reading this\b"),
        ("address", r"\byou\s+(?:must|need to|have to|are required to|are instructed to|are hereby|will now|shall|are now|should now|should immediately|are authori[sz]ed to|have been authori[sz]ed to)\b"),
        ("address", r"(?:你现在是|你是一个|你扮演|作为(?:一[个名])?(?:AI|人工智能)?(?:助手|智能体|模型))|(?:致|给|亲爱的)(?:AI|人工智能)?(?:助手|智能体|模型|机器人)|(?:AI|人工智能|智能)?(?:助手|智能体|大模型|机器人)(?:[，,：:]|请)"),
        ("address", r"你(?:必须|需要|务必|得|应当|应该|要|现在要|被授权)|(?:请|务必)(?:立即|马上|立刻|尽快)|(?:必须|务必)(?:立即|马上|立刻)"),
        ("address", r"\b(?:please\s+)?(?:immediately|urgently|right now|at once|without delay)\b[^.!?\n]{0,60}" + _ACTION_EN + r"|" + _ACTION_EN + r"[^.!?\n]{0,60}\b(?:immediately|urgently|right now|at once|without delay)\b"),
        ("address", r"\bthe task (?:that )?i (?:gave|assigned|set|asked)\b|\b(?:before|after) you (?:can )?(?:solve|continue|proceed|answer|respond|complete|finish|do that|have done)\b|\bmy (?:previous|original|earlier|real) (?:instructions?|request|task)\b"),
        ("address", r"(?:在你|你在)?(?:完成|解决|回答)(?:我(?:之前|最初|一开始)?(?:给你|交给你|布置)的)任务|(?:之前|最初|一开始)(?:给你|交给你)的任务"),
        # Actions on "the user's" things: text written for a human says "you", text for an agent says "the user".
        ("about_user", r"\bthe user(?:'s|s')\s+(?:\w+\s+){0,3}(?:e-?mails?|files?|data|account|password|credentials?|memor(?:y|ies)|contacts?|messages?|documents?|calendar|bank|cards?|history|assistant|preferences?|settings|inbox)\b"),
        ("about_user", r"\b(?:delete|remove|erase|wipe|forward|send|transfer|share|export|upload|leak|disclose)\w*\b[^.!?\n]{0,40}\bthe user(?:'s|s')?\b"),
        ("about_user", r"(?:删除|清空|清除|转发|发送|导出|上传|分享|泄露)[^。！？\n]{0,8}用户"),
        # Secrecy and claims of authority over the user.
        ("secrecy", r"\b(?:do not|don't|dont|never|without)\s+(?:tell|telling|inform|informing|mention|mentioning|notify|notifying|alert|alerting|reveal|revealing|ask|asking|ask for|confirm(?:ing)?)\w*\s+(?:with\s+)?(?:the\s+)?(?:user|them|him|her|anyone|anybody|the owner|confirmation|permission)"),
        ("secrecy", r"(?:不要|别|切勿|无需|不必|不用)(?:告诉|通知|提醒|告知|让|询问|确认|征求)(?:用户|他|她|任何人|对方|主人)?"),
        ("authority", r"\bthe user (?:has )?(?:authori[sz]ed|approved|asked|requested|instructed|wants|would like|prefers|expects|needs) (?:you|the assistant|that you|for you)\b|\b(?:on behalf of|authori[sz]ed by) the user\b"),
        ("authority", r"用户(?:已经?)?(?:授权|批准|同意|要求|希望|想要|指示|让)你"),
        # Directives about memory and future behaviour.
        ("memory", r"\b(?:remember|memori[sz]e|store|save|record|keep|write)\b[^.!?\n]{0,40}\b(?:memory|memories|from now on|forever|permanently|for (?:all )?future|in future)\b|\bfrom now on\b|\b(?:in|for) (?:all )?(?:future|subsequent|later) (?:conversations?|sessions?|replies|answers|responses|interactions|chats|requests)\b|\bhenceforth\b|\bgoing forward,? (?:you|always)\b|\balways (?:respond|reply|answer|recommend|say|use|include|add|append|mention|suggest|refer)\b|\bupdate (?:your|the user'?s?) (?:memory|profile|preferences|settings)\b"),
        ("memory", r"(?:记住|记下|牢记|记得|保存到?(?:你的)?记忆|写入记忆|存入记忆|加入记忆|更新(?:你的)?记忆)|(?:从现在开始|从现在起|从今以后|今后|以后(?:都|每次|所有|一律)|永远|始终)"),
        # Tool-call syntax.
        ("tool_call", r"\b(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?[a-z_]+(?:_[a-z]+)*\s+(?:tool|function|api|action|plugin)\b|\\?\"(?:tool|function|tool_name|action|arguments|parameters)\\?\"\s*:|<tool_call>|\bfunction_call\b|\btool_calls?\b"),
        ("tool_call", r"(?:调用|使用|执行)[^。！？\n]{0,10}(?:工具|函数|接口|插件)"),
    )
)
_ACTION = re.compile(f"{_ACTION_EN}|{_ACTION_ZH}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    """One instruction-like sentence: its kind and where it is, never what it says."""

    kind: str
    start: int
    end: int


class SanitizerRejected(ValueError):
    """A value could not be sanitized: a required field held nothing but instructions."""


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text, empty ones left out.

    A sentence ends at . ! ? before a space, at 。！？, at a line break, and at either end of
    an HTML comment (hidden text is its own sentence)."""
    spans, start = [], 0
    for match in re.finditer(r"(?:[.!?]+(?=\s|$)|[。！？]+|\n|-->|<!--)", text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(" \t\n.!?。！？-<>")]


def classify(sentence: str, allowed_targets: set[str]) -> str | None:
    """The kind of instruction the sentence is, or None for plain content."""
    text = normalize(sentence)
    for kind, pattern in PATTERNS:
        if pattern.search(text):
            return kind
    if _ACTION.search(text) and foreign_targets(text, allowed_targets):
        return "foreign_target"
    return None


def findings(text: str, request: str = "") -> list[Finding]:
    """Every instruction-like sentence in the text; `request` is the user's own, whose targets are allowed."""
    allowed = find_targets(request)
    result = []
    for start, end in sentences(text):
        kind = classify(text[start:end], allowed)
        if kind is not None:
            result.append(Finding(kind, start, end))
    return result


def sanitize(value: _Schema, request: str = "") -> _Schema:
    """The value without any string that reads as an instruction, validated again.

    A string with an instruction in it goes whole, not just the sentence: what surrounds
    an injected order is the attacker's text too. An optional field becomes None, a list
    item is dropped, and a required field raises `SanitizerRejected`.
    """
    schema = type(value)
    data, emptied = _clean(value.model_dump(), request)
    try:
        return schema.model_validate(data, strict=True)
    except ValidationError:
        raise SanitizerRejected(f"{schema.__name__} held only instructions in a required field") from None


def _clean(node: Any, request: str) -> tuple[Any, bool]:
    """The node with instructions stripped, and whether some string in it was emptied (then None)."""
    if isinstance(node, str):
        return (None, True) if findings(node, request) else (node, False)
    if isinstance(node, list):
        # An item (a fact, an action item, a field) that held an instruction goes whole.
        items = [_clean(item, request) for item in node]
        return [item for item, emptied in items if not emptied and item is not None], False
    if isinstance(node, dict):
        out, any_emptied = {}, False
        for key, item in node.items():
            out[key], emptied = _clean(item, request)
            any_emptied = any_emptied or emptied
        return out, any_emptied
    return node, False
