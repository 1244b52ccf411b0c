"""/<region>/<year>/projects/<number>/: a released project with its funding lines and scores."""

from decimal import Decimal

import pytest

from evaluations.models import Firm, FundingLine, Project, Unit
from evaluations.workflow import State

from .pages import page_text, table_rows, url

pytestmark = pytest.mark.django_db

KINDERGARTEN = url("520111", 2021, "projects/5/")


def test_it_shows_the_project_its_score_grade_and_exact_total(client, huaxi_2021):
    text = page_text(client.get(KINDERGARTEN))
    assert "幼儿园公办率及普惠率达标经费 花溪区 2021 年重点项目绩效评价 · 序号 5" in text
    assert "第三方机构评分 91.13 分 等级 优" in text
    assert "年度项目资金合计 1,033.496 万元 资金明细 2 项之和" in text


def test_it_lists_the_funding_lines_in_order_with_their_self_scores(client, huaxi_2021):
    assert table_rows(client.get(KINDERGARTEN)) == [
        ["幼儿园公办率及普惠率达标经费", "476.604", "99.90"],
        ["幼儿园公办率及普惠率达标经费（经开区）", "556.892", "99.25"],
    ]


def test_the_total_keeps_every_decimal_of_many_lines(client, huaxi_2021):
    project = Project.objects.get(region=huaxi_2021, year=2021, number=5)
    FundingLine.objects.create(
        project=project, position=3, label="追加", amount=Decimal("1000000.000001"), self_score=90
    )
    assert "年度项目资金合计 1,001,033.496001 万元 资金明细 3 项之和" in page_text(
        client.get(KINDERGARTEN)
    )


def test_it_names_no_owning_unit_or_firm_when_the_project_has_none(client, huaxi_2021):
    text = page_text(client.get(KINDERGARTEN))
    assert "主管部门" not in text
    assert "评价机构" not in text


def test_it_links_the_owning_unit_to_its_history_and_names_the_firm(client, huaxi_2021):
    unit = Unit.objects.get(name="贵阳市花溪区教育局")
    firm = Firm.objects.get(name="北京信府科技有限责任公司")
    Project.objects.filter(region=huaxi_2021, year=2021, number=5).update(unit=unit, firm=firm)
    response = client.get(KINDERGARTEN)
    assert "主管部门 贵阳市花溪区教育局 评价机构 北京信府科技有限责任公司" in page_text(response)
    assert f'<a href="/520111/units/{unit.pk}/">贵阳市花溪区教育局</a>' in response.content.decode()


def test_it_does_not_link_an_owning_unit_without_a_public_history(client, huaxi_2021):
    unit = Unit.objects.create(region=huaxi_2021, name="未评价的单位", kind="department")
    Project.objects.filter(region=huaxi_2021, year=2021, number=5).update(unit=unit)
    response = client.get(KINDERGARTEN)
    assert "主管部门 未评价的单位" in page_text(response)
    assert f"/units/{unit.pk}/" not in response.content.decode()


def test_it_has_a_meaningful_title_and_breadcrumbs(client, huaxi_2021):
    body = client.get(KINDERGARTEN).content.decode()
    assert "<title>幼儿园公办率及普惠率达标经费 · 花溪区 2021 年重点项目 · " in body
    assert '<a href="/520111/2021/projects/">重点项目绩效评价结果</a>' in body
    assert '<span aria-current="page">幼儿园公办率及普惠率达标经费</span>' in body


def test_the_projects_table_links_each_project_to_its_page(client, huaxi_2021):
    body = client.get(url("520111", 2021, "projects/"), {"q": "幼儿园"}).content.decode()
    assert (
        '<a class="project-name" href="/520111/2021/projects/5/">幼儿园公办率及普惠率达标经费</a>'
        in body
    )


def test_an_unreleased_project_answers_like_an_unknown_one(client, huaxi_2021):
    Project.objects.filter(region=huaxi_2021, year=2021, number=5).update(state=State.APPROVED)
    unreleased = client.get(KINDERGARTEN)
    unknown = client.get(url("520111", 2021, "projects/999/"))
    assert unreleased.status_code == unknown.status_code == 404
    assert unreleased.content == unknown.content


def test_it_is_404_for_another_year_or_region(client, huaxi_2021):
    assert client.get(url("520111", 2022, "projects/5/")).status_code == 404
    assert client.get(url("520115", 2021, "projects/5/")).status_code == 404


def test_it_rejects_post(client, huaxi_2021):
    assert client.post(KINDERGARTEN).status_code == 405
