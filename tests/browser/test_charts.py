"""The charts in a real browser, on a desktop and on a phone: each is drawn by ECharts from
its JSON, under the site's content security policy, with the numbers of the table beside it.

Screenshots go to test-artifacts/<test name>/.
"""

import json
from decimal import Decimal

import pytest

from evaluations.models import Firm, Unit, UnitEvaluation
from evaluations.workflow import State
from tests.views.builders import add_projects, add_units

from .conftest import ARTIFACTS

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
YEAR_CHARTS = [
    "unit_grades",
    "project_grades",
    "score_bands",
    "funds_by_grade",
    "firm_scores",
    "self_vs_third_party",
]

# Record every violation of the content security policy before any of the page's own
# scripts run; Chromium also reports each one on the console as an error.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""

# What ECharts drew: each chart's series as the chart instance holds them.
DRAWN = """
(element) => echarts.getInstanceByDom(element).getOption().series.map((series) => ({
  name: series.name,
  values: series.data.map((item) => (item === null || item.value === null ? null : item.value)),
}))
"""


class Visit:
    """A visitor's browser at one viewport, watching for errors and policy violations."""

    def __init__(self, browser, viewport, folder):
        self.context = browser.new_context(
            locale="zh-CN", reduced_motion="reduce", **VIEWPORTS[viewport]
        )
        self.context.add_init_script(WATCH_POLICY)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors = []
        self.page.on("console", self.console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.viewport = viewport
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def console(self, message):
        # The site has no favicon yet (templates/base.html): the browser's own request for
        # /favicon.ico is not the page's error.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({message.location['url']})")

    def open(self, url):
        response = self.page.goto(url)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]

    def wait_for_charts(self, count):
        self.page.wait_for_function(
            "(count) => document.querySelectorAll('.chart-canvas[data-drawn=true] canvas')"
            ".length === count",
            arg=count,
        )

    def assert_clean(self):
        violations = self.page.evaluate("window.__violations")
        assert violations == [], violations
        assert self.errors == [], self.errors

    def assert_fits_the_screen(self):
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

    def shot(self, step):
        self.page.screenshot(path=str(self.folder / f"{step}-{self.viewport}.png"), full_page=True)

    def close(self):
        self.context.close()


def number(text):
    return None if text in ("", "—") else Decimal(text.replace(",", ""))


def assert_drawn_as_tabled(chart):
    """The chart has its caption and accessible name, ECharts drew a non-empty canvas, and
    every value drawn is the number in the table beside it."""
    canvas = chart.locator(".chart-canvas")
    assert chart.locator("figcaption").inner_text().strip()
    assert canvas.get_attribute("role") == "img"
    assert canvas.get_attribute("aria-label")
    box = canvas.locator("canvas").first.bounding_box()
    assert box["width"] > 200 and box["height"] > 200
    headers = chart.locator("table thead th").all_inner_texts()
    rows = [
        row.locator("th, td").all_inner_texts() for row in chart.locator("table tbody tr").all()
    ]
    drawn = canvas.evaluate(DRAWN)
    assert drawn
    for series in drawn:
        column = headers.index(series["name"])
        shown = [number(row[column]) for row in rows]
        values = [None if value is None else Decimal(str(value)) for value in series["values"]]
        assert values == shown, series["name"]
    data = json.loads(chart.locator("script[type='application/json']").text_content())
    assert data["rows"] == rows


@pytest.fixture
def visit(browser, request):
    visits = []

    def open_visit(viewport):
        visits.append(Visit(browser, viewport, ARTIFACTS / request.node.name))
        return visits[-1]

    yield open_visit
    for each in visits:
        each.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_years_charts_are_drawn_with_their_numbers(live_server, huaxi_2021, visit, viewport):
    visitor = visit(viewport)
    visitor.open(f"{live_server.url}/520111/2021/charts/")
    visitor.wait_for_charts(len(YEAR_CHARTS))

    for name in YEAR_CHARTS:
        chart = visitor.page.locator(f"#chart-{name}")
        assert_drawn_as_tabled(chart)
        chart.screenshot(path=str(visitor.folder / f"{name}-{viewport}.png"))
    grades = visitor.page.locator("#chart-unit_grades table tbody tr").all_inner_texts()
    assert [row.split() for row in grades] == [["优", "28"], ["良", "39"], ["中", "0"], ["差", "0"]]
    funds = visitor.page.locator("#chart-funds_by_grade tfoot").inner_text().split()
    assert funds == ["合计", "29", "35", "9,298.22276"]

    visitor.assert_fits_the_screen()
    visitor.assert_clean()
    visitor.shot("charts")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_history_charts_are_drawn_with_their_numbers(live_server, huaxi_2021, visit, viewport):
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
    visitor = visit(viewport)
    for step, path, count in (
        ("region-history", "/520111/history/", 2),
        ("unit-history", f"/520111/units/{finance.pk}/history/", 1),
    ):
        visitor.open(f"{live_server.url}{path}")
        visitor.wait_for_charts(count)
        for chart in visitor.page.locator("section.chart").all():
            assert_drawn_as_tabled(chart)
        visitor.assert_fits_the_screen()
        visitor.assert_clean()
        visitor.shot(step)


def test_the_overview_grade_bars_are_sized_without_inline_styles(live_server, huaxi_2021, visit):
    visitor = visit("phone")
    visitor.open(f"{live_server.url}/520111/2021/")
    bar = visitor.page.locator(".bar").first
    widths = bar.locator("[data-share]").evaluate_all(
        "(parts) => parts.map((part) => part.getBoundingClientRect().width)"
    )
    total = bar.evaluate("(element) => element.getBoundingClientRect().width")
    # 28 and 39 of 67 units: 42 % and 58 % of the bar.
    assert [round(width / total * 100) for width in widths] == [42, 58]
    visitor.assert_fits_the_screen()
    visitor.assert_clean()
    visitor.shot("overview")
