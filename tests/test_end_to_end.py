"""The whole path: app -> MemoryClient (sanitize) -> real HTTP server on loopback -> back (restore).

No private value may reach the cloud: not in any request body it received, not in any byte
of its data directory. The user still gets their real values back from search.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memveil.edge import MemoryClient, PrivacyDetector, Vault


def _cn_resident_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


PRIVATE = {
    "email": "maya.chen@example.org",
    "phone": "+1 650 253 0199",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "card": "4111 1111 1111 1111",
    "password": "Tr0ub4dor&3x",
    "cn_mobile": "13812345678",
    "cn_id": _cn_resident_id("11010519900307457"),
}
#: PL4 values: replaced on the device like the rest, and withheld from cloud memory.
SECRETS = {"password"}

CONVERSATION = [
    {"role": "user", "content": f"Please remember my email address is {PRIVATE['email']} and my phone is {PRIVATE['phone']}."},
    {"role": "assistant", "content": "Got it, I will remember your contact details."},
    {"role": "user", "content": f"My salary goes to IBAN {PRIVATE['iban']}, and I pay bills with the card {PRIVATE['card']}."},
    {"role": "user", "content": f"My email password is {PRIVATE['password']} so keep it safe."},
    {"role": "user", "content": f"我的手机号是{PRIVATE['cn_mobile']}，身份证号是{PRIVATE['cn_id']}。"},
    {"role": "user", "content": "I enjoy hiking in the mountains on weekends."},
]


def _variants(value: str) -> set[str]:
    digits = re.sub(r"\D", "", value)
    compact = re.sub(r"\s", "", value)
    return {v for v in (value, compact, digits if len(digits) >= 6 else "") if v}


def _json_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _json_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _json_strings(item)


@pytest.fixture(scope="module")
def detector() -> PrivacyDetector:
    return PrivacyDetector(threads=1)


@pytest.fixture
def client(cloud_server: Any, tmp_path: Path, detector: PrivacyDetector) -> Iterator[MemoryClient]:
    vault = Vault.open(tmp_path / "vault.db", "correct horse battery staple")
    with MemoryClient(cloud_server.base_url, cloud_server.key_a, vault, user_name="Maya Chen", detector=detector) as c:
        yield c
    vault.close()


def test_no_private_value_reaches_the_cloud_and_search_restores(
    cloud_server: Any, client: MemoryClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # edge, cloud (same process) and httpx, at their most verbose
    first_body = len(cloud_server.received_bodies)
    changes = client.add(CONVERSATION, user_id="maya@app")
    assert changes, "formation stored nothing"

    # 1. what went over the wire: raw bytes and every decoded JSON string
    bodies = cloud_server.received_bodies[first_body:]
    assert bodies
    for body in bodies:
        strings = list(_json_strings(json.loads(body)))
        for name, value in PRIVATE.items():
            for variant in _variants(value):
                assert variant.encode() not in body, f"{name} crossed the wire"
                assert not any(variant in s for s in strings), f"{name} crossed the wire (decoded)"
        assert b"maya@app" not in body  # the app's user id is pseudonymized too

    # 2. what the cloud keeps: every byte of every file in its data directory
    for path in Path(cloud_server.data_dir).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for name, value in PRIVATE.items():
                for variant in _variants(value):
                    assert variant.encode() not in data, f"{name} is stored in {path.name}"
                    assert variant.encode("utf-16-le") not in data, f"{name} is stored in {path.name}"

    # 3. the user gets real values back
    found = {m.text for m in client.search("What is my email address?", user_id="maya@app", limit=5)}
    assert any(PRIVATE["email"] in text for text in found)
    everything = " ".join(m.text for m in client.get_all("maya@app"))
    for name, value in PRIVATE.items():
        if name in SECRETS:  # PL4: kept out of cloud memory in any form, placeholder included
            assert value not in everything and "[withheld]" in everything
        else:
            assert value in everything, f"{name} was not restored"
    for path in Path(cloud_server.data_dir).rglob("*"):
        if path.is_file():
            assert b"<Password_" not in path.read_bytes(), f"a PL4 placeholder is stored in {path.name}"
    assert all(m.user_id == "maya@app" for m in client.get_all("maya@app"))

    # 4. and nothing was logged with a value in it, on either side
    assert caplog.records, "expected some log records at DEBUG"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for name, value in PRIVATE.items():
        for variant in _variants(value):
            assert variant not in logged, f"{name} was logged"


def test_cloud_sees_placeholders_not_values(cloud_server: Any, client: MemoryClient) -> None:
    import httpx

    client.add(f"My email is {PRIVATE['email']}.", user_id="raw-view")
    pseudonym = client.vault.cloud_user_id("raw-view")
    raw = httpx.get(
        f"{cloud_server.base_url}/v1/memories",
        params={"user_id": pseudonym},
        headers={"Authorization": f"Bearer {cloud_server.key_a}"},
    ).json()
    texts = [m["text"] for m in raw["results"]]
    assert texts and all(PRIVATE["email"] not in t for t in texts)
    assert any("<Email_1>" in t for t in texts)


def test_other_tenant_cannot_read_or_delete(cloud_server: Any, client: MemoryClient, tmp_path: Path, detector: PrivacyDetector) -> None:
    client.add("I volunteer at the animal shelter every Saturday.", user_id="tenant-a-user")
    mine = client.get_all("tenant-a-user")
    assert mine
    other_vault = Vault.open(tmp_path / "other.db", os.urandom(32))
    with MemoryClient(cloud_server.base_url, cloud_server.key_b, other_vault, detector=detector) as intruder:
        assert intruder.delete(mine[0].id) is False
    other_vault.close()
    assert [m.id for m in client.get_all("tenant-a-user")] == [m.id for m in mine]
    assert client.delete(mine[0].id) is True
    assert mine[0].id not in {m.id for m in client.get_all("tenant-a-user")}


def test_attachments_are_sanitized_on_the_device(cloud_server: Any, client: MemoryClient) -> None:
    """A tool output's private values are swapped for placeholders before the request leaves."""
    from memveil.shared.wire import Attachment

    first_body = len(cloud_server.received_bodies)
    tool_output = (
        f"Booking confirmed for {PRIVATE['email']}. Contact phone {PRIVATE['phone']}. "
        "Flight to Lisbon departs on 12 May at 09:40 from gate 14."
    )
    client.add(
        "Please remember my flight booking.",
        user_id="attach-user",
        attachments=[Attachment(kind="tool_output", name=f"booking for {PRIVATE['email']}", content=tool_output)],
    )
    bodies = cloud_server.received_bodies[first_body:]
    assert bodies and any(b'"attachments"' in body for body in bodies)
    for body in bodies:
        strings = list(_json_strings(json.loads(body)))
        for key in ("email", "phone"):
            for variant in _variants(PRIVATE[key]):
                assert variant.encode() not in body, f"{key} crossed the wire in an attachment"
                assert not any(variant in s for s in strings)
    sent = json.loads(bodies[-1])["attachments"][0]
    assert "<Email_" in sent["content"] and "<Email_" in sent["name"]
