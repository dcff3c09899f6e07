"""The extraction report: per-turn scores summed into slices, and the two ways to show them.

Slices: all turns; each level (PL2, PL3, PL4); each language (see `language.user_language`).
A level slice scores every user turn with only the items of that level on both sides (a
turn with none on either side scores 1, as in the paper's per-level table); its protection
counts the level's reference items masked by any prediction (masking hides text whatever
level the prediction gave it) and its masked-character precision looks at what that level's
predictions mask. A language slice scores its users' turns with all their items. A ratio
with nothing to divide by (precision with no predictions...) is None in JSON, "-" in the table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from memveil.edge.evaluation.benchmark import PrivacyItem
from memveil.edge.evaluation.metric import MODES, Mode, TypeSimilarity, score_turn, strict_matches
from memveil.edge.evaluation.protection import char_mask, is_protected, masked_inside

LEVELS = ("PL2", "PL3", "PL4")
LANGUAGES = ("en", "zh")


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    p, r = precision or 0.0, recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class SliceTotals:
    """Running sums for one slice; `summary()` turns them into the reported figures."""

    turns: int = 0
    references: int = 0
    predictions: int = 0
    score_sums: dict[Mode, list[float]] = field(default_factory=lambda: {m: [0.0, 0.0, 0.0] for m in MODES})
    strict_tp: int = 0
    protected: int = 0
    masked_chars: int = 0
    masked_in_reference: int = 0

    def add(
        self,
        content: str,
        predictions: Sequence[PrivacyItem],
        references: Sequence[PrivacyItem],
        similarity: TypeSimilarity,
        protect_mask: bytearray,
        reference_mask: bytearray,
    ) -> None:
        """Add one turn. `protect_mask` is what all predictions mask; this slice's own
        predictions give the mask its masked-character precision is measured on."""
        self.turns += 1
        self.references += len(references)
        self.predictions += len(predictions)
        for mode, score in score_turn(content, predictions, references, similarity).items():
            sums = self.score_sums[mode]
            sums[0] += score.precision
            sums[1] += score.recall
            sums[2] += score.f1
        self.strict_tp += strict_matches(predictions, references)
        self.protected += sum(is_protected(content, r.text, protect_mask) for r in references)
        own_mask = char_mask(content, {p.text for p in predictions})
        masked, inside = masked_inside(own_mask, reference_mask)
        self.masked_chars += masked
        self.masked_in_reference += inside

    def summary(self) -> dict[str, Any]:
        per_turn = {
            mode: dict(zip(("precision", "recall", "f1"), (s / self.turns if self.turns else None for s in sums)))
            for mode, sums in self.score_sums.items()
        }
        strict_p = _ratio(self.strict_tp, self.predictions)
        strict_r = _ratio(self.strict_tp, self.references)
        return {
            "turns": self.turns,
            "references": self.references,
            "predictions": self.predictions,
            **per_turn,
            "strict": {
                "matched": self.strict_tp,
                "precision": strict_p,
                "recall": strict_r,
                "f1": _f1(strict_p, strict_r),
            },
            "protection": {
                "protected": self.protected,
                "references": self.references,
                "rate": _ratio(self.protected, self.references),
            },
            "masked_chars": {
                "masked": self.masked_chars,
                "inside_reference": self.masked_in_reference,
                "precision": _ratio(self.masked_in_reference, self.masked_chars),
            },
        }


@dataclass(frozen=True, slots=True)
class Latency:
    """Detector time per user turn, in seconds, measured around each `detect` call."""

    samples: tuple[float, ...]
    threads: int
    load_s: float

    def summary(self) -> dict[str, Any]:
        ms = sorted(s * 1000 for s in self.samples)
        return {
            "turns": len(ms),
            "threads": self.threads,
            "p50_ms": percentile(ms, 50),
            "p95_ms": percentile(ms, 95),
            "mean_ms": sum(ms) / len(ms) if ms else None,
            "load_s": self.load_s,
        }


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


class ExtractionReport:
    """Accumulates user turns into every slice."""

    def __init__(self, similarity: TypeSimilarity) -> None:
        self.similarity = similarity
        self.users = 0
        self.overall = SliceTotals()
        self.levels = {level: SliceTotals() for level in LEVELS}
        self.languages = {language: SliceTotals() for language in LANGUAGES}
        self.users_by_language = {language: 0 for language in LANGUAGES}
        self.latency: Latency | None = None

    def add_user(self, language: str) -> None:
        self.users += 1
        self.users_by_language[language] += 1

    def add_turn(
        self, content: str, predictions: Sequence[PrivacyItem], references: Sequence[PrivacyItem], language: str
    ) -> None:
        mask = char_mask(content, {p.text for p in predictions})
        reference_mask = char_mask(content, {r.text for r in references})
        for totals in (self.overall, self.languages[language]):
            totals.add(content, predictions, references, self.similarity, mask, reference_mask)
        for level, totals in self.levels.items():
            ours = [p for p in predictions if p.level == level]
            theirs = [r for r in references if r.level == level]
            totals.add(content, ours, theirs, self.similarity, mask, reference_mask)

    def to_dict(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "overall": self.overall.summary(),
            "per_level": {level: totals.summary() for level, totals in self.levels.items()},
            "per_language": {
                language: {"users": self.users_by_language[language], **totals.summary()}
                for language, totals in self.languages.items()
            },
            "latency": self.latency.summary() if self.latency else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_table(self) -> str:
        data = self.to_dict()
        overall = data["overall"]
        lines = [
            f"{data['users']} users, {overall['turns']} user turns, {overall['references']} reference items, "
            f"{overall['predictions']} predicted items",
            "",
            f"{'slice':<6} {'refs':>5} {'preds':>5}  {'F1 mean':>7} {'F1 prod':>7}  "
            f"{'strict P':>8} {'strict R':>8} {'strict F1':>9}  {'protected':>9} {'masked P':>8}",
        ]
        rows = [("all", overall), *data["per_level"].items()]
        rows += [(lang, s) for lang, s in data["per_language"].items() if s["turns"]]
        for name, s in rows:
            lines.append(
                f"{name:<6} {s['references']:>5} {s['predictions']:>5}  {_pct(s['mean']['f1']):>7} "
                f"{_pct(s['product']['f1']):>7}  {_pct(s['strict']['precision']):>8} {_pct(s['strict']['recall']):>8} "
                f"{_pct(s['strict']['f1']):>9}  {_pct(s['protection']['rate']):>9} {_pct(s['masked_chars']['precision']):>8}"
            )
        lines += [
            "",
            "F1 mean/prod: per-turn F1 (MemPrivacy metric), averaged over user turns; a turn with no items",
            "on either side scores 100. strict: micro over items, exact text and level. protected: reference",
            "items whose every occurrence is >= 90% masked. masked P: masked characters inside a reference item.",
        ]
        if data["latency"] and data["latency"]["turns"]:
            lat = data["latency"]
            lines += [
                "",
                f"detector latency per user turn ({lat['threads']} thread{'s' if lat['threads'] != 1 else ''}): "
                f"p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, mean {lat['mean_ms']:.2f} ms "
                f"(load {lat['load_s']:.2f} s)",
            ]
        return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}"
