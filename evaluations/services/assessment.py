"""The yearly assessment of departments' performance-management work: computed from
records, adjusted by the bureau only with a reason, recomputed without losing adjustments."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import assessment, policies
from ..models import DepartmentAssessment
from ..selectors.assessment import template_for, unit_facts
from .workflow import Conflict, WorkflowError, locked_row, record_event


@transaction.atomic
def assessments_compute(*, region, year: int, user, today: datetime.date | None = None):
    """Compute every unit's score for the year; keep each adjustment the bureau made.

    Return the region's assessments, best first.
    """
    if not policies.can_assess(user, region):
        raise PermissionDenied
    today = today or timezone.localdate()
    template = template_for(region=region, year=year)
    facts = unit_facts(region=region, year=year, template=template, today=today)
    existing = {
        a.unit_id: a
        for a in DepartmentAssessment.objects.select_for_update().filter(region=region, year=year)
    }
    now = timezone.now()
    changed, created = [], []
    for unit_id, unit_facts_ in facts.items():
        computed, breakdown = assessment.score(unit_facts_, template)
        row = existing.get(unit_id)
        if row is None:
            row = DepartmentAssessment(region=region, year=year, unit_id=unit_id)
            created.append(row)
        else:
            row.revision += 1
            changed.append(row)
        row.computed, row.breakdown, row.computed_at = computed, breakdown, now
        # An adjustment is kept, the score held within 0–100 however the rules moved.
        row.score = min(max(computed + row.adjustment, Decimal(0)), Decimal(100))
    DepartmentAssessment.objects.bulk_create(created)
    DepartmentAssessment.objects.bulk_update(
        changed, ["computed", "breakdown", "computed_at", "score", "revision"]
    )
    return DepartmentAssessment.objects.filter(region=region, year=year).select_related("unit")


@transaction.atomic
def assessment_adjust(*, assessment_row, user, adjustment, reason: str, revision=None):
    """Adjust a computed score by the given points, with the reason on record."""
    current = locked_row(assessment_row)
    if not policies.can_assess(user, current.region):
        raise PermissionDenied
    if revision is not None and current.revision != revision:
        raise Conflict(f"“{current}”已被他人修改，您的操作未执行，请刷新后重试")
    reason = (reason or "").strip()
    if adjustment and not reason:
        raise WorkflowError("调整考核得分必须填写理由")
    score = current.computed + adjustment
    if not 0 <= score <= 100:
        raise WorkflowError(f"调整后得分 {score} 不在 0–100 之间")
    before = current.score
    current.adjustment, current.adjustment_reason, current.score = adjustment, reason, score
    current.adjusted_by = user
    current.revision += 1
    current.save()
    record_event(
        current,
        action="assessment_adjust",
        from_state="",
        to_state="",
        user=user,
        comment=f"{before} → {score}：{reason}",
    )
    return current
