"""How often the shipped int8 tagger predicts the same spans as its fp32 original.

The fp32 ONNX model is not shipped (104 MB); `python -m memveil.models.tagger.export` leaves
it in /tmp/memveil-tagger/export/tagger.fp32.onnx. This runs both over every user turn of a
benchmark file and prints JSON: agreement of the tagger's own spans (at the fusion's per-type
thresholds) and of the whole detector's output, as the F1 of one (turn, start, end, type) set
against the other, plus the same for the static QDQ model. Usage:

    python bench/tagger_agreement.py --data FILE.jsonl [--fp32 PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from memveil.edge.detector import PrivacyDetector
from memveil.edge.evaluation.benchmark import read_records
from memveil.edge.fusion import tagger_threshold
from memveil.edge.recognizers.tagger import TaggerRecognizer, default_model_path
from memveil.edge.span import Span

Key = tuple[int, int, int, str]


def keys(per_turn: list[list[Span]], tagger_only: bool) -> set[Key]:
    return {
        (i, s.start, s.end, s.type)
        for i, spans in enumerate(per_turn)
        for s in spans
        if not tagger_only or s.score >= tagger_threshold(s.type, s.text)
    }


def agreement(reference: set[Key], other: set[Key]) -> float:
    return 2 * len(reference & other) / max(1, len(reference) + len(other))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--fp32", type=Path, default=Path("/tmp/memveil-tagger/export/tagger.fp32.onnx"))
    args = parser.parse_args()
    shipped = default_model_path()
    sibling = args.fp32.with_name(shipped.name)  # export.py writes int8 and fp32 side by side
    if not sibling.is_file() or sibling.read_bytes() != shipped.read_bytes():
        parser.error(
            f"{args.fp32} is not the fp32 original of the shipped model: {sibling} is missing or differs "
            f"from {shipped} (export the shipped run again, or point --fp32 at its export)"
        )

    turns: list[tuple[str, str | None]] = [
        (turn.content, record.user_name) for record in read_records(args.data) for turn in record.user_turns()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "tagger.fp32.onnx"  # beside copies of the shipped tokenizer and labels
        shutil.copyfile(args.fp32, fp32)
        for name in ("tokenizer.json", "labels.json"):
            shutil.copyfile(shipped.with_name(name), Path(tmp) / name)
        models = {"fp32": fp32, "int8": shipped, "qdq": shipped.with_name("tagger.qdq.onnx")}
        tagger_spans, detector_spans = {}, {}
        for name, path in models.items():
            tagger = TaggerRecognizer(threads=2, model_path=path, threshold=0.0)
            tagger_spans[name] = keys([tagger.analyze(text) for text, _ in turns], tagger_only=True)
            detector = PrivacyDetector(threads=2, tagger=TaggerRecognizer(threads=2, model_path=path))
            detector_spans[name] = keys([detector.detect(text, user_name=user) for text, user in turns], False)
    report = {
        "bench": "tagger_agreement",
        "data": args.data.name,
        "user_turns": len(turns),
        "fp32_tagger_spans": len(tagger_spans["fp32"]),
        "fp32_detector_spans": len(detector_spans["fp32"]),
    }
    for name in ("int8", "qdq"):
        report[name] = {
            "tagger_span_agreement": round(agreement(tagger_spans["fp32"], tagger_spans[name]), 4),
            "detector_span_agreement": round(agreement(detector_spans["fp32"], detector_spans[name]), 4),
            "tagger_spans": len(tagger_spans[name]),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
