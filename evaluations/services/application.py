"""Result application (结果应用): the proposals for next year's budget and the bureau's
decisions (../shared/domain.md §9; the rules are evaluations.application).

decisions_propose makes or refreshes a proposed decision for every approved evaluation of
a region's year; the bureau's reviewer confirms each one, or overrides it with a reason
(decision_confirm). A confirmed decision is never changed by proposing again: it changes
only with a reason, by confirming again or by reopening it (decision_reopen).

An amount implied by a decision (a cut by a share) is kept at the stored 6 places of 万元,
rounded half-up (decimals.rounded, the rule written down there).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import application, policies
from ..decimals import AMOUNT_PLACES, rounded, stored_amount
from ..models import Action, BudgetDecision
from ..selectors.application import (
    DECIDABLE,
    decidable_projects,
    decidable_unit_evaluations,
    rules_for,
)
from .filings import check_revision, clean_or_refuse
from .workflow import Conflict, WorkflowError, locked_row, record_event

CONFIRM, OVERRIDE, REOPEN = "decision_confirm", "decision_override", "decision_reopen"
PROPOSAL_FIELDS = [
    "proposed_action",
    "proposed_share",
    "grounds",
    "base_amount",
    "next_year_amount",
]


@dataclass(frozen=True)
class ProposeOutcome:
    created: int
    refreshed: int
    unchanged: int
    confirmed_kept: int
    removed: int


def implied_amount(*, base, action: str, share) -> Decimal | None:
    """Return next year's amount the decision implies (None where it is a judgement)."""
    amount = application.next_year_amount(base=base, action=action, share=share)
    return rounded(amount, AMOUNT_PLACES)


def stored_rate(value) -> Decimal | None:
    """Return an execution rate (%) at its stored 2 places (SQLite hands it back as a float)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _proposal_values(evaluation, *, rules, base) -> dict:
    proposal = application.propose(
        grade=evaluation.grade,
        rules=rules,
        execution_rate=stored_rate(evaluation.execution_rate),
        overdue=evaluation.overdue_problems,
    )
    return {
        "proposed_action": proposal.action,
        "proposed_share": proposal.share,
        "grounds": proposal.grounds,
        "base_amount": base,
        "next_year_amount": implied_amount(base=base, action=proposal.action, share=proposal.share),
    }


@transaction.atomic
def decisions_propose(*, region, year: int, user, today=None) -> ProposeOutcome:
    """Make or refresh the proposed decision of every approved or released evaluation of
    the region's year under the rules that apply (selectors.application.rules_for).

    A confirmed decision is kept as it is; a proposed one whose evaluation is no longer
    approved (reopened for correction) is removed. A fixed number of queries.
    """
    if not policies.can_propose_decisions(user, region):
        raise PermissionDenied
    today = today or timezone.localdate()
    rules = rules_for(region=region, year=year)
    existing = list(BudgetDecision.objects.select_for_update().filter(region=region, year=year))
    by_unit = {d.unit_evaluation_id: d for d in existing if d.unit_evaluation_id}
    by_project = {d.project_id: d for d in existing if d.project_id}
    wanted = []
    for evaluation in decidable_unit_evaluations(region=region, year=year, today=today):
        decision = by_unit.pop(evaluation.pk, None)
        base = decision.base_amount if decision else None
        values = _proposal_values(evaluation, rules=rules, base=base)
        wanted.append((decision, {"unit_evaluation": evaluation, **values}))
    for evaluation in decidable_projects(region=region, year=year, today=today):
        decision = by_project.pop(evaluation.pk, None)
        values = _proposal_values(evaluation, rules=rules, base=stored_amount(evaluation.funds))
        wanted.append((decision, {"project": evaluation, **values}))

    created, refreshed, unchanged, kept = [], [], 0, 0
    for decision, values in wanted:
        if decision is None:
            created.append(BudgetDecision(region=region, year=year, **values))
        elif decision.state == BudgetDecision.State.CONFIRMED:
            kept += 1
        elif any(getattr(decision, name) != values[name] for name in PROPOSAL_FIELDS):
            for name in PROPOSAL_FIELDS:
                setattr(decision, name, values[name])
            decision.revision += 1
            refreshed.append(decision)
        else:
            unchanged += 1
    BudgetDecision.objects.bulk_create(created)
    BudgetDecision.objects.bulk_update(refreshed, [*PROPOSAL_FIELDS, "revision"])
    stale = [
        d.pk
        for d in (*by_unit.values(), *by_project.values())
        if d.state == BudgetDecision.State.PROPOSED
    ]
    BudgetDecision.objects.filter(pk__in=stale).delete()
    return ProposeOutcome(len(created), len(refreshed), unchanged, kept, len(stale))


def _decision_in_scope(decision: BudgetDecision, user, revision) -> BudgetDecision:
    current = locked_row(decision)
    if not policies.can_decide_budget(user, current):
        raise PermissionDenied
    check_revision(current, revision)
    return current


def _cut_share(current: BudgetDecision, action: str, cut_share):
    if action != Action.CUT:
        return None
    if cut_share is None and current.proposed_action == Action.CUT:
        return current.proposed_share
    if cut_share is None:
        raise WorkflowError("压减预算须填写压减比例")
    if not Decimal(0) < cut_share <= Decimal(100):
        raise WorkflowError("压减比例须大于 0、不超过 100")
    return cut_share


def _base_amount(current: BudgetDecision, base_amount):
    """Return this year's amount: a project's is the sum of its funding lines; a unit
    evaluation's is what the bureau enters."""
    if base_amount is None or base_amount == current.base_amount:
        return current.base_amount
    if current.project_id:
        raise WorkflowError("重点项目的本年度资金为其资金明细合计，不能修改")
    if base_amount < 0:
        raise WorkflowError("本年度资金不能为负数")
    return base_amount


@transaction.atomic
def decision_confirm(
    *,
    decision: BudgetDecision,
    user,
    action: str,
    cut_share=None,
    next_year_amount=None,
    reason: str = "",
    revision=None,
    base_amount=None,
) -> BudgetDecision:
    """Confirm the decision on next year's budget, as proposed or overridden.

    A decision other than the proposal (another action, another share, or an amount other
    than the cut implies) needs a reason, and so does changing a confirmed decision.
    next_year_amount None takes the amount the decision implies (none for 优先保障 and
    合理保障, which the budget settles). Raise PermissionDenied outside the reviewer's
    region, Conflict on a decision changed since the user saw it (revision).
    """
    current = _decision_in_scope(decision, user, revision)
    evaluation = current.evaluation
    if evaluation.state not in DECIDABLE:
        raise WorkflowError(
            f"“{evaluation}”当前状态为“{evaluation.get_state_display()}”，不能确定预算安排"
        )
    if action not in Action.values:
        raise WorkflowError("请选择结果应用决定")
    reason = (reason or "").strip()
    share = _cut_share(current, action, cut_share)
    base = _base_amount(current, base_amount)
    implied = implied_amount(base=base, action=action, share=share)
    if next_year_amount is None:
        next_year_amount = implied
    if next_year_amount is not None and next_year_amount < 0:
        raise WorkflowError("下年度安排不能为负数")
    override = (
        action != current.proposed_action
        or (action == Action.CUT and share != current.proposed_share)
        or (implied is not None and next_year_amount != implied)
    )
    if override and not reason:
        raise WorkflowError("决定与系统建议不同，必须填写调整理由")
    was_confirmed = current.state == BudgetDecision.State.CONFIRMED
    if was_confirmed and not reason:
        raise WorkflowError("修改已确认的决定必须填写理由")
    from_state = current.state
    current.action, current.cut_share, current.base_amount = action, share, base
    current.next_year_amount, current.reason = next_year_amount, reason
    current.state = BudgetDecision.State.CONFIRMED
    current.decided_by = user if user is not None and user.is_authenticated else None
    current.decided_at = timezone.now()
    current.revision += 1
    clean_or_refuse(current, exclude=["unit_evaluation", "project", "region", "grounds"])
    current.save()
    record_event(
        current,
        action=OVERRIDE if override else CONFIRM,
        from_state=from_state,
        to_state=current.state,
        user=user,
        comment=reason,
    )
    return current


@transaction.atomic
def decision_reopen(
    *, decision: BudgetDecision, user, reason: str, revision=None
) -> BudgetDecision:
    """Reopen a confirmed decision (confirmed → proposed) with a reason; proposing again
    then refreshes its proposal, and the bureau confirms it anew."""
    current = _decision_in_scope(decision, user, revision)
    if current.state != BudgetDecision.State.CONFIRMED:
        raise Conflict(f"“{current}”当前状态为“{current.get_state_display()}”，不能重新打开")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("重新打开已确认的决定必须填写理由")
    current.state = BudgetDecision.State.PROPOSED
    current.revision += 1
    current.save()
    record_event(
        current,
        action=REOPEN,
        from_state=BudgetDecision.State.CONFIRMED,
        to_state=current.state,
        user=user,
        comment=reason,
    )
    return current
