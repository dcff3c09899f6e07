"""The process pool: workers in child processes, for isolation a thread cannot give.

An in-process worker shares the service's memory and interpreter: a runaway extractor or a
hostile parser input can exhaust either. Here each top-level worker (with any nested ones)
runs in a fresh `spawn`ed process with `resource.setrlimit` caps on address space and CPU
time, and a wall-clock timeout after which the parent kills it. The child sends back only
the worker's text and its usage; the parent's boundary then judges the text as usual.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from memveil.cloud.workers.budget import Limits, Usage

if TYPE_CHECKING:
    from memveil.cloud.workers.context import WorkerContext
    from memveil.cloud.workers.intent import Intent
    from memveil.cloud.workers.worker import Worker


class WorkerKilled(RuntimeError):
    """A worker process broke a resource limit or died, and was stopped. `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the worker process was stopped: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ProcessLimits:
    memory_bytes: int = 1 << 30
    cpu_seconds: int = 10
    wall_seconds: float = 15.0


class ProcessPool:
    """At most `max_processes` worker processes at once, each started fresh and never reused."""

    def __init__(self, limits: ProcessLimits | None = None, max_processes: int = 2) -> None:
        self.limits = limits or ProcessLimits()
        self._slots = threading.BoundedSemaphore(max_processes)
        self._mp = multiprocessing.get_context("spawn")

    def execute(self, worker: Worker, intent: Intent, context: WorkerContext, budget: Limits) -> tuple[str, Usage]:
        """Run one attempt of `worker` in a child; its raw text and usage, or `WorkerKilled`."""
        with self._slots:
            receiver, sender = self._mp.Pipe(duplex=False)
            process = self._mp.Process(
                target=_child, args=(sender, worker, intent, context, budget, self.limits), daemon=True
            )
            process.start()
            sender.close()
            try:
                if not receiver.poll(self.limits.wall_seconds):
                    process.kill()
                    process.join()
                    raise WorkerKilled(f"wall-clock timeout after {self.limits.wall_seconds:g}s")
                try:
                    status, payload, usage = receiver.recv()
                except EOFError:  # died before answering
                    process.join(5)
                    raise WorkerKilled(_death(process.exitcode)) from None
            finally:
                receiver.close()
                if process.is_alive():
                    process.kill()
                process.join()
        if status == "ok":
            return payload, usage
        if status == "memory":
            raise WorkerKilled(f"memory limit of {self.limits.memory_bytes} bytes")
        raise _rebuild(status, payload)


def _death(exitcode: int | None) -> str:
    if exitcode == -signal.SIGXCPU or exitcode == -signal.SIGKILL:
        return "CPU time limit" if exitcode == -signal.SIGXCPU else "killed"
    return f"exited with code {exitcode}"


def _rebuild(status: str, payload: Any) -> Exception:
    """The child's failure as the parent's exception (names and limits only, never content)."""
    from memveil.cloud.workers.budget import BudgetExceeded
    from memveil.cloud.workers.runtime import WorkerFailed
    from memveil.cloud.workers.worker import WorkerError

    kinds: dict[str, type[Exception]] = {"budget": BudgetExceeded, "failed": WorkerFailed, "worker_error": WorkerError}
    return kinds.get(status, RuntimeError)(str(payload))


def _child(
    sender: Connection, worker: Worker, intent: Intent, context: WorkerContext, budget: Limits, limits: ProcessLimits
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    from memveil.cloud.workers.budget import BudgetExceeded
    from memveil.cloud.workers.runtime import WorkerFailed, WorkerRuntime, _Supervisor
    from memveil.cloud.workers.worker import WorkerError

    runtime = WorkerRuntime(worker, budget, depth=context.depth)
    runtime.budget.start_worker(context.depth)
    try:
        raw = worker.run(context, _Supervisor(runtime, intent, context.depth))
        message: tuple[str, Any, Usage] = ("ok", raw, runtime.budget.used)
    except MemoryError:
        message = ("memory", None, runtime.budget.used)
    except BudgetExceeded as exc:
        message = ("budget", str(exc), runtime.budget.used)
    except WorkerFailed as exc:
        message = ("failed", str(exc), runtime.budget.used)
    except WorkerError as exc:
        message = ("worker_error", str(exc), runtime.budget.used)
    except Exception as exc:  # noqa: BLE001 - reported by type only: its message may quote content
        message = ("error", f"the worker raised {type(exc).__name__}", runtime.budget.used)
    sender.send(message)
    sender.close()
