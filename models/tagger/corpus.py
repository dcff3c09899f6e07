"""A reproducible bilingual (English/Chinese) synthetic corpus for the span tagger.

Every example is a user chat turn made from our own templates, lexicons and Faker (en_US,
en_GB, zh_CN, zh_TW), with character-offset spans typed in the benchmark's vocabulary and
levelled by the taxonomy::

    from memveil.models.tagger.corpus import generate
    for ex in generate(1000, seed=13, zh_share=0.6):
        ex.text, ex.lang, ex.spans, ex.user_name   # spans: [(start, end, type, level), ...]

CLI::

    python -m memveil.models.tagger.corpus --n 50000 --seed 13 --out corpus.jsonl

Span rules (docs/taxonomy.md): the smallest fragment carrying the fact, no lead-in words and
no surrounding punctuation; descriptive facts keep their core. The user's own name (the
example's `user_name`, or its first/given name) is "Real Name"; every other person's name is
"Third-Party Identifiable Info". About a third of the turns carry no span at all (hard
negatives: preferences, moods, public figures, famous places, plain amounts, dates, versions,
generic medical or job talk).

Long turns: about a quarter of the examples are 150+ characters. Most of them (~15% of all
examples) are composed multi-paragraph drafts, emails, essays, research notes, reviews, work
plans and general health questions with no span at all; a few (~3%) bury one or two facts in
such paragraphs (`_long_turn`, sentence pools `LONG_*` in the template modules, neutral slots
only). They teach the tagger that a long, chatty turn mostly holds nothing private.

Determinism: one `random.Random(seed)` drives every choice and the Faker instances are seeded
from the same seed, so a seed gives the same corpus in every process (for one Faker version).
Faker is imported lazily: it is only in the `train` extra.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from memveil.models.tagger import lexicon_en, lexicon_zh, templates_en, templates_zh
from memveil.models.tagger.fillers import SLOTS, Ctx, make_ctx
from memveil.shared.taxonomy import default_level

__all__ = ["Example", "generate", "stats", "template_counts", "check_example", "has_lead_in", "main"]

Span = tuple[int, int, str, str]


@dataclass
class Example:
    """One chat turn: `text`, its language ("en" | "zh"), spans `(start, end, type, level)` with
    `text[start:end]` the value, and the user's own name from the device profile."""

    text: str
    lang: str
    spans: list[Span] = field(default_factory=list)
    user_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "lang": self.lang, "spans": [list(s) for s in self.spans],
                "user_name": self.user_name}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Example:
        return cls(obj["text"], obj["lang"], [tuple(s) for s in obj["spans"]], obj.get("user_name"))  # type: ignore[misc]


# ---------------------------------------------------------------------------------- templates

_SLOT_RE = re.compile(r"\{([A-Z][A-Z0-9]*)\}")

# A compiled template: lines of (optional, parts); parts alternate literal text and slot names.
Line = tuple[bool, tuple[str, ...]]
Template = tuple[Line, ...]


def _compile(template: str) -> Template:
    lines: list[Line] = []
    for raw in template.split("\n"):
        optional = raw.startswith("?")
        body = raw[1:] if optional else raw
        parts = tuple(_SLOT_RE.split(body))
        for name in parts[1::2]:
            if name != "A" and name not in SLOTS:
                raise ValueError(f"unknown slot {{{name}}} in template {template!r}")
        lines.append((optional, parts))
    return tuple(lines)


def _compile_bank(facts: dict[str, tuple[str, ...]], negatives: tuple[str, ...], long: tuple[str, ...]) -> dict[str, Any]:
    return {
        "facts": {g: tuple(_compile(t) for t in ts) for g, ts in facts.items()},
        "negatives": tuple(_compile(t) for t in negatives),
        "long": tuple(_compile(t) for t in long),
    }


_BANKS: dict[str, dict[str, Any]] = {
    "en": _compile_bank(templates_en.FACTS, templates_en.NEGATIVES, templates_en.LONG),
    "zh": _compile_bank(templates_zh.FACTS, templates_zh.NEGATIVES, templates_zh.LONG),
    "tw": _compile_bank(templates_zh.TW_FACTS, templates_zh.TW_NEGATIVES, templates_zh.TW_LONG),
}


def _compile_neutral(template: str) -> Template:
    """A long-turn sentence: only neutral slots (no type), so it can never carry a span."""
    compiled = _compile(template)
    for _, parts in compiled:
        for name in parts[1::2]:
            if name == "A" or SLOTS[name][0] is not None:
                raise ValueError(f"typed slot {{{name}}} in long-turn sentence {template!r}")
    return compiled


def _compile_pools(mod: Any) -> dict[str, Any]:
    return {
        "intros": {g: tuple(_compile_neutral(t) for t in ts) for g, ts in mod.LONG_INTROS.items()},
        "bodies": {g: tuple(_compile_neutral(t) for t in ts) for g, ts in mod.LONG_BODIES.items()},
        "shared": tuple(_compile_neutral(t) for t in mod.LONG_SHARED),
        "outros": tuple(_compile_neutral(t) for t in mod.LONG_OUTROS),
    }


#: Sentence pools for composed long turns (Taiwan turns use the mainland pools).
_POOLS: dict[str, dict[str, Any]] = {"en": _compile_pools(templates_en), "zh": _compile_pools(templates_zh)}

#: How often each group of facts is drawn (relative); tuned toward what chat turns reveal most.
GROUP_WEIGHTS: dict[str, float] = {
    "name_self": 6, "third_party": 9, "address": 5, "email": 3, "phone": 4, "work": 7, "identity": 6,
    "school": 3, "relationship": 5, "account": 2, "network": 1.5, "medical": 11, "transaction": 5,
    "money": 5, "itinerary": 5, "location": 3, "ids": 4, "financial": 2.5, "sensitive": 4, "judicial": 2,
    "minor": 2.5, "comm": 3, "secret": 2, "org": 1, "credentials": 5,
}
#: Number of facts asked of a short turn (k = 0 makes a pure hard negative).
K_DIST: tuple[tuple[int, float], ...] = ((0, 0.30), (1, 0.30), (2, 0.22), (3, 0.12), (4, 0.06))
#: Share of turns from the fixed long templates (forms, letters: dense in facts).
LONG_SHARE = 0.015
#: Share of composed long turns with no span at all (drafts, notes, reviews, general questions).
LONG_NEG_SHARE = 0.15
#: Share of composed long turns with one or two facts buried in neutral paragraphs.
LONG_MIXED_SHARE = 0.03
#: A composed long turn is at least this long (characters).
LONG_MIN_CHARS = 150


def template_counts() -> dict[str, dict[str, int]]:
    """Templates per bank: facts, negatives, long messages, and the total."""
    out = {}
    for name, bank in _BANKS.items():
        facts = sum(len(v) for v in bank["facts"].values())
        out[name] = {"facts": facts, "negatives": len(bank["negatives"]), "long": len(bank["long"]),
                     "total": facts + len(bank["negatives"]) + len(bank["long"])}
    return out


# ---------------------------------------------------------------------------------- rendering

#: Types whose value is free text (a quoted message, a confidential statement): it may start
#: with any word, so neither the article split nor the lead-in check applies.
_FREE_TEXT_TYPES = ("Communication Content", "Business Secret")

#: Descriptive types whose lexicon values may open with an article ("a colonoscopy"); the
#: article stays outside the span. Never names or identifiers ("An Nguyen" keeps its "An").
_ARTICLE_SPLIT_TYPES = frozenset({
    "Medical Health", "Judicial Record", "Relationship Info", "Identity Background", "Assets/Income",
    "Debt/Loan Info", "Company/Organization Info", "Minor Information", "Itinerary/Trajectory",
    "Precise Location", "Job Title/Rank", "Religious Beliefs", "Political Views/Stance", "Sensitive Identity",
    "Transaction Record", "School",
})

Piece = tuple[str, "str | None"]  # (text, type or None for literal/neutral)


def _article(value: str) -> str:
    v = value.lstrip()
    if not v:
        return "a"
    head = v.split(" ")[0].split("-")[0]
    if head[:1].isdigit():
        return "an" if head.startswith("8") or head in ("11", "18") else "a"
    if len(head) >= 2 and head.isupper() and head.isalpha():  # acronyms: an MBA, a CPA
        return "an" if head[0] in "AEFHILMNORSX" else "a"
    low = v.lower()
    if low.startswith(("uni", "use", "one", "eu", "ur")):
        return "a"
    if low.startswith(("hour", "honest", "heir")):
        return "an"
    return "an" if low[0] in "aeiou" else "a"


def _render(template: Template, ctx: Ctx) -> list[Piece]:
    rng = ctx.rng
    pieces: list[Piece] = []
    first = True
    for optional, parts in template:
        if optional and rng.random() >= 0.6:
            continue
        if not first:
            pieces.append(("\n", None))
        first = False
        values: list[Piece] = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                values.append((part, None))
            elif part == "A":
                values.append(("\x00A", None))  # resolved below, from the next slot's value
            else:
                type_name, fill = SLOTS[part]
                value = fill(ctx)
                if type_name in _ARTICLE_SPLIT_TYPES:
                    low = value.lower()
                    for art in ("a ", "an ", "the "):
                        if low.startswith(art) and len(value) > len(art):
                            values.append((value[:len(art)], None))  # the article is not part of the fact
                            value = value[len(art):]
                            break
                values.append((value, type_name))
        for i, (text, typ) in enumerate(values):
            if text == "\x00A" and typ is None:
                nxt = next((t for t, _ in values[i + 1:] if t.strip()), "")
                text = _article(nxt)
            if text:
                pieces.append((text, typ))
    return pieces


_END_PUNCT = ".!?。！？…~～:：\n"


def _ends_with_punct(pieces: list[Piece]) -> bool:
    return bool(pieces) and pieces[-1][0][-1:] in _END_PUNCT


_TYPO_WORD = re.compile(r"[A-Za-z]{4,}")
_ZH_TYPOS = (("的", "得"), ("得", "的"), ("在", "再"), ("再", "在"), ("做", "作"), ("那", "哪"), ("吗", "嘛"))
_ZH_EN_MIX = (("邮件", "email"), ("领导", "leader"), ("会议", "meeting"), ("项目", "project"), ("老板", "boss"),
              ("截止日期", "deadline"), ("确认", "confirm"), ("简历", "CV"), ("微信", "vx"), ("没问题", "ok"),
              ("周末", "weekend"), ("文件", "file"), ("时间", "time"), ("工作", "job"))


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _vary(pieces: list[Piece], lang: str, rng: random.Random) -> list[Piece]:
    """Casing, punctuation, typos and code-mixing, applied to literal text only (never to values,
    except case folding of non-credential values, which keeps their length)."""
    out = list(pieces)
    literal_idx = [i for i, (t, typ) in enumerate(out) if typ is None and t.strip()]
    if lang == "en":
        if rng.random() < 0.07:
            out = [(t.lower() if (typ is None or default_level(typ).value != "PL4") and len(t.lower()) == len(t) else t, typ)
                   for t, typ in out]
        elif rng.random() < 0.12 and out and out[0][1] is None:
            t = out[0][0]
            out[0] = (t[:1].lower() + t[1:], None)
        if rng.random() < 0.1 and literal_idx:
            i = _c(rng, literal_idx)
            words = list(_TYPO_WORD.finditer(out[i][0]))
            if words:
                m = _c(rng, words)
                t = out[i][0]
                out[i] = (t[:m.start()] + _typo(m.group(), rng) + t[m.end():], None)
        if rng.random() < 0.04 and out and out[-1][1] is None and out[-1][0][-1:] in "?!":
            out[-1] = (out[-1][0] + out[-1][0][-1] * rng.randint(1, 2), None)
    else:
        if rng.random() < 0.12:
            out = [(t.replace("，", ",").replace("？", "?").replace("！", "!").replace("：", ":") if typ is None else t, typ)
                   for t, typ in out]
        if rng.random() < 0.06 and literal_idx:
            i = _c(rng, literal_idx)
            a, b = _c(rng, _ZH_TYPOS)
            if a in out[i][0]:
                out[i] = (out[i][0].replace(a, b, 1), None)
        if rng.random() < 0.15 and literal_idx:
            i = _c(rng, literal_idx)
            a, b = _c(rng, _ZH_EN_MIX)
            if a in out[i][0]:
                out[i] = (out[i][0].replace(a, b, 1), None)
        if rng.random() < 0.08:
            out.append((_c(rng, ("哈哈", "～", "呀", "哈", "😭", "🙏")), None))
    # Drop the final full stop now and then (people rarely finish a chat line with one).
    if rng.random() < (0.22 if lang == "en" else 0.28) and out and out[-1][1] is None and out[-1][0][-1:] in ".。":
        t = out[-1][0][:-1]
        out[-1] = (t, None)
        if not t:
            out.pop()
    return out


def _c(rng: random.Random, seq: Any) -> Any:
    return seq[rng.randrange(len(seq))]


def _weighted(rng: random.Random, items: tuple[tuple[Any, float], ...]) -> Any:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x < 0:
            return item
    return items[-1][0]


def _assemble(pieces: list[Piece]) -> tuple[str, list[Span]]:
    text_parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for text, typ in pieces:
        if typ is not None:
            value = text.strip()
            lead = len(text) - len(text.lstrip())
            if value:
                spans.append((pos + lead, pos + lead + len(value), typ, default_level(typ).value))
        text_parts.append(text)
        pos += len(text)
    return "".join(text_parts), spans


# ---------------------------------------------------------------------------------- examples


def _make_fakers(seed: int) -> dict[str, Any]:
    from faker import Faker  # train extra only

    fakers = {}
    for i, (variant, locale) in enumerate((("us", "en_US"), ("gb", "en_GB"), ("cn", "zh_CN"), ("tw", "zh_TW"))):
        fk = Faker(locale)
        fk.seed_instance(seed * 7919 + i)
        fakers[variant] = fk
    return fakers


def _example(rng: random.Random, fakers: dict[str, Any], zh_share: float) -> Example:
    lang = "zh" if rng.random() < zh_share else "en"
    if lang == "en":
        variant = "us" if rng.random() < 0.65 else "gb"
    else:
        variant = "cn" if rng.random() < 0.88 else "tw"
    ctx = make_ctx(rng, fakers, lang, variant)
    bank = _BANKS["en" if lang == "en" else ("tw" if variant == "tw" else "zh")]
    stop = "." if lang == "en" else "。"

    sentences: list[list[Piece]] = []
    r = rng.random()
    if r < LONG_NEG_SHARE + LONG_MIXED_SHARE:
        n_facts = 0 if r < LONG_NEG_SHARE else (1 if rng.random() < 0.7 else 2)
        pieces = _vary(_long_turn(rng, ctx, bank, lang, n_facts), lang, rng)
        text, spans = _assemble(pieces)
        return Example(text=text, lang=lang, spans=spans, user_name=ctx.user_name)
    if r < LONG_NEG_SHARE + LONG_MIXED_SHARE + LONG_SHARE:
        sentences.append(_render(_c(rng, bank["long"]), ctx))
    else:
        k = _weighted(rng, K_DIST)
        groups = tuple((g, GROUP_WEIGHTS.get(g, 1.0)) for g in bank["facts"])
        facts: list[list[Piece]] = []
        used: set[int] = set()
        used_groups: set[str] = set()
        found = 0
        while found < k:
            group = _weighted(rng, groups)
            if group in used_groups and rng.random() < 0.8:  # mostly different kinds of facts
                continue
            used_groups.add(group)
            template = _c(rng, bank["facts"][group])
            if id(template) in used:  # one template at most once per turn
                continue
            used.add(id(template))
            rendered = _render(template, ctx)
            facts.append(rendered)
            found += sum(1 for _, typ in rendered if typ is not None)
        if k == 0:
            n_neg = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
        else:
            n_neg = _c(rng, (0, 0, 0, 1, 1, 2))
        negs = [_render(t, ctx) for t in rng.sample(bank["negatives"], n_neg)]
        sentences = facts + negs
        rng.shuffle(sentences)
    if rng.random() < 0.12:
        opener = _c(rng, lexicon_en.OPENERS if lang == "en" else (_TW_OPENERS if variant == "tw" else lexicon_zh.OPENERS))
        if lang == "en" and opener.endswith(",") and sentences and sentences[0] and sentences[0][0][1] is None:
            head = sentences[0][0][0]
            if len(head) > 1 and head[0].isupper() and head[1].islower():
                sentences[0] = [(head[0].lower() + head[1:], None)] + sentences[0][1:]
        sentences.insert(0, [(opener, None)])
    if rng.random() < 0.18 and sentences:
        closer = _c(rng, lexicon_en.CLOSERS if lang == "en" else (_TW_CLOSERS if variant == "tw" else lexicon_zh.CLOSERS))
        sentences.append([(closer, None)])

    pieces: list[Piece] = []
    for i, sentence in enumerate(sentences):
        if i:
            prev_open = sentences[i - 1] and sentences[i - 1][-1][0][-1:] in ",，:："
            if not prev_open and not _ends_with_punct(pieces):
                pieces.append((stop, None))
            if lang == "en":
                pieces.append((_weighted(rng, ((" ", 0.9), ("\n", 0.07), ("  ", 0.03))), None))
            elif rng.random() < 0.05:
                pieces.append(("\n", None))
        pieces.extend(sentence)
    pieces = _vary(pieces, lang, rng)
    text, spans = _assemble(pieces)
    return Example(text=text, lang=lang, spans=spans, user_name=ctx.user_name)


def _draw_facts(rng: random.Random, ctx: Ctx, bank: dict[str, Any], k: int) -> list[list[Piece]]:
    """`k` rendered fact sentences (each carrying at least one span), from different templates."""
    groups = tuple((g, GROUP_WEIGHTS.get(g, 1.0)) for g in bank["facts"])
    out: list[list[Piece]] = []
    used: set[int] = set()
    while len(out) < k:
        template = _c(rng, bank["facts"][_weighted(rng, groups)])
        if id(template) in used:
            continue
        used.add(id(template))
        rendered = _render(template, ctx)
        if any(typ is not None for _, typ in rendered):
            out.append(rendered)
    return out


def _long_turn(rng: random.Random, ctx: Ctx, bank: dict[str, Any], lang: str, n_facts: int) -> list[Piece]:
    """A composed multi-paragraph turn (a draft, notes, a review, a general question...) of at least
    LONG_MIN_CHARS characters, made of neutral sentences, with `n_facts` fact sentences buried
    inside (never first, so a long turn mostly reads as PL1 context)."""
    en = lang == "en"
    pools = _POOLS["en" if en else "zh"]
    genres = tuple(pools["bodies"])
    genre = _c(rng, genres)
    if en:
        target = rng.randint(LONG_MIN_CHARS + 10, 600) if rng.random() < 0.85 else rng.randint(600, 1400)
    else:
        target = rng.randint(LONG_MIN_CHARS + 10, 420) if rng.random() < 0.85 else rng.randint(420, 900)
    own = list(pools["bodies"][genre])
    rng.shuffle(own)
    shared = list(pools["shared"])
    rng.shuffle(shared)
    others = [t for g in genres if g != genre for t in pools["bodies"][g]]
    body: list[list[Piece]] = []
    length = 0
    while length < target:
        if own and (rng.random() < 0.78 or not shared):
            template = own.pop()
        elif shared:
            template = shared.pop()
        else:
            template = _c(rng, others)
        sentence = _render(template, ctx)
        body.append(sentence)
        length += sum(len(t) for t, _ in sentence) + 1
    if n_facts:
        for fact in _draw_facts(rng, ctx, bank, n_facts):
            body.insert(rng.randint(max(1, len(body) // 4), len(body)), fact)
    stop = "." if en else "。"
    sep = " " if en else ""
    pieces: list[Piece] = []
    if rng.random() < 0.75:
        pieces = list(_render(_c(rng, pools["intros"][genre]), ctx))
        pieces.append((_weighted(rng, (("\n\n", 0.6), ("\n", 0.3), (" " if en else "", 0.1))), None))
    para_left = rng.randint(2, 5)
    for i, sentence in enumerate(body):
        if i:
            if not _ends_with_punct(pieces):
                pieces.append((stop, None))
            para_left -= 1
            if para_left <= 0:
                pieces.append(("\n\n" if rng.random() < 0.8 else "\n", None))
                para_left = rng.randint(2, 5)
            else:
                pieces.append((sep, None))
        pieces.extend(sentence)
    if not _ends_with_punct(pieces):
        pieces.append((stop, None))
    if rng.random() < 0.5:
        pieces.append(("\n\n" if rng.random() < 0.6 else sep, None))
        pieces.extend(_render(_c(rng, pools["outros"]), ctx))
    return [(t, typ) for t, typ in pieces if t]


_TW_OPENERS = ("你好，", "在嗎？", "請問一下，", "哈囉，")
_TW_CLOSERS = ("該怎麼辦？", "有什麼建議嗎？", "謝謝！", "幫我回一下。")


def generate(n: int, seed: int = 13, zh_share: float = 0.6) -> Iterator[Example]:
    """`n` examples, the same ones for the same seed in every process."""
    if not 0.0 <= zh_share <= 1.0:
        raise ValueError("zh_share must be in [0, 1]")
    rng = random.Random(seed)
    fakers = _make_fakers(seed)
    for _ in range(n):
        yield _example(rng, fakers, zh_share)


# ---------------------------------------------------------------------------------- checks, stats

_EDGE_PUNCT = set(" \t\n\r.,;:，。；：、\"'“”‘’()（）[]【】《》<>")
_EDGE_PUNCT_NON_CREDENTIAL = _EDGE_PUNCT | set("!?！？")
_CLOSE = {"(": ")", "（": "）", "[": "]"}
_OPEN = {v: k for k, v in _CLOSE.items()}
LEAD_INS = (
    "my ", "i am ", "i'm ", "i live", "my number", "call me", "the ", "a ", "an ", "is ", "at ",
    "我的", "我住", "住在", "我是", "我叫", "我在", "我",
)


#: Opaque identifiers and secrets: their text is a code, not words, so "A 746393" is a plate,
#: not an article.
_OPAQUE_TYPES = frozenset({
    "ID Number", "Passport Number", "Driver's License Number", "License Plate", "Bank/Payment Card Number",
    "Financial Account", "Payment Security Code", "Phone Number", "Email", "Network Identifier",
    "Account ID/Username", "Password", "Verification Code", "Key", "Token", "Private Key",
    "Database Connection String",
})


def has_lead_in(value: str, type_name: str) -> bool:
    """Whether a span value opens with a lead-in word ("my ", "I'm ", "the ", "我的", "住在", ...)."""
    if type_name in _FREE_TEXT_TYPES or type_name in _OPAQUE_TYPES:
        return False
    return value.lower().startswith(LEAD_INS)


def check_example(ex: Example) -> list[str]:
    """Problems with an example's spans (empty when it follows the span rules)."""
    problems: list[str] = []
    prev_end = -1
    for start, end, typ, level in sorted(ex.spans):
        value = ex.text[start:end]
        if not value:
            problems.append(f"empty span at {start}")
            continue
        if start < prev_end:
            problems.append(f"overlap at {start}")
        prev_end = max(prev_end, end)
        edge = _EDGE_PUNCT if level == "PL4" else _EDGE_PUNCT_NON_CREDENTIAL
        head_ok = value[0] in "(（[" and value.count(value[0]) <= value.count(_CLOSE[value[0]])
        tail_ok = value[-1] in ")）]" and value.count(value[-1]) <= value.count(_OPEN[value[-1]])
        if (value[0] in edge and not head_ok) or (value[-1] in edge and not tail_ok):
            problems.append(f"edge punctuation/space in {typ} span {value!r}")
        if default_level(typ).value != level:
            problems.append(f"level {level} for {typ}")
        if has_lead_in(value, typ):
            problems.append(f"lead-in at start of {typ} span {value!r}")
    return problems


def stats(examples: Iterable[Example]) -> dict[str, Any]:
    by_type: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    by_lang: Counter[str] = Counter()
    by_type_lang: Counter[str] = Counter()
    n = negatives = spans = chars = 0
    for ex in examples:
        n += 1
        by_lang[ex.lang] += 1
        chars += len(ex.text)
        if not ex.spans:
            negatives += 1
        for _, _, typ, level in ex.spans:
            spans += 1
            by_type[typ] += 1
            by_level[level] += 1
            by_type_lang[f"{typ}|{ex.lang}"] += 1
    return {
        "examples": n, "spans": spans, "negatives": negatives,
        "negative_share": round(negatives / n, 4) if n else 0.0,
        "spans_per_example": round(spans / n, 3) if n else 0.0,
        "spans_per_positive": round(spans / (n - negatives), 3) if n > negatives else 0.0,
        "mean_chars": round(chars / n, 1) if n else 0.0,
        "by_lang": dict(sorted(by_lang.items())), "by_level": dict(sorted(by_level.items())),
        "by_type": dict(by_type.most_common()),
        "by_type_lang": {t: {"en": by_type_lang[f"{t}|en"], "zh": by_type_lang[f"{t}|zh"]} for t, _ in by_type.most_common()},
    }


def _print_stats(st: dict[str, Any], seconds: float, out: Any = None) -> None:
    out = out or sys.stdout
    n = st["examples"]
    print(f"examples {n}  spans {st['spans']}  ({st['spans_per_example']}/example, {st['spans_per_positive']}/positive)"
          f"  mean {st['mean_chars']} chars  in {seconds:.1f}s ({n / max(seconds, 1e-9):.0f}/s)", file=out)
    print("languages: " + ", ".join(f"{k} {v} ({v / n:.1%})" for k, v in st["by_lang"].items()), file=out)
    print(f"negatives (no span): {st['negatives']} ({st['negative_share']:.1%})", file=out)
    print("levels: " + ", ".join(f"{k} {v}" for k, v in st["by_level"].items()), file=out)
    print(f"{'type':34} {'level':5} {'total':>7} {'en':>7} {'zh':>7}", file=out)
    for typ, count in st["by_type"].items():
        tl = st["by_type_lang"][typ]
        print(f"{typ:34} {default_level(typ).value:5} {count:7d} {tl['en']:7d} {tl['zh']:7d}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m memveil.models.tagger.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=50000, help="number of examples")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--zh-share", type=float, default=0.6, help="share of Chinese turns")
    parser.add_argument("--out", default=None, help="JSONL output path (omit for stats only)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    collected: list[Example] = []
    sink = open(args.out, "w", encoding="utf-8") if args.out else None
    try:
        for ex in generate(args.n, args.seed, args.zh_share):
            collected.append(Example(ex.text, ex.lang, ex.spans, None))  # stats only need text/spans
            if sink:
                sink.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    seconds = time.perf_counter() - t0
    _print_stats(stats(collected), seconds)
    print("templates: " + json.dumps(template_counts()))
    if args.out:
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
