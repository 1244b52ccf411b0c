"""What every public page shares: finding the region and year it shows, and its breadcrumbs."""

from django.http import Http404
from django.urls import reverse

from .. import selectors
from ..models import Region

# One message for "does not exist" and "not released", so the two cannot be told apart.
NOT_PUBLIC = "没有找到该公开记录"


def published_region_or_404(region_code: str, year: int) -> Region:
    region = selectors.published_region(code=region_code, year=year)
    if region is None:
        raise Http404("该区划在该年度没有公开的评价结果")
    return region


def crumbs(region=None, year=None, *trail) -> list[tuple[str, str | None]]:
    """Return the breadcrumb trail 首页 → 区划 → 年度 → …; the last one is the current page.

    trail: the (label, url) steps below the year, or below the region when year is None.
    """
    crumbs = [("首页", reverse("evaluations:index"))]
    if region is not None:
        crumbs.append((region.name, reverse("evaluations:region", args=[region.code])))
    if year is not None:
        crumbs.append((f"{year} 年度", reverse("evaluations:overview", args=[region.code, year])))
    crumbs.extend(trail)
    return crumbs[:-1] + [(crumbs[-1][0], None)]
