"""Dynamic batching: many request threads, one model, batches formed as requests arrive.

A model call has a fixed cost (graph dispatch, small matrices that use a CPU badly, a GPU
launch) that a batch shares, so under concurrency batched serving runs many more texts per
second than one call per request. `DynamicBatcher.submit(items)` is called from any number of
threads and blocks until its results are ready; a worker thread takes queued items, groups
them by length (a short text never waits padded behind a long one), and runs a batch when it
holds `max_batch` items or when its oldest item has waited `max_wait_ms`. Waiting only pays
when batch mates come sooner than that, so while requests arrive further apart than
`max_wait_ms` (one client, a quiet hour) a batch runs at once (`adaptive_wait`).

Back-pressure: at most `max_queue` items wait; a submit that would exceed that raises
`Overloaded` at once (the API answers 503 with Retry-After) instead of queueing work that
would miss its deadline anyway. Batching is only correct for a model whose output for one
item does not depend on its batch mates; the embedder is built for that (see its docs).
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["BatchConfig", "BatcherClosed", "DynamicBatcher", "Overloaded"]

T = TypeVar("T")
R = TypeVar("R")


class Overloaded(RuntimeError):
    """The batcher's queue is full: retry after `retry_after_s` seconds (503 + Retry-After)."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"the service is overloaded; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


class BatcherClosed(RuntimeError):
    """submit() after close(), or a queued item cancelled by close(cancel_pending=True)."""


@dataclass(frozen=True)
class BatchConfig:
    """`max_batch` items per model call; `max_wait_ms` the longest the oldest queued item
    waits for batch mates; `max_queue` items waiting at most; `buckets` the upper bounds of
    the length buckets (longer items share one last bucket); `adaptive_wait` skips the wait
    while submits arrive (moving average) further apart than `max_wait_ms`; `workers` the
    threads that run batches.

    The default buckets are 8 tokens wide up to 64: on a CPU a padded token costs as much as
    a real one (the int8 kernels are compute-bound per row), so batch mates of equal length
    matter more than large batches."""

    max_batch: int = 32
    max_wait_ms: float = 2.0
    max_queue: int = 1024
    buckets: tuple[int, ...] = (8, 16, 24, 32, 40, 48, 56, 64, 96, 128, 192)
    adaptive_wait: bool = True
    workers: int = 1

    def __post_init__(self) -> None:
        if self.max_batch < 1 or self.max_queue < 1 or self.max_wait_ms < 0 or self.workers < 1:
            raise ValueError("need max_batch >= 1, max_queue >= 1, max_wait_ms >= 0 and workers >= 1")
        if list(self.buckets) != sorted(set(self.buckets)):
            raise ValueError("buckets must be increasing")


class _Request:
    """One submit(): its results fill in as its items' batches finish."""

    __slots__ = ("done", "error", "remaining", "results")

    def __init__(self, size: int) -> None:
        self.results: list[object] = [None] * size
        self.remaining = size
        self.error: BaseException | None = None
        self.done = threading.Event()


@dataclass
class _Job(Generic[T]):
    item: T
    request: _Request
    index: int
    arrival: float


@dataclass
class BatcherStats:
    batches: int = 0
    items: int = 0
    seconds: float = 0.0  # time spent in the model

    @property
    def mean_batch(self) -> float:
        return self.items / self.batches if self.batches else 0.0


class DynamicBatcher(Generic[T, R]):
    """`run(items) -> results` (same length, same order) behind a thread-safe `submit()`.

    `length(item)` sorts items into buckets; `config.workers` threads call `run` (one whose
    model uses every core, or one per core with one model thread each; two can overlap a
    GPU's copies with compute).
    """

    def __init__(
        self,
        run: Callable[[list[T]], Sequence[R]],
        config: BatchConfig | None = None,
        *,
        length: Callable[[T], int] = len,  # type: ignore[assignment]
        name: str = "memveil-batcher",
    ) -> None:
        self.config = config or BatchConfig()
        self._run = run
        self._length = length
        self._queues: list[deque[_Job[T]]] = [deque() for _ in range(len(self.config.buckets) + 1)]
        self._pending = 0
        self._closed = False
        self._last_arrival = time.monotonic()
        self._gap = 0.0  # moving average of the time between submits; 0: assume busy
        self._cond = threading.Condition()
        self.stats = BatcherStats()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(self.config.workers)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def pending(self) -> int:
        """Items queued and not yet taken into a batch."""
        return self._pending

    def submit(self, items: Sequence[T], timeout: float | None = None) -> list[R]:
        """Results for `items`, in order, once every batch holding one of them has run.

        Raises `Overloaded` (queue full), `BatcherClosed`, TimeoutError after `timeout`
        seconds (its items still queued are then skipped), or whatever `run` raised.
        """
        if not items:
            return []
        if len(items) > self.config.max_queue:
            raise ValueError(f"{len(items)} items are more than the queue holds ({self.config.max_queue})")
        request = _Request(len(items))
        lengths = [self._length(item) for item in items]  # outside the lock: may cost something
        now = time.monotonic()
        with self._cond:
            if self._closed:
                raise BatcherClosed("the batcher is closed")
            if self._pending + len(items) > self.config.max_queue:
                raise Overloaded(self._retry_after())
            self._gap += 0.2 * (now - self._last_arrival - self._gap)
            self._last_arrival = now
            for index, (item, size) in enumerate(zip(items, lengths)):
                bucket = bisect.bisect_left(self.config.buckets, size)
                self._queues[bucket].append(_Job(item, request, index, now))
            self._pending += len(items)
            self._cond.notify_all()
        if not request.done.wait(timeout):
            request.error = TimeoutError(f"no result within {timeout} s")
            request.done.set()
        if request.error is not None:
            raise request.error
        return request.results  # type: ignore[return-value]

    def close(self, timeout: float | None = None, cancel_pending: bool = False) -> None:
        """Refuse new work, finish (or with `cancel_pending`, fail) what is queued, stop."""
        with self._cond:
            self._closed = True
            if cancel_pending:
                self._fail_pending(BatcherClosed("the batcher was closed before this item ran"))
            self._cond.notify_all()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)

    def __enter__(self) -> DynamicBatcher[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retry_after(self) -> int:
        """Seconds until the queue has likely drained, from the model's recent pace (>= 1)."""
        per_item = self.stats.seconds / self.stats.items if self.stats.items else 0.0
        return max(1, math.ceil(self._pending * per_item))

    def _next_batch(self) -> list[_Job[T]] | None:
        """Wait for a batch that is full or whose oldest item has waited long enough; None
        when closed and drained. Called with the lock held."""
        wait_s = self.config.max_wait_ms / 1000
        while True:
            heads = [(q[0].arrival, b) for b, q in enumerate(self._queues) if q]
            if not heads:
                if self._closed:
                    return None
                self._cond.wait()
                continue
            full = [(arrival, b) for arrival, b in heads if len(self._queues[b]) >= self.config.max_batch]
            oldest, bucket = min(full or heads)
            now = time.monotonic()
            sparse = self.config.adaptive_wait and self._gap >= wait_s
            if full or self._closed or sparse or now >= oldest + wait_s:
                queue = self._queues[bucket]
                batch = [queue.popleft() for _ in range(min(len(queue), self.config.max_batch))]
                self._pending -= len(batch)
                return batch
            self._cond.wait(oldest + wait_s - now)

    def _fail_pending(self, error: BaseException) -> None:
        for queue in self._queues:
            while queue:
                job = queue.popleft()
                self._pending -= 1
                job.request.error = error
                job.request.done.set()

    def _work(self) -> None:
        while True:
            with self._cond:
                batch = self._next_batch()
            if batch is None:
                return
            batch = [job for job in batch if not job.request.done.is_set()]  # timed out or failed
            if batch:
                self._execute(batch)

    def _execute(self, batch: list[_Job[T]]) -> None:
        start = time.perf_counter()
        try:
            results = self._run([job.item for job in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"the model returned {len(results)} results for {len(batch)} items")
        except BaseException as exc:  # noqa: BLE001 - handed to every caller in the batch
            for job in batch:
                job.request.error = exc
                job.request.done.set()
            return
        elapsed = time.perf_counter() - start
        with self._cond:
            self.stats.batches += 1
            self.stats.items += len(batch)
            self.stats.seconds += elapsed
            for job, result in zip(batch, results):
                request = job.request
                request.results[job.index] = result
                request.remaining -= 1
                if request.remaining == 0:
                    request.done.set()
