"""Train the guard's directive classifier: one command, fixed seeds, numpy only.

    python models/guard/train.py

Embeds the training text (`corpus.py`) with the service's own MiniLM embedder and fits a
small MLP (384 -> 32 ReLU -> 1, class-balanced logistic loss, L2, full-batch Adam) on 80% of
it. The decision threshold comes from the other 20%: the score that at most `--max-fpr` of
its benign texts reach. Writes `directive.json` beside this file (weights, threshold, what it
was trained on). The runtime (`memveil.cloud.directive`) needs only numpy and the embedder
the service already runs.

A linear model was tried first: at the same validation false-positive rate it caught 55% of
the held-out poisoning families' attacks against 70% for this MLP; a wider or less
regularised MLP fits the training text perfectly and flags 5-11% of benign text from outside
it, so this one is the compromise (numbers in the model card, README.md).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from memveil.cloud.embedder import Embedder

try:  # run as a script from the repository root
    from corpus import examples  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - imported as memveil.models.guard.train
    from memveil.models.guard.corpus import examples

HERE = Path(__file__).resolve().parent
VERSION = 1


def fit(x: np.ndarray, y: np.ndarray, hidden: int, l2: float, steps: int, lr: float, seed: int) -> list[np.ndarray]:
    """[W1, b1, w2, b2] of a one-hidden-layer ReLU MLP; the classes weigh half each."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = [rng.normal(0, 1 / np.sqrt(d), (d, hidden)), np.zeros(hidden), rng.normal(0, 1 / np.sqrt(hidden), hidden), np.zeros(1)]
    weight = np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        h = np.maximum(0, x @ params[0] + params[1])
        p = 1 / (1 + np.exp(-(h @ params[2] + params[3][0])))
        g = weight * (p - y)
        gh = np.outer(g, params[2]) * (h > 0)
        grads = [x.T @ gh + l2 * params[0], gh.sum(0), h.T @ g + l2 * params[2], np.array([g.sum()])]
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            params[i] -= lr * (first[i] / (1 - 0.9**t)) / (np.sqrt(second[i] / (1 - 0.999**t)) + 1e-8)
    return params


def scores(params: Sequence[np.ndarray], x: np.ndarray) -> np.ndarray:
    h = np.maximum(0, x @ params[0] + params[1])
    return 1 / (1 + np.exp(-(h @ params[2] + params[3][0])))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-fpr", type=float, default=0.005, help="on the benign validation text")
    parser.add_argument("--out", type=Path, default=HERE / "directive.json")
    args = parser.parse_args(argv)
    data = examples()
    labels = np.array([label for _, label in data], dtype=float)
    x = Embedder(threads=2, cache_size=0, providers="cpu").embed([text for text, _ in data]).astype(np.float64)
    order = np.random.default_rng(args.seed + 1).permutation(len(labels))
    train, valid = order[: int(0.8 * len(order))], order[int(0.8 * len(order)) :]
    params = fit(x[train], labels[train], args.hidden, args.l2, args.steps, args.lr, args.seed)
    held, truth = scores(params, x[valid]), labels[valid]
    benign = np.sort(held[truth == 0])
    threshold = float(max(0.5, benign[min(len(benign) - 1, int(np.ceil((1 - args.max_fpr) * len(benign))))]))
    summary = {
        "examples": len(labels), "directed": int(labels.sum()), "benign": int(len(labels) - labels.sum()),
        "hidden": args.hidden, "l2": args.l2, "steps": args.steps, "threshold": round(threshold, 4),
        "validation_recall": round(float((held[truth == 1] >= threshold).mean()), 4),
        "validation_false_positive_rate": round(float((held[truth == 0] >= threshold).mean()), 4),
    }
    model = {
        "version": VERSION,
        "embedder": "all-MiniLM-L6-v2 int8 (memveil.cloud.embedder): mean-pooled, L2-normalised",
        "layers": [[[round(float(v), 6) for v in row] for row in params[0]], [round(float(v), 6) for v in params[1]],
                   [round(float(v), 6) for v in params[2]], round(float(params[3][0]), 6)],
        "threshold": summary["threshold"],
        "training": summary,
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
