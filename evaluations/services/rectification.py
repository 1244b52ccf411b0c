"""Rectification (整改) of the problems evaluations find (../shared/domain.md §9).

The bureau sets each problem's deadline; the responsible unit's department reports its
measure and what it did (open → reported); the bureau's reviewer verifies the report
(reported → verified) or sends it back with an opinion (reported → open), and the unit
reports again. Overdue is derived, never stored (selectors.rectification).

Every step locks the problem's row, checks the revision the user saw, asks the policy
with the row locked (a forged POST is refused like a hidden button) and records a
WorkflowEvent in the same transaction.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import policies
from ..models import Problem
from ..workflow import Role
from .filings import check_revision
from .workflow import Conflict, WorkflowError, locked_row, record_event

REPORT = "rectification_report"
VERIFY = "rectification_verify"
RETURN = "rectification_return"
DEADLINE = "rectification_deadline"
UNVERIFIED = (Problem.State.OPEN, Problem.State.REPORTED)


def _locked_in_scope(problem: Problem, user, role: str, revision) -> Problem:
    """Return the problem's locked row if the user works in the role and sees the problem.

    Scope and role come first: nothing about a problem outside them is told, not even its
    state. Then the revision the user saw: someone acted meanwhile is a Conflict.
    """
    current = locked_row(problem)
    in_scope = policies.visible_problems(user).filter(pk=current.pk).exists()
    if not (policies.acts_as(user, role) and in_scope):
        raise PermissionDenied
    check_revision(current, revision)
    return current


def _refuse(current: Problem, allowed: bool, *, states, doing: str) -> None:
    """Refuse a step the policy does not allow now: a Conflict when the problem is no longer
    in one of the states the step starts from (someone acted meanwhile), PermissionDenied
    otherwise."""
    if allowed:
        return
    if current.state not in states:
        raise Conflict(f"“{current}”当前状态为“{current.get_state_display()}”，不能{doing}")
    raise PermissionDenied


def _save(current: Problem, *, action: str, from_state: str, user, comment: str) -> Problem:
    current.revision += 1
    current.save()
    record_event(
        current,
        action=action,
        from_state=from_state,
        to_state=current.state,
        user=user,
        comment=comment,
    )
    return current


@transaction.atomic
def problem_set_deadline(*, problem: Problem, user, deadline, revision=None) -> Problem:
    """Set the date by which the unit must rectify the problem (the bureau, until verified)."""
    current = _locked_in_scope(problem, user, Role.REVIEWER, revision)
    allowed = policies.can_set_deadline(user, current)
    _refuse(current, allowed, states=UNVERIFIED, doing="设定整改期限")
    if deadline is None:
        raise WorkflowError("请填写整改期限")
    before = current.deadline
    current.deadline = deadline
    comment = f"整改期限：{deadline:%Y-%m-%d}" + (f"（原为 {before:%Y-%m-%d}）" if before else "")
    return _save(current, action=DEADLINE, from_state=current.state, user=user, comment=comment)


@transaction.atomic
def rectification_report(
    *, problem: Problem, user, measure: str, report: str, revision=None
) -> Problem:
    """Report the unit's rectification: its measure and what it did (open → reported)."""
    current = _locked_in_scope(problem, user, Role.DEPARTMENT, revision)
    allowed = policies.can_report_rectification(user, current)
    _refuse(current, allowed, states=[Problem.State.OPEN], doing="报送整改情况")
    measure, report = (measure or "").strip(), (report or "").strip()
    missing = [label for label, text in (("整改措施", measure), ("整改情况", report)) if not text]
    if missing:
        raise WorkflowError(f"请填写{'和'.join(missing)}")
    from_state = current.state
    current.measure, current.report = measure, report
    current.state = Problem.State.REPORTED
    current.reported_at = timezone.now()
    return _save(current, action=REPORT, from_state=from_state, user=user, comment=report)


@transaction.atomic
def rectification_verify(
    *, problem: Problem, user, accept: bool, opinion: str = "", revision=None
) -> Problem:
    """Verify the unit's reported rectification (reported → verified), or send it back to
    the unit (reported → open); sending back needs an opinion saying what is missing."""
    current = _locked_in_scope(problem, user, Role.REVIEWER, revision)
    doing = "核实整改情况" if accept else "退回重新整改"
    allowed = policies.can_verify_rectification(user, current)
    _refuse(current, allowed, states=[Problem.State.REPORTED], doing=doing)
    opinion = (opinion or "").strip()
    if not accept and not opinion:
        raise WorkflowError("退回重新整改必须填写核实意见")
    from_state = current.state
    current.verification = opinion
    if accept:
        current.state = Problem.State.VERIFIED
        current.verified_by = user if user is not None and user.is_authenticated else None
        current.verified_at = timezone.now()
    else:
        current.state = Problem.State.OPEN
    action = VERIFY if accept else RETURN
    return _save(current, action=action, from_state=from_state, user=user, comment=opinion)
