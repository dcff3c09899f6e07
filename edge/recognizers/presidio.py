"""Presidio's validated pattern recognizers behind memveil's Recognizer interface.

Presidio contributes what it does well and offline: international phone numbers
(python-phonenumbers), Luhn-checked cards, IBANs, SSNs, crypto wallets, MAC addresses and
context-bound US/UK document numbers. It runs with the `NoOpNlpEngine`, so no spaCy model
is ever loaded or downloaded; because that engine yields no tokens, Presidio's own
context-word boost cannot work, and this adapter applies the boost itself from the text
just before each match. Generic formats (nine digits as a passport or licence, 8-17 digits
as a bank account) stay below the score threshold unless such a context word is there.
Presidio's URL recognizer is left out: it takes "os.pa" or "file.md" for URLs and keeps
trailing punctuation; memveil's UrlRecognizer replaces it. Dates and UUIDs are not private.
"""

from __future__ import annotations

import re
import sys
import threading
from types import SimpleNamespace
from typing import TYPE_CHECKING

from memveil.edge.recognizers.common import make_span
from memveil.edge.recognizers.patterns import follows_version_word, ip_type, ipv6_plausible
from memveil.edge.recognizers.validators import iban_ok, ip_kind, public_suffix
from memveil.edge.span import Span

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

#: Presidio entity -> taxonomy type. IP_ADDRESS is typed per address (internal or public).
ENTITY_TYPES: dict[str, str] = {
    "EMAIL_ADDRESS": "Email",
    "PHONE_NUMBER": "Phone Number",
    "CREDIT_CARD": "Bank/Payment Card Number",
    "IBAN_CODE": "Financial Account",
    "CRYPTO": "Financial Account",
    "US_BANK_NUMBER": "Financial Account",
    "IP_ADDRESS": "Network Identifier",
    "MAC_ADDRESS": "Network Identifier",
    "US_SSN": "Social Security Number",
    "US_ITIN": "ID Number",
    "UK_NINO": "ID Number",
    "US_PASSPORT": "Passport Number",
    "UK_PASSPORT": "Passport Number",
    "US_DRIVER_LICENSE": "Driver's License Number",
}

# Context words per entity, looked for just before the match (English and Chinese).
_CONTEXT_WORDS: dict[str, tuple[str, ...]] = {
    "PHONE_NUMBER": ("phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "text me",
                     "whatsapp", "电话", "手机", "号码"),
    "CREDIT_CARD": ("card", "credit", "debit", "visa", "mastercard", "amex", "卡号", "信用卡", "银行卡"),
    "IBAN_CODE": ("iban", "bank", "transfer", "账户"),
    "CRYPTO": ("wallet", "btc", "bitcoin", "crypto", "钱包", "比特币"),
    "US_BANK_NUMBER": ("bank account", "account number", "acct", "checking", "savings", "routing"),
    "US_SSN": ("ssn", "ssns", "social security", "社会安全号"),
    "US_ITIN": ("itin", "taxpayer", "tax id"),
    "UK_NINO": ("national insurance", "nino", "ni number"),
    "US_PASSPORT": ("passport", "护照"),
    "UK_PASSPORT": ("passport", "护照"),
    "US_DRIVER_LICENSE": ("driver", "driver's", "drivers", "driving", "licence", "license", "dl",
                          "驾照", "驾驶证"),
    "MAC_ADDRESS": ("mac", "mac address", "hardware address", "ethernet", "wifi", "网卡"),
}
_CONTEXT_WINDOW = 40  # characters before the match, roughly Presidio's five-token prefix
_CONTEXT_BOOST = 0.35  # Presidio's context_similarity_factor
_CONTEXT_FLOOR = 0.4  # Presidio's min_score_with_context_similarity

#: Minimum score after the context boost. Entities whose patterns are generic (9 digits,
#: two letters and digits) sit below it unless a context word raised them.
_MIN_SCORE_DEFAULT = 0.4
_MIN_SCORE: dict[str, float] = {"UK_NINO": 0.6, "US_ITIN": 0.6}

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

_ENGINE_LOCK = threading.Lock()
_ENGINE: AnalyzerEngine | None = None


def _context_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = [
        re.escape(w) if not w.isascii() else r"(?<![a-z])" + re.escape(w) + r"(?![a-z])" for w in words
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


_CONTEXT = {entity: _context_pattern(words) for entity, words in _CONTEXT_WORDS.items()}


def _import_presidio() -> SimpleNamespace:
    """Import presidio_analyzer without its optional torch/transformers NLP back-ends.

    Presidio's package import pulls in transformers (and with it torch) when they are
    installed, only for NLP engines memveil never uses; that is ~4 s and hundreds of MB on a
    machine that has them. While importing, they are hidden (unless something already
    imported them), then restored so later imports of torch work normally.
    """
    hidden = [name for name in ("torch", "transformers") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import presidio_analyzer
        from presidio_analyzer import context_aware_enhancers, nlp_engine, predefined_recognizers
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return SimpleNamespace(
        analyzer=presidio_analyzer,
        enhancers=context_aware_enhancers,
        nlp=nlp_engine,
        recognizers=predefined_recognizers,
    )


def _build_engine() -> AnalyzerEngine:
    presidio = _import_presidio()
    pr = presidio.recognizers

    class OfflineEmailRecognizer(pr.EmailRecognizer):  # type: ignore[misc, name-defined]
        """Presidio validates e-mails with tldextract's default instance, which downloads the
        public suffix list on first use; this checks the bundled snapshot instead."""

        def validate_result(self, pattern_text: str) -> bool:
            return public_suffix(pattern_text.rsplit("@", 1)[-1]) != ""

    class QuietIbanRecognizer(pr.IbanRecognizer):  # type: ignore[misc, name-defined]
        """Presidio's IBAN validator logs the candidate value on a parse error; this one is
        memveil's mod-97 check, which never logs."""

        def validate_result(self, pattern_text: str) -> bool:
            return iban_ok(pattern_text)

    class NoContextEnhancer(presidio.enhancers.ContextAwareEnhancer):  # type: ignore[misc, name-defined]
        """The lemma enhancer has no lemmas to read under NoOpNlpEngine; context is applied
        by PresidioRecognizer instead."""

        def __init__(self) -> None:
            super().__init__(0.0, 0.0, 0, 0)

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # type: ignore[no-untyped-def]
            return raw_results

    registry = presidio.analyzer.RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        OfflineEmailRecognizer(),
        pr.PhoneRecognizer(),
        pr.CreditCardRecognizer(),
        QuietIbanRecognizer(),
        pr.IpRecognizer(),
        pr.CryptoRecognizer(),
        pr.MacAddressRecognizer(),
        pr.UsSsnRecognizer(),
        pr.UsItinRecognizer(),
        pr.UsPassportRecognizer(),
        pr.UsLicenseRecognizer(),
        pr.UsBankRecognizer(),
        pr.UkNinoRecognizer(),
        pr.UkPassportRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    engine = presidio.analyzer.AnalyzerEngine(
        registry=registry,
        nlp_engine=presidio.nlp.NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}]),
        supported_languages=["en"],
        context_aware_enhancer=NoContextEnhancer(),
    )
    # Compile every pattern and load lazy state now, so concurrent analyze calls only read.
    engine.analyze("warm-up: a@example.com +1 212 555 0100 10.0.0.1", language="en")
    return engine


def shared_engine() -> AnalyzerEngine:
    """The process-wide AnalyzerEngine, built on first use (about a second) and then reused."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = _build_engine()
    return _ENGINE


class PresidioRecognizer:
    """Presidio pattern recognizers mapped to taxonomy types, with local context boosting.

    Thread-safe: the shared engine is warmed at construction, after which Presidio's
    recognizers hold no per-call state.
    """

    name = "presidio"

    def __init__(self) -> None:
        self._engine = shared_engine()

    def analyze(self, text: str) -> list[Span]:
        results = self._engine.analyze(text, language="en", score_threshold=0.0)
        spans: list[Span] = []
        for result in results:
            entity = result.entity_type
            type_ = ENTITY_TYPES.get(entity)
            start, end = result.start, result.end
            if type_ is None or start >= end:
                continue
            value = text[start:end]
            if _CJK.search(value):
                continue  # Presidio's \w-based patterns swallow adjacent CJK; ours handle those
            if entity == "IP_ADDRESS":
                kind = ip_kind(value)
                if kind is None or follows_version_word(text, start):
                    continue
                if ":" in value and not ipv6_plausible(value):
                    continue
                type_ = ip_type(kind)
            score = float(result.score)
            context = _CONTEXT.get(entity)
            if context is not None and context.search(text, max(0, start - _CONTEXT_WINDOW), start):
                score = max(min(score + _CONTEXT_BOOST, 1.0), _CONTEXT_FLOOR)
            if score < _MIN_SCORE.get(entity, _MIN_SCORE_DEFAULT):
                continue
            spans.append(make_span(text, start, end, type_, round(score, 4), self.name))
        return spans

    def __repr__(self) -> str:
        return "PresidioRecognizer()"
