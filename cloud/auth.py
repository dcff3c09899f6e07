"""API keys: `mv_` + 43 random url-safe characters, each bound to one tenant.

Only a key's SHA-256 is stored, so the key file is no use to whoever reads it. A key is found
by the hash of what the client sent (an index lookup on a value it cannot steer), and the
stored hash is compared in constant time besides. Keys are looked up on every request, so a
revocation from the command line takes effect at once, even with the server running.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

KEY_PREFIX = "mv_"
_KEY_RE = re.compile(r"^mv_[A-Za-z0-9_\-]{32,128}$")
TENANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]{0,63}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What may be shown about a key: never the key itself."""

    key_id: str
    tenant: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """The tenants' API keys, in one SQLite file (WAL) shared by the server and the CLI."""

    def __init__(self, path: Path | str) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def create(self, tenant: str) -> tuple[str, KeyInfo]:
        """A new key for the tenant: returned once, here, and never again."""
        if not TENANT_RE.match(tenant):
            raise ValueError("a tenant name is 1-64 letters, digits or _.:@- and starts with a letter or digit")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        info = KeyInfo("key_" + secrets.token_hex(6), tenant, datetime.now(timezone.utc), None)
        with self._lock:
            self._db.execute(
                "INSERT INTO api_keys (key_id, tenant, key_hash, created_at) VALUES (?, ?, ?, ?)",
                (info.key_id, tenant, hash_key(key), info.created_at.isoformat()),
            )
        return key, info

    def list(self) -> list[KeyInfo]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key_id, tenant, created_at, revoked_at FROM api_keys ORDER BY tenant, created_at"
            ).fetchall()
        return [
            KeyInfo(key_id, tenant, datetime.fromisoformat(created), datetime.fromisoformat(revoked) if revoked else None)
            for key_id, tenant, created, revoked in rows
        ]

    def revoke(self, key_id: str) -> bool:
        """Whether a live key by that id existed (it no longer authenticates)."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (datetime.now(timezone.utc).isoformat(), key_id),
            )
        return cursor.rowcount == 1

    def authenticate(self, key: str) -> str | None:
        """The tenant of a live key, or None."""
        if not _KEY_RE.match(key):
            return None
        digest = hash_key(key)
        with self._lock:
            row = self._db.execute(
                "SELECT tenant, key_hash FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (digest,)
            ).fetchone()
        if row is None or not hmac.compare_digest(row[1], digest):
            return None
        return row[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def keys_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys.sqlite3"
