"""Lesson memory: what consensus validation caught, kept apart from the user's memories.

A-MemGuard's second half. Once a poisoned record has steered the agent, the outcome tends
to be stored as precedent and the next attack finds the way paved. Every flagged record is
distilled into a `Lesson` (the query that surfaced it, its divergent path, what the related
memories agreed on, the reason) in a store of its own, so that:

- lessons close to a new query (embedding similarity) are returned with its results, for
  the agent to consult before it answers;
- formation refuses to write a memory whose text is a flagged record, exactly, as a part of
  one (formation splits a record into sentences), with one of its sentences inside, or as a
  near-duplicate by embedding: a flagged record can never come back as precedent.

The store is its own SQLite file, scoped by tenant and user like the memory store: one
user's lessons quote that user's (placeholdered) memories and are never shown to another.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from memveil.cloud.consensus import ConsensusReport, TextEmbedder
from memveil.cloud.instructions import sentences
from memveil.shared.wire import Memory

#: Cosine at or above which a text counts as a near-duplicate of a flagged record.
NEAR_DUPLICATE = 0.9
#: Cosine at or above which a lesson counts as relevant to a query.
RELEVANT = 0.45
#: Shortest text (characters, spacing collapsed) checked for being part of a flagged record.
MIN_PART = 12

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lessons (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    user_id TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    context TEXT NOT NULL,
    record TEXT NOT NULL,
    record_digest TEXT NOT NULL,
    path TEXT NOT NULL,
    consensus TEXT NOT NULL,
    context_vector BLOB NOT NULL,
    record_vector BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tenant, user_id, record_digest)
);
CREATE INDEX IF NOT EXISTS lessons_by_user ON lessons (tenant, user_id)
"""
_COLUMNS = "id, user_id, code, reason, context, record, path, consensus, created_at"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Lesson:
    """One flagged case: the record, why, and the query and consensus it was caught in."""

    id: str
    user_id: str
    code: str
    reason: str
    context: str
    record: str
    path: str
    consensus: str
    created_at: datetime


def canonical(text: str) -> str:
    """Case and spacing do not make a new record."""
    return _SPACE.sub(" ", text).strip().casefold()


def digest(text: str) -> str:
    """The identity of a record's text."""
    return hashlib.blake2b(canonical(text).encode("utf-8"), digest_size=16, person=b"memveil-lesson").hexdigest()


def _lesson(row: tuple) -> Lesson:
    id_, user_id, code, reason, context, record, path, consensus, created_at = row[:9]
    return Lesson(id_, user_id, code, reason, context, record, path, consensus, datetime.fromisoformat(created_at))


class LessonStore:
    """Lessons in one SQLite file (WAL), one connection serialised by a lock."""

    def __init__(
        self, path: Path | str, embedder: TextEmbedder | None = None, *, near_duplicate: float = NEAR_DUPLICATE
    ) -> None:
        self._embedder = embedder
        self.near_duplicate = near_duplicate
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA secure_delete=ON")
        with self._lock:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)

    @property
    def embedder(self) -> TextEmbedder:
        if self._embedder is None:
            from memveil.cloud.embedder import shared_embedder

            self._embedder = shared_embedder()
        return self._embedder

    def learn(
        self,
        tenant: str,
        user_id: str,
        report: ConsensusReport,
        memories: Sequence[Memory],
        query_vector: np.ndarray | None = None,
    ) -> list[Lesson]:
        """A lesson for each flagged memory not learned before; the new lessons."""
        texts = {m.id: m.text for m in memories}
        fresh = [f for f in report.flags if f.memory_id in texts]
        if not fresh:
            return []
        digests = {f.memory_id: digest(texts[f.memory_id]) for f in fresh}
        with self._lock:
            known = self._known(tenant, user_id, list(digests.values()))
        fresh = [f for f in fresh if digests[f.memory_id] not in known]
        fresh = list({digests[f.memory_id]: f for f in fresh}.values())  # one lesson per record text
        if not fresh:
            return []
        records = self.embedder.embed([texts[f.memory_id] for f in fresh])
        context = self.embedder.embed([report.query])[0] if query_vector is None else np.asarray(query_vector, np.float32)
        consensus = report.consensus_text()
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        learned: list[Lesson] = []
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for flag, vector in zip(fresh, records):
                path = report.path(flag.memory_id)
                row = (
                    uuid.uuid4().hex, user_id, flag.code, flag.reason, report.query, texts[flag.memory_id],
                    path.render() if path else "", consensus, now,
                )
                cursor = self._db.execute(
                    f"INSERT OR IGNORE INTO lessons ({_COLUMNS}, tenant, record_digest, context_vector, record_vector) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*row, tenant, digests[flag.memory_id], context.astype(np.float32).tobytes(), np.asarray(vector, np.float32).tobytes()),
                )
                if cursor.rowcount:
                    learned.append(_lesson(row))
        return learned

    def relevant(self, tenant: str, user_id: str, query_vector: np.ndarray, limit: int = 3, threshold: float = RELEVANT) -> list[Lesson]:
        """The user's lessons whose context or record is close to the query, closest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS}, context_vector, record_vector FROM lessons WHERE tenant = ? AND user_id = ?",
                (tenant, user_id),
            ).fetchall()
        if not rows or limit < 1:
            return []
        query = np.asarray(query_vector, np.float32)
        contexts = np.frombuffer(b"".join(r[9] for r in rows), np.float32).reshape(len(rows), -1)
        records = np.frombuffer(b"".join(r[10] for r in rows), np.float32).reshape(len(rows), -1)
        scores = np.maximum(contexts @ query, records @ query)
        best = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= threshold][:limit]
        return [_lesson(rows[i]) for i in best]

    def matching(self, tenant: str, user_id: str, text: str, vector: np.ndarray | None = None) -> Lesson | None:
        """The lesson whose record this text repeats: the same text, a part of it, or (given
        its vector) a near-duplicate. None when the text was never flagged."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM lessons WHERE tenant = ? AND user_id = ? AND record_digest = ?",
                (tenant, user_id, digest(text)),
            ).fetchone()
            if row is not None:
                return _lesson(row)
            rows = self._db.execute(
                f"SELECT {_COLUMNS}, record_vector FROM lessons WHERE tenant = ? AND user_id = ?", (tenant, user_id)
            ).fetchall()
        # Formation splits a record into sentences and may reword around them: a text that is
        # part of a flagged record, or holds a whole sentence of one, repeats it.
        part = canonical(text)
        for row in rows:
            record = canonical(row[5])
            if len(part) >= MIN_PART and part in record:
                return _lesson(row)
            if any(len(s) >= MIN_PART and s in part for s in map(canonical, sentences(row[5]))):
                return _lesson(row)
        if not rows or vector is None:
            return None
        records = np.frombuffer(b"".join(r[9] for r in rows), np.float32).reshape(len(rows), -1)
        scores = records @ np.asarray(vector, np.float32)
        best = int(np.argmax(scores))
        return _lesson(rows[best]) if scores[best] >= self.near_duplicate else None

    def flagged(self, tenant: str, user_id: str, texts: Sequence[str]) -> set[str]:
        """Which of these texts are flagged records (exact match): one query for all."""
        by_digest = {digest(t): t for t in texts}
        with self._lock:
            known = self._known(tenant, user_id, list(by_digest))
        return {by_digest[d] for d in known}

    def has(self, tenant: str, user_id: str) -> bool:
        """Whether the user has any lesson (so a search need not embed its query for them)."""
        with self._lock:
            row = self._db.execute("SELECT 1 FROM lessons WHERE tenant = ? AND user_id = ? LIMIT 1", (tenant, user_id)).fetchone()
        return row is not None

    def list(self, tenant: str, user_id: str) -> list[Lesson]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM lessons WHERE tenant = ? AND user_id = ? ORDER BY created_at, id", (tenant, user_id)
            ).fetchall()
        return [_lesson(r) for r in rows]

    def forget(self, tenant: str, user_id: str) -> int:
        """Delete every lesson of a user (when the user is erased); how many there were."""
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM lessons WHERE tenant = ? AND user_id = ?", (tenant, user_id))
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _known(self, tenant: str, user_id: str, digests: list[str]) -> set[str]:
        if not digests:
            return set()
        marks = ", ".join("?" * len(digests))
        rows = self._db.execute(
            f"SELECT record_digest FROM lessons WHERE tenant = ? AND user_id = ? AND record_digest IN ({marks})",
            (tenant, user_id, *digests),
        ).fetchall()
        return {r[0] for r in rows}
