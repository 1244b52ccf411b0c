from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.indicators import Node
from evaluations.models import PerformanceTarget, TargetVersion, WorkflowEvent
from evaluations.selectors.targets import target_coverage, version_leaves
from evaluations.services.targets import (
    target_adjust,
    target_create,
    target_review,
    target_submit,
    target_version_update,
)
from evaluations.services.workflow import Conflict, WorkflowError
from evaluations.workflow import FilingState

from .filings import D, approved_target, leaf, project_target, standard_tree

pytestmark = pytest.mark.django_db


def test_a_new_target_starts_from_the_framework_groups_with_their_points(world):
    target = target_create(
        user=world.department,
        region=world.region,
        year=2022,
        unit=world.own_unit,
        scope=PerformanceTarget.Scope.UNIT,
    )
    version = target.versions.get()
    roots = {n.name: n.points for n in version.indicators.filter(level=1)}
    assert roots == {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}
    assert version.indicators.filter(level=2).count() == 9
    # Library entries without points are offered, not copied.
    assert not version.indicators.filter(level=3).exists()
    assert version.state == FilingState.DRAFT


def test_leaf_values_are_parsed_into_operator_number_unit_and_direction(world):
    target = project_target(world, tree=standard_tree(output=[leaf("返工率", "≤2%", 50)]))
    node = target.versions.get().indicators.get(name="返工率")
    assert (node.operator, node.target_number, node.unit_of_measure) == ("≤", D(2), "%")
    assert node.direction == "negative"
    assert node.quantitative
    assert node.target_text == "≤2%"


def test_a_qualitative_target_keeps_its_text(world):
    tree = standard_tree(output=[leaf("资金拨付", "按月安排", 50, quantitative=False)])
    node = project_target(world, tree=tree).versions.get().indicators.get(name="资金拨付")
    assert not node.quantitative
    assert node.target_value == "按月安排"
    assert node.target_number is None


def test_a_department_files_only_for_its_own_units(world):
    with pytest.raises(PermissionDenied):
        project_target(world, unit=world.other_unit)
    with pytest.raises(PermissionDenied):
        target_create(
            user=world.firm_user,
            region=world.region,
            year=2022,
            unit=world.own_unit,
            scope=PerformanceTarget.Scope.UNIT,
        )


def test_submit_is_refused_while_children_points_do_not_add_up_to_the_parent(world):
    tree = standard_tree(output=[leaf("新增学位", "≥1200个", 30), leaf("完工率", "≥95%", 15)])
    version = project_target(world, tree=tree).versions.get()
    with pytest.raises(WorkflowError) as refused:
        target_submit(version=version, user=world.department)
    assert "“产出指标”为 50 分，其下级指标合计 45 分" in str(refused.value)
    version.refresh_from_db()
    assert version.state == FilingState.DRAFT


def test_submit_is_refused_when_the_template_total_is_not_ninety(world):
    tree = standard_tree()
    tree[2].points = D(20)
    tree[2].children[0].children[0].points = D(20)
    version = project_target(world, tree=tree).versions.get()
    with pytest.raises(WorkflowError) as refused:
        target_submit(version=version, user=world.department)
    message = str(refused.value)
    assert "一级指标合计 100 分，应为 90 分" in message
    assert "“满意度指标”应为 10 分（模板不允许调整一级指标分值）" in message


def test_a_region_whose_template_allows_adjustment_may_move_first_level_points(world):
    version = project_target(world).versions.get()
    version.framework.allow_adjustment = True
    version.framework.save()
    tree = standard_tree(
        output=[leaf("新增学位", "≥1200个", 40)], benefit=[leaf("普惠率", "≥85%", 40)]
    )
    tree[0].points, tree[1].points = D(40), D(40)
    target_version_update(version=version, user=world.department, changes={}, tree=tree)
    assert target_submit(version=version, user=world.department).state == FilingState.SUBMITTED


def test_a_quantitative_leaf_without_a_number_and_an_empty_goal_are_refused(world):
    tree = standard_tree(output=[leaf("学位", "若干", 50, quantitative=True)])
    version = project_target(world, tree=tree, overall_goal="").versions.get()
    with pytest.raises(WorkflowError) as refused:
        target_submit(version=version, user=world.department)
    assert "请填写年度总体目标" in str(refused.value)
    assert "“学位”：定量指标须填写计算符号和数值指标值" in str(refused.value)


@pytest.mark.parametrize(
    ("grade", "state", "comment"),
    [
        ("优", FilingState.APPROVED, ""),
        ("良", FilingState.APPROVED, "按意见完善满意度指标"),
        ("中", FilingState.RETURNED, "指标不完整，请补充质量指标"),
        ("差", FilingState.REJECTED, "目标与项目无关"),
    ],
)
def test_the_review_grade_decides_what_happens_to_the_target(world, grade, state, comment):
    version = project_target(world).versions.get()
    target_submit(version=version, user=world.department)
    reviewed = target_review(version=version, user=world.reviewer, grade=grade, comment=comment)
    assert reviewed.state == state
    assert reviewed.review_grade == grade
    target = PerformanceTarget.objects.get()
    assert (target.approved_version_id == version.pk) == (state == FilingState.APPROVED)


@pytest.mark.parametrize("grade", ["中", "差"])
def test_a_return_or_refusal_needs_an_opinion(world, grade):
    version = project_target(world).versions.get()
    target_submit(version=version, user=world.department)
    with pytest.raises(WorkflowError, match="必须填写意见"):
        target_review(version=version, user=world.reviewer, grade=grade)


def test_only_the_bureau_reviews_and_only_submitted_versions(world):
    version = project_target(world).versions.get()
    with pytest.raises(Conflict):
        target_review(version=version, user=world.reviewer, grade="优")
    target_submit(version=version, user=world.department)
    for user in (world.department, world.firm_user, world.publisher, world.stranger):
        with pytest.raises(PermissionDenied):
            target_review(version=version, user=user, grade="优")


def test_an_approved_version_cannot_be_edited(world):
    target = approved_target(world)
    version = target.approved_version
    with pytest.raises(PermissionDenied):
        target_version_update(version=version, user=world.department, changes={"overall_goal": "x"})


def test_an_adjustment_keeps_every_approved_version(world):
    target = approved_target(world)
    first = target.approved_version
    second = target_adjust(target=target, user=world.department, reason="项目内容调整，学位减少")
    assert (second.number, second.state, second.reason) == (
        2,
        FilingState.DRAFT,
        "项目内容调整，学位减少",
    )
    # The copy is complete and independent of the approved version.
    assert [n.name for n in version_leaves(second)] == [n.name for n in version_leaves(first)]
    tree = standard_tree(
        output=[leaf("新增公办幼儿园学位", "≥1000个", 30), leaf("项目按期完工率", "≥95%", 20)]
    )
    target_version_update(version=second, user=world.department, changes={}, tree=tree)
    target.refresh_from_db()
    assert target.approved_version_id == first.pk  # still in force while the adjustment is pending
    target_submit(version=second, user=world.department)
    target_review(version=second, user=world.reviewer, grade="良", comment="同意调整")
    target.refresh_from_db()
    first.refresh_from_db()
    assert target.approved_version_id == second.pk
    assert first.state == FilingState.SUPERSEDED
    assert version_leaves(first)[0].target_number == D(1200)
    assert version_leaves(second)[0].target_number == D(1000)
    actions = list(
        WorkflowEvent.objects.filter(object_id__in=[first.pk, second.pk])
        .order_by("pk")
        .values_list("action", "comment")
    )
    assert ("target_adjust", "项目内容调整，学位减少") in actions


def test_an_adjustment_needs_a_reason_an_approved_target_and_no_pending_version(world):
    target = approved_target(world)
    with pytest.raises(WorkflowError, match="调整原因"):
        target_adjust(target=target, user=world.department, reason=" ")
    target_adjust(target=target, user=world.department, reason="政策变化")
    with pytest.raises(WorkflowError, match="第2版尚在办理中"):
        target_adjust(target=target, user=world.department, reason="再次调整")
    draft = project_target(world, name="另一个项目")
    with pytest.raises(WorkflowError, match="已批复"):
        target_adjust(target=draft, user=world.department, reason="政策变化")


def test_a_stale_revision_is_refused(world):
    version = project_target(world).versions.get()
    seen = version.revision
    target_version_update(
        version=version, user=world.department, changes={"overall_goal": "新目标"}
    )
    with pytest.raises(Conflict):
        target_version_update(
            version=version, user=world.department, changes={"overall_goal": "旧页"}, revision=seen
        )


def test_coverage_counts_approved_targets_and_their_funds(world):
    approved_target(world, funds_total=D("100.5"))
    approved_target(world, name="第二个项目", funds_total=D("0.000001"))
    project_target(world, name="未批复项目", funds_total=D("999"))
    overall = target_create(
        user=world.department,
        region=world.region,
        year=2022,
        unit=world.own_unit,
        scope=PerformanceTarget.Scope.UNIT,
        overall_goal="履职目标",
        tree=standard_tree(),
    )
    version = overall.versions.get()
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="良", comment="可")
    assert target_coverage(region=world.region, year=2022) == {
        "departments": 1,
        "projects": 2,
        "funds": Decimal("100.500001"),
    }
    assert TargetVersion.objects.count() == 4


def test_a_target_without_indicators_under_a_first_level_is_refused(world):
    tree = standard_tree()
    tree[2] = Node("满意度指标", 1, D(10), [])
    version = project_target(world, tree=tree).versions.get()
    with pytest.raises(WorkflowError, match="“满意度指标”下至少要有一个三级指标"):
        target_submit(version=version, user=world.department)
