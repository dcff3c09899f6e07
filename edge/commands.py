"""The edge's sub-commands of `memveil`. Imports stay light: handlers load what they need."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = subparsers.add_parser(
        "demo",
        help="run the edge and the cloud on this machine and show what each side sees",
        description="Offline demo: starts the memory service on loopback and talks to it through MemoryClient.",
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from memveil.edge.demo import run_demo

    return run_demo()
