"""A detected private span: where it is, what it is, and how sensitive."""

from __future__ import annotations

from dataclasses import dataclass

from memveil.shared.taxonomy import Level


@dataclass(frozen=True, slots=True)
class Span:
    """A private fragment of a text, `text == source_text[start:end]`.

    `type` is a taxonomy type name (open vocabulary, e.g. "Email", "Internal IP"), `level` its
    privacy level, `score` the recognizer's confidence in [0, 1], `source` which recognizer
    found it (for audits and debugging; never the value itself).
    """

    start: int
    end: int
    text: str
    type: str
    level: Level
    score: float
    source: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError("a span needs 0 <= start < end")
        if len(self.text) != self.end - self.start:
            raise ValueError("span text does not match its offsets")

    def __repr__(self) -> str:  # never print the value: reprs end up in logs and tracebacks
        return (
            f"Span(start={self.start}, end={self.end}, type={self.type!r}, "
            f"level={self.level.value}, score={self.score:.2f}, source={self.source!r})"
        )

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end
