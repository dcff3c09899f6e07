"""`memveil audit vault` and the Vault methods behind it, on real SQLCipher files.

Erasure is checked on the bytes: every page of the file and of its WAL is decrypted with
the key (SQLCipher 4: AES-256-CBC, IV and HMAC in an 80-byte reserve at the end of each
4096-byte page), and the erased values must be in none of them, while they were before.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import memveil.edge.vault as vault_module
from memveil.edge.errors import VaultError, VaultKeyError
from memveil.edge.guard import PrivacyGuard
from memveil.edge.vault import PAGE_BYTES, Vault
from memveil.shared.cli import main
from memveil.shared.taxonomy import Level

ALICE_VALUES = [
    ("alice.wonder@example.org", "Email", Level.PL2),
    ("4111111111111111", "Bank/Payment Card Number", Level.PL3),
    ("hunter2-zebra-77", "Password", Level.PL4),
]
BOB_VALUES = [("bob.builder@example.net", "Email", Level.PL2)]
_RESERVE, _IV = 80, 16


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def vault_path(tmp_path: Path, key: bytes) -> Path:
    path = tmp_path / "vault.db"
    with Vault.open(path, key) as vault:
        vault.placeholders_for("alice", ALICE_VALUES)
        vault.placeholders_for("bob", BOB_VALUES)
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, key: bytes) -> str:
    monkeypatch.setenv("MEMVEIL_TEST_KEY", "hex:" + key.hex())
    return "MEMVEIL_TEST_KEY"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.name.startswith(path.name) or p.name.startswith("." + path.name)
    }


def _decrypt(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0  # page 1 starts with the plaintext salt
    iv = page[PAGE_BYTES - _RESERVE : PAGE_BYTES - _RESERVE + _IV]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE_BYTES - _RESERVE]) + decryptor.finalize()


def plaintext_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of the vault file and of its WAL, decrypted."""
    data = path.read_bytes()
    for offset in range(0, len(data) - PAGE_BYTES + 1, PAGE_BYTES):
        yield _decrypt(data[offset : offset + PAGE_BYTES], key, offset == 0)
    wal = Path(f"{path}-wal")
    if wal.exists():
        frames = wal.read_bytes()
        offset = 32  # WAL header, then frames of a 24-byte header and a page
        while offset + 24 + PAGE_BYTES <= len(frames):
            number = int.from_bytes(frames[offset : offset + 4], "big")
            yield _decrypt(frames[offset + 24 : offset + 24 + PAGE_BYTES], key, number == 1)
            offset += 24 + PAGE_BYTES


def held_anywhere(path: Path, key: bytes, value: str) -> bool:
    needle = value.encode()
    return any(needle in page for page in plaintext_pages(path, key))


# -- report ------------------------------------------------------------------------------------


def test_report_counts_without_values(vault_path: Path, env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["audit", "vault", str(vault_path), "--key-env", env, "--plain"], capsys)
    assert code == 0
    assert "Entries: 4 (PL4 1, PL3 1, PL2 2) for 2 users" in out
    assert "Integrity (cipher_integrity_check, integrity_check): ok" in out
    for value, _, _ in ALICE_VALUES + BOB_VALUES:
        assert value not in out and value not in err
    code, out, _ = run(["audit", "vault", str(vault_path), "--key-env", env, "--format", "json"], capsys)
    report = json.loads(out)
    assert report["entries"] == 4 and report["users"] == 2 and report["integrity"] == {"ok": True, "problems": []}
    assert {(t["level"], t["type"], t["count"]) for t in report["by_type"]} == {
        ("PL2", "Email", 2), ("PL3", "Bank/Payment Card Number", 1), ("PL4", "Password", 1)
    }
    assert report["first_assigned"] <= report["last_assigned"]


def test_stats_and_integrity(vault_path: Path, key: bytes) -> None:
    with Vault.open(vault_path, key) as vault:
        stats = vault.stats()
        assert stats.entries == 4 and stats.users == 2
        assert stats.by_type[("Email", Level.PL2)] == 2
        assert stats.first_assigned is not None and stats.first_assigned <= stats.last_assigned  # type: ignore[operator]
        assert vault.integrity_check() == []
    with Vault.open(vault_path.with_name("empty.db"), key) as empty:
        assert empty.stats().entries == 0 and empty.stats().first_assigned is None


def test_wrong_key_changes_nothing(vault_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(vault_path)
    monkeypatch.setenv("WRONG", "hex:" + os.urandom(32).hex())
    code, out, err = run(["audit", "vault", str(vault_path), "--key-env", "WRONG", "--erase-user", "alice", "--yes"], capsys)
    assert code == 2 and "the vault key is wrong" in err
    monkeypatch.setenv("WRONG", "a passphrase")
    assert run(["audit", "vault", str(vault_path), "--key-env", "WRONG", "--rekey", "--new-key-env", "WRONG"], capsys)[0] == 2
    assert digest(vault_path) == before


def test_key_never_from_a_flag_nor_a_missing_variable(vault_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(["audit", "vault", str(vault_path)], capsys)
    assert code == 2 and "name an environment variable" in err
    code, _, err = run(["audit", "vault", str(vault_path), "--key-env", "MEMVEIL_UNSET_VAR"], capsys)
    assert code == 2 and "MEMVEIL_UNSET_VAR" in err and "not set" in err
    monkeypatch.setenv("BADHEX", "hex:abcd")
    code, _, err = run(["audit", "vault", str(vault_path), "--key-env", "BADHEX"], capsys)
    assert code == 2 and "32 bytes" in err
    with pytest.raises(SystemExit):
        main(["audit", "vault", str(vault_path), "--key", "secret"])
    capsys.readouterr()


def test_missing_vault_is_not_created(tmp_path: Path, env: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "absent.db"
    code, _, err = run(["audit", "vault", str(path), "--key-env", env], capsys)
    assert code == 2 and "no such vault file" in err
    assert not path.exists()


def test_damaged_vault_fails_the_integrity_check(vault_path: Path, key: bytes, env: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(vault_path.read_bytes())
    data[PAGE_BYTES + 100] ^= 0xFF  # a byte of page 2's ciphertext: its HMAC no longer matches
    vault_path.write_bytes(bytes(data))
    code, out, err = run(["audit", "vault", str(vault_path), "--key-env", env], capsys)
    assert code == 1
    assert "FAILED" in out + err


# -- rekey ---------------------------------------------------------------------------------------


def test_rekey_from_raw_key_to_passphrase_and_back(vault_path: Path, key: bytes, env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with Vault.open(vault_path, key) as vault:
        before = {u: vault.export_user(u) for u in vault.users()}
        pseudonym = vault.cloud_user_id("alice")
        traffic_secret = vault.derive_secret("test")
    monkeypatch.setenv("NEW_KEY", "correct horse battery staple")
    code, out, err = run(["audit", "vault", str(vault_path), "--key-env", env, "--rekey", "--new-key-env", "NEW_KEY"], capsys)
    assert code == 0 and "4 entries verified" in err
    assert "correct horse" not in out + err
    with pytest.raises(VaultKeyError):
        Vault.open(vault_path, key)
    with Vault.open(vault_path, "correct horse battery staple") as vault:
        assert {u: vault.export_user(u) for u in vault.users()} == before
        assert vault.cloud_user_id("alice") == pseudonym  # the cloud's pseudonyms survive
        assert vault.derive_secret("test") == traffic_secret  # and so do audit logs' keys
        assert vault.integrity_check() == []
        assert vault.placeholder_for("alice", "new.one@example.org", "Email", Level.PL2) == "<Email_2>"
        new_key = os.urandom(32)
        vault.rekey(new_key)  # the Vault object stays usable after a rekey
        assert vault.value_of("alice", "<Email_2>") == "new.one@example.org"
    with pytest.raises(VaultKeyError):
        Vault.open(vault_path, "correct horse battery staple")
    with Vault.open(vault_path, new_key) as vault:
        assert len(vault.entries("alice")) == 4
    leftovers = [p.name for p in vault_path.parent.iterdir() if "rekeying" in p.name]
    assert leftovers == []


def test_failed_rekey_leaves_the_vault_as_it_was(vault_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    real = vault_module._content_digest
    calls: list[str] = []

    def corrupted(conn: object, schema: str) -> str:
        calls.append(schema)
        return real(conn, schema) + ("x" if len(calls) == 2 else "")  # the copy "differs"

    monkeypatch.setattr(vault_module, "_content_digest", corrupted)
    with Vault.open(vault_path, key) as vault:
        with pytest.raises(VaultError, match="was not rekeyed"):
            vault.rekey("another passphrase")
        assert vault.value_of("bob", "<Email_1>") == BOB_VALUES[0][0]  # still open, old key
    with Vault.open(vault_path, key) as vault:
        assert len(vault.entries("alice")) == 3
    assert [p.name for p in vault_path.parent.iterdir() if "rekeying" in p.name] == []


# -- export and erasure --------------------------------------------------------------------------


def test_export_user(vault_path: Path, env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "alice.jsonl"
    code, out, err = run(["audit", "vault", str(vault_path), "--key-env", env, "--export-user", "alice", "--output", str(target)], capsys)
    assert code == 0 and "exported 3 entries" in err
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(r["value"], r["type"], r["level"]) for r in records] == [(v, t, lv.value) for v, t, lv in ALICE_VALUES]
    assert {r["user_id"] for r in records} == {"alice"}
    assert records[0]["placeholder"] == "<Email_1>" and records[0]["created_at"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for value, _, _ in ALICE_VALUES:
        assert value not in out + err
    assert run(["audit", "vault", str(vault_path), "--key-env", env, "--export-user", "alice"], capsys)[0] == 2  # no --output
    assert run(["audit", "vault", str(vault_path), "--key-env", env, "--export-user", "nobody", "--output", str(target)], capsys)[0] == 1


def test_erase_needs_confirmation(vault_path: Path, key: bytes, env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(["audit", "vault", str(vault_path), "--key-env", env, "--erase-user", "alice"], capsys)
    assert code == 2 and "--yes" in err
    with Vault.open(vault_path, key) as vault:
        assert len(vault.entries("alice")) == 3


def test_erase_user_scrubs_file_and_wal(vault_path: Path, key: bytes, env: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Vault.open(vault_path, key) as vault:
        # churn: writes and deletes leave stale copies in free space and in the WAL
        vault.placeholders_for("carol", [(f"carol{i}@example.com", "Email", Level.PL2) for i in range(200)])
        pseudonym = vault.cloud_user_id("alice")
        assert all(held_anywhere(vault_path, key, v) for v, _, _ in ALICE_VALUES)  # the check can see them
        code, out, err = run(["audit", "vault", str(vault_path), "--key-env", env, "--erase-user", "alice", "--yes"], capsys)
        assert code == 0 and "erased 3 entries" in err and pseudonym in err
        for value, _, _ in ALICE_VALUES:
            assert value not in out + err
            assert not held_anywhere(vault_path, key, value), "an erased value is still in the file or its WAL"
        assert held_anywhere(vault_path, key, BOB_VALUES[0][0])
        # the other connection sees the erasure; restoring alice's placeholders leaves them be
        guard = PrivacyGuard(vault)
        text = "Mail <Email_1>, card <Bank_Payment_Card_Number_1>"
        assert guard.restore(text, "alice") == text
        assert guard.restore("<Email_1>", "bob") == BOB_VALUES[0][0]
        assert vault.integrity_check() == []
    assert not Path(f"{vault_path}-wal").exists() or not any(
        v.encode() in page for v, _, _ in ALICE_VALUES for page in plaintext_pages(vault_path, key)
    )


def test_erase_user_method(vault_path: Path, key: bytes) -> None:
    with Vault.open(vault_path, key) as vault:
        result = vault.erase_user("alice")
        assert result.entries == 3 and result.scrubbed
        assert vault.erase_user("alice").entries == 0
        assert vault.users() == ["bob"]
        assert vault.export_user("alice") == []


def test_derive_secret_is_per_purpose_and_per_vault(vault_path: Path, key: bytes, tmp_path: Path) -> None:
    with Vault.open(vault_path, key) as vault, Vault.open(tmp_path / "other.db", key) as other:
        a, b = vault.derive_secret("one"), vault.derive_secret("two")
        assert len(a) == 32 and a != b
        assert other.derive_secret("one") != a  # the vault's own random secret, not the key
        assert a.hex()[:32] not in vault.cloud_user_id("one")
