"""The MemPrivacy extraction metric for one user turn (taxonomy.md, "The extraction metric").

Scores stay comparable with the paper's Table 1 only if they are computed its way, so this
follows the text step by step. Where the text leaves a choice open, this is the reading:

- "The turn" is the user turn's `content`: a predicted text that does not occur in it
  scores 0 on text (unless it equals the reference text exactly, which is checked first).
- A non-exact text scores 0 unless the *reference* type is descriptive
  (`taxonomy.is_descriptive`, aliases included: "Debt/Loan Info", "Religious Beliefs"...),
  even when the two texts overlap; for descriptive types it is the F1 of the longest common
  run of tokens.
- Type: identical strings score 1, anything else the cosine of the MiniLM embeddings of the
  two names, clipped at 0 so every sub-score lies in [0, 1].
- Matching takes every (prediction, reference) pair, best text score first, and keeps a
  pair when neither side is taken yet. Nothing sets a floor, so pairs with text score 0
  are matched too once better pairs are gone, and in mean mode they still earn their level
  and type credit. Among equal text scores the pair worth more in the mode at hand goes
  first, then prediction order, then reference order; so the score does not depend on the
  order a detector lists its items in, except between pairs that are fully tied.
- Duplicates are separate items: a reference listed twice needs two predictions, and a
  prediction listed twice counts twice in precision (`memveil extract` lists each distinct
  item once per turn, as the annotations do).
- Precision is 0 with no predictions and recall 0 with no references; a turn with neither
  scores 1 on all three.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from memveil.edge.evaluation.benchmark import PrivacyItem
from memveil.edge.evaluation.language import CJK_CLASS
from memveil.shared.taxonomy import is_descriptive

Mode = Literal["mean", "product"]
MODES: tuple[Mode, ...] = ("mean", "product")

_TOKEN = re.compile(rf"[{CJK_CLASS}]|[^{CJK_CLASS}\s]+")


def tokenize(text: str) -> list[str]:
    """One token per CJK character, one per run of other non-space characters."""
    return _TOKEN.findall(text)


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest contiguous run of tokens that `a` and `b` share."""
    best = 0
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if token == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def text_score(predicted: str, reference: str, reference_type: str, content: str) -> float:
    if predicted == reference:
        return 1.0
    if not predicted or predicted not in content or not is_descriptive(reference_type):
        return 0.0
    ours, theirs = tokenize(predicted), tokenize(reference)
    common = longest_common_run(ours, theirs)
    if not common:
        return 0.0
    precision, recall = common / len(ours), common / len(theirs)
    return 2 * precision * recall / (precision + recall)


class TypeSimilarity(Protocol):
    """Similarity in [0, 1] of two type names; 1 for identical names."""

    def __call__(self, predicted: str, reference: str) -> float: ...


class EmbeddingTypeSimilarity:
    """Cosine of all-MiniLM-L6-v2 embeddings of the two names (the metric's type sub-score).

    Each distinct name is embedded once. The int8 model stands in for the paper's embedding
    model, so partial type credit can differ a little from its numbers; exact types cannot.
    """

    def __init__(self) -> None:
        from memveil.cloud.embedder import shared_embedder

        self._embedder = shared_embedder()
        self._vectors: dict[str, np.ndarray] = {}

    def _vector(self, name: str) -> np.ndarray:
        if name not in self._vectors:
            self._vectors[name] = self._embedder.embed([name])[0]
        return self._vectors[name]

    def __call__(self, predicted: str, reference: str) -> float:
        if predicted == reference:
            return 1.0
        cosine = float(self._vector(predicted) @ self._vector(reference))
        return min(max(cosine, 0.0), 1.0)


@dataclass(frozen=True, slots=True)
class PairScore:
    """The three sub-scores of one (prediction, reference) pair."""

    text: float
    level: float
    type: float

    def total(self, mode: Mode) -> float:
        if mode == "product":
            return self.text * self.level * self.type
        return (self.text + self.level + self.type) / 3


def pair_score(predicted: PrivacyItem, reference: PrivacyItem, content: str, similarity: TypeSimilarity) -> PairScore:
    return PairScore(
        text=text_score(predicted.text, reference.text, reference.type, content),
        level=1.0 if predicted.level == reference.level else 0.0,
        type=similarity(predicted.type, reference.type),
    )


@dataclass(frozen=True, slots=True)
class TurnScore:
    precision: float
    recall: float
    f1: float


def score_turn(
    content: str,
    predictions: Sequence[PrivacyItem],
    references: Sequence[PrivacyItem],
    similarity: TypeSimilarity,
    modes: Sequence[Mode] = MODES,
) -> dict[Mode, TurnScore]:
    """Precision, recall and F1 of one turn in each mode, after greedy one-to-one matching."""
    if not predictions and not references:
        return {mode: TurnScore(1.0, 1.0, 1.0) for mode in modes}
    if not predictions or not references:
        return {mode: TurnScore(0.0, 0.0, 0.0) for mode in modes}
    pairs = [
        (i, j, pair_score(p, r, content, similarity))
        for i, p in enumerate(predictions)
        for j, r in enumerate(references)
    ]
    scores: dict[Mode, TurnScore] = {}
    for mode in modes:
        ranked = sorted(pairs, key=lambda pair: (-pair[2].text, -pair[2].total(mode), pair[0], pair[1]))
        taken_p: set[int] = set()
        taken_r: set[int] = set()
        matched = 0.0
        for i, j, score in ranked:
            if i not in taken_p and j not in taken_r:
                taken_p.add(i)
                taken_r.add(j)
                matched += score.total(mode)
        precision, recall = matched / len(predictions), matched / len(references)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[mode] = TurnScore(precision, recall, f1)
    return scores


def strict_matches(predictions: Sequence[PrivacyItem], references: Sequence[PrivacyItem]) -> int:
    """Items predicted with exactly the reference text and level (type ignored), one-to-one:
    the true positives of the strict micro F1."""
    ours = Counter((p.text, p.level) for p in predictions)
    theirs = Counter((r.text, r.level) for r in references)
    return sum((ours & theirs).values())
