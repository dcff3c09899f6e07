"""`memveil extract` and `memveil eval extraction` end to end on records made up here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from memveil.shared.cli import main

SECRET = "Zq7-unique-marker"


def user(content: str, refs: list[tuple[str, str, str]]) -> dict[str, Any]:
    items = [{"original_text": t, "privacy_type": ty, "privacy_level": lv} for t, ty, lv in refs]
    return {"role": "user", "content": content, "privacy_info": items}


def assistant(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content, "privacy_info": []}


def records() -> list[dict[str, Any]]:
    return [
        {
            "uuid": "u-1",
            "metadata": {"user_name": "Nora Quill", "round_num": 2},
            "dialogues": [
                user("Hi, I'm Nora Quill. Write to nora.quill@example.org please.",
                     [("Nora Quill", "Real Name", "PL2"), ("nora.quill@example.org", "Email", "PL2")]),
                assistant("Sure, Nora, I will write to nora.quill@example.org."),
                user("What should I cook tonight?", []),
            ],
            "questions": [{"question": "What does the user like?", "all_options": ["a", "b"], "answer": "a"}],
        },
        {
            "uuid": "u-2",
            "metadata": {"user_name": "李小明"},
            "dialogues": [
                user("我叫李小明，我的邮箱是 xm.li@example.cn，明天去开会。",
                     [("xm.li@example.cn", "Email", "PL2")]),
                assistant("好的。"),
            ],
            "questions": [],
        },
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "data.jsonl", records())


def test_extract_adds_predictions_to_user_turns_only(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    assert main(["extract", "--input", str(data), "--output", str(out), "--threads", "2"]) == 0
    produced = read_jsonl(out)
    original = records()
    assert len(produced) == len(original)
    predictions = []
    for got, want in zip(produced, original):
        for turn_got, turn_want in zip(got["dialogues"], want["dialogues"]):
            if turn_got["role"] == "user":
                items = turn_got.pop("privacy_info_pred")
                assert all(set(item) == {"original_text", "privacy_type", "privacy_level"} for item in items)
                predictions.append(items)
            else:
                assert "privacy_info_pred" not in turn_got
        assert got == want  # everything else is unchanged
    found = {(i["original_text"], i["privacy_type"], i["privacy_level"]) for items in predictions for i in items}
    assert ("nora.quill@example.org", "Email", "PL2") in found
    assert ("Nora Quill", "Real Name", "PL2") in found
    assert predictions[1] == []


def test_extract_levels_filter(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "pl4.jsonl"
    assert main(["extract", "--input", str(data), "--output", str(out), "--levels", "PL4"]) == 0
    for record in read_jsonl(out):
        for turn in record["dialogues"]:
            assert turn.get("privacy_info_pred", []) == []


def test_malformed_line_names_its_number_and_not_its_content(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = data.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0] + "\n\n" + '{"dialogues": [{"role": "user", "content": "' + SECRET + '"\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--input", str(bad), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "not valid JSON" in err and SECRET not in err
    assert not out.exists() and list(tmp_path.glob(".out.jsonl.*")) == []  # no half-written output

    bad.write_text(lines[0] + "\n" + json.dumps({"dialogues": [{"role": "user", "content": 7}]}) + "\n", encoding="utf-8")
    assert main(["extract", "--input", str(bad), "--output", str(out)]) == 2
    assert "line 2: dialogues[0].content must be a string" in capsys.readouterr().err


def test_non_utf8_input_is_a_clear_error(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(data.read_bytes() + '{"dialogues": [], "note": "café"}\n'.encode("latin-1"))
    assert main(["extract", "--input", str(bad), "--output", str(tmp_path / "out.jsonl")]) == 2
    assert "line 3: not UTF-8 text (bad byte at column 31)" in capsys.readouterr().err


def test_missing_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "o.jsonl")]) == 2
    assert "No such file" in capsys.readouterr().err


def test_eval_scores_an_extract_output_like_its_own_run(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pred.jsonl"
    assert main(["extract", "--input", str(data), "--output", str(out)]) == 0
    capsys.readouterr()
    assert main(["eval", "extraction", "--data", str(data), "--pred", str(out), "--json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["eval", "extraction", "--data", str(data), "--threads", "1", "--json"]) == 0
    direct = json.loads(capsys.readouterr().out)
    latency = direct.pop("latency")
    assert latency["turns"] == 3 and latency["threads"] == 1 and latency["p50_ms"] > 0
    assert from_file.pop("latency") is None
    assert from_file == direct
    assert from_file["users"] == 2 and from_file["overall"]["turns"] == 3 and from_file["overall"]["references"] == 3
    assert from_file["per_language"]["zh"]["users"] == 1 and from_file["per_language"]["en"]["users"] == 1

    assert main(["eval", "extraction", "--data", str(data), "--pred", str(out)]) == 0
    table = capsys.readouterr().out
    assert "F1 mean" in table and "strict" in table


def test_predicting_nothing_scores_the_share_of_turns_without_references(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nothing = records()
    for record in nothing:
        for turn in record["dialogues"]:
            if turn["role"] == "user":
                turn["privacy_info_pred"] = []
    pred = write_jsonl(tmp_path / "nothing.jsonl", nothing)
    assert main(["eval", "extraction", "--data", str(data), "--pred", str(pred), "--json"]) == 0
    overall = json.loads(capsys.readouterr().out)["overall"]
    assert overall["mean"]["f1"] == pytest.approx(1 / 3)  # one of three user turns has no references
    assert overall["predictions"] == 0 and overall["strict"]["f1"] == 0.0


def test_eval_refuses_predictions_for_other_records(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shifted = records()
    shifted[1]["dialogues"][0]["content"] += " (edited)"
    for record in shifted:
        for turn in record["dialogues"]:
            if turn["role"] == "user":
                turn["privacy_info_pred"] = []
    pred = write_jsonl(tmp_path / "pred.jsonl", shifted)
    assert main(["eval", "extraction", "--data", str(data), "--pred", str(pred)]) == 2
    assert "line 2: user turn 0 (dialogues[0]) differs" in capsys.readouterr().err

    write_jsonl(pred, shifted[:1])
    assert main(["eval", "extraction", "--data", str(data), "--pred", str(pred)]) == 2
    assert "fewer records" in capsys.readouterr().err

    write_jsonl(pred, records())  # references but no predictions
    assert main(["eval", "extraction", "--data", str(data), "--pred", str(pred)]) == 2
    assert "has no 'privacy_info_pred' list" in capsys.readouterr().err
