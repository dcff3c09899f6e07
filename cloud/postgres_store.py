"""`PostgresStore`: the `MemoryStore` protocol on PostgreSQL + pgvector, for a shared service.

Vectors live in a `vector(384)` column under an HNSW index (cosine), text in a `tsvector`
under GIN. Scoping is the SQLite store's: every statement names the tenant, so another
tenant's memory reads exactly like a missing one. Connections come from a psycopg_pool pool,
each set to UTC and to the configured `hnsw.ef_search`, with iterative index scans so that a
filtered search (one user among many) still fills its `limit`.

A delete removes the row and the memory's history, keeping only a DELETE entry. PostgreSQL
(MVCC) leaves the dead row on disk until autovacuum reclaims it, and its write-ahead log
holds it until recycled: forgetting at the storage level needs encrypted volumes and a WAL
retention policy, which are the operator's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from memveil.cloud.lexical import lexical_terms, lexical_text
from memveil.cloud.store import DIMENSION, Cursor, HistoryEntry, check_embedding, check_text
from memveil.shared.wire import Memory

#: Text search configuration: English stemming and stop words, like FTS5's porter tokenizer.
TEXT_CONFIG = "english"
#: The HNSW index's name, for tools that rebuild it (bench/cloud.py).
VECTOR_INDEX = "memories_embedding"

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_COLUMNS = "id, user_id, agent_id, text, created_at, updated_at"
# One lock id for "creating memveil's tables", so two processes starting at once do not race.
_DDL_LOCK = 0x6D656D7665696C


def _schema_sql(dimension: int, m: int, ef_construction: int) -> list[sql.Composable]:
    return [
        sql.SQL(
            """CREATE TABLE IF NOT EXISTS memories (
                id text PRIMARY KEY,
                tenant text NOT NULL,
                user_id text NOT NULL,
                agent_id text,
                text text NOT NULL,
                lexical tsvector NOT NULL,
                embedding vector({dimension}) NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            )"""
        ).format(dimension=sql.Literal(dimension)),
        sql.SQL("CREATE INDEX IF NOT EXISTS memories_by_user ON memories (tenant, user_id, created_at, id)"),
        sql.SQL("CREATE INDEX IF NOT EXISTS memories_lexical ON memories USING gin (lexical)"),
        sql.SQL(
            "CREATE INDEX IF NOT EXISTS {index} ON memories USING hnsw (embedding vector_cosine_ops) "
            "WITH (m = {m}, ef_construction = {ef})"
        ).format(index=sql.Identifier(VECTOR_INDEX), m=sql.Literal(m), ef=sql.Literal(ef_construction)),
        sql.SQL(
            """CREATE TABLE IF NOT EXISTS memory_history (
                seq bigserial PRIMARY KEY,
                tenant text NOT NULL,
                memory_id text NOT NULL,
                event text NOT NULL,
                before text,
                after text,
                reason text,
                at timestamptz NOT NULL
            )"""
        ),
        sql.SQL("CREATE INDEX IF NOT EXISTS history_by_memory ON memory_history (tenant, memory_id, seq)"),
    ]


def _memory(row: Sequence[Any]) -> Memory:
    id_, user_id, agent_id, text, created_at, updated_at = row[:6]
    return Memory(
        id=id_,
        user_id=user_id,
        agent_id=agent_id,
        text=text,
        created_at=created_at.astimezone(timezone.utc),
        updated_at=updated_at.astimezone(timezone.utc),
    )


class PostgresStore:
    """`MemoryStore` on PostgreSQL + pgvector. `schema` confines the tables to one schema
    (created if missing); by default they go where the connection's search_path says.

    The HNSW defaults (m 16, ef_construction 64, ef_search 400) reach recall@10 0.98 at
    p50 18 ms for one user with a million memories (`bench/cloud.py`, low-rank vectors)."""

    def __init__(
        self,
        dsn: str,
        *,
        schema: str | None = None,
        dimension: int = DIMENSION,
        pool_size: int = 10,
        ef_search: int = 400,
        hnsw_m: int = 16,
        hnsw_ef_construction: int = 64,
    ) -> None:
        if schema is not None and not _SCHEMA_NAME.match(schema):
            raise ValueError("a schema name is lower-case letters, digits and underscores")
        self.dimension = dimension
        self.ef_search = ef_search
        # Options of the DSN itself (a search_path, say) are kept; ours come after and win.
        own = "-c TimeZone=UTC" + (f" -c search_path={schema},public" if schema else "")
        options = " ".join(filter(None, [conninfo_to_dict(dsn).get("options"), own]))
        self._bootstrap(dsn, options, schema, hnsw_m, hnsw_ef_construction)
        self._pool = ConnectionPool(
            dsn,
            min_size=1,
            max_size=pool_size,
            kwargs={"options": options},
            configure=self._configure,
            open=False,
            name="memveil",
        )
        try:
            self._pool.open(wait=True, timeout=30)
        except BaseException:
            self._pool.close()  # or its threads keep trying to connect
            raise

    def _bootstrap(self, dsn: str, options: str, schema: str | None, m: int, ef_construction: int) -> None:
        """The extension, the schema and the tables, once, under a lock."""
        with psycopg.connect(dsn, autocommit=True) as conn:
            installed = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
            if installed is None:
                try:
                    conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                except psycopg.errors.InsufficientPrivilege:
                    raise RuntimeError(
                        "the pgvector extension is not installed in this database and this role may not "
                        "install it: run CREATE EXTENSION vector as a superuser"
                    ) from None
            elif tuple(int(part) for part in installed[0].split(".")[:2]) < (0, 8):
                # Iterative index scans (filtered searches that still fill their limit) came in 0.8.
                raise RuntimeError(f"pgvector 0.8 or later is required, this database has {installed[0]}")
        with psycopg.connect(dsn, options=options) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK,))
            if schema is not None:
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            for statement in _schema_sql(self.dimension, m, ef_construction):
                conn.execute(statement)

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        register_vector(conn)
        conn.execute(sql.SQL("SET hnsw.ef_search = {}").format(sql.Literal(self.ef_search)))
        conn.execute("SET hnsw.iterative_scan = relaxed_order")
        conn.commit()

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
        checked = [(check_text(t), check_embedding(e, self.dimension)) for t, e in zip(texts, embeddings)]
        start = datetime.now(timezone.utc)
        # A microsecond apart, so listing them returns them in the order given.
        rows = [(uuid.uuid4().hex, text, vector, start + timedelta(microseconds=i)) for i, (text, vector) in enumerate(checked)]
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO memories (id, tenant, user_id, agent_id, text, lexical, embedding, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, to_tsvector(%s::regconfig, %s), %s, %s, %s)",
                [
                    (id_, tenant, user_id, agent_id, text, TEXT_CONFIG, lexical_text(text), vector, at, at)
                    for id_, text, vector, at in rows
                ],
            )
            cur.executemany(
                "INSERT INTO memory_history (tenant, memory_id, event, before, after, reason, at) "
                "VALUES (%s, %s, 'ADD', NULL, %s, %s, %s)",
                [(tenant, id_, text, reason, at) for id_, text, _, at in rows],
            )
        return [
            Memory(id=id_, user_id=user_id, agent_id=agent_id, text=text, created_at=at, updated_at=at)
            for id_, text, _, at in rows
        ]

    def update(
        self, tenant: str, memory_id: str, text: str, embedding: np.ndarray, reason: str | None = None
    ) -> Memory | None:
        text, vector = check_text(text), check_embedding(embedding, self.dimension)
        now = datetime.now(timezone.utc)
        with self._pool.connection() as conn, conn.transaction():
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM memories WHERE tenant = %s AND id = %s FOR UPDATE", (tenant, memory_id)
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE memories SET text = %s, lexical = to_tsvector(%s::regconfig, %s), embedding = %s, updated_at = %s "
                "WHERE tenant = %s AND id = %s",
                (text, TEXT_CONFIG, lexical_text(text), vector, now, tenant, memory_id),
            )
            self._record(conn, tenant, memory_id, "UPDATE", row[3], text, reason, now)
        return _memory((row[0], row[1], row[2], text, row[4], now))

    def delete(self, tenant: str, memory_id: str) -> bool:
        with self._pool.connection() as conn, conn.transaction():
            gone = conn.execute("DELETE FROM memories WHERE tenant = %s AND id = %s", (tenant, memory_id)).rowcount
            if not gone:
                return False
            # Deleting means forgetting: the history keeps that it happened, not what was said.
            conn.execute("DELETE FROM memory_history WHERE tenant = %s AND memory_id = %s", (tenant, memory_id))
            self._record(conn, tenant, memory_id, "DELETE", None, None, None, datetime.now(timezone.utc))
        return True

    # -- reads ----------------------------------------------------------------------------

    def get(self, tenant: str, memory_id: str) -> Memory | None:
        with self._pool.connection() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM memories WHERE tenant = %s AND id = %s", (tenant, memory_id)).fetchone()
        return None if row is None else _memory(row)

    def embeddings(self, tenant: str, memory_ids: Sequence[str]) -> dict[str, np.ndarray]:
        ids = list(dict.fromkeys(memory_ids))
        if not ids:
            return {}
        with self._pool.connection() as conn:
            rows = conn.execute("SELECT id, embedding FROM memories WHERE tenant = %s AND id = ANY(%s)", (tenant, ids)).fetchall()
        # pgvector hands back its Vector type (a numpy array in older releases).
        return {row[0]: np.asarray(getattr(row[1], "to_numpy", lambda: row[1])(), dtype=np.float32) for row in rows}

    def list(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        after: Cursor | None = None,
    ) -> list[Memory]:
        where, params = _scope(tenant, user_id, agent_id)
        if after is not None:
            where += " AND (created_at, id) > (%s, %s)"
            params += (_aware(after[0]), after[1])
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM memories WHERE {where} ORDER BY created_at, id LIMIT %s OFFSET %s",
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
        if limit < 1:
            return []
        where, params = _scope(tenant, user_id, agent_id, created_after, created_before)
        # Iterative scans return hits in roughly distance order; the outer ORDER BY makes it exact.
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"WITH hits AS MATERIALIZED (SELECT {_COLUMNS}, embedding <=> %s AS distance FROM memories "
                f"WHERE {where} ORDER BY distance LIMIT %s) "
                f"SELECT {_COLUMNS}, 1 - distance FROM hits ORDER BY distance, id",
                (query, *params, limit),
            ).fetchall()
        return [(_memory(row), float(row[6])) for row in rows]

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
        where, params = _scope(tenant, user_id, agent_id, created_after, created_before)
        # websearch syntax never fails to parse; each term quoted stays a term, never an operator.
        tsquery = " or ".join(f'"{term}"' for term in terms)
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, ts_rank(lexical, q, 1) AS score "
                f"FROM memories, websearch_to_tsquery(%s::regconfig, %s) AS q "
                f"WHERE lexical @@ q AND {where} ORDER BY score DESC, created_at, id LIMIT %s",
                (TEXT_CONFIG, tsquery, *params, limit),
            ).fetchall()
        return [(_memory(row), float(row[6])) for row in rows]

    def history(self, tenant: str, memory_id: str) -> list[HistoryEntry]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT memory_id, event, before, after, at, reason FROM memory_history "
                "WHERE tenant = %s AND memory_id = %s ORDER BY seq",
                (tenant, memory_id),
            ).fetchall()
        return [HistoryEntry(m, e, b, a, at.astimezone(timezone.utc), r) for m, e, b, a, at, r in rows]

    def close(self) -> None:
        self._pool.close()

    # -- plumbing -------------------------------------------------------------------------

    @staticmethod
    def _record(
        conn: psycopg.Connection[Any],
        tenant: str,
        memory_id: str,
        event: str,
        before: str | None,
        after: str | None,
        reason: str | None,
        at: datetime,
    ) -> None:
        conn.execute(
            "INSERT INTO memory_history (tenant, memory_id, event, before, after, reason, at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (tenant, memory_id, event, before, after, reason, at),
        )


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a timezone")
    return moment


def _scope(
    tenant: str,
    user_id: str,
    agent_id: str | None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause of one user's memories. `agent_id=None` means every agent's."""
    clauses, params = ["tenant = %s", "user_id = %s"], [tenant, user_id]
    for clause, value in (
        ("agent_id = %s", agent_id),
        ("created_at >= %s", None if created_after is None else _aware(created_after)),
        ("created_at < %s", None if created_before is None else _aware(created_before)),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return " AND ".join(clauses), tuple(params)
