"""create_app in-process: failures inside formation, and the validation-error wording."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from memveil.cloud.app import create_app, describe_errors
from memveil.cloud.auth import KeyStore, keys_path
from memveil.cloud.engine import Operation
from memveil.shared.wire import PROTOCOL_HEADER, Memory, Message


class _BrokenEngine:
    def form(self, messages: Sequence[Message], related: list[Memory]) -> list[Operation]:
        raise RuntimeError(f"formation failed on {messages[0].content}")


def test_an_internal_failure_is_a_500_error_response_that_echoes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys = KeyStore(keys_path(tmp_path))
    key, _ = keys.create("t")
    keys.close()
    app = create_app(tmp_path, engine=_BrokenEngine(), max_body_bytes=10_000)
    headers = {"Authorization": f"Bearer {key}"}

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # raises whatever the app lets escape
        async with httpx.AsyncClient(transport=transport, base_url="http://cloud", headers=headers) as client:
            body = {"messages": [{"role": "user", "content": "I like Zanzibar."}], "user_id": "u"}
            return [
                await client.post("/v1/memories", json=body),
                await client.get("/v1/memories", params={"user_id": "u"}),
                await client.post("/v1/memories/search", content=b"x" * 10_001),
            ]

    with caplog.at_level(logging.INFO):
        failed, listing, too_large = asyncio.run(scenario())
    assert failed.status_code == 500
    assert failed.json() == {"error": "internal_error", "detail": "the server failed to handle the request"}
    assert failed.headers[PROTOCOL_HEADER] == "1"
    assert listing.json() == {"results": []}
    assert too_large.status_code == 413
    assert "Zanzibar" not in caplog.text and "RuntimeError" in caplog.text


def test_describe_errors_names_places_not_values() -> None:
    errors = [
        {"type": "string_pattern_mismatch", "loc": ("body", "user_id"), "msg": "String should match pattern '^x$'", "input": "secret value"},
        {"type": "extra_forbidden", "loc": ("body", "messages", 0, "secret-key"), "msg": "Extra inputs are not permitted", "input": 1},
        {"type": "value_error", "loc": ("body", "query"), "msg": "Value error, bad secret value", "input": "secret value"},
        {"type": "int_parsing", "loc": ("query", "limit"), "msg": "Input should be a valid integer", "input": "many"},
        {"type": "model_type", "loc": ("body",), "msg": "Input should be a valid dictionary", "input": []},
    ]
    detail = describe_errors(errors)
    assert detail == (
        "user_id: String should match pattern '^x$'; messages[0]: unknown field (not part of the API); "
        "query: invalid value; query parameter limit: Input should be a valid integer; "
        "the request body must be a JSON object"
    )
