"""The overview of a region's year: every figure of the report's sections 二 and 三."""

import pytest

from .builders import add_projects
from .pages import page_text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(client, huaxi_2021):
    response = client.get(url("520111", 2021))
    assert response.status_code == 200
    return page_text(response)


def test_it_counts_the_units_evaluated_and_splits_them_by_kind(text):
    assert "评价单位 67 个" in text
    assert "部门 54 个、乡镇 9 个、街道 4 个" in text


def test_it_shows_the_unit_grade_distribution(text):
    assert "优 28 个、良 39 个、中 0 个、差 0 个" in text


def test_it_shows_the_highest_and_lowest_unit_scores(text):
    assert "最高分 96.00 分" in text
    assert "最低分 80.20 分" in text


def test_it_counts_key_projects_and_funding_lines(text):
    assert "重点项目 29 个 资金明细 35 项" in text


def test_it_shows_total_funds_exactly_and_rounded(text):
    assert "项目资金总额 9,298.22276 万元 约 9,298.22 万元" in text


def test_it_states_the_rounding_rule(text):
    assert "四舍五入保留两位小数" in text
    assert "精确值为全部资金明细金额之和" in text


def test_it_shows_the_project_grade_distribution(text):
    assert "优 21 个、良 8 个、中 0 个、差 0 个" in text


def test_it_shows_the_lowest_self_score(text):
    assert "最低自评得分 83.00 分" in text


def test_it_has_a_meaningful_title_and_breadcrumbs(client, huaxi_2021):
    body = client.get(url("520111", 2021)).content.decode()
    assert "<title>花溪区 2021 年度预算绩效评价结果 · 预算绩效管理与公开系统</title>" in body
    assert '<html lang="zh-Hans">' in body
    assert '<a href="/">首页</a>' in body
    assert '<a href="/520111/">花溪区</a>' in body
    assert '<span aria-current="page">2021 年度</span>' in body


def test_it_links_to_both_tables(client, huaxi_2021):
    body = client.get(url("520111", 2021)).content.decode()
    assert 'href="/520111/2021/units/"' in body
    assert 'href="/520111/2021/projects/"' in body


def test_it_is_404_for_an_unknown_region(client, huaxi_2021):
    assert client.get(url("999999", 2021)).status_code == 404


def test_it_is_404_for_a_year_without_results(client, huaxi_2021):
    assert client.get(url("520111", 2020)).status_code == 404


def test_it_says_so_when_a_year_has_projects_but_no_unit_results(client, huaxi):
    add_projects(huaxi, 2023, 2)
    text = page_text(client.get(url("520111", 2023)))
    assert "本年度没有公开的部门整体绩效评价结果" in text
    assert "重点项目 2 个 资金明细 4 项" in text
