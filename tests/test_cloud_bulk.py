"""Bulk add, JSONL export and search filters over real HTTP, on both store backends.

Every refused request is followed by a check that the stored data did not change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from memveil.shared.wire import MAX_BULK, NEXT_CURSOR_HEADER, ErrorResponse, Memory

SECRET = "hunter2-SECRET-value"

pytestmark = pytest.mark.parametrize("cloud_server", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="module")
def http(cloud_server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cloud_server.base_url, headers=cloud_server.headers(), timeout=60) as client:
        yield client


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = ErrorResponse.model_validate_json(response.content)
    assert body.error == code and SECRET not in response.text
    return body.detail


def _bulk(http: httpx.Client, user: str, texts: list[str], **extra: Any) -> list[dict[str, Any]]:
    response = http.post("/v1/memories/bulk", json={"texts": texts, "user_id": user, **extra})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def _export_all(http: httpx.Client, user: str, limit: int, headers: dict[str, str] | None = None) -> list[list[Memory]]:
    pages: list[list[Memory]] = []
    params: dict[str, Any] = {"user_id": user, "limit": limit}
    while True:
        response = http.get("/v1/memories/export", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/x-ndjson")
        pages.append([Memory.model_validate_json(line) for line in response.text.splitlines()])
        if NEXT_CURSOR_HEADER not in response.headers:
            return pages
        params["cursor"] = response.headers[NEXT_CURSOR_HEADER]


def test_bulk_add_stores_texts_as_given(http: httpx.Client) -> None:
    texts = ["I moved to <Location_1> in May.", "I moved to <Location_1> in May.", "My sister is <Person_2>."]
    added = _bulk(http, "bulk-user", texts, agent_id="importer")
    assert [m["text"] for m in added] == texts  # no formation: even the duplicate is kept
    assert len({m["id"] for m in added}) == 3 and all(m["agent_id"] == "importer" for m in added)
    listed = http.get("/v1/memories", params={"user_id": "bulk-user"}).json()["results"]
    assert [m["id"] for m in listed] == [m["id"] for m in added]
    found = http.post("/v1/memories/search", json={"query": "Who is <Person_2>?", "user_id": "bulk-user"}).json()["results"]
    assert found[0]["id"] == added[2]["id"]


def test_bulk_add_refuses_bad_requests_and_stores_nothing(http: httpx.Client, cloud_server: Any) -> None:
    _bulk(http, "refused-user", ["A fact to keep."])
    before = cloud_server.snapshot()
    too_many = http.post("/v1/memories/bulk", json={"texts": ["x"] * (MAX_BULK + 1), "user_id": "refused-user"})
    assert "texts" in _error(too_many, 422, "validation_error")
    assert "texts" in _error(http.post("/v1/memories/bulk", json={"texts": [], "user_id": "u"}), 422, "validation_error")
    nul = http.post("/v1/memories/bulk", json={"texts": ["fine", f"{SECRET}\x00"], "user_id": "refused-user"})
    assert "texts[1]" in _error(nul, 422, "validation_error") and "NUL" in nul.text
    unknown = http.post("/v1/memories/bulk", json={"texts": ["fine"], "user_id": "u", SECRET: 1})
    assert "unknown field" in _error(unknown, 422, "validation_error")
    huge = http.post("/v1/memories/bulk", json={"texts": ["a" * 15_000] * 80, "user_id": "u"})
    _error(huge, 413, "payload_too_large")
    anonymous = httpx.post(f"{cloud_server.base_url}/v1/memories/bulk", json={"texts": ["x"], "user_id": "u"})
    _error(anonymous, 401, "unauthorized")
    assert cloud_server.snapshot() == before


def test_export_pages_with_a_stable_cursor(http: httpx.Client, cloud_server: Any) -> None:
    added = _bulk(http, "export-user", [f"Exported fact {i} about <Location_{i + 1}>." for i in range(11)])
    pages = _export_all(http, "export-user", limit=4)
    assert [len(p) for p in pages] == [4, 4, 3]
    assert [m.id for p in pages for m in p] == [m["id"] for m in added]
    assert pages[0][0].text == "Exported fact 0 about <Location_1>."

    # Deleting what was already exported shifts nothing that is still to come.
    first = http.get("/v1/memories/export", params={"user_id": "export-user", "limit": 4})
    for memory in added[:4]:
        assert http.delete(f"/v1/memories/{memory['id']}").status_code == 200
    rest = http.get("/v1/memories/export", params={"user_id": "export-user", "limit": 10, "cursor": first.headers[NEXT_CURSOR_HEADER]})
    assert [json.loads(line)["id"] for line in rest.text.splitlines()] == [m["id"] for m in added[4:]]
    assert NEXT_CURSOR_HEADER not in rest.headers

    # Another tenant's export of the same user id is empty, like a user that never existed.
    other = _export_all(http, "export-user", limit=4, headers=cloud_server.headers(cloud_server.key_b))
    assert other == [[]]


def test_export_refuses_bad_queries(http: httpx.Client, cloud_server: Any) -> None:
    before = cloud_server.snapshot()
    forged = http.get("/v1/memories/export", params={"user_id": "export-user", "cursor": "bm90LWEtY3Vyc29y"})
    assert "cursor" in _error(forged, 422, "validation_error")
    symbols = http.get("/v1/memories/export", params={"user_id": "export-user", "cursor": f"{SECRET}/+"})
    assert "cursor" in _error(symbols, 422, "validation_error")
    assert "limit" in _error(http.get("/v1/memories/export", params={"user_id": "u", "limit": 100_000}), 422, "validation_error")
    assert "user_id" in _error(http.get("/v1/memories/export"), 422, "validation_error")
    _error(httpx.get(f"{cloud_server.base_url}/v1/memories/export", params={"user_id": "u"}), 401, "unauthorized")
    assert cloud_server.snapshot() == before


def test_search_filters_by_time_and_agent(http: httpx.Client) -> None:
    user = "window-user"
    (early,) = _bulk(http, user, ["I booked a train to the coast."], agent_id="travel")
    (late,) = _bulk(http, user, ["I booked a table for the train crew dinner."], agent_id="food")

    def search(**extra: Any) -> list[str]:
        response = http.post("/v1/memories/search", json={"query": "booked train", "user_id": user, **extra})
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()["results"]]

    assert set(search()) == {early["id"], late["id"]}
    assert search(created_after=late["created_at"]) == [late["id"]]
    assert search(created_before=late["created_at"]) == [early["id"]]
    assert search(created_after=(datetime.now(timezone.utc) + timedelta(days=1)).isoformat()) == []
    assert search(agent_id="travel", created_after=early["created_at"]) == [early["id"]]
    naive = http.post("/v1/memories/search", json={"query": "train", "user_id": user, "created_after": "2026-01-01T00:00:00"})
    assert "created_after" in _error(naive, 422, "validation_error")


def test_client_imports_sanitized_memories(cloud_server: Any, tmp_path: Path) -> None:
    from memveil.edge import MemoryClient, Vault

    vault = Vault.open(tmp_path / "vault.db", "correct horse battery staple")
    start = len(cloud_server.received_bodies)
    with MemoryClient(cloud_server.base_url, cloud_server.key_a, vault) as client:
        stored = client.import_memories(["Reach me at maya.chen@example.org any time.", "I like kayaking."], "maya")
        found = client.search("how do I email Maya?", "maya", limit=1)
        later = client.search("kayaking", "maya", created_after=datetime.now(timezone.utc) + timedelta(hours=1))
    vault.close()
    assert [m.text for m in stored] == ["Reach me at maya.chen@example.org any time.", "I like kayaking."]
    assert found[0].text == stored[0].text and later == []
    sent = b"".join(cloud_server.received_bodies[start:])
    assert b"maya.chen@example.org" not in sent and b"<Email_1>" in sent


def test_bulk_add_withholds_pl4_placeholders(http: httpx.Client) -> None:
    texts = ["My bank PIN is <Verification_Code_1> and my email is <Email_1>.", "Key: <Key_2>"]
    added = _bulk(http, "bulk-secrets", texts)
    assert [m["text"] for m in added] == ["My bank PIN is [withheld] and my email is <Email_1>.", "Key: [withheld]"]
    stored = " ".join(m.text for page in _export_all(http, "bulk-secrets", 10) for m in page)
    assert "<Verification_Code_" not in stored and "<Key_" not in stored and "<Email_1>" in stored
