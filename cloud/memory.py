"""`MemoryService`: the verbs of the API over a store, an engine and the embedder.

The routes only translate HTTP; this is where an add becomes a lookup of related memories,
a formation decision and the writes it implies (with the engine's reasons, for the history),
and a search becomes two candidate lists fused into one. Adds for one user are serialised so
two concurrent requests cannot both decide that the same fact is new.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import threading
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from memveil.cloud.embedder import Embedder
from memveil.cloud.engine import MemoryEngine, Operation, split_sentences
from memveil.cloud.guard import MemoryGuard, Screened
from memveil.cloud.lexical import query_keys
from memveil.cloud.retrieval import candidates, fuse
from memveil.cloud.store import Cursor, MemoryStore
from memveil.cloud.workers.ingest import ingest_untrusted
from memveil.cloud.workers.worker import Worker
from memveil.shared.placeholder import PLACEHOLDER_RE
from memveil.shared.taxonomy import Level, tag_level
from memveil.shared.wire import Attachment, GuardMode, Memory, MemoryChange, Message, ScoredMemory

#: Existing memories looked up per sentence of the conversation, as formation context.
RELATED_PER_SENTENCE = 10
#: Texts embedded at a time in a bulk add.
EMBED_BATCH = 64
#: The history's reason for memories that came in through a bulk add.
BULK_REASON = "bulk import"
_LOCK_STRIPES = 64
#: What a PL4 placeholder becomes in stored memory (see `withhold_secrets`).
WITHHELD = "[withheld]"
_WORD = re.compile(r"\w")


def withhold_secrets(text: str) -> str:
    """`text` with every PL4 placeholder (password, code, token, key, ...) replaced by WITHHELD.

    The taxonomy keeps credentials and secrets out of cloud memory in any form, their
    placeholders included: a stored `<Password_1>` would let anyone who can read memory ask
    the device to restore it. The value stays in the device's vault; memory keeps only that
    a secret was mentioned."""
    return PLACEHOLDER_RE.sub(lambda m: WITHHELD if tag_level(m["tag"]) is Level.PL4 else m.group(0), text)


def _stored_form(op: Operation) -> Operation | None:
    """A write as it may be stored: secrets withheld, and dropped when nothing else is left."""
    if op.event not in ("ADD", "UPDATE"):
        return op
    text = withhold_secrets(op.text)
    if text == op.text:
        return op
    return dataclasses.replace(op, text=text) if _WORD.search(text.replace(WITHHELD, "")) else None


class MemoryService:
    def __init__(
        self, store: MemoryStore, engine: MemoryEngine, embedder: Embedder, guard: MemoryGuard | None = None, worker: Worker | None = None
    ) -> None:
        """`worker` reads attachments in isolation (`memveil.cloud.workers`; default: the offline one)."""
        self.store = store
        self.engine = engine
        self.embedder = embedder
        self.guard = guard
        self.worker = worker
        self._locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    def add(
        self, tenant: str, user_id: str, agent_id: str | None, messages: Sequence[Message], attachments: Sequence[Attachment] = ()
    ) -> list[MemoryChange]:
        """Form memories from the conversation and store them; what changed, in fact order.

        Attachments are read by isolated workers; only their validated facts join the
        conversation (as the user's statements), never their content."""
        if attachments:
            facts = ingest_untrusted(attachments, "\n".join(m.content for m in messages if m.role == "user"), self.worker)
            messages = [*messages, *(Message(role="user", content=fact) for fact in facts)]
        with self._locks[hash((tenant, user_id)) % _LOCK_STRIPES]:
            related = self._related(tenant, user_id, agent_id, messages)
            operations = [kept for op in self.engine.form(messages, related) if (kept := _stored_form(op)) is not None]
            writes = [op for op in operations if op.event in ("ADD", "UPDATE")]
            embedded = self.embedder.embed([op.text for op in writes])
            if self.guard is not None and writes:
                # A record the guard flagged is never learned again, as precedent or otherwise.
                admitted = self.guard.admit(tenant, user_id, [op.text for op in writes], embedded)
                refused = {id(op) for op, ok in zip(writes, admitted) if not ok}
                operations = [op for op in operations if id(op) not in refused]
                embedded = embedded[np.array(admitted, dtype=bool)]
            vectors = iter(embedded)
            changes: list[MemoryChange] = []
            for op in operations:
                # An engine may only touch memories of this user, whatever id it names.
                target = self.store.get(tenant, op.target_id) if op.target_id else None
                if target is not None and target.user_id != user_id:
                    target = None
                if op.event == "NOOP" and target is not None:
                    changes.append(MemoryChange(id=target.id, event="NOOP", text=target.text))
                elif op.event == "DELETE" and target is not None and self.store.delete(tenant, target.id):
                    changes.append(MemoryChange(id=target.id, event="DELETE", text=target.text))
                elif op.event in ("ADD", "UPDATE"):
                    changes.append(self._write(tenant, user_id, agent_id, op, target, next(vectors)))
            return changes

    def _write(
        self, tenant: str, user_id: str, agent_id: str | None, op: Operation, target: Memory | None, vector: np.ndarray
    ) -> MemoryChange:
        if op.event == "UPDATE" and target is not None:
            if self.store.update(tenant, target.id, op.text, vector, op.reason) is not None:
                return MemoryChange(id=target.id, event="UPDATE", text=op.text, previous_text=target.text)
        # An ADD, or an UPDATE whose memory is gone: the fact is kept all the same.
        added = self.store.add(tenant, user_id, agent_id, op.text, vector, op.reason)
        return MemoryChange(id=added.id, event="ADD", text=op.text)

    def search(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query: str,
        limit: int,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[ScoredMemory]:
        """Dense and lexical candidates fused (`memveil.cloud.retrieval`), best first."""
        vector = self.embedder.embed([query])[0] if query_vector is None else query_vector
        scope = (tenant, user_id, agent_id)
        window = {"created_after": created_after, "created_before": created_before}
        dense = self.store.search_vector(*scope, vector, candidates(limit), **window)
        lexical = self.store.search_text(*scope, query, candidates(limit), **window)
        hits = fuse([dense, lexical], query_keys(query), limit)
        return [ScoredMemory(**memory.model_dump(), score=score) for memory, score in hits]

    def guarded_search(
        self,
        tenant: str,
        user_id: str,
        agent_id: str | None,
        query: str,
        limit: int,
        guard: GuardMode,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Screened[ScoredMemory]:
        """`search`, then the memory guard (`memveil.cloud.guard`) unless it is off."""
        vector = self.embedder.embed([query])[0]  # once: for the search and the lessons
        hits = self.search(tenant, user_id, agent_id, query, limit, created_after, created_before, vector)
        if guard == "off" or self.guard is None:
            return Screened(hits)
        stored = self.store.embeddings(tenant, [h.id for h in hits])
        return self.guard.screen(tenant, user_id, query, vector, hits, guard, stored)

    def bulk_add(self, tenant: str, user_id: str, agent_id: str | None, texts: Sequence[str]) -> list[Memory]:
        """Store pre-formed memory texts as given (secrets withheld), all or none, in order."""
        texts = [withhold_secrets(text) for text in texts]
        vectors = np.concatenate(
            [self.embedder.embed(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)]
        )
        return self.store.add_many(tenant, user_id, agent_id, texts, vectors, BULK_REASON)

    def list(self, tenant: str, user_id: str, agent_id: str | None, limit: int, offset: int) -> list[Memory]:
        return self.store.list(tenant, user_id, agent_id, limit=limit, offset=offset)

    def export(
        self, tenant: str, user_id: str, agent_id: str | None, cursor: str | None, limit: int
    ) -> tuple[list[Memory], str | None]:
        """One page of the user's memories, oldest first, and the cursor of the next page
        (None after the last). ValueError for a cursor this service did not hand out."""
        after = None if cursor is None else decode_cursor(cursor)
        page = self.store.list(tenant, user_id, agent_id, limit=limit + 1, after=after)
        if len(page) <= limit:
            return page, None
        last = page[limit - 1]
        return page[:limit], encode_cursor((last.created_at, last.id))

    def delete(self, tenant: str, memory_id: str) -> bool:
        return self.store.delete(tenant, memory_id)

    def _related(self, tenant: str, user_id: str, agent_id: str | None, messages: Sequence[Message]) -> list[Memory]:
        """The user's memories nearest to any sentence the user said, each once."""
        sentences = [s for m in messages if m.role == "user" for s in split_sentences(m.content)]
        if not sentences:
            return []
        related: dict[str, Memory] = {}
        for vector in self.embedder.embed(sentences):
            for memory, _ in self.store.search_vector(tenant, user_id, agent_id, vector, RELATED_PER_SENTENCE):
                related.setdefault(memory.id, memory)
        return list(related.values())


def encode_cursor(cursor: Cursor) -> str:
    """An opaque, URL-safe form of a cursor: where the previous page ended."""
    created_at, memory_id = cursor
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{memory_id}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        created_at, memory_id = raw.split("|", 1)
        moment = datetime.fromisoformat(created_at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor from this service") from None
    if moment.tzinfo is None or not memory_id:
        raise ValueError("not a cursor from this service")
    return moment, memory_id
