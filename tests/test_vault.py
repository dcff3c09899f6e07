"""The encrypted vault over real SQLCipher files: stability, numbering, secrecy, concurrency, crashes."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from memveil.edge.errors import MemveilError, VaultCorruptError, VaultError, VaultKeyError
from memveil.edge.vault import PAGE_BYTES, SCHEMA_VERSION, SCRYPT_N, SCRYPT_P, SCRYPT_R, Vault, VaultEntry
from memveil.shared.placeholder import Placeholder, parse_placeholder, type_to_tag
from memveil.shared.taxonomy import STANDARD_TYPES, Level

WORKER = Path(__file__).with_name("vault_worker.py")
PL3 = Level.PL3


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def vault(tmp_path: Path, key: bytes) -> Iterator[Vault]:
    with Vault.open(tmp_path / "vault.db", key) as v:
        yield v


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _raw_connect(path: Path, literal: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f'PRAGMA key = "{literal}"')
    return conn


def _assert_dense(path: Path, key: bytes, user: str = "alice") -> list[tuple[str, int, str]]:
    """Every (tag, number) of the user is unique and numbered 1..n per tag; returns the rows."""
    conn = _raw_connect(path, f"x'{key.hex()}'")
    rows = conn.execute("SELECT tag, number, placeholder FROM entries WHERE user_id = ?", (user,)).fetchall()
    conn.close()
    by_tag: dict[str, list[int]] = {}
    for tag, number, placeholder in rows:
        assert placeholder == f"<{tag}_{number}>"
        by_tag.setdefault(tag, []).append(number)
    for numbers in by_tag.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert len({p for _, _, p in rows}) == len(rows)
    return rows


def _digest(*paths: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


# -- mapping semantics ---------------------------------------------------------------------


def test_same_value_gets_the_same_placeholder_and_restores_first_spelling(vault: Vault) -> None:
    first = vault.placeholder_for("alice", "Alice.Smith@Example.com", "Email", PL3)
    assert first == "<Email_1>"
    for spelling in ["alice.smith@example.com", "  ALICE.SMITH@EXAMPLE.COM\n", "ａｌｉｃｅ.ｓｍｉｔｈ@example.com"]:
        assert vault.placeholder_for("alice", spelling, "Email", PL3) == first
    assert vault.placeholder_for("alice", "John   Smith", "Name", Level.PL2) == vault.placeholder_for(
        "alice", "john smith", "Name", Level.PL2
    )
    assert vault.value_of("alice", first) == "Alice.Smith@Example.com"
    assert [e.placeholder for e in vault.entries("alice")] == ["<Email_1>", "<Name_1>"]


def test_values_lists_what_the_guard_recognises_again(vault: Vault) -> None:
    vault.placeholders_for("alice", [("Nadia Khan", "Third-Party Identifiable Info", Level.PL2), ("A-99817", "ID Number", PL3)])
    vault.placeholder_for("bob", "Omar", "Third-Party Identifiable Info", Level.PL2)
    assert vault.values("alice") == [("Nadia Khan", "Third-Party Identifiable Info", Level.PL2), ("A-99817", "ID Number", PL3)]
    assert vault.values("carol") == []
    with pytest.raises(ValueError):
        vault.values("")
    vault.erase_user("alice")
    assert vault.values("alice") == []


def test_numbering_is_per_type_and_dense(vault: Vault) -> None:
    got = [
        vault.placeholder_for("alice", "a@x.org", "Email", PL3),
        vault.placeholder_for("alice", "+1 555 0100", "Phone Number", PL3),
        vault.placeholder_for("alice", "b@x.org", "Email", PL3),
        vault.placeholder_for("alice", "a@x.org", "Email", PL3),
        vault.placeholder_for("alice", "+1 555 0199", "Phone Number", PL3),
        vault.placeholder_for("alice", "c@x.org", "Email", PL3),
    ]
    assert got == ["<Email_1>", "<Phone_Number_1>", "<Email_2>", "<Email_1>", "<Phone_Number_2>", "<Email_3>"]


def test_users_have_independent_numbering(vault: Vault) -> None:
    a = vault.placeholder_for("alice", "alice@x.org", "Email", PL3)
    b = vault.placeholder_for("bob", "bob@x.org", "Email", PL3)
    assert a == b == "<Email_1>"
    assert vault.value_of("alice", a) == "alice@x.org"
    assert vault.value_of("bob", b) == "bob@x.org"
    # The same value is a new value for another user, and one user's placeholders are not the other's.
    assert vault.placeholder_for("bob", "alice@x.org", "Email", PL3) == "<Email_2>"
    assert vault.value_of("alice", "<Email_2>") is None
    assert vault.users() == ["alice", "bob"]


def test_first_type_wins_for_a_known_value(vault: Vault) -> None:
    p = vault.placeholder_for("alice", "4111 1111 1111 1111", "Credit Card Number", Level.PL4)
    assert vault.placeholder_for("alice", "4111 1111 1111 1111", "Bank Account Number", Level.PL4) == p
    (entry,) = vault.entries("alice")
    assert entry.type_name == "Credit Card Number"
    assert vault.placeholder_for("alice", "DE89 3704 0044 0532 0130 00", "Bank Account Number", Level.PL4) == (
        "<Bank_Account_Number_1>"
    )


def test_batch_is_ordered_and_dedupes_within_itself(vault: Vault) -> None:
    vault.placeholder_for("alice", "known@x.org", "Email", PL3)
    got = vault.placeholders_for(
        "alice",
        [
            ("new@x.org", "Email", PL3),
            ("Known@X.org", "Email", PL3),
            ("NEW@x.org ", "Email", PL3),
            ("Paris", "Location", Level.PL2),
            ("other@x.org", "Email", PL3),
        ],
    )
    assert got == ["<Email_2>", "<Email_1>", "<Email_2>", "<Location_1>", "<Email_3>"]
    assert vault.placeholders_for("alice", []) == []
    assert vault.values_of("alice", ["<Email_2>", "<Email_3>", "<Email_9>", "<Location_1>"]) == {
        "<Email_2>": "new@x.org",
        "<Email_3>": "other@x.org",
        "<Location_1>": "Paris",
    }


def test_a_bad_item_assigns_nothing(vault: Vault) -> None:
    with pytest.raises(ValueError):
        vault.placeholders_for("alice", [("ok@x.org", "Email", PL3), ("   ", "Email", PL3)])
    assert vault.entries("alice") == []


def test_every_placeholder_parses_and_restores(vault: Vault) -> None:
    names = [t.name for t in STANDARD_TYPES] + [
        "Third-Party Identifiable Info",
        "Driver's License Number",
        "Driver\u2019s License Number",
        "Account ID/Username",
        "Internal IP",
        "Email 2",
    ]
    values = [f"value {i} of {name}" for i, name in enumerate(names)]
    placeholders = vault.placeholders_for("alice", [(v, n, PL3) for v, n in zip(values, names)])
    for name, value, placeholder in zip(names, values, placeholders):
        parsed = parse_placeholder(placeholder)
        assert parsed.tag == type_to_tag(name)
        assert vault.value_of("alice", placeholder) == value
    assert placeholders[names.index("Third-Party Identifiable Info")] == "<Third-Party_Identifiable_Info_1>"
    assert placeholders[names.index("Driver's License Number")] == "<Driver's_License_Number_1>"
    # The curly apostrophe is the same tag, so it continues that numbering.
    assert placeholders[names.index("Driver\u2019s License Number")] == "<Driver's_License_Number_2>"
    assert placeholders[names.index("Email 2")] == "<Email_2_1>"
    assert vault.values_of("alice", placeholders) == dict(zip(placeholders, values))


def test_cloud_user_id_is_a_stable_keyed_pseudonym(tmp_path: Path, key: bytes) -> None:
    with Vault.open(tmp_path / "v.db", key) as v:
        alice = v.cloud_user_id("alice")
        assert re.fullmatch(r"u_[0-9a-f]{32}", alice)
        assert v.cloud_user_id("bob") != alice
    with Vault.open(tmp_path / "v.db", key) as v:
        assert v.cloud_user_id("alice") == alice
    with Vault.open(tmp_path / "other.db", key) as other:  # a fresh secret, even under the same key
        assert other.cloud_user_id("alice") != alice


# -- arguments, reprs and messages never show values -------------------------------------------


SECRET = "Zebra-Quokka-7731"


def test_bad_arguments_are_rejected_without_echoing_them(vault: Vault) -> None:
    vault.placeholder_for("alice", SECRET, "Password", Level.PL4)
    bad_calls = [
        (ValueError, lambda: vault.placeholder_for("alice", "", "Email", PL3)),
        (ValueError, lambda: vault.placeholder_for("alice", " \t\n", "Email", PL3)),
        (TypeError, lambda: vault.placeholder_for("alice", 12345, "Email", PL3)),  # type: ignore[arg-type]
        (ValueError, lambda: vault.placeholder_for("alice", SECRET + "\ud800", "Email", PL3)),
        (ValueError, lambda: vault.placeholder_for("", SECRET, "Email", PL3)),
        (TypeError, lambda: vault.placeholder_for(None, SECRET, "Email", PL3)),  # type: ignore[arg-type]
        (ValueError, lambda: vault.placeholder_for("alice", SECRET, "1st type", PL3)),
        (ValueError, lambda: vault.placeholder_for("alice", SECRET, "Email", "PL9")),  # type: ignore[arg-type]
        (TypeError, lambda: vault.placeholders_for("alice", [(SECRET, "Email")])),  # type: ignore[list-item]
        (ValueError, lambda: vault.value_of("alice", SECRET)),
        (ValueError, lambda: vault.value_of("alice", "<Email_0>")),
        (TypeError, lambda: vault.value_of("alice", b"<Email_1>")),  # type: ignore[arg-type]
        (ValueError, lambda: vault.values_of("alice", ["<Password_1>", f"<{SECRET}>"])),
        (TypeError, lambda: vault.values_of("alice", "<Password_1>")),
    ]
    for expected, call in bad_calls:
        with pytest.raises(expected) as info:
            call()
        text = str(info.value) + repr(info.value)
        assert SECRET not in text and "Zebra" not in text
        assert info.value.__cause__ is None
    assert vault.placeholder_for("alice", SECRET, "Password", "pl4") == "<Password_1>"


def test_reprs_hide_values(vault: Vault, tmp_path: Path) -> None:
    vault.placeholder_for("alice", SECRET, "Password", Level.PL4)
    (entry,) = vault.entries("alice")
    assert isinstance(entry, VaultEntry) and entry.value == SECRET and entry.level is Level.PL4
    assert SECRET not in repr(entry) and "<Password_1>" in repr(entry)
    assert repr(vault) == f"Vault(path={str(tmp_path / 'vault.db')!r})"


def test_closed_vault_refuses_calls(tmp_path: Path, key: bytes) -> None:
    v = Vault.open(tmp_path / "v.db", key)
    v.close()
    v.close()
    for call in (lambda: v.placeholder_for("a", "x", "Email", PL3), lambda: v.users(), lambda: v.cloud_user_id("a")):
        with pytest.raises(VaultError, match="closed"):
            call()


# -- encryption at rest --------------------------------------------------------------------------


def test_file_is_unreadable_without_the_key_and_holds_no_plaintext(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vault.db"
    values = [SECRET, "alice.private@example.com", "Zürich Bahnhofstrasse 12"]
    with Vault.open(path, key) as v:
        v.placeholders_for("alice", [(value, "Secret", Level.PL4) for value in values])
        wal = Path(f"{path}-wal")
        assert wal.exists() and wal.stat().st_size > 0  # committed, not yet checkpointed
        blobs = {"db": path.read_bytes(), "wal": wal.read_bytes()}
    blobs["db after close"] = path.read_bytes()
    for where, blob in blobs.items():
        for value in values + ["alice", "Secret", "<Secret_1>", "schema_version"]:
            for encoded in {value.encode("utf-8"), value.lower().encode("utf-8"), value.encode("utf-16-le")}:
                assert encoded not in blob, f"plaintext found in {where}"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()


# -- keys --------------------------------------------------------------------------------------


def test_passphrase_vault_uses_scrypt_with_the_file_salt_and_reopens_in_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "vault.db"
    with Vault.open(path, "correct horse battery staple") as v:
        placeholder = v.placeholder_for("alice", SECRET, "Password", Level.PL4)
        pseudonym = v.cloud_user_id("alice")

    # The documented form: scrypt(passphrase, the file's first 16 bytes) as SQLCipher raw key + salt.
    salt = path.read_bytes()[:16]
    derived = hashlib.scrypt(
        b"correct horse battery staple", salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=2**28, dklen=32
    )
    conn = _raw_connect(path, f"x'{derived.hex()}{salt.hex()}'")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert conn.execute("SELECT value FROM entries").fetchall() == [(SECRET,)]
    conn.close()
    assert meta["schema_version"] == str(SCHEMA_VERSION) and meta["created_at"].startswith("20")

    # SQLCipher's own passphrase KDF is not what keys the file.
    conn = _raw_connect(path, "correct horse battery staple")
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()

    out = subprocess.run(
        [sys.executable, str(WORKER), "lookup", str(path), "pass:correct horse battery staple", "alice", placeholder],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert json.loads(out) == [SECRET, pseudonym]


def test_raw_key_vault_reopens_in_a_new_process_and_bytes_passphrases_work(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "raw.db"
    with Vault.open(path, key) as v:
        placeholder = v.placeholder_for("alice", SECRET, "Password", Level.PL4)
        pseudonym = v.cloud_user_id("alice")
    out = subprocess.run(
        [sys.executable, str(WORKER), "lookup", str(path), key.hex(), "alice", placeholder],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert json.loads(out) == [SECRET, pseudonym]
    # 31 bytes is a passphrase, not a raw key.
    with Vault.open(tmp_path / "bytes-pass.db", key[:31]) as v:
        v.placeholder_for("alice", SECRET, "Password", Level.PL4)
    with Vault.open(tmp_path / "bytes-pass.db", key[:31]) as v:
        assert v.value_of("alice", "<Password_1>") == SECRET
    with pytest.raises(TypeError):
        Vault.open(tmp_path / "x.db", 42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Vault.open(tmp_path / "x.db", "")
    assert not (tmp_path / "x.db").exists()


def test_wrong_key_is_refused_at_open_and_changes_nothing(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vault.db"
    wal = Path(f"{path}-wal")
    writer = Vault.open(path, key)
    writer.placeholder_for("alice", SECRET, "Password", Level.PL4)
    assert wal.stat().st_size > 0  # a pending WAL: a careless failed open would checkpoint it
    before = _digest(path, wal)
    for wrong in (os.urandom(32), "not the passphrase"):
        with pytest.raises(VaultKeyError, match="the vault key is wrong, or the file is not a memveil vault"):
            Vault.open(path, wrong)
        assert _digest(path, wal) == before
    writer.close()

    before = _digest(path)
    with pytest.raises(VaultKeyError):
        Vault.open(path, os.urandom(32))
    assert _digest(path) == before and not wal.exists()
    with Vault.open(path, key) as v:
        assert v.value_of("alice", "<Password_1>") == SECRET


def _vault_with_pages(path: Path, key: bytes, n: int = 400) -> None:
    with Vault.open(path, key) as v:
        v.placeholders_for("alice", [(f"person-{i}@example.com", "Email", PL3) for i in range(n)])
    assert path.stat().st_size >= 8 * PAGE_BYTES


def _damaged_copy(src: Path, dst: Path, offset: int | None = None, truncate: int | None = None) -> Path:
    shutil.copy(src, dst)
    if offset is not None:
        with dst.open("r+b") as f:
            f.seek(offset)
            f.write(os.urandom(64))
    if truncate is not None:
        os.truncate(dst, truncate)
    return dst


def test_damaged_files_raise_clean_errors_and_are_left_alone(tmp_path: Path, key: bytes) -> None:
    healthy = tmp_path / "healthy.db"
    _vault_with_pages(healthy, key)
    healthy_digest = _digest(healthy)
    size = healthy.stat().st_size
    cases: list[tuple[Path, type[VaultError]]] = [
        (_damaged_copy(healthy, tmp_path / "mid.db", offset=3 * PAGE_BYTES + 200), VaultCorruptError),
        (_damaged_copy(healthy, tmp_path / "last.db", offset=size - PAGE_BYTES + 100), VaultCorruptError),
        (_damaged_copy(healthy, tmp_path / "cut.db", truncate=size - PAGE_BYTES), VaultCorruptError),
        (_damaged_copy(healthy, tmp_path / "torn.db", truncate=size - 1000), VaultCorruptError),
        (_damaged_copy(healthy, tmp_path / "stub.db", truncate=10), VaultCorruptError),
        (_damaged_copy(healthy, tmp_path / "page1.db", offset=100), VaultKeyError),
    ]
    for damaged, expected in cases:
        before = _digest(damaged)
        with pytest.raises(expected) as info:
            Vault.open(damaged, key)
        assert damaged.name in str(info.value)
        assert _digest(damaged) == before, damaged.name
        wal = Path(f"{damaged}-wal")  # a read-only probe may leave an empty sidecar, never frames
        assert not wal.exists() or wal.stat().st_size == 0
    assert _digest(healthy) == healthy_digest
    with Vault.open(healthy, key) as v:
        assert len(v.entries("alice")) == 400


def test_files_that_are_not_vaults(tmp_path: Path, key: bytes) -> None:
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(MemveilError):  # a plaintext database is never taken for a vault
        Vault.open(plain, key)

    other = tmp_path / "other-sqlcipher.db"
    conn = _raw_connect(other, f"x'{key.hex()}'")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(VaultError, match="not a memveil vault"):
        Vault.open(other, key)

    newer = tmp_path / "newer.db"
    Vault.open(newer, key).close()
    conn = _raw_connect(newer, f"x'{key.hex()}'")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(VaultError, match="newer"):
        Vault.open(newer, key)

    empty = tmp_path / "empty.db"
    empty.touch()  # e.g. from mkstemp: an empty file becomes a new vault
    with Vault.open(empty, key) as v:
        assert v.placeholder_for("alice", SECRET, "Password", Level.PL4) == "<Password_1>"
    assert sorted(p.name for p in tmp_path.iterdir() if ".creating" in p.name) == []


# -- concurrency and crashes ----------------------------------------------------------------------


def test_processes_racing_on_a_new_vault_agree(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "shared.db"  # does not exist yet: creation races too
    pairs = [[f"user{i}@example.com", "Email"] for i in range(60)] + [[f"+41 79 555 {i:04d}", "Phone"] for i in range(40)]
    workers = []
    for seed, batch in [(1, 1), (2, 1), (3, 7)]:
        mine = pairs[:]
        random.Random(seed).shuffle(mine)
        workers.append(_worker("race", str(path), key.hex(), json.dumps(mine), str(batch)))
    for w in workers:
        assert json.loads(w.stdout.readline()) == "ready"  # type: ignore[union-attr]
    for w in workers:
        w.stdin.write("go\n")  # type: ignore[union-attr]
        w.stdin.flush()  # type: ignore[union-attr]
    results = []
    for w in workers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
        results.append(json.loads(out))
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 100
    rows = _assert_dense(path, key)
    assert len(rows) == 100
    assert sorted({tag for tag, _, _ in rows}) == ["Email", "Phone"]
    with Vault.open(path, key) as v:
        assert v.values_of("alice", results[0].values()) == {p: value for value, p in results[0].items()}


def test_threads_assigning_overlapping_values_agree(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vault.db"
    first, second = Vault.open(path, key), Vault.open(path, key)  # two connections, one process
    pool = [f"shared-{i}@example.com" for i in range(80)]
    barrier = threading.Barrier(8)
    results: list[dict[str, str]] = [{} for _ in range(8)]
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            vault = first if n % 2 else second
            mine = pool[:] + [f"own-{n}-{i}@example.com" for i in range(10)]
            random.Random(n).shuffle(mine)
            barrier.wait()
            for start in range(0, len(mine), 1 + n % 3):
                chunk = mine[start : start + 1 + n % 3]
                got = vault.placeholders_for("alice", [(value, "Email", PL3) for value in chunk])
                results[n].update(zip(chunk, got))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    first.close()
    second.close()
    assert not errors
    for value in pool:
        assert len({r[value] for r in results}) == 1
    assigned = {p for r in results for p in r.values()}
    assert len(assigned) == 80 + 8 * 10
    assert len(_assert_dense(path, key)) == 160


def _child_assigns(vault: Vault, queue: multiprocessing.Queue[object]) -> None:
    queue.put([vault.value_of("alice", "<Email_1>"), vault.placeholder_for("alice", "child@x.org", "Email", PL3)])


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_forked_child_uses_its_own_connection(vault: Vault) -> None:
    vault.placeholder_for("alice", "parent@x.org", "Email", PL3)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_assigns, args=(vault, queue))
    child.start()
    got = queue.get(timeout=30)
    child.join(30)
    assert child.exitcode == 0
    assert got == ["parent@x.org", "<Email_2>"]
    assert vault.value_of("alice", "<Email_2>") == "child@x.org"
    assert vault.placeholder_for("alice", "third@x.org", "Email", PL3) == "<Email_3>"


def _read_until(proc: subprocess.Popen[str], stop: object, limit: int = 10_000) -> list[object]:
    lines: list[object] = []
    while len(lines) < limit:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line, proc.stderr.read()  # type: ignore[union-attr]
        item = json.loads(line)
        if item == stop:
            break
        lines.append(item)
    return lines


def _check_after_kill(path: Path, key: bytes, committed: list[object]) -> None:
    with Vault.open(path, key) as v:  # opens fine: WAL recovery, integrity check passes
        assert committed
        for placeholder, value in committed:  # type: ignore[misc]
            assert v.value_of("alice", placeholder) == value
        rows = _assert_dense(path, key)
        n = len(rows)
        assert v.placeholder_for("alice", "after-crash@example.com", "Email", PL3) == f"<Email_{n + 1}>"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_during_an_open_transaction_loses_no_commit(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vault.db"
    proc = _worker("commit-then-hang", str(path), key.hex(), "25")
    committed = _read_until(proc, "pending")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert len(committed) == 25
    # The dead writer left its WAL behind; a failed open must not checkpoint it into the file.
    wal = Path(f"{path}-wal")
    before = _digest(path, wal)
    assert "vault.db-wal" in before
    with pytest.raises(VaultKeyError):
        Vault.open(path, os.urandom(32))
    assert _digest(path, wal) == before
    _check_after_kill(path, key, committed)
    with Vault.open(path, key) as v:
        assert v.value_of("alice", "<Email_10000>") is None


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_while_assigning_in_a_loop_loses_no_commit(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vault.db"
    proc = _worker("loop", str(path), key.hex())
    committed = _read_until(proc, None, limit=40)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    _check_after_kill(path, key, committed)
