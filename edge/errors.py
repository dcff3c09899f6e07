"""The edge's exception types.

Messages never carry a private value (they end up in logs and tracebacks): they name what
went wrong and where, never with what data.
"""

from __future__ import annotations

from pydantic import ValidationError

from memveil.shared.wire import ErrorResponse


class MemveilError(Exception):
    """Root of every error memveil raises on the device, so an app can catch them all."""


class VaultError(MemveilError):
    """The vault cannot do what was asked (closed, locked too long, not a memveil vault...)."""


class VaultKeyError(VaultError):
    """The key does not open the file: a wrong key, or a file that is not a memveil vault."""


class VaultCorruptError(VaultError):
    """The file opens with the key but its pages are damaged or missing (e.g. truncated)."""


class CloudError(MemveilError):
    """The memory service refused a request or could not be reached.

    `status_code` is the HTTP status (0 when nothing came back), `code` the service's stable
    machine code (`wire.ErrorResponse.error`), `message` a sentence for people.
    """

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(f"{message} (HTTP {status_code}, {code})" if status_code else f"{message} ({code})")
        self.status_code = status_code
        self.code = code
        self.message = message

    @classmethod
    def from_response(cls, status_code: int, content: bytes) -> CloudError:
        """Build from an error reply; a body that is not an `ErrorResponse` is not echoed."""
        try:
            body = ErrorResponse.model_validate_json(content)
        except ValidationError:
            return cls(status_code, "http_error", f"the memory service answered HTTP {status_code}")
        return cls(status_code, body.error, body.detail)
