"""Search across units and projects by name, and the download page with its data dictionary.

The search looks through every region and year, released records only (selectors.search);
a unit found links to its history page, a project to its page. Each group of results is
paginated on its own, a count and one query a page, so a search runs at most four queries
however many rows match. The download page states what each file of a year holds (the
result tables, summary.json, each chart's numbers, the result application table, the
annual report), column by column, from the column specs the downloads are written from
(evaluations.data_dictionary).
"""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from .. import data_dictionary, selectors
from ..cache import public_page
from ..decimals import stored_score
from ..selectors import search as search_selectors
from ..tables import grade_badge
from .application import ApplicationTable
from .charts import YEAR_CHARTS
from .common import crumbs, published_region_or_404, year_nav
from .results import EXPORT_PARAM

MAX_QUERY_LENGTH = 50
PER_PAGE = 20
DOWNLOADS_TITLE = "数据下载与字段说明"


class SearchForm(forms.Form):
    q = forms.CharField(
        label="单位或项目名称",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "id": "search-q", "enterkeyhint": "search"}
        ),
        error_messages={"max_length": f"请输入不超过 {MAX_QUERY_LENGTH} 个字。"},
    )


@require_safe
@public_page
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = search_selectors.search_terms(query)
    units = projects = None
    if terms:
        units = Paginator(search_selectors.unit_matches(terms=terms), PER_PAGE).get_page(
            request.GET.get("units_page")
        )
        projects = Paginator(search_selectors.project_matches(terms=terms), PER_PAGE).get_page(
            request.GET.get("projects_page")
        )
    return render(
        request,
        "evaluations/search.html",
        {
            "form": form,
            "query": query,
            "search_query": query,
            "units": units,
            "unit_rows": [_unit_row(unit) for unit in units] if units else [],
            "projects": projects,
            "project_rows": [_project_row(project) for project in projects] if projects else [],
            "crumbs": crumbs(None, None, ("搜索", None)),
        },
    )


def _unit_row(unit) -> dict:
    # Scores read through a subquery come back from SQLite without their 2 places.
    latest, previous = stored_score(unit.latest_score), stored_score(unit.previous_score)
    change = search_selectors.score_change(latest, previous)
    return {
        "unit": unit,
        "latest_score": latest,
        "previous_score": previous,
        "url": reverse("evaluations:unit", args=[unit.region.code, unit.pk]),
        "grade": grade_badge(unit.latest_grade) if unit.latest_grade else "",
        "change": None if change is None else abs(change),
        "trend": None if change is None else ("up" if change > 0 else "down" if change else "same"),
    }


def _project_row(project) -> dict:
    return {
        "project": project,
        "url": reverse(
            "evaluations:project", args=[project.region.code, project.year, project.number]
        ),
        "grade": grade_badge(project.grade) if project.grade else "",
    }


@require_safe
@public_page
def downloads(request, region_code, year):
    region = published_region_or_404(region_code, year)
    summary = selectors.year_summary(region=region, year=year)
    # Rows of the result tables, from the summary the page reads anyway; the other files'
    # rows would each cost their own queries.
    rows = {"units": summary["units"]["count"], "projects": summary["projects"]["funding_lines"]}
    files = [
        _file(download, region=region, year=year, rows=rows.get(download.slug))
        for download in (
            *data_dictionary.TABLE_DOWNLOADS,
            *data_dictionary.chart_downloads(YEAR_CHARTS),
            data_dictionary.application_download(ApplicationTable.export_columns),
        )
    ]
    return render(
        request,
        "evaluations/downloads.html",
        {
            "region": region,
            "year": year,
            "title": DOWNLOADS_TITLE,
            "formats": data_dictionary.FILE_FORMATS,
            "files": files,
            "summary_url": reverse("evaluations:summary", args=[region.code, year]),
            "summary_entries": data_dictionary.summary_dictionary(summary),
            "report_url": reverse("evaluations:report", args=[region.code, year]),
            "report_docx_url": reverse("evaluations:report_docx", args=[region.code, year]),
            "year_nav": year_nav(region, year, "downloads"),
            "crumbs": crumbs(region, year, (DOWNLOADS_TITLE, None)),
        },
    )


def _file(download, *, region, year, rows) -> dict:
    """Return what the page shows of one download: its links, its rows, its dictionary."""
    page_url = reverse(download.url_name, args=[region.code, year])
    labels = {file_format.name: file_format.label for file_format in data_dictionary.FILE_FORMATS}
    return {
        "download": download,
        "rows": rows,
        "page_url": page_url,
        "links": [
            (f"{page_url}?{urlencode([*download.params, (EXPORT_PARAM, name)])}", labels[name])
            for name in download.formats
        ],
        "has_json": "json" in download.formats,
        "entries": download.dictionary(),
    }


urlpatterns = [
    path("search/", search, name="search"),
    path("<region:region_code>/<year:year>/downloads/", downloads, name="downloads"),
]
