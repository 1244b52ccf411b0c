"""The self-evaluation scoring rules against tables computed by hand."""

from decimal import Decimal as D

import pytest

from evaluations.scoring import (
    Denominator,
    Indicator,
    Operator,
    ScoringError,
    ScoringSettings,
    Tier,
    execution,
    score_indicator,
    self_evaluation_total,
)


@pytest.mark.parametrize(
    ("budget", "spent", "ceiling"),
    [(100, 50, D("5")), (200, 180, D("9")), (100, 100, D("10")), (100, 120, D("10"))],
)
def test_budget_execution_scores_rate_times_ten_capped_at_ten(budget, spent, ceiling):
    assert execution(full_year_budget=D(budget), spent=D(spent)).ceiling == ceiling


def test_a_zero_budget_is_not_divided_but_left_out_with_a_note():
    result = execution(full_year_budget=D(0), spent=D(12))

    assert (result.rate, result.ceiling) == (None, None)
    assert "预算数为0" in result.note


def test_the_denominator_is_a_setting():
    adjusted = ScoringSettings(denominator=Denominator.ADJUSTED)

    assert execution(full_year_budget=D(100), adjusted_budget=D(80), spent=D(60)).ceiling == 6
    assert execution(
        full_year_budget=D(100), adjusted_budget=D(80), spent=D(60), settings=adjusted
    ).ceiling == D("7.5")


@pytest.mark.parametrize(
    ("operator", "target", "actual", "expected"),
    [
        (Operator.GE, 100, 120, D(10)),  # reached: full points
        (Operator.GE, 100, 80, D(8)),  # 正向: 80 / 100 × 10
        (Operator.LE, 5, 10, D(5)),  # 反向: 5 / 10 × 10
        (Operator.LE, 5, 0, D(10)),  # 0 ≤ 5 is reached, no division by zero
        (Operator.GT, 0, 0, D(0)),  # not reached, a zero target gives nothing
        (Operator.EQ, 100, 125, D(8)),  # "=": the smaller ratio, 100 / 125
        (Operator.EQ, 100, 80, D(8)),
    ],
)
def test_quantitative_indicators_score_by_the_positive_and_negative_formulas(
    operator, target, actual, expected
):
    indicator = Indicator(
        "指标", D(10), operator=operator, target=D(target), actual=D(actual), reason="原因"
    )

    assert score_indicator(indicator).score == expected


def test_a_missed_target_without_a_reason_is_owed():
    indicator = Indicator("培训人次", D(10), operator=Operator.GE, target=D(100), actual=D(80))

    result = score_indicator(indicator)

    assert result.problems == ["“培训人次”未达成目标，须填写偏差原因分析及改进措施"]


def test_a_score_may_be_lower_than_the_formula_with_a_reason_never_higher():
    met = Indicator("覆盖率", D(10), target=D(95), actual=D(96), entered=D("9.5"))

    assert score_indicator(met).problems == ["“覆盖率”扣分 0.50，须说明扣分理由"]
    with pytest.raises(ScoringError, match="超过允许的 8.00 分"):
        score_indicator(Indicator("x", D(10), target=D(100), actual=D(80), entered=D(9)))


@pytest.mark.parametrize(
    ("tier", "entered", "allowed"),
    [
        (Tier.MET, None, D(30)),
        (Tier.MET, D(24), D(24)),
        (Tier.PARTLY, D(15), D(15)),
        (Tier.PARTLY, D("23.99"), D("23.99")),
        (Tier.PARTLY, D(24), None),  # 80 % belongs to 达成
        (Tier.PARTLY, D(14), None),
        (Tier.PARTLY, None, None),  # the reviewer must score within the tier
        (Tier.MISSED, D(0), D(0)),
        (Tier.MISSED, D(15), None),
    ],
)
def test_qualitative_tiers_bound_the_score(tier, entered, allowed):
    indicator = Indicator(
        "社会效益", D(30), quantitative=False, tier=tier, entered=entered, reason="说明"
    )
    if allowed is None:
        with pytest.raises(ScoringError):
            score_indicator(indicator)
    else:
        assert score_indicator(indicator).score == allowed


def table(*, timeliness_applicable=True):
    return [
        Indicator("完成数量", D(20), operator=Operator.GE, target=D(100), actual=D(100)),
        Indicator(
            "质量达标率",
            D(15),
            operator=Operator.GE,
            target=D(95),
            actual=D(90),
            reason="部分设备验收延期",
        ),
        Indicator(
            "完成时限（天）",
            D(15),
            operator=Operator.LE,
            target=D(30),
            actual=D(36),
            reason="雨季停工",
            applicable=timeliness_applicable,
        ),
        Indicator("社会效益", D(30), quantitative=False, tier=Tier.MET),
        Indicator("服务对象满意度", D(10), operator=Operator.GE, target=D(90), actual=D(92)),
    ]


def test_the_total_adds_execution_and_indicators():
    # 9 + 20 + 90/95×15 (14.2105… shown 14.21) + 30/36×15 (12.5) + 30 + 10 = 95.71
    result = self_evaluation_total(
        execution_result=execution(full_year_budget=D(200), spent=D(180)), indicators=table()
    )

    assert result.total == D("95.71")
    assert result.problems == []


def test_a_not_applicable_indicator_is_dropped_and_the_rest_rescaled_to_100():
    # (9 + 20 + 14.21 + 30 + 10) × 100 / 85 = 97.8941… → 97.89
    result = self_evaluation_total(
        execution_result=execution(full_year_budget=D(200), spent=D(180)),
        indicators=table(timeliness_applicable=False),
    )

    assert result.total == D("97.89")


def test_a_zero_budget_leaves_execution_out_and_rescales():
    # Indicator scores count as the table shows them, to 2 places:
    # (20 + 14.21 + 12.5 + 30 + 10) × 100 / 90 = 96.3444… → 96.34
    result = self_evaluation_total(
        execution_result=execution(full_year_budget=D(0), spent=D(0)), indicators=table()
    )

    assert (result.execution_score, result.total) == (None, D("96.34"))


def test_rounding_is_a_setting():
    result = self_evaluation_total(
        execution_result=execution(full_year_budget=D(200), spent=D(180)),
        indicators=table(),
        settings=ScoringSettings(places=0),
    )

    assert result.total == D("96")


def test_an_execution_score_above_the_rate_is_refused():
    with pytest.raises(ScoringError, match="超过允许的 5.00 分"):
        self_evaluation_total(
            execution_result=execution(full_year_budget=D(100), spent=D(50)),
            execution_entered=D(6),
            indicators=table(),
        )


def test_the_ceiling_as_shown_may_be_entered():
    # 2 / 3 × 10 = 6.666…, shown as 6.67: entering 6.67 is allowed, 6.68 is not.
    indicator = Indicator("x", D(10), target=D(3), actual=D(2), entered=D("6.67"), reason="r")

    assert score_indicator(indicator).score == D("6.67")
    with pytest.raises(ScoringError):
        score_indicator(Indicator("x", D(10), target=D(3), actual=D(2), entered=D("6.68")))


def test_a_float_from_a_spreadsheet_is_read_without_binary_noise():
    assert execution(full_year_budget=476.604, spent=238.302).ceiling == D(5)
