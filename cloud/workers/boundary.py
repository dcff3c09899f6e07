"""The isolation boundary: the only way a worker's output reaches a main context.

A worker returns text. Here it is parsed deterministically (strict JSON: one object, no
NaN or Infinity, no duplicate keys; a single fenced ```json block is tolerated, nothing
else is searched for) and validated against the intent schema in strict mode (types,
enums, lengths, formats, unknown fields refused). Rejection reasons name where and what
kind of problem, never the value: they go back to a possibly compromised worker as
feedback and into logs.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

_Schema = TypeVar("_Schema", bound=BaseModel)

#: Longest worker output the boundary reads, in characters.
MAX_OUTPUT_CHARS = 64_000
_FENCE = re.compile(r"\A\s*```(?:json)?[ \t]*\n(?P<body>.*)\n[ \t]*```\s*\Z", re.DOTALL)


class BoundaryRejected(ValueError):
    """A worker's output did not cross the boundary. The message never quotes the output."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise BoundaryRejected("the output repeats a key")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise BoundaryRejected(f"the output holds {name}, which is not JSON")


def parse(text: str) -> dict[str, Any]:
    """The worker's output as one JSON object, or `BoundaryRejected`."""
    if not isinstance(text, str):
        raise BoundaryRejected("the output is not text")
    if len(text) > MAX_OUTPUT_CHARS:
        raise BoundaryRejected(f"the output is longer than {MAX_OUTPUT_CHARS} characters")
    fenced = _FENCE.match(text)
    body = fenced["body"] if fenced else text
    try:
        data = json.loads(body, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BoundaryRejected(f"the output is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if not isinstance(data, dict):
        raise BoundaryRejected("the output must be one JSON object")
    return data


def validate(data: dict[str, Any], schema: type[_Schema]) -> _Schema:
    """`data` as an instance of `schema` (strict), or `BoundaryRejected` naming the failing fields."""
    try:
        return schema.model_validate(data, strict=True)
    except ValidationError as exc:
        raise BoundaryRejected(f"the output does not match {schema.__name__} ({describe(exc)})") from None


def cross(text: str, schema: type[_Schema]) -> _Schema:
    """Parse and validate: what a worker's output must survive to become a value."""
    return validate(parse(text), schema)


def describe(exc: ValidationError) -> str:
    """`facts.0: string_too_long; extra: extra_forbidden`: where and what, never the value or an unknown key's name."""
    parts = []
    for error in exc.errors(include_url=False)[:5]:
        loc = error["loc"][:-1] if error["type"] == "extra_forbidden" else error["loc"]
        parts.append(f"{'.'.join(str(p) for p in loc) or 'output'}: {error['type']}")
    if exc.error_count() > 5:
        parts.append(f"and {exc.error_count() - 5} more")
    return "; ".join(parts)
