"""The privacy taxonomy as data: four levels and the type tags that carry them.

Both sides read it: the edge to decide what to replace, the cloud to know which
placeholders it may hold and how sensitive they are. The vocabulary is the
MemPrivacy benchmark's (docs/taxonomy.md); type strings are open, so an
unknown type is accepted and, when its level is unknown, rounded up to PL3.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from memveil.shared.placeholder import type_to_tag


class Level(str, enum.Enum):
    """Privacy level. PL1 is not private; PL2-PL4 are replaced before text leaves the device."""

    PL1 = "PL1"
    PL2 = "PL2"
    PL3 = "PL3"
    PL4 = "PL4"

    @property
    def rank(self) -> int:
        return int(self.value[2])

    def __lt__(self, other: object) -> bool:  # levels sort by severity, not by name
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


#: The default policy: every private level is replaced.
DEFAULT_PROTECTED_LEVELS: frozenset[Level] = frozenset({Level.PL2, Level.PL3, Level.PL4})


def parse_levels(levels: object) -> frozenset[Level]:
    """Accept {"PL2", "PL3"}, [Level.PL4], "PL3+" (PL3 and above) and return Levels."""
    if isinstance(levels, str):
        text = levels.strip().upper()
        if text.endswith("+"):
            floor = Level(text[:-1])
            return frozenset(lv for lv in Level if lv >= floor and lv != Level.PL1)
        return frozenset({Level(text)})
    try:
        return frozenset(Level(str(getattr(lv, "value", lv)).upper()) for lv in levels)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"levels must be PL2/PL3/PL4 names, got {levels!r}") from exc


@dataclass(frozen=True)
class TypeTag:
    """A standard type: its canonical name, default level and the names the benchmark also uses."""

    name: str
    level: Level
    aliases: tuple[str, ...] = ()
    #: Descriptive facts (a diagnosis, a trip) are scored by token overlap rather than exact text.
    descriptive: bool = False
    examples: tuple[str, ...] = field(default=(), compare=False)


_P2, _P3, _P4 = Level.PL2, Level.PL3, Level.PL4

STANDARD_TYPES: tuple[TypeTag, ...] = (
    # PL2: identifiable
    TypeTag("Real Name", _P2, ("User Name", "Full Name")),
    TypeTag("Phone Number", _P2, ("Mobile Number", "Telephone Number", "Landline")),
    TypeTag("Email", _P2, ("Email Address", "E-mail")),
    TypeTag("Detailed Address", _P2, ("Home Address", "Address", "Zip Code", "Postal Code")),
    TypeTag("Account ID/Username", _P2, ("Username", "Account ID", "User ID", "Project/Task ID")),
    TypeTag("Network Identifier", _P2, ("IP Address", "Device ID", "User Agent", "Homepage", "URL", "MAC Address")),
    TypeTag(
        "Identity Background",
        _P2,
        (
            "Specific Date of Birth", "Date of Birth", "Age", "Gender", "Employer/Company Name",
            "Job Title/Rank", "School", "Education", "Class",
        ),
    ),
    TypeTag("Relationship Info", _P2, ("Relationship", "Family Info"), descriptive=True),
    TypeTag(
        "Third-Party Identifiable Info",
        _P2,
        ("Third Party Info", "Third-Party Name", "Contact Name"),
    ),
    TypeTag("Company/Organization Info", _P2, ("Organization Info",), descriptive=True),
    # PL3: highly sensitive
    TypeTag(
        "ID Number",
        _P3,
        (
            "National ID", "Resident ID", "Passport Number", "Social Security Number", "SSN",
            "Driver's License Number", "License Plate", "Licence Plate",
        ),
    ),
    TypeTag(
        "Financial Account",
        _P3,
        ("Bank/Payment Card Number", "Bank Account", "Card Number", "IBAN", "Credit Card Number"),
    ),
    TypeTag("Transaction Record", _P3, ("Transaction",), descriptive=True),
    TypeTag(
        "Assets/Income",
        _P3,
        ("Assets/Net Worth", "Income", "Salary", "Debt/Loan Info", "Credit Score"),
        descriptive=True,
    ),
    TypeTag("Medical Health", _P3, ("Health Info", "Medical Info", "Diagnosis"), descriptive=True),
    TypeTag("Precise Location", _P3, ("Location", "GPS Coordinates")),
    TypeTag("Itinerary/Trajectory", _P3, ("Itinerary", "Trajectory", "Travel Plan"), descriptive=True),
    TypeTag("Biometrics", _P3, ("Biometric Data", "Fingerprint")),
    TypeTag("Communication Content", _P3, ("Private Message",), descriptive=True),
    TypeTag(
        "Sensitive Identity",
        _P3,
        ("Religious Beliefs", "Political Views/Stance", "Ethnicity", "Sexual Orientation"),
        descriptive=True,
    ),
    TypeTag("Judicial Record", _P3, ("Criminal Record", "Court Record"), descriptive=True),
    TypeTag("Minor Information", _P3, ("Minor Info", "Minors' Information"), descriptive=True),
    # PL4: credentials and secrets
    TypeTag("Password", _P4, ("Passphrase",)),
    TypeTag("Verification Code", _P4, ("PIN", "OTP", "MFA Code", "SMS Code")),
    TypeTag("Token", _P4, ("Session Token", "OAuth Token", "Cookie", "Access Token", "JWT")),
    TypeTag("Key", _P4, ("API Key", "Access Key", "Secret Key")),
    TypeTag("Private Key", _P4, ("Seed Phrase", "Mnemonic")),
    TypeTag("Payment Security Code", _P4, ("CVV", "CVC")),
    TypeTag("Database Connection String", _P4, ("Connection String", "DSN")),
    TypeTag("Vulnerability Details", _P4, ("Internal IP", "Internal Host", "Admin URL", "System/Attack")),
    TypeTag("Business Secret", _P4, ("Trade Secret", "Confidential Business Info"), descriptive=True),
)


def _key(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


_BY_NAME: dict[str, TypeTag] = {}
for _tag in STANDARD_TYPES:
    _BY_NAME[_key(_tag.name)] = _tag
for _tag in STANDARD_TYPES:
    for _alias in _tag.aliases:
        _BY_NAME.setdefault(_key(_alias), _tag)


def lookup_type(name: str) -> TypeTag | None:
    """The standard tag a type name or alias belongs to, or None for an open, unknown name."""
    return _BY_NAME.get(_key(name))


def _tag_key(name: str) -> str:
    """A type name as its placeholder tag would spell it, case-folded."""
    return type_to_tag(name).casefold()


_BY_TAG: dict[str, TypeTag] = {}
for _tag in STANDARD_TYPES:
    for _name in (_tag.name, *_tag.aliases):
        _BY_TAG.setdefault(_tag_key(_name), _tag)


def tag_level(tag: str) -> Level:
    """The level of a placeholder's tag (`Verification_Code` -> PL4, `System_Attack` -> PL4):
    the cloud sees tags, not type names. Unknown tags round up to PL3, as `default_level`."""
    found = _BY_TAG.get(tag.casefold())
    return found.level if found else Level.PL3


def default_level(type_name: str) -> Level:
    """The level a type carries when context says nothing more; unknown types round up to PL3."""
    tag = lookup_type(type_name)
    return tag.level if tag else Level.PL3


def is_descriptive(type_name: str) -> bool:
    tag = lookup_type(type_name)
    return bool(tag and tag.descriptive)
