"""Where memories live: the `MemoryStore` seam and its embedded SQLite backend.

Every method takes the tenant and only ever touches that tenant's rows: a memory of another
tenant is indistinguishable from one that does not exist. The SQLite backend keeps vectors as
float32 blobs and searches them by brute force over one user's rows, which is plenty for an
embedded default, and indexes text with FTS5 (bm25). `memveil.cloud.postgres_store` implements
the same protocol on PostgreSQL + pgvector.

Times are UTC. `created_after` is inclusive and `created_before` exclusive, so consecutive
windows never share a memory. Paging by `after` (a `Cursor`: the last memory's creation time
and id) is stable whatever is added or deleted meanwhile.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from memveil.cloud.lexical import lexical_terms, lexical_text
from memveil.shared.wire import Memory

HistoryEvent = Literal["ADD", "UPDATE", "DELETE"]
#: Where a page of memories ended: (created_at, id) of its last memory.
Cursor = tuple[datetime, str]

#: Width of the embeddings every store expects (all-MiniLM-L6-v2).
DIMENSION = 384


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to a memory and why it was made. A deleted memory keeps its DELETE entry
    but none of its text, and no reason either: a reason can quote what was forgotten."""

    memory_id: str
    event: HistoryEvent
    before: str | None
    after: str | None
    at: datetime
    reason: str | None = None


class MemoryStore(Protocol):
    """Tenant-scoped storage of memories and their embeddings.

    Bad input (a vector of the wrong width, NaN, a NUL character) raises ValueError before
    anything is written.
    """

    def add(
        self, tenant: str, user_id: str, agent_id: str | None, text: str, embedding: np.ndarray, reason: str | None = None
    ) -> Memory: ...

    def add_many(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        texts: Sequence[str],
        embeddings: Sequence[np.ndarray] | np.ndarray,
        reason: str | None = None,
    ) -> list[Memory]:
        """All of them in one transaction, in the order given; nothing when any is invalid."""
        ...

    def update(
        self, tenant: str, memory_id: str, text: str, embedding: np.ndarray, reason: str | None = None
    ) -> Memory | None:
        """The updated memory, or None when the tenant has none by that id."""
        ...

    def delete(self, tenant: str, memory_id: str) -> bool:
        """Whether the tenant had a memory by that id (now gone)."""
        ...

    def get(self, tenant: str, memory_id: str) -> Memory | None: ...

    def embeddings(self, tenant: str, memory_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those memories (ids the tenant lacks are left out): what the
        guard reads instead of embedding retrieved memories again."""
        ...

    def list(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        after: Cursor | None = None,
    ) -> list[Memory]:
        """Oldest first; `after` starts past a cursor (use it or `offset`, not both)."""
        ...

    def search_vector(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query_vector: np.ndarray,
        limit: int,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[tuple[Memory, float]]:
        """The user's memories by cosine similarity to the query, best first."""
        ...

    def search_text(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query: str,
        limit: int,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[tuple[Memory, float]]:
        """The user's memories sharing words (or placeholder keys) with the query, best first.
        Scores are the backend's own (bm25 or ts_rank_cd): only their order means anything."""
        ...

    def history(self, tenant: str, memory_id: str) -> list[HistoryEntry]: ...

    def close(self) -> None: ...


def check_embedding(embedding: np.ndarray, dimension: int = DIMENSION) -> np.ndarray:
    """The embedding as float32, or ValueError naming what is wrong (never the values)."""
    vector = np.asarray(embedding, dtype=np.float32)
    if vector.ndim != 1 or vector.shape[0] != dimension:
        raise ValueError(f"an embedding must be one vector of {dimension} values, got shape {vector.shape}")
    if not np.isfinite(vector).all():
        raise ValueError("an embedding must hold finite numbers only")
    if not vector.any():
        raise ValueError("an embedding must not be all zeros (it has no direction)")
    return vector


def check_text(text: str) -> str:
    if not isinstance(text, str) or not text:
        raise ValueError("a memory text must be a non-empty string")
    if "\x00" in text:
        raise ValueError("a memory text must not contain NUL characters")
    return text


def utc_iso(moment: datetime) -> str:
    """The stored form of a time: UTC, microseconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must carry a timezone")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


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
-- scope: one opaque word per (tenant, user), so a search reads only that user's postings.
CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(scope, body, tokenize = 'porter unicode61');
"""

# Columns added after the first release; an existing file gains them on open.
_ADDED_COLUMNS = {"memories": {"fts_rowid": "INTEGER"}, "memory_history": {"reason": "TEXT"}}

_COLUMNS = "id, user_id, agent_id, text, created_at, updated_at"
_M_COLUMNS = "m.id, m.user_id, m.agent_id, m.text, m.created_at, m.updated_at"
# bm25 weights per FTS column: the scope word matches every row of the user, so it counts for nothing.
_BM25 = "bm25(memories_fts, 0.0, 1.0)"


def _now() -> str:
    return utc_iso(datetime.now(timezone.utc))


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


def _scope_word(tenant: str, user_id: str) -> str:
    digest = hashlib.blake2b(f"{tenant}\x00{user_id}".encode(), digest_size=8, person=b"memveil-scope").digest()
    return f"s{int.from_bytes(digest, 'big'):020d}"


class SQLiteStore:
    """`MemoryStore` in one SQLite file (WAL). One connection, serialised by a lock."""

    def __init__(self, path: Path | str, dimension: int = DIMENSION) -> None:
        self.dimension = dimension
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Deleted text is overwritten in the file rather than left in free pages.
        self._db.execute("PRAGMA secure_delete=ON")
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._migrate()

    def _migrate(self) -> None:
        """Bring a file from an earlier release up to date: new columns, the text index."""
        for table, columns in _ADDED_COLUMNS.items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self._db.execute("CREATE UNIQUE INDEX IF NOT EXISTS memories_by_fts_rowid ON memories (fts_rowid)")
        missing = self._db.execute("SELECT id, tenant, user_id, text FROM memories WHERE fts_rowid IS NULL").fetchall()
        for id_, tenant, user_id, text in missing:
            self._db.execute("UPDATE memories SET fts_rowid = ? WHERE id = ?", (self._index(tenant, user_id, text), id_))

    # -- writes ---------------------------------------------------------------------------

    def add(
        self, tenant: str, user_id: str, agent_id: str | None, text: str, embedding: np.ndarray, reason: str | None = None
    ) -> Memory:
        return self.add_many(tenant, user_id, agent_id, [text], [embedding], reason)[0]

    def add_many(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        texts: Sequence[str],
        embeddings: Sequence[np.ndarray] | np.ndarray,
        reason: str | None = None,
    ) -> list[Memory]:
        if len(texts) != len(embeddings):
            raise ValueError("one embedding per text is required")
        rows = [(check_text(t), check_embedding(e, self.dimension).tobytes()) for t, e in zip(texts, embeddings)]
        added: list[Memory] = []
        start = datetime.now(timezone.utc)
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for i, (text, blob) in enumerate(rows):
                # A microsecond apart, so listing them returns them in the order given.
                memory_id, now = uuid.uuid4().hex, utc_iso(start + timedelta(microseconds=i))
                self._db.execute(
                    f"INSERT INTO memories ({_COLUMNS}, tenant, embedding, fts_rowid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (memory_id, user_id, agent_id, text, now, now, tenant, blob, self._index(tenant, user_id, text)),
                )
                self._record(tenant, memory_id, "ADD", None, text, now, reason)
                added.append(_memory((memory_id, user_id, agent_id, text, now, now)))
        return added

    def update(
        self, tenant: str, memory_id: str, text: str, embedding: np.ndarray, reason: str | None = None
    ) -> Memory | None:
        text, blob = check_text(text), check_embedding(embedding, self.dimension).tobytes()
        now = _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._row(tenant, memory_id)
            if row is None:
                return None
            self._db.execute(
                "UPDATE memories SET text = ?, embedding = ?, updated_at = ? WHERE tenant = ? AND id = ?",
                (text, blob, now, tenant, memory_id),
            )
            self._db.execute("UPDATE memories_fts SET body = ? WHERE rowid = ?", (lexical_text(text), row[6]))
            self._record(tenant, memory_id, "UPDATE", row[3], text, now, reason)
        return _memory((row[0], row[1], row[2], text, row[4], now))

    def delete(self, tenant: str, memory_id: str) -> bool:
        now = _now()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._row(tenant, memory_id)
            if row is None:
                return False
            self._db.execute("DELETE FROM memories WHERE tenant = ? AND id = ?", (tenant, memory_id))
            self._db.execute("DELETE FROM memories_fts WHERE rowid = ?", (row[6],))
            # Deleting means forgetting: the history keeps that it happened, not what was said.
            self._db.execute("DELETE FROM memory_history WHERE tenant = ? AND memory_id = ?", (tenant, memory_id))
            self._record(tenant, memory_id, "DELETE", None, None, now, None)
            # FTS5 leaves a deleted row's words in its index segments until they merge:
            # merging them all now drops those words (and secure_delete zeroes the old pages).
            self._db.execute("INSERT INTO memories_fts (memories_fts) VALUES ('optimize')")
        with self._lock:
            # ...and the old pages must not linger in the write-ahead log either.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    # -- reads ----------------------------------------------------------------------------

    def get(self, tenant: str, memory_id: str) -> Memory | None:
        with self._lock:
            row = self._row(tenant, memory_id)
        return None if row is None else _memory(row)

    def embeddings(self, tenant: str, memory_ids: Sequence[str]) -> dict[str, np.ndarray]:
        ids = list(dict.fromkeys(memory_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(f"SELECT id, embedding FROM memories WHERE tenant = ? AND id IN ({marks})", (tenant, *ids)).fetchall()
        return {row[0]: np.frombuffer(row[1], dtype=np.float32).copy() for row in rows}

    def list(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        after: Cursor | None = None,
    ) -> list[Memory]:
        where, params = self._scope(tenant, user_id, agent_id)
        if after is not None:
            where += " AND (created_at, id) > (?, ?)"
            params += (utc_iso(after[0]), after[1])
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM memories WHERE {where} ORDER BY created_at, id LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
        return [_memory(row) for row in rows]

    def search_vector(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query_vector: np.ndarray,
        limit: int,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[tuple[Memory, float]]:
        query = check_embedding(query_vector, self.dimension)
        where, params = self._scope(tenant, user_id, agent_id, created_after, created_before)
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS}, embedding FROM memories WHERE {where}", params).fetchall()
        if not rows or limit < 1:
            return []
        matrix = np.frombuffer(b"".join(row[6] for row in rows), dtype=np.float32).reshape(len(rows), -1)
        norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)
        scores = matrix @ query / np.clip(norms, 1e-12, None)
        if limit < len(rows):
            top = np.argpartition(-scores, limit - 1)[:limit]
            best = top[np.argsort(-scores[top], kind="stable")]
        else:
            best = np.argsort(-scores, kind="stable")
        return [(_memory(rows[i]), float(scores[i])) for i in best]

    def search_text(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query: str,
        limit: int,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[tuple[Memory, float]]:
        terms = lexical_terms(query)
        if not terms or limit < 1:
            return []
        match = f'scope : "{_scope_word(tenant, user_id)}" AND body : ({" OR ".join(_quoted(t) for t in terms)})'
        where, params = self._scope(tenant, user_id, agent_id, created_after, created_before, prefix="m.")
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_M_COLUMNS}, {_BM25} FROM memories_fts JOIN memories m ON m.fts_rowid = memories_fts.rowid "
                f"WHERE memories_fts MATCH ? AND {where} ORDER BY {_BM25}, m.created_at, m.id LIMIT ?",
                (match, *params, limit),
            ).fetchall()
        # bm25() is lower-is-better; flipped so every store's scores read higher-is-better.
        return [(_memory(row), -float(row[6])) for row in rows]

    def history(self, tenant: str, memory_id: str) -> list[HistoryEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT memory_id, event, before, after, at, reason FROM memory_history "
                "WHERE tenant = ? AND memory_id = ? ORDER BY seq",
                (tenant, memory_id),
            ).fetchall()
        return [HistoryEntry(m, e, b, a, datetime.fromisoformat(at), r) for m, e, b, a, at, r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- plumbing -------------------------------------------------------------------------

    def _row(self, tenant: str, memory_id: str) -> tuple | None:
        return self._db.execute(
            f"SELECT {_COLUMNS}, fts_rowid FROM memories WHERE tenant = ? AND id = ?", (tenant, memory_id)
        ).fetchone()

    def _index(self, tenant: str, user_id: str, text: str) -> int:
        """Index the text for lexical search; the FTS rowid that the memory row keeps."""
        cursor = self._db.execute(
            "INSERT INTO memories_fts (scope, body) VALUES (?, ?)", (_scope_word(tenant, user_id), lexical_text(text))
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _record(
        self,
        tenant: str,
        memory_id: str,
        event: HistoryEvent,
        before: str | None,
        after: str | None,
        at: str,
        reason: str | None,
    ) -> None:
        self._db.execute(
            "INSERT INTO memory_history (tenant, memory_id, event, before, after, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (tenant, memory_id, event, before, after, at, reason),
        )

    @staticmethod
    def _scope(
        tenant: str,
        user_id: str,
        agent_id: str | None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        prefix: str = "",
    ) -> tuple[str, tuple[str, ...]]:
        """The WHERE clause of one user's memories. `agent_id=None` means every agent's."""
        clauses, params = [f"{prefix}tenant = ?", f"{prefix}user_id = ?"], [tenant, user_id]
        for clause, value in (
            (f"{prefix}agent_id = ?", agent_id),
            (f"{prefix}created_at >= ?", None if created_after is None else utc_iso(created_after)),
            (f"{prefix}created_at < ?", None if created_before is None else utc_iso(created_before)),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return " AND ".join(clauses), tuple(params)


def _quoted(term: str) -> str:
    """An FTS5 string literal: the term as one phrase, never as query syntax."""
    return '"' + term.replace('"', '""') + '"'
