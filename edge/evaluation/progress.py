"""A one-line progress bar on stderr for the long benchmark commands.

Hand-rolled because the edge extra has no progress library of its own. It draws only on a
terminal, so redirected stderr and logs stay free of carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 24
_INTERVAL_S = 0.1


class Progress:
    """Counts users (records) against a known total, and user turns along the way."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.users = 0
        self.turns = 0
        self._started = time.perf_counter()
        self._drawn = 0.0

    def update(self, users: int = 1, turns: int = 0) -> None:
        self.users += users
        self.turns += turns
        now = time.perf_counter()
        if self.enabled and (now - self._drawn >= _INTERVAL_S or self.users >= self.total):
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        done = min(self.users / self.total, 1.0) if self.total else 1.0
        filled = round(done * _WIDTH)
        rate = self.turns / max(now - self._started, 1e-9)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'-' * (_WIDTH - filled)}] {self.users}/{self.total} users, "
            f"{self.turns} turns, {rate:.0f} turns/s\x1b[K"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
