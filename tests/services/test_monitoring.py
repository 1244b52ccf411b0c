import datetime

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import MonitoringPeriod, PerformanceTarget
from evaluations.policies import visible_targets
from evaluations.selectors.monitoring import deviation_board
from evaluations.services.monitoring import monitoring_report_save, monitoring_transition
from evaluations.services.workflow import WorkflowError
from evaluations.workflow import FilingState

from .filings import D, approved_target, project_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(world):
    return MonitoringPeriod.objects.create(
        region=world.region, year=2022, end_month=7, due_date=datetime.date(2022, 8, 15)
    )


def entries_of(report, **by_name):
    return {
        e.indicator_id: by_name.get(e.indicator.name, {"likelihood": "certain", "progress": "60%"})
        for e in report.entries.select_related("indicator")
    }


def report(world, period, target, *, spent="300", entries=None, **changes):
    saved = monitoring_report_save(
        period=period,
        target=target,
        user=world.department,
        changes={"budget": D("476.604"), "spent": D(spent), **changes},
    )
    return monitoring_report_save(
        period=period,
        target=target,
        user=world.department,
        changes={},
        entries=entries_of(saved, **(entries or {})),
    )


def test_the_default_pace_is_the_share_of_the_year_elapsed(period):
    assert period.label == "1–7月"
    assert period.pace == D("58.33")


def test_a_report_on_pace_with_certain_indicators_is_submitted(world, period):
    saved = report(world, period, approved_target(world), spent="300")  # 62.95 %
    assert monitoring_transition(report=saved, user=world.department, name="submit").state == (
        FilingState.SUBMITTED
    )


def test_an_uncertain_indicator_needs_both_cause_and_measure(world, period):
    uncertain = {"家长满意度": {"likelihood": "possible", "cause": "园所未完工"}}
    saved = report(world, period, approved_target(world), entries=uncertain)
    with pytest.raises(WorkflowError) as refused:
        monitoring_transition(report=saved, user=world.department, name="submit")
    assert "“家长满意度”完成目标可能性为“有可能”：须填写原因分析和改进措施" in str(refused.value)


def test_lagging_execution_needs_cause_and_measure(world, period):
    saved = report(world, period, approved_target(world), spent="200")  # 41.96 %
    with pytest.raises(WorkflowError) as refused:
        monitoring_transition(report=saved, user=world.department, name="submit")
    assert "预算执行率 41.96% 低于序时进度 58.33%（滞后 16.37 个百分点）" in str(refused.value)
    saved = monitoring_report_save(
        period=period,
        target=saved.target,
        user=world.department,
        changes={"cause": "工程款按进度结算", "measure": "9月底前支付二期款"},
    )
    assert monitoring_transition(report=saved, user=world.department, name="submit").state == (
        FilingState.SUBMITTED
    )


def test_a_target_not_approved_cannot_be_monitored(world, period):
    with pytest.raises(WorkflowError, match="尚未批复"):
        report(world, period, project_target(world))


def test_another_units_target_cannot_be_reported_by_the_department(world, period):
    target = approved_target(world)
    PerformanceTarget.objects.filter(pk=target.pk).update(unit=world.other_unit)
    target.refresh_from_db()
    with pytest.raises(PermissionDenied):
        report(world, period, target)


def test_the_board_shows_who_lags_by_how_much_and_who_has_not_reported(world, period):
    on_pace = approved_target(world, name="按进度项目")
    lagging = approved_target(world, name="滞后项目")
    approved_target(world, name="未报送项目")
    project_target(world, name="未批复项目")  # not monitored at all
    for target, spent in ((on_pace, "300"), (lagging, "100")):
        saved = report(
            world,
            period,
            target,
            spent=spent,
            entries={"家长满意度": {"likelihood": "impossible", "cause": "c", "measure": "m"}},
            cause="c",
            measure="m",
        )
        monitoring_transition(report=saved, user=world.department, name="submit")
    board = deviation_board(period=period, targets=visible_targets(world.reviewer))
    assert (board["targets"], board["reported"], board["missing"], board["lagging"]) == (3, 2, 1, 1)
    assert board["uncertain"] == 2
    first, second, third = board["rows"]
    assert first.target.project_name == "未报送项目" and not first.reported
    assert second.target.project_name == "滞后项目"
    assert second.execution.rate == D("20.98") and second.execution.lag == D("37.35")
    assert third.execution.lag == 0 and third.impossible == 1


def test_the_board_runs_a_fixed_number_of_queries(world, period, django_assert_num_queries):
    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            board = deviation_board(period=period, targets=visible_targets(world.reviewer))
            [(r.target.unit.name, r.lagging) for r in board["rows"]]
        return len(ctx.captured_queries)

    for i in range(2):
        report(world, period, approved_target(world, name=f"项目{i}"))
    small = measure()
    for i in range(2, 12):
        report(world, period, approved_target(world, name=f"项目{i}"))
    assert measure() == small
