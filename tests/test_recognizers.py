"""Each recognizer on its own: positives with exact span boundaries and hard negatives.

All values are fabricated here: card and ID numbers get real checksums computed below, keys
and tokens are random-looking strings typed for the test.
"""

from __future__ import annotations

import re

import pytest

from memveil.edge.recognizers import (
    AccountIdRecognizer,
    AddressFieldRecognizer,
    ApiKeyRecognizer,
    BankAccountRecognizer,
    BackgroundRecognizer,
    BankCardRecognizer,
    BookingReferenceRecognizer,
    BusinessSecretRecognizer,
    ChinesePhoneRecognizer,
    ChineseResidentIdRecognizer,
    ChineseStreetAddressRecognizer,
    ConnectionStringRecognizer,
    ContextSecretRecognizer,
    DriverLicenseRecognizer,
    EmailRecognizer,
    EnglishFactRecognizer,
    JudicialRecognizer,
    IpAddressRecognizer,
    LicensePlateRecognizer,
    PassportRecognizer,
    PasswordRecognizer,
    RelationshipStatusRecognizer,
    PrivateKeyRecognizer,
    Recognizer,
    MeasuredValueRecognizer,
    MedicalTermRecognizer,
    MessageBodyRecognizer,
    MinorityNameRecognizer,
    MoneyFactRecognizer,
    ChineseNameRecognizer,
    FirstNameRecognizer,
    ThirdPartyNameRecognizer,
    TransactionRecognizer,
    TripRecognizer,
    UrlRecognizer,
    UserNameRecognizer,
    VerificationCodeRecognizer,
)
from memveil.edge.recognizers.common import Rule, RuleRecognizer
from memveil.edge.recognizers.script import T2S
from memveil.edge.recognizers.validators import (
    bitcoin_address_ok,
    card_number_ok,
    cn_resident_id_ok,
    decimal_digits,
    iban_ok,
    ip_kind,
    looks_random,
    luhn_ok,
    mac_address_ok,
    us_ssn_plausible,
)
from memveil.shared.taxonomy import Level


def luhn_complete(partial: str) -> str:
    """Append the Luhn check digit to `partial`."""
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d
    raise AssertionError("unreachable")


def cn_id(region: str = "110105", birth: str = "19880412", seq: str = "123") -> str:
    """A fabricated resident ID with a correct ISO 7064 MOD 11-2 check character."""
    body = region + birth + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def wrong_check(resident_id: str) -> str:
    return resident_id[:17] + ("1" if resident_id[17] == "0" else "0")


def found(recognizer: Recognizer, text: str) -> list[tuple[str, str]]:
    spans = recognizer.analyze(text)
    for s in spans:
        assert text[s.start : s.end] == s.text
    return [(s.type, s.text) for s in spans]


def texts(recognizer: Recognizer, text: str) -> list[str]:
    return [value for _, value in found(recognizer, text)]


# ---- validators ----------------------------------------------------------------------


def test_validators() -> None:
    assert luhn_ok("4111 1111 1111 1111") and not luhn_ok("4111 1111 1111 1112")
    assert card_number_ok("4111111111111111") and not card_number_ok("0000 0000 0000 0000")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and iban_ok("DE89370400440532013000")
    assert not iban_ok("GB82 WEST 1234 5698 7654 33") and not iban_ok("GB82WEST12345698765432XX")
    assert cn_resident_id_ok(cn_id()) and not cn_resident_id_ok(wrong_check(cn_id()))
    assert ip_kind("10.1.2.3") == "internal" and ip_kind("8.8.8.8") == "public"
    assert ip_kind("0.0.0.0") is None and ip_kind("999.1.1.1") is None
    assert looks_random("aB3dE5fG7hJ9kL1mN3pQ5rS7")
    assert not looks_random("customer_account_settings_page")
    assert not looks_random("12345678901234567890123")


def test_format_validators() -> None:
    assert decimal_digits("٤١١١-1111") == "41111111"  # Arabic-Indic digits count as digits
    assert us_ssn_plausible("536-22-1234") and us_ssn_plausible("536221234")
    for never_issued in ("000-22-1234", "666-22-1234", "536-00-1234", "536-22-0000", "111-11-1111",
                         "123-45-6789", "536-22 1234"):  # the last mixes separators
        assert not us_ssn_plausible(never_issued), never_issued
    assert mac_address_ok("00:1A:2B:3C:4D:5E") and mac_address_ok("001a.2b3c.4d5e")
    assert not mac_address_ok("FF:FF:FF:FF:FF:FF") and not mac_address_ok("00-00-00-00-00-00")
    # Well-known addresses of each kind (genesis block, BIP 13/173/350 examples).
    for address in ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                    "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"):
        assert bitcoin_address_ok(address), address
    assert not bitcoin_address_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")  # one character off
    assert not bitcoin_address_ok("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr")
    assert not bitcoin_address_ok("bc1qAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")  # mixed case
    assert not bitcoin_address_ok("1O0Il1O0Il1O0Il1O0Il1O0Il1O")  # not base58


# ---- Chinese phones, IDs, cards -------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("我的手机号是13812345678。", "13812345678"),
        ("call +86 138 1234 5678 tomorrow", "+86 138 1234 5678"),
        ("电话0086-139-1234-5678", "0086-139-1234-5678"),
        ("座机010-62345678转", "010-62345678"),
        ("office (0755) 23456789.", "(0755) 23456789"),
        ("杭州0571-88889999", "0571-88889999"),
    ],
)
def test_cn_phone_positive(text: str, value: str) -> None:
    assert found(ChinesePhoneRecognizer(), text) == [("Phone Number", value)]


@pytest.mark.parametrize(
    "text",
    ["订单号138123456789012", "编号12812345678", "价格13800元", "ID A13812345678", "2024-12345678", "时间戳1700000000123"],
)
def test_cn_phone_negative(text: str) -> None:
    assert found(ChinesePhoneRecognizer(), text) == []


def test_cn_resident_id() -> None:
    rid = cn_id()
    rid_x = next(cn_id(seq=f"{n:03d}") for n in range(1000) if cn_id(seq=f"{n:03d}").endswith("X"))
    rec = ChineseResidentIdRecognizer()
    assert found(rec, f"身份证号{rid}，请核对") == [("ID Number", rid)]
    assert texts(rec, f"ID: {rid_x}.") == [rid_x]
    assert texts(rec, f"ID: {rid_x.lower()}") == [rid_x.lower()]
    assert texts(rec, f"{rid[:6]} {rid[6:14]} {rid[14:]}") == [f"{rid[:6]} {rid[6:14]} {rid[14:]}"]
    span = rec.analyze(rid)[0]
    assert span.level == Level.PL3


@pytest.mark.parametrize(
    "value",
    [
        wrong_check(cn_id()),
        cn_id(birth="19990230"),  # no 30 February
        cn_id(birth="20990101"),  # born in the future
        cn_id(region="990105"),  # no such province
        cn_id()[:17],  # too short
    ],
)
def test_cn_resident_id_negative(value: str) -> None:
    assert found(ChineseResidentIdRecognizer(), f"编号{value}") == []


@pytest.mark.parametrize("value", [wrong_check(cn_id()), cn_id(birth="19990230")])
def test_cn_resident_id_mistyped_after_its_label(value: str) -> None:
    """A wrong check digit or date does not make a labelled ID number any less the owner's."""
    spans = ChineseResidentIdRecognizer().analyze(f"身份证号：{value}，请核对")
    assert [(s.type, s.text) for s in spans] == [("ID Number", value)]
    assert spans[0].score < 1.0


def test_bank_card_positive() -> None:
    rec = BankCardRecognizer()
    unionpay = luhn_complete("622202123456789012")  # 19 digits
    amex = "3782 822463 10005"
    assert found(rec, "card 4111 1111 1111 1111 exp 12/27") == [("Bank/Payment Card Number", "4111 1111 1111 1111")]
    assert texts(rec, "4111-1111-1111-1111") == ["4111-1111-1111-1111"]
    assert texts(rec, f"我的卡号{unionpay}谢谢") == [unionpay]
    assert texts(rec, f"Amex {amex}.") == [amex]
    # A stray short group after the number does not hide it; a group of three ends a 19-digit
    # UnionPay number or is the security code, and is masked with the card.
    assert texts(rec, "card 4111 1111 1111 1111 12") == ["4111 1111 1111 1111"]
    assert texts(rec, "card 4111 1111 1111 1111 123") == ["4111 1111 1111 1111 123"]
    assert texts(rec, "工资卡 6222 0210 0148 3390 265，每个月") == ["6222 0210 0148 3390 265"]
    # No known network prefix: accepted only next to a card word.
    odd = luhn_complete("912345678901234")
    assert texts(rec, f"ref {odd}") == []
    assert texts(rec, f"银行卡号：{odd}") == [odd]
    assert rec.analyze("visa 4111111111111111")[0].level == Level.PL3


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112",  # Luhn fails
        "4444 4444 4444 4444",  # one digit repeated
        "订单号20240512004212",
        "price 1,299.00, 2024-05-12, tel 13812345678",
        "shipment 1Z999AA10123456784",
    ],
)
def test_bank_card_negative(text: str) -> None:
    assert found(BankCardRecognizer(), text) == []


def test_bank_account_needs_bank_word() -> None:
    rec = BankAccountRecognizer()
    assert found(rec, "我的银行账号是6214830123456789012") == [("Financial Account", "6214830123456789012")]
    assert texts(rec, "bank account number: 0012 3456 7890") == ["0012 3456 7890"]
    assert texts(rec, "我的QQ账号是123456789") == []
    assert texts(rec, "account 12345678") == []


# ---- passports, licences, plates ------------------------------------------------------


def test_passport() -> None:
    rec = PassportRecognizer()
    assert found(rec, "My passport number is E12345678.") == [("Passport Number", "E12345678")]
    assert texts(rec, "护照号码：EA1234567，有效期到2030年") == ["EA1234567"]
    assert texts(rec, "US passport 123456789") == ["123456789"]
    assert texts(rec, "E12345678") == []
    assert texts(rec, "my passport expires on 2030-01-01") == []
    assert texts(rec, "passport photo, then flight CA1234") == []


def test_driver_license() -> None:
    rec = DriverLicenseRecognizer()
    assert found(rec, "driver's license D1234567, thanks") == [("Driver's License Number", "D1234567")]
    assert texts(rec, "Driving licence no. MORGA753116SM9IJ") == ["MORGA753116SM9IJ"]
    assert texts(rec, "驾驶证号：A12345678") == ["A12345678"]
    assert texts(rec, "my driver's license expires 2027-05-01") == []
    assert texts(rec, "I renewed my driving licence in 2023") == []


def test_license_plates() -> None:
    rec = LicensePlateRecognizer()
    assert found(rec, "我的车牌是京A12345。") == [("License Plate", "京A12345")]
    assert texts(rec, "新能源车粤B·D12345停在楼下") == ["粤B·D12345"]
    assert texts(rec, "沪A12345F") == ["沪A12345F"]
    assert texts(rec, "license plate 7ABC123.") == ["7ABC123"]
    assert texts(rec, "plate number: ABC-1234") == ["ABC-1234"]
    assert texts(rec, "insurance quote for car reg KP21 XWD please") == ["KP21 XWD"]
    assert texts(rec, "我的车是冀A·G3871挂，被追尾了") == ["冀A·G3871挂"]
    assert texts(rec, "the car registration is due in May") == []
    assert rec.analyze("京A12345")[0].level == Level.PL3
    assert texts(rec, "云APIKEY") == []
    assert texts(rec, "京ABCDEF") == []
    assert texts(rec, "a plate of pasta for 12 people") == []


# ---- e-mail, IPs, URLs ------------------------------------------------------------------


def test_email() -> None:
    rec = EmailRecognizer()
    assert found(rec, "邮箱是zhangwei@example.com谢谢") == [("Email", "zhangwei@example.com")]
    assert texts(rec, "メールはjane@example.comです") == ["jane@example.com"]
    assert texts(rec, "mail a.b+tag@sub.example.co.uk.") == ["a.b+tag@sub.example.co.uk"]
    assert texts(rec, "icon@2x.png and user@localhost and @handle") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("write to o'brien@example.co.uk", "o'brien@example.co.uk"),
        ("write to 'maya@example.com' today", "maya@example.com"),
        ("josé@example.com", "josé@example.com"),
        ("post to user@bücher.de.", "user@bücher.de"),
        ("_build@ci.example.org", "_build@ci.example.org"),
        ("a stray dot: .jane@example.com", "jane@example.com"),
        ("odd but valid: a!#$%&*/=?^`{|}~b@example.com", "a!#$%&*/=?^`{|}~b@example.com"),
    ],
)
def test_email_internationalised_and_rfc_specials(text: str, value: str) -> None:
    assert texts(EmailRecognizer(), text) == [value]


def test_ip_addresses() -> None:
    rec = IpAddressRecognizer()
    spans = {s.text: s for s in rec.analyze("db at 10.0.0.5, dns 8.8.8.8, link fe80::1 and 2001:4860:4860::8888.")}
    assert spans["10.0.0.5"].type == "Internal IP" and spans["10.0.0.5"].level == Level.PL4
    assert spans["8.8.8.8"].type == "Network Identifier" and spans["8.8.8.8"].level == Level.PL2
    assert spans["fe80::1"].type == "Internal IP"
    assert spans["2001:4860:4860::8888"].type == "Network Identifier"
    assert set(spans) == {"10.0.0.5", "8.8.8.8", "fe80::1", "2001:4860:4860::8888"}


@pytest.mark.parametrize(
    "text", ["version 1.2.3.4", "v1.2.3.4", "999.1.1.1", "1.2.3", "std::vector", "at 12:30:45", "a::b", "0.0.0.0"]
)
def test_ip_negative(text: str) -> None:
    assert found(IpAddressRecognizer(), text) == []


def test_urls() -> None:
    rec = UrlRecognizer()
    assert found(rec, "see https://example.com/page.") == [("Network Identifier", "https://example.com/page")]
    assert texts(rec, "(https://en.wikipedia.org/wiki/Foo_(bar))") == ["https://en.wikipedia.org/wiki/Foo_(bar)"]
    assert texts(rec, "访问https://example.com/a，谢谢") == ["https://example.com/a"]
    assert texts(rec, "go to www.example.org!") == ["www.example.org"]
    internal = rec.analyze("http://10.0.0.5:8080/metrics and https://shop.example.com/wp-admin/ and http://localhost:3000")
    assert [s.type for s in internal] == ["Vulnerability Details"] * 3
    assert all(s.level == Level.PL4 for s in internal)
    assert texts(rec, "use os.path and file.md") == []


# ---- keys, tokens, connection strings, private keys ------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-Ab3dEf5GhIj7KlMn9OpQr1StUv3WxYz5",
        "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "rk_live_51HqLyjWDarjtT1zdp7dcXyZ",
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "glpat-Xy7Zq9Wv3Ts5Rp1Nm2Lk",
        "xoxb-2048-4096-Ab3dEf5GhIj7",
        "AKIAIOSFODNN7EXAMPLE",
        "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
        "hf_Ab3dEf5GhIj7KlMn9OpQr1StUv3WxYz5aBc",
        "npm_Ab3dEf5GhIj7KlMn9OpQr1StUv3WxYz5aBcD",
    ],
)
def test_prefixed_keys(value: str) -> None:
    assert found(ApiKeyRecognizer(), f"my key: {value}, keep it safe") == [("Key", value)]


def test_tokens() -> None:
    rec = ApiKeyRecognizer()
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    assert found(rec, f"cookie={jwt};") == [("Token", jwt)]
    assert found(rec, "Authorization: Bearer 9fK2mQ7xL4pR8sT1vW3yZ6aB") == [("Token", "9fK2mQ7xL4pR8sT1vW3yZ6aB")]
    assert texts(rec, "we use Bearer authentication_for_everyone") == []
    assert texts(rec, "sk-learn and scikit-learn, task-management-system-for-teams, ghp_short") == []


def test_context_secrets() -> None:
    rec = ContextSecretRecognizer()
    value = "8f3kZ9qL2mX7vB4nT6wR1yU5"
    assert found(rec, f"API_KEY={value}") == [("Key", value)]
    assert found(rec, f"the session token is {value}.") == [("Token", value)]
    assert found(rec, f"密钥：{value}") == [("Key", value)]
    assert found(rec, f"访问令牌是{value}") == [("Token", value)]
    assert found(rec, "the key is consistent_practice_every_day") == []
    assert found(rec, "token: 12345678901234567890") == []
    assert found(rec, f"see commit {value}") == []  # no context word
    assert found(rec, "the primary key is user_id_2024_v2_final") == []  # an identifier


def test_connection_strings() -> None:
    rec = ConnectionStringRecognizer()
    cases = [
        "postgresql://app:s3cret@db.example.com:5432/prod",
        "mongodb+srv://user:pa55@cluster0.abcde.mongodb.net/test?retryWrites=true",
        "redis://:hunter2@10.0.0.7:6379/0",
        "jdbc:mysql://db.internal:3306/shop?user=root&password=toor",
        "Server=tcp:myserver.database.windows.net,1433;Database=mydb;User Id=sa;Password=P@ssw0rd;",
    ]
    for value in cases:
        assert found(rec, f"use {value}. ok") == [("Database Connection String", value)]
    assert found(rec, "Server=prod is down; we use postgres daily") == []
    assert rec.analyze(cases[0])[0].level == Level.PL4


def test_private_key() -> None:
    rec = PrivateKeyRecognizer()
    block = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n0aQ7f0c1ZkLr\n-----END RSA PRIVATE KEY-----"
    spans = rec.analyze(f"here:\n{block}\nthanks")
    assert any(s.text == block and s.type == "Private Key" and s.score == 1.0 for s in spans)
    cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmU"
    assert texts(rec, cut + "\n\nwhat is this?") == [cut]
    assert texts(rec, "-----BEGIN PUBLIC KEY-----\nMFwwDQYJ\n-----END PUBLIC KEY-----") == []


# ---- passwords, codes, PINs, CVV -------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("my password is hunter2.", "hunter2"),
        ("password: Tr0ub4dor&3", "Tr0ub4dor&3"),
        ("pwd=S3cr3t#x", "S3cr3t#x"),
        ("the passcode is 482913", "482913"),
        ("password for my gmail account is qwerty123", "qwerty123"),
        ('password "sunshine"', "sunshine"),
        ("Password: sunshine", "sunshine"),
        ("密码是abc123，谢谢", "abc123"),
        ("支付密码：123456", "123456"),
        ("wifi密码是Hello2024!", "Hello2024"),
        ("银行卡密码是 820416", "820416"),
        ('{"password": "S3cret!x"}', "S3cret!x"),
        ("my password is: abc123", "abc123"),
        ("pwd zx81Qk", "zx81Qk"),
        ("新密码设成 Gk2025!haoran 了", "Gk2025!haoran"),
        ("俺微信支付密码设的是 780615 会不会太简单", "780615"),
        ("我的取款密码147258 这个要紧吗", "147258"),
        ("密碼係 hk2024ab", "hk2024ab"),
        ("账号 huang93 密码 Qiqi0214!! 这样存安全吗", "Qiqi0214!!"),
        ("支付密码设成我生日580415好记", "580415"),
        ("密码我知道是 580916，能去ATM取吗", "580916"),
        ("提示要输支付密码，我的是 860317，能告诉客服吗", "860317"),
        ("login is bo_k and pw is Larch#2017. is there", "Larch#2017"),
        ("it says invalid credentials. i typed Maple#2020 like 5 times", "Maple#2020"),
    ],
)
def test_password_positive(text: str, value: str) -> None:
    assert found(PasswordRecognizer(), text) == [("Password", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Please send the password reset link.",
        "I use a password manager.",
        "Your password is incorrect.",
        "The password is too weak",
        "Password: ********",
        "fill in the password field",
        "password <Password_1>",
        "密码错误，请重试",
        "my password is the same as before",
        "changed my password 3 times",
        "password 2FA enabled",
        "password isn't working",
        "密码123",
        "密码要6位数字，比如123456",
        "密码忘了，手机号13812345678",
        "密码错误三次，账户锁定 123456",
        "密码不能是123456这种",
        "密码重置链接发到 abc123@qq.com",
        "the pw is wrong",
        "I typed node-v18 in the terminal",
        "I tried 3 times",
    ],
)
def test_password_negative(text: str) -> None:
    assert found(PasswordRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, type_, value",
    [
        ("Your verification code is 839201.", "Verification Code", "839201"),
        ("验证码是123456", "Verification Code", "123456"),
        ("验证码：654321。", "Verification Code", "654321"),
        ("校验码 1234", "Verification Code", "1234"),
        ("动态码：5678", "Verification Code", "5678"),
        ("my PIN is 4821", "Verification Code", "4821"),
        ("PIN码：9527", "Verification Code", "9527"),
        ("OTP 492011", "Verification Code", "492011"),
        ("one-time code: 7391", "Verification Code", "7391"),
        ("佢 send 咗個 OTP 838 201 俾我", "Verification Code", "838 201"),
        ("終於收到簡訊驗證碼 318 594，輸入後", "Verification Code", "318 594"),
        ("验证码一直收不到，刚才收到一个982417的", "Verification Code", "982417"),
        ("它说验证码已发送，我收到的是482913，输进去", "Verification Code", "482913"),
        ("开了两步验证，给了我一串备用码 7H2K-9QPD-M4XR 要存哪", "Verification Code", "7H2K-9QPD-M4XR"),
        ("CVV 123", "Payment Security Code", "123"),
        ("信用卡安全码是456", "Payment Security Code", "456"),
        ("卡背面三码 274", "Payment Security Code", "274"),
    ],
)
def test_codes_positive(text: str, type_: str, value: str) -> None:
    assert found(VerificationCodeRecognizer(), text) == [(type_, value)]


@pytest.mark.parametrize(
    "text",
    [
        "the code 839201",
        "I scored 839201 points",
        "The PIN is required",
        "verification code sent to 13812345678",
        "CVV is on the back",
        "OTP expires in 10 minutes",
        "验证码发到手机尾号 8812",
        "验证码有效期5分钟，请在 123456",
        "backup codes on a post-it",
        "the recovery code for the wifi-router is model-x",
    ],
)
def test_codes_negative(text: str) -> None:
    assert found(VerificationCodeRecognizer(), text) == []


# ---- names ------------------------------------------------------------------------------


def test_user_name_variants() -> None:
    rec = UserNameRecognizer("Jane Doe")
    assert ("Real Name", "Jane Doe") in found(rec, "Hi, I'm Jane Doe.")
    assert ("Real Name", "jane doe") in found(rec, "signed, jane doe")
    assert ("Real Name", "Doe, Jane") in found(rec, "Name: Doe, Jane")
    assert texts(rec, "Jane here") == ["Jane"]
    assert texts(rec, "janedoe@example.com and Janet") == []
    assert "Jane" not in repr(rec)
    cn = UserNameRecognizer("王小明")
    assert ("Real Name", "王小明") in found(cn, "我叫王小明，")
    assert texts(cn, "小明今天加班") == ["小明"]
    assert texts(UserNameRecognizer("Will Smith"), "I will call you") == []


def test_user_name_from_a_profile_with_titles_and_suffixes() -> None:
    rec = UserNameRecognizer("Lieutenant Colonel Amal N. Haddad (Ret.)")
    # The recognizer reports every variant it matches; the detector keeps the longest.
    assert "Amal N. Haddad" in texts(rec, "Name: Lt. Col. Amal N. Haddad (Ret.)")
    assert {"Amal Haddad", "Amal"} <= set(texts(rec, "Amal Haddad here, and Amal again"))
    assert "Lieutenant Colonel Amal N. Haddad (Ret.)" in texts(rec, "Lieutenant Colonel Amal N. Haddad (Ret.) signed")
    assert {"John Smith", "John"} <= set(texts(UserNameRecognizer("Dr. John Smith Jr."), "John Smith, MD, and John"))
    assert texts(rec, "the colonel retired") == []


def test_user_name_with_middle_names_the_profile_lacks() -> None:
    rec = UserNameRecognizer("Dana Kowalski")
    assert "Dana M. Kowalski" in texts(rec, "Signed: Dana M. Kowalski")
    assert "DANA MARIE KOWALSKI" in texts(rec, "NAME: DANA MARIE KOWALSKI")
    assert "Dana Anne-Marie Kowalski" in texts(rec, "Dana Anne-Marie Kowalski")
    assert texts(rec, "Dana and Kowalski") == ["Dana"]  # two mentions, not one name
    # A bare title stays the name it is.
    assert texts(UserNameRecognizer("Major"), "Major said so") == ["Major"]


def test_user_name_as_people_shorten_it() -> None:
    # A nickname with the family name, one of two family names, the family name's initial.
    assert "Hattie Sowerby" in texts(UserNameRecognizer("Harriet Sowerby"), "all my love, Hattie Sowerby x")
    assert "Seun Adebayo-Cole" in texts(UserNameRecognizer("Oluwaseun Adebayo-Cole"), "Sign it Seun Adebayo-Cole, 0803")
    assert "Sofía Restrepo" in texts(UserNameRecognizer("Sofía Restrepo Arango"), "Best, Sofía Restrepo, student")
    assert "Brendan K" in texts(UserNameRecognizer("Brendan Kowalczyk"), "sign it Brendan K")
    # A form of address is not a given name, and a relative's full name loses to the
    # relationship cue in the detector (the nickname pattern scores below it).
    rec = UserNameRecognizer("Harriet Sowerby")
    assert texts(rec, "Dear Mrs Sowerby, The Sowerby family") == []
    nickname = [s for s in rec.analyze("my husband Tom Sowerby") if s.text == "Tom Sowerby"]
    assert nickname and nickname[0].score < ThirdPartyNameRecognizer().analyze("my husband Tom Sowerby")[0].score


def test_user_name_inside_a_password_or_handle_is_not_the_name() -> None:
    rec = UserNameRecognizer("Jane Doe")
    assert texts(rec, "password Jane2003! or @Jane_x, or jane_doe") == []
    assert texts(UserNameRecognizer("杨雨桐"), "密码是Yutong@2003") == []


@pytest.mark.parametrize(
    "name, text, value",
    [
        ("黄思琪", "姓名：黄思琪 HUANG SIQI 出生日期", "HUANG SIQI"),
        ("黄思琪", "Best regards, Siqi Huang", "Siqi Huang"),
        ("黄思琪", "Name: HUANG, Siqi", "HUANG, Siqi"),
        ("黄思琪", "Applicant: Huang Si-Qi", "Huang Si-Qi"),
        ("黄思琪", "Thanks, Siqi", "Siqi"),
        ("吕晓雯", "Surname/Given name: LYU XIAOWEN", "LYU XIAOWEN"),  # ü as passports write it
        ("曾子豪", "ZENG ZIHAO", "ZENG ZIHAO"),  # a character with two readings
        ("欧阳娜娜", "OUYANG NANA", "OUYANG NANA"),  # a compound surname
    ],
)
def test_chinese_user_name_in_latin_letters(name: str, text: str, value: str) -> None:
    assert value in texts(UserNameRecognizer(name), text)


def test_chinese_user_name_in_latin_letters_negatives() -> None:
    rec = UserNameRecognizer("黄思琪")
    assert texts(rec, "siqi is lower case, Huangsiqi is one word") == []
    assert texts(UserNameRecognizer("李明"), "Ming is one syllable") == []  # given name alone needs two


@pytest.mark.parametrize(
    "text, value",
    [
        ("I talked to my sister Jane yesterday", "Jane"),
        ("my colleague Tom Baker said no", "Tom Baker"),
        ("My ex-wife Anna called", "Anna"),
        ("我的同事张伟说明天开会", "张伟"),
        ("我妈妈李秀英身体很好", "李秀英"),
        ("我的朋友小王也来了", "小王"),
        ("我同事欧阳娜娜", "欧阳娜娜"),
        # A role at work or school names whoever follows it, with or without "my".
        ("这份报告要先给总监郑丽华过目", "郑丽华"),
        ("组里的副手孙涛一直想接手这个项目", "孙涛"),
        # A form field.
        ("报名表：\n姓名：黄雨桐\n年级：初二", "黄雨桐"),
        ("紧急联系人: 周国栋", "周国栋"),
        # Surname and title.
        ("钢琴课的罗老师说她进步很快", "罗老师"),
        ("下午约了梁医生复查", "梁医生"),
        ("这事得问问冯总。", "冯总"),
        # English titles and form fields.
        ("can you reschedule with Dr. Abernathy for me", "Dr. Abernathy"),
        ("her form tutor Mrs Pemberton-Hale rang", "Mrs Pemberton-Hale"),
        ("My therapist is Dr. Priya Raman.", "Dr. Priya Raman"),
        ("Next of kin: Gareth Lloyd\nRelationship: brother", "Gareth Lloyd"),
        ("hi! my daughter Chloé is in grade 3", "Chloé"),
        ("her teacher Mme Lavoie flagged it", "Mme Lavoie"),
        ("Given name(s): Owen James\nDOB: on file", "Owen James"),
        # Names announced with "叫", after a friend word, and with 阿姨/姐.
        ("介绍人说男方叫温志刚，在银行上班", "温志刚"),
        ("周末约了我死党罗一鸣打球", "罗一鸣"),
        ("楼下的陈阿姨帮我收了快递", "陈阿姨"),
        ("我和黄俊杰前年离的婚", "黄俊杰"),
        ("报名表 姓名 孙嘉怡 性别 女", "孙嘉怡"),
        ("出租方：梁永福（身份证见附件）", "梁永福"),
        ("帮我给我媳妇刘芳道个歉", "刘芳"),
        ("学生姓名：林子涵 年级：三年级", "林子涵"),
        ("领导Kevin又在群里催进度", "Kevin"),
        ("判决书：被告赵永强准予离婚", "赵永强"),
        # Someone else's relation, a relation introduced with "is", a name announced.
        ("her solicitor is Wendy Harrowgate at the firm", "Wendy Harrowgate"),
        ("my mate Robbo reckons I should", "Robbo"),
        ("email my manager, her name is Bev Pellow", "Bev Pellow"),
        # A relation or role without "my", before a name of name characters.
        ("我们科长韩建平管得特别严", "韩建平"),
        ("因为同组的刘佳也在争这个位置", "刘佳"),
        # A three-character name stands before any character; words that follow a name stay out.
        ("我姐王海燕刚在家庭群里发的", "王海燕"),
        ("老公徐磊永远两边和稀泥", "徐磊"),
        ("排班我已和王蕾沟通过，她愿意替我的班", "王蕾"),
        ("组长赵磊天天让我们改需求", "赵磊"),
        ("是HR总监许婷私下告诉我的", "许婷"),
        ("我妹妹周琳知道了也不高兴", "周琳"),
        ("帮我给班主任刘芳老师写个请假条", "刘芳"),
        ("我儿子的班主任何老师人很好", "何老师"),
        ("名单里有个员工孙蕾怀孕五个月了", "孙蕾"),
        ("我大哥王德福说老爷子生前说过", "王德福"),
        ("同行人：程远（男友）", "程远"),
        # Someone who works in the home, and a colleague by "小"/"老" and surname.
        ("想每月给保姆小郑多加五百", "小郑"),
        ("黄医师说可以减到27", "黄医师"),
        ("经理老李说明天开会", "老李"),
        # A child's doubled pet name after the word that introduces it.
        ("女儿朵朵今年才6岁，在滨江区上幼儿园", "朵朵"),
        ("我们平时叫他航航，在公安局上班", "航航"),
        ("我儿子果果最近老咳嗽", "果果"),
        # Someone named by their role in the user's work or care, with "the" too.
        ("ok I'll ping our CTO Babajide Coker on slack", "Babajide Coker"),
        ("my GP Niamh Kavanagh has me on pregabalin", "Niamh Kavanagh"),
        ("dispatch: the dispatcher is Lupe Cardenas, ask her", "Lupe Cardenas"),
        ("also the groom Tiago's mum only speaks portuguese", "Tiago"),
    ],
)
def test_third_party_positive(text: str, value: str) -> None:
    assert found(ThirdPartyNameRecognizer(), text) == [("Third-Party Identifiable Info", value)]


@pytest.mark.parametrize(
    "text",
    [
        "my sister said hi", "My friend And I went out", "my boss Monday", "我妈妈马上就到", "我的朋友很多",
        "我同事周末加班",
        # Titles after words that end in a surname character, amounts, and fees.
        "我去找班主任老师谈谈", "他现在担任经理", "对方律师不同意", "付了3万律师费", "花了两千块钱医生也没看好",
        "我们总结了一下", "张总结了一下经验",
        # A title before a word that is not a name, or on another line; a field with one word.
        "Dr. Monday is not a person", "Assistant Coach\nSeattle", "Contact: support", "Name: TBD",
        "帮我叫车", "叫时间再等等", "这个叫法不对", "帅哥你好",
        "a song called Desire", "my boss is The worst", "his wife was Never happy",
        "老公同意了", "女儿高考考得不错", "儿子周末回来", "雇了个保姆小时工",
        # Doubled words that are not pet names: adverbs, AABB words, kin words.
        "孩子天天哭", "孩子毛毛躁躁的", "给孩子买了花花绿绿的衣服", "女儿好好学习", "孩子妈妈来了",
        # A role before the name of a body, or before a weekday.
        "I emailed the HR Department again", "ask the head Office", "my coach Monday said no",
    ],
)
def test_third_party_negative(text: str) -> None:
    assert found(ThirdPartyNameRecognizer(), text) == []


# ---- measured health values ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("my blood pressure was 158/96 at the pharmacy", ["blood pressure was 158/96"]),
        ("HbA1c 8.1% and LDL is 172 mg/dL", ["HbA1c 8.1%", "LDL is 172 mg/dL"]),
        ("my resting heart rate is around 104 bpm lately", ["resting heart rate is around 104 bpm"]),
        ("复查结果：空腹血糖7.9，尿酸520", ["空腹血糖7.9", "尿酸520"]),
        ("早上量了一下高压158低压97", ["高压158低压97"]),
        ("孩子昨晚烧到39.2度，今天退了", ["烧到39.2度"]),
        ("尿酸去到620，TSH 5.8偏高", ["尿酸去到620", "TSH 5.8偏高"]),
        ("甲功报告上促甲状腺激素是9.4，TPO抗体 >1000", ["促甲状腺激素是9.4", "TPO抗体 >1000"]),
        ("心率一直在110次/分，有点慌", ["心率一直在110次/分"]),
        ("糖耐量 空腹5.6 一小时就不记得了", ["糖耐量 空腹5.6"]),
        ("AMH才0.9，医生建议早点做", ["AMH才0.9"]),
        ("总IgE 412 IU/mL 偏高", ["总IgE 412 IU/mL 偏高"]),
        ("TSH 6.1 (ref 0.4-4.5), free T4 0.8 ng/dL", ["TSH 6.1", "free T4 0.8 ng/dL"]),
        # A blood pressure by itself after a verb of measuring; eyesight and weight.
        ("还有高血压 今早量的165/100 一直吃着硝苯地平", ["165/100"]),
        ("最近早上量都在130/85左右", ["130/85"]),
        ("查了说是窦性心动过速 血压也有150/95", ["血压也有150/95"]),
        ("他近视400度能报军校吗", ["近视400度"]),
        ("我185，体重98公斤，程序员是不是都这样", ["体重98公斤"]),
        # A range of readings, the clotting test, the lab name in lower case.
        ("my fasting levels have been 5.8-6.1. the OB wants metformin", ["fasting levels have been 5.8-6.1"]),
        ("My last INR was 3.4 which she said was a bit high", ["INR was 3.4"]),
        ("doc says my hba1c is 71 so the type 2 is getting worse", ["hba1c is 71"]),
        # Screening scales scored in points; a Cantonese copula.
        ("学校测评 SDS抑郁量表62分，建议就医", ["SDS抑郁量表62分"]),
        ("产后复查做了EPDS量表，14分", ["EPDS量表，14分"]),
        ("my PHQ-9 was 18 at intake", ["PHQ-9 was 18"]),
        ("上次驗血 CD4係420", ["CD4係420"]),
        # Readings after "了" and "评了"; body-mass and hearing; thousands separators.
        ("复查PSA又升到了9.1，有点担心", ["PSA又升到了9.1"]),
        ("他BMI只有16.2", ["BMI只有16.2"]),
        ("右耳平均听阈55分贝", ["平均听阈55分贝"]),
        ("社区医院EPDS评了15分", ["EPDS评了15分"]),
        ("sleep study said AHI of 33, now AHI down to 4.1", ["AHI of 33", "AHI down to 4.1"]),
        ("E2 was 2,150 on day 9", ["E2 was 2,150"]),
        # The meal word before the reading, by itself too, and a reading in Chinese numerals.
        ("糖耐量：空腹5.1 1小时9.8 2小时8.2", ["糖耐量：空腹5.1 1小时9.8 2小时8.2"]),
        ("我平时空腹都在6.5左右", ["空腹都在6.5左右"]),
        ("静息心率一直九十多", ["静息心率一直九十多"]),
    ],
)
def test_measured_value_positive(text: str, values: list[str]) -> None:
    assert found(MeasuredValueRecognizer(), text) == [("Medical Health", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # A measurement named without a reading, and readings of things that are not tests.
        "I should get my blood pressure checked", "血压有点高，想去医院看看",
        "Lufthansa LH 455 lands at 7", "Terminal T3 at 10", "INR 5000 for the taxi", "the API returned 500",
        "alt 45 is a hotkey", "红烧肉38块一份", "烧烤40串够不够",
        # Fractions that are not blood pressures: a date, an exam score, a count.
        "今天测了一下 3/25号交", "数学考了120/150", "量了量 身高170", "体重一直在掉",
        # Sugar in food, not in blood; rupees, not the clotting test.
        "the sugar levels in this cake are 30g", "the fare was INR 3.4 lakh",
        # An airline, an exam score, minutes.
        "the SAS 20 flight to Oslo", "SAS 20航班取消了", "数学考了62分", "血糖过了15分钟再测",
        # Hours of fasting before a test.
        "抽血前要空腹8小时吗", "空腹 10 个小时以上",
    ],
)
def test_measured_value_negative(text: str) -> None:
    assert found(MeasuredValueRecognizer(), text) == []


# ---- money facts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("我现在月薪到手9200，车贷每月还3100", ["月薪到手9200", "车贷每月还3100"]),
        ("借呗上还欠着1万5没还", ["借呗上还欠着1万5没还"]),
        ("手头一共攒了12万，打算当首付", ["攒了12万"]),
        ("芝麻分只有612了", ["芝麻分只有612"]),
        ("到手一万二左右，房租占一半", ["到手一万二左右"]),
        ("建行信用卡还欠着3万8", ["建行信用卡还欠着3万8"]),
        ("余额宝里还有3万多", ["余额宝里还有3万多"]),
        ("跑外卖一个月能挣七千出头", ["一个月能挣七千出头"]),
        ("一个月到手才九千多，房贷每个月还4960", ["一个月到手才九千多", "房贷每个月还4960"]),
        ("招行卡余额有12万左右", ["招行卡余额有12万左右"]),
        ("my credit score is 604 now", ["credit score is 604"]),
        ("I still owe $23,400 in student loans", ["owe $23,400"]),
        ("my take-home is about $4,100 a month", ["take-home is about $4,100 a month"]),
        # Rates of pay, currencies of more places, pay written after the sum, form fields.
        ("honestly i'm on $94k a year as a sparky", ["$94k a year"]),
        ("a care home, on £11.90 an hour, mostly nights", ["£11.90 an hour"]),
        ("im at 128k base plus like 15k in RSUs", ["128k base", "15k in RSUs"]),
        ("got an offer, 42 LPA CTC", ["42 LPA CTC"]),
        ("Monthly turnover: ₦4.2m\nExisting loans: ₦1.5m with LAPO", ["₦4.2m", "₦1.5m with LAPO"]),
        ("my TSC salary of KSh 48,000 barely covers rent", ["salary of KSh 48,000"]),
        # Which pay and what is still owed are part of the fact.
        ("1. 支付拖欠工资57600元；2. 支付赔偿金", ["拖欠工资57600元"]),
        ("3月份工资19500元一直没发", ["3月份工资19500元"]),
        ("母亲打零工，月收入约2300元。", ["月收入约2300元"]),
        ("一个月也就挣六千出头", ["一个月也就挣六千出头"]),
        ("车贷还剩18万没还完", ["车贷还剩18万没还完"]),
        # Pay packages and offers as Chinese tech chat writes them, and hourly pay.
        ("现在月base 28k*15 有个猎头找我", ["28k*15"]),
        ("最近猎头找我去一家做自动驾驶的，给到32k，但要去苏州", ["32k"]),
        ("周末两天 时薪18 你觉得还要不要找家", ["时薪18"]),
        # The sum before what it is, when the user owns it; a balance.
        ("on top of my 22k salary i do some tutoring", ["22k salary"]),
        ("we have about $12k in savings", ["$12k in savings"]),
        ("i've got £9,000 of credit card debt", ["£9,000 of credit card debt"]),
        ("our £780/month mortgage", ["£780/month mortgage"]),
        ("my GTBank balance is ₦6.2m", ["balance is ₦6.2m"]),
        # Property someone owns, in Chinese.
        ("另外我名下还有两套房，一套在出租", ["有两套房"]),
        ("城南那边的房子一套，九十平", ["房子一套"]),
        ("老家还有块宅基地", ["有块宅基地"]),
        ("房产证上写的是我爸的名字", ["房产证上写的是我爸的名字"]),
        # Pay by the month or year with no money word.
        ("跑车那阵一个月也就八千多，淡季没啥进项", ["一个月也就八千多"]),
        ("我俩加起来一个月也就一万二出头", ["我俩加起来一个月也就一万二出头"]),
        ("年底能落个五六万就不错了", ["年底能落个五六万"]),
    ],
)
def test_money_fact_positive(text: str, values: list[str]) -> None:
    assert found(MoneyFactRecognizer(), text) == [("Assets/Income", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Amounts without a word that makes them the user's money, dates, and card numbers.
        "咖啡38块，贵了点", "工资条上写的是2023年", "信用卡6222 0212 3456 7890", "工资卡尾号4417",
        "we spent 86 dollars at the supermarket", "my salary review is in March", "收入来源有3个",
        "I paid $40 for parking", "the base model costs $30k", "tickets were at $5 a pop",
        "这个月花了3000", "上个月去了3次", "一个月去两次", "一年有十二个月",
        # Shopping for a flat, not owning one.
        "想买一套房子，首付要多少", "我们还没有一套房",
        # Prices, power and screen sizes are not pay.
        "这个价格给到99包邮", "充电功率给到100w", "分辨率1920x1080",
        # Sums before a money word with no owner: general questions and offers.
        "is a $60k salary good in Austin?", "they offer a $500 loan to new members", "my work-life balance is off by 2 hours",
    ],
)
def test_money_fact_negative(text: str) -> None:
    assert found(MoneyFactRecognizer(), text) == []


# ---- booking references ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("flying out Tuesday, booking ref QH7M2X, seat 14C", "QH7M2X"),
        ("PNR is KTWZRB if you need it", "KTWZRB"),
        ("高铁的取票号是E482913755", "E482913755"),
        ("reservation number: 44719302", "44719302"),
    ],
)
def test_booking_reference_positive(text: str, value: str) -> None:
    assert found(BookingReferenceRecognizer(), text) == [("Itinerary/Trajectory", value)]


@pytest.mark.parametrize(
    "text", ["where do I find the booking reference", "the booking code is expired", "订单号：E2318845901"]
)
def test_booking_reference_negative(text: str) -> None:
    assert found(BookingReferenceRecognizer(), text) == []


# ---- relationship status ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("能帮我回一下我前夫的消息吗", ["我前夫"]),
        ("我们已经分居半年了，他还不肯离婚", ["已经分居", "离婚"]),
        ("老伴前年走了，我一个人住", ["老伴前年走了"]),
        ("我男朋友下周来见我爸妈", ["我男朋友"]),
        ("can you help me reply to my ex-husband Mark", ["my ex-husband"]),
        ("we got divorced last spring", ["divorced last spring"]),
        # A marriage's end or start with when; a break-up only of "we" or "… and I".
        ("we're separating after eleven years of marriage", ["separating after eleven years of marriage"]),
        ("Priya and I broke up last summer", ["broke up last summer"]),
        ("we're getting married next spring!", ["getting married next spring"]),
        ("我和他去年离的婚", ["去年离的婚"]),
        ("he had an affair with a coworker", ["an affair"]),
        ("I am 67 and my late husband Frank had a pension", ["my late husband"]),
        # A wedding with its time, a marriage's length, a loss, a break-up, a single parent.
        ("男方叫何志明 我们2021年结的婚 没孩子", ["2021年结的婚"]),
        ("我们打算明年领证 你说先买房还是先租", ["打算明年领证"]),
        ("我们结婚二十二年了，我怎么就是外人了", ["结婚二十二年了"]),
        ("我丈夫三月份去世了，现在就我一个人住", ["我丈夫三月份去世了"]),
        ("可我爸已经走了八年了", ["我爸已经走了八年了"]),
        ("女朋友昨天跟我提分手了", ["女朋友昨天跟我提分手"]),
        ("换个话题。我跟女朋友异地恋快一年了", ["女朋友", "异地恋快一年了"]),
        ("最后问一下 单亲妈妈在重庆能申请啥补助", ["单亲妈妈"]),
        ("可他前妻那边每个月还要给抚养费", ["他前妻"]),
        # A couple's life without the word for marriage, Traditional and Cantonese forms, an ex with how long.
        ("我们在一起六年了，家里一直催", ["在一起六年了"]),
        ("跟他商量好了，本来计划年底领证", ["本来计划年底领证"]),
        ("我跟女友准备九月开始同居，房租怎么分", ["跟女友准备九月开始同居"]),
        ("最近跟老公分房睡快半年了", ["跟老公分房睡快半年了"]),
        ("有个学长在追我，要不要答应", ["有个学长在追我"]),
        ("我们同居了两年，他一直不提结婚", ["同居了两年"]),
        ("我哋打算10月結婚，想訂酒樓", ["打算10月結婚"]),
        ("佢去年離婚咗", ["去年離婚"]),
        ("我和前夫离了快十年了", ["前夫离了快十年了"]),
    ],
)
def test_relationship_status_positive(text: str, values: list[str]) -> None:
    assert found(RelationshipStatusRecognizer(), text) == [("Relationship Info", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        "中国的离婚率是多少", "我老公今天加班", "男朋友们都去打球了", "the divorce rate keeps rising", "my ex-boss called",
        "an experienced lawyer", "our partner companies", "the band split up in 1999",
        # Someone else's wedding, a wedding without a time, leaving the room, a certificate.
        "我同事下个月结婚，随多少份子", "我们结婚的时候没办酒", "我妈走了，去超市了", "结婚证丢了怎么补",
        # A family or a team together, a certificate that is not a marriage's.
        "我们一家人在一起五年了", "我们在一起工作三年了", "驾照什么时候可以领", "婆婆想跟我同居",
    ],
)
def test_relationship_status_negative(text: str) -> None:
    assert found(RelationshipStatusRecognizer(), text) == []


# ---- schools and job titles ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found_",
    [
        ("儿子秋天转到新华路小学", [("School", "新华路小学")]),
        ("她在文汇中学初三(2)班，成绩一般", [("School", "文汇中学初三(2)班")]),
        ("老二还在五年级2班，老师挺负责", [("School", "五年级2班")]),
        ("我在上海交通大学读研二", [("School", "上海交通大学"), ("Identity Background", "研二")]),
        ("签名：技术部经理 周某", [("Job Title/Rank", "技术部经理")]),
        ("我目前是一名急诊科护士", [("Job Title/Rank", "急诊科护士")]),
        ("Job title: Senior Claims Adjuster\nStart date: May", [("Job Title/Rank", "Senior Claims Adjuster")]),
        ("入职登记 部门：审计部 工作单位：恒远会计师事务所", [("Identity Background", "审计部"), ("Employer/Company Name", "恒远会计师事务所")]),
        ("我今年才29岁，头发掉得厉害", [("Identity Background", "29岁")]),
        ("老二刚满3岁半，在读小班", [("Identity Background", "3岁半")]),
        ("女儿在读初二，数学跟不上", [("Identity Background", "初二")]),
        ("本人1991年11月出生", [("Specific Date of Birth", "1991年11月出生")]),
        ("民族：维吾尔族", [("Sensitive Identity", "维吾尔族")]),
        ("我老公是穆斯林，不吃猪肉", [("Sensitive Identity", "穆斯林")]),
        ("跟家里说不出口，我是同性恋", [("Sensitive Identity", "同性恋")]),
        ("申请人：李想，1999年2月生，侗族，身份证见附件", [("Specific Date of Birth", "1999年2月生"), ("Sensitive Identity", "侗族")]),
        ("我快70了，退休前是中学物理老师", [("Job Title/Rank", "中学物理老师")]),
        ("报名表 性别 男 年龄不填", [("Identity Background", "男")]),
        ("2019年毕业于东北师范大学，现在待业", [("School", "东北师范大学")]),
        ("我现在在招商银行深圳分行上班", [("Employer/Company Name", "招商银行深圳分行")]),
        ("出生日期：1968-03-12 联系电话见下", [("Specific Date of Birth", "1968-03-12")]),
        ("年级班级：育英小学五年级3班", [("School", "育英小学五年级3班")]),
        ("你好 我是开货车的 跑长途", [("Job Title/Rank", "开货车的")]),
        ("我现在研一，在中山大学数学学院", [("Identity Background", "研一"), ("School", "中山大学数学学院")]),
        ("my 9-year-old keeps losing his glasses", [("Identity Background", "9-year-old")]),
        ("俺是货车司机 开半挂的", [("Job Title/Rank", "货车司机")]),
        ("我在一家培训机构做了三年行政，想换工作", [("Job Title/Rank", "行政")]),
        ("我跑货运的 一天不出车就少挣好几百", [("Job Title/Rank", "跑货运的")]),
        ("落款写 综合科 雷某某", [("Identity Background", "综合科")]),
        ("署名：何某 后端开发组 高级后端工程师", [("Identity Background", "后端开发组"), ("Identity Background", "高级后端工程师")]),
        ("宝宝11个月 昨晚突然发烧", [("Identity Background", "11个月")]),
        ("刚高考完 考了561分 想报医学", [("Identity Background", "561分")]),
        ("hes in 3rd class in Scoil Bhride and the teacher", [("Identity Background", "3rd class in Scoil Bhride")]),
        ("she's in grade 4 at Maple Grove. her teacher", [("Identity Background", "grade 4 at Maple Grove")]),
        ("my 13 yo keeps skipping school", [("Identity Background", "13 yo")]),
        # A workplace by any name, a business named with "叫", schools in cities with a stop
        # character in their name.
        ("我在盛禾物流做财务专员", [("Employer/Company Name", "盛禾物流"), ("Job Title/Rank", "财务专员")]),
        ("现在在网易杭州做产品实习生", [("Employer/Company Name", "网易杭州")]),
        ("我在东莞一家模具厂 叫鸿锐精密 干数控车床", [("Employer/Company Name", "鸿锐精密")]),
        ("拼多多开了个店，店名叫春梅家果园，想写个介绍", [("Employer/Company Name", "春梅家果园")]),
        ("儿子在成都市龙江路小学 成绩中等", [("School", "成都市龙江路小学")]),
        ("在石家庄二中，说想考军校", [("School", "石家庄二中")]),
        # A workplace before delivering or teaching, and a subject after its university or between commas.
        ("我在顺丰送快递，一个月能跑四千单", [("Employer/Company Name", "顺丰")]),
        ("我在育才中学教初三化学", [("School", "育才中学")]),
        ("我在新东方教雅思，课时费不高", [("Employer/Company Name", "新东方")]),
        ("2016年毕业于四川大学新闻系，做过两年记者", [("School", "四川大学"), ("Identity Background", "新闻系")]),
        ("我读大二 土木工程专业 想转行", [("Identity Background", "大二"), ("Identity Background", "土木工程专业")]),
        # A registered company name anywhere, cut at the words before it; an employer after
        # "单位是"/"公司是", after a district and "的", or before "干了" with "以前".
        ("被申请人：宁波启航模塑有限公司 法定代表人", [("Employer/Company Name", "宁波启航模塑有限公司")]),
        ("我司佛山市南海区木语家具有限公司于去年供货", [("Employer/Company Name", "佛山市南海区木语家具有限公司")]),
        ("朋友推荐了衡正律师事务所的律师", [("Employer/Company Name", "衡正律师事务所")]),
        ("我是职工医保，单位是长春一汽，还没退休", [("Employer/Company Name", "长春一汽")]),
        ("公司是昆山开发区的瑞达精工", [("Employer/Company Name", "瑞达精工")]),
        ("我在苏州工业园区的博远光电做质检", [("Employer/Company Name", "博远光电")]),
        ("以前在湘潭钢铁厂干了二十年", [("Employer/Company Name", "湘潭钢铁厂")]),
        # A brand with its trade word in a signature line.
        ("落款写：晴川婚礼策划 某某", [("Identity Background", "晴川婚礼策划")]),
    ],
)
def test_background_positive(text: str, found_: list[tuple[str, str]]) -> None:
    assert found(BackgroundRecognizer(), text) == found_


@pytest.mark.parametrize(
    "text",
    [
        # Schools in general questions, kinds of school, time spans, other people's roles.
        "清华大学在哪个城市？", "浙江大学的研究人员发现", "孩子明年上小学", "想让他上重点高中", "开了二十二小时的车",
        "这本书讲的是一位外科医生", "我们经理说明天开会",
        # Age limits, religions in general, and a bare party word.
        "18岁以上才能办卡", "佛教徒过年吃什么", "党员活动室在三楼", "the movie is rated for 12 and up",
        "在家上班也挺累的", "性别平等",
        # Driving as an activity, a signature without a unit, money and counts that are not scores.
        "we came in 2nd place", "she's in a bad mood", "我开车的时候总犯困", "我开车的路上想了想", "落款写我的名字就行", "这套题满分150分", "存了3个月的钱",
        # Where, not for whom: places, kinds of workplace, a pointer, "a company".
        "我在北京上班", "我在苏州工业园区上班", "我在医院上班", "我在这站干了两年", "我在北京的一家公司上班", "我在深圳做外贸",
        "我在家做饭", "他叫什么来着",
        # Teaching at home or online, a subject in general, "no matter".
        "我在家教孩子写作业", "我在线上教英语", "有人说我在课上传教", "跨专业考研难吗", "没关系，这个专业很好", "语气再专业一点",
        # What kind of employer, a question, a place with "的" in it, an ending with no name.
        "公司是做外贸的", "单位是国企", "公司是不是不能辞退孕妇", "我在家里的沙发上做作业", "注册一个有限公司要多少钱",
    ],
)
def test_background_negative(text: str) -> None:
    assert found(BackgroundRecognizer(), text) == []


# ---- transactions with a private purpose ----------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("上个月做了个无痛肠镜花了980块，医保不报", ["无痛肠镜花了980块"]),
        ("每个月还要给她2800抚养费", ["每个月还要给她2800抚养费"]),
        ("有哮喘 每个月我得往家里打3000。老婆还不知道", ["每个月我得往家里打3000"]),
        ("交了6000块律师费，官司还没开庭", ["6000块律师费"]),
        ("the $240 copay for the MRI", ["$240 copay"]),
        ("I put $3,000 toward bail for my brother", ["$3,000 toward bail"]),
        # Housing, a child's care and school, a wedding; a list typed with spaces pairs each
        # amount with the word before it, and "3万8" is one amount.
        ("每月固定支出：房租3500 护工7500 我爸的药大概800", ["房租3500", "护工7500"]),
        ("餐厅上个月流水得12万 租金就3万8", ["租金就3万8"]),
        ("孩子幼儿园2200，下学期托管班费用2600", ["孩子幼儿园2200", "学期托管班费用2600"]),
        ("3000块给影楼当婚纱照定金", ["3000块给影楼当婚纱照定金"]),
        ("he's holding my £1,350 deposit", ["£1,350 deposit"]),
    ],
)
def test_transaction_positive(text: str, values: list[str]) -> None:
    assert found(TransactionRecognizer(), text) == [("Transaction Record", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Amounts with no private purpose in their clause.
        "超市花了86块", "coffee was $4", "医院门口的停车场。停车费15块", "the hospital parking lot is huge, lunch was $12",
        "我买了个2000块的手机", "租房一般要押一付三吗", "the deposit is refundable, right?",
        # The detector reads text width-folded: a folded comma still ends the clause.
        "退休金一个月4300,想给他请个住家护工", "退休金一个月4300，想给他请个住家护工",
    ],
)
def test_transaction_negative(text: str) -> None:
    assert found(TransactionRecognizer(), text) == []


# ---- named conditions and medicines ----------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("上个月查出来是甲亢，现在吃甲巯咪唑10mg 一天两次", ["甲亢", "甲巯咪唑10mg 一天两次"]),
        ("医生说是中度焦虑症，先观察", ["中度焦虑症"]),
        ("确诊为重度抑郁以后就休学了", ["重度抑郁"]),
        ("乳腺结节3类，要不要紧", ["乳腺结节3类"]),
        ("I was diagnosed with severe depression in May", ["severe depression"]),
        ("my Crohn's has been flaring, I'm on Humira now", ["Crohn's", "Humira"]),
        ("they upped my Lexapro 20mg last week", ["Lexapro 20mg"]),
        ("I started PrEP in March", ["PrEP"]),
        ("they upped my methotrexate to 20mg weekly for my rheumatoid arthritis", ["methotrexate to 20mg weekly for my rheumatoid arthritis"]),
        ("put me on sertraline 50mg for anxiety", ["sertraline 50mg for anxiety"]),
        # A name the dictionary lacks, known by its dose; more names and conditions.
        ("GP put me on Utrogestan 100mg and an oestrogen gel", ["Utrogestan 100mg"]),
        ("meds are Gonal-f 225 IU nightly and Cetrotide from day 6", ["Gonal-f 225 IU nightly", "Cetrotide"]),
        ("I use Seretide 250 twice a day and Ventolin when needed", ["Seretide", "Ventolin"]),
        ("my celiac has been flaring all week", ["celiac"]),
        ("孕28周了，最近脚肿得厉害", ["孕28周", "脚肿得厉害"]),
        ("我们在备孕二胎，要注意什么", ["备孕二胎"]),
        ("复诊结果是双相情感障碍（II型），换了药", ["双相情感障碍（II型）"]),
        ("现在吃的是 硝苯地平缓释片 每天一片30mg", ["硝苯地平缓释片 每天一片30mg"]),
        ("下周陪我妈去做胆囊切除手术", ["胆囊切除手术"]),
        ("开了帕罗西汀 早晚各一片", ["帕罗西汀 早晚各一片"]),
        ("处方：盐酸二甲双胍缓释片 0.5g 每日两次", ["盐酸二甲双胍缓释片 0.5g 每日两次"]),
        ("术前要查血型，她血型是AB型", ["血型是AB型"]),
        ("出院诊断写的是 慢性浅表性胃炎伴糜烂，开了药", ["慢性浅表性胃炎伴糜烂"]),
        # Injuries, allergies, procedures, the user's own treatment, and what comes with a name.
        ("I tore my ACL playing netball", ["tore my ACL"]),
        ("still off work with a herniated disc and a sprained left ankle", ["herniated disc", "sprained left ankle"]),
        ("the school knows about his tree nut allergy", ["tree nut allergy"]),
        ("I'm allergic to penicillin, so no amoxicillin", ["allergic to penicillin", "amoxicillin"]),
        ("forgot my rescue inhaler at the gym", ["my rescue inhaler"]),
        ("the GP thinks it's possible dyspraxia", ["possible dyspraxia"]),
        ("booked the ADHD assessment for Friday", ["ADHD assessment"]),
        ("been on Lexapro since 2021", ["Lexapro since 2021"]),
        ("she's 31 weeks pregnant now", ["31 weeks pregnant"]),
        ("dad's cataract surgery consult got moved", ["cataract surgery consult"]),
        ("my hay fever is brutal this year", ["hay fever"]),
        ("高血压十几年了，一直吃药", ["高血压十几年了"]),
        ("医生说是中度焦虑伴惊恐发作", ["中度焦虑伴惊恐发作"]),
        ("我爸二型糖尿病好多年", ["二型糖尿病"]),
        ("评估结果是注意缺陷多动障碍 混合型", ["注意缺陷多动障碍 混合型"]),
        ("老师说孩子有多动症的倾向", ["多动症的倾向"]),
        ("甲状腺结节，3类要不要紧", ["甲状腺结节，3类"]),
        ("我爸脑梗住院了", ["脑梗住院了"]),
        ("宝宝对海鲜过敏，膝盖今天也肿起来了", ["对海鲜过敏", "膝盖今天也肿起来了"]),
        ("最近失眠得很凶", ["失眠得很凶"]),
        # A side, a limb or a named bone, and what is wrong with it, words like "还是" between.
        ("中风以后右边身体到现在还没什么力气", ["中风", "右边身体到现在还没什么力气"]),
        ("踢球摔了一跤，右手腕尺骨骨裂", ["右手腕尺骨骨裂"]),
        ("我媽左腳還是沒力氣", ["左腳還是沒力氣"]),
        ("他现在左手还拿不稳东西", ["左手还拿不稳东西"]),
        ("车祸以后股骨骨折，要打钢板", ["股骨骨折", "打钢板"]),
        ("左手腕骨裂，打了石膏，石膏要打六周", ["左手腕骨裂", "打了石膏", "石膏要打六周"]),
        ("医生说钢板一年后才能取", ["钢板一年后才能取"]),
        ("我这腿脚不太利索，爬不了山", ["腿脚不太利索"]),
        ("我膝盖做过置换手术", ["置换手术"]),
        ("我刚怀孕，能喝咖啡吗", ["刚怀孕"]),
        # A stroke someone had, with when.
        # Names of conditions and medicines chat uses without a clinical cue.
        ("孩子甲流又烧起来了，明天请假", ["甲流"]),
        ("医生给我开了黛力新，每天一次", ["黛力新"]),
        ("补佳乐吃完了，周末再去开", ["补佳乐"]),
        ("Dad's on Aricept now and it seems to help", ["Aricept"]),
        ("my doctor says the pleural plaques are from the shipyard", ["pleural plaques"]),
        ("my late husband Frank had a stroke in 2019 so it frightens me", ["had a stroke in 2019"]),
        # Pregnancy and fertility told by date or time, and care named by how it is given.
        ("my due date is March 3rd so not long now", ["my due date is March 3rd"]),
        ("we've been trying to conceive for two years", ["trying to conceive for two years"]),
        ("I've been signed off with depression since the funeral", ["signed off with depression"]),
        ("the GP referred her to the memory clinic", ["referred her to the memory clinic"]),
        ("he's been going to AA meetings at Grace Church on thursdays", ["going to AA meetings at Grace Church on thursdays"]),
        ("dad suffered a minor stroke last year", ["suffered a minor stroke last year"]),
        ("she had a seizure in the car park", ["had a seizure"]),
        # Apostrophes dropped or curled, British spellings, kidney failure and its care.
        ("my crohns is bad again", ["crohns"]),
        ("Mum has Alzheimer’s now", ["Alzheimer’s"]),
        ("diagnosed with sleep apnoea in March", ["sleep apnoea"]),
        ("ESRD from FSGS, waiting on a kidney transplant", ["ESRD", "FSGS", "kidney transplant"]),
        # Metastases, and the spine as people say it.
        ("我爸腰间盘突出又犯了", ["腰间盘突出"]),
        ("去年查出来就已经骨转移了", ["骨转移"]),
        # A period late or missing, thoughts of dying, IVF by its steps, a graded knee injury.
        ("这个月大姨妈推迟了一周多，月经已经两个月没来了", ["大姨妈推迟了一周多", "月经已经两个月没来了"]),
        ("例假推迟了十来天，有点慌", ["例假推迟了十来天"]),
        ("都四个月没来例假了", ["都四个月没来例假了"]),
        ("我最近经常有不想活了的念头", ["不想活了的念头"]),
        ("备孕两年了一直没怀上，这次促排第6天", ["备孕两年了一直没怀上", "促排第6天"]),
        ("第二次移植失败了，医生说再等等", ["第二次移植失败了"]),
        ("左膝半月板三度损伤，下周手术", ["左膝半月板三度损伤"]),
        ("晚上要吃思诺思才能睡", ["思诺思"]),
    ],
)
def test_medical_term_positive(text: str, values: list[str]) -> None:
    assert found(MedicalTermRecognizer(), text) == [("Medical Health", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Moods, general health talk and lookalike words.
        "最近有点焦虑，工作太多了", "痛风有哪些症状？", "二型糖尿病患病率在上升", "规律运动能减轻抑郁症状",
        "I have some anxiety about the exam", "people with asthma should carry an inhaler",
        "what are the symptoms of gout", "prep time is 10 minutes", "a lithium battery", "诊断结果是正常", "成年人痛风的常见症状有哪些", "成年人流感的常见症状",
        "how long does it take for a sprained ankle to heal", "allergy season starts early here",
        "手机又摔坏了", "今天腿有点酸", "最近身体没什么力气", "他左手拿着杯子",
        # A condition's name straddling a verb, a hand that ends a word ("骑手").
        "喝酒会升高尿酸吗", "这个药会降低血压吗", "骑手摔伤能算工伤吗", "歌手嗓子哑了", "花粉季快到了", "最近甲流高发，要不要打疫苗", "这个方案可定期调整", "他在读现代文学", "我的信用卡铂金卡年费", "shingles vaccines are free for over-65s",
        "a Lithium battery", "the MS Teams call", "I met ME at the station",
        "a 15% rise in deaths from heart disease by 2035", "the difference between early appendicitis and a stomach ache",
        "the back office handles it", "a stroke of luck", "the seizure of the shipment", "she had a stroke of genius", "my backstroke is weak",
        "the meds aisle", "she referred me to Sarah in HR", "we flew AA to Dallas", "I signed off the final report",
        # Doses of what is not a medicine, and a count of units.
        "coffee has caffeine 95mg per cup", "take 2 tablets 500mg", "i need 250 units by Thursday", "TIRED AF",
        # A period as everyday talk, the word for dying as a figure of speech, organ transplants.
        "我今天来例假了，肚子疼", "热得想死", "肝移植的费用大概多少", "这棵树移植过来就活了",
    ],
)
def test_medical_term_negative(text: str) -> None:
    assert found(MedicalTermRecognizer(), text) == []


# ---- first names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("I told Aoife about the job", ["Aoife"]),
        ("dinner with Priya and Rohan tonight", ["Priya", "Rohan"]),
        ("Felix's teacher called again", ["Felix"]),
        ("Yesterday Mason fell off his bike", ["Mason"]),
        ("领导Linda让我周末加班", ["Linda"]),
        # Typed in lower case throughout ("i"), names too.
        ("i think the bill is from when colin broke his wrist", ["colin"]),
    ],
)
def test_first_name_positive(text: str, values: list[str]) -> None:
    assert found(FirstNameRecognizer(), text) == [("Third-Party Identifiable Info", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Full names (the tagger's, or a public figure's), names inside other proper nouns,
        # names that are everyday words, lower case.
        "Taylor Swift tickets sold out", "Emma Watson was great in it", "we walked round Lake Louise",
        "mass at St Brendan's", "Hope you're well", "Grace Road is closed", "Will it rain?", "Chase sent a fraud alert",
        "told aoife already",
        # Lower case from someone who capitalises "I": not a name they typed.
        "I told colin nothing", "i will mark it as done",
    ],
)
def test_first_name_negative(text: str) -> None:
    assert found(FirstNameRecognizer(), text) == []


# ---- Chinese full names ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("房子我托给隔壁的贺淑芬阿姨帮忙看着", ["贺淑芬"]),
        ("客户是沈书航和他未婚妻苏梦琪，婚礼下个月", ["沈书航", "苏梦琪"]),
        ("我们科长冯振国管得特别严", ["冯振国"]),
        ("去医院看了，欧阳慧琳医生说是轻度焦虑", ["欧阳慧琳"]),
        # Traditional Chinese reaches rules folded to Simplified (the detector does it).
        ("裝修師傅李國強收了我訂金".translate(T2S), ["李国强"]),
        ("合伙人楼志诚下周回来", ["楼志诚"]),
    ],
)
def test_chinese_full_name_positive(text: str, values: list[str]) -> None:
    assert found(ChineseNameRecognizer(), text) == [("Third-Party Identifiable Info", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Weeks after a count, everyday words of name characters, brands, landmarks, public
        # figures, two-character names (the tagger's and the cue rules' job).
        "我怀孕11周了", "每周喜欢买点花", "支付宝验证码发过来了", "想去玉龙雪山", "我最喜欢周杰伦的歌",
        "东方明珠附近的酒店", "同组的刘佳也在争", "高兴了一整天", "楼下的快递站", "楼道里太黑了",
    ],
)
def test_chinese_full_name_negative(text: str) -> None:
    assert found(ChineseNameRecognizer(), text) == []


# ---- Mongolian, Tibetan and Uyghur names -------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        # Three characters and more stand alone; two only after a person word or before a title.
        ("我们班的古丽娜尔和阿依努尔都报了", ["古丽娜尔", "阿依努尔"]),
        ("我表弟艾力江下个月结婚", ["艾力江"]),
        ("这次是索南多杰带的团", ["索南多杰"]),
        ("我姐乌兰说她来接", ["乌兰"]),
        ("扎西老师讲得很好", ["扎西"]),
    ],
)
def test_minority_name_positive(text: str, values: list[str]) -> None:
    assert found(MinorityNameRecognizer(), text) == [("Third-Party Identifiable Info", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        # Two-character names are everyday words too; greetings, places and public figures.
        "天上全是乌云", "他才让我进去", "扎西德勒！", "下周去乌兰察布出差", "呼和浩特的冬天很冷", "迪丽热巴的新剧",
        "那顺便帮我问一下",
    ],
)
def test_minority_name_negative(text: str) -> None:
    assert found(MinorityNameRecognizer(), text) == []


# ---- address fields --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("租房合同\n房屋地址：南京市鼓楼区中山北路221号3栋502室\n租期：一年", "南京市鼓楼区中山北路221号3栋502室"),
        ("收货地址: 成都市武侯区科华北路62号，电话", "成都市武侯区科华北路62号"),
        ("Address: 14 Harrow Lane, Leeds LS6 2AB\nPhone: n/a", "14 Harrow Lane, Leeds LS6 2AB"),
        # A full stop after an initial or "St" does not end the value; after a street type it does.
        ("Address: 2210 W. Elm St, Apt 4B, Tulsa OK\nPhone: n/a", "2210 W. Elm St, Apt 4B, Tulsa OK"),
        ("Address: 9 St. Anne's Rd. Call first.", "9 St. Anne's Rd"),
    ],
)
def test_address_field_positive(text: str, value: str) -> None:
    assert found(AddressFieldRecognizer(), text) == [("Detailed Address", value)]


@pytest.mark.parametrize(
    "text", ["地址：待定", "Address: TBD", "Email address: kim.lee@example.org", "IP address: 10.0.0.7"]
)
def test_address_field_negative(text: str) -> None:
    assert found(AddressFieldRecognizer(), text) == []


# ---- street addresses, account names, message bodies -----------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("我在合肥开了个小店，在蜀山区长江西路203号，生意一般", "蜀山区长江西路203号"),
        ("寄到广州市海珠区江南大道中88号锦绣公寓3栋1206 电话不用写", "广州市海珠区江南大道中88号锦绣公寓3栋1206"),
        ("以前住在上海市徐汇区田林路140弄12号301室", "上海市徐汇区田林路140弄12号301室"),
        ("快递寄到 阳光花园5号楼1202室 就行", "阳光花园5号楼1202室"),
    ],
)
def test_street_address_positive(text: str, value: str) -> None:
    assert found(ChineseStreetAddressRecognizer(), text) == [("Detailed Address", value)]


@pytest.mark.parametrize("text", ["南京路上人很多", "坐3号线到人民广场", "第5号选手"])
def test_street_address_negative(text: str) -> None:
    assert found(ChineseStreetAddressRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("游戏账号是 moon_rabbit88，被盗了", "moon_rabbit88"),
        ("微信号：xiaoyu_0521", "xiaoyu_0521"),
        ("my username is jkowal_77 on there", "jkowal_77"),
        ("spring.datasource.username=svc_ledger", "svc_ledger"),
        ("im in the union, membership no 5520917. should i", "5520917"),
        ("my student number is s1934402", "s1934402"),
        ("my username is bo_88. thanks", "bo_88"),
        ("auth error user=liwenjie ip=unknown", "liwenjie"),
    ],
)
def test_account_id_positive(text: str, value: str) -> None:
    assert found(AccountIdRecognizer(), text) == [("Account ID/Username", value)]


@pytest.mark.parametrize(
    "text",
    ["账号是多少来着", "how do I handle this", "my login email is gone", "User: hello there", "收款账号 6222021234567890123",
     "user=ab"],
)
def test_account_id_negative(text: str) -> None:
    assert found(AccountIdRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("房东刚发微信过来：“下个月起房租涨到4200，不租就月底搬走。”怎么回", "下个月起房租涨到4200，不租就月底搬走"),
        ('he texted me: "I moved the money, don\'t tell Sam"', "I moved the money, don't tell Sam"),
        ("他昨天微信发我'抚养费下个月再说，别催'", "抚养费下个月再说，别催"),
        ("He sent: 'Fi I can't keep doing this'", "Fi I can't keep doing this"),
        # Received and introduced with a colon; the greeting is not the body.
        ("my landlord sent this:\n\n\"Hi Gareth, inspection is booked for Thurs 14th at 10am.\"", "inspection is booked for Thurs 14th at 10am"),
        ("got this on whatsapp last night: 'if you move out without paying I will come to your office'", "if you move out without paying I will come to your office"),
    ],
)
def test_message_body_positive(text: str, value: str) -> None:
    assert found(MessageBodyRecognizer(), text) == [("Communication Content", value)]


@pytest.mark.parametrize(
    "text",
    [
        "帮我把这句改正式点：“我明天不来了”", '他说"好的"', 'the sign said "no parking here"',
        # The user's own draft.
        "can you help me write a text: 'sorry I can't make it tonight, something came up'",
    ],
)
def test_message_body_negative(text: str) -> None:
    assert found(MessageBodyRecognizer(), text) == []


# ---- trips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("下周三飞成都 CA4113 早上7点", ["下周三飞成都 CA4113 早上7点"]),
        ("航班是NH920 11月22号 上海浦东-东京羽田，到了说", ["NH920 11月22号 上海浦东-东京羽田"]),
        ("清迈住4晚 曼谷住3晚", ["清迈住4晚", "曼谷住3晚"]),
        ("then Hotel Keihan Namba Grande 四晚", ["Hotel Keihan Namba Grande 四晚"]),
        ("坐G7512次高铁回家", ["G7512次高铁回家"]),
        ("到了入住西湖边的如家酒店两晚", ["西湖边的如家酒店两晚"]),
        # "住" is part of a stay; a place near a hotel named by its own name.
        ("10号飞成都，住春熙路那边的亚朵", ["住春熙路那边的亚朵"]),
        ("酒店订在难波那边的APA 住5晚 你帮我排个行程", ["难波那边的APA 住5晚"]),
        ("my flight is UA 857 on Friday", ["UA 857 on Friday"]),
        # An English route with its dates, and a move with its month; places in lower case too.
        ("need to book a trip Austin to Boise Mar 3-7 for the expo", ["Austin to Boise Mar 3-7"]),
        ("flying Leeds to Faro on 12 June with the kids", ["Leeds to Faro on 12 June"]),
        ("we're moving to denver in june because of my job", ["moving to denver in june"]),
    ],
)
def test_trip_positive(text: str, values: list[str]) -> None:
    assert found(TripRecognizer(), text) == [("Itinerary/Trajectory", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        "坐3号线去公司", "这个型号是A320", "酒店一般几点退房", "the G7 summit",
        # No date, no travel word, or not a place.
        "the drive from Leeds to York takes 40 minutes", "moving to a new flat in March", "going to bed in May",
    ],
)
def test_trip_negative(text: str) -> None:
    assert found(TripRecognizer(), text) == []


def test_card_tail_numbers() -> None:
    rec = BankAccountRecognizer()
    assert found(rec, "银行打电话问我工行卡尾号是4417") == [("Financial Account", "4417")]
    assert found(rec, "the card ending in 0385 was declined") == [("Financial Account", "0385")]
    assert found(rec, "a gambling block on my card ending 4417, they said") == [("Financial Account", "4417")]
    assert found(rec, "my Visa ending 2290 got declined") == [("Financial Account", "2290")]
    assert found(rec, "尾号限行，周三不能开") == []
    # The expiry read out with the number, month first; not a passport's full year.
    assert found(rec, "卡号我发你了，有效期 11/28") == [("Financial Account", "11/28")]
    assert found(rec, "card exp 04/29, what else do they need") == [("Financial Account", "04/29")]
    assert found(rec, "passport expires 09/2031") == []


# ---- English facts with a written form -------------------------------------------------


@pytest.mark.parametrize(
    "text, found_",
    [
        ("we moved to 1180 Harbor View Drive, Apt 4C, Tacoma, WA 98403 in May",
         [("Detailed Address", "1180 Harbor View Drive, Apt 4C, Tacoma, WA 98403")]),
        ("flat viewing at 14 Linden Road, N16 tonight", [("Detailed Address", "14 Linden Road, N16")]),
        ("i got laid off from Brightwell Logistics last week", [("Employer/Company Name", "Brightwell Logistics")]),
        ("she's a nurse at St Agnes Hospital", [("Employer/Company Name", "St Agnes Hospital")]),
        ("my daughter attends Maple Grove Elementary", [("School", "Maple Grove Elementary")]),
        ("honestly I voted Reform last time", [("Political Views/Stance", "voted Reform last time")]),
        ("my mum's Labour through and through", []),
        ("she's Labour through and through", [("Political Views/Stance", "Labour through and through")]),
        ("Moira Galbraith (dob 12/03/2016) attends", [("Specific Date of Birth", "12/03/2016")]),
        ("her boyfriend is Muslim and her dad minds", [("Sensitive Identity", "Muslim")]),
        ("i'm gay and haven't told my parents", [("Sensitive Identity", "gay")]),
        ("Religion: Catholic\nNext of kin: on file", [("Sensitive Identity", "Catholic")]),
        ("María Owusu, Senior Policy Analyst", [("Job Title/Rank", "Senior Policy Analyst")]),
        ("Kenji Nakamura, Professor of Theology and Political Thought", [("Job Title/Rank", "Professor of Theology and Political Thought")]),
        ("As a graduate teaching assistant and researcher, I", [("Job Title/Rank", "graduate teaching assistant and researcher")]),
        ("im a senior carer, nights mostly", [("Job Title/Rank", "senior carer")]),
        ("send it to Flat 2, 118 Cromwell Road, Bristol BS6 5EZ please", [("Detailed Address", "Flat 2, 118 Cromwell Road, Bristol BS6 5EZ")]),
        # Votes with when, party work, worship with one's part in it, denominations, unions, visas.
        ("and i've voted Reform the last two times, which", [("Political Views/Stance", "voted Reform the last two times")]),
        ("my uncle is APC to the bone", [("Political Views/Stance", "APC to the bone")]),
        ("makes me want to go canvassing for Plaid next election", [("Political Views/Stance", "canvassing for Plaid")]),
        ("I'm an elder at Calvary Methodist, Adabraka. And", [("Sensitive Identity", "elder at Calvary Methodist, Adabraka")]),
        ("Say I can't make it for Sunday service at Bethesda this week", [("Sensitive Identity", "Sunday service at Bethesda")]),
        ("they're quite strict ghanaian methodists", [("Sensitive Identity", "ghanaian methodists")]),
        ("im in the GMB union, membership no 44", [("Sensitive Identity", "GMB union")]),
        ("im on a skilled worker visa tho", [("Sensitive Identity", "skilled worker visa")]),
    ],
)
def test_english_fact_positive(text: str, found_: list[tuple[str, str]]) -> None:
    assert found(EnglishFactRecognizer(), text) == found_


@pytest.mark.parametrize(
    "text",
    ["I work at home on Fridays", "I work at a bakery", "I voted today", "so excited for the trip",
     "he is bi-weekly paid", "I am a bit tired",
     "chapter 3 covers the basics", "the 2024 Road Safety Act",
     "Dear Hiring Manager, please find", "The Data Protection Officer will reply", "Nurse practitioners can prescribe",
     "I'm a huge fan of the show", "I'm a terrible cook",
     "customer service at Tesco was awful", "we live in the European Union", "I work in the union office",
     "the visa office is closed", "he is at the bone marrow clinic"],
)
def test_english_fact_negative(text: str) -> None:
    assert found(EnglishFactRecognizer(), text) == []


def test_recovery_codes_each_their_own_span() -> None:
    rec = VerificationCodeRecognizer()
    assert texts(rec, "github recovery codes are 7f3k9-q2m8x and 4hx8p-w61zd, where do I keep them") == [
        "7f3k9-q2m8x",
        "4hx8p-w61zd",
    ]
    assert texts(rec, "backup codes: abcd-1234, efgh-5678, ijkl-9012.") == ["abcd-1234", "efgh-5678", "ijkl-9012"]


def test_seed_phrases() -> None:
    """12-24 BIP-39-shaped words after their lead-in; prose after "seed phrase" is not one."""
    rec = PrivateKeyRecognizer()
    words = "orbit canyon velvet misery hawk lunar tide eleven bracket sponsor glance fury"
    assert found(rec, f"i wrote my seed phrase down: {words}. is google keep ok?") == [("Private Key", words)]
    assert texts(rec, f"助记词：{words}") == [words]
    assert texts(rec, f"seed words {words} and then some more") == [words]
    assert texts(rec, "my seed phrase is something i wrote down on paper and kept in the drawer of my desk") == []
    assert texts(rec, "recovery phrase written somewhere safe because losing those words means losing everything") == []


def test_passwords_named_in_passing() -> None:
    rec = PasswordRecognizer()
    assert texts(rec, "changed the password from Rory2019! to something longer") == ["Rory2019!"]
    assert texts(rec, "my old password was Summer22.") == ["Summer22"]
    assert texts(rec, "he changed the password?? it was Harbour77! and never said") == ["Harbour77!"]
    assert texts(rec, "password reset to default") == []
    assert texts(rec, "the password to my email is in the notes") == []


def test_greetings_and_sign_offs() -> None:
    """The addressee of a pasted message is a third party; whoever signs the user's draft is the user."""
    rec = ThirdPartyNameRecognizer()
    assert found(rec, "make this nicer:\n\nHi Gareth,\nthanks for the quote") == [("Third-Party Identifiable Info", "Gareth")]
    assert found(rec, "draft:\nDear Ms Okafor, I am writing") == [("Third-Party Identifiable Info", "Ms Okafor")]
    assert found(rec, "...see you then.\nCheers,\nDani") == [("Real Name", "Dani")]
    assert found(rec, "Hi there, quick question") == []
    assert found(rec, "Dear Sir, I am writing") == []
    assert found(rec, "best regards\nThe Team") == []


def test_first_name_list_is_what_its_generator_writes() -> None:
    """The committed list comes from `models/first_names.py`; Faker's lists move between
    versions, so the check is that the generator still reproduces nearly all of it and that
    no excluded everyday word slipped in."""
    from memveil.edge.recognizers.first_names import FIRST_NAMES
    from memveil.models.first_names import NOT_NAMES, first_names

    assert not FIRST_NAMES & NOT_NAMES
    assert all(name.isalpha() and name[0].isupper() and len(name) >= 3 for name in FIRST_NAMES)
    regenerated = set(first_names())
    assert len(regenerated & FIRST_NAMES) >= 0.95 * len(FIRST_NAMES)


def test_pinyin_table_is_what_its_generator_writes() -> None:
    """The committed readings come from `models/pinyin_readings.py` (pypinyin); its data can
    move between versions, so nearly all pairs must be reproduced and every GB2312 character
    must have a reading."""
    from memveil.edge.recognizers.people import _pinyin_table
    from memveil.models.pinyin_readings import gb2312_characters, readings

    committed = _pinyin_table()
    assert set(gb2312_characters()) <= committed.keys()
    assert "zeng" in committed["曾"] and "ceng" in committed["曾"] and committed["吕"] == ("lv",)
    pairs = {(char, reading) for char, rs in committed.items() for reading in rs}
    regenerated = {(char, reading) for reading, chars in readings().items() for char in chars}
    assert len(pairs & regenerated) >= 0.95 * len(pairs)


# ---- Court and police matters ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("案号是(2023)粤0306民初28815号，下周开庭", "(2023)粤0306民初28815号"),
        ("仲裁那边给的是宁鼓劳人仲案字〔2024〕第0312号", "宁鼓劳人仲案字〔2024〕第0312号"),
        ("被追尾了，事故认定书写的对方全责", "事故认定书写的对方全责"),
        ("交警认定我全责 保险怎么赔", "交警认定我全责"),
        ("对方起诉我要赔8万6", "对方起诉我要赔8万6"),
        ("关于沈若琳诉深圳拓远物流一案的意见", "诉深圳拓远物流一案"),
        ("离婚的时候孙子判给了我儿子", "孙子判给了我儿子"),
        ("法院判他每月付2500抚养费", "法院判他每月付2500抚养费"),
        ("仲裁委裁了我们赔 4.6万", "仲裁委裁了我们赔 4.6万"),
        ("因为打架被行政拘留过5天", "因为打架被行政拘留过5天"),
        ("他前几年集资诈骗判了七年", "集资诈骗判了七年"),
        ("现在成失信被执行人了", "失信被执行人"),
        ("年轻时被判过盗窃罪，判了两年缓刑三年", "被判过盗窃罪，判了两年缓刑三年"),
        ("he was charged with reckless driving in March", "charged with reckless driving in March"),
        ("got done for drink driving last month", "got done for drink driving last month"),
        ("Your licence is suspended for 28 days from 3 May 2025", "licence is suspended for 28 days from 3 May 2025"),
        ("court date on the 17th for a drink driving charge", "court date on the 17th for a drink driving charge"),
        ("we had a bankruptcy in 2021 so no credit", "had a bankruptcy in 2021"),
        ("there's a ccj from 2021 on my file", "ccj from 2021"),
        ("I've had sole custody since 2022", "sole custody since 2022"),
    ],
)
def test_judicial_positive(text: str, value: str) -> None:
    assert found(JudicialRecognizer(), text) == [("Judicial Record", value)]


@pytest.mark.parametrize(
    "text",
    ["酒驾怎么处罚", "我们公司起诉了一个客户", "这个案子判得太轻了吧", "(2023)年度总结第3号文件", "I'm done for the day",
     "what is a court date anyway", "my licence expires in May", "custody battles are awful to watch"],
)
def test_judicial_negative(text: str) -> None:
    assert found(JudicialRecognizer(), text) == []


# ---- Business secrets -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("我们组下个月要并到直播事业部，内部还没宣布，我怕到时候被优化", ["我们组下个月要并到直播事业部"]),
        ("还有个事 公司下半年要并购一家杭州的软件公司 这事还没公开 收购价大概2.3个亿",
         ["公司下半年要并购一家杭州的软件公司", "收购价大概2.3个亿"]),
        ("老板私下说Q3要把整个推荐系统外包给字节", ["Q3要把整个推荐系统外包给字节"]),
        ("Heads up, this is confidential: we're announcing layoffs of 40 people in March.",
         ["we're announcing layoffs of 40 people in March"]),
    ],
)
def test_business_secret_positive(text: str, values: list[str]) -> None:
    assert found(BusinessSecretRecognizer(), text) == [("Business Secret", v) for v in values]


@pytest.mark.parametrize(
    "text",
    [
        "公司裁员的新闻你看了吗",  # no word of secrecy
        "帮我保密哦，听说大疆又裁员了",  # public news, whatever else is secret
        "this is confidential, please don't forward it",  # secret, but no business event
        "IBM just announced layoffs, is that confidential?",
    ],
)
def test_business_secret_negative(text: str) -> None:
    assert found(BusinessSecretRecognizer(), text) == []


def test_rule_value_is_the_group_that_took_part() -> None:
    """A pattern may name its value "value" in one alternative and otherwise in another; a
    match of the other alternative is not lost."""

    class Either(RuleRecognizer):
        rules = (Rule(re.compile(r"id (?P<value>\d{3})|no\. ?(?P<b>\d{3})"), "ID Number", 0.5),)

    assert found(Either(), "id 123 and no. 456") == [("ID Number", "123"), ("ID Number", "456")]
