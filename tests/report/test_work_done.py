"""Section 一 (work done) and the problems found, from the records: target coverage,
monitoring rounds, the previous year's self-evaluations published, problems by state.
Only released evaluations' filings count."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from evaluations.models import MonitoringPeriod, MonitoringReport, PerformanceTarget, Problem, Unit
from evaluations.workflow import FilingState, Role, State
from tests.views.builders import (
    add_key_project,
    add_role_user,
    add_self_evaluation,
    add_target,
    add_units,
    spread_leaves,
)

from .reading import page_text

PAGE = "/520111/2022/report/"


@pytest.fixture
def world(huaxi):
    unit = Unit.objects.create(region=huaxi, name="贵阳市花溪区教育局", kind="department")
    people = SimpleNamespace(
        region=huaxi,
        unit=unit,
        department=add_role_user("dept", Role.DEPARTMENT, units=[unit]),
        reviewer=add_role_user("reviewer", Role.REVIEWER),
    )
    add_units(huaxi, 2022, 3)
    people.project = add_key_project(huaxi, 2022, unit=unit)
    return people


def target(world, *, year=2022, evaluation=None, scope=PerformanceTarget.Scope.PROJECT, funds="0"):
    return add_target(
        region=world.region,
        year=year,
        unit=world.unit,
        department=world.department,
        reviewer=world.reviewer,
        leaves=spread_leaves(3),
        evaluation=evaluation,
        scope=scope,
        name="" if evaluation or scope == PerformanceTarget.Scope.UNIT else "另一个项目",
        funds_total=Decimal(funds),
    )


def test_without_records_each_says_so_instead_of_a_number(client, world):
    text = page_text(client.get(PAGE))
    assert "系统中没有2022年度已批复的绩效目标记录，暂不列示绩效目标覆盖情况。" in text
    assert "系统中没有2022年度绩效运行监控的记录。" in text
    assert "系统中没有2021年度财政资金的公开评价结果记录。" in text
    assert "系统中没有随2021年度决算公开的项目支出绩效自评记录。" in text
    assert "系统中尚未登记2022年度评价发现的具体问题。" in text


def test_target_coverage_counts_the_approved_targets(client, world):
    target(world, evaluation=world.project, funds="476.604")
    target(world, funds="9298.22276")
    target(world, scope=PerformanceTarget.Scope.UNIT)

    assert (
        "2022年，1个部门设定了部门整体绩效目标，2个项目编制了绩效目标，"
        "涉及资金9,774.82676万元（约9,774.83万元）。"
    ) in page_text(client.get(PAGE))


def test_monitoring_counts_the_periods_and_their_approved_reports(client, world):
    watched = target(world, evaluation=world.project, funds="476.604")
    june, august = (
        MonitoringPeriod.objects.create(
            region=world.region, year=2022, end_month=month, due_date=date(2022, month + 1, 10)
        )
        for month in (6, 8)
    )
    for period, state in ((june, FilingState.APPROVED), (august, FilingState.SUBMITTED)):
        MonitoringReport.objects.create(
            period=period,
            target=watched,
            version=watched.approved_version,
            state=state,
            budget=Decimal("476.604"),
            spent=Decimal("200"),
        )

    assert (
        "2022年开展绩效运行监控2次（1–6月、1–8月），经审核的重点项目绩效监控表共1份"
        "（其中1–6月1份和1–8月0份）。"
    ) in page_text(client.get(PAGE))


def test_the_previous_years_published_self_evaluations_are_counted(client, world):
    earlier = add_key_project(world.region, 2021, name="上年度项目", unit=world.unit)
    evaluated = target(world, year=2021, evaluation=earlier, funds="320")
    add_self_evaluation(target=evaluated, department=world.department, reviewer=world.reviewer)
    withheld = add_key_project(world.region, 2021, number=2, name="未公开项目", unit=world.unit)
    withheld.state = State.APPROVED
    withheld.save()
    unreleased = target(world, year=2021, evaluation=withheld, funds="1000")
    add_self_evaluation(target=unreleased, department=world.department, reviewer=world.reviewer)

    text = page_text(client.get(PAGE))
    assert "随2021年度决算公开重点项目支出绩效自评表1份，涉及资金320万元。" in text
    assert "2022年，对2021年财政资金涉及的1个项目开展了重点绩效评价" in text


def test_problems_are_counted_by_state_with_those_past_their_deadline(client, world):
    past, future = date.today() - timedelta(days=1), date.today() + timedelta(days=30)
    other = Unit.objects.create(region=world.region, name="贵阳市花溪区民政局", kind="department")
    hidden = add_key_project(world.region, 2022, number=2, name="未公开项目", unit=other)
    hidden.state = State.SCORED
    hidden.save()
    for unit, project, state, deadline in (
        (world.unit, world.project, Problem.State.OPEN, past),
        (world.unit, world.project, Problem.State.REPORTED, future),
        (other, world.project, Problem.State.VERIFIED, past),
        (other, hidden, Problem.State.OPEN, past),  # on an unreleased evaluation
    ):
        Problem.objects.create(
            region=world.region,
            year=2022,
            unit=unit,
            project=project,
            source=Problem.Source.BUREAU,
            description="绩效目标设置不够细化",
            state=state,
            deadline=deadline,
        )

    assert (
        "2022年度评价共发现问题3个，涉及2个单位；其中已核实整改1个、已报整改情况待核实1个和"
        "待整改1个，已过整改期限尚未核实整改的1个。"
    ) in page_text(client.get(PAGE))
