"""The HTTP API of the memory service: `create_app(data_dir)` -> FastAPI.

Bodies are the models of `memveil.shared.wire`. Requests are checked in the order that
leaks least: size and protocol (middleware), then the API key, then the body, so a caller
without a key learns nothing about what a valid body looks like. Every error body is an
`ErrorResponse`, and no error message repeats a value the client sent.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from memveil.cloud.auth import KeyStore, keys_path
from memveil.cloud.batcher import Overloaded
from memveil.cloud.embedder import Embedder, shared_embedder
from memveil.cloud.engine import MemoryEngine, SimpleEngine
from memveil.cloud.guard import MemoryGuard, service_guard
from memveil.cloud.llm import LLMError
from memveil.cloud.memory import MemoryService
from memveil.cloud.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    InternalErrorMiddleware,
    ProtocolMiddleware,
)
from memveil.cloud.store import MemoryStore, SQLiteStore
from memveil.cloud.workers.worker import Worker
from memveil.shared import __version__
from memveil.shared.wire import (
    MAX_EXPORT_LIMIT,
    MAX_LIMIT,
    NEXT_CURSOR_HEADER,
    PROTOCOL_VERSION,
    AddMemoriesRequest,
    AddMemoriesResponse,
    BulkAddRequest,
    BulkAddResponse,
    DeleteResponse,
    ErrorResponse,
    Health,
    MemoryList,
    GuardFlag,
    GuardLesson,
    SearchRequest,
    SearchResponse,
)

_Body = TypeVar("_Body", bound=BaseModel)

logger = logging.getLogger("memveil.cloud")

_IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]*$"
_CODES = {404: "not_found", 405: "method_not_allowed"}
# FastAPI >= 0.130 exports OpenTelemetry data (validation failures included) when a global provider
# is configured; a service that holds people's memories opts out.
_NO_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False, "auto_configure": False}


class ApiError(Exception):
    """An error the API answers with an `ErrorResponse`."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers


def _error(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=code, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def describe_errors(errors: Sequence[Any]) -> str:
    """Pydantic errors as one readable sentence: where and what, never the value sent.

    Locations start with where the value came from: `body`, `query` or `path`.
    """
    parts: list[str] = []
    for error in errors[:5]:
        source, *loc = error.get("loc", ()) or ("body",)
        if error.get("type") == "extra_forbidden":
            # The last part is the unknown key itself: client text, so not repeated.
            where = _location(source, loc[:-1])
            parts.append(f"{where + ': ' if where else ''}unknown field (not part of the API)")
            continue
        message = str(error.get("msg", "invalid value"))
        value = error.get("input")
        if isinstance(value, str) and len(value) >= 3 and value in message:
            message = "invalid value"
        if source == "body" and not loc and error.get("type") in ("model_type", "dict_type"):
            message = "the request body must be a JSON object"
        where = _location(source, loc)
        parts.append(f"{where}: {message}" if where else message)
    if len(errors) > 5:
        parts.append(f"and {len(errors) - 5} more")
    return "; ".join(parts)


def _location(source: str, loc: Sequence[Any]) -> str:
    """`body, (messages, 0, role)` -> `messages[0].role`; `query, (limit,)` -> `query parameter limit`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text if source == "body" else f"{source} parameter {text}"


def tenant_of(request: Request) -> str:
    """The tenant whose API key came with the request; 401 otherwise."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    keys: KeyStore = request.app.state.keys
    tenant = keys.authenticate(key.strip()) if scheme.lower() == "bearer" else None
    if tenant is None:
        detail = "a valid API key is required (Authorization: Bearer mv_...)"
        raise ApiError(401, "unauthorized", detail, {"WWW-Authenticate": "Bearer"})
    return tenant


Tenant = Annotated[str, Depends(tenant_of)]


async def _parse(request: Request, model: type[_Body]) -> _Body:
    """The body as `model`: UTF-8, JSON, then the model's rules, each with its own error."""
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "the request body must be JSON (Content-Type: application/json)")
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_encoding", f"the request body is not valid UTF-8 (bad byte at offset {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"the request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise ApiError(422, "invalid_json", detail) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise ApiError(422, "validation_error", describe_errors(errors)) from None


def create_app(
    data_dir: Path,
    *,
    max_body_bytes: int = 1_000_000,
    embedder: Embedder | None = None,
    engine: MemoryEngine | None = None,
    store: MemoryStore | None = None,
    guard: MemoryGuard | None = None,
    worker: Worker | None = None,
) -> FastAPI:
    """The memory service over `data_dir` (created if missing): API keys in SQLite there, and
    memories too unless `store` is given (a `PostgresStore`, say; the app closes it on exit).

    `embedder` defaults to the process-wide one; `engine` to `SimpleEngine`; `guard` (consensus
    validation and lesson memory, docs/guard.md) to the offline one, lessons in `data_dir`;
    `worker` (what reads attachments, docs/workers.md) to the offline one.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    embedder = embedder or shared_embedder()
    store = store or SQLiteStore(data_dir / "memories.sqlite3")
    keys = KeyStore(keys_path(data_dir))
    guard = guard or service_guard(data_dir, embedder)
    service = MemoryService(store, engine or SimpleEngine(embedder), embedder, guard, worker)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()
        keys.close()
        guard.close()

    options: dict[str, Any] = {}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        options["telemetry"] = _NO_TELEMETRY
    app = FastAPI(
        title="memveil cloud",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # the contract is memveil.shared.wire
        **options,
    )
    app.state.keys = keys

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "validation_error", describe_errors(exc.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "the request was refused"
        return _error(exc.status_code, _CODES.get(exc.status_code, "http_error"), detail, exc.headers)

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, exc: Overloaded) -> JSONResponse:
        # The embedder's batch queue is full (memveil.cloud.batcher): shed load at once.
        detail = "the service is overloaded; retry later"
        return _error(503, "overloaded", detail, {"Retry-After": str(exc.retry_after_s)})

    @app.exception_handler(LLMError)
    async def formation_unavailable(request: Request, exc: LLMError) -> JSONResponse:
        # The model gave no usable answer after its retries; nothing was stored. The client
        # may retry, so this is the service's trouble (503), not an internal bug (500).
        logger.warning("formation model unavailable: %s", type(exc).__name__)
        detail = "the memory model gave no usable answer; nothing was stored, retry later"
        return _error(503, "formation_unavailable", detail, {"Retry-After": "5"})

    @app.get("/healthz", response_model=Health)
    async def healthz() -> Health:
        return Health(status="ok", protocol_version=PROTOCOL_VERSION, version=__version__)

    @app.post("/v1/memories", response_model=AddMemoriesResponse)
    async def add_memories(request: Request, tenant: Tenant) -> AddMemoriesResponse:
        body = await _parse(request, AddMemoriesRequest)
        changes = await run_in_threadpool(
            service.add, tenant, body.user_id, body.agent_id, body.messages, body.attachments or ()
        )
        return AddMemoriesResponse(results=changes)

    # Unset fields are left out: flags and lessons appear only when the guard ran.
    @app.post("/v1/memories/search", response_model=SearchResponse, response_model_exclude_unset=True)
    async def search_memories(request: Request, tenant: Tenant) -> SearchResponse:
        body = await _parse(request, SearchRequest)
        screened = await run_in_threadpool(
            service.guarded_search,
            tenant,
            body.user_id,
            body.agent_id,
            body.query,
            body.limit,
            body.guard,
            body.created_after,
            body.created_before,
        )
        if body.guard == "off":
            return SearchResponse(results=screened.results)
        flags = [GuardFlag(memory_id=f.memory_id, code=f.code, reason=f.reason) for f in screened.flags]
        lessons = [
            GuardLesson(
                id=x.id, code=x.code, reason=x.reason, context=x.context, record=x.record, path=x.path,
                consensus=x.consensus, created_at=x.created_at,
            )
            for x in screened.lessons
        ]
        return SearchResponse(results=screened.results, flags=flags, lessons=lessons)

    @app.post("/v1/memories/bulk", response_model=BulkAddResponse)
    async def bulk_add_memories(request: Request, tenant: Tenant) -> BulkAddResponse:
        body = await _parse(request, BulkAddRequest)
        added = await run_in_threadpool(service.bulk_add, tenant, body.user_id, body.agent_id, body.texts)
        return BulkAddResponse(results=added)

    @app.get("/v1/memories/export", response_class=StreamingResponse)
    def export_memories(
        tenant: Tenant,
        user_id: Annotated[str, Query(min_length=1, max_length=128, pattern=_IDENTIFIER)],
        agent_id: Annotated[str | None, Query(min_length=1, max_length=128, pattern=_IDENTIFIER)] = None,
        cursor: Annotated[str | None, Query(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9_\-]+$")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_EXPORT_LIMIT)] = MAX_EXPORT_LIMIT,
    ) -> StreamingResponse:
        """One page as JSON Lines, a `Memory` a line; the next page's cursor in a header."""
        try:
            page, next_cursor = service.export(tenant, user_id, agent_id, cursor, limit)
        except ValueError:
            raise ApiError(422, "validation_error", "query parameter cursor: not a cursor from this API") from None

        def lines() -> Iterator[str]:
            for memory in page:
                yield memory.model_dump_json() + "\n"

        headers = {NEXT_CURSOR_HEADER: next_cursor} if next_cursor else {}
        return StreamingResponse(lines(), media_type="application/x-ndjson", headers=headers)

    @app.get("/v1/memories", response_model=MemoryList)
    def list_memories(
        tenant: Tenant,
        user_id: Annotated[str, Query(min_length=1, max_length=128, pattern=_IDENTIFIER)],
        agent_id: Annotated[str | None, Query(min_length=1, max_length=128, pattern=_IDENTIFIER)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> MemoryList:
        return MemoryList(results=service.list(tenant, user_id, agent_id, limit, offset))

    @app.delete("/v1/memories/{memory_id}", response_model=DeleteResponse)
    def delete_memory(memory_id: str, tenant: Tenant) -> DeleteResponse:
        if not service.delete(tenant, memory_id):
            raise ApiError(404, "not_found", "no memory with this id")
        return DeleteResponse(id=memory_id, deleted=True)

    # Added last is outermost: log, protocol, error boundary, size, then routing.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=max_body_bytes)
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(ProtocolMiddleware)
    app.add_middleware(AccessLogMiddleware)
    return app
