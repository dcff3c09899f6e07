"""Ingestion of untrusted content (documents, tool outputs, web pages) into memory.

The content is read only by isolated workers; what comes back is a validated, sanitized
value, and only its memory texts that the validator accepts as memory writes become facts.
The content itself, the attachment's name and the workers' traces are never stored. An
attachment whose worker fails yields no facts, and the failure is logged without content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from memveil.cloud.workers.budget import BudgetExceeded, Limits
from memveil.cloud.workers.context import MainContext
from memveil.cloud.workers.pool import ProcessPool, WorkerKilled
from memveil.cloud.workers.runtime import WorkerFailed, WorkerRuntime
from memveil.cloud.workers.schemas import DocumentFacts, IntentSchema, ToolResult
from memveil.cloud.workers.validator import Validator
from memveil.cloud.workers.worker import OfflineWorker, Worker

log = logging.getLogger("memveil.cloud.workers")

#: What a worker extracts from each kind of attachment.
SCHEMA_BY_KIND: dict[str, type[IntentSchema]] = {"document": DocumentFacts, "web_page": DocumentFacts, "tool_output": ToolResult}
_TASKS = {
    "document": "List the statements of fact this document makes.",
    "web_page": "List the statements of fact this web page makes.",
    "tool_output": "List the named fields of this tool output.",
}


class Untrusted(Protocol):
    """An attachment (`memveil.shared.wire.Attachment` or alike)."""

    @property
    def kind(self) -> str: ...

    @property
    def content(self) -> str: ...


def ingest_untrusted(
    attachments: Iterable[Untrusted],
    request: str,
    worker: Worker | None = None,
    *,
    limits: Limits | None = None,
    pool: ProcessPool | None = None,
) -> list[str]:
    """Memory facts from untrusted attachments, read by isolated workers under one budget.

    `request` is what the user asked alongside (their messages): targets it names are theirs.
    """
    main = MainContext(request)
    runtime = WorkerRuntime(worker or OfflineWorker(), limits, pool=pool)
    for attachment in attachments:
        if attachment.kind not in SCHEMA_BY_KIND:
            raise ValueError(f"unknown attachment kind {attachment.kind!r}")
        intent = main.declare(SCHEMA_BY_KIND[attachment.kind], _TASKS[attachment.kind])
        try:
            main.receive(runtime.run(intent, attachment.content), intent)
        except (WorkerFailed, WorkerKilled, BudgetExceeded) as exc:
            log.warning("an attachment (%s) yielded no facts: %s", attachment.kind, exc)
    validator = Validator(main)
    facts: list[str] = []
    for text in main.memory_texts():
        if text not in facts and validator.check_memory_write(text).allowed:
            facts.append(text)
    return facts
