"""Isolated worker contexts for untrusted content (AgentSys-style, arXiv 2602.07398).

Untrusted text (documents, tool outputs, web pages) is read only by workers, each in a
fresh context; only values of a schema the main context declared beforehand come back,
parsed strictly, validated and sanitized. Side effects and memory writes are checked by the
event-triggered `Validator`. See docs/workers.md.
"""

from memveil.cloud.workers.boundary import BoundaryRejected
from memveil.cloud.workers.budget import BudgetExceeded, Limits
from memveil.cloud.workers.context import MainContext, WorkerContext
from memveil.cloud.workers.intent import Intent
from memveil.cloud.workers.pool import ProcessLimits, ProcessPool, WorkerKilled
from memveil.cloud.workers.runtime import WorkerFailed, WorkerRuntime
from memveil.cloud.workers.sanitize import SanitizerRejected, findings, sanitize
from memveil.cloud.workers.schemas import ActionItems, DocumentFacts, EmailSummary, FlightBooking, IntentSchema, ToolResult
from memveil.cloud.workers.worker import LLMWorker, OfflineWorker, Worker

__all__ = [
    "ActionItems",
    "BoundaryRejected",
    "BudgetExceeded",
    "DocumentFacts",
    "EmailSummary",
    "FlightBooking",
    "Intent",
    "IntentSchema",
    "LLMWorker",
    "Limits",
    "MainContext",
    "OfflineWorker",
    "ProcessLimits",
    "ProcessPool",
    "SanitizerRejected",
    "ToolResult",
    "Worker",
    "WorkerContext",
    "WorkerFailed",
    "WorkerKilled",
    "WorkerRuntime",
    "sanitize",
    "findings",
]
