"""The placeholder grammar: `<Type_N>` tokens, their parser, and the escape for look-alikes.

A placeholder is `<` + tag + `_` + N + `>`, where the tag is the type name with spaces and
slashes turned into underscores (hyphens, apostrophes and digits are kept:
`<Third-Party_Identifiable_Info_1>`, `<Driver's_License_Number_2>`) and N >= 1.

Text a user typed that already looks like a placeholder must never be taken for one, or
restoring a reply could put a real value where the user wrote a literal `<Email_1>`. On the
way out such look-alikes gain one backslash (`<\\Email_1>`); on the way back every escaped
token loses one. The scheme is reversible for any input because an already-escaped token
(`<\\Email_1>` typed by the user) gains one more backslash too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# A tag starts with a letter; the non-greedy body lets `_N>` anchor on the last underscore.
_TAG = r"[A-Za-z][A-Za-z0-9_'\-]*?"
_NUMBER = r"[1-9][0-9]{0,8}"

#: Matches a real placeholder token and nothing escaped.
PLACEHOLDER_RE = re.compile(rf"<(?P<tag>{_TAG})_(?P<n>{_NUMBER})>")

# Matches a placeholder or an escaped look-alike (one or more backslashes after `<`).
_TOKEN_RE = re.compile(rf"<(?P<esc>\\*)(?P<tag>{_TAG})_(?P<n>{_NUMBER})>")

_TAG_CLEAN = re.compile(r"[^A-Za-z0-9'\-]+")


class Placeholder(NamedTuple):
    """A parsed placeholder token."""

    tag: str
    number: int

    def __str__(self) -> str:
        return f"<{self.tag}_{self.number}>"


def type_to_tag(type_name: str) -> str:
    """`Account ID/Username` -> `Account_ID_Username`; `Driver's License Number` keeps its apostrophe."""
    name = type_name.strip().replace("\u2019", "'")
    tag = _TAG_CLEAN.sub("_", name).strip("_")
    if not tag or not tag[0].isalpha():
        raise ValueError("a type name must start with a letter")
    return tag


def format_placeholder(type_name: str, number: int) -> str:
    if number < 1:
        raise ValueError("placeholder numbers start at 1")
    return str(Placeholder(type_to_tag(type_name), number))


def parse_placeholder(token: str) -> Placeholder:
    """Parse one whole token such as `<Medical_Health_3>`; raises ValueError otherwise."""
    match = PLACEHOLDER_RE.fullmatch(token)
    if not match:
        raise ValueError("not a placeholder token")
    return Placeholder(match["tag"], int(match["n"]))


def find_placeholders(text: str) -> list[str]:
    """Every real (unescaped) placeholder token in text, in order of appearance."""
    return [m.group(0) for m in PLACEHOLDER_RE.finditer(text)]


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every placeholder-shaped token in text, real or an escaped look-alike."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def escape_lookalikes(text: str) -> str:
    """Add one backslash to every token that looks like a placeholder, escaped or not."""
    return _TOKEN_RE.sub(lambda m: "<\\" + m.group(0)[1:], text)


def restore_tokens(text: str, lookup: Callable[[str], str | None]) -> str:
    """Replace each real placeholder by `lookup(token)` (left as is when None) and unescape look-alikes.

    One pass, so a restored value is never itself read as a token.
    """

    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if m["esc"]:
            return "<" + token[2:]
        value = lookup(token)
        return token if value is None else value

    return _TOKEN_RE.sub(replace, text)
