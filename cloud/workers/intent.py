"""The intent a main context declares before it reads any untrusted content.

Declaring first is the point: the schema (what may come back), the task and the tools the
user's request allows are fixed while the context is still clean, so nothing a document
says can widen them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from memveil.cloud.workers.schemas import IntentSchema


@dataclass(frozen=True, slots=True)
class Intent:
    """`tools`: side-effecting tools the request allows. `target_fields`: schema fields whose
    values may serve as an action's target (an e-mail's sender to reply to), besides the
    targets the request itself names."""

    request: str
    schema: type[IntentSchema]
    task: str
    tools: frozenset[str] = field(default_factory=frozenset)
    target_fields: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not (isinstance(self.schema, type) and issubclass(self.schema, IntentSchema)):
            raise TypeError("an intent's schema must be an IntentSchema subclass")
        unknown = self.target_fields - set(self.schema.model_fields)
        if unknown:
            raise ValueError(f"target fields not in {self.schema.__name__}: {sorted(unknown)}")

    def nested(self, task: str, schema: type[IntentSchema]) -> Intent:
        """A subtask's intent: the same request, its own schema, no tools."""
        return Intent(self.request, schema, task)
