"""Accelerated inference: latency and throughput of the edge and cloud models, batching off/on.

Prints JSON. For each execution provider the installed onnxruntime offers (of those memveil
knows), each path and each number of concurrent client threads (closed loop: a client sends
its next request when the previous one is answered):

- `cloud` (memory texts, ~40 tokens) and `cloud-query` (search queries, ~12 tokens):
  `Embedder.embed([text])` per request, as the service's add and search calls do, with no
  batching (every request thread runs the model itself) and behind the dynamic batcher;
- `edge`: `PrivacyDetector.detect(text)` per request (rules + the learned tagger where it is
  built), directly and behind a `DynamicBatcher` over `detect_many`.

Per setting: throughput (requests/s), latency p50/p95/p99, mean batch size; then, per path,
provider and concurrency, the ratios batched / unbatched measured in the same run. The two
modes run in short alternating rounds (`--rounds`), so background load on a shared machine
falls on both alike; requests per CPU-second (all the process's threads) are reported too,
because on a shared machine many request threads win a larger share of the CPU from other
processes than one batching worker does. Caches are
off and every request text is distinct, so the model runs for every request.

Usage: python bench/accel.py [--paths cloud,cloud-query,edge] [--concurrency 1,8,32]
       [--requests 512] [--providers cpu] [--max-batch 32] [--max-wait-ms 2] [--workers 1]
       [--threads N] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import onnxruntime as ort

from memveil.cloud.batcher import BatchConfig, DynamicBatcher
from memveil.cloud.embedder import Embedder
from memveil.shared.inference import AUTO, PROVIDERS, short_name

Serve = Callable[[str], object]

_SUBJECTS = ["<Person_1>", "my sister", "the user", "<Person_2>", "my manager", "our landlord", "我的同事"]
_FACTS = [
    "prefers vegetarian restaurants and is allergic to peanuts",
    "moved to <Address_1> last spring and works from home on Fridays",
    "can be reached at <Email_1> or on <Phone_Number_1> after six in the evening",
    "was diagnosed with <Medical_Health_1> and sees a specialist every month",
    "plays tennis on Sunday mornings and is training for a half marathon in October",
    "paid the deposit with the card <Bank_Payment_Card_Number_1> and wants a refund",
    "is planning a trip to Kyoto with two friends and needs a quiet hotel near the station",
    "对花生过敏，每周三晚上去健身房",
]
_TAILS = ["", " Remember this for later.", " This matters for the next booking, so keep it in mind when planning.", " 谢谢。"]


def texts(count: int, seed: int) -> list[str]:
    """Distinct memory-like sentences of 8 to about 60 words, with placeholders and some Chinese."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        parts = [f"{rng.choice(_SUBJECTS)} {rng.choice(_FACTS)}" for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        out.append("; ".join(parts) + rng.choice(_TAILS) + f" (note {i})")
    return out


_ASKS = ["what does", "where does", "how can I reach", "what is the diet of", "when does", "谁是", "what did"]
_TOPICS = ["<Person_1> like", "my sister work", "the user", "<Person_2> eat", "our landlord", "我的同事", "my manager plan"]


def queries(count: int, seed: int) -> list[str]:
    """Distinct short search queries (5 to 12 words), placeholders and some Chinese."""
    rng = random.Random(seed)
    return [f"{rng.choice(_ASKS)} {rng.choice(_TOPICS)} {rng.choice(['', 'these days', 'on weekends', 'after work'])} #{i}" for i in range(count)]


def percentile(ordered: Sequence[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load(serve: Serve, requests: Sequence[str], concurrency: int) -> tuple[list[float], float, float]:
    """`concurrency` client threads send `requests` between them: per-request latencies (s),
    the wall-clock time of the whole load and the CPU time the process spent on it (every
    thread, ONNX Runtime's included)."""
    latencies: list[float] = []
    errors: list[BaseException] = []
    cursor = iter(range(len(requests)))
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)

    def client() -> None:
        mine: list[float] = []
        barrier.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            start = time.perf_counter()
            try:
                serve(requests[index])
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                break
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start, cpu_start = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if errors:
        raise errors[0]
    return latencies, wall, cpu


def summarise(latencies: list[float], wall: float, cpu: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "wall_s": round(wall, 3),
        "throughput_rps": round(len(ordered) / wall, 1),
        "cpu_s": round(cpu, 3),
        "requests_per_cpu_s": round(len(ordered) / cpu, 1),
        "latency_ms": {
            "p50": round(percentile(ordered, 0.50) * 1e3, 2),
            "p95": round(percentile(ordered, 0.95) * 1e3, 2),
            "p99": round(percentile(ordered, 0.99) * 1e3, 2),
            "mean": round(statistics.fmean(ordered) * 1e3, 2),
        },
    }


Servers = tuple[Serve, Serve, DynamicBatcher[Any, Any]]


def cloud_servers(provider: str, threads: int | None, config: BatchConfig) -> Servers:
    """(unbatched, batched, the batcher) for the embedder."""
    plain = Embedder(threads=threads, cache_size=0, providers=provider)
    batched = Embedder(threads=threads, cache_size=0, providers=provider, batching=config)
    assert batched.batcher is not None
    return (lambda t: plain.embed([t])), (lambda t: batched.embed([t])), batched.batcher


def edge_servers(provider: str, threads: int | None, config: BatchConfig) -> Servers:
    """(unbatched, batched, the batcher) for the detector (rules + tagger)."""
    from memveil.edge import PrivacyDetector
    from memveil.edge.recognizers.tagger import default_model_path

    detector = PrivacyDetector(threads=threads, tagger=default_model_path().exists(), providers=provider)
    # Length buckets in characters for texts (the batcher's default buckets count tokens).
    edge_config = dataclasses.replace(config, buckets=(64, 128, 256, 512))
    batcher: DynamicBatcher[str, list[Any]] = DynamicBatcher(detector.detect_many, edge_config, name="memveil-detect")
    return detector.detect, (lambda t: batcher.submit([t])[0]), batcher


PATHS: dict[str, tuple[Callable[[str, int | None, BatchConfig], Servers], Callable[[int, int], list[str]]]] = {
    "cloud": (cloud_servers, texts),
    "cloud-query": (cloud_servers, queries),
    "edge": (edge_servers, texts),
}


def available_providers() -> list[str]:
    """Short names of the known providers this build offers, accelerators first."""
    offered = set(ort.get_available_providers())
    order = list(dict.fromkeys([*AUTO["cloud"], *AUTO["edge"], *PROVIDERS]))
    return [name for name in order if PROVIDERS[name] in offered]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", default="cloud,cloud-query,edge")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--requests", type=int, default=512, help="requests per setting and mode")
    parser.add_argument("--rounds", type=int, default=4, help="alternating unbatched/batched rounds per setting")
    parser.add_argument("--providers", help="short names (default: every known provider the build offers)")
    parser.add_argument("--max-batch", type=int, default=32)
    parser.add_argument("--max-wait-ms", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=1, help="batcher threads running batches")
    parser.add_argument("--threads", type=int, help="ONNX Runtime intra-op threads (default: its own)")
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    levels = [int(c) for c in args.concurrency.split(",")]
    providers = args.providers.split(",") if args.providers else available_providers()
    config = BatchConfig(max_batch=args.max_batch, max_wait_ms=args.max_wait_ms, max_queue=4096, workers=args.workers)
    results: list[dict[str, Any]] = []
    ratios: list[dict[str, Any]] = []
    for provider in providers:
        for path in paths:
            print(f"{path} on {provider}...", file=sys.stderr)
            make_servers, make_texts = PATHS[path]
            unbatched, batched, batcher = make_servers(provider, args.threads, config)
            warm = make_texts(32, 1)
            for text in warm:  # sessions, arenas and caches warm before any timing
                unbatched(text)
                batched(text)
            seed = 100
            for concurrency in levels:
                row: dict[str, dict[str, Any]] = {}
                # Short alternating rounds, so both modes see the same background load.
                samples: dict[str, tuple[list[float], float, float]] = {m: ([], 0.0, 0.0) for m in ("unbatched", "batched")}
                before = (batcher.stats.batches, batcher.stats.items)
                for _ in range(args.rounds):
                    for mode, serve in (("unbatched", unbatched), ("batched", batched)):
                        seed += 1
                        latencies, wall, cpu = load(serve, make_texts(args.requests // args.rounds, seed), concurrency)
                        total = samples[mode]
                        samples[mode] = (total[0] + latencies, total[1] + wall, total[2] + cpu)
                for mode in ("unbatched", "batched"):
                    result = summarise(*samples[mode])
                    entry = {"path": path, "provider": provider, "batching": mode == "batched", "concurrency": concurrency, **result}
                    if mode == "batched":
                        batches, items = batcher.stats.batches - before[0], batcher.stats.items - before[1]
                        entry["mean_batch"] = round(items / max(1, batches), 2)
                    row[mode] = entry
                    results.append(entry)
                    print(
                        f"  c={concurrency:<3} {mode:<9} {result['throughput_rps']:>8} rps "
                        f"{result['requests_per_cpu_s']:>8} req/cpu-s  p99 {result['latency_ms']['p99']} ms",
                        file=sys.stderr,
                    )
                ratios.append(
                    {
                        "path": path,
                        "provider": provider,
                        "concurrency": concurrency,
                        "throughput_batched_over_unbatched": round(row["batched"]["throughput_rps"] / row["unbatched"]["throughput_rps"], 2),
                        "per_cpu_s_batched_over_unbatched": round(
                            row["batched"]["requests_per_cpu_s"] / row["unbatched"]["requests_per_cpu_s"], 2
                        ),
                        "p50_batched_over_unbatched": round(row["batched"]["latency_ms"]["p50"] / row["unbatched"]["latency_ms"]["p50"], 2),
                        "p99_batched_over_unbatched": round(row["batched"]["latency_ms"]["p99"] / row["unbatched"]["latency_ms"]["p99"], 2),
                    }
                )
            batcher.close()
    report = {
        "bench": "accel",
        "config": {
            "requests_per_setting": args.requests,
            "alternating_rounds": args.rounds,
            "max_batch": args.max_batch,
            "max_wait_ms": args.max_wait_ms,
            "batch_workers": args.workers,
            "ort_threads": args.threads,
        },
        "providers_available": [short_name(p) for p in ort.get_available_providers()],
        "results": results,
        "ratios": ratios,
        "onnxruntime": ort.__version__,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
