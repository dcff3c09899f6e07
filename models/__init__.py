"""memveil.models: the model artifacts shipped with memveil, and where to find them.

The training and export pipelines live beside the artifacts in the source tree (they need the
`train` extra); only the artifacts themselves are installed.
"""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent


def artifact(*parts: str) -> Path:
    """Path of a shipped artifact, e.g. `artifact("embedder", "model.int8.onnx")`."""
    path = MODELS_DIR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"model artifact {'/'.join(parts)} is missing from this install")
    return path
