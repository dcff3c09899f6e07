"""The committed challenge sets are valid benchmark files whose references point into their turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from memveil.edge.evaluation.benchmark import REFERENCES, read_records

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"


@pytest.mark.parametrize(
    "name, languages, turns, items",
    [
        ("challenge.jsonl", {"zh": 12, "en": 8}, 212, 447),
        ("challenge_zh.jsonl", {"zh": 336}, 3547, 7479),
        ("challenge_en.jsonl", {"en": 210}, 2223, 5094),
    ],
)
def test_challenge_set_is_well_formed(name: str, languages: dict[str, int], turns: int, items: int) -> None:
    records = list(read_records(DATA / name))
    spoken = [record.data["metadata"]["language"] for record in records]
    assert {language: spoken.count(language) for language in set(spoken)} == languages
    assert len({record.data["uuid"] for record in records}) == len(records)
    assert all(record.user_name for record in records)
    pairs = [(turn, item) for record in records for turn in record.user_turns() for item in record.items(turn, REFERENCES)]
    assert sum(len(record.user_turns()) for record in records) == turns and len(pairs) == items
    for turn, item in pairs:
        assert item.text and item.text in turn.content
        assert item.level in {"PL2", "PL3", "PL4"}
