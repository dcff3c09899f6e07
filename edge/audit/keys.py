"""Where the audit gets a vault key: an environment variable, or a prompt. Never a flag.

A key on the command line ends up in shell history and in every process listing, so
there is no `--key VALUE`. The variable holds a passphrase, or a raw 32-byte key written
`hex:<64 hex digits>` or `base64:<...>` (how `Vault.open` tells them apart: bytes or str).
"""

from __future__ import annotations

import base64
import binascii
import getpass
import os
import sys

__all__ = ["KeyInputError", "parse_key_text", "read_key"]


class KeyInputError(ValueError):
    """No usable key was given; the message says how to give one, never what was given."""


def parse_key_text(text: str) -> str | bytes:
    """`hex:...` or `base64:...` -> 32 raw bytes; anything else is a passphrase."""
    for prefix, decode in (("hex:", bytes.fromhex), ("base64:", lambda s: base64.b64decode(s, validate=True))):
        if text.startswith(prefix):
            try:
                raw = decode(text[len(prefix) :].strip())
            except (ValueError, binascii.Error):
                raise KeyInputError(f"the key after {prefix!r} is not valid {prefix[:-1]}") from None
            if len(raw) != 32:
                raise KeyInputError(f"a raw key must be 32 bytes, this one is {len(raw)}")
            return raw
    if not text:
        raise KeyInputError("the key is empty")
    return text


def read_key(env: str | None, what: str = "vault key", *, confirm: bool = False) -> str | bytes:
    """The key from the variable named env, or typed at a prompt (twice when confirm)."""
    if env:
        value = os.environ.get(env)
        if not value:
            raise KeyInputError(f"the environment variable {env} holding the {what} is not set or empty")
        return parse_key_text(value)
    if not sys.stdin.isatty():
        raise KeyInputError(f"no {what}: name an environment variable that holds it (keys are never flag values)")
    value = getpass.getpass(f"{what}: ")
    if confirm and getpass.getpass(f"{what} again: ") != value:
        raise KeyInputError(f"the two entries of the {what} differ")
    return parse_key_text(value)
