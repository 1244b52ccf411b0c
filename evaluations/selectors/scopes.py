"""Settings kept per region and year (templates, rules): which row applies."""

from django.db.models import Q, QuerySet


def most_specific(queryset: QuerySet, *, region, year: int):
    """Return the row that applies to the region and year, or None: the region's for the
    year, then the region's for every year, then the default for the year, then the
    default (region and year left blank)."""
    candidates = queryset.filter(
        Q(region=region) | Q(region__isnull=True), Q(year=year) | Q(year__isnull=True)
    )
    ranked = sorted(candidates, key=lambda row: (row.region_id is None, row.year is None))
    return ranked[0] if ranked else None
