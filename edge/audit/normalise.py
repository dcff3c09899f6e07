"""Normalised forms of text, so a value is found however it was re-typed.

A value leaks whether it comes back as `Maya.Chen@Example.org`, `ｍａｙａ．ｃｈｅｎ＠…` or
`138 1234 5678` for `138-1234-5678`. Three forms, each with a map back to the original
offsets so a match can be located and shown:

- `fold`: NFKC (full-width to half-width), casefold, whitespace collapsed to one space;
- `compact`: fold without anything that is not a letter or a digit (spacing, punctuation);
- `digits`: the digits alone (for numbers written with labels or letters around them).

Folding is per character, for the value and the text alike, so both sides always agree.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Mapped", "compact", "digits", "fold", "is_cjk", "is_word_char", "mapped_compact", "mapped_fold", "tokens"]


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold())


def is_cjk(ch: str) -> bool:
    """Scripts written without spaces: each character is a token of its own."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
    )


def is_word_char(ch: str) -> bool:
    """A character that continues a word: a match next to one is inside a longer token."""
    return ch.isalnum() and not is_cjk(ch)


class Mapped(NamedTuple):
    """A normalised text and, for each of its characters, the index of the original one."""

    text: str
    origin: list[int]


def mapped_fold(text: str) -> Mapped:
    out: list[str] = []
    origin: list[int] = []
    space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded == " " or folded.isspace():
            if not space:
                out.append(" ")
                origin.append(i)
                space = True
            continue
        space = False
        out.append(folded)
        origin.extend([i] * len(folded))
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return Mapped("".join(out), origin)


def mapped_compact(text: str) -> Mapped:
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            if c.isalnum():
                out.append(c)
                origin.append(i)
    return Mapped("".join(out), origin)


def fold(text: str) -> str:
    return mapped_fold(text).text


def compact(text: str) -> str:
    return mapped_compact(text).text


def digits(text: str) -> str:
    return "".join(c for c in compact(text) if c.isdigit())


def tokens(text: str) -> list[str]:
    """Folded tokens: runs of letters and digits, and every CJK character on its own."""
    found: list[str] = []
    current: list[str] = []
    for ch in fold(text):
        if is_cjk(ch):
            if current:
                found.append("".join(current))
                current = []
            found.append(ch)
        elif ch.isalnum():
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found
