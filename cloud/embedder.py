"""Sentence embeddings for the memory service: all-MiniLM-L6-v2, int8 ONNX, no torch.

The model is exported once by `models/embedder/export.py` and shipped as an artifact, so the
service needs only onnxruntime and tokenizers. The session is thread-safe, so a process loads
it once (`shared_embedder()`) and shares it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from memveil.models import artifact

#: Width of every embedding.
DIMENSION = 384
#: Longer texts are truncated to this many word pieces (the base model's max_seq_length).
MAX_TOKENS = 256


class Embedder:
    """Texts -> L2-normalised float32 vectors: mean pooling over the tokens.

    Each text runs on its own. Dynamic int8 quantisation takes one activation scale per
    tensor, so in a padded batch a text's vector would depend on its batch mates (cosine
    drift up to ~0.02, measured); alone, a text always gets the same vector, which the
    near-duplicate threshold and reproducible search scores rely on. Short texts take about
    a millisecond each, so batching would buy little.

    That determinism also makes caching exact: formation embeds the same sentences and
    memories several times per request, so recent vectors are kept (LRU, `cache_size`).
    """

    def __init__(self, threads: int | None = None, cache_size: int = 4096) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        options = ort.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initializers are noise here
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(artifact("embedder", "model.int8.onnx")), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(artifact("embedder", "tokenizer.json")))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()

    @property
    def dimension(self) -> int:
        return DIMENSION

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, shape (len(texts), 384), in the order given."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not one string")
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for row, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.append(row)
                else:
                    self._cache.move_to_end(text)
                    out[row] = cached
        if missing:
            for row, encoding in zip(missing, self._tokenizer.encode_batch([texts[i] for i in missing])):
                ids = np.array([encoding.ids], dtype=np.int64)
                (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
                pooled = hidden[0].mean(axis=0)
                out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
            with self._lock:
                for row in missing:
                    self._cache[texts[row]] = out[row].copy()
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
