"""Shared fixtures: the real memory service on loopback, with two tenants and a wiretap.

`cloud_server` runs `memveil.cloud.app.create_app` under uvicorn in a background thread
(`memveil.cloud.server.BackgroundServer`), so tests speak real HTTP to it. Every request the
server receives is recorded (body, and path with query string) by an ASGI layer added only
here, so end-to-end tests can assert that no private value ever reached the cloud.
"""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def cloud_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudServer]:
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
    with BackgroundServer(_Wiretap(create_app(data_dir), bodies, targets)) as background:
        yield CloudServer(
            base_url=background.base_url,
            data_dir=data_dir,
            key_a=key_a,
            key_b=key_b,
            received_bodies=bodies,
            received_targets=targets,
        )


@pytest.fixture
def openai_stub() -> Iterator[Any]:
    """A fresh scripted OpenAI-compatible server on loopback: `tests/openai_stub.py`."""
    from openai_stub import OpenAIStub

    with OpenAIStub() as stub:
        yield stub
