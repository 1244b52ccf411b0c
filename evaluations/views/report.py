"""The annual report on spending performance, generated from data: web page and .docx.

Public, for a region and year with released results; both read the same Report
(report.annual_report), so the page and the document cannot disagree. Each runs a fixed
number of queries whatever the number of units and projects.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from ..cache import public_page
from ..report import annual_report
from ..report.docx import DOCX_TYPE, report_docx
from .common import crumbs, published_region_or_404, year_nav

TITLE = "年度绩效报告"


def render_report(request, report, *, preview=False, **context):
    """Render the report's web page: the public page, or the bureau's preview."""
    return render(
        request, "evaluations/report.html", {"report": report, "preview": preview, **context}
    )


@require_safe
@public_page
def report_page(request, region_code, year):
    region = published_region_or_404(region_code, year)
    return render_report(
        request,
        annual_report(region=region, year=year),
        region=region,
        year=year,
        crumbs=crumbs(region, year, (TITLE, None)),
        year_nav=year_nav(region, year, "report"),
    )


@require_safe
@public_page
def report_download(request, region_code, year):
    region = published_region_or_404(region_code, year)
    report = annual_report(region=region, year=year)
    response = HttpResponse(report_docx(report), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{report.title}.docx")
    return response


urlpatterns = [
    path("<region:region_code>/<year:year>/report/", report_page, name="report"),
    path("<region:region_code>/<year:year>/report.docx", report_download, name="report_docx"),
]
