"""Ex-ante assessments: filed by the department, graded by the bureau or its firm,
concluded by the bureau; and the gate the rules in evaluations.ex_ante set."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import ex_ante, policies
from ..grading import Grade
from ..models import Conclusion, ExAnteAssessment, ExAnteGrade, ExAnteTemplate, PerformanceTarget
from ..selectors.scopes import most_specific
from .filings import check_revision
from .workflow import WorkflowError, firm_conflict, locked_row, record_event

State = ExAnteAssessment.State


def template_for(*, region, year: int) -> ExAnteTemplate:
    """Return the region's template for the year (selectors.scopes.most_specific)."""
    template = most_specific(ExAnteTemplate.objects.all(), region=region, year=year)
    if template is None:
        raise WorkflowError("没有适用的事前绩效评估模板，请财政局先设置")
    return template


def gate_problem(target: PerformanceTarget, *, version=None) -> str:
    """Return why the project may not have approved targets or be evaluated, or "".

    Whether it needs an assessment is judged on the version given (the one under review)
    by the template that applies now; an assessment made is judged by the template it was
    scored on.
    """
    if not ex_ante.in_scope(target):
        return ""
    template = template_for(region=target.region, year=target.year)
    if not ex_ante.needs_assessment(target, template, version=version):
        return ""
    assessment = ExAnteAssessment.objects.filter(target=target).select_related("template").first()
    version = version or target.approved_version or target.versions.order_by("-number").first()
    funds = version.funds_total if version is not None else None
    return ex_ante.failure(assessment, assessment.template if assessment else template, funds)


def _seen(assessment, user, revision) -> ExAnteAssessment:
    """Lock the assessment; refuse it outside the user's scope, then one that changed since
    the user saw it (a Conflict, before any check that depends on its state)."""
    current = locked_row(assessment)
    if not policies.visible_ex_ante(user).filter(pk=current.pk).exists():
        raise PermissionDenied
    check_revision(current, revision)
    return current


def _event(assessment, action, from_state, user, comment=""):
    record_event(
        assessment,
        action=f"ex_ante_{action}",
        from_state=from_state,
        to_state=assessment.state,
        user=user,
        comment=comment,
    )


@transaction.atomic
def ex_ante_file(*, target: PerformanceTarget, user, requested: Decimal, summary: str = ""):
    """File the project's ex-ante assessment (a draft) with the funds requested."""
    if not policies.can_file_ex_ante(user, target):
        raise PermissionDenied
    if target.scope != PerformanceTarget.Scope.PROJECT:
        raise WorkflowError("事前绩效评估针对项目")
    if ExAnteAssessment.objects.filter(target=target).exists():
        raise WorkflowError(f"{target}已有事前绩效评估")
    if requested is None or requested < 0:
        raise WorkflowError("请填写申请资金")
    assessment = ExAnteAssessment.objects.create(
        target=target,
        template=template_for(region=target.region, year=target.year),
        requested=requested,
        summary=summary.strip(),
    )
    _event(assessment, "file", "", user)
    return assessment


@transaction.atomic
def ex_ante_update(*, assessment, user, requested: Decimal, summary: str, revision=None):
    """Change the filing while it is a draft."""
    current = _seen(assessment, user, revision)
    if not policies.can_edit_ex_ante(user, current):
        raise PermissionDenied
    if requested is None or requested < 0:
        raise WorkflowError("请填写申请资金")
    current.requested, current.summary = requested, summary.strip()
    current.revision += 1
    current.save()
    return current


@transaction.atomic
def ex_ante_submit(*, assessment, user, revision=None):
    """Submit the filing to the bureau for assessment."""
    current = _seen(assessment, user, revision)
    if not policies.can_edit_ex_ante(user, current):
        raise PermissionDenied
    if not current.summary.strip():
        raise WorkflowError("请填写项目概况及申请理由")
    current.state, current.submitted_at = State.SUBMITTED, timezone.now()
    current.revision += 1
    current.save()
    _event(current, "submit", State.DRAFT, user)
    return current


@transaction.atomic
def ex_ante_commission(*, assessment, user, firm, revision=None):
    """Commission a firm to grade the assessment (or none: the bureau grades it)."""
    current = _seen(assessment, user, revision)
    if not policies.can_commission_ex_ante(user, current):
        raise PermissionDenied
    if firm is not None and (problem := firm_conflict(firm=firm, record=current.target)):
        raise WorkflowError(problem)
    current.firm = firm
    current.revision += 1
    current.save()
    _event(current, "commission", current.state, user, comment=str(firm or "财政局自行评估"))
    return current


@transaction.atomic
def ex_ante_grade(*, assessment, user, grades: dict[int, tuple[str, str]], revision=None):
    """Grade sub-items ({item id: (优/良/中/差, note)}); once all are graded the total is
    computed and the assessment awaits the bureau's conclusion."""
    current = _seen(assessment, user, revision)
    if not policies.can_grade_ex_ante(user, current):
        raise PermissionDenied
    # A recusal put on file after the commission still stops the firm's work.
    if current.firm_id and (problem := firm_conflict(firm=current.firm, record=current.target)):
        raise WorkflowError(problem)
    items = {item.pk: item for item in current.template.items.all()}
    existing = {g.item_id: g for g in current.grades.all()}
    for item_id, (grade, note) in grades.items():
        item = items.get(item_id)
        if item is None:
            raise WorkflowError("评估要点须是模板中的要点")
        if grade not in Grade.values:
            raise WorkflowError(f"“{item.name}”的等级须为优、良、中、差之一")
        points = ex_ante.grade_points(current.template, grade=grade, points=item.points)
        row = existing.get(item_id) or ExAnteGrade(assessment=current, item=item)
        row.grade, row.points, row.note = grade, points, (note or "").strip()
        row.save()
        existing[item_id] = row
    complete = set(existing) == set(items)
    current.total = sum((g.points for g in existing.values()), Decimal(0)) if complete else None
    from_state = current.state
    current.state = State.SCORED if complete else State.SUBMITTED
    current.revision += 1
    current.save()
    if current.state != from_state:
        _event(current, "grade", from_state, user, comment=f"评估得分 {current.total}")
    return current


@transaction.atomic
def ex_ante_conclude(
    *, assessment, user, conclusion: str, supported: Decimal | None, opinion: str, revision=None
):
    """Conclude a graded assessment: 予以支持 / 调整后支持 with the funds supported,
    不予支持 with none. A score under the pass mark cannot be supported."""
    current = _seen(assessment, user, revision)
    if not policies.can_conclude_ex_ante(user, current):
        raise PermissionDenied
    if conclusion not in Conclusion.values:
        raise WorkflowError("请选择评估结论")
    opinion = (opinion or "").strip()
    if not opinion:
        raise WorkflowError("请填写评估意见")
    if conclusion == Conclusion.REJECT:
        supported = Decimal(0)
    elif supported is None or supported < 0 or supported > current.requested:
        raise WorkflowError(f"核定资金须在 0 至申请资金 {current.requested} 万元之间")
    elif current.total < current.template.pass_mark:
        raise WorkflowError(
            f"评估得分 {current.total} 低于 {current.template.pass_mark} 分，只能“不予支持”"
        )
    elif conclusion == Conclusion.SUPPORT and supported != current.requested:
        raise WorkflowError("核定资金少于申请资金的，结论应为“调整后支持”")
    current.conclusion, current.supported, current.opinion = conclusion, supported, opinion
    current.state, current.concluded_at, current.concluded_by = (
        State.CONCLUDED,
        timezone.now(),
        user,
    )
    current.revision += 1
    current.save()
    _event(current, "conclude", State.SCORED, user, comment=current.get_conclusion_display())
    return current
