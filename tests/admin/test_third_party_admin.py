"""The firm's evaluation sheet and the problems evaluations find, in the admin."""

from decimal import Decimal

import pytest

from evaluations.models import Problem, Project, ThirdPartySheet
from evaluations.services.third_party import problem_record
from evaluations.workflow import State
from tests.views.pages import page_text

from .filings import add_url, page_data
from .pages import admin_url, changelist_url, listed_ids, messages_of


@pytest.fixture
def assigned(roles):
    return roles.project(State.ASSIGNED)


def open_sheet(client, roles, project):
    client.force_login(roles.firm)
    response = client.post(add_url(ThirdPartySheet), {"project": project.pk})
    sheet = ThirdPartySheet.objects.get(project=project)
    assert response.status_code == 302 and response.url == admin_url(sheet)
    return sheet


def score_all(client, sheet, overrides=None):
    """Give every indicator its full points (or the override), as the firm's page posts."""
    overrides = overrides or {}
    page = client.get(admin_url(sheet))
    form = page.context["adminform"].form
    changes = {}
    for _, node, row in form.scored_rows:
        changes[f"{row.prefix}-score"] = overrides.get(node.name, node.points)
        changes[f"{row.prefix}-finding"] = f"{node.name}：资料齐全"
    return client.post(admin_url(sheet), page_data(page, **changes))


def test_the_firm_scores_every_indicator_and_the_total_becomes_the_projects_score(
    client, roles, assigned
):
    sheet = open_sheet(client, roles, assigned)
    page = client.get(admin_url(sheet))
    leaves = sheet.framework.nodes.filter(level=3).count()
    assert len(page.context["adminform"].form.scored_rows) == leaves
    assert "决策 › 项目立项 › 立项依据充分性" in page.content.decode()

    response = score_all(client, sheet, {"满意度": Decimal("7.5")})

    assert response.status_code == 302, response.content.decode()[:2000]
    sheet.refresh_from_db()
    assigned.refresh_from_db()
    assert sheet.total == Decimal("97.50")
    assert (assigned.score, assigned.grade) == (Decimal("97.50"), "优")
    text = page_text(client.get(admin_url(sheet)))
    assert "合计97.50" in text.replace(" ", "") and "等级：优" in text


def test_a_score_above_the_indicators_points_is_refused_with_the_page_kept(client, roles, assigned):
    sheet = open_sheet(client, roles, assigned)

    response = score_all(client, sheet, {"实施效益": Decimal("25")})

    assert response.status_code == 200
    assert "“实施效益”得分 25 超出 0–20" in " ".join(messages_of(response))
    assert not sheet.scores.exists()


def test_the_projects_score_is_read_only_once_a_sheet_exists(client, roles, assigned):
    client.force_login(roles.firm)
    assert "score" in client.get(admin_url(assigned)).context["adminform"].form.fields

    sheet = open_sheet(client, roles, assigned)
    page = client.get(admin_url(assigned))

    assert "score" not in page.context["adminform"].form.fields
    assert f'href="{admin_url(sheet)}"' in page.content.decode()


def test_others_see_the_sheet_read_only_within_their_scope(client, roles, assigned):
    sheet = open_sheet(client, roles, assigned)

    for user in (roles.department, roles.reviewer, roles.publisher):
        client.force_login(user)
        page = client.get(admin_url(sheet))
        assert page.status_code == 200, user
        assert page.context["editable"] is False, user
        assert client.post(admin_url(sheet), {"summary": "x"}).status_code == 403


def test_a_firm_sees_only_the_sheets_of_its_own_projects(client, roles, assigned):
    own = open_sheet(client, roles, assigned)
    theirs = roles.project(State.ASSIGNED, firm=roles.firm_b, number=2)
    other = ThirdPartySheet.objects.create(project=theirs, framework=own.framework)
    client.force_login(roles.firm)

    assert listed_ids(client.get(changelist_url(ThirdPartySheet))) == {own.pk}
    assert client.get(admin_url(other)).status_code == 404


@pytest.fixture
def problems(roles):
    own = roles.project(State.ASSIGNED)
    elsewhere = roles.project(State.ASSIGNED, unit=roles.other_unit, firm=roles.firm_b, number=2)
    return {
        "own": problem_record(user=roles.firm, project=own, description="绩效目标不够细化"),
        "other": problem_record(user=roles.reviewer, project=elsewhere, description="资金滞留"),
    }


def test_each_role_lists_only_the_problems_in_its_scope(client, roles, problems):
    for user, names in {
        roles.department: {"own"},
        roles.firm: {"own"},
        roles.reviewer: {"own", "other"},
        roles.publisher: {"own", "other"},
    }.items():
        client.force_login(user)
        listed = listed_ids(client.get(changelist_url(Problem)))
        assert listed == {problems[name].pk for name in names}, user


def test_the_firm_records_a_problem_on_a_project_it_scores(client, roles, assigned):
    client.force_login(roles.firm)

    response = client.post(
        add_url(Problem), {"project": assigned.pk, "description": "立项依据不充分"}
    )

    problem = Problem.objects.get()
    assert response.status_code == 302
    assert (problem.unit, problem.source, problem.created_by) == (
        roles.own_unit,
        Problem.Source.FIRM,
        roles.firm,
    )


def test_a_department_records_no_problem(client, roles, assigned):
    client.force_login(roles.department)

    assert client.get(add_url(Problem)).status_code == 403
    response = client.post(add_url(Problem), {"project": assigned.pk, "description": "x"})

    assert response.status_code == 403
    assert not Problem.objects.exists()


def test_a_firm_records_no_problem_once_its_work_is_handed_in(client, roles):
    scored = roles.project(State.SCORED)
    client.force_login(roles.firm)

    response = client.post(add_url(Problem), {"project": scored.pk, "description": "补记"})

    assert response.status_code in (200, 403)
    assert not Problem.objects.filter(project=scored).exists()
    assert Project.objects.get(pk=scored.pk).state == State.SCORED
