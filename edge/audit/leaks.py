"""`memveil audit leaks`: is any vault value in what the cloud holds?

The cloud should only ever have seen placeholders. This takes every value in the vault,
in three normalised forms (`normalise`), builds one matcher over all of them, and reads a
cloud export (JSON, JSONL or text: e.g. the memory service's export) string by string,
looking each string up in its folded and its compact form. A hit must sit on word
boundaries in the original text, so `4821` is not found inside `148210`. Short forms are
only matched in the folded stream (spacing and punctuation kept), long ones in the compact
stream too; values shorter than `min_length` are not looked for and are counted as such.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from memveil.edge.audit.mask import shown
from memveil.edge.audit.matcher import LiteralMatcher
from memveil.edge.audit.normalise import compact, digits, fold, is_word_char, mapped_compact, mapped_fold
from memveil.edge.audit.render import human_bytes, print_table, write_json
from memveil.edge.audit.sources import TextUnit, detect_format, read_units, sniff_binary
from memveil.edge.vault import Vault
from memveil.shared.taxonomy import Level

__all__ = ["Leak", "LeakReport", "ValueIndex", "VaultValue", "find_leaks", "vault_values", "write_leaks"]

Variant = Literal["exact", "case/width/spacing", "punctuation/spacing", "digits only"]
_VARIANT_ORDER: tuple[Variant, ...] = ("exact", "case/width/spacing", "punctuation/spacing", "digits only")
COMPACT_MIN = 6  # shorter values are matched with their punctuation and spacing
DIGITS_MIN = 7
MAX_LEAKS_KEPT = 10_000


@dataclass(frozen=True, slots=True)
class VaultValue:
    """A value to look for, and what to call it in a report (its placeholder, type, level)."""

    user: str
    placeholder: str
    type: str
    level: Level
    value: str = field(repr=False)


def vault_values(vault: Vault, levels: Iterable[Level]) -> list[VaultValue]:
    """Every value of every user in the vault at one of the levels."""
    wanted = frozenset(levels)
    return [
        VaultValue(user, e.placeholder, e.type_name, e.level, e.value)
        for user in vault.users()
        for e in vault.entries(user)
        if e.level in wanted
    ]


@dataclass(frozen=True, slots=True)
class Hit:
    value: int  # index into the values
    start: int  # in the original text
    end: int
    variant: Variant


class ValueIndex:
    """All forms of all values in two matchers: one for folded text, one for compact text."""

    def __init__(self, values: Sequence[VaultValue], min_length: int = 3) -> None:
        self.values = list(values)
        folded: list[tuple[str, int]] = []
        squeezed: list[tuple[str, int]] = []
        self.unchecked = 0
        for i, v in enumerate(self.values):
            f, c, d = fold(v.value), compact(v.value), digits(v.value)
            if len(f) < min_length:
                self.unchecked += 1
                continue
            folded.append((f, i))
            if len(c) >= max(COMPACT_MIN, min_length):
                squeezed.append((c, i))
            if len(d) >= DIGITS_MIN and d != c and len(d) >= 0.6 * len(c):
                squeezed.append((d, i))
        self._fold = LiteralMatcher(folded)
        self._compact = LiteralMatcher(squeezed)

    def find(self, text: str) -> list[Hit]:
        """Each value found in text once per place, with the closest variant that matched."""
        best: dict[tuple[int, int], Hit] = {}
        for mapped, matcher in ((mapped_fold(text), self._fold), (mapped_compact(text), self._compact)):
            for start, end, index in matcher.finditer(mapped.text):
                o_start, o_end = mapped.origin[start], mapped.origin[end - 1] + 1
                if not _on_boundaries(text, o_start, o_end):
                    continue
                hit = Hit(index, o_start, o_end, _variant(text[o_start:o_end], self.values[index].value))
                key = (index, o_start)
                if key not in best or _VARIANT_ORDER.index(hit.variant) < _VARIANT_ORDER.index(best[key].variant):
                    best[key] = hit
        return sorted(best.values(), key=lambda h: (h.start, h.value))


def _on_boundaries(text: str, start: int, end: int) -> bool:
    if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        return False
    return not (end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]))


def _variant(found: str, value: str) -> Variant:
    if found == value:
        return "exact"
    if fold(found) == fold(value):
        return "case/width/spacing"
    if compact(found) == compact(value):
        return "punctuation/spacing"
    return "digits only"


@dataclass(frozen=True, slots=True)
class Leak:
    file: str
    line: int
    column: int
    where: str | None
    value: VaultValue
    variant: Variant


@dataclass
class LeakReport:
    leaks: list[Leak] = field(default_factory=list)
    leak_count: int = 0
    values_checked: int = 0
    values_unchecked: int = 0
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    strings: int = 0
    bytes: int = 0
    seconds: float = 0.0


def find_leaks(values: Sequence[VaultValue], exports: Sequence[Path], min_length: int = 3) -> LeakReport:
    """Every place in the exports where a value appears; unreadable parts go to `errors`."""
    started = time.perf_counter()
    index = ValueIndex(values, min_length)
    report = LeakReport(values_checked=len(values) - index.unchecked, values_unchecked=index.unchecked)
    for path in exports:
        report.files.append(str(path))

        def error(line: int | None, message: str, path: Path = path) -> None:
            report.errors.append(f"{path}: line {line}: {message}" if line is not None else f"{path}: {message}")

        def count(n: int) -> None:
            report.bytes += n

        try:
            reason = sniff_binary(path)
            if reason is not None:
                error(None, f"skipped: {reason}")
                continue
            for unit in read_units(path, detect_format(path), error, count):
                report.strings += 1
                _check(unit, index, str(path), report)
        except OSError as exc:
            error(None, f"cannot read: {exc.strerror or type(exc).__name__}")
    report.seconds = time.perf_counter() - started
    return report


def _check(unit: TextUnit, index: ValueIndex, path: str, report: LeakReport) -> None:
    for hit in index.find(unit.text):
        report.leak_count += 1
        if len(report.leaks) < MAX_LEAKS_KEPT:
            line, column = unit.locate(hit.start)
            report.leaks.append(Leak(path, line, column, unit.where, index.values[hit.value], hit.variant))


def write_leaks(stream: TextIO, report: LeakReport, fmt: str, reveal: bool, *, plain: bool = False) -> None:
    """The leaks, values masked unless reveal; then what was checked."""
    if fmt == "json":
        write_json(stream, leaks_json(report, reveal))
        return
    if report.leaks:
        rows = [
            [
                f"{k.file}:{k.line}:{k.column}",
                k.where or "",
                k.value.level.value,
                k.value.type,
                k.value.placeholder,
                shown(k.value.user, None, "", reveal),
                shown(k.value.value, k.value.level, k.value.type, reveal),
                k.variant,
            ]
            for k in report.leaks
        ]
        print_table(
            stream,
            "Vault values found in the cloud export" + (" (RAW VALUES SHOWN)" if reveal else " (values masked)"),
            ["where", "JSON path", "level", "type", "placeholder", "user", "value", "matched as"],
            rows,
            plain=plain,
        )
    for message in report.errors:
        stream.write(f"problem: {message}\n")
    verdict = f"LEAKS: {report.leak_count} occurrences of vault values" if report.leak_count else "CLEAN: no vault value found"
    stream.write(
        f"{verdict} in {len(report.files)} export file(s) ({report.strings} strings, {human_bytes(report.bytes)},"
        f" {report.seconds:.1f} s); {report.values_checked} values checked"
        + (f", {report.values_unchecked} too short to check" if report.values_unchecked else "")
        + "\n"
    )


def leaks_json(report: LeakReport, reveal: bool) -> dict[str, Any]:
    return {
        "tool": "memveil audit leaks",
        "values": "raw" if reveal else "masked",
        "clean": report.leak_count == 0,
        "leak_count": report.leak_count,
        "values_checked": report.values_checked,
        "values_unchecked": report.values_unchecked,
        "files": report.files,
        "strings": report.strings,
        "bytes": report.bytes,
        "seconds": round(report.seconds, 3),
        "errors": report.errors,
        "leaks": [
            {
                "file": k.file,
                "line": k.line,
                "column": k.column,
                "json_path": k.where,
                "level": k.value.level.value,
                "type": k.value.type,
                "placeholder": k.value.placeholder,
                "user": shown(k.value.user, None, "", reveal),
                "value": shown(k.value.value, k.value.level, k.value.type, reveal),
                "matched_as": k.variant,
            }
            for k in report.leaks
        ],
    }
