"""/<region>/<year>/units/: the unit-overall evaluations, sortable, filterable, paginated."""

from decimal import Decimal

import pytest

from evaluations.models import Firm, UnitEvaluation

from .pages import page_text, table_rows, url

pytestmark = pytest.mark.django_db

UNITS = url("520111", 2021, "units/")


def test_it_lists_the_first_25_of_67_units_best_score_first(client, huaxi_2021):
    response = client.get(UNITS)
    rows = table_rows(response)
    assert len(rows) == 25
    assert rows[0] == [
        "贵州普诚舜天会计师事务所有限责任公司",
        "贵阳市花溪区财政局",
        "部门",
        "96.00",
        "优",
    ]
    assert "共 67 条，第 1 / 3 页" in page_text(response)


def test_it_shows_the_last_page(client, huaxi_2021):
    rows = table_rows(client.get(UNITS, {"page": 3}))
    assert len(rows) == 67 - 50
    assert rows[-1][1:] == ["中共贵阳市花溪区委党校", "部门", "80.20", "良"]


def test_it_shows_the_last_page_for_a_page_number_too_far(client, huaxi_2021):
    assert len(table_rows(client.get(UNITS, {"page": 99}))) == 17


def test_it_shows_the_first_page_for_a_page_that_is_not_a_number(client, huaxi_2021):
    assert len(table_rows(client.get(UNITS, {"page": "x"}))) == 25


def test_it_sorts_by_score_ascending(client, huaxi_2021):
    scores = [Decimal(row[3]) for row in table_rows(client.get(UNITS, {"sort": "score"}))]
    assert scores[0] == Decimal("80.20")
    assert scores == sorted(scores)


def test_it_sorts_by_unit_name_both_ways(client, huaxi_2021):
    # Chinese names sort by the database's collation, so the database says what comes first.
    by_name = UnitEvaluation.objects.filter(region=huaxi_2021).order_by("unit__name")
    names = list(by_name.values_list("unit__name", flat=True))
    ascending = [row[1] for row in table_rows(client.get(UNITS, {"sort": "unit"}))]
    descending = [row[1] for row in table_rows(client.get(UNITS, {"sort": "-unit"}))]
    assert (ascending, descending) == (names[:25], names[::-1][:25])


def test_it_filters_by_grade(client, huaxi_2021):
    response = client.get(UNITS, {"grade": "优"})
    assert "共 28 条" in page_text(response)
    assert {row[4] for row in table_rows(response)} == {"优"}


def test_it_filters_by_firm(client, huaxi_2021):
    firm = Firm.objects.get(name="北京信府科技有限责任公司")
    rows = table_rows(client.get(UNITS, {"firm": firm.pk}))
    assert [row[1] for row in rows] == [
        "中共贵阳市花溪区委党史研究室",
        "贵阳市花溪区教育局",
        "中共贵阳市花溪区委党校",
    ]


def test_it_offers_only_the_firms_of_that_year(client, huaxi_2021):
    Firm.objects.create(name="未参与评价的公司")
    body = client.get(UNITS).content.decode()
    assert body.count("会计师事务所") == body.count("会计师事务所有限") > 0
    assert "北京信府科技有限责任公司</option>" in body
    assert "未参与评价的公司" not in body


def test_it_filters_by_kind(client, huaxi_2021):
    rows = table_rows(client.get(UNITS, {"kind": "township"}))
    assert len(rows) == 9
    assert {row[2] for row in rows} == {"乡镇"}


def test_it_searches_unit_names(client, huaxi_2021):
    rows = table_rows(client.get(UNITS, {"q": "街道办事处"}))
    assert len(rows) == 4


def test_it_combines_filters(client, huaxi_2021):
    firm = Firm.objects.get(name="北京信府科技有限责任公司")
    rows = table_rows(client.get(UNITS, {"firm": firm.pk, "q": "党"}))
    assert [row[1] for row in rows] == ["中共贵阳市花溪区委党史研究室", "中共贵阳市花溪区委党校"]


def test_it_says_so_when_nothing_matches(client, huaxi_2021):
    response = client.get(UNITS, {"q": "不存在的单位"})
    assert "没有符合筛选条件的记录" in page_text(response)


def test_it_reports_an_invalid_filter_value(client, huaxi_2021):
    response = client.get(UNITS, {"grade": "甲"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in page_text(response)


def test_it_keeps_filters_in_sort_page_and_download_links(client, huaxi_2021):
    body = client.get(UNITS, {"grade": "良", "page": 2}).content.decode()
    assert 'href="?grade=%E8%89%AF&amp;sort=score"' in body
    assert 'href="?grade=%E8%89%AF&amp;_export=csv"' in body


def test_it_has_a_meaningful_title_and_breadcrumbs(client, huaxi_2021):
    body = client.get(UNITS).content.decode()
    assert "<title>花溪区 2021 年部门整体绩效评价结果 · 预算绩效管理与公开系统</title>" in body
    assert '<a href="/520111/2021/">2021 年度</a>' in body
    assert '<span aria-current="page">部门整体绩效评价结果</span>' in body


def test_it_is_404_for_an_unknown_region_or_year(client, huaxi_2021):
    assert client.get(url("999999", 2021, "units/")).status_code == 404
    assert client.get(url("520111", 2020, "units/")).status_code == 404


def test_it_rejects_post(client, huaxi_2021):
    assert client.post(UNITS).status_code == 405
