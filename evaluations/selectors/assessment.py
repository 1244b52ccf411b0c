"""What the assessment of a region's departments is judged on, gathered in a fixed number
of queries whatever the number of units (evaluations.assessment states the rules)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from ..assessment import Facts
from ..models import (
    AssessmentTemplate,
    DepartmentAssessment,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    Problem,
    Project,
    Region,
    SelfEvaluation,
    TargetVersion,
    Unit,
    UnitEvaluation,
    WorkflowEvent,
)
from ..workflow import FilingState, State
from .scopes import most_specific

SUBMITTED = (FilingState.SUBMITTED, FilingState.APPROVED)
DONE = (State.APPROVED, State.RELEASED)


def template_for(*, region: Region, year: int) -> AssessmentTemplate:
    """Return the region's rules for the year (scopes.most_specific), else the defaults."""
    found = most_specific(AssessmentTemplate.objects.all(), region=region, year=year)
    return found or AssessmentTemplate()


def _on_or_before(field: str, day: datetime.date | None) -> Q:
    """Return "done, and by the day" (any time when there is no due date)."""
    done = Q(**{f"{field}__isnull": False})
    return done & Q(**{f"{field}__date__lte": day}) if day is not None else done


def _events(model, action: str):
    """Return the events of the action on the outer query's filing."""
    return WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        action=action,
    )


def _first(model, action: str):
    """Return a subquery of when a filing was first given the action (a later resubmission
    after a return does not make a filing filed on time late)."""
    return Subquery(_events(model, action).order_by("at").values("at")[:1])


def unit_facts(*, region: Region, year: int, template, today: datetime.date) -> dict[int, Facts]:
    """Return the facts of every assessed unit of the region for the year, by unit id.

    The assessed are the first-level departments, townships and subdistricts: a
    subordinate unit's filings count for the department above it.
    """
    owner = dict(Unit.objects.filter(region=region).values_list("pk", Coalesce("parent", "pk")))
    facts = {unit_id: Facts() for unit_id in set(owner.values())}

    def of(unit_id) -> Facts:
        return facts[owner[unit_id]]

    # Targets entered from paper as approved were not filed here: they are not judged.
    first = (
        TargetVersion.objects.filter(target__region=region, target__year=year, number=1)
        .exclude(Exists(_events(TargetVersion, "target_import_approve")))
        .annotate(first_submitted=_first(TargetVersion, "target_submit"))
    )
    for row in first.values("target__unit").annotate(
        n=Count("pk"),
        on_time=Count("pk", filter=_on_or_before("first_submitted", template.target_due)),
    ):
        of(row["target__unit"]).targets += row["n"]
        of(row["target__unit"]).targets_on_time += row["on_time"]
    for unit_id, grade in first.exclude(first_review_grade="").values_list(
        "target__unit", "first_review_grade"
    ):
        of(unit_id).review_grades += (grade,)
    # Owed once due: a period or a self-evaluation whose due date has not come owes nothing.
    periods = MonitoringPeriod.objects.filter(region=region, year=year, due_date__lt=today)
    due_periods = periods.count()
    due = template.self_evaluation_due
    self_evaluations_due = due is None or due < today
    approved = PerformanceTarget.objects.filter(
        region=region, year=year, approved_version__isnull=False
    )
    for row in approved.values("unit").annotate(n=Count("pk")):
        of(row["unit"]).reports_owed += row["n"] * due_periods
        of(row["unit"]).self_evaluations_owed += row["n"] if self_evaluations_due else 0
    reports = (
        MonitoringReport.objects.filter(period__in=periods)
        .annotate(first_submitted=_first(MonitoringReport, "monitoring_submit"))
        .filter(first_submitted__isnull=False, first_submitted__date__lte=F("period__due_date"))
    )
    for row in reports.values("target__unit").annotate(n=Count("pk")):
        of(row["target__unit"]).reports_on_time += row["n"]
    evaluations = SelfEvaluation.objects.filter(target__region=region, target__year=year)
    for row in (
        evaluations.annotate(first_submitted=_first(SelfEvaluation, "self_evaluation_submit"))
        .values("target__unit")
        .annotate(on_time=Count("pk", filter=_on_or_before("first_submitted", due)))
    ):
        of(row["target__unit"]).self_evaluations_on_time += row["on_time"]
    for unit_id, warnings in evaluations.filter(state__in=SUBMITTED).values_list(
        "target__unit", "warnings"
    ):
        of(unit_id).self_evaluations_submitted += 1
        if any(w.get("level") == "red" for w in warnings or ()):
            of(unit_id).self_evaluations_red += 1
    problems = Problem.objects.filter(region=region, year=year, deadline__lt=today)
    for row in problems.values("unit").annotate(
        n=Count("pk"),
        on_time=Count(
            "pk",
            filter=Q(state=Problem.State.VERIFIED, reported_at__date__lte=F("deadline")),
        ),
    ):
        of(row["unit"]).problems_due += row["n"]
        of(row["unit"]).problems_on_time += row["on_time"]
    for model in (UnitEvaluation, Project):
        rows = model.objects.filter(region=region, year=year, state__in=DONE, unit__isnull=False)
        for row in rows.values("unit").annotate(
            n=Count("pk"), released=Count("pk", filter=Q(state=State.RELEASED))
        ):
            of(row["unit"]).evaluations_done += row["n"]
            of(row["unit"]).evaluations_released += row["released"]
    return facts


def ranking(*, region, year: int) -> list[DepartmentAssessment]:
    """Return the year's assessments ranked (ties share a rank), with rank set on each."""
    rows = list(
        DepartmentAssessment.objects.filter(region=region, year=year)
        .select_related("unit")
        .order_by("-score", "unit__name")
    )
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    return rows
