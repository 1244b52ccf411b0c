"""The admin index opens on the user's queues: awaiting me, returned to me, handed on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.admin.queues import work_queues
from evaluations.models import Project, UnitEvaluation
from evaluations.workflow import State

from .pages import changelist_url, listed_ids


@pytest.fixture
def year(roles):
    """Unit evaluations of the own unit over several years, and projects, in every stage."""
    states = [State.DRAFT, State.RETURNED_TO_UNIT, State.SUBMITTED, State.ASSIGNED]
    states += [State.RETURNED_TO_FIRM, State.SCORED, State.APPROVED, State.RELEASED]
    units = {state: roles.unit_evaluation(state, year=2014 + i) for i, state in enumerate(states)}
    projects = {state: roles.project(state, number=i + 1) for i, state in enumerate(states)}
    return units, projects


def counts(queues):
    return {queue["key"]: [entry["count"] for entry in queue["entries"]] for queue in queues}


def test_each_role_counts_its_queues_per_table(roles, year):
    assert counts(work_queues(roles.department)) == {
        "awaiting": [1, 1],
        "returned": [1, 1],
        "done": [6, 6],
    }
    assert counts(work_queues(roles.firm)) == {
        "awaiting": [1, 1],
        "returned": [1, 1],
        "done": [3, 3],
    }
    assert counts(work_queues(roles.reviewer)) == {"awaiting": [2, 2], "done": [6, 6]}
    assert counts(work_queues(roles.publisher)) == {"awaiting": [1, 1], "done": [7, 7]}
    assert work_queues(roles.stranger) == []


def test_the_index_links_each_count_to_the_filtered_list(client, roles, year):
    units, _ = year
    client.force_login(roles.department)

    page = client.get("/admin/").content.decode()

    assert "待我处理" in page and "退回给我" in page and "我已提交" in page
    assert 'href="/admin/evaluations/unitevaluation/?queue=awaiting"' in page
    response = client.get(changelist_url(UnitEvaluation, "queue=returned"))
    assert listed_ids(response) == {units[State.RETURNED_TO_UNIT].pk}


def test_the_queue_filter_splits_the_list_without_overlap(client, roles, year):
    _, projects = year
    client.force_login(roles.reviewer)

    listed = {
        queue: listed_ids(client.get(changelist_url(Project, f"queue={queue}")))
        for queue in ("awaiting", "done")
    }

    assert listed["awaiting"] == {projects[State.SUBMITTED].pk, projects[State.SCORED].pk}
    assert listed["awaiting"] | listed["done"] == {p.pk for p in projects.values()}
    assert not listed["awaiting"] & listed["done"]


def test_counting_takes_the_same_queries_for_many_records(roles, year):
    def queries():
        user = type(roles.department).objects.get(pk=roles.department.pk)
        with CaptureQueriesContext(connection) as captured:
            work_queues(user)
        return len(captured)

    few = queries()
    for number in range(20, 40):
        roles.project(State.DRAFT, number=number)

    assert queries() == few <= 4


@pytest.mark.parametrize("model", [UnitEvaluation, Project])
def test_a_changelist_takes_the_same_queries_for_many_records(client, roles, year, model):
    client.force_login(roles.reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist_url(model, "queue=done")).status_code == 200
        return len(captured)

    few = queries()
    for number in range(20, 40):
        roles.project(State.APPROVED, number=number)
        roles.unit_evaluation(State.APPROVED, unit=roles.other_unit, year=2000 + number)

    assert queries() == few
