"""`memveil eval injection`: registered under `memveil eval` by `memveil.cloud.commands`.

Light at import (argparse only); the evaluation loads in the handler.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(eval_subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    injection = eval_subparsers.add_parser(
        "injection",
        help="measure indirect prompt injection with worker isolation off and on",
        description=(
            "Run agent tasks whose tool outputs carry injection payloads (the built-in bilingual corpus, "
            "and payloads from --data) with isolation off (a naive agent) and on (isolated workers), and "
            "report how often payload text reaches the main context or memory, how often the injected "
            "goal's action is attempted and executed, and utility on benign tasks."
        ),
    )
    injection.add_argument("--data", type=Path, help='extra payloads, JSONL: {"payload": ..., "goal": ...} per line')
    injection.add_argument("--json", action="store_true", help="print the report as JSON")
    injection.add_argument("--seed", type=int, default=0, help="corpus seed (default: %(default)s)")
    injection.add_argument("--no-corpus", action="store_true", help="only the payloads from --data")
    injection.add_argument(
        "--llm-base-url",
        help="an OpenAI-compatible API for the workers and the main model; key from MEMVEIL_LLM_API_KEY "
        "(default: $MEMVEIL_LLM_BASE_URL; without one, the offline worker and the scripted main model)",
    )
    injection.add_argument("--llm-model", help="the model (default: $MEMVEIL_LLM_MODEL)")
    injection.set_defaults(handler=_eval_injection)


def _eval_injection(args: argparse.Namespace) -> int:
    from memveil.cloud.workers.corpus import CorpusFormatError, load_external

    if args.no_corpus and args.data is None:
        print("memveil: --no-corpus needs --data", file=sys.stderr)
        return 2
    try:
        external = load_external(args.data) if args.data is not None else []
        report = run(external, seed=args.seed, corpus=not args.no_corpus, base_url=args.llm_base_url, model=args.llm_model)
    except CorpusFormatError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"memveil: {exc.filename or args.data}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # an incomplete LLM configuration
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    print(report.to_json() if args.json else report.to_table())
    return 0


def run(external: list[Any], *, seed: int = 0, corpus: bool = True, base_url: str | None = None, model: str | None = None) -> Any:
    """The evaluation over the corpus (unless `corpus` is False) and `external` payloads."""
    from memveil.cloud.workers import corpus as corpora
    from memveil.cloud.workers.agent import HijackedWorker, IsolatedAgent, NaiveAgent
    from memveil.cloud.workers.evaluation import evaluate
    from memveil.cloud.workers.extractors import EXTRACTORS
    from memveil.cloud.workers.planner import ScriptedPlanner
    from memveil.cloud.workers.runtime import WorkerRuntime
    from memveil.cloud.workers.worker import OfflineWorker

    tasks = corpora.tasks(seed)
    payloads = (corpora.payloads(seed) if corpus else []) + list(external)
    attacked = list(corpora.cases(payloads, tasks))
    llm = _llm(base_url, model)
    if llm is None:
        naive = NaiveAgent(ScriptedPlanner(), lambda task, content, context: EXTRACTORS[task.schema](content))
        agents = {
            "off": naive,
            "on": IsolatedAgent(ScriptedPlanner(), lambda: WorkerRuntime(OfflineWorker())),
            "hijacked": IsolatedAgent(ScriptedPlanner(), lambda: WorkerRuntime(HijackedWorker())),
        }
        return evaluate(tasks, attacked, agents, "offline extractors, scripted main model")
    from memveil.cloud.llm import LLMClient
    from memveil.cloud.workers.planner import LLMPlanner
    from memveil.cloud.workers.worker import LLMWorker

    client = LLMClient(llm)
    planner = LLMPlanner(client)

    def read(task: corpora.Task, content: str, context: str) -> dict[str, Any]:
        messages = [{"role": "user", "content": context + f"\n\nAnswer with {task.schema.__name__} as JSON."}]
        return client.parse(messages, task.schema).model_dump()

    worker = LLMWorker(llm)
    agents = {"off": NaiveAgent(planner, read), "on": IsolatedAgent(planner, lambda: WorkerRuntime(worker))}
    try:
        return evaluate(tasks, attacked, agents, f"LLM {llm.model}")
    finally:
        client.close()


def _llm(base_url: str | None, model: str | None) -> Any:
    from memveil.cloud.llm import LLMConfig

    return LLMConfig.from_env(base_url=base_url, model=model)
