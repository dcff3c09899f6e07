"""Recognizers: plug-ins that find private spans, behind one interface."""

from __future__ import annotations

from memveil.edge.recognizers.accounts import AccountIdRecognizer
from memveil.edge.recognizers.address import AddressFieldRecognizer, ChineseStreetAddressRecognizer
from memveil.edge.recognizers.background import BackgroundRecognizer
from memveil.edge.recognizers.base import Recognizer
from memveil.edge.recognizers.booking import BookingReferenceRecognizer
from memveil.edge.recognizers.business import BusinessSecretRecognizer
from memveil.edge.recognizers.credentials import (
    ApiKeyRecognizer,
    ConnectionStringRecognizer,
    ContextSecretRecognizer,
    PasswordRecognizer,
    PrivateKeyRecognizer,
    VerificationCodeRecognizer,
)
from memveil.edge.recognizers.documents import DocumentNumberRecognizer
from memveil.edge.recognizers.english import EnglishFactRecognizer
from memveil.edge.recognizers.financial import BankCardRecognizer, FinancialNumberRecognizer
from memveil.edge.recognizers.health import MeasuredValueRecognizer
from memveil.edge.recognizers.judicial import JudicialRecognizer
from memveil.edge.recognizers.mac_address import MacAddressRecognizer
from memveil.edge.recognizers.medical import MedicalTermRecognizer
from memveil.edge.recognizers.messages import MessageBodyRecognizer
from memveil.edge.recognizers.money import MoneyFactRecognizer
from memveil.edge.recognizers.national_id import NationalIdRecognizer
from memveil.edge.recognizers.patterns import (
    BankAccountRecognizer,
    ChinesePhoneRecognizer,
    ChineseResidentIdRecognizer,
    DriverLicenseRecognizer,
    EmailRecognizer,
    IpAddressRecognizer,
    LicensePlateRecognizer,
    PassportRecognizer,
    UrlRecognizer,
)
from memveil.edge.recognizers.minority_names import MinorityNameRecognizer
from memveil.edge.recognizers.people import (
    ChineseNameRecognizer,
    FirstNameRecognizer,
    ThirdPartyNameRecognizer,
    UserNameRecognizer,
)
from memveil.edge.recognizers.phone import PhoneNumberRecognizer
from memveil.edge.recognizers.relationship import RelationshipStatusRecognizer
from memveil.edge.recognizers.transaction import TransactionRecognizer
from memveil.edge.recognizers.trips import TripRecognizer


def default_recognizers() -> list[Recognizer]:
    """The deterministic set. Order decides only ties (one span typed two ways at the same
    score and level), which the earlier recognizer wins: nine digits after both an SSN word
    and a passport or bank word count as an SSN (passports and bank accounts also have the
    label-bound recognizers below), and licence numbers, the weakest format, come last among
    the formats. Then the rules for facts with a written form (names, health, money, trips,
    relationships, background, addresses, accounts, messages, transactions, court matters,
    business secrets); most of those are weak, so the tagger's spans win their overlaps
    (`fusion`)."""
    return [
        PhoneNumberRecognizer(),
        NationalIdRecognizer(),
        FinancialNumberRecognizer(),
        MacAddressRecognizer(),
        DocumentNumberRecognizer(),
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
        FirstNameRecognizer(),
        ChineseNameRecognizer(),
        MinorityNameRecognizer(),
        MeasuredValueRecognizer(),
        MedicalTermRecognizer(),
        MoneyFactRecognizer(),
        BookingReferenceRecognizer(),
        TripRecognizer(),
        RelationshipStatusRecognizer(),
        BackgroundRecognizer(),
        AddressFieldRecognizer(),
        ChineseStreetAddressRecognizer(),
        AccountIdRecognizer(),
        MessageBodyRecognizer(),
        TransactionRecognizer(),
        JudicialRecognizer(),
        BusinessSecretRecognizer(),
        EnglishFactRecognizer(),
    ]


__all__ = [
    "AccountIdRecognizer",
    "AddressFieldRecognizer",
    "ApiKeyRecognizer",
    "BackgroundRecognizer",
    "BankAccountRecognizer",
    "BankCardRecognizer",
    "BookingReferenceRecognizer",
    "BusinessSecretRecognizer",
    "ChineseNameRecognizer",
    "ChinesePhoneRecognizer",
    "ChineseResidentIdRecognizer",
    "ChineseStreetAddressRecognizer",
    "ConnectionStringRecognizer",
    "ContextSecretRecognizer",
    "DocumentNumberRecognizer",
    "DriverLicenseRecognizer",
    "EmailRecognizer",
    "EnglishFactRecognizer",
    "FinancialNumberRecognizer",
    "IpAddressRecognizer",
    "JudicialRecognizer",
    "LicensePlateRecognizer",
    "MacAddressRecognizer",
    "MeasuredValueRecognizer",
    "MedicalTermRecognizer",
    "MinorityNameRecognizer",
    "MessageBodyRecognizer",
    "MoneyFactRecognizer",
    "NationalIdRecognizer",
    "PassportRecognizer",
    "PasswordRecognizer",
    "PhoneNumberRecognizer",
    "PrivateKeyRecognizer",
    "Recognizer",
    "RelationshipStatusRecognizer",
    "FirstNameRecognizer",
    "ThirdPartyNameRecognizer",
    "TransactionRecognizer",
    "TripRecognizer",
    "UrlRecognizer",
    "UserNameRecognizer",
    "VerificationCodeRecognizer",
    "default_recognizers",
]
