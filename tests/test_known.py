"""Known values found again where they recur: the recognizer, fusion, the guard's vault and
the extraction runner's turn-by-turn memory."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from memveil.edge import PrivacyDetector, PrivacyGuard, Vault
from memveil.edge.evaluation.benchmark import read_records
from memveil.edge.extract import ExtractionRunner
from memveil.edge.recognizers.common import make_span
from memveil.edge.recognizers.known import KnownValue, KnownValueRecognizer, carries, distinctive
from memveil.edge.fusion import fuse
from memveil.shared.placeholder import find_placeholders
from memveil.shared.taxonomy import Level

THIRD = "Third-Party Identifiable Info"


def third(value: str, level: Level = Level.PL2) -> KnownValue:
    return KnownValue(value, THIRD, level)


def found(recognizer: KnownValueRecognizer, text: str) -> list[str]:
    return [span.text for span in recognizer.analyze(text)]


def test_whole_words_longest_first_case_sensitive() -> None:
    recognizer = KnownValueRecognizer([third("Nadia"), third("Nadia Khan"), third("Li")])
    text = "Nadia Khan called; Nadia, Nadiastan, ANadia, nadia and Lisa did not, Li did."
    assert found(recognizer, text) == ["Nadia Khan", "Nadia", "Li"]
    spans = recognizer.analyze(text)
    li = text.index("Li did")
    assert [(s.start, s.end) for s in spans] == [(0, 10), (19, 24), (li, li + 2)]
    assert {s.source for s in spans} == {"known_value"}


def test_cjk_values_match_inside_running_text_and_next_to_latin() -> None:
    recognizer = KnownValueRecognizer([third("王小明"), third("Nadia")])
    assert found(recognizer, "昨天王小明和Nadia一起来的") == ["王小明", "Nadia"]


def test_spans_keep_the_type_and_level_they_were_protected_under() -> None:
    recognizer = KnownValueRecognizer([KnownValue("王小明", THIRD, Level.PL3), KnownValue("ACCT-99817", "Account ID/Username", Level.PL2)])
    spans = recognizer.analyze("王小明的账号 ACCT-99817")
    assert [(s.type, s.level) for s in spans] == [(THIRD, Level.PL3), ("Account ID/Username", Level.PL2)]


def test_only_names_and_identifiers_are_carried() -> None:
    for type_name in (THIRD, "Real Name", "Email", "Phone Number", "ID Number", "Passport Number",
                      "Employer/Company Name", "School", "Password", "Account ID/Username"):
        assert carries(type_name), type_name
    for type_name in ("Medical Health", "Transaction Record", "Relationship Info", "Itinerary/Trajectory",
                      "Identity Background", "Gender", "Job Title/Rank", "Specific Date of Birth"):
        assert not carries(type_name), type_name
    recognizer = KnownValueRecognizer([
        KnownValue("heart disease", "Medical Health", Level.PL3),
        KnownValue("nurse", "Job Title/Rank", Level.PL2),
        third("Omar"),
    ])
    assert len(recognizer) == 1
    assert found(recognizer, "Omar, a nurse, talked about heart disease") == ["Omar"]


def test_values_too_short_or_too_common_to_be_the_same_value() -> None:
    assert not distinctive("A")
    assert not distinctive("2024")  # a bare short number recurs by coincidence
    assert distinctive("Li") and distinctive("王伟") and distinctive("4111 1111")
    recognizer = KnownValueRecognizer([KnownValue("2024", "Account ID/Username", Level.PL2), third("J")])
    assert len(recognizer) == 0 and recognizer.analyze("J in 2024") == []


def test_a_full_name_is_carried_by_its_parts_too() -> None:
    recognizer = KnownValueRecognizer([third("Tunde Bakare"), third("Dr Helen Baptiste"), third("Nadia")])
    assert len(recognizer) == 3
    text = "ping Tunde, then Mr Bakare; Helen agreed with Baptiste; Nadia too"
    assert found(recognizer, text) == ["Tunde", "Bakare", "Helen", "Baptiste", "Nadia"]
    assert {s.type for s in recognizer.analyze(text)} == {THIRD}
    # Only other people's Latin full names: not the user's, not organisations, not CJK names
    # (a Chinese given name alone is the user-name recognizer's and the tagger's business).
    others = KnownValueRecognizer([
        KnownValue("Jane Doe", "Real Name", Level.PL2),
        KnownValue("Crumb Co", "Employer/Company Name", Level.PL2),
        third("王小明"),
    ])
    assert found(others, "Jane, Doe, Crumb, Co, 小明") == []


def test_repr_hides_the_values() -> None:
    recognizer = KnownValueRecognizer([third("Nadia Khan")])
    assert "Nadia" not in repr(recognizer) and "1 values" in repr(recognizer)


def test_fusion_lets_known_values_fill_only_unclaimed_regions() -> None:
    text = "Mail Nadia Khan at nadia@example.org"
    rule = make_span(text, 19, 36, "Email", 0.9, "email")
    tagger = make_span(text, 5, 15, THIRD, 0.99, "tagger")
    known = KnownValueRecognizer([third("Nadia"), KnownValue("nadia", "Account ID/Username", Level.PL2)]).analyze(text)
    spans = fuse(text, [rule], [tagger], None, known)
    assert [(s.text, s.source) for s in spans] == [("Nadia Khan", "tagger"), ("nadia@example.org", "email")]
    # Without the tagger's span, the recurrence of the known name is what protects it.
    spans = fuse(text, [rule], [], None, known)
    assert [(s.text, s.source) for s in spans] == [("Nadia", "known_value"), ("nadia@example.org", "email")]


@pytest.fixture(scope="module")
def rules_only() -> PrivacyDetector:
    """Rules alone, so what the detector misses on its own is certain; the tagger's part is
    tested on the real model elsewhere."""
    return PrivacyDetector(threads=1, tagger=False)


def test_detector_argument_checks(rules_only: PrivacyDetector) -> None:
    with pytest.raises(TypeError, match="single string"):
        rules_only.detect("hi", known="Wairimu")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="KnownValue"):
        rules_only.detect("hi", known=[("Wairimu", THIRD, Level.PL2)])  # type: ignore[list-item]
    text = "Wairimu said no."
    assert rules_only.detect(text) == []
    assert [s.text for s in rules_only.detect(text, known=[third("Wairimu")])] == ["Wairimu"]
    assert [[s.text for s in spans] for spans in rules_only.detect_many([text, "ok"], known=[third("Wairimu")])] == [["Wairimu"], []]
    built = KnownValueRecognizer([third("Wairimu")])  # built once, passed to many calls
    assert [s.text for s in rules_only.detect(text, known=built)] == ["Wairimu"]
    assert rules_only.detect(text, known=KnownValueRecognizer([])) == []


KEY = os.urandom(32)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    with Vault.open(tmp_path / "vault.db", KEY) as v:
        yield v


def test_guard_keeps_protecting_a_name_the_vault_already_holds(vault: Vault, rules_only: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=rules_only)
    first = guard.sanitize("My sister Wairimu is visiting next week.", "u1")
    assert "Wairimu" not in first.text
    (placeholder,) = find_placeholders(first.text)
    # Nothing in this message marks "Wairimu" as a person; the vault does.
    second = guard.sanitize("Wairimu said she can't come after all.", "u1")
    assert "Wairimu" not in second.text
    assert find_placeholders(second.text) == [placeholder]
    assert guard.restore(second.text, "u1") == "Wairimu said she can't come after all."
    # Another user's vault entries are not this user's known values.
    assert "Wairimu" in guard.sanitize("Wairimu said hi.", "u2").text


def test_guard_carries_only_the_levels_it_protects(vault: Vault, rules_only: PrivacyDetector) -> None:
    PrivacyGuard(vault, detector=rules_only).sanitize("My sister Wairimu is visiting.", "u1")
    pl4_only = PrivacyGuard(vault, levels={"PL4"}, detector=rules_only)
    assert pl4_only.sanitize("Wairimu said no.", "u1").text == "Wairimu said no."


def test_guard_sees_what_other_connections_write_and_erase(vault: Vault, rules_only: PrivacyDetector, tmp_path: Path) -> None:
    guard = PrivacyGuard(vault, detector=rules_only)
    assert guard.sanitize("Wairimu said no.", "u1").text == "Wairimu said no."  # nothing known yet
    # Another process (here another connection to the same file) protects the name.
    with Vault.open(tmp_path / "vault.db", KEY) as other:
        PrivacyGuard(other, detector=rules_only).sanitize("My sister Wairimu is visiting.", "u1")
    assert "Wairimu" not in guard.sanitize("Wairimu said no.", "u1").text
    # Erasing the user through this vault drops what the guard carried.
    vault.erase_user("u1")
    assert guard.sanitize("Wairimu said no.", "u1").text == "Wairimu said no."


def test_vault_revision_moves_with_every_write(vault: Vault, tmp_path: Path) -> None:
    start = vault.revision()
    assert vault.revision() == start  # reading changes nothing
    vault.placeholder_for("u1", "Wairimu", THIRD, Level.PL2)
    after_own = vault.revision()
    assert after_own != start
    vault.placeholder_for("u1", "Wairimu", THIRD, Level.PL2)  # known already: no write
    assert vault.revision() == after_own
    with Vault.open(tmp_path / "vault.db", KEY) as other:
        other.placeholder_for("u1", "Kamau", THIRD, Level.PL2)
    assert vault.revision() != after_own


def _record(uuid: str, user_name: str, *turns: str) -> dict[str, object]:
    dialogues = []
    for turn in turns:
        dialogues += [{"role": "user", "content": turn, "privacy_info": []}, {"role": "assistant", "content": "ok", "privacy_info": []}]
    return {"uuid": uuid, "metadata": {"user_name": user_name}, "dialogues": dialogues}


@pytest.mark.parametrize("threads", [1, 2])
def test_extraction_carries_values_to_later_turns_of_the_same_user_only(
    tmp_path: Path, rules_only: PrivacyDetector, threads: int
) -> None:
    path = tmp_path / "data.jsonl"
    rows = [
        _record("a", "Amal Haddad", "Wairimu said hi.", "My sister Wairimu is visiting.", "Wairimu said no.", "2024 was long."),
        _record("b", "Omar Saleh", "Wairimu said no."),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    detector = PrivacyDetector(threads=threads, tagger=False)
    with ExtractionRunner(levels=frozenset({Level.PL2, Level.PL3, Level.PL4}), detector=detector) as runner:
        results = list(runner.predict_all(read_records(path)))
    assert [record.uuid for record, _ in results] == ["a", "b"]
    texts = [[[item.text for item in items] for items in predicted] for _, predicted in results]
    # Turn 1 comes before the value is known; turn 3 sees what turn 2 found; record b is
    # another user and starts with nothing known.
    assert texts == [[[], ["Wairimu"], ["Wairimu"], []], [[]]]
    assert len(runner.latencies) == 5
