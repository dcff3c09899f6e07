"""Shared fixtures: the real memory service on loopback, with two tenants and a wiretap.

`cloud_server` runs `memveil.cloud.app.create_app` under uvicorn in a background thread
(`memveil.cloud.server.BackgroundServer`), so tests speak real HTTP to it. Every request the
server receives is recorded (body, and path with query string) by an ASGI layer added only
here, so end-to-end tests can assert that no private value ever reached the cloud.
It keeps memories in SQLite unless parametrized indirectly with "postgres".

PostgreSQL tests use the database named by MEMVEIL_TEST_POSTGRES_DSN (`bash .ci/postgres.sh`
sets one up and prints it), each in a fresh schema dropped afterwards. Without the variable
they skip, except under CI (CI set), where they fail: CI must never skip them silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class CloudServer:
    """A running memory service. `key_a` and `key_b` act for two different tenants."""

    base_url: str
    data_dir: Path
    key_a: str
    key_b: str
    tenant_a: str = "tenant-a"
    tenant_b: str = "tenant-b"
    #: Raw body of every HTTP request received, in arrival order (b"" for bodiless requests).
    received_bodies: list[bytes] = field(default_factory=list)
    #: Path and query string (`/v1/memories?user_id=...`) of every HTTP request received.
    received_targets: list[str] = field(default_factory=list)
    #: Where memories are kept: "sqlite" (in data_dir), or "postgres" (in `postgres`: dsn, schema).
    backend: str = "sqlite"
    postgres: tuple[str, str] | None = None

    def snapshot(self) -> list[tuple[Any, ...]]:
        """Every stored memory and history row, read straight from the backend."""
        memories = "SELECT id, tenant, user_id, agent_id, text, embedding, updated_at FROM memories ORDER BY id"
        history = "SELECT * FROM memory_history ORDER BY seq"
        if self.postgres is not None:
            import psycopg

            dsn, schema = self.postgres
            with psycopg.connect(dsn, options=f"-c search_path={schema},public") as db:
                return db.execute(memories.replace("embedding", "embedding::text")).fetchall() + db.execute(history).fetchall()
        import sqlite3

        db = sqlite3.connect(f"file:{self.data_dir / 'memories.sqlite3'}?mode=ro", uri=True)
        try:
            return db.execute(memories).fetchall() + db.execute(history).fetchall()
        finally:
            db.close()

    def headers(self, key: str | None = None) -> dict[str, str]:
        """Authorization (tenant A by default) and protocol headers for a direct httpx call."""
        from memveil.shared.wire import PROTOCOL_HEADER, PROTOCOL_VERSION

        return {"Authorization": f"Bearer {key or self.key_a}", PROTOCOL_HEADER: PROTOCOL_VERSION}


class _Wiretap:
    """Records each request's target and whole body, then passes it on unchanged."""

    def __init__(self, app: Any, bodies: list[bytes], targets: list[str]) -> None:
        self.app, self.bodies, self.targets = app, bodies, targets

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        self.targets.append(scope["path"] + (f"?{query}" if query else ""))
        chunks: list[bytes] = []
        index = len(self.bodies)
        self.bodies.append(b"")

        async def tapped() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                self.bodies[index] = b"".join(chunks)
            return message

        await self.app(scope, tapped, send)


def postgres_dsn() -> str:
    """MEMVEIL_TEST_POSTGRES_DSN; skips the test without it, or fails it under CI."""
    dsn = os.environ.get("MEMVEIL_TEST_POSTGRES_DSN")
    if not dsn:
        if os.environ.get("CI"):
            pytest.fail("MEMVEIL_TEST_POSTGRES_DSN is not set: under CI the PostgreSQL tests must run (.ci/run sets it)")
        pytest.skip("PostgreSQL backend: set MEMVEIL_TEST_POSTGRES_DSN (bash .ci/postgres.sh sets a server up and prints one)")
    return dsn


@contextmanager
def postgres_schema() -> Iterator[tuple[str, str]]:
    """(dsn, a fresh schema name) in the test database; the schema is dropped afterwards."""
    import psycopg

    dsn, schema = postgres_dsn(), f"test_{uuid.uuid4().hex[:12]}"
    try:
        yield dsn, schema
    finally:
        with psycopg.connect(dsn, autocommit=True) as db:
            db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def fresh_postgres_schema() -> Iterator[tuple[str, str]]:
    with postgres_schema() as where:
        yield where


@pytest.fixture(scope="module")
def cloud_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudServer]:
    from memveil.cloud.app import create_app
    from memveil.cloud.auth import KeyStore, keys_path
    from memveil.cloud.server import BackgroundServer

    data_dir = tmp_path_factory.mktemp("cloud")
    keys = KeyStore(keys_path(data_dir))
    key_a, _ = keys.create("tenant-a")
    key_b, _ = keys.create("tenant-b")
    keys.close()

    bodies: list[bytes] = []
    targets: list[str] = []
    backend = getattr(request, "param", "sqlite")
    with ExitStack() as stack:
        where, store = None, None
        if backend == "postgres":
            from memveil.cloud.postgres_store import PostgresStore

            where = stack.enter_context(postgres_schema())
            store = PostgresStore(where[0], schema=where[1], pool_size=4)
        background = stack.enter_context(BackgroundServer(_Wiretap(create_app(data_dir, store=store), bodies, targets)))
        yield CloudServer(
            base_url=background.base_url,
            data_dir=data_dir,
            key_a=key_a,
            key_b=key_b,
            received_bodies=bodies,
            received_targets=targets,
            backend=backend,
            postgres=where,
        )


@pytest.fixture
def openai_stub() -> Iterator[Any]:
    """A fresh scripted OpenAI-compatible server on loopback: `tests/openai_stub.py`."""
    from openai_stub import OpenAIStub

    with OpenAIStub() as stub:
        yield stub
