"""The deviation board of a monitoring period: the bureau's only, counted from records,
in a fixed number of queries whatever the number of targets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.indicators import Likelihood
from evaluations.models import Region
from evaluations.services.monitoring import monitoring_report_save, monitoring_transition

from .filings import D, approved_target, filer, period, project_target
from .pages import admin_url


def reported(roles, target, half_year, *, spent, uncertain=()):
    """File and submit the target's report: spending so far, indicators not certain."""
    user = filer(roles, target.unit)
    leaves = target.approved_version.indicators.filter(level=3)
    entries = {
        leaf.pk: {"likelihood": Likelihood.CERTAIN}
        | (
            {"likelihood": Likelihood.POSSIBLE, "cause": "生源不足", "measure": "加强宣传"}
            if leaf.name in uncertain
            else {}
        )
        for leaf in leaves
    }
    report = monitoring_report_save(
        period=half_year,
        target=target,
        user=user,
        changes={"budget": D(100), "spent": D(spent), "cause": "进度滞后", "measure": "加快支付"},
        entries=entries,
    )
    return monitoring_transition(report=report, user=user, name="submit")


@pytest.fixture
def half_year(roles):
    return period(roles, end_month=6)


@pytest.fixture
def board_targets(roles, half_year):
    """On pace; lagging with an uncertain indicator; missing; not approved; elsewhere."""
    on_pace = approved_target(roles, name="按进度项目")
    lagging = approved_target(roles, unit=roles.other_unit, name="滞后项目")
    missing = approved_target(roles, name="未报送项目")
    project_target(roles, name="未批复项目")
    reported(roles, on_pace, half_year, spent="60")
    reported(roles, lagging, half_year, spent="20", uncertain={"普惠率"})
    return {"on_pace": on_pace, "lagging": lagging, "missing": missing}


def board_url(half_year):
    return admin_url(half_year, "board")


def test_the_bureau_sees_the_counts_and_each_targets_row(client, roles, board_targets, half_year):
    client.force_login(roles.reviewer)

    response = client.get(board_url(half_year))

    assert response.status_code == 200
    board = response.context["board"]
    counts = {key: board[key] for key in ("targets", "reported", "missing", "lagging", "uncertain")}
    assert counts == {"targets": 3, "reported": 2, "missing": 1, "lagging": 1, "uncertain": 1}
    rows = {row.target.project_name: row for row in board["rows"]}
    assert rows["滞后项目"].execution.lag == D("30.00")
    assert rows["滞后项目"].uncertain == 1
    assert not rows["未报送项目"].reported


def test_lagging_and_missing_are_written_out_not_only_coloured(
    client, roles, board_targets, half_year
):
    client.force_login(roles.publisher)

    page = client.get(board_url(half_year)).content.decode()

    for text in (
        "单位",
        "目标",
        "报送状态",
        "执行率",
        "序时进度",
        "滞后（百分点）",
        "不确定指标数",
    ):
        assert text in page
    assert page.count("未报送") >= 2  # the count's label and the missing row
    assert "执行滞后" in page and "有不确定指标" in page
    assert "花溪区民政局" in page and "30.00" in page


@pytest.mark.parametrize("who", ["department", "firm", "stranger"])
def test_only_the_bureau_sees_the_board(client, roles, half_year, who):
    client.force_login(getattr(roles, who))

    assert client.get(board_url(half_year)).status_code == 403


def test_a_bureau_bound_to_another_region_does_not_see_the_period(client, roles, half_year):
    elsewhere = Region.objects.create(code="520112", name="乌当区")
    user = roles.login("wudang", "reviewer", region=elsewhere)
    client.force_login(user)

    assert client.get(board_url(half_year)).status_code == 404


def test_the_board_runs_the_same_queries_for_three_targets_and_twelve(
    client, roles, board_targets, half_year, django_assert_num_queries
):
    client.force_login(roles.reviewer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(board_url(half_year)).status_code == 200

    for number in range(9):
        target = approved_target(roles, name=f"项目{number}")
        if number % 2:
            reported(roles, target, half_year, spent="10", uncertain={"家长满意度"})

    with django_assert_num_queries(len(few)):
        response = client.get(board_url(half_year))
    assert response.context["board"]["targets"] == 12
