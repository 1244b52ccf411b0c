import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import Problem, ThirdPartySheet
from evaluations.services.third_party import problem_record, sheet_framework, sheet_save
from evaluations.services.workflow import WorkflowError, evaluation_transition, evaluation_update
from evaluations.workflow import State

from .filings import D

pytestmark = pytest.mark.django_db


def all_scores(project, **overrides):
    leaves = sheet_framework(project).nodes.filter(level=3)
    return {
        node.pk: (overrides.get(node.name, node.points), f"{node.name}：情况良好")
        for node in leaves
    }


def test_the_firm_scores_every_indicator_and_the_total_is_the_projects_score(world):
    project = world.project(State.ASSIGNED)
    scores = all_scores(project, 立项依据充分性=D("3.5"), 实施效益=D("15"), 满意度=D("8.25"))
    sheet = sheet_save(project=project, user=world.firm_user, scores=scores, summary="总体较好")
    # 100 − 0.5 − 5 − 1.75
    assert sheet.total == D("92.75")
    project.refresh_from_db()
    assert (project.score, project.grade) == (D("92.75"), "优")
    assert project.history.first().history_user == world.firm_user


def test_an_incomplete_sheet_gives_no_score_and_cannot_be_submitted(world):
    project = world.project(State.ASSIGNED)
    scores = dict(list(all_scores(project).items())[:3])
    sheet = sheet_save(project=project, user=world.firm_user, scores=scores)
    assert sheet.total is None
    with pytest.raises(WorkflowError, match="评分表尚未完成"):
        evaluation_transition(record=project, name="submit_score", user=world.firm_user)


def test_a_score_above_the_points_is_refused_with_the_indicator_named(world):
    project = world.project(State.ASSIGNED)
    with pytest.raises(WorkflowError, match="“实施效益”得分 21 超出 0–20.00 分"):
        sheet_save(
            project=project, user=world.firm_user, scores=all_scores(project, 实施效益=D(21))
        )
    assert not ThirdPartySheet.objects.exists()


def test_a_score_on_a_sheet_cannot_be_typed_over(world):
    project = world.project(State.ASSIGNED)
    sheet_save(project=project, user=world.firm_user, scores=all_scores(project))
    with pytest.raises(WorkflowError, match="由评分表计算"):
        evaluation_update(record=project, user=world.firm_user, changes={"score": D(60)})


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.SCORED, State.APPROVED])
def test_the_firm_scores_only_in_its_turn(world, state):
    project = world.project(state)
    with pytest.raises(PermissionDenied):
        sheet_save(project=project, user=world.firm_user, scores=all_scores(project))


def test_another_firm_and_the_department_cannot_score(world):
    project = world.project(State.ASSIGNED)
    for user in (world.other_firm_user, world.department, world.publisher):
        with pytest.raises(PermissionDenied):
            sheet_save(project=project, user=user, scores=all_scores(project))


def test_problems_are_items_of_their_own_with_the_responsible_unit(world):
    project = world.project(State.ASSIGNED)
    found = problem_record(user=world.firm_user, project=project, description="资金拨付滞后")
    by_bureau = problem_record(user=world.reviewer, project=project, description="未按期整改")
    assert (found.unit, found.source, found.year) == (world.own_unit, "firm", 2022)
    assert by_bureau.source == "bureau"
    with pytest.raises(PermissionDenied):
        problem_record(user=world.department, project=project, description="x")
    assert Problem.objects.count() == 2


def test_a_problem_found_on_a_units_overall_evaluation_is_the_units_to_rectify(world):
    evaluation = world.unit_evaluation(State.ASSIGNED)
    found = problem_record(
        user=world.firm_user, unit_evaluation=evaluation, description="预算编制粗放"
    )
    assert (found.unit, found.unit_evaluation, found.project) == (world.own_unit, evaluation, None)
    with pytest.raises(PermissionDenied):
        problem_record(user=world.other_firm_user, unit_evaluation=evaluation, description="x")
