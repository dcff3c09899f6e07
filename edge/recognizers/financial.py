"""Numbers that move money: payment cards, IBANs, US bank accounts and Bitcoin addresses.

Cards (Luhn), IBANs (mod 97 and the registered length of the country) and Bitcoin addresses
(base58check or Bech32) carry checksums, so a match that passes is certain (1.0) with or
without context. A US bank account number is only 8-17 digits and counts only after a bank
word. Cards written inside Chinese text, or with a card word but an unknown network, are
`patterns.BankCardRecognizer`'s.

Patterns and scores ported from Microsoft Presidio (MIT licence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memveil.edge.recognizers.formats import Candidate, Format, FormatRecognizer, PatternFormat
from memveil.edge.recognizers.validators import bitcoin_address_ok, decimal_digits, iban_ok, luhn_ok

_I = re.IGNORECASE

PAYMENT_CARD = PatternFormat(
    key="payment_card",
    type_="Bank/Payment Card Number",
    patterns=(
        (
            re.compile(
                r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))"
                r"[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b",
                _I,
            ),
            0.3,
        ),
    ),
    validate=lambda value: luhn_ok(decimal_digits(value)),
)

# Country code, check digits, then groups of four (spaces or dashes allowed) and a short tail.
_IBAN = re.compile(
    r"(?<![A-Z0-9])([A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2,6})"
    r"((?:[ -]?[A-Z0-9]{4})?)((?:[ -]?[A-Z0-9]{1,3})?)(?![A-Z0-9])"
)


@dataclass(frozen=True, kw_only=True)
class IbanFormat(Format):
    """An IBAN may run into a following word or number ("DE89 3704 ... 3000 2 days"): each
    match is tried at its full length, then without its short tail, then without its last
    group, and the first that validates is kept."""

    def candidates(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for match in _IBAN.finditer(text):
            start = match.start()
            for end in (match.end(3), match.end(2), match.end(1)):
                if iban_ok(text[start:end]):
                    found.append((start, end, 1.0))
                    break
        return found


IBAN = IbanFormat(key="iban", type_="Financial Account")

US_BANK_ACCOUNT = PatternFormat(
    key="us_bank_account",
    type_="Financial Account",
    patterns=((re.compile(r"\b[0-9]{8,17}\b", _I), 0.05),),
    context=("bank account", "account number", "acct", "checking", "savings", "routing"),
)

BITCOIN_ADDRESS = PatternFormat(
    key="bitcoin_address",
    type_="Financial Account",
    patterns=((re.compile(r"(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}", _I), 0.5),),
    validate=bitcoin_address_ok,
)


class FinancialNumberRecognizer(FormatRecognizer):
    """Cards ("Bank/Payment Card Number"); IBANs, bank accounts, Bitcoin addresses
    ("Financial Account")."""

    name = "financial"
    formats = (PAYMENT_CARD, IBAN, US_BANK_ACCOUNT, BITCOIN_ADDRESS)
