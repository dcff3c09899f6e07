"""memveil.edge: what an app embeds.

Detection (`PrivacyDetector`), the encrypted vault (`Vault`), the guard that swaps private
values for placeholders and back (`PrivacyGuard`), and the memory client with the guard
built in (`MemoryClient`). Nothing here imports torch.
"""

from memveil.edge.client import MemoryClient
from memveil.edge.detector import PrivacyDetector
from memveil.edge.errors import CloudError, MemveilError, VaultCorruptError, VaultError, VaultKeyError
from memveil.edge.guard import PrivacyGuard, Sanitized
from memveil.edge.recognizers.base import Recognizer
from memveil.edge.span import Span
from memveil.edge.vault import Vault, VaultEntry

__all__ = [
    "CloudError",
    "MemoryClient",
    "MemveilError",
    "PrivacyDetector",
    "PrivacyGuard",
    "Recognizer",
    "Sanitized",
    "Span",
    "Vault",
    "VaultCorruptError",
    "VaultEntry",
    "VaultError",
    "VaultKeyError",
]
