"""/ and /<region>/: the regions and years that have published results."""

import pytest

from evaluations.services.imports import region_ensure

from .builders import add_units
from .pages import page_text

pytestmark = pytest.mark.django_db


def test_it_lists_each_region_with_its_years(client, huaxi_2021, guanshanhu):
    response = client.get("/")
    assert response.status_code == 200
    assert "花溪区 520111 2021 年度" in page_text(response)
    assert "观山湖区 520115 2022 年度" in page_text(response)
    body = response.content.decode()
    assert 'href="/520111/2021/"' in body
    assert 'href="/520115/2022/"' in body


def test_it_leaves_out_a_region_without_results(client, huaxi_2021):
    region_ensure(code="520113", name="白云区")
    assert "白云区" not in page_text(client.get("/"))


def test_it_says_so_when_nothing_is_published(client, db):
    assert "尚未公开任何评价结果" in page_text(client.get("/"))


def test_a_region_page_lists_its_years_newest_first(client, huaxi_2021):
    add_units(huaxi_2021, 2022, 3)
    response = client.get("/520111/")
    assert response.status_code == 200
    assert "2022 年度 2021 年度" in page_text(response)


def test_a_region_page_is_404_without_results(client, huaxi):
    assert client.get("/520111/").status_code == 404
    assert client.get("/999999/").status_code == 404
