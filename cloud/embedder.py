"""Sentence embeddings for the memory service: all-MiniLM-L6-v2, int8 ONNX, no torch.

The model is exported once by `models/embedder/export.py` and shipped as an artifact, so the
service needs only onnxruntime and tokenizers. The session is thread-safe, so a process loads
it once (`shared_embedder()`) and shares it. It runs on the execution providers configured
for the cloud (`memveil.shared.inference`: a GPU when the build has one, else the CPU), and
with `batching` a dynamic batcher (`memveil.cloud.batcher`) merges concurrent requests.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from memveil.cloud.batcher import BatchConfig, DynamicBatcher
from memveil.models import MODELS_DIR, artifact
from memveil.shared.inference import GPU_PROVIDERS, Session, create_session

#: Width of every embedding.
DIMENSION = 384
#: Longer texts are truncated to this many word pieces (the base model's max_seq_length).
MAX_TOKENS = 256
#: Every sequence is padded to a multiple of this many tokens, alone or in a batch. The int8
#: matrix kernels (MatMulNBits, accuracy level 4) work on tiles of rows and take another code
#: path for a partial tile, so a token's row must never change tiles between a run alone and
#: a run in a batch: with row counts a multiple of 8 (measured: 4 suffices on AVX-512), the
#: tiles line up and a batched vector equals the one-by-one vector bit for bit.
PAD_MULTIPLE = 8
#: Texts per model call when a caller embeds many at once.
MAX_BATCH = 32

#: A model call: (input_ids, attention_mask), int64 (batch, seq) -> last_hidden_state.
RunFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def model_for(provider: str, folder: Path | None = None) -> Path:
    """The model file for a primary provider: the fp16 export on a GPU where one was built
    (`export.py --fp16`), else the int8 one (MatMulNBits has CUDA kernels since ORT 1.22)."""
    folder = folder if folder is not None else MODELS_DIR / "embedder"
    fp16, int8 = folder / "model.fp16.onnx", folder / "model.int8.onnx"
    if provider in GPU_PROVIDERS and fp16.exists():
        return fp16
    if not int8.exists():
        raise FileNotFoundError(f"model artifact {int8} is missing from this install")
    return int8


def plain_runner(session: Session) -> RunFn:
    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]

    return run


def bound_runner(session: Session, device: str, device_id: int = 0) -> RunFn:
    """I/O binding: inputs copied to the device once, as whole arrays, and the output written
    straight into host memory; on a GPU this skips ORT's per-run staging copies. `device` is
    "cuda" on a GPU (tests run the same code with "cpu")."""
    import onnxruntime as ort

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        binding = session.session.io_binding()
        binding.bind_ortvalue_input("input_ids", ort.OrtValue.ortvalue_from_numpy(ids, device, device_id))
        binding.bind_ortvalue_input("attention_mask", ort.OrtValue.ortvalue_from_numpy(mask, device, device_id))
        binding.bind_output("last_hidden_state", "cpu")
        session.session.run_with_iobinding(binding)
        return binding.copy_outputs_to_cpu()[0]

    return run


def padded(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token rows as (input_ids, attention_mask), padded to the longest, rounded up to
    PAD_MULTIPLE."""
    width = -(-max(len(r) for r in rows) // PAD_MULTIPLE) * PAD_MULTIPLE
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


class Embedder:
    """Texts -> L2-normalised float32 vectors: mean pooling over each text's own tokens.

    On the CPU a text's vector does not depend on the texts it is batched with (block-wise
    int8, rows padded to whole kernel tiles: see PAD_MULTIPLE; on CUDA it differs by at most
    ~1e-4, docs/acceleration.md), so texts run in padded batches of similar length, and recent
    vectors can be cached (LRU, `cache_size`): formation embeds the same sentences and
    memories several times per request.

    `providers`: execution providers by short name ("cuda,cpu"), else the environment's
    MEMVEIL_EXECUTION_PROVIDERS, else "auto" (a GPU when the onnxruntime build has one).
    `batching`: merge concurrent `embed` calls through a `DynamicBatcher` (for a service
    under load; `close()` stops it). `model_path` overrides the shipped model.
    """

    def __init__(
        self,
        threads: int | None = None,
        cache_size: int = 4096,
        *,
        providers: str | Iterable[str] | None = None,
        batching: BatchConfig | None = None,
        model_path: Path | str | None = None,
    ) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.session = create_session(model_path if model_path is not None else model_for, providers, threads, side="cloud")
        device = "cuda" if self.session.primary in ("cuda", "tensorrt") else None
        self._run = bound_runner(self.session, device) if device else plain_runner(self.session)
        self._tokenizer = Tokenizer.from_file(str(artifact("embedder", "tokenizer.json")))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()
        self._batcher: DynamicBatcher[list[int], np.ndarray] | None = None
        if batching is not None:
            self._batcher = DynamicBatcher(self.embed_tokens, batching, name="memveil-embed")

    @property
    def dimension(self) -> int:
        return DIMENSION

    @property
    def batcher(self) -> DynamicBatcher[list[int], np.ndarray] | None:
        return self._batcher

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, shape (len(texts), 384), in the order given.

        With batching, raises `memveil.cloud.batcher.Overloaded` when the queue is full."""
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
            # Tokenising here, on the caller's thread, keeps it off the model's worker and
            # gives the batcher each text's true length to bucket by.
            tokens = [e.ids for e in self._tokenizer.encode_batch([texts[i] for i in missing])]
            vectors = self._batcher.submit(tokens) if self._batcher is not None else self.embed_tokens(tokens)
            for row, vector in zip(missing, vectors):
                out[row] = vector
            if self._cache_size > 0:
                with self._lock:
                    for row in missing:
                        self._cache[texts[row]] = out[row].copy()
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        return out

    def embed_tokens(self, rows: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Vectors of tokenised texts (the batcher's model call): sorted by length and run in
        padded batches of up to MAX_BATCH, each vector pooled over its own tokens only."""
        vectors: list[np.ndarray] = [np.empty(0, dtype=np.float32)] * len(rows)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for start in range(0, len(order), MAX_BATCH):
            chunk = order[start : start + MAX_BATCH]
            hidden = self._run(*padded([rows[i] for i in chunk]))
            for j, i in enumerate(chunk):
                pooled = hidden[j, : len(rows[i])].mean(axis=0)
                vectors[i] = (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
        return vectors

    def close(self) -> None:
        """Stop the batcher (queued requests finish first); without one, nothing to do."""
        if self._batcher is not None:
            self._batcher.close()


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
