"""A project's history page shows every change to its funding lines: who, when, old → new."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import FundingLine
from evaluations.workflow import State
from tests.views.pages import page_text

from .pages import admin_url, form_data, messages_of


def line_history(client, project) -> str:
    """Return the text of the history page's funding-line table."""
    text = page_text(client.get(admin_url(project, "history")))
    assert "资金明细变更" in text
    return text.split("资金明细变更", 1)[1]


def test_it_shows_the_departments_amount_change_with_old_and_new(client, roles):
    project = roles.project(State.DRAFT)
    client.force_login(roles.department)
    page = client.get(admin_url(project))
    data = form_data(page, **{"funding_lines-0-amount": "500", "funding_lines-0-self_score": "95"})

    response = client.post(admin_url(project), data)

    assert response.status_code == 302, messages_of(response)
    text = line_history(client, project)
    assert "dept 第1行 项目1 修改" in text
    assert "年度项目资金（万元）：476.604 → 500" in text
    assert "自评得分：99.9 → 95" in text


def test_it_shows_added_and_deleted_lines(client, roles):
    project = roles.project(State.DRAFT)
    line = FundingLine(
        project=project, position=2, label="配套资金", amount=Decimal("20.5"), self_score=90
    )
    line._history_user = roles.department
    line.save()
    line._history_user = roles.department
    line.delete()
    client.force_login(roles.reviewer)

    text = line_history(client, project)

    assert "dept 第2行 配套资金 删除 年度项目资金（万元）：20.5 → —" in text
    assert "dept 第2行 配套资金 新增 年度项目资金（万元）：— → 20.5" in text
    assert text.index("删除") < text.index("新增")  # newest first


def test_the_history_page_does_not_query_per_line_version(client, roles):
    project = roles.project(State.DRAFT)
    client.force_login(roles.reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(admin_url(project, "history")).status_code == 200
        return len(captured)

    before = queries()
    for position in range(2, 12):
        line = FundingLine(
            project=project, position=position, label=f"明细{position}", amount=1, self_score=90
        )
        line._history_user = roles.department
        line.save()
        line.amount = 2
        line.save()

    assert queries() == before


def test_a_unit_evaluations_history_page_has_no_funding_line_table(client, roles):
    record = roles.unit_evaluation(State.DRAFT)
    client.force_login(roles.department)

    assert "资金明细变更" not in page_text(client.get(admin_url(record, "history")))
