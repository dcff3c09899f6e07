"""Isolated worker contexts for untrusted content (AgentSys-style, arXiv 2602.07398).

Untrusted text (documents, tool outputs, web pages) is read only by workers, each in a
fresh context; only values of a schema the main context declared beforehand come back,
parsed strictly, validated and sanitized. Side effects and memory writes are checked by the
event-triggered `Validator`. See docs/workers.md.
"""

from importlib import import_module
from typing import Any

# Loaded on first use: `memveil.cloud.commands` imports `memveil.cloud.workers.commands` on
# every CLI invocation, and the CLI imports nothing heavy up front.
_EXPORTS = {
    "BoundaryRejected": "boundary",
    "BudgetExceeded": "budget",
    "Limits": "budget",
    "MainContext": "context",
    "WorkerContext": "context",
    "Intent": "intent",
    "ProcessLimits": "pool",
    "ProcessPool": "pool",
    "WorkerKilled": "pool",
    "WorkerFailed": "runtime",
    "WorkerRuntime": "runtime",
    "SanitizerRejected": "sanitize",
    "findings": "sanitize",
    "sanitize": "sanitize",
    "ActionItems": "schemas",
    "DocumentFacts": "schemas",
    "EmailSummary": "schemas",
    "FlightBooking": "schemas",
    "IntentSchema": "schemas",
    "ToolResult": "schemas",
    "LLMWorker": "worker",
    "OfflineWorker": "worker",
    "Worker": "worker",
    "ToolCall": "validator",
    "Validator": "validator",
    "ingest_untrusted": "ingest",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)


__all__ = sorted(_EXPORTS)
