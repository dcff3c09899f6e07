"""Memory store throughput and search latency at 10k-1M memories, SQLite and PostgreSQL.

Prints JSON on stdout (progress on stderr). Per backend and size: bulk ingest rate (through
`add_many`, batches of 1000), the HNSW build time (PostgreSQL: the index is dropped for the
load and built afterwards, as pgvector advises), ingest rate with every index in place,
search latency p50/p99 for dense, lexical and hybrid search (hybrid = `MemoryService.search`
less the query embedding, which is timed on its own), a delete, and on PostgreSQL recall@10
of the HNSW index against exact search for each `--ef-search`.

Vectors are random unit vectors. `--vectors uniform` draws them uniformly on the sphere: no
structure at all, the worst case for any index and unlike real embeddings. `--vectors lowrank`
draws them from a random 32-dimensional subspace plus a little noise, closer to sentence
embeddings, whose intrinsic dimension is low; queries come from the same law. All memories belong to one user, the worst case for a per-user search (a small
user is served by the b-tree and an exact sort). `--quality` instead scores the fusion on a
small hand-labelled set with the real embedder: dense only, lexical only, a min-max score
mix and reciprocal rank fusion.

Usage: python bench/cloud.py [--sizes 10000,100000] [--backends sqlite,postgres]
       [--dsn postgresql://...] [--ef-search 40,100,200] [--m 16] [--ef-construction 64]
       python bench/cloud.py --quality
The DSN defaults to $MEMVEIL_BENCH_POSTGRES_DSN or $MEMVEIL_TEST_POSTGRES_DSN.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from memveil.cloud.memory import MemoryService
from memveil.cloud.retrieval import candidates, fuse
from memveil.cloud.store import DIMENSION, MemoryStore, SQLiteStore
from memveil.shared.wire import Memory

TENANT, USER = "bench", "u0"
BATCH = 1000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- synthetic data ----------------------------------------------------------------------------


def vocabulary(size: int = 20_000, seed: int = 1) -> list[str]:
    rng = np.random.default_rng(seed)
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    return ["".join(rng.choice(syllables, size=int(rng.integers(2, 4)))) for _ in range(size)]


def texts(count: int, words: list[str], seed: int) -> list[str]:
    """Sentences of 8-14 words, Zipf-distributed; one in ten mentions an <Email_N>."""
    rng = np.random.default_rng(seed)
    ranks = np.minimum(rng.zipf(1.2, size=count * 14), len(words)) - 1
    lengths = rng.integers(8, 15, size=count)
    out, start = [], 0
    for i, length in enumerate(lengths):
        sentence = " ".join(words[r] for r in ranks[start : start + length])
        start += length
        out.append(f"{sentence} <Email_{i % 500 + 1}>." if i % 10 == 0 else sentence + ".")
    return out


def unit_vectors(count: int, seed: int, kind: str = "uniform") -> np.ndarray:
    """`count` unit vectors: uniform on the sphere, or near one fixed 32-dimensional subspace."""
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        out = rng.standard_normal((count, DIMENSION), dtype=np.float32)
    else:
        basis = np.random.default_rng(0).standard_normal((32, DIMENSION), dtype=np.float32)
        out = np.empty((count, DIMENSION), dtype=np.float32)
        for i in range(0, count, 100_000):
            n = min(100_000, count - i)
            out[i : i + n] = rng.standard_normal((n, 32), dtype=np.float32) @ basis
            out[i : i + n] += 0.1 * np.sqrt(32) * rng.standard_normal((n, DIMENSION), dtype=np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


class FixedEmbedder:
    """Query text -> a vector chosen in advance: hybrid search timed without the model."""

    dimension = DIMENSION

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed(self, items: Sequence[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in items])


# -- measuring ---------------------------------------------------------------------------------


def timed(calls: Sequence[Callable[[], Any]]) -> tuple[dict[str, float], list[Any]]:
    results, laps = [], []
    for call in calls:
        start = time.perf_counter()
        results.append(call())
        laps.append((time.perf_counter() - start) * 1000)
    laps.sort()
    summary = {
        "n": len(laps),
        "p50_ms": round(statistics.median(laps), 2),
        "p99_ms": round(laps[min(len(laps) - 1, int(round(0.99 * (len(laps) - 1))))], 2),
        "mean_ms": round(statistics.fmean(laps), 2),
    }
    return summary, results


def exact_top(matrix: np.ndarray, queries: np.ndarray, k: int) -> list[list[int]]:
    scores = queries @ matrix.T
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return [list(row[np.argsort(-scores[i, row])]) for i, row in enumerate(top)]


def open_postgres(dsn: str, schema: str, **options: Any) -> Any:
    from memveil.cloud.postgres_store import PostgresStore

    return PostgresStore(dsn, schema=schema, pool_size=2, **options)


def build_hnsw(dsn: str, schema: str, m: int, ef_construction: int, memory: str, workers: int) -> float:
    import psycopg

    from memveil.cloud.postgres_store import VECTOR_INDEX

    with psycopg.connect(dsn, autocommit=True, options=f"-c search_path={schema},public") as db:
        db.execute(f"SET maintenance_work_mem = '{memory}'")
        db.execute(f"SET max_parallel_maintenance_workers = {workers}")
        db.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
        start = time.perf_counter()
        db.execute(
            f"CREATE INDEX {VECTOR_INDEX} ON memories USING hnsw (embedding vector_cosine_ops) "
            f"WITH (m = {m}, ef_construction = {ef_construction})"
        )
        elapsed = time.perf_counter() - start
        db.execute("VACUUM ANALYZE memories")
    return elapsed


def drop_hnsw(dsn: str, schema: str) -> None:
    import psycopg

    from memveil.cloud.postgres_store import VECTOR_INDEX

    with psycopg.connect(dsn, autocommit=True, options=f"-c search_path={schema},public") as db:
        db.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")


def drop_schema(dsn: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def ingest(store: MemoryStore, corpus: list[str], vectors: np.ndarray) -> tuple[float, list[str]]:
    """Memories per second, and the ids in row order."""
    ids: list[str] = []
    start = time.perf_counter()
    for i in range(0, len(corpus), BATCH):
        ids += [m.id for m in store.add_many(TENANT, USER, None, corpus[i : i + BATCH], vectors[i : i + BATCH])]
        if i and i % 100_000 == 0:
            log(f"  {i} memories in")
    return len(corpus) / (time.perf_counter() - start), ids


def searches(
    store: MemoryStore, vectors: np.ndarray, ids: list[str], queries: np.ndarray, words: list[str]
) -> dict[str, Any]:
    """Dense, lexical and hybrid latency, and recall@10 of the dense search against exact."""
    rng = np.random.default_rng(7)
    phrases = [" ".join(rng.choice(words[100:5000], size=3)) + f" <Email_{rng.integers(1, 500)}>" for _ in queries]
    dense, hits = timed([lambda q=q: store.search_vector(TENANT, USER, None, q, 10) for q in queries])
    truth = exact_top(vectors, queries, 10)
    recall = statistics.fmean(
        len({m.id for m, _ in found} & {ids[row] for row in rows}) / 10 for found, rows in zip(hits, truth)
    )
    lexical, _ = timed([lambda p=p: store.search_text(TENANT, USER, None, p, candidates(10)) for p in phrases])
    service = MemoryService(store, engine=None, embedder=FixedEmbedder(dict(zip(phrases, queries))))  # type: ignore[arg-type]
    hybrid, _ = timed([lambda p=p: service.search(TENANT, USER, None, p, 10) for p in phrases])
    return {"dense": dense, "recall_at_10": round(recall, 4), "lexical": lexical, "hybrid": hybrid}


def run(backend: str, size: int, args: argparse.Namespace, words: list[str]) -> dict[str, Any]:
    log(f"{backend} {size}: generating")
    corpus, vectors = texts(size, words, seed=size), unit_vectors(size, seed=size, kind=args.vectors)
    # SQLite reads every vector of the user per query: fewer queries at the larger sizes.
    count = args.queries if backend == "postgres" else min(args.queries, max(5, 2_000_000 // size))
    queries = unit_vectors(count, seed=12345, kind=args.vectors)
    result: dict[str, Any] = {"backend": backend, "size": size, "vectors": args.vectors}
    result["load_average_1m_at_start"] = round(os.getloadavg()[0], 2)  # other work on the machine
    schema = f"bench_{size}"
    with tempfile.TemporaryDirectory(prefix="memveil-bench-") as tmp:
        if backend == "sqlite":
            store: Any = SQLiteStore(Path(tmp) / "memories.sqlite3")
        else:
            drop_schema(args.dsn, schema)
            store = open_postgres(args.dsn, schema)
            drop_hnsw(args.dsn, schema)
        try:
            log(f"{backend} {size}: ingesting")
            rate, ids = ingest(store, corpus, vectors)
            result["ingest_per_s"] = round(rate)
            if backend == "postgres":
                log(f"{backend} {size}: building HNSW")
                result["hnsw"] = {"m": args.m, "ef_construction": args.ef_construction}
                result["hnsw"]["build_s"] = round(
                    build_hnsw(args.dsn, schema, args.m, args.ef_construction, args.maintenance_work_mem, args.workers), 1
                )
                store.close()
                result["by_ef_search"] = []
                for ef in args.ef_search:
                    log(f"{backend} {size}: searching, ef_search={ef}")
                    store = open_postgres(args.dsn, schema, ef_search=ef)
                    result["by_ef_search"].append({"ef_search": ef, **searches(store, vectors, ids, queries, words)})
                    if ef != args.ef_search[-1]:
                        store.close()
            else:
                log(f"{backend} {size}: searching")
                result.update(searches(store, vectors, ids, queries, words))
            extra = texts(BATCH, words, seed=size + 1)
            start = time.perf_counter()
            added = store.add_many(TENANT, USER, None, extra, unit_vectors(BATCH, seed=size + 1))
            result["ingest_with_indexes_per_s"] = round(BATCH / (time.perf_counter() - start))
            result["delete"], _ = timed([lambda m=m: store.delete(TENANT, m.id) for m in added[:5]])
        finally:
            store.close()
            if backend == "postgres" and not args.keep:
                drop_schema(args.dsn, schema)
    return result


# -- fusion quality -----------------------------------------------------------------------------

#: (memory, queries that should find it first). A user's memories resemble each other: several
#: emails, relatives, allergies, pets. Some queries share words with their memory, some only
#: meaning, some name a placeholder; memories without queries are the hard negatives.
LABELLED: list[tuple[str, list[str]]] = [
    ("I have a dog named Biscuit.", ["my pet puppy", "what is Biscuit?", "walk Biscuit tonight"]),
    ("My other dog is named Pepper.", ["is Pepper a cat or a dog?"]),
    ("My email is <Email_1>.", ["where do I send mail to <Email_1>?", "is <Email_1> still mine?"]),
    ("My work email is <Email_2>.", ["send the report to <Email_2>"]),
    ("My old school email was <Email_3>.", ["forward the alumni letter to <Email_3>"]),
    ("I am allergic to peanuts.", ["peanut allergy", "can I eat satay with peanut sauce?"]),
    ("I am allergic to penicillin.", ["which antibiotics should I avoid?", "penicillin reaction"]),
    ("I am allergic to cats.", ["can I visit a house with a kitten?"]),
    ("I work as a nurse at <Organization_1>.", ["hospital shifts at <Organization_1>", "my nursing job"]),
    ("I work weekends at a bakery.", ["my side job on saturdays"]),
    ("My sister <Person_1> lives in <Location_1>.", ["where does <Person_1> live?", "family in <Location_1>"]),
    ("My brother <Person_2> studies physics.", ["what does <Person_2> study?"]),
    ("My friend <Person_5> lives in <Location_4>.", ["visit <Person_5>", "who do I know in <Location_4>?"]),
    ("I prefer window seats on long flights.", ["seat preference on planes"]),
    ("I fly to <Location_8> for work every month.", ["business trips to <Location_8>"]),
    ("I take my coffee black with no sugar.", ["how do I like my coffee?"]),
    ("I drink green tea in the afternoon.", ["afternoon tea habit"]),
    ("Our project codename is Zephyrine.", ["zephyrine", "secret name of the project"]),
    ("I run a marathon every spring.", ["marathon training"]),
    ("I run 5k every Sunday morning.", ["sunday morning run"]),
    ("My phone number is <Phone_Number_1>.", ["call me at <Phone_Number_1>"]),
    ("My phone number at work is <Phone_Number_2>.", ["office line <Phone_Number_2>"]),
    ("My doctor says my blood pressure is <Medical_Health_1>.", ["<Medical_Health_1> hypertension", "blood pressure reading"]),
    ("I pay rent of <Financial_1> each month.", ["monthly rent", "<Financial_1> payment"]),
    ("My landlord is <Person_9>.", ["who owns my flat?", "message <Person_9> about the boiler"]),
    ("I speak Portuguese and a little Mandarin.", ["do I speak Mandarin?"]),
    ("I speak fluent French.", ["french fluency"]),
    ("My car is a blue Subaru Outback.", ["what do I drive now?", "subaru service"]),
    ("I used to drive a red Honda Civic.", ["my old honda"]),
    ("I play the cello in a community orchestra.", ["orchestra rehearsal", "cello strings"]),
    ("I play the piano badly.", ["piano lessons"]),
    ("My daughter <Person_3> starts school in September.", ["when does <Person_3> start school?"]),
    ("My son <Person_8> starts college in <Location_7>.", ["<Person_8> college move"]),
    ("I moved to <Location_2> last year.", ["relocation to <Location_2>"]),
    ("I was born in <Location_3>.", ["birthplace <Location_3>"]),
    ("I am afraid of heights.", ["fear of tall places"]),
    ("I am afraid of spiders.", ["spider phobia"]),
    ("The wifi password at home is <Password_1>.", ["home wifi password", "<Password_1>"]),
    ("The office wifi password is <Password_2>.", ["<Password_2> network"]),
    ("I have a meeting with <Person_4> every Tuesday.", ["weekly call with <Person_4>"]),
    ("I have a meeting with <Person_7> every Friday.", ["friday sync with <Person_7>"]),
    ("I grow tomatoes and basil on my balcony.", ["tomato plants", "herbs on the balcony"]),
    ("I grow roses in the front yard.", ["rose garden"]),
    ("My bank is <Organization_3>.", ["account at <Organization_3>"]),
    ("My credit union is <Organization_4>.", ["loan from <Organization_4>"]),
    ("I donate to <Organization_2> every December.", ["<Organization_2> donation"]),
    ("My favourite author is Ursula Le Guin.", ["le guin novels"]),
    ("My favourite painter is Hokusai.", ["hokusai prints"]),
]


def quality(dsn: str | None) -> dict[str, Any]:
    from memveil.cloud.embedder import shared_embedder
    from memveil.cloud.lexical import query_keys

    embedder = shared_embedder()
    backends: list[tuple[str, Callable[[Path], Any]]] = [("sqlite", lambda tmp: SQLiteStore(tmp / "q.sqlite3"))]
    if dsn:
        backends.append(("postgres", lambda tmp: open_postgres(dsn, "bench_quality")))
    out: dict[str, Any] = {"memories": len(LABELLED), "queries": sum(len(q) for _, q in LABELLED)}
    for name, opener in backends:
        with tempfile.TemporaryDirectory() as tmp:
            if name == "postgres":
                drop_schema(dsn or "", "bench_quality")
            store = opener(Path(tmp))
            try:
                texts_ = [m for m, _ in LABELLED]
                ids = [m.id for m in store.add_many(TENANT, USER, None, texts_, embedder.embed(texts_))]
                ranks: dict[str, list[int]] = {k: [] for k in ("dense", "lexical", "score_mix", "rrf", "rrf_keys")}
                for row, (_, queries) in enumerate(LABELLED):
                    for query in queries:
                        dense = store.search_vector(TENANT, USER, None, embedder.embed([query])[0], 40)
                        lexical = store.search_text(TENANT, USER, None, query, 40)
                        for method, hits in (
                            ("dense", dense),
                            ("lexical", lexical),
                            ("score_mix", score_mix(dense, lexical)),
                            ("rrf", fuse([dense, lexical], set(), 40)),
                            ("rrf_keys", fuse([dense, lexical], query_keys(query), 40)),
                        ):
                            found = [m.id for m, _ in hits]
                            ranks[method].append(found.index(ids[row]) + 1 if ids[row] in found else 0)
                out[name] = {
                    method: {
                        "hit_at_1": round(sum(r == 1 for r in rs) / len(rs), 3),
                        "mrr": round(sum(1 / r for r in rs if r) / len(rs), 3),
                    }
                    for method, rs in ranks.items()
                }
            finally:
                store.close()
                if name == "postgres":
                    drop_schema(dsn or "", "bench_quality")
    return out


def score_mix(dense: list[tuple[Memory, float]], lexical: list[tuple[Memory, float]], alpha: float = 0.5) -> list[tuple[Memory, float]]:
    """The alternative to RRF: min-max normalise each list's scores, then mix them."""

    def normalised(hits: list[tuple[Memory, float]]) -> dict[str, float]:
        if not hits:
            return {}
        scores = [s for _, s in hits]
        low, span = min(scores), (max(scores) - min(scores)) or 1.0
        return {m.id: (s - low) / span for m, s in hits}

    d, lx = normalised(dense), normalised(lexical)
    memories = {m.id: m for m, _ in [*dense, *lexical]}
    mixed = [(memories[i], alpha * d.get(i, 0.0) + (1 - alpha) * lx.get(i, 0.0)) for i in memories]
    return sorted(mixed, key=lambda hit: -hit[1])


def query_embedding(count: int = 100) -> dict[str, float]:
    """What a real search adds to the hybrid figures: embedding the query with MiniLM."""
    from memveil.cloud.embedder import shared_embedder

    embedder = shared_embedder()
    embedder.embed(["warm up"])
    queries = [f"where did I say I would meet friend number {i} for coffee?" for i in range(count)]
    summary, _ = timed([lambda q=q: embedder.embed([q]) for q in queries])
    return summary


# -- main ---------------------------------------------------------------------------------------


def machine(dsn: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if dsn:
        import psycopg

        with psycopg.connect(dsn) as db:
            info["postgres"] = db.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
            info["pgvector"] = db.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()[0]  # type: ignore[index]
            info["shared_buffers"] = db.execute("SHOW shared_buffers").fetchone()[0]  # type: ignore[index]
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated memory counts (default: %(default)s)")
    parser.add_argument("--backends", default="sqlite,postgres", help="(default: %(default)s)")
    parser.add_argument("--dsn", default=os.environ.get("MEMVEIL_BENCH_POSTGRES_DSN") or os.environ.get("MEMVEIL_TEST_POSTGRES_DSN"))
    parser.add_argument("--vectors", choices=["uniform", "lowrank"], default="uniform", help="(default: %(default)s)")
    parser.add_argument("--queries", type=int, default=200, help="queries per measurement (SQLite: fewer at large sizes)")
    parser.add_argument("--ef-search", default="40,100,200,400", help="hnsw.ef_search values to sweep (default: %(default)s)")
    parser.add_argument("--m", type=int, default=16, help="HNSW m (default: %(default)s)")
    parser.add_argument("--ef-construction", type=int, default=64, help="HNSW ef_construction (default: %(default)s)")
    parser.add_argument("--maintenance-work-mem", default="6GB", help="for the HNSW build (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=1, help="parallel maintenance workers for the build (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench schemas")
    parser.add_argument("--quality", action="store_true", help="score the fusion on the labelled set instead")
    args = parser.parse_args()
    if args.quality:
        print(json.dumps({"machine": machine(args.dsn), "quality": quality(args.dsn)}, indent=2))
        return 0
    args.ef_search = [int(x) for x in args.ef_search.split(",")]
    backends = args.backends.split(",")
    if "postgres" in backends and not args.dsn:
        parser.error("the postgres backend needs --dsn (or $MEMVEIL_BENCH_POSTGRES_DSN)")
    words = vocabulary()
    runs = [run(b, int(size), args, words) for size in args.sizes.split(",") for b in backends]
    out = {"machine": machine(args.dsn if "postgres" in backends else None), "query_embedding": query_embedding(), "runs": runs}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
