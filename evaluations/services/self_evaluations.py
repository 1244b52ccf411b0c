"""The self-evaluation table: started from the approved target, scored on every save.

The department enters budgets, spending, actual values and (lower) scores with reasons;
scoring.py computes every score and the total under the framework's settings; the
consistency checks (../shared/domain.md §12) are stored with the table. Where the table
belongs to a key project's funding line or to a unit-overall evaluation still in the
department's hands, the computed total becomes that result's self-score.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import consistency, policies, scoring
from ..decimals import percent
from ..grading import grade_for
from ..indicators import NOT_APPLICABLE, parse_value
from ..models import (
    FundSource,
    PerformanceTarget,
    SelfEvaluation,
    SelfEvaluationEntry,
    UnitEvaluation,
)
from ..selectors.targets import version_leaves
from ..workflow import Role, State
from .filings import (
    apply_entries,
    check_revision,
    clean_or_refuse,
    editable_or_refuse,
    filing_transition,
    refuse_other_fields,
)
from .workflow import WorkflowError, locked_row, record_event

FIELDS = (
    "initial_budget",
    "full_year_budget",
    "adjusted_budget",
    "spent",
    "execution_entered",
    "execution_reason",
    "goal_actual",
    "conclusion",
    "problems",
    "measures",
)
ENTRY_FIELDS = ("applicable", "actual_value", "tier", "entered_score", "reason")
RESULT_EDITABLE = (State.DRAFT, State.RETURNED_TO_UNIT)


def settings_of(framework) -> scoring.ScoringSettings:
    return scoring.ScoringSettings(
        denominator=framework.denominator,
        execution_points=framework.execution_points,
        places=framework.score_places,
        execution_in_total=framework.execution_in_total,
    )


@transaction.atomic
def self_evaluation_start(*, target: PerformanceTarget, user, funding_line=None) -> SelfEvaluation:
    """Open the target's self-evaluation table on its approved version, one entry per 三级."""
    if not policies.target_in_scope(user, target):
        raise PermissionDenied
    if not (policies.acts_as(user, Role.DEPARTMENT) or policies.acts_as(user, Role.REVIEWER)):
        raise PermissionDenied
    target = locked_row(target)
    version = target.approved_version
    if version is None:
        raise WorkflowError("绩效目标尚未批复，不能自评")
    if SelfEvaluation.objects.filter(target=target).exists():
        raise WorkflowError(f"{target}已有自评表")
    if funding_line is not None and funding_line.project_id != target.evaluation_id:
        raise WorkflowError("资金明细须属于该目标的重点项目")
    if funding_line is None and target.evaluation_id is not None:
        # A key project funded by one line: its self-score is this table's.
        lines = list(target.evaluation.funding_lines.all()[:2])
        if len(lines) == 1 and not SelfEvaluation.objects.filter(funding_line=lines[0]).exists():
            funding_line = lines[0]
    evaluation = SelfEvaluation.objects.create(
        target=target,
        version=version,
        framework=version.framework,
        funding_line=funding_line,
        full_year_budget=version.funds_total or Decimal(0),
        spent=Decimal(0),
    )
    SelfEvaluationEntry.objects.bulk_create(
        SelfEvaluationEntry(self_evaluation=evaluation, indicator=leaf)
        for leaf in version_leaves(version)
    )
    record_event(
        evaluation,
        action="self_evaluation_start",
        from_state="",
        to_state=evaluation.state,
        user=user,
    )
    return evaluation


def _scoring_indicator(entry: SelfEvaluationEntry) -> scoring.Indicator:
    node = entry.indicator
    return scoring.Indicator(
        name=node.name,
        points=node.points or Decimal(0),
        quantitative=node.quantitative,
        operator=scoring.operator_of(node.operator, node.direction),
        target=node.target_number,
        actual=entry.actual_number,
        tier=entry.tier or None,
        entered=entry.entered_score,
        reason=entry.reason,
        applicable=entry.applicable,
    )


def unfilled(entries: list[SelfEvaluationEntry]) -> list[str]:
    """Return the applicable indicators still without what their score needs."""
    missing = []
    for entry in entries:
        if not entry.applicable:
            continue
        node = entry.indicator
        if node.quantitative and entry.actual_number is None:
            missing.append(f"“{node.name}”：请填写实际完成值（数值）")
        elif not node.quantitative and not entry.tier:
            missing.append(f"“{node.name}”：定性指标请选择评价档次")
    return missing


def _clear(evaluation: SelfEvaluation, entries: list[SelfEvaluationEntry]) -> None:
    evaluation.execution_rate = evaluation.execution_score = evaluation.total = None
    evaluation.grade = ""
    for entry in entries:
        entry.ceiling = entry.score = None
        entry.missed = False


def compute(evaluation: SelfEvaluation, entries: list[SelfEvaluationEntry]) -> list[str]:
    """Score the table in place; return the blocking problems (empty when ready).

    A table still being filled keeps no scores and lists what is missing. Raise
    WorkflowError for a score the rules refuse (above the formula, outside a tier).
    """
    if missing := unfilled(entries):
        _clear(evaluation, entries)
        evaluation.warnings = [{"level": "block", "message": m} for m in missing]
        return missing
    settings = settings_of(evaluation.framework)
    try:
        execution = scoring.execution(
            full_year_budget=evaluation.full_year_budget,
            adjusted_budget=evaluation.adjusted_budget,
            spent=evaluation.spent,
            settings=settings,
        )
        result = scoring.self_evaluation_total(
            execution_result=execution,
            execution_entered=evaluation.execution_entered,
            indicators=[_scoring_indicator(e) for e in entries],
            settings=settings,
        )
    except scoring.ScoringError as exc:
        raise WorkflowError(str(exc)) from None
    scored = iter(result.indicators)
    for entry in entries:
        if entry.applicable:
            item = next(scored)
            entry.ceiling, entry.score, entry.missed = item.ceiling, item.score, item.missed
        else:
            entry.ceiling = entry.score = None
            entry.missed = False
    evaluation.execution_rate = percent(execution.rate) if execution.rate is not None else None
    evaluation.execution_score = result.execution_score
    evaluation.total = result.total
    evaluation.grade = grade_for(result.total)
    indicator_points = sum((e.indicator.points or 0 for e in entries if e.applicable), Decimal(0))
    indicator_score = sum((e.score or 0 for e in entries if e.applicable), Decimal(0))
    checks = consistency.execution_checks(
        rate=execution.rate,
        adjusted_budget=evaluation.adjusted_budget,
        spent=evaluation.spent,
        reason=evaluation.execution_reason,
    ) + consistency.achievement_check(
        indicator_score=indicator_score,
        indicator_points=indicator_points,
        execution_score=result.execution_score,
        execution_points=settings.execution_points,
    )
    checks += [consistency.Check("block", p) for p in result.problems]
    if evaluation.target.approved_version_id != evaluation.version_id:
        checks.append(
            consistency.Check(
                "block",
                "绩效目标已调整：自评指标须与执行中的目标版本一致（第15项），请重新生成自评表",
            )
        )
    formula = settings.round(execution.ceiling) if execution.ceiling is not None else None
    entered = evaluation.execution_entered
    lowered = entered is not None and formula is not None and entered < formula
    if lowered and not evaluation.execution_reason.strip():
        checks.append(consistency.Check("block", "预算执行得分低于公式结果，须说明扣分理由"))
    evaluation.warnings = [c.as_dict() for c in checks]
    return [c.message for c in checks if c.level == "block"]


def _result_of(evaluation: SelfEvaluation):
    """Return the result record whose self-score this table gives, or None."""
    if evaluation.funding_line_id:
        return evaluation.funding_line
    target = evaluation.target
    if target.scope == PerformanceTarget.Scope.UNIT:
        return UnitEvaluation.objects.filter(
            region=target.region_id, year=target.year, unit=target.unit_id
        ).first()
    return None


def _carry_to_result(evaluation: SelfEvaluation, user) -> None:
    """Write the computed total into the result's self-score while the department holds it;
    once submitted, a difference is flagged for the bureau instead of rewriting it."""
    result = _result_of(evaluation)
    if result is None or evaluation.total is None:
        return
    owner = result.project if hasattr(result, "project") else result
    if owner.unit_id != evaluation.target.unit_id:
        return  # only the unit's own result takes its table's total
    if result.self_score == evaluation.total:
        return
    if owner.state in RESULT_EDITABLE:
        result.self_score = evaluation.total
        result._history_user = user
        result.save(update_fields=["self_score"])
        type(owner).objects.filter(pk=owner.pk).update(version=owner.version + 1)
        return
    evaluation.warnings.append(
        {
            "level": "yellow",
            "message": f"结果表中的自评得分 {result.self_score} 与自评表计算的 "
            f"{evaluation.total} 不一致：评价已{owner.get_state_display()}，需退回单位后更正",
        }
    )


@transaction.atomic
def self_evaluation_save(
    *,
    self_evaluation: SelfEvaluation,
    user,
    changes: dict | None = None,
    entries: dict[int, dict] | None = None,
    fund_sources: list[dict] | None = None,
    revision=None,
    importing=False,
) -> SelfEvaluation:
    """Save what the department entered and recompute every score.

    entries maps an indicator's id to its changed fields; fund_sources, when given,
    replaces the 其中 rows of the fund block.
    """
    current = locked_row(self_evaluation)
    editable_or_refuse(user, current, importing=importing)
    check_revision(current, revision)
    changes = changes or {}
    refuse_other_fields(changes, FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    rows = list(current.entries.select_related("indicator"))
    apply_entries(
        rows,
        entries,
        fields=ENTRY_FIELDS,
        unknown="自评指标须是批复目标中的指标，不能增删（第15项）",
    )
    for row in rows:
        parsed = parse_value(row.actual_value)
        row.actual_number = parsed.number if parsed is not None else None
        values = (entries or {}).get(row.indicator_id, {})
        if "applicable" not in values and "actual_value" in values:
            row.applicable = row.actual_value.strip() not in NOT_APPLICABLE
    compute(current, rows)
    clean_or_refuse(current, exclude=["target", "version", "framework", "funding_line"])
    current.revision += 1
    current._history_user = user
    current.save()
    SelfEvaluationEntry.objects.bulk_update(
        rows,
        [*ENTRY_FIELDS, "actual_number", "ceiling", "score", "missed"],
    )
    if fund_sources is not None:
        current.fund_sources.all().delete()
        FundSource.objects.bulk_create(
            FundSource(self_evaluation=current, position=i, **source)
            for i, source in enumerate(fund_sources)
        )
    _carry_to_result(current, user)
    SelfEvaluation.objects.filter(pk=current.pk).update(warnings=current.warnings)
    return current


def _key(node) -> tuple[str, str]:
    first = node.parent.parent if node.parent is not None else None
    return (first.name if first is not None else "", node.name)


@transaction.atomic
def self_evaluation_restart(
    *, self_evaluation: SelfEvaluation, user, revision=None, importing=False
) -> SelfEvaluation:
    """Move a table onto the target's version in force after an adjustment (§12 #15).

    Its entries are seeded again from that version; what was entered for an indicator of
    the same 一级 and name is kept, the rest starts blank, and the table is scored again.
    """
    current = locked_row(self_evaluation)
    editable_or_refuse(user, current, importing=importing)
    check_revision(current, revision)
    version = current.target.approved_version
    if version is None or version.pk == current.version_id:
        raise WorkflowError("自评表已依据执行中的目标版本，无需重新生成")
    previous = {
        _key(entry.indicator): entry
        for entry in current.entries.select_related("indicator__parent__parent")
    }
    current.entries.all().delete()
    rows = []
    for leaf in version_leaves(version):
        row = SelfEvaluationEntry(self_evaluation=current, indicator=leaf)
        if (kept := previous.get(_key(leaf))) is not None:
            for name in (*ENTRY_FIELDS, "actual_number"):
                setattr(row, name, getattr(kept, name))
        rows.append(row)
    SelfEvaluationEntry.objects.bulk_create(rows)
    from_version = current.version.number
    current.version, current.framework = version, version.framework
    compute(current, rows)
    current.revision += 1
    current._history_user = user
    current.save()
    SelfEvaluationEntry.objects.bulk_update(rows, ["ceiling", "score", "missed"])
    _carry_to_result(current, user)
    SelfEvaluation.objects.filter(pk=current.pk).update(warnings=current.warnings)
    record_event(
        current,
        action="self_evaluation_restart",
        from_state=current.state,
        to_state=current.state,
        user=user,
        comment=f"依据第{from_version}版改为第{version.number}版目标",
    )
    return current


def blocking(evaluation: SelfEvaluation) -> list[str]:
    """Return the stored blocking problems of the table."""
    return [w["message"] for w in evaluation.warnings if w["level"] == "block"]


@transaction.atomic
def self_evaluation_transition(
    *, self_evaluation: SelfEvaluation, user, name: str, comment: str = "", revision=None
) -> SelfEvaluation:
    """Submit, return, approve or reopen a self-evaluation table.

    Submitting recomputes it first and refuses a table that still owes reasons or whose
    target was adjusted since it was started.
    """

    def ready(current):
        if name != "submit":
            return []
        rows = list(current.entries.select_related("indicator"))
        problems = compute(current, rows)
        if current.total is None:
            problems.append("尚未计算出总分")
        return problems

    return filing_transition(
        kind="self_evaluation",
        filing=self_evaluation,
        user=user,
        name=name,
        comment=comment,
        revision=revision,
        ready=ready,
    )
