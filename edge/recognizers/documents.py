"""US and UK passport numbers and US driver's licence numbers by format, near a document word.

These formats (nine digits, a letter and eight digits, two letters and seven digits) are
everywhere, so a match counts only with a document word in the 40 characters before it
("passport", "driver's license", "DL"), and then scores 0.4-0.65. `patterns.PassportRecognizer`
and `patterns.DriverLicenseRecognizer` find the confident case, the number right after its
word, and win where both match.

Patterns and scores ported from Microsoft Presidio (MIT licence).
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.formats import FormatRecognizer, PatternFormat

_I = re.IGNORECASE
_PASSPORT_WORDS = ("passport", "护照")

US_PASSPORT = PatternFormat(
    key="us_passport",
    type_="Passport Number",
    patterns=(
        (re.compile(r"(\b[0-9]{9}\b)", _I), 0.05),
        (re.compile(r"(\b[A-Z][0-9]{8}\b)", _I), 0.1),  # next-generation passports
    ),
    context=_PASSPORT_WORDS,
)

UK_PASSPORT = PatternFormat(
    key="uk_passport",
    type_="Passport Number",
    patterns=((re.compile(r"\b[A-Z]{2}\d{7}\b", _I), 0.1),),
    context=_PASSPORT_WORDS,
)

# The formats of the US states' licences, as one alternation.
_US_LICENSE_ALNUM = (
    r"\b([A-Z][0-9]{3,6}|[A-Z][0-9]{5,9}|[A-Z][0-9]{6,8}|[A-Z][0-9]{4,8}|[A-Z][0-9]{9,11}"
    r"|[A-Z]{1,2}[0-9]{5,6}|H[0-9]{8}|V[0-9]{6}|X[0-9]{8}|A-Z]{2}[0-9]{2,5}|[A-Z]{2}[0-9]{3,7}"
    r"|[0-9]{2}[A-Z]{3}[0-9]{5,6}|[A-Z][0-9]{13,14}|[A-Z][0-9]{18}|[A-Z][0-9]{6}R|[A-Z][0-9]{9}"
    r"|[A-Z][0-9]{1,12}|[0-9]{9}[A-Z]|[A-Z]{2}[0-9]{6}[A-Z]|[0-9]{8}[A-Z]{2}|[0-9]{3}[A-Z]{2}[0-9]{4}"
    r"|[A-Z][0-9][A-Z][0-9][A-Z]|[0-9]{7,8}[A-Z])\b"
)

US_DRIVER_LICENSE = PatternFormat(
    key="us_driver_license",
    type_="Driver's License Number",
    patterns=(
        (re.compile(_US_LICENSE_ALNUM, _I), 0.3),
        (re.compile(r"\b([0-9]{6,14}|[0-9]{16})\b", _I), 0.01),
    ),
    context=("driver", "driver's", "drivers", "driving", "licence", "license", "dl", "驾照", "驾驶证"),
)


class DocumentNumberRecognizer(FormatRecognizer):
    """Passport and driver's licence numbers whose format fits and whose word is near."""

    name = "document_number"
    formats = (US_PASSPORT, UK_PASSPORT, US_DRIVER_LICENSE)
