"""PrivacyDetector: the single entry point for finding private spans in a text.

It runs the deterministic recognizers and the learned tagger, adds the user's own name and
the values already known to be private (`known`: what the vault holds for the user), and
fuses the results (`memveil.edge.fusion`) so that each region of the text carries one span.
The tagger sees a width-normalised copy of the text (full-width ASCII folded to ASCII, because
Chinese input often types digits and colons full-width); the rules see that copy with
Traditional Chinese folded to Simplified as well, as they are written in Simplified. Both
folds map one character to one, so offsets are unchanged; spans carry the original text.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from memveil.edge.fusion import fuse, resolve_overlaps
from memveil.edge.recognizers import Recognizer, UserNameRecognizer, default_recognizers
from memveil.edge.recognizers.known import KnownValue, KnownValueRecognizer
from memveil.edge.recognizers.script import T2S
from memveil.edge.recognizers.tagger import TaggerRecognizer
from memveil.edge.span import Span
from memveil.shared.placeholder import placeholder_spans

__all__ = ["PrivacyDetector", "resolve_overlaps"]

# U+FF01..U+FF5E are full-width forms of U+0021..U+007E; U+3000 is the ideographic space.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class PrivacyDetector:
    """Finds private spans with deterministic recognizers (default: `default_recognizers()`)
    and the learned tagger (default: the shipped int8 model; `tagger=False` runs rules only).

    `threads` caps the worker threads of `detect_many` and the tagger's ONNX Runtime threads;
    None means `os.cpu_count()`. Instances are safe to share across threads.
    """

    def __init__(
        self,
        threads: int | None = None,
        recognizers: Sequence[Recognizer] | None = None,
        tagger: bool | TaggerRecognizer = True,
        providers: str | Sequence[str] | None = None,
    ) -> None:
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
            raise ValueError("threads must be a positive integer or None")
        self.threads: int = threads if threads is not None else (os.cpu_count() or 1)
        chosen = default_recognizers() if recognizers is None else list(recognizers)
        for recognizer in chosen:
            if not isinstance(recognizer, Recognizer):
                raise TypeError(f"{type(recognizer).__name__} does not implement Recognizer")
            if isinstance(recognizer, TaggerRecognizer):
                raise TypeError("pass the tagger as tagger=..., not among the recognizers: its spans are fused, not ranked")
        self._recognizers: tuple[Recognizer, ...] = tuple(chosen)
        if tagger is True:
            # Execution providers for the tagger ("qnn,cpu"...; memveil.shared.inference).
            tagger = TaggerRecognizer(threads=self.threads, providers=providers)
        elif tagger is not False and not isinstance(tagger, TaggerRecognizer):
            raise TypeError("tagger must be True, False or a TaggerRecognizer")
        self._tagger: TaggerRecognizer | None = tagger or None

    @property
    def recognizers(self) -> tuple[Recognizer, ...]:
        return self._recognizers

    @property
    def tagger(self) -> TaggerRecognizer | None:
        return self._tagger

    def detect(
        self,
        text: str,
        user_name: str | None = None,
        known: Iterable[KnownValue] | KnownValueRecognizer | None = None,
    ) -> list[Span]:
        """Private spans of `text`, sorted by start and non-overlapping.

        `user_name` is the device owner's name; its occurrences become "Real Name" (PL2).
        `known` are values already protected for this user (`PrivacyGuard` passes the
        vault's); where one recurs and nothing else claimed the region, it is found again
        with its type and level. Only names and identifiers are carried
        (`recognizers.known.carries`). A `KnownValueRecognizer` built from them once can be
        passed instead, and reused while the values do not change.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        _check_user_name(user_name)
        recurring = _known_recognizer(known)
        if not text:
            return []
        folded = text.translate(_WIDTH_FOLD)
        learned = self._tagger.analyze(folded) if self._tagger else []
        return self._fuse(text, folded, learned, user_name, recurring)

    def _fuse(
        self,
        text: str,
        folded: str,
        learned: Sequence[Span],
        user_name: str | None,
        known: KnownValueRecognizer | None,
    ) -> list[Span]:
        recognizers: Sequence[Recognizer] = self._recognizers
        if user_name and user_name.strip():
            recognizers = (*recognizers, UserNameRecognizer(user_name.translate(T2S)))
        folded = folded.translate(T2S)  # the tagger read it width-folded only: it learned both scripts
        rules = [span for recognizer in recognizers for span in recognizer.analyze(folded)]
        # Known values are matched on the text as typed: they were stored as typed.
        recurring = known.analyze(text) if known else []
        fused = fuse(folded, rules, learned, user_name, recurring)
        tokens = placeholder_spans(text)
        if tokens:
            # A placeholder in the text (the user's look-alike, or one the cloud sent back) is
            # syntax the vault owns, never a value: nothing inside one is detected.
            fused = [s for s in fused if not any(s.start < end and start < s.end for start, end in tokens)]
        if folded == text:
            return fused
        return [dataclasses.replace(s, text=text[s.start : s.end]) for s in fused]

    def detect_many(
        self,
        texts: Iterable[str],
        user_name: str | None = None,
        known: Iterable[KnownValue] | KnownValueRecognizer | None = None,
    ) -> list[list[Span]]:
        """`[detect(t, user_name, known) for t in texts]`: the tagger runs once over the whole
        batch (windows of all texts padded together), the recognizers on up to `threads`
        threads. Values found in one of the texts are not carried into the others."""
        if isinstance(texts, str):
            raise TypeError("texts must be an iterable of str, not a single str")
        _check_user_name(user_name)
        recurring = _known_recognizer(known)
        batch = list(texts)
        for i, text in enumerate(batch):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be str, not {type(text).__name__}")
        folded = [text.translate(_WIDTH_FOLD) for text in batch]
        learned = self._tagger.analyze_many(folded) if self._tagger else [[] for _ in batch]

        def one(i: int) -> list[Span]:
            return self._fuse(batch[i], folded[i], learned[i], user_name, recurring) if batch[i] else []

        workers = min(self.threads, len(batch))
        if workers <= 1:
            return [one(i) for i in range(len(batch))]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="memveil-detect") as pool:
            return list(pool.map(one, range(len(batch))))

    def __repr__(self) -> str:
        names = ", ".join(r.name for r in self._recognizers)
        return f"PrivacyDetector(threads={self.threads}, recognizers=[{names}], tagger={self._tagger is not None})"


def _check_user_name(user_name: object) -> None:
    if user_name is not None and not isinstance(user_name, str):
        raise TypeError(f"user_name must be str or None, not {type(user_name).__name__}")


def _known_recognizer(known: Iterable[KnownValue] | KnownValueRecognizer | None) -> KnownValueRecognizer | None:
    if known is None:
        return None
    if isinstance(known, KnownValueRecognizer):  # built once by the caller and reused
        return known if len(known) else None
    if isinstance(known, (str, bytes)):
        raise TypeError("known must be an iterable of KnownValue, not a single string")
    items = []
    for item in known:
        if not isinstance(item, KnownValue):
            raise TypeError(f"known values must be KnownValue, not {type(item).__name__}")
        items.append(item)
    recognizer = KnownValueRecognizer(items)
    return recognizer if len(recognizer) else None
