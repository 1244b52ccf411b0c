"""A transition posted by a role that may not fire it is refused like a hidden button.

Every transition, from every state it starts from, by every other role: the confirmation
page and the POST answer 403 where the role sees the record and 404 where it does not,
and the record keeps its state and version and gains no event.
"""

import pytest

from evaluations.models import WorkflowEvent
from evaluations.workflow import TRANSITIONS, Role, State

from .pages import fire, messages_of, transition_url

FIRM_SEES = {
    State.ASSIGNED,
    State.RETURNED_TO_FIRM,
    State.SCORED,
    State.APPROVED,
    State.RELEASED,
}
FORGERIES = [
    (name, source, role)
    for name, transition in TRANSITIONS.items()
    for source in sorted(transition.sources)
    for role in Role
    if role != transition.role
]


def assert_untouched(record):
    state, version = record.state, record.version
    record.refresh_from_db()
    assert (record.state, record.version) == (state, version)
    assert not WorkflowEvent.objects.filter(object_id=record.pk).exists()


@pytest.mark.parametrize(("name", "source", "role"), FORGERIES)
def test_a_role_that_may_not_fire_a_transition_is_refused(client, roles, name, source, role):
    record = roles.unit_evaluation(source)
    client.force_login(roles.by_role[role])
    expected = 404 if role == Role.FIRM and source not in FIRM_SEES else 403

    assert client.get(transition_url(record, name)).status_code == expected
    response = fire(client, record, name, comment="伪造", firm=roles.firm_a)

    assert response.status_code == expected
    assert_untouched(record)


def test_a_department_cannot_submit_another_units_record(client, roles):
    record = roles.unit_evaluation(State.DRAFT, unit=roles.other_unit)
    client.force_login(roles.department)

    assert fire(client, record, "submit").status_code == 404
    assert_untouched(record)


def test_a_firm_cannot_score_a_record_assigned_to_another_firm(client, roles):
    record = roles.project(State.ASSIGNED, firm=roles.firm_b)
    client.force_login(roles.firm)

    assert fire(client, record, "submit_score").status_code == 404
    assert_untouched(record)


def test_the_right_role_in_the_wrong_state_is_refused(client, roles):
    record = roles.unit_evaluation(State.DRAFT)
    client.force_login(roles.reviewer)

    assert client.get(transition_url(record, "approve")).status_code == 403
    response = fire(client, record, "approve")

    # Posted, it may be a race with someone who moved the record on: say so, change nothing.
    assert response.status_code == 302
    assert "不能审核通过" in " ".join(messages_of(response))
    assert_untouched(record)


def test_an_unknown_transition_does_not_exist(client, roles):
    record = roles.unit_evaluation(State.DRAFT)
    client.force_login(roles.department)

    assert fire(client, record, "delete").status_code == 404
