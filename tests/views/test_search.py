"""/search/: units and projects found by name across regions and years, released ones only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.services.imports import region_ensure
from evaluations.views.search import MAX_QUERY_LENGTH, PER_PAGE
from evaluations.workflow import State

from .builders import add_projects, add_units
from .markup import tables
from .pages import page_text

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
SHIBAN = "贵阳市花溪区石板镇人民政府"


def result_rows(response, group):
    """Return the text of each row of the results table of a group ("单位", "重点项目")."""
    (found,) = [table for table in tables(response) if table.caption.startswith(f"找到的{group}")]
    return [" ".join(row) for row in found.rows]


@pytest.fixture
def shiban_2020(huaxi_2021):
    """石板镇 was also evaluated in 2020 (82.00) and in 2022, scored but not released."""
    unit = Unit.objects.get(name=SHIBAN)
    firm = Firm.objects.create(name="丙评价公司")
    for year, score, state in ((2020, "82.00", State.RELEASED), (2022, "99.00", State.SCORED)):
        UnitEvaluation.objects.create(
            region=huaxi_2021, year=year, unit=unit, firm=firm, score=Decimal(score), state=state
        )
    return unit


def test_it_finds_a_township_with_its_latest_score_and_the_change_since_the_year_before(
    client, shiban_2020
):
    response = client.get(SEARCH, {"q": "石板"})
    assert response.status_code == 200
    assert result_rows(response, "单位") == [
        f"{SHIBAN} 乡镇 花溪区 2021 年度 83.50 良 2020 年度 82.00 分， 上升 1.50 分"
    ]
    assert f'<a href="/520111/units/{shiban_2020.pk}/">{SHIBAN}</a>' in response.content.decode()


def test_it_says_when_a_score_went_down_or_there_is_no_earlier_year(client, huaxi_2021):
    unit = Unit.objects.get(name="贵阳市花溪区燕楼镇人民政府")
    UnitEvaluation.objects.create(
        region=huaxi_2021, year=2020, unit=unit, score=Decimal("86.25"), state=State.RELEASED
    )
    rows = result_rows(client.get(SEARCH, {"q": "镇人民政府"}), "单位")
    yanlou = "贵阳市花溪区燕楼镇人民政府"
    assert f"{yanlou} 乡镇 花溪区 2021 年度 84.00 良 2020 年度 86.25 分， 下降 2.25 分" in rows
    assert f"{SHIBAN} 乡镇 花溪区 2021 年度 83.50 良 无此前公开结果" in rows


def test_it_never_shows_an_unreleased_score(client, shiban_2020):
    text = page_text(client.get(SEARCH, {"q": "石板"}))
    assert "99.00" not in text and "2022" not in text


def test_it_does_not_find_a_unit_whose_evaluations_are_all_unreleased(client, huaxi_2021):
    unit = Unit.objects.create(region=huaxi_2021, name="未公开的测试单位", kind="department")
    UnitEvaluation.objects.create(region=huaxi_2021, year=2021, unit=unit, state=State.SCORED)
    UnitEvaluation.objects.filter(unit__name=SHIBAN).update(state=State.APPROVED)
    assert "没有名称包含“测试单位”的单位" in page_text(client.get(SEARCH, {"q": "测试单位"}))
    assert "没有名称包含“石板”的单位" in page_text(client.get(SEARCH, {"q": "石板"}))


def test_it_does_not_find_an_unreleased_project(client, huaxi_2021):
    Project.objects.filter(name__contains="幼儿园").update(state=State.APPROVED)
    assert "没有名称包含“幼儿园”的重点项目" in page_text(client.get(SEARCH, {"q": "幼儿园"}))


def test_it_finds_projects_by_name_or_funding_line_linking_to_their_pages(client, huaxi_2021):
    # "经开区" is in no project's name, only in the labels of two projects' funding lines.
    response = client.get(SEARCH, {"q": "经开区"})
    rows = result_rows(response, "重点项目")
    assert rows == [
        "幼儿园公办率及普惠率达标经费 — 花溪区 2021 年度 91.13 优",
        "残疾儿童康复救助补助 — 花溪区 2021 年度 95.74 优",
    ]
    assert '<a href="/520111/2021/projects/5/">幼儿园公办率及普惠率达标经费</a>' in (
        response.content.decode()
    )


def test_it_searches_every_region_and_year(client, huaxi_2021, guanshanhu):
    add_units(huaxi_2021, 2022, 3)
    text = page_text(client.get(SEARCH, {"q": "单位000"}))
    assert "找到单位 13 个" in text
    assert "观山湖区 2022 年度" in text and "花溪区 2022 年度" in text


def test_every_term_must_be_in_the_name(client, huaxi_2021):
    text = page_text(client.get(SEARCH, {"q": "花溪区  乡人民政府 苗族"}))
    assert "找到单位 4 个" in text
    assert "高坡苗族乡" in text and "久安乡" not in text


def test_it_shows_the_form_and_no_results_without_a_query(client, huaxi_2021):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": "   "})
    assert response.status_code == 200
    assert len(captured) == 0
    assert "找到单位" not in page_text(response)
    assert "<title>搜索单位和项目 · 预算绩效管理与公开系统</title>" in response.content.decode()


def test_it_refuses_a_query_longer_than_the_cap_without_searching(client, huaxi_2021):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": "镇" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 200
    assert len(captured) == 0
    assert f"请输入不超过 {MAX_QUERY_LENGTH} 个字" in page_text(response)
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in response.content.decode()


def test_the_header_box_has_the_same_cap(client, huaxi_2021):
    body = client.get("/").content.decode()
    assert f'id="site-search-q" type="search" name="q" maxlength="{MAX_QUERY_LENGTH}"' in body


def test_it_treats_like_wildcards_as_text(client, huaxi_2021):
    text = page_text(client.get(SEARCH, {"q": "%"}))
    assert "找到单位 0 个、重点项目 0 个" in text


def test_it_pages_each_group_on_its_own(client, guanshanhu):
    region = region_ensure(code="520113", name="白云区")
    add_units(region, 2022, PER_PAGE + 5)
    add_projects(region, 2022, PER_PAGE + 2)
    first = client.get(SEARCH, {"q": "0"})
    assert len(result_rows(first, "单位")) == PER_PAGE
    body = first.content.decode()
    assert 'href="?q=0&amp;units_page=2"' in body
    assert 'href="?q=0&amp;projects_page=2"' in body
    second = client.get(SEARCH, {"q": "0", "units_page": 2, "projects_page": 2})
    assert len(result_rows(second, "单位")) == 10 + PER_PAGE + 5 - PER_PAGE
    assert len(result_rows(second, "重点项目")) == 10 + PER_PAGE + 2 - PER_PAGE
    assert "第 2 / 2 页" in page_text(second)


def test_a_page_out_of_range_shows_the_last_one(client, guanshanhu):
    response = client.get(SEARCH, {"q": "单位", "units_page": 99})
    assert len(result_rows(response, "单位")) == 10


def test_the_query_count_does_not_grow_with_the_matches(client, db):
    small, large = (
        region_ensure(code=code, name=name)
        for code, name in (("520101", "小区"), ("520102", "大区"))
    )
    add_units(small, 2021, 3, prefix="小单位")
    add_projects(small, 2021, 3, prefix="小项目")
    add_units(large, 2021, 300, prefix="大单位")
    add_projects(large, 2021, 300, prefix="大项目")
    FundingLine.objects.filter(project__region=large).update(label="大项目的资金")

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SEARCH, {"q": query}).status_code == 200
        return len(captured)

    # Per group: the count, then the page (units with their region and latest two years,
    # projects with their region and owning unit).
    assert queries("小") == queries("大") == 4


def test_it_rejects_post(client, db):
    assert client.post(SEARCH).status_code == 405
