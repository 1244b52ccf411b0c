"""Rectification (整改): the bureau sets deadlines and verifies, the unit reports, overdue
is derived from the deadline."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Problem, Region, UserRole, WorkflowEvent
from evaluations.selectors import rectification as selectors
from evaluations.services.rectification import (
    problem_set_deadline,
    rectification_report,
    rectification_verify,
)
from evaluations.services.workflow import Conflict, WorkflowError
from evaluations.workflow import Role, State

pytestmark = pytest.mark.django_db

TODAY = date(2023, 7, 1)


def make_problem(world, *, unit=None, deadline=None, state=Problem.State.OPEN, number=1):
    unit = unit or world.own_unit
    project = world.project(State.APPROVED, unit=unit, number=number)
    return Problem.objects.create(
        region=world.region,
        year=2022,
        unit=unit,
        project=project,
        source=Problem.Source.FIRM,
        description="绩效目标不够细化",
        deadline=deadline,
        state=state,
    )


def events_of(problem):
    return list(
        WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Problem), object_id=problem.pk
        ).values_list("action", "from_state", "to_state", "actor__username", "comment")
    )


def report(problem, user, **kw):
    values = {"measure": "细化绩效指标", "report": "已修订目标表并报财政局", **kw}
    return rectification_report(problem=problem, user=user, **values)


def test_the_department_reports_its_units_rectification(world):
    problem = make_problem(world)

    reported = report(problem, world.department, revision=1)

    assert reported.state == Problem.State.REPORTED
    assert (reported.measure, reported.report) == ("细化绩效指标", "已修订目标表并报财政局")
    assert reported.reported_at is not None and reported.revision == 2
    assert events_of(problem) == [
        ("rectification_report", "open", "reported", "dept", "已修订目标表并报财政局")
    ]


@pytest.mark.parametrize(
    ("measure", "text", "message"),
    [
        ("", "已修订", "请填写整改措施"),
        ("细化", " ", "请填写整改情况"),
        ("", "", "整改措施和整改情况"),
    ],
)
def test_a_report_needs_a_measure_and_what_was_done(world, measure, text, message):
    problem = make_problem(world)

    with pytest.raises(WorkflowError, match=message):
        report(problem, world.department, measure=measure, report=text)

    assert Problem.objects.get(pk=problem.pk).state == Problem.State.OPEN


def test_only_the_responsible_units_department_reports(world):
    theirs = make_problem(world, unit=world.other_unit)
    own = make_problem(world, number=2)

    with pytest.raises(PermissionDenied):
        report(theirs, world.department)
    for user in (world.reviewer, world.publisher, world.firm_user, world.stranger):
        with pytest.raises(PermissionDenied):
            report(own, user)

    assert set(Problem.objects.values_list("state", flat=True)) == {Problem.State.OPEN}
    assert not WorkflowEvent.objects.exists()


def test_the_reviewer_verifies_a_reported_rectification(world):
    problem = report(make_problem(world), world.department)

    verified = rectification_verify(
        problem=problem, user=world.reviewer, accept=True, opinion="整改到位", revision=2
    )

    assert verified.state == Problem.State.VERIFIED
    assert (verified.verified_by, verified.verification) == (world.reviewer, "整改到位")
    assert events_of(problem)[0] == (
        "rectification_verify",
        "reported",
        "verified",
        "reviewer",
        "整改到位",
    )


def test_sending_a_report_back_needs_an_opinion_and_reopens_the_problem(world):
    problem = report(make_problem(world), world.department)

    with pytest.raises(WorkflowError, match="必须填写核实意见"):
        rectification_verify(problem=problem, user=world.reviewer, accept=False, opinion=" ")
    returned = rectification_verify(
        problem=problem, user=world.reviewer, accept=False, opinion="未附修订后的目标表"
    )

    assert returned.state == Problem.State.OPEN
    assert returned.verification == "未附修订后的目标表" and returned.verified_by is None
    assert events_of(problem)[0][:3] == ("rectification_return", "reported", "open")
    # The unit reports again, and the bureau verifies this time.
    again = report(returned, world.department, report="已补充修订后的目标表")
    assert rectification_verify(problem=again, user=world.reviewer, accept=True).state == (
        Problem.State.VERIFIED
    )


def test_only_the_bureaus_reviewer_verifies(world):
    problem = report(make_problem(world), world.department)

    for user in (world.department, world.publisher, world.firm_user, world.stranger):
        with pytest.raises(PermissionDenied):
            rectification_verify(problem=problem, user=user, accept=True)

    assert Problem.objects.get(pk=problem.pk).state == Problem.State.REPORTED


def test_a_reviewer_of_another_region_neither_verifies_nor_sets_deadlines(world):
    elsewhere = Region.objects.create(code="520115", name="观山湖区")
    user = User.objects.create_user("reviewer2", password="pw-tests-only", is_staff=True)
    UserRole.objects.create(user=user, role=Role.REVIEWER, region=elsewhere)
    problem = report(make_problem(world), world.department)

    with pytest.raises(PermissionDenied):
        rectification_verify(problem=problem, user=user, accept=True)
    with pytest.raises(PermissionDenied):
        problem_set_deadline(problem=problem, user=user, deadline=TODAY)


def test_a_problem_not_reported_cannot_be_verified(world):
    problem = make_problem(world)

    with pytest.raises(Conflict, match="待整改"):
        rectification_verify(problem=problem, user=world.reviewer, accept=True)


def test_a_verified_problem_is_not_reported_again(world):
    problem = make_problem(world, state=Problem.State.VERIFIED)

    with pytest.raises(Conflict, match="已核实整改"):
        report(problem, world.department)


def test_a_step_prepared_on_an_older_revision_is_refused(world):
    problem = report(make_problem(world), world.department)

    with pytest.raises(Conflict, match="已被他人修改"):
        rectification_verify(problem=problem, user=world.reviewer, accept=True, revision=1)

    assert Problem.objects.get(pk=problem.pk).state == Problem.State.REPORTED


def test_the_reviewer_sets_the_deadline_until_the_problem_is_verified(world):
    problem = make_problem(world)

    problem = problem_set_deadline(problem=problem, user=world.reviewer, deadline=date(2023, 6, 30))
    problem = problem_set_deadline(problem=problem, user=world.reviewer, deadline=date(2023, 9, 30))

    assert problem.deadline == date(2023, 9, 30)
    assert events_of(problem)[0][4] == "整改期限：2023-09-30（原为 2023-06-30）"
    Problem.objects.filter(pk=problem.pk).update(state=Problem.State.VERIFIED)
    with pytest.raises(Conflict):
        problem_set_deadline(problem=problem, user=world.reviewer, deadline=TODAY)


def test_the_department_does_not_set_its_own_deadline(world):
    problem = make_problem(world, deadline=date(2023, 6, 30))

    with pytest.raises(PermissionDenied):
        problem_set_deadline(problem=problem, user=world.department, deadline=date(2024, 1, 1))

    assert Problem.objects.get(pk=problem.pk).deadline == date(2023, 6, 30)


def overdue_of(world, problem, today):
    return selectors.problems(user=world.reviewer, today=today).get(pk=problem.pk).overdue


def test_a_problem_becomes_overdue_the_day_after_its_deadline(world):
    problem = make_problem(world, deadline=date(2023, 6, 30))

    assert overdue_of(world, problem, date(2023, 6, 29)) is False
    assert overdue_of(world, problem, date(2023, 6, 30)) is False
    assert overdue_of(world, problem, date(2023, 7, 1)) is True


def test_a_reported_problem_stays_overdue_until_the_bureau_verifies_it(world):
    problem = make_problem(world, deadline=date(2023, 6, 30))
    report(problem, world.department)

    assert overdue_of(world, problem, TODAY) is True
    rectification_verify(problem=problem, user=world.reviewer, accept=True)
    assert overdue_of(world, problem, TODAY) is False


def test_a_problem_without_a_deadline_is_never_overdue(world):
    assert overdue_of(world, make_problem(world), date(2099, 1, 1)) is False


def test_overdue_is_said_in_words(world):
    problem = make_problem(world, deadline=date(2023, 6, 26))

    assert selectors.state_words(problem, today=TODAY) == "待整改，逾期未整改（逾期 5 天）"
    assert selectors.state_words(problem, today=date(2023, 6, 26)) == "待整改，今日到期"
    assert selectors.state_words(problem, today=date(2023, 6, 20)) == "待整改，距期限 6 天"
    problem.state = Problem.State.VERIFIED
    assert selectors.state_words(problem, today=TODAY) == "已核实整改"


def test_the_unit_and_the_bureau_see_the_units_overdue_problems(world):
    own = make_problem(world, deadline=date(2023, 6, 1))
    theirs = make_problem(world, unit=world.other_unit, deadline=date(2023, 6, 1), number=2)

    def overdue_ids(user):
        listed = selectors.problems(user=user, today=TODAY).filter(overdue=True)
        return set(listed.values_list("pk", flat=True))

    assert overdue_ids(world.department) == {own.pk}
    assert overdue_ids(world.reviewer) == {own.pk, theirs.pk}
    assert overdue_ids(world.stranger) == set()


def test_the_counts_by_state_and_by_unit_take_one_query_each_whatever_the_number(world):
    make_problem(world, deadline=date(2023, 6, 1))
    make_problem(world, deadline=date(2023, 8, 1), state=Problem.State.REPORTED, number=2)
    make_problem(world, unit=world.other_unit, state=Problem.State.VERIFIED, number=3)

    with CaptureQueriesContext(connection) as queries:
        totals = selectors.counts(user=world.reviewer, today=TODAY)
        by_unit = selectors.counts_by_unit(user=world.reviewer, today=TODAY)

    assert len(queries) == 2 + 2  # and the reviewer's role with its units, read once
    assert totals == {"total": 3, "open": 1, "reported": 1, "verified": 1, "overdue": 1}
    assert [(row["unit__name"], row["total"], row["overdue"]) for row in by_unit] == [
        (world.own_unit.name, 2, 1),
        (world.other_unit.name, 1, 0),
    ]
    for number in range(4, 24):
        make_problem(world, deadline=date(2023, 6, 1), number=number)
    world.reviewer = User.objects.get(pk=world.reviewer.pk)
    with CaptureQueriesContext(connection) as more:
        assert selectors.counts(user=world.reviewer, today=TODAY)["overdue"] == 21
        selectors.counts_by_unit(user=world.reviewer, today=TODAY)
    assert len(more) == len(queries)


def test_a_department_counts_only_its_own_units_problems(world):
    make_problem(world, deadline=TODAY - timedelta(days=1))
    make_problem(world, unit=world.other_unit, number=2)

    assert selectors.counts(user=world.department, today=TODAY)["total"] == 1
