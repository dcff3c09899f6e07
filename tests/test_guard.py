"""PrivacyGuard over a real SQLCipher vault and the real detector."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from memveil.edge import PrivacyDetector, PrivacyGuard, Vault
from memveil.shared.placeholder import find_placeholders
from memveil.shared.taxonomy import Level

EMAIL = "maya.chen@example.org"
PASSWORD = "Tr0ub4dor&3x"


@pytest.fixture(scope="module")
def detector() -> PrivacyDetector:
    return PrivacyDetector(threads=1)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    with Vault.open(tmp_path / "vault.db", os.urandom(32)) as v:
        yield v


def test_sanitize_replaces_values_with_stable_placeholders(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    first = guard.sanitize(f"Mail me at {EMAIL} please.", "u1")
    second = guard.sanitize(f"Did you get my mail? It is {EMAIL}.", "u1")
    assert EMAIL not in first.text and EMAIL not in second.text
    assert first.text == "Mail me at <Email_1> please."
    assert second.text == "Did you get my mail? It is <Email_1>."
    assert [s.text for s in first.spans] == [EMAIL]
    assert first.spans[0].type == "Email" and first.spans[0].level is Level.PL2


def test_restore_puts_values_back_and_leaves_unknown_placeholders(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    sanitized = guard.sanitize(f"My password is {PASSWORD} and my mail is {EMAIL}", "u1").text
    assert PASSWORD not in sanitized and EMAIL not in sanitized
    reply = f"Noted: {find_placeholders(sanitized)[0]}, also <Email_7> and <Nonsense_Type_1>."
    restored = guard.restore(reply, "u1")
    assert PASSWORD in restored
    assert "<Email_7>" in restored and "<Nonsense_Type_1>" in restored
    assert guard.restore(sanitized, "u1") == f"My password is {PASSWORD} and my mail is {EMAIL}"


def test_restore_is_per_user(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    assert guard.sanitize(f"write to {EMAIL}", "alice").text == "write to <Email_1>"
    assert guard.sanitize("write to bob@example.net", "bob").text == "write to <Email_1>"
    assert guard.restore("<Email_1>", "alice") == EMAIL
    assert guard.restore("<Email_1>", "bob") == "bob@example.net"
    assert guard.restore("<Email_1>", "carol") == "<Email_1>"


def test_level_policy_decides_what_is_replaced(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, levels={"PL4"}, detector=detector)
    result = guard.sanitize(f"My password is {PASSWORD}, mail {EMAIL}", "u1")
    assert PASSWORD not in result.text
    assert EMAIL in result.text  # PL2 is left alone under a PL4-only policy
    assert [s.level for s in result.spans] == [Level.PL4]


def test_policy_rejects_pl1_and_empty(vault: Vault, detector: PrivacyDetector) -> None:
    with pytest.raises(ValueError):
        PrivacyGuard(vault, levels={"PL1", "PL2"}, detector=detector)
    with pytest.raises(ValueError):
        PrivacyGuard(vault, levels=set(), detector=detector)


def test_hyphen_and_apostrophe_placeholders_restore(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    third = vault.placeholder_for("u1", "Jane Doe", "Third-Party Identifiable Info", Level.PL2)
    vault.placeholder_for("u1", "D100-2000-3000", "Driver's License Number", Level.PL3)
    licence = vault.placeholder_for("u1", "D123-4567-8901", "Driver's License Number", Level.PL3)
    assert third == "<Third-Party_Identifiable_Info_1>"
    assert licence == "<Driver's_License_Number_2>"
    reply = "Remind <Third-Party_Identifiable_Info_1> to renew <Driver's_License_Number_2>."
    assert guard.restore(reply, "u1") == "Remind Jane Doe to renew D123-4567-8901."


def test_user_typed_lookalike_never_becomes_a_real_value(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    guard.sanitize(f"my mail is {EMAIL}", "u1")  # <Email_1> now means EMAIL for u1
    typed = "In the template, write <Email_1> where the address goes."
    sanitized = guard.sanitize(typed, "u1").text
    assert find_placeholders(sanitized) == []
    assert guard.restore(sanitized, "u1") == typed
    assert EMAIL not in guard.restore(sanitized, "u1")


def test_text_without_private_data_is_unchanged(vault: Vault, detector: PrivacyDetector) -> None:
    guard = PrivacyGuard(vault, detector=detector)
    text = "I like long walks and strong coffee in the morning."
    assert guard.sanitize(text, "u1") == (text, [])
    assert guard.sanitize("", "u1") == ("", [])
