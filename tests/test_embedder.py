"""The cloud embedder: int8 all-MiniLM-L6-v2 on onnxruntime, unit vectors, no torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from memveil.cloud.embedder import DIMENSION, Embedder, shared_embedder


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
