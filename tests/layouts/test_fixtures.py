"""The real and constructed layouts in tests/data/layouts, read as their sidecars describe."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evaluations.documents import Kind
from evaluations.indicators import Direction, Likelihood
from evaluations.layouts import read_documents

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "layouts"
KINDS = {
    "self_evaluation": Kind.SELF_EVALUATION,
    "monitoring_report": Kind.MONITORING,
    "performance_target": Kind.TARGET,
}
# Sidecar key -> FundRow field.
FUND_FIELDS = {
    "initial_budget": "initial_budget",
    "full_year_budget": "full_year_budget",
    "adjusted_budget": "adjusted_budget",
    "spent": "spent",
    "spent_to_date": "spent",
    "expected_full_year": "expected_spent",
    "rate_printed": "rate",
    "rate_to_date_printed": "rate",
}
GOALS = {
    "expected": "overall_goal",
    "annual": "overall_goal",
    "actual": "goal_actual",
    "progress": "goal_actual",
    "long_term": "long_term_goal",
}


def fixtures():
    return sorted(FIXTURES.glob("*.xlsx"))


def read(path):
    [document] = read_documents(path.read_bytes(), file_name=path.name)
    return document, json.loads(path.with_suffix(".expected.json").read_text())


def amount(text):
    return None if text is None else Decimal(text.removesuffix("%").replace(",", ""))


def without_of_which(label):
    """The reader drops the layout's "其中：" prefix from a fund row's label."""
    return label.removeprefix("其中").lstrip(":：")


def test_the_fixtures_are_there():
    assert len(fixtures()) >= 6


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_a_fixture_reads_as_its_sidecar_says(path):
    document, expected = read(path)
    header = expected["header"]

    assert document.kind == KINDS[expected["kind"]]
    assert document.sheet == expected["sheet"]
    assert document.year == int(header["year"])
    for name in ("project_name", "project_code", "department", "implementing_unit", "attribute"):
        if name in header:
            assert getattr(document, name) == header[name], name
    for key, name in GOALS.items():
        if key in expected.get("goals", {}):
            assert getattr(document, name) == (expected["goals"][key] or ""), key


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_a_fixtures_fund_rows_are_read_total_first(path):
    document, expected = read(path)
    funds = expected["funds"]

    if "rows" not in funds:  # the target table: 年度资金总额, 其中 财政拨款, 其他资金
        amounts = [fund.initial_budget for fund in document.funds]
        assert amounts == [amount(funds[k]) for k in ("total", "fiscal", "other")]
        return
    assert len(document.funds) == len(funds["rows"])
    for fund, row in zip(document.funds, funds["rows"], strict=True):
        assert fund.label == without_of_which(row["label"])
        for key, name in FUND_FIELDS.items():
            if key in row:
                assert getattr(fund, name) == amount(row[key]), (row["label"], key)


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_a_fixtures_printed_scores_are_read_as_printed(path):
    document, expected = read(path)

    if "execution" in expected:
        execution = expected["execution"]
        assert document.execution_points == amount(execution["points"])
        assert document.execution_score == amount(execution["score_printed"])
        assert document.funds[0].rate == amount(execution["rate"])
    if "total" in expected:
        assert document.total == amount(expected["total"]["printed"])


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_a_fixtures_indicators_are_read_without_placeholders(path):
    document, expected = read(path)

    assert [i.name for i in document.indicators] == [i["name"] for i in expected["indicators"]]
    for row, item in zip(document.indicators, expected["indicators"], strict=True):
        assert row.level1 == item["level1"]
        assert row.level1_points == amount(item["level1_points"])
        assert row.level2 == item["level2"]
        assert row.target_text == item["target"]
        if "actual" in item:
            assert row.actual_text == (item["actual"] or "")
        if "points" in item:
            assert row.points == amount(item["points"])
        if "score" in item:
            assert row.score == amount(item["score"])
        assert_monitoring(document, row, item)
        assert_target_value(row, item)
        if "unit" in item:
            assert row.unit_of_measure == item["unit"]
            assert row.target.operator == item["nature"]


def assert_monitoring(document, row, item):
    reason = row.cause if document.kind == Kind.MONITORING else row.reason
    assert reason == (item.get("reason") or "")
    if "likelihood" in item:
        assert Likelihood(row.likelihood).label == item["likelihood"]
        assert row.measure == (item.get("measures") or "")
        assert row.progress == (item["actual_to_date"] or "")


def assert_target_value(row, item):
    if "operator" not in item:
        return
    assert row.target.operator == (item["operator"] or "")
    assert row.target.number == amount(item["target_number"])
    assert row.target.unit == (item["target_unit"] or "")
    assert row.quantitative is item["quantitative"]
    # The sidecar calls "=100%" 正向; indicators.direction_for gives "=" no direction.
    direction = "" if item["operator"] == "=" else item["direction"]
    assert row.direction == {"正向": Direction.POSITIVE, "反向": Direction.NEGATIVE}.get(
        direction, ""
    )


def test_the_sichuan_export_leaves_template_prompts_and_the_weight_sum_out():
    document, expected = read(FIXTURES / "self_evaluation_qingshen.xlsx")

    assert (document.conclusion, document.problems, document.measures) == ("", "", "")
    assert document.goal_actual == ""
    assert all(fund.reason == "" for fund in document.funds)
    assert document.total is None and expected["total"]["points_printed"] == "100"


def test_the_monitoring_fixtures_closing_boxes_are_read():
    document, expected = read(FIXTURES / "monitoring_report.xlsx")

    assert document.end_month == 7
    assert document.cause == expected["deviation_analysis"]
    assert document.measure == expected["suggestions"]
