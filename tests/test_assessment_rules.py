"""The seven rules of the departments' assessment (evaluations.assessment), on plain facts."""

from decimal import Decimal

import pytest

from evaluations.assessment import RULES, Facts, score, shares
from evaluations.models import AssessmentTemplate

D = Decimal
DEFAULT = AssessmentTemplate()  # 15 + 15 + 15 + 15 + 10 + 20 + 10


def earned(facts, template=DEFAULT) -> dict[str, Decimal]:
    return {line["rule"]: D(line["earned"]) for line in score(facts, template)[1]}


def test_the_default_points_add_up_to_100():
    assert sum(getattr(DEFAULT, key) for key, _ in RULES) == D(100)


def test_a_unit_that_did_everything_on_time_scores_100():
    facts = Facts(
        targets=3,
        targets_on_time=3,
        review_grades=("优", "优", "优"),
        reports_owed=6,
        reports_on_time=6,
        self_evaluations_owed=3,
        self_evaluations_on_time=3,
        self_evaluations_submitted=3,
        problems_due=2,
        problems_on_time=2,
        evaluations_done=1,
        evaluations_released=1,
    )
    total, breakdown = score(facts, DEFAULT)
    assert total == D("100.00")
    assert [line["share"] for line in breakdown] == ["100.00"] * 7


def test_a_unit_with_no_target_gets_nothing_for_targets_but_is_not_owed_the_rest():
    total, breakdown = score(Facts(), DEFAULT)
    lines = {line["rule"]: line for line in breakdown}
    assert lines["targets_on_time"]["earned"] == "0.00"
    quality = lines["target_quality"]
    assert (D(quality["points"]), quality["share"], quality["earned"]) == (D(15), "0.00", "0.00")
    assert quality["basis"] == "无已审核的目标"
    for rule in ("monitoring_on_time", "self_evaluation_on_time", "rectification_on_time"):
        assert lines[rule]["earned"] == str(getattr(DEFAULT, rule).quantize(D("0.01")))
        assert lines[rule]["basis"] == "无应完成事项"
    assert total == D("70.00")


def test_targets_on_time_is_the_share_filed_by_the_due_date():
    assert shares(Facts(targets=3, targets_on_time=2))["targets_on_time"] == (D(2) / 3, "2/3")
    assert earned(Facts(targets=3, targets_on_time=2))["targets_on_time"] == D("10.00")


@pytest.mark.parametrize(
    ("grades", "share", "points"),
    [
        (("优",), "1", "15.00"),
        (("良",), "0.8", "12.00"),
        (("中",), "0.6", "9.00"),
        (("差",), "0", "0.00"),
        (("优", "良", "中"), "0.8", "12.00"),
        (("优", "差", "差"), "0.3333", "5.00"),
        (("良", "良", "中"), "0.7333", "11.00"),
    ],
)
def test_target_quality_is_the_mean_review_grade(grades, share, points):
    found, basis = shares(Facts(targets=len(grades), review_grades=grades))["target_quality"]
    assert found.quantize(D("0.0001")) == D(share).quantize(D("0.0001"))
    assert basis == "审核等级：" + "、".join(grades)
    assert earned(Facts(review_grades=grades))["target_quality"] == D(points)


def test_monitoring_is_the_share_of_reports_owed_submitted_on_time():
    facts = Facts(reports_owed=4, reports_on_time=3)
    assert shares(facts)["monitoring_on_time"][1] == "3/4"
    assert earned(facts)["monitoring_on_time"] == D("11.25")


def test_self_evaluations_on_time_and_consistent():
    facts = Facts(
        self_evaluations_owed=3,
        self_evaluations_on_time=1,
        self_evaluations_submitted=2,
        self_evaluations_red=1,
    )
    assert earned(facts)["self_evaluation_on_time"] == D("5.00")
    assert earned(facts)["self_evaluation_consistent"] == D("5.00")
    assert shares(facts)["self_evaluation_consistent"][1] == "1/2"


def test_nothing_submitted_is_not_marked_inconsistent():
    assert earned(Facts())["self_evaluation_consistent"] == D("10.00")


def test_rectification_is_the_share_of_problems_due_rectified_by_their_deadline():
    facts = Facts(problems_due=3, problems_on_time=1)
    assert earned(facts)["rectification_on_time"] == D("6.67")  # 20 × 1/3 = 6.666…


def test_disclosure_is_the_share_of_approved_evaluations_released():
    facts = Facts(evaluations_done=4, evaluations_released=1)
    assert earned(facts)["disclosure"] == D("2.50")
    assert shares(facts)["disclosure"][1] == "1/4"


def test_each_line_is_rounded_and_the_total_is_their_sum():
    facts = Facts(
        targets=3,
        targets_on_time=1,  # 5.00
        review_grades=("优", "差", "差"),  # 5.00
        reports_owed=3,
        reports_on_time=2,  # 10.00
        self_evaluations_owed=3,
        self_evaluations_on_time=2,  # 10.00
        self_evaluations_submitted=3,
        self_evaluations_red=2,  # 3.33
        problems_due=3,
        problems_on_time=2,  # 13.33
        evaluations_done=3,
        evaluations_released=2,  # 6.67
    )
    total, breakdown = score(facts, DEFAULT)
    assert [line["earned"] for line in breakdown] == [
        "5.00",
        "5.00",
        "10.00",
        "10.00",
        "3.33",
        "13.33",
        "6.67",
    ]
    assert total == D("53.33")
    assert sum(D(line["earned"]) for line in breakdown) == total


def test_the_template_sets_the_points():
    heavy = AssessmentTemplate(targets_on_time=D(40), disclosure=D(0))
    facts = Facts(targets=2, targets_on_time=1, evaluations_done=1)
    assert earned(facts, heavy)["targets_on_time"] == D("20.00")
    assert earned(facts, heavy)["disclosure"] == D("0.00")


def test_the_breakdown_follows_the_rules_in_order_and_is_json_ready():
    _, breakdown = score(Facts(targets=1, targets_on_time=1), DEFAULT)
    assert [(line["rule"], line["label"]) for line in breakdown] == list(RULES)
    assert all(isinstance(value, str) for line in breakdown for value in line.values())
