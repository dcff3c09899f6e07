"""International phone numbers, found and validated by python-phonenumbers (Google's
libphonenumber metadata): a number must be valid for its country, not merely digit-shaped.

Numbers written without a country code are read as numbers of the regions below (those
Presidio's PhoneRecognizer reads, with the same leniency and base score); a number with a
"+" prefix is checked against its own country whatever the list. A phone word just before
the number raises the score. Mainland Chinese numbers in Chinese text are
`patterns.ChinesePhoneRecognizer`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

from memveil.edge.recognizers.formats import Candidate, Format, FormatRecognizer

#: Regions whose national formats (no "+" prefix) are recognised.
REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR")

_BASE_SCORE = 0.4


@dataclass(frozen=True, kw_only=True)
class PhoneFormat(Format):
    """Phone numbers valid in one of `regions` (or in the country of their "+" prefix)."""

    regions: tuple[str, ...] = REGIONS
    leniency: int = phonenumbers.Leniency.VALID

    def candidates(self, text: str) -> list[Candidate]:
        return [
            (match.start, match.end, _BASE_SCORE)
            for region in self.regions
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=self.leniency)
        ]


PHONE = PhoneFormat(
    key="phone",
    type_="Phone Number",
    context=("phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "text me", "whatsapp",
             "电话", "手机", "号码"),
)


class PhoneNumberRecognizer(FormatRecognizer):
    """Phone numbers of any country: 0.4, or 0.75 after a phone word ("call me on ...")."""

    name = "phone"
    formats = (PHONE,)

    def __init__(self) -> None:
        # phonenumbers loads each region's metadata on first use; load the common ones now
        # rather than in racing detector threads.
        self.analyze("+1 212 555 0100, +44 20 7946 0958, +49 30 901820, +33 1 42 68 53 00")
