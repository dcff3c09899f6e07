"""Search latency with the offline memory guard on vs off, top-5, one thread.

Prints JSON. Off and on run in the same process over the same stores and queries, one
after the other per query (alternating which goes first), so `ratio` is what the guard
adds whatever the machine's speed. The stores are the generated poisoning corpus's users,
each with its benign memories and two of its poisoned records; the queries are the users'
own questions and the attack queries (triggers included).

Two embedder states are measured:
- `warm`: the service's default embedding cache; every measured query is new (a numbered
  suffix), so the search always embeds its query, while memory paths seen before are
  cached, as in a running service;
- `cold`: no embedding cache at all: every text the guard embeds costs a model run.

Usage: python bench/guard.py [--users 4] [--repeat 2] [--k 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from memveil.cloud.consensus import ConsensusValidator  # noqa: E402
from memveil.cloud.embedder import Embedder  # noqa: E402
from memveil.cloud.engine import SimpleEngine  # noqa: E402
from memveil.cloud.evaluation.poison_corpus import generate  # noqa: E402
from memveil.cloud.evaluation.poisoning import attack_query  # noqa: E402
from memveil.cloud.guard import MemoryGuard  # noqa: E402
from memveil.cloud.lessons import LessonStore  # noqa: E402
from memveil.cloud.memory import MemoryService  # noqa: E402
from memveil.cloud.store import SQLiteStore  # noqa: E402

TENANT = "bench"


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "mean_ms": round(1000 * statistics.fmean(ordered), 3),
        "p50_ms": round(1000 * ordered[len(ordered) // 2], 3),
        "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
    }


def measure(embedder: Embedder, users: int, repeat: int, k: int, unique: bool) -> dict[str, object]:
    corpus = generate(users_per_language=max(1, users // 2), cases_per_family=2)
    with tempfile.TemporaryDirectory(prefix="memveil-bench-guard-") as tmp:
        store = SQLiteStore(Path(tmp) / "memories.sqlite3")
        guard = MemoryGuard(ConsensusValidator(embedder, top_k=k), LessonStore(Path(tmp) / "lessons.sqlite3", embedder))
        service = MemoryService(store, SimpleEngine(embedder), embedder, guard)
        queries: list[tuple[str, str]] = []
        for user in corpus.users:
            attacks = [c for c in corpus.cases if c.user == user.name][:2]
            service.bulk_add(TENANT, user.name, None, [*user.memories, *(c.record for c in attacks)])
            queries += [(user.name, q) for q in user.queries] + [(user.name, attack_query(c)) for c in attacks]
        timings: dict[str, list[float]] = {"off": [], "on": []}
        flagged = 0
        n = 0
        for _ in range(repeat):
            for user, query in queries:
                order = ("off", "on") if n % 2 == 0 else ("on", "off")
                for mode in order:
                    n += 1
                    text = f"{query} (#{n})" if unique else query
                    start = time.perf_counter()
                    screened = service.guarded_search(TENANT, user, None, text, k, mode)  # type: ignore[arg-type]
                    timings[mode].append(time.perf_counter() - start)
                    flagged += mode == "on" and bool(screened.flags)
        store.close()
        guard.close()
    off, on = _stats(timings["off"]), _stats(timings["on"])
    return {
        "searches_per_mode": len(timings["off"]),
        "searches_with_flags": flagged,
        "off": off,
        "on": on,
        "ratio_mean": round(on["mean_ms"] / off["mean_ms"], 3),
        "ratio_p50": round(on["p50_ms"] / off["p50_ms"], 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=4, help="generated users, half English, half Chinese (default: 4)")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the queries (default: 2)")
    parser.add_argument("--k", type=int, default=5, help="results per search, all validated (default: 5)")
    args = parser.parse_args(argv)
    warm = Embedder(threads=1)
    cold = Embedder(threads=1, cache_size=0)
    warm.embed(["warm up"])
    cold.embed(["warm up"])
    result = {
        "what": "MemoryService.guarded_search latency, offline guard on vs off (hybrid search, SQLite)",
        "k": args.k,
        "warm": measure(warm, args.users, args.repeat, args.k, unique=True),
        "cold": measure(cold, args.users, args.repeat, args.k, unique=False),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
