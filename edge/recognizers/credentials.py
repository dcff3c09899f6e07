"""PL4 recognizers: API keys, tokens, connection strings, private keys, and the passwords,
codes, PINs and CVVs people type after a context word.

Keys and tokens are found by their issuers' fixed prefixes (near-zero false positives) and,
after a context word such as "api key" or "令牌", by randomness (entropy, mixed classes).
Passwords and codes need their lead-in word; the span is the value alone.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import (
    GAP,
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    Rule,
    RuleRecognizer,
    longest_per_region,
    make_span,
    trim,
)
from memveil.edge.recognizers.validators import looks_random, shannon_entropy
from memveil.edge.span import Span

_B = r"(?<![A-Za-z0-9_\-])"  # token characters include _ and -
_E = r"(?![A-Za-z0-9_\-])"


def _keyish(value: str) -> bool:
    """Prefixed keys still need a random body: a digit and some entropy."""
    return any(ch.isdigit() for ch in value) and shannon_entropy(value) >= 3.0


_KEY_PREFIXES = (
    r"sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{20,}",  # OpenAI, Anthropic
    r"(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}",  # Stripe
    r"gh[pousr]_[A-Za-z0-9]{30,}",  # GitHub
    r"github_pat_[A-Za-z0-9_]{30,}",
    r"glpat-[A-Za-z0-9_\-]{20,}",  # GitLab
    r"xox[abposr]-[A-Za-z0-9\-]{10,}",  # Slack
    r"xapp-\d-[A-Za-z0-9\-]{10,}",
    r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}",  # AWS
    r"AIza[0-9A-Za-z_\-]{35}",  # Google
    r"hf_[A-Za-z0-9]{30,}",  # Hugging Face
    r"npm_[A-Za-z0-9]{36}",
    r"pypi-[A-Za-z0-9_\-]{50,}",
    r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}",  # SendGrid
    r"dop_v1_[a-f0-9]{64}",  # DigitalOcean
    r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",  # Shopify
    r"sq0(?:atp|csp)-[0-9A-Za-z_\-]{22,}",  # Square
    r"key-[0-9a-f]{32}",  # Mailgun
    r"SK[0-9a-f]{32}",  # Twilio
)

_JWT = r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"


class ApiKeyRecognizer(RuleRecognizer):
    """Keys and tokens with a recognisable issuer format: prefixed API keys ("Key"), JWTs,
    bearer/basic credentials, OAuth and bot tokens ("Token")."""

    name = "api_key"
    rules = (
        Rule(re.compile(_B + "(?:" + "|".join(_KEY_PREFIXES) + ")" + _E), "Key", 0.99, check=_keyish),
        Rule(re.compile(_B + _JWT + _E), "Token", 0.99),
        Rule(re.compile(_B + r"ya29\.[A-Za-z0-9_\-]{20,}" + _E), "Token", 0.95),  # Google OAuth
        Rule(re.compile(r"(?<!\d)\d{8,10}:AA[A-Za-z0-9_\-]{33}" + _E), "Token", 0.95),  # Telegram bot
        Rule(
            re.compile(r"(?i:(?<![A-Za-z])bearer)\s+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)" + _E),
            "Token",
            0.95,
            check=lambda v: looks_random(v, 16),
        ),
        Rule(
            re.compile(r"(?i:authorization:\s*basic)\s+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"),
            "Token",
            0.95,
        ),
    )


_SECRET_CONTEXT = re.compile(
    r"(?i:(?<![A-Za-z])(?P<kw>"
    r"(?:api|access|secret|private|client|app|auth|signing|encryption|master|service)[_ \-]?"
    r"(?:key|secret|token)s?|api[_\-]?key|apikey|secret|token|key|passkey"
    r"|session[_ \-]?(?:id|token|key|cookie)|sessionid|cookie|refresh[_ \-]?token|csrf[_ \-]?token"
    r")(?![A-Za-z])|(?P<zh>密钥|秘钥|私钥|令牌|会话))"
    + GAP + r"{0,25}?" + _B + r"(?P<value>[A-Za-z0-9_\-+/=.~]{16,})"
)


class ContextSecretRecognizer:
    """Random-looking strings (entropy, mixed classes, >= 20 chars) right after a key or token
    word: `API_KEY=...`, "the secret is ...", "会话令牌：...". Token words give "Token",
    the rest "Key"."""

    name = "context_secret"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _SECRET_CONTEXT.finditer(text):
            start, end = trim(text, *match.span("value"))
            if not looks_random(text[start:end]):
                continue
            word = (match.group("kw") or match.group("zh") or "").lower()
            is_token = any(w in word for w in ("token", "session", "cookie", "令牌", "会话"))
            spans.append(make_span(text, start, end, "Token" if is_token else "Key", 0.8, self.name))
        return spans

    def __repr__(self) -> str:
        return "ContextSecretRecognizer()"


_DB_SCHEMES = (
    r"postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|mssql|sqlserver|amqps?|clickhouse"
    r"|cockroachdb|cassandra|couchdb|neo4j(?:\+s)?|bolt|oracle|snowflake|memcached|elasticsearch"
)
_ADO_KEY = (
    r"(?:server|data source|host|address|addr|network address|database|initial catalog|user id|uid"
    r"|user|username|password|pwd|port|trusted_connection|integrated security|encrypt"
    r"|trustservercertificate|provider|driver|sslmode|ssl mode|connection timeout|timeout"
    r"|multipleactiveresultsets|persist security info|application name|accountname|accountkey"
    r"|defaultendpointsprotocol|endpointsuffix)"
)
_ADO_PAIR = r"\s*" + _ADO_KEY + r"\s*=\s*(?:\{[^}\n]*\}|[^;\n]*)"
_ADO_RE = re.compile(r"(?i)(?<![A-Za-z])" + _ADO_PAIR.removeprefix(r"\s*") + r"(?:;" + _ADO_PAIR + r"){2,};?")
_ADO_HOST = re.compile(r"(?i)(?:^|;)\s*(?:server|data source|host|address|addr|network address|accountname)\s*=")
_ADO_SECRET = re.compile(r"(?i)(?:^|;)\s*(?:password|pwd|user id|uid|user|username|database|initial catalog|accountkey)\s*=")


class ConnectionStringRecognizer:
    """Database URLs (postgres://, mongodb+srv://, jdbc:...) and ADO/ODBC key=value strings
    with a host and a credential or database. The whole string is one span."""

    name = "connection_string"
    _url = re.compile(
        r"(?<![A-Za-z0-9+.\-])(?:(?i:" + _DB_SCHEMES + r")(?:\+[a-z0-9]+)?://|(?i:jdbc):[a-z0-9]+:)"
        r"[^\s<>\"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{3,}"
    )

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in self._url.finditer(text):
            start, end = trim(text, *match.span())
            spans.append(make_span(text, start, end, "Database Connection String", 0.99, self.name))
        for match in _ADO_RE.finditer(text):
            value = match.group()
            if not (_ADO_HOST.search(value) and _ADO_SECRET.search(value)):
                continue
            start, end = match.span()
            while end > start and text[end - 1].isspace():
                end -= 1
            spans.append(make_span(text, start, end, "Database Connection String", 0.95, self.name))
        return spans

    def __repr__(self) -> str:
        return "ConnectionStringRecognizer()"


_PEM_LABEL = r"(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?"


# Seed phrases are 12-24 words of 3-8 lowercase letters (BIP-39); prose that long without
# a short word or a function word is rare, so the words alone with their lead-in suffice.
_SEED_PHRASE_RE = re.compile(
    r"(?:(?i:(?<![A-Za-z])(?:seed|recovery|mnemonic|backup|secret(?: recovery)?|wallet)[ \-](?:phrase|words)"
    r"|mnemonic(?![A-Za-z]))|助记词|助記詞)"
    r"[^\n.。!?！？]{0,30}?(?<![A-Za-z])(?P<value>[a-z]{3,8}(?:[ ,]{1,2}[a-z]{3,8}){11,23})(?![A-Za-z])"
)
_PROSE_WORDS = frozenset(
    """the and that this with from have has had was were for but not you your our their they them
    what when where which who will would should could can are its into onto about because been being
    than then there these those just very also some any all one two get got keep kept wrote write
    store stored safe paper phone note notes photo here down""".split()
)


_WORD = re.compile(r"[a-z]+")


def _seed_phrase_end(text: str, start: int, end: int) -> int | None:
    """End of the longest run of 12, 15, 18, 21 or 24 words from `start` before a prose word."""
    ends: list[int] = []
    for word in _WORD.finditer(text, start, end):
        if word.group() in _PROSE_WORDS:
            break
        ends.append(word.end())
    for count in (24, 21, 18, 15, 12):
        if len(ends) >= count:
            return ends[count - 1]
    return None


class PrivateKeyRecognizer(RuleRecognizer):
    """PEM/OpenSSH/PGP private key blocks, whole (or up to where a pasted block was cut), and
    wallet seed phrases after their lead-in ("seed phrase: orbit canyon velvet ...")."""

    name = "private_key"
    rules = (
        Rule(
            re.compile(r"-----BEGIN " + _PEM_LABEL + r"-----[\s\S]{0,16000}?-----END " + _PEM_LABEL + r"-----"),
            "Private Key",
            1.0,
        ),
        Rule(
            re.compile(r"-----BEGIN " + _PEM_LABEL + r"-----(?:[ \t]*\r?\n?[ \t]*[A-Za-z0-9+/=:,\-]+)*"),
            "Private Key",
            0.95,
        ),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = super().analyze(text)
        for match in _SEED_PHRASE_RE.finditer(text):
            start = match.start("value")
            end = _seed_phrase_end(text, start, match.end("value"))
            if end is not None:
                spans.append(make_span(text, start, end, "Private Key", 0.9, self.name))
        return spans


# ---- values after a context word: passwords, verification codes, PINs, CVVs -------------

# "设成", "設的是", Cantonese "係"; right after a Chinese keyword the value may follow
# with no space at all ("取款密码147258"), which `_password_ok` then holds to six digits.
_CONNECTOR = (
    r"[\"']?(?P<conn>(?:\s*(?:[:：=]|(?:is|was|are|(?:set|changed|reset) to)(?![A-Za-z])|是|为|為|係"
    r"|改(?:成|為|为)了?|[设設](?:置|定)?(?:成|为|為|的是))\s*)+|\s+|(?<=[码碼令]))"
)
_QUOTE_OPEN = r"(?P<q>[\"'“‘「`])?"
# A password is ASCII without spaces or quotes; CJK after it ends it ("密码是abc123，谢谢").
_PASSWORD_VALUE = r"(?P<value>[!#-&(-~]{3,64})"

_PASSWORD_RE = re.compile(
    r"(?:(?i:(?<![A-Za-z])(?:(?:pass(?:word|wd|phrase|code)|pwd|pass ?phrase)s?(?![A-Za-z])|pw(?=\s*(?:[:=]|is\s))))"
    r"(?:\s+(?:for|of|to|on)\s+(?:(?:my|the|our|your|his|her)\s+)?[A-Za-z0-9_.@\-]+(?:\s+(?:account|login|app))?)?"
    r"|(?:支付|登录|登陆|登入|开机|解锁|银行卡|取款|交易|邮箱|账户|账号|帐号|賬戶|帳號|wifi|WiFi|WIFI|无线|無線)?密[码碼]|口令)"
    + _CONNECTOR + _QUOTE_OPEN + _PASSWORD_VALUE
)

# Words that follow "password" in ordinary sentences, never a password themselves.
_PASSWORD_STOP = frozenset(
    """reset resets manager managers policy policies field fields box protected protection required
    requirement requirements incorrect correct wrong invalid valid expired expires expiry strength
    strong weak secure insecure change changed changes recovery recover hint hints length long short
    same different the a an my your his her our their it this that and or but for to of is was
    not too very please here there again now below above hash hashed hashes login form page prompt
    entry input update updated forgot forgotten leak leaked breach none null empty blank unknown
    something anything nothing mine yours ok okay yes no sure what which when how why where who""".split()
)


def _mixed(value: str) -> bool:
    """Has a digit and a letter, or a symbol among alphanumerics: how passwords look."""
    has_digit = any(ch.isdigit() for ch in value)
    has_alpha = any(ch.isalpha() for ch in value)
    has_symbol = any(not ch.isalnum() for ch in value)
    return (has_digit and has_alpha) or (has_symbol and (has_digit or has_alpha))


def _password_ok(value: str, conn: str, quoted: bool) -> bool:
    if not any(ch.isalnum() for ch in value) or value.lower() in _PASSWORD_STOP or value[0] in ":=":
        return False
    if value.startswith("<") and value.endswith(">"):
        return False  # a placeholder or template such as <password>
    if value.isdigit():
        return len(value) >= 4 if conn.strip() else len(value) >= 6
    if quoted or any(mark in conn for mark in (":", "：", "=", "是", "为", "為", "係", "成")):
        return True
    # After "is" or a bare space, a plain word is usually prose ("password is incorrect"),
    # and after a bare space a short token too ("password 2FA").
    return _mixed(value) and (bool(conn.strip()) or len(value) >= 6)


# A password named in passing: "changed my password from Rory2019! to ...", "wrote it down as
# Rhino2024", "my old password was Summer22", "changed the password?? it was Celtics2024!".
# Only password-shaped values (`_mixed`).
_PASSWORD_PASSING_RE = re.compile(
    r"(?i:(?<![A-Za-z])(?:pass(?:word|wd|code)|pwd)s?(?![A-Za-z]))[^.\n]{0,30}?"
    r"(?i:(?<![A-Za-z])(?:from|to|as|was|is now|into))\s+" + _QUOTE_OPEN + _PASSWORD_VALUE
)

# A password typed into a login without the word "password": "i typed Greenleaf#2019 like 5
# times". Only a word, a symbol and digits together, the shape people give passwords.
_PASSWORD_TYPED_RE = re.compile(
    r"(?i:(?<![A-Za-z])(?:typed|typing|entered|entering|tried|trying|put in)(?:\s+in)?)\s+" + _QUOTE_OPEN
    + r"(?P<value>[A-Za-z][A-Za-z0-9]{2,30}[!#$%&*^~?][A-Za-z0-9!#$%&*^~?]{0,30}\d[A-Za-z0-9!#$%&*^~?]{0,30}"
    r"|[A-Za-z][A-Za-z0-9]{2,30}\d+[!#$%&*^~?]+)"
)

# The same in Chinese, where a few words often stand between the keyword and the value:
# "支付密码设成我生日580415", "密码我知道是 580916", "支付密码，我的是 860317". Only six-digit
# PINs or password-shaped values; not after words that name some other number or that say
# what a password should not be ("密码不能是123456").
_ZH_PASSWORD_PASSING_RE = re.compile(
    r"(?:支付|取款|交易|银行卡|登录|开机|解锁)?密[码碼]"
    r"(?P<gap>[\u4e00-\u9fff]{1,8}?|[\u4e00-\u9fff]{0,8}[，,][\u4e00-\u9fff]{0,4}[是为為係])\s*"
    r"(?<![0-9A-Za-z])(?P<value>\d{6}(?![0-9A-Za-z])|[!#-&(-~]{6,32})"
)
_ZH_NOT_A_PASSWORD = re.compile(
    r"尾号|尾號|手机|手機|电话|電話|号码|號碼|卡号|卡號|账号|帳號|账户|位|长度|至少|有效|分钟|秒|次|例如|比如|示例"
    r"|错误|錯誤|不能|不要|不可|别|別|不是|像|类似|這種|这种"
)


def _letters_and_digits(value: str) -> bool:
    return any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)


_BANGS_BEFORE_CJK = re.compile(r"(!+)\s*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _trim_value(text: str, start: int, end: int) -> tuple[int, int]:
    """Trailing punctuation ends the sentence, except ASCII "!" with Chinese after it: a
    Chinese writer ends a sentence with "！", so "密码 Qiqi0214!! 这样安全吗" keeps its "!!"."""
    start, trimmed = trim(text, start, end)
    bangs = _BANGS_BEFORE_CJK.match(text, trimmed)
    if trimmed > start and bangs and bangs.end(1) <= end:
        return start, bangs.end(1)
    return start, trimmed


class PasswordRecognizer:
    """Passwords after "password/pwd/passcode/密码/支付密码...": "password is X", "pwd: X",
    "密码是abc123". Plain words after "is" ("password is incorrect") are not taken."""

    name = "password"

    def analyze(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _PASSWORD_RE.finditer(text):
            start, end = _trim_value(text, *match.span("value"))
            value = text[start:end]
            if start >= end or not _password_ok(value, match.group("conn"), bool(match.group("q"))):
                continue
            spans.append(make_span(text, start, end, "Password", 0.9, self.name))
        for match in _PASSWORD_PASSING_RE.finditer(text):
            start, end = match.span("value")
            if not re.match(r"\s+[a-z]", text[end : end + 3]):
                start, end = trim(text, start, end)  # "!" ends the sentence unless it goes on in lowercase
            value = text[start:end]
            if start < end and value.lower() not in _PASSWORD_STOP and _mixed(value) and any(c.isdigit() for c in value):
                spans.append(make_span(text, start, end, "Password", 0.9, self.name))
        for match in _PASSWORD_TYPED_RE.finditer(text):
            start, end = _trim_value(text, *match.span("value"))
            if any(ch.isdigit() for ch in text[start:end]):
                spans.append(make_span(text, start, end, "Password", 0.9, self.name))
        for match in _ZH_PASSWORD_PASSING_RE.finditer(text):
            start, end = _trim_value(text, *match.span("value"))
            value = text[start:end]
            if _ZH_NOT_A_PASSWORD.search(match.group("gap")) or "@" in value or "://" in value:
                continue
            if value.isdigit() or _letters_and_digits(value):
                spans.append(make_span(text, start, end, "Password", 0.9, self.name))
        return longest_per_region(spans)

    def __repr__(self) -> str:
        return "PasswordRecognizer()"


_CODE_CONNECTOR = r"\s*(?:(?:(?:is|was|are|of)(?![A-Za-z])|[:：=]|是|为|為|係)\s*)*[\"'“‘「]?"
_ZH_CODE_WORD = (
    r"(?:[验驗][证證][码碼]|校[验驗][码碼]|[动動][态態](?:密)?[码碼]|[确確][认認][码碼]|[授][权權][码碼]|短信码|[认認][证證][码碼]"
    r"|PIN码|pin码|识别码)"
)
# Words between a Chinese code word and a later number that make it some other number.
_ZH_CODE_GAP = r"(?:(?!尾[号號]|手[机機]|[号號][码碼]|有效|分[钟鐘]|秒|位)[\u4e00-\u9fff，,\s])"


_BACKUP_CODE = r"(?<![0-9A-Za-z\-])[A-Za-z0-9]{3,6}(?:-[A-Za-z0-9]{3,6}){1,3}(?![0-9A-Za-z\-])"
_BACKUP_CODES_RE = re.compile(
    r"(?:(?i:(?<![A-Za-z])(?:recovery|backup|back-up)\s+codes?(?![A-Za-z]))|备用码|恢复码|備用碼|恢復碼)"
    r"[^\n.。!?！？]{0,30}?(?P<first>" + _BACKUP_CODE + r")"
)
_NEXT_BACKUP_CODE = re.compile(r"\s*(?:,|;|/|、|，|&|and|和)?\s*(?:and\s+)?(?P<value>" + _BACKUP_CODE + r")")


class VerificationCodeRecognizer(RuleRecognizer):
    """One-time codes, PINs and card security codes after their context word (EN and ZH),
    and backup/recovery codes, each its own span ("recovery codes are 7f3k9-q2m8x and ...")."""

    name = "verification_code"
    rules = (
        Rule(
            re.compile(
                r"(?:(?i:(?<![A-Za-z])(?:(?:verification|verify|confirmation|authentication|auth|login|sign[- ]?in"
                r"|access|security|sms|2fa|mfa|one[- ]time|otp)[ \-]?(?:code|pin)|one[- ]time[ \-]"
                r"(?:password|passcode)|otp|totp|pin(?:[ \-]?(?:code|number))?)s?(?![A-Za-z]))"
                r"|" + _ZH_CODE_WORD + ")"
                + _CODE_CONNECTOR + NOT_AFTER_ALNUM + r"(?P<value>[A-Za-z0-9]{4,8}|\d{3}[ \-]\d{3})" + NOT_BEFORE_ALNUM
            ),
            "Verification Code",
            0.92,
            check=lambda v: any(ch.isdigit() for ch in v),
        ),
        # A code that arrived a few words later: "验证码一直收不到，刚才收到一个982417的".
        Rule(
            re.compile(
                _ZH_CODE_WORD + _ZH_CODE_GAP + r"{0,14}?"
                r"(?:收到(?:了|的|嘅)?(?:是|係)?|收到(?:一|1)?[个個]|[发發]来(?:了|的)?(?:是)?|是|为|為|係)\s*"
                + NOT_AFTER_ALNUM + r"(?P<value>\d{4,8}|\d{3} \d{3})" + NOT_BEFORE_ALNUM
            ),
            "Verification Code",
            0.9,
        ),
        Rule(
            re.compile(
                r"(?:(?i:(?<![A-Za-z])(?:cvv2?|cvc2?|cvn|csc|card (?:security|verification) (?:code|value))"
                r"(?![A-Za-z]))|安全码|卡背(?:面)?(?:后)?三位(?:数|码)?|背面(?:的)?(?:三位(?:数|码)?|三码)?)"
                + _CODE_CONNECTOR + NOT_AFTER_ALNUM + r"(?P<value>\d{3,4})" + NOT_BEFORE_ALNUM
            ),
            "Payment Security Code",
            0.95,
        ),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = super().analyze(text)
        for match in _BACKUP_CODES_RE.finditer(text):
            start, end = match.span("first")
            while _letters_and_digits(text[start:end]):
                spans.append(make_span(text, start, end, "Verification Code", 0.9, self.name))
                following = _NEXT_BACKUP_CODE.match(text, end)
                if following is None:
                    break
                start, end = following.span("value")
        return longest_per_region(spans)
