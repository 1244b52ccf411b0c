"""How a year's results moved next year's budget (结果应用), as the public sees it.

Only confirmed decisions on released evaluations are shown (policies.public_decisions),
and of the problems found on released evaluations only the description and the state
(policies.public_problems): the unit's measures and reports and the bureau's opinions are
working notes. The page runs a fixed number of queries whatever the number of rows; the
download holds exactly the table's rows and columns, all pages.
"""

import django_tables2 as tables
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from .. import exports
from ..cache import public_page
from ..decimals import exact, grouped
from ..selectors import rectification
from ..selectors.application import application_summary, public_application
from ..tables import NUMBER, LeanTable, grade_badge
from .common import crumbs, paginate, published_region_or_404, year_nav
from .results import download

TITLE = "评价结果应用"
PER_PAGE = 50
EXPORT_PARAM = "_export"
EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel（XLSX）"}


def signed(value) -> str:
    """Return a change of amount with its sign, exact: "+1,200", "-47.6604", "0"."""
    if value is None:
        return "—"
    return f"+{grouped(value)}" if value > 0 else grouped(value)


def nowrap(css: str) -> dict:
    """Return the attrs of a short column kept on one line (application.css)."""
    return {"th": {"class": css}, "td": {"class": css}}


class Decisions(list):
    """The table's rows, named for the table's scrolling region (django-tables2 reads
    verbose_name_plural of its data)."""

    verbose_name_plural = "结果应用决定"


class ApplicationTable(LeanTable):
    """One row per evaluation: its result, the rules' proposal, the bureau's decision and
    the amounts of this year and next (万元, exact)."""

    kind = tables.Column("类型", attrs=nowrap("kind"))
    name = tables.Column("部门或项目", attrs={"th": {"class": "name"}, "td": {"class": "name"}})
    grade = tables.Column("等级", attrs=nowrap("grade-cell"))
    score = tables.Column("得分", attrs=NUMBER)
    proposal = tables.Column("系统建议", attrs=nowrap("decision"))
    decided = tables.Column("结果应用决定", attrs=nowrap("decision"))
    base_amount = tables.Column("本年度资金（万元）", attrs=NUMBER, default="—")
    next_year_amount = tables.Column("下年度安排（万元）", attrs=NUMBER, default="—")
    change = tables.Column("增减（万元）", attrs=NUMBER, empty_values=())

    class Meta:
        attrs = {"class": "results application"}
        orderable = False
        empty_text = "本年度尚无已公开的结果应用决定。"

    export_columns = (
        exports.Column("kind", "类型", lambda row: row.kind, width=10),
        exports.Column("name", "部门或项目", lambda row: row.name, width=40),
        exports.Column("grade", "等级", lambda row: row.grade, width=6),
        exports.Column("score", "得分", lambda row: row.score, width=8),
        exports.Column("proposal", "系统建议", lambda row: row.proposal, width=16),
        exports.Column("decided", "结果应用决定", lambda row: row.decided, width=16),
        exports.Column("base_amount", "本年度资金（万元）", lambda row: row.base_amount, width=18),
        exports.Column(
            "next_year_amount", "下年度安排（万元）", lambda row: row.next_year_amount, width=18
        ),
        exports.Column("change", "增减（万元）", lambda row: row.change, width=16),
    )

    def render_grade(self, value):
        return grade_badge(value)

    def render_score(self, value):
        return exact(value)

    def render_base_amount(self, value):
        return grouped(value)

    def render_next_year_amount(self, value):
        return grouped(value)

    def render_change(self, value):
        return format_html(
            '<span class="change change-{}">{}</span>', _direction(value), signed(value)
        )


@require_safe
@public_page
def application(request, region_code, year):
    region = published_region_or_404(region_code, year)
    export_format = request.GET.get(EXPORT_PARAM)
    if export_format is not None and export_format not in EXPORT_FORMATS:
        return HttpResponseBadRequest("不支持的导出格式，可选：csv、xlsx")
    rows = public_application(region=region, year=year)
    table = ApplicationTable(Decisions(rows))
    if export_format is not None:
        return download(
            exports.FORMATS[export_format],
            rows,
            table.export_columns,
            file_name=f"{region.name}{year}年{TITLE}",
        )
    paginate(table, request.GET.get("page"), per_page=PER_PAGE)
    summary = application_summary(rows)
    total = summary["total"]
    return render(
        request,
        "evaluations/application.html",
        {
            "region": region,
            "year": year,
            "title": TITLE,
            "table": table,
            "by_grade": [_shown(tally) for tally in summary["by_grade"]],
            "by_action": [_shown(tally) for tally in summary["by_action"]],
            "total": _shown(total),
            # The display rule of decimals.py: the rounded figure next to the exact one.
            "total_rounded": {
                "base": grouped(total.base_amount, 2),
                "next": grouped(total.next_year_amount, 2),
            },
            "problems": rectification.public_counts(region=region, year=year),
            "problem_list": rectification.public_list(region=region, year=year),
            "export_formats": list(EXPORT_FORMATS.items()),
            "crumbs": crumbs(region, year, (TITLE, None)),
            "year_nav": year_nav(region, year, "application"),
        },
    )


def _shown(tally) -> dict:
    """Return a summary line as the page shows it: counts, and amounts exact ("—" where
    no row of the group lists both years' amounts)."""
    shown = {"label": tally.label, "count": tally.count, "compared": tally.compared}
    if not tally.compared:
        return {**shown, "base": "—", "next": "—", "change": "—", "direction": "same"}
    return {
        **shown,
        "base": grouped(tally.base_amount),
        "next": grouped(tally.next_year_amount),
        "change": signed(tally.change),
        "direction": _direction(tally.change),
    }


def _direction(value) -> str:
    return "up" if value and value > 0 else "down" if value and value < 0 else "same"


urlpatterns = [
    path("<region:region_code>/<year:year>/application/", application, name="application"),
]
