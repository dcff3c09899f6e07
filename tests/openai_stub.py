"""A real OpenAI-compatible `/v1/chat/completions` server for tests, scripted from the test.

Tests that exercise an LLM path talk real HTTP to this server instead of patching the client:

    stub.reply({"operations": [...]})        # a chat completion whose content is that JSON
    stub.reply("not json", delay_s=0.2)      # any content string, answered after a delay
    stub.fail(429, headers={"Retry-After": "0"})
    stub.requests[-1]["response_format"]     # what the client sent (parsed JSON bodies)
    stub.headers[-1]["authorization"]

Replies are served in the order queued. When the queue is empty, `respond(body)` answers if
the stub has one (for replies computed from the request), otherwise the server answers 500
with error type `stub_exhausted`, so a test that expected fewer calls fails loudly.
The `openai_stub` fixture in conftest.py gives each test a fresh server.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a chat completion with `content`, or `status` with an error body.

    `body` replaces the whole response body (for responses that are not chat completions).
    """

    content: str | None = None
    status: int = 200
    delay_s: float = 0.0
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


def completion(content: str | None, model: str = "stub-model") -> dict[str, Any]:
    """A chat completion response body carrying `content` as the assistant's message."""
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


Responder = Callable[[dict[str, Any]], "Reply | str | dict[str, Any] | list[Any]"]


class OpenAIStub:
    """Serves scripted replies on 127.0.0.1 (a free port) from a background thread."""

    def __init__(self, respond: Responder | None = None) -> None:
        self.respond = respond
        #: JSON body of every chat completions request received, in arrival order.
        self.requests: list[dict[str, Any]] = []
        #: Headers (lower-cased names) of every chat completions request received.
        self.headers: list[dict[str, str]] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as its base URL (ends in `/v1`)."""
        if self._server is None:
            raise RuntimeError("the stub is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def pending(self) -> int:
        """Scripted replies not served yet."""
        with self._lock:
            return len(self._queue)

    def reply(self, content: str | dict[str, Any] | list[Any] | None, *, delay_s: float = 0.0) -> None:
        """Queue a chat completion; a dict or list is sent as its JSON text."""
        text = content if content is None or isinstance(content, str) else json.dumps(content)
        self.enqueue(Reply(content=text, delay_s=delay_s))

    def fail(self, status: int, *, delay_s: float = 0.0, headers: Mapping[str, str] | None = None) -> None:
        """Queue an error answer with an OpenAI-style error body."""
        body = json.dumps({"error": {"message": "scripted failure", "type": "stub_error", "code": "stub_error"}})
        self.enqueue(Reply(status=status, delay_s=delay_s, headers=dict(headers or {}), body=body.encode()))

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Forget queued replies and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.headers.clear()

    def start(self) -> OpenAIStub:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes replies still sleeping out their delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            scripted = self._queue.popleft() if self._queue else None
        if scripted is not None:
            return scripted
        if self.respond is None:
            error = {"error": {"message": "no scripted reply left", "type": "stub_exhausted"}}
            return Reply(status=500, body=json.dumps(error).encode())
        answer = self.respond(body)
        if isinstance(answer, Reply):
            return answer
        return Reply(content=answer if isinstance(answer, str) else json.dumps(answer))


def _handler(stub: OpenAIStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, b'{"error": {"message": "not found", "type": "invalid_request_error"}}')
                return
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, b'{"error": {"message": "invalid JSON", "type": "invalid_request_error"}}')
                return
            reply = stub._next(body, {k.lower(): v for k, v in self.headers.items()})
            if reply.delay_s and stub._stopping.wait(reply.delay_s):
                return
            data = reply.body
            if data is None:
                data = json.dumps(completion(reply.content, body.get("model", ""))).encode()
            self._send(reply.status, data, reply.headers)

        def _send(self, status: int, data: bytes, headers: Mapping[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                self.close_connection = True  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler
