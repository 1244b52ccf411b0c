"""Uploading filing tables in the admin: checked first, written on confirmation, scoped."""

from pathlib import Path

import pytest
from django.urls import reverse

from evaluations.models import SelfEvaluation, TargetVersion

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"


def upload(client, name, region, **extra):
    with open(LAYOUTS / name, "rb") as handle:
        return client.post(reverse("tables:import"), {"file": handle, "region": region.pk, **extra})


@pytest.fixture
def civil_affairs(roles):
    # The tables' 主管部门 is 花溪区民政局, the fixture's other unit: the department owns it here.
    roles.department.perf_role.units.add(roles.other_unit)
    return roles.other_unit


def test_a_department_checks_then_confirms_its_target_table(client, roles, civil_affairs):
    client.force_login(roles.department)
    checked = upload(client, "target_table.xlsx", roles.region)
    assert checked.status_code == 200
    assert "检查通过（尚未写入）" in checked.content.decode()
    assert not TargetVersion.objects.exists()
    confirmed = client.post(reverse("tables:import"), {"confirm": "1"})
    assert "已写入" in confirmed.content.decode()
    version = TargetVersion.objects.get()
    assert version.target.unit == civil_affairs
    assert version.created_by == roles.department


def test_a_bad_table_lists_every_problem_with_its_place_and_writes_nothing(
    client, roles, civil_affairs
):
    client.force_login(roles.department)
    page = upload(client, "self_evaluation_standard.xlsx", roles.region).content.decode()
    assert "文件未能导入，未写入任何数据" in page
    assert "self_evaluation_standard.xlsx 工作表" in page
    assert "确认导入" not in page
    assert not SelfEvaluation.objects.exists()


def test_only_the_reviewer_is_offered_approved_import(client, roles, civil_affairs):
    client.force_login(roles.department)
    assert "已审核通过" not in client.get(reverse("tables:import")).content.decode()
    upload(client, "self_evaluation_standard.xlsx", roles.region, approved="on")
    assert not SelfEvaluation.objects.exists()
    client.force_login(roles.reviewer)
    assert "已审核通过" in client.get(reverse("tables:import")).content.decode()
    upload(client, "self_evaluation_standard.xlsx", roles.region, approved="on")
    client.post(reverse("tables:import"), {"confirm": "1"})
    assert SelfEvaluation.objects.get().total is not None


@pytest.mark.parametrize("who", ["firm", "publisher", "stranger"])
def test_others_cannot_upload(client, roles, who):
    client.force_login(getattr(roles, who))
    assert client.get(reverse("tables:import")).status_code in (302, 403)


def test_a_filing_downloads_only_for_those_who_see_it(client, roles, civil_affairs):
    client.force_login(roles.reviewer)
    upload(client, "self_evaluation_standard.xlsx", roles.region, approved="on")
    client.post(reverse("tables:import"), {"confirm": "1"})
    evaluation = SelfEvaluation.objects.get()
    url = reverse("tables:export", args=["self_evaluation", evaluation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(roles.firm)
    assert client.get(url).status_code == 404
    client.force_login(roles.department)
    assert client.get(url).status_code == 200


def test_the_index_counts_filings_awaiting_each_role_and_links_the_upload(
    client, roles, civil_affairs
):
    client.force_login(roles.department)
    upload(client, "target_table.xlsx", roles.region)
    client.post(reverse("tables:import"), {"confirm": "1"})
    page = client.get(reverse("admin:index")).content.decode()
    assert "绩效目标、监控与自评" in page
    assert (
        'href="/admin/evaluations/performancetarget/?working_state=draft" class="pending"' in page
    )
    assert reverse("tables:import") in page
    client.force_login(roles.firm)
    page = client.get(reverse("admin:index")).content.decode()
    assert "绩效目标、监控与自评" not in page
    assert reverse("tables:import") not in page


def test_the_filing_queues_cost_the_same_queries_for_one_or_many(roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.admin.queues import filing_queues
    from evaluations.models import PerformanceTarget
    from evaluations.services.targets import target_create

    def drafts():
        with CaptureQueriesContext(connection) as queries:
            queues = filing_queues(roles.department)
        return len(queries), queues[0]["entries"][0]["count"]

    def file(name):
        target_create(
            user=roles.department,
            region=roles.region,
            year=2022,
            unit=roles.own_unit,
            scope=PerformanceTarget.Scope.PROJECT,
            project_name=name,
        )

    file("项目0")
    few, one = drafts()
    for i in range(1, 8):
        file(f"项目{i}")
    many, eight = drafts()
    assert (one, eight) == (1, 8)
    assert few == many
