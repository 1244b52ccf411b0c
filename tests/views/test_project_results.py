"""/<region>/<year>/projects/: key projects with their funding lines and total funds."""

from decimal import Decimal

import pytest

from evaluations.classification import UnitKind
from evaluations.models import Project, Unit

from .pages import page_text, table_rows, url

pytestmark = pytest.mark.django_db

PROJECTS = url("520111", 2021, "projects/")


def by_number(rows):
    return {row[0]: row for row in rows}


def test_it_lists_the_first_25_of_29_projects_by_number(client, huaxi_2021):
    response = client.get(PROJECTS)
    rows = table_rows(response)
    assert [row[0] for row in rows] == [str(n) for n in range(1, 26)]
    assert "共 29 条，第 1 / 2 页" in page_text(response)


def test_it_shows_a_project_with_its_funding_lines_and_their_total(client, huaxi_2021):
    number, name, total, self_scores, score, grade = by_number(table_rows(client.get(PROJECTS)))[
        "5"
    ]
    assert name == (
        "幼儿园公办率及普惠率达标经费"
        " 幼儿园公办率及普惠率达标经费 476.604 万元 自评 99.90"
        " 幼儿园公办率及普惠率达标经费（经开区） 556.892 万元 自评 99.25"
    )
    assert (total, self_scores, score, grade) == ("1,033.496", "99.90 / 99.25", "91.13", "优")


def test_it_shows_the_total_of_a_single_line_project(client, huaxi_2021):
    assert by_number(table_rows(client.get(PROJECTS)))["15"][2] == "98.86676"


def test_it_does_not_repeat_the_name_of_a_single_line_named_like_its_project(client, huaxi_2021):
    name = by_number(table_rows(client.get(PROJECTS)))["2"][1]
    assert name == "三感社区专项工作经费 510 万元 自评 83.00"


def test_it_sorts_by_total_funds_largest_first(client, huaxi_2021):
    rows = table_rows(client.get(PROJECTS, {"sort": "-total_amount"}))
    assert [(row[0], row[2]) for row in rows[:3]] == [
        ("25", "1,040"),
        ("5", "1,033.496"),
        ("28", "1,000"),
    ]


def test_it_sorts_by_third_party_score(client, huaxi_2021):
    scores = [Decimal(row[4]) for row in table_rows(client.get(PROJECTS, {"sort": "score"}))]
    assert scores[0] == Decimal("80.31")
    assert scores == sorted(scores)


def test_it_filters_by_grade(client, huaxi_2021):
    assert "共 21 条" in page_text(client.get(PROJECTS, {"grade": "优"}))
    assert "共 8 条" in page_text(client.get(PROJECTS, {"grade": "良"}))


def test_it_searches_project_names(client, huaxi_2021):
    rows = table_rows(client.get(PROJECTS, {"q": "公路"}))
    assert [row[0] for row in rows] == ["21", "22"]


def test_it_searches_funding_line_labels(client, huaxi_2021):
    rows = table_rows(client.get(PROJECTS, {"q": "温室"}))
    assert [row[0] for row in rows] == ["24"]


def test_it_lists_a_project_once_however_many_lines_match(client, huaxi_2021):
    rows = table_rows(client.get(PROJECTS, {"q": "巩固脱贫攻坚"}))
    assert [(row[0], row[2]) for row in rows] == [("24", "320")]
    rows = table_rows(client.get(PROJECTS, {"q": "经开区"}))
    assert [(row[0], row[2]) for row in rows] == [("5", "1,033.496"), ("7", "140.08")]


def test_it_hides_the_owning_unit_filter_when_no_project_names_one(client, huaxi_2021):
    assert "主管部门类型" not in page_text(client.get(PROJECTS))


def test_it_filters_by_the_kind_of_the_owning_unit(client, huaxi_2021):
    township = Unit.objects.get(name="贵阳市花溪区燕楼镇人民政府")
    assert township.kind == UnitKind.TOWNSHIP
    Project.objects.filter(region=huaxi_2021, year=2021, number=11).update(unit=township)
    response = client.get(PROJECTS)
    assert "主管部门类型" in page_text(response)
    assert '<option value="township">乡镇</option>' in response.content.decode()
    rows = table_rows(client.get(PROJECTS, {"kind": "township"}))
    assert [row[0] for row in rows] == ["11"]


def test_it_has_a_meaningful_title_and_breadcrumbs(client, huaxi_2021):
    body = client.get(PROJECTS, {"page": 2}).content.decode()
    assert (
        "<title>花溪区 2021 年重点项目绩效评价结果（第 2 页） · 预算绩效管理与公开系统</title>"
        in body
    )
    assert '<span aria-current="page">重点项目绩效评价结果</span>' in body


def test_it_is_404_for_an_unknown_region_or_year(client, huaxi_2021):
    assert client.get(url("999999", 2021, "projects/")).status_code == 404
    assert client.get(url("520111", 2022, "projects/")).status_code == 404
