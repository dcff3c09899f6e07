"""Running the detector over benchmark records.

`memveil extract` writes what it finds; `memveil eval extraction` scores it directly when no
--pred file is given, and needs the time of each detection, so this keeps one worker pool
for the whole run and times every `detect` call on the thread that runs it (rather than
`detect_many`, which starts a pool per call and times nothing).

A record is one user's conversation, read as the app would send it: turn by turn, each
turn seeing the names and identifiers found in the turns before it, as `PrivacyGuard`
sees the values its vault already holds. So the turns of a record run in order, and the
pool runs records side by side.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from memveil.edge.detector import PrivacyDetector
from memveil.edge.evaluation.benchmark import PREDICTIONS, PrivacyItem, Record, read_records, record_writer, write_record
from memveil.edge.evaluation.progress import Progress
from memveil.edge.recognizers.known import KnownValue, carries
from memveil.edge.span import Span
from memveil.shared.taxonomy import DEFAULT_PROTECTED_LEVELS, Level

# Made up, and touching the main recognizers, so that lazy loading happens before timing starts.
_WARM_UP = "I'm Alex Example, mail alex@example.org or call +1 202 555 0143; card 4111 1111 1111 1111."


def to_items(spans: Iterable[Span], levels: frozenset[Level] = DEFAULT_PROTECTED_LEVELS) -> list[PrivacyItem]:
    """The benchmark items for a turn's spans: each distinct (text, type, level) once, in text
    order, at the chosen levels. The annotations list a value once per turn however often it
    occurs, so repeating it would only cost precision."""
    items = dict.fromkeys(PrivacyItem(s.text, s.type, s.level.value) for s in spans if s.level in levels)
    return list(items)


class ExtractionRunner:
    """Detects on every user turn of a record with `threads` workers (None: one per CPU);
    `detector` replaces the default `PrivacyDetector(threads=threads)`."""

    def __init__(
        self,
        threads: int | None = None,
        levels: frozenset[Level] = DEFAULT_PROTECTED_LEVELS,
        detector: PrivacyDetector | None = None,
    ) -> None:
        start = time.perf_counter()
        self.detector = detector if detector is not None else PrivacyDetector(threads=threads)
        self.detector.detect(_WARM_UP, user_name="Alex Example")
        #: Seconds to build the detector and run it once: paid per process, not per message.
        self.load_s = time.perf_counter() - start
        self.levels = levels
        self.latencies: list[float] = []
        threads_used = self.detector.threads
        self._pool = ThreadPoolExecutor(threads_used, thread_name_prefix="memveil-extract") if threads_used > 1 else None

    def predict(self, record: Record) -> list[list[PrivacyItem]]:
        """The items of each user turn of `record`, in turn order; each turn knows the names
        and identifiers found in the turns before it."""
        user_name = record.user_name
        known: dict[str, KnownValue] = {}
        predicted = []
        for turn in record.user_turns():
            start = time.perf_counter()
            spans = self.detector.detect(turn.content, user_name=user_name, known=known.values())
            self.latencies.append(time.perf_counter() - start)
            spans = [s for s in spans if s.level in self.levels]
            for span in spans:
                if carries(span.type):
                    known.setdefault(span.text, KnownValue(span.text, span.type, span.level))
            predicted.append(to_items(spans, self.levels))
        return predicted

    def predict_all(self, records: Iterable[Record]) -> Iterator[tuple[Record, list[list[PrivacyItem]]]]:
        """(record, `predict(record)`) in input order, up to `threads` records at a time."""
        if self._pool is None:
            for record in records:
                yield record, self.predict(record)
            return
        pending: deque[tuple[Record, Future[list[list[PrivacyItem]]]]] = deque()
        for record in records:
            pending.append((record, self._pool.submit(self.predict, record)))
            if len(pending) > 2 * self.detector.threads:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def close(self) -> None:
        if self._pool:
            self._pool.shutdown()

    def __enter__(self) -> ExtractionRunner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def extract_file(
    source: Path | str, target: Path | str, runner: ExtractionRunner, progress: Progress | None = None
) -> tuple[int, int]:
    """Copy `source` to `target` with `privacy_info_pred` added to every user turn, one
    record at a time. Returns (users, user turns). `target` appears only when all is written."""
    users = turns = 0
    with record_writer(target) as out:
        for record, predicted in runner.predict_all(read_records(source)):
            for turn, items in zip(record.user_turns(), predicted):
                turn.raw[PREDICTIONS] = [item.to_json() for item in items]
            write_record(out, record)
            users += 1
            turns += len(predicted)
            if progress:
                progress.update(users=1, turns=len(predicted))
    return users, turns
