"""The dynamic batcher: results to the right caller, batching by length and time, back-pressure,
shutdown; and the embedder behind it gives exactly the vectors it gives one text at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from memveil.cloud.batcher import BatchConfig, BatcherClosed, DynamicBatcher, Overloaded
from memveil.cloud.embedder import Embedder


class Recorder:
    """A model that doubles strings' lengths and records every batch it was given."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.batches: list[list[str]] = []
        self.gate = gate
        self.started = threading.Event()

    def __call__(self, items: list[str]) -> list[str]:
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10)
        self.batches.append(list(items))
        return [item * 2 for item in items]


def _batcher(model: Callable[[list[str]], list[str]], **config: object) -> DynamicBatcher[str, str]:
    return DynamicBatcher(model, BatchConfig(**config))  # type: ignore[arg-type]


def test_results_come_back_in_order() -> None:
    with _batcher(Recorder(), max_wait_ms=1) as batcher:
        assert batcher.submit(["a", "bb", "", "ccc"]) == ["aa", "bbbb", "", "cccccc"]
        assert batcher.submit([]) == []


def test_concurrent_submitters_each_get_their_own_results() -> None:
    model = Recorder()
    errors: list[BaseException] = []
    with _batcher(model, max_batch=16, max_wait_ms=2) as batcher:

        def client(n: int) -> None:
            try:
                for i in range(30):
                    texts = [f"{n}-{i}-{j}" for j in range(1 + (n + i) % 3)]
                    assert batcher.submit(texts) == [t * 2 for t in texts]
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors
    assert sum(len(b) for b in model.batches) == sum(1 + (n + i) % 3 for n in range(16) for i in range(30))
    assert max(len(b) for b in model.batches) > 1  # requests were merged
    assert batcher.stats.mean_batch > 1


def test_a_full_batch_runs_without_waiting() -> None:
    with _batcher(Recorder(), max_batch=4, max_wait_ms=10_000) as batcher:
        start = time.monotonic()
        assert batcher.submit(["a", "b", "c", "d"]) == ["aa", "bb", "cc", "dd"]
        assert time.monotonic() - start < 5


def test_a_lone_item_waits_at_most_max_wait() -> None:
    with _batcher(Recorder(), max_batch=32, max_wait_ms=50) as batcher:
        start = time.monotonic()
        assert batcher.submit(["a"]) == ["aa"]
        elapsed = time.monotonic() - start
    assert 0.045 <= elapsed < 2.0


def test_sparse_requests_do_not_wait_but_a_burst_does() -> None:
    """One client at a time: nobody to wait for, so no wait; with adaptive_wait off, or once
    submits come close together, the oldest item waits for mates up to max_wait."""
    with _batcher(Recorder(), max_wait_ms=150) as batcher:
        batcher.submit(["first"])  # the first submit of all may wait: the rate is unknown
        for _ in range(12):
            time.sleep(0.2)
            start = time.monotonic()
            batcher.submit(["sparse"])
            lone = time.monotonic() - start
        assert lone < 0.1
    with _batcher(Recorder(), max_wait_ms=150, adaptive_wait=False) as batcher:
        time.sleep(0.2)
        start = time.monotonic()
        batcher.submit(["sparse"])
        assert time.monotonic() - start >= 0.14


def test_items_are_batched_by_length_bucket() -> None:
    model = Recorder()
    with _batcher(model, max_batch=64, max_wait_ms=20, buckets=(4, 16)) as batcher:
        short, middle, long = ["ab", "cd", "e"], ["x" * 10, "y" * 12], ["z" * 40]
        batcher.submit(short + middle + long)
    buckets = [{(len(i) > 4) + (len(i) > 16) for i in batch} for batch in model.batches]
    assert all(len(b) == 1 for b in buckets)  # no batch mixes buckets
    assert sorted(len(b) for b in model.batches) == [1, 2, 3]


def test_a_large_submit_is_split_into_batches_of_max_batch() -> None:
    model = Recorder()
    with _batcher(model, max_batch=3, max_wait_ms=1) as batcher:
        assert batcher.submit([str(i) for i in range(10)]) == [str(i) * 2 for i in range(10)]
    assert [len(b) for b in model.batches] == [3, 3, 3, 1]


def test_back_pressure_raises_overloaded_when_the_queue_is_full() -> None:
    gate = threading.Event()
    model = Recorder(gate)
    batcher = _batcher(model, max_batch=1, max_wait_ms=0, max_queue=4)
    first = threading.Thread(target=batcher.submit, args=(["running"],))
    first.start()
    assert model.started.wait(5)  # the worker holds one item; the queue is empty again
    queued = threading.Thread(target=batcher.submit, args=(["q1", "q2", "q3"],))
    queued.start()
    deadline = time.monotonic() + 5
    while batcher.pending < 3 and time.monotonic() < deadline:
        time.sleep(0.001)
    with pytest.raises(Overloaded) as info:
        batcher.submit(["one", "too many"])
    assert info.value.retry_after_s >= 1
    assert "overloaded" in str(info.value)
    gate.set()  # once the queue drains, the batcher takes work again
    first.join(5)
    queued.join(5)
    assert batcher.submit(["after"]) == ["afterafter"]
    batcher.close()


def test_a_submit_larger_than_the_queue_is_refused() -> None:
    with _batcher(Recorder(), max_queue=2) as batcher, pytest.raises(ValueError):
        batcher.submit(["a", "b", "c"])


def test_model_errors_reach_every_caller_and_the_worker_survives() -> None:
    calls = 0

    def flaky(items: list[str]) -> list[str]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("model failed")
        return items

    with _batcher(flaky, max_wait_ms=1) as batcher:
        with pytest.raises(RuntimeError, match="model failed"):
            batcher.submit(["a", "b"])
        assert batcher.submit(["c"]) == ["c"]


def test_a_model_returning_the_wrong_count_is_an_error() -> None:
    with _batcher(lambda items: items[:-1], max_wait_ms=1) as batcher, pytest.raises(RuntimeError, match="1 results for 2"):
        batcher.submit(["a", "b"])


def test_timeout() -> None:
    gate = threading.Event()
    batcher = _batcher(Recorder(gate), max_wait_ms=0)
    with pytest.raises(TimeoutError):
        batcher.submit(["slow"], timeout=0.05)
    gate.set()
    batcher.close()


def test_close_finishes_queued_work_then_refuses_new_work() -> None:
    gate = threading.Event()
    model = Recorder(gate)
    batcher = _batcher(model, max_batch=1, max_wait_ms=0)
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda t=t: results.append(batcher.submit([t]))) for t in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    assert model.started.wait(5)
    closer = threading.Thread(target=batcher.close)
    closer.start()
    gate.set()
    closer.join(5)
    for thread in threads:
        thread.join(5)
    assert sorted(results) == [["aa"], ["bb"], ["cc"]]
    assert not any(t.is_alive() for t in batcher._threads)
    with pytest.raises(BatcherClosed):
        batcher.submit(["late"])


def test_close_can_cancel_queued_work() -> None:
    gate = threading.Event()
    model = Recorder(gate)
    batcher = _batcher(model, max_batch=1, max_wait_ms=0)
    outcome: dict[str, object] = {}

    def client(text: str) -> None:
        try:
            outcome[text] = batcher.submit([text])
        except BatcherClosed as exc:
            outcome[text] = exc

    running = threading.Thread(target=client, args=("running",))
    running.start()
    assert model.started.wait(5)
    queued = threading.Thread(target=client, args=("queued",))
    queued.start()
    while batcher.pending < 1:
        time.sleep(0.001)
    closer = threading.Thread(target=batcher.close, kwargs={"cancel_pending": True})
    closer.start()
    queued.join(5)
    assert isinstance(outcome["queued"], BatcherClosed)
    gate.set()
    closer.join(5)
    running.join(5)
    assert outcome["running"] == ["runningrunning"]


def test_config_is_checked() -> None:
    with pytest.raises(ValueError):
        BatchConfig(max_batch=0)
    with pytest.raises(ValueError):
        BatchConfig(buckets=(32, 16))


# --- the embedder behind the batcher ------------------------------------------------------

TEXTS = [
    "I have a dog named Biscuit.",
    "My email is <Email_1> and my phone number is <Phone_Number_2>.",
    "我对花生过敏。",
    "ok",
    "Please remind me to call the dentist next Tuesday at 3pm.",
    "I prefer vegetarian restaurants and I am allergic to peanuts. " * 6,
] + [f"memory number {i}: " + "the user likes long walks " * (i % 5) for i in range(26)]


@pytest.fixture(scope="module")
def alone() -> np.ndarray:
    """Each text in its own model call: the reference."""
    embedder = Embedder(threads=1, cache_size=0, providers="cpu")
    return np.stack([embedder.embed([t])[0] for t in TEXTS])


def test_embedder_batched_equals_one_by_one(alone: np.ndarray) -> None:
    embedder = Embedder(threads=2, cache_size=0, providers="cpu")
    np.testing.assert_array_equal(embedder.embed(TEXTS), alone)
    np.testing.assert_array_equal(embedder.embed(TEXTS[::-1]), alone[::-1])


def test_embedder_behind_the_batcher_from_many_threads(alone: np.ndarray) -> None:
    embedder = Embedder(threads=2, cache_size=0, providers="cpu", batching=BatchConfig(max_batch=8, max_wait_ms=5))
    assert embedder.batcher is not None
    out: dict[int, np.ndarray] = {}

    def client(i: int) -> None:
        for _ in range(2):
            out[i] = embedder.embed([TEXTS[i]])[0]

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(TEXTS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    embedder.close()
    np.testing.assert_array_equal(np.stack([out[i] for i in range(len(TEXTS))]), alone)
    assert embedder.batcher.stats.mean_batch > 1  # texts from different threads shared calls
    with pytest.raises(BatcherClosed):
        embedder.embed(["after close"])


# --- the API maps Overloaded to 503 + Retry-After -----------------------------------------


class _Saturated:
    """An embedder whose batch queue is always full."""

    dimension = 384

    def embed(self, texts: object) -> np.ndarray:
        raise Overloaded(3)


def test_the_api_answers_503_with_retry_after_when_overloaded(tmp_path: Path) -> None:
    import asyncio

    import httpx

    from memveil.cloud.app import create_app
    from memveil.cloud.auth import KeyStore, keys_path

    keys = KeyStore(keys_path(tmp_path))
    key, _ = keys.create("t")
    keys.close()
    app = create_app(tmp_path, embedder=_Saturated())  # type: ignore[arg-type]

    async def search() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cloud") as client:
            body = {"query": "what does the user like?", "user_id": "u"}
            return await client.post("/v1/memories/search", json=body, headers={"Authorization": f"Bearer {key}"})

    response = asyncio.run(search())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert response.json() == {"error": "overloaded", "detail": "the service is overloaded; retry later"}
