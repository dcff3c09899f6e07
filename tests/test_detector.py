"""PrivacyDetector: the deterministic set end to end, overlap resolution, names, batching,
input robustness, and that building it never imports Presidio or spaCy nor touches the network.

Most tests here pin the deterministic recognizers' exact output, so they run with
`tagger=False`; the learned tagger and its fusion with the rules are tested in
tests/test_tagger.py and tests/test_fusion.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

from memveil.edge.detector import PrivacyDetector, resolve_overlaps
from memveil.edge.recognizers import default_recognizers
from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span
from memveil.shared.taxonomy import Level


@pytest.fixture(scope="module")
def detector() -> PrivacyDetector:
    return PrivacyDetector(threads=4, tagger=False)


def pairs(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.type, s.text) for s in spans]


def assert_well_formed(text: str, spans: list[Span]) -> None:
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start, "spans must be sorted and non-overlapping"
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_english_message(detector: PrivacyDetector) -> None:
    text = (
        "Hi, I'm Jane Doe. Reach me at jane.doe@example.com or +1 212-555-0100; my card is "
        "4111 1111 1111 1111 and the CVV is 123. Our staging DB is postgres://app:s3cret@10.0.0.5:5432/app."
    )
    spans = detector.detect(text, user_name="Jane Doe")
    assert_well_formed(text, spans)
    assert pairs(spans) == [
        ("Real Name", "Jane Doe"),
        ("Email", "jane.doe@example.com"),
        ("Phone Number", "+1 212-555-0100"),
        ("Bank/Payment Card Number", "4111 1111 1111 1111"),
        ("Payment Security Code", "123"),
        ("Database Connection String", "postgres://app:s3cret@10.0.0.5:5432/app"),
    ]
    assert [s.level for s in spans] == [Level.PL2, Level.PL2, Level.PL2, Level.PL3, Level.PL4, Level.PL4]


def test_chinese_message(detector: PrivacyDetector) -> None:
    text = "我叫王小明，手机13812345678，邮箱xiaoming@example.com。我妈妈李秀英的验证码是839201，密码是abc123。"
    spans = detector.detect(text, user_name="王小明")
    assert_well_formed(text, spans)
    assert pairs(spans) == [
        ("Real Name", "王小明"),
        ("Phone Number", "13812345678"),
        ("Email", "xiaoming@example.com"),
        ("Third-Party Identifiable Info", "李秀英"),
        ("Verification Code", "839201"),
        ("Password", "abc123"),
    ]


def test_full_width_input_keeps_original_text(detector: PrivacyDetector) -> None:
    text = "验证码：８３９２０１，手机１３８１２３４５６７８"
    spans = detector.detect(text)
    assert pairs(spans) == [("Verification Code", "８３９２０１"), ("Phone Number", "１３８１２３４５６７８")]


def test_rules_read_traditional_chinese(detector: PrivacyDetector) -> None:
    """The rules are written in Simplified Chinese; Traditional text is folded for them
    character for character, and spans keep the text as typed."""
    text = "我是陳冠廷，醫生說我是2型糖尿病，每天吃二甲雙胍 一天兩次"
    spans = detector.detect(text, user_name="陳冠廷")
    assert_well_formed(text, spans)
    assert ("Real Name", "陳冠廷") in pairs(spans)
    # Health facts keep whose they are in the clear ("醫生說我是"), and the rest of the clause.
    assert ("Medical Health", "2型糖尿病") in pairs(spans)
    assert ("Medical Health", "每天吃二甲雙胍 一天兩次") in pairs(spans)


def test_hard_negatives(detector: PrivacyDetector) -> None:
    for text in [
        "The laptop costs $1,299.00; it shipped in 2024 with 12345678 units sold.",
        "Order #20240512-0042 shipped, tracking 123456789012, invoice 987654321.",
        "Please send the password reset link; your password is incorrect.",
        "We met on 2024-05-12 at 10:30:45 in room 1203, build 1.2.3.4.",
        "我今天花了86元在超市买东西，订单号20240512004212。明天下午3点见。",
        "The key is to be consistent. The secret is patience. Use os.path and README.md.",
        "I scored 839201 points and my sister said hi.",
    ]:
        assert detector.detect(text) == [], text


def test_user_name_variants(detector: PrivacyDetector) -> None:
    text = "JANE DOE signed it. Later jane doe wrote again, and Jane replied. Doe, Jane."
    spans = detector.detect(text, user_name="Jane Doe")
    assert pairs(spans) == [
        ("Real Name", "JANE DOE"),
        ("Real Name", "jane doe"),
        ("Real Name", "Jane"),
        ("Real Name", "Doe, Jane"),
    ]
    assert all(s.level == Level.PL2 for s in spans)
    # No profile name, no Real Name: a first name standing alone is someone else's.
    assert pairs(detector.detect(text)) == [("Third-Party Identifiable Info", "Jane")] * 2
    assert pairs(detector.detect("我是王小明，小明是我的小名", user_name="王小明")) == [
        ("Real Name", "王小明"),
        ("Real Name", "小明"),
    ]


class _Fixed:
    """A recognizer that returns prepared spans, to test overlap resolution in isolation."""

    def __init__(self, name: str, found: list[tuple[int, int, str, float]]) -> None:
        self.name = name
        self._found = found

    def analyze(self, text: str) -> list[Span]:
        return [make_span(text, s, e, t, score, self.name) for s, e, t, score in self._found]


def test_overlap_resolution() -> None:
    text = "x" * 40
    detector = PrivacyDetector(
        threads=1,
        tagger=False,
        recognizers=[
            _Fixed("a", [(0, 10, "Phone Number", 0.4), (20, 30, "Email", 0.9)]),
            _Fixed("b", [(2, 8, "ID Number", 0.9), (18, 32, "Email", 0.9), (35, 38, "Password", 0.5)]),
            _Fixed("c", [(35, 38, "Account ID/Username", 0.5), (12, 15, "Key", 0.7)]),
        ],
    )
    spans = detector.detect(text)
    # Higher score wins (2-8 over 0-10); equal score, longer wins (18-32 over 20-30);
    # equal score and length, higher level wins (Password PL4 over Account ID PL2).
    assert [(s.start, s.end, s.type) for s in spans] == [
        (2, 8, "ID Number"),
        (12, 15, "Key"),
        (18, 32, "Email"),
        (35, 38, "Password"),
    ]


def test_resolve_overlaps_is_sorted_and_disjoint() -> None:
    text = "abcdefghijklmnopqrstuvwxyz"
    spans = [make_span(text, s, e, "Email", sc, "t") for s, e, sc in [(5, 9, 0.5), (0, 6, 0.6), (8, 12, 0.7), (20, 26, 0.1)]]
    kept = resolve_overlaps(spans)
    assert [(s.start, s.end) for s in kept] == [(0, 6), (8, 12), (20, 26)]


def test_detect_many_matches_detect(detector: PrivacyDetector) -> None:
    batch = [
        "mail jane@example.com",
        "",
        "验证码是123456",
        "nothing private here",
        "card 4111 1111 1111 1111 and Jane Doe",
    ] * 4
    assert detector.detect_many(batch, user_name="Jane Doe") == [detector.detect(t, user_name="Jane Doe") for t in batch]
    assert PrivacyDetector(threads=1, recognizers=detector.recognizers, tagger=False).detect_many(batch) == detector.detect_many(batch)
    assert detector.detect_many([]) == []


def test_span_repr_hides_value(detector: PrivacyDetector) -> None:
    spans = detector.detect("password: Tr0ub4dor&3 and jane@example.com", user_name="Jane")
    assert spans
    for s in spans:
        assert s.text not in repr(s)
    assert "Tr0ub4dor" not in repr(spans)


def test_input_type_errors_do_not_echo_values(detector: PrivacyDetector) -> None:
    with pytest.raises(TypeError) as info:
        detector.detect(b"secret-value-4111")  # type: ignore[arg-type]
    assert "secret" not in str(info.value) and "bytes" in str(info.value)
    with pytest.raises(TypeError):
        detector.detect(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError) as info:
        detector.detect("hi", user_name=12345)  # type: ignore[arg-type]
    assert "12345" not in str(info.value)
    with pytest.raises(TypeError):
        detector.detect_many("a single string")
    with pytest.raises(TypeError) as info:
        detector.detect_many(["ok", b"secret"])  # type: ignore[list-item]
    assert "secret" not in str(info.value)
    with pytest.raises(ValueError):
        PrivacyDetector(threads=0, recognizers=[])
    with pytest.raises(TypeError):
        PrivacyDetector(recognizers=[object()])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\x1b[31m\x7f\r\n\t",
        "\ud800 lone surrogate \udfff",
        "😀👨‍👩‍👧 \u202e\ufeff مرحبا שלום こんにちは",
        "-----BEGIN RSA PRIVATE KEY-----" * 200,
        "1." * 2000 + "password " * 500 + "我的同事" * 500,
    ],
)
def test_never_raises_on_odd_input(detector: PrivacyDetector, text: str) -> None:
    spans = detector.detect(text)
    assert_well_formed(text, spans)


def test_long_text(detector: PrivacyDetector) -> None:
    chunk = "Ping me on 13812345678 or jane@example.com about the trip. "
    text = chunk * 2000  # ~120k characters
    spans = detector.detect(text)
    assert_well_formed(text, spans)
    assert len(spans) == 4000


def test_recognizers_build_and_run_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not be called")

    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    detector = PrivacyDetector(threads=1, recognizers=default_recognizers(), tagger=False)
    text = "mail bob@example.org or call +44 20 7946 0958"
    assert pairs(detector.detect(text)) == [("Email", "bob@example.org"), ("Phone Number", "+44 20 7946 0958")]


def test_fresh_interpreter_imports_no_model_or_torch() -> None:
    """Importing and building in a clean process pulls in no Presidio, spaCy, torch or transformers."""
    code = textwrap.dedent(
        """
        import socket, sys
        def no_network(*a, **k):
            raise OSError("network disabled")
        socket.socket.connect = no_network
        socket.getaddrinfo = no_network
        from memveil.edge.detector import PrivacyDetector
        d = PrivacyDetector(threads=1)
        assert [s.type for s in d.detect("mail bob@example.org")] == ["Email"]
        bad = [m for m in sys.modules if m.startswith(("presidio", "spacy", "en_core", "zh_core", "torch", "transformers"))]
        assert not bad, bad
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_nothing_is_detected_inside_a_placeholder(detector: PrivacyDetector) -> None:
    """Placeholders belong to the vault: the user's look-alikes and the cloud's own tokens."""
    text = "In the template write <Email_1> and <\\Account_ID_Username_2>, or mail kim.lee@example.org"
    spans = detector.detect(text, user_name="Kim Lee")
    assert [s.text for s in spans] == ["kim.lee@example.org"]
