"""The two kinds of context: a worker's, fresh and disposable, and the main agent's, clean.

A `WorkerContext` holds only what one worker may see: its task, the schema to fill and the
untrusted content (plus, on a retry, why its last output was refused). It is built anew for
every attempt and dropped with the worker, trace and all.

A `MainContext` holds the user's request, the intents declared for it and the values that
came back. Its only way in is `receive`, which takes instances of a declared schema and
validates them again, so raw content, worker traces or a hand-built (`model_construct`)
value cannot enter by mistake: there is no method that takes text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from memveil.cloud.workers.intent import Intent
from memveil.cloud.workers.schemas import IntentSchema


@dataclass(frozen=True, slots=True)
class WorkerContext:
    task: str
    schema: type[IntentSchema]
    content: str
    depth: int = 0
    feedback: tuple[str, ...] = ()


class MainContext:
    """The main agent's context: the request, declared intents and validated values only."""

    def __init__(self, request: str) -> None:
        self.request = request
        self._intents: list[Intent] = []
        self._values: list[tuple[Intent, IntentSchema]] = []

    def declare(
        self,
        schema: type[IntentSchema],
        task: str,
        tools: Iterable[str] = (),
        target_fields: Iterable[str] = (),
    ) -> Intent:
        """Fix what a worker may return and what the request allows, before any content is read."""
        intent = Intent(self.request, schema, task, frozenset(tools), frozenset(target_fields))
        self._intents.append(intent)
        return intent

    @property
    def intents(self) -> tuple[Intent, ...]:
        return tuple(self._intents)

    @property
    def values(self) -> tuple[IntentSchema, ...]:
        return tuple(value for _, value in self._values)

    def receive(self, value: IntentSchema, intent: Intent | None = None) -> None:
        """Take in a validated value of a declared schema; anything else is a `TypeError`."""
        candidates = [i for i in self._intents if (intent is None or i is intent) and type(value) is i.schema]
        if not isinstance(value, IntentSchema) or not candidates:
            raise TypeError("a main context only receives values of a schema it declared")
        try:  # a value built with model_construct skipped validation: validate it now
            checked = type(value).model_validate(value.model_dump(), strict=True)
        except ValidationError:
            raise TypeError(f"the {type(value).__name__} value does not validate") from None
        self._values.append((candidates[0], checked))

    def tools(self) -> frozenset[str]:
        """Every tool some declared intent allows."""
        return frozenset().union(*(i.tools for i in self._intents))

    def target_values(self) -> set[str]:
        """Values of the fields intents mark as targets."""
        return {
            str(getattr(value, name))
            for intent, value in self._values
            for name in intent.target_fields
            if getattr(value, name, None) is not None
        }

    def strings(self) -> list[str]:
        """Every string in the validated values: what an action's argument may be drawn from."""
        found: list[str] = []
        for value in self.values:
            _collect(value.model_dump(), found)
        return found

    def memory_texts(self) -> list[str]:
        return [text for value in self.values for text in value.memory_texts()]

    def render(self) -> str:
        """What the main model reads: the request, then each value as JSON under its schema's name."""
        lines = [f"User request: {self.request}"]
        for value in self.values:
            lines.append(f"{type(value).__name__}: {json.dumps(value.model_dump(), ensure_ascii=False)}")
        return "\n".join(lines)


def _collect(node: Any, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for item in node.values():
            _collect(item, out)
    elif isinstance(node, list):
        for item in node:
            _collect(item, out)
