"""The context-scored format recognizers: phones, national ids, financial numbers, MAC
addresses and document numbers, and the scoring they share (`recognizers.formats`).

Values are fabricated or published examples (the 555-01xx range, Ofcom's drama numbers, the
IBAN registry's examples, the Bitcoin genesis address, BIP 173's Bech32 example).
"""

from __future__ import annotations

import re
import threading

import pytest

from memveil.edge.recognizers import (
    BankCardRecognizer,
    DocumentNumberRecognizer,
    FinancialNumberRecognizer,
    MacAddressRecognizer,
    NationalIdRecognizer,
    PhoneNumberRecognizer,
    Recognizer,
    default_recognizers,
)
from memveil.edge.recognizers.formats import Format, FormatRecognizer, PatternFormat, drop_contained
from memveil.shared.taxonomy import Level


@pytest.fixture(scope="module")
def phone() -> PhoneNumberRecognizer:
    return PhoneNumberRecognizer()


def found(recognizer: Recognizer, text: str) -> list[tuple[str, str, float]]:
    spans = recognizer.analyze(text)
    for s in spans:
        assert text[s.start : s.end] == s.text
        assert s.source == recognizer.name
    return sorted((s.type, s.text, s.score) for s in spans)


def values(recognizer: Recognizer, text: str) -> list[str]:
    return sorted(value for _, value, _ in found(recognizer, text))


# ---- shared scoring ------------------------------------------------------------------------


def test_drop_contained_keeps_the_stronger_container() -> None:
    # Same format: (0, 11) holds (0, 9) at a lower score, so only the container stays;
    # (20, 29) is stronger than its container (18, 31) and stays too.
    got = drop_contained([(0, 9, 0.05), (0, 11, 0.5), (0, 11, 0.5), (18, 31, 0.3), (20, 29, 0.6), (40, 45, 0.0)])
    assert got == [(0, 11, 0.5), (18, 31, 0.3), (20, 29, 0.6)]


def test_context_boost_floor_and_minimum() -> None:
    fmt = PatternFormat(
        key="ticket", type_="ID Number", patterns=((re.compile(r"\bT\d{6}\b"), 0.1),), context=("ticket",), min_score=0.4
    )

    class Tickets(FormatRecognizer):
        name = "tickets"
        formats = (fmt,)

    rec = Tickets()
    assert found(rec, "T123456") == []  # 0.1 is below the minimum
    assert found(rec, "ticket: T123456") == [("ID Number", "T123456", 0.45)]  # 0.1 + 0.35
    assert found(rec, "the ticket was lost, and after a very long story: T123456") == []  # word too far back
    assert found(rec, "tickets T123456") == []  # a word, not a prefix of one
    with pytest.raises(NotImplementedError):
        Format(key="x", type_="ID Number").candidates("x")


def test_recognizers_are_plugins_with_distinct_names() -> None:
    recognizers = default_recognizers()
    assert all(isinstance(r, Recognizer) for r in recognizers)
    names = [r.name for r in recognizers]
    assert len(names) == len(set(names))
    assert {"phone", "national_id", "financial", "mac_address", "document_number"} <= set(names)
    assert not any("presidio" in name for name in names)


# ---- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("call me on (212) 555-0182", "(212) 555-0182"),
        ("my mobile is +44 20 7946 0958", "+44 20 7946 0958"),
        ("tel +49 30 901820", "+49 30 901820"),
        ("phone: +33 1 42 68 53 00", "+33 1 42 68 53 00"),
        ("whatsapp +61 412 345 678", "+61 412 345 678"),  # outside the default regions, but "+61"
        ("手机 +81 3-1234-5678", "+81 3-1234-5678"),
    ],
)
def test_phone_numbers_of_many_countries(phone: PhoneNumberRecognizer, text: str, value: str) -> None:
    assert found(phone, text) == [("Phone Number", value, 0.75)]


def test_phone_word_raises_the_score(phone: PhoneNumberRecognizer) -> None:
    assert found(phone, "+44 20 7946 0958") == [("Phone Number", "+44 20 7946 0958", 0.4)]
    assert found(phone, "Reach me at 020 7946 0958") == [("Phone Number", "020 7946 0958", 0.4)]
    assert found(phone, "text me at 020 7946 0958") == [("Phone Number", "020 7946 0958", 0.75)]


@pytest.mark.parametrize(
    "text",
    [
        "version 1.2.3 released on 2024-01-15",
        "meet on 15/01/2024 at 10:30",
        "ISBN 978-3-16-148410-0",
        "call 555-0100",  # seven digits, no area code
        "+1 555 555 5555",  # not a valid North American number
        "pi is 3.14159265358979",
        "1,234,567.89 dollars",
    ],
)
def test_phone_negatives(phone: PhoneNumberRecognizer, text: str) -> None:
    assert found(phone, text) == []


def test_phone_is_thread_safe(phone: PhoneNumberRecognizer) -> None:
    text = "call +44 20 7946 0958 or (212) 555-0182"
    expected = found(phone, text)
    results: list[list[tuple[str, str, float]]] = []

    def work() -> None:
        for _ in range(20):
            results.append(found(phone, text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 80 and all(r == expected for r in results)


# ---- national ids --------------------------------------------------------------------------


def test_ssn() -> None:
    rec = NationalIdRecognizer()
    assert found(rec, "SSN 536-22-1234") == [("Social Security Number", "536-22-1234", 0.85)]
    assert found(rec, "ref 536-22-1234") == [("Social Security Number", "536-22-1234", 0.5)]  # dashed: weak alone
    assert found(rec, "my social security number is 536221234") == [("Social Security Number", "536221234", 0.4)]
    assert found(rec, "order 536221234") == []  # nine bare digits need the word
    assert rec.analyze("SSN 536-22-1234")[0].level == Level.PL3


@pytest.mark.parametrize(
    "text",
    [
        "SSN 666-22-1234",  # area 666 is never issued
        "SSN 000-22-1234",
        "SSN 536-00-1234",
        "SSN 536-22-0000",
        "SSN 123-45-6789",  # the sample number
        "SSN 111-11-1111",
        "SSN 536-22.1234",  # mixed separators
        "released 2024-01-15, version 10.20.3000",
    ],
)
def test_ssn_negatives(text: str) -> None:
    assert found(NationalIdRecognizer(), text) == []


def test_itin_and_nino_need_their_word() -> None:
    rec = NationalIdRecognizer()
    itin = found(rec, "ITIN 912-70-1234")
    assert itin[0] == ("ID Number", "912-70-1234", 0.85)
    # Without the word only the SSN shape remains; with it the ITIN ranks first on a tie.
    assert found(rec, "912-70-1234") == [("Social Security Number", "912-70-1234", 0.5)]
    tied = rec.analyze("SSN or ITIN: 912 70 1234")
    assert [(s.type, s.score) for s in tied] == [("ID Number", 0.85), ("Social Security Number", 0.85)]
    assert found(rec, "taxpayer id 912701234") == [("ID Number", "912701234", 0.65)]
    assert found(rec, "912701234") == []
    assert found(rec, "national insurance number AB 12 34 56 C") == [("ID Number", "AB 12 34 56 C", 0.85)]
    assert found(rec, "AB123456C") == []
    assert found(rec, "NINO GB123456A") == []  # GB is not an issued prefix


# ---- financial numbers ---------------------------------------------------------------------


def test_cards_need_luhn() -> None:
    rec = BankCardRecognizer()
    for value in ("4111 1111 1111 1111", "4111-1111-1111-1111", "5500005555555559", "378282246310005"):
        assert found(rec, f"paid with {value}") == [("Bank/Payment Card Number", value, 1.0)], value
        assert found(rec, f"卡号{value}") == [("Bank/Payment Card Number", value, 1.0)], value  # inside CJK text
    for value in ("4111 1111 1111 1112", "5500005555555550", "378282246310006"):
        assert found(rec, f"paid with {value}") == [], value
    assert FinancialNumberRecognizer().analyze("paid with 4111 1111 1111 1111") == []  # one card recognizer


def test_iban() -> None:
    rec = FinancialNumberRecognizer()
    assert found(rec, "IBAN GB82 WEST 1234 5698 7654 32") == [("Financial Account", "GB82 WEST 1234 5698 7654 32", 1.0)]
    # A following number is not part of it: the match is retried shorter until it validates.
    assert values(rec, "pay DE89370400440532013000 2 days from now") == ["DE89370400440532013000"]
    assert values(rec, "pay DE89 3704 0044 0532 0130 00 12 times") == ["DE89 3704 0044 0532 0130 00"]
    assert found(rec, "GB82 WEST 1234 5698 7654 33") == []  # mod 97 fails
    assert found(rec, "gb82west12345698765432") == []  # IBANs are written in capitals


def test_bank_account_and_bitcoin() -> None:
    rec = FinancialNumberRecognizer()
    assert found(rec, "bank account 12345678") == [("Financial Account", "12345678", 0.4)]
    assert found(rec, "12345678") == [] and found(rec, "invoice 12345678") == []
    assert found(rec, "btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") == [
        ("Financial Account", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 1.0)
    ]
    assert values(rec, "send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]
    assert found(rec, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") == []  # checksum off by one character
    assert found(rec, "v4.1.11 build 2024.01.15 on 2024-01-15") == []


# ---- MAC addresses -------------------------------------------------------------------------


def test_mac_addresses() -> None:
    rec = MacAddressRecognizer()
    assert found(rec, "MAC 00:1A:2B:3C:4D:5E") == [("Network Identifier", "00:1A:2B:3C:4D:5E", 0.95)]
    assert found(rec, "00-1a-2b-3c-4d-5e") == [("Network Identifier", "00-1a-2b-3c-4d-5e", 0.6)]
    assert found(rec, "router 001a.2b3c.4d5e") == [("Network Identifier", "001a.2b3c.4d5e", 0.6)]
    for text in ("FF:FF:FF:FF:FF:FF", "00:00:00:00:00:00", "00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "at 10:30:00", "v1.2.3"):
        assert found(rec, text) == [], text


# ---- document numbers ----------------------------------------------------------------------


def test_document_numbers_need_a_document_word() -> None:
    rec = DocumentNumberRecognizer()
    assert found(rec, "passport 123456789") == [("Passport Number", "123456789", 0.4)]
    assert found(rec, "passport number A12345678") == [("Passport Number", "A12345678", 0.45)]
    assert found(rec, "UK passport: AB1234567") == [("Passport Number", "AB1234567", 0.45)]
    assert found(rec, "driver license D1234567") == [("Driver's License Number", "D1234567", 0.65)]
    assert found(rec, "DL 12345678") == [("Driver's License Number", "12345678", 0.4)]
    for text in ("ticket 123456789 and A12345678", "D1234567", "passport expires 2030", "driver's test on 2024-01-15"):
        assert found(rec, text) == [], text


def test_spans_next_to_cjk_are_left_to_the_cjk_aware_recognizers() -> None:
    for rec, text in (
        (DocumentNumberRecognizer(), "护照号码E12345678"),
        (NationalIdRecognizer(), "社会安全号536-22-1234号"),
    ):
        assert found(rec, text) == [], text
