"""The taxonomy as data: levels order by severity, aliases find their tag, unknown types round up."""

from __future__ import annotations

import pytest

from memveil.shared.taxonomy import (
    DEFAULT_PROTECTED_LEVELS,
    STANDARD_TYPES,
    Level,
    default_level,
    is_descriptive,
    lookup_type,
    parse_levels,
)


def test_levels_order_by_severity() -> None:
    assert Level.PL1 < Level.PL2 < Level.PL3 < Level.PL4
    assert max(Level.PL2, Level.PL4, Level.PL3) is Level.PL4


def test_default_policy_protects_pl2_to_pl4() -> None:
    assert DEFAULT_PROTECTED_LEVELS == {Level.PL2, Level.PL3, Level.PL4}


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Email", Level.PL2),
        ("email", Level.PL2),
        ("Job Title/Rank", Level.PL2),
        ("Employer/Company Name", Level.PL2),
        ("Driver's License Number", Level.PL3),
        ("Medical_Health", Level.PL3),
        ("Internal IP", Level.PL4),
        ("CVV", Level.PL4),
        ("Something Nobody Named", Level.PL3),  # unknown: round up
    ],
)
def test_default_levels(name: str, level: Level) -> None:
    assert default_level(name) is level


def test_names_and_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for tag in STANDARD_TYPES:
        for name in (tag.name, *tag.aliases):
            key = name.casefold()
            assert key not in seen, f"{name} belongs to {seen[key]} and {tag.name}"
            seen[key] = tag.name
            assert lookup_type(name) is tag


def test_descriptive_types() -> None:
    assert is_descriptive("Medical Health") and is_descriptive("Transaction Record")
    assert not is_descriptive("Email") and not is_descriptive("unknown")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("PL4", {Level.PL4}),
        ("PL3+", {Level.PL3, Level.PL4}),
        ("pl2+", {Level.PL2, Level.PL3, Level.PL4}),
        (["PL3", Level.PL4], {Level.PL3, Level.PL4}),
    ],
)
def test_parse_levels(given: object, expected: set[Level]) -> None:
    assert parse_levels(given) == expected


def test_parse_levels_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        parse_levels(["PL9"])


def test_docs_page_is_generated_from_the_data() -> None:
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "make_taxonomy.py"
    spec = importlib.util.spec_from_file_location("make_taxonomy", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text(encoding="utf-8") == module.render(), "run python docs/make_taxonomy.py"


def test_placeholder_tags_carry_their_type_level() -> None:
    from memveil.shared.placeholder import type_to_tag
    from memveil.shared.taxonomy import STANDARD_TYPES, tag_level

    for tag in STANDARD_TYPES:
        assert tag_level(type_to_tag(tag.name)) is tag.level
    assert tag_level("verification_code") is Level.PL4  # case does not matter
    assert tag_level("System_Attack") is Level.PL4  # an alias with a slash, as its tag spells it
    assert tag_level("Some_Open_Type") is Level.PL3  # unknown tags round up, as default_level
