"""Reads of ex-ante evaluation (事前绩效评估): the targets a department may file for, an
assessment's grade sheet by dimension, and the savings figures of a region's year.

The savings are counted by the rule in evaluations.ex_ante (savings) over concluded
assessments only, in Decimal from the stored 万元 figures, so "55 new projects assessed,
8,242万元 saved" is a sum of records, exact to the 6th place.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import ex_ante, policies
from ..models import Conclusion, ExAnteAssessment, ExAnteGrade, PerformanceTarget, TargetVersion
from ..workflow import FilingState

PENDING = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED)


def fileable_targets(user) -> QuerySet[PerformanceTarget]:
    """Return the project targets the user may file an assessment for: in its scope, with
    none yet, and approved or still being filed or reviewed (a refused one is not)."""
    pending = TargetVersion.objects.filter(target=OuterRef("pk"), state__in=PENDING)
    return (
        policies.visible_targets(user)
        .filter(scope=PerformanceTarget.Scope.PROJECT, ex_ante__isnull=True)
        .filter(Q(approved_version__isnull=False) | Exists(pending))
        .select_related("unit")
    )


@dataclass
class GradeRow:
    """One sub-item of the template with the grade it got (None while ungraded)."""

    item: object
    grade: ExAnteGrade | None


@dataclass
class DimensionRows:
    """The sub-items of one dimension (五性) with their points and what they earned."""

    label: str
    rows: list[GradeRow] = field(default_factory=list)
    points: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)


def grade_sheet(assessment: ExAnteAssessment) -> list[DimensionRows]:
    """Return the template's sub-items grouped by dimension in template order, each with
    its grade; a dimension's earned points count the graded sub-items (2 queries)."""
    grades = {g.item_id: g for g in assessment.grades.all()}
    dimensions: dict[str, DimensionRows] = {}
    for item in assessment.template.items.all():
        group = dimensions.setdefault(item.dimension, DimensionRows(item.get_dimension_display()))
        grade = grades.get(item.pk)
        group.rows.append(GradeRow(item, grade))
        group.points += item.points
        if grade is not None:
            group.earned += grade.points
    return list(dimensions.values())


@dataclass(frozen=True)
class Savings:
    """What the year's concluded assessments decided, and the funds they saved (万元)."""

    assessed: int
    supported_count: int
    adjusted_count: int
    rejected_count: int
    pending: int
    requested: Decimal
    supported: Decimal
    saved: Decimal


def savings_summary(*, region, year: int, assessments: QuerySet[ExAnteAssessment]) -> Savings:
    """Return the savings figures of the region's year among the given assessments (the
    caller's scope: policies.visible_ex_ante). Pending ones (not concluded) are counted
    apart and add nothing to the money."""
    rows = list(
        assessments.filter(target__region=region, target__year=year).only(
            "state", "conclusion", "requested", "supported"
        )
    )
    concluded = [a for a in rows if a.state == ExAnteAssessment.State.CONCLUDED]

    def count(conclusion):
        return sum(1 for a in concluded if a.conclusion == conclusion)

    return Savings(
        assessed=len(concluded),
        supported_count=count(Conclusion.SUPPORT),
        adjusted_count=count(Conclusion.ADJUST),
        rejected_count=count(Conclusion.REJECT),
        pending=len(rows) - len(concluded),
        requested=sum((a.requested for a in concluded), Decimal(0)),
        supported=sum((a.supported or Decimal(0) for a in concluded), Decimal(0)),
        saved=sum((ex_ante.savings(a) for a in concluded), Decimal(0)),
    )
