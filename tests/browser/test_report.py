"""The 2021 annual report in a real browser: on a desktop, on a phone, printed, and its
.docx downloaded from the page."""

import pytest
from docx import Document

from evaluations.services.report import report_texts_load
from tests.browser.conftest import ARTIFACTS
from tests.report.conftest import NARRATIVE

PATH = "/520111/2021/report/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def report_url(live_server, huaxi_2021):
    report_texts_load(region=huaxi_2021, year=2021, path=NARRATIVE)
    return f"{live_server.url}{PATH}"


def overflows(page) -> bool:
    """Return True if the page itself scrolls sideways (a table may, inside its frame)."""
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_the_report_reads_on_a_desktop_and_prints_on_a4(page, screenshot, report_url, request):
    page.goto(report_url)

    assert page.locator("h1").inner_text() == "关于2021年度花溪区财政支出绩效情况的报告"
    assert page.locator("table.report-units tbody tr").count() == 67
    assert page.locator("table.report-projects tbody tr").count() == 35
    assert page.get_by_text("9,298.22276万元（约9,298.22万元）", exact=True).is_visible()
    assert not overflows(page)
    screenshot("desktop")

    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".report-actions").is_hidden()
    first_table = page.locator(".report-table-wrap").first
    assert first_table.evaluate("el => getComputedStyle(el).breakBefore") == "page"
    screenshot("print")
    page.pdf(path=str(ARTIFACTS / request.node.name / "report.pdf"), prefer_css_page_size=True)


def test_the_report_reads_on_a_phone(browser, report_url, request):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    phone.goto(report_url)

    assert phone.locator("h1").is_visible()
    assert not overflows(phone)
    frame = phone.locator(".report-table-wrap").first
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls in it
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(folder / "phone.png"), full_page=True)
    context.close()


def test_the_docx_downloads_from_the_page(page, report_url, tmp_path):
    page.goto(report_url)
    with page.expect_download() as download:
        page.click("a.report-download")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    assert saved.name == "关于2021年度花溪区财政支出绩效情况的报告.docx"
    assert [len(table.rows) for table in Document(saved).tables] == [1 + 67, 1 + 35 + 1]
