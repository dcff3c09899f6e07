"""Formation: sentence splitting that respects placeholders, and SimpleEngine's decisions."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from memveil.cloud.embedder import shared_embedder
from memveil.cloud.engine import Operation, SimpleEngine, is_fact, split_sentences
from memveil.shared.wire import Memory, Message


def _memory(id_: str, text: str) -> Memory:
    now = datetime.now(timezone.utc)
    return Memory(id=id_, user_id="u", text=text, created_at=now, updated_at=now)


def _user(*texts: str) -> list[Message]:
    return [Message(role="user", content=t) for t in texts]


@pytest.fixture(scope="module")
def engine() -> SimpleEngine:
    return SimpleEngine(shared_embedder())


def test_split_keeps_placeholders_whole() -> None:
    text = "Write to <Email_1>. My ID is <Driver's_License_Number_2>! Call <Phone_Number_3>? ok"
    assert split_sentences(text) == [
        "Write to <Email_1>.",
        "My ID is <Driver's_License_Number_2>!",
        "Call <Phone_Number_3>?",
        "ok",
    ]


def test_split_chinese_abbreviations_decimals_and_lines() -> None:
    assert split_sentences("我的手机号是<Phone_Number_1>，身份证号是<ID_Number_1>。我喜欢爬山！") == [
        "我的手机号是<Phone_Number_1>，身份证号是<ID_Number_1>。",
        "我喜欢爬山！",
    ]
    assert split_sentences("Dr. <Person_1> treats me. I pay 3.5 dollars.\n- I like tea") == [
        "Dr. <Person_1> treats me.",
        "I pay 3.5 dollars.",
        "- I like tea",
    ]


@pytest.mark.parametrize(
    ("sentence", "fact"),
    [
        ("I have a dog named Biscuit.", True),
        ("I am <Person_1>.", True),
        ("我对花生过敏。", True),
        ("Thanks!", False),
        ("好的。", False),
        ("What is my email?", False),
        ("Sounds good.", False),
        ("Me too.", False),
    ],
)
def test_is_fact(sentence: str, fact: bool) -> None:
    assert is_fact(sentence) is fact


def test_only_user_statements_become_facts(engine: SimpleEngine) -> None:
    messages = [
        Message(role="system", content="You are a helpful assistant with a long system prompt."),
        Message(role="user", content="Hi! I moved to <Location_1> last year. Can you recommend a cafe?"),
        Message(role="assistant", content="Sure, I can recommend several cafes nearby."),
    ]
    assert engine.form(messages, []) == [Operation("ADD", "I moved to <Location_1> last year.")]


def test_known_fact_is_noop_and_longer_wording_updates(engine: SimpleEngine) -> None:
    known = _memory("m1", "I have a dog named Biscuit.")
    assert engine.form(_user("I have a dog named Biscuit."), [known]) == [Operation("NOOP", known.text, "m1")]
    assert engine.form(_user("I have a dog named Biscuit"), [known]) == [Operation("NOOP", known.text, "m1")]
    longer = "I have a dog named Biscuit!!"
    assert engine.form(_user(longer), [known]) == [Operation("UPDATE", longer, "m1")]


def test_different_private_values_are_never_merged(engine: SimpleEngine) -> None:
    known = _memory("m1", "My email is <Email_1>.")
    assert engine.form(_user("My email is <Email_2>."), [known]) == [Operation("ADD", "My email is <Email_2>.")]


def test_repeats_within_one_request_collapse(engine: SimpleEngine) -> None:
    ops = engine.form(_user("I play the violin every day.", "I play the violin every day!"), [])
    assert ops == [Operation("ADD", "I play the violin every day.")]


def test_unrelated_fact_is_added(engine: SimpleEngine) -> None:
    known = _memory("m1", "I have a dog named Biscuit.")
    assert engine.form(_user("I work as a nurse in Boston."), [known]) == [Operation("ADD", "I work as a nurse in Boston.")]
