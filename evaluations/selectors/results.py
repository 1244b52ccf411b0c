"""Reads. One selector feeds a public table, its exports and its figures, so they agree.

Every selector starts from the permission policy's public querysets. Aggregates are
quantized back to the stored precision: SQLite hands sums back through floats.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from .. import policies
from ..classification import UnitKind
from ..decimals import stored_amount, stored_score
from ..grading import Grade
from ..models import Firm, FundingLine, Project, Region, UnitEvaluation


def published_years() -> list[tuple[Region, list[int]]]:
    """Return each region with public results and its years, newest first."""
    # order_by(): the models' default ordering would make DISTINCT run over every row.
    pairs = set(
        policies.public_unit_evaluations().order_by().values_list("region_id", "year").distinct()
    )
    pairs |= set(policies.public_projects().order_by().values_list("region_id", "year").distinct())
    regions = Region.objects.in_bulk({region_id for region_id, _ in pairs})
    years: dict[int, list[int]] = {}
    for region_id, year in pairs:
        years.setdefault(region_id, []).append(year)
    return [
        (regions[region_id], sorted(years[region_id], reverse=True))
        for region_id in sorted(years, key=lambda pk: regions[pk].code)
    ]


def published_region(*, code: str, year: int) -> Region | None:
    """Return the region with this code if it has public results for the year, else None."""
    units = policies.public_unit_evaluations().filter(region=OuterRef("pk"), year=year)
    projects = policies.public_projects().filter(region=OuterRef("pk"), year=year)
    return Region.objects.filter(Q(Exists(units)) | Q(Exists(projects)), code=code).first()


def region_years(*, region: Region) -> list[int]:
    """Return the years in which a region has public results, newest first."""
    units = policies.public_unit_evaluations().filter(region=region).values_list("year")
    projects = policies.public_projects().filter(region=region).values_list("year")
    years = units.order_by().union(projects.order_by())
    return sorted((year for (year,) in years), reverse=True)


def unit_result_firms(*, region: Region, year: int) -> QuerySet[Firm]:
    """Return the firms that evaluated units of a region in a year, by name."""
    evaluations = policies.public_unit_evaluations().filter(
        firm=OuterRef("pk"), region=region, year=year
    )
    return Firm.objects.filter(Exists(evaluations)).order_by("name")


def project_unit_kinds(*, region: Region, year: int) -> list[str]:
    """Return the kinds of the units that own projects of a region and year, in UnitKind order.

    One EXISTS per kind, in one query: each stops at the first project it finds, where
    DISTINCT over the year's projects would read them all.
    """
    projects = policies.public_projects().filter(region=region, year=year)
    found = (
        Region.objects.filter(pk=region.pk)
        .annotate(**{f"has_{kind}": Exists(projects.filter(unit__kind=kind)) for kind in UnitKind})
        .values(*(f"has_{kind}" for kind in UnitKind))
        .get()
    )
    return [kind for kind in UnitKind.values if found[f"has_{kind}"]]


def unit_results(*, region: Region, year: int) -> QuerySet[UnitEvaluation]:
    """Return the public unit-overall evaluations of a region and year, best score first."""
    return (
        policies.public_unit_evaluations()
        .filter(region=region, year=year)
        .select_related("unit", "firm")
        .order_by("-score", "unit__name")
    )


def _of_lines(aggregate) -> Subquery:
    """Return an aggregate of a project's funding lines, as a subquery of the project's row."""
    lines = FundingLine.objects.filter(project=OuterRef("pk")).order_by().values("project")
    return Subquery(lines.annotate(result=aggregate).values("result"))


def project_results(*, region: Region, year: int) -> QuerySet[Project]:
    """Return the public project evaluations with their funds (Σ lines) and lines, by 序号.

    The sums are subqueries of each project's row, not a join grouped by project: a page
    of 50 projects then sums the lines of those 50 only, and counting the projects reads
    no line at all.
    """
    return (
        policies.public_projects()
        .filter(region=region, year=year)
        .select_related("unit")
        .annotate(
            total_amount=_of_lines(Sum("amount")),
            line_count=_of_lines(Count("pk")),
            min_self_score=_of_lines(Min("self_score")),
        )
        .prefetch_related(
            Prefetch("funding_lines", queryset=FundingLine.objects.order_by("position"))
        )
        .order_by("number")
    )


def unit_history(*, region_code: str, unit_id: int) -> QuerySet[UnitEvaluation]:
    """Return a unit's public unit-overall evaluations, newest year first.

    Each comes with its region, unit and firm: the unit's page is this one query.
    """
    return (
        policies.public_unit_evaluations()
        .filter(region__code=region_code, unit_id=unit_id)
        .select_related("region", "unit", "firm")
        .order_by("-year")
    )


def project_detail(*, region_code: str, year: int, number: int) -> Project | None:
    """Return a public project with its region, unit, firm and funding lines, or None.

    total_amount is the project's funds (Σ lines), summed exactly from the lines;
    unit_has_history says whether the owning unit has a public page to link to.
    """
    owner_history = policies.public_unit_evaluations().filter(
        unit=OuterRef("unit"), region=OuterRef("region")
    )
    project = (
        policies.public_projects()
        .filter(region__code=region_code, year=year, number=number)
        .select_related("region", "unit", "firm")
        .annotate(unit_has_history=Exists(owner_history))
        .prefetch_related(
            Prefetch("funding_lines", queryset=policies.public_funding_lines().order_by("position"))
        )
        .first()
    )
    if project is not None:
        project.total_amount = sum(
            (line.amount for line in project.funding_lines.all()), Decimal(0)
        )
    return project


def year_summary(*, region: Region, year: int) -> dict:
    """Return the figures of a region's year (sections 二 and 三 of the annual report)."""
    units = policies.public_unit_evaluations().filter(region=region, year=year)
    unit_rows = list(units.values_list("unit__kind", "grade"))
    unit_range = units.aggregate(highest=Max("score"), lowest=Min("score"))
    projects = policies.public_projects().filter(region=region, year=year)
    project_rows = list(projects.values_list("grade", flat=True))
    project_range = projects.aggregate(highest=Max("score"), lowest=Min("score"))
    lines = policies.public_funding_lines().filter(project__region=region, project__year=year)
    line_figures = lines.aggregate(
        count=Count("id"), total=Sum("amount"), lowest_self_score=Min("self_score")
    )
    kinds = Counter(kind for kind, _ in unit_rows)
    unit_grades = Counter(grade for _, grade in unit_rows)
    project_grades = Counter(project_rows)
    return {
        "region": {"code": region.code, "name": region.name},
        "year": year,
        "units": {
            "count": len(unit_rows),
            "by_kind": {kind.label: kinds.get(kind.value, 0) for kind in UnitKind},
            "by_grade": {grade.label: unit_grades.get(grade.value, 0) for grade in Grade},
            "highest_score": stored_score(unit_range["highest"]),
            "lowest_score": stored_score(unit_range["lowest"]),
        },
        "projects": {
            "count": len(project_rows),
            "funding_lines": line_figures["count"],
            "total_funds": stored_amount(line_figures["total"] or 0),
            "by_grade": {grade.label: project_grades.get(grade.value, 0) for grade in Grade},
            "highest_score": stored_score(project_range["highest"]),
            "lowest_score": stored_score(project_range["lowest"]),
            "lowest_self_score": stored_score(line_figures["lowest_self_score"]),
        },
    }
