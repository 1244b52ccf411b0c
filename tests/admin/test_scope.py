"""Each role's admin shows only the records in its scope; others answer as if they did not exist."""

import pytest

from evaluations.models import Project, Region, UnitEvaluation, WorkflowEvent
from evaluations.services.workflow import evaluation_transition
from evaluations.workflow import Role, State

from .pages import admin_url, changelist_url, listed_ids


@pytest.fixture
def records(roles):
    """Unit evaluations of both units, assigned to either firm or to none yet."""
    return {
        "own_draft": roles.unit_evaluation(State.DRAFT, year=2020, firm=roles.firm_b),
        "own_assigned_to_b": roles.unit_evaluation(State.ASSIGNED, year=2021, firm=roles.firm_b),
        "own_scored_by_a": roles.unit_evaluation(State.SCORED, year=2022),
        "other_assigned_to_a": roles.unit_evaluation(
            State.ASSIGNED, unit=roles.other_unit, year=2021
        ),
        "other_submitted_for_a": roles.unit_evaluation(
            State.SUBMITTED, unit=roles.other_unit, year=2022
        ),
        "other_released": roles.unit_evaluation(
            State.RELEASED, unit=roles.other_unit, year=2020, firm=roles.firm_b
        ),
    }


def ids(records, *names):
    return {records[name].pk for name in names}


def test_the_department_lists_only_its_own_units_records(client, roles, records):
    client.force_login(roles.department)

    response = client.get(changelist_url(UnitEvaluation))

    assert response.status_code == 200
    assert listed_ids(response) == ids(records, "own_draft", "own_assigned_to_b", "own_scored_by_a")


def test_the_firm_lists_only_what_was_assigned_to_it(client, roles, records):
    client.force_login(roles.firm)

    response = client.get(changelist_url(UnitEvaluation))

    assert listed_ids(response) == ids(records, "own_scored_by_a", "other_assigned_to_a")


def test_the_bureau_lists_every_record_of_its_region(client, roles, records):
    for user in (roles.reviewer, roles.publisher):
        client.force_login(user)

        response = client.get(changelist_url(UnitEvaluation))

        assert listed_ids(response) == ids(records, *records)


def test_a_reviewer_of_another_region_lists_nothing_here(client, roles, records):
    elsewhere = Region.objects.create(code="520115", name="观山湖区")
    client.force_login(roles.login("gsh", Role.REVIEWER, region=elsewhere))

    response = client.get(changelist_url(UnitEvaluation))

    assert listed_ids(response) == set()


def test_the_project_list_is_scoped_the_same_way(client, roles):
    own = roles.project(State.ASSIGNED, number=1)
    other = roles.project(State.ASSIGNED, unit=roles.other_unit, number=2, firm=roles.firm_b)
    expected = {
        roles.department: {own.pk},
        roles.firm: {own.pk},
        roles.reviewer: {own.pk, other.pk},
    }
    for user, visible in expected.items():
        client.force_login(user)
        assert listed_ids(client.get(changelist_url(Project))) == visible


def test_the_department_cannot_open_another_units_record(client, roles, records):
    client.force_login(roles.department)
    record = records["other_assigned_to_a"]

    for view in ("change", "history"):
        assert client.get(admin_url(record, view)).status_code == 404
    assert client.get(admin_url(records["own_draft"])).status_code == 200


def test_the_firm_cannot_open_a_record_not_assigned_to_it(client, roles, records):
    client.force_login(roles.firm)

    for name in ("own_assigned_to_b", "other_submitted_for_a", "own_draft"):
        assert client.get(admin_url(records[name])).status_code == 404, name
    assert client.get(admin_url(records["other_assigned_to_a"])).status_code == 200


def test_a_login_without_a_role_sees_no_result_table(client, roles, records):
    client.force_login(roles.stranger)

    assert client.get(changelist_url(UnitEvaluation)).status_code == 403
    assert client.get(admin_url(records["own_draft"])).status_code == 404


def test_the_event_list_shows_only_events_of_visible_records(client, roles, records):
    own = records["own_draft"]
    other = records["other_submitted_for_a"]
    evaluation_transition(record=own, name="submit", user=roles.department)
    evaluation_transition(record=other, name="return_to_unit", user=roles.reviewer, comment="缺")
    client.force_login(roles.department)

    response = client.get(changelist_url(WorkflowEvent))

    assert [event.object_id for event in response.context["cl"].result_list] == [own.pk]
    other_event = WorkflowEvent.objects.get(object_id=other.pk)
    assert client.get(admin_url(other_event)).status_code == 404
