"""`memveil eval utility` on a benchmark made up here: two users, private values, three kinds of question.

The detector is the default rules plus a small lexicon standing in for the learned tagger
(left out: its artifact is a local build, and its spans would make the outcomes depend on
it), so free-text values (a condition, an employer) are replaced too; the e-mail addresses
and names are found by the default recognizers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from memveil.cloud.embedder import shared_embedder
from memveil.cloud.engine import SimpleEngine
from memveil.edge.detector import PrivacyDetector
from memveil.edge.evaluation.benchmark import BenchmarkFormatError, read_records
from memveil.edge.evaluation.utility import (
    MODES,
    Backends,
    EmbeddingChooser,
    GenericChannel,
    UtilityEvaluation,
    UtilityReport,
    dialogue_chunks,
    evidence_recalled,
    mcnemar_p,
    option_text,
    read_questions,
)
from memveil.edge.recognizers import default_recognizers
from memveil.edge.span import Span
from memveil.shared.cli import main
from memveil.shared.taxonomy import DEFAULT_PROTECTED_LEVELS, Level

EMAIL = "dana.whitfield@example.org"
CONDITION = "celiac disease"
EMPLOYER = "Northwind Traders"
OTHER_EMAIL = "omar.h@example.com"
OTHER_CONDITION = "asthma"
OTHER_EMPLOYER = "Contoso Labs"
#: Every value the detector below replaces, by the file's users (names included).
PRIVATE_VALUES = ("Dana Whitfield", EMAIL, CONDITION, EMPLOYER, "Omar Haddad", OTHER_EMAIL, OTHER_CONDITION, OTHER_EMPLOYER)
LEXICON = {
    CONDITION: ("Medical Health", Level.PL3),
    OTHER_CONDITION: ("Medical Health", Level.PL3),
    EMPLOYER: ("Employer/Company Name", Level.PL2),
    OTHER_EMPLOYER: ("Employer/Company Name", Level.PL2),
}


class LexiconRecognizer:
    """Finds a fixed list of terms: the tagger's job, done by hand for the test."""

    name = "test-lexicon"

    def analyze(self, text: str) -> list[Span]:
        return [
            Span(m.start(), m.end(), m.group(), kind, level, 0.9, self.name)
            for term, (kind, level) in LEXICON.items()
            for m in re.finditer(re.escape(term), text)
        ]


def user(content: str) -> dict[str, Any]:
    return {"role": "user", "content": content, "privacy_info": []}


def assistant(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content, "privacy_info": []}


RECORDS: list[dict[str, Any]] = [
    {
        "uuid": "u-1",
        "metadata": {"user_name": "Dana Whitfield"},
        "dialogues": [
            user("Hi, I'm Dana Whitfield and I want help planning my week."),
            assistant("Happy to help."),
            user(f"Please send the weekly summary to {EMAIL} every Monday."),
            assistant("Noted."),
            user(f"I was diagnosed with {CONDITION} last spring, so I avoid gluten."),
            assistant("Understood."),
            user(f"I work at {EMPLOYER} as a data analyst."),
            assistant("Great."),
            user("I love hiking in the mountains on weekends."),
            assistant("Sounds fun."),
        ],
        "questions": [
            {  # hinges on the private value itself
                "question": "Which e-mail address should the weekly summary go to?",
                "all_options": [
                    "(a) rob.kessler@example.net",
                    f"(b) {EMAIL}",
                    "(c) info@example.com",
                    "(d) d.white@example.co.uk",
                ],
                "answer": "(b)",
            },
            {
                "question": "What should I keep in mind when suggesting a restaurant?",
                "all_options": [
                    "(a) Pick a steakhouse downtown.",
                    "(b) Any pizza place will do.",
                    f"(c) Choose a place with gluten-free dishes because of {CONDITION}.",
                    "(d) Prefer a sushi bar.",
                ],
                "answer": "(c)",
            },
            {"question": "Where does the user work?", "evidence": [EMPLOYER]},
        ],
    },
    {
        "uuid": "u-2",
        "metadata": {"user_name": "Omar Haddad"},
        "dialogues": [
            user("My name is Omar Haddad."),
            assistant("Nice to meet you."),
            assistant("Anything else?"),
            user(f"You can reach me at {OTHER_EMAIL} if anything changes."),
            user(f"I have {OTHER_CONDITION}, so I avoid running outdoors in winter."),
            assistant("Okay."),
            user(f"My employer is {OTHER_EMPLOYER} in Austin."),
        ],
        "questions": [
            {
                "question": "Which health condition does the user have?",
                "all_options": ["(a) Asthma", "(b) Diabetes", "(c) Migraine", "(d) None"],
                "answer": "(a)",
                "evidence": OTHER_CONDITION,
            },
        ],
    },
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


OFFLINE = Backends(SimpleEngine, "simple", EmbeddingChooser)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("utility") / "bench.jsonl", RECORDS)


@pytest.fixture(scope="module")
def detector() -> PrivacyDetector:
    return PrivacyDetector(threads=1, recognizers=[*default_recognizers(), LexiconRecognizer()], tagger=False)


@pytest.fixture(scope="module")
def run(data: Path, detector: PrivacyDetector, tmp_path_factory: pytest.TempPathFactory) -> tuple[UtilityReport, Path]:
    workdir = tmp_path_factory.mktemp("stores")
    evaluation = UtilityEvaluation(MODES, top_k=3, detector=detector, backends=OFFLINE, workdir=workdir)
    return evaluation.run(data), workdir


def test_the_report_has_every_mode_and_its_loss_against_raw(run: tuple[UtilityReport, Path]) -> None:
    report = json.loads(run[0].to_json())
    assert report["users"] == 2 and report["top_k"] == 3 and report["engine"] == "simple"
    assert report["chooser"] == "embedding-max-cosine" and "test-lexicon" in report["detector"]
    assert list(report["modes"]) == list(MODES)
    for mode, row in report["modes"].items():
        assert row["choice_questions"] == 3 and row["evidence_questions"] == 2
        assert 0 <= row["accuracy"] <= 1 and 0 <= row["evidence_recall"] <= 1
        assert row["memories"] > 0
        assert (row["replaced_spans"] == 0) == (mode == "raw")
    assert set(report["loss_vs_raw_points"]) == {"masked", "generic", "typed"}
    for mode, loss in report["loss_vs_raw_points"].items():
        raw, ours = report["modes"]["raw"], report["modes"][mode]
        assert loss["accuracy"] == pytest.approx((raw["accuracy"] - ours["accuracy"]) * 100, abs=0.01)
        assert loss["evidence_recall"] == pytest.approx((raw["evidence_recall"] - ours["evidence_recall"]) * 100, abs=0.01)
    assert 0 <= report["no_memory_accuracy"] <= 1
    table = run[0].to_table()
    assert all(mode in table for mode in MODES) and "loss" in table


def test_typed_restores_what_masking_loses(run: tuple[UtilityReport, Path]) -> None:
    totals = run[0].totals
    # The first question's answer is the e-mail address itself: only a restored memory has it.
    assert totals["raw"].outcomes[0] and totals["typed"].outcomes[0]
    assert not totals["masked"].outcomes[0] and not totals["generic"].outcomes[0]
    assert totals["typed"].outcomes == totals["raw"].outcomes
    # The employer and the condition are recalled word for word only where they come back.
    assert totals["raw"].evidence_recall_sum == totals["typed"].evidence_recall_sum == 2
    assert totals["masked"].evidence_recall_sum == totals["generic"].evidence_recall_sum == 0
    loss = run[0].to_dict()["loss_vs_raw_points"]
    assert loss["typed"]["accuracy"] == 0 and loss["masked"]["accuracy"] > 0
    assert loss["masked"]["questions_lost"] >= 1 and loss["typed"]["questions_lost"] == 0
    # Restored, typed retrieval finds mostly what raw finds (placeholders move embeddings a
    # little); masked memories never read like raw ones.
    assert loss["typed"]["top_k_agreement"] > 0.75 > loss["masked"]["top_k_agreement"]


def test_no_private_value_reaches_the_store_in_protected_modes(run: tuple[UtilityReport, Path]) -> None:
    workdir = run[1]
    for mode in MODES:
        stored = b"".join(p.read_bytes() for p in sorted(workdir.glob(f"line*-{mode}/store.db*")))
        assert stored, mode
        leaked = [v for v in PRIVATE_VALUES if v.encode() in stored]
        if mode == "raw":  # the scan can see values: raw stores them all
            assert set(leaked) == {EMAIL, CONDITION, EMPLOYER, OTHER_EMAIL, OTHER_CONDITION, OTHER_EMPLOYER} | {
                "Dana Whitfield",
                "Omar Haddad",
            }
        else:
            assert leaked == [], mode
    assert b"<Email_1>" in b"".join(p.read_bytes() for p in workdir.glob("line1-typed/store.db*"))
    assert b"<MASK_" in b"".join(p.read_bytes() for p in workdir.glob("line1-generic/store.db*"))


def test_generic_masks_number_values_per_user_and_never_restore(detector: PrivacyDetector) -> None:
    channel = GenericChannel(detector, "Dana Whitfield", DEFAULT_PROTECTED_LEVELS)
    first = channel.outbound(f"Write to {EMAIL}; I have {CONDITION}.")
    again = channel.outbound(f"Again: {EMAIL.upper()}.")
    assert first == "Write to <MASK_1>; I have <MASK_2>." and again == "Again: <MASK_1>."
    assert channel.inbound(first) == first
    assert channel.replaced == {"Email": 2, "Medical Health": 1}
    assert GenericChannel(detector, None, DEFAULT_PROTECTED_LEVELS).outbound(CONDITION) == "<MASK_1>"


def test_dialogue_chunks_are_user_turns_with_the_replies_that_follow(data: Path) -> None:
    second = list(read_records(data))[1]
    chunks = dialogue_chunks(second)
    assert [[m.role for m in chunk] for chunk in chunks] == [
        ["user", "assistant", "assistant"],
        ["user"],
        ["user", "assistant"],
        ["user"],
    ]


def test_questions_are_read_and_checked(tmp_path: Path) -> None:
    first = next(read_records(write_jsonl(tmp_path / "ok.jsonl", RECORDS[:1])))
    questions = read_questions(first)
    assert [q.answer for q in questions] == [1, 2, None]
    assert questions[2].evidence == (EMPLOYER,) and questions[2].options == ()
    assert option_text("(c) Choose a quiet place.") == "Choose a quiet place."
    bad = [
        {"question": "Q?", "all_options": ["(a) x", "(b) y"], "answer": "(e)"},
        {"question": "Q?"},
        {"question": "Q?", "evidence": [""]},
        {"question": "", "evidence": "x"},
    ]
    for n, question in enumerate(bad):
        record = next(read_records(write_jsonl(tmp_path / f"bad{n}.jsonl", [{**RECORDS[1], "questions": [question]}])))
        with pytest.raises(BenchmarkFormatError, match=r"line 1: questions\[0\]"):
            read_questions(record)
    bare = {**RECORDS[1], "questions": [{"question": "Q?", "all_options": ["yes", "no"], "answer": "no"}]}
    assert read_questions(next(read_records(write_jsonl(tmp_path / "bare.jsonl", [bare]))))[0].answer == 1


def test_evidence_matches_either_way_round_ignoring_case_and_spacing() -> None:
    assert evidence_recalled("northwind  traders", ["I work at Northwind Traders."])
    assert evidence_recalled("I work at Northwind Traders as an analyst.", ["I work at northwind traders as an analyst."])
    assert not evidence_recalled("Northwind Traders", ["I work at ***."])


def test_the_embedding_chooser_prefers_the_option_a_memory_backs() -> None:
    chooser = EmbeddingChooser(shared_embedder())
    options = ["(a) Book a table at a steakhouse.", "(b) Find a vegan restaurant.", "(c) Buy concert tickets."]
    assert chooser.choose("Where should we eat tonight?", options, ["I have been vegan for ten years."]) == 1


def test_the_cli_prints_a_json_report(data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMVEIL_LLM_BASE_URL", raising=False)
    assert main(["eval", "utility", "--data", str(data), "--mode", "raw", "--json", "--top-k", "2", "--limit-users", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["users"] == 1 and report["top_k"] == 2 and list(report["modes"]) == ["raw"]
    assert report["modes"]["raw"]["choice_questions"] == 2 and report["loss_vs_raw_points"] == {}


def test_the_cli_refuses_a_bad_file_without_quoting_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", [{**RECORDS[0], "questions": [{"question": EMAIL}]}])
    assert main(["eval", "utility", "--data", str(bad), "--mode", "raw"]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and EMAIL not in err
    with pytest.raises(SystemExit):
        main(["eval", "utility", "--data", str(bad), "--top-k", "0"])


def test_a_configured_llm_forms_memories_and_answers(
    data: Path, detector: PrivacyDetector, openai_stub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def respond(body: dict[str, Any]) -> dict[str, Any]:
        if body["response_format"]["json_schema"]["name"] == "FormationReply":  # each user turn, as said
            turns = json.loads(body["messages"][-1]["content"])["conversation"]
            return {
                "operations": [
                    {"event": "ADD", "text": t["content"], "target": None, "reason": None} for t in turns if t["role"] == "user"
                ]
            }
        return {"option": 1}

    openai_stub.respond = respond
    monkeypatch.setenv("MEMVEIL_LLM_BASE_URL", openai_stub.base_url)
    monkeypatch.setenv("MEMVEIL_LLM_MODEL", "stub-model")
    report = UtilityEvaluation(("raw", "typed"), top_k=2, detector=detector).run(data, limit_users=1)
    assert report.engine == "llm:stub-model" and report.chooser == "llm"
    assert report.totals["typed"].memories == report.totals["raw"].memories == 5
    assert report.totals["raw"].outcomes == report.totals["typed"].outcomes == [False, False]  # always (a)
    formation = [r for r in openai_stub.requests if r["response_format"]["json_schema"]["name"] == "FormationReply"]
    assert len(formation) == 10  # five user turns in each mode
    assert all(EMAIL not in json.dumps(r) for r in formation[5:])  # typed: the formation model sees placeholders


def test_mcnemar_p_says_when_a_loss_is_noise() -> None:
    assert mcnemar_p(0, 0) == 1.0 and mcnemar_p(3, 3) == 1.0
    assert mcnemar_p(21, 16) > 0.5  # a 5-question net loss out of 37 discordant questions: noise
    assert mcnemar_p(10, 0) == pytest.approx(2 / 1024, abs=1e-4)
