"""Action targets: the addresses a side effect can be pointed at.

An injected instruction needs somewhere to send data or money: an e-mail address, a URL,
an account or phone number. A target the user never gave (in the request, or in a field the
intent marks as a target) is the signature of a hijacked action, in any language.
Placeholder tokens count as targets too: the edge masks addresses before the cloud sees them.
"""

from __future__ import annotations

import re
import unicodedata

from memveil.shared.placeholder import PLACEHOLDER_RE

_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
# ASCII only after the host: in Chinese text a URL runs straight into the next word.
_PATH = r"(?:/[A-Za-z0-9\-._~/?#@!$&*+=%:;]*)?"
_URL = rf"(?:https?://|www\.)[A-Za-z0-9\-.]+{_PATH}|(?<![A-Za-z0-9@.\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|net|org|io|xyz|ru|cn|info|biz|top|site|co|me|app|link|click|online)(?![A-Za-z0-9\-]){_PATH}"
# Lookarounds, not \b: CJK characters count as word characters.
_IBAN = r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
_NUMBER = r"(?<![\d\-/.:A-Za-z])\+?\d(?:[ \-]?\d){7,18}(?![\d\-/.:])"
EMAIL_RE = re.compile(_EMAIL)
URL_RE = re.compile(_URL, re.IGNORECASE)
ACCOUNT_RE = re.compile(f"{_IBAN}|{_NUMBER}")
TARGET_RE = re.compile(rf"{_EMAIL}|{_URL}|{_IBAN}|{_NUMBER}|{PLACEHOLDER_RE.pattern}")
# Dates and clock times are not targets, whatever digits they hold.
_NOT_TARGET = re.compile(r"\b\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{1,2}:\d{2}\b")


def normalize(text: str) -> str:
    """NFKC (full-width letters become ASCII), zero-width and bidi controls removed."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _key(target: str) -> str:
    return re.sub(r"[\s\-]", "", target).lower().rstrip(".,;:!?/").removeprefix("https://").removeprefix("http://").removeprefix("www.")


def find_targets(text: str) -> set[str]:
    """Targets in the text, normalised for comparison (case, spaces, scheme, `www.`)."""
    found: set[str] = set()
    for match in TARGET_RE.finditer(_NOT_TARGET.sub(" ", normalize(text))):
        found.add(_key(match.group(0)))
    return found


def foreign_targets(text: str, allowed: set[str]) -> set[str]:
    """Targets in the text that are not among `allowed` (normalised by `find_targets`); a page
    under an allowed site's URL counts as allowed, a longer host or address does not."""
    return {t for t in find_targets(text) if not any(t == a or t.startswith(a + "/") for a in allowed)}
