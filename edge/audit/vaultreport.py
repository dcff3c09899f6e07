"""`memveil audit vault`: what a vault holds, whether it is sound, and the data-subject actions.

The report counts; it never shows a value. Export writes one user's raw values, because
that is what a subject access request returns, to a file only its owner can read. Erasure
asks first (or takes `--yes`), then prints the user's cloud pseudonym so the operator can
delete the user's memories in the cloud too.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from memveil.edge.audit.keys import read_key
from memveil.edge.audit.render import print_table, write_json
from memveil.edge.errors import VaultError
from memveil.edge.vault import Vault

__all__ = ["erase_user", "export_user", "report", "rekey"]


def _stamp(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def report(vault: Vault, stream: TextIO, fmt: str, *, plain: bool = False) -> int:
    """Counts per type and level, age range, integrity. Exit 1 when the check finds problems."""
    stats = vault.stats()
    problems = vault.integrity_check()
    rows = sorted(stats.by_type.items(), key=lambda kv: (-kv[0][1].rank, kv[0][0]))
    if fmt == "json":
        write_json(
            stream,
            {
                "tool": "memveil audit vault",
                "path": str(vault.path),
                "created_at": stats.created_at,
                "users": stats.users,
                "entries": stats.entries,
                "first_assigned": _stamp(stats.first_assigned),
                "last_assigned": _stamp(stats.last_assigned),
                "by_type": [{"level": lv.value, "type": t, "count": n} for (t, lv), n in rows],
                "integrity": {"ok": not problems, "problems": problems},
            },
        )
    else:
        if rows:
            print_table(stream, f"Vault {vault.path}", ["level", "type", "entries"], [[lv.value, t, n] for (t, lv), n in rows], plain=plain)
        by_level: dict[str, int] = {}
        for (_, lv), n in rows:
            by_level[lv.value] = by_level.get(lv.value, 0) + n
        levels = ", ".join(f"{lv} {by_level[lv]}" for lv in sorted(by_level, reverse=True)) or "none"
        stream.write(
            f"Entries: {stats.entries} ({levels}) for {stats.users} users\n"
            f"Assigned: {_stamp(stats.first_assigned) or '-'} .. {_stamp(stats.last_assigned) or '-'}"
            f" (vault created {stats.created_at or 'unknown'})\n"
            f"Integrity (cipher_integrity_check, integrity_check): "
            + ("ok\n" if not problems else f"FAILED, {len(problems)} problems\n" + "".join(f"  {p}\n" for p in problems[:20]))
        )
    return 1 if problems else 0


def rekey(vault: Vault, new_key_env: str | None) -> int:
    new_key = read_key(new_key_env, "new vault key", confirm=new_key_env is None)
    before = vault.stats().entries
    vault.rekey(new_key)
    after = vault.stats().entries
    if after != before:  # rekey verifies the rows already; this is what the operator sees
        raise VaultError(f"entry count changed during rekey ({before} -> {after})")
    print(f"rekeyed {vault.path}: {after} entries verified; the old key no longer opens it", file=sys.stderr)
    return 0


def export_user(vault: Vault, user_id: str, out: TextIO) -> int:
    """Write the user's entries as JSONL; returns how many."""
    records = vault.export_user(user_id)
    for record in records:
        out.write(json.dumps({"user_id": user_id, **record}, ensure_ascii=False) + "\n")
    return len(records)


def erase_user(vault: Vault, user_id: str, *, confirmed: bool) -> int:
    if not confirmed:
        if not sys.stdin.isatty():
            print("memveil audit: --erase-user cannot be undone; add --yes to confirm", file=sys.stderr)
            return 2
        answer = input(f"Erase every vault entry of user {user_id!r}? This cannot be undone. Type the user id to confirm: ")
        if answer != user_id:
            print("memveil audit: not confirmed; nothing erased", file=sys.stderr)
            return 2
    pseudonym = vault.cloud_user_id(user_id)
    result = vault.erase_user(user_id)
    print(f"erased {result.entries} entries of user {user_id!r}", file=sys.stderr)
    if not result.scrubbed:
        print(
            "memveil audit: another process holds the vault open, so old pages may remain in its WAL;"
            " run the erasure again once it has closed",
            file=sys.stderr,
        )
    print(f"the user's memories in the cloud are filed under user_id {pseudonym}: delete them there too", file=sys.stderr)
    return 0 if result.scrubbed else 1
