"""A small client for OpenAI-compatible `/chat/completions` with structured output.

The memory service runs formation in a thread pool, so the client is synchronous (one
shared `httpx.Client`, thread-safe) and bounds how many calls are in flight at once. Every
reply is parsed into a pydantic model whose JSON schema travels as the request's
`response_format` (strict mode), and is checked again here because not every compatible
server enforces the schema.

Prompts and replies carry conversation text, so nothing here logs them, and no error
message quotes them: errors say what went wrong, never with what.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

log = logging.getLogger("memveil.cloud.llm")

_Reply = TypeVar("_Reply", bound=BaseModel)

#: Statuses worth another try: rate limits and server-side failures.
_RETRYABLE = frozenset({408, 409, 429}) | frozenset(range(500, 600))
#: Longest wait a server's Retry-After may impose on one retry, in seconds.
_MAX_RETRY_AFTER_S = 60.0
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


class LLMError(RuntimeError):
    """The model could not give a usable answer. The message never holds prompt or reply text."""


class ReplyRejected(ValueError):
    """Raised by a reply check: the reply parsed but breaks a rule. The reason is shown to the
    model on the next attempt and ends up in `LLMError`, so it must not quote user text."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """Where the model is and how patiently to call it.

    `max_retries` counts the attempts after the first one; `backoff_s` is the first wait
    between attempts, doubled each time.
    """

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)  # a secret: kept out of logs
    timeout_s: float = 60.0
    max_retries: int = 2
    backoff_s: float = 1.0
    max_concurrency: int = 8

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("the LLM base URL must start with http:// or https://")
        if not self.model:
            raise ValueError("an LLM model name is required")
        if self.timeout_s <= 0 or self.backoff_s < 0 or self.max_retries < 0 or self.max_concurrency < 1:
            raise ValueError("LLM timeout, backoff, retries and concurrency must be positive")

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        base_url: str | None = None,
        model: str | None = None,
        timeout_s: float | None = None,
    ) -> LLMConfig | None:
        """The configuration from `MEMVEIL_LLM_*` variables, with explicit arguments (command-line
        flags) taking precedence; None when no base URL is set, which means: no LLM.

        Variables: `MEMVEIL_LLM_BASE_URL`, `MEMVEIL_LLM_MODEL`, `MEMVEIL_LLM_API_KEY`,
        `MEMVEIL_LLM_TIMEOUT_S`, `MEMVEIL_LLM_MAX_RETRIES`, `MEMVEIL_LLM_BACKOFF_S`,
        `MEMVEIL_LLM_MAX_CONCURRENCY`.
        """
        env = os.environ if environ is None else environ
        defaults = {f.name: f.default for f in fields(cls)}
        url = base_url or env.get("MEMVEIL_LLM_BASE_URL", "").strip()
        if not url:
            return None
        name = model or env.get("MEMVEIL_LLM_MODEL", "").strip()
        if not name:
            raise ValueError("an LLM model is required with an LLM base URL (MEMVEIL_LLM_MODEL or --llm-model)")

        def number(var: str, kind: Callable[[str], float | int], default: float | int) -> Any:
            raw = env.get(var, "").strip()
            if not raw:
                return default
            try:
                return kind(raw)
            except ValueError:
                raise ValueError(f"{var} must be a number") from None

        return cls(
            base_url=url,
            model=name,
            api_key=env.get("MEMVEIL_LLM_API_KEY") or None,
            timeout_s=timeout_s if timeout_s is not None else number("MEMVEIL_LLM_TIMEOUT_S", float, defaults["timeout_s"]),
            max_retries=number("MEMVEIL_LLM_MAX_RETRIES", int, defaults["max_retries"]),
            backoff_s=number("MEMVEIL_LLM_BACKOFF_S", float, defaults["backoff_s"]),
            max_concurrency=number("MEMVEIL_LLM_MAX_CONCURRENCY", int, defaults["max_concurrency"]),
        )


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the subset strict structured outputs accept: every object
    closed (`additionalProperties: false`) with all its properties required (optional ones
    are nullable instead), no null defaults, and no `$ref` with sibling keys."""
    schema = model.model_json_schema()
    return _strict(schema, schema)


def _strict(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node and len(node) > 1:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs", "definitions"):
            out[key] = {name: _strict(sub, root) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = _strict(value, root)
        elif key in ("anyOf", "allOf", "oneOf", "prefixItems"):
            out[key] = [_strict(sub, root) for sub in value]
        elif not (key == "default" and value is None):
            out[key] = copy.deepcopy(value)
    if out.get("type") == "object":
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


class _Retry(Exception):
    """One failed attempt worth repeating; `what` completes "... after N attempts"."""

    def __init__(self, what: str, retry_after: float | None = None, feedback: str | None = None) -> None:
        super().__init__(what)
        self.what, self.retry_after, self.feedback = what, retry_after, feedback


class LLMClient:
    """Chat completions parsed into pydantic models, with retries and a concurrency limit.

    Timeouts, connection failures, 429 and 5xx answers (and 408 and 409, as OpenAI's own client
    does) are retried after an exponential backoff, or the server's Retry-After when longer. A
    reply that is not JSON, does not fit the schema or fails the caller's `check` is retried at
    once, with a note telling the model what was wrong. Other HTTP errors (a bad key, an
    unknown model) fail at once. `timeout_s` bounds each network step (connect, each read).
    """

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._http = httpx.Client(timeout=config.timeout_s, headers=headers, follow_redirects=False)
        self._slots = threading.BoundedSemaphore(config.max_concurrency)
        self._url = config.base_url.rstrip("/") + "/chat/completions"

    def parse(
        self,
        messages: Sequence[Mapping[str, str]],
        schema: type[_Reply],
        *,
        check: Callable[[_Reply], None] | None = None,
    ) -> _Reply:
        """Ask the model and return its reply as `schema`; `check` may raise `ReplyRejected`.

        Raises `LLMError` once every attempt has failed, naming the last failure.
        """
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": [dict(m) for m in messages],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": strict_json_schema(schema), "strict": True},
            },
        }
        attempts = self.config.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                reply = _parse_reply(self._post(body), schema)
                if check is not None:
                    check(reply)
                return reply
            except ReplyRejected as exc:
                failure = _Retry(f"the model's reply was rejected ({exc})", feedback=str(exc))
            except _Retry as exc:
                failure = exc
            if attempt == attempts:
                raise LLMError(f"{failure.what} after {attempts} attempt{'s' if attempts > 1 else ''}")
            if failure.feedback is not None:
                note = f"A previous answer was rejected: {failure.feedback}. Answer again, following every rule."
                body["messages"] = [dict(m) for m in messages] + [{"role": "user", "content": note}]
                wait = 0.0
            else:
                wait = self.config.backoff_s * 2 ** (attempt - 1)
                if failure.retry_after is not None:
                    wait = max(wait, min(failure.retry_after, _MAX_RETRY_AFTER_S))
            log.warning("LLM attempt %d/%d failed: %s; retrying in %.2fs", attempt, attempts, failure.what, wait)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        with self._slots:
            try:
                response = self._http.post(self._url, json=body)
            except httpx.TimeoutException:
                raise _Retry("the model endpoint timed out") from None
            except httpx.TransportError as exc:
                raise _Retry(f"could not reach the model endpoint ({type(exc).__name__})") from None
        if response.status_code in _RETRYABLE:
            raise _Retry(f"the model endpoint answered HTTP {response.status_code}", _retry_after(response))
        if response.status_code != 200:
            code = _error_code(response)
            detail = f"HTTP {response.status_code}" + (f" ({code})" if code else "")
            raise LLMError(f"the model endpoint refused the request: {detail}")
        return response

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _parse_reply(response: httpx.Response, schema: type[_Reply]) -> _Reply:
    """The model's answer in a chat completion response, as `schema`."""
    try:
        message = response.json()["choices"][0]["message"]
        content = message.get("content")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise _Retry("the model endpoint's response was not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        refused = isinstance(message.get("refusal"), str)
        raise _Retry("the model refused to answer" if refused else "the model's reply was empty")
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        raise _Retry("the model's reply was not valid JSON", feedback="the reply was not valid JSON") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(_where(e) for e in exc.errors(include_url=False)[:3])
        raise _Retry(
            f"the model's reply did not match the schema ({where})", feedback=f"the reply did not match the schema ({where})"
        ) from None


def _where(error: Any) -> str:
    """`operations.0.event: literal_error`: where and what kind, never the value (or an unknown key's name)."""
    loc = error["loc"][:-1] if error["type"] == "extra_forbidden" else error["loc"]
    return f"{'.'.join(str(p) for p in loc) or 'reply'}: {error['type']}"


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


def _error_code(response: httpx.Response) -> str | None:
    """The error's machine code from an OpenAI-style error body, when it is one; never its message."""
    try:
        error = response.json().get("error", {})
        code = error.get("code") or error.get("type")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) and _CODE.match(code) else None
