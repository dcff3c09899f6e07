"""The worker runtime: runs workers for a main context and hands back only validated values.

`WorkerRuntime.run(intent, content)` is the whole contract: a fresh `WorkerContext` per
attempt, the worker's text across the boundary (parse, strict schema) and through the
sanitizer, and a bounded number of attempts, each refused one telling the next why (never
with what). Nested workers go through the same path one level deeper, under one budget.

Isolation: in-process by default; give a `ProcessPool` to run each top-level worker (and
its nested ones) in a child process with memory, CPU and wall-clock limits.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from memveil.cloud.workers import boundary
from memveil.cloud.workers.budget import Budget, BudgetExceeded, Limits, Usage
from memveil.cloud.workers.context import WorkerContext
from memveil.cloud.workers.intent import Intent
from memveil.cloud.workers.pool import ProcessPool, WorkerKilled
from memveil.cloud.workers.sanitize import SanitizerRejected, sanitize
from memveil.cloud.workers.schemas import IntentSchema
from memveil.cloud.workers.worker import Worker, WorkerError

log = logging.getLogger("memveil.cloud.workers")

_S = TypeVar("_S", bound=IntentSchema)


class WorkerFailed(RuntimeError):
    """No attempt of a worker gave a usable value. The message names the last reason, never content."""


class _Supervisor:
    def __init__(self, runtime: WorkerRuntime, intent: Intent, depth: int) -> None:
        self._runtime, self._intent, self._depth = runtime, intent, depth

    @property
    def can_spawn(self) -> bool:
        budget = self._runtime.budget
        return self._depth < budget.limits.max_depth and budget.used.workers < budget.limits.max_workers

    def spawn(self, task: str, schema: type[_S], content: str) -> _S:
        return self._runtime._run(self._intent.nested(task, schema), content, self._depth + 1)

    def charge_call(self, tokens: int) -> None:
        self._runtime.budget.charge_call(tokens)


class WorkerRuntime:
    """Runs `worker` under `limits`; one budget for every worker this runtime starts."""

    def __init__(
        self, worker: Worker, limits: Limits | None = None, *, pool: ProcessPool | None = None, depth: int = 0
    ) -> None:
        self.worker = worker
        self.budget = Budget(limits or Limits())
        self.pool = pool
        self._base_depth = depth

    @property
    def isolation(self) -> str:
        return "process" if self.pool is not None else "in_process"

    def run(self, intent: Intent, content: str) -> IntentSchema:
        """A validated, sanitized value of `intent.schema` read from `content`, or `WorkerFailed`/`BudgetExceeded`."""
        return self._run(intent, content, self._base_depth)

    def _run(self, intent: Intent, content: str, depth: int) -> _S:  # type: ignore[type-var]
        self.budget.start_worker(depth)
        feedback: tuple[str, ...] = ()
        reason = "no attempt"
        for attempt in range(1, self.budget.limits.max_attempts + 1):
            context = WorkerContext(intent.task, intent.schema, content, depth, feedback)
            try:
                raw = self._execute(intent, context)
            except (BudgetExceeded, WorkerKilled):
                raise
            except WorkerFailed as exc:  # a nested worker gave up: this attempt did too
                reason = str(exc)
                continue
            except WorkerError as exc:  # a reason without content: the next attempt hears it
                reason = str(exc)
                feedback = (*feedback, reason)
                continue
            except Exception as exc:  # the worker itself failed; its message may quote content
                reason = f"the worker raised {type(exc).__name__}"
                log.warning("worker attempt %d for %s failed: %s", attempt, intent.schema.__name__, reason)
                continue
            try:
                return sanitize(boundary.cross(raw, intent.schema), intent.request)  # type: ignore[return-value]
            except (boundary.BoundaryRejected, SanitizerRejected) as exc:
                reason = str(exc)
                feedback = (*feedback, reason)
                log.warning("worker output %d for %s refused: %s", attempt, intent.schema.__name__, reason)
        attempts = self.budget.limits.max_attempts
        raise WorkerFailed(f"the worker for {intent.schema.__name__} failed {attempts} time{'s' * (attempts > 1)}: {reason}")

    def _execute(self, intent: Intent, context: WorkerContext) -> str:
        if self.pool is None or context.depth > self._base_depth:
            return self.worker.run(context, _Supervisor(self, intent, context.depth))
        raw, usage = self.pool.execute(self.worker, intent, context, self.budget.remaining())
        self.budget.charge(Usage(max(0, usage.workers - 1), usage.model_calls, usage.tokens))
        return raw
