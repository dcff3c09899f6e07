"""A learned second opinion on "is this memory an instruction to the agent?".

The instruction cues (`memveil.cloud.instructions`) are rules: precise on the phrasings they
were written for, blind to new ones. This is a small MLP (384 -> 32 -> 1) over the memory's MiniLM
vector (the embedder the service already runs, so it costs one cached embedding per memory),
trained on generated agent-directed records against the user's own facts, plans and rules
(`models/guard/train.py`). A memory at or above the model's threshold is flagged `directive`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from memveil.models import artifact

DIRECTIVE = "directive"
REASON = "reads as an instruction to the agent, not a fact about the user (learned directive score)"


@dataclass(frozen=True)
class DirectiveModel:
    hidden: np.ndarray  # (384, H)
    hidden_bias: np.ndarray  # (H,)
    out: np.ndarray  # (H,)
    out_bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path | str | None = None) -> DirectiveModel:
        """The shipped model (`memveil/models/guard/directive.json`), or the one at `path`."""
        data = json.loads(Path(path or artifact("guard", "directive.json")).read_text(encoding="utf-8"))
        if data.get("version") != 1:
            raise ValueError(f"unsupported directive model version {data.get('version')!r}")
        w1, b1, w2, b2 = data["layers"]
        f32 = np.float32
        return cls(np.asarray(w1, dtype=f32), np.asarray(b1, dtype=f32), np.asarray(w2, dtype=f32), float(b2), float(data["threshold"]))

    def scores(self, vectors: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        """Probability that each (unit-length MiniLM) vector's text is aimed at the agent."""
        rows = np.asarray(vectors, dtype=np.float32).reshape(-1, self.hidden.shape[0])
        activations = np.maximum(0.0, rows @ self.hidden + self.hidden_bias)
        return 1.0 / (1.0 + np.exp(-(activations @ self.out + self.out_bias)))

    def directed(self, vectors: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
        return self.scores(vectors) >= self.threshold
