"""The protection view: what masking the predicted items would hide of the reference items.

The per-turn F1 rewards silence on turns without private data, so beside it the report
says how much private text a sanitizer acting on the predictions would actually hide.
Predictions carry texts, not offsets, so an item masks every place its text occurs in the
turn (the way a value-level replacement would); an "occurrence" of a reference item is each
place, overlaps included, where its text occurs in the turn's content.
"""

from __future__ import annotations

from collections.abc import Iterable

#: A reference occurrence counts as hidden when at least this share of its characters is masked.
COVERAGE = 0.9


def occurrences(content: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of every place `text` occurs in `content`, overlapping ones included."""
    if not text:
        return []
    found: list[tuple[int, int]] = []
    start = content.find(text)
    while start != -1:
        found.append((start, start + len(text)))
        start = content.find(text, start + 1)
    return found


def char_mask(content: str, texts: Iterable[str]) -> bytearray:
    """1 for each character of `content` covered by an occurrence of one of `texts`."""
    mask = bytearray(len(content))
    for text in texts:
        for start, end in occurrences(content, text):
            mask[start:end] = b"\x01" * (end - start)
    return mask


def is_protected(content: str, reference: str, mask: bytearray) -> bool:
    """Every occurrence of `reference` is at least COVERAGE masked.

    A reference that does not occur in the turn at all (an annotation slip) counts as not
    protected: nothing shows that masking hid it.
    """
    places = occurrences(content, reference)
    return bool(places) and all(sum(mask[start:end]) >= COVERAGE * (end - start) - 1e-9 for start, end in places)


def masked_inside(mask: bytearray, reference_mask: bytearray) -> tuple[int, int]:
    """(masked characters, masked characters that lie inside a reference item)."""
    return sum(mask), sum(m & r for m, r in zip(mask, reference_mask))
