"""The `memveil` command: one entry point, with each side's commands hung off it.

The edge and the cloud install separately (extras), so each side registers its own
sub-commands from a light `commands` module that imports nothing heavy; a command whose
extra is missing says which one to install instead of failing with an ImportError.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from memveil.shared import __version__

# Modules that expose `register(subparsers, eval_subparsers)`; each imports its heavy
# dependencies lazily. `eval` is one group both sides add targets to (extraction, utility...).
_COMMAND_MODULES = ("memveil.edge.commands", "memveil.cloud.commands")


class MissingExtraError(RuntimeError):
    """A command needs an optional extra that is not installed."""

    def __init__(self, extra: str, missing: str) -> None:
        super().__init__(
            f"this command needs the '{extra}' extra ({missing} is not installed): "
            f"pip install 'memveil[{extra}]'"
        )


def positive_int(value: str) -> int:
    """argparse type for counts (threads, limits): a clear message instead of a traceback."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {value!r}")
    return number


def require_extra(extra: str, *modules: str) -> None:
    """Raise MissingExtraError unless every module is installed. Found, not imported: a
    command that fails for a missing extra should fail at once, before heavy imports."""
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtraError(extra, module)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="memveil",
        description="Privacy-preserving edge-cloud memory for LLM agents.",
    )
    parser.add_argument("--version", action="version", version=f"memveil {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    evaluation = subparsers.add_parser(
        "eval", help="score memveil on a benchmark", description="Score memveil on a benchmark file."
    )
    eval_subparsers = evaluation.add_subparsers(dest="eval_target", metavar="TARGET", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a side that is not part of this install
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(subparsers, eval_subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except MissingExtraError as exc:
        print(f"memveil: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
