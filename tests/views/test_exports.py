"""?_export=csv|xlsx|json on the results tables: exactly the filtered rows, safe to open."""

import csv
import io
import json
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest

from evaluations.grading import grade_for
from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.workflow import State

from .pages import url

pytestmark = pytest.mark.django_db

UNITS = url("520111", 2021, "units/")
PROJECTS = url("520111", 2021, "projects/")
UNIT_HEADER = ["评价机构", "被评单位", "单位类型", "得分", "等级"]
PROJECT_HEADER = [
    "序号",
    "项目名称",
    "资金明细",
    "年度项目资金（万元）",
    "自评得分",
    "第三方机构评分",
    "等级",
    "项目资金合计（万元）",
]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def add_formula_named_rows(region):
    firm = Firm.objects.create(name="@评价公司")
    unit = Unit.objects.create(region=region, name="=1+1", kind="department")
    UnitEvaluation.objects.create(
        region=region, year=2021, unit=unit, firm=firm, score=85, state=State.RELEASED
    )
    project = Project.objects.create(
        region=region, year=2021, number=30, name="=1+1", score=91, state=State.RELEASED
    )
    FundingLine.objects.create(
        project=project, position=1, label="+SUM(A1:A9)", amount=Decimal("1.5"), self_score=90
    )


def test_csv_starts_with_a_byte_order_mark(client, huaxi_2021):
    response = client.get(UNITS, {"_export": "csv"})
    assert response.getvalue().startswith(b"\xef\xbb\xbf")
    disposition = unquote(response["Content-Disposition"])
    assert disposition == "attachment; filename*=utf-8''花溪区2021年部门整体绩效评价结果.csv"


def test_csv_holds_every_row_of_every_page(client, huaxi_2021):
    rows = csv_rows(client.get(UNITS, {"_export": "csv"}))
    assert rows[0] == UNIT_HEADER
    assert len(rows) == 1 + 67
    assert rows[1] == [
        "贵州普诚舜天会计师事务所有限责任公司",
        "贵阳市花溪区财政局",
        "部门",
        "96",
        "优",
    ]


def test_csv_holds_only_the_filtered_rows(client, huaxi_2021):
    rows = csv_rows(client.get(UNITS, {"_export": "csv", "kind": "township", "page": 2}))
    assert len(rows) == 1 + 9
    assert {row[2] for row in rows[1:]} == {"乡镇"}


def test_csv_follows_the_page_order(client, huaxi_2021):
    rows = csv_rows(client.get(UNITS, {"_export": "csv", "grade": "优", "sort": "score"}))
    scores = [Decimal(row[3]) for row in rows[1:]]
    assert len(scores) == 28
    assert scores == sorted(scores)


def test_project_csv_has_one_row_per_funding_line_with_its_project(client, huaxi_2021):
    rows = csv_rows(client.get(PROJECTS, {"_export": "csv"}))
    assert rows[0] == PROJECT_HEADER
    assert len(rows) == 1 + 35
    assert [row for row in rows if row[0] == "5"] == [
        ["5", "幼儿园公办率及普惠率达标经费", "幼儿园公办率及普惠率达标经费",
         "476.604", "99.9", "91.13", "优", "1033.496"],
        ["5", "幼儿园公办率及普惠率达标经费", "幼儿园公办率及普惠率达标经费（经开区）",
         "556.892", "99.25", "91.13", "优", "1033.496"],
    ]  # fmt: skip
    assert sum(Decimal(row[3]) for row in rows[1:]) == Decimal("9298.22276")


def test_project_csv_holds_only_the_filtered_projects(client, huaxi_2021):
    rows = csv_rows(client.get(PROJECTS, {"_export": "csv", "q": "经开区"}))
    assert [row[0] for row in rows[1:]] == ["5", "5", "7", "7"]


def test_xlsx_has_a_header_row_and_numeric_cells(client, huaxi_2021):
    sheet = xlsx_sheet(client.get(PROJECTS, {"_export": "xlsx"}))
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == PROJECT_HEADER
    assert len(rows) == 1 + 35
    number, name, label, amount, self_score, score, grade, total = rows[5]
    assert (number.value, name.value, label.value) == (
        5,
        "幼儿园公办率及普惠率达标经费",
        "幼儿园公办率及普惠率达标经费",
    )
    for cell in (number, amount, self_score, score, total):
        assert cell.data_type == "n"
    assert (amount.value, self_score.value, score.value, total.value) == (
        476.604,
        99.9,
        91.13,
        1033.496,
    )
    assert (name.data_type, grade.data_type, grade.value) == ("s", "s", "优")


def test_unit_xlsx_scores_are_numbers(client, huaxi_2021):
    sheet = xlsx_sheet(client.get(UNITS, {"_export": "xlsx", "grade": "良"}))
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 39
    assert all(row[3].data_type == "n" for row in rows)
    assert min(row[3].value for row in rows) == 80.2


def test_json_is_a_list_of_objects_with_decimals_as_exact_strings(client, huaxi_2021):
    response = client.get(PROJECTS, {"_export": "json", "q": "幼儿园"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == [
        {
            "number": 5,
            "name": "幼儿园公办率及普惠率达标经费",
            "funding_line": "幼儿园公办率及普惠率达标经费",
            "amount": "476.604",
            "self_score": "99.9",
            "score": "91.13",
            "grade": "优",
            "total_amount": "1033.496",
        },
        {
            "number": 5,
            "name": "幼儿园公办率及普惠率达标经费",
            "funding_line": "幼儿园公办率及普惠率达标经费（经开区）",
            "amount": "556.892",
            "self_score": "99.25",
            "score": "91.13",
            "grade": "优",
            "total_amount": "1033.496",
        },
    ]


def test_unit_json_holds_the_filtered_units(client, huaxi_2021):
    firm = Firm.objects.get(name="北京信府科技有限责任公司")
    data = json.loads(client.get(UNITS, {"_export": "json", "firm": firm.pk}).content)
    assert [(item["unit"], item["kind"], item["score"]) for item in data] == [
        ("中共贵阳市花溪区委党史研究室", "部门", "85.41"),
        ("贵阳市花溪区教育局", "部门", "83.21"),
        ("中共贵阳市花溪区委党校", "部门", "80.2"),
    ]


def test_json_of_no_rows_is_an_empty_list(client, huaxi_2021):
    response = client.get(UNITS, {"_export": "json", "q": "不存在的单位"})
    assert json.loads(response.content) == []


def test_csv_neutralises_cells_that_a_spreadsheet_would_run_as_formulas(client, huaxi_2021):
    add_formula_named_rows(huaxi_2021)
    units = csv_rows(client.get(UNITS, {"_export": "csv", "q": "=1+1"}))
    assert units[1][:2] == ["'@评价公司", "'=1+1"]
    projects = csv_rows(client.get(PROJECTS, {"_export": "csv", "q": "=1+1"}))
    assert projects[1][:4] == ["30", "'=1+1", "'+SUM(A1:A9)", "1.5"]


def test_xlsx_neutralises_cells_that_a_spreadsheet_would_run_as_formulas(client, huaxi_2021):
    add_formula_named_rows(huaxi_2021)
    unit_row = list(xlsx_sheet(client.get(UNITS, {"_export": "xlsx", "q": "=1+1"})).iter_rows())[1]
    assert [(cell.value, cell.data_type) for cell in unit_row[:2]] == [
        ("'@评价公司", "s"),
        ("'=1+1", "s"),
    ]
    sheet = xlsx_sheet(client.get(PROJECTS, {"_export": "xlsx", "q": "=1+1"}))
    project_row = list(sheet.iter_rows())[1]
    assert [(cell.value, cell.data_type) for cell in project_row[1:3]] == [
        ("'=1+1", "s"),
        ("'+SUM(A1:A9)", "s"),
    ]


def test_json_keeps_text_as_it_is(client, huaxi_2021):
    add_formula_named_rows(huaxi_2021)
    data = json.loads(client.get(UNITS, {"_export": "json", "q": "=1+1"}).content)
    assert (data[0]["firm"], data[0]["unit"]) == ("@评价公司", "=1+1")


def test_a_negative_number_is_not_treated_as_a_formula(client, huaxi_2021):
    unit = Unit.objects.create(region=huaxi_2021, name="-1", kind="department")
    score = Decimal("75")
    UnitEvaluation.objects.create(
        region=huaxi_2021,
        year=2021,
        unit=unit,
        firm=Firm.objects.first(),
        score=score,
        state=State.RELEASED,
    )
    rows = csv_rows(client.get(UNITS, {"_export": "csv", "q": "-1"}))
    assert rows[1][1:] == ["'-1", "部门", "75", grade_for(score)]


def test_an_unknown_export_format_is_400(client, huaxi_2021):
    assert client.get(UNITS, {"_export": "pdf"}).status_code == 400
    assert client.get(PROJECTS, {"_export": ""}).status_code == 400


def test_an_export_with_an_invalid_filter_is_400(client, huaxi_2021):
    assert client.get(UNITS, {"_export": "csv", "grade": "甲"}).status_code == 400


def test_an_export_is_404_for_an_unknown_region_or_year(client, huaxi_2021):
    assert client.get(url("999999", 2021, "units/"), {"_export": "csv"}).status_code == 404
    assert client.get(url("520111", 2020, "projects/"), {"_export": "csv"}).status_code == 404
