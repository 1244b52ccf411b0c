"""/<region>/<year>/summary.json: the overview's figures as data."""

import pytest

from .pages import url

pytestmark = pytest.mark.django_db


def test_it_returns_the_overview_figures(client, huaxi_2021):
    response = client.get(url("520111", 2021, "summary.json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "region": {"code": "520111", "name": "花溪区"},
        "year": 2021,
        "units": {
            "count": 67,
            "by_kind": {"部门": 54, "乡镇": 9, "街道": 4},
            "by_grade": {"优": 28, "良": 39, "中": 0, "差": 0},
            "highest_score": "96",
            "lowest_score": "80.2",
        },
        "projects": {
            "count": 29,
            "funding_lines": 35,
            "total_funds": "9298.22276",
            "by_grade": {"优": 21, "良": 8, "中": 0, "差": 0},
            "highest_score": "98.5",
            "lowest_score": "80.31",
            "lowest_self_score": "83",
        },
    }


def test_it_writes_chinese_as_utf8_not_escapes(client, huaxi_2021):
    body = client.get(url("520111", 2021, "summary.json")).content
    assert "花溪区".encode() in body


def test_it_is_404_for_an_unknown_region_or_year(client, huaxi_2021):
    assert client.get(url("999999", 2021, "summary.json")).status_code == 404
    assert client.get(url("520111", 2019, "summary.json")).status_code == 404
