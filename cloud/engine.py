"""Memory formation: turning a conversation into ADD / UPDATE / DELETE / NOOP operations.

`MemoryEngine` is the seam; an LLM-driven engine plugs in behind it. `SimpleEngine` is the
deterministic default: every statement a user makes is a fact, and embeddings decide whether
a fact is already known. Texts reach the engine with private values replaced by placeholder
tokens (`<Email_1>`); the engine keeps those tokens verbatim and never splits inside one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from memveil.cloud.embedder import Embedder
from memveil.shared.placeholder import PLACEHOLDER_RE, find_placeholders
from memveil.shared.wire import Memory, Message

OperationEvent = Literal["ADD", "UPDATE", "DELETE", "NOOP"]


@dataclass(frozen=True, slots=True)
class Operation:
    """One decision of formation. `target_id` names the existing memory (None for ADD);
    `reason` says why, for the memory's history."""

    event: OperationEvent
    text: str
    target_id: str | None = None
    reason: str | None = None


class MemoryEngine(Protocol):
    def form(self, messages: Sequence[Message], related: list[Memory]) -> list[Operation]:
        """Operations that bring the related memories up to date with the messages."""
        ...


# A sentence ends at . ! ? (then whitespace) or at Chinese/full-width 。！？ (then anything),
# with any closing quotes or brackets kept; line breaks always end one.
_SENTENCE_END = re.compile(r"""(?:[.!?]+["'\u201d\u2019)\]]*(?=\s)|[。！？]+["'\u201d\u2019）」』]*|\s*\n\s*)""")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "approx"})
_WORD = re.compile(r"[\w'’<>\-]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_FILLER = frozenset(
    {
        "ok", "okay", "ok thanks", "okay thanks", "thanks", "thank you", "thank you so much", "thanks a lot",
        "hi", "hello", "hey", "hi there", "hello there", "yes", "no", "yeah", "nope", "sure", "great",
        "cool", "nice", "got it", "sounds good", "bye", "goodbye", "good morning", "good night",
        "好的", "谢谢", "你好", "是的", "不是", "再见", "嗯", "好",
    }
)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, stripped. Placeholder tokens are never split."""
    protected = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if any(a < match.start() < b for a, b in protected):
            continue
        if match.group().strip() == "." and _ends_with_abbreviation(text[start : match.start()]):
            continue
        sentences.append(text[start:end].strip())
        start = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _ends_with_abbreviation(head: str) -> bool:
    words = head.rsplit(None, 1)
    return bool(words) and words[-1].lower().rstrip(".") in _ABBREVIATIONS


def is_fact(sentence: str) -> bool:
    """A statement worth remembering: not a question, not filler, not a fragment."""
    if sentence.endswith(("?", "？")):
        return False
    bare = re.sub(r"[\s\W_]+$", "", sentence.lower()).strip()
    bare = re.sub(r"^[\W_]+", "", bare)
    if bare in _FILLER:
        return False
    if PLACEHOLDER_RE.search(sentence):
        return True
    return len(_WORD.findall(sentence)) >= 3 or len(_CJK.findall(sentence)) >= 4


@dataclass(slots=True)
class _Known:
    """A memory as this request leaves it: existing (with an id) or added earlier in the request."""

    id: str | None
    text: str
    vector: np.ndarray
    op_index: int | None = None  # where its ADD/UPDATE sits in the operations, once it has one


class SimpleEngine:
    """Facts are user sentences; embeddings find the ones already remembered.

    For each fact, the most similar memory (among the related ones and the facts already
    taken from this request) decides, when their cosine is at least `threshold`:

    - the fact says no more than the memory (its placeholders are a subset of the memory's
      and its text is not longer): NOOP;
    - the fact says everything the memory did and more (a superset of placeholders, a longer
      text): UPDATE the memory to the fact;
    - otherwise the two mention different private values (`<Email_1>` vs `<Email_2>`), which
      no embedding can tell apart, so the fact is a new memory: ADD.

    Below the threshold the fact is new: ADD. The engine never deletes; people do, by id.
    """

    def __init__(self, embedder: Embedder, threshold: float = 0.92) -> None:
        self.embedder = embedder
        self.threshold = threshold

    def facts(self, messages: Sequence[Message]) -> list[str]:
        found: list[str] = []
        for message in messages:
            if message.role != "user":
                continue
            for sentence in split_sentences(message.content):
                if is_fact(sentence) and sentence not in found:
                    found.append(sentence)
        return found

    def form(self, messages: Sequence[Message], related: list[Memory]) -> list[Operation]:
        facts = self.facts(messages)
        if not facts:
            return []
        vectors = self.embedder.embed([*facts, *(m.text for m in related)])
        known = [_Known(m.id, m.text, vectors[len(facts) + i]) for i, m in enumerate(related)]
        operations: list[Operation] = []
        for fact, vector in zip(facts, vectors[: len(facts)]):
            best = max(known, key=lambda k: float(k.vector @ vector), default=None)
            if best is None or float(best.vector @ vector) < self.threshold:
                known.append(_Known(None, fact, vector, len(operations)))
                operations.append(Operation("ADD", fact))
                continue
            new, old = set(find_placeholders(fact)), set(find_placeholders(best.text))
            if new <= old and len(fact) <= len(best.text):
                if best.id is not None and best.op_index is None:
                    operations.append(Operation("NOOP", best.text, best.id))
            elif new >= old and len(fact) > len(best.text):
                self._rewrite(best, fact, vector, operations)
            else:
                known.append(_Known(None, fact, vector, len(operations)))
                operations.append(Operation("ADD", fact))
        return operations

    @staticmethod
    def _rewrite(memory: _Known, text: str, vector: np.ndarray, operations: list[Operation]) -> None:
        """Point the memory at the new text, folding into its ADD/UPDATE when it already has one."""
        memory.text, memory.vector = text, vector
        if memory.op_index is None:
            memory.op_index = len(operations)
            operations.append(Operation("UPDATE", text, memory.id))
        else:
            previous = operations[memory.op_index]
            operations[memory.op_index] = Operation(previous.event, text, previous.target_id)
