"""The yearly assessment of departments' performance-management work, on a constructed
year of three units: 教育局 with late, missing and on-time items of every kind, 民政局 with
nearly everything on time, and a township with nothing to judge.

Hand-computed (default points 15/15/15/15/10/20/10, due dates 2022-01-31 and 2023-03-31,
today 2023-07-01):

                        教育局                        民政局             青岩镇
targets on time         2/3 → 10.00                   1/1 → 15.00        0/0 → 0
target quality          (优 1 + 良 .8 + 中 .6)/3 → 12.00  优 → 15.00        none → 0
monitoring on time      2/4 → 7.50                    2/2 → 15.00        nothing owed → 15.00
self-evaluation on time 1/2 → 7.50                    0/1 → 0            nothing owed → 15.00
consistent              1 of 2 red → 5.00             none → 10.00       10.00
rectification           1/3 → 6.67                    none due → 20.00   20.00
disclosure              1/2 → 5.00                    1/1 → 10.00        10.00
total                   53.67                         85.00              70.00
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.assessment import Facts
from evaluations.models import (
    AssessmentTemplate,
    DepartmentAssessment,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    Problem,
    Region,
    SelfEvaluation,
    TargetVersion,
    Unit,
    UnitEvaluation,
    UserRole,
    WorkflowEvent,
)
from evaluations.policies import visible_assessments
from evaluations.selectors.assessment import ranking, template_for, unit_facts
from evaluations.services.assessment import assessment_adjust, assessments_compute
from evaluations.services.monitoring import monitoring_report_save, monitoring_transition
from evaluations.services.targets import target_create, target_review, target_submit
from evaluations.services.workflow import Conflict, WorkflowError
from evaluations.workflow import FilingState, Role, State

from ..views.builders import add_self_evaluation
from .filings import standard_tree

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2022
TODAY = datetime.date(2023, 7, 1)
LOCAL = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


def submitted_at(model, record, when):
    """Backdate a filing's submission: its submitted_at and its submit event (the rules
    read when a filing was first submitted from its events)."""
    from django.contrib.contenttypes.models import ContentType

    from evaluations.models import WorkflowEvent

    model.objects.filter(pk=record.pk).update(submitted_at=when)
    latest = (
        WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=record.pk,
            action__endswith="_submit",
        )
        .order_by("-pk")
        .first()
    )
    WorkflowEvent.objects.filter(pk=latest.pk).update(at=when)


class Year:
    """The constructed year: the people, the units and every record the rules judge."""

    def __init__(self, world):
        self.world = world
        self.region = world.region
        self.education, self.civil = world.own_unit, world.other_unit
        self.township = Unit.objects.create(
            region=self.region, name="青岩镇人民政府", kind="township"
        )
        self.civil_department = User.objects.create_user("dept2", password="pw", is_staff=True)
        role = UserRole.objects.create(user=self.civil_department, role=Role.DEPARTMENT)
        role.units.set([self.civil])
        self.template = AssessmentTemplate.objects.create(
            region=self.region,
            year=YEAR,
            target_due=datetime.date(2022, 1, 31),
            self_evaluation_due=datetime.date(2023, 3, 31),
        )
        self.periods = [
            MonitoringPeriod.objects.create(
                region=self.region, year=YEAR, end_month=6, due_date=datetime.date(2022, 7, 15)
            ),
            MonitoringPeriod.objects.create(
                region=self.region, year=YEAR, end_month=8, due_date=datetime.date(2022, 9, 15)
            ),
        ]
        self._education()
        self._civil()

    def department(self, unit):
        return self.world.department if unit == self.education else self.civil_department

    def target(self, unit, name, *, when, grade):
        """A project target submitted at when, reviewed with grade (优/良 approve, 中 return)."""
        target = target_create(
            user=self.department(unit),
            region=self.region,
            year=YEAR,
            unit=unit,
            scope=PerformanceTarget.Scope.PROJECT,
            project_name=name,
            tree=standard_tree(),
            overall_goal=f"{name}年度目标",
            funds_total=D(100),
        )
        version = target_submit(version=target.versions.get(), user=self.department(unit))
        submitted_at(TargetVersion, version, when)
        comment = "指标不够细化" if grade == "中" else ""
        target_review(version=version, user=self.world.reviewer, grade=grade, comment=comment)
        target.refresh_from_db()
        return target

    def report(self, period, target, *, when=None):
        """A monitoring report on pace; submitted at when (a draft without)."""
        department = self.department(target.unit)
        saved = monitoring_report_save(
            period=period,
            target=target,
            user=department,
            changes={"budget": D(100), "spent": D(90)},
        )
        entries = {e.indicator_id: {"likelihood": "certain"} for e in saved.entries.all()}
        saved = monitoring_report_save(
            period=period, target=target, user=department, changes={}, entries=entries
        )
        if when is not None:
            saved = monitoring_transition(report=saved, user=department, name="submit")
            submitted_at(MonitoringReport, saved, when)
        return saved

    def self_evaluation(self, target, *, when, spent="100"):
        evaluation = add_self_evaluation(
            target=target,
            department=self.department(target.unit),
            reviewer=self.world.reviewer,
            state=FilingState.SUBMITTED,
            spent=D(spent),
            execution_reason="部分项目年底结算",
        )
        submitted_at(SelfEvaluation, evaluation, when)
        return evaluation

    def problem(self, unit, *, deadline, state=Problem.State.OPEN, reported=None):
        problem = Problem.objects.create(
            region=self.region,
            year=YEAR,
            unit=unit,
            source=Problem.Source.BUREAU,
            description="绩效目标不够细化",
            deadline=deadline,
            state=state,
        )
        Problem.objects.filter(pk=problem.pk).update(reported_at=reported)
        return problem

    def _education(self):
        unit = self.education
        first = self.target(unit, "学前教育", when=at(2022, 1, 15), grade="优")
        # 23:30 on the due date, Beijing time (15:30 UTC): still on time.
        second = self.target(unit, "义务教育", when=at(2022, 1, 31, 23, 30), grade="良")
        self.target(unit, "职业教育", when=at(2022, 2, 10), grade="中")  # late, returned
        june, august = self.periods
        self.report(june, first, when=at(2022, 7, 10))
        self.report(august, first, when=at(2022, 9, 20))  # late
        self.report(june, second, when=at(2022, 7, 15, 20))  # on the due date
        self.report(august, second)  # a draft: missing
        self.self_evaluation(first, when=at(2023, 3, 20))
        # Late, and claiming every target met with 10 % of the money spent: a red flag.
        red = self.self_evaluation(second, when=at(2023, 4, 5), spent="10")
        assert any(w["level"] == "red" for w in red.warnings), red.warnings
        verified = Problem.State.VERIFIED
        may_31 = datetime.date(2023, 5, 31)
        self.problem(unit, deadline=may_31, state=verified, reported=at(2023, 5, 20))
        self.problem(unit, deadline=may_31, state=verified, reported=at(2023, 6, 10))  # late
        self.problem(unit, deadline=datetime.date(2023, 6, 15))  # overdue
        self.problem(unit, deadline=datetime.date(2023, 8, 1))  # not yet due
        self.problem(unit, deadline=None)  # no deadline set
        self.world.unit_evaluation(State.RELEASED, unit=unit)
        self.world.project(State.APPROVED, unit=unit, number=1)
        self.world.project(State.SCORED, unit=unit, number=2)  # not done yet

    def _civil(self):
        unit = self.civil
        target = self.target(unit, "城乡低保", when=at(2022, 1, 20), grade="优")
        for period in self.periods:
            self.report(period, target, when=at(2022, period.end_month + 1, 1))
        self.world.unit_evaluation(State.RELEASED, unit=unit)


@pytest.fixture
def year(world):
    return Year(world)


def facts(year):
    return unit_facts(region=year.region, year=YEAR, template=year.template, today=TODAY)


def test_the_facts_of_each_unit_are_gathered_from_the_records(year):
    found = facts(year)
    assert found[year.education.pk] == Facts(
        targets=3,
        targets_on_time=2,
        review_grades=found[year.education.pk].review_grades,
        reports_owed=4,
        reports_on_time=2,
        self_evaluations_owed=2,
        self_evaluations_on_time=1,
        self_evaluations_submitted=2,
        self_evaluations_red=1,
        problems_due=3,
        problems_on_time=1,
        evaluations_done=2,
        evaluations_released=1,
    )
    assert sorted(found[year.education.pk].review_grades) == sorted(("优", "良", "中"))
    assert found[year.civil.pk] == Facts(
        targets=1,
        targets_on_time=1,
        review_grades=("优",),
        reports_owed=2,
        reports_on_time=2,
        self_evaluations_owed=1,
        evaluations_done=1,
        evaluations_released=1,
    )
    assert found[year.township.pk] == Facts()


def breakdown(row) -> dict[str, tuple[str, str, str]]:
    return {line["rule"]: (line["share"], line["earned"], line["basis"]) for line in row.breakdown}


def compute(year, user=None):
    return assessments_compute(
        region=year.region, year=YEAR, user=user or year.world.reviewer, today=TODAY
    )


def test_each_rule_gives_its_share_of_the_points(year):
    rows = {row.unit_id: row for row in compute(year)}
    assert breakdown(rows[year.education.pk]) == {
        "targets_on_time": ("66.67", "10.00", "2/3"),
        "target_quality": (
            "80.00",
            "12.00",
            breakdown(rows[year.education.pk])["target_quality"][2],
        ),
        "monitoring_on_time": ("50.00", "7.50", "2/4"),
        "self_evaluation_on_time": ("50.00", "7.50", "1/2"),
        "self_evaluation_consistent": ("50.00", "5.00", "1/2"),
        "rectification_on_time": ("33.33", "6.67", "1/3"),
        "disclosure": ("50.00", "5.00", "1/2"),
    }
    assert breakdown(rows[year.civil.pk]) == {
        "targets_on_time": ("100.00", "15.00", "1/1"),
        "target_quality": ("100.00", "15.00", "审核等级：优"),
        "monitoring_on_time": ("100.00", "15.00", "2/2"),
        "self_evaluation_on_time": ("0.00", "0.00", "0/1"),
        "self_evaluation_consistent": ("100.00", "10.00", "无应完成事项"),
        "rectification_on_time": ("100.00", "20.00", "无应完成事项"),
        "disclosure": ("100.00", "10.00", "1/1"),
    }
    township = breakdown(rows[year.township.pk])
    assert township["targets_on_time"] == ("0.00", "0.00", "无应完成事项")
    assert township["target_quality"] == ("0.00", "0.00", "无已审核的目标")


def test_the_totals_and_the_ranking(year):
    rows = {row.unit_id: row for row in compute(year)}
    assert (rows[year.education.pk].computed, rows[year.education.pk].score) == (
        D("53.67"),
        D("53.67"),
    )
    assert rows[year.civil.pk].score == D("85.00")
    assert rows[year.township.pk].score == D("70.00")
    ranked = ranking(region=year.region, year=YEAR)
    assert [(row.unit.name, row.rank) for row in ranked] == [
        ("贵阳市花溪区民政局", 1),
        ("青岩镇人民政府", 2),
        ("贵阳市花溪区教育局", 3),
    ]


def test_ties_share_a_rank(year):
    compute(year)
    DepartmentAssessment.objects.filter(unit=year.township).update(score=D("85.00"))
    assert [row.rank for row in ranking(region=year.region, year=YEAR)] == [1, 1, 3]


def test_the_regions_template_for_the_year_applies(year):
    assert template_for(region=year.region, year=YEAR) == year.template
    assert template_for(region=year.region, year=2023).pk is None  # the built-in defaults
    default = AssessmentTemplate.objects.create(disclosure=D(20), rectification_on_time=D(10))
    assert template_for(region=year.region, year=2023) == default


def test_an_adjustment_needs_a_reason_and_survives_recomputation(year):
    row = compute(year).get(unit=year.education)
    with pytest.raises(WorkflowError, match="调整考核得分必须填写理由"):
        assessment_adjust(assessment_row=row, user=year.world.reviewer, adjustment=D(5), reason=" ")
    adjusted = assessment_adjust(
        assessment_row=row,
        user=year.world.reviewer,
        adjustment=D("5.5"),
        reason="按时报送部门整体支出绩效报告，加分",
        revision=row.revision,
    )
    assert (adjusted.score, adjusted.adjusted_by) == (D("59.17"), year.world.reviewer)
    event = WorkflowEvent.objects.get(action="assessment_adjust")
    assert event.comment == "53.67 → 59.17：按时报送部门整体支出绩效报告，加分"
    year.self_evaluation(
        year.civil.targets.get(), when=at(2023, 3, 1)
    )  # 民政局 catches up; 教育局 unchanged
    again = {row.unit_id: row for row in compute(year)}
    education = again[year.education.pk]
    assert (education.computed, education.adjustment, education.score) == (
        D("53.67"),
        D("5.50"),
        D("59.17"),
    )
    assert education.adjustment_reason == "按时报送部门整体支出绩效报告，加分"
    assert education.revision == adjusted.revision + 1
    assert again[year.civil.pk].score == D("100.00")


def test_an_adjustment_keeps_the_score_within_0_to_100(year):
    row = compute(year).get(unit=year.civil)
    with pytest.raises(WorkflowError, match="调整后得分 100.01 不在 0–100 之间"):
        assessment_adjust(
            assessment_row=row, user=year.world.reviewer, adjustment=D("15.01"), reason="加分"
        )


def test_removing_an_adjustment_needs_no_reason(year):
    row = compute(year).get(unit=year.civil)
    row = assessment_adjust(
        assessment_row=row, user=year.world.reviewer, adjustment=D(-5), reason="信息公开不及时"
    )
    row = assessment_adjust(
        assessment_row=row, user=year.world.reviewer, adjustment=D(0), reason=""
    )
    assert (row.score, row.adjustment_reason) == (D("85.00"), "")


def test_an_adjustment_prepared_on_an_older_revision_is_a_conflict(year):
    row = compute(year).get(unit=year.education)
    seen = row.revision
    assessment_adjust(
        assessment_row=row, user=year.world.reviewer, adjustment=D(1), reason="甲", revision=seen
    )
    with pytest.raises(Conflict):
        assessment_adjust(
            assessment_row=row,
            user=year.world.reviewer,
            adjustment=D(2),
            reason="乙",
            revision=seen,
        )


def test_a_recomputed_score_stays_within_0_to_100(year):
    row = compute(year).get(unit=year.civil)
    assessment_adjust(assessment_row=row, user=year.world.reviewer, adjustment=D(10), reason="加分")
    year.self_evaluation(year.civil.targets.get(), when=at(2023, 3, 1))  # computed: 100
    assert compute(year).get(unit=year.civil).score <= 100


@pytest.mark.parametrize("who", ["department", "publisher", "firm_user", "stranger"])
def test_only_the_reviewer_computes_and_adjusts(year, who):
    user = getattr(year.world, who)
    with pytest.raises(PermissionDenied):
        compute(year, user)
    row = compute(year).get(unit=year.education)
    with pytest.raises(PermissionDenied):
        assessment_adjust(assessment_row=row, user=user, adjustment=D(1), reason="加分")


def test_a_reviewer_of_another_region_does_not_compute_here(year):
    elsewhere = Region.objects.create(code="520112", name="乌当区")
    user = User.objects.create_user("elsewhere", password="pw", is_staff=True)
    UserRole.objects.create(user=user, role=Role.REVIEWER, region=elsewhere)
    with pytest.raises(PermissionDenied):
        compute(year, user)
    compute(year)
    assert not visible_assessments(user).exists()


def test_a_department_sees_only_its_own_units_rows(year):
    compute(year)
    mine = visible_assessments(year.world.department)
    assert [row.unit for row in mine] == [year.education]
    assert visible_assessments(year.world.reviewer).count() == 3
    assert not visible_assessments(year.world.firm_user).exists()


def test_gathering_the_facts_takes_the_same_queries_for_3_units_and_11(year):
    with CaptureQueriesContext(connection) as few:
        facts(year)
    for i in range(8):
        unit = Unit.objects.create(region=year.region, name=f"单位{i}", kind="department")
        UnitEvaluation.objects.create(
            region=year.region, year=YEAR, unit=unit, state=State.RELEASED
        )
        year.problem(unit, deadline=datetime.date(2023, 1, 1))
        target_create(
            user=year.world.reviewer,
            region=year.region,
            year=YEAR,
            unit=unit,
            scope=PerformanceTarget.Scope.PROJECT,
            project_name=f"项目{i}",
            tree=standard_tree(),
            overall_goal="目标",
            funds_total=D(10),
        )
    with CaptureQueriesContext(connection) as many:
        found = facts(year)
    assert len(found) == 11
    assert len(few) == len(many) == 11


def unit_year(world, unit, name, *, grades, when):
    """One target of the unit submitted at when[0], reviewed with grades[0], resubmitted at
    when[1] and reviewed again with grades[1]."""
    department = world.department
    target = target_create(
        user=department,
        region=world.region,
        year=YEAR,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=name,
        tree=standard_tree(),
        overall_goal="目标",
        funds_total=D(100),
    )
    version = target.versions.get()
    for grade, moment in zip(grades, when, strict=True):
        version = target_submit(version=version, user=department)
        submitted_at(TargetVersion, version, moment)
        version.refresh_from_db()
        version = target_review(version=version, user=world.reviewer, grade=grade, comment="意见")
    return target


@pytest.fixture
def resubmitted(world):
    """A target first filed on time and graded 中, resubmitted late and approved 优."""
    AssessmentTemplate.objects.create(region=world.region, target_due=datetime.date(2022, 1, 31))
    unit_year(
        world, world.own_unit, "学前教育", grades="中优", when=[at(2022, 1, 20), at(2022, 3, 1)]
    )
    template = template_for(region=world.region, year=YEAR)
    return unit_facts(region=world.region, year=YEAR, template=template, today=TODAY)[
        world.own_unit.pk
    ]


def test_a_target_first_filed_on_time_counts_on_time(resubmitted):
    assert resubmitted.targets_on_time == 1


def test_the_first_reviews_grade_is_what_counts(resubmitted):
    assert resubmitted.review_grades == ("中",)


def test_a_monitoring_period_not_yet_due_is_not_owed(year):
    MonitoringPeriod.objects.create(
        region=year.region, year=YEAR, end_month=10, due_date=datetime.date(2022, 11, 15)
    )
    found = unit_facts(
        region=year.region, year=YEAR, template=year.template, today=datetime.date(2022, 10, 1)
    )
    assert found[year.civil.pk].reports_owed == 2
