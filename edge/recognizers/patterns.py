"""Pattern recognizers for contact details and identifiers: Chinese phones, resident IDs and
plates, label-bound passport/licence numbers and bank accounts,
e-mails (internationalised, or next to CJK), IPs and URLs classified internal or public.

Each class is stateless (compiled patterns only) and so safe to share between threads.
Boundaries are written as ASCII look-arounds, not `\\b`, because CJK characters count as
word characters and "卡号6222..." has no `\\b` before the digits.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from memveil.edge.recognizers.common import (
    GAP,
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    NUMBER_WORD,
    Rule,
    RuleRecognizer,
    longest_per_region,
    make_span,
    trim,
)
from memveil.edge.recognizers.validators import (
    cn_resident_id_ok,
    digits_only,
    ip_kind,
    public_suffix,
)
from memveil.edge.span import Span

_AREA = r"(?:10|2\d|[3-9]\d{2})"  # mainland area codes: 010, 02x, then four-digit 0xxx


class ChinesePhoneRecognizer(RuleRecognizer):
    """Mainland mobiles (1[3-9]x, optional +86/0086, spaces or dashes) and landlines."""

    name = "cn_phone"
    rules = (
        Rule(
            re.compile(
                NOT_AFTER_ALNUM + r"(?<!\+)(?:(?:\+|00) ?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"
                + NOT_BEFORE_ALNUM
            ),
            "Phone Number",
            0.85,
        ),
        Rule(
            re.compile(
                NOT_AFTER_ALNUM
                + r"(?:\(0" + _AREA + r"\) ?|0" + _AREA + r"[ -]|(?:\+|00) ?86[ -]?" + _AREA + r"[ -])"
                r"[2-8]\d{6,7}" + NOT_BEFORE_ALNUM
            ),
            "Phone Number",
            0.8,
        ),
    )


class ChineseResidentIdRecognizer(RuleRecognizer):
    """18-character mainland resident ID, validated by region, birth date and MOD 11-2."""

    name = "cn_resident_id"
    rules = (
        Rule(
            re.compile(
                NOT_AFTER_ALNUM
                + r"[1-8]\d{5} ?(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx]"
                + NOT_BEFORE_ALNUM
            ),
            "ID Number",
            1.0,
            check=cn_resident_id_ok,
        ),
        # After its label, the same format with a wrong check digit or birth date: a mistyped
        # ID number identifies its owner as well as a correct one.
        Rule(
            re.compile(
                r"(?:身份证号码|身份证号|身份证|证件号码|证件号)\s*(?:[:：]|是|为)?\s*"
                + NOT_AFTER_ALNUM + r"(?P<value>[1-8]\d{5} ?(?:19|20)\d{2}\d{2}\d{2} ?\d{3}[\dXx])" + NOT_BEFORE_ALNUM
            ),
            "ID Number",
            0.9,
        ),
    )

    def analyze(self, text: str) -> list[Span]:
        return longest_per_region(super().analyze(text))  # the validated match, where both rules match


class BankAccountRecognizer(RuleRecognizer):
    """Bank account numbers that only a bank word identifies (no checksum to rely on)."""

    name = "bank_account"
    rules = (
        Rule(
            re.compile(
                r"(?:(?i:bank account(?: number| no\.?)?)|银行账号|银行账户|银行帐号|银行帐户|银行卡号)"
                + GAP + r"{0,12}?" + NOT_AFTER_ALNUM
                + r"(?P<value>\d{4}(?:[ -]?\d{2,4}){1,4}|\d{8,20})" + NOT_BEFORE_ALNUM
            ),
            "Financial Account",
            0.8,
            check=lambda v: 8 <= len(digits_only(v)) <= 20,
        ),
        # The last four digits of a card or account, which a bank or a scammer asks for:
        # "工行卡尾号是4417", "card ending in 0385", "my Visa ending 8812".
        Rule(
            re.compile(
                r"(?:尾号|(?i:(?:card|account|visa|mastercard|amex|debit|credit)\s+ending(?:\s+(?:in|with))?|last (?:4|four) digits(?: are| is)?))"
                r"\s*(?:是|为|[:：])?\s*" + NOT_AFTER_ALNUM + r"(?P<value>\d{4})" + NOT_BEFORE_ALNUM
            ),
            "Financial Account",
            0.5,
        ),
        # A card's expiry read out with its number: "有效期限 09/27", "exp 09/27". Month first,
        # as cards print it; a passport's expiry carries its year in full.
        Rule(
            re.compile(
                r"(?:有效期(?:限|至|到)?|(?i:(?<![A-Za-z])(?:exp|expiry|expires|valid thru)(?![A-Za-z])))"
                r"\s*(?:是|为|[:：])?\s*" + NOT_AFTER_ALNUM + r"(?P<value>(?:0[1-9]|1[0-2])\s?/\s?\d{2})" + NOT_BEFORE_ALNUM
            ),
            "Financial Account",
            0.5,
        ),
    )


def _id_like(value: str) -> bool:
    """Document numbers carry several digits and are not dates or plain years."""
    if sum(ch.isdigit() for ch in value) < 5:
        return False
    return not re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", value)


class PassportRecognizer(RuleRecognizer):
    """Passport numbers introduced by 'passport' / '护照' (formats alone are too generic)."""

    name = "passport"
    rules = (
        Rule(
            re.compile(
                r"(?:(?i:(?<![A-Za-z])passport(?![A-Za-z]))|护照)" + NUMBER_WORD + GAP + r"{0,25}?" + NOT_AFTER_ALNUM
                + r"(?P<value>[A-Z]{1,2}\d{6,9}|\d{9})" + NOT_BEFORE_ALNUM
            ),
            "Passport Number",
            0.9,
        ),
    )


class DriverLicenseRecognizer(RuleRecognizer):
    """Driver's licence numbers introduced by a licence word in English or Chinese."""

    name = "driver_license"
    rules = (
        Rule(
            re.compile(
                r"(?:(?i:(?<![A-Za-z])(?:driver'?s?|driving)[ -]*licen[cs]e)|(?<![A-Za-z])DLN?#?(?![a-z])"
                r"|驾驶证|驾照|驾驶执照)"
                + NUMBER_WORD + GAP + r"{0,25}?" + NOT_AFTER_ALNUM
                + r"(?P<value>[A-Z0-9](?:[A-Z0-9-]{3,18})[A-Z0-9])" + NOT_BEFORE_ALNUM
            ),
            "Driver's License Number",
            0.85,
            check=_id_like,
        ),
    )


_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTERS = "A-HJ-NP-Z"  # plates skip I and O
_PLATE_SUFFIXES = "挂学警领港澳试超"  # trailer, learner, police, consular, cross-border, test plates


def _cn_plate_ok(value: str) -> bool:
    body = re.sub(r"[·•・ ]", "", value).rstrip(_PLATE_SUFFIXES)[2:]
    if len(body) == 6:  # new-energy: D/F then 5, or 5 then D/F
        return (body[0] in "DF" and body[2:].isdigit()) or (body[:5].isdigit() and body[5] in "DF")
    return sum(ch.isdigit() for ch in body) >= 3


def _plate_ok(value: str) -> bool:
    alnum = [ch for ch in value if ch.isalnum()]
    return 5 <= len(alnum) <= 8 and any(c.isdigit() for c in alnum) and any(c.isalpha() for c in alnum)


class LicensePlateRecognizer(RuleRecognizer):
    """Chinese plates by format alone (province character + letter + 5-6); others by context."""

    name = "license_plate"
    rules = (
        Rule(
            re.compile(
                f"[{_PROVINCES}][{_PLATE_LETTERS}][·•・ ]?[{_PLATE_LETTERS}0-9]{{5,6}}[{_PLATE_SUFFIXES}]?" + NOT_BEFORE_ALNUM
            ),
            "License Plate",
            0.9,
            check=_cn_plate_ok,
        ),
        Rule(
            re.compile(
                r"(?:(?i:(?<![A-Za-z])(?:licen[cs]e plate|number plate|registration plate|plate|(?:car|vehicle) reg(?:istration)?|reg(?:istration)? (?:no|number))"
                r"(?![A-Za-z]))|车牌号码|车牌号|车牌)"
                + NUMBER_WORD + GAP + r"{0,15}?" + NOT_AFTER_ALNUM + f"(?<![{_PROVINCES}])"
                + r"(?P<value>[A-Z0-9]{2,8}(?:[ -][A-Z0-9]{2,4}){0,2})" + NOT_BEFORE_ALNUM
            ),
            "License Plate",
            0.85,
            check=_plate_ok,
        ),
    )


def _email_ok(value: str) -> bool:
    return public_suffix(value.rsplit("@", 1)[1]) != ""


# A letter or digit of any script but those written without spaces (Chinese, Japanese, full
# width): such text runs straight into an address ("邮箱是zhangwei@example.com谢谢") and ends it.
_ALNUM = r"(?:(?![\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef])[^\W_])"
# The local part may hold RFC 5322's specials ("o'brien", "a+tag", "first_last") but starts with a
# letter, digit or "_" that no other one precedes (".jane@" is "jane@").
_LOCAL = r"(?:" + _ALNUM + r"|[!#$%&'*+/=?^_`{|}~.-])"
_LABEL = _ALNUM + r"(?:(?:" + _ALNUM + r"|-){0,61}" + _ALNUM + r")?"


class EmailRecognizer(RuleRecognizer):
    """E-mail addresses with a real public suffix: internationalised ones ("josé@example.com",
    "user@bücher.de") and ones glued to Chinese text included."""

    name = "email"
    rules = (
        Rule(
            re.compile(
                r"(?<!" + _ALNUM + r"|_)(?:" + _ALNUM + r"|_)" + _LOCAL + r"{0,63}@"
                + _LABEL + r"(?:\." + _LABEL + r")+" + r"(?!" + _ALNUM + r"|-)"
            ),
            "Email",
            0.95,
            check=_email_ok,
        ),
    )

    def analyze(self, text: str) -> list[Span]:
        return super().analyze(text) if "@" in text else []


_IPV4 = r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(r"(?<![0-9A-Za-z.])" + _IPV4 + r"(?![0-9A-Za-z]|\.\d)")
_IPV6_RE = re.compile(
    r"(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z]+)?(?![0-9A-Za-z:])"
)
_VERSION_BEFORE = re.compile(r"(?<![A-Za-z])(?i:version|ver\.?|release|build|v)\s*$|版本号?\s*$")


def ip_type(kind: str) -> str:
    """Taxonomy type of an address: internal ones expose infrastructure (PL4)."""
    return "Internal IP" if kind == "internal" else "Network Identifier"


def follows_version_word(text: str, start: int) -> bool:
    """Whether a dotted number at `start` is introduced as a version ("version 1.2.3.4")."""
    return _VERSION_BEFORE.search(text, max(0, start - 12), start) is not None


def ipv6_plausible(value: str) -> bool:
    """Full eight-group form, or compressed with a real group: "fe80::1", "::1", not "a::b"."""
    groups = [g for g in value.split("%", 1)[0].split(":") if g]
    if value.count(":") == 7 and "::" not in value:
        return True
    return "::" in value and (value.startswith("::1") or any(len(g) >= 3 for g in groups))


class IpAddressRecognizer:
    """IPv4 and IPv6 addresses: private/loopback/link-local -> "Internal IP" (PL4), else
    "Network Identifier" (PL2). Dotted version numbers after "version" are skipped."""

    name = "ip_address"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _IPV4_RE.finditer(text):
            start, end = match.span()
            if follows_version_word(text, start):
                continue
            kind = ip_kind(match.group())
            if kind:
                spans.append(make_span(text, start, end, ip_type(kind), 0.8, self.name))
        for match in _IPV6_RE.finditer(text):
            value = match.group()
            if not ipv6_plausible(value):
                continue
            kind = ip_kind(value)
            if kind:
                spans.append(make_span(text, *match.span(), ip_type(kind), 0.85, self.name))
        return spans

    def __repr__(self) -> str:
        return "IpAddressRecognizer()"


_URL_RE = re.compile(
    r"(?<![A-Za-z0-9@.])(?:(?i:https?|ftps?|wss?)://|(?i:www)\.)"
    r"[^\s<>\"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
)
_INTERNAL_SUFFIXES = (".local", ".internal", ".lan", ".corp", ".intranet", ".home.arpa", ".localdomain")
_ADMIN_SEGMENTS = frozenset(
    {"admin", "administrator", "wp-admin", "wp-login.php", "phpmyadmin", "cpanel", "actuator",
     ".env", ".git", "jmx-console", "web-console", "manager", "adminer.php", "admin.php"}
)


def url_type(url: str) -> str:
    """"Vulnerability Details" for internal hosts, admin paths or embedded credentials;
    "Network Identifier" otherwise."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower()
        has_password = parts.password is not None
    except ValueError:
        return "Network Identifier"
    if has_password or host == "localhost" or host.endswith(_INTERNAL_SUFFIXES):
        return "Vulnerability Details"
    if ip_kind(host) == "internal":
        return "Vulnerability Details"
    segments = {seg.lower() for seg in parts.path.split("/") if seg}
    if segments & _ADMIN_SEGMENTS:
        return "Vulnerability Details"
    return "Network Identifier"


class UrlRecognizer:
    """Links with a scheme or www.; internal/admin ones are PL4, the rest PL2.

    The URL stops at whitespace, quotes and CJK text, and loses trailing sentence punctuation.
    """

    name = "url"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _URL_RE.finditer(text):
            start, end = trim(text, *match.span())
            if end - start < 8 or "." not in text[start:end] and "localhost" not in text[start:end]:
                continue
            type_ = url_type(text[start:end])
            score = 0.9 if type_ == "Vulnerability Details" else 0.6
            spans.append(make_span(text, start, end, type_, score, self.name))
        return spans

    def __repr__(self) -> str:
        return "UrlRecognizer()"
