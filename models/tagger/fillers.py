"""Slot fillers: the values that go into template slots, for English (en_US, en_GB) and Chinese
(zh_CN, zh_TW) turns, drawn from a seeded `random.Random`, seeded Faker instances and our own
lexicons.

`SLOTS[name] = (type_name or None, function(ctx) -> str)`. A slot with a type becomes a span of
that type; a slot without one is neutral filler (hard-negative material). Every value is
returned stripped: no surrounding whitespace and no lead-in words, so a slot is exactly a span.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from memveil.models.tagger import lexicon_en as EN
from memveil.models.tagger import lexicon_zh as ZH

#: Reference year for ages (kept fixed so the corpus does not change with the calendar).
REF_YEAR = 2025

# -------------------------------------------------------------------------------- context


@dataclass
class Ctx:
    """Everything a filler may use for one example: the rng, Faker for the locale, the persona."""

    rng: random.Random
    lang: str  # "en" | "zh"
    variant: str  # "us" | "gb" | "cn" | "tw"
    fake: Any  # Faker for the variant's locale
    fakers: dict[str, Any]
    gender: str  # "f" | "m"
    user_name: str
    user_first: str
    user_last: str
    birth: tuple[int, int, int]
    cache: dict[str, str] = field(default_factory=dict)
    names_used: set[str] = field(default_factory=set)

    @property
    def age(self) -> int:
        return REF_YEAR - self.birth[0]


def _c(rng: random.Random, seq: Sequence[Any]) -> Any:
    return seq[rng.randrange(len(seq))]


def _digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    out = [str(rng.randrange(10)) for _ in range(n)]
    if first_nonzero and n:
        out[0] = str(rng.randrange(1, 10))
    return "".join(out)


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(alphabet[rng.randrange(len(alphabet))] for _ in range(n))


def _luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


_ZH_DIGITS = "零一二三四五六七八九"


def _zh_below_10000(n: int, leading: bool) -> str:
    out: list[str] = []
    started = zero = False
    for base, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q, n = divmod(n, base)
        if q:
            if zero and started:
                out.append("零")
            zero = False
            if base == 10 and q == 1 and not started and leading:
                out.append("十")
            elif q == 2 and base >= 1000 and not started:
                out.append("两" + unit)
            else:
                out.append(_ZH_DIGITS[q] + unit)
            started = True
        elif started:
            zero = True
    return "".join(out)


def zh_number(n: int) -> str:
    """Chinese numerals for 0 <= n < 10**8 (ages, round amounts): 34 -> 三十四, 20000 -> 两万."""
    if n == 0:
        return "零"
    if n >= 10000:
        w, r = divmod(n, 10000)
        head = "两" if w == 2 else _zh_below_10000(w, True)
        return head + "万" + (("零" if r < 1000 else "") + _zh_below_10000(r, False) if r else "")
    return _zh_below_10000(n, True)


def _strip(value: str) -> str:
    return " ".join(value.replace("\n", ", ").split()).strip(" ,;")


def _fmt(rng: random.Random, pattern: str, **extra: Any) -> str:
    """Fill a lexicon pattern's numeric holes ({k}, {m}, {h}, ...) with plausible numbers."""
    values = {
        "k": rng.randint(12, 95), "m": rng.randint(2, 9), "h": rng.randint(1, 9), "hr": rng.randint(14, 68),
        "b": rng.randint(1, 4), "d": rng.randint(1, 9), "cs": rng.randint(480, 820), "y": rng.randint(2008, 2023),
        "v": rng.randint(2, 60), "p": rng.randint(8, 40), "q": rng.randint(1, 4), "w": rng.randint(2, 90),
        "f": _c(rng, ("两", "三", "一")), "a": rng.randint(3, 12), "t": rng.randint(13, 17),
        "mk": rng.randint(6, 40),
    }
    values.update(extra)
    return pattern.format(**values)


# -------------------------------------------------------------------------------- persona


def make_ctx(rng: random.Random, fakers: dict[str, Any], lang: str, variant: str) -> Ctx:
    fake = fakers[variant]
    gender = "f" if rng.random() < 0.5 else "m"
    year = rng.randint(1955, 2006)
    birth = (year, rng.randint(1, 12), rng.randint(1, 28))
    if lang == "en":
        first = fake.first_name_female() if gender == "f" else fake.first_name_male()
        last = fake.last_name()
        name = f"{first} {last}"
    else:
        name = _zh_full_name(rng, fake, gender)
        last, first = _zh_split(name)
    ctx = Ctx(rng, lang, variant, fake, fakers, gender, name, first if lang == "en" else _zh_given_variant(name),
              last, birth)
    ctx.names_used.add(name)
    return ctx


_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯")
_COMPOUND_TW = ("歐陽", "司馬", "諸葛", "上官", "東方", "皇甫", "慕容", "令狐", "司徒", "夏侯")


def _zh_split(name: str) -> tuple[str, str]:
    n = 2 if name.startswith(_COMPOUND) or name.startswith(_COMPOUND_TW) else 1
    return name[:n], name[n:]


def _zh_given_variant(name: str) -> str:
    """The given name when it can stand alone as the user's name (2+ characters), else the full name."""
    _, given = _zh_split(name)
    return given if len(given) >= 2 else name


def _zh_full_name(rng: random.Random, fake: Any, gender: str) -> str:
    if rng.random() < 0.08:
        sur = _c(rng, _COMPOUND_TW if fake.locales == ["zh_TW"] else _COMPOUND)
    else:
        sur = fake.last_name()
    given = fake.first_name_female() if gender == "f" else fake.first_name_male()
    if len(given) == 1 and rng.random() < 0.55:
        given += fake.first_name()[-1]
    return sur + given


def third_party_name(ctx: Ctx, short: bool = False) -> str:
    """A person other than the user, never sharing the user's name or given name."""
    rng = ctx.rng
    for _ in range(20):
        if ctx.lang == "en":
            roll = rng.random()
            if roll < 0.08:
                zh = ctx.fakers["cn"]
                name = f"{zh.first_romanized_name()} {zh.last_romanized_name()}"
            elif roll < 0.14:
                name = f"{ctx.fakers['us' if ctx.variant == 'gb' else 'gb'].first_name()} {ctx.fake.last_name()}"
            else:
                name = f"{ctx.fake.first_name()} {ctx.fake.last_name()}"
            if short:
                name = name.split(" ")[0]
            if name.split(" ")[0] == ctx.user_first or name in ctx.names_used:
                continue
        else:
            if short:
                roll = rng.random()
                if roll < 0.12:
                    name = _c(rng, ("Jessica", "Kevin", "Tony", "Lisa", "Amy", "Eric", "Cindy", "Jason", "Vivian", "Leo"))
                else:
                    full = _zh_full_name(rng, ctx.fake, _c(rng, "fm"))
                    sur, given = _zh_split(full)
                    name = given if len(given) >= 2 and roll < 0.7 else ("小" if roll < 0.85 else "老") + sur
            else:
                name = _zh_full_name(rng, ctx.fake, _c(rng, "fm"))
            if name in ctx.names_used or ctx.user_first in name or name in ctx.user_name:
                continue
        ctx.names_used.add(name)
        return name
    return "Morgan Lee" if ctx.lang == "en" else "周晓棠"


def _p3_title(ctx: Ctx) -> str:
    for _ in range(10):
        sur = ctx.fake.last_name()
        if sur != ctx.user_last:
            break
    if ctx.variant == "tw":
        return sur + _c(ctx.rng, ("老師", "經理", "醫師", "姐", "哥", "先生", "小姐"))
    return sur + _c(ctx.rng, ("老师", "总", "经理", "姐", "哥", "医生", "主任", "律师", "师傅", "阿姨"))


# -------------------------------------------------------------------------------- contact


def _address(ctx: Ctx) -> str:
    rng, fk = ctx.rng, ctx.fake
    if ctx.variant == "us":
        street = fk.street_address()
        roll = rng.random()
        if roll < 0.5:
            return _strip(f"{street}, {fk.city()}, {fk.state_abbr()} {fk.zipcode()}")
        if roll < 0.75:
            return _strip(street)
        return _strip(f"{street}, {fk.city()}")
    if ctx.variant == "gb":
        street = fk.street_address()
        roll = rng.random()
        if roll < 0.5:
            return _strip(f"{street}, {fk.city()} {fk.postcode()}")
        if roll < 0.75:
            return _strip(f"{street}, {fk.postcode()}")
        return _strip(f"Flat {rng.randint(1, 40)}, {street}, {fk.city()}")
    if ctx.variant == "tw":
        base = f"{fk.city_name()}市{fk.street_address()}"
        if rng.random() < 0.5:
            base += f"{rng.randint(2, 20)}樓"
        if rng.random() < 0.3:
            base = f"{fk.postcode()}{base}"
        return base
    city = _zh_city(ctx)
    district = fk.district().rstrip("区")
    road = _c(rng, ZH.ROADS) if rng.random() < 0.6 else fk.street_name()
    estate = _c(rng, ZH.ESTATES)
    num, b, u, room = rng.randint(1, 999), rng.randint(1, 30), rng.randint(1, 6), f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
    form = rng.randrange(6)
    if form == 0:
        return f"{fk.province()}{city}市{district}区{road}{num}号{estate}{b}栋{u}单元{room}"
    if form == 1:
        return f"{city}市{district}区{estate}{b}号楼{u}单元{room}室"
    if form == 2:
        return f"{district}区{road}{num}号{estate}{b}栋{room}"
    if form == 3:
        return f"{city}{district}区{road}{num}弄{rng.randint(1, 60)}号{room}室"
    if form == 4:
        return f"{estate}{b}号楼{u}单元{room}"
    return f"{city}市{district}区{road}{num}号"


_NOT_MAINLAND = ("台北", "台中", "台南", "高雄", "香港", "澳门", "新竹", "基隆")


def _zh_city(ctx: Ctx) -> str:
    city = ctx.fake.city_name()
    return _c(ctx.rng, ZH.CITIES) if city in _NOT_MAINLAND else city


def _email(ctx: Ctx, own: bool = True) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if own and rng.random() < 0.7:
            first, last = ctx.user_first.lower(), ctx.user_last.lower().replace("'", "")
        else:
            first, last = ctx.fake.first_name().lower(), ctx.fake.last_name().lower().replace("'", "")
        local = _c(rng, (f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first[0]}{last}",
                         f"{first}_{last}", f"{last}.{first}{rng.randint(70, 99)}", ctx.fake.user_name()))
        domain = _c(rng, ("gmail.com", "gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com",
                          "proton.me", "aol.com", "hotmail.co.uk", "btinternet.com", ctx.fake.domain_name()))
        return f"{local}@{domain}".replace(" ", "")
    fk = ctx.fakers["cn"]
    roll = rng.random()
    if roll < 0.3:
        return f"{_digits(rng, rng.randint(8, 10), True)}@qq.com"
    if ctx.variant == "tw":
        local = ctx.fake.user_name()
    else:
        local = _c(rng, (f"{fk.last_romanized_name().lower()}{fk.first_romanized_name().lower()}",
                         f"{fk.first_romanized_name().lower()}{rng.randint(80, 2005)}",
                         f"{_c(rng, ZH.PINYIN)}_{rng.randint(1, 999)}", fk.user_name()))
    domain = _c(rng, ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
                      "139.com", "yeah.net", "hotmail.com"))
    return f"{local}@{domain}"


def _phone(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "us":
        a, b, c = f"{rng.randint(2, 9)}{_digits(rng, 2)}", f"{rng.randint(2, 9)}{_digits(rng, 2)}", _digits(rng, 4)
        return _c(rng, (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"{a}{b}{c}",
                        f"+1-{a}-{b}-{c}"))
    if ctx.variant == "gb":
        if rng.random() < 0.7:
            body = f"7{_digits(rng, 3)}"
            rest = _digits(rng, 6)
            return _c(rng, (f"0{body} {rest}", f"+44 {body} {rest}", f"0{body}{rest}", f"+44 {body} {rest[:3]} {rest[3:]}"))
        return _c(rng, (f"020 {_digits(rng, 4)} {_digits(rng, 4)}", f"0161 {_digits(rng, 3)} {_digits(rng, 4)}",
                        f"0113 {_digits(rng, 3)} {_digits(rng, 4)}"))
    if ctx.variant == "tw":
        body = f"09{_digits(rng, 2)}"
        rest = _digits(rng, 6)
        if rng.random() < 0.8:
            return _c(rng, (f"{body}-{rest[:3]}-{rest[3:]}", f"{body}{rest}", f"+886 {body[1:]} {rest[:3]} {rest[3:]}"))
        return f"(0{rng.randint(2, 8)}) {_digits(rng, 4)}-{_digits(rng, 4)}"
    if rng.random() < 0.85:
        num = f"1{_c(rng, '3456789')}{_digits(rng, 9)}"
        return _c(rng, (num, num, num, f"{num[:3]} {num[3:7]} {num[7:]}", f"{num[:3]}-{num[3:7]}-{num[7:]}",
                        f"+86 {num}", f"+86-{num}"))
    area = _c(rng, ("010", "021", "020", "0755", "0571", "025", "028", "027"))
    return f"{area}-{_digits(rng, 8 if len(area) == 3 else 7, True)}"


# -------------------------------------------------------------------------------- identity


def _job(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.2:
            for _ in range(5):
                job = ctx.fake.job()
                if not any(ch in job for ch in ",/()"):
                    return job[0].lower() + job[1:] if rng.random() < 0.6 else job
        return _c(rng, EN.JOBS)
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["JOBS"])
    return _c(rng, ZH.JOBS)


def _employer(ctx: Ctx) -> str:
    rng = ctx.rng
    roll = rng.random()
    if ctx.lang == "en":
        if roll < 0.35:
            name = _c(rng, EN.FAMOUS_EMPLOYERS)
            return name[4:] if name.startswith("the ") else name
        if roll < 0.8:
            return _strip(ctx.fake.company())
        return ctx.fake.last_name() + _c(rng, EN.EMPLOYER_SUFFIX)
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["EMPLOYERS"]) if roll < 0.6 else ctx.fake.company()
    if roll < 0.35:
        return _c(rng, ZH.FAMOUS_EMPLOYERS)
    if roll < 0.85:
        city = _c(rng, ZH.CITIES) if rng.random() < 0.6 else ""
        return f"{city}{_c(rng, ZH.COMPANY_BRANDS)}{_c(rng, ZH.COMPANY_INDUSTRY)}{_c(rng, ZH.COMPANY_SUFFIX)}"
    return _c(rng, ZH.CITIES) + _c(rng, ZH.ORG_UNITS)


def _dob(ctx: Ctx) -> str:
    rng = ctx.rng
    y, m, d = ctx.birth
    if ctx.lang == "en":
        suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        forms = [f"{EN.MONTHS[m - 1]} {d}, {y}", f"{d} {EN.MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}",
                 f"{EN.MONTHS[m - 1]} {d}{suffix}, {y}", f"{d}{suffix} {EN.MONTHS[m - 1]} {y}",
                 f"{EN.MONTHS_SHORT[m - 1]} {d} {y}"]
        forms.append(f"{m:02d}/{d:02d}/{y}" if ctx.variant == "us" else f"{d:02d}/{m:02d}/{y}")
        forms.append(f"{m}/{d}/{y % 100:02d}" if ctx.variant == "us" else f"{d}/{m}/{y}")
        return _c(rng, forms)
    return _c(rng, (f"{y}年{m}月{d}日", f"{y}年{m}月{d}号", f"{y}.{m:02d}.{d:02d}", f"{y}-{m}-{d}",
                    f"{y % 100:02d}年{m}月{d}号", f"{y}/{m:02d}/{d:02d}", f"{y}年{m:02d}月{d:02d}日"))


def _age(ctx: Ctx) -> str:
    age = ctx.age
    if ctx.lang == "en":
        return str(age)
    unit = "歲" if ctx.variant == "tw" else "岁"
    if ctx.rng.random() < 0.15:
        return zh_number(age) + unit
    return f"{age}{unit}"


def _gender(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.04:
            return _c(rng, ("trans woman", "trans man", "non-binary person"))
        young = ctx.age < 35
        if ctx.gender == "f":
            return _c(rng, ("woman", "woman", "female", "girl" if young else "lady"))
        return _c(rng, ("man", "man", "male", "guy" if young else "gentleman"))
    return "女" if ctx.gender == "f" else "男"


def _gender_word(ctx: Ctx) -> str:
    if ctx.lang == "en":
        return _c(ctx.rng, ("female", "F") if ctx.gender == "f" else ("male", "M"))
    return _c(ctx.rng, ("女生", "女性", "女孩") if ctx.gender == "f" else ("男生", "男性", "男的"))


def _school(ctx: Ctx, young: bool = False) -> str:
    rng, fk = ctx.rng, ctx.fake
    if ctx.lang == "en":
        if young:
            return _c(rng, ("{last} Elementary", "{last} Middle School", "St. {first}'s Primary School",
                            "{city} Elementary School", "{last} Academy")).format(
                last=fk.last_name(), first=fk.first_name(), city=fk.city())
        if rng.random() < 0.4:
            return _c(rng, EN.FAMOUS_SCHOOLS)
        state = fk.state() if ctx.variant == "us" else _c(rng, ("Leeds", "Bristol", "Kent", "Sussex", "Manchester", "York"))
        return _c(rng, EN.SCHOOL_PATTERNS).format(last=fk.last_name(), first=fk.first_name(), city=fk.city(), state=state)
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["SCHOOLS"])
    if young:
        return _c(rng, ("{city}实验小学", "{district}区第{n}小学", "{city}市第{n}中学", "{city}外国语学校",
                        "{district}区实验小学")).format(city=_zh_city(ctx), district=fk.district().rstrip("区"), n=rng.randint(1, 12))
    if rng.random() < 0.35:
        return _c(rng, ZH.FAMOUS_SCHOOLS)
    return _c(rng, ZH.SCHOOL_PATTERNS).format(city=_zh_city(ctx), district=fk.district().rstrip("区"), n=rng.randint(1, 15))


_EN_UNI = ("University of {state}", "{state} State University", "{city} Community College", "{city} Technical College",
           "{last} College")
_ZH_UNI = ("{city}师范大学", "{city}理工大学", "{city}大学", "{city}医科大学", "{city}职业技术学院", "{city}财经学院")


def _university(ctx: Ctx) -> str:
    rng, fk = ctx.rng, ctx.fake
    if ctx.lang == "en":
        if rng.random() < 0.4:
            return _c(rng, EN.FAMOUS_SCHOOLS)
        state = fk.state() if ctx.variant == "us" else _c(rng, ("Leeds", "Bristol", "Kent", "Sussex", "Manchester", "York"))
        return _c(rng, _EN_UNI).format(state=state, city=fk.city(), last=fk.last_name())
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["SCHOOLS"][:7])
    if rng.random() < 0.4:
        return _c(rng, ZH.FAMOUS_SCHOOLS[:20])
    return _c(rng, _ZH_UNI).format(city=_zh_city(ctx))


# -------------------------------------------------------------------------------- accounts, network


def _username(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.6:
            return ctx.fake.user_name().replace("'", "")
        sep = _c(rng, ("_", ".", ""))
        return f"{ctx.user_first.lower()}{sep}{ctx.user_last.lower()[:4]}{rng.randint(1, 999)}".replace("'", "")
    roll = rng.random()
    if roll < 0.3:
        return f"wxid_{_alnum(rng, 14, string.ascii_lowercase + string.digits)}"
    if roll < 0.6:
        return f"{_c(rng, ZH.PINYIN)}{_c(rng, ('_', '', '.'))}{rng.randint(1, 2005)}"
    return ctx.fakers["cn"].user_name()


def _wechat(ctx: Ctx) -> str:
    if ctx.rng.random() < 0.6:
        return _username(ctx)
    return "wxid_" + _alnum(ctx.rng, 12, string.ascii_lowercase + string.digits)


def _employee_id(ctx: Ctx) -> str:
    rng = ctx.rng
    return _c(rng, (f"E-{_digits(rng, 5)}", f"EMP{_digits(rng, 6)}", f"A{_digits(rng, 5)}", _digits(rng, 7, True)))


def _handle(ctx: Ctx) -> str:
    return "@" + _username(ctx).replace("wxid_", "").replace(".", "_")


def _network_ip(ctx: Ctx) -> str:
    if ctx.rng.random() < 0.12:
        return ctx.fake.ipv6()
    return ctx.fake.ipv4_public()


def _mac(ctx: Ctx) -> str:
    mac = ctx.fake.mac_address()
    return mac.upper() if ctx.rng.random() < 0.4 else mac


def _device_id(ctx: Ctx) -> str:
    rng = ctx.rng
    u = str(uuid.UUID(int=rng.getrandbits(128)))
    return _c(rng, (u.upper(), u, _alnum(rng, 16, "0123456789abcdef")))


def _imei(ctx: Ctx) -> str:
    return _luhn_complete(ctx.rng, _c(ctx.rng, ("35", "86", "01", "49")), 15)


def _homepage(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        slug = (ctx.user_first + ctx.user_last).lower().replace("'", "")
    else:
        slug = _c(rng, ZH.PINYIN) + str(rng.randint(1, 99))
    return _c(rng, (f"https://{slug}.dev", f"www.{slug}.com", f"https://github.com/{slug}", f"{slug}.me",
                    f"https://{slug}.github.io", f"https://www.linkedin.com/in/{slug}-{rng.randint(10, 999)}"))


# -------------------------------------------------------------------------------- medical


def _cond(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.25:
            return f"{_c(rng, EN.QUALIFIERS)} {_c(rng, EN.QUALIFIABLE)}"
        return _c(rng, EN.CONDITIONS)
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["CONDITIONS"])
    if rng.random() < 0.2:
        return _c(rng, ZH.QUALIFIERS) + _c(rng, ZH.QUALIFIABLE)
    return _c(rng, ZH.CONDITIONS)


def _meds(ctx: Ctx, freq: bool = True) -> str:
    rng = ctx.rng
    lex = EN if ctx.lang == "en" else ZH
    drug, doses = _c(rng, lex.MEDICATIONS)
    dose = _c(rng, doses)
    sep = " " if ctx.lang == "en" else ""
    value = f"{drug}{sep}{dose}" if dose else drug
    if freq:
        value += _c(rng, lex.MED_FREQ)
    return value


def _proc(ctx: Ctx) -> str:
    return _c(ctx.rng, EN.PROCEDURES if ctx.lang == "en" else ZH.PROCEDURES)


def _measure(ctx: Ctx) -> str:
    rng = ctx.rng
    lex = EN if ctx.lang == "en" else ZH
    name, values = _c(rng, lex.MEASURES)
    return f"{name}{_c(rng, lex.MEASURE_JOIN)}{_c(rng, values)}"


_MEDSTATE_EN = ("12 weeks pregnant", "six months pregnant", "in remission from lymphoma", "on dialysis",
                "recovering from a stroke", "eight weeks postpartum", "legally blind", "HIV positive",
                "in recovery from alcoholism", "waiting for a liver transplant", "undergoing chemo",
                "two weeks out of heart surgery", "on the transplant list", "trying to get pregnant through IVF")
_MEDSTATE_ZH = ("怀孕12周", "怀孕五个月了", "产后两个月", "刚做完化疗", "在做透析", "乳腺癌术后三年",
                "正在做试管", "刚查出怀孕", "心脏搭桥术后恢复中", "抑郁症复发了", "HIV感染者", "在排队等肾移植",
                "刚做完人流一周")


def _medstate(ctx: Ctx) -> str:
    return _c(ctx.rng, _MEDSTATE_EN if ctx.lang == "en" else _MEDSTATE_ZH)


# -------------------------------------------------------------------------------- money


def _amount_en(rng: random.Random, big: bool = False) -> str:
    val = _c(rng, (rng.randint(40, 950), rng.randint(2, 60) * 100, rng.randint(1, 40) * 1000 + _c(rng, (0, 0, 500))))
    if big:
        val = rng.randint(3, 90) * 1000
    roll = rng.random()
    if roll < 0.55:
        return f"${val:,}"
    if roll < 0.7:
        return f"${val}"
    if roll < 0.8:
        return f"{val:,} dollars"
    if roll < 0.92:
        return f"£{val:,}"
    return f"${val // 1000}k" if val >= 1000 else f"€{val}"


def _amount_zh(rng: random.Random) -> str:
    val = _c(rng, (rng.randint(3, 95) * 100, rng.randint(1, 30) * 1000, rng.randint(1, 60) * 10000, rng.randint(120, 990)))
    roll = rng.random()
    if val >= 10000 and roll < 0.6:
        w = val // 10000
        return _c(rng, (f"{w}万", f"{w}万多", f"{zh_number(w)}万", f"{w}万块"))
    if roll < 0.75:
        return _c(rng, (f"{val}元", f"{val}块", f"{val}块钱", f"{val}多"))
    if val % 1000 == 0 and val < 10000:
        return zh_number(val) + _c(rng, ("块", "元", "多块"))
    return f"{val}元"


def _txn(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.15:
            return f"{_c(rng, ('sent', 'transferred', 'wired', 'Venmoed'))} {_amount_en(rng)} {_c(rng, EN.TXN_TO_PERSON)}"
        return f"{_c(rng, EN.TXN_VERBS)} {_amount_en(rng)} {_c(rng, EN.TXN_PURPOSES)}"
    forms = ZH.TW["TXN"] if ctx.variant == "tw" else ZH.TXN_FORMS
    amt = _amount_zh(rng)
    if ctx.variant == "tw":
        amt = amt.replace("万", "萬").replace("块钱", "元").replace("多块", "多元").replace("块", "元").replace("两", "兩")
    return _c(rng, forms).format(a=amt)


def _txn_dispute(ctx: Ctx) -> str:
    """A charge the user disputes: amount, date and often the merchant."""
    rng = ctx.rng
    if ctx.lang == "en":
        m, d, y = rng.randint(1, 12), rng.randint(1, 28), rng.randint(2019, 2025)
        date = _c(rng, (f"{m:02d}/{d:02d}/{y}", f"{EN.MONTHS[m - 1]} {d}", f"{EN.MONTHS[m - 1]} {d}, {y}", f"{y}-{m:02d}-{d:02d}"))
        amount = _amount_en(rng) if rng.random() < 0.6 else f"${rng.randint(5, 900)}.{rng.randint(0, 99):02d}"
        adj, noun, shop = _c(rng, EN.DISPUTE_ADJ), _c(rng, EN.DISPUTE_NOUN), _c(rng, EN.DISPUTE_MERCHANTS)
        an = "an" if adj[0] in "aeiou" else "a"
        return _c(rng, (
            f"{an} {adj} {noun} of {amount} on {date}", f"{an} {adj} {noun} of {amount} from {shop}",
            f"{an} {adj} {noun} of {amount} from {shop} on {date}",
            f"{an} {adj} {noun} dated {date} for {amount}", f"a {amount} charge from {shop} that I never authorized",
        ))
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return _c(rng, ZH.DISPUTE_FORMS).format(d=f"{m}月{d}日", a=_amount_zh(rng), m=_c(rng, ZH.DISPUTE_MERCHANTS))


def _relig_practice(ctx: Ctx) -> str:
    return _c(ctx.rng, EN.RELIGION_PRACTICES if ctx.lang == "en" else ZH.RELIGION_PRACTICES)


def _trip(ctx: Ctx) -> str:
    """A planned trip: kind, destination and when (an itinerary without tickets)."""
    rng = ctx.rng
    if ctx.lang == "en":
        place = _c(rng, EN.TRIP_PLACES) if rng.random() < 0.6 else _c(rng, EN.CITIES_TRAVEL)
        date, m, d = _date_en(rng)
        when = _c(rng, ("next month", f"from {date} to {min(d + rng.randint(2, 12), 28)}", "this weekend",
                        "over Christmas", f"in early {EN.MONTHS[m - 1]}", f"next {_c(rng, EN.WEEKDAYS)}", ""))
        return f"{_c(rng, EN.TRIP_KINDS)} to {place} {when}".strip()
    return _c(rng, ZH.TRIP_FORMS).format(w=_c(rng, ZH.TRIP_WHEN), c=_c(rng, ZH.CITIES))


def _military(ctx: Ctx, noun: bool = False) -> str:
    """Military service: a verb phrase ("served 6 years in the Navy"), or with `noun` a noun
    phrase ("a Navy veteran"); Chinese forms read after 我 either way."""
    rng = ctx.rng
    if ctx.lang == "en":
        forms = EN.MILITARY_N if noun else EN.MILITARY
        return _c(rng, forms).format(n=rng.randint(2, 12), branch=_c(rng, EN.MILITARY_BRANCHES))
    return _c(rng, ZH.MILITARY).format(n=_c(rng, ("两", "三", "四", "五", "八", "十")))


def _salary(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        return _fmt(rng, _c(rng, EN.SALARY_FORMS), k=rng.randint(28, 240))
    if ctx.variant == "tw":
        return _fmt(rng, _c(rng, ZH.TW["INCOME"]), m=rng.randint(3, 9), w=rng.randint(1, 9))
    return _fmt(rng, _c(rng, ZH.INCOME_FORMS), w=rng.randint(8, 95))


def _wealth(ctx: Ctx) -> str:
    rng = ctx.rng
    return _fmt(rng, _c(rng, EN.WEALTH_FORMS), k=rng.randint(15, 900))


def _credit(ctx: Ctx) -> str:
    rng = ctx.rng
    return _fmt(rng, _c(rng, EN.CREDIT_FORMS), cs=rng.randint(480, 640))


def _debt(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        return _fmt(rng, _c(rng, EN.DEBT_FORMS), k=rng.randint(8, 95))
    if ctx.variant == "tw":
        return _fmt(rng, _c(rng, ZH.TW["DEBT"]), m=rng.randint(1, 5), w=rng.randint(1, 9))
    return _fmt(rng, _c(rng, ZH.DEBT_FORMS), m=rng.randint(2, 9), w=rng.randint(2, 60))


def _debt_v(ctx: Ctx) -> str:
    return _fmt(ctx.rng, _c(ctx.rng, EN.DEBT_V), k=ctx.rng.randint(3, 60))


# -------------------------------------------------------------------------------- travel, places


def _time_en(rng: random.Random) -> str:
    h, m = rng.randint(5, 22), _c(rng, (0, 5, 10, 15, 20, 30, 40, 45, 50, 55))
    if rng.random() < 0.5:
        return f"{h:02d}:{m:02d}"
    return f"{(h - 1) % 12 + 1}:{m:02d} {'am' if h < 12 else 'pm'}" if rng.random() < 0.5 else f"{(h - 1) % 12 + 1}:{m:02d}"


def _date_en(rng: random.Random) -> tuple[str, int, int]:
    m, d = rng.randint(1, 12), rng.randint(1, 27)
    return _c(rng, (f"{EN.MONTHS[m - 1]} {d}", f"{EN.MONTHS_SHORT[m - 1]} {d}", f"{m}/{d}")), m, d


def _flight(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        code, airline = _c(rng, EN.AIRLINES)
        num = rng.randint(10, 2999)
        a1, a2 = rng.sample(EN.AIRPORTS, 2)
        date, _, _ = _date_en(rng)
        t = _time_en(rng)
        return _c(rng, (
            f"{code}{num} from {a1} to {a2} on {date}",
            f"{airline} {code} {num} to {_c(rng, EN.CITIES_TRAVEL)} on {_c(rng, EN.WEEKDAYS)} at {t}",
            f"{airline} flight {code}{num}, {a1} to {a2}, departing {date} at {t}",
            f"{code}{num} {a1}-{a2} on {date}, seat {rng.randint(3, 45)}{_c(rng, 'ABCDEF')}",
            f"{t} {airline} flight from {a1} to {_c(rng, EN.CITIES_TRAVEL)} on {date}",
        ))
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    c1, c2 = rng.sample(ZH.CITIES, 2)
    f = _c(rng, ZH.FLIGHTS)
    hh, mm = rng.randint(6, 22), _c(rng, ("00", "15", "30", "45", "20", "55"))
    return _c(rng, (
        f"{m}月{d}日{f}从{c1}飞{c2}", f"{m}月{d}号坐{f}去{c2}", f"{m}月{d}号{hh}:{mm}的{f}，{_c(rng, ZH.AIRPORTS)}出发",
        f"{m}月{d}号{c1}飞{c2}的{f}航班", f"下周{_c(rng, '一二三四五六日')}{f}从{_c(rng, ZH.AIRPORTS)}飞{c2}",
    ))


def _train(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        s1, s2 = rng.sample(EN.STATIONS, 2)
        date, _, _ = _date_en(rng)
        return _c(rng, (
            f"{_time_en(rng)} {_c(rng, EN.TRAINS)} train from {s1} to {s2} on {_c(rng, EN.WEEKDAYS)}",
            f"{_c(rng, EN.TRAINS)} {rng.randint(100, 2999)} from {s1} to {s2} on {date}",
            f"{_time_en(rng)} train from {s1} to {s2} on {date}, coach {_c(rng, 'ABCDEFGH')} seat {rng.randint(1, 80)}",
        ))
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    if ctx.variant == "tw":
        s1, s2 = rng.sample(ZH.TW["STATIONS"], 2)
        return _c(rng, (f"{m}月{d}日{s1}到{s2}", f"{m}月{d}號早上{rng.randint(6, 11)}點{s1}到{s2}"))
    s1, s2 = rng.sample(ZH.STATIONS, 2)
    no = _c(rng, ZH.TRAIN_NOS)
    return _c(rng, (
        f"{m}月{d}号{no}次{s1}到{s2}", f"{m}月{d}号{s1}到{s2}的{no}", f"{m}月{d}日{no}次{s1}站到{s2}站，{rng.randint(1, 16)}车{rng.randint(1, 20)}{_c(rng, 'ABCDF')}座",
        f"下周{_c(rng, '一二三四五')}{s1}到{s2}的高铁{no}",
    ))


def _hotel(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        date, m, d = _date_en(rng)
        d2 = min(d + rng.randint(1, 6), 28)
        h, city = _c(rng, EN.HOTELS), _c(rng, EN.CITIES_TRAVEL)
        return _c(rng, (
            f"{h} in {city} from {date} to {d2}", f"{h} on {ctx.fake.street_name()}, room {rng.randint(101, 2420)}",
            f"{h} downtown until {_c(rng, EN.WEEKDAYS)}, room {rng.randint(101, 1820)}",
            f"{h} near {_c(rng, EN.AIRPORTS)} on the night of {date}", f"{h} in {city}, checking in {date}",
        ))
    m, d = rng.randint(1, 12), rng.randint(1, 25)
    d2 = d + rng.randint(1, 4)
    if ctx.variant == "tw":
        return f"{m}月{d}日到{d2}日住{ctx.fake.city_name()}{_c(rng, ZH.TW['HOTELS'])}"
    c, h = _c(rng, ZH.CITIES), _c(rng, ZH.HOTELS)
    return _c(rng, (
        f"{m}月{d}号到{d2}号住{c}{h}", f"{c}{_c(rng, ZH.ROADS)}的{h}，{m}月{d}号入住", f"{m}月{d}号入住{c}{h}{rng.randint(201, 1830)}房间",
        f"{c}{h}大床房，{m}月{d}号到{d2}号",
    ))


_ROUTE_DEST = ("the clinic", "the hospital", "my office", "the gym", "my methadone clinic", "the courthouse")


def _route(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        return _c(rng, (
            f"{_time_en(rng)} bus from {ctx.fake.street_name()} to {_c(rng, _ROUTE_DEST)} on {ctx.fake.street_name()}",
            f"{_time_en(rng)} train from {_c(rng, EN.STATIONS)} to {_c(rng, EN.STATIONS)} and then walk to "
            f"{_strip(ctx.fake.street_address())}",
            f"route {rng.randint(1, 99)} bus from {ctx.fake.street_name()} to {ctx.fake.street_name()} at {_time_en(rng)}",
        ))
    return _c(rng, (
        f"早上{rng.randint(6, 9)}点从{_c(rng, ZH.ESTATES)}坐{_c(rng, ZH.METRO)}到{_c(rng, ('国贸', '东单', '陆家嘴', '天府广场', '科技园', '西二旗', '五道口'))}",
        f"晚上{rng.randint(6, 10)}点下班从{_c(rng, ZH.ROADS)}骑车回{_c(rng, ZH.ESTATES)}",
        f"{rng.randint(6, 8)}点半送孩子到{_school(ctx, young=True)}再去{_c(rng, ZH.ROADS)}上班",
    ))


def _location(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        lat, lon = rng.uniform(25, 49), rng.uniform(-123, -70)
        if ctx.variant == "gb":
            lat, lon = rng.uniform(50.5, 55.8), rng.uniform(-3.5, 0.3)
        s1, s2 = ctx.fake.street_name(), ctx.fake.street_name()
        return _c(rng, (
            f"{_c(rng, EN.PLACE_SPOTS)} on {s1}", f"{_c(rng, EN.PLACE_SPOTS)} at {s1} and {s2}", f"{lat:.5f}, {lon:.5f}",
            f"level P{rng.randint(1, 4)}, spot {rng.randint(1, 400)} of the {ctx.fake.last_name()} Street garage",
            f"corner of {s1} and {s2}", f"gate {rng.randint(1, 12)} of {ctx.fake.last_name()} Park",
            f"bus stop outside {_strip(ctx.fake.street_address())}",
        ))
    if ctx.variant == "tw":
        return f"{ctx.fake.city_name()}{ctx.fake.street_name()}路口的{_c(rng, ('全家', '7-11', '星巴克', '捷運站2號出口'))}"
    lat, lon = rng.uniform(22, 41), rng.uniform(102, 122)
    return _c(rng, (
        f"{ctx.fake.district()}区{_c(rng, ZH.ROADS)}{_c(rng, ZH.LANDMARK_SPOTS)}", f"{_c(rng, ZH.ESTATES)}{rng.randint(1, 30)}号楼楼下",
        f"{_c(rng, ZH.ROADS)}地铁站{_c(rng, 'ABCD')}口", f"{lat:.4f},{lon:.4f}", f"{_c(rng, ZH.ESTATES)}东门对面的{_c(rng, ZH.LANDMARK_SPOTS)}",
        f"{_c(rng, ZH.CITIES)}{_c(rng, ZH.ROADS)}{rng.randint(1, 500)}号门口", f"{_c(rng, ('万达广场', '银泰', '龙湖天街', '大悦城'))}B{rng.randint(1, 3)}停车场{_c(rng, 'ABCDE')}区{rng.randint(1, 300)}号车位",
    ))


# -------------------------------------------------------------------------------- ids, finance


_CN_REGIONS = ("110101", "110105", "310104", "310115", "440305", "440106", "330106", "510107", "420106",
               "320102", "610113", "500103", "120101", "370202", "350203", "430104", "410105", "210102")


def cn_id(rng: random.Random, birth: tuple[int, int, int] | None = None) -> str:
    y, m, d = birth or (rng.randint(1955, 2006), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{_c(rng, _CN_REGIONS)}{y}{m:02d}{d:02d}{_digits(rng, 3)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


_NINO_WORDS = frozenset("MY AT IS AN AS BE BY GO HE ME NO OF OK ON OR SO TO UP US WE AM IT IF IN".split())


def _nino(rng: random.Random) -> str:
    letters = "ABCEGHJKLMNPRSTWXYZ"
    p = "MY"
    while p in _NINO_WORDS:
        p = _c(rng, letters) + _c(rng, letters)
    n = _digits(rng, 6)
    return _c(rng, (f"{p}{n}{_c(rng, 'ABCD')}", f"{p} {n[:2]} {n[2:4]} {n[4:]} {_c(rng, 'ABCD')}"))


def _idnum(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "us":
        ssn = ctx.fake.ssn()
        return ssn if rng.random() < 0.8 else ssn.replace("-", "")
    if ctx.variant == "gb":
        return _nino(rng)
    if ctx.variant == "tw":
        return ctx.fake.ssn()
    return cn_id(rng, ctx.birth if rng.random() < 0.7 else None)


def _ssn(ctx: Ctx) -> str:
    if ctx.variant == "gb":
        return _nino(ctx.rng)
    ssn = ctx.fakers["us"].ssn()
    return ssn if ctx.rng.random() < 0.85 else ssn.replace("-", "")


def _passport(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "us":
        return _c(rng, (_digits(rng, 9, True), _c(rng, "ACEFGHJKLMNPRSTUVWXYZ") + _digits(rng, 8)))
    if ctx.variant == "gb":
        return _digits(rng, 9, True)
    if ctx.variant == "tw":
        return _digits(rng, 9, True)
    return _c(rng, ("E" + _digits(rng, 8), "E" + _c(rng, "ABCDEFGHJK") + _digits(rng, 7), "G" + _digits(rng, 8),
                    "EA" + _digits(rng, 7)))


def _dl(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "us":
        L = _c(rng, string.ascii_uppercase)
        return _c(rng, (f"{L}{_digits(rng, 7)}", f"{L}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
                        f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}", f"{L}{_digits(rng, 12)}",
                        f"{_digits(rng, 9)}"))
    if ctx.variant == "gb":
        sur = (ctx.user_last.upper().replace("'", "") + "99999")[:5]
        y, m, d = ctx.birth
        month = m + (50 if ctx.gender == "f" else 0)
        ini = (ctx.user_first[:1] + _c(rng, string.ascii_uppercase)).upper()
        return f"{sur}{str(y)[2]}{month:02d}{d:02d}{str(y)[3]}{ini}9{_c(rng, string.ascii_uppercase)}{_c(rng, string.ascii_uppercase)}"
    if ctx.variant == "tw":
        return ctx.fake.ssn()
    return _digits(rng, 12, True) if rng.random() < 0.6 else cn_id(rng, ctx.birth)


_CN_PROV = "京沪粤浙苏川鄂湘鲁豫冀陕渝津闽皖辽吉黑赣桂云贵晋蒙"


def _plate(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "us":
        return ctx.fake.license_plate()
    if ctx.variant == "gb":
        L = "ABCDEFGHJKLMNOPRSTUVWXY"
        return f"{_c(rng, L)}{_c(rng, L)}{_digits(rng, 2)} {''.join(_c(rng, L) for _ in range(3))}"
    if ctx.variant == "tw":
        return ctx.fake.license_plate()
    prov = _c(rng, _CN_PROV)
    letter = _c(rng, "ABCDEFGHJK")
    if rng.random() < 0.25:
        tail = _c(rng, "DF") + _digits(rng, 5)
    else:
        tail = "".join(_c(rng, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
    return f"{prov}{letter}{_c(rng, ('', '', '·', ' '))}{tail}"


def _card(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "zh" and rng.random() < 0.6:
        num = _luhn_complete(rng, _c(rng, ("622202", "622848", "621700", "622588", "623668", "621226")), _c(rng, (16, 19)))
    else:
        num = _luhn_complete(rng, _c(rng, ("4", "4", "51", "53", "55", "2221", "6011", "37")), 16)
    if num.startswith("37"):
        num = num[:15]
    roll = rng.random()
    if roll < 0.45:
        return " ".join(num[i:i + 4] for i in range(0, len(num), 4))
    if roll < 0.6:
        return "-".join(num[i:i + 4] for i in range(0, len(num), 4))
    return num


def _bankacct(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "zh":
        num = _luhn_complete(rng, _c(rng, ("6217", "6222", "6228", "6214", "6230")), 19)
        return num if rng.random() < 0.6 else " ".join(num[i:i + 4] for i in range(0, 19, 4))
    if ctx.variant == "gb" and rng.random() < 0.5:
        return _iban(ctx)
    return _digits(rng, rng.randint(8, 12), True)


def _iban(ctx: Ctx) -> str:
    rng = ctx.rng
    bank = "".join(_c(rng, string.ascii_uppercase) for _ in range(4))
    bban = bank + _digits(rng, 14)
    rearranged = bban + "GB00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - num % 97
    iban = f"GB{check:02d}{bban}"
    return iban if rng.random() < 0.5 else " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


# -------------------------------------------------------------------------------- sensitive, legal


def _relig_n(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["RELIGIONS"])
    return _c(ctx.rng, EN.RELIGIONS_N if ctx.lang == "en" else ZH.RELIGIONS_N)


def _polit_n(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["POLITICS_N"])
    return _c(ctx.rng, EN.POLITICS_N if ctx.lang == "en" else ZH.POLITICS_N)


def _polit_v(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["POLITICS_V"])
    return _c(ctx.rng, EN.POLITICS_V if ctx.lang == "en" else ZH.POLITICS_V)


def _orient(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["ORIENTATIONS"])
    return _c(ctx.rng, EN.ORIENTATIONS if ctx.lang == "en" else ZH.ORIENTATIONS)


def _rel(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["RELATIONS"])
    return _c(ctx.rng, EN.RELATIONS if ctx.lang == "en" else ZH.RELATIONS)


def _grade(ctx: Ctx, age: int) -> str:
    """A school grade that fits a child's age."""
    if ctx.lang == "en":
        if age <= 5:
            return "kindergarten" if age == 5 else "pre-K"
        g = age - 5
        if ctx.variant == "gb":
            return f"Year {g + 1}"
        return f"{g}{'st' if g == 1 else 'nd' if g == 2 else 'rd' if g == 3 else 'th'} grade"
    if age <= 5:
        return _c(ctx.rng, ("幼儿园大班", "幼儿园中班"))
    if age <= 11:
        return "一二三四五六"[age - 6] + "年级"
    if age <= 14:
        return "初" + "一二三"[age - 12]
    return "高" + "一二三"[min(age - 15, 2)]


def _minor(ctx: Ctx) -> str:
    rng = ctx.rng
    a, t = rng.randint(4, 12), rng.randint(13, 17)
    forms = EN.MINOR_FACTS if ctx.lang == "en" else ZH.MINOR_FACTS
    form = _c(rng, forms)
    age = a if "{a}" in form else t
    return _fmt(rng, form, school=_school(ctx, young=True), grade=_grade(ctx, age), a=a, t=t)


def _company_name(ctx: Ctx) -> str:
    if ctx.lang == "en":
        return _strip(ctx.fake.company())
    return _c(ctx.rng, ZH.COMPANY_BRANDS) + _c(ctx.rng, ("科技", "集团", "股份", "电子", "医疗"))


def _secret(ctx: Ctx, kind: str) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        forms = EN.SECRET_V if kind == "v" else EN.SECRET_S
    else:
        forms = ZH.SECRET_FORMS
    return _fmt(rng, _c(rng, forms), co=_company_name(ctx))


def _relig_n_any(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant == "tw":
        return _c(rng, ZH.TW["RELIGIONS"])
    if ctx.lang == "en":
        if rng.random() < 0.4:
            return _c(rng, EN.RELIGIONS_N)
        base = _c(rng, EN.RELIGION_BASE)
        qual = _c(rng, EN.RELIGION_QUAL) if base not in ("Mormon", "Jehovah's Witness", "Hasidic Jew") else ""
        return f"{qual} {base}".strip()
    if rng.random() < 0.4:
        return _c(rng, ZH.RELIGIONS_N)
    return _c(rng, ZH.RELIGION_QUAL) + _c(rng, ZH.RELIGION_BASE)


def _relig_v(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        if rng.random() < 0.4:
            return _c(rng, EN.RELIGIONS_V)
        return _c(rng, ("converted to {r}", "left {r}", "got more into {r}", "started practicing {r}")).format(
            r=_c(rng, EN.RELIGION_FROM))
    return _c(rng, ZH.RELIGIONS_V)


def _polit_n_any(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en" and rng.random() < 0.6:
        return _c(rng, EN.PARTY_FORMS).format(p=_c(rng, EN.PARTIES))
    return _polit_n(ctx)


def _polit_v_any(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.variant != "tw" and rng.random() < 0.6:
        lex = EN if ctx.lang == "en" else ZH
        sep = " " if ctx.lang == "en" else ""
        return f"{_c(rng, lex.CAUSE_VERBS)}{sep}{_c(rng, lex.CAUSES)}"
    return _polit_v(ctx)


def _ethnic(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        return _c(rng, EN.ETHNICITIES)
    return _c(rng, ZH.ETHNICITIES + ZH.ETHNICITIES_MORE)


def _judicial(ctx: Ctx, kind: str) -> str:
    rng = ctx.rng
    y, n = rng.randint(2005, 2024), rng.randint(2, 36)
    if ctx.lang == "zh":
        if rng.random() < 0.35:
            return _fmt(rng, _c(rng, ZH.JUDICIAL), w=rng.randint(2, 50))
        form = _c(rng, ZH.OFFENCE_FORMS)
        return form.format(o=_c(rng, ZH.OFFENCES), n=zh_number(rng.randint(1, 5)) if "年" in form else rng.randint(5, 15), y=y)
    if kind == "state":
        return _fmt(rng, _c(rng, EN.JUDICIAL_STATE))
    if rng.random() < 0.35:
        return _fmt(rng, _c(rng, EN.JUDICIAL_N if kind == "n" else EN.JUDICIAL_V))
    value = _c(rng, EN.OFFENCE_N if kind == "n" else EN.OFFENCE_V).format(o=_c(rng, EN.OFFENCES), y=y, n=n)
    if kind == "n":  # "a DUI conviction", "an assault charge": the article stays outside the span
        value = ("an " if value[0].lower() in "aeiou" else "a ") + value
    return value


def _comm(ctx: Ctx) -> str:
    rng = ctx.rng
    if rng.random() < 0.3:
        return _c(rng, EN.COMM_BODIES if ctx.lang == "en" else ZH.COMM_BODIES)
    lex = EN if ctx.lang == "en" else ZH
    core = _c(rng, lex.COMM_CORE).format(
        amt=_amount_en(rng) if ctx.lang == "en" else _amount_zh(rng), place=_c(rng, lex.COMM_PLACES),
        time=_time_en(rng) if ctx.lang == "en" else _c(rng, ("晚上八点", "下午三点", "中午", "十点")),
        kin=_c(rng, lex.COMM_KIN))
    return (_c(rng, lex.COMM_OPEN) + core + _c(rng, lex.COMM_TAIL)).strip()


# -------------------------------------------------------------------------------- credentials


def _password(ctx: Ctx) -> str:
    rng = ctx.rng
    words = EN.PWD_WORDS if ctx.lang == "en" else ZH.PWD_WORDS + ZH.PINYIN
    w = _c(rng, words)
    roll = rng.random()
    if roll < 0.25:
        pwd = f"{w.capitalize()}{rng.randint(1970, 2024)}{_c(rng, '!@#$*')}"
    elif roll < 0.45:
        pwd = f"{w}@{rng.randint(100, 9999)}"
    elif roll < 0.6:
        leet = w.replace("a", "4").replace("e", "3").replace("o", "0").replace("i", "1")
        pwd = f"{leet.capitalize()}{_c(rng, '&%#_')}{rng.randint(1, 99)}"
    elif roll < 0.75:
        y, m, d = ctx.birth
        pwd = f"{w}{m:02d}{d:02d}" if rng.random() < 0.5 else f"{w}{y}"
    elif roll < 0.85:
        pwd = _c(rng, ("Wx", "Qq", "Ab", "Zz")) + "@" + _digits(rng, 8)
    else:
        pwd = _alnum(rng, rng.randint(10, 16), string.ascii_letters + string.digits + "!@#$%^&*-_+=")
    return pwd


def _code(ctx: Ctx) -> str:
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.7:
        return _digits(rng, 6)
    if roll < 0.85:
        return _digits(rng, 4)
    if roll < 0.93:
        return f"G-{_digits(rng, 6)}"
    return f"{_digits(rng, 3)} {_digits(rng, 3)}"


def _pin(ctx: Ctx) -> str:
    return _digits(ctx.rng, _c(ctx.rng, (4, 4, 6)))


_B64 = string.ascii_letters + string.digits
_B64URL = _B64 + "-_"


def _key(ctx: Ctx) -> str:
    rng = ctx.rng
    return _c(rng, (
        "sk-proj-" + _alnum(rng, 48, _B64URL), "sk-" + _alnum(rng, 48), "AKIA" + _alnum(rng, 16, string.ascii_uppercase + string.digits),
        "AIza" + _alnum(rng, 35, _B64URL), "ghp_" + _alnum(rng, 36), "sk_live_" + _alnum(rng, 24),
        f"xoxb-{_digits(rng, 11)}-{_digits(rng, 13)}-{_alnum(rng, 24)}", "SG." + _alnum(rng, 22, _B64URL) + "." + _alnum(rng, 43, _B64URL),
        "LTAI" + _alnum(rng, 20), "hf_" + _alnum(rng, 34),
    ))


def _token(ctx: Ctx) -> str:
    rng = ctx.rng
    return _c(rng, (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + _alnum(rng, rng.randint(40, 90), _B64URL) + "." + _alnum(rng, 43, _B64URL),
        "ya29." + _alnum(rng, 60, _B64URL), _alnum(rng, 32, "0123456789abcdef"), "gho_" + _alnum(rng, 36),
        "sessionid=" + _alnum(rng, 32, string.ascii_lowercase + string.digits), "xoxp-" + _digits(rng, 12) + "-" + _alnum(rng, 30),
    ))


def _dsn(ctx: Ctx) -> str:
    rng = ctx.rng
    user = _c(rng, ("admin", "root", "app", "svc_orders", "postgres", "readonly", "etl"))
    pwd = _alnum(rng, rng.randint(8, 14))
    host = _c(rng, (f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "db.internal",
                    f"prod-db-{rng.randint(1, 9)}.corp.local", f"{_alnum(rng, 8, string.ascii_lowercase)}.rds.amazonaws.com",
                    "localhost"))
    db = _c(rng, ("prod", "shop", "users", "crm", "billing", "analytics", "hr"))
    return _c(rng, (
        f"postgresql://{user}:{pwd}@{host}:5432/{db}", f"mysql://{user}:{pwd}@{host}:3306/{db}",
        f"mongodb+srv://{user}:{pwd}@cluster0.{_alnum(rng, 5, string.ascii_lowercase + string.digits)}.mongodb.net/{db}",
        f"redis://:{pwd}@{host}:6379/0", f"Server={host};Database={db};User Id={user};Password={pwd}",
        f"jdbc:mysql://{host}:3306/{db}?user={user}&password={pwd}",
    ))


def _int_ip(rng: random.Random) -> str:
    return _c(rng, (f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"192.168.{rng.randint(0, 20)}.{rng.randint(2, 254)}",
                    f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"))


def _int_host(ctx: Ctx) -> str:
    rng = ctx.rng
    return _c(rng, (f"jenkins.corp.internal:{_c(rng, ('8080', '8443'))}", f"db-prod-{rng.randint(1, 9):02d}.internal",
                    f"gitlab.{_alnum(rng, 5, string.ascii_lowercase)}.local",
                    _int_ip(rng) + ":" + _c(rng, ("22", "5432", "3306", "6379", "9200")),
                    f"k8s-master-{rng.randint(1, 3)}.prod.lan"))


def _admin_url(ctx: Ctx) -> str:
    rng = ctx.rng
    dom = _c(rng, ("acme-corp", "shopfast", "medibook", "northwind", "yunqi", "hengyuan")) + _c(rng, (".com", ".io", ".cn", ".net"))
    return _c(rng, (f"https://admin.{dom}/console", f"https://{dom}/wp-admin", f"http://{_int_ip(rng)}:8080/manager/html",
                    f"https://internal.{dom}/admin/login", f"https://{dom}/backstage/index"))


def _seed(ctx: Ctx) -> str:
    return " ".join(ctx.rng.sample(EN.SEED_WORDS, 12))


def _exploit(ctx: Ctx) -> str:
    return _c(ctx.rng, EN.EXPLOITS if ctx.lang == "en" else ZH.EXPLOITS)


# -------------------------------------------------------------------------------- neutral


def _time(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en":
        return _time_en(rng)
    return _c(rng, (f"下午{zh_number(rng.randint(1, 6))}点", f"上午{rng.randint(8, 11)}点", f"晚上{rng.randint(7, 10)}点半",
                    f"{rng.randint(8, 20)}:{_c(rng, ('00', '30', '15'))}", f"早上{rng.randint(6, 9)}点"))


def _wday(ctx: Ctx) -> str:
    if ctx.lang == "en":
        return _c(ctx.rng, EN.WEEKDAYS)
    return _c(ctx.rng, ("周一", "周二", "周三", "周四", "周五", "下周一", "星期六", "周日", "明天", "后天"))


def _version(ctx: Ctx) -> str:
    rng = ctx.rng
    return _c(rng, (f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}", f"{rng.randint(1, 9)}.{rng.randint(0, 12)}",
                    f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 30)}-beta", f"{rng.randint(10, 20)}.{rng.randint(0, 5)}"))


def _plain_amount(ctx: Ctx) -> str:
    if ctx.lang == "en":
        return _c(ctx.rng, EN.PLAIN_AMOUNTS)
    return _c(ctx.rng, ZH.SMALL_AMOUNTS)


_BIG_EN = ("$1,299", "$2,400", "£850", "$899", "$3,150", "€1,100", "$640")
_BIG_ZH = ("花了8999买了台新电脑", "换手机花了6000多", "装修厨房花了3万", "给家里买了台冰箱4千多", "报了个健身卡2980",
           "买了辆电动车3500", "给爸妈换了个沙发1万2")


def _big_purchase(ctx: Ctx) -> str:
    return _c(ctx.rng, _BIG_EN if ctx.lang == "en" else _BIG_ZH)


def _purchase(ctx: Ctx) -> str:
    if ctx.lang == "en":
        return _c(ctx.rng, EN.PLAIN_PURCHASES)
    return _c(ctx.rng, ZH.PLAIN_PURCHASES).format(a=_c(ctx.rng, ZH.SMALL_AMOUNTS))


_CONDG_EN = ("type 2 diabetes", "asthma", "the flu", "migraines", "anemia", "sleep apnea", "gout", "Lyme disease",
             "shingles", "strep throat", "celiac disease", "high cholesterol", "long COVID")
_CONDG_ZH = ("糖尿病", "痛风", "甲亢", "流感", "带状疱疹", "贫血", "高血压", "胃炎", "颈椎病", "过敏性鼻炎")
_DRUG_EN = ("ibuprofen", "metformin", "amoxicillin", "melatonin", "sertraline", "vitamin D", "Tylenol", "aspirin")
_DRUG_ZH = ("布洛芬", "阿莫西林", "褪黑素", "二甲双胍", "维生素D", "对乙酰氨基酚", "头孢", "连花清瘟")
_KIN_FEM_EN = EN.KIN_FEMALE


def _org(ctx: Ctx) -> str:
    forms = EN.ORG_FACTS if ctx.lang == "en" else ZH.ORG_FACTS
    return _fmt(ctx.rng, _c(ctx.rng, forms), v=ctx.rng.randint(8, 300))


def _kin(ctx: Ctx) -> str:
    if ctx.variant == "tw":
        return _c(ctx.rng, ZH.TW["KIN"])
    return _c(ctx.rng, EN.NEUTRAL_KIN if ctx.lang == "en" else ZH.NEUTRAL_KIN)


def _neutral(en: Sequence[str], zh: Sequence[str]) -> Callable[[Ctx], str]:
    return lambda ctx: _c(ctx.rng, en if ctx.lang == "en" else zh)


def _cached(name: str, fn: Callable[[Ctx], str]) -> Callable[[Ctx], str]:
    """The same value for every use of this slot within one example (one person, one address)."""

    def get(ctx: Ctx) -> str:
        if name not in ctx.cache:
            ctx.cache[name] = fn(ctx)
        return ctx.cache[name]

    return get


# Type names (the benchmark's vocabulary).
T_NAME, T_3P = "Real Name", "Third-Party Identifiable Info"

SLOTS: dict[str, tuple[str | None, Callable[[Ctx], str]]] = {
    # people
    "NAME": (T_NAME, lambda c: c.user_name),
    "NAMEF": (T_NAME, lambda c: c.user_first),
    "P3": (T_3P, _cached("P3", third_party_name)),
    "P3B": (T_3P, _cached("P3B", third_party_name)),
    "P3F": (T_3P, _cached("P3F", lambda c: third_party_name(c, short=True))),
    "P3T": (T_3P, _cached("P3T", _p3_title)),
    # contact
    "ADDR": ("Detailed Address", _cached("ADDR", _address)),
    "EMAIL": ("Email", _email),
    "EMAIL3": ("Email", lambda c: _email(c, own=False)),
    "PHONE": ("Phone Number", _cached("PHONE", _phone)),
    "PHONE2": ("Phone Number", _phone),
    # identity
    "JOB": ("Job Title/Rank", _cached("JOB", _job)),
    "EMPLOYER": ("Employer/Company Name", _cached("EMPLOYER", _employer)),
    "DOB": ("Specific Date of Birth", _dob),
    "AGE": ("Identity Background", _age),
    "AGEY": ("Identity Background", lambda c: f"{c.age}-year-old"),
    "GENDER": ("Gender", _gender),
    "GENDERADJ": ("Gender", _gender_word),
    "GENDERS": ("Gender", _gender),
    "SCHOOL": ("School", _school),
    "UNI": ("School", _university),
    "CLASS": ("School", lambda c: _c(c.rng, ZH.CLASSES)),
    "DEGREE": ("Identity Background", lambda c: _c(c.rng, EN.DEGREES if c.lang == "en" else ZH.DEGREES)),
    "MILITARY": ("Identity Background", _military),
    "MILITARYN": ("Identity Background", lambda c: _military(c, noun=True)),
    "REL": ("Relationship Info", _rel),
    "RELSTAT": ("Relationship Info", lambda c: _c(c.rng, EN.REL_STATUS if c.lang == "en" else ZH.REL_STATUS)),
    "RELSTATN": ("Relationship Info", lambda c: _c(c.rng, ZH.REL_STATUS_N)),
    # accounts, network
    "ACCOUNT": ("Account ID/Username", _username),
    "HANDLE": ("Account ID/Username", _handle),
    "WECHAT": ("Account ID/Username", _wechat),
    "QQ": ("Account ID/Username", lambda c: _digits(c.rng, c.rng.randint(8, 10), True)),
    "EMPID": ("Account ID/Username", _employee_id),
    "STUID": ("Account ID/Username", lambda c: f"20{c.rng.randint(15, 24)}{_digits(c.rng, 6)}"),
    "CUSTID": ("Account ID/Username", lambda c: _digits(c.rng, c.rng.randint(8, 11), True)),
    "IP": ("Network Identifier", _network_ip),
    "MAC": ("Network Identifier", _mac),
    "DEVICEID": ("Network Identifier", _device_id),
    "IMEI": ("Network Identifier", _imei),
    "HOMEPAGE": ("Network Identifier", _homepage),
    # medical
    "COND": ("Medical Health", _cond),
    "MEDS": ("Medical Health", lambda c: _meds(c, freq=False)),
    "MEDSF": ("Medical Health", _meds),
    "PROC": ("Medical Health", _proc),
    "MEASURE": ("Medical Health", _measure),
    "MEDSTATE": ("Medical Health", _medstate),
    # money
    "TXN": ("Transaction Record", _txn),
    "TXNDISPUTE": ("Transaction Record", _txn_dispute),
    "SALARY": ("Assets/Income", _salary),
    "INCOME": ("Assets/Income", _salary),
    "WEALTH": ("Assets/Income", _wealth),
    "CREDIT": ("Assets/Income", _credit),
    "DEBT": ("Debt/Loan Info", _debt),
    "DEBTV": ("Debt/Loan Info", _debt_v),
    # travel, places
    "FLIGHT": ("Itinerary/Trajectory", _flight),
    "TRAIN": ("Itinerary/Trajectory", _train),
    "HOTEL": ("Itinerary/Trajectory", _hotel),
    "ROUTE": ("Itinerary/Trajectory", _route),
    "TRIP": ("Itinerary/Trajectory", _trip),
    "LOC": ("Precise Location", _location),
    # ids, finance
    "IDNUM": ("ID Number", _idnum),
    "SSN": ("ID Number", _ssn),
    "NINO": ("ID Number", lambda c: _nino(c.rng)),
    "PASSPORT": ("Passport Number", _passport),
    "DL": ("Driver's License Number", _dl),
    "PLATE": ("License Plate", _plate),
    "CARD": ("Bank/Payment Card Number", _card),
    "BANKACCT": ("Financial Account", _bankacct),
    "IBAN": ("Financial Account", _iban),
    "CVV": ("Payment Security Code", lambda c: _digits(c.rng, 3)),
    # sensitive, legal, family, messages, business
    "RELIGN": ("Religious Beliefs", _relig_n_any),
    "RELIGV": ("Religious Beliefs", _relig_v),
    "RELIGP": ("Religious Beliefs", _relig_practice),
    "POLITN": ("Political Views/Stance", _polit_n_any),
    "POLITV": ("Political Views/Stance", _polit_v_any),
    "ETHNIC": ("Sensitive Identity", _ethnic),
    "ORIENT": ("Sensitive Identity", _orient),
    "JUDICN": ("Judicial Record", lambda c: _judicial(c, "n")),
    "JUDICV": ("Judicial Record", lambda c: _judicial(c, "v")),
    "JUDICSTATE": ("Judicial Record", lambda c: _judicial(c, "state")),
    "JUDIC": ("Judicial Record", lambda c: _judicial(c, "zh")),
    "MINOR": ("Minor Information", _minor),
    "COMM": ("Communication Content", _comm),
    "SECRETV": ("Business Secret", lambda c: _secret(c, "v")),
    "SECRETS": ("Business Secret", lambda c: _secret(c, "s")),
    "SECRET": ("Business Secret", lambda c: _secret(c, "s")),
    "ORG": ("Company/Organization Info", _org),
    # credentials
    "PWD": ("Password", _password),
    "CODE": ("Verification Code", _code),
    "PIN": ("Verification Code", _pin),
    "KEY": ("Key", _key),
    "TOKEN": ("Token", _token),
    "DSN": ("Database Connection String", _dsn),
    "ADMINURL": ("Vulnerability Details", _admin_url),
    "INTHOST": ("Vulnerability Details", _int_host),
    "INTIP": ("Vulnerability Details", lambda c: _int_ip(c.rng)),
    "EXPLOIT": ("Vulnerability Details", _exploit),
    "SEED": ("Private Key", _seed),
    # neutral filler (hard-negative material): never a span
    "KIN": (None, _kin),
    "FOOD": (None, _neutral(EN.FOODS, ZH.FOODS)),
    "HOBBY": (None, _neutral(EN.HOBBIES, ZH.HOBBIES)),
    "LIKE": (None, _neutral(EN.LIKES, ZH.LIKES)),
    "LIKECAP": (None, lambda c: _c(c.rng, EN.LIKES).capitalize()),
    "MOOD": (None, _neutral(EN.MOODS, ZH.MOODS)),
    "PUBLIC": (None, _neutral(EN.PUBLIC_FIGURES, ZH.PUBLIC_FIGURES)),
    "FPLACE": (None, _neutral(EN.FAMOUS_PLACES, ZH.FAMOUS_PLACES)),
    "AMOUNT": (None, _plain_amount),
    "SMALLAMT": (None, _plain_amount),
    "PURCHASE": (None, _purchase),
    "BIGAMT": (None, _big_purchase),
    "TIME": (None, _time),
    "WDAY": (None, _wday),
    "VERSION": (None, _version),
    "QTY": (None, lambda c: str(_c(c.rng, (12, 50, 100, 250, 300, 500, 1200, 2000, 40)))),
    "NUM": (None, lambda c: str(c.rng.randint(2, 40))),
    "NUM2": (None, lambda c: str(c.rng.randint(2, 99))),
    "GENMED": (None, _neutral(EN.GENERIC_MED_Q, ZH.GENERIC_MED_Q)),
    "GENJOB": (None, _neutral(EN.GENERIC_JOB_Q, ZH.GENERIC_JOB_Q)),
    "TASK": (None, _neutral(EN.TASKS, ZH.TASKS)),
    "BOOK": (None, _neutral(EN.BOOKS, ZH.BOOKS)),
    "GAME": (None, _neutral(EN.GAMES, ("王者荣耀", "原神", "黑神话悟空", "我的世界", "和平精英"))),
    "TOPIC": (None, _neutral(EN.TOPICS, ZH.TOPICS)),
    "FEMP": (None, _neutral(EN.FAMOUS_EMPLOYERS[:30], ZH.FAMOUS_EMPLOYERS)),
    "FEMP2": (None, _neutral(EN.FAMOUS_EMPLOYERS[:30], ZH.FAMOUS_EMPLOYERS)),
    "FSCHOOL": (None, _neutral(EN.FAMOUS_SCHOOLS, ZH.FAMOUS_SCHOOLS)),
    "DRUG": (None, _neutral(_DRUG_EN, _DRUG_ZH)),
    "CONDG": (None, _neutral(_CONDG_EN, _CONDG_ZH)),
    "CITY": (None, lambda c: _c(c.rng, EN.CITIES_TRAVEL) if c.lang == "en" else _c(c.rng, ZH.CITIES)),
    "ROUTING": (None, lambda c: _digits(c.rng, 9, True)),
    "BANKNAME": (None, lambda c: _c(c.rng, ("招商银行", "工商银行", "建设银行", "农业银行", "中国银行", "交通银行")) + _c(c.rng, ZH.CITIES) + "分行"),
    "KINF": (None, lambda c: _c(c.rng, _KIN_FEM_EN)),
}
