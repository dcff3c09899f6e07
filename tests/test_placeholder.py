"""The placeholder grammar: every tag parses and restores, look-alikes never pass for real ones."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memveil.shared.placeholder import (
    Placeholder,
    escape_lookalikes,
    find_placeholders,
    format_placeholder,
    parse_placeholder,
    restore_tokens,
    type_to_tag,
)
from memveil.shared.taxonomy import STANDARD_TYPES


@pytest.mark.parametrize(
    ("type_name", "tag"),
    [
        ("Email", "Email"),
        ("Medical Health", "Medical_Health"),
        ("Account ID/Username", "Account_ID_Username"),
        ("Third-Party Identifiable Info", "Third-Party_Identifiable_Info"),
        ("Driver's License Number", "Driver's_License_Number"),
        ("Driver\u2019s License Number", "Driver's_License_Number"),
        ("Debt/Loan Info", "Debt_Loan_Info"),
        ("Top 10 Secret", "Top_10_Secret"),
    ],
)
def test_type_to_tag(type_name: str, tag: str) -> None:
    assert type_to_tag(type_name) == tag


@pytest.mark.parametrize("type_name", [t.name for t in STANDARD_TYPES] + [a for t in STANDARD_TYPES for a in t.aliases])
def test_every_taxonomy_type_round_trips(type_name: str) -> None:
    token = format_placeholder(type_name, 12)
    parsed = parse_placeholder(token)
    assert parsed == Placeholder(type_to_tag(type_name), 12)
    assert str(parsed) == token
    assert find_placeholders(f"before {token}, after") == [token]


def test_hyphen_and_apostrophe_tags_restore() -> None:
    values = {"<Third-Party_Identifiable_Info_1>": "Jane Doe", "<Driver's_License_Number_2>": "D1234567"}
    text = "Ask <Third-Party_Identifiable_Info_1> about <Driver's_License_Number_2>."
    assert restore_tokens(text, values.get) == "Ask Jane Doe about D1234567."


def test_tag_with_trailing_digits_parses_number_from_last_underscore() -> None:
    assert parse_placeholder("<Type_2_13>") == Placeholder("Type_2", 13)


@pytest.mark.parametrize("token", ["<Email_0>", "<Email>", "<_1>", "<1Email_1>", "Email_1", "<Email_1", "<Em ail_1>"])
def test_non_placeholders_are_rejected(token: str) -> None:
    with pytest.raises(ValueError):
        parse_placeholder(token)
    assert find_placeholders(token) == []


@pytest.mark.parametrize("bad", ["", "  ", "123", "/"])
def test_type_names_must_start_with_a_letter(bad: str) -> None:
    with pytest.raises(ValueError):
        type_to_tag(bad)


def test_unknown_placeholders_stay_untouched() -> None:
    assert restore_tokens("hi <Email_9> and <Phone_Number_1>", {"<Email_9>": "a@b.c"}.get) == "hi a@b.c and <Phone_Number_1>"


def test_user_typed_lookalike_is_escaped_and_comes_back_verbatim() -> None:
    typed = "The template uses <Email_1> and <\\Email_1> literally."
    escaped = escape_lookalikes(typed)
    assert find_placeholders(escaped) == []  # nothing in it passes for a real placeholder
    # even when the vault knows <Email_1>, restoring gives back what the user typed
    assert restore_tokens(escaped, {"<Email_1>": "secret@example.com"}.get) == typed


def test_restored_values_are_not_reinterpreted() -> None:
    # a value that itself looks like a token is inserted as is, in one pass
    assert restore_tokens("<Email_1>", {"<Email_1>": "<Email_2>", "<Email_2>": "x"}.get) == "<Email_2>"


@given(st.text(alphabet=st.sampled_from(list("<>\\_Email12 aé中")), max_size=60))
def test_escape_then_restore_is_identity(text: str) -> None:
    escaped = escape_lookalikes(text)
    assert find_placeholders(escaped) == []
    assert restore_tokens(escaped, lambda token: "LEAK") == text
