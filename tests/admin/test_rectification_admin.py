"""Rectification in the admin: the department reports, the bureau sets deadlines and
verifies, overdue is said in words and filtered, forged posts change nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.models import Problem, WorkflowEvent
from evaluations.services.rectification import rectification_report
from evaluations.workflow import State
from tests.views.pages import page_text

from .pages import admin_url, changelist_url, form_data, listed_ids, messages_of

TODAY = timezone.localdate()


def make_problem(roles, *, unit=None, number=1, **fields):
    unit = unit or roles.own_unit
    project = roles.project(State.APPROVED, unit=unit, number=number)
    return Problem.objects.create(
        region=roles.region,
        year=2022,
        unit=unit,
        project=project,
        source=Problem.Source.FIRM,
        description=fields.pop("description", "绩效目标不够细化"),
        **fields,
    )


def post_step(client, problem, step, **changes):
    """Open the problem's page and press the step's button with the changes typed in."""
    page = client.get(admin_url(problem))
    assert page.status_code == 200
    return client.post(admin_url(problem), {**form_data(page, **changes), step: "1"})


def reported(roles, **fields):
    problem = make_problem(roles, **fields)
    return rectification_report(
        problem=problem, user=roles.department, measure="细化指标", report="已修订目标表"
    )


def test_the_department_reports_its_units_rectification(client, roles):
    problem = make_problem(roles, deadline=TODAY + timedelta(days=30))
    client.force_login(roles.department)

    page = client.get(admin_url(problem))
    response = post_step(client, problem, "_report", measure="细化指标", report="已修订目标表")

    assert {"measure", "report"} <= set(page.context["adminform"].form.fields)
    assert "deadline" not in page.context["adminform"].form.fields
    assert response.status_code == 302, messages_of(response)
    problem.refresh_from_db()
    assert (problem.state, problem.measure, problem.report) == (
        Problem.State.REPORTED,
        "细化指标",
        "已修订目标表",
    )
    assert "已报送整改情况" in " ".join(messages_of(response))


def test_a_report_without_what_was_done_is_refused_with_the_page_kept(client, roles):
    problem = make_problem(roles)
    client.force_login(roles.department)

    response = post_step(client, problem, "_report", measure="细化指标", report="")

    assert response.status_code == 200
    assert "细化指标" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.OPEN


def test_the_reviewer_sets_the_deadline(client, roles):
    problem = make_problem(roles)
    client.force_login(roles.reviewer)

    response = post_step(client, problem, "_deadline", deadline="2023-06-30")

    assert response.status_code == 302, messages_of(response)
    assert str(Problem.objects.get(pk=problem.pk).deadline) == "2023-06-30"
    assert WorkflowEvent.objects.get(object_id=problem.pk).action == "rectification_deadline"


def test_the_reviewer_verifies_a_reported_rectification(client, roles):
    problem = reported(roles)
    client.force_login(roles.reviewer)

    response = post_step(client, problem, "_verify", verification="整改到位")

    assert response.status_code == 302, messages_of(response)
    problem.refresh_from_db()
    assert (problem.state, problem.verified_by) == (Problem.State.VERIFIED, roles.reviewer)
    text = page_text(client.get(admin_url(problem)))
    assert "核实整改" in text and "整改到位" in text


def test_sending_back_needs_an_opinion(client, roles):
    problem = reported(roles)
    client.force_login(roles.reviewer)

    refused = post_step(client, problem, "_return", verification="")
    assert refused.status_code == 200
    assert "退回重新整改必须填写核实意见" in " ".join(messages_of(refused))
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.REPORTED

    response = post_step(client, problem, "_return", verification="未附修订后的目标表")
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.OPEN


def snapshot(problem):
    problem = Problem.objects.get(pk=problem.pk)
    return (problem.state, problem.deadline, problem.report, problem.verification)


@pytest.mark.parametrize(
    ("role", "state", "step", "changes"),
    [
        ("reviewer", Problem.State.OPEN, "_report", {"measure": "x", "report": "x"}),
        ("department", Problem.State.OPEN, "_verify", {"measure": "x", "report": "x"}),
        ("department", Problem.State.REPORTED, "_verify", {"verification": "x"}),
        (
            "department",
            Problem.State.OPEN,
            "_deadline",
            {"measure": "x", "report": "x", "deadline": "2030-01-01"},
        ),
        ("firm", Problem.State.REPORTED, "_verify", {"verification": "x"}),
        ("publisher", Problem.State.REPORTED, "_return", {"verification": "x"}),
        ("publisher", Problem.State.OPEN, "_deadline", {"deadline": "2030-01-01"}),
    ],
)
def test_forged_posts_by_other_roles_change_nothing(client, roles, role, state, step, changes):
    problem = make_problem(roles, state=state)
    before = snapshot(problem)
    client.force_login(roles.by_role[role])

    data = {**changes, "seen_revision": problem.revision, step: "1"}
    response = client.post(admin_url(problem), data)

    assert response.status_code == 403
    assert snapshot(problem) == before
    assert not WorkflowEvent.objects.filter(object_id=problem.pk).exists()


def test_a_department_cannot_open_another_units_problem(client, roles):
    theirs = make_problem(roles, unit=roles.other_unit)
    client.force_login(roles.department)

    assert client.get(admin_url(theirs)).status_code == 404
    response = client.post(admin_url(theirs), {"measure": "x", "report": "x", "_report": "1"})
    assert response.status_code in (403, 404)
    assert Problem.objects.get(pk=theirs.pk).state == Problem.State.OPEN


def test_a_step_on_a_page_someone_else_changed_meanwhile_is_refused(client, roles):
    problem = reported(roles)
    client.force_login(roles.reviewer)
    page = client.get(admin_url(problem))
    Problem.objects.filter(pk=problem.pk).update(revision=problem.revision + 1)

    data = {**form_data(page, verification="整改到位"), "_verify": "1"}
    response = client.post(admin_url(problem), data)

    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).state == Problem.State.REPORTED


@pytest.fixture
def overdue_and_not(roles):
    return {
        "overdue": make_problem(roles, deadline=TODAY - timedelta(days=3)),
        "reported_overdue": reported(roles, deadline=TODAY - timedelta(days=1), number=2),
        "due": make_problem(roles, deadline=TODAY + timedelta(days=10), number=3),
        "verified": make_problem(
            roles, deadline=TODAY - timedelta(days=3), state=Problem.State.VERIFIED, number=4
        ),
        "theirs": make_problem(
            roles, unit=roles.other_unit, deadline=TODAY - timedelta(days=3), number=5
        ),
    }


def test_overdue_problems_are_said_in_words(client, roles, overdue_and_not):
    client.force_login(roles.department)

    text = page_text(client.get(changelist_url(Problem)))

    assert "待整改，逾期未整改（逾期 3 天）" in text
    assert "已报整改情况，逾期未整改（逾期 1 天）" in text
    assert "待整改，距期限 10 天" in text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("department", {"overdue", "reported_overdue"}),
        ("reviewer", {"overdue", "reported_overdue", "theirs"}),
    ],
)
def test_the_unit_and_the_bureau_filter_their_overdue_problems(
    client, roles, overdue_and_not, role, expected
):
    client.force_login(roles.by_role[role])

    response = client.get(changelist_url(Problem, "overdue=yes"))

    assert listed_ids(response) == {overdue_and_not[name].pk for name in expected}
    assert f"逾期未整改 {len(expected)} 个" in page_text(response)


def test_the_list_filters_by_state_too(client, roles, overdue_and_not):
    client.force_login(roles.reviewer)

    response = client.get(changelist_url(Problem, "state__exact=verified"))

    assert listed_ids(response) == {overdue_and_not["verified"].pk}


def test_the_list_runs_the_same_queries_for_few_problems_and_many(client, roles):
    client.force_login(roles.reviewer)

    def measured(start, count):
        for number in range(start, start + count):
            make_problem(roles, number=number, deadline=TODAY - timedelta(days=number))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist_url(Problem)).status_code == 200
        return len(queries)

    assert measured(1, 2) == measured(3, 30)


def test_the_index_tells_the_unit_and_the_bureau_of_overdue_problems(client, roles):
    import datetime

    from evaluations.models import Problem

    project = roles.project(State.ASSIGNED)
    Problem.objects.create(
        region=roles.region,
        year=project.year,
        unit=roles.own_unit,
        project=project,
        source="firm",
        description="资金拨付滞后",
        deadline=datetime.date(2000, 1, 1),
    )
    for user, shown in ((roles.department, True), (roles.reviewer, True), (roles.firm, False)):
        client.force_login(user)
        page = client.get("/admin/").content.decode()
        assert ("有 1 个问题逾期未整改" in page) == shown
