"""The audit trail's list costs the same number of queries whatever the number of events."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Unit, WorkflowEvent
from evaluations.workflow import State

from .pages import changelist_url


def add_events(roles, numbers):
    """Record one submission per number, of a unit evaluation or a project, each on its unit."""
    for number in numbers:
        unit = Unit.objects.create(region=roles.region, name=f"单位{number}", kind="department")
        if number % 2:
            record = roles.project(unit=unit, number=number)
        else:
            record = roles.unit_evaluation(unit=unit)
        WorkflowEvent.objects.create(
            record=record,
            action="submit",
            from_state=State.DRAFT,
            to_state=State.SUBMITTED,
            actor=roles.department,
        )


def listing_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(changelist_url(WorkflowEvent))
    assert response.status_code == 200
    return len(captured), len(response.context["cl"].result_list)


def test_the_event_list_does_not_query_per_row(client, roles):
    client.force_login(roles.reviewer)
    add_events(roles, range(5))
    few, listed = listing_queries(client)
    assert listed == 5

    add_events(roles, range(5, 50))
    many, listed = listing_queries(client)

    assert listed == 50
    assert many == few
