"""Placeholders are atoms, whatever the engine: properties over generated conversations.

For both engines, over conversations mixing words, placeholder tokens, escaped look-alikes
and punctuation, and over related memories that are often near-copies of what the user says:

- no memory that formation writes holds a placeholder absent from its sources (the messages;
  for an UPDATE, also the memory it replaces);
- every placeholder of a source fact survives into some memory.

`LLMEngine` runs against the real stub server answering with generated, often adversarial,
operations (tokens changed, dropped, invented, split; unknown or repeated targets). A
reply that would break a rule must be refused, and a valid one accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openai_stub import OpenAIStub

from memveil.cloud.embedder import shared_embedder
from memveil.cloud.engine import LLMEngine, Operation, SimpleEngine
from memveil.cloud.llm import LLMClient, LLMConfig, LLMError
from memveil.shared.placeholder import find_placeholders
from memveil.shared.wire import Memory, Message

_TAGS = ("Email", "Phone_Number", "Person", "Medical_Health", "Driver's_License_Number")
_TOKENS = [f"<{tag}_{n}>" for tag in _TAGS for n in (1, 2)]
_FOREIGN = ["<Email_9>", "<Bank_Payment_Card_Number_1>", "<Person_7>"]
_BROKEN = ["<Email_ 1>", "<Email1>", "Email_1", "<\\Email_1>", "<email_1", "<Phone_Number_1"]
_WORDS = "I my email is live in the doctor said have a dog named Biscuit 我的 手机号是 and work at".split()
_ENDS = [".", "!", "?", "。", "", "\n"]

_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(_WORDS + _TOKENS + ["<\\Email_1>"]), min_size=1, max_size=8))
    return " ".join(parts) + draw(st.sampled_from(_ENDS))


@st.composite
def conversations(draw: st.DrawFn) -> tuple[list[Message], list[Memory]]:
    messages = [
        Message(
            role=draw(st.sampled_from(["user", "user", "assistant"])),
            content=" ".join(draw(st.lists(sentences(), min_size=1, max_size=3))),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    said = [s for m in messages for s in m.content.split("\n") if s.strip()]
    texts = [draw(near_copies(said)) if draw(st.booleans()) else draw(sentences()) for _ in range(draw(st.integers(0, 4)))]
    now = datetime.now(timezone.utc)
    related = [
        Memory(id=f"uuid-{i}", user_id="u", text=t.strip() or "x", created_at=now, updated_at=now)
        for i, t in enumerate(texts)
    ]
    return messages, related


@st.composite
def near_copies(draw: st.DrawFn, said: list[str]) -> str:
    """A near-copy of something the user said: one token swapped, dropped or kept, punctuation changed."""
    text = draw(st.sampled_from(said))
    tokens = find_placeholders(text)
    if tokens and draw(st.booleans()):
        text = text.replace(draw(st.sampled_from(tokens)), draw(st.sampled_from(["", *_TOKENS])), 1)
    return text.rstrip(".!?。 ") + draw(st.sampled_from([".", "!!", ""]))


def _user_facts_tokens(engine: SimpleEngine, messages: list[Message]) -> list[set[str]]:
    return [set(find_placeholders(fact)) for fact in engine.facts(messages)]


def _apply(related: list[Memory], operations: list[Operation]) -> dict[str, str]:
    """What memory holds after the operations: id -> text (ADDs get fresh ids)."""
    state = {m.id: m.text for m in related}
    for n, op in enumerate(operations):
        if op.event == "ADD":
            state[f"new-{n}"] = op.text
        elif op.event == "UPDATE" and op.target_id is not None:
            state[op.target_id] = op.text
        elif op.event == "DELETE" and op.target_id is not None:
            state.pop(op.target_id, None)
    return state


def _assert_written_tokens_come_from_sources(
    messages: list[Message], related: list[Memory], operations: list[Operation]
) -> None:
    said = {t for m in messages for t in find_placeholders(m.content)}
    by_id = {m.id: m for m in related}
    for op in operations:
        if op.event == "ADD":
            assert set(find_placeholders(op.text)) <= said
        elif op.event == "UPDATE":
            assert op.target_id in by_id
            assert set(find_placeholders(op.text)) <= said | set(find_placeholders(by_id[op.target_id].text))
        else:
            assert op.target_id in by_id and op.text == by_id[op.target_id].text  # never model text


# --- SimpleEngine --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def simple() -> SimpleEngine:
    return SimpleEngine(shared_embedder())


@_settings
@given(conversations())
def test_simple_engine_keeps_placeholders_whole(simple: SimpleEngine, case: tuple[list[Message], list[Memory]]) -> None:
    messages, related = case
    operations = simple.form(messages, related)
    for op in operations:
        event(op.event)
    _assert_written_tokens_come_from_sources(messages, related, operations)
    state = [set(find_placeholders(text)) for text in _apply(related, operations).values()]
    for fact_tokens in _user_facts_tokens(simple, messages):
        assert any(fact_tokens <= memory for memory in state), "a fact's placeholders were split across or lost from memory"


# --- LLMEngine against the stub ------------------------------------------------------------


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub() as server:
        yield server


@pytest.fixture(scope="module")
def llm(stub: OpenAIStub) -> Iterator[LLMEngine]:
    config = LLMConfig(base_url=stub.base_url, model="stub", timeout_s=5, max_retries=2, backoff_s=0)
    with LLMClient(config) as client:
        yield LLMEngine(client)


@st.composite
def replies(draw: st.DrawFn, messages: list[Message], related: list[Memory]) -> dict[str, Any]:
    """A formation reply: valid by construction or adversarial."""
    ids = [f"m{i}" for i in range(1, len(related) + 1)]
    if draw(st.booleans()):  # valid: remember each user message whole, leave some memories alone
        operations = [_op("ADD", m.content) for m in messages if m.role == "user"]
        for target in draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []:
            operations.append(_op("NOOP", None, target))
        return {"operations": draw(st.permutations(operations))}
    pool = _WORDS + _TOKENS + _FOREIGN + _BROKEN + [t for m in messages for t in find_placeholders(m.content)]
    text = st.lists(st.sampled_from(pool), min_size=1, max_size=6).map(" ".join)
    target = st.sampled_from([*ids, "m99", "uuid-0", ""]) if ids else st.sampled_from(["m1", "uuid-0", ""])
    events = st.sampled_from(["ADD", "UPDATE", "DELETE", "NOOP"])
    operation = st.builds(_op, events, st.one_of(st.none(), text), st.one_of(st.none(), target))
    return {"operations": draw(st.lists(operation, max_size=5))}


def _op(event: str, text: str | None, target: str | None = None) -> dict[str, Any]:
    return {"event": event, "text": text, "target": target, "reason": None}


@_settings
@given(st.data())
def test_llm_engine_stores_only_replies_that_keep_placeholders_whole(
    stub: OpenAIStub, llm: LLMEngine, data: st.DataObject
) -> None:
    messages, related = data.draw(conversations())
    scripted = [data.draw(replies(messages, related)) for _ in range(3)]
    stub.reset()
    for reply in scripted:
        stub.reply(reply)
    try:
        operations = llm.form(messages, related)
    except LLMError:
        operations = None
    if not any(m.role == "user" for m in messages):
        assert operations == [] and stub.requests == []
        return
    served = len(stub.requests)
    event("all refused" if operations is None else f"accepted on attempt {served}")
    if operations is None:
        assert served == 3  # every reply refused: nothing to store
        return
    # The reply accepted was the last one served; the ones before it were refused.
    accepted = scripted[served - 1]
    assert [op.event for op in operations] == [op["event"] for op in accepted["operations"]]
    _assert_written_tokens_come_from_sources(messages, related, operations)
    retiring = [op for op in operations if op.event in ("UPDATE", "DELETE")]
    retired = {t for op in retiring for t in find_placeholders(_text_of(related, op.target_id))}
    kept = {t for text in _apply(related, operations).values() for t in find_placeholders(text)}
    user_said = {t for m in messages if m.role == "user" for t in find_placeholders(m.content)}
    assert user_said <= kept | retired
    prompt = json.loads(stub.requests[0]["messages"][1]["content"])
    assert not any(m.id in json.dumps(prompt) for m in related)  # short ids only


@_settings
@given(st.data())
def test_llm_engine_accepts_a_valid_reply(stub: OpenAIStub, llm: LLMEngine, data: st.DataObject) -> None:
    messages, related = data.draw(conversations())
    if not any(m.role == "user" for m in messages):
        return
    stub.reset()
    ids = [f"m{i}" for i in range(1, len(related) + 1)]
    adds = [_op("ADD", m.content) for m in messages if m.role == "user"]
    stub.reply({"operations": adds + [_op("NOOP", None, i) for i in ids]})
    operations = llm.form(messages, related)
    assert len(stub.requests) == 1
    assert [op.event for op in operations].count("NOOP") == len(related)


def _text_of(related: list[Memory], memory_id: str | None) -> str:
    return next(m.text for m in related if m.id == memory_id)
