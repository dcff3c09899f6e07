"""Fusion rules in isolation, on prepared spans: who wins an overlap, per-type thresholds,
names decided by the profile, and levels raised by context."""

from __future__ import annotations

from memveil.edge.fusion import CJK_TAGGER_THRESHOLD, TAGGER_THRESHOLD, THIRD_PARTY, fuse, tagger_threshold
from memveil.edge.recognizers.common import make_span
from memveil.edge.span import Span
from memveil.shared.taxonomy import Level


def span(text: str, value: str, type_: str, score: float, source: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(value, start + 1)
    return make_span(text, start, start + len(value), type_, score, source)


def test_trusted_rule_wins_over_a_more_confident_tagger_span() -> None:
    text = "card 4111 1111 1111 1111 expires soon"
    rule = span(text, "4111 1111 1111 1111", "Financial Account", 0.9, "bank_card")
    learned = span(text, "card 4111 1111", "Phone Number", 0.99, "tagger")
    assert fuse(text, [rule], [learned], None) == [rule]


def test_weak_rule_competes_with_the_tagger_by_score() -> None:
    text = "I met Rosa Delgado at the clinic"
    weak = span(text, "Rosa", "Third-Party Identifiable Info", 0.4, "third_party_name")
    learned = span(text, "Rosa Delgado", "Third-Party Identifiable Info", 0.985, "tagger")
    assert fuse(text, [weak], [learned], None) == [learned]


def test_weak_rule_widens_the_tagger_spans_it_contains_and_joins_those_it_crosses() -> None:
    text = "芝麻信用现在才580，征信上还有逾期"
    weak = span(text, "芝麻信用现在才580", "Assets/Income", 0.5, "money_fact")
    learned = span(text, "580", "Assets/Income", 0.99, "tagger")
    (fused,) = fuse(text, [weak], [learned], None)
    assert (fused.text, fused.type, fused.score) == ("芝麻信用现在才580", "Assets/Income", 0.99)
    # A tagger span that reaches outside the rule's span: for a descriptive fact, the two
    # describe it from two ends, and the answer is their union, typed as the tagger typed it.
    longer = span(text, "现在才580，征信", "Assets/Income", 0.99, "tagger")
    (fused,) = fuse(text, [weak], [longer], None)
    assert (fused.text, fused.type, fused.score) == ("芝麻信用现在才580，征信", "Assets/Income", 0.99)


def test_weak_rule_joins_every_descriptive_piece_it_crosses() -> None:
    # The tagger cut one fact in two and left the word between in the clear; the rule spans
    # it. The union is one span, typed as the piece sharing most with the rule.
    text = "my GP put me on sertraline 50mg for anxiety a month ago"
    weak = span(text, "sertraline 50mg for anxiety", "Medical Health", 0.5, "medical_term")
    first = span(text, "sertraline 50mg", "Medical Health", 1.0, "tagger")
    second = span(text, "anxiety a month", "Medical Health", 0.985, "tagger")
    (fused,) = fuse(text, [weak], [first, second], None)
    # (then, as a health fact, it takes the one word left in its clause)
    assert (fused.text, fused.type, fused.score) == ("sertraline 50mg for anxiety a month ago", "Medical Health", 1.0)
    # A name among the pieces is an exact-match type: nothing is joined.
    name = span(text, "anxiety a", "Third-Party Identifiable Info", 0.99, "tagger")
    fused = fuse(text, [weak], [first, name], None)
    assert [s.text for s in fused] == ["sertraline 50mg", "anxiety a"]


def test_partial_overlaps_of_exact_types_keep_the_tagger_bounds() -> None:
    text = "my username is lee_88 ok"
    weak = span(text, "is lee_88", "Account ID/Username", 0.5, "rule")
    learned = span(text, "lee_88 ok", "Account ID/Username", 0.99, "tagger")
    assert fuse(text, [weak], [learned], None) == [learned]


def test_tagger_spans_need_their_type_threshold() -> None:
    text = "the code on the back is 123 and I have asthma"
    cvv = span(text, "123", "Payment Security Code", 0.988, "tagger")
    asthma = span(text, "asthma", "Medical Health", 0.985, "tagger")
    assert tagger_threshold("Payment Security Code") > 0.988 > 0.985 > tagger_threshold("Medical Health") == TAGGER_THRESHOLD
    assert fuse(text, [], [cvv, asthma], None) == [asthma]
    sure = span(text, "123", "Payment Security Code", 0.995, "tagger")
    assert fuse(text, [], [sure, asthma], None) == [sure, asthma]


def test_chinese_tagger_spans_have_their_own_threshold() -> None:
    assert CJK_TAGGER_THRESHOLD < TAGGER_THRESHOLD
    score = (TAGGER_THRESHOLD + CJK_TAGGER_THRESHOLD) / 2
    text = "我有高血压，also asthma"
    zh = span(text, "高血压", "Medical Health", score, "tagger")
    en = span(text, "asthma", "Medical Health", score, "tagger")
    assert fuse(text, [], [zh, en], None) == [zh]
    assert tagger_threshold("Medical Health", "高血压") == CJK_TAGGER_THRESHOLD
    assert tagger_threshold("Password", "密码") == tagger_threshold("Password") > TAGGER_THRESHOLD


def test_chinese_fragment_prone_types_keep_a_higher_threshold() -> None:
    text = "我住楼下，有高血压"
    score = (CJK_TAGGER_THRESHOLD + tagger_threshold("Employer/Company Name", "楼下")) / 2
    employer = span(text, "楼下", "Employer/Company Name", score, "tagger")
    health = span(text, "高血压", "Medical Health", score, "tagger")
    assert tagger_threshold("Employer/Company Name", "楼下") > CJK_TAGGER_THRESHOLD
    assert tagger_threshold("Employer/Company Name", "Acme") == TAGGER_THRESHOLD
    assert fuse(text, [], [employer, health], None) == [health]


def test_names_follow_the_profile() -> None:
    text = "I'm Dana Whitfield and my brother is Tom Whitfield"
    user = span(text, "Dana Whitfield", "Real Name", 0.95, "user_name")
    guess_user = span(text, "Dana Whitfield", "Real Name", 0.985, "tagger")
    guess_brother = span(text, "Tom Whitfield", "Real Name", 0.985, "tagger")
    fused = fuse(text, [user], [guess_user, guess_brother], "Dana Whitfield")
    assert [(s.text, s.type, s.level) for s in fused] == [
        ("Dana Whitfield", "Real Name", Level.PL2),
        ("Tom Whitfield", THIRD_PARTY, Level.PL2),
    ]
    # Without a profile the tagger's guess stands: nothing says who the user is.
    assert [s.type for s in fuse(text, [], [guess_brother], None)] == ["Real Name"]


def test_facts_about_a_minor_are_pl3() -> None:
    text = "My daughter Lily goes to Maple Grove Elementary. My colleague Ann Brown works at Acme."
    lily = span(text, "Lily", THIRD_PARTY, 0.985, "tagger")
    school = span(text, "Maple Grove Elementary", "Identity Background", 0.985, "tagger")
    ann = span(text, "Ann Brown", THIRD_PARTY, 0.985, "tagger")
    acme = span(text, "Acme", "Identity Background", 0.985, "tagger")
    levels = {s.text: s.level for s in fuse(text, [], [lily, school, ann, acme], None)}
    assert levels == {"Lily": Level.PL3, "Maple Grove Elementary": Level.PL3, "Ann Brown": Level.PL2, "Acme": Level.PL2}


def test_minor_cues_in_chinese_and_by_age() -> None:
    text = "我女儿小雨在实验小学上学。Her 9-year-old, Ben, plays chess. My 45-year-old boss Carl is strict."
    found = [
        span(text, "小雨", THIRD_PARTY, 0.985, "tagger"),
        span(text, "Ben", THIRD_PARTY, 0.985, "tagger"),
        span(text, "Carl", THIRD_PARTY, 0.985, "tagger"),
    ]
    levels = {s.text: s.level for s in fuse(text, [], found, None)}
    assert levels == {"小雨": Level.PL3, "Ben": Level.PL3, "Carl": Level.PL2}


def test_fused_output_is_sorted_and_disjoint() -> None:
    text = "a" * 60
    rules = [make_span(text, s, e, "Email", sc, "r") for s, e, sc in [(0, 10, 0.9), (30, 40, 0.3)]]
    learned = [make_span(text, s, e, "Identity Background", sc, "tagger") for s, e, sc in [(5, 15, 0.995), (20, 35, 0.985), (50, 55, 0.982)]]
    fused = fuse(text, rules, learned, None)
    assert [(s.start, s.end) for s in fused] == [(0, 10), (20, 35), (50, 55)]


def test_person_names_take_their_titles() -> None:
    text = "Dr. Lewis and Major Suryana met Anna; the major Kim came too."
    lewis = span(text, "Lewis", THIRD_PARTY, 0.985, "tagger")
    suryana = span(text, "Suryana", THIRD_PARTY, 0.985, "tagger")
    kim = span(text, "Kim", THIRD_PARTY, 0.985, "tagger")
    fused = fuse(text, [], [lewis, suryana, kim], None)
    # A lower-case "major" is a word, not a title.
    assert [s.text for s in fused] == ["Dr. Lewis", "Major Suryana", "Kim"]
    assert all(s.text == text[s.start : s.end] for s in fused)
    chinese = "下午去见王医生，他和李老师是同学"
    wang = span(chinese, "王", THIRD_PARTY, 0.985, "tagger")
    li = span(chinese, "李", THIRD_PARTY, 0.985, "tagger")
    assert [s.text for s in fuse(chinese, [], [wang, li], None)] == ["王医生", "李老师"]


def test_a_title_is_not_taken_from_a_neighbouring_span() -> None:
    text = "Patient Mr. Chen"
    title = span(text, "Patient Mr.", "Identity Background", 0.985, "tagger")
    chen = span(text, "Chen", THIRD_PARTY, 0.985, "tagger")
    assert [s.text for s in fuse(text, [], [title, chen], None)] == ["Patient Mr.", "Chen"]


def test_a_name_glued_into_a_password_or_handle_takes_the_whole_run() -> None:
    text = "wifi is Aoife2003!x9 now, ping @aoife_m or mail Aoife. Mary-Jane knows."
    known = [
        span(text, "Aoife", THIRD_PARTY, 0.5, "known", 0),
        span(text, "aoife", THIRD_PARTY, 0.5, "known", 0),
        span(text, "Aoife", THIRD_PARTY, 0.5, "known", 1),
        span(text, "Mary", THIRD_PARTY, 0.5, "known"),
    ]
    fused = fuse(text, [], [], None, known)
    # A sentence's full stop is not part of a name; a hyphen or dot between letters is.
    assert [s.text for s in fused] == ["Aoife2003!x9", "@aoife_m", "Aoife", "Mary-Jane"]
    assert all(s.text == text[s.start : s.end] for s in fused)


def test_a_name_grows_over_a_run_only_up_to_its_neighbours() -> None:
    text = "login Aoife2003 please"
    name = span(text, "Aoife", THIRD_PARTY, 0.8, "third_party_name")
    digits = span(text, "2003", "Password", 0.9, "password")
    fused = fuse(text, [name, digits], [], None)
    assert [(s.text, s.type) for s in fused] == [("Aoife", THIRD_PARTY), ("2003", "Password")]
    chinese = "密码是王芳2003"
    wang = span(chinese, "王芳", THIRD_PARTY, 0.8, "third_party_name")
    assert [s.text for s in fuse(chinese, [wang], [], None)] == ["王芳"]


def test_conditions_listed_together_in_chinese_are_one_span() -> None:
    text = "我妈有高血压和糖尿病，还有点近视"
    first = span(text, "高血压", "Medical Health", 0.99, "tagger")
    second = span(text, "糖尿病", "Medical Health", 0.5, "medical")
    (fused,) = fuse(text, [second], [first], None)
    assert (fused.text, fused.type) == ("高血压和糖尿病", "Medical Health")
    # Other types, and conditions apart in the sentence, stay apart.
    text = "高血压，糖尿病"
    apart = [span(text, "高血压", "Medical Health", 0.99, "tagger"), span(text, "糖尿病", "Medical Health", 0.99, "tagger")]
    assert [s.text for s in fuse(text, [], apart, None)] == ["高血压", "糖尿病"]


def test_chinese_money_and_court_facts_reach_the_ends_of_a_short_clause() -> None:
    text = "另外存了四十来万定期，每个月康复自付差不多两千"
    saved = span(text, "存了四十来万", "Assets/Income", 0.99, "tagger")
    paid = span(text, "自付差不多两千", "Transaction Record", 0.99, "tagger")
    # The clause's opening word ("另外") is not the fact; what the money is stays with it.
    assert [s.text for s in fuse(text, [], [saved, paid], None)] == ["存了四十来万定期", "每个月康复自付差不多两千"]
    text = "我税后工资9200 现在对方起诉我要赔8万6"
    pay = span(text, "工资9200", "Assets/Income", 0.99, "tagger")
    suit = span(text, "起诉我要赔8万6", "Judicial Record", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [pay, suit], None)] == ["税后工资9200", "对方起诉我要赔8万6"]


def test_a_clause_that_is_long_or_shared_does_not_grow_a_span() -> None:
    # A long clause holds more than the fact; a neighbour keeps its own characters; other
    # types keep their bounds.
    text = "我这个月工资到手也就五千出头还要养两个孩子"
    pay = span(text, "五千出头", "Assets/Income", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [pay], None)] == ["五千出头"]
    text = "王海燕借了我两万块"
    name = span(text, "王海燕", THIRD_PARTY, 0.99, "tagger")
    loan = span(text, "借了我两万", "Transaction Record", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [name, loan], None)] == ["王海燕", "借了我两万块"]
    text = "我最近血糖有点高"
    sugar = span(text, "血糖有点高", "Medical Health", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [sugar], None)] == ["血糖有点高"]


def test_english_money_facts_take_the_rest_of_a_short_clause() -> None:
    text = "paid $2,400 for the retainer, ouch"
    fee = span(text, "$2,400", "Transaction Record", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [fee], None)] == ["$2,400 for the retainer"]
    text = "I still have £4,300 left on a loan we took for the kitchen and it hurts"
    loan = span(text, "£4,300 left on a loan", "Debt/Loan Info", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [loan], None)] == ["£4,300 left on a loan we took for the kitchen"]
    # More than six words to the clause's end: the span stays; a name in the way stays apart.
    text = "$94k a year which is honestly not a lot for what I do"
    pay = span(text, "$94k a year", "Assets/Income", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [pay], None)] == ["$94k a year"]
    text = "take home about $2,860 a month from my job at Nationwide."
    pay = span(text, "$2,860 a month", "Assets/Income", 0.99, "tagger")
    employer = span(text, "Nationwide", "Employer/Company Name", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [pay, employer], None)] == ["$2,860 a month from my job", "Nationwide"]
    # Cut short by a neighbour, the span drops the word left hanging, not a sign that ends it.
    text = "borrowed £300 at 5% from Barclays"
    loan = span(text, "£300", "Debt/Loan Info", 0.99, "tagger")
    bank = span(text, "Barclays", "Employer/Company Name", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [loan, bank], None)] == ["£300 at 5%", "Barclays"]
    # Other types keep their bounds.
    text = "I work as a nurse at the county hospital, it's fine"
    job = span(text, "nurse", "Identity Background", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [job], None)] == ["nurse"]


def test_health_facts_reach_the_ends_of_a_short_clause() -> None:
    # A condition's name is rarely all of what is told: when, how bad, what it did.
    text = "我上个月哮喘发作了，送去医院"
    asthma = span(text, "哮喘", "Medical Health", 0.5, "medical_term")
    assert [s.text for s in fuse(text, [asthma], [], None)] == ["上个月哮喘发作了"]
    text = "had a miscarriage at 9 weeks, so yeah"
    loss = span(text, "miscarriage", "Medical Health", 0.5, "medical_term")
    assert [s.text for s in fuse(text, [loss], [], None)] == ["miscarriage at 9 weeks"]
    # Whose health it is stays in the clear, for the memory to know.
    text = "我妈有高血压十几年了，还好"
    pressure = span(text, "高血压", "Medical Health", 0.5, "medical_term")
    assert [s.text for s in fuse(text, [pressure], [], None)] == ["高血压十几年了"]
    # Chinese relationships too; English ones keep their bounds.
    text = "我爸妈最近在闹离婚，我很烦"
    divorce = span(text, "闹离婚", "Relationship Info", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [divorce], None)] == ["我爸妈最近在闹离婚"]
    text = "we separated in August after the funeral, anyway"
    split = span(text, "we separated in August", "Relationship Info", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [split], None)] == ["we separated in August"]


def test_a_clause_does_not_end_inside_a_number() -> None:
    # A thousands comma or a decimal point between digits is part of the amount.
    text = "after rent I'm clearing maybe £2,200 for myself. fine"
    pay = span(text, "clearing maybe", "Assets/Income", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [pay], None)] == ["clearing maybe £2,200 for myself"]
    text = "住院花了12,480.5元，还行"
    paid = span(text, "花了12", "Transaction Record", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [paid], None)] == ["住院花了12,480.5元"]


def test_a_tagger_span_stops_before_the_next_lines_label() -> None:
    text = "Tax ref: 4471 2290 18\nNI number: QQ 12 34 56 C\nNotes: none"
    ref = span(text, "4471 2290 18\nNI", "ID Number", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [ref], None)] == ["4471 2290 18"]
    text = "出生日期：2011年4月9日\n家庭住址：幸福路12号"
    birth = span(text, "2011年4月9日\n家", "Specific Date of Birth", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [birth], None)] == ["2011年4月9日"]
    # An address that goes on over lines keeps them.
    text = "send it to 12 Holly Lane\nLeeds LS6 2AB please"
    home = span(text, "12 Holly Lane\nLeeds LS6 2AB", "Detailed Address", 0.99, "tagger")
    assert [s.text for s in fuse(text, [], [home], None)] == ["12 Holly Lane\nLeeds LS6 2AB"]


def test_a_name_inside_a_company_name_is_part_of_it() -> None:
    text = "公司叫杭州明远云帆科技有限公司，老板姓周"
    name = span(text, "杭州明", THIRD_PARTY, 0.9, "third_party_name")
    company = span(text, "杭州明远云帆科技有限公司", "Employer/Company Name", 0.5, "background")
    assert [(s.text, s.type) for s in fuse(text, [name, company], [], None)] == [
        ("杭州明远云帆科技有限公司", "Employer/Company Name")
    ]
    # A name beside a company, not inside it, stays a name.
    text = "明远科技有限公司的周立新"
    company = span(text, "明远科技有限公司", "Employer/Company Name", 0.5, "background")
    name = span(text, "周立新", THIRD_PARTY, 0.9, "third_party_name")
    assert [s.text for s in fuse(text, [name, company], [], None)] == ["明远科技有限公司", "周立新"]


def test_a_school_and_the_year_read_there_are_one_span() -> None:
    text = "我弟在遵义二中读高一，成绩还行"
    school = span(text, "遵义二中", "School", 0.99, "tagger")
    year = span(text, "高一", "School", 0.5, "background")
    (fused,) = fuse(text, [year], [school], None)
    assert fused.text == "遵义二中读高一"
    # Apart in the sentence, they stay apart.
    text = "遵义二中，高一"
    school = span(text, "遵义二中", "School", 0.99, "tagger")
    year = span(text, "高一", "School", 0.5, "background")
    assert [s.text for s in fuse(text, [year], [school], None)] == ["遵义二中", "高一"]
