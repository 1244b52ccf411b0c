"""Sections 二 and 三 of the 2021 report, recomputed from the bundled tables."""

from decimal import Decimal

from evaluations.models import FundingLine
from evaluations.selectors import year_summary


def test_section_two_unit_figures_come_out_of_the_data(huaxi_2021):
    units = year_summary(region=huaxi_2021, year=2021)["units"]

    assert units["count"] == 67
    assert units["by_kind"] == {"部门": 54, "乡镇": 9, "街道": 4}
    assert units["by_grade"] == {"优": 28, "良": 39, "中": 0, "差": 0}
    assert units["highest_score"] == Decimal("96")
    assert units["lowest_score"] == Decimal("80.2")


def test_section_three_project_figures_come_out_of_the_data(huaxi_2021):
    projects = year_summary(region=huaxi_2021, year=2021)["projects"]

    assert projects["count"] == 29
    assert projects["funding_lines"] == 35
    assert projects["total_funds"] == Decimal("9298.22276")
    assert projects["by_grade"] == {"优": 21, "良": 8, "中": 0, "差": 0}
    assert projects["lowest_self_score"] >= Decimal("83")
    assert projects["lowest_self_score"] == Decimal("83")


def test_the_exact_total_is_the_sum_of_the_lines_not_the_narratives_9299(huaxi_2021):
    total = year_summary(region=huaxi_2021, year=2021)["projects"]["total_funds"]

    assert total == sum(FundingLine.objects.values_list("amount", flat=True))
    assert total != Decimal("9299")
