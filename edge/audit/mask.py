"""Masked views of private values: enough to recognise a value you know, not to learn one.

An auditor reading a report on screen (or a CI log) should see `j***@e***.com` and
`138****5678`, never the address or the number. Secrets (PL4) show at most a short prefix
(`sk-***`), which names the kind of key and nothing else; short values show nothing.
"""

from __future__ import annotations

from memveil.edge.audit.normalise import is_cjk
from memveil.shared.taxonomy import Level

__all__ = ["mask_value", "shown"]

_STARS = "***"
_MAX_SHOWN = 48


def shown(value: str, level: Level | str | None, type_name: str, reveal: bool) -> str:
    """The value itself when the caller asked for raw values, its mask otherwise."""
    return value if reveal else mask_value(value, type_name, level)


def mask_value(value: str, type_name: str = "", level: Level | str | None = None) -> str:
    """A masked form of value that keeps its shape and hides its content."""
    text = " ".join(value.split())
    if len(text) <= 2:
        return "*" * max(len(text), 2)
    if str(getattr(level, "value", level)) == "PL4":
        return _mask_secret(text)
    if "@" in text and _looks_like_email(text):
        masked = _mask_email(text)
    elif _digit_share(text) >= 0.6 and sum(c.isdigit() for c in text) >= 7:
        masked = _mask_digits(text)
    else:
        masked = _mask_words(text)
    return masked if len(masked) <= _MAX_SHOWN else masked[: _MAX_SHOWN - 1] + "…"


def _mask_secret(text: str) -> str:
    # A long key's first characters are its vendor prefix (sk-, ghp_, AKIA): a category, not a secret.
    return text[:3] + _STARS if len(text) >= 16 else _STARS


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.rpartition("@")
    return bool(local) and "." in domain and " " not in text


def _mask_email(text: str) -> str:
    local, _, domain = text.rpartition("@")
    host, _, tld = domain.rpartition(".")
    return f"{local[0]}{_STARS}@{host[:1]}{_STARS}.{tld}"


def _digit_share(text: str) -> float:
    alnum = [c for c in text if c.isalnum()]
    return sum(c.isdigit() for c in alnum) / len(alnum) if alnum else 0.0


def _mask_digits(text: str) -> str:
    """Keep the separators and the first 3 and last 4 digits (first 2 and last 2 when short)."""
    total = sum(c.isdigit() for c in text)
    head, tail = (3, 4) if total >= 11 else (2, 2)
    out: list[str] = []
    seen = 0
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= head or seen > total - tail else "*")
        elif c.isalpha():
            out.append("*")
        else:
            out.append(c)
    return "".join(out)


def _mask_words(text: str) -> str:
    """First character of each word; CJK runs keep their first character only."""
    words = []
    for word in text.split(" "):
        if not word:
            continue
        if is_cjk(word[0]):
            words.append(word[0] + "*" * min(len(word) - 1, 3) if len(word) > 1 else "*")
        elif len(word) == 1:
            words.append("*")
        else:
            words.append(word[0] + _STARS)
    return " ".join(words)
