"""PrivacyDetector: the single entry point for finding private spans in a text.

It runs every recognizer, adds the user's own name, and resolves overlaps so that each
region of the text carries one span. Recognizers see a width-normalised copy of the text
(full-width ASCII folded to ASCII, one character for one, so offsets are unchanged) because
Chinese input often types digits and colons full-width; spans carry the original text.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from memveil.edge.recognizers import Recognizer, UserNameRecognizer, default_recognizers
from memveil.edge.span import Span

# U+FF01..U+FF5E are full-width forms of U+0021..U+007E; U+3000 is the ideographic space.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep one span per region: higher score first, then the longer span, then the higher
    level, then the earlier start. The result is sorted by start and non-overlapping."""
    ranked = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), -s.level.rank, s.start))
    starts: list[int] = []
    kept: list[Span] = []  # sorted by start, non-overlapping
    for span in ranked:
        i = bisect.bisect_left(starts, span.start)
        if i > 0 and kept[i - 1].end > span.start:
            continue
        if i < len(kept) and kept[i].start < span.end:
            continue
        starts.insert(i, span.start)
        kept.insert(i, span)
    return kept


class PrivacyDetector:
    """Finds private spans with a set of recognizers (default: Presidio + memveil's own).

    `threads` caps the worker threads of `detect_many` (and of the learned tagger when one
    is plugged in); None means `os.cpu_count()`. Instances are safe to share across threads.
    """

    def __init__(self, threads: int | None = None, recognizers: Sequence[Recognizer] | None = None) -> None:
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
            raise ValueError("threads must be a positive integer or None")
        self.threads: int = threads if threads is not None else (os.cpu_count() or 1)
        chosen = default_recognizers() if recognizers is None else list(recognizers)
        for recognizer in chosen:
            if not isinstance(recognizer, Recognizer):
                raise TypeError(f"{type(recognizer).__name__} does not implement Recognizer")
        self._recognizers: tuple[Recognizer, ...] = tuple(chosen)

    @property
    def recognizers(self) -> tuple[Recognizer, ...]:
        return self._recognizers

    def detect(self, text: str, user_name: str | None = None) -> list[Span]:
        """Private spans of `text`, sorted by start and non-overlapping.

        `user_name` is the device owner's name; its occurrences become "Real Name" (PL2).
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        if user_name is not None and not isinstance(user_name, str):
            raise TypeError(f"user_name must be str or None, not {type(user_name).__name__}")
        if not text:
            return []
        folded = text.translate(_WIDTH_FOLD)
        changed = folded != text
        recognizers: Sequence[Recognizer] = self._recognizers
        if user_name and user_name.strip():
            recognizers = (*recognizers, UserNameRecognizer(user_name))
        candidates: list[Span] = []
        for recognizer in recognizers:
            for span in recognizer.analyze(folded):
                if span.end > len(text):
                    continue
                if changed:
                    span = dataclasses.replace(span, text=text[span.start : span.end])
                candidates.append(span)
        return resolve_overlaps(candidates)

    def detect_many(self, texts: Iterable[str], user_name: str | None = None) -> list[list[Span]]:
        """`[detect(t, user_name) for t in texts]`, spread over up to `threads` threads."""
        if isinstance(texts, str):
            raise TypeError("texts must be an iterable of str, not a single str")
        batch = list(texts)
        for i, text in enumerate(batch):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be str, not {type(text).__name__}")
        workers = min(self.threads, len(batch))
        if workers <= 1:
            return [self.detect(text, user_name) for text in batch]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="memveil-detect") as pool:
            return list(pool.map(lambda t: self.detect(t, user_name), batch))

    def __repr__(self) -> str:
        names = ", ".join(r.name for r in self._recognizers)
        return f"PrivacyDetector(threads={self.threads}, recognizers=[{names}])"
