"""Transitions of evaluations and edits by the party whose turn it is.

Every write locks the record's row, checks the version the caller saw, asks the policy,
and records what happened in the same transaction: a WorkflowEvent for a transition, a
history row (django-simple-history) for every change of a score, amount or grade.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import policies
from ..models import (
    BudgetDecision,
    FirmRecusal,
    PerformanceTarget,
    Project,
    SelfEvaluation,
    ThirdPartySheet,
    UnitEvaluation,
    WorkflowEvent,
)
from ..workflow import TRANSITIONS, State, Transition


class WorkflowError(Exception):
    """A write the workflow refuses; the message is for the user."""


class Conflict(WorkflowError):
    """Someone else changed the record since the user loaded it."""


def locked_row(record):
    return type(record).objects.select_for_update().get(pk=record.pk)


def check_version(current, version):
    if version is not None and current.version != version:
        raise Conflict(
            f"“{current}”已被他人处理（当前状态：{current.get_state_display()}），"
            "您的操作未执行，请刷新后重试"
        )


def record_event(record, *, action, from_state, to_state, user, comment=""):
    return WorkflowEvent.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )


def firm_conflict(*, firm, record) -> str:
    """Return why the firm may not evaluate the record (回避 on file), or ""."""
    if firm is None or record.unit_id is None:
        return ""
    recusal = FirmRecusal.objects.filter(firm=firm, unit_id=record.unit_id).first()
    if recusal:
        return f"{firm} 须回避 {record.unit}：{recusal.reason}"
    return ""


def _precondition(transition: Transition, record) -> str:
    """Return why the record is not ready for the transition, or ""."""
    if transition.name == "submit":
        if isinstance(record, Project):
            if not record.funding_lines.exists():
                return "请先填写资金明细及自评得分"
        elif record.self_score is None:
            return "请先填写自评得分"
    if transition.name == "assign" and record.firm_id is None:
        return "请先选择评价机构"
    if transition.name == "assign" and (problem := _ex_ante_problem(record)):
        return problem
    # A recusal put on file after the assignment still stops the firm's work.
    conflict = transition.name in ("assign", "submit_score", "approve") and firm_conflict(
        firm=record.firm, record=record
    )
    if conflict:
        return conflict
    if transition.name in ("submit_score", "approve", "release") and record.score is None:
        return "尚无第三方机构评分"
    if transition.name == "submit_score" and _sheet_unfinished(record):
        return "第三方评分表尚未完成：每个三级指标都要评分"
    return ""


def _ex_ante_problem(record) -> str:
    """Return why a key project may not enter evaluation for want of a passing ex-ante
    assessment (evaluations.ex_ante), or ""."""
    from .ex_ante import gate_problem  # services.ex_ante builds on this module

    if not isinstance(record, Project):
        return ""
    # Tied to its target, or found by its name and owner when created after it.
    target = PerformanceTarget.objects.filter(evaluation=record).first()
    if target is None and record.unit_id is not None:
        target = PerformanceTarget.objects.filter(
            region=record.region_id,
            year=record.year,
            unit=record.unit_id,
            scope=PerformanceTarget.Scope.PROJECT,
            project_name=record.name,
        ).first()
    return gate_problem(target) if target is not None else ""


def computed_elsewhere(*, record, line=None, changed: set[str]) -> str:
    """Return why a field cannot be written directly because a table computes it, or "":
    a project's third-party score comes from its sheet, a self-score from the unit's
    self-evaluation table (an import or a form may not type over either)."""
    if "score" in changed and _scored_on_sheet(record):
        return "该项目的第三方评分由评分表计算，不能直接修改"
    if "self_score" in changed:
        if (
            line is not None
            and line.pk
            and SelfEvaluation.objects.filter(funding_line=line).exists()
        ):
            return "该资金明细的自评得分由绩效自评表计算，不能直接修改"
        if (
            isinstance(record, UnitEvaluation)
            and SelfEvaluation.objects.filter(
                target__scope="unit",
                target__region=record.region_id,
                target__year=record.year,
                target__unit=record.unit_id,
                total__isnull=False,
            ).exists()
        ):
            return "该单位的自评得分由部门整体绩效自评表计算，不能直接修改"
    return ""


def _sheet_unfinished(record) -> bool:
    if not isinstance(record, Project):
        return False
    return ThirdPartySheet.objects.filter(project=record, total__isnull=True).exists()


def _scored_on_sheet(record) -> bool:
    return isinstance(record, Project) and ThirdPartySheet.objects.filter(project=record).exists()


def transition_problem(name: str, record) -> str:
    """Return why the record is not ready for the named transition, or ""."""
    return _precondition(TRANSITIONS[name], record)


@transaction.atomic
def evaluation_transition(*, record, name: str, user, comment: str = "", version=None, firm=None):
    """Fire a workflow transition on a unit or project evaluation; return the record.

    Raise PermissionDenied if the user may not fire it on this record, Conflict if the
    record moved on since the user saw it (version) or is no longer in a state the
    transition starts from, WorkflowError if it is not ready or a needed comment is missing.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(f"没有“{name}”这个操作")
    current = locked_row(record)
    # Scope and role first: nothing about a record outside them is told, not even its state.
    if not (policies.acts_as(user, transition.role) and policies.in_scope(user, current)):
        raise PermissionDenied
    check_version(current, version)
    if current.state not in transition.sources:
        # With the version the user saw, a state that moved on means someone else acted.
        meanwhile = "（已被他人处理）" if version is not None else ""
        raise Conflict(
            f"“{current}”当前状态为“{current.get_state_display()}”，"
            f"不能{transition.label}{meanwhile}"
        )
    if not policies.can_fire(user, transition, current):
        raise PermissionDenied
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(f"{transition.label}必须填写理由")
    if firm is not None:
        current.firm = firm
    if problem := _precondition(transition, current):
        raise WorkflowError(problem)
    from_state = current.state
    current.state = transition.target
    current.version += 1
    if transition.target == State.RELEASED:
        current.released_at = timezone.now()
    elif from_state == State.RELEASED:
        current.released_at = None
    current._history_user = user
    current.save()
    if transition.name in ("reopen", "reopen_to_unit"):
        # A correction may change the score: its budget decision is to be made again.
        BudgetDecision.objects.filter(
            **{"project" if isinstance(current, Project) else "unit_evaluation": current}
        ).update(state=BudgetDecision.State.PROPOSED)
    record_event(
        current,
        action=transition.name,
        from_state=from_state,
        to_state=current.state,
        user=user,
        comment=comment,
    )
    return current


def evaluation_transition_many(*, records, name: str, user, comment: str = ""):
    """Fire one transition on many records, each in its own transaction.

    Return (record, None) for each success and (record, message) for each refusal, so a
    batch approve or release reports per item.
    """
    results = []
    for record in records:
        try:
            results.append(
                (evaluation_transition(record=record, name=name, user=user, comment=comment), None)
            )
        except PermissionDenied:
            results.append((record, "无权执行该操作"))
        except WorkflowError as exc:
            results.append((record, str(exc)))
    return results


@transaction.atomic
def evaluation_update(*, record, user, changes: dict, version=None, from_sheet=False):
    """Apply field changes to an evaluation on behalf of the party whose turn it is.

    Refuse fields the policy does not let the user change in the record's state, and
    writes prepared on an older version of the record. A project scored on a third-party
    sheet takes its score from the sheet (from_sheet), never typed.
    """
    current = locked_row(record)
    if not policies.in_scope(user, current):
        raise PermissionDenied
    check_version(current, version)
    allowed = policies.editable_fields(user, current)
    refused = sorted(set(changes) - allowed)
    if refused and "*" not in allowed:
        raise PermissionDenied(f"当前状态下不能修改：{'、'.join(refused)}")
    if not from_sheet and (problem := computed_elsewhere(record=current, changed=set(changes))):
        raise WorkflowError(problem)
    if "firm" in changes and (problem := firm_conflict(firm=changes["firm"], record=current)):
        raise WorkflowError(problem)
    for name, value in changes.items():
        setattr(current, name, value)
    current.grade = ""  # derived from the score again on save
    current.full_clean(exclude=["grade"])
    current.version += 1
    current._history_user = user
    current.save()
    return current


def imported_records_settle(*, records, user, release: bool):
    """Place the records an import created in the workflow, with an event for each.

    With release they are historical results approved and published elsewhere, and are
    released at once; otherwise they start as drafts. Records that existed before keep
    their state: an import never moves a record along the workflow.
    """
    for record in records:
        target = State.RELEASED if release else State.DRAFT
        if target == State.RELEASED:
            type(record).objects.filter(pk=record.pk).update(
                state=target, version=record.version + 1, released_at=timezone.now()
            )
        record_event(
            record,
            action="import_release" if release else "import",
            from_state="",
            to_state=target,
            user=user,
            comment="随结果表导入" + ("并公开" if release else ""),
        )
