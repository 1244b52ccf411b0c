"""Reads of the annual report beyond the year's summary and result tables: the bureau's
narrative, the unit results in the circulated table's order, and the figures of the work
done (monitoring, the previous year's evaluations, disclosure, problems found).

Everything public comes from the policy's public querysets. Each read is one query (the
previous year's evaluations two), whatever the number of rows.
"""

from datetime import date

from django.db.models import Count, Q, Sum

from .. import policies
from ..decimals import stored_amount
from ..models import MonitoringPeriod, Problem, Region, ReportText, UnitEvaluation
from .rectification import overdue_condition
from .results import unit_results


def report_texts(*, region: Region, year: int, draft: bool = False) -> dict[str, str]:
    """Return the bureau's narrative of the region's report for the year, by section: the
    released text (the public report), or the draft (the bureau's preview)."""
    field = "text" if draft else "published_text"
    rows = ReportText.objects.filter(region=region, year=year).values_list("section", field)
    return dict(rows)


def units_by_firm(*, region: Region, year: int) -> list[UnitEvaluation]:
    """Return the public unit evaluations as the circulated table lists them: each firm's
    units together, the firms in the order they first appear, the units in the order they
    were entered (imported)."""
    rows = list(unit_results(region=region, year=year).order_by("pk"))
    first: dict[int | None, int] = {}
    for row in rows:
        first.setdefault(row.firm_id, len(first))
    return sorted(rows, key=lambda row: first[row.firm_id])  # stable: entry order per firm


def monitoring_rounds(*, region: Region, year: int) -> list[tuple[MonitoringPeriod, int]]:
    """Return the year's monitoring periods, earliest first, each with the number of its
    public (approved, of released projects) monitoring reports."""
    periods = list(MonitoringPeriod.objects.filter(region=region, year=year).order_by("end_month"))
    counts = dict(
        policies.public_monitoring_reports()
        .filter(period__region=region, period__year=year)
        .order_by()
        .values_list("period")
        .annotate(count=Count("pk"))
    )
    return [(period, counts.get(period.pk, 0)) for period in periods]


def evaluated_counts(*, region: Region, year: int) -> dict:
    """Return how many unit and project evaluations of the year are public."""
    return {
        "units": policies.public_unit_evaluations().filter(region=region, year=year).count(),
        "projects": policies.public_projects().filter(region=region, year=year).count(),
    }


def disclosed_self_evaluations(*, region: Region, year: int) -> dict:
    """Return the public self-evaluation tables of the year's key projects and their funds
    (Σ 全年预算数): the reports published with the year's final accounts."""
    figures = (
        policies.public_self_evaluations()
        .filter(target__region=region, target__year=year)
        .aggregate(count=Count("pk"), funds=Sum("full_year_budget"))
    )
    figures["funds"] = stored_amount(figures["funds"])
    return figures


def problem_counts(*, region: Region, year: int, today: date) -> dict:
    """Return the public problems found by the year's evaluations: how many, in how many
    units, by rectification state, and how many are past their deadline unverified."""
    return (
        policies.public_problems()
        .filter(region=region, year=year)
        .aggregate(
            count=Count("pk", distinct=True),
            units=Count("unit", distinct=True),
            open=Count("pk", filter=Q(state=Problem.State.OPEN), distinct=True),
            reported=Count("pk", filter=Q(state=Problem.State.REPORTED), distinct=True),
            verified=Count("pk", filter=Q(state=Problem.State.VERIFIED), distinct=True),
            overdue=Count("pk", filter=overdue_condition(today), distinct=True),
        )
    )
