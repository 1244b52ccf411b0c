"""Each role sees the buttons of the transitions it may fire, in the states it may fire them."""

import pytest

from evaluations.workflow import Role, State

from .pages import admin_url

# The review workflow as each role meets it on a record of its own (evaluations.workflow);
# None: the role does not see the record in that state at all.
BUTTONS = {
    State.DRAFT: {
        Role.DEPARTMENT: {"submit"},
        Role.FIRM: None,
        Role.REVIEWER: set(),
        Role.PUBLISHER: set(),
    },
    State.RETURNED_TO_UNIT: {
        Role.DEPARTMENT: {"submit"},
        Role.FIRM: None,
        Role.REVIEWER: set(),
        Role.PUBLISHER: set(),
    },
    State.SUBMITTED: {
        Role.DEPARTMENT: set(),
        Role.FIRM: None,
        Role.REVIEWER: {"assign", "return_to_unit"},
        Role.PUBLISHER: set(),
    },
    State.ASSIGNED: {
        Role.DEPARTMENT: set(),
        Role.FIRM: {"submit_score"},
        Role.REVIEWER: {"return_to_unit"},
        Role.PUBLISHER: set(),
    },
    State.RETURNED_TO_FIRM: {
        Role.DEPARTMENT: set(),
        Role.FIRM: {"submit_score"},
        Role.REVIEWER: set(),
        Role.PUBLISHER: set(),
    },
    State.SCORED: {
        Role.DEPARTMENT: set(),
        Role.FIRM: set(),
        Role.REVIEWER: {"approve", "return_to_firm"},
        Role.PUBLISHER: set(),
    },
    State.APPROVED: {
        Role.DEPARTMENT: set(),
        Role.FIRM: set(),
        Role.REVIEWER: {"reopen", "reopen_to_unit"},
        Role.PUBLISHER: {"release"},
    },
    State.RELEASED: {
        Role.DEPARTMENT: set(),
        Role.FIRM: set(),
        Role.REVIEWER: set(),
        Role.PUBLISHER: {"withdraw"},
    },
}
ALL = ["submit", "return_to_unit", "assign", "submit_score", "return_to_firm", "approve"]
ALL += ["reopen", "release", "withdraw"]


@pytest.mark.parametrize("state", list(BUTTONS))
@pytest.mark.parametrize("kind", ["unit_evaluation", "project"])
def test_the_change_form_shows_exactly_the_allowed_transitions(client, roles, state, kind):
    record = getattr(roles, kind)(state)

    for role, expected in BUTTONS[state].items():
        client.force_login(roles.by_role[role])
        response = client.get(admin_url(record))
        if expected is None:
            assert response.status_code == 404, role
            continue
        shown = {t["name"] for t in response.context["transitions"]}
        assert shown == expected, role
        page = response.content.decode()
        for name in ALL:
            assert (f'class="button transition-{name}"' in page) == (name in expected), name


def test_each_button_links_to_its_confirmation_page(client, roles):
    record = roles.unit_evaluation(State.SCORED)
    client.force_login(roles.reviewer)

    response = client.get(admin_url(record))

    assert f'href="{admin_url(record, "transition", "approve")}"' in response.content.decode()
