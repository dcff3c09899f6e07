"""Progress of a long scan on stderr, by bytes: rich's bar on a terminal, plain lines in logs.

stdout carries the report (a table, JSON, SARIF) and must stay clean for pipes, so
progress only ever goes to stderr. Without rich, or when stderr is not a terminal and
progress was asked for anyway (`--progress always`, e.g. in CI logs), a line every few
seconds says how far the scan is and how fast it goes.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Literal, Protocol, TextIO

__all__ = ["NullProgress", "PlainProgress", "ScanProgress", "make_progress"]

Mode = Literal["auto", "always", "never"]
_PLAIN_INTERVAL_S = 5.0


class ScanProgress(Protocol):
    def start_file(self, name: str) -> None: ...
    def advance(self, nbytes: int = 0, texts: int = 0) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    def start_file(self, name: str) -> None:
        pass

    def advance(self, nbytes: int = 0, texts: int = 0) -> None:
        pass

    def close(self) -> None:
        pass


class PlainProgress:
    """A line every few seconds: `scan: 12.5/50.0 MB (25%), 0.41 MB/s, 1900 texts/s`."""

    def __init__(self, total_bytes: int, stream: TextIO, interval_s: float = _PLAIN_INTERVAL_S) -> None:
        self.total, self.stream, self.interval = total_bytes, stream, interval_s
        self.done = 0
        self.texts = 0
        self._start = self._last = time.perf_counter()

    def start_file(self, name: str) -> None:
        pass

    def advance(self, nbytes: int = 0, texts: int = 0) -> None:
        self.done += nbytes
        self.texts += texts
        now = time.perf_counter()
        if now - self._last >= self.interval:
            self._last = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        self.stream.write(
            f"scan: {self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB{share}, {self.done / 1e6 / elapsed:.2f} MB/s,"
            f" {self.texts / elapsed:.0f} texts/s\n"
        )
        self.stream.flush()

    def close(self) -> None:
        self._line(time.perf_counter())


class RichProgress:
    def __init__(self, total_bytes: int, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]scan[/] {task.fields[file]}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[texts]} texts"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._task: Any = self._progress.add_task("scan", total=total_bytes or None, file="", texts=0)
        self._texts = 0
        self._progress.start()

    def start_file(self, name: str) -> None:
        shown = name if len(name) <= 40 else "…" + name[-39:]
        self._progress.update(self._task, file=shown)

    def advance(self, nbytes: int = 0, texts: int = 0) -> None:
        self._texts += texts
        self._progress.update(self._task, advance=nbytes, texts=self._texts)

    def close(self) -> None:
        self._progress.stop()


def make_progress(mode: Mode, total_bytes: int, stream: TextIO | None = None) -> ScanProgress:
    """The progress display the mode and the terminal call for."""
    out = stream if stream is not None else sys.stderr
    tty = out.isatty()
    if mode == "never" or (mode == "auto" and not tty):
        return NullProgress()
    if tty:
        try:
            return RichProgress(total_bytes, out)
        except ImportError:
            pass
    return PlainProgress(total_bytes, out)
