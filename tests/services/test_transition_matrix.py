"""Every transition × every state × every actor, own and not own, for both kinds of record.

A cell is allowed exactly when the workflow table lists the state as a source, the actor
holds the transition's role, and the record lies in the actor's scope. A refused cell
changes nothing: state, version and the event log stay as they were.
"""

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import WorkflowEvent
from evaluations.services.workflow import WorkflowError, evaluation_transition
from evaluations.workflow import TRANSITIONS, Role, State

ACTORS = {
    # name: (user attribute, role, whether the record is theirs)
    "department, own unit": ("department", Role.DEPARTMENT, True),
    "department, other unit": ("department", Role.DEPARTMENT, False),
    "firm, assigned": ("firm_user", Role.FIRM, True),
    "firm, not assigned": ("other_firm_user", Role.FIRM, False),
    "reviewer": ("reviewer", Role.REVIEWER, True),
    "publisher": ("publisher", Role.PUBLISHER, True),
    "staff without a role": ("stranger", None, False),
}
FIRM_SEES = {State.ASSIGNED, State.RETURNED_TO_FIRM, State.SCORED, State.APPROVED, State.RELEASED}


def expected(transition, state, role, own):
    if role is None or not own or role != transition.role or state not in transition.sources:
        return False
    return role != Role.FIRM or state in FIRM_SEES


@pytest.mark.parametrize("kind", ["unit_evaluation", "project"])
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_a_transition_is_allowed_only_for_its_role_state_and_scope(world, kind, state, name, actor):
    attribute, role, own = ACTORS[actor]
    record = getattr(world, kind)(
        state, unit=None if own or role != Role.DEPARTMENT else world.other_unit
    )
    transition = TRANSITIONS[name]

    if expected(transition, state, role, own):
        result = evaluation_transition(
            record=record, name=name, user=getattr(world, attribute), comment="理由：核实"
        )
        assert result.state == transition.target
        assert result.version == record.version + 1
        assert WorkflowEvent.objects.filter(object_id=record.pk, action=name).count() == 1
    else:
        with pytest.raises((PermissionDenied, WorkflowError)):
            evaluation_transition(
                record=record, name=name, user=getattr(world, attribute), comment="理由：核实"
            )
        record.refresh_from_db()
        assert (record.state, record.version) == (state, 1)
        assert not WorkflowEvent.objects.exists()


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_the_anonymous_fire_nothing(world, name):
    from django.contrib.auth.models import AnonymousUser

    record = world.unit_evaluation(next(iter(TRANSITIONS[name].sources)))

    with pytest.raises(PermissionDenied):
        evaluation_transition(record=record, name=name, user=AnonymousUser(), comment="x")
