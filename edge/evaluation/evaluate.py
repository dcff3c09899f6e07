"""`memveil eval extraction`: score predictions against the references of a benchmark file.

Predictions come from a --pred file (the output of `memveil extract`, or any model's in the
same format) or, without one, from running the detector here, which also measures its
latency. Both files stream side by side; the references always come from the data file,
and each prediction record must be the same user's, turn for turn, or scoring stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

from memveil.edge.evaluation.benchmark import (
    PREDICTIONS,
    REFERENCES,
    BenchmarkFormatError,
    PrivacyItem,
    Record,
    read_records,
)
from memveil.edge.evaluation.language import user_language
from memveil.edge.evaluation.metric import EmbeddingTypeSimilarity, TypeSimilarity
from memveil.edge.evaluation.progress import Progress
from memveil.edge.evaluation.report import ExtractionReport, Latency


def evaluate_extraction(
    data: Path | str,
    pred: Path | str | None = None,
    threads: int | None = None,
    similarity: TypeSimilarity | None = None,
    progress: Progress | None = None,
) -> ExtractionReport:
    report = ExtractionReport(similarity or EmbeddingTypeSimilarity())
    if pred is not None:
        for record, predicted in paired_records(data, pred):
            _add_record(report, record, [predicted.items(turn, PREDICTIONS) for turn in predicted.user_turns()], progress)
        return report

    from memveil.edge.extract import ExtractionRunner  # the detector loads only when it runs

    with ExtractionRunner(threads) as runner:
        for record, predicted in runner.predict_all(read_records(data)):
            _add_record(report, record, predicted, progress)
        report.latency = Latency(tuple(runner.latencies), runner.detector.threads, runner.load_s)
    return report


def paired_records(data: Path | str, pred: Path | str) -> Iterator[tuple[Record, Record]]:
    """(data record, prediction record) pairs, checked to be the same user and the same user turns."""
    for record, predicted in zip_longest(read_records(data), read_records(pred)):
        if predicted is None:
            raise BenchmarkFormatError(data, record.line, f"{pred} has no record for this line (it has fewer records)")
        if record is None:
            raise BenchmarkFormatError(pred, predicted.line, f"{data} has no record for this line (it has fewer records)")
        if record.uuid != predicted.uuid:
            raise predicted.error(f"uuid differs from {data}, line {record.line}")
        ours, theirs = record.user_turns(), predicted.user_turns()
        if len(ours) != len(theirs):
            raise predicted.error(f"{len(theirs)} user turns, but {data}, line {record.line} has {len(ours)}")
        for n, (a, b) in enumerate(zip(ours, theirs)):
            if a.content != b.content:
                raise predicted.error(f"user turn {n} (dialogues[{b.index}]) differs from {data}, line {record.line}")
        yield record, predicted


def _add_record(
    report: ExtractionReport, record: Record, predicted: list[list[PrivacyItem]], progress: Progress | None
) -> None:
    turns = record.user_turns()
    language = user_language(turn.content for turn in turns)
    report.add_user(language)
    for turn, items in zip(turns, predicted):
        report.add_turn(turn.content, items, record.items(turn, REFERENCES), language)
    if progress:
        progress.update(users=1, turns=len(turns))
