"""/<region>/<year>/downloads/: every file of the year, what it holds, and every field of it.

The data dictionary is checked against the files themselves: each column a download writes
is described, in the file's order, and nothing else is.
"""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import data_dictionary, exports
from evaluations.data_dictionary import PROJECTS, TABLE_DOWNLOADS, UNITS
from evaluations.models import Project, UnitEvaluation
from evaluations.views.application import ApplicationTable
from evaluations.views.charts import YEAR_CHARTS
from evaluations.workflow import State

from .builders import add_projects, add_units
from .markup import table
from .pages import page_text, url

pytestmark = pytest.mark.django_db

DOWNLOADS = url("520111", 2021, "downloads/")
UNITS_URL = url("520111", 2021, "units/")
PROJECTS_URL = url("520111", 2021, "projects/")


def dictionary_rows(response, caption):
    """Return the cells of each row of the dictionary table with this caption."""
    return table(response, caption).rows


def test_it_describes_every_column_of_the_units_download_in_its_order(client, huaxi_2021):
    response = client.get(DOWNLOADS)
    csv_header = next(
        csv.reader(
            io.StringIO(client.get(UNITS_URL, {"_export": "csv"}).getvalue().decode("utf-8-sig"))
        )
    )
    json_keys = list(json.loads(client.get(UNITS_URL, {"_export": "json"}).content)[0])
    rows = dictionary_rows(response, "部门整体绩效评价结果：字段说明")
    assert (
        [row[0] for row in rows]
        == csv_header
        == ["评价机构", "被评单位", "单位类型", "得分", "等级"]
    )
    assert [row[1] for row in rows] == json_keys
    assert rows[3] == ["得分", "score", "第三方机构评价得分", data_dictionary.SCORE, "分", "83.5"]


def test_it_describes_every_column_of_the_projects_download_in_its_order(client, huaxi_2021):
    response = client.get(DOWNLOADS)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(PROJECTS_URL, {"_export": "xlsx"}).content)
    ).active
    xlsx_header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    json_keys = list(json.loads(client.get(PROJECTS_URL, {"_export": "json"}).content)[0])
    rows = dictionary_rows(response, "重点项目绩效评价结果：字段说明")
    assert [row[0] for row in rows] == xlsx_header
    assert [row[1] for row in rows] == json_keys
    assert rows[3][2:5] == ["该笔资金的年度项目资金", data_dictionary.AMOUNT, "万元"]


ALL_DOWNLOADS = (
    *TABLE_DOWNLOADS,
    *data_dictionary.chart_downloads(YEAR_CHARTS),
    data_dictionary.application_download(ApplicationTable.export_columns),
)


@pytest.mark.parametrize("download", ALL_DOWNLOADS, ids=lambda download: download.slug)
def test_every_exported_column_is_described_and_nothing_else(download):
    assert set(download.fields) == {column.key for column in download.columns}
    assert all(field.meaning and field.type and field.example for field in download.fields.values())


@pytest.mark.parametrize("chart", YEAR_CHARTS, ids=lambda chart: chart.name)
def test_each_chart_download_is_linked_and_described_column_by_column(client, huaxi_2021, chart):
    response = client.get(DOWNLOADS)
    body = response.content.decode()
    link = f"/520111/2021/charts/?chart={chart.name}&_export="
    for export_format in ("csv", "xlsx", "json"):
        assert f'href="{link.replace("&", "&amp;")}{export_format}" download' in body
    download = client.get(f"{link}csv")
    header = next(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    rows = dictionary_rows(response, f"图表数据：{chart.title}：字段说明")
    assert [row[0] for row in rows] == header
    assert f"{chart.caption}在网页上查看" in page_text(response)


def test_the_result_application_download_is_linked_and_described(client, huaxi_2021):
    response = client.get(DOWNLOADS)
    body = response.content.decode()
    assert 'href="/520111/2021/application/?_export=csv" download' in body
    assert 'href="/520111/2021/application/?_export=xlsx" download' in body
    assert "/520111/2021/application/?_export=json" not in body
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/520111/2021/application/", {"_export": "xlsx"}).content)
    ).active
    rows = dictionary_rows(response, "评价结果应用：字段说明")
    assert [row[0] for row in rows] == [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    # No JSON download, so no JSON key column: 列名, 含义, 类型, 单位, 示例.
    assert len(rows[0]) == 5


def test_it_links_the_annual_report_document(client, huaxi_2021):
    body = client.get(DOWNLOADS).content.decode()
    assert 'href="/520111/2021/report.docx" download' in body


def test_every_file_format_is_offered_and_explained():
    assert [file_format.name for file_format in data_dictionary.FILE_FORMATS] == list(
        exports.FORMATS
    )


def test_it_links_each_format_of_each_table_and_the_summary(client, huaxi_2021):
    body = client.get(DOWNLOADS).content.decode()
    for page in ("units", "projects"):
        for export_format in ("csv", "xlsx", "json"):
            link = f'href="/520111/2021/{page}/?_export={export_format}" download'
            assert link in body
    assert 'href="/520111/2021/summary.json" download' in body


def test_the_links_download_the_files_they_describe(client, huaxi_2021):
    body = client.get(DOWNLOADS).content.decode()
    for link in ("/520111/2021/units/?_export=csv", "/520111/2021/summary.json"):
        assert link in body
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(("text/csv", "application/json"))


def test_it_says_what_a_row_is_and_how_many_there_are(client, huaxi_2021):
    text = page_text(client.get(DOWNLOADS))
    assert f"{UNITS.holds}本年度共 67 行。" in text
    assert f"{PROJECTS.holds}本年度共 35 行。" in text


def test_the_summary_dictionary_lists_every_key_of_the_file_with_its_value(client, huaxi_2021):
    response = client.get(DOWNLOADS)
    summary = json.loads(client.get(url("520111", 2021, "summary.json")).content)

    def leaves(data, prefix=""):
        for key, value in data.items():
            if isinstance(value, dict):
                yield from leaves(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", json.dumps(value, ensure_ascii=False)

    rows = dictionary_rows(response, "年度概览数字：字段说明（示例为本年度的实际值）")
    assert [(row[0], row[4]) for row in rows] == list(leaves(summary))
    assert ["units.by_kind.乡镇", "单位类型为“乡镇”的被评单位数", "整数", "个", "9"] in rows
    assert rows[15][:2] == ["projects.total_funds", "全部资金明细金额之和（精确值）"]


def test_it_counts_only_released_rows(client, huaxi_2021):
    UnitEvaluation.objects.filter(unit__kind="township").update(state=State.APPROVED)
    Project.objects.filter(number=5).update(state=State.APPROVED)
    text = page_text(client.get(DOWNLOADS))
    assert f"{UNITS.holds}本年度共 58 行。" in text
    assert f"{PROJECTS.holds}本年度共 33 行。" in text


def test_it_has_a_title_breadcrumbs_and_the_year_nav(client, huaxi_2021):
    body = client.get(DOWNLOADS).content.decode()
    assert "<title>数据下载与字段说明 · 花溪区 2021 年度 · 预算绩效管理与公开系统</title>" in body
    assert '<a href="/520111/2021/">2021 年度</a>' in body
    assert '<span aria-current="page">数据下载与字段说明</span>' in body
    assert '<a href="/520111/2021/downloads/" class="current" aria-current="page">下载</a>' in body


def test_it_is_404_for_an_unknown_region_a_year_without_results_or_unreleased_results(
    client, huaxi_2021
):
    assert client.get(url("999999", 2021, "downloads/")).status_code == 404
    assert client.get(url("520111", 2020, "downloads/")).status_code == 404
    UnitEvaluation.objects.update(state=State.APPROVED)
    Project.objects.update(state=State.APPROVED)
    assert client.get(DOWNLOADS).status_code == 404


def test_the_query_count_does_not_grow_with_the_rows(client, huaxi, guanshanhu):
    add_units(huaxi, 2022, 300)
    add_projects(huaxi, 2022, 300)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    # The region if it has results (1) + the year's summary (5).
    assert (
        queries(url("520115", 2022, "downloads/"))
        == queries(url("520111", 2022, "downloads/"))
        == 6
    )


def test_it_rejects_post(client, huaxi_2021):
    assert client.post(DOWNLOADS).status_code == 405
