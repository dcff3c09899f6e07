"""The learned tagger at run time: loading, English and Chinese spans, window merging, batching,
and no torch. Needs the exported model (models/tagger/tagger.int8.onnx)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from memveil.edge.recognizers.tagger import TaggerRecognizer, default_model_path, window_starts
from memveil.edge.span import Span

pytestmark = pytest.mark.skipif(
    not default_model_path().exists(),
    reason="models/tagger/tagger.int8.onnx is not built (python -m memveil.models.tagger.train, then .export)",
)

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


def _key(spans: list[Span]) -> list[tuple[int, int, str, str, str]]:
    return [(s.start, s.end, s.text, s.type, s.level.value) for s in spans]


BATCH_TEXTS = [ENGLISH, CHINESE, "", "Nothing private here.", ENGLISH * 8, CHINESE + ENGLISH]


def test_analyze_many_equals_analyze_static_int8() -> None:
    """With static activation scales (the QDQ model) a window's result is independent of its
    batch mates, so batching changes nothing at all."""
    qdq = default_model_path().with_name("tagger.qdq.onnx")
    if not qdq.exists():
        pytest.skip("models/tagger/tagger.qdq.onnx is not built")
    tagger = TaggerRecognizer(threads=1, model_path=qdq)
    assert tagger.analyze_many(BATCH_TEXTS) == [tagger.analyze(t) for t in BATCH_TEXTS]


def test_analyze_many_equals_analyze_dynamic_int8(tagger: TaggerRecognizer) -> None:
    """Same spans; the scores only approximately: dynamic int8 takes one activation scale per
    tensor, so a window's logits move with its batch mates (up to ~0.15 on marginal tokens)."""
    batched, single = tagger.analyze_many(BATCH_TEXTS), [tagger.analyze(t) for t in BATCH_TEXTS]
    assert [_key(spans) for spans in batched] == [_key(spans) for spans in single]
    for many, one in zip(batched, single):
        assert [s.score for s in many] == pytest.approx([s.score for s in one], abs=0.2)


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
