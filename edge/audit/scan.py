"""`memveil audit scan`: run the detector over files and tally what private data they hold.

Texts are streamed from each file (`sources`), gathered into batches and sent to
`PrivacyDetector.detect_many` (one call per batch and user name, so the per-call cost is
shared), and each span at a reported level becomes a `Finding` with a line and column.
Chat exports repeat texts (system prompts in every conversation, stock replies); a
bounded cache of recent results skips detecting them again. Memory stays flat: one batch
of texts, the cache, and per-file tallies.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from memveil.edge.audit.files import Candidate, expand_paths
from memveil.edge.audit.findings import FileReport, Finding, ScanReport
from memveil.edge.audit.progress import NullProgress, ScanProgress
from memveil.edge.audit.sources import TextUnit, detect_format, read_units, sniff_binary
from memveil.edge.span import Span
from memveil.shared.taxonomy import Level

__all__ = ["Scanner"]

#: Reference annotations of the benchmark format repeat the turn's own values: not data.
_ANNOTATION = re.compile(r"(?:^|[.\]])privacy_info(?:_pred)?(?:[.\[]|$)")
_ROLES = frozenset({"user", "assistant", "system", "tool", "developer", "function", "model"})
_CACHEABLE_CHARS = 4096
_SURROGATE = re.compile("[\ud800-\udfff]")


class Detector(Protocol):
    def detect_many(self, texts: Iterable[str], user_name: str | None = None) -> list[list[Span]]: ...


class Scanner:
    """Scans files with one detector; reusable across scans, not thread-safe."""

    def __init__(
        self,
        detector: Detector,
        levels: Iterable[Level] = (Level.PL2, Level.PL3, Level.PL4),
        *,
        batch_size: int = 256,
        cache_size: int = 4096,
        max_examples: int = 3,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.detector = detector
        self.levels = frozenset(levels)
        self.batch_size = batch_size
        self.cache_size = cache_size
        self.max_examples = max_examples
        self._cache: OrderedDict[tuple[str | None, str], list[Span]] = OrderedDict()
        self.cache_hits = 0

    def scan(
        self,
        paths: Sequence[Path],
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        max_bytes: int | None = None,
        on_finding: Callable[[Finding], None] | None = None,
        progress: ScanProgress | None = None,
        candidates: Sequence[Candidate] | None = None,
    ) -> ScanReport:
        """Scan every file the paths name; problems are recorded in the report, never raised."""
        started = time.perf_counter()
        hits_before = self.cache_hits
        report = ScanReport()
        shown = progress or NullProgress()
        for candidate in candidates if candidates is not None else expand_paths(paths, include, exclude, max_bytes):
            if candidate.missing:
                report.missing.append(str(candidate.path))
                continue
            file_report = FileReport(str(candidate.path), bytes=candidate.size)
            report.files.append(file_report)
            if candidate.problem is not None:
                file_report.skipped = candidate.problem
                shown.advance(nbytes=candidate.size)
                continue
            self.scan_file(candidate.path, file_report, on_finding, shown)
        report.seconds = time.perf_counter() - started
        report.cache_hits = self.cache_hits - hits_before
        return report

    def scan_file(
        self,
        path: Path,
        report: FileReport,
        on_finding: Callable[[Finding], None] | None = None,
        progress: ScanProgress | None = None,
    ) -> None:
        """Scan one file into report; a file that cannot be read is marked skipped."""
        shown = progress or NullProgress()
        shown.start_file(str(path))
        try:
            reason = sniff_binary(path)
            if reason is not None:
                report.skipped = reason
                shown.advance(nbytes=report.bytes)
                return
            report.format = detect_format(path)
            pending: dict[str | None, list[TextUnit]] = {}
            count = 0
            units = read_units(path, report.format, report.error, lambda n: shown.advance(nbytes=n))  # type: ignore[arg-type]
            for unit in units:
                if not _worth_scanning(unit):
                    continue
                pending.setdefault(unit.user_name, []).append(unit)
                count += 1
                if count >= self.batch_size:
                    self._flush(pending, str(path), report, on_finding, shown)
                    pending, count = {}, 0
            self._flush(pending, str(path), report, on_finding, shown)
        except OSError as exc:
            report.skipped = f"cannot read: {exc.strerror or type(exc).__name__}"

    def _flush(
        self,
        pending: dict[str | None, list[TextUnit]],
        path: str,
        report: FileReport,
        on_finding: Callable[[Finding], None] | None,
        progress: ScanProgress,
    ) -> None:
        for user_name, units in pending.items():
            try:
                results = self._detect([_encodable(u.text) for u in units], user_name)
            except Exception as exc:  # one bad batch must not end the audit; the message names no text
                report.error(units[0].line, f"detection failed on {len(units)} texts from here ({type(exc).__name__}); skipped")
                progress.advance(texts=len(units))
                continue
            for unit, spans in zip(units, results):
                for span in spans:
                    if span.level not in self.levels:
                        continue
                    line, column = unit.locate(span.start)
                    end_line, end_column = unit.locate(span.end)
                    finding = Finding(path, line, column, end_line, end_column, unit.where, span.type, span.level, span.text)
                    report.add(finding, self.max_examples)
                    if on_finding is not None:
                        on_finding(finding)
            report.texts += len(units)
            progress.advance(texts=len(units))

    def _detect(self, texts: list[str], user_name: str | None) -> list[list[Span]]:
        """Spans for each text: cached results where there are some, one detect_many call for the rest."""
        results: list[list[Span] | None] = []
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            key = (user_name, text)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self.cache_hits += 1
                results.append(cached)
            else:
                results.append(None)
                if text in todo:
                    self.cache_hits += 1  # detected once for the batch
                todo.setdefault(text, []).append(i)
        if todo:
            unique = list(todo)
            for text, spans in zip(unique, self.detector.detect_many(unique, user_name=user_name)):
                for i in todo[text]:
                    results[i] = spans
                if self.cache_size and len(text) <= _CACHEABLE_CHARS:
                    self._cache[(user_name, text)] = spans
                    if len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        return [r if r is not None else [] for r in results]


def _encodable(text: str) -> str:
    """Lone surrogates (a JSON `\\ud800` escape decodes to one) become U+FFFD, one for one,
    so offsets hold and the tokenizer accepts the text."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _worth_scanning(unit: TextUnit) -> bool:
    """Object keys, benchmark annotations and chat roles are structure, not content."""
    if unit.is_key or not unit.text.strip():
        return False
    if unit.where is not None and unit.kind == "json":
        if "privacy_info" in unit.where and _ANNOTATION.search(unit.where):
            return False
        if unit.where.endswith("role") and unit.text in _ROLES:
            return False
    return True
