"""The process pool: workers in spawned children with memory, CPU and wall-clock limits.

The workers below are module-level so a spawned child can import them by name.
"""

from __future__ import annotations

import json
import time

import pytest

from memveil.cloud.workers.context import MainContext, WorkerContext
from memveil.cloud.workers.pool import ProcessLimits, ProcessPool, WorkerKilled
from memveil.cloud.workers.runtime import WorkerFailed, WorkerRuntime
from memveil.cloud.workers.schemas import DocumentFacts, FlightBooking
from memveil.cloud.workers.worker import OfflineWorker, Supervisor

PAGE = "Flight: BA 117\nFrom: London (LHR)\nTo: New York (JFK)\nDate: 14 March 2025\nDeparture: 08:25"


class Sleeper:
    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        time.sleep(60)
        return "{}"


class Spinner:
    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        while True:
            pass


class Hog:
    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        blocks = [bytearray(64 << 20) for _ in range(64)]  # 4 GiB, past any test limit
        return json.dumps({"facts": [str(len(blocks))]})


class Failing:
    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        raise RuntimeError(context.content)


class Nesting:
    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        if context.depth > 0:
            return OfflineWorker().run(context, supervisor)
        facts = supervisor.spawn("section", DocumentFacts, "The meter read 42 units in May.")
        return json.dumps({"facts": list(facts.facts)})


def _intent(schema: type = DocumentFacts):  # type: ignore[no-untyped-def]
    return MainContext("read it").declare(schema, "task")


def test_a_worker_in_a_child_process_gives_the_same_value() -> None:
    pool = ProcessPool(ProcessLimits(wall_seconds=60))
    value = WorkerRuntime(OfflineWorker(), pool=pool).run(_intent(FlightBooking), PAGE)
    assert value == WorkerRuntime(OfflineWorker()).run(_intent(FlightBooking), PAGE)
    runtime = WorkerRuntime(Nesting(), pool=pool)
    assert runtime.run(_intent(), "x").facts == ["The meter read 42 units in May."]
    assert runtime.budget.used.workers == 2  # the nested worker's count came back from the child


def test_a_runaway_worker_is_killed_at_the_wall_clock_limit() -> None:
    start = time.monotonic()
    with pytest.raises(WorkerKilled, match="wall-clock timeout after 3s"):
        WorkerRuntime(Sleeper(), pool=ProcessPool(ProcessLimits(wall_seconds=3))).run(_intent(), "x")
    assert time.monotonic() - start < 20


def test_a_spinning_worker_hits_the_cpu_limit() -> None:
    with pytest.raises(WorkerKilled, match="CPU time limit"):
        WorkerRuntime(Spinner(), pool=ProcessPool(ProcessLimits(cpu_seconds=1, wall_seconds=60))).run(_intent(), "x")


def test_a_memory_hog_hits_the_memory_limit() -> None:
    with pytest.raises(WorkerKilled, match="memory limit"):
        WorkerRuntime(Hog(), pool=ProcessPool(ProcessLimits(memory_bytes=768 << 20, wall_seconds=60))).run(_intent(), "x")


def test_a_failing_child_is_reported_by_type_only() -> None:
    secret = "untrusted text the worker choked on"
    with pytest.raises(WorkerFailed) as info:
        WorkerRuntime(Failing(), pool=ProcessPool(ProcessLimits(wall_seconds=60))).run(_intent(), secret)
    assert secret not in str(info.value)
