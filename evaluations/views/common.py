"""What every public page shares: finding the region and year it shows, its breadcrumbs and
the section nav of its year."""

from django.core.paginator import EmptyPage
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from .. import (
    converters,  # noqa: F401  (registers <region:…> and <year:…>)
    selectors,
)
from ..cache import figure
from ..models import Region

# One message for "does not exist" and "not released", so the two cannot be told apart.
NOT_PUBLIC = "没有找到该公开记录"


def published_region_or_404(region_code: str, year: int) -> Region:
    # A figure of the cache's generation: a release or withdrawal starts a new one, so an
    # unreleased year answers 404 until the very request after its release.
    region = figure(
        "published_region",
        region_code,
        year,
        compute=lambda: selectors.published_region(code=region_code, year=year),
    )
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


# The sections of a year, in the order the year's section nav lists them: (url name, label).
# A section whose route does not exist (yet) is left out of the nav.
YEAR_SECTIONS = (
    ("overview", "概览"),
    ("units", "部门整体"),
    ("projects", "重点项目"),
    ("charts", "图表"),
    ("report", "年度报告"),
    ("application", "结果应用"),
    ("downloads", "下载"),
)


def year_nav(region, year, current=None) -> dict:
    """Return the section nav of a region's year, rendered by base.html.

    current: the url name of the section the page belongs to (a project's page belongs to
    "projects"); base.html marks it, as the page itself when the link points at this page.
    A figure of the cache's generation: it names the region, and reverses seven routes.
    """
    return figure(
        "year_nav", region.pk, year, current, compute=lambda: _year_nav(region, year, current)
    )


def _year_nav(region, year, current) -> dict:
    items = []
    for name, label in YEAR_SECTIONS:
        try:
            url = reverse(f"evaluations:{name}", args=[region.code, year])
        except NoReverseMatch:
            continue
        items.append({"name": name, "label": label, "url": url, "current": name == current})
    return {"label": f"{region.name} {year} 年度", "items": items}


def paginate(table, page, *, per_page: int) -> None:
    """Show per_page rows; a page that is not a number shows the first, one too far the last."""
    try:
        number = max(1, int(page or 1))
    except ValueError:
        number = 1
    try:
        table.paginate(per_page=per_page, page=number)
    except EmptyPage:
        table.paginate(per_page=per_page, page=table.paginator.num_pages)
