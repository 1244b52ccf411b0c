"""Monitoring reports in the admin: filed by the department for an approved target and a
period, checked before submission, reviewed by the bureau."""

import pytest

from evaluations.indicators import Likelihood
from evaluations.models import MonitoringPeriod, MonitoringReport, WorkflowEvent
from evaluations.services.monitoring import monitoring_report_save
from evaluations.workflow import FilingState

from .filings import (
    D,
    add_url,
    approved_target,
    filer,
    page_data,
    period,
    row_prefix,
    step_url,
)
from .pages import admin_url, changelist_url, listed_ids, messages_of


@pytest.fixture
def half_year(roles):
    return period(roles, end_month=6)


def report_of(roles, target, half_year, **changes):
    values = {"budget": D(100), "spent": D(60), **changes}
    user = filer(roles, target.unit)
    return monitoring_report_save(period=half_year, target=target, user=user, changes=values)


@pytest.fixture
def reports(roles, half_year):
    own = approved_target(roles)
    other = approved_target(roles, unit=roles.other_unit, name="低保资金")
    return {"own": report_of(roles, own, half_year), "other": report_of(roles, other, half_year)}


def test_each_role_lists_only_the_reports_in_its_scope(client, roles, reports):
    expected = {
        roles.department: {reports["own"].pk},
        roles.reviewer: {reports["own"].pk, reports["other"].pk},
        roles.publisher: {reports["own"].pk, reports["other"].pk},
    }
    for user, ids in expected.items():
        client.force_login(user)
        assert listed_ids(client.get(changelist_url(MonitoringReport))) == ids, user


def test_a_firm_sees_no_reports_and_a_department_not_another_units(client, roles, reports):
    client.force_login(roles.firm)
    assert client.get(changelist_url(MonitoringReport)).status_code == 403
    client.force_login(roles.department)
    assert client.get(admin_url(reports["other"])).status_code == 404


def test_the_department_files_a_report_for_an_approved_target_and_a_period(
    client, roles, half_year
):
    target = approved_target(roles)
    client.force_login(roles.department)
    form = client.get(add_url(MonitoringReport)).context["adminform"].form
    assert list(form.fields["target"].queryset) == [target]

    response = client.post(
        add_url(MonitoringReport),
        {"target": target.pk, "period": half_year.pk, "budget": "476.604", "spent": "200"},
    )

    report = MonitoringReport.objects.get()
    assert response.status_code == 302 and response.url == admin_url(report)
    assert report.version == target.approved_version
    assert report.entries.count() == 4
    page = client.get(admin_url(report))
    assert "请选择完成目标可能性" in " ".join(page.context["problems"])


def test_a_report_for_a_period_of_another_year_is_refused_with_the_form_kept(client, roles):
    target = approved_target(roles)
    next_year = MonitoringPeriod.objects.create(
        region=roles.region, year=2023, end_month=6, due_date="2023-07-15"
    )
    client.force_login(roles.department)

    response = client.post(
        add_url(MonitoringReport),
        {"target": target.pk, "period": next_year.pk, "budget": "100", "spent": "12.5"},
    )

    assert response.status_code == 200
    assert "监控期须与绩效目标属于同一区划和年度" in messages_of(response)
    assert 'value="12.5"' in response.content.decode()
    assert not MonitoringReport.objects.exists()


def fill(client, report, likelihoods: dict, **changes):
    page = client.get(admin_url(report))
    for name, (likelihood, cause, measure) in likelihoods.items():
        prefix = row_prefix(page, name)
        changes |= {
            f"{prefix}-progress": "进行中",
            f"{prefix}-likelihood": likelihood,
            f"{prefix}-cause": cause,
            f"{prefix}-measure": measure,
        }
    response = client.post(admin_url(report), page_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def submit(client, report):
    report.refresh_from_db()
    return client.post(step_url(report, "submit"), {"revision": report.revision})


CERTAIN = (Likelihood.CERTAIN, "", "")
NAMES = ["新增公办幼儿园学位", "项目按期完工率", "普惠率", "家长满意度"]


def test_a_possible_target_without_a_cause_is_refused_on_submit(client, roles, reports):
    report = reports["own"]
    client.force_login(roles.department)
    fill(client, report, dict.fromkeys(NAMES, CERTAIN) | {"普惠率": (Likelihood.POSSIBLE, "", "")})

    response = submit(client, report)

    assert response.status_code == 200
    assert "“普惠率”完成目标可能性为“有可能”：须填写原因分析和改进措施" in response.content.decode()
    report.refresh_from_db()
    assert report.state == FilingState.DRAFT

    fill(client, report, {"普惠率": (Likelihood.POSSIBLE, "生源不足", "扩大招生宣传")})
    assert submit(client, report).status_code == 302
    report.refresh_from_db()
    assert report.state == FilingState.SUBMITTED
    assert report.entries.get(indicator__name="普惠率").cause == "生源不足"


def test_spending_behind_the_pace_needs_a_cause_and_a_measure(client, roles, reports):
    report = reports["own"]
    client.force_login(roles.department)
    fill(client, report, dict.fromkeys(NAMES, CERTAIN), spent="20")

    page = client.get(admin_url(report))

    assert any("滞后 30.00 个百分点" in p for p in page.context["problems"])
    assert "滞后 30" in page.content.decode()
    assert submit(client, report).status_code == 200


def test_the_bureau_reviews_a_submitted_report_and_cannot_edit_it(client, roles, reports):
    report = reports["own"]
    client.force_login(roles.department)
    fill(client, report, dict.fromkeys(NAMES, CERTAIN))
    assert submit(client, report).status_code == 302

    client.force_login(roles.reviewer)
    page = client.get(admin_url(report))
    assert {s["name"] for s in page.context["steps"]} == {"return", "approve"}
    assert client.post(admin_url(report), {"spent": "99", "_continue": "1"}).status_code == 403
    report.refresh_from_db()
    response = client.post(step_url(report, "approve"), {"revision": report.revision})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == FilingState.APPROVED
    client.force_login(roles.department)
    assert client.get(admin_url(report)).context["editable"] is False


@pytest.mark.parametrize(
    ("name", "state", "who"),
    [
        ("approve", FilingState.SUBMITTED, "department"),
        ("return", FilingState.SUBMITTED, "publisher"),
        ("submit", FilingState.DRAFT, "reviewer"),
        ("reopen", FilingState.APPROVED, "department"),
    ],
)
def test_a_forged_transition_by_the_wrong_role_changes_nothing(
    client, roles, reports, name, state, who
):
    report = reports["own"]
    MonitoringReport.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    events = WorkflowEvent.objects.count()
    client.force_login(getattr(roles, who))

    assert client.get(step_url(report, name)).status_code == 403
    response = client.post(step_url(report, name), {"revision": report.revision, "comment": "x"})

    assert response.status_code == 403
    before = (report.state, report.revision)
    report.refresh_from_db()
    assert (report.state, report.revision) == before
    assert WorkflowEvent.objects.count() == events
