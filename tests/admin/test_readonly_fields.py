"""Fields are editable by the party whose turn it is, and only the fields that are theirs."""

from decimal import Decimal

import pytest

from evaluations.models import FundingLine, Project, UnitEvaluation
from evaluations.workflow import State

from .pages import admin_url, form_data, messages_of


def editable_fields(client, user, record) -> set[str]:
    client.force_login(user)
    response = client.get(admin_url(record))
    assert response.status_code == 200
    return set(response.context["adminform"].form.fields) - {"seen_version"}


def test_the_department_edits_its_self_evaluation_in_a_draft(client, roles):
    record = roles.unit_evaluation(State.DRAFT)

    assert editable_fields(client, roles.department, record) == {"self_score", "note"}


def test_the_firm_edits_only_the_score_of_an_assigned_record(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)

    assert editable_fields(client, roles.firm, record) == {"score"}


def test_the_reviewer_chooses_the_firm_of_a_submitted_record(client, roles):
    record = roles.unit_evaluation(State.SUBMITTED)

    assert editable_fields(client, roles.reviewer, record) == {"firm"}


@pytest.mark.parametrize("state", [State.APPROVED, State.RELEASED, State.SCORED])
def test_nobody_edits_a_record_awaiting_approval_approved_or_released(client, roles, state):
    record = roles.unit_evaluation(state)

    for user in roles.by_role.values():
        assert editable_fields(client, user, record) == set(), user


def test_grade_state_and_version_are_never_editable(client, roles):
    client.force_login(roles.reviewer)

    response = client.get(admin_url(roles.unit_evaluation(State.SUBMITTED)))

    readonly = {field["field"] for field in _readonly(response)}
    assert {"grade", "state", "version", "released_at"} <= readonly


def _readonly(response):
    for fieldset in response.context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    yield field.field


def test_a_firm_posting_a_self_score_changes_nothing_but_its_score(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    client.force_login(roles.firm)
    page = client.get(admin_url(record))

    client.post(admin_url(record), form_data(page, score="80", self_score="10"))

    record.refresh_from_db()
    assert (record.score, record.self_score) == (Decimal("80.00"), Decimal("95.00"))


def test_a_department_posting_a_score_changes_nothing_but_its_self_score(client, roles):
    record = roles.unit_evaluation(State.DRAFT)
    client.force_login(roles.department)
    page = client.get(admin_url(record))

    client.post(admin_url(record), form_data(page, self_score="90", score="99"))

    record.refresh_from_db()
    assert (record.self_score, record.score) == (Decimal("90.00"), None)


def test_posting_to_an_approved_record_is_refused(client, roles):
    record = roles.unit_evaluation(State.APPROVED)
    client.force_login(roles.reviewer)

    response = client.post(
        admin_url(record), {"score": "60", "seen_version": record.version, "_save": "1"}
    )

    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.score, record.version) == (Decimal("88.50"), 1)


def test_an_edit_bumps_the_version_and_keeps_its_history(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    client.force_login(roles.firm)
    page = client.get(admin_url(record))

    client.post(admin_url(record), form_data(page, score="76.5"))

    record.refresh_from_db()
    assert (record.version, record.grade) == (2, "中")
    latest = UnitEvaluation.history.filter(id=record.pk).latest("history_date")
    assert (latest.score, latest.history_user) == (Decimal("76.50"), roles.firm)


def test_the_department_edits_funding_lines_of_its_draft_project(client, roles):
    project = roles.project(State.DRAFT)
    client.force_login(roles.department)
    page = client.get(admin_url(project))

    response = client.post(
        admin_url(project),
        form_data(
            page,
            **{
                "funding_lines-0-amount": "500",
                "funding_lines-TOTAL_FORMS": "2",
                "funding_lines-1-position": "2",
                "funding_lines-1-label": "配套资金",
                "funding_lines-1-amount": "20.5",
                "funding_lines-1-self_score": "90",
                "funding_lines-1-project": project.pk,
            },
        ),
    )

    assert response.status_code == 302, messages_of(response)
    amounts = list(FundingLine.objects.filter(project=project).values_list("amount", flat=True))
    assert amounts == [Decimal("500"), Decimal("20.5")]
    project.refresh_from_db()
    assert project.version == 2
    line = FundingLine.history.filter(project_id=project.pk, position=1).latest("history_date")
    assert line.history_user == roles.department


def test_funding_lines_are_read_only_once_the_project_is_submitted(client, roles):
    project = roles.project(State.SUBMITTED)
    client.force_login(roles.department)

    response = client.get(admin_url(project))

    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission
    assert not inline.has_delete_permission


def test_a_forged_funding_line_edit_on_a_submitted_project_changes_nothing(client, roles):
    project = roles.project(State.SUBMITTED)
    client.force_login(roles.reviewer)
    page = client.get(admin_url(project))

    client.post(admin_url(project), form_data(page, **{"funding_lines-0-amount": "1"}))

    assert FundingLine.objects.get(project=project).amount == Decimal("476.604")
    assert Project.objects.get(pk=project.pk).version == 1


def test_the_reviewer_adds_a_task_and_nobody_else_may(client, roles):
    url = "/admin/evaluations/unitevaluation/add/"
    for user in (roles.department, roles.firm, roles.publisher):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(roles.reviewer)

    response = client.post(
        url, {"region": roles.region.pk, "year": 2023, "unit": roles.own_unit.pk, "_save": "1"}
    )

    assert response.status_code == 302
    created = UnitEvaluation.objects.get(year=2023)
    assert (created.state, created.unit) == (State.DRAFT, roles.own_unit)


def test_nobody_deletes_an_evaluation(client, roles):
    record = roles.unit_evaluation(State.DRAFT)

    for user in roles.by_role.values():
        client.force_login(user)
        assert client.post(admin_url(record, "delete"), {"post": "yes"}).status_code in (403, 404)
    assert UnitEvaluation.objects.filter(pk=record.pk).exists()
