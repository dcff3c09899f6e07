"""Many literal strings found in one pass over a text: an Aho-Corasick-style trie matcher.

A vault holds thousands of values and an export millions of characters: checking each
value against each line is values x lines. Instead the first characters of every literal
go into a trie, the trie becomes one regular expression (each branch point an alternation,
so the C regex engine walks the trie at every position), and the few literals whose prefix
matched are then compared in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

__all__ = ["LiteralMatcher"]

T = TypeVar("T")
_PREFIX = 16  # trie depth: longer literals are confirmed by a direct comparison


class LiteralMatcher(Generic[T]):
    """Finds every occurrence (overlaps included) of the literals it was built with."""

    def __init__(self, literals: Iterable[tuple[str, T]]) -> None:
        self._by_prefix: dict[str, list[tuple[str, T]]] = {}
        for literal, payload in literals:
            if literal:
                self._by_prefix.setdefault(literal[:_PREFIX], []).append((literal, payload))
        self._lengths = sorted({len(p) for p in self._by_prefix})
        pattern = _trie_regex(self._by_prefix)
        self._regex = re.compile(f"(?=({pattern}))", re.S) if pattern else None

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_prefix.values())

    def finditer(self, text: str) -> Iterator[tuple[int, int, T]]:
        """(start, end, payload) of every literal found in text, by start."""
        if self._regex is None:
            return
        for m in self._regex.finditer(text):
            start, longest = m.start(), m.group(1)
            for length in self._lengths:
                if length > len(longest):
                    break
                for literal, payload in self._by_prefix.get(longest[:length], ()):
                    if text.startswith(literal, start):
                        yield start, start + len(literal), payload


def _trie_regex(words: Iterable[str]) -> str:
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [re.escape(ch) + _node_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
