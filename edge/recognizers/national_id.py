"""National identity numbers by format and context: US Social Security numbers, US ITINs and
UK National Insurance numbers.

Only the grouped SSN (536-22-1234, or with dots or spaces) counts on its own, weakly (0.5);
nine bare digits, ITINs and NINOs count only after a word that names them ("SSN", "taxpayer",
"national insurance"), because the same characters are also order numbers and references. Mainland Chinese resident IDs
carry a checksum and are `patterns.ChineseResidentIdRecognizer`'s.

Patterns and scores ported from Microsoft Presidio (MIT licence).
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.formats import FormatRecognizer, PatternFormat
from memveil.edge.recognizers.validators import us_ssn_plausible

_I = re.IGNORECASE

US_SSN = PatternFormat(
    key="us_ssn",
    type_="Social Security Number",
    patterns=(
        (re.compile(r"\b([0-9]{5})-([0-9]{4})\b", _I), 0.05),
        (re.compile(r"\b([0-9]{3})-([0-9]{6})\b", _I), 0.05),
        (re.compile(r"\b(([0-9]{3})-([0-9]{2})-([0-9]{4}))\b", _I), 0.05),
        (re.compile(r"\b[0-9]{9}\b", _I), 0.05),
        (re.compile(r"\b([0-9]{3})[- .]([0-9]{2})[- .]([0-9]{4})\b", _I), 0.5),
    ),
    reject=lambda value: not us_ssn_plausible(value),
    context=("ssn", "ssns", "social security", "社会安全号"),
)

# ITIN: 9, two digits, then a group 50-65, 70-88, 90-92 or 94-99, then four digits.
_ITIN_GROUP = r"(5\d|6[0-5]|7\d|8[0-8]|9([0-2]|[4-9]))"
US_ITIN = PatternFormat(
    key="us_itin",
    type_="ID Number",
    patterns=(
        (re.compile(r"\b9\d{2}[- ]" + _ITIN_GROUP + r"\d{4}\b|\b9\d{2}" + _ITIN_GROUP + r"[- ]\d{4}\b", _I), 0.05),
        (re.compile(r"\b9\d{2}" + _ITIN_GROUP + r"\d{4}\b", _I), 0.3),
        (re.compile(r"\b9\d{2}[- ]" + _ITIN_GROUP + r"[- ]\d{4}\b", _I), 0.5),
    ),
    context=("itin", "taxpayer", "tax id"),
    min_score=0.6,
)

UK_NINO = PatternFormat(
    key="uk_nino",
    type_="ID Number",
    patterns=(
        (
            re.compile(
                r"\b(?!bg|gb|nk|kn|nt|tn|zz|BG|GB|NK|KN|NT|TN|ZZ)"
                r"([a-ceghj-pr-tw-zA-CEGHJ-PR-TW-Z]{1}[a-ceghj-npr-tw-zA-CEGHJ-NPR-TW-Z]{1})"
                r" ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([a-dA-D]{1})\b",
                _I,
            ),
            0.5,
        ),
    ),
    context=("national insurance", "nino", "ni number"),
    min_score=0.6,
)


class NationalIdRecognizer(FormatRecognizer):
    """US SSNs ("Social Security Number"), US ITINs and UK NINOs ("ID Number"). An ITIN comes
    before an SSN of the same score: the SSA never issues numbers starting with 9."""

    name = "national_id"
    formats = (US_ITIN, US_SSN, UK_NINO)
