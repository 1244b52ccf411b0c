"""/<region>/units/<unit>/: a unit's public evaluations across years, and nothing else."""

from decimal import Decimal

import pytest

from evaluations.models import Firm, Unit, UnitEvaluation
from evaluations.workflow import State

from .pages import page_text, table_rows, url

pytestmark = pytest.mark.django_db

EDUCATION = "贵阳市花溪区教育局"


@pytest.fixture
def education(huaxi_2021):
    """The education bureau: released in 2021 and 2023, scored but not released in 2022."""
    unit = Unit.objects.get(name=EDUCATION)
    firm = Firm.objects.create(name="丙评价公司")
    for year, score, state in ((2023, "91.50", State.RELEASED), (2022, "12.34", State.SCORED)):
        UnitEvaluation.objects.create(
            region=huaxi_2021, year=year, unit=unit, firm=firm, score=Decimal(score), state=state
        )
    return unit


def unit_url(unit_id, region_code="520111"):
    return f"/{region_code}/units/{unit_id}/"


def test_it_shows_the_unit_name_kind_and_region(client, education):
    text = page_text(client.get(unit_url(education.pk)))
    assert f"{EDUCATION} 单位类型 部门 财政区划 花溪区" in text


def test_it_lists_the_released_years_newest_first(client, education):
    rows = table_rows(client.get(unit_url(education.pk)))
    assert rows == [
        ["2023 年度", "丙评价公司", "91.50", "优", "上升 8.29 分（2021 年度 83.21 分）"],
        ["2021 年度", "北京信府科技有限责任公司", "83.21", "良", "—"],
    ]


def test_it_leaves_out_a_year_that_is_not_released(client, education):
    text = page_text(client.get(unit_url(education.pk)))
    assert "2022" not in text
    assert "12.34" not in text


def test_each_year_links_to_its_overview(client, education):
    body = client.get(unit_url(education.pk)).content.decode()
    assert '<a href="/520111/2023/">2023 年度</a>' in body
    assert '<a href="/520111/2021/">2021 年度</a>' in body


def test_it_has_a_meaningful_title_and_breadcrumbs(client, education):
    body = client.get(unit_url(education.pk)).content.decode()
    assert f"<title>{EDUCATION} · 花溪区 · 预算绩效管理与公开系统</title>" in body
    assert '<a href="/520111/">花溪区</a>' in body
    assert f'<span aria-current="page">{EDUCATION}</span>' in body


def test_the_units_table_links_each_unit_to_its_page(client, education):
    body = client.get(url("520111", 2021, "units/"), {"q": "教育局"}).content.decode()
    assert f'<a href="/520111/units/{education.pk}/">{EDUCATION}</a>' in body


def test_a_unit_without_a_released_evaluation_answers_like_an_unknown_one(client, education):
    UnitEvaluation.objects.filter(unit=education).update(state=State.APPROVED)
    unreleased = client.get(unit_url(education.pk))
    unknown = client.get(unit_url(education.pk + 10_000))
    assert unreleased.status_code == unknown.status_code == 404
    assert unreleased.content == unknown.content


def test_it_is_404_under_another_region(client, education):
    assert client.get(unit_url(education.pk, "520115")).status_code == 404


def test_it_rejects_post(client, education):
    assert client.post(unit_url(education.pk)).status_code == 405
