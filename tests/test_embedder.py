"""The cloud embedder: int8 all-MiniLM-L6-v2 on onnxruntime, unit vectors, no torch; its
execution providers, padding and I/O binding."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from memveil.cloud.embedder import (
    DIMENSION,
    PAD_MULTIPLE,
    Embedder,
    bound_runner,
    model_for,
    padded,
    plain_runner,
    shared_embedder,
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return shared_embedder()


def test_shape_dtype_and_unit_length(embedder: Embedder) -> None:
    vectors = embedder.embed(["I have a dog.", "我对花生过敏。", "My email is <Email_1>.", "x" * 5000])
    assert vectors.shape == (4, DIMENSION) == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_no_rows(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSION)


def test_a_single_string_is_refused(embedder: Embedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("one string")  # type: ignore[arg-type]


def test_semantic_ordering(embedder: Embedder) -> None:
    dog, puppy, stocks = embedder.embed(["I have a dog", "my pet is a puppy", "the stock market fell"])
    assert dog @ puppy > dog @ stocks + 0.3


def test_a_texts_vector_does_not_depend_on_its_neighbours(embedder: Embedder) -> None:
    texts = [f"sentence number {i} " + "word " * (i % 7) for i in range(20)] + ["x " * 300]
    uncached = Embedder(cache_size=0)
    together = uncached.embed(texts)
    alone = np.stack([uncached.embed([t])[0] for t in texts])
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(embedder.embed(texts), together)  # cached or not, the same vectors
    np.testing.assert_array_equal(embedder.embed(texts[::-1]), together[::-1])


def test_shared_embedder_is_loaded_once() -> None:
    assert shared_embedder() is shared_embedder()


_NO_TORCH = """
import sys
sys.modules["torch"] = None  # any `import torch` now raises ImportError
from memveil.cloud.embedder import Embedder
vectors = Embedder(threads=1).embed(["I have a dog", "my pet is a puppy"])
assert vectors.shape == (2, 384)
assert sys.modules["torch"] is None
assert not any(name.startswith(("torch.", "transformers")) for name in sys.modules)
print("ok")
"""


def test_runs_without_torch() -> None:
    result = subprocess.run([sys.executable, "-c", _NO_TORCH], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


# --- acceleration: providers, padding, I/O binding, the shipped file ----------------------


def test_rows_are_padded_to_whole_kernel_tiles() -> None:
    ids, mask = padded([[101, 7, 102], [101] + [5] * 9 + [102]])
    assert ids.shape == mask.shape == (2, 16) and ids.shape[1] % PAD_MULTIPLE == 0
    assert mask.sum(axis=1).tolist() == [3, 11]
    assert ids[0, 3:].tolist() == [0] * 13


def test_io_binding_runner_equals_plain_run(embedder: Embedder) -> None:
    """The CUDA path binds inputs on the device and the output on the host; with device
    "cpu" the same code runs here, and must give what session.run gives."""
    ids, mask = padded([[101, 1045, 2031, 1037, 3899, 102], [101, 7592, 102]])
    np.testing.assert_array_equal(bound_runner(embedder.session, "cpu")(ids, mask), plain_runner(embedder.session)(ids, mask))


def test_cuda_request_falls_back_to_the_cpu_here(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="memveil.inference"):
        fallback = Embedder(threads=1, cache_size=0, providers="cuda,cpu")
    assert fallback.session.providers == ("CPUExecutionProvider",)
    assert fallback.session.model_path.name == "model.int8.onnx"
    assert any("cuda" in r.getMessage() for r in caplog.records)
    assert fallback.embed(["I have a dog"]).shape == (1, DIMENSION)


def test_gpu_providers_take_the_fp16_model_only_where_it_was_built(tmp_path: Path) -> None:
    (tmp_path / "model.int8.onnx").write_bytes(b"")
    assert model_for("cuda", tmp_path).name == "model.int8.onnx"
    (tmp_path / "model.fp16.onnx").write_bytes(b"")
    assert model_for("cuda", tmp_path).name == "model.fp16.onnx"
    assert model_for("tensorrt", tmp_path).name == "model.fp16.onnx"
    assert model_for("cpu", tmp_path).name == "model.int8.onnx"
    assert model_for("qnn", tmp_path).name == "model.int8.onnx"


def test_shipped_model_is_blockwise_int8_and_small() -> None:
    import onnx

    path = model_for("cpu")
    assert path.stat().st_size <= 30_000_000
    model = onnx.load(str(path), load_external_data=False)
    blockwise = [n for n in model.graph.node if n.op_type == "MatMulNBits"]
    assert len(blockwise) == 36  # 6 layers x (Q, K, V, output, 2 feed-forward)
    for node in blockwise:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        assert attrs["bits"] == 8 and attrs["accuracy_level"] == 4 and attrs["block_size"] == 128
    assert not [n for n in model.graph.node if n.op_type in ("DynamicQuantizeLinear", "MatMulInteger")]
