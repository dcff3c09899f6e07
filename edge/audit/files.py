"""Which files a scan reads: the paths given, and directories walked with include/exclude globs.

A path named on the command line that does not exist is a mistake worth failing on; a
directory's symlinks are not followed (no loops, nothing outside the tree), and version
control and dependency folders are left out because they are not the app's data.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Candidate", "SKIPPED_DIRS", "expand_paths", "parse_size"]

SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".tox", ".mypy_cache"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to scan (`problem` None), a file left out and why, or a missing path."""

    path: Path
    size: int = 0
    problem: str | None = None
    missing: bool = False


def parse_size(text: str) -> int:
    """`500000`, `64K`, `50MB`, `2G` -> bytes (binary multiples)."""
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    factor = units.get(value[-1:], 1)
    number = value[:-1] if value[-1:] in units else value
    try:
        size = int(float(number) * factor)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (examples: 500000, 64K, 50MB)") from None
    if size <= 0:
        raise ValueError(f"a size must be positive, not {text!r}")
    return size


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def expand_paths(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    max_bytes: int | None = None,
) -> Iterator[Candidate]:
    """Candidates in a stable order: each path as given, directories walked sorted.

    Globs match a file's path relative to the directory given, or its name
    (`*.jsonl`, `logs/*/app.log`); excludes also prune directories.
    """
    for root in paths:
        if not root.exists():
            yield Candidate(root, missing=True)
        elif root.is_dir():
            yield from _walk(root, include, exclude, max_bytes)
        else:
            yield _candidate(root, max_bytes)


def _walk(root: Path, include: Sequence[str], exclude: Sequence[str], max_bytes: int | None) -> Iterator[Candidate]:
    for directory, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        base = Path(directory)
        relative_dir = base.relative_to(root).as_posix()
        prefix = "" if relative_dir == "." else relative_dir + "/"
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIPPED_DIRS and not _matches(prefix + d, exclude)
        )
        for name in sorted(filenames):
            path = base / name
            relative = prefix + name
            if path.is_symlink() or not path.is_file():
                continue
            if include and not _matches(relative, include):
                continue
            if exclude and _matches(relative, exclude):
                continue
            yield _candidate(path, max_bytes)


def _candidate(path: Path, max_bytes: int | None) -> Candidate:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Candidate(path, problem=f"cannot read: {exc.strerror or exc}")
    if max_bytes is not None and size > max_bytes:
        return Candidate(path, size, problem=f"larger than --max-file-bytes ({size} > {max_bytes} bytes)")
    return Candidate(path, size)
