"""The learned tagger: a fine-tuned MiniLM token classifier, int8 ONNX, no torch at run time.

It finds what the regex recognizers cannot: names of third parties, diagnoses, trips, private
transactions, in English and Chinese. The model and its tokenizer are shipped artifacts
(`models/tagger/`, built by `models/tagger/train.py` and `export.py`); this module needs only
onnxruntime, tokenizers and numpy.

Long texts run as overlapping token windows. Each token takes its label distribution from the
window in which it sits farthest from an edge (where it has the most context), and BIO decoding
runs once over the whole text, so a span across a window edge comes out whole and only once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from memveil.edge.recognizers.common import TRAILING_PUNCT, make_span, trim
from memveil.edge.span import Span
from memveil.models import MODELS_DIR
from memveil.shared.taxonomy import Level

#: Tokens per window, [CLS] and [SEP] included (the length the model was trained at).
WINDOW = 128
#: Tokens two neighbouring windows share; each side of an edge keeps at least half of it.
OVERLAP = 32
#: Spans whose mean probability of being private (not O) is lower are dropped.
THRESHOLD = 0.5
#: Types a span may take only when most of its probability is on that type (the share):
#: short secrets. A bare token in pasted code or config ("DEBUG", a path) is where the model
#: is sure something is there but not what, and a guess at "password" there is a false alarm.
CLEAR_TYPES: dict[str, float] = dict.fromkeys(
    ("Password", "Verification Code", "Payment Security Code", "Token", "Key", "Private Key"), 0.9
)
#: Characters a span never starts with.
_LEADING = " \t\r\n\u3000.,;:!?'\"`)]}>，。；：！？、）】」』”’》"
_CLS, _SEP, _PAD = 101, 102, 0
_PAD_MULTIPLE = 8

#: A model call: (input_ids, attention_mask) int64 arrays of shape (batch, seq) -> logits.
RunFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def default_model_path() -> Path:
    return MODELS_DIR / "tagger" / "tagger.int8.onnx"


@dataclass(frozen=True)
class TaggerModel:
    """What one process loads once per (model, threads): session, tokenizer and label list."""

    run: RunFn
    tokenizer: Tokenizer
    types: tuple[str, ...]
    levels: Mapping[str, str]


_cache: dict[tuple[str, int | None], TaggerModel] = {}
_cache_lock = threading.Lock()


def load_labels(path: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    """The types in label order (label 2k+1 is B-type k, 2k+2 is I-type k) and their levels."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(label[2:] for label in data["labels"][1::2]), dict(data.get("levels", {}))


def load_tokenizer(path: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def load_model(
    model_path: Path | str | None = None, threads: int | None = None, providers: str | Sequence[str] | None = None
) -> TaggerModel:
    """The shared model for this path, thread count and execution providers; `tokenizer.json`
    and `labels.json` are read from the model's folder. ORT sessions are thread-safe, so one
    serves all callers. `providers` (short names, "qnn,cpu"; else MEMVEIL_EXECUTION_PROVIDERS,
    else the CPU) go through `memveil.shared.inference`, which falls back to the CPU; without
    a `model_path`, an NPU provider first (qnn, nnapi, coreml, openvino) takes the static QDQ
    model `tagger.qdq.onnx` beside the int8 one, the form NPUs run."""
    from memveil.shared.inference import NPU_PROVIDERS, create_session, requested_providers

    path = Path(model_path) if model_path is not None else default_model_path()
    names, _ = requested_providers(providers, side="edge")
    key = (f"{path.resolve()}@{','.join(names)}", threads)
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            if not path.exists():
                raise FileNotFoundError(f"tagger model {path} is missing (see models/tagger/README.md)")

            def model_for(provider: str) -> Path:
                qdq = path.with_name("tagger.qdq.onnx")
                return qdq if model_path is None and provider in NPU_PROVIDERS and qdq.exists() else path

            loaded = create_session(model_for, providers, threads, side="edge")
            session = loaded.session

            def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
                feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
                return session.run(["logits"], feeds)[0]

            folder = loaded.model_path.parent
            types, levels = load_labels(folder / "labels.json")
            model = TaggerModel(run, load_tokenizer(folder / "tokenizer.json"), types, levels)
            _cache[key] = model
        return model


def window_starts(n_tokens: int, content: int, overlap: int) -> list[int]:
    """Start offsets of windows of `content` tokens covering n_tokens, neighbours sharing
    at least `overlap`; the last window ends at the last token."""
    if n_tokens <= content:
        return [0]
    step = max(1, content - overlap)
    starts = list(range(0, n_tokens - content, step))
    starts.append(n_tokens - content)
    return starts


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def token_probabilities(
    encodings: Sequence[Sequence[int]], run: RunFn, window: int, overlap: int, batch_size: int
) -> list[np.ndarray]:
    """Per text, a (tokens, labels) probability array, windows merged by most context.

    Windows of all texts are sorted by length and batched, each batch padded to its longest.
    """
    content = window - 2
    jobs: list[tuple[int, int, int]] = []  # (text index, window start, window length)
    for t, ids in enumerate(encodings):
        for start in window_starts(len(ids), content, overlap):
            jobs.append((t, start, min(content, len(ids) - start)))
    jobs.sort(key=lambda job: job[2])
    results: list[np.ndarray | None] = [None] * len(encodings)
    best_context = [np.full(len(ids), -1, dtype=np.int64) for ids in encodings]
    for b in range(0, len(jobs), batch_size):
        batch = jobs[b : b + batch_size]
        # Padded to a multiple of 8: the int8 kernels work on tiles of 4 rows and take another
        # path for a partial tile, so an unpadded width would let batch mates move a row's result.
        width = -(-(max(length for _, _, length in batch) + 2) // _PAD_MULTIPLE) * _PAD_MULTIPLE
        ids = np.full((len(batch), width), _PAD, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, (t, start, length) in enumerate(batch):
            ids[row, 0] = _CLS
            ids[row, 1 : length + 1] = encodings[t][start : start + length]
            ids[row, length + 1] = _SEP
            mask[row, : length + 2] = 1
        probs = _softmax(run(ids, mask).astype(np.float32))
        for row, (t, start, length) in enumerate(batch):
            if results[t] is None:
                results[t] = np.zeros((len(encodings[t]), probs.shape[-1]), dtype=np.float32)
            position = np.arange(length)
            context = np.minimum(position, length - 1 - position)
            target = best_context[t][start : start + length]
            better = context > target
            results[t][start : start + length][better] = probs[row, 1 : length + 1][better]
            target[better] = context[better]
    return [r if r is not None else np.zeros((0, 1), dtype=np.float32) for r in results]


def decode_spans(
    text: str,
    offsets: Sequence[tuple[int, int]],
    probs: np.ndarray,
    types: Sequence[str],
    levels: Mapping[str, str],
    threshold: float,
    source: str,
) -> list[Span]:
    """Character spans where private is likelier than not, each typed by where its mass lies.

    A token is inside a span when its O probability is below one half; a token whose likeliest
    label is a B (of any type) starts a new span. A span's score is the mean probability of
    "not O" over its tokens, its type the one with the most B and I probability over them.
    Deciding "private" before "which type" keeps a span the model is sure of but splits
    between two types (a name as the user's or a third party's, a debt as income or as a
    loan), which an argmax over typed labels drops as O or breaks in two. Edges are trimmed
    of spaces and punctuation and widened to whole Latin words.
    """
    if len(probs) == 0:
        return []
    private = 1.0 - probs[:, 0]
    inside = (probs[:, 1:].argmax(axis=-1) % 2 == 1).tolist()
    pieces: list[tuple[int, int]] = []
    first: int | None = None
    for i, is_private in enumerate((private > 0.5).tolist()):
        if first is not None and not (is_private and inside[i]):
            pieces.append((first, i))
            first = None
        if is_private and first is None:
            first = i
    if first is not None:
        pieces.append((first, len(probs)))
    spans = []
    for first, last in pieces:
        score = float(private[first:last].mean())
        if score < threshold:
            continue
        mass = probs[first:last, 1:].reshape(last - first, -1, 2).sum(axis=(0, 2))
        kind = int(mass.argmax())
        type_name = types[kind]
        if type_name in CLEAR_TYPES and mass[kind] < CLEAR_TYPES[type_name] * mass.sum():
            continue
        start, end = offsets[first][0], offsets[last - 1][1]
        while start < end and text[start] in _LEADING:
            start += 1
        start, end = trim(text, start, end, TRAILING_PUNCT + " \t\r\n\u3000")
        if start >= end:
            continue
        start, end = whole_words(text, start, end)
        level = Level(levels[type_name]) if type_name in levels else None
        spans.append(make_span(text, start, end, type_name, score, source, level))
    return spans


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a Latin word to the whole word. WordPiece can
    label a word's continuation piece and not its head ("Whit|field"); a span never covers
    part of a word, and masking half a surname protects nothing. CJK text is left as it is:
    each character is a word there. A number keeps its decimals and its other half ("血糖7.8",
    "160/110"): the trailing trim would otherwise cut it at the point."""
    while 0 < start < len(text) and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while 0 < end < len(text):
        if _word_char(text[end - 1]) and _word_char(text[end]):
            end += 1
        elif text[end - 1].isdigit() and text[end] in ".:/" and text[end + 1 : end + 2].isdigit() and text[end + 1].isascii():
            end += 2
        else:
            break
    return start, end


class TaggerRecognizer:
    """Recognizer over the learned tagger. `threads` sets ONNX Runtime's intra-op threads
    (None: its default); `window`/`overlap` set the token windows (small windows are for
    tests); `threshold` the minimum span score; `batch_size` windows per model call."""

    name = "tagger"

    def __init__(
        self,
        threads: int | None = None,
        model_path: Path | str | None = None,
        *,
        window: int = WINDOW,
        overlap: int = OVERLAP,
        threshold: float = THRESHOLD,
        batch_size: int = 16,
        providers: str | Sequence[str] | None = None,
    ) -> None:
        if window < 4 or not 0 <= overlap < window - 2:
            raise ValueError("need window >= 4 and 0 <= overlap < window - 2")
        self._model = load_model(model_path, threads, providers)
        self.window, self.overlap, self.threshold, self.batch_size = window, overlap, threshold, batch_size

    @classmethod
    def from_parts(cls, model: TaggerModel, **options: int | float) -> TaggerRecognizer:
        """A recognizer over an already-built model (training evaluates torch weights this way)."""
        recognizer = cls.__new__(cls)
        recognizer._model = model
        recognizer.window = int(options.get("window", WINDOW))
        recognizer.overlap = int(options.get("overlap", OVERLAP))
        recognizer.threshold = float(options.get("threshold", THRESHOLD))
        recognizer.batch_size = int(options.get("batch_size", 16))
        return recognizer

    def analyze(self, text: str) -> list[Span]:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans of each text; windows of all texts are batched together."""
        if isinstance(texts, str):
            raise TypeError("analyze_many() takes a sequence of texts, not one string")
        model = self._model
        encodings = model.tokenizer.encode_batch(list(texts), add_special_tokens=False) if texts else []
        probs = token_probabilities([e.ids for e in encodings], model.run, self.window, self.overlap, self.batch_size)
        return [
            decode_spans(text, enc.offsets, p, model.types, model.levels, self.threshold, self.name)
            for text, enc, p in zip(texts, encodings, probs)
        ]

    def __repr__(self) -> str:
        return f"TaggerRecognizer(window={self.window}, overlap={self.overlap}, threshold={self.threshold})"
