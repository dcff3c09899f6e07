"""`memveil audit leaks`: every planted leak is found, variants included; a clean export is clean."""

from __future__ import annotations

import json
import os
import random
import string
import time
from pathlib import Path

import pytest

from memveil.edge.audit.leaks import ValueIndex, VaultValue, find_leaks
from memveil.edge.audit.matcher import LiteralMatcher
from memveil.edge.audit.normalise import compact, digits, fold, mapped_fold, tokens
from memveil.edge.vault import Vault
from memveil.shared.cli import main
from memveil.shared.taxonomy import Level

VALUES = [
    ("maya.chen@example.org", "Email", Level.PL2),
    ("138-1234-5678", "Phone Number", Level.PL2),
    ("4111 1111 1111 1111", "Bank/Payment Card Number", Level.PL3),
    ("Maya Chen", "Real Name", Level.PL2),
    ("110101199003071234", "ID Number", Level.PL3),
    ("李小明", "Real Name", Level.PL2),
    ("Tel. 021-6543-2100", "Phone Number", Level.PL2),  # a label kept in the value
    ("4821", "Verification Code", Level.PL4),
    ("ok", "Password", Level.PL4),  # too short to look for
]

# (text planted in the export, the value it leaks, how it was re-typed)
PLANTED = [
    ("Reach her at maya.chen@example.org today", "maya.chen@example.org", "exact"),
    ("MAIL: MAYA.CHEN@EXAMPLE.ORG", "maya.chen@example.org", "case/width/spacing"),
    ("ｍａｙａ．ｃｈｅｎ＠ｅｘａｍｐｌｅ．ｏｒｇ is full-width", "maya.chen@example.org", "case/width/spacing"),
    ("call 138 1234 5678 now", "138-1234-5678", "punctuation/spacing"),
    ("tel:+86 13812345678", "138-1234-5678", "punctuation/spacing"),
    ("card 4111-1111-1111-1111", "4111 1111 1111 1111", "punctuation/spacing"),
    ("met maya   chen at noon", "Maya Chen", "case/width/spacing"),
    ("身份证110101199003071234已登记", "110101199003071234", "exact"),
    ("我叫李小明", "李小明", "exact"),
    ("office 021 6543 2100 (ext 3)", "Tel. 021-6543-2100", "digits only"),
    ("the PIN 4821 works", "4821", "exact"),
]

CLEAN = [
    "User's email is <Email_1>; phone <Phone_Number_1>",
    "Card <Bank_Payment_Card_Number_1> was charged on 2024-01-05T10:48:21Z",  # 48:21 is not the PIN
    "ticket 148210 and order 41111111111111119",  # digits around the values, no boundary
    "Mayachenko wrote to m.chen@example.com",  # near misses: another name, another address
    "李小明白了",  # hmm: CJK has no word boundaries, so this one IS reported (see the test)
]


def _values() -> list[VaultValue]:
    return [VaultValue("maya", f"<P_{i}>", t, lv, v) for i, (v, t, lv) in enumerate(VALUES, 1)]


def test_normalised_forms() -> None:
    assert fold("  ＭＡＹＡ　Chen\t") == "maya chen"
    assert compact("+86 138-1234-5678") == "8613812345678"
    assert digits("Tel. 021-6543-2100") == "02165432100"
    assert tokens("我叫Maya, 138-1234") == ["我", "叫", "maya", "138", "1234"]
    mapped = mapped_fold("Aß  b")
    assert mapped.text == "ass b" and mapped.origin == [0, 1, 1, 2, 4]


def test_every_planted_leak_is_found_with_its_variant() -> None:
    index = ValueIndex(_values())
    assert index.unchecked == 1  # "ok"
    for text, value, variant in PLANTED:
        hits = [(index.values[h.value].value, h.variant, text[h.start : h.end]) for h in index.find(text)]
        assert (value, variant) in [(v, k) for v, k, _ in hits], (text, hits)


def test_clean_texts_report_nothing_but_cjk_inside_words() -> None:
    index = ValueIndex(_values())
    for text in CLEAN[:-1]:
        assert index.find(text) == [], text
    # Chinese has no spaces: a name inside a longer run of characters is still that name.
    assert [index.values[h.value].value for h in index.find(CLEAN[-1])] == ["李小明"]


def _vault(tmp_path: Path, key: bytes) -> Path:
    path = tmp_path / "vault.db"
    with Vault.open(path, key) as vault:
        vault.placeholders_for("maya", VALUES[:5])
        vault.placeholders_for("li", VALUES[5:])
    return path


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    raw = os.urandom(32)
    monkeypatch.setenv("VAULT_KEY", "base64:" + __import__("base64").b64encode(raw).decode())
    return raw


def _export(tmp_path: Path, texts: list[str]) -> Path:
    path = tmp_path / "export.jsonl"
    rows = [
        {"id": f"m{i}", "user_id": "u_3f9c", "text": text, "created_at": "2024-01-05T10:48:21Z", "updated_at": "2024-01-05T10:48:21Z"}
        for i, text in enumerate(texts)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_cli_finds_planted_leaks_with_locations(tmp_path: Path, key: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    vault = _vault(tmp_path, key)
    export = _export(tmp_path, [t for t, _, _ in PLANTED])
    code = main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(export), "--key-env", "VAULT_KEY", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    report = json.loads(out)
    assert not report["clean"] and report["values_unchecked"] == 1
    lines = export.read_text(encoding="utf-8").splitlines()
    found = {(leak["line"], leak["placeholder"]) for leak in report["leaks"]}
    placeholders = {}
    with Vault.open(vault, key) as v:
        for user in v.users():
            for e in v.entries(user):
                placeholders[e.value] = e.placeholder
    for number, (text, value, _) in enumerate(PLANTED, start=1):
        assert (number, placeholders[value]) in found, text
    leak = next(k for k in report["leaks"] if k["line"] == 1 and k["type"] == "Email")
    assert leak["json_path"] == "text" and leak["matched_as"] == "exact"
    assert leak["column"] == lines[0].index("maya.chen@example.org") + 1
    assert leak["value"] == "m***@e***.org"
    for value, _, _ in VALUES[:7]:
        assert value not in out and value not in err


def test_cli_clean_export(tmp_path: Path, key: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    vault = _vault(tmp_path, key)
    export = _export(tmp_path, CLEAN[:-1])
    text_export = tmp_path / "export.txt"
    text_export.write_text("\n".join(CLEAN[:-1]), encoding="utf-8")
    code = main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(export), "--cloud-export", str(text_export), "--key-env", "VAULT_KEY", "--plain"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith("CLEAN: no vault value found in 2 export file(s)")


def test_cli_json_document_paths_and_bad_input(tmp_path: Path, key: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    vault = _vault(tmp_path, key)
    export = tmp_path / "memories.json"
    export.write_text(json.dumps({"results": [{"text": "ok"}, {"text": "x", "tags": ["a", "Maya Chen"]}]}, indent=2), encoding="utf-8")
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b'{"text": \n\xff\xfe\n{"text": "mail maya.chen@example.org"}\n')
    code = main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(export), "--cloud-export", str(broken), "--key-env", "VAULT_KEY", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    [name_line] = [i for i, line in enumerate(export.read_text().splitlines(), 1) if "Maya Chen" in line]
    assert {(k["file"].rsplit("/", 1)[-1], k["json_path"], k["line"]) for k in report["leaks"]} == {
        ("memories.json", "results[1].tags[1]", name_line),
        ("broken.jsonl", "text", 3),
    }
    assert [e.split(": ", 1)[1].split(":")[0] for e in report["errors"]] == ["line 1", "line 2"]
    # inputs that cannot be used: usage errors, nothing read
    assert main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(tmp_path / "none.jsonl"), "--key-env", "VAULT_KEY"]) == 2
    os.environ["VAULT_KEY"] = "a wrong passphrase"
    assert main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(export), "--key-env", "VAULT_KEY"]) == 2
    capsys.readouterr()


def test_reveal(tmp_path: Path, key: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    vault = _vault(tmp_path, key)
    export = _export(tmp_path, ["MAIL: MAYA.CHEN@EXAMPLE.ORG"])
    assert main(["audit", "leaks", "--vault", str(vault), "--cloud-export", str(export), "--key-env", "VAULT_KEY", "--reveal", "--plain"]) == 1
    assert "maya.chen@example.org" in capsys.readouterr().out


def test_matcher_scales_to_thousands_of_values() -> None:
    rng = random.Random(7)
    alphabet = string.ascii_lowercase + string.digits
    values = [
        VaultValue("u", f"<Key_{i}>", "Key", Level.PL4, "".join(rng.choices(alphabet, k=rng.randint(8, 30))))
        for i in range(5000)
    ]
    words = [" ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(12)) for _ in range(4000)]
    planted = {17: 3, 1999: 4242, 3998: 4999}
    for line, value in planted.items():
        words[line] += " " + values[value].value.upper() + "."
    started = time.perf_counter()
    index = ValueIndex(values)
    found = {(line, h.value) for line, text in enumerate(words) for h in index.find(text)}
    elapsed = time.perf_counter() - started
    assert found == set(planted.items())
    assert elapsed < 60  # values x lines would be 20 million comparisons; this is one pass per line


def test_literal_matcher_overlaps_and_prefixes() -> None:
    matcher = LiteralMatcher([("abc", 1), ("abcdefghijklmnopqrstuvwxyz", 2), ("bcd", 3), ("abcdefghijklmnopqXXX", 4)])
    text = "abcdefghijklmnopqrstuvwxyz"
    assert sorted(matcher.finditer(text)) == [(0, 3, 1), (0, 26, 2), (1, 4, 3)]


def test_find_leaks_api(tmp_path: Path) -> None:
    export = tmp_path / "log.txt"
    export.write_text("nothing\nsecond line has 138 1234 5678\n", encoding="utf-8")
    report = find_leaks(_values(), [export])
    assert [(k.line, k.column, k.value.value, k.variant) for k in report.leaks] == [(2, 17, "138-1234-5678", "punctuation/spacing")]
    assert "138" not in repr(report.leaks[0].value)
