"""The committed challenge set is a valid benchmark file whose references point into their turns."""

from __future__ import annotations

from pathlib import Path

from memveil.edge.evaluation.benchmark import REFERENCES, read_records

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
CHALLENGE = DATA / "challenge.jsonl"
CHALLENGE_ZH = DATA / "challenge_zh.jsonl"


def test_challenge_set_is_well_formed() -> None:
    records = list(read_records(CHALLENGE))
    languages = [record.data["metadata"]["language"] for record in records]
    assert (languages.count("zh"), languages.count("en")) == (12, 8)
    assert all(record.user_name for record in records)
    pairs = [(turn, item) for record in records for turn in record.user_turns() for item in record.items(turn, REFERENCES)]
    assert sum(len(record.user_turns()) for record in records) == 212 and len(pairs) == 447
    for turn, item in pairs:
        assert item.text and item.text in turn.content
        assert item.level in {"PL2", "PL3", "PL4"}


def test_chinese_challenge_set_is_well_formed() -> None:
    records = list(read_records(CHALLENGE_ZH))
    assert len(records) == 60 and {record.data["metadata"]["language"] for record in records} == {"zh"}
    assert len({record.data["uuid"] for record in records}) == 60
    assert all(record.user_name for record in records)
    pairs = [(turn, item) for record in records for turn in record.user_turns() for item in record.items(turn, REFERENCES)]
    assert sum(len(record.user_turns()) for record in records) == 583 and len(pairs) == 1253
    for turn, item in pairs:
        assert item.text and item.text in turn.content
        assert item.level in {"PL2", "PL3", "PL4"}
