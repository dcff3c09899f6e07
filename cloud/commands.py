"""`memveil serve` and `memveil keys`: the cloud side of the command line.

Imported by `memveil.shared.cli` on every invocation, so it imports nothing heavy: the
server's dependencies load inside the handler, after checking the `cloud` extra is there.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from memveil.cloud.auth import KeyStore, keys_path  # stdlib only
from memveil.cloud.workers.commands import register as register_injection  # argparse only
from memveil.cloud.evaluation.commands import register as register_poisoning  # argparse only
from memveil.shared.cli import positive_int, require_extra

if TYPE_CHECKING:
    from memveil.cloud.embedder import Embedder
    from memveil.cloud.engine import MemoryEngine
    from memveil.cloud.guard import MemoryGuard
    from memveil.cloud.llm import LLMClient
    from memveil.cloud.store import MemoryStore
    from memveil.cloud.workers.worker import Worker


def register(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    eval_subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    serve = subparsers.add_parser("serve", help="run the memory service", description="Run the memory service.")
    serve.add_argument("--data-dir", type=Path, required=True, help="where memories and API keys are stored")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8420, help="port to listen on (default: %(default)s)")
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"], help="(default: %(default)s)"
    )
    serve.add_argument("--max-body-bytes", type=int, default=1_000_000, help="largest request body (default: %(default)s)")
    serve.add_argument(
        "--database-url",
        help="keep memories in PostgreSQL + pgvector (postgresql://user@host/db) instead of SQLite in the data "
        "dir; prefer $MEMVEIL_DATABASE_URL, which keeps a password out of the process list",
    )
    serve.add_argument(
        "--llm-base-url",
        help="an OpenAI-compatible API (https://.../v1) for LLM memory formation; its key is read from "
        "MEMVEIL_LLM_API_KEY only (default: $MEMVEIL_LLM_BASE_URL; without one, the simple offline engine)",
    )
    serve.add_argument("--llm-model", help="the model that forms memories (default: $MEMVEIL_LLM_MODEL)")
    serve.add_argument("--llm-timeout", type=float, help="seconds per network step of a model call (default: 60)")
    serve.add_argument(
        "--worker",
        choices=["offline", "llm"],
        default="offline",
        help="what reads attachments in isolated worker contexts: deterministic extractors, or the LLM configured "
        "for formation (docs/workers.md) (default: %(default)s)",
    )
    serve.add_argument(
        "--guard-paths",
        choices=["offline", "llm"],
        default="offline",
        help="how the memory guard derives reasoning paths: deterministically, or by the LLM configured for "
        "formation (docs/guard.md) (default: %(default)s)",
    )
    serve.add_argument(
        "--providers",
        help="ONNX Runtime execution providers for the embedder, best first, e.g. cuda,cpu (default: "
        "$MEMVEIL_EXECUTION_PROVIDERS, else auto: a GPU when the onnxruntime build has one); the CPU is the fallback",
    )
    serve.add_argument(
        "--batch-max-size",
        type=int,
        default=32,
        help="texts per embedder call when concurrent requests are batched; 1 turns batching off (default: %(default)s)",
    )
    serve.add_argument(
        "--batch-max-wait-ms", type=float, default=2.0, help="longest a text waits for batch mates (default: %(default)s)"
    )
    serve.add_argument(
        "--batch-workers",
        type=positive_int,
        default=1,
        help="threads running embedder batches; on a CPU, about cores / --embed-threads (default: %(default)s)",
    )
    serve.add_argument(
        "--embed-threads",
        type=positive_int,
        help="ONNX Runtime intra-op threads per embedder call (default: ONNX Runtime's own, all cores)",
    )
    serve.set_defaults(handler=_serve)

    keys = subparsers.add_parser("keys", help="manage API keys", description="Manage the tenants' API keys.")
    actions = keys.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a key for a tenant and print it (once)")
    create.add_argument("--data-dir", type=Path, required=True)
    create.add_argument("--tenant", required=True, help="the tenant the key acts for")
    create.set_defaults(handler=_keys_create)
    listing = actions.add_parser("list", help="show key ids and their tenants (never the keys)")
    listing.add_argument("--data-dir", type=Path, required=True)
    listing.set_defaults(handler=_keys_list)
    revoke = actions.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("--data-dir", type=Path, required=True)
    revoke.add_argument("key_id", help="as shown by `memveil keys list`")
    revoke.set_defaults(handler=_keys_revoke)
    _register_utility(eval_subparsers)
    register_injection(eval_subparsers)
    register_poisoning(eval_subparsers)


def _serve(args: argparse.Namespace) -> int:
    require_extra("cloud", "fastapi", "uvicorn", "onnxruntime", "tokenizers", "numpy")
    import logging

    import uvicorn

    from memveil.cloud.app import create_app

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        llm = _llm_client(args)
        for flag, value in (("--guard-paths", args.guard_paths), ("--worker", args.worker)):
            if value == "llm" and llm is None:
                raise ValueError(f"{flag} llm needs an LLM: --llm-base-url and --llm-model (or $MEMVEIL_LLM_BASE_URL and $MEMVEIL_LLM_MODEL)")
    except ValueError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    try:
        store = _memory_store(args)
    except ValueError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    try:
        embedder = _embedder(args)
    except ValueError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    engine = _formation_engine(llm)
    guard = _llm_guard(args.data_dir, embedder, llm) if args.guard_paths == "llm" and llm is not None else None
    worker = _llm_worker(llm) if args.worker == "llm" and llm is not None else None
    app = create_app(
        args.data_dir, max_body_bytes=args.max_body_bytes, engine=engine, store=store, embedder=embedder, guard=guard, worker=worker
    )
    # uvicorn's access log prints query strings; the app logs method, path and status instead.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False, server_header=False)
    embedder.close()  # queued texts finish, then the batcher's thread ends
    return 0


def _embedder(args: argparse.Namespace) -> Embedder:
    """The embedder on the configured execution providers, behind a dynamic batcher unless
    --batch-max-size is 1. ValueError for an unknown provider or a bad batch setting."""
    from memveil.cloud.batcher import BatchConfig
    from memveil.cloud.embedder import Embedder

    batching = None
    if args.batch_max_size != 1:
        batching = BatchConfig(max_batch=args.batch_max_size, max_wait_ms=args.batch_max_wait_ms, workers=args.batch_workers)
    return Embedder(threads=args.embed_threads, providers=args.providers, batching=batching)


def _memory_store(args: argparse.Namespace) -> MemoryStore | None:
    """A `PostgresStore` when a database URL is given (flag or $MEMVEIL_DATABASE_URL), else None: SQLite."""
    url = args.database_url or os.environ.get("MEMVEIL_DATABASE_URL")
    if not url:
        return None
    require_extra("postgres", "psycopg", "psycopg_pool", "pgvector")
    import psycopg

    from memveil.cloud.postgres_store import PostgresStore

    try:
        return PostgresStore(url)
    except (psycopg.Error, RuntimeError) as exc:  # libpq names host, port and user, never the password
        raise ValueError(f"cannot open the database: {exc}") from None


def _llm_client(args: argparse.Namespace) -> LLMClient | None:
    """The configured LLM (flags or environment), or None. ValueError for an incomplete setup."""
    from memveil.cloud.llm import LLMClient, LLMConfig

    config = LLMConfig.from_env(base_url=args.llm_base_url, model=args.llm_model, timeout_s=args.llm_timeout)
    return None if config is None else LLMClient(config)


def _formation_engine(llm: LLMClient | None) -> MemoryEngine | None:
    """An `LLMEngine` when an LLM is configured, else None: the default engine."""
    import logging

    from memveil.cloud.engine import LLMEngine

    if llm is None:
        return None
    logging.getLogger("memveil.cloud").info("memory formation by the LLM %s", llm.config.model)
    return LLMEngine(llm)


def _llm_guard(data_dir: Path, embedder: Embedder, llm: LLMClient) -> MemoryGuard:
    """The memory guard with reasoning paths from the LLM (rules and the directive model still run)."""
    import logging

    from memveil.cloud.guard import service_guard
    from memveil.cloud.reasoning import LLMPathExtractor

    logging.getLogger("memveil.cloud").info("memory guard paths by the LLM %s", llm.config.model)
    return service_guard(data_dir, embedder, LLMPathExtractor(llm))


def _llm_worker(llm: LLMClient) -> Worker:
    """Attachments read by the LLM in isolated worker contexts (one attempt per call: the
    worker runtime owns retries and the budget)."""
    from memveil.cloud.workers.worker import LLMWorker

    return LLMWorker(llm.config)


def _key_store(data_dir: Path) -> KeyStore:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return KeyStore(keys_path(data_dir))


def _keys_create(args: argparse.Namespace) -> int:
    store = _key_store(args.data_dir)
    try:
        key, info = store.create(args.tenant)
    except ValueError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(key)
    print(f"created {info.key_id} for tenant {info.tenant}; the key is shown only this once", file=sys.stderr)
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    store = _key_store(args.data_dir)
    try:
        for info in store.list():
            state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
            print(f"{info.key_id}\t{info.tenant}\tcreated {info.created_at:%Y-%m-%d %H:%M}\t{state}")
    finally:
        store.close()
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    store = _key_store(args.data_dir)
    try:
        revoked = store.revoke(args.key_id)
    finally:
        store.close()
    if not revoked:
        print(f"memveil: no active key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}", file=sys.stderr)
    return 0


def _register_utility(eval_subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    utility = eval_subparsers.add_parser(
        "utility",
        help="measure what privacy costs the memory (raw, masked, generic, typed)",
        description=(
            "Replay each user's dialogue into a fresh memory store through the edge, then answer the "
            "file's questions from retrieved memories, restored on the device: multiple-choice accuracy "
            "and evidence recall@k per mode, and each protected mode's loss against raw."
        ),
    )
    utility.add_argument("--data", type=Path, required=True, help="benchmark JSONL file with questions")
    utility.add_argument(
        "--mode", choices=["raw", "masked", "generic", "typed", "all"], default="all", help="(default: %(default)s)"
    )
    utility.add_argument("--json", action="store_true", help="print the report as JSON")
    utility.add_argument("--top-k", type=positive_int, default=5, help="memories retrieved per question (default: %(default)s)")
    utility.add_argument("--limit-users", type=positive_int, help="evaluate only the first N users")
    utility.set_defaults(handler=_eval_utility)


def _eval_utility(args: argparse.Namespace) -> int:
    require_extra("edge", "phonenumbers", "sqlcipher3")
    require_extra("cloud", "onnxruntime", "tokenizers", "numpy")
    from memveil.edge.evaluation.benchmark import BenchmarkFormatError, count_records
    from memveil.edge.evaluation.progress import Progress
    from memveil.edge.evaluation.utility import MODES, UtilityEvaluation

    try:
        evaluation = UtilityEvaluation(MODES if args.mode == "all" else (args.mode,), top_k=args.top_k)
        users = count_records(args.data)
        progress = Progress(min(users, args.limit_users or users), "eval utility")
        report = evaluation.run(args.data, args.limit_users, progress)
        progress.close()
    except (BenchmarkFormatError, ValueError) as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"memveil: {exc.filename or args.data}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(report.to_json() if args.json else report.to_table())
    return 0
