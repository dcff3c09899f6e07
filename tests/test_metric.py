"""The extraction metric on hand-computed cases: sub-scores, matching, modes, strict F1, the
protection view and the per-level / per-language slices. All records are made up here."""

from __future__ import annotations

import pytest

from memveil.edge.evaluation.benchmark import PrivacyItem as Item
from memveil.edge.evaluation.language import user_language
from memveil.edge.evaluation.metric import (
    EmbeddingTypeSimilarity,
    longest_common_run,
    score_turn,
    strict_matches,
    text_score,
    tokenize,
)
from memveil.edge.evaluation.protection import char_mask, is_protected, occurrences
from memveil.edge.evaluation.report import ExtractionReport, percentile


def other_types_zero(predicted: str, reference: str) -> float:
    """Type similarity for exact hand computations: 1 for the same name, else 0."""
    return 1.0 if predicted == reference else 0.0


def f1(content: str, preds: list[Item], refs: list[Item], mode: str = "mean", similarity=other_types_zero) -> float:
    return score_turn(content, preds, refs, similarity)[mode].f1  # type: ignore[index]


MED = "Medical Health"
TEXT = "Last week I was told I have severe anxiety disorder; mail me at kim@example.org"


def test_tokenize_splits_cjk_per_character_and_other_text_on_spaces() -> None:
    assert tokenize("I have 高血压 since 2019, ok?") == ["I", "have", "高", "血", "压", "since", "2019,", "ok?"]
    assert longest_common_run(tokenize("a b c d"), tokenize("x b c y")) == 2


def test_exact_match_scores_one_in_both_modes() -> None:
    item = Item("kim@example.org", "Email", "PL2")
    scores = score_turn(TEXT, [item], [item], other_types_zero)
    assert scores["mean"].f1 == scores["product"].f1 == 1.0


def test_empty_turn_scores_one_and_one_sided_turns_score_zero() -> None:
    assert f1("nothing private here", [], []) == 1.0
    assert f1(TEXT, [], [Item("kim@example.org", "Email", "PL2")]) == 0.0
    assert f1(TEXT, [Item("kim@example.org", "Email", "PL2")], []) == 0.0


def test_descriptive_partial_overlap_is_the_token_f1() -> None:
    ref = Item("severe anxiety disorder", MED, "PL3")
    pred = Item("anxiety disorder", MED, "PL3")
    # 2 common tokens: precision 2/2, recall 2/3 -> F1 0.8
    assert text_score(pred.text, ref.text, MED, TEXT) == pytest.approx(0.8)
    assert f1(TEXT, [pred], [ref]) == pytest.approx((0.8 + 1 + 1) / 3)
    assert f1(TEXT, [pred], [ref], "product") == pytest.approx(0.8)
    # CJK: one token per character, 3 of 5 -> precision 1, recall 0.6 -> F1 0.75
    assert text_score("高血压", "高血压三级", MED, "我有高血压三级") == pytest.approx(0.75)


def test_non_exact_text_scores_zero_unless_the_reference_type_is_descriptive() -> None:
    content = "call me on +1 202 555 0143"
    assert text_score("202 555 0143", "+1 202 555 0143", "Phone Number", content) == 0.0
    # the same overlap with a descriptive type earns credit; an alias of one counts too
    assert text_score("202 555 0143", "+1 202 555 0143", MED, content) > 0
    assert text_score("202 555 0143", "+1 202 555 0143", "Debt/Loan Info", content) > 0


def test_predicted_text_absent_from_the_turn_scores_zero() -> None:
    assert text_score("anxiety disorder!", "severe anxiety disorder", MED, TEXT) == 0.0


def test_wrong_level_loses_a_third_in_mean_mode_and_everything_in_product_mode() -> None:
    ref = Item("kim@example.org", "Email", "PL2")
    pred = Item("kim@example.org", "Email", "PL3")
    assert f1(TEXT, [pred], [ref]) == pytest.approx(2 / 3)
    assert f1(TEXT, [pred], [ref], "product") == 0.0


@pytest.fixture(scope="module")
def embedding_similarity() -> EmbeddingTypeSimilarity:
    return EmbeddingTypeSimilarity()


def test_type_synonym_gets_partial_credit(embedding_similarity: EmbeddingTypeSimilarity) -> None:
    content = "you can reach me on 13812345678"
    similarity = embedding_similarity("Mobile Number", "Phone Number")
    assert 0 < similarity < 1
    assert embedding_similarity("Phone Number", "Phone Number") == 1.0
    ref = Item("13812345678", "Phone Number", "PL2")
    pred = Item("13812345678", "Mobile Number", "PL2")
    scores = score_turn(content, [pred], [ref], embedding_similarity)
    assert scores["mean"].f1 == pytest.approx((2 + similarity) / 3)
    assert scores["product"].f1 == pytest.approx(similarity)
    assert 0 < scores["product"].f1 < scores["mean"].f1 < 1


def test_greedy_matching_gives_the_reference_to_the_best_text_whatever_the_order() -> None:
    ref = Item("severe anxiety disorder", MED, "PL3")
    exact = Item("severe anxiety disorder", MED, "PL3")
    partial = Item("anxiety disorder", MED, "PL3")
    for preds in ([partial, exact], [exact, partial]):
        scores = score_turn(TEXT, preds, [ref], other_types_zero)["mean"]
        assert (scores.precision, scores.recall) == (0.5, 1.0)  # one match worth 1, one unmatched prediction
        assert scores.f1 == pytest.approx(2 / 3)


def test_pairs_with_no_text_in_common_still_match_and_keep_level_and_type_credit() -> None:
    content = "Alex and Bob Stone went out"
    pred = Item("Alex", "Real Name", "PL2")
    ref = Item("Bob Stone", "Third-Party Identifiable Info", "PL2")
    assert f1(content, [pred], [ref]) == pytest.approx(1 / 3)  # (text 0 + level 1 + type 0) / 3
    assert f1(content, [pred], [ref], "product") == 0.0


def test_text_ties_go_to_the_pair_worth_more_then_to_input_order() -> None:
    content = "Ann and Bob wrote to x@y.io"
    pred = Item("x@y.io", "Email", "PL2")
    wrong_level = Item("Bob", "Third-Party Identifiable Info", "PL3")
    right_level = Item("Ann", "Third-Party Identifiable Info", "PL2")
    for refs in ([wrong_level, right_level], [right_level, wrong_level]):
        # matched with the PL2 reference: total 1/3; precision 1/3, recall 1/6, F1 2/9
        assert f1(content, [pred], refs) == pytest.approx(2 / 9)


def test_duplicate_references_need_one_prediction_each() -> None:
    content = "Ann wrote, then Ann called"
    ann = Item("Ann", "Third-Party Identifiable Info", "PL2")
    scores = score_turn(content, [ann], [ann, ann], other_types_zero)["mean"]
    assert (scores.precision, scores.recall) == (1.0, 0.5)
    assert f1(content, [ann, ann], [ann, ann]) == 1.0
    assert strict_matches([ann], [ann, ann]) == 1
    assert strict_matches([ann, ann], [ann, ann]) == 2


def test_strict_micro_f1_counts_exact_text_and_level_over_all_turns() -> None:
    report = ExtractionReport(other_types_zero)
    report.add_user("en")
    email = Item("kim@example.org", "Email", "PL2")
    partial, whole = Item("severe anxiety", MED, "PL3"), Item("severe anxiety disorder", MED, "PL3")
    report.add_turn(TEXT, [email, partial], [email, whole], "en")
    ssn = "078-05-1120"
    report.add_turn(f"my SSN is {ssn}", [Item(ssn, "ID Number", "PL2")], [Item(ssn, "SSN", "PL3")], "en")
    report.add_turn("hi there", [], [], "en")
    strict = report.to_dict()["overall"]["strict"]
    # 1 exact (text, level) match; 3 predictions; 3 references. Type does not matter.
    assert strict["matched"] == 1
    assert strict["precision"] == pytest.approx(1 / 3) and strict["recall"] == pytest.approx(1 / 3)
    assert strict["f1"] == pytest.approx(1 / 3)


def test_nothing_predicted_scores_the_share_of_empty_turns() -> None:
    report = ExtractionReport(other_types_zero)
    report.add_user("en")
    for n in range(4):
        report.add_turn(f"turn {n}", [], [], "en")
    report.add_turn("mail kim@example.org", [], [Item("kim@example.org", "Email", "PL2")], "en")
    overall = report.to_dict()["overall"]
    assert overall["mean"]["f1"] == overall["product"]["f1"] == pytest.approx(0.8)
    assert overall["strict"]["f1"] == 0.0 and overall["strict"]["precision"] is None
    assert overall["protection"]["rate"] == 0.0 and overall["masked_chars"]["precision"] is None


def test_protection_needs_ninety_percent_of_every_occurrence() -> None:
    content = "card 1234567890 ok"
    mask_all = char_mask(content, ["1234567890"])
    assert is_protected(content, "1234567890", mask_all)
    assert is_protected(content, "1234567890", char_mask(content, ["123456789"]))  # 90%
    assert not is_protected(content, "1234567890", char_mask(content, ["12345678"]))  # 80%

    twice = "Ann Lee called; Ann Lee's car is red"
    assert occurrences(twice, "Ann Lee") == [(0, 7), (16, 23)]
    assert not is_protected(twice, "Ann Lee", char_mask(twice, ["Ann Lee's"]))  # hides the second only
    assert is_protected(twice, "Ann Lee", char_mask(twice, ["Ann Lee"]))  # a text masks all its places
    assert not is_protected(twice, "Zed", char_mask(twice, ["Ann Lee"]))  # absent from the turn


def test_masked_character_precision_and_protection_in_the_report() -> None:
    report = ExtractionReport(other_types_zero)
    report.add_user("en")
    content = "please call 555-0100 now, or 1234567890"
    refs = [Item("555-0100", "Phone Number", "PL2"), Item("1234567890", "Financial Account", "PL3")]
    preds = [Item("call 555-0100", "Phone Number", "PL2"), Item("12345678", "Financial Account", "PL3")]
    report.add_turn(content, preds, refs, "en")
    data = report.to_dict()
    overall = data["overall"]
    assert overall["protection"] == {"protected": 1, "references": 2, "rate": 0.5}
    assert overall["masked_chars"] == {"masked": 21, "inside_reference": 16, "precision": pytest.approx(16 / 21)}
    pl2, pl3 = data["per_level"]["PL2"], data["per_level"]["PL3"]
    assert pl2["protection"]["rate"] == 1.0 and pl3["protection"]["rate"] == 0.0
    assert pl2["masked_chars"]["precision"] == pytest.approx(8 / 13) and pl3["masked_chars"]["precision"] == 1.0


def test_per_level_slices_score_each_level_alone() -> None:
    report = ExtractionReport(other_types_zero)
    report.add_user("en")
    email = Item("kim@example.org", "Email", "PL2")
    report.add_turn(TEXT, [email], [email, Item("severe anxiety disorder", MED, "PL3")], "en")
    levels = report.to_dict()["per_level"]
    assert levels["PL2"]["mean"]["f1"] == 1.0
    assert levels["PL3"]["mean"]["f1"] == 0.0  # a reference, no prediction at this level
    assert levels["PL4"]["mean"]["f1"] == 1.0  # nothing on either side
    assert levels["PL4"]["turns"] == 1


def test_language_is_decided_by_the_share_of_cjk_letters() -> None:
    # digits and punctuation do not count, so numbers and addresses do not outvote the text
    assert user_language(["我的电话号码是 13812345678，邮箱是 li@qq.cn"]) == "zh"
    assert user_language(["I moved to 北京 last year"]) == "en"
    assert user_language(["12345", ""]) == "en"


def test_per_language_split() -> None:
    report = ExtractionReport(other_types_zero)
    email = Item("kim@example.org", "Email", "PL2")
    report.add_user("en")
    report.add_turn(TEXT, [email], [email], "en")
    report.add_user("zh")
    report.add_turn("我的邮箱是 li@example.cn", [], [Item("li@example.cn", "Email", "PL2")], "zh")
    report.add_turn("谢谢", [], [], "zh")
    data = report.to_dict()
    en, zh = data["per_language"]["en"], data["per_language"]["zh"]
    assert (en["users"], en["turns"], en["mean"]["f1"]) == (1, 1, 1.0)
    assert (zh["users"], zh["turns"], zh["mean"]["f1"]) == (1, 2, 0.5)
    assert data["overall"]["mean"]["f1"] == pytest.approx(2 / 3)
    assert "zh" in report.to_table()


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([], 50) is None
