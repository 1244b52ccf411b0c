from decimal import Decimal as D

from evaluations.deviation import execution, lags, report_problems


def test_the_rate_uses_the_adjusted_budget_when_there_is_one():
    result = execution(budget=D(100), adjusted_budget=D(80), spent=D(40), pace=D("58.33"))
    assert (result.rate, result.lag) == (D("50.00"), D("8.33"))
    assert lags(result)


def test_spending_ahead_of_pace_does_not_lag():
    result = execution(budget=D(100), adjusted_budget=None, spent=D(60), pace=D("58.33"))
    assert (result.rate, result.lag, lags(result)) == (D("60.00"), D(0), False)


def test_a_zero_budget_has_no_rate_and_must_be_explained():
    result = execution(budget=D(0), adjusted_budget=None, spent=D(0), pace=D(50))
    assert result.rate is None and lags(result)
    assert report_problems(result=result, cause="", measure="", entries=[]) == [
        "预算数为0，无法计算执行率：请在偏差原因分析中说明"
    ]


def test_a_certain_indicator_owes_nothing_and_an_unanswered_one_is_named():
    result = execution(budget=D(100), adjusted_budget=None, spent=D(70), pace=D(50))
    problems = report_problems(
        result=result,
        cause="",
        measure="",
        entries=[
            ("学位", "certain", "", ""),
            ("满意度", "", "", ""),
            ("工期", "impossible", "因", ""),
        ],
    )
    assert problems == [
        "“满意度”：请选择完成目标可能性",
        "“工期”完成目标可能性为“不可能”：须填写原因分析和改进措施",
    ]
