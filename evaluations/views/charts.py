"""Charts of a region's results, each with its numbers as a table and a download.

/<region>/<year>/charts/ draws the year's charts, /<region>/history/ the region's results
across years and /<region>/units/<id>/history/ one unit's scores. Each chart reads one
selector of evaluations.selectors.charts; its rows fill the table beside the drawing, the
download (?chart=<name>&_export=csv|xlsx|json, written by evaluations.exports) and the JSON
block static/js/charts.js draws from, so the drawing holds nothing the table does not.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from urllib.parse import urlencode

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from .. import exports
from ..cache import public_page
from ..decimals import SCORE_PLACES, exact, grouped
from ..models import Region
from ..selectors import charts as selectors
from .common import NOT_PUBLIC, crumbs, published_region_or_404, year_nav
from .results import EXPORT_PARAM, download

CHART_PARAM = "chart"
SCORE_UNIT = "分"
EXPORT_LABELS = (("csv", "CSV"), ("xlsx", "Excel（XLSX）"), ("json", "JSON"))
GRADE_RULE = (
    "等级按得分划分：优 90 分及以上，良 80–90 分，中 60–80 分，差 60 分以下（含下限、不含上限）。"
)
MEAN_RULE = "平均分为得分之和除以个数，四舍五入保留两位小数。"


@dataclass(frozen=True)
class Series:
    """One drawn series: the column it reads, how it is drawn and against which value axis.

    colour names a site colour (static/css/site.css: excellent, good, fair, poor); symbol a
    marker shape, so that series differ by more than their colour.
    """

    key: str
    kind: str = "bar"
    axis: int = 0
    stack: str = ""
    colour: str = ""
    symbol: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: its title and caption, the columns of its table and downloads, which column
    runs along the category axis, which are drawn, and the selector giving its rows.

    axes: the unit of each value axis; by_grade: colour each bar by its category's grade;
    footer: the table's 合计 row computed from the rows, shown under the table only;
    wide: the table is wide (long names, many columns), so it goes under the drawing.
    """

    name: str
    title: str
    caption: str
    columns: tuple[exports.Column, ...]
    category: str
    series: tuple[Series, ...]
    rows: Callable[..., list]
    axes: tuple[str, ...] = ("个",)
    horizontal: bool = False
    by_grade: bool = False
    footer: Callable[[list], dict] | None = None
    wide: bool = False


def column(key: str, header: str, width: int = 14) -> exports.Column:
    return exports.Column(key, header, itemgetter(key), width)


def totals(*keys: str) -> Callable[[list], dict]:
    """Return a footer that labels the first column 合计 and sums the given keys."""

    def footer(rows):
        return {key: sum(row[key] for row in rows) for key in keys}

    return footer


HISTORY_COLUMNS = (
    column("year", "年度", 8),
    column("count", "评价个数（个）"),
    column("mean", "平均分"),
    column("excellent", "优（个）", 8),
    column("good", "良（个）", 8),
    column("fair", "中（个）", 8),
    column("poor", "差（个）", 8),
)
HISTORY_SERIES = (
    Series("excellent", stack="grades", colour="excellent"),
    Series("good", stack="grades", colour="good"),
    Series("fair", stack="grades", colour="fair"),
    Series("poor", stack="grades", colour="poor"),
    Series("mean", kind="line", axis=1, symbol="circle"),
)

YEAR_CHARTS = (
    Chart(
        name="unit_grades",
        title="部门整体绩效评价等级分布",
        caption="各等级的被评单位数。" + GRADE_RULE,
        columns=(column("grade", "等级", 6), column("count", "单位数（个）")),
        category="grade",
        series=(Series("count"),),
        rows=selectors.unit_grade_distribution,
        by_grade=True,
    ),
    Chart(
        name="project_grades",
        title="重点项目绩效评价等级分布",
        caption="各等级的重点项目数，等级按第三方机构评分划分。" + GRADE_RULE,
        columns=(column("grade", "等级", 6), column("count", "项目数（个）")),
        category="grade",
        series=(Series("count"),),
        rows=selectors.project_grade_distribution,
        by_grade=True,
    ),
    Chart(
        name="score_bands",
        title="评价得分分布",
        caption="各分数段的部门整体评价单位数和重点项目数（重点项目按第三方机构评分）。"
        "分数段含下限、不含上限，90–100 含 100 分。",
        columns=(
            column("band", "分数段", 10),
            column("units", "部门整体（个）"),
            column("projects", "重点项目（个）"),
        ),
        category="band",
        series=(Series("units"), Series("projects")),
        rows=selectors.score_distribution,
    ),
    Chart(
        name="funds_by_grade",
        title="重点项目资金按等级分布",
        caption="各等级重点项目的年度项目资金，为其全部资金明细金额之和，精确值，不作舍入。",
        columns=(
            column("grade", "等级", 6),
            column("projects", "项目数（个）"),
            column("lines", "资金明细（项）"),
            column("funds", "年度项目资金（万元）", 20),
        ),
        category="grade",
        series=(Series("funds"),),
        rows=selectors.funds_by_grade,
        axes=("万元",),
        by_grade=True,
        footer=totals("projects", "lines", "funds"),
    ),
    Chart(
        name="firm_scores",
        title="各第三方机构评分对比",
        caption="各评价机构所评部门整体绩效的平均分、最低分和最高分，平均分最高的机构在前，"
        "便于发现评分偏宽或偏严的机构。" + MEAN_RULE,
        columns=(
            column("firm", "评价机构", 36),
            column("count", "评价单位数（个）"),
            column("mean", "平均分", 10),
            column("lowest", "最低分", 10),
            column("highest", "最高分", 10),
        ),
        category="firm",
        series=(
            Series("lowest", kind="scatter", symbol="triangle-down"),
            Series("mean", kind="scatter", symbol="circle"),
            Series("highest", kind="scatter", symbol="triangle"),
        ),
        rows=selectors.firm_scores,
        axes=(SCORE_UNIT,),
        horizontal=True,
        wide=True,
    ),
    Chart(
        name="self_vs_third_party",
        title="重点项目自评得分与第三方机构评分",
        caption="图中为各重点项目（按序号）的差值：第三方机构评分减自评得分，负数表示第三方"
        "评分低于自评；两项得分见数据表。有多项资金明细的项目，自评得分按各明细金额加权平均，"
        "四舍五入保留两位小数。",
        columns=(
            column("number", "序号", 6),
            column("name", "项目名称", 40),
            column("lines", "资金明细（项）"),
            column("self_score", "自评得分", 10),
            column("score", "第三方机构评分", 14),
            column("gap", "差值（第三方−自评）", 18),
        ),
        category="number",
        series=(Series("gap"),),
        rows=selectors.self_and_third_party_scores,
        axes=("分差",),
        wide=True,
    ),
)

REGION_CHARTS = (
    Chart(
        name="unit_history",
        title="部门整体绩效评价历年结果",
        caption="每年度评价的单位数、平均分及各等级单位数。" + MEAN_RULE,
        columns=HISTORY_COLUMNS,
        category="year",
        series=HISTORY_SERIES,
        rows=selectors.region_unit_history,
        axes=("个", SCORE_UNIT),
        wide=True,
    ),
    Chart(
        name="project_history",
        title="重点项目绩效评价历年结果",
        caption="每年度评价的重点项目数、第三方机构评分的平均分及各等级项目数。" + MEAN_RULE,
        columns=HISTORY_COLUMNS,
        category="year",
        series=HISTORY_SERIES,
        rows=selectors.region_project_history,
        axes=("个", SCORE_UNIT),
        wide=True,
    ),
)

UNIT_CHART = Chart(
    name="scores",
    title="历年部门整体绩效评价得分",
    caption="该单位每个已公开年度的部门整体绩效评价得分。" + GRADE_RULE,
    columns=(
        exports.Column("year", "年度", lambda e: e.year, 8),
        exports.Column("firm", "评价机构", lambda e: e.firm.name if e.firm else "", 36),
        exports.Column("score", "得分", lambda e: e.score, 8),
        exports.Column("grade", "等级", lambda e: e.grade, 6),
    ),
    category="year",
    series=(Series("score", kind="line", symbol="circle"),),
    rows=selectors.unit_score_history,
    axes=(SCORE_UNIT,),
)


@require_safe
@public_page
def year_charts(request, region_code, year):
    region = published_region_or_404(region_code, year)
    return _charts_page(
        request,
        YEAR_CHARTS,
        lambda chart: chart.rows(region=region, year=year),
        file_name=f"{region.name}{year}年",
        context={
            "heading": f"{region.name} {year} 年度评价结果图表",
            "lead": "以下各图均由本年度已公开的评价结果逐项计算得出，每幅图旁附有其全部数字。",
            "crumbs": crumbs(region, year, ("图表", None)),
            "year_nav": year_nav(region, year, "charts"),
        },
    )


@require_safe
@public_page
def region_history(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    # Both read up front: a region without public results answers 404, downloads included.
    rows = {chart.name: chart.rows(region=region) for chart in REGION_CHARTS}
    if not any(rows.values()):
        raise Http404("该区划没有公开的评价结果")
    return _charts_page(
        request,
        REGION_CHARTS,
        lambda chart: rows[chart.name],
        file_name=region.name,
        context={
            "heading": f"{region.name}历年评价结果",
            "lead": "以下各图只计已公开评价结果的年度，由各年度的评价结果逐项计算得出。",
            "crumbs": crumbs(region, None, ("历年评价结果", None)),
        },
    )


@require_safe
@public_page
def unit_history(request, region_code, unit_id):
    history = UNIT_CHART.rows(region_code=region_code, unit_id=unit_id)
    if not history:
        raise Http404(NOT_PUBLIC)
    unit, region = history[0].unit, history[0].region
    unit_url = reverse("evaluations:unit", args=[region.code, unit.pk])
    return _charts_page(
        request,
        (UNIT_CHART,),
        lambda chart: history,
        file_name=unit.name,
        context={
            "heading": f"{unit.name}历年部门整体绩效评价得分",
            "lead": "只列出已公开评价结果的年度。",
            "crumbs": crumbs(region, None, (unit.name, unit_url), ("历年得分", None)),
        },
    )


def _charts_page(
    request, charts: Sequence[Chart], read: Callable[[Chart], list], *, file_name, context
):
    """Render the charts, or with ?chart=<name>&_export=csv|xlsx|json download one chart's
    rows. read(chart) returns a chart's rows: only the charts shown, or the one downloaded,
    are read."""
    export_format = request.GET.get(EXPORT_PARAM)
    if export_format is not None:
        if export_format not in exports.FORMATS:
            return HttpResponseBadRequest("不支持的导出格式，可选：csv、xlsx、json")
        chart = {chart.name: chart for chart in charts}.get(request.GET.get(CHART_PARAM))
        if chart is None:
            return HttpResponseBadRequest("请用 chart 参数指明要下载的图表")
        return download(
            exports.FORMATS[export_format],
            read(chart),
            chart.columns,
            file_name=f"{file_name}{chart.title}",
        )
    items = [_chart_item(request, chart, read(chart)) for chart in charts]
    return render(request, "evaluations/charts.html", {**context, "charts": items})


def _chart_item(request, chart: Chart, rows: list) -> dict:
    """Return what evaluations/_chart.html shows of a chart: its table and its drawing."""
    table = [[column.value(row) for column in chart.columns] for row in rows]
    footer = chart.footer(rows) if chart.footer and rows else None
    return {
        "name": chart.name,
        "title": chart.title,
        "caption": chart.caption,
        "wide": chart.wide,
        "data_id": f"chart-{chart.name}-data",
        "data": _drawing(chart, rows, table),
        "headers": [column.header for column in chart.columns],
        "rows": [[_cell(value) for value in values] for values in table],
        "footer": [
            _cell(footer.get(column.key, "合计" if index == 0 else ""))
            for index, column in enumerate(chart.columns)
        ]
        if footer
        else None,
        "downloads": [
            (label, f"{request.path}?{urlencode({CHART_PARAM: chart.name, EXPORT_PARAM: value})}")
            for value, label in EXPORT_LABELS
        ],
    }


def _drawing(chart: Chart, rows: list, table: list) -> dict:
    """Return the JSON static/js/charts.js draws: categories, series and the table's text
    (each category's tooltip is its table row). Decimals travel as exact strings."""
    columns = {column.key: column for column in chart.columns}
    return {
        "horizontal": chart.horizontal,
        "byGrade": chart.by_grade,
        # A score axis ends at 100, the top of every score.
        "axes": [{"name": unit, "max": 100 if unit == SCORE_UNIT else None} for unit in chart.axes],
        "categories": [str(columns[chart.category].value(row)) for row in rows],
        "series": [
            {
                "name": columns[series.key].header,
                "kind": series.kind,
                "axis": series.axis,
                "stack": series.stack,
                "colour": series.colour,
                "symbol": series.symbol,
                "data": [_json(columns[series.key].value(row)) for row in rows],
            }
            for series in chart.series
        ],
        "headers": [column.header for column in chart.columns],
        "rows": [[_cell(value)[0] for value in values] for values in table],
    }


def _json(value):
    return exact(value) if isinstance(value, Decimal) else value


def _cell(value) -> tuple[str, bool]:
    """Return a table cell's text and whether it is a number (aligned right).

    A score (and a mean or a gap) keeps its 2 places, as on the other public pages; an
    amount (6 places) is shown exact, without trailing zeros, thousands grouped.
    """
    if value is None:
        return "—", False
    if isinstance(value, Decimal):
        if value.as_tuple().exponent == -SCORE_PLACES:
            return str(value), True
        return grouped(value), True
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), True
    return str(value), False


urlpatterns = [
    path("<region:region_code>/<year:year>/charts/", year_charts, name="charts"),
    path("<region:region_code>/history/", region_history, name="region_history"),
    path("<region:region_code>/units/<id:unit_id>/history/", unit_history, name="unit_history"),
]
