"""Checksums and plausibility tests that turn a regex hit into a validated value.

Every function takes the candidate text and returns a verdict; none logs or raises on bad
input, because candidates are arbitrary user text.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import math
import re
import threading
from collections import Counter

_ISO_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ISO_CHECK = "10X98765432"
# First two digits of a mainland resident ID: the province-level region codes.
_CN_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)

# Registered IBAN lengths (SWIFT registry); a wrong length is not an IBAN even if mod-97 holds.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

_LOWER_RUN = re.compile(r"[a-z]{4,}")

_INTERNAL_NETS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
        "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10",
    )
)


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isascii() and ch.isdigit())


def decimal_digits(value: str) -> str:
    """The decimal digits of `value` in any script ("٤١١١" too), as ASCII digits."""
    return "".join(str(int(ch)) for ch in value if ch.isdecimal())


def luhn_ok(value: str) -> bool:
    """Luhn (mod 10) over the ASCII digits of `value`; separators are ignored."""
    digits = digits_only(value)
    if not digits:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_number_ok(value: str) -> bool:
    """13-19 digits, Luhn-valid and not one repeated digit (4444 4444 ... passes Luhn)."""
    digits = digits_only(value)
    return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_ok(digits)


def card_prefix_known(value: str) -> bool:
    """Whether the digits start like a real card network (Visa, Mastercard, Amex, UnionPay...).

    A Luhn check alone passes one random number in ten; requiring a network prefix keeps
    order and tracking numbers out when no "card" word is nearby.
    """
    d = digits_only(value)
    if len(d) < 13:
        return False
    if d[0] == "4":
        return True  # Visa
    two, four = int(d[:2]), int(d[:4])
    return (
        51 <= two <= 55 or 2221 <= four <= 2720  # Mastercard
        or two in (34, 37)  # Amex
        or two in (36, 38, 39) or 300 <= int(d[:3]) <= 305  # Diners
        or two == 35  # JCB
        or two in (62, 81)  # UnionPay
        or d.startswith(("6011", "65", "644", "645", "646", "647", "648", "649"))  # Discover
        or two in (50, 56, 57, 58, 67)  # Maestro
        or two == 60  # regional debit (RuPay, some UnionPay)
    )


def cn_resident_id_ok(value: str) -> bool:
    """Mainland China resident ID: region, real past birth date, ISO 7064 MOD 11-2 check."""
    raw = value.replace(" ", "").upper()
    if len(raw) != 18 or not raw[:17].isascii() or not raw[:17].isdigit():
        return False
    if int(raw[:2]) not in _CN_PROVINCES:
        return False
    try:
        born = datetime.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
        return False
    total = sum(int(ch) * w for ch, w in zip(raw[:17], _ISO_WEIGHTS))
    return _ISO_CHECK[total % 11] == raw[17]


def iban_ok(value: str) -> bool:
    """ISO 13616: registered country length and mod-97 == 1 (spaces and dashes ignored)."""
    raw = "".join(ch for ch in value if ch not in " -").upper()
    if len(raw) < 15 or not raw.isascii() or not raw.isalnum():
        return False
    expected = _IBAN_LENGTHS.get(raw[:2])
    if expected is None or len(raw) != expected or not raw[2:4].isdigit():
        return False
    rearranged = raw[4:] + raw[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def us_ssn_plausible(value: str) -> bool:
    """A US Social Security number the SSA could have issued: one kind of separator, not one
    repeated digit, no all-zero group, no 000/666 area, not a well-known sample number."""
    if len({ch for ch in value if ch in ".- "}) > 1:
        return False
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits or len(set(digits)) == 1:
        return False
    if digits[3:5] == "00" or digits[5:] == "0000" or digits[:3] in ("000", "666"):
        return False
    return digits not in ("123456789", "987654320", "078051120")


def mac_address_ok(value: str) -> bool:
    """Twelve hex digits that are neither the broadcast address nor all zeros."""
    raw = re.sub(r"[:\-.]", "", value).upper()
    return re.fullmatch(r"[0-9A-F]{12}", raw) is not None and raw not in ("FFFFFFFFFFFF", "000000000000")


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _base58check_ok(value: str) -> bool:
    """Legacy (1...) and script (3...) addresses: base58, last four bytes a double SHA-256."""
    if any(ch not in _BASE58 for ch in value):
        return False
    number = 0
    for ch in value:
        number = number * 58 + _BASE58.index(ch)
    zeros = len(value) - len(value.lstrip("1"))
    raw = number.to_bytes(zeros + (number.bit_length() + 7) // 8, "big")
    return raw[-4:] == hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4]


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def _bech32_ok(value: str) -> bool:
    """SegWit (bc1...) addresses: one case, and a Bech32 or Bech32m checksum (BIP 173/350)."""
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in value) or value not in (value.lower(), value.upper()):
        return False
    value = value.lower()
    sep = value.rfind("1")
    if sep < 1 or sep + 7 > len(value) or len(value) > 90:
        return False
    if any(ch not in _BECH32 for ch in value[sep + 1 :]):
        return False
    hrp = value[:sep]
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    return _bech32_polymod(expanded + [_BECH32.find(ch) for ch in value[sep + 1 :]]) in (1, 0x2BC830A3)


def bitcoin_address_ok(value: str) -> bool:
    """A Bitcoin address whose checksum holds (base58check for 1/3..., Bech32(m) for bc1...)."""
    if value.startswith(("1", "3")):
        return _base58check_ok(value)
    return value.startswith("bc1") and _bech32_ok(value)


def ip_kind(value: str) -> str | None:
    """'internal' for private, loopback, link-local and CGNAT addresses, 'public' for the rest,
    None when `value` is not a usable address (invalid, unspecified or multicast)."""
    try:
        addr = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    if addr.is_unspecified or addr.is_multicast:
        return None
    if any(addr in net for net in _INTERNAL_NETS if net.version == addr.version):
        return "internal"
    return "public"


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's own character distribution."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def looks_random(value: str, min_length: int = 20) -> bool:
    """A secret-looking string: long, high entropy, at least two character classes, digits.

    Human words and identifiers (`customer_account_settings`, `user_id_2024_v2`) fail on
    digits, word-like runs or entropy; generated keys and tokens pass.
    """
    if len(value) < min_length:
        return False
    classes = sum(
        (
            any(ch.islower() for ch in value),
            any(ch.isupper() for ch in value),
            any(ch.isdigit() for ch in value),
        )
    )
    if classes < 2 or not any(ch.isdigit() for ch in value):
        return False
    # Identifiers (`user_id_2024_v2_final`, `getAccountSettings2`) are mostly lowercase words;
    # in a random base62 or hex string, runs of four lowercase letters are rare.
    wordy = sum(len(run) for run in _LOWER_RUN.findall(value))
    if wordy > 0.3 * len(value):
        return False
    return shannon_entropy(value) >= 3.5


_TLD_LOCK = threading.Lock()
_TLD_EXTRACT = None


def public_suffix(host: str) -> str:
    """The host's public suffix from tldextract's bundled snapshot ('' when none).

    The default tldextract instance fetches the suffix list from the internet on first use;
    an edge component must not, so this one is built offline (no URLs, no disk cache).
    """
    global _TLD_EXTRACT
    if _TLD_EXTRACT is None:
        with _TLD_LOCK:
            if _TLD_EXTRACT is None:
                import tldextract

                extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
                extractor("example.com")  # load the snapshot now, not in a racing thread
                _TLD_EXTRACT = extractor
    return _TLD_EXTRACT(host).suffix
