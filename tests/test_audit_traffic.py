"""The client's hashed traffic log and `memveil audit traffic`, against the real memory service.

A client that protects every level leaves a log in which no vault value shows (verified:
clean), and the cloud's own export is clean too. A client configured to protect PL4 only
lets an email through: the traffic check names the request, and the leaks check finds
the email in the cloud export.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memveil.edge import MemoryClient, PrivacyDetector, Vault
from memveil.edge.audit.traffic import TrafficKey, TrafficLog, text_features, value_needs, verify_log
from memveil.edge.audit.leaks import VaultValue
from memveil.shared.cli import main
from memveil.shared.taxonomy import Level

PASSPHRASE = "correct horse battery staple"
EMAIL = "maya.chen@example.org"
PHONE = "138-1234-5678"
CARD = "4111 1111 1111 1111"
CONVERSATION = [
    {"role": "user", "content": f"Please remember my email {EMAIL} and my phone {PHONE}."},
    {"role": "assistant", "content": "Got it."},
    {"role": "user", "content": f"I pay with the card {CARD}. I enjoy hiking on weekends."},
]


@pytest.fixture(scope="module")
def detector() -> PrivacyDetector:
    return PrivacyDetector(threads=1)


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Vault]:
    monkeypatch.setenv("VAULT_KEY", PASSPHRASE)
    with Vault.open(tmp_path / "vault.db", PASSPHRASE) as v:
        yield v


def _export(cloud_server: Any, pseudonym: str, path: Path) -> Path:
    response = httpx.get(f"{cloud_server.base_url}/v1/memories/export", params={"user_id": pseudonym}, headers=cloud_server.headers())
    assert response.status_code == 200, response.text
    path.write_bytes(response.content)
    return path


def _audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main(["audit", *argv, "--key-env", "VAULT_KEY", "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), out + err


def test_protected_traffic_is_clean_and_a_leak_is_caught(
    cloud_server: Any, vault: Vault, detector: PrivacyDetector, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "traffic.jsonl"
    with MemoryClient(cloud_server.base_url, cloud_server.key_a, vault, detector=detector, traffic_log=log) as client:
        client.add(CONVERSATION, user_id="maya")
        client.search(f"what is the email {EMAIL}?", user_id="maya")
        client.get_all("maya")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["method"], e["route"]) for e in entries[:2]] == [("POST", "/v1/memories"), ("POST", "/v1/memories/search")]
    assert all(e["hashes"] and e["time"] for e in entries)
    data = log.read_bytes()
    for value in (EMAIL, PHONE, CARD, "13812345678", "4111111111111111", "maya"):
        assert value.encode() not in data

    code, report, shown = _audit(capsys, "traffic", "--vault", str(vault.path), "--log", str(log))
    assert code == 0 and report["clean"] and report["requests"] == len(entries)
    assert report["values_checked"] == 3

    pseudonym = vault.cloud_user_id("maya")
    code, leaks, _ = _audit(capsys, "leaks", "--vault", str(vault.path), "--cloud-export", str(_export(cloud_server, pseudonym, tmp_path / "clean.jsonl")))
    assert code == 0 and leaks["clean"] and leaks["strings"] > 0

    # A client that protects PL4 only: the email (PL2) goes out as it is.
    leaky_log = tmp_path / "leaky.jsonl"
    with MemoryClient(cloud_server.base_url, cloud_server.key_a, vault, detector=detector, levels={"PL4"}, traffic_log=leaky_log) as leaky:
        leaky.add(f"New note: write to {EMAIL.upper()} about the trip.", user_id="maya")
    code, report, shown = _audit(capsys, "traffic", "--vault", str(vault.path), "--log", str(leaky_log))
    assert code == 1 and not report["clean"]
    [request] = report["leaking_requests"]
    assert request["line"] == 1 and request["route"] == "/v1/memories" and request["method"] == "POST"
    assert [(v["placeholder"], v["level"], v["value"]) for v in request["values"]] == [("<Email_1>", "PL2", "m***@e***.org")]
    assert EMAIL not in shown and EMAIL.upper() not in shown

    code, leaks, shown = _audit(capsys, "leaks", "--vault", str(vault.path), "--cloud-export", str(_export(cloud_server, pseudonym, tmp_path / "leaky.jsonl")))
    assert code == 1
    assert {(k["placeholder"], k["json_path"], k["matched_as"]) for k in leaks["leaks"]} == {("<Email_1>", "text", "case/width/spacing")}
    assert EMAIL.upper() not in shown


def test_spacing_and_punctuation_variants_are_caught(vault: Vault, tmp_path: Path) -> None:
    vault.placeholders_for("maya", [(PHONE, "Phone Number", Level.PL2), (EMAIL, "Email", Level.PL2)])
    values = [VaultValue("maya", e.placeholder, e.type_name, e.level, e.value) for e in vault.entries("maya")]
    log_path = tmp_path / "t.jsonl"
    log = TrafficLog(log_path, vault)
    bodies = {
        "13812345678": True,
        "call 138 1234 5678": True,
        "tel:+86 13812345678": True,
        "Maya.Chen@Example.ORG": True,
        "1381234 only part of it": False,
        "<Phone_Number_1> and <Email_1>": False,
    }
    for text in bodies:
        log.record("POST", "/v1/memories", None, json.dumps({"messages": [{"role": "user", "content": text}]}).encode())
    log.record("GET", "/v1/memories", {"user_id": "u_1", "q": "13812345678"}, None)  # query strings count too
    log.close()
    with log_path.open("a") as handle:
        handle.write("{not json\n")
    report = verify_log(log_path, TrafficKey.from_vault(vault), values)
    leaking = {r.line for r in report.leaking_requests}
    assert leaking == {i for i, hit in enumerate(bodies.values(), 1) if hit} | {len(bodies) + 1}
    assert report.errors == [f"line {len(bodies) + 2}: not a traffic log entry; skipped"]
    assert report.requests == len(bodies) + 1


def test_long_values_need_every_window(vault: Vault) -> None:
    key = TrafficKey.from_vault(vault)
    address = "Flat 12, 221B Baker Street, Marylebone, London NW1 6XE, United Kingdom"
    needs = value_needs(address)
    assert len(needs) > 1  # more tokens than one n-gram holds
    whole = {key.digest(f) for f in text_features(f"send it to {address} please")}
    assert {key.digest(n) for n in needs} <= whole
    partial = {key.digest(f) for f in text_features("Baker Street, Marylebone, London")}
    assert not {key.digest(n) for n in needs} <= partial


def test_hashes_are_keyed_by_the_vault(vault: Vault, tmp_path: Path) -> None:
    with Vault.open(tmp_path / "other.db", os.urandom(32)) as other:
        mine, theirs = TrafficKey.from_vault(vault), TrafficKey.from_vault(other)
        assert mine.digest("13812345678") != theirs.digest("13812345678")
    assert "<hidden>" in repr(mine)
    assert TrafficKey.from_vault(vault).digest("x") == mine.digest("x")  # stable for the vault


def test_missing_log_and_wrong_key(vault: Vault, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["audit", "traffic", "--vault", str(vault.path), "--log", str(tmp_path / "none.jsonl"), "--key-env", "VAULT_KEY"]) == 2
    log = tmp_path / "t.jsonl"
    log.write_text("")
    monkeypatch.setenv("VAULT_KEY", "not the passphrase")
    assert main(["audit", "traffic", "--vault", str(vault.path), "--log", str(log), "--key-env", "VAULT_KEY"]) == 2
    assert "key is wrong" in capsys.readouterr().err
