"""The privacy guard: private values out, placeholders in, and back again on the device.

`sanitize` is what stands between the user and the network: everything the detector finds
at a protected level is swapped for its vault placeholder, and text that merely looks like
a placeholder is escaped so a later `restore` cannot mistake it for one. The names and
identifiers the vault already holds for the user are found again wherever they recur, even
where nothing in the new message marks them (`recognizers.known`); the guard builds that
recognizer once per user and rebuilds it only when the vault's `revision` moves, since a
user's vault grows to thousands of values and reading them all costs more per message than
the scan. `restore` undoes
both for text coming back from the cloud; placeholders the vault does not know for this
user stay as they are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import NamedTuple

from memveil.edge.detector import PrivacyDetector
from memveil.edge.recognizers.known import KnownValue, KnownValueRecognizer, carries
from memveil.edge.span import Span
from memveil.edge.vault import Vault
from memveil.shared.placeholder import escape_lookalikes, find_placeholders, restore_tokens
from memveil.shared.taxonomy import DEFAULT_PROTECTED_LEVELS, Level, parse_levels


class Sanitized(NamedTuple):
    """The text safe to send, and the spans (offsets in the original) that were replaced."""

    text: str
    spans: list[Span]


#: Users whose known-value recognizers a guard keeps (least recently used go first).
KNOWN_CACHE_USERS = 64


class PrivacyGuard:
    """Replaces private spans at the protected levels with stable placeholders from the vault."""

    def __init__(
        self,
        vault: Vault,
        levels: Iterable[Level | str] | str = DEFAULT_PROTECTED_LEVELS,
        detector: PrivacyDetector | None = None,
    ) -> None:
        self.vault = vault
        self.levels = parse_levels(levels)
        if Level.PL1 in self.levels:
            raise ValueError("PL1 is not private and is never replaced")
        if not self.levels:
            raise ValueError("at least one level must be protected")
        self.detector = detector if detector is not None else PrivacyDetector()
        self._known: OrderedDict[str, tuple[tuple[int, int, int], KnownValueRecognizer]] = OrderedDict()
        self._known_lock = threading.Lock()

    def sanitize(self, text: str, user_id: str, user_name: str | None = None) -> Sanitized:
        known = self._known_values(user_id)
        spans = [s for s in self.detector.detect(text, user_name=user_name, known=known) if s.level in self.levels]
        placeholders = self.vault.placeholders_for(user_id, [(s.text, s.type, s.level) for s in spans])
        parts: list[str] = []
        cursor = 0
        for span, placeholder in zip(spans, placeholders):
            parts.append(escape_lookalikes(text[cursor : span.start]))
            parts.append(placeholder)
            cursor = span.end
        parts.append(escape_lookalikes(text[cursor:]))
        return Sanitized("".join(parts), spans)

    def restore(self, text: str, user_id: str) -> str:
        known = self.vault.values_of(user_id, set(find_placeholders(text)))
        return restore_tokens(text, known.get)

    def _known_values(self, user_id: str) -> KnownValueRecognizer:
        """The recognizer of the user's protected names and identifiers in the vault, as of
        now: reused while the vault's revision stands still. The revision is read before the
        values, so a write landing in between makes the next call rebuild, never miss it."""
        revision = self.vault.revision()
        with self._known_lock:
            cached = self._known.get(user_id)
            if cached is not None and cached[0] == revision:
                self._known.move_to_end(user_id)
                return cached[1]
        recognizer = KnownValueRecognizer(
            KnownValue(value, type_name, level)
            for value, type_name, level in self.vault.values(user_id)
            if level in self.levels and carries(type_name)
        )
        with self._known_lock:
            self._known[user_id] = (revision, recognizer)
            self._known.move_to_end(user_id)
            while len(self._known) > KNOWN_CACHE_USERS:
                self._known.popitem(last=False)
        return recognizer
