"""Ex-ante evaluation (事前绩效评估): the department files, the bureau or its firm grades,
the bureau concludes; the gate keeps a project without a passing assessment from approved
targets and from evaluation, and says why; the savings are counted from the records."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from evaluations.models import (
    Conclusion,
    ExAnteAssessment,
    ExAnteItem,
    ExAnteTemplate,
    FirmRecusal,
    PerformanceTarget,
    Project,
    Region,
    UserRole,
    WorkflowEvent,
)
from evaluations.policies import visible_ex_ante
from evaluations.selectors.ex_ante import fileable_targets, savings_summary
from evaluations.services.ex_ante import (
    ex_ante_commission,
    ex_ante_conclude,
    ex_ante_file,
    ex_ante_grade,
    ex_ante_submit,
    ex_ante_update,
    gate_problem,
    template_for,
)
from evaluations.services.targets import (
    target_adjust,
    target_create,
    target_review,
    target_submit,
    target_version_update,
)
from evaluations.services.workflow import Conflict, WorkflowError, evaluation_transition
from evaluations.workflow import FilingState, Role, State

from .filings import project_target, standard_tree

pytestmark = pytest.mark.django_db

D = Decimal
State_ = ExAnteAssessment.State
ALL_EXCELLENT = "优" * 10
NO_ASSESSMENT = "该项目须经事前绩效评估，尚未提交评估"


# -- builders, through the services (the admin tests use them too) --------------------------


def default_items():
    return list(ExAnteTemplate.objects.get(region=None, year=None).items.order_by("position"))


def new_project(world, *, name="幼儿园公办率及普惠率达标经费", funds="476.604", attribute="new"):
    """Return a project target of the own unit, new (新增) by default, submitted."""
    target = project_target(world, name=name, attribute=attribute, funds_total=D(funds))
    target_submit(version=target.versions.get(), user=world.department)
    return target


def filed(target, department, *, requested="476.604", summary="新增公办学位1200个"):
    return ex_ante_file(target=target, user=department, requested=D(requested), summary=summary)


def grade_all(assessment, user, grades=ALL_EXCELLENT, note=""):
    """Grade the template's sub-items in order with the letters of grades."""
    items = list(assessment.template.items.order_by("position"))
    marks = {item.pk: (grade, note) for item, grade in zip(items, grades, strict=True)}
    return ex_ante_grade(assessment=assessment, user=user, grades=marks)


def assessed(
    target,
    *,
    department,
    reviewer,
    grades=ALL_EXCELLENT,
    conclusion=Conclusion.SUPPORT,
    requested="476.604",
    supported=None,
    opinion="立项依据充分，同意安排",
):
    """Take the target's assessment through filing, grading (by the bureau) and conclusion."""
    assessment = filed(target, department, requested=requested)
    ex_ante_submit(assessment=assessment, user=department)
    grade_all(assessment, reviewer, grades)
    if supported is None and conclusion != Conclusion.REJECT:
        supported = requested
    return ex_ante_conclude(
        assessment=assessment,
        user=reviewer,
        conclusion=conclusion,
        supported=None if supported is None else D(supported),
        opinion=opinion,
    )


def approve(world, target):
    version = target.versions.order_by("-number").first()
    return target_review(version=version, user=world.reviewer, grade="优")


def submitted(world, target, **kw):
    assessment = filed(target, world.department, **kw)
    return ex_ante_submit(assessment=assessment, user=world.department)


def region_reviewer(region_code="520112"):
    region = Region.objects.create(code=region_code, name="乌当区")
    user = User.objects.create_user("elsewhere", password="pw-tests-only", is_staff=True)
    UserRole.objects.create(user=user, role=Role.REVIEWER, region=region)
    return user


# -- the template ---------------------------------------------------------------------------


def test_the_default_template_has_the_five_dimensions_each_of_two_ten_point_items(db):
    template = ExAnteTemplate.objects.get(region=None, year=None)
    items = default_items()
    assert [item.get_dimension_display() for item in items[::2]] == [
        "立项必要性",
        "投入经济性",
        "绩效目标合理性",
        "实施方案可行性",
        "筹资合规性",
    ]
    assert [item.points for item in items] == [D(10)] * 10
    assert (template.pass_mark, template.major_amount, template.adjusted_passes) == (
        D(70),
        D(50),
        True,
    )


def test_the_most_specific_template_applies(world):
    default = ExAnteTemplate.objects.get(region=None, year=None)
    for_region = ExAnteTemplate.objects.create(name="花溪区", region=world.region)
    for_year = ExAnteTemplate.objects.create(name="花溪区2022", region=world.region, year=2022)
    other = ExAnteTemplate.objects.create(name="2023年默认", year=2023)
    assert template_for(region=world.region, year=2022) == for_year
    assert template_for(region=world.region, year=2021) == for_region
    for_region.delete()
    assert template_for(region=world.region, year=2023) == other
    assert template_for(region=world.region, year=2021) == default


def test_without_any_template_filing_is_refused(world):
    target = new_project(world)
    ExAnteTemplate.objects.all().delete()
    with pytest.raises(WorkflowError, match="没有适用的事前绩效评估模板"):
        filed(target, world.department)


# -- the flow -------------------------------------------------------------------------------


def test_the_department_files_and_submits_the_bureau_grades_and_concludes(world):
    target = new_project(world)
    assessment = filed(target, world.department, requested="476.604")
    assert (assessment.state, assessment.total, assessment.template.region) == (
        State_.DRAFT,
        None,
        None,
    )
    assessment = ex_ante_update(
        assessment=assessment,
        user=world.department,
        requested=D("500"),
        summary="  新增学位，提高普惠率  ",
        revision=1,
    )
    assert (assessment.requested, assessment.summary, assessment.revision) == (
        D(500),
        "新增学位，提高普惠率",
        2,
    )
    assessment = ex_ante_submit(assessment=assessment, user=world.department, revision=2)
    assert assessment.state == State_.SUBMITTED and assessment.submitted_at is not None
    assessment = ex_ante_commission(assessment=assessment, user=world.reviewer, firm=None)
    assessment = grade_all(assessment, world.reviewer, "优良中优优良中差优优", note="依据充分")
    assert (assessment.state, assessment.total) == (State_.SCORED, D("78.00"))
    assert set(assessment.grades.values_list("note", flat=True)) == {"依据充分"}
    assessment = ex_ante_conclude(
        assessment=assessment,
        user=world.reviewer,
        conclusion=Conclusion.ADJUST,
        supported=D("420.5"),
        opinion="压减设备购置预算",
    )
    assert (assessment.state, assessment.conclusion, assessment.supported) == (
        State_.CONCLUDED,
        Conclusion.ADJUST,
        D("420.5"),
    )
    assert assessment.concluded_by == world.reviewer and assessment.concluded_at is not None
    events = WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ExAnteAssessment), object_id=assessment.pk
    ).order_by("pk")
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("ex_ante_file", "", "draft"),
        ("ex_ante_submit", "draft", "submitted"),
        ("ex_ante_commission", "submitted", "submitted"),
        ("ex_ante_grade", "submitted", "scored"),
        ("ex_ante_conclude", "scored", "concluded"),
    ]
    assert events.last().actor == world.reviewer


@pytest.mark.parametrize(
    ("grades", "total"),
    [
        (ALL_EXCELLENT, "100.00"),
        ("良" * 10, "80.00"),
        ("中" * 10, "60.00"),
        ("差" * 10, "0.00"),
        ("优优优优优良中中差差", "70.00"),
        ("优良中差优良中差优优", "68.00"),
    ],
)
def test_the_total_is_the_sum_of_each_grades_share_of_its_points(world, grades, total):
    assessment = submitted(world, new_project(world))
    assert grade_all(assessment, world.reviewer, grades).total == D(total)
    rows = assessment.grades.order_by("item__position")
    assert sum(row.points for row in rows) == D(total)


def test_the_templates_shares_and_points_are_used(world):
    template = ExAnteTemplate.objects.create(
        name="花溪区", region=world.region, good_share=D(75), fair_share=D(50)
    )
    for position, (dimension, points) in enumerate(
        [("necessity", "30"), ("economy", "17.5"), ("targets", "17.5")]
        + [("feasibility", "20"), ("financing", "15")]
    ):
        ExAnteItem.objects.create(
            template=template,
            dimension=dimension,
            name=dimension,
            points=D(points),
            position=position,
        )
    assessment = submitted(world, new_project(world))
    assert assessment.template == template
    assert grade_all(assessment, world.reviewer, "良良中优差").total == D("64.38")
    # 22.50 + 13.13 (13.125 half up) + 8.75 + 20.00 + 0.00


def test_grading_part_of_the_items_keeps_the_assessment_open(world):
    assessment = submitted(world, new_project(world))
    first, second = default_items()[:2]
    assessment = ex_ante_grade(
        assessment=assessment, user=world.reviewer, grades={first.pk: ("优", "")}
    )
    assert (assessment.state, assessment.total) == (State_.SUBMITTED, None)
    assert assessment.grades.get().points == D("10.00")
    assessment = grade_all(assessment, world.reviewer, "良" * 10)
    assert assessment.total == D("80.00")
    # Regraded before the conclusion, the total follows.
    assessment = ex_ante_grade(
        assessment=assessment, user=world.reviewer, grades={second.pk: ("差", "资料不全")}
    )
    assert (assessment.state, assessment.total) == (State_.SCORED, D("72.00"))


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ({"unknown": ("优", "")}, "评估要点须是模板中的要点"),
        ({"first": ("A", "")}, "等级须为优、良、中、差之一"),
    ],
)
def test_grades_must_be_of_the_templates_items_and_of_the_four_grades(world, grades, message):
    assessment = submitted(world, new_project(world))
    first = default_items()[0].pk
    marks = {(first if k == "first" else 999999): v for k, v in grades.items()}
    with pytest.raises(WorkflowError, match=message):
        ex_ante_grade(assessment=assessment, user=world.reviewer, grades=marks)


def scored(world, grades=ALL_EXCELLENT, requested="476.604"):
    assessment = submitted(world, new_project(world), requested=requested)
    return grade_all(assessment, world.reviewer, grades)


@pytest.mark.parametrize(
    ("conclusion", "supported", "opinion", "message"),
    [
        (Conclusion.SUPPORT, "400", "同意", "核定资金少于申请资金的，结论应为“调整后支持”"),
        (Conclusion.ADJUST, "476.604001", "同意", "核定资金须在 0 至申请资金 476.604"),
        (Conclusion.ADJUST, None, "同意", "核定资金须在 0 至申请资金"),
        (Conclusion.SUPPORT, "476.604", "  ", "请填写评估意见"),
        ("maybe", "476.604", "同意", "请选择评估结论"),
    ],
)
def test_a_conclusion_must_match_the_funds_and_carry_an_opinion(
    world, conclusion, supported, opinion, message
):
    assessment = scored(world)
    with pytest.raises(WorkflowError, match=message):
        ex_ante_conclude(
            assessment=assessment,
            user=world.reviewer,
            conclusion=conclusion,
            supported=None if supported is None else D(supported),
            opinion=opinion,
        )
    assessment.refresh_from_db()
    assert assessment.state == State_.SCORED


@pytest.mark.parametrize("conclusion", [Conclusion.SUPPORT, Conclusion.ADJUST])
def test_a_score_under_the_pass_mark_can_only_be_rejected(world, conclusion):
    assessment = scored(world, "优优优优优良中差差差")
    assert assessment.total == D("64.00")
    with pytest.raises(WorkflowError, match="评估得分 64.00 低于 70.00 分，只能“不予支持”"):
        ex_ante_conclude(
            assessment=assessment,
            user=world.reviewer,
            conclusion=conclusion,
            supported=D("100"),
            opinion="同意",
        )


def test_a_rejection_supports_nothing(world):
    assessment = scored(world, "中" * 10)
    done = ex_ante_conclude(
        assessment=assessment,
        user=world.reviewer,
        conclusion=Conclusion.REJECT,
        supported=D("476.604"),
        opinion="必要性不足",
    )
    assert (done.conclusion, done.supported) == (Conclusion.REJECT, D(0))


def test_a_project_has_one_assessment_of_a_project_target(world):
    target = new_project(world)
    filed(target, world.department)
    with pytest.raises(WorkflowError, match="已有事前绩效评估"):
        filed(target, world.department)
    overall = target_create(
        user=world.department,
        region=world.region,
        year=2022,
        unit=world.own_unit,
        scope=PerformanceTarget.Scope.UNIT,
    )
    with pytest.raises(WorkflowError, match="事前绩效评估针对项目"):
        filed(overall, world.department)


@pytest.mark.parametrize("requested", [None, "-1"])
def test_the_request_is_required(world, requested):
    with pytest.raises(WorkflowError, match="请填写申请资金"):
        ex_ante_file(
            target=new_project(world),
            user=world.department,
            requested=None if requested is None else D(requested),
        )


def test_submitting_needs_the_case_for_the_project(world):
    assessment = filed(new_project(world), world.department, summary="")
    with pytest.raises(WorkflowError, match="请填写项目概况及申请理由"):
        ex_ante_submit(assessment=assessment, user=world.department)


def test_a_commissioned_firm_grades_and_the_bureau_concludes(world):
    assessment = submitted(world, new_project(world))
    assessment = ex_ante_commission(assessment=assessment, user=world.reviewer, firm=world.firm)
    with pytest.raises(PermissionDenied):
        grade_all(assessment, world.reviewer)
    with pytest.raises(PermissionDenied):
        grade_all(assessment, world.other_firm_user)
    assessment = grade_all(assessment, world.firm_user, "良" * 10)
    assert assessment.total == D("80.00")
    with pytest.raises(PermissionDenied):
        ex_ante_conclude(
            assessment=assessment,
            user=world.firm_user,
            conclusion=Conclusion.SUPPORT,
            supported=D("476.604"),
            opinion="同意",
        )
    done = ex_ante_conclude(
        assessment=assessment,
        user=world.reviewer,
        conclusion=Conclusion.SUPPORT,
        supported=D("476.604"),
        opinion="同意",
    )
    assert done.state == State_.CONCLUDED


def test_a_firm_that_must_recuse_itself_is_not_commissioned(world):
    FirmRecusal.objects.create(firm=world.firm, unit=world.own_unit, reason="曾为该单位提供咨询")
    assessment = submitted(world, new_project(world))
    with pytest.raises(WorkflowError, match="须回避"):
        ex_ante_commission(assessment=assessment, user=world.reviewer, firm=world.firm)


def test_a_write_prepared_on_an_older_revision_is_refused(world):
    assessment = filed(new_project(world), world.department)
    ex_ante_update(assessment=assessment, user=world.department, requested=D(1), summary="甲")
    with pytest.raises(Conflict):
        ex_ante_update(
            assessment=assessment,
            user=world.department,
            requested=D(2),
            summary="乙",
            revision=1,
        )


def test_a_conclusion_someone_else_made_meanwhile_is_a_conflict(world):
    assessment = scored(world)
    seen = assessment.revision
    ex_ante_conclude(
        assessment=assessment,
        user=world.reviewer,
        conclusion=Conclusion.SUPPORT,
        supported=D("476.604"),
        opinion="同意",
        revision=seen,
    )
    with pytest.raises(Conflict):
        ex_ante_conclude(
            assessment=assessment,
            user=world.reviewer,
            conclusion=Conclusion.REJECT,
            supported=None,
            opinion="不同意",
            revision=seen,
        )


# -- forged calls ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "publisher", "firm_user", "stranger"])
def test_only_the_department_files(world, who):
    with pytest.raises(PermissionDenied):
        filed(new_project(world), getattr(world, who))


def test_a_department_files_only_for_its_own_units(world):
    other = target_create(
        user=world.reviewer,
        region=world.region,
        year=2022,
        unit=world.other_unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name="低保资金",
        attribute="new",
        tree=standard_tree(),
        overall_goal="保障低保对象基本生活",
        funds_total=D(800),
    )
    with pytest.raises(PermissionDenied):
        filed(other, world.department)
    assert other not in fileable_targets(world.department)


@pytest.mark.parametrize("who", ["reviewer", "publisher", "firm_user", "stranger"])
def test_only_the_department_changes_and_submits_its_draft(world, who):
    assessment = filed(new_project(world), world.department)
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        ex_ante_update(assessment=assessment, user=user, requested=D(1), summary="改")
    with pytest.raises(PermissionDenied):
        ex_ante_submit(assessment=assessment, user=user)


def test_a_submitted_filing_is_no_longer_the_departments_to_change(world):
    assessment = submitted(world, new_project(world))
    with pytest.raises(PermissionDenied):
        ex_ante_update(assessment=assessment, user=world.department, requested=D(1), summary="改")


@pytest.mark.parametrize("who", ["department", "publisher", "firm_user", "stranger"])
def test_only_the_reviewer_commissions_grades_and_concludes(world, who):
    user = getattr(world, who)
    assessment = submitted(world, new_project(world))
    with pytest.raises(PermissionDenied):
        ex_ante_commission(assessment=assessment, user=user, firm=world.firm)
    with pytest.raises(PermissionDenied):
        grade_all(assessment, user)
    assessment = grade_all(assessment, world.reviewer)
    with pytest.raises(PermissionDenied):
        ex_ante_conclude(
            assessment=assessment,
            user=user,
            conclusion=Conclusion.SUPPORT,
            supported=D("476.604"),
            opinion="同意",
        )
    assessment.refresh_from_db()
    assert (assessment.state, assessment.firm) == (State_.SCORED, None)


def test_a_reviewer_of_another_region_does_nothing_here(world):
    elsewhere = region_reviewer()
    assessment = submitted(world, new_project(world))
    with pytest.raises(PermissionDenied):
        ex_ante_commission(assessment=assessment, user=elsewhere, firm=None)
    with pytest.raises(PermissionDenied):
        grade_all(assessment, elsewhere)
    assert not visible_ex_ante(elsewhere).exists()


def test_nothing_is_graded_before_submission_or_after_the_conclusion(world):
    draft = filed(new_project(world), world.department)
    with pytest.raises(PermissionDenied):
        grade_all(draft, world.reviewer)
    done = assessed(
        new_project(world, name="第二个项目"), department=world.department, reviewer=world.reviewer
    )
    with pytest.raises(PermissionDenied):
        grade_all(done, world.reviewer, "差" * 10)


def test_each_role_sees_its_own_assessments(world):
    own = submitted(world, new_project(world))
    own = ex_ante_commission(assessment=own, user=world.reviewer, firm=world.firm)
    other_target = target_create(
        user=world.reviewer,
        region=world.region,
        year=2022,
        unit=world.other_unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name="低保资金",
        tree=standard_tree(),
        overall_goal="保障低保对象基本生活",
        funds_total=D(800),
    )
    other = ExAnteAssessment.objects.create(
        target=other_target, template=own.template, requested=D(800)
    )
    assert set(visible_ex_ante(world.department)) == {own}
    assert set(visible_ex_ante(world.reviewer)) == {own, other}
    assert set(visible_ex_ante(world.publisher)) == {own, other}
    assert set(visible_ex_ante(world.firm_user)) == {own}
    assert not visible_ex_ante(world.other_firm_user).exists()
    assert not visible_ex_ante(world.stranger).exists()


# -- the gate: approved targets -------------------------------------------------------------


def version_state(target):
    return target.versions.order_by("-number").first().state


def test_a_new_major_project_without_an_assessment_gets_no_approved_target(world):
    target = new_project(world)
    with pytest.raises(WorkflowError, match=NO_ASSESSMENT):
        approve(world, target)
    assert version_state(target) == FilingState.SUBMITTED
    target.refresh_from_db()
    assert target.approved_version is None


def test_an_assessment_still_in_progress_does_not_open_the_gate(world):
    target = new_project(world)
    assessment = submitted(world, target)
    with pytest.raises(WorkflowError, match=r"尚未出具结论（已提交待评估）"):
        approve(world, target)
    grade_all(assessment, world.reviewer)
    with pytest.raises(WorkflowError, match=r"尚未出具结论（已评分）"):
        approve(world, target)


def test_a_failed_assessment_keeps_the_gate_shut_and_says_why(world):
    target = new_project(world)
    assessed(
        target,
        department=world.department,
        reviewer=world.reviewer,
        grades="优优优优优良中差差差",
        conclusion=Conclusion.REJECT,
    )
    with pytest.raises(WorkflowError) as refused:
        approve(world, target)
    assert str(refused.value) == "事前绩效评估得分 64.00 低于 70.00 分，不得纳入预算"


def test_a_rejected_assessment_keeps_the_gate_shut_whatever_its_score(world):
    target = new_project(world)
    assessed(
        target,
        department=world.department,
        reviewer=world.reviewer,
        grades="良" * 10,
        conclusion=Conclusion.REJECT,
    )
    with pytest.raises(WorkflowError, match="事前绩效评估结论为“不予支持”，不得纳入预算"):
        approve(world, target)


def test_a_passed_assessment_opens_the_gate(world):
    target = new_project(world)
    assessed(target, department=world.department, reviewer=world.reviewer, grades="良" * 10)
    assert gate_problem(target) == ""
    assert approve(world, target).state == FilingState.APPROVED


def test_the_pass_mark_itself_passes(world):
    target = new_project(world)
    assessed(
        target, department=world.department, reviewer=world.reviewer, grades="优优优优优良中中差差"
    )
    assert approve(world, target).state == FilingState.APPROVED


@pytest.mark.parametrize(("adjusted_passes", "approved"), [(True, True), (False, False)])
def test_adjusted_support_passes_where_the_template_says_so(world, adjusted_passes, approved):
    ExAnteTemplate.objects.filter(region=None, year=None).update(adjusted_passes=adjusted_passes)
    target = new_project(world)
    assessed(
        target,
        department=world.department,
        reviewer=world.reviewer,
        conclusion=Conclusion.ADJUST,
        supported="300",
    )
    if approved:
        # Supported at 300: the target must come down to it first.
        with pytest.raises(WorkflowError, match="超过事前绩效评估核定的 300 万元"):
            approve(world, target)
        target.versions.update(funds_total=D("300"))
        assert approve(world, target).state == FilingState.APPROVED
    else:
        with pytest.raises(WorkflowError, match="事前绩效评估结论为“调整后支持”"):
            approve(world, target)


@pytest.mark.parametrize(
    ("funds", "attribute"),
    [("49.999999", "new"), ("476.604", "continuing"), ("476.604", "")],
)
def test_a_project_below_the_major_amount_or_not_new_needs_none(world, funds, attribute):
    target = new_project(world, funds=funds, attribute=attribute)
    assert gate_problem(target) == ""
    assert approve(world, target).state == FilingState.APPROVED


@pytest.mark.parametrize(("funds", "attribute"), [("50", "new"), ("476.604", "renewed")])
def test_a_new_or_renewed_project_at_the_major_amount_needs_one(world, funds, attribute):
    target = new_project(world, funds=funds, attribute=attribute)
    assert gate_problem(target) == NO_ASSESSMENT


def test_the_template_sets_the_major_amount(world):
    ExAnteTemplate.objects.filter(region=None, year=None).update(major_amount=D(500))
    assert gate_problem(new_project(world)) == ""


def test_an_overall_target_needs_none(world):
    target = target_create(
        user=world.department,
        region=world.region,
        year=2022,
        unit=world.own_unit,
        scope=PerformanceTarget.Scope.UNIT,
    )
    assert gate_problem(target) == ""


def test_returning_or_refusing_a_target_does_not_ask_the_gate(world):
    target = new_project(world)
    version = target.versions.get()
    done = target_review(version=version, user=world.reviewer, grade="中", comment="指标不细")
    assert done.state == FilingState.RETURNED


def test_an_adjustment_raising_the_funds_above_the_major_amount_meets_the_gate(world):
    target = new_project(world, funds="40")
    approve(world, target)
    target.refresh_from_db()
    version = target_adjust(target=target, user=world.department, reason="扩大建设规模")
    target_version_update(version=version, user=world.department, changes={"funds_total": D(500)})
    target_submit(version=version, user=world.department)
    with pytest.raises(WorkflowError, match=NO_ASSESSMENT):
        approve(world, target)


def test_a_concluded_assessment_is_judged_by_its_own_template(world):
    target = new_project(world)
    assessed(
        target, department=world.department, reviewer=world.reviewer, grades="优优优优优良良中中差"
    )  # 78.00: passes the default 70
    stricter = ExAnteTemplate.objects.create(
        name="花溪区2022", region=world.region, year=2022, pass_mark=D(80)
    )
    ExAnteItem.objects.bulk_create(
        ExAnteItem(template=stricter, dimension=i.dimension, name=i.name, points=i.points)
        for i in default_items()
    )
    assert approve(world, target).state == FilingState.APPROVED


def test_a_target_that_needs_no_assessment_is_approved_without_any_template(world):
    target = new_project(world, attribute="continuing")
    ExAnteTemplate.objects.all().delete()
    assert approve(world, target).state == FilingState.APPROVED


# -- the gate: the year's evaluated projects ------------------------------------------------


def key_project(world, *, attribute="new"):
    project = world.project(State.SUBMITTED)
    target = project_target(
        world, name=project.name, attribute=attribute, evaluation=project, funds_total=D(600)
    )
    assert target.evaluation == project
    return project, target


def test_a_key_project_without_a_passing_assessment_is_not_assigned(world):
    project, _ = key_project(world)
    with pytest.raises(WorkflowError, match=NO_ASSESSMENT):
        evaluation_transition(record=project, name="assign", user=world.reviewer)
    project.refresh_from_db()
    assert project.state == State.SUBMITTED


def test_a_key_project_with_a_failed_assessment_is_not_assigned(world):
    project, target = key_project(world)
    assessed(
        target,
        department=world.department,
        reviewer=world.reviewer,
        grades="中" * 10,
        conclusion=Conclusion.REJECT,
        requested="600",
    )
    with pytest.raises(WorkflowError, match="事前绩效评估得分 60.00 低于 70.00 分"):
        evaluation_transition(record=project, name="assign", user=world.reviewer)


def test_a_key_project_with_a_passing_assessment_is_assigned(world):
    project, target = key_project(world)
    assessed(target, department=world.department, reviewer=world.reviewer, requested="600")
    done = evaluation_transition(record=project, name="assign", user=world.reviewer)
    assert done.state == State.ASSIGNED


def test_a_continuing_key_project_is_assigned_without_one(world):
    project, _ = key_project(world, attribute="continuing")
    done = evaluation_transition(record=project, name="assign", user=world.reviewer)
    assert done.state == State.ASSIGNED


# -- savings --------------------------------------------------------------------------------


def test_the_savings_are_counted_exactly_from_concluded_assessments(world):
    people = {"department": world.department, "reviewer": world.reviewer}
    assessed(new_project(world, name="甲"), **people, requested="476.604")
    assessed(
        new_project(world, name="乙"),
        **people,
        requested="1033.496",
        conclusion=Conclusion.ADJUST,
        supported="800.123456",
    )
    assessed(
        new_project(world, name="丙"),
        **people,
        requested="300.5",
        grades="中" * 10,
        conclusion=Conclusion.REJECT,
    )
    submitted(world, new_project(world, name="丁"), requested="99")
    summary = savings_summary(
        region=world.region, year=2022, assessments=ExAnteAssessment.objects.all()
    )
    assert (
        summary.assessed,
        summary.supported_count,
        summary.adjusted_count,
        summary.rejected_count,
        summary.pending,
    ) == (3, 1, 1, 1, 1)
    assert (summary.requested, summary.supported, summary.saved) == (
        D("1810.600000"),
        D("1276.727456"),
        D("533.872544"),
    )
    assert summary.saved == summary.requested - summary.supported


def test_the_savings_are_of_the_region_and_year_in_the_callers_scope(world):
    people = {"department": world.department, "reviewer": world.reviewer}
    assessed(new_project(world, name="甲"), **people, requested="100")
    summary = savings_summary(
        region=world.region, year=2023, assessments=ExAnteAssessment.objects.all()
    )
    assert (summary.assessed, summary.saved) == (0, D(0))
    elsewhere = region_reviewer()
    summary = savings_summary(
        region=world.region, year=2022, assessments=visible_ex_ante(elsewhere)
    )
    assert summary.assessed == 0


def test_a_key_project_created_after_its_target_meets_the_gate_at_assignment(world):
    from evaluations.services.workflow import evaluation_transition

    new_project(world, name="新建学校")  # a new 476.604万元 project, never assessed
    project = world.project(State.SUBMITTED, number=9)
    Project.objects.filter(pk=project.pk).update(name="新建学校")
    project.refresh_from_db()
    with pytest.raises(WorkflowError, match="须经事前绩效评估"):
        evaluation_transition(record=project, name="assign", user=world.reviewer)


def test_a_table_entered_as_approved_meets_the_gate_too(world):
    from evaluations.services.documents import _approve_imported

    target = new_project(world, name="纸面批复的新项目")
    with pytest.raises(WorkflowError, match="须经事前绩效评估"):
        _approve_imported(target.versions.get(), world.reviewer)
