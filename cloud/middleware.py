"""Pure ASGI middleware: body size limit, protocol version header, error boundary, access log.

They sit outside FastAPI's routing so a request refused here never reaches a route (and
never changes stored data), and they never look inside a body beyond counting its bytes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from memveil.shared.wire import PROTOCOL_HEADER, PROTOCOL_VERSION

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PROTOCOL_HEADER = PROTOCOL_HEADER.lower().encode("latin-1")
access_log = logging.getLogger("memveil.cloud.access")
error_log = logging.getLogger("memveil.cloud")


async def send_error(send: Send, status: int, code: str, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """Send an `ErrorResponse` body straight from middleware."""
    body = json.dumps({"error": code, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


class BodyLimitMiddleware:
    """413 for a body over the limit, announced (Content-Length) or streamed (chunked).

    The body is read here, at most `max_body_bytes` of it, and handed on whole: a route never
    starts on a request that is later found too large. The excess of a refused body is read
    and dropped (up to `drain_bytes`) before answering, because closing a socket with unread
    data resets it and the client would see a broken connection instead of the 413.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, drain_bytes: int = 16 * 1024 * 1024) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.drain_bytes = drain_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and not declared.isdigit():
            await send_error(send, 400, "bad_request", "the Content-Length header is not a number")
            return
        if declared is not None and int(declared) > self.max_body_bytes:
            await self._refuse(receive, send, drain=int(declared) <= self.drain_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._refuse(receive, send, drain=message.get("more_body", False), read=size)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, receive: Receive, send: Send, *, drain: bool, read: int = 0) -> None:
        while drain and read <= self.drain_bytes:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            read += len(message.get("body", b""))
            drain = message.get("more_body", False)
        detail = f"the request body is larger than the limit of {self.max_body_bytes} bytes"
        await send_error(send, 413, "payload_too_large", detail, ((b"connection", b"close"),))


class ProtocolMiddleware:
    """Tags every response with the protocol version; refuses clients of another major version."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (_PROTOCOL_HEADER, PROTOCOL_VERSION.encode())]
            await send(message)

        sent = _header(scope, _PROTOCOL_HEADER)
        if sent is not None and sent.decode("latin-1").strip().split(".")[0] != PROTOCOL_VERSION.split(".")[0]:
            detail = (
                f"this server speaks memveil protocol {PROTOCOL_VERSION}; the client sent another major "
                f"version in {PROTOCOL_HEADER} (upgrade the client or the server so they match)"
            )
            await send_error(tagged, 400, "protocol_mismatch", detail)
            return
        await self.app(scope, receive, tagged)


class InternalErrorMiddleware:
    """A 500 `ErrorResponse` for any exception, logged by type only.

    An exception's message can carry request data (a pydantic error quotes its input), and
    the server would print it with the traceback, so it stops here instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            error_log.error("unhandled %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not started:
                await send_error(send, 500, "internal_error", "the server failed to handle the request")


class AccessLogMiddleware:
    """One INFO line per request: method, path, status, time. No query string, no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed)
