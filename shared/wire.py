"""Wire models of the cloud API: the contract between `memveil.edge` and `memveil.cloud`.

Every request and response body is one of these pydantic models. Unknown keys are refused
(`extra="forbid"`) so a typo in a client is an error rather than silently ignored data.
The protocol version travels in the `X-Memveil-Protocol` header; the server refuses a
client of another major version instead of guessing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

PROTOCOL_VERSION = "1"
PROTOCOL_HEADER = "X-Memveil-Protocol"

#: Longest message or query text the API accepts, in characters.
MAX_TEXT_CHARS = 16_000
#: Most messages in one add request.
MAX_MESSAGES = 100
#: Most attachments (documents, tool outputs, web pages) in one add request.
MAX_ATTACHMENTS = 10
#: Most results one search or listing returns.
MAX_LIMIT = 100
#: Most memory texts in one bulk request.
MAX_BULK = 500
#: Most memories in one page of an export.
MAX_EXPORT_LIMIT = 1000
#: Response header of an export page that is not the last: the `cursor` of the next page.
NEXT_CURSOR_HEADER = "X-Memveil-Next-Cursor"

Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]*$")
]


def _no_nul(text: str) -> str:
    # PostgreSQL cannot store U+0000 in text; refusing it everywhere keeps the backends alike.
    if "\x00" in text:
        raise ValueError("must not contain NUL characters (U+0000)")
    return text


Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS), AfterValidator(_no_nul)]
Role = Literal["user", "assistant", "system", "tool"]
Event = Literal["ADD", "UPDATE", "DELETE", "NOOP"]
GuardMode = Literal["on", "off", "report"]


class _Model(BaseModel):
    # Inputs are hidden in validation errors: the values may be private and errors get logged.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class Message(_Model):
    role: Role
    content: Text


class Attachment(_Model):
    """Untrusted content that came with the conversation. The cloud reads it only through
    isolated workers (`memveil.cloud.workers`): validated facts may become memories, the
    content itself never does."""

    kind: Literal["document", "tool_output", "web_page"]
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    content: Text


class AddMemoriesRequest(_Model):
    messages: Annotated[list[Message], Field(min_length=1, max_length=MAX_MESSAGES)]
    user_id: Identifier
    agent_id: Identifier | None = None
    attachments: Annotated[list[Attachment], Field(max_length=MAX_ATTACHMENTS)] | None = None


class MemoryChange(_Model):
    """What formation did with one fact: added, updated, deleted or left alone."""

    id: str
    event: Event
    text: str
    previous_text: str | None = None


class AddMemoriesResponse(_Model):
    results: list[MemoryChange]


class Memory(_Model):
    id: str
    user_id: str
    agent_id: str | None = None
    text: str
    created_at: datetime
    updated_at: datetime


class SearchRequest(_Model):
    """Hybrid search over one user's memories. `agent_id` narrows to one agent's; the time
    filters to memories created at or after `created_after` and before `created_before`."""

    query: Text
    user_id: Identifier
    agent_id: Identifier | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 10
    created_after: AwareDatetime | None = None
    created_before: AwareDatetime | None = None
    #: The memory guard (consensus validation, docs/guard.md): `on` drops flagged memories,
    #: `report` keeps them and says why, `off` searches as before.
    guard: GuardMode = "off"


class ScoredMemory(Memory):
    """`score` is in (0, 1], higher is better; it orders one result list, nothing more."""

    score: float


class GuardFlag(_Model):
    """A memory the guard flagged: a short code and a sentence, never the memory's text."""

    memory_id: str
    code: str
    reason: str


class GuardLesson(_Model):
    """A case the guard caught before (lesson memory), for the agent to consult before it
    answers: the query it surfaced in, the flagged record, its path and the consensus."""

    id: str
    code: str
    reason: str
    context: str
    record: str
    path: str
    consensus: str
    created_at: datetime


class SearchResponse(_Model):
    results: list[ScoredMemory]
    #: Only with `guard` on or report (absent otherwise, so older clients read the response).
    flags: list[GuardFlag] | None = None
    lessons: list[GuardLesson] | None = None


class MemoryList(_Model):
    results: list[Memory]


class BulkAddRequest(_Model):
    """Memory texts already formed (an import): stored as given, without formation."""

    texts: Annotated[list[Text], Field(min_length=1, max_length=MAX_BULK)]
    user_id: Identifier
    agent_id: Identifier | None = None


class BulkAddResponse(_Model):
    """The stored memories, in the order of the texts."""

    results: list[Memory]


class DeleteResponse(_Model):
    id: str
    deleted: bool


class Health(_Model):
    status: Literal["ok"]
    protocol_version: str
    version: str


class ErrorResponse(_Model):
    """Every error body: a stable machine code and a sentence for people. Never echoes input."""

    error: str
    detail: str
