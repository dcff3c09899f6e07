"""Hybrid retrieval: dense and lexical candidate lists fused into one ranking.

Fusion is reciprocal rank fusion (RRF): each list votes `1 / (RRF_K + rank)`. Ranks, not
scores, because the scores do not share a scale: cosine similarities of MiniLM sit in a
narrow band, SQLite's bm25() and PostgreSQL's ts_rank_cd() are unbounded and differ from
each other, so a score mix would need per-query normalisation that swings with the size of
the candidate lists, and would rank differently on the two backends (`bench/cloud.py
--quality` measures both). RRF is the same on either backend and needs no tuning.

Placeholders are exact-match keys on top of that: a memory holding more of the query's
placeholder tokens ranks ahead of one holding fewer, whatever the fused rank. No embedding
tells `<Email_1>` from `<Email_2>`, so this is the only signal that can, and it must win.
"""

from __future__ import annotations

from collections.abc import Sequence

from memveil.shared.placeholder import find_placeholders
from memveil.shared.wire import Memory

#: The usual RRF constant: dampens the gap between the first few ranks.
RRF_K = 60


def candidates(limit: int) -> int:
    """How many hits to take from each list to fuse into `limit` results."""
    return max(4 * limit, 40)


def fuse(
    ranked_lists: Sequence[Sequence[tuple[Memory, float]]], keys: set[str], limit: int
) -> list[tuple[Memory, float]]:
    """The best `limit` memories of the lists, with scores in (0, 1], best first.

    The score is `(keys held + rrf) / (len(keys) + 1)` where `rrf` is the fused rank score
    scaled so that first place in every list is 1: ordering by it puts memories holding more
    keys first and, among equals, follows RRF.
    """
    if limit < 1:
        return []
    votes: dict[str, float] = {}
    memories: dict[str, Memory] = {}
    for hits in ranked_lists:
        for rank, (memory, _) in enumerate(hits, start=1):
            votes[memory.id] = votes.get(memory.id, 0.0) + 1.0 / (RRF_K + rank)
            memories.setdefault(memory.id, memory)
    best = len(ranked_lists) / (RRF_K + 1)
    scored = [
        (memories[id_], (_held(memories[id_].text, keys) + vote / best) / (len(keys) + 1))
        for id_, vote in votes.items()
    ]
    scored.sort(key=lambda hit: -hit[1])
    return scored[:limit]


def _held(text: str, keys: set[str]) -> int:
    return len(keys.intersection(find_placeholders(text))) if keys else 0
