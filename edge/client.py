"""`MemoryClient`: the cloud memory API with the privacy guard built in.

An app calls it like any memory API (add, search, get_all, delete). Every outbound text is
sanitized on the device and every inbound text restored, so the app sees its users' real
values while the cloud sees placeholders only. The app's user id is replaced by the vault's
pseudonym as well: the cloud never learns which account a memory belongs to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from memveil.edge.audit.traffic import TrafficLog
from memveil.edge.detector import PrivacyDetector
from memveil.edge.errors import CloudError
from memveil.edge.guard import PrivacyGuard
from memveil.edge.vault import Vault
from memveil.shared import wire
from memveil.shared.taxonomy import DEFAULT_PROTECTED_LEVELS, Level

_Model = TypeVar("_Model", bound=BaseModel)
_PAGE = wire.MAX_LIMIT


class MemoryClient:
    """A privacy-preserving client of the memveil cloud."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        vault: Vault,
        user_name: str | None = None,
        *,
        levels: Iterable[Level | str] | str = DEFAULT_PROTECTED_LEVELS,
        detector: PrivacyDetector | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        traffic_log: str | os.PathLike[str] | None = None,
    ) -> None:
        """`traffic_log`: a file to append keyed hashes of every request to (opt-in), for
        `memveil audit traffic` to prove no protected value left the device."""
        self.guard = PrivacyGuard(vault, levels=levels, detector=detector)
        self.user_name = user_name
        self._traffic = TrafficLog(traffic_log, vault) if traffic_log is not None else None
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {api_key}",
                wire.PROTOCOL_HEADER: wire.PROTOCOL_VERSION,
            },
            timeout=timeout,
            transport=transport,
        )

    @property
    def vault(self) -> Vault:
        return self.guard.vault

    # -- the four verbs ---------------------------------------------------------------

    def add(
        self,
        messages: str | Sequence[Mapping[str, str] | wire.Message],
        user_id: str,
        agent_id: str | None = None,
        attachments: Sequence[wire.Attachment] = (),
    ) -> list[wire.MemoryChange]:
        """Sanitize the messages, let the cloud form memories, return what changed (restored).

        `attachments` (documents, tool outputs, web pages) are sanitized like messages, name
        included; the cloud reads them only through isolated workers and keeps validated facts."""
        request = wire.AddMemoriesRequest(
            messages=[self._outbound_message(m, user_id) for m in _as_messages(messages)],
            user_id=self.vault.cloud_user_id(user_id),
            agent_id=agent_id,
            attachments=[
                wire.Attachment(kind=a.kind, name=self.preview(a.name, user_id), content=self.preview(a.content, user_id))
                for a in attachments
            ]
            or None,
        )
        response = self._call("POST", "/v1/memories", wire.AddMemoriesResponse, request)
        return [
            change.model_copy(
                update={
                    "text": self.guard.restore(change.text, user_id),
                    "previous_text": None
                    if change.previous_text is None
                    else self.guard.restore(change.previous_text, user_id),
                }
            )
            for change in response.results
        ]

    def search(
        self,
        query: str,
        user_id: str,
        limit: int = 10,
        agent_id: str | None = None,
        *,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[wire.ScoredMemory]:
        """Memories most related to the query, restored for the user; optionally only those
        created at or after `created_after` and before `created_before` (timezone-aware)."""
        request = wire.SearchRequest(
            query=self.preview(query, user_id),
            user_id=self.vault.cloud_user_id(user_id),
            agent_id=agent_id,
            limit=limit,
            created_after=created_after,
            created_before=created_before,
        )
        response = self._call("POST", "/v1/memories/search", wire.SearchResponse, request)
        return [self._inbound(m, user_id) for m in response.results]

    def get_all(self, user_id: str, agent_id: str | None = None) -> list[wire.Memory]:
        """Every memory the cloud holds for the user, page by page, restored."""
        params: dict[str, Any] = {"user_id": self.vault.cloud_user_id(user_id), "limit": _PAGE}
        if agent_id is not None:
            params["agent_id"] = agent_id
        memories: list[wire.Memory] = []
        while True:
            page = self._call("GET", "/v1/memories", wire.MemoryList, params={**params, "offset": len(memories)})
            memories.extend(self._inbound(m, user_id) for m in page.results)
            if len(page.results) < _PAGE:
                return memories

    def delete(self, memory_id: str) -> bool:
        """Delete one memory; False when the cloud has none by that id for this tenant."""
        try:
            return self._call("DELETE", f"/v1/memories/{memory_id}", wire.DeleteResponse).deleted
        except CloudError as exc:
            if exc.status_code == 404:
                return False
            raise

    def import_memories(self, texts: Sequence[str], user_id: str, agent_id: str | None = None) -> list[wire.Memory]:
        """Store memory texts as they are (no formation), sanitized, `wire.MAX_BULK` a request
        (each request all or nothing); the stored memories, restored."""
        stored: list[wire.Memory] = []
        for start in range(0, len(texts), wire.MAX_BULK):
            request = wire.BulkAddRequest(
                texts=[self.preview(text, user_id) for text in texts[start : start + wire.MAX_BULK]],
                user_id=self.vault.cloud_user_id(user_id),
                agent_id=agent_id,
            )
            response = self._call("POST", "/v1/memories/bulk", wire.BulkAddResponse, request)
            stored.extend(self._inbound(m, user_id) for m in response.results)
        return stored

    def preview(self, text: str, user_id: str) -> str:
        """Exactly what `add` or `search` would send to the cloud for this text."""
        return self.guard.sanitize(text, user_id, self.user_name).text

    # -- plumbing -----------------------------------------------------------------------

    def _outbound_message(self, message: wire.Message, user_id: str) -> wire.Message:
        return wire.Message(role=message.role, content=self.preview(message.content, user_id))

    def _inbound(self, memory: _Model, user_id: str) -> _Model:
        text = getattr(memory, "text")
        return memory.model_copy(update={"text": self.guard.restore(text, user_id), "user_id": user_id})

    def _call(
        self,
        method: str,
        path: str,
        model: type[_Model],
        body: BaseModel | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> _Model:
        content = body.model_dump_json(exclude_none=True).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        if self._traffic is not None:
            self._traffic.record(method, path, params, content)
        try:
            response = self._http.request(method, path, content=content, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise CloudError(0, "unreachable", f"the memory service could not be reached ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise CloudError.from_response(response.status_code, response.content)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise CloudError(response.status_code, "bad_response", f"the memory service sent a reply that is not a valid {model.__name__}") from None

    def close(self) -> None:
        self._http.close()
        if self._traffic is not None:
            self._traffic.close()

    def __enter__(self) -> MemoryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_messages(messages: str | Sequence[Mapping[str, str] | wire.Message]) -> list[wire.Message]:
    if isinstance(messages, str):
        return [wire.Message(role="user", content=messages)]
    return [m if isinstance(m, wire.Message) else wire.Message.model_validate(dict(m)) for m in messages]
