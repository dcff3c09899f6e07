"""The learned tagger at run time, on the committed model: loading, English and Chinese spans,
window merging, batching, fusion inside the detector, and no torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from memveil.edge.detector import PrivacyDetector
from memveil.edge.recognizers.tagger import TaggerRecognizer, decode_spans, default_model_path, whole_words, window_starts
from memveil.edge.span import Span

ENGLISH = "My sister Rebecca Thornton was diagnosed with type 2 diabetes last spring."
CHINESE = "我的同事王建国上个月被诊断出患有严重的抑郁症。"


@pytest.fixture(scope="module")
def tagger() -> TaggerRecognizer:
    return TaggerRecognizer(threads=1)


def _found(spans: list[Span], text: str) -> set[str]:
    return {s.text for s in spans} | {text[s.start : s.end] for s in spans}


def test_model_loads_and_is_shared(tagger: TaggerRecognizer) -> None:
    assert tagger.name == "tagger"
    assert TaggerRecognizer(threads=1)._model is tagger._model


def test_english_spans(tagger: TaggerRecognizer) -> None:
    spans = tagger.analyze(ENGLISH)
    assert "Rebecca Thornton" in _found(spans, ENGLISH)
    assert any("diabetes" in s.text for s in spans)
    for span in spans:
        assert span.text == ENGLISH[span.start : span.end]
        assert span.source == "tagger" and 0.5 <= span.score <= 1.0
        assert span.text == span.text.strip(" .,")


def test_chinese_spans(tagger: TaggerRecognizer) -> None:
    spans = tagger.analyze(CHINESE)
    assert "王建国" in _found(spans, CHINESE)
    assert any("抑郁症" in s.text for s in spans)


def test_span_across_window_edge_is_whole_and_single() -> None:
    filler = "We talked about the weather and the garden for a while. "
    text = filler * 3 + ENGLISH + " " + filler * 3
    reference = [s for s in TaggerRecognizer(threads=1).analyze(text) if s.text == "Rebecca Thornton"]
    assert len(reference) == 1
    probe = TaggerRecognizer(threads=1)._model.tokenizer.encode(text, add_special_tokens=False)
    first = next(i for i, (a, _) in enumerate(probe.offsets) if a >= reference[0].start)
    # windows step by first + 1 tokens, so the second window starts inside the name
    overlap = 6
    small = TaggerRecognizer(threads=1, window=first + 1 + overlap + 2, overlap=overlap)
    assert window_starts(len(probe.ids), first + 1 + overlap, overlap)[1] == first + 1
    spans = small.analyze(text)
    names = [s for s in spans if "Rebecca" in s.text or "Thornton" in s.text]
    assert [(s.start, s.end) for s in names] == [(reference[0].start, reference[0].end)]
    assert all(not a.overlaps(b) for i, a in enumerate(spans) for b in spans[i + 1 :])


BATCH_TEXTS = [ENGLISH, CHINESE, "", "Nothing private here.", ENGLISH * 8, CHINESE + ENGLISH]


def test_committed_models_are_small_enough() -> None:
    for name in ("tagger.int8.onnx", "tagger.qdq.onnx"):
        assert default_model_path().with_name(name).stat().st_size <= 30_000_000


@pytest.mark.parametrize("model", ["tagger.int8.onnx", "tagger.qdq.onnx"])
def test_analyze_many_equals_analyze(model: str) -> None:
    """No activation scale is shared across a batch (block-wise int8; static QDQ scales) and
    windows are padded to whole kernel tiles, so batch mates change nothing at all."""
    tagger = TaggerRecognizer(threads=1, model_path=default_model_path().with_name(model))
    assert tagger.analyze_many(BATCH_TEXTS) == [tagger.analyze(t) for t in BATCH_TEXTS]


def test_detector_fuses_the_tagger_and_batches_exactly() -> None:
    detector = PrivacyDetector(threads=2)
    assert detector.tagger is not None
    text = "I'm Dana Whitfield. My brother Marcus Whitfield was diagnosed with type 2 diabetes; mail dana.w@example.org."
    spans = detector.detect(text, user_name="Dana Whitfield")
    kinds = {(s.type, s.text) for s in spans}
    assert ("Real Name", "Dana Whitfield") in kinds
    assert ("Email", "dana.w@example.org") in kinds  # the validated pattern, whatever the tagger says
    assert any(s.type == "Third-Party Identifiable Info" and "Marcus" in s.text for s in spans)
    texts = [text, CHINESE, "", "Nothing private here.", ENGLISH * 8]
    assert detector.detect_many(texts, user_name="Dana Whitfield") == [
        detector.detect(t, user_name="Dana Whitfield") for t in texts
    ]


def test_no_torch_at_run_time() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'transformers'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from memveil.edge.recognizers.tagger import TaggerRecognizer\n"
        f"spans = TaggerRecognizer(threads=1).analyze({ENGLISH!r})\n"
        "assert spans and 'torch' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_spans_cover_whole_latin_words_only() -> None:
    text = "Karen Whitfield called 王建国 about NM-473982715."
    start = text.index("field")
    assert whole_words(text, start, start + len("field")) == (text.index("Whitfield"), start + len("field"))
    number = text.index("2715")
    assert text[slice(*whole_words(text, number, number + 4))] == "473982715"  # the hyphen is a word edge
    han = text.index("建")
    assert whole_words(text, han, han + 1) == (han, han + 1)  # each CJK character is a word
    assert whole_words(text, 0, 5) == (0, 5)


def _probs(*rows: dict[int, float], labels: int = 7) -> np.ndarray:
    """Token distributions over O, B-A, I-A, B-B, I-B, B-Key, I-Key; O takes the rest."""
    out = np.zeros((len(rows), labels), dtype=np.float32)
    for i, row in enumerate(rows):
        for label, p in row.items():
            out[i, label] = p
        out[i, 0] = 1.0 - sum(row.values())
    return out


def test_decoding_decides_private_before_type() -> None:
    text = "aa bb cc dd"
    offsets = [(0, 2), (3, 5), (6, 8), (9, 11)]
    types, levels = ("Assets/Income", "Debt/Loan Info", "Key"), {}

    def decode(probs: np.ndarray, threshold: float = 0.5) -> list[tuple[str, str, float]]:
        return [(s.text, s.type, round(s.score, 3)) for s in decode_spans(text, offsets, probs, types, levels, threshold, "t")]

    # Sure it is private, split between two types on every token: one span, typed by the
    # larger mass, scored by the probability of "not O". An argmax over typed labels gave
    # O for the first token here and broke the rest in two.
    split = _probs({1: 0.3, 3: 0.35}, {2: 0.5, 4: 0.45}, {2: 0.4, 4: 0.55}, {})
    assert decode(split) == [("aa bb cc", "Debt/Loan Info", 0.85)]
    # A B label of any type starts a new span; O likelier than not ends one.
    two = _probs({1: 0.9}, {3: 0.9}, {}, {1: 0.6})
    assert decode(two) == [("aa", "Assets/Income", 0.9), ("bb", "Debt/Loan Info", 0.9), ("dd", "Assets/Income", 0.6)]
    assert decode(two, threshold=0.7) == [("aa", "Assets/Income", 0.9), ("bb", "Debt/Loan Info", 0.9)]
    # A secret's type must be clear: sure something is there, unsure it is a key.
    unclear_key = _probs({5: 0.6, 1: 0.35}, {}, {}, {})
    assert decode(unclear_key) == []
    assert decode(_probs({5: 0.96}, {}, {}, {})) == [("aa", "Key", 0.96)]


def test_int8_model_keeps_a_scale_per_embedding_row_and_16_wide_blocks() -> None:
    """The quantisation recipe (models/tagger/export.py) that keeps int8 close to fp32: one
    scale per word-embedding row, not one for the whole table, and 16-wide weight blocks."""
    onnx = pytest.importorskip("onnx")
    model = onnx.load(str(default_model_path()))
    sizes = {t.name: list(t.dims) for t in model.graph.initializer}
    table = "model.bert.embeddings.word_embeddings.weight"
    rows = sizes[f"{table}_int8"][0]
    assert rows > 30_000 and sizes[f"{table}_scale"] == [rows, 1]
    blocks = {a.i for n in model.graph.node if n.op_type == "MatMulNBits" for a in n.attribute if a.name == "block_size"}
    assert blocks == {16}
