"""The edge's sub-commands of `memveil`. Imports stay light: handlers load what they need."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from memveil.shared.cli import positive_int, require_extra


def register(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    eval_subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="run the edge and the cloud on this machine and show what each side sees",
        description="Offline demo: starts the memory service on loopback and talks to it through MemoryClient.",
    )
    demo.set_defaults(handler=_demo)

    extract = subparsers.add_parser(
        "extract",
        help="run the detector on a benchmark file and write its predictions",
        description=(
            "Read a benchmark JSONL file (one user per line) and write the same records with "
            "privacy_info_pred added to every user turn."
        ),
    )
    extract.add_argument("--input", type=Path, required=True, help="benchmark JSONL file")
    extract.add_argument("--output", type=Path, required=True, help="where to write the records with predictions")
    extract.add_argument("--threads", type=positive_int, default=None, help="detector threads (default: one per CPU)")
    extract.add_argument("--levels", default="PL2+", help="levels to predict: PL2+, PL3+ or PL4 (default: %(default)s)")
    extract.set_defaults(handler=_extract)

    from memveil.edge.audit.commands import register as register_audit

    register_audit(subparsers)

    extraction = eval_subparsers.add_parser(
        "extraction",
        help="score private-item extraction (the MemPrivacy metric, strict F1, protection)",
        description=(
            "Score extraction against a benchmark file's references: per-turn F1 (mean and product "
            "modes), strict micro F1, the protection view, per level and per language. Without --pred "
            "the detector runs here and its latency per user turn is measured."
        ),
    )
    extraction.add_argument("--data", type=Path, required=True, help="benchmark JSONL file with references")
    extraction.add_argument("--pred", type=Path, help="the output of `memveil extract` (or a model's, same format)")
    extraction.add_argument("--json", action="store_true", help="print the report as JSON")
    extraction.add_argument("--threads", type=positive_int, default=None, help="detector threads (default: one per CPU)")
    extraction.set_defaults(handler=_eval_extraction)


def _demo(args: argparse.Namespace) -> int:
    from memveil.edge.demo import run_demo

    return run_demo()


def _fail(message: object) -> int:
    print(f"memveil: {message}", file=sys.stderr)
    return 2


def _extract(args: argparse.Namespace) -> int:
    require_extra("edge", "phonenumbers")
    from memveil.edge.evaluation.benchmark import BenchmarkFormatError, count_records
    from memveil.edge.evaluation.progress import Progress
    from memveil.edge.extract import ExtractionRunner, extract_file
    from memveil.shared.taxonomy import Level, parse_levels

    try:
        levels = parse_levels(args.levels)
    except ValueError:
        return _fail(f"--levels: expected PL2+, PL3+, PL4 or similar, not {args.levels!r}")
    if Level.PL1 in levels:
        return _fail("--levels: PL1 is not private and is never extracted")
    try:
        progress = Progress(count_records(args.input), "extract")
        with ExtractionRunner(args.threads, levels) as runner:
            users, turns = extract_file(args.input, args.output, runner, progress)
        progress.close()
    except BenchmarkFormatError as exc:
        return _fail(exc)
    except OSError as exc:
        return _fail(f"{exc.filename or args.input}: {exc.strerror or exc}")
    print(f"wrote {args.output}: {users} users, {turns} user turns", file=sys.stderr)
    return 0


def _eval_extraction(args: argparse.Namespace) -> int:
    require_extra("edge", "onnxruntime", "tokenizers", "numpy", *(() if args.pred else ("phonenumbers",)))
    from memveil.edge.evaluation.benchmark import BenchmarkFormatError, count_records
    from memveil.edge.evaluation.evaluate import evaluate_extraction
    from memveil.edge.evaluation.progress import Progress

    try:
        progress = Progress(count_records(args.data), "eval extraction")
        report = evaluate_extraction(args.data, args.pred, threads=args.threads, progress=progress)
        progress.close()
    except BenchmarkFormatError as exc:
        return _fail(exc)
    except OSError as exc:
        return _fail(f"{exc.filename or args.data}: {exc.strerror or exc}")
    print(report.to_json() if args.json else report.to_table())
    return 0
