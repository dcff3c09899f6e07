"""The memory guard: consensus validation on search, lessons on both search and formation.

`MemoryGuard.screen` runs after retrieval with one of three modes:

- `off`: the results as retrieved (the service as it was);
- `report`: every result, with the flags attached and the relevant lessons;
- `on`: flagged memories removed before anything reaches the agent, lessons returned.

Either way a flagged memory becomes a lesson (`memveil.cloud.lessons`), and
`MemoryGuard.admit` is what formation asks before it writes: a text that repeats a
flagged record is refused, which is what breaks the self-reinforcing cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from memveil.cloud.consensus import ConsensusValidator, Flag, TextEmbedder
from memveil.cloud.lessons import Lesson, LessonStore
from memveil.cloud.reasoning import PathExtractor
from memveil.shared.wire import GuardMode, Memory

GUARD_MODES: tuple[GuardMode, ...] = ("on", "off", "report")
LESSON = "lesson"
_LESSON_REASON = "repeats a record flagged before (lesson memory)"

_M = TypeVar("_M", bound=Memory)


@dataclass(frozen=True, slots=True)
class Screened(Generic[_M]):
    """What a guarded search hands on: the results, the flags and the lessons to consult."""

    results: list[_M]
    flags: list[Flag] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)


class MemoryGuard:
    def __init__(self, validator: ConsensusValidator, lessons: LessonStore, *, lesson_limit: int = 3) -> None:
        self.validator = validator
        self.lessons = lessons
        self.lesson_limit = lesson_limit

    def screen(
        self,
        tenant: str,
        user_id: str,
        query: str,
        query_vector: np.ndarray | None,
        hits: Sequence[_M],
        mode: GuardMode,
        memory_vectors: Mapping[str, np.ndarray] | None = None,
    ) -> Screened[_M]:
        """Validate the hits (best first) for the query; see the module for the modes.

        The query's vector is needed only to learn or consult lessons; without one, it is
        embedded then, and only then. `memory_vectors`: the hits' stored embeddings by id,
        which spare the validator embedding them again."""
        if mode == "off":
            return Screened(list(hits))
        if mode not in GUARD_MODES:
            raise ValueError("the guard mode must be on, off or report")
        report = self.validator.validate(query, hits, memory_vectors)
        flags = list(report.flags)
        flagged = {f.memory_id for f in flags}
        # A record caught before is flagged again, whatever this query's consensus says.
        repeated = self.lessons.flagged(tenant, user_id, [h.text for h in hits if h.id not in flagged])
        for hit in hits:
            if hit.id not in flagged and hit.text in repeated:
                flags.append(Flag(hit.id, LESSON, _LESSON_REASON))
                flagged.add(hit.id)
        vector = query_vector
        if report.flags or self.lessons.has(tenant, user_id):
            vector = self.validator.embedder.embed([query])[0] if vector is None else vector
        if report.flags:
            self.lessons.learn(tenant, user_id, report, hits, vector)
        lessons = [] if vector is None else self.lessons.relevant(tenant, user_id, vector, self.lesson_limit)
        results = list(hits) if mode == "report" else [h for h in hits if h.id not in flagged]
        return Screened(results, flags, lessons)

    def admit(self, tenant: str, user_id: str, texts: Sequence[str], vectors: Sequence[np.ndarray] | np.ndarray) -> list[bool]:
        """For each text formation wants to write, whether it may: False when it repeats a
        flagged record, exactly or as a near-duplicate."""
        return [self.lessons.matching(tenant, user_id, t, v) is None for t, v in zip(texts, vectors)]

    def close(self) -> None:
        self.lessons.close()


def service_guard(data_dir: Path, embedder: TextEmbedder, extractor: PathExtractor | None = None) -> MemoryGuard:
    """The guard of a service: reasoning paths from `extractor` (default: the deterministic
    one; an `LLMPathExtractor` for an LLM), lessons in `data_dir/lessons.sqlite3`."""
    return MemoryGuard(ConsensusValidator(embedder, extractor), LessonStore(Path(data_dir) / "lessons.sqlite3", embedder))
