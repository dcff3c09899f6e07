"""The event-triggered validator: checks run when a side effect or a memory write is about
to happen, not on every token, so their cost grows with actions rather than with context.

A tool call must follow from the user's request and validated values: the tool is one a
declared intent allows, every argument comes from the request or a validated field, no
argument names a target (address, URL, account) that the request or a target field did not
give, and none reads as an instruction. A memory write must be a text a validated value
yields and must not read as an instruction. Verdicts give reasons without values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from memveil.cloud.workers.context import MainContext
from memveil.cloud.workers.sanitize import findings
from memveil.cloud.workers.targets import find_targets, foreign_targets, normalize


@dataclass(frozen=True, slots=True)
class ToolCall:
    tool: str
    arguments: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""


class ActionBlocked(PermissionError):
    """A side effect or memory write the validator refused."""


def _fold(text: str) -> str:
    return " ".join(normalize(text).lower().split())


class Validator:
    """Judges the actions a main agent proposes against its `MainContext`."""

    def __init__(self, context: MainContext) -> None:
        self.context = context

    def _allowed_targets(self) -> set[str]:
        return find_targets(self.context.request) | set().union(*(find_targets(v) for v in self.context.target_values()))

    def check_tool_call(self, call: ToolCall) -> Verdict:
        if call.tool not in self.context.tools():
            return Verdict(False, f"the user's request does not allow the tool {call.tool!r}")
        request = _fold(self.context.request)
        sources = [_fold(s) for s in self.context.strings()]
        allowed = self._allowed_targets()
        for name, value in call.arguments.items():
            text = _fold(str(value))
            if not text:
                continue
            derived = any(text == s or (len(text) >= 3 and text in s) for s in (request, *sources))
            if not derived:
                return Verdict(False, f"argument {name!r} comes from neither the request nor a validated value")
            if foreign_targets(str(value), allowed):
                return Verdict(False, f"argument {name!r} names a target the user did not give")
            if findings(str(value), self.context.request):
                return Verdict(False, f"argument {name!r} reads as an instruction")
        return Verdict(True)

    def check_memory_write(self, text: str) -> Verdict:
        if text not in self.context.memory_texts():
            return Verdict(False, "a memory must be a text a validated value yields")
        # An address in a fact is data, not a target: only instruction kinds count here.
        if any(f.kind != "foreign_target" for f in findings(text, self.context.request)):
            return Verdict(False, "the memory text reads as an instruction")
        return Verdict(True)

    def require_tool_call(self, call: ToolCall) -> None:
        verdict = self.check_tool_call(call)
        if not verdict.allowed:
            raise ActionBlocked(verdict.reason)

    def require_memory_write(self, text: str) -> None:
        verdict = self.check_memory_write(text)
        if not verdict.allowed:
            raise ActionBlocked(verdict.reason)
