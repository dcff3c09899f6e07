"""Packaging promises: the edge runs without torch, Presidio or spaCy, and CI runs the
README's test command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_NO_TORCH = """
import sys
BLOCKED = ("torch", "presidio_analyzer", "spacy")
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(name + " is blocked in this test")
        return None
sys.meta_path.insert(0, _Block())
import memveil.edge
from memveil.edge import MemoryClient, PrivacyDetector, PrivacyGuard, Vault
detector = PrivacyDetector(threads=1)
spans = detector.detect("write to someone@example.com or call +44 20 7946 0958")
assert [s.type for s in spans] == ["Email", "Phone Number"], spans
assert not any(name.split(".")[0] in BLOCKED for name in sys.modules)
print("ok")
"""


def test_edge_imports_and_detects_without_torch_presidio_or_spacy() -> None:
    result = subprocess.run([sys.executable, "-c", _NO_TORCH], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_edge_extra_does_not_depend_on_presidio() -> None:
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    edge = " ".join(extras["edge"]).lower()
    assert "presidio" not in edge and "spacy" not in edge
    assert "phonenumbers" in edge and "tldextract" in edge
    # bench/extraction.py compares against Presidio as a user runs it.
    assert any(req.startswith("presidio-analyzer") for req in extras["bench"])


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "<!-- test-command -->"
    assert marker in readme, "README must mark its test command"
    block = readme.split(marker, 1)[1]
    return block.split("```", 2)[1].strip().removeprefix("bash").strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _readme_test_command()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines(), f"{command!r} is not a line of .ci/run"
