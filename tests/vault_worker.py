"""Subprocess side of tests/test_vault.py: a separate process using a shared vault.

Usage: python vault_worker.py MODE PATH KEY_HEX [ARGS...], where KEY_HEX is a raw 32-byte key
in hex, or `pass:<passphrase>` for a passphrase. Output is one JSON document per line, flushed.

Modes:
  race VALUES_JSON BATCH  print "ready", wait for a line on stdin, then open the vault and
                          assign [value, type] pairs (BATCH at a time); print {value: placeholder}.
  commit-then-hang N      commit N new mappings one by one, printing each after its commit
                          returned, then hold a write transaction with uncommitted rows and sleep.
  loop                    assign new values forever, printing each after its commit returned.
  lookup USER PLACEHOLDER print the value (or null) and the cloud user id.
"""

from __future__ import annotations

import json
import sys
import time

import sqlcipher3

from memveil.edge.vault import Vault
from memveil.shared.taxonomy import Level


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> None:
    mode, path, key_arg, *args = sys.argv[1:]
    key: str | bytes = key_arg[5:] if key_arg.startswith("pass:") else bytes.fromhex(key_arg)

    if mode == "race":
        pairs = json.loads(args[0])
        batch = int(args[1])
        _emit("ready")
        sys.stdin.readline()
        result: dict[str, str] = {}
        with Vault.open(path, key) as vault:
            for start in range(0, len(pairs), batch):
                chunk = pairs[start : start + batch]
                placeholders = vault.placeholders_for("alice", [(v, t, Level.PL3) for v, t in chunk])
                result.update({v: p for (v, _), p in zip(chunk, placeholders)})
        _emit(result)

    elif mode == "commit-then-hang":
        vault = Vault.open(path, key)
        for i in range(int(args[0])):
            value = f"committed-{i}@example.com"
            _emit([vault.placeholder_for("alice", value, "Email", Level.PL3), value])
        # A second connection holds a write transaction with rows that are never committed.
        conn = sqlcipher3.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")  # type: ignore[union-attr]
        conn.execute("BEGIN IMMEDIATE")
        for i in range(50):
            conn.execute(
                "INSERT INTO entries (user_id, norm, value, type_name, tag, number, placeholder, level,"
                " created_at) VALUES ('alice', ?, ?, 'Email', 'Email', ?, ?, 'PL3', 0)",
                (f"pending-{i}", f"pending-{i}", 10_000 + i, f"<Email_{10_000 + i}>"),
            )
        _emit("pending")
        time.sleep(120)

    elif mode == "loop":
        with Vault.open(path, key) as vault:
            i = 0
            while True:
                value = f"loop-{i}@example.com"
                _emit([vault.placeholder_for("alice", value, "Email", Level.PL3), value])
                i += 1

    elif mode == "lookup":
        with Vault.open(path, key) as vault:
            _emit([vault.value_of(args[0], args[1]), vault.cloud_user_id(args[0])])

    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
