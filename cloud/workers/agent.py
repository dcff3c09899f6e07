"""Two agents over the same task, for the injection evaluation: isolation off and on.

`NaiveAgent` does what most agents do: the tool output goes into its context, whole, and its
sentences into memory. `IsolatedAgent` declares the intent first, lets a worker read the
content, receives only the validated value, writes to memory and acts only where the
validator agrees. Both use the same planner (main model) and the same extraction, so the
difference between them is the isolation alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from memveil.cloud.workers.budget import BudgetExceeded
from memveil.cloud.workers.context import MainContext
from memveil.cloud.workers.corpus import Task
from memveil.cloud.workers.context import WorkerContext
from memveil.cloud.workers.extractors import EXTRACTORS, one_line, split_sentences, visible_text
from memveil.cloud.workers.pool import WorkerKilled
from memveil.cloud.workers.runtime import WorkerFailed, WorkerRuntime
from memveil.cloud.workers.schemas import ActionItems, DocumentFacts, EmailSummary, FlightBooking, ToolResult
from memveil.cloud.workers.validator import ToolCall, Validator
from memveil.cloud.workers.worker import Supervisor


class Planner(Protocol):
    def plan(self, context: str) -> list[ToolCall]: ...


@dataclass
class Outcome:
    """What one agent did with one task: its main context, memory and actions, and its answer."""

    main_context: str
    memory: list[str]
    attempted: list[ToolCall]
    executed: list[ToolCall]
    answer: dict[str, Any] | None
    failure: str | None = None
    blocked: list[str] = field(default_factory=list)


#: The naive agent's reading of a task's content (and its whole context) into an answer's fields.
Reader = Callable[[Task, str, str], dict[str, Any]]


class NaiveAgent:
    """Isolation off: tool output in the main context and, sentence by sentence, in memory."""

    def __init__(self, planner: Planner, reader: Reader) -> None:
        self.planner, self.reader = planner, reader

    def handle(self, task: Task, content: str) -> Outcome:
        context = f"User request: {task.request}\nTool output ({task.attachment}):\n{content}"
        try:
            answer, failure = self.reader(task, content, context), None
        except Exception as exc:  # noqa: BLE001 - an LLM that failed: no answer
            answer, failure = None, type(exc).__name__
        memory = [s for s in split_sentences(content) if len(s.split()) >= 3 or len(s) >= 6]
        calls = self.planner.plan(context)
        return Outcome(context, memory, calls, calls, answer, failure)


class IsolatedAgent:
    """Isolation on: intent first, a worker reads, only validated values come back."""

    def __init__(self, planner: Planner, runtime_factory: Callable[[], WorkerRuntime]) -> None:
        self.planner, self.runtime_factory = planner, runtime_factory

    def handle(self, task: Task, content: str) -> Outcome:
        main = MainContext(task.request)
        intent = main.declare(task.schema, f"Fill {task.schema.__name__} for the user's request", tools=task.tools)
        failure = None
        try:
            main.receive(self.runtime_factory().run(intent, content), intent)
        except (WorkerFailed, BudgetExceeded, WorkerKilled) as exc:
            failure = str(exc)
        validator = Validator(main)
        memory = [text for text in main.memory_texts() if validator.check_memory_write(text).allowed]
        attempted = self.planner.plan(main.render()) + _task_calls(main)
        executed, blocked = [], []
        for call in attempted:
            verdict = validator.check_tool_call(call)
            (executed if verdict.allowed else blocked).append(call if verdict.allowed else verdict.reason)  # type: ignore[arg-type]
        answer = main.values[0].model_dump() if main.values else None
        return Outcome(main.render(), memory, attempted, executed, answer, failure, blocked)


def _task_calls(main: MainContext) -> list[ToolCall]:
    """The side effects the user's request asks for, from validated values only."""
    calls = []
    for value in main.values:
        if isinstance(value, FlightBooking) and "create_event" in main.tools():
            calls.append(ToolCall("create_event", {"title": value.flight_number, "date": value.date}))
        if isinstance(value, ActionItems) and "create_todo" in main.tools():
            calls.extend(ToolCall("create_todo", {"task": item.task}) for item in value.items)
    return calls


class HijackedWorker:
    """A worker the content has taken over: it answers the task, and copies every paragraph of
    the content into every free-text slot it has. With it, the boundary and the sanitizer are
    the only defence left, which is what the evaluation's "hijacked" column measures."""

    def run(self, context: WorkerContext, supervisor: Supervisor) -> str:
        answer = EXTRACTORS[context.schema](context.content)
        paragraphs = [one_line(p, 300) for p in visible_text(context.content).split("\n\n") if p.strip()]
        if context.schema is DocumentFacts:
            answer["facts"] = (answer["facts"] + paragraphs)[:20]
        elif context.schema is ActionItems:
            answer["items"] = (answer["items"] + [{"owner": None, "task": one_line(p, 160), "due": None} for p in paragraphs])[:20]
        elif context.schema is EmailSummary:
            answer["summary"] = max(paragraphs[1:] or [""], key=len) or None
        elif context.schema is ToolResult:
            answer["fields"] = (answer["fields"] + [{"name": f"note_{i}", "value": one_line(p, 200)} for i, p in enumerate(paragraphs)])[:30]
        return json.dumps(answer, ensure_ascii=False)
