"""BIO labels over the corpus's open type vocabulary, and span <-> token-label conversion.

BIO rather than BIOES: decoding is greedy (no CRF), where BIOES's extra end/single tags buy
little, while doubling the classes per type splits the rarer types' training signal further.
Adjacent spans of one type are rare in this data and BIO keeps them apart with a B tag anyway.

The label list is data (`labels.json`), written by training and read by the runtime, so adding
a type to the corpus needs no code change here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

OUTSIDE = "O"
#: Label id of tokens that take no loss (special tokens, padding).
IGNORE = -100


@dataclass(frozen=True)
class LabelSet:
    """The ordered label list ("O", then "B-t", "I-t" per type) and each type's level."""

    types: tuple[str, ...]
    levels: dict[str, str]

    @property
    def labels(self) -> list[str]:
        return [OUTSIDE] + [f"{tag}-{t}" for t in self.types for tag in ("B", "I")]

    def begin(self, type_name: str) -> int:
        return 1 + 2 * self.types.index(type_name)

    def save(self, path: Path) -> None:
        path.write_text(
            json.dumps({"scheme": "BIO", "labels": self.labels, "levels": self.levels}, ensure_ascii=False, indent=1)
            + "\n",
            encoding="utf-8",
        )

    @classmethod
    def load(cls, path: Path) -> LabelSet:
        data = json.loads(path.read_text(encoding="utf-8"))
        types = tuple(label[2:] for label in data["labels"][1::2])
        return cls(types, dict(data["levels"]))

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[int, int, str, str]], min_count: int = 1) -> LabelSet:
        """Types seen at least `min_count` times, most frequent first; each with its usual level."""
        counts: Counter[str] = Counter()
        levels: dict[str, Counter[str]] = {}
        for _, _, type_name, level in spans:
            counts[type_name] += 1
            levels.setdefault(type_name, Counter())[level] += 1
        types = tuple(sorted((t for t, n in counts.items() if n >= min_count), key=lambda t: (-counts[t], t)))
        return cls(types, {t: levels[t].most_common(1)[0][0] for t in types})


def token_labels(
    offsets: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int, str, str]], label_set: LabelSet
) -> list[int]:
    """One label per token: B on the first token overlapping a span, I on the rest, else O.

    A token is in a span when its characters overlap it; spans of unknown types stay O.
    """
    labels = [0] * len(offsets)
    known = set(label_set.types)
    for start, end, type_name, _ in sorted(spans):
        if type_name not in known:
            continue
        begin = label_set.begin(type_name)
        first = True
        for i, (tok_start, tok_end) in enumerate(offsets):
            if tok_end > start and tok_start < end and tok_end > tok_start:
                labels[i] = begin if first else begin + 1
                first = False
    return labels


def decode(label_ids: Sequence[int], label_set: LabelSet) -> list[tuple[int, int, str]]:
    """Token spans (first, last_exclusive, type) from BIO ids; a stray I starts a span."""
    spans: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None
    for i, label in enumerate(label_ids):
        if label <= 0:
            if current:
                spans.append((current[0], i, current[1]))
            current = None
            continue
        type_name = label_set.types[(label - 1) // 2]
        inside = (label - 1) % 2 == 1
        if current and inside and current[1] == type_name:
            continue
        if current:
            spans.append((current[0], i, current[1]))
        current = (i, type_name)
    if current:
        spans.append((current[0], len(label_ids), current[1]))
    return spans
