"""The memory API over real HTTP on loopback: auth, tenant isolation, limits, errors, the verbs.

Every error case is followed by a check that the stored data did not change. The whole module
runs once per store backend (SQLite, PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from memveil.shared.wire import PROTOCOL_HEADER, PROTOCOL_VERSION, ErrorResponse

SECRET = "hunter2-SECRET-value"

pytestmark = pytest.mark.parametrize("cloud_server", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="module")
def http(cloud_server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cloud_server.base_url, headers=cloud_server.headers(), timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def seeded(cloud_server: Any, http: httpx.Client) -> dict[str, str]:
    """One memory per tenant, for the isolation and error tests; returns their ids."""
    a = http.post("/v1/memories", json={"messages": [{"role": "user", "content": "I grow tomatoes on my balcony."}], "user_id": "shared-user"})
    b = http.post(
        "/v1/memories",
        json={"messages": [{"role": "user", "content": "I collect vintage stamps from Japan."}], "user_id": "shared-user"},
        headers=cloud_server.headers(cloud_server.key_b),
    )
    assert a.status_code == b.status_code == 200
    return {"a": a.json()["results"][0]["id"], "b": b.json()["results"][0]["id"]}


def _snapshot(cloud_server: Any) -> list[tuple[Any, ...]]:
    """Every stored memory and history row, read straight from the backend."""
    return cloud_server.snapshot()


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers[PROTOCOL_HEADER] == PROTOCOL_VERSION
    body = ErrorResponse.model_validate_json(response.content)
    assert body.error == code
    assert SECRET not in response.text
    return body.detail


def _add(http: httpx.Client, user: str, *texts: str, **extra: Any) -> list[dict[str, Any]]:
    response = http.post("/v1/memories", json={"messages": [{"role": "user", "content": t} for t in texts], "user_id": user, **extra})
    assert response.status_code == 200, response.text
    return response.json()["results"]


# -- health and protocol ------------------------------------------------------------------


def test_health_needs_no_key(cloud_server: Any) -> None:
    response = httpx.get(f"{cloud_server.base_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "protocol_version": PROTOCOL_VERSION, "version": "0.1.0"}
    assert response.headers[PROTOCOL_HEADER] == PROTOCOL_VERSION


def test_other_major_protocol_is_refused(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    response = http.post(
        "/v1/memories",
        json={"messages": [{"role": "user", "content": "I like jazz music a lot."}], "user_id": "u"},
        headers={PROTOCOL_HEADER: "2"},
    )
    assert "protocol" in _error(response, 400, "protocol_mismatch")
    assert http.get("/healthz", headers={PROTOCOL_HEADER: "1.7"}).status_code == 200  # same major
    assert _snapshot(cloud_server) == before


# -- authentication and tenants ------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer mv_" + "x" * 43, "Bearer not-a-key", "Basic dXNlcjpwYXNz", "Bearer", ""],
    ids=["none", "wrong", "malformed", "basic", "empty-bearer", "empty"],
)
def test_missing_or_wrong_key_is_401(cloud_server: Any, seeded: dict[str, str], authorization: str | None) -> None:
    headers = {PROTOCOL_HEADER: PROTOCOL_VERSION}
    if authorization is not None:
        headers["Authorization"] = authorization
    before = _snapshot(cloud_server)
    with httpx.Client(base_url=cloud_server.base_url, headers=headers) as anonymous:
        responses = [
            anonymous.post("/v1/memories", json={"messages": [{"role": "user", "content": "I like jazz."}], "user_id": "shared-user"}),
            anonymous.post("/v1/memories", content=b"{not json"),  # auth is checked before the body
            anonymous.post("/v1/memories/search", json={"query": "stamps", "user_id": "shared-user"}),
            anonymous.get("/v1/memories", params={"user_id": "shared-user"}),
            anonymous.delete(f"/v1/memories/{seeded['a']}"),
        ]
    for response in responses:
        _error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    assert _snapshot(cloud_server) == before


def test_tenant_cannot_see_or_delete_another_tenants_memories(
    http: httpx.Client, cloud_server: Any, seeded: dict[str, str]
) -> None:
    b_headers = cloud_server.headers(cloud_server.key_b)
    b_before = http.get("/v1/memories", params={"user_id": "shared-user"}, headers=b_headers).json()
    before = _snapshot(cloud_server)

    listed = http.get("/v1/memories", params={"user_id": "shared-user"}).json()["results"]
    assert seeded["a"] in {m["id"] for m in listed} and seeded["b"] not in {m["id"] for m in listed}
    found = http.post("/v1/memories/search", json={"query": "vintage stamps from Japan", "user_id": "shared-user"}).json()
    assert seeded["b"] not in {m["id"] for m in found["results"]}
    assert all("stamps" not in m["text"] for m in found["results"])

    # The same answer as for an id that never existed: nothing reveals that it does.
    assert _error(http.delete(f"/v1/memories/{seeded['b']}"), 404, "not_found") == _error(
        http.delete("/v1/memories/" + "0" * 32), 404, "not_found"
    )

    assert _snapshot(cloud_server) == before
    assert http.get("/v1/memories", params={"user_id": "shared-user"}, headers=b_headers).json() == b_before


def test_revoked_key_stops_working(cloud_server: Any) -> None:
    from memveil.cloud.auth import KeyStore, keys_path

    keys = KeyStore(keys_path(cloud_server.data_dir))
    key, info = keys.create("tenant-c")
    url = f"{cloud_server.base_url}/v1/memories"
    assert httpx.get(url, params={"user_id": "u"}, headers=cloud_server.headers(key)).status_code == 200
    assert keys.revoke(info.key_id)
    keys.close()
    assert httpx.get(url, params={"user_id": "u"}, headers=cloud_server.headers(key)).status_code == 401


# -- request limits and malformed input ----------------------------------------------------


def test_oversize_body_is_413_by_content_length(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    body = b'{"messages": [{"role": "user", "content": "' + b"a" * 1_100_000 + b'"}], "user_id": "u"}'
    detail = _error(http.post("/v1/memories", content=body, headers={"Content-Type": "application/json"}), 413, "payload_too_large")
    assert "1000000 bytes" in detail
    assert _snapshot(cloud_server) == before


def test_oversize_body_is_413_when_chunked(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)

    def chunks() -> Iterator[bytes]:
        yield b'{"messages": [{"role": "user", "content": "'
        for _ in range(20):
            yield b"a" * 65_536
        yield b'"}], "user_id": "u"}'

    response = http.post("/v1/memories", content=chunks(), headers={"Content-Type": "application/json"})
    assert "transfer-encoding" in response.request.headers and "content-length" not in response.request.headers
    _error(response, 413, "payload_too_large")
    assert _snapshot(cloud_server) == before


def test_body_under_the_limit_but_chunked_is_fine(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "tomatoes on the balcony",'
        yield b' "user_id": "shared-user"}'

    response = http.post("/v1/memories/search", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text


def test_malformed_json_is_422_and_readable(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    body = b'{"messages": [{"role": "user", "content": "' + SECRET.encode() + b'"}], "user_id": '
    detail = _error(http.post("/v1/memories", content=body, headers={"Content-Type": "application/json"}), 422, "invalid_json")
    assert detail.startswith("the request body is not valid JSON") and "line 1" in detail
    assert _snapshot(cloud_server) == before


def test_unknown_and_invalid_fields_are_422_without_echo(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    unknown = http.post(
        "/v1/memories",
        json={"messages": [{"role": "user", "content": "I like jazz.", SECRET: 1}], "user_id": "u", "user": SECRET},
    )
    detail = _error(unknown, 422, "validation_error")
    assert "unknown field" in detail and "messages[0]" in detail
    invalid = http.post(
        "/v1/memories/search", json={"query": SECRET, "user_id": f"bad id {SECRET}", "limit": 1000, "agent_id": ""}
    )
    detail = _error(invalid, 422, "validation_error")
    assert "user_id" in detail and "limit" in detail and "agent_id" in detail
    role = http.post("/v1/memories", json={"messages": [{"role": SECRET, "content": "x"}], "user_id": "u"})
    assert "messages[0].role" in _error(role, 422, "validation_error")
    empty = http.post("/v1/memories", json={"messages": [], "user_id": "u"})
    assert "messages" in _error(empty, 422, "validation_error")
    not_object = http.post("/v1/memories", json=[SECRET])
    assert _error(not_object, 422, "validation_error") == "the request body must be a JSON object"
    bad_query = http.get("/v1/memories", params={"user_id": f"{SECRET} x", "limit": "many"})
    detail = _error(bad_query, 422, "validation_error")
    assert "query parameter user_id" in detail and "query parameter limit" in detail
    assert _snapshot(cloud_server) == before


def test_non_utf8_body_is_400(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    body = '{"query": "café", "user_id": "u"}'.encode("latin-1")
    detail = _error(http.post("/v1/memories/search", content=body, headers={"Content-Type": "application/json"}), 400, "invalid_encoding")
    assert "UTF-8" in detail
    assert _snapshot(cloud_server) == before


def test_non_json_content_type_is_415(http: httpx.Client, cloud_server: Any, seeded: dict[str, str]) -> None:
    before = _snapshot(cloud_server)
    response = http.post("/v1/memories", content=b"user_id=u", headers={"Content-Type": "application/x-www-form-urlencoded"})
    _error(response, 415, "unsupported_media_type")
    assert _snapshot(cloud_server) == before


def test_unknown_route_and_method_use_the_error_shape(http: httpx.Client) -> None:
    _error(http.get("/v1/nothing-here"), 404, "not_found")
    _error(http.put("/v1/memories"), 405, "method_not_allowed")


# -- the verbs ------------------------------------------------------------------------------


def test_add_list_search_delete(http: httpx.Client) -> None:
    user = "verbs-user"
    added = _add(
        http,
        user,
        "I have a dog named Biscuit. The stock market fell sharply today.",
        "I work as a nurse at <Organization_1> in <Location_2>.",
    )
    assert [c["event"] for c in added] == ["ADD", "ADD", "ADD"]
    listed = http.get("/v1/memories", params={"user_id": user}).json()["results"]
    assert [m["text"] for m in listed] == [c["text"] for c in added]
    assert all(m["user_id"] == user and m["agent_id"] is None for m in listed)

    found = http.post("/v1/memories/search", json={"query": "my pet is a puppy", "user_id": user, "limit": 2}).json()["results"]
    assert len(found) == 2
    assert found[0]["text"] == "I have a dog named Biscuit."
    assert found[0]["score"] > found[1]["score"]

    page = http.get("/v1/memories", params={"user_id": user, "limit": 2, "offset": 1}).json()["results"]
    assert [m["id"] for m in page] == [m["id"] for m in listed[1:3]]

    deleted = http.delete(f"/v1/memories/{added[0]['id']}")
    assert deleted.status_code == 200 and deleted.json() == {"id": added[0]["id"], "deleted": True}
    assert added[0]["id"] not in {m["id"] for m in http.get("/v1/memories", params={"user_id": user}).json()["results"]}
    _error(http.delete(f"/v1/memories/{added[0]['id']}"), 404, "not_found")


def test_placeholders_survive_verbatim(http: httpx.Client) -> None:
    text = "Send the invoice to <Email_1> and copy <Third-Party_Identifiable_Info_2> and <Driver's_License_Number_3>."
    added = _add(http, "placeholder-user", text, "我的手机号是<Phone_Number_1>，身份证号是<ID_Number_1>。")
    stored = {m["text"] for m in http.get("/v1/memories", params={"user_id": "placeholder-user"}).json()["results"]}
    assert stored == {text, "我的手机号是<Phone_Number_1>，身份证号是<ID_Number_1>。"} == {c["text"] for c in added}


def test_near_duplicate_is_noop_and_fuller_fact_updates(http: httpx.Client) -> None:
    user = "dedup-user"
    (first,) = _add(http, user, "I am allergic to peanuts.")
    assert _add(http, user, "I am allergic to peanuts") == [
        {"id": first["id"], "event": "NOOP", "text": "I am allergic to peanuts.", "previous_text": None}
    ]
    (updated,) = _add(http, user, "I am allergic to peanuts!!!")
    assert updated == {"id": first["id"], "event": "UPDATE", "text": "I am allergic to peanuts!!!", "previous_text": "I am allergic to peanuts."}
    (other,) = _add(http, user, "My email is <Email_1>.")
    (second_email,) = _add(http, user, "My email is <Email_2>.")
    assert second_email["event"] == "ADD" and second_email["id"] != other["id"]
    assert len(http.get("/v1/memories", params={"user_id": user}).json()["results"]) == 3


def test_agent_scoping(http: httpx.Client) -> None:
    user = "agent-user"
    _add(http, user, "I prefer window seats on flights.", agent_id="travel")
    _add(http, user, "I take my coffee black with no sugar.", agent_id="food")
    travel = http.get("/v1/memories", params={"user_id": user, "agent_id": "travel"}).json()["results"]
    assert [m["agent_id"] for m in travel] == ["travel"]
    everything = http.get("/v1/memories", params={"user_id": user}).json()["results"]
    assert {m["agent_id"] for m in everything} == {"travel", "food"}
    found = http.post("/v1/memories/search", json={"query": "coffee", "user_id": user, "agent_id": "travel"}).json()["results"]
    assert [m["agent_id"] for m in found] == ["travel"]


def test_conversation_without_facts_stores_nothing(http: httpx.Client) -> None:
    response = http.post(
        "/v1/memories",
        json={"messages": [{"role": "user", "content": "Thanks!"}, {"role": "assistant", "content": "You're welcome, happy to help."}], "user_id": "quiet-user"},
    )
    assert response.status_code == 200 and response.json() == {"results": []}
    assert http.get("/v1/memories", params={"user_id": "quiet-user"}).json() == {"results": []}


def test_wiretap_records_what_the_server_received(http: httpx.Client, cloud_server: Any) -> None:
    start = len(cloud_server.received_bodies)
    http.post("/v1/memories/search", json={"query": "tomatoes", "user_id": "tap-user"})
    http.get("/v1/memories", params={"user_id": "tap-user"})
    assert b'"query":"tomatoes"' in cloud_server.received_bodies[start]
    assert cloud_server.received_bodies[start + 1] == b""
    assert cloud_server.received_targets[start + 1] == "/v1/memories?user_id=tap-user"
