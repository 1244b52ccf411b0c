"""Public results pages: no login, one region and year at a time, and the detail pages of
a unit (its history across years) and of a project.

Each page runs a fixed number of queries whatever the number of rows: selectors fetch
related rows with select_related / prefetch_related, and filter choices are read once.
Everything shown comes from the policy's public querysets, so a record the bureau has not
released answers exactly like one that does not exist.
"""

import itertools

from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from .. import exports, selectors
from ..cache import figure, public_page
from ..decimals import grouped
from ..filters import ProjectResultFilter, UnitResultFilter
from ..models import Region
from ..selectors import public_filings
from ..tables import (
    FundingLineTable,
    ProjectResultTable,
    UnitHistoryTable,
    UnitResultTable,
    grade_badge,
)
from .common import NOT_PUBLIC, crumbs, paginate, published_region_or_404, year_nav

PER_PAGE = 25
# The rows a visitor may choose to see on a page (?per_page=); anything else shows PER_PAGE.
PER_PAGE_CHOICES = (25, 50, 100)
EXPORT_PARAM = "_export"
UNITS_TITLE = "部门整体绩效评价结果"
PROJECTS_TITLE = "重点项目绩效评价结果"


@require_safe
@public_page
def index(request):
    return render(
        request,
        "evaluations/index.html",
        {"published": selectors.published_years(), "crumbs": crumbs()},
    )


@require_safe
@public_page
def region_detail(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    years = selectors.region_years(region=region)
    if not years:
        raise Http404("该区划没有公开的评价结果")
    return render(
        request,
        "evaluations/region.html",
        {"region": region, "years": years, "crumbs": crumbs(region)},
    )


@require_safe
@public_page
def overview(request, region_code, year):
    region = published_region_or_404(region_code, year)
    summary = selectors.year_summary(region=region, year=year)
    total = summary["projects"]["total_funds"]
    coverage = public_filings.public_target_coverage(region=region, year=year)
    return render(
        request,
        "evaluations/overview.html",
        {
            "region": region,
            "year": year,
            "summary": summary,
            "total_exact": grouped(total),
            "total_rounded": grouped(total, 2),
            "coverage": coverage,
            "coverage_exact": grouped(coverage["funds"]) if coverage else "",
            "coverage_rounded": grouped(coverage["funds"], 2) if coverage else "",
            "crumbs": crumbs(region, year),
            "year_nav": year_nav(region, year, "overview"),
        },
    )


@require_safe
@public_page
def summary_json(request, region_code, year):
    region = published_region_or_404(region_code, year)
    summary = selectors.year_summary(region=region, year=year)
    return HttpResponse(exports.to_json(summary), content_type="application/json")


@require_safe
@public_page
def unit_results(request, region_code, year):
    region = published_region_or_404(region_code, year)
    filterset = UnitResultFilter(
        request.GET,
        queryset=selectors.unit_results(region=region, year=year),
        firms=figure(
            "unit_result_firms",
            region.pk,
            year,
            compute=lambda: list(selectors.unit_result_firms(region=region, year=year)),
        ),
    )
    return _results_page(
        request,
        region=region,
        year=year,
        title=UNITS_TITLE,
        filterset=filterset,
        table=UnitResultTable(filterset.qs, region=region),
        section="units",
    )


@require_safe
@public_page
def project_results(request, region_code, year):
    region = published_region_or_404(region_code, year)
    filterset = ProjectResultFilter(
        request.GET,
        queryset=selectors.project_results(region=region, year=year),
        unit_kinds=figure(
            "project_unit_kinds",
            region.pk,
            year,
            compute=lambda: selectors.project_unit_kinds(region=region, year=year),
        ),
    )
    return _results_page(
        request,
        region=region,
        year=year,
        title=PROJECTS_TITLE,
        filterset=filterset,
        table=ProjectResultTable(filterset.qs, region=region),
        section="projects",
    )


@require_safe
@public_page
def unit_detail(request, region_code, unit_id):
    # Evaluated once here; the table and the heading read the same fetched rows.
    history = list(selectors.unit_history(region_code=region_code, unit_id=unit_id))
    if not history:
        raise Http404(NOT_PUBLIC)
    unit, region = history[0].unit, history[0].region
    # Newest first: each year is compared with the one released before it.
    for newer, older in itertools.pairwise(history):
        newer.previous = older
    return render(
        request,
        "evaluations/unit.html",
        {
            "region": region,
            "unit": unit,
            "table": UnitHistoryTable(history),
            "crumbs": crumbs(region, None, (unit.name, None)),
        },
    )


@require_safe
@public_page
def project_detail(request, region_code, year, number):
    project = selectors.project_detail(region_code=region_code, year=year, number=number)
    if project is None:
        raise Http404(NOT_PUBLIC)
    region = project.region
    projects_url = reverse("evaluations:projects", args=[region.code, year])
    filings = public_filings.project_filings(project=project)
    evaluation = filings.self_evaluation
    return render(
        request,
        "evaluations/project.html",
        {
            "region": region,
            "year": year,
            "project": project,
            "table": FundingLineTable(project.funding_lines.all()),
            "grade": grade_badge(project.grade) if project.grade else "",
            "total_exact": grouped(project.total_amount),
            "filings": filings,
            "self_grade": grade_badge(evaluation.grade) if evaluation and evaluation.grade else "",
            # 万元 amounts of the self-evaluation's fund block, exact (decimals.grouped).
            "amounts": {
                "budget": grouped(evaluation.full_year_budget),
                "adjusted": grouped(evaluation.adjusted_budget),
                "spent": grouped(evaluation.spent),
            }
            if evaluation
            else {},
            "crumbs": crumbs(region, year, (PROJECTS_TITLE, projects_url), (project.name, None)),
            "year_nav": year_nav(region, year, "projects"),
        },
    )


def _results_page(request, *, region, year, title, filterset, table, section):
    """Render a results table, or with ?_export=csv|xlsx|json download all its filtered rows."""
    export_format = request.GET.get(EXPORT_PARAM)
    if export_format is not None and export_format not in exports.FORMATS:
        return HttpResponseBadRequest("不支持的导出格式，可选：csv、xlsx、json")
    if export_format is not None and not filterset.is_valid():
        return HttpResponseBadRequest("筛选条件无效")
    RequestConfig(request, paginate=False).configure(table)
    if export_format is not None:
        return download(
            exports.FORMATS[export_format],
            table.export_rows(),
            table.export_columns,
            file_name=f"{region.name}{year}年{title}",
        )
    per_page = per_page_choice(request.GET.get("per_page"))
    paginate(table, request.GET.get("page"), per_page=per_page)
    return render(
        request,
        "evaluations/results.html",
        {
            "region": region,
            "year": year,
            "title": title,
            "filter": filterset,
            "table": table,
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "export_formats": [("csv", "CSV"), ("xlsx", "Excel（XLSX）"), ("json", "JSON")],
            "crumbs": crumbs(region, year, (title, None)),
            "year_nav": year_nav(region, year, section),
        },
    )


def per_page_choice(value) -> int:
    """Return the rows per page a visitor asked for, if it is one offered, else PER_PAGE."""
    return int(value) if value in {str(n) for n in PER_PAGE_CHOICES} else PER_PAGE


def download(export_format, rows, columns, *, file_name):
    """Return a download of rows. A CSV is streamed as its rows are read, in constant memory
    and with its first bytes at once; an XLSX or JSON file is sent whole."""
    chunks = export_format.chunks(rows, columns)
    if export_format.streams:
        response = StreamingHttpResponse(chunks, content_type=export_format.content_type)
    else:
        response = HttpResponse(b"".join(chunks), content_type=export_format.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{file_name}.{export_format.extension}"
    )
    return response
