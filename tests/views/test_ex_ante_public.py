"""/<region>/<year>/projects/<number>/: the concluded ex-ante assessment (事前绩效评估) of a
released project, read with its target in the same query, and nothing of one not
concluded or of a project not released."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from evaluations.models import Conclusion, Firm, PerformanceTarget, Project, TargetVersion, Unit
from evaluations.selectors.public_filings import project_filings
from evaluations.services.ex_ante import ex_ante_commission, ex_ante_conclude, ex_ante_submit
from evaluations.services.targets import target_review
from evaluations.workflow import Role, State
from tests.services.test_ex_ante import filed, grade_all

from .builders import add_key_project, add_role_user, add_target, leaf
from .pages import page_text, url

pytestmark = pytest.mark.django_db

YEAR = 2022
PAGE = url("520111", YEAR, "projects/1/")
LEAVES = [
    leaf("产出指标", "数量指标", "新增学位数", 50, "≥100个"),
    leaf("效益指标", "社会效益指标", "普惠率", 30, "≥85%"),
    leaf("满意度指标", "服务对象满意度指标", "家长满意度", 10, "≥90%"),
]


@pytest.fixture
def people(huaxi):
    unit = Unit.objects.create(region=huaxi, name="贵阳市花溪区教育局", kind="department")
    firm = Firm.objects.create(name="北京信府科技有限责任公司")
    return SimpleNamespace(
        region=huaxi,
        unit=unit,
        firm=firm,
        department=add_role_user("dept", Role.DEPARTMENT, units=[unit]),
        reviewer=add_role_user("reviewer", Role.REVIEWER),
        firm_user=add_role_user("firm", Role.FIRM, firm=firm),
    )


def key_project(people, *, conclude=True, state=State.RELEASED, number=1):
    """A new key project whose target is approved after its ex-ante assessment (graded by
    the firm, concluded 调整后支持) or, with conclude False, approved without one concluded
    (a continuing project assessed of its own accord)."""
    project = add_key_project(
        people.region, YEAR, number=number, name=f"学前教育项目{number}", unit=people.unit
    )
    Project.objects.filter(pk=project.pk).update(state=state)
    target = add_target(
        region=people.region,
        year=YEAR,
        unit=people.unit,
        department=people.department,
        reviewer=people.reviewer,
        leaves=LEAVES,
        evaluation=project,
        funds_total=Decimal("476.604"),
        approve=False,
    )
    attribute = "new" if conclude else "continuing"
    PerformanceTarget.objects.filter(pk=target.pk).update(attribute=attribute)
    assessment = filed(target, people.department, requested="476.604", summary="新增学位")
    assessment = ex_ante_submit(assessment=assessment, user=people.department)
    if conclude:
        assessment = ex_ante_commission(
            assessment=assessment, user=people.reviewer, firm=people.firm
        )
        grade_all(assessment, people.firm_user, "优优优优良良良良中中")
        ex_ante_conclude(
            assessment=assessment,
            user=people.reviewer,
            conclusion=Conclusion.ADJUST,
            supported=Decimal("400.123456"),
            opinion="立项必要；设备购置预算偏高，按核定数安排",
        )
        # Budgeted at the funds supported, as the gate requires.
        TargetVersion.objects.filter(target=target).update(funds_total=Decimal("400.123456"))
    target_review(version=target.versions.get(), user=people.reviewer, grade="优")
    project.refresh_from_db()
    return project


def test_the_selector_adds_the_concluded_assessment(people):
    filings = project_filings(project=key_project(people))
    assessment = filings.ex_ante.assessment
    assert (assessment.conclusion, assessment.total) == (Conclusion.ADJUST, Decimal("84.00"))
    assert (filings.ex_ante.requested, filings.ex_ante.supported, filings.ex_ante.saved) == (
        "476.604",
        "400.123456",
        "76.480544",
    )


def test_the_partial_shows_conclusion_score_funds_and_opinion(people):
    filings = project_filings(project=key_project(people))
    text = " ".join(render_to_string("evaluations/_ex_ante.html", {"filings": filings}).split())
    assert "事前绩效评估" in text
    assert "北京信府科技有限责任公司受财政局委托" in text
    for shown in (
        '<dt>评估结论</dt> <dd class="value">调整后支持</dd>',
        '<span class="value">84.00</span> 分',
        "通过分数线 70.00 分",
        '<span class="value">476.604</span> 万元',
        '<span class="value">400.123456</span> 万元',
        "节约资金 76.480544 万元",
        "立项必要；设备购置预算偏高，按核定数安排",
    ):
        assert shown in text, shown


def test_an_assessment_not_concluded_is_not_public(people):
    filings = project_filings(project=key_project(people, conclude=False))
    assert filings.target is not None
    assert filings.ex_ante is None


def test_an_unreleased_projects_assessment_is_not_public(people, client):
    project = key_project(people, state=State.APPROVED)
    assert project_filings(project=project).ex_ante is None
    response = client.get(PAGE)
    assert response.status_code == 404
    assert "事前绩效评估" not in page_text(response)


def queries(project) -> int:
    with CaptureQueriesContext(connection) as captured:
        project_filings(project=project)
    return len(captured)


def test_reading_the_assessment_adds_no_query(people):
    without = key_project(people, conclude=False, number=1)
    with_one = key_project(people, number=2)
    assert queries(with_one) == queries(without)


def page_queries(client, number) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("520111", YEAR, f"projects/{number}/")).status_code == 200
    return len(captured)


def test_the_page_runs_the_same_queries_with_and_without_an_assessment(people, client):
    key_project(people, conclude=False, number=1)
    key_project(people, number=2)
    assert page_queries(client, 2) == page_queries(client, 1)


def test_the_released_projects_page_shows_its_ex_ante_conclusion(people, client):
    key_project(people)
    text = page_text(client.get(PAGE))
    assert "事前绩效评估" in text
    assert "评估结论 调整后支持" in text
    assert "节约资金 76.480544 万元" in text
