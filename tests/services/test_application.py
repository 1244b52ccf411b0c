"""Result application (结果应用): proposals from the rules, the bureau's confirmation or
override, and re-proposing that never touches a confirmed decision."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import (
    Action,
    ApplicationRules,
    BudgetDecision,
    FundingLine,
    PerformanceTarget,
    Problem,
    Project,
    Unit,
    UnitEvaluation,
    WorkflowEvent,
)
from evaluations.selectors.application import rules_for
from evaluations.services.application import decision_confirm, decision_reopen, decisions_propose
from evaluations.services.workflow import Conflict, WorkflowError
from evaluations.workflow import State
from tests.views.builders import add_self_evaluation, add_target, spread_leaves

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2023, 7, 1)


def propose(world, **kw):
    return decisions_propose(region=world.region, year=2022, user=world.reviewer, today=TODAY, **kw)


def unit_evaluation(world, score, state=State.APPROVED, *, name=None):
    unit = world.own_unit
    if name is not None:
        unit = Unit.objects.create(region=world.region, name=name, kind="department")
    evaluation = world.unit_evaluation(state, unit=unit)
    UnitEvaluation.objects.filter(pk=evaluation.pk).update(score=D(score))
    evaluation.refresh_from_db()
    evaluation.save()  # the grade follows the score
    return evaluation


def project(world, score="75", state=State.APPROVED, *, number=1):
    evaluation = world.project(state, number=number)
    evaluation.score = D(score)
    evaluation.save()
    return evaluation


def decision_of(evaluation):
    field = "project" if isinstance(evaluation, Project) else "unit_evaluation"
    return BudgetDecision.objects.get(**{field: evaluation})


def overdue_problem(world, evaluation, *, state=Problem.State.OPEN):
    field = "project" if isinstance(evaluation, Project) else "unit_evaluation"
    return Problem.objects.create(
        region=world.region,
        year=2022,
        unit=world.own_unit,
        source=Problem.Source.BUREAU,
        description="资金拨付滞后",
        deadline=date(2023, 6, 30),
        state=state,
        **{field: evaluation},
    )


@pytest.mark.parametrize(
    ("score", "action", "share"),
    [
        ("95", Action.PRIORITY, None),
        ("85", Action.KEEP, None),
        ("70", Action.CUT, D(10)),
        ("50", Action.CANCEL, None),
    ],
)
def test_each_approved_evaluation_gets_the_proposal_of_its_grade(world, score, action, share):
    evaluation = unit_evaluation(world, score)

    outcome = propose(world)

    decision = decision_of(evaluation)
    assert outcome.created == 1
    assert (decision.state, decision.proposed_action, decision.proposed_share) == (
        BudgetDecision.State.PROPOSED,
        action,
        share,
    )
    assert decision.grounds[0].startswith(f"评价等级为“{evaluation.grade}”")


def test_only_approved_and_released_evaluations_get_a_proposal(world):
    released = unit_evaluation(world, "88", State.RELEASED, name="甲局")
    approved = project(world, number=1)
    for number, state in enumerate((State.DRAFT, State.SCORED, State.ASSIGNED), start=2):
        project(world, state=state, number=number)

    propose(world)

    assert set(BudgetDecision.objects.values_list("unit_evaluation", "project")) == {
        (released.pk, None),
        (None, approved.pk),
    }


def test_a_projects_funds_are_its_lines_and_a_cut_implies_next_years_amount(world):
    evaluation = project(world, D("70"))
    FundingLine.objects.create(
        project=evaluation, position=2, label="经开区", amount=D("556.892"), self_score=D(90)
    )

    propose(world)

    decision = decision_of(evaluation)
    assert decision.base_amount == D("1033.496")
    # (476.604 + 556.892) × 90 %
    assert decision.next_year_amount == D("930.1464")


def test_a_unit_evaluation_has_no_amount_until_the_bureau_enters_one(world):
    evaluation = unit_evaluation(world, "70")

    propose(world)
    decision = decision_of(evaluation)
    assert (decision.base_amount, decision.next_year_amount) == (None, None)

    confirmed = decision_confirm(
        decision=decision, user=world.reviewer, action=Action.CUT, base_amount=D("1200")
    )
    assert (confirmed.base_amount, confirmed.next_year_amount) == (D("1200"), D("1080"))


def test_execution_below_the_floor_in_the_approved_self_evaluation_proposes_a_cut(world):
    evaluation = project(world, D("95"))
    target = add_target(
        region=world.region,
        year=2022,
        unit=world.own_unit,
        department=world.department,
        reviewer=world.reviewer,
        leaves=spread_leaves(3),
        evaluation=evaluation,
    )
    add_self_evaluation(
        target=target,
        department=world.department,
        reviewer=world.reviewer,
        full_year_budget=D(100),
        spent=D(40),
        execution_reason="项目延期开工",
    )

    propose(world)

    decision = decision_of(evaluation)
    assert (decision.proposed_action, decision.proposed_share) == (Action.CUT, D(10))
    assert decision.grounds[-1] == "预算执行率 40% 低于 50%：压减预算"


def test_a_unit_evaluation_takes_the_execution_of_its_overall_targets_self_evaluation(world):
    evaluation = unit_evaluation(world, "85")
    target = add_target(
        region=world.region,
        year=2022,
        unit=world.own_unit,
        department=world.department,
        reviewer=world.reviewer,
        leaves=spread_leaves(3),
        scope=PerformanceTarget.Scope.UNIT,
    )
    add_self_evaluation(
        target=target,
        department=world.department,
        reviewer=world.reviewer,
        full_year_budget=D(200),
        spent=D(60),
        execution_reason="年中调减",
    )

    propose(world)

    assert decision_of(evaluation).proposed_action == Action.CUT


def test_overdue_problems_of_the_evaluation_step_its_proposal_down(world):
    stepped = unit_evaluation(world, "95", name="甲局")
    rectified = project(world, D("95"))
    overdue_problem(world, stepped)
    overdue_problem(world, rectified, state=Problem.State.VERIFIED)

    propose(world)

    assert decision_of(stepped).proposed_action == Action.KEEP
    assert decision_of(stepped).grounds[-1] == "有 1 个问题逾期未整改：由“优先保障”降为“合理保障”"
    assert decision_of(rectified).proposed_action == Action.PRIORITY


def test_a_problem_not_yet_past_its_deadline_counts_for_nothing(world):
    evaluation = unit_evaluation(world, "95")
    overdue_problem(world, evaluation)

    decisions_propose(region=world.region, year=2022, user=world.reviewer, today=date(2023, 6, 30))

    assert decision_of(evaluation).proposed_action == Action.PRIORITY


def test_the_most_specific_rules_apply(world):
    assert rules_for(region=world.region, year=2022).pk is None  # the built-in defaults
    ApplicationRules.objects.create(fair=Action.CANCEL)
    assert rules_for(region=world.region, year=2022).fair == Action.CANCEL
    ApplicationRules.objects.create(year=2022, fair=Action.KEEP)
    ApplicationRules.objects.create(region=world.region, fair=Action.PRIORITY)
    assert rules_for(region=world.region, year=2022).fair == Action.PRIORITY
    ApplicationRules.objects.create(region=world.region, year=2022, cut_share=D(15))
    assert rules_for(region=world.region, year=2022).cut_share == D(15)
    assert rules_for(region=world.region, year=2023).fair == Action.PRIORITY


def test_a_regions_share_is_the_proposed_cut(world):
    ApplicationRules.objects.create(region=world.region, cut_share=D("12.5"))
    evaluation = project(world, D("70"))

    propose(world)

    decision = decision_of(evaluation)
    assert (decision.proposed_share, decision.next_year_amount) == (D("12.5"), D("417.0285"))


def test_confirming_the_proposal_needs_no_reason(world):
    evaluation = project(world, D("70"))
    propose(world)

    decision = decision_confirm(
        decision=decision_of(evaluation), user=world.reviewer, action=Action.CUT, revision=1
    )

    assert decision.state == BudgetDecision.State.CONFIRMED
    assert (decision.cut_share, decision.next_year_amount) == (D(10), D("428.9436"))
    assert (decision.decided_by, decision.revision) == (world.reviewer, 2)
    event = WorkflowEvent.objects.get(
        content_type=ContentType.objects.get_for_model(BudgetDecision), object_id=decision.pk
    )
    assert (event.action, event.from_state, event.to_state) == (
        "decision_confirm",
        "proposed",
        "confirmed",
    )


@pytest.mark.parametrize(
    "override",
    [
        {"action": Action.KEEP},
        {"action": Action.CUT, "cut_share": D(20)},
        {"action": Action.CUT, "next_year_amount": D(400)},
    ],
)
def test_an_override_of_the_proposal_needs_a_reason(world, override):
    evaluation = project(world, D("70"))
    propose(world)
    decision = decision_of(evaluation)

    with pytest.raises(WorkflowError, match="必须填写调整理由"):
        decision_confirm(decision=decision, user=world.reviewer, **override)
    assert decision_of(evaluation).state == BudgetDecision.State.PROPOSED

    confirmed = decision_confirm(
        decision=decision, user=world.reviewer, reason="续建项目，已整改到位", **override
    )
    assert (confirmed.state, confirmed.reason) == (
        BudgetDecision.State.CONFIRMED,
        "续建项目，已整改到位",
    )
    assert WorkflowEvent.objects.get(object_id=confirmed.pk).action == "decision_override"


def test_a_cut_without_a_share_is_refused_when_none_was_proposed(world):
    evaluation = project(world, D("95"))
    propose(world)

    with pytest.raises(WorkflowError, match="须填写压减比例"):
        decision_confirm(
            decision=decision_of(evaluation), user=world.reviewer, action=Action.CUT, reason="x"
        )


def test_a_projects_funds_are_not_typed_over(world):
    evaluation = project(world, D("70"))
    propose(world)

    with pytest.raises(WorkflowError, match="资金明细合计"):
        decision_confirm(
            decision=decision_of(evaluation),
            user=world.reviewer,
            action=Action.CUT,
            base_amount=D(1),
        )


def test_a_confirmed_decision_changes_or_reopens_only_with_a_reason(world):
    evaluation = project(world, D("70"))
    propose(world)
    decision = decision_confirm(
        decision=decision_of(evaluation), user=world.reviewer, action=Action.CUT
    )

    with pytest.raises(WorkflowError, match="修改已确认的决定必须填写理由"):
        decision_confirm(decision=decision, user=world.reviewer, action=Action.CUT)
    with pytest.raises(WorkflowError, match="必须填写理由"):
        decision_reopen(decision=decision, user=world.reviewer, reason="")

    reopened = decision_reopen(decision=decision, user=world.reviewer, reason="人大审议意见")
    assert reopened.state == BudgetDecision.State.PROPOSED
    with pytest.raises(Conflict, match="不能重新打开"):
        decision_reopen(decision=reopened, user=world.reviewer, reason="再次")


def test_re_proposing_refreshes_proposals_and_keeps_confirmed_decisions(world):
    kept = project(world, D("70"), number=1)
    refreshed = project(world, D("70"), number=2)
    propose(world)
    decision_confirm(
        decision=decision_of(kept),
        user=world.reviewer,
        action=Action.KEEP,
        next_year_amount=D(476),
        reason="民生项目",
    )
    # The evaluations' problems go overdue after the first proposal.
    overdue_problem(world, kept)
    overdue_problem(world, refreshed)

    outcome = propose(world)

    assert (outcome.refreshed, outcome.confirmed_kept, outcome.created) == (1, 1, 0)
    confirmed = decision_of(kept)
    assert (confirmed.state, confirmed.action, confirmed.next_year_amount) == (
        BudgetDecision.State.CONFIRMED,
        Action.KEEP,
        D(476),
    )
    assert (confirmed.proposed_action, confirmed.reason) == (Action.CUT, "民生项目")
    assert decision_of(refreshed).proposed_action == Action.CANCEL
    assert decision_of(refreshed).next_year_amount == 0


def test_proposing_again_with_nothing_new_changes_nothing(world):
    evaluation = project(world, D("70"))
    propose(world)

    outcome = propose(world)

    assert (outcome.unchanged, outcome.refreshed) == (1, 0)
    assert decision_of(evaluation).revision == 1


def test_a_proposal_whose_evaluation_was_reopened_is_removed_a_confirmed_one_kept(world):
    reopened = project(world, D("70"), number=1)
    confirmed = project(world, D("70"), number=2)
    propose(world)
    decision_confirm(decision=decision_of(confirmed), user=world.reviewer, action=Action.CUT)
    Project.objects.filter(pk__in=[reopened.pk, confirmed.pk]).update(state=State.RETURNED_TO_FIRM)

    outcome = propose(world)

    assert (outcome.removed, outcome.confirmed_kept) == (1, 0)
    assert list(BudgetDecision.objects.values_list("project", flat=True)) == [confirmed.pk]
    with pytest.raises(WorkflowError, match="不能确定预算安排"):
        decision_confirm(
            decision=decision_of(confirmed), user=world.reviewer, action=Action.CUT, reason="x"
        )


def test_only_the_bureaus_reviewer_proposes_and_decides(world):
    evaluation = project(world, D("70"))
    for user in (world.department, world.publisher, world.firm_user, world.stranger):
        with pytest.raises(PermissionDenied):
            decisions_propose(region=world.region, year=2022, user=user)
    assert not BudgetDecision.objects.exists()

    propose(world)
    decision = decision_of(evaluation)
    for user in (world.department, world.publisher, world.firm_user, world.stranger):
        with pytest.raises(PermissionDenied):
            decision_confirm(decision=decision, user=user, action=Action.CUT)
        with pytest.raises(PermissionDenied):
            decision_reopen(decision=decision, user=user, reason="x")
    assert decision_of(evaluation).state == BudgetDecision.State.PROPOSED


def test_a_decision_prepared_on_an_older_revision_is_refused(world):
    evaluation = project(world, D("70"))
    propose(world)
    decision = decision_confirm(
        decision=decision_of(evaluation), user=world.reviewer, action=Action.CUT
    )

    with pytest.raises(Conflict, match="已被他人修改"):
        decision_reopen(decision=decision, user=world.reviewer, reason="x", revision=1)


def test_proposing_takes_the_same_queries_for_few_evaluations_and_many(world):
    def measured(count, start):
        for number in range(start, start + count):
            project(world, D(60 + number % 40), number=number)
        BudgetDecision.objects.all().delete()
        reviewer = User.objects.get(pk=world.reviewer.pk)  # its role not read yet
        with CaptureQueriesContext(connection) as queries:
            decisions_propose(region=world.region, year=2022, user=reviewer, today=TODAY)
        return len(queries)

    few = measured(2, 1)
    many = measured(30, 3)

    assert few == many
    assert BudgetDecision.objects.count() == 32


def test_a_correction_sends_a_confirmed_decision_back_to_be_made_again(world):
    from evaluations.services.application import decision_confirm
    from evaluations.services.workflow import evaluation_transition

    evaluation = project(world, "95")
    propose(world)
    decision = decision_of(evaluation)
    decision_confirm(decision=decision, user=world.reviewer, action=decision.proposed_action)
    assert decision_of(evaluation).state == BudgetDecision.State.CONFIRMED
    evaluation_transition(record=evaluation, name="reopen", user=world.reviewer, comment="重评")
    assert decision_of(evaluation).state == BudgetDecision.State.PROPOSED
