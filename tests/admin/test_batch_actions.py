"""Batch approve and batch release, each record reported on its own."""

from evaluations.models import Project, UnitEvaluation, WorkflowEvent
from evaluations.workflow import State

from .pages import changelist_url, messages_of


def run_action(client, model, action, records):
    return client.post(
        changelist_url(model),
        {"action": action, "_selected_action": [record.pk for record in records]},
    )


def states(records):
    return [type(r).objects.get(pk=r.pk).state for r in records]


def test_batch_approve_reports_each_record_it_could_not_approve(client, roles):
    scored = [roles.unit_evaluation(State.SCORED, year=y) for y in (2020, 2021)]
    submitted = roles.unit_evaluation(State.SUBMITTED, year=2022)
    client.force_login(roles.reviewer)

    response = run_action(client, UnitEvaluation, "approve_selected", [*scored, submitted])

    assert states([*scored, submitted]) == [State.APPROVED, State.APPROVED, State.SUBMITTED]
    reported = messages_of(response)
    assert "审核通过成功 2 条" in reported
    assert any(m.startswith("“2022 花溪区教育局”未能审核通过：") for m in reported), reported
    assert WorkflowEvent.objects.filter(action="approve").count() == 2


def test_batch_release_publishes_the_approved_projects(client, roles):
    approved = [roles.project(State.APPROVED, number=n) for n in (1, 2)]
    client.force_login(roles.publisher)

    response = run_action(client, Project, "release_selected", approved)

    assert states(approved) == [State.RELEASED, State.RELEASED]
    assert messages_of(response) == ["公开成功 2 条"]


def test_a_batch_action_is_offered_only_to_the_role_that_fires_it(client, roles):
    client.force_login(roles.reviewer)
    actions = client.get(changelist_url(UnitEvaluation)).context["action_form"]
    assert [name for name, _ in actions.fields["action"].choices if name] == ["approve_selected"]
    client.force_login(roles.publisher)
    actions = client.get(changelist_url(UnitEvaluation)).context["action_form"]
    assert [name for name, _ in actions.fields["action"].choices if name] == ["release_selected"]


def test_a_forged_batch_action_by_another_role_changes_nothing(client, roles):
    scored = roles.unit_evaluation(State.SCORED)
    approved = roles.unit_evaluation(State.APPROVED, year=2021)
    for user, action, record in (
        (roles.department, "approve_selected", scored),
        (roles.firm, "approve_selected", scored),
        (roles.reviewer, "release_selected", approved),
    ):
        client.force_login(user)
        run_action(client, UnitEvaluation, action, [record])

    assert states([scored, approved]) == [State.SCORED, State.APPROVED]
    assert not WorkflowEvent.objects.exists()
