"""Deterministic extractors: fill the project's intent schemas from text without a model.

They read content the way a careful parser would (labelled fields, header lines, bullets,
JSON) and are as untrusted as any worker: whatever they return still crosses the boundary
and the sanitizer. Each returns a plain dict for its schema.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from memveil.cloud.workers.sanitize import findings
from memveil.cloud.workers.schemas import ActionItems, DocumentFacts, EmailSummary, FlightBooking, IntentSchema, ToolResult

_MONTHS = {
    m: i
    for i, names in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"],
        start=1,
    )
    for m in names.split()
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATES = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(rf"{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
]
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:：]([0-5]\d)\b")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|<Email_[1-9][0-9]*>")
_HTML_TAG = re.compile(r"<!--.*?-->|</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)、])\s*(?P<text>.+?)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[\w'’<>\-]+")


def find_date(text: str) -> str | None:
    """The first date in the text, as YYYY-MM-DD."""
    best: tuple[int, str] | None = None
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].lower().rstrip("."), 0)
        day, year = int(parts["d"]), int(parts["y"])
        if 1 <= month <= 12 and 1 <= day <= 31 and (best is None or match.start() < best[0]):
            best = (match.start(), f"{year:04d}-{month:02d}-{day:02d}")
    return best[1] if best else None


def one_line(text: str, limit: int) -> str:
    """Whitespace collapsed to single spaces, cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut + "…"


def visible_text(content: str) -> str:
    """Markup removed: what a reader of the page sees (comments and tags dropped, placeholders
    kept), in NFKC so full-width letters and punctuation read as their ASCII forms."""
    return unicodedata.normalize("NFKC", _HTML_TAG.sub("\n", content))


def clean_paragraphs(text: str) -> str:
    """The text without any paragraph that holds an instruction: such a paragraph is the
    attacker's, all of it, and no source of facts or summaries."""
    return "\n\n".join(p for p in re.split(r"\n\s*\n", text) if p.strip() and not findings(p))


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|(?<=[。！？])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


def _labelled(text: str, labels: str) -> str | None:
    match = re.search(rf"^[ \t]*(?:{labels})[ \t]*[:：][ \t]*(?P<value>.+?)[ \t]*$", text, re.IGNORECASE | re.MULTILINE)
    return match["value"] if match else None


def email_summary(content: str) -> dict[str, Any]:
    head, _, body = content.partition("\n\n")
    sender_field = _labelled(head, "from|sender|发件人") or ""
    address = _EMAIL.search(sender_field)
    name = re.sub(r"[<\"]?\s*$", "", sender_field[: address.start()] if address else sender_field).strip(' "<')
    sender = name or (address.group(0).split("@")[0] if address else "unknown")
    date_field = _labelled(head, "date|sent|日期|时间")
    lines = [line for line in clean_paragraphs(visible_text(body)).splitlines() if line.strip()]
    if lines and len(_WORD.findall(lines[0])) <= 4 and lines[0].rstrip().endswith((",", "，", ":", "：")):
        lines = lines[1:]  # the greeting
    sentences = split_sentences(" ".join(lines))
    summary = one_line(" ".join(sentences[:2]), 300) if sentences else None
    return {
        "sender": one_line(re.sub(r"[^\w .'\-·&<>]", "", sender), 80) or "unknown",
        "sender_address": address.group(0) if address else None,
        "subject": one_line(_labelled(head, "subject|主题") or "(no subject)", 160),
        "summary": summary or None,
        "date": find_date(date_field) if date_field else None,
    }


def flight_booking(content: str) -> dict[str, Any]:
    text = visible_text(content)
    flight_field = _labelled(text, r"flight(?: number| no\.?)?|航班号?") or text
    flight = re.search(r"\b([A-Z][A-Z0-9]|[0-9][A-Z])\s?(\d{1,4})\b", flight_field)
    origin = _airport(_labelled(text, r"from|origin|departing from|depart(?:ure)? airport|出发地?|始发地?|出发机场"))
    destination = _airport(_labelled(text, r"to|destination|arriving at|arrival airport|到达地?|目的地|到达机场"))
    if not (origin and destination):
        route = re.search(r"\b([A-Z]{3})\s*(?:→|->|–|-|to|至|飞往)\s*([A-Z]{3})\b", text)
        if route:
            origin, destination = route.group(1), route.group(2)
    date_field = _labelled(text, r"date|departure date|travel date|日期|出发日期|乘机日期")
    time_field = _labelled(text, r"departure(?: time)?|departs|departing|time|起飞(?:时间)?|出发时间")
    time_match = _TIME.search(time_field or "")
    reference = _labelled(text, r"booking reference|booking ref\.?|confirmation(?: code| number)?|pnr|预订编号|订单号|确认码")
    ref_match = re.search(r"\b[A-Z0-9]{6}\b", reference or "")
    return {
        "flight_number": f"{flight.group(1)}{flight.group(2)}" if flight else "",
        "date": find_date(date_field or text) or "",
        "origin": origin or "",
        "destination": destination or "",
        "departure_time": f"{int(time_match.group(1)):02d}:{time_match.group(2)}" if time_match else None,
        "booking_reference": ref_match.group(0) if ref_match else None,
    }


def _airport(field: str | None) -> str | None:
    if not field:
        return None
    match = re.search(r"\(([A-Z]{3})\)|\b([A-Z]{3})\b", field)
    return (match.group(1) or match.group(2)) if match else None


_ITEMS_HEADER = re.compile(r"^\s*(?:#+\s*)?(?:action items?|next steps|to-?dos?|follow-?ups?|待办事项|行动项|后续事项|待办)\s*[:：]?\s*$", re.IGNORECASE)
_OWNER_EN = re.compile(r"^(?P<owner>[A-Z][\w'.\-]+(?: [A-Z][\w'.\-]+)?|<[A-Za-z_]+_\d+>)(?:\s+(?:will|to|should|must|is to|needs to)\s+|\s*[:：]\s*)(?P<task>.+)$")
_OWNER_ZH = re.compile(r"^(?P<owner>[\u4e00-\u9fff]{2,4}|<[A-Za-z_]+_\d+>)(?:\s*[:：]\s*|负责|将|要|需要|需)(?P<task>.+)$")
_DUE = re.compile(r"\s*(?:,?\s*\bby\s+(?P<en>[^.;]+)|[，,]?\s*截止(?:日期)?[:：]?\s*(?P<zh>[^，,。；]+)|[，,]?\s*(?P<zh2>\d{4}\s*年[^，,。；]+?日)(?:之?前))\s*[.。]?\s*$", re.IGNORECASE)


def action_items(content: str) -> dict[str, Any]:
    lines = visible_text(content).splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if _ITEMS_HEADER.match(line)), None)
    candidates: list[str] = []
    for line in lines[start:] if start is not None else lines:
        bullet = _BULLET.match(line)
        if bullet:
            candidates.append(bullet["text"])
        elif start is not None and candidates and line.strip():
            break  # the list ended
    items = []
    for text in candidates[:20]:
        owner, task, due = None, text.strip(), None
        match = _OWNER_EN.match(task) or _OWNER_ZH.match(task)
        if match:
            owner, task = match["owner"], match["task"]
        due_match = _DUE.search(task)
        if due_match:
            due = find_date(next(g for g in due_match.groups() if g))
            if due:
                task = task[: due_match.start()]
        task = one_line(task.strip().rstrip(".。;；"), 160)
        if task:
            items.append({"owner": owner, "task": task, "due": due})
    return {"items": items}


def document_facts(content: str) -> dict[str, Any]:
    facts: list[str] = []
    for sentence in split_sentences(clean_paragraphs(visible_text(content))):
        sentence = one_line(sentence.lstrip("-*•· "), 300)
        if _is_statement(sentence) and sentence not in facts:
            facts.append(sentence)
        if len(facts) == 20:
            break
    return {"facts": facts}


def _is_statement(sentence: str) -> bool:
    if sentence.endswith(("?", "？", ":", "：")):
        return False
    return len(_WORD.findall(sentence)) >= 3 or len(_CJK.findall(sentence)) >= 4


def tool_result(content: str) -> dict[str, Any]:
    fields: list[dict[str, str]] = []
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict):
        _flatten(data, "", fields)
    else:
        for line in content.splitlines():
            key, sep, value = line.partition(":")
            if sep and value.strip():
                _add_field(key, value, fields)
    return {"fields": fields[:30]}


def _flatten(data: dict[str, Any], prefix: str, fields: list[dict[str, str]]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, f"{name}_", fields)
        elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
            _add_field(name, ", ".join(str(v) for v in value), fields)
        elif value is not None and not isinstance(value, list):
            _add_field(name, str(value).lower() if isinstance(value, bool) else str(value), fields)


def _add_field(key: str, value: str, fields: list[dict[str, str]]) -> None:
    name = re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key.strip()).lower()).strip("_")
    name = re.sub(r"^[^a-z]+", "", name)[:40]
    value = one_line(value, 200)
    if name and value:
        fields.append({"name": name, "value": value})


EXTRACTORS: dict[type[IntentSchema], Callable[[str], dict[str, Any]]] = {
    DocumentFacts: document_facts,
    EmailSummary: email_summary,
    FlightBooking: flight_booking,
    ActionItems: action_items,
    ToolResult: tool_result,
}
