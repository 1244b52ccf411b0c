"""The public site in a real browser, on a desktop and on a phone: a citizen finds how their
township scored, how that compares with the year before, and downloads the data.

Every step is checked on both viewports; on the phone the page must never scroll sideways.
Screenshots go to test-artifacts/<test>[<device>]/.
"""

import csv
from decimal import Decimal

import openpyxl
import pytest

from evaluations.models import Unit, UnitEvaluation
from evaluations.workflow import State

from .conftest import ARTIFACTS

SHIBAN = "贵阳市花溪区石板镇人民政府"
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture
def site(transactional_db, huaxi_2021):
    """The bundled 2021 tables, and 石板镇 also evaluated (and released) in 2020."""
    unit = Unit.objects.get(name=SHIBAN)
    UnitEvaluation.objects.create(
        region=huaxi_2021, year=2020, unit=unit, score=Decimal("82.00"), state=State.RELEASED
    )
    return huaxi_2021


@pytest.fixture(params=list(DEVICES))
def visitor(request, browser, live_server, site):
    """A page on the device of the test's parameter, with the site's address and a camera."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **DEVICES[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    folder = ARTIFACTS / request.node.name

    def shot(step):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{step}.png"), full_page=True)

    def check_layout():
        """On every device: nothing wider than the window (no sideways page scrolling)."""
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways"

    page.base = live_server.url
    page.device = request.param
    page.shot = shot
    page.check_layout = check_layout
    yield page
    context.close()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {
                tag: e.tagName.toLowerCase(), id: e.id, text: e.innerText || "",
                href: e.getAttribute("href") || "",
                inResults: !!e.closest("table.results tbody"),
                outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
                left: e.getBoundingClientRect().left,
            };
        }"""
    )


def tab_until(page, condition, *, limit=60) -> dict:
    """Press Tab until the focused element meets the condition; return it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if condition(element):
            return element
    raise AssertionError(f"Tab never reached the element; last focused: {element}")


def table_rows(page) -> list[list[str]]:
    """Return the text of each cell of each row of the page's results table."""
    return page.eval_on_selector_all(
        "table.results tbody tr",
        "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))",
    )


def test_the_overview_shows_the_year_at_a_glance(visitor):
    page = visitor
    page.goto(f"{page.base}/520111/2021/")
    assert page.title() == "花溪区 2021 年度预算绩效评价结果 · 预算绩效管理与公开系统"
    assert page.locator("h1").inner_text() == "花溪区 2021 年度预算绩效评价结果"
    figures = page.locator("#units-heading + dl.figures").inner_text()
    assert "67" in figures and "96" in figures
    assert page.locator(".site-search input[name=q]").is_visible()
    page.check_layout()
    page.shot("overview")


def test_the_units_table_filtered_downloads_exactly_its_rows(visitor, tmp_path):
    page = visitor
    page.goto(f"{page.base}/520111/2021/units/")
    page.select_option("#id_grade", "良")
    page.select_option("#id_kind", "township")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/units/?*grade=*")
    assert "共 9 条" in page.locator(".table-meta .count").inner_text()
    shown = table_rows(page)
    assert len(shown) == 9
    assert {row[2] for row in shown} == {"乡镇"} and {row[4] for row in shown} == {"良"}
    page.check_layout()
    page.shot("units-filtered")

    with page.expect_download() as csv_download:
        page.click(".downloads a:text-is('CSV')")
    path = csv_download.value.path()
    with open(path, encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == ["评价机构", "被评单位", "单位类型", "得分", "等级"]
    assert [row[1] for row in rows] == [row[1] for row in shown]
    assert [Decimal(row[3]) for row in rows] == [Decimal(row[3]) for row in shown]

    with page.expect_download() as xlsx_download:
        page.click(".downloads a:text-is('Excel（XLSX）')")
    name = xlsx_download.value.suggested_filename
    assert name == "花溪区2021年部门整体绩效评价结果.xlsx"
    xlsx_download.value.save_as(tmp_path / name)
    sheet = openpyxl.load_workbook(tmp_path / name).active
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in cells] == [row[1] for row in shown]
    assert [Decimal(str(row[3])) for row in cells] == [Decimal(row[3]) for row in shown]


def test_a_search_finds_the_township_and_its_history_compares_the_years(visitor):
    page = visitor
    page.goto(f"{page.base}/")
    page.fill("#site-search-q", "石板")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    result = page.locator("table.search-results tbody tr", has_text=SHIBAN)
    text = " ".join(result.inner_text().split())
    assert "2021 年度" in text and "83.50" in text and "良" in text
    assert "2020 年度 82.00 分， 上升 1.50 分" in text or "2020 年度 82.00 分，上升 1.50 分" in text
    page.check_layout()
    page.shot("search")

    result.get_by_role("link", name=SHIBAN).click()
    page.wait_for_url("**/520111/units/*/")
    assert page.locator("h1").inner_text() == SHIBAN
    years = [row[0] for row in table_rows(page)]
    assert years[:2] == ["2021 年度", "2020 年度"]
    page.check_layout()
    page.shot("history")


def test_the_download_page_says_what_each_file_holds(visitor):
    page = visitor
    page.goto(f"{page.base}/520111/2021/downloads/")
    dictionary = page.locator("table.dictionary", has_text="部门整体绩效评价结果：字段说明")
    assert "第三方机构评价得分" in dictionary.inner_text()
    with page.expect_download() as download:
        page.click("#units .download-links a:has-text('CSV')")
    assert download.value.suggested_filename == "花溪区2021年部门整体绩效评价结果.csv"
    page.check_layout()
    page.shot("downloads")


def test_the_keyboard_alone_reaches_the_search_box_and_a_table_link(visitor):
    page = visitor
    page.goto(f"{page.base}/520111/2021/units/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["href"], skip["left"] >= 0, skip["outline"]) == ("#main", True, True)
    page.shot("skip-link")

    box = tab_until(page, lambda element: element["id"] == "site-search-q")
    assert box["outline"]
    page.keyboard.type("石板")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    link = tab_until(page, lambda element: element["inResults"] and element["tag"] == "a")
    assert link["text"] == SHIBAN and link["outline"]
    page.shot("search-link-focused")
    page.keyboard.press("Enter")
    page.wait_for_url("**/520111/units/*/")

    page.goto(f"{page.base}/520111/2021/units/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: on to the page's own content
    link = tab_until(page, lambda element: element["inResults"] and element["tag"] == "a")
    assert link["text"] == "贵阳市花溪区财政局"
    page.shot("table-link-focused")
    page.keyboard.press("Enter")
    page.wait_for_url("**/520111/units/*/")
    assert page.locator("h1").inner_text() == "贵阳市花溪区财政局"
    page.check_layout()
