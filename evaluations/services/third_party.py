"""The firm's evaluation sheet and the problems evaluations find.

The sheet's total is the project's third-party score: once every indicator is scored it
is written through evaluation_update, under the same lock, version and policy as a score
typed in the admin, so the grade and the history follow as they always do.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import policies
from ..models import Framework, Problem, Project, ThirdPartyScore, ThirdPartySheet
from ..selectors.targets import framework_for
from ..workflow import Role
from .workflow import Conflict, WorkflowError, check_version, evaluation_update, locked_row


def sheet_framework(project: Project) -> Framework:
    framework = framework_for(
        purpose=Framework.Purpose.THIRD_PARTY, region=project.region, year=project.year
    )
    if framework is None:
        raise WorkflowError("没有适用的第三方评价指标体系，请财政局先设置")
    return framework


@transaction.atomic
def sheet_save(
    *,
    project: Project,
    user,
    scores: dict[int, tuple],
    summary: str | None = None,
    version=None,
    revision=None,
) -> ThirdPartySheet:
    """Save the firm's scores ({indicator id: (score, finding)}) and recompute the total.

    Refuse a score above the indicator's points or for an indicator not in the framework,
    and a save prepared on an older revision of the sheet (two evaluators at once).
    """
    current = locked_row(project)
    if not policies.in_scope(user, current):
        raise PermissionDenied
    check_version(current, version)
    if not policies.can_edit_sheet(user, current):
        raise PermissionDenied(f"当前状态（{current.get_state_display()}）下不能评分")
    sheet = ThirdPartySheet.objects.select_for_update().filter(project=current).first()
    if sheet is None:
        sheet = ThirdPartySheet.objects.create(project=current, framework=sheet_framework(current))
    elif revision is not None and sheet.revision != revision:
        raise Conflict("评分表已被他人修改，您的评分未保存，请刷新后重试")
    leaves = {node.pk: node for node in sheet.framework.nodes.filter(level=3)}
    problems = []
    for indicator_id, (score, _finding) in scores.items():
        node = leaves.get(indicator_id)
        if node is None:
            raise WorkflowError("评分指标须是评价指标体系中的三级指标")
        if score is not None and (score < 0 or score > (node.points or Decimal(0))):
            problems.append(f"“{node.name}”得分 {score} 超出 0–{node.points} 分")
    if problems:
        raise WorkflowError("；".join(problems))
    existing = {row.indicator_id: row for row in sheet.scores.all()}
    for indicator_id, (score, finding) in scores.items():
        row = existing.get(indicator_id)
        if score is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            existing[indicator_id] = ThirdPartyScore.objects.create(
                sheet=sheet, indicator_id=indicator_id, score=score, finding=finding or ""
            )
        else:
            row.score, row.finding = score, finding or ""
            row.save()
    if summary is not None:
        sheet.summary = summary
    complete = len(existing) == len(leaves) and all(r.pk for r in existing.values())
    sheet.total = sum((r.score for r in existing.values()), Decimal(0)) if complete else None
    sheet.revision += 1
    sheet.save()
    if sheet.total is not None and current.score != sheet.total:
        evaluation_update(
            record=current, user=user, changes={"score": sheet.total}, from_sheet=True
        )
    return sheet


@transaction.atomic
def problem_record(
    *, user, description: str, project: Project | None = None, unit_evaluation=None
) -> Problem:
    """Record a problem the firm or the bureau found on a project or a unit-overall
    evaluation; the responsible unit is the evaluated one."""
    record = project if project is not None else unit_evaluation
    if record is None or (project is not None and unit_evaluation is not None):
        raise WorkflowError("问题须对应一项重点项目评价或部门整体评价")
    if not policies.can_record_problem(user, record):
        raise PermissionDenied
    if not (description or "").strip():
        raise WorkflowError("请填写问题描述")
    if record.unit_id is None:
        raise WorkflowError("该项目没有主管部门，无法确定整改责任单位")
    firm = policies.workflow_role(user) == Role.FIRM
    return Problem.objects.create(
        region_id=record.region_id,
        year=record.year,
        unit_id=record.unit_id,
        project=project,
        unit_evaluation=unit_evaluation,
        source=Problem.Source.FIRM if firm else Problem.Source.BUREAU,
        description=description.strip(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
