"""The common step of every filing's workflow: lock, check, transition, record.

Targets (their versions), monitoring reports and self-evaluation tables all go through
filing_transition; the kind-specific services add their preconditions and effects.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .. import policies
from ..workflow import FILING_KINDS, FILING_TRANSITIONS
from .workflow import Conflict, WorkflowError, locked_row, record_event


def target_of(filing):
    """Return the performance target a filing belongs to."""
    return filing.target


def check_revision(current, revision):
    """Refuse a write prepared on an older revision of the filing."""
    if revision is not None and current.revision != revision:
        raise Conflict(
            f"“{current}”已被他人修改（当前状态：{current.get_state_display()}），"
            "您的操作未执行，请刷新后重试"
        )


def filing_transition(*, kind: str, filing, user, name: str, comment="", revision=None, ready=None):
    """Fire a filing transition in the caller's transaction; return the locked filing.

    ready(current) returns the reasons the filing is not ready ([] when it is).
    Raise PermissionDenied outside the user's role or scope, Conflict if the filing moved
    on, WorkflowError if it is not ready or a needed comment is missing.
    """
    transition = FILING_TRANSITIONS.get(name)
    if transition is None or name not in FILING_KINDS[kind]:
        raise WorkflowError(f"没有“{name}”这个操作")
    current = locked_row(filing)
    target = target_of(current)
    if not (policies.acts_as(user, transition.role) and policies.target_in_scope(user, target)):
        raise PermissionDenied
    check_revision(current, revision)
    if current.state not in transition.sources:
        raise Conflict(
            f"“{current}”当前状态为“{current.get_state_display()}”，不能{transition.label}"
        )
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(f"{transition.label}必须填写意见")
    if ready is not None and (problems := ready(current)):
        raise WorkflowError("；".join(problems))
    from_state = current.state
    current.state = transition.target
    current.revision += 1
    if name == "submit":
        current.submitted_at = timezone.now()
    current.save()
    record_event(
        current,
        action=f"{kind}_{name}",
        from_state=from_state,
        to_state=current.state,
        user=user,
        comment=comment,
    )
    return current


def editable_or_refuse(user, filing, *, importing=False):
    """Raise PermissionDenied unless the user may change the filing's content now
    (importing: write it from a spreadsheet, policies.can_import_filing)."""
    target = target_of(filing)
    allowed = (
        policies.can_import_filing(user, target, filing)
        if importing
        else policies.can_edit_filing(user, filing, target)
    )
    if not allowed:
        if not policies.target_in_scope(user, target_of(filing)):
            raise PermissionDenied
        raise PermissionDenied(f"“{filing}”{filing.get_state_display()}，当前不能修改")


def clean_or_refuse(filing, *, exclude) -> None:
    """Validate the filing's fields; a bad value is refused with the fields' messages."""
    try:
        filing.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise WorkflowError("；".join(exc.messages)) from None


def refuse_other_fields(changes, allowed) -> None:
    """Refuse a change to a field the service does not let its caller write."""
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise PermissionDenied(f"不能修改：{'、'.join(refused)}")


def apply_entries(rows, entries: dict[int, dict] | None, *, fields, unknown: str) -> list:
    """Apply {indicator id: changed fields} to a filing's entry rows; return the rows
    changed. An indicator the filing does not hold is refused with the message unknown."""
    by_indicator = {row.indicator_id: row for row in rows}
    changed = []
    for indicator_id, values in (entries or {}).items():
        row = by_indicator.get(indicator_id)
        if row is None:
            raise WorkflowError(unknown)
        refuse_other_fields(values, fields)
        for name, value in values.items():
            setattr(row, name, value)
        changed.append(row)
    return changed
