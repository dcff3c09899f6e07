"""Recognizers: plug-ins that find private spans, behind one interface."""

from __future__ import annotations

from memveil.edge.recognizers.base import Recognizer
from memveil.edge.recognizers.credentials import (
    ApiKeyRecognizer,
    ConnectionStringRecognizer,
    ContextSecretRecognizer,
    PasswordRecognizer,
    PrivateKeyRecognizer,
    VerificationCodeRecognizer,
)
from memveil.edge.recognizers.patterns import (
    BankAccountRecognizer,
    BankCardRecognizer,
    ChinesePhoneRecognizer,
    ChineseResidentIdRecognizer,
    DriverLicenseRecognizer,
    EmailRecognizer,
    IpAddressRecognizer,
    LicensePlateRecognizer,
    PassportRecognizer,
    UrlRecognizer,
)
from memveil.edge.recognizers.people import ThirdPartyNameRecognizer, UserNameRecognizer
from memveil.edge.recognizers.presidio import PresidioRecognizer


def default_recognizers() -> list[Recognizer]:
    """The deterministic set: Presidio's validated patterns plus memveil's own."""
    return [
        PresidioRecognizer(),
        ChinesePhoneRecognizer(),
        ChineseResidentIdRecognizer(),
        BankCardRecognizer(),
        BankAccountRecognizer(),
        PassportRecognizer(),
        DriverLicenseRecognizer(),
        LicensePlateRecognizer(),
        EmailRecognizer(),
        IpAddressRecognizer(),
        UrlRecognizer(),
        ApiKeyRecognizer(),
        ContextSecretRecognizer(),
        ConnectionStringRecognizer(),
        PrivateKeyRecognizer(),
        PasswordRecognizer(),
        VerificationCodeRecognizer(),
        ThirdPartyNameRecognizer(),
    ]


__all__ = [
    "ApiKeyRecognizer",
    "BankAccountRecognizer",
    "BankCardRecognizer",
    "ChinesePhoneRecognizer",
    "ChineseResidentIdRecognizer",
    "ConnectionStringRecognizer",
    "ContextSecretRecognizer",
    "DriverLicenseRecognizer",
    "EmailRecognizer",
    "IpAddressRecognizer",
    "LicensePlateRecognizer",
    "PassportRecognizer",
    "PasswordRecognizer",
    "PresidioRecognizer",
    "PrivateKeyRecognizer",
    "Recognizer",
    "ThirdPartyNameRecognizer",
    "UrlRecognizer",
    "UserNameRecognizer",
    "VerificationCodeRecognizer",
    "default_recognizers",
]
