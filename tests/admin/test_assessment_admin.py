"""The departments' assessment in the admin: the bureau computes, ranks, adjusts with a
reason and exports the xlsx for the supervision bureau; a department sees only its own
units' breakdown; forged posts are refused."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import AssessmentTemplate, DepartmentAssessment, Region, Unit
from evaluations.services.assessment import assessment_adjust, assessments_compute
from evaluations.workflow import State
from tests.views.pages import page_text

from .pages import admin_url, changelist_url, listed_ids, messages_of

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2022


def url(view, *args):
    return reverse(f"admin:evaluations_departmentassessment_{view}", args=args)


@pytest.fixture
def rows(roles):
    """Three units: 教育局 with an approved evaluation not released (60.00), 民政局 with
    one released (70.00), and a unit whose name reads as a formula (70.00)."""
    roles.unit_evaluation(State.APPROVED, unit=roles.own_unit, year=YEAR)
    roles.unit_evaluation(State.RELEASED, unit=roles.other_unit, year=YEAR)
    Unit.objects.create(region=roles.region, name="=HYPERLINK(1)街道", kind="subdistrict")
    computed = assessments_compute(region=roles.region, year=YEAR, user=roles.reviewer)
    return {row.unit.name: row for row in computed}


def test_the_bureau_lists_the_regions_ranking(client, roles, rows):
    client.force_login(roles.reviewer)
    response = client.get(changelist_url(DepartmentAssessment))
    listed = {row.unit.name: (row.score, row.rank) for row in response.context["cl"].result_list}
    assert listed == {
        "花溪区民政局": (D("70.00"), 1),
        "=HYPERLINK(1)街道": (D("70.00"), 1),
        "花溪区教育局": (D("60.00"), 3),
    }
    assert "排名" in page_text(response)


def test_the_rank_ignores_the_lists_filters(client, roles, rows):
    client.force_login(roles.reviewer)
    response = client.get(changelist_url(DepartmentAssessment, "unit__kind=department"))
    ranks = {row.unit.name: row.rank for row in response.context["cl"].result_list}
    assert ranks == {"花溪区民政局": 1, "花溪区教育局": 3}


def test_a_department_sees_only_its_own_units_row_and_no_ranking(client, roles, rows):
    client.force_login(roles.department)
    response = client.get(changelist_url(DepartmentAssessment))
    assert listed_ids(response) == {rows["花溪区教育局"].pk}
    assert "排名" not in page_text(response)
    assert url("compute") not in response.content.decode()
    assert client.get(admin_url(rows["花溪区民政局"])).status_code == 404


def test_a_department_reads_its_breakdown(client, roles, rows):
    client.force_login(roles.department)
    page = client.get(admin_url(rows["花溪区教育局"]))
    text = page_text(page)
    assert "评价结果公开 10.00 0.00% 0.00 0/1" in text
    assert "绩效目标按时申报 15.00 0.00% 0.00 无应完成事项" in text
    assert "问题按期整改 20.00 100.00% 20.00 无应完成事项" in text
    assert "考核得分 60.00" in text
    assert "调整考核得分" not in text


@pytest.mark.parametrize("who", ["firm", "stranger"])
def test_others_see_no_assessment(client, roles, rows, who):
    client.force_login(getattr(roles, who))
    assert client.get(changelist_url(DepartmentAssessment)).status_code == 403


def test_the_reviewer_computes_a_region_and_year(client, roles):
    AssessmentTemplate.objects.create(
        region=roles.region, year=YEAR, disclosure=D(20), rectification_on_time=D(10)
    )
    roles.unit_evaluation(State.APPROVED, unit=roles.own_unit, year=YEAR)
    client.force_login(roles.reviewer)
    listing = client.get(changelist_url(DepartmentAssessment)).content.decode()
    assert url("compute") in listing and url("export") in listing
    assert client.get(url("compute")).status_code == 200

    response = client.post(url("compute"), {"region": roles.region.pk, "year": YEAR})

    assert response.status_code == 302
    assert (
        response.url
        == f"{changelist_url(DepartmentAssessment)}?region__id__exact={roles.region.pk}&year={YEAR}"
    )
    assert "已计算花溪区 2022 年 2 个单位的考核得分" in messages_of(response)[0]
    scores = dict(DepartmentAssessment.objects.values_list("unit__name", "score"))
    assert scores == {"花溪区教育局": D("50.00"), "花溪区民政局": D("70.00")}


@pytest.mark.parametrize("who", ["department", "publisher", "firm"])
def test_only_the_reviewer_computes(client, roles, who):
    client.force_login(getattr(roles, who))
    assert client.get(url("compute")).status_code == 403
    response = client.post(url("compute"), {"region": roles.region.pk, "year": YEAR})
    assert response.status_code == 403
    assert not DepartmentAssessment.objects.exists()


def test_a_regional_reviewer_computes_only_its_region(client, roles):
    elsewhere = Region.objects.create(code="520112", name="乌当区")
    bound = roles.login("wudang-reviewer", "reviewer", region=elsewhere)
    client.force_login(bound)
    response = client.post(url("compute"), {"region": roles.region.pk, "year": YEAR})
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not DepartmentAssessment.objects.exists()


def test_the_reviewer_adjusts_a_score_with_a_reason(client, roles, rows):
    row = rows["花溪区教育局"]
    client.force_login(roles.reviewer)
    assert url("adjust", row.pk) in client.get(admin_url(row)).content.decode()
    page = client.get(url("adjust", row.pk))
    assert page.status_code == 200

    refused = client.post(
        url("adjust", row.pk), {"adjustment": "5", "reason": "", "revision": row.revision}
    )
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors

    response = client.post(
        url("adjust", row.pk),
        {"adjustment": "5", "reason": "主动公开部门整体评价报告", "revision": row.revision},
    )
    assert response.status_code == 302
    assert "考核得分调整为 65.00 分" in messages_of(response)[0]
    row.refresh_from_db()
    assert (row.adjustment, row.score, row.adjusted_by) == (D(5), D("65.00"), roles.reviewer)
    text = page_text(client.get(admin_url(row)))
    assert "调整分 5.00 主动公开部门整体评价报告" in text


def test_an_adjustment_out_of_range_is_refused_on_its_page(client, roles, rows):
    row = rows["花溪区民政局"]
    client.force_login(roles.reviewer)
    response = client.post(
        url("adjust", row.pk), {"adjustment": "31", "reason": "加分", "revision": row.revision}
    )
    assert response.status_code == 200
    assert "调整后得分 101.00 不在 0–100 之间" in response.content.decode()


@pytest.mark.parametrize("who", ["department", "publisher"])
def test_a_forged_adjustment_is_refused(client, roles, rows, who):
    row = rows["花溪区教育局"]
    client.force_login(getattr(roles, who))
    assert client.get(url("adjust", row.pk)).status_code == 403
    data = {"adjustment": "30", "reason": "伪造", "revision": row.revision}
    assert client.post(url("adjust", row.pk), data).status_code == 403
    row.refresh_from_db()
    assert (row.score, row.revision) == (D("60.00"), 1)


def test_a_department_cannot_adjust_another_units_row(client, roles, rows):
    client.force_login(roles.department)
    row = rows["花溪区民政局"]
    response = client.post(url("adjust", row.pk), {"adjustment": "1", "reason": "x", "revision": 1})
    assert response.status_code == 404


# -- the export ------------------------------------------------------------------------------


def export(client, region, year=YEAR):
    response = client.get(url("export"), {"region": region.pk, "year": year})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return response, load_workbook(io.BytesIO(response.content))


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_the_ranking_and_every_units_breakdown(client, roles, rows):
    assessment_adjust(
        assessment_row=rows["花溪区教育局"],
        user=roles.reviewer,
        adjustment=D("-2.5"),
        reason="=监控表逾期报送",
    )
    client.force_login(roles.reviewer)
    response, book = export(client, roles.region)

    assert "2022" in response["Content-Disposition"]
    assert book.sheetnames == ["排名", "得分明细"]
    ranking = values(book["排名"])
    assert ranking[0][0] == "花溪区2022年度绩效管理工作考核排名"
    assert ranking[1] == [
        "排名",
        "被考核单位",
        "单位类型",
        "计算得分",
        "调整分",
        "考核得分",
        "调整理由",
    ]
    assert ranking[2:] == [
        [1, "'=HYPERLINK(1)街道", "街道", 70, 0, 70, None],
        [1, "花溪区民政局", "部门", 70, 0, 70, None],
        [3, "花溪区教育局", "部门", 60, -2.5, 57.5, "'=监控表逾期报送"],
    ]
    sheet = book["排名"]
    assert sheet["D3"].data_type == "n" and sheet["F5"].data_type == "n"

    detail = values(book["得分明细"])
    assert detail[0][0] == "花溪区2022年度绩效管理工作考核得分明细"
    assert detail[1] == [
        "排名",
        "被考核单位",
        "考核内容",
        "分值",
        "得分比例（%）",
        "得分",
        "计算依据",
    ]
    education = [line for line in detail[2:] if line[1] == "花溪区教育局"]
    assert education == [
        [3, "花溪区教育局", "绩效目标按时申报", 15, 0, 0, "无应完成事项"],
        [3, "花溪区教育局", "绩效目标审核等级", 15, 0, 0, "无已审核的目标"],
        [3, "花溪区教育局", "绩效监控按时报送", 15, 100, 15, "无应完成事项"],
        [3, "花溪区教育局", "绩效自评按时完成", 15, 100, 15, "无应完成事项"],
        [3, "花溪区教育局", "自评结果真实一致", 10, 100, 10, "无应完成事项"],
        [3, "花溪区教育局", "问题按期整改", 20, 100, 20, "无应完成事项"],
        [3, "花溪区教育局", "评价结果公开", 10, 0, 0, "0/1"],
        [3, "花溪区教育局", "调整分", None, None, -2.5, "'=监控表逾期报送"],
        [3, "花溪区教育局", "考核得分", None, None, 57.5, None],
    ]
    assert len(detail) == 2 + 8 + 8 + 9


def test_the_export_of_a_year_without_assessments_has_headers_only(client, roles, rows):
    client.force_login(roles.reviewer)
    _, book = export(client, roles.region, 2021)
    assert [len(values(book[name])) for name in book.sheetnames] == [2, 2]


def test_the_export_asks_for_a_region_and_year(client, roles, rows):
    client.force_login(roles.reviewer)
    response = client.get(url("export"))
    assert response.status_code == 200
    assert 'value="导出 xlsx"' in response.content.decode()
    listing = client.get(
        changelist_url(DepartmentAssessment, f"region__id__exact={roles.region.pk}&year={YEAR}")
    )
    assert f"{url('export')}?region={roles.region.pk}&amp;year={YEAR}" in listing.content.decode()


@pytest.mark.parametrize("who", ["department", "publisher", "firm", "stranger"])
def test_only_the_reviewer_exports(client, roles, rows, who):
    client.force_login(getattr(roles, who))
    response = client.get(url("export"), {"region": roles.region.pk, "year": YEAR})
    assert response.status_code == 403


def test_the_rules_are_the_bureaus_and_add_up_to_100(client, roles):
    client.force_login(roles.reviewer)
    data = {
        "region": roles.region.pk,
        "year": YEAR,
        "targets_on_time": "20",
        "target_quality": "15",
        "monitoring_on_time": "15",
        "self_evaluation_on_time": "15",
        "self_evaluation_consistent": "10",
        "rectification_on_time": "20",
        "disclosure": "10",
        "target_due": "2022-01-31",
        "self_evaluation_due": "",
    }
    add = reverse("admin:evaluations_assessmenttemplate_add")
    response = client.post(add, data)
    assert response.status_code == 200
    assert "各项考核内容分值合计须为 100 分，现为 105 分" in page_text(response)
    response = client.post(add, {**data, "targets_on_time": "15"})
    assert response.status_code == 302
    assert AssessmentTemplate.objects.get().target_due.isoformat() == "2022-01-31"
    client.force_login(roles.department)
    assert client.get(reverse("admin:evaluations_assessmenttemplate_changelist")).status_code == 403


def test_computing_twice_keeps_the_adjustment(client, roles, rows):
    assessment_adjust(
        assessment_row=rows["花溪区教育局"], user=roles.reviewer, adjustment=D(3), reason="加分"
    )
    client.force_login(roles.reviewer)
    client.post(url("compute"), {"region": roles.region.pk, "year": YEAR})
    row = DepartmentAssessment.objects.get(unit=roles.own_unit)
    assert (row.computed, row.adjustment, row.score, row.revision) == (
        D("60.00"),
        D(3),
        D("63.00"),
        3,
    )


def test_the_list_takes_the_same_queries_for_3_units_and_9(client, roles, rows):
    def listing_queries():
        client.force_login(roles.reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist_url(DepartmentAssessment)).status_code == 200
        return len(captured)

    few = listing_queries()
    for i in range(6):
        Unit.objects.create(region=roles.region, name=f"单位{i}", kind="department")
    assessments_compute(region=roles.region, year=YEAR, user=roles.reviewer)
    assert listing_queries() == few


def test_a_department_cannot_learn_its_rank_by_filtering(client, roles, rows):
    client.force_login(roles.department)
    for rank in (1, 3):
        response = client.get(changelist_url(DepartmentAssessment, f"rank={rank}"))
        assert response.status_code in (302, 400) or not response.context["cl"].result_list
