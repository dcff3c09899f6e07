"""Where memories live: the `MemoryStore` seam and its embedded SQLite backend.

Every method takes the tenant and only ever touches that tenant's rows: a memory of another
tenant is indistinguishable from one that does not exist. The SQLite backend keeps vectors as
float32 blobs and searches by brute force over one user's rows, which is plenty for an
embedded default; a PostgreSQL+pgvector backend implements the same protocol.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from memveil.shared.wire import Memory

HistoryEvent = Literal["ADD", "UPDATE", "DELETE"]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to a memory. A deleted memory keeps its DELETE entry but none of its text."""

    memory_id: str
    event: HistoryEvent
    before: str | None
    after: str | None
    at: datetime


class MemoryStore(Protocol):
    """Tenant-scoped storage of memories and their embeddings."""

    def add(self, tenant: str, user_id: str, agent_id: str | None, text: str, embedding: np.ndarray) -> Memory: ...

    def update(self, tenant: str, memory_id: str, text: str, embedding: np.ndarray) -> Memory | None:
        """The updated memory, or None when the tenant has none by that id."""
        ...

    def delete(self, tenant: str, memory_id: str) -> bool:
        """Whether the tenant had a memory by that id (now gone)."""
        ...

    def get(self, tenant: str, memory_id: str) -> Memory | None: ...

    def list(
        self, tenant: str, user_id: str, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Memory]:
        """Oldest first, so paging with offsets is stable while memories are added."""
        ...

    def search_vector(
        self, tenant: str, user_id: str, agent_id: str | None, query_vector: np.ndarray, limit: int
    ) -> list[tuple[Memory, float]]:
        """The user's memories by cosine similarity to the query, best first."""
        ...

    def history(self, tenant: str, memory_id: str) -> list[HistoryEntry]: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS memories (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    user_id TEXT NOT NULL,
    agent_id TEXT,
    text TEXT NOT NULL,
    embedding BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS memories_by_user ON memories (tenant, user_id, created_at);
CREATE TABLE IF NOT EXISTS memory_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    memory_id TEXT NOT NULL,
    event TEXT NOT NULL,
    before TEXT,
    after TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_memory ON memory_history (tenant, memory_id, seq);
"""

_COLUMNS = "id, user_id, agent_id, text, created_at, updated_at"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _memory(row: sqlite3.Row | tuple) -> Memory:
    id_, user_id, agent_id, text, created_at, updated_at = row[:6]
    return Memory(
        id=id_,
        user_id=user_id,
        agent_id=agent_id,
        text=text,
        created_at=datetime.fromisoformat(created_at),
        updated_at=datetime.fromisoformat(updated_at),
    )


def _blob(embedding: np.ndarray) -> bytes:
    vector = np.asarray(embedding, dtype=np.float32)
    if vector.ndim != 1:
        raise ValueError("an embedding is one vector")
    return vector.tobytes()


class SQLiteStore:
    """`MemoryStore` in one SQLite file (WAL). One connection, serialised by a lock."""

    def __init__(self, path: Path | str) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Deleted text is overwritten in the file rather than left in free pages.
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.executescript(_SCHEMA)

    def add(self, tenant: str, user_id: str, agent_id: str | None, text: str, embedding: np.ndarray) -> Memory:
        memory_id, now = uuid.uuid4().hex, _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                f"INSERT INTO memories ({_COLUMNS}, tenant, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (memory_id, user_id, agent_id, text, now, now, tenant, _blob(embedding)),
            )
            self._record(tenant, memory_id, "ADD", None, text, now)
        return _memory((memory_id, user_id, agent_id, text, now, now))

    def update(self, tenant: str, memory_id: str, text: str, embedding: np.ndarray) -> Memory | None:
        now = _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._row(tenant, memory_id)
            if row is None:
                return None
            self._db.execute(
                "UPDATE memories SET text = ?, embedding = ?, updated_at = ? WHERE tenant = ? AND id = ?",
                (text, _blob(embedding), now, tenant, memory_id),
            )
            self._record(tenant, memory_id, "UPDATE", row[3], text, now)
        return _memory((row[0], row[1], row[2], text, row[4], now))

    def delete(self, tenant: str, memory_id: str) -> bool:
        now = _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            gone = self._db.execute("DELETE FROM memories WHERE tenant = ? AND id = ?", (tenant, memory_id)).rowcount
            if not gone:
                return False
            # Deleting means forgetting: the history keeps that it happened, not what was said.
            self._db.execute("DELETE FROM memory_history WHERE tenant = ? AND memory_id = ?", (tenant, memory_id))
            self._record(tenant, memory_id, "DELETE", None, None, now)
        with self._lock:
            # ...and the old pages must not linger in the write-ahead log either.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    def get(self, tenant: str, memory_id: str) -> Memory | None:
        with self._lock:
            row = self._row(tenant, memory_id)
        return None if row is None else _memory(row)

    def list(
        self, tenant: str, user_id: str, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Memory]:
        where, params = self._scope(tenant, user_id, agent_id)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM memories WHERE {where} ORDER BY created_at, id LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
        return [_memory(row) for row in rows]

    def search_vector(
        self, tenant: str, user_id: str, agent_id: str | None, query_vector: np.ndarray, limit: int
    ) -> list[tuple[Memory, float]]:
        where, params = self._scope(tenant, user_id, agent_id)
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS}, embedding FROM memories WHERE {where}", params).fetchall()
        if not rows or limit < 1:
            return []
        matrix = np.stack([np.frombuffer(row[6], dtype=np.float32) for row in rows])
        query = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)
        scores = matrix @ query / np.clip(norms, 1e-12, None)
        best = np.argsort(-scores, kind="stable")[:limit]
        return [(_memory(rows[i]), float(scores[i])) for i in best]

    def history(self, tenant: str, memory_id: str) -> list[HistoryEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT memory_id, event, before, after, at FROM memory_history "
                "WHERE tenant = ? AND memory_id = ? ORDER BY seq",
                (tenant, memory_id),
            ).fetchall()
        return [HistoryEntry(m, e, b, a, datetime.fromisoformat(at)) for m, e, b, a, at in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _row(self, tenant: str, memory_id: str) -> tuple | None:
        return self._db.execute(
            f"SELECT {_COLUMNS} FROM memories WHERE tenant = ? AND id = ?", (tenant, memory_id)
        ).fetchone()

    def _record(self, tenant: str, memory_id: str, event: HistoryEvent, before: str | None, after: str | None, at: str) -> None:
        self._db.execute(
            "INSERT INTO memory_history (tenant, memory_id, event, before, after, at) VALUES (?, ?, ?, ?, ?, ?)",
            (tenant, memory_id, event, before, after, at),
        )

    @staticmethod
    def _scope(tenant: str, user_id: str, agent_id: str | None) -> tuple[str, tuple[str, ...]]:
        """`agent_id=None` means every agent's memories of the user."""
        if agent_id is None:
            return "tenant = ? AND user_id = ?", (tenant, user_id)
        return "tenant = ? AND user_id = ? AND agent_id = ?", (tenant, user_id, agent_id)
