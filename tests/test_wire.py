"""The wire contract: strict about shape, silent about values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from memveil.shared import wire


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        wire.SearchRequest.model_validate({"query": "q", "user_id": "u1", "limt": 3})


def test_validation_errors_never_echo_the_input() -> None:
    secret = "maya.chen@example.org"
    with pytest.raises(ValidationError) as info:
        wire.AddMemoriesRequest.model_validate({"messages": [{"role": "boss", "content": secret}], "user_id": secret})
    assert secret not in str(info.value)
    assert secret not in repr(info.value.errors())


@pytest.mark.parametrize(
    "payload",
    [
        {"messages": [], "user_id": "u1"},
        {"messages": [{"role": "user", "content": ""}], "user_id": "u1"},
        {"messages": [{"role": "user", "content": "x" * (wire.MAX_TEXT_CHARS + 1)}], "user_id": "u1"},
        {"messages": [{"role": "user", "content": "hi"}] * (wire.MAX_MESSAGES + 1), "user_id": "u1"},
        {"messages": [{"role": "user", "content": "hi"}], "user_id": "has space"},
        {"messages": [{"role": "user", "content": "hi"}], "user_id": ""},
    ],
)
def test_add_request_limits(payload: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        wire.AddMemoriesRequest.model_validate(payload)


def test_search_limit_bounds() -> None:
    assert wire.SearchRequest(query="q", user_id="u_1").limit == 10
    for bad in (0, wire.MAX_LIMIT + 1):
        with pytest.raises(ValidationError):
            wire.SearchRequest(query="q", user_id="u_1", limit=bad)


def test_round_trip_json() -> None:
    request = wire.AddMemoriesRequest(messages=[wire.Message(role="user", content="I moved to <Detailed_Address_1>.")], user_id="u_abc")
    assert wire.AddMemoriesRequest.model_validate_json(request.model_dump_json()) == request
