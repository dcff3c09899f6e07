"""Intent schemas: what a main context may learn from untrusted content, field by field.

Every schema is closed (unknown fields refused), frozen and strict, and every field is as
narrow as its meaning allows: codes and dates by pattern, names by alphabet and length,
free text on one line and short. Narrow fields are most of the defence: an airport code
cannot carry an instruction. Free-text fields are the rest, and the sanitizer reads them.
`memory_texts()` is how a validated value becomes memory text; nothing else of it does.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# One line, no control characters: a role tag or a fake transcript needs line breaks.
_LINE = r"^[^\x00-\x1f\x7f]*$"
Line = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=_LINE)]
ShortLine = Annotated[str, StringConstraints(min_length=1, max_length=160, pattern=_LINE)]
#: A person or organisation: letters (any script), spaces, `.'-·&`, or a placeholder token.
Name = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[\w .'\-·&<>]+$")]
#: An e-mail address, or the placeholder the edge put in its place.
Address = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^(?:[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|<[A-Za-z][A-Za-z0-9_'\-]*_[1-9][0-9]*>)$")
]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
FlightNumber = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2}[0-9]{1,4}$")]
Airport = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
BookingReference = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{6}$")]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class IntentSchema(BaseModel):
    """Base of every schema a main context declares."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, hide_input_in_errors=True)

    def memory_texts(self) -> list[str]:
        """Memory texts this value yields; none by default."""
        return []


class DocumentFacts(IntentSchema):
    """Statements of fact a document or web page makes, each one self-contained sentence."""

    facts: Annotated[list[Line], Field(max_length=20)]

    def memory_texts(self) -> list[str]:
        return list(self.facts)


class EmailSummary(IntentSchema):
    """Who wrote an e-mail, about what, and the gist in at most two sentences."""

    sender: Name
    sender_address: Address | None = None
    subject: ShortLine
    summary: Line | None = None
    date: IsoDate | None = None

    def memory_texts(self) -> list[str]:
        who = f"{self.sender} ({self.sender_address})" if self.sender_address else self.sender
        text = f"E-mail from {who} about {self.subject}" + (f" on {self.date}" if self.date else "") + "."
        return [text + (f" {self.summary}" if self.summary else "")]


class FlightBooking(IntentSchema):
    """The flight a booking confirmation is for."""

    flight_number: FlightNumber
    date: IsoDate
    origin: Airport
    destination: Airport
    departure_time: ClockTime | None = None
    booking_reference: BookingReference | None = None

    def memory_texts(self) -> list[str]:
        at = f" at {self.departure_time}" if self.departure_time else ""
        ref = f" (booking {self.booking_reference})" if self.booking_reference else ""
        return [f"Flight {self.flight_number} from {self.origin} to {self.destination} on {self.date}{at}{ref}."]


class ActionItem(IntentSchema):
    owner: Name | None = None
    task: ShortLine
    due: IsoDate | None = None


class ActionItems(IntentSchema):
    """The action items a document assigns."""

    items: Annotated[list[ActionItem], Field(max_length=20)]

    def memory_texts(self) -> list[str]:
        return [
            f"Action item{f' for {i.owner}' if i.owner else ''}: {i.task}{f' (due {i.due})' if i.due else ''}."
            for i in self.items
        ]


class ResultField(IntentSchema):
    name: FieldName
    value: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_LINE)]


class ToolResult(IntentSchema):
    """The named scalar fields of a tool's output."""

    fields: Annotated[list[ResultField], Field(max_length=30)]

    def value(self, name: str) -> str | None:
        return next((f.value for f in self.fields if f.name == name), None)

    def memory_texts(self) -> list[str]:
        """One fact for the whole output: its fields only mean something together."""
        return ["; ".join(f"{f.name.replace('_', ' ')}: {f.value}" for f in self.fields)] if self.fields else []


#: The schemas the project's workers know how to fill, by name.
SCHEMAS: dict[str, type[IntentSchema]] = {
    s.__name__: s for s in (DocumentFacts, EmailSummary, FlightBooking, ActionItems, ToolResult)
}
