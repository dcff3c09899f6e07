"""What a scan found, per file, level and type: counts, a few examples, a risk summary.

Only tallies and a handful of examples per (file, level, type) are kept, so a report's
size depends on how many kinds of data a file holds, not on how big it is. Examples are
the raw values: they are masked where they are shown (`render`), never here, so one report
can serve `--reveal` and the default alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from memveil.shared.taxonomy import Level

__all__ = ["FileReport", "Finding", "ScanReport", "TypeTally", "risk_of"]

MAX_ERRORS_KEPT = 20

_RISK = {
    Level.PL4: ("high", "credentials or secrets usable at once: rotate them and remove them from these files"),
    Level.PL3: ("elevated", "highly sensitive data (ids, accounts, health, money, locations)"),
    Level.PL2: ("moderate", "data that identifies or locates a person"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One private value in a file; `end_column` is exclusive. The repr leaves the value out."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    where: str | None
    type: str
    level: Level
    value: str = field(repr=False)


@dataclass(slots=True)
class TypeTally:
    count: int = 0
    examples: list[str] = field(default_factory=list)
    first_line: int = 0
    first_column: int = 0


@dataclass
class FileReport:
    """One file's results, or why it was not scanned (`skipped`)."""

    path: str
    format: str = ""
    bytes: int = 0
    texts: int = 0
    skipped: str | None = None
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    tallies: dict[tuple[Level, str], TypeTally] = field(default_factory=dict)

    def add(self, finding: Finding, max_examples: int) -> None:
        tally = self.tallies.get((finding.level, finding.type))
        if tally is None:
            tally = self.tallies[(finding.level, finding.type)] = TypeTally(
                first_line=finding.line, first_column=finding.column
            )
        tally.count += 1
        if len(tally.examples) < max_examples and finding.value not in tally.examples:
            tally.examples.append(finding.value)

    def error(self, line: int | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"line {line}: {message}" if line is not None else message)

    def count(self, level: Level | None = None) -> int:
        return sum(t.count for (lv, _), t in self.tallies.items() if level is None or lv == level)

    @property
    def highest(self) -> Level | None:
        return max((lv for lv, _ in self.tallies), default=None)


def risk_of(level: Level | None) -> tuple[str, str]:
    """(rating, why) for the highest level found."""
    return _RISK.get(level, ("none", "no private data found")) if level is not None else ("none", "no private data found")


@dataclass
class ScanReport:
    """Everything one `memveil audit scan` saw."""

    files: list[FileReport] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cache_hits: int = 0

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)

    @property
    def texts(self) -> int:
        return sum(f.texts for f in self.files)

    def count(self, level: Level | None = None) -> int:
        return sum(f.count(level) for f in self.files)

    @property
    def highest(self) -> Level | None:
        return max((f.highest for f in self.files if f.highest is not None), default=None)

    def at_or_above(self, level: Level) -> int:
        return sum(f.count(lv) for f in self.files for lv in Level if lv >= level)

    def summary(self) -> dict[str, Any]:
        """The risk summary: totals per level and type, and what the worst of it means."""
        by_level = {lv.value: self.count(lv) for lv in (Level.PL4, Level.PL3, Level.PL2, Level.PL1) if self.count(lv)}
        by_type: Counter[str] = Counter()
        for f in self.files:
            for (lv, type_name), tally in f.tallies.items():
                by_type[f"{lv.value} {type_name}"] += tally.count
        rating, why = risk_of(self.highest)
        return {
            "risk": rating,
            "why": why,
            "highest_level": self.highest.value if self.highest else None,
            "findings": self.count(),
            "by_level": by_level,
            "by_type": dict(by_type.most_common()),
            "files_scanned": sum(1 for f in self.files if f.skipped is None),
            "files_with_findings": sum(1 for f in self.files if f.tallies),
            "files_skipped": sum(1 for f in self.files if f.skipped is not None),
            "files_with_errors": sum(1 for f in self.files if f.error_count),
            "missing_paths": len(self.missing),
            "bytes": self.bytes,
            "texts": self.texts,
            "cache_hits": self.cache_hits,
            "seconds": round(self.seconds, 3),
            "mb_per_s": round(self.bytes / 1e6 / self.seconds, 3) if self.seconds > 0 else None,
        }
