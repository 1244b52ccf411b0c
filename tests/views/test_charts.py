"""Charts: each selector's figures for 花溪区 2021, the pages drawing them with their tables,
the downloads holding exactly the charts' numbers, query budgets, and the content security
policy the pages run under."""

import csv
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.selectors import charts
from evaluations.services.imports import region_ensure
from evaluations.workflow import State

from .builders import add_projects, add_units

pytestmark = pytest.mark.django_db

CHARTS = "/520111/2021/charts/"
HISTORY = "/520111/history/"
YEAR_CHARTS = [
    "unit_grades",
    "project_grades",
    "score_bands",
    "funds_by_grade",
    "firm_scores",
    "self_vs_third_party",
]
FIRMS_2021 = [
    # firm, count, mean, lowest, highest: the most lenient first
    ("贵州诚隆会计师事务所有限公司", 15, "90.59", "86.00", "93.50"),
    ("贵州普诚舜天会计师事务所有限责任公司", 14, "90.34", "80.34", "96.00"),
    ("贵州汇隆会计师事务所有限公司", 17, "89.37", "85.50", "93.50"),
    ("贵州恒正信德会计师事务所有限公司", 18, "85.36", "80.35", "91.00"),
    ("北京信府科技有限责任公司", 3, "82.94", "80.20", "85.41"),
]


def scope(region, year=2021):
    return {"region": region, "year": year}


# The selectors, on the bundled 2021 tables.


def test_units_are_28_excellent_and_39_good(huaxi_2021):
    assert charts.unit_grade_distribution(**scope(huaxi_2021)) == [
        {"grade": "优", "count": 28},
        {"grade": "良", "count": 39},
        {"grade": "中", "count": 0},
        {"grade": "差", "count": 0},
    ]


def test_projects_are_21_excellent_and_8_good(huaxi_2021):
    counts = charts.project_grade_distribution(**scope(huaxi_2021))
    assert [(row["grade"], row["count"]) for row in counts] == [
        ("优", 21),
        ("良", 8),
        ("中", 0),
        ("差", 0),
    ]


def test_scores_fall_in_the_top_two_bands(huaxi_2021):
    assert charts.score_distribution(**scope(huaxi_2021)) == [
        {"band": "60 分以下", "units": 0, "projects": 0},
        {"band": "60–70", "units": 0, "projects": 0},
        {"band": "70–80", "units": 0, "projects": 0},
        {"band": "80–90", "units": 39, "projects": 8},
        {"band": "90–100", "units": 28, "projects": 21},
    ]


def test_a_band_holds_its_lower_edge_and_the_top_band_holds_100(huaxi):
    unit = Unit.objects.create(region=huaxi, name="甲单位", kind="department")
    scores = ["0", "59.99", "60.00", "69.99", "70.00", "79.99", "80.00", "89.99", "90.00", "100"]
    for number, score in enumerate(scores, start=1):
        Project.objects.create(
            region=huaxi,
            year=2022,
            number=number,
            name=f"项目{number}",
            unit=unit,
            score=Decimal(score),
            state=State.RELEASED,
        )
    bands = charts.score_distribution(**scope(huaxi, 2022))
    assert [row["projects"] for row in bands] == [2, 2, 2, 2, 2]


def test_funds_by_grade_are_exact_and_add_up_to_the_years_funds(huaxi_2021):
    rows = charts.funds_by_grade(**scope(huaxi_2021))
    assert rows == [
        {"grade": "优", "projects": 21, "lines": 27, "funds": Decimal("6520.40096")},
        {"grade": "良", "projects": 8, "lines": 8, "funds": Decimal("2777.8218")},
        {"grade": "中", "projects": 0, "lines": 0, "funds": Decimal("0")},
        {"grade": "差", "projects": 0, "lines": 0, "funds": Decimal("0")},
    ]
    assert sum(row["funds"] for row in rows) == Decimal("9298.22276")
    assert sum(row["lines"] for row in rows) == 35


def test_each_of_the_five_firms_has_its_count_mean_lowest_and_highest(huaxi_2021):
    rows = charts.firm_scores(**scope(huaxi_2021))
    assert [
        (row["firm"], row["count"], str(row["mean"]), str(row["lowest"]), str(row["highest"]))
        for row in rows
    ] == FIRMS_2021
    assert sum(row["count"] for row in rows) == 67


def test_a_firms_mean_is_rounded_half_up(huaxi):
    firm = Firm.objects.create(name="甲评价公司")
    for name, score in (("甲", "80.00"), ("乙", "80.01")):
        unit = Unit.objects.create(region=huaxi, name=name, kind="department")
        UnitEvaluation.objects.create(
            region=huaxi,
            year=2022,
            unit=unit,
            firm=firm,
            score=Decimal(score),
            state=State.RELEASED,
        )
    # 80.005: half-up gives 80.01 where banker's rounding would give 80.00.
    assert charts.firm_scores(**scope(huaxi, 2022))[0]["mean"] == Decimal("80.01")


def test_each_project_has_its_self_score_third_party_score_and_gap(huaxi_2021):
    rows = {row["number"]: row for row in charts.self_and_third_party_scores(**scope(huaxi_2021))}
    assert list(rows) == list(range(1, 30))
    keys = ("lines", "self_score", "score", "gap")
    pick = {number: tuple(rows[number][key] for key in keys) for number in (1, 2, 5, 7, 10, 24)}
    assert pick == {
        1: (1, Decimal("100.00"), Decimal("96.50"), Decimal("-3.50")),
        2: (1, Decimal("83.00"), Decimal("87.75"), Decimal("4.75")),
        # (476.604 × 99.90 + 556.892 × 99.25) ÷ 1,033.496 = 99.5498…
        5: (2, Decimal("99.55"), Decimal("91.13"), Decimal("-8.42")),
        # (60.08 × 97 + 80 × 95) ÷ 140.08 = 95.8578…
        7: (2, Decimal("95.86"), Decimal("95.74"), Decimal("-0.12")),
        10: (1, Decimal("100.00"), Decimal("80.31"), Decimal("-19.69")),
        24: (4, Decimal("100.00"), Decimal("94.50"), Decimal("-5.50")),
    }
    assert all(row["gap"] == row["score"] - row["self_score"] for row in rows.values())
    assert sum(row["lines"] for row in rows.values()) == 35


def test_a_project_whose_lines_have_no_funds_takes_their_plain_mean():
    lines = [(Decimal("0"), Decimal("90.00")), (Decimal("0"), Decimal("95.01"))]
    assert charts.weighted_self_score(lines) == Decimal("92.51")


@pytest.fixture
def two_years(huaxi_2021):
    """花溪区 2021 and ten units and ten projects in 2022, all 中 (60.25–69.25, 70.5–79.5);
    the finance bureau evaluated in both years."""
    add_units(huaxi_2021, 2022, 10)
    add_projects(huaxi_2021, 2022, 10)
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    UnitEvaluation.objects.create(
        region=huaxi_2021,
        year=2022,
        unit=finance,
        firm=Firm.objects.first(),
        score=Decimal("88.80"),
        state=State.RELEASED,
    )
    return huaxi_2021


GRADES = ("excellent", "good", "fair", "poor")


def year_row(year, count, mean, *grades):
    grade_counts = dict(zip(GRADES, grades, strict=True))
    return {"year": year, "count": count, "mean": Decimal(mean), **grade_counts}


def test_the_region_history_has_both_years(two_years):
    assert charts.region_unit_history(region=two_years) == [
        year_row(2021, 67, "88.48", 28, 39, 0, 0),
        # (60.25 + 61.25 + … + 69.25 + 88.80) ÷ 11 = 66.9363…
        year_row(2022, 11, "66.94", 0, 1, 10, 0),
    ]
    assert charts.region_project_history(region=two_years) == [
        year_row(2021, 29, "91.76", 21, 8, 0, 0),
        year_row(2022, 10, "75.00", 0, 0, 10, 0),
    ]


def test_a_units_history_runs_oldest_year_first(two_years):
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    history = charts.unit_score_history(region_code="520111", unit_id=finance.pk)
    assert [(e.year, e.score, e.grade) for e in history] == [
        (2021, Decimal("96.00"), "优"),
        (2022, Decimal("88.80"), "良"),
    ]


def test_unreleased_records_are_in_no_chart(two_years):
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    UnitEvaluation.objects.create(
        region=two_years, year=2023, unit=finance, score=Decimal("12.00"), state=State.SCORED
    )
    project = Project.objects.create(
        region=two_years,
        year=2021,
        number=99,
        name="未公开项目",
        score=Decimal("10"),
        state=State.APPROVED,
    )
    FundingLine.objects.create(
        project=project, position=1, label="未公开项目", amount=Decimal("5"), self_score=90
    )
    assert charts.unit_grade_distribution(**scope(two_years))[3]["count"] == 0
    assert charts.project_grade_distribution(**scope(two_years))[3]["count"] == 0
    assert sum(row["funds"] for row in charts.funds_by_grade(**scope(two_years))) == Decimal(
        "9298.22276"
    )
    assert 99 not in [
        row["number"] for row in charts.self_and_third_party_scores(**scope(two_years))
    ]
    assert [row["year"] for row in charts.region_unit_history(region=two_years)] == [2021, 2022]
    history = charts.unit_score_history(region_code="520111", unit_id=finance.pk)
    assert [e.year for e in history] == [2021, 2022]


# The pages: each chart with its caption, its JSON, its table and its downloads.


class ChartReader(HTMLParser):
    """Read each chart section of a page: its caption, JSON block, table rows and links."""

    def __init__(self):
        super().__init__()
        self.charts, self.current, self.cell, self.script, self.in_body = (
            {},
            None,
            None,
            None,
            False,
        )
        self.caption = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("chart-"):
            self.current = {"rows": [], "links": [], "caption": "", "label": "", "data": None}
            self.charts[attrs["id"].removeprefix("chart-")] = self.current
        elif self.current is None:
            return
        elif tag == "div" and "data-chart" in attrs:
            self.current["label"] = attrs["aria-label"]
        elif tag == "figcaption":
            self.caption = []
        elif tag == "script" and attrs.get("type") == "application/json":
            self.script = []
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.current["rows"].append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []
        elif tag == "a" and "download" in attrs:
            self.current["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "figcaption":
            self.current["caption"], self.caption = "".join(self.caption), None
        elif tag == "script" and self.script is not None:
            self.current["data"], self.script = json.loads("".join(self.script)), None
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.current["rows"][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        for buffer in (self.caption, self.script, self.cell):
            if buffer is not None:
                buffer.append(data)


def read_charts(response):
    assert response.status_code == 200
    reader = ChartReader()
    reader.feed(response.content.decode())
    return reader.charts


def value(cell):
    """Return a cell as the table, the CSV, the XLSX and the JSON all mean it: a number as a
    Decimal (96.00 == 96, thousands separators dropped), an empty cell as None, text as is."""
    if cell is None or cell in ("", "—"):
        return None
    if isinstance(cell, int | float):
        return Decimal(str(cell))
    plain = cell.replace(",", "")
    return Decimal(plain) if re.fullmatch(r"-?\d+(\.\d+)?", plain) else cell


def test_each_drawing_holds_exactly_its_tables_numbers(client, huaxi_2021):
    for name, chart in read_charts(client.get(CHARTS)).items():
        data = chart["data"]
        assert data["rows"] == chart["rows"], name
        assert len(data["categories"]) == len(chart["rows"]), name
        for series in data["series"]:
            column = data["headers"].index(series["name"])
            shown = [value(row[column]) for row in chart["rows"]]
            assert [value(drawn) for drawn in series["data"]] == shown, (name, series["name"])


def download(client, page, name, export_format):
    response = client.get(page, {"chart": name, "_export": export_format})
    assert response.status_code == 200, response.content[:200]
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.mark.parametrize("name", YEAR_CHARTS)
def test_each_download_holds_exactly_the_charts_numbers(client, huaxi_2021, name):
    chart = read_charts(client.get(CHARTS))[name]
    shown = [[value(cell) for cell in row] for row in chart["rows"]]

    rows = csv_rows(download(client, CHARTS, name, "csv"))
    assert rows[0] == chart["data"]["headers"]
    assert [[value(cell) for cell in row] for row in rows[1:]] == shown

    sheet = openpyxl.load_workbook(io.BytesIO(download(client, CHARTS, name, "xlsx").content))
    cells = list(sheet.active.values)
    assert list(cells[0]) == chart["data"]["headers"]
    assert [[value(cell) for cell in row] for row in cells[1:]] == shown
    numbers = [cell for row in cells[1:] for cell in row if not isinstance(cell, str)]
    assert numbers and all(isinstance(cell, int | float) for cell in numbers)

    items = json.loads(download(client, CHARTS, name, "json").content)
    # Every Decimal an exact string, every count a number.
    assert [[value(item) for item in row.values()] for row in items] == shown


def test_the_funds_download_has_the_exact_sums(client, huaxi_2021):
    rows = csv_rows(download(client, CHARTS, "funds_by_grade", "csv"))
    assert rows == [
        ["等级", "项目数（个）", "资金明细（项）", "年度项目资金（万元）"],
        ["优", "21", "27", "6520.40096"],
        ["良", "8", "8", "2777.8218"],
        ["中", "0", "0", "0"],
        ["差", "0", "0", "0"],
    ]
    items = json.loads(download(client, CHARTS, "firm_scores", "json").content)
    assert items[0] == {
        "firm": "贵州诚隆会计师事务所有限公司",
        "count": 15,
        "mean": "90.59",
        "lowest": "86",
        "highest": "93.5",
    }


def test_a_download_is_named_after_its_chart(client, huaxi_2021):
    response = download(client, CHARTS, "firm_scores", "csv")
    assert "%E5%90%84%E7%AC%AC%E4%B8%89%E6%96%B9" in response["Content-Disposition"]  # 各第三方
    assert response["Content-Disposition"].endswith(".csv")


@pytest.mark.parametrize(
    "params",
    [
        {"chart": "unit_grades", "_export": "pdf"},
        {"_export": "csv"},
        {"chart": "x", "_export": "csv"},
    ],
)
def test_a_bad_download_request_is_refused(client, huaxi_2021, params):
    assert client.get(CHARTS, params).status_code == 400


def test_the_region_history_page_draws_both_years(client, two_years):
    page = read_charts(client.get(HISTORY))
    assert list(page) == ["unit_history", "project_history"]
    assert page["unit_history"]["rows"] == [
        ["2021", "67", "88.48", "28", "39", "0", "0"],
        ["2022", "11", "66.94", "0", "1", "10", "0"],
    ]
    rows = csv_rows(download(client, HISTORY, "project_history", "csv"))
    assert rows[1:] == [
        ["2021", "29", "91.76", "21", "8", "0", "0"],
        ["2022", "10", "75", "0", "0", "10", "0"],
    ]


def test_a_units_history_page_draws_its_years(client, two_years):
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    page = read_charts(client.get(f"/520111/units/{finance.pk}/history/"))
    firm = Firm.objects.first().name
    assert page["scores"]["rows"] == [
        ["2021", "贵州普诚舜天会计师事务所有限责任公司", "96.00", "优"],
        ["2022", firm, "88.80", "良"],
    ]


@pytest.mark.parametrize(
    "path", ["/520111/2019/charts/", "/520199/history/", "/520111/units/999999/history/"]
)
def test_nothing_public_answers_404(client, huaxi_2021, path):
    assert client.get(path).status_code == 404


def test_an_unreleased_units_history_answers_404(client, huaxi_2021):
    unit = Unit.objects.create(region=huaxi_2021, name="未公开单位", kind="department")
    UnitEvaluation.objects.create(
        region=huaxi_2021, year=2021, unit=unit, score=Decimal("70"), state=State.SCORED
    )
    assert client.get(f"/520111/units/{unit.pk}/history/").status_code == 404


def test_the_overview_region_and_unit_pages_link_to_their_charts(client, huaxi_2021):
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    assert 'href="/520111/2021/charts/"' in client.get("/520111/2021/").content.decode()
    assert 'href="/520111/history/"' in client.get("/520111/").content.decode()
    unit_page = client.get(f"/520111/units/{finance.pk}/").content.decode()
    assert f'href="/520111/units/{finance.pk}/history/"' in unit_page


# Query budgets: the same for 10 rows as for 1,000.

SMALL, LARGE = "520101", "520102"
# The page: the region (1) + unit grades (1) + project grades (1) + score bands (2)
# + funds by grade (1) + firms (1) + self and third-party scores (1); a download: the
# region + its chart's queries.
PAGE_BUDGET = 8
DOWNLOAD_BUDGETS = {
    "unit_grades": 2,
    "project_grades": 2,
    "score_bands": 3,
    "funds_by_grade": 2,
    "firm_scores": 2,
    "self_vs_third_party": 2,
}


@pytest.fixture
def sizes(db):
    for code, name, size in ((SMALL, "小区", 10), (LARGE, "大区", 1000)):
        region = region_ensure(code=code, name=name)
        for year in (2020, 2021):
            add_units(region, year, size, prefix=f"单位{year}")
            add_projects(region, year, size)


def queries(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


def test_the_charts_page_runs_the_same_queries_for_10_rows_and_1000(client, sizes):
    assert (
        queries(client, f"/{SMALL}/2021/charts/")
        == queries(client, f"/{LARGE}/2021/charts/")
        == PAGE_BUDGET
    )


@pytest.mark.parametrize(("name", "budget"), DOWNLOAD_BUDGETS.items())
def test_a_download_runs_only_its_charts_queries(client, sizes, name, budget):
    params = {"chart": name, "_export": "xlsx"}
    assert (
        queries(client, f"/{SMALL}/2021/charts/", params)
        == queries(client, f"/{LARGE}/2021/charts/", params)
        == budget
    )


def test_the_history_pages_run_the_same_queries_for_10_rows_and_1000(client, sizes):
    # The region (1) + units by year (1) + projects by year (1); a unit: its evaluations (1).
    assert queries(client, f"/{SMALL}/history/") == queries(client, f"/{LARGE}/history/") == 3
    small, large = (
        Unit.objects.filter(region__code=code).order_by("pk").first().pk for code in (SMALL, LARGE)
    )
    assert (
        queries(client, f"/{SMALL}/units/{small}/history/")
        == queries(client, f"/{LARGE}/units/{large}/history/")
        == 1
    )


# Content security policy: the header, and nothing inline for it to refuse.

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def public_pages(region):
    finance = Unit.objects.get(name="贵阳市花溪区财政局")
    return [
        "/",
        "/520111/",
        "/520111/2021/",
        "/520111/2021/units/",
        "/520111/2021/projects/",
        "/520111/2021/projects/5/",
        f"/520111/units/{finance.pk}/",
        CHARTS,
        HISTORY,
        f"/520111/units/{finance.pk}/history/",
    ]


def test_public_pages_carry_the_policy(client, huaxi_2021):
    for path in [*public_pages(huaxi_2021), "/520111/2021/summary.json", "/nowhere/"]:
        header = client.get(path)["Content-Security-Policy"]
        directives = {directive.strip() for directive in header.split(";")}
        assert directives == set(POLICY), path
        assert "unsafe" not in header


INLINE = [
    (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", "an inline script"),
    (r"<style\b", "a <style> block"),
    (r"\sstyle=", "a style attribute"),
    (r"\son[a-z]+=", "an event-handler attribute"),
    (r"javascript:", "a javascript: URL"),
]


def test_public_pages_have_nothing_inline(client, huaxi_2021):
    for path in public_pages(huaxi_2021):
        body = client.get(path).content.decode()
        for pattern, what in INLINE:
            assert not re.search(pattern, body), f"{path} has {what}"


def test_chart_pages_load_echarts_from_this_site_only(client, huaxi_2021):
    body = client.get(CHARTS).content.decode()
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', body)
    assert sources == ["/static/vendor/echarts/echarts.min.js", "/static/js/charts.js"]


def test_the_admin_alone_has_a_looser_policy(client, huaxi_2021):
    # Its templates hold inline styles and an inline handler (perfmgmt/security.py).
    admin = client.get("/admin/login/")["Content-Security-Policy"]
    public = client.get("/520111/2021/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin
    assert "'unsafe-inline'" not in public


def test_a_region_without_public_results_has_no_history(client, huaxi_2021):
    region = region_ensure(code="520113", name="白云区")
    unit = Unit.objects.create(region=region, name="未公开单位", kind="department")
    UnitEvaluation.objects.create(
        region=region, year=2021, unit=unit, score=Decimal("70"), state=State.APPROVED
    )
    assert client.get("/520113/history/").status_code == 404
    assert (
        client.get("/520113/history/", {"chart": "unit_history", "_export": "csv"}).status_code
        == 404
    )
