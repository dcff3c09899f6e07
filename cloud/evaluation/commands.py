"""`memveil eval poisoning`: registered under `memveil eval` by `memveil.cloud.commands`.

Light at import (argparse only); the evaluation loads in the handler.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from memveil.shared.cli import positive_int


def register(eval_subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    poisoning = eval_subparsers.add_parser(
        "poisoning",
        help="measure memory poisoning with the memory guard off and on",
        description=(
            "Build memory stores from benign records, inject poisoned ones (AgentPoison- and MINJA-style "
            "trigger-conditioned records, instruction injection, redirections), run the victims' queries and "
            "report attack success with the guard off and on (held-out families apart), how often a flagged "
            "record is refused when formation tries to learn it again, and false flags on benign-only stores. "
            "Without --data, the built-in bilingual corpus."
        ),
    )
    poisoning.add_argument(
        "--data",
        type=Path,
        help='an external corpus instead, JSONL: {"kind": "poisoned"|"benign", "query", "record", "trigger", '
        '"malicious_goal"} per line',
    )
    poisoning.add_argument("--json", action="store_true", help="print the report as JSON")
    poisoning.add_argument("--top-k", type=positive_int, default=5, help="memories retrieved and validated per query (default: %(default)s)")
    poisoning.add_argument("--seed", type=int, default=7, help="seed of the built-in corpus (default: %(default)s)")
    poisoning.add_argument(
        "--llm-base-url",
        help="an OpenAI-compatible API for reasoning paths; key from MEMVEIL_LLM_API_KEY (default: "
        "$MEMVEIL_LLM_BASE_URL; without one, the offline paths)",
    )
    poisoning.add_argument("--llm-model", help="the model (default: $MEMVEIL_LLM_MODEL)")
    poisoning.set_defaults(handler=_eval_poisoning)


def _eval_poisoning(args: argparse.Namespace) -> int:
    from memveil.shared.cli import require_extra

    require_extra("cloud", "onnxruntime", "tokenizers", "numpy")
    from memveil.cloud.consensus import ConsensusValidator
    from memveil.cloud.embedder import shared_embedder
    from memveil.cloud.evaluation.poison_corpus import generate
    from memveil.cloud.evaluation.poisoning import PoisonDataError, PoisoningEvaluation, read_cases
    from memveil.cloud.llm import LLMClient, LLMConfig
    from memveil.cloud.reasoning import LLMPathExtractor

    client = None
    try:
        config = LLMConfig.from_env(base_url=args.llm_base_url, model=args.llm_model)
        embedder = shared_embedder()
        extractor = None
        if config is not None:
            client = LLMClient(config)
            extractor = LLMPathExtractor(client)
        evaluation = PoisoningEvaluation(embedder, ConsensusValidator(embedder, extractor, top_k=args.top_k), args.top_k)
        if args.data is not None:
            report = evaluation.run_external(read_cases(args.data), str(args.data))
        else:
            report = evaluation.run_generated(generate(seed=args.seed))
    except PoisonDataError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"memveil: {exc.filename or args.data}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # an incomplete LLM configuration
        print(f"memveil: {exc}", file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
    print(report.to_json() if args.json else report.to_table())
    return 0
