"""Numbers that move money: payment cards, IBANs, US bank accounts and Bitcoin addresses.

Cards (Luhn and a network prefix), IBANs (mod 97 and the registered length of the country)
and Bitcoin addresses (base58check or Bech32) carry checksums, so a match that passes is
certain (1.0) with or without context. A card number of no known network counts next to a
card word. A US bank account number is only 8-17 digits and counts only after a bank word.

IBAN, bank-account and Bitcoin patterns and scores ported from Microsoft Presidio (MIT
licence). Boundaries are ASCII look-arounds, not `\\b`: "卡号6222..." has no `\\b` before
the digits, because CJK characters count as word characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memveil.edge.recognizers.common import NOT_AFTER_ALNUM, NOT_BEFORE_ALNUM, make_span
from memveil.edge.recognizers.formats import Candidate, Format, FormatRecognizer, PatternFormat
from memveil.edge.recognizers.validators import bitcoin_address_ok, card_number_ok, card_prefix_known, iban_ok
from memveil.edge.span import Span

_I = re.IGNORECASE

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
    """IBANs, bank accounts and Bitcoin addresses ("Financial Account"); cards are
    `BankCardRecognizer`'s."""

    name = "financial"
    formats = (IBAN, US_BANK_ACCOUNT, BITCOIN_ADDRESS)


_CARD_CONTEXT = re.compile(
    r"(?i:card|credit|debit|visa|master ?card|amex|union ?pay)|银行卡|信用卡|储蓄卡|借记卡|卡号|银联"
)
_CARD_RE = re.compile(
    NOT_AFTER_ALNUM
    + r"(?:\d{4}(?:([ -])\d{4}){2,3}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{13,19})"
    + NOT_BEFORE_ALNUM
)


class BankCardRecognizer:
    """Payment card numbers: 13-19 digits, Luhn, and a card-network prefix or a card word.

    Works inside Chinese text with no spaces around the digits. A trailing short group that
    breaks the checksum ("4111 1111 1111 1111 123") is retried without it; a group of three
    stays in the span when the rest is a card: it ends a 19-digit UnionPay number typed
    4-4-4-4-3 ("6217 0029 8810 3356 427") or is the card's security code, private either way.
    """

    name = "bank_card"
    type_ = "Bank/Payment Card Number"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _CARD_RE.finditer(text):
            start, end = match.span()
            if not card_number_ok(text[start:end]):
                cut = max(text.rfind(" ", start, end), text.rfind("-", start, end))
                if cut - start < 15 or end - cut > 4 or not card_number_ok(text[start:cut]):
                    continue
                if end - cut != 4:  # a group of three stays (see above)
                    end = cut
            context = _CARD_CONTEXT.search(text, max(0, start - 30), start) is not None
            known = card_prefix_known(text[start:end])
            if not (known or context):
                continue
            # A checksum and a network prefix make it certain; a card word alone less so.
            score = 1.0 if known else 0.9
            spans.append(make_span(text, start, end, self.type_, score, self.name))
        return spans

    def __repr__(self) -> str:
        return "BankCardRecognizer()"

