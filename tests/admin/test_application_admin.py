"""Result application in the admin: the reviewer proposes a year's decisions, confirms or
overrides each with a reason, keeps the region's rules; others change nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Action, ApplicationRules, BudgetDecision, Project, WorkflowEvent
from evaluations.services.application import decision_confirm, decisions_propose
from evaluations.workflow import Role, State
from tests.views.pages import page_text

from .pages import admin_url, changelist_url, form_data, listed_ids, messages_of

D = Decimal
PROPOSE = reverse("admin:evaluations_budgetdecision_propose")


def fair_project(roles, *, number=1, unit=None):
    """An approved project graded 中 (proposed: cut by 10 %), 476.604 万元."""
    project = roles.project(State.APPROVED, number=number, unit=unit)
    project.score = D("70")
    project.save()
    return project


@pytest.fixture
def proposed(roles):
    fair_project(roles)
    fair_project(roles, number=2, unit=roles.other_unit)
    roles.unit_evaluation(State.APPROVED)
    decisions_propose(region=roles.region, year=2022, user=roles.reviewer)
    return BudgetDecision.objects.get(project__number=1)


def post_decision(client, decision, step="_confirm", **changes):
    page = client.get(admin_url(decision))
    assert page.status_code == 200
    return client.post(admin_url(decision), {**form_data(page, **changes), step: "1"})


def test_the_reviewer_proposes_a_year_from_the_decisions_list(client, roles):
    fair_project(roles)
    roles.unit_evaluation(State.APPROVED)
    roles.project(State.SCORED, number=2)
    client.force_login(roles.reviewer)

    assert PROPOSE in client.get(changelist_url(BudgetDecision)).content.decode()
    assert client.get(PROPOSE).status_code == 200
    response = client.post(PROPOSE, {"region": roles.region.pk, "year": 2022})

    assert response.status_code == 302
    assert response.url.endswith(f"?year=2022&region__id__exact={roles.region.pk}")
    assert BudgetDecision.objects.count() == 2
    assert "新增 2 条" in " ".join(messages_of(client.get(response.url)))


@pytest.mark.parametrize("role", ["department", "publisher", "firm"])
def test_only_the_reviewer_proposes(client, roles, role):
    fair_project(roles)
    client.force_login(roles.by_role[role])

    assert client.get(PROPOSE).status_code == 404
    assert client.post(PROPOSE, {"region": roles.region.pk, "year": 2022}).status_code == 404
    assert not BudgetDecision.objects.exists()


def test_the_decisions_page_is_prefilled_with_the_proposal_and_its_grounds(client, roles, proposed):
    client.force_login(roles.reviewer)

    page = client.get(admin_url(proposed))

    form = page.context["adminform"].form
    assert form["action"].value() == Action.CUT
    assert form["cut_share"].value() == D(10)
    assert "评价等级为“中”：压减预算" in page_text(page)


def test_the_reviewer_confirms_the_proposal(client, roles, proposed):
    client.force_login(roles.reviewer)

    response = post_decision(client, proposed)

    assert response.status_code == 302, messages_of(response)
    proposed.refresh_from_db()
    assert (proposed.state, proposed.action, proposed.next_year_amount) == (
        BudgetDecision.State.CONFIRMED,
        Action.CUT,
        D("428.9436"),
    )
    assert proposed.decided_by == roles.reviewer


def test_an_override_without_a_reason_is_refused_on_the_page(client, roles, proposed):
    client.force_login(roles.reviewer)

    refused = post_decision(client, proposed, action=Action.KEEP)
    assert refused.status_code == 200
    assert "必须填写调整理由" in " ".join(messages_of(refused))
    assert BudgetDecision.objects.get(pk=proposed.pk).state == BudgetDecision.State.PROPOSED

    response = post_decision(client, proposed, action=Action.KEEP, reason="民生项目，已整改")
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.action, proposed.reason) == (Action.KEEP, "民生项目，已整改")


def test_another_share_recomputes_the_amount_left_as_shown(client, roles, proposed):
    client.force_login(roles.reviewer)

    response = post_decision(client, proposed, cut_share="20", reason="执行率偏低")

    assert response.status_code == 302, messages_of(response)
    proposed.refresh_from_db()
    assert (proposed.cut_share, proposed.next_year_amount) == (D(20), D("381.2832"))


def test_a_unit_evaluations_amount_is_entered_on_its_page(client, roles, proposed):
    decision = BudgetDecision.objects.get(unit_evaluation__isnull=False)
    client.force_login(roles.reviewer)

    response = post_decision(client, decision, base_amount="1200", next_year_amount="1250")

    assert response.status_code == 302, messages_of(response)
    decision.refresh_from_db()
    assert (decision.base_amount, decision.next_year_amount) == (D(1200), D(1250))


def test_a_confirmed_decision_is_reopened_only_with_a_reason(client, roles, proposed):
    decision_confirm(decision=proposed, user=roles.reviewer, action=Action.CUT)
    client.force_login(roles.reviewer)

    refused = post_decision(client, proposed, "_reopen", reason="")
    assert refused.status_code == 200
    assert BudgetDecision.objects.get(pk=proposed.pk).state == BudgetDecision.State.CONFIRMED

    response = post_decision(client, proposed, "_reopen", reason="人大审议意见")
    assert response.status_code == 302
    assert BudgetDecision.objects.get(pk=proposed.pk).state == BudgetDecision.State.PROPOSED
    assert WorkflowEvent.objects.filter(object_id=proposed.pk).first().comment == "人大审议意见"


def snapshot(decision):
    decision = BudgetDecision.objects.get(pk=decision.pk)
    return (decision.state, decision.action, decision.next_year_amount, decision.revision)


@pytest.mark.parametrize("role", ["department", "publisher", "firm"])
def test_forged_posts_by_other_roles_change_nothing(client, roles, proposed, role):
    before = snapshot(proposed)
    client.force_login(roles.by_role[role])

    data = {"action": Action.KEEP, "reason": "x", "seen_revision": 1, "_confirm": "1"}
    response = client.post(admin_url(proposed), data)
    reopen = client.post(admin_url(proposed), {"reason": "x", "_reopen": "1"})

    # The firm is not told the decision exists at all.
    expected = 404 if role == "firm" else 403
    assert (response.status_code, reopen.status_code) == (expected, expected)
    assert snapshot(proposed) == before


def test_the_department_sees_its_units_decisions_read_only(client, roles, proposed):
    client.force_login(roles.department)

    listed = listed_ids(client.get(changelist_url(BudgetDecision)))
    page = client.get(admin_url(proposed))

    own = BudgetDecision.objects.filter(
        project__unit=roles.own_unit
    ) | BudgetDecision.objects.filter(unit_evaluation__unit=roles.own_unit)
    assert listed == set(own.values_list("pk", flat=True))
    assert page.status_code == 200 and "action" not in page.context["adminform"].form.fields
    theirs = BudgetDecision.objects.get(project__unit=roles.other_unit)
    assert client.get(admin_url(theirs)).status_code == 404


def test_a_firm_sees_no_decisions(client, roles, proposed):
    client.force_login(roles.firm)

    assert client.get(changelist_url(BudgetDecision)).status_code == 403


def test_the_list_shows_the_proposal_decision_and_amounts(client, roles, proposed):
    decision_confirm(decision=proposed, user=roles.reviewer, action=Action.CUT)
    client.force_login(roles.reviewer)

    text = page_text(client.get(changelist_url(BudgetDecision, "kind=project")))

    cells = ["项目1", "重点项目", "2022", "中", "压减预算 10%", "压减预算 10%"]
    cells += ["476.604", "428.9436", "-47.6604", "已确认"]
    assert "".join(cells).replace(" ", "") in text.replace(" ", "")


def test_the_reviewer_keeps_the_regions_rules(client, roles):
    client.force_login(roles.reviewer)

    url = reverse("admin:evaluations_applicationrules_add")
    page = client.get(url)
    data = {**form_data(page), "region": roles.region.pk, "fair": Action.CANCEL}
    data.pop("_continue")
    response = client.post(url, data)

    assert response.status_code == 302, page_text(response)[:500]
    rules = ApplicationRules.objects.get()
    assert (rules.region, rules.fair, rules.cut_share) == (roles.region, Action.CANCEL, D(10))


def test_a_reviewer_bound_to_a_region_keeps_no_default_rules(client, roles):
    bound = roles.login("reviewer_huaxi", Role.REVIEWER, region=roles.region)
    client.force_login(bound)

    url = reverse("admin:evaluations_applicationrules_add")
    response = client.post(url, {**form_data(client.get(url)), "region": ""})

    assert response.status_code == 200
    assert "默认规则由不限区划的审核人设置" in response.content.decode()
    assert not ApplicationRules.objects.exists()


@pytest.mark.parametrize("role", ["department", "firm", "publisher"])
def test_only_the_reviewer_changes_the_rules(client, roles, role):
    client.force_login(roles.by_role[role])

    response = client.post(reverse("admin:evaluations_applicationrules_add"), {"fair": "cancel"})

    assert response.status_code == 403
    assert not ApplicationRules.objects.exists()


def test_proposals_follow_the_rules_kept_in_the_admin(roles):
    ApplicationRules.objects.create(region=roles.region, fair=Action.CANCEL)
    fair_project(roles)

    decisions_propose(region=roles.region, year=2022, user=roles.reviewer)

    assert BudgetDecision.objects.get(project=Project.objects.get()).proposed_action == (
        Action.CANCEL
    )


def test_the_list_runs_the_same_queries_for_few_decisions_and_many(client, roles):
    client.force_login(roles.reviewer)

    def measured(start, count):
        for number in range(start, start + count):
            fair_project(roles, number=number)
        decisions_propose(region=roles.region, year=2022, user=roles.reviewer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist_url(BudgetDecision)).status_code == 200
        return len(queries)

    assert measured(1, 2) == measured(3, 30)
