"""Consensus validation of retrieved memories (A-MemGuard, arXiv 2510.02373).

A poisoned record looks harmless on its own; it shows when set beside the other memories
retrieved for the same query. For the top-K memories, `ConsensusValidator` derives one
reasoning path each (`memveil.cloud.reasoning`), groups the paths that agree, and flags:

- a memory that carries an instruction aimed at the agent: one the rules recognise
  (`memveil.cloud.instructions`) or the learned directive model scores as one
  (`memveil.cloud.directive`, on the memory's MiniLM vector); these never vote;
- an action no related memory grounds: a memory that makes the agent act on, pay or send
  to something (a placeholder, a link, a name) that none of the other memories mentions;
- a fact that contradicts the consensus: same subject and relation as a consensus path,
  another value of the same placeholder type, while at least two paths agree on theirs.

Agreement is graph overlap (a shared placeholder, which is one entity, or Jaccard over
entities and relations) or embedding similarity of the rendered paths (the service's
MiniLM); the largest connected group of fact paths is the consensus. Path embeddings are only
computed when there is something to decide (an action or a possible contradiction); the
directive model reads each memory's stored vector (the service passes them from its store)
and embeds only what it is not given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from memveil.cloud.directive import DIRECTIVE, REASON as DIRECTIVE_REASON, DirectiveModel
from memveil.cloud.reasoning import AGENT, USER, OfflinePathExtractor, PathExtractor, ReasoningPath
from memveil.shared.placeholder import PLACEHOLDER_RE, find_placeholders
from memveil.shared.wire import Memory

#: Memories a consensus is formed from, by default.
TOP_K = 5

DIVERGENT_ACTION = "divergent_action"
CONFLICT = "conflict"
REASONS = {
    DIVERGENT_ACTION: "prescribes an action on something no related memory supports",
    CONFLICT: "contradicts a value the related memories agree on",
}


class TextEmbedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Flag:
    """Why one memory was flagged: a short code and a sentence; never the memory's text."""

    memory_id: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConsensusReport:
    """What validation found for one query: every path, the consensus group, the flags."""

    query: str
    paths: tuple[ReasoningPath, ...]
    consensus: tuple[str, ...]
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> frozenset[str]:
        return frozenset(f.memory_id for f in self.flags)

    def path(self, memory_id: str) -> ReasoningPath | None:
        return next((p for p in self.paths if p.memory_id == memory_id), None)

    def consensus_text(self, most: int = 3) -> str:
        """The consensus paths, rendered: what the agreeing memories lead to."""
        return " | ".join(p.render() for p in self.paths if p.memory_id in self.consensus[:most])


class ConsensusValidator:
    """Flags the memories that diverge from what the other related memories agree on.

    `top_k` memories form the consensus (default 5); every memory given is checked against
    it. `overlap` is the Jaccard agreement and `similarity` the cosine agreement at which two
    paths count as agreeing.
    """

    def __init__(
        self,
        embedder: TextEmbedder | None = None,
        extractor: PathExtractor | None = None,
        *,
        top_k: int = TOP_K,
        overlap: float = 0.25,
        similarity: float = 0.6,
        directive: DirectiveModel | None | bool = True,
    ) -> None:
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self._embedder = embedder
        self.extractor = extractor or OfflinePathExtractor()
        self.top_k, self.overlap, self.similarity = top_k, overlap, similarity
        self.directive = DirectiveModel.load() if directive is True else (directive or None)

    @property
    def embedder(self) -> TextEmbedder:
        if self._embedder is None:
            from memveil.cloud.embedder import shared_embedder

            self._embedder = shared_embedder()
        return self._embedder

    def validate(
        self, query: str, memories: Sequence[Memory], vectors: Mapping[str, np.ndarray] | None = None
    ) -> ConsensusReport:
        """Paths for the memories (best first, as retrieved), their consensus and the flags.

        `vectors`: the memories' stored embeddings by id, where the caller has them (the
        service reads them from its store); any missing are embedded here."""
        paths = self.extractor.paths(query, list(memories))
        flags: dict[str, Flag] = {}
        for path in paths:
            if path.cues:
                reason = "; ".join(c.reason for c in path.cues)
                flags[path.memory_id] = Flag(path.memory_id, path.cues[0].code, reason)
        directed = self._directed(query, memories, flags, vectors or {})

        voters = [p for p in paths[: self.top_k] if p.memory_id not in flags and p.memory_id not in directed]
        facts = [p for p in voters if p.kind == "fact"] or voters
        actions = [p for p in paths if p.kind == "action" and p.memory_id not in flags]
        clashes = self._clashes(paths, facts, flags)
        vectors = self._vectors([*facts, *clashes]) if actions or clashes else {}
        # A minority value cannot vote on its own slot: the consensus forms without it.
        consensus = self._consensus([p for p in facts if p not in clashes], vectors)

        # What the related memories (the facts among them) and the query speak of.
        texts = {m.id: m.text for m in memories}
        spoken = " ".join([query, *(texts[p.memory_id] for p in paths if p.kind == "fact" and p.memory_id not in flags)]).casefold()
        for path in actions:
            if any(t.casefold() not in spoken for t in path.targets):
                flags[path.memory_id] = Flag(path.memory_id, DIVERGENT_ACTION, REASONS[DIVERGENT_ACTION])
        for path in clashes:
            if self._contradicts(path, consensus, vectors):
                flags[path.memory_id] = Flag(path.memory_id, CONFLICT, REASONS[CONFLICT])
        for memory_id, score in directed.items():
            if memory_id not in flags:
                flags[memory_id] = Flag(memory_id, DIRECTIVE, f"{DIRECTIVE_REASON} {score:.2f}")
        order = {p.memory_id: i for i, p in enumerate(paths)}
        return ConsensusReport(
            query=query,
            paths=tuple(paths),
            consensus=tuple(p.memory_id for p in consensus),
            flags=tuple(sorted(flags.values(), key=lambda f: order[f.memory_id])),
        )

    def _directed(
        self, query: str, memories: Sequence[Memory], flags: dict[str, Flag], stored: Mapping[str, np.ndarray]
    ) -> dict[str, float]:
        """Memories the learned model reads as instructions to the agent, with their scores;
        the rules' flags aside. One that only speaks of placeholders the other memories or the
        query hold as well is spared: "prescriptions should be ordered from <Company_2>" beside
        "I pick up my prescriptions at <Company_2>" restates the user's habit."""
        if self.directive is None:
            return {}
        unflagged = [m for m in memories if m.id not in flags]
        if not unflagged:
            return {}
        missing = [m for m in unflagged if m.id not in stored]
        embedded = dict(zip((m.id for m in missing), self.embedder.embed([m.text for m in missing]))) if missing else {}
        scores = self.directive.scores(np.stack([stored.get(m.id, embedded.get(m.id)) for m in unflagged]))
        suspects = {m.id: float(s) for m, s in zip(unflagged, scores) if s >= self.directive.threshold}
        out = {}
        for memory in unflagged:
            if memory.id not in suspects:
                continue
            own = set(find_placeholders(memory.text))
            others = " ".join([query, *(m.text for m in memories if m.id != memory.id and m.id not in suspects and m.id not in flags)])
            if not own or not own <= set(find_placeholders(others)):
                out[memory.id] = suspects[memory.id]
        return out

    # -- agreement -------------------------------------------------------------------------

    def _vectors(self, paths: Sequence[ReasoningPath]) -> dict[str, np.ndarray]:
        unique = list({p.memory_id: p for p in paths}.values())
        rows = self.embedder.embed([p.render() for p in unique])
        return {p.memory_id: rows[i] for i, p in enumerate(unique)}

    def agree(self, a: ReasoningPath, b: ReasoningPath, vectors: dict[str, np.ndarray]) -> bool:
        """Two paths about the same private value (a shared placeholder: the same entity, as
        exact a key as retrieval uses), or overlapping graphs, or close embeddings."""
        if a.placeholders & b.placeholders or overlap(a, b) >= self.overlap:
            return True
        va, vb = vectors.get(a.memory_id), vectors.get(b.memory_id)
        return va is not None and vb is not None and float(va @ vb) >= self.similarity

    def _consensus(self, paths: Sequence[ReasoningPath], vectors: dict[str, np.ndarray]) -> list[ReasoningPath]:
        """The largest group of agreeing paths (connected components); ties go to the group
        holding the better-ranked memory."""
        parent = list(range(len(paths)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(paths)):
            for j in range(i + 1, len(paths)):
                if self.agree(paths[i], paths[j], vectors):
                    parent[root(j)] = root(i)
        groups: dict[int, list[int]] = {}
        for i in range(len(paths)):
            groups.setdefault(root(i), []).append(i)
        if not groups:
            return []
        best = max(groups.values(), key=lambda g: (len(g), -min(g)))
        return [paths[i] for i in sorted(best)]

    # -- contradictions --------------------------------------------------------------------

    @staticmethod
    def _clashes(paths: Sequence[ReasoningPath], facts: Sequence[ReasoningPath], flags: dict[str, Flag]) -> list[ReasoningPath]:
        """Fact paths that fill a slot (subject, relation) of another fact path with another
        value of the same placeholder type, held by fewer paths: possible contradictions."""

        def support(value: frozenset[str]) -> int:
            return sum(1 for p in facts if value & p.placeholders)

        out = []
        for path in paths:
            if path.kind != "fact" or path.memory_id in flags:
                continue
            for other in facts:
                values = _slot_values(path, other) if other is not path else None
                if values and support(values[0]) < support(values[1]):
                    out.append(path)
                    break
        return out

    def _contradicts(self, path: ReasoningPath, consensus: Sequence[ReasoningPath], vectors: dict[str, np.ndarray]) -> bool:
        if len(consensus) < 2 or any(p.memory_id == path.memory_id for p in consensus):
            return False
        for member in consensus:
            values = _slot_values(path, member)
            if not values:
                continue
            theirs = values[1]
            support = sum(1 for p in consensus if theirs & p.placeholders)
            vp, vm = vectors.get(path.memory_id), vectors.get(member.memory_id)
            close = vp is not None and vm is not None and float(vp @ vm) >= self.similarity
            if support >= 2 and (close or overlap(path, member) >= self.overlap):
                return True
        return False


def overlap(a: ReasoningPath, b: ReasoningPath) -> float:
    """Jaccard agreement of two paths over their entities and relations. The user and the
    agent are in nearly every path, so they do not count."""
    sa, sb = _graph(a), _graph(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _graph(path: ReasoningPath) -> frozenset[str]:
    nodes = {e for e in path.entities if e not in (USER, AGENT)}
    return frozenset(nodes | {f"~{r}" for r in path.relations})


def _slot_values(a: ReasoningPath, b: ReasoningPath) -> tuple[frozenset[str], frozenset[str]] | None:
    """(a's values, b's values) when a and b fill the same slot with disjoint placeholders of
    one type; None otherwise."""
    for sa in a.steps:
        for sb in b.steps:
            if (sa.subject, sa.relation) != (sb.subject, sb.relation):
                continue
            ta, tb = PLACEHOLDER_RE.fullmatch(sa.object), PLACEHOLDER_RE.fullmatch(sb.object)
            if ta and tb and ta["tag"] == tb["tag"] and sa.object != sb.object:
                if sa.object not in b.placeholders and sb.object not in a.placeholders:
                    return frozenset({sa.object}), frozenset({sb.object})
    return None
