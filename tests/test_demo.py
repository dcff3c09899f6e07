"""`memveil demo` and the quickstart run offline, end to end, and show placeholders on the cloud side."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_memveil_demo_exits_zero_and_shows_both_sides() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "memveil.shared.cli", "demo"], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "<Email_1>" in out and "<Password_1>" in out and "<ID_Number_1>" in out
    assert "no private value" in out and "LEAK" not in out
    # the user's side shows real values again after search
    search_section = out.split("3. Search", 1)[1]
    assert "maya.chen@example.org" in search_section


def test_quickstart_runs_and_prints_restored_values() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "maya.chen@example.org" in result.stdout  # restored for the user
    assert "cloud view: I'm <Real_Name_1>, write to me at <Email_1>." in result.stdout
