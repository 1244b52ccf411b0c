"""The overview's 绩效目标覆盖 block: departments with overall targets, projects with
targets and the funds they cover, counted from the approved targets of the region's year."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import PerformanceTarget, Unit
from evaluations.services.targets import (
    target_adjust,
    target_review,
    target_submit,
    target_version_update,
)
from evaluations.workflow import Role

from .builders import add_projects, add_role_user, add_target, spread_leaves
from .pages import page_text, url

pytestmark = pytest.mark.django_db

YEAR = 2022
OVERVIEW = url("520111", YEAR)
UNIT, PROJECT = PerformanceTarget.Scope.UNIT, PerformanceTarget.Scope.PROJECT


@pytest.fixture
def people(huaxi):
    """花溪区 with released results in YEAR, three departments and their logins."""
    add_projects(huaxi, YEAR, 2)
    units = [
        Unit.objects.create(region=huaxi, name=name, kind="department")
        for name in ("教育局", "民政局", "卫健局")
    ]
    return SimpleNamespace(
        region=huaxi,
        units=units,
        department=add_role_user("dept", Role.DEPARTMENT, units=units),
        reviewer=add_role_user("reviewer", Role.REVIEWER),
    )


def target(people, unit, *, scope=PROJECT, name="", funds="0", year=YEAR, approve=True):
    return add_target(
        region=people.region,
        year=year,
        unit=people.units[unit],
        department=people.department,
        reviewer=people.reviewer,
        leaves=spread_leaves(3),
        scope=scope,
        name=name,
        funds_total=Decimal(funds),
        approve=approve,
    )


@pytest.fixture
def filed(people):
    """Two departments with approved overall targets, three approved project targets, and
    what must not count: targets only submitted, and another year's."""
    target(people, 0, scope=UNIT)
    target(people, 1, scope=UNIT)
    target(people, 2, scope=UNIT, approve=False)
    target(people, 0, name="学前教育", funds="1000.123456")
    target(people, 0, name="义务教育", funds="2000.5")
    target(people, 1, name="社会救助", funds="0.000001")
    target(people, 2, name="尚未批复的项目", funds="500", approve=False)
    target(people, 2, name="去年的项目", funds="700", year=YEAR - 1)
    return people


def test_it_counts_departments_projects_and_funds_from_approved_targets(client, filed):
    text = page_text(client.get(OVERVIEW))
    assert (
        "绩效目标覆盖 设定部门整体绩效目标的部门 2 个 设定绩效目标的项目 3 个 "
        "绩效目标覆盖资金 3,000.623457 万元 约 3,000.62 万元"
    ) in text


def test_it_states_where_the_figures_come_from(client, filed):
    assert "以上数字由本年度已批复的全部绩效目标逐项计算得出" in page_text(client.get(OVERVIEW))


def test_the_funds_are_those_of_the_version_in_force(client, filed):
    adjusted = PerformanceTarget.objects.get(project_name="义务教育")
    version = target_adjust(target=adjusted, user=filed.department, reason="追加预算")
    version = target_version_update(
        version=version, user=filed.department, changes={"funds_total": Decimal("2500")}
    )
    version = target_submit(version=version, user=filed.department)
    assert "绩效目标覆盖资金 3,000.623457 万元" in page_text(client.get(OVERVIEW))
    target_review(version=version, user=filed.reviewer, grade="良")
    assert "绩效目标覆盖资金 3,500.123457 万元 约 3,500.12 万元" in page_text(client.get(OVERVIEW))


def test_it_has_no_coverage_block_without_approved_targets(client, people):
    target(people, 0, scope=UNIT, approve=False)
    target(people, 0, name="尚未批复的项目", funds="500", approve=False)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert "绩效目标覆盖" not in page_text(response)


def test_a_year_with_only_overall_targets_shows_no_funds_covered(client, people):
    target(people, 0, scope=UNIT)
    assert (
        "设定部门整体绩效目标的部门 1 个 设定绩效目标的项目 0 个 绩效目标覆盖资金 0 万元"
        in page_text(client.get(OVERVIEW))
    )


# The overview's 6 (the region, year_summary's 5) + target_coverage's one aggregate.
OVERVIEW_BUDGET = 7


def test_the_overview_query_count_does_not_grow_with_the_targets(client, filed):
    with CaptureQueriesContext(connection) as few:
        client.get(OVERVIEW)
    for i in range(10):
        target(filed, i % 3, name=f"追加项目{i}", funds="1")
    with CaptureQueriesContext(connection) as many:
        response = client.get(OVERVIEW)
    assert "设定绩效目标的项目 13 个" in page_text(response)
    assert len(few) == len(many) == OVERVIEW_BUDGET
