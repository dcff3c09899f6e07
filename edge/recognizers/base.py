"""The recognizer interface: one plug-in shape for patterns, context-scored formats and the learned tagger."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from memveil.edge.span import Span


@runtime_checkable
class Recognizer(Protocol):
    """Finds private spans in a text.

    A recognizer reports candidates; it does not resolve overlaps with other recognizers
    (the detector does). It must be safe to call from several threads at once.
    """

    name: str

    def analyze(self, text: str) -> list[Span]: ...
