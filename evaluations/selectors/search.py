"""Reads of the public search: units and projects found by name, in every region and year.

A search is split into terms at white space; a name matches when it holds every term. Only
released records are found, through the policy's public querysets. Each selector returns
one queryset whose rows carry what the results list shows, so a page of results is a count
and one query per group, however many rows match.
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from .. import policies
from ..models import FundingLine, Project, Unit


def search_terms(query: str) -> list[str]:
    """Return the terms of a search: its words, each once, in the order typed."""
    return list(dict.fromkeys(query.split()))


def unit_matches(*, terms: list[str]) -> QuerySet[Unit]:
    """Return the units with public evaluations whose name holds every term, by name.

    Each unit carries its latest public evaluation (latest_year, latest_score,
    latest_grade) and the one before it (previous_year, previous_score, None if none).
    """
    evaluations = policies.public_unit_evaluations().filter(unit=OuterRef("pk")).order_by("-year")

    def nth(field, index):
        return Subquery(evaluations.values(field)[index : index + 1])

    return (
        Unit.objects.filter(Exists(evaluations), *[Q(name__icontains=term) for term in terms])
        .select_related("region")
        .annotate(
            latest_year=nth("year", 0),
            latest_score=nth("score", 0),
            latest_grade=nth("grade", 0),
            previous_year=nth("year", 1),
            previous_score=nth("score", 1),
        )
        .order_by("name", "region__code")
    )


def project_matches(*, terms: list[str]) -> QuerySet[Project]:
    """Return the public projects whose name, or one of whose funding lines' label, holds
    every term: the latest year first, then by region and 序号."""

    def matches(term):
        # Exists, not a join: a join would repeat a project once per matching line.
        lines = FundingLine.objects.filter(project=OuterRef("pk"), label__icontains=term)
        return Q(name__icontains=term) | Exists(lines)

    return (
        policies.public_projects()
        .filter(*[matches(term) for term in terms])
        .select_related("region", "unit")
        .order_by("-year", "region__code", "number")
    )


def score_change(latest: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Return how far the latest score moved from the previous one, None without both."""
    if latest is None or previous is None:
        return None
    return latest - previous
