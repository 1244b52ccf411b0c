"""Filing tables from spreadsheets: target tables, monitoring reports, self-evaluations.

evaluations.layouts reads the file into Documents; this module writes them through the
same services the admin uses, all or nothing. A department writes its own units' tables
as drafts to submit; the bureau's reviewer may enter tables approved on paper as approved
(approved=True). A self-evaluation or a monitoring report is matched to the approved
target by department and project name, and its indicators must be the target's (§12 #15):
the bureau enters last year's self-evaluation tables, which carry their targets, with
approved=True and the target is created from the table. Every problem names the file,
sheet, row and column it comes from; the scores printed in a self-evaluation are taken
as the scores entered and checked against the formula, and the table's printed 总分 is
compared with the one computed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import policies
from ..documents import Document, DocumentError, IndicatorRow, Kind
from ..indicators import Node, normalise, points_text, tree_problems
from ..layouts.read import read_documents
from ..models import MonitoringPeriod, PerformanceTarget, SelfEvaluation, Unit
from ..scoring import TIER_SHARES, Tier
from ..selectors.targets import leaves, version_tree
from ..workflow import FilingState
from .ex_ante import gate_problem
from .monitoring import monitoring_report_save
from .self_evaluations import (
    self_evaluation_restart,
    self_evaluation_save,
    self_evaluation_start,
)
from .targets import target_create, target_version_update, version_problems
from .workflow import WorkflowError, locked_row, record_event


@dataclass
class DocumentResult:
    document: Document
    record: object  # TargetVersion, SelfEvaluation or MonitoringReport
    created: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class DocumentsImport:
    file_name: str
    results: list[DocumentResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def documents_import(
    *,
    data: bytes,
    file_name: str,
    user,
    region,
    year: int | None = None,
    kind: str | None = None,
    approved: bool = False,
    dry_run: bool = False,
) -> DocumentsImport:
    """Read every table in the file and write it; on any problem write nothing at all."""
    outcome = DocumentsImport(file_name)
    if approved and not policies.can_import_approved(user):
        raise PermissionDenied("只有财政局审核人可以导入已审核的表")
    try:
        documents = read_documents(data, file_name=file_name, kind=kind)
    except DocumentError as exc:
        outcome.errors = exc.messages
        return outcome
    try:
        with transaction.atomic():
            for document in documents:
                try:
                    with transaction.atomic():
                        outcome.results.append(
                            _import(
                                document, user=user, region=region, year=year, approved=approved
                            )
                        )
                except DocumentError as exc:
                    outcome.errors += exc.messages
                except PermissionDenied as exc:
                    reason = str(exc) or policies.OUT_OF_SCOPE
                    outcome.errors.append(f"{document.where('project_name')}：{reason}")
                except WorkflowError as exc:
                    outcome.errors.append(f"{document.where('project_name')}：{exc}")
            if outcome.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return outcome


def _import(document: Document, *, user, region, year, approved) -> DocumentResult:
    year = _year(document, year)
    unit = _unit(document, region)
    # Scope before any target is looked up: nothing about another unit's filings is told.
    if not policies.visible_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(policies.OUT_OF_SCOPE)
    if problems := _length_problems(document):
        raise DocumentError(problems)
    if document.kind == Kind.TARGET:
        return _target(document, user=user, region=region, year=year, unit=unit, approved=approved)
    if document.kind == Kind.SELF_EVALUATION:
        return _self_evaluation(
            document, user=user, region=region, year=year, unit=unit, approved=approved
        )
    return _monitoring(document, user=user, region=region, year=year, unit=unit, approved=approved)


# Field lengths the records allow, checked before writing so a long cell is reported at
# its place (PostgreSQL would refuse it mid-write, SQLite would keep it whole).
HEADER_LIMITS = {"project_name": 200, "project_code": 30, "implementing_unit": 100}
ROW_LIMITS = {
    "name": 200,
    "target_text": 100,
    "unit_of_measure": 20,
    "actual_text": 100,
    "progress": 100,
    "expected": 100,
}


def _length_problems(document: Document) -> list[str]:
    problems = []
    for name, limit in HEADER_LIMITS.items():
        if len(getattr(document, name) or "") > limit:
            problems.append(f"{document.where(name)}：内容超过 {limit} 个字")
    for row in document.indicators:
        for name, limit in ROW_LIMITS.items():
            if len(getattr(row, name) or "") > limit:
                cell = name.removesuffix("_text")
                problems.append(f"{_row_where(document, row, cell)}：内容超过 {limit} 个字")
    return problems


def _year(document: Document, year: int | None) -> int:
    if document.year and year and document.year != year:
        raise DocumentError(
            [f"{document.where('year')}：表中年度为 {document.year}，导入选择的是 {year}"]
        )
    if not (document.year or year):
        raise DocumentError([f"{document.where('year')}：表中未写明年度，请在导入时选择年度"])
    return document.year or year


_CODE_PREFIX = re.compile(r"^[0-9A-Za-z]+[-－—_\s]+")


def _unit(document: Document, region) -> Unit:
    """Return the department the table belongs to, by name (a code glued in front is cut)."""
    names = [document.department, document.implementing_unit]
    for name in filter(None, names):
        for candidate in (name, _CODE_PREFIX.sub("", name)):
            unit = Unit.objects.filter(region=region, name=candidate.strip()).first()
            if unit is not None:
                return unit
    shown = document.department or document.implementing_unit or "（空）"
    raise DocumentError(
        [f"{document.where('department')}：主管部门“{shown}”不是{region.name}登记的预算单位"]
    )


def _row_where(document: Document, row: IndicatorRow, name: str = "") -> str:
    cell = row.cells.get(name) or row.cell
    return f"{document.file_name} {cell}"


def document_tree(document: Document) -> list[Node]:
    """Return the indicator tree the table states, 一级 and 二级 in table order."""
    roots: dict[str, Node] = {}
    for row in document.indicators:
        root = roots.get(row.level1)
        if root is None:
            root = roots[row.level1] = Node(row.level1, 1, row.level1_points)
        if root.points is None and row.level1_points is not None:
            root.points = row.level1_points
        group = next((g for g in root.children if g.name == row.level2), None)
        if group is None:
            group = Node(row.level2 or row.level1, 2, row.level2_points)
            root.children.append(group)
        attrs = {
            "target_value": row.target_text if row.target is not None else "",
            "unit_of_measure": row.unit_of_measure,
            "direction": row.direction,
            "core": row.core,
            "scoring_rule": row.scoring_rule,
        }
        quantitative = row.quantitative
        if quantitative is None:
            quantitative = row.target is not None and row.target.quantitative
        attrs["quantitative"] = quantitative
        group.children.append(Node(row.name, 3, row.points, attrs=attrs))
    return normalise(list(roots.values()))


def _tree_errors(document: Document, roots: list[Node], total: Decimal) -> list[str]:
    """Return the tree's point problems, each at the first row of its 一级."""
    first_rows = {}
    for row in document.indicators:
        first_rows.setdefault(row.level1, row)
    errors = []
    for root in roots:
        row = first_rows[root.name]
        for problem in tree_problems([root]):
            errors.append(f"{_row_where(document, row, 'level1')}：{problem}")
    added = sum((r.points or Decimal(0) for r in roots), Decimal(0))
    if added != total and document.indicators:
        errors.append(
            f"{_row_where(document, document.indicators[0], 'level1')}：一级指标合计 "
            f"{points_text(added)} 分，本区划模板应为 {points_text(total)} 分"
            "（如本地区分值不同，请财政局在指标体系模板中设置）"
        )
    return errors


def _target_record(document, *, user, region, year, unit, approved, roots):
    """Return the project's target, creating it (with the table's indicators) if new."""
    name = document.project_name.strip()
    target = PerformanceTarget.objects.filter(
        region=region,
        year=year,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=name,
    ).first()
    if target is not None:
        return target, False
    target = target_create(
        user=user,
        region=region,
        year=year,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=name,
        project_code=document.project_code,
        implementing_unit=document.implementing_unit,
        attribute=_attribute(document.attribute),
        tree=roots,
        **_version_fields(document),
    )
    return target, True


def _attribute(text: str) -> str:
    if "到期" in text:
        return PerformanceTarget.Attribute.RENEWED
    if "延续" in text:
        return PerformanceTarget.Attribute.CONTINUING
    if "新增" in text:
        return PerformanceTarget.Attribute.NEW
    return ""


def _version_fields(document: Document) -> dict:
    fields = {"overall_goal": document.overall_goal, "long_term_goal": document.long_term_goal}
    if document.funds:
        total = document.funds[0]
        fields["funds_total"] = (
            total.full_year_budget
            if total.full_year_budget is not None
            else total.initial_budget
            if total.initial_budget is not None
            else total.adjusted_budget
        )
        fiscal = next((f for f in document.funds[1:] if "财政" in f.label), None)
        other = next((f for f in document.funds[1:] if "其他" in f.label), None)
        for name, row in (("funds_fiscal", fiscal), ("funds_other", other)):
            if row is not None:
                fields[name] = next(
                    (
                        v
                        for v in (row.full_year_budget, row.initial_budget, row.adjusted_budget)
                        if v is not None
                    ),
                    None,
                )
    return fields


def _approve_imported(version, user) -> None:
    """Enter a version approved on paper as approved, with an event saying so; the ex-ante
    gate applies to it as to any approval."""
    if problem := gate_problem(version.target, version=version):
        raise WorkflowError(problem)
    target = locked_row(version.target)
    if target.approved_version_id:
        type(version).objects.filter(pk=target.approved_version_id).update(
            state=FilingState.SUPERSEDED
        )
    from_state = version.state
    version.state = FilingState.APPROVED
    version.approved_at = timezone.now()
    version.review_comment = "随表导入（已在别处审核）"
    version.save()
    target.approved_version = version
    target.save(update_fields=["approved_version"])
    record_event(
        version,
        action="target_import_approve",
        from_state=from_state,
        to_state=version.state,
        user=user,
        comment="随表导入（已在别处审核）",
    )


def _settle_approved(filing, user, kind: str) -> None:
    from_state = filing.state
    filing.state = FilingState.APPROVED
    filing.submitted_at = filing.submitted_at or timezone.now()
    filing.save()
    record_event(
        filing,
        action=f"{kind}_import_approve",
        from_state=from_state,
        to_state=filing.state,
        user=user,
        comment="随表导入（已在别处审核）",
    )


def _target(document, *, user, region, year, unit, approved) -> DocumentResult:
    roots = document_tree(document)
    target, created = _target_record(
        document, user=user, region=region, year=year, unit=unit, approved=approved, roots=roots
    )
    version = target.versions.order_by("-number").first()
    if not created:
        if version.state not in (FilingState.DRAFT, FilingState.RETURNED):
            raise DocumentError(
                [
                    f"{document.where('project_name')}：该绩效目标第{version.number}版"
                    f"{version.get_state_display()}，不能用导入覆盖；如需改动请发起目标调整"
                ]
            )
        version = target_version_update(
            version=version,
            user=user,
            changes=_version_fields(document),
            tree=roots,
            importing=True,
        )
    notes = []
    if approved:
        errors = _tree_errors(document, roots, version.framework.indicator_total)
        if errors:
            raise DocumentError(errors)
        notes = version_problems(version)
        _approve_imported(version, user)
    return DocumentResult(document, version, created, notes)


def _matching_version(document, target, roots) -> list[str]:
    """Return where the table's indicators differ from the target's approved version."""
    approved = {
        (leaf.attrs["row"].parent.parent.name, leaf.name): leaf.attrs["row"]
        for leaf in leaves(version_tree(target.approved_version))
    }
    errors = []
    seen = set()
    for row in document.indicators:
        node = approved.get((row.level1, row.name))
        if node is None:
            errors.append(
                f"{_row_where(document, row, 'name')}："
                f"批复的绩效目标中没有“{row.level1} › {row.name}”"
                "（自评指标须与批复的目标一致）"
            )
            continue
        seen.add((row.level1, row.name))
        if row.points is not None and row.points != node.points:
            errors.append(
                f"{_row_where(document, row, 'points')}："
                f"“{row.name}”分值 {points_text(row.points)}，"
                f"批复的目标为 {points_text(node.points)}"
            )
        stated = row.target
        if stated is not None and node.quantitative and stated.number != node.target_number:
            errors.append(
                f"{_row_where(document, row, 'target')}：“{row.name}”指标值“{row.target_text}”，"
                f"批复的目标为“{node.target_text}”"
            )
    for key, node in approved.items():
        if key not in seen:
            errors.append(
                f"{document.where('project_name')}："
                f"表中缺少批复目标中的指标“{key[0]} › {node.name}”"
            )
    return errors


def _tier(row: IndicatorRow, points: Decimal) -> str:
    """Return the qualitative tier a printed score falls in (80 % and up: 达成 …)."""
    if row.score is None or not points:
        return ""
    share = row.score / points
    for tier in (Tier.MET, Tier.PARTLY, Tier.MISSED):
        low, _high = TIER_SHARES[tier]
        if share >= low:
            return tier
    return Tier.MISSED


def _self_evaluation(document, *, user, region, year, unit, approved) -> DocumentResult:
    roots = document_tree(document)
    target, created = _target_record(
        document, user=user, region=region, year=year, unit=unit, approved=approved, roots=roots
    )
    notes = []
    if created or target.approved_version_id is None:
        if not approved:
            raise DocumentError(
                [
                    f"{document.where('project_name')}：未找到已批复的绩效目标“{document.project_name}”，"
                    "请先填报或导入绩效目标"
                ]
            )
        version = target.versions.order_by("-number").first()
        errors = _tree_errors(document, roots, version.framework.indicator_total)
        if errors:
            raise DocumentError(errors)
        if not created:
            target_version_update(
                version=version,
                user=user,
                changes=_version_fields(document),
                tree=roots,
                importing=True,
            )
        _approve_imported(version, user)
        target.refresh_from_db()
    elif errors := _matching_version(document, target, roots):
        raise DocumentError(errors)
    evaluation = SelfEvaluation.objects.filter(target=target).first()
    fresh = evaluation is None
    if fresh:
        evaluation = self_evaluation_start(target=target, user=user)
    elif evaluation.version_id != target.approved_version_id:
        evaluation = self_evaluation_restart(self_evaluation=evaluation, user=user, importing=True)
        notes.append(f"目标已调整：自评表改按第{target.approved_version.number}版目标填报")
    by_key = {
        (entry.indicator.parent.parent.name, entry.indicator.name): entry
        for entry in evaluation.entries.select_related("indicator__parent__parent")
    }
    entries = {}
    for row in document.indicators:
        entry = by_key.get((row.level1, row.name))
        if entry is None:
            raise DocumentError(
                [f"{_row_where(document, row, 'name')}：自评表中没有“{row.level1} › {row.name}”"]
            )
        values = {
            "actual_value": row.actual_text if row.applicable else "/",
            "applicable": row.applicable,
            "entered_score": row.score if row.applicable else None,
            "reason": row.reason,
        }
        if not entry.indicator.quantitative:
            values["tier"] = _tier(row, entry.indicator.points or Decimal(0))
        entries[entry.indicator_id] = values
    total_row = document.funds[0] if document.funds else None
    changes = {
        "goal_actual": document.goal_actual,
        "conclusion": document.conclusion,
        "problems": document.problems,
        "measures": document.measures,
    }
    if total_row is not None:
        changes |= {
            "initial_budget": total_row.initial_budget,
            "full_year_budget": total_row.full_year_budget
            if total_row.full_year_budget is not None
            else total_row.adjusted_budget or total_row.initial_budget or Decimal(0),
            "adjusted_budget": total_row.adjusted_budget,
            "spent": total_row.spent if total_row.spent is not None else Decimal(0),
            "execution_entered": total_row.score,
            "execution_reason": total_row.reason,
        }
    try:
        evaluation = self_evaluation_save(
            self_evaluation=evaluation,
            user=user,
            changes=changes,
            entries=entries,
            fund_sources=[_fund_source(row) for row in document.funds[1:]],
            importing=True,
        )
    except WorkflowError as exc:
        raise DocumentError([f"{document.where('project_name')}：{exc}"]) from None
    notes += _total_note(document, evaluation)
    if approved:
        if evaluation.total is None:
            raise DocumentError(_unfilled(document, evaluation))
        _settle_approved(evaluation, user, "self_evaluation")
    return DocumentResult(document, evaluation, fresh, notes)


def _unfilled(document: Document, evaluation: SelfEvaluation) -> list[str]:
    """Return, at their rows, the indicators an approved table leaves without a result."""
    rows = {(row.level1, row.name): row for row in document.indicators}
    problems = []
    for entry in evaluation.entries.select_related("indicator__parent__parent"):
        if entry.applicable and entry.score is None:
            node = entry.indicator
            row = rows.get((node.parent.parent.name, node.name))
            where = _row_where(document, row, "actual") if row else document.where("indicators")
            problems.append(f"{where}：“{node.name}”没有实际完成值，不能以“已审核”导入")
    return problems or [f"{document.where('total')}：自评表未能计算出总分，不能以“已审核”导入"]


def _fund_source(row) -> dict:
    return {
        "label": row.label,
        "initial_budget": row.initial_budget,
        "full_year_budget": row.full_year_budget,
        "adjusted_budget": row.adjusted_budget,
        "spent": row.spent,
    }


def _total_note(document: Document, evaluation: SelfEvaluation) -> list[str]:
    """Compare the printed 总分 with the computed one (a note, never an error)."""
    if evaluation.total is None:
        return ["表中尚有未填写的指标，未计算总分"]
    if document.total is None:
        return [f"表中未印总分；系统计算总分 {evaluation.total}"]
    if document.total == evaluation.total:
        return [f"表中总分 {points_text(document.total)} 与系统计算一致"]
    return [
        f"{document.where('total')}：表中总分 {points_text(document.total)}，"
        f"系统按本区划计分规则计算为 {evaluation.total}"
    ]


def _monitoring(document, *, user, region, year, unit, approved) -> DocumentResult:
    if document.end_month is None:
        raise DocumentError([f"{document.where('end_month')}：表中未写明监控期（如“1-7月”）"])
    period = MonitoringPeriod.objects.filter(
        region=region, year=year, end_month=document.end_month
    ).first()
    if period is None:
        raise DocumentError(
            [
                f"{document.where('end_month')}：{region.name}未设置 "
                f"{year}年1–{document.end_month}月监控期，请财政局先设置"
            ]
        )
    target = PerformanceTarget.objects.filter(
        region=region,
        year=year,
        unit=unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=document.project_name.strip(),
        approved_version__isnull=False,
    ).first()
    if target is None:
        raise DocumentError(
            [
                f"{document.where('project_name')}：未找到已批复的绩效目标“{document.project_name}”，"
                "不能监控"
            ]
        )
    nodes = {
        (leaf.attrs["row"].parent.parent.name, leaf.name): leaf.attrs["row"]
        for leaf in leaves(version_tree(target.approved_version))
    }
    errors, entries = [], {}
    for row in document.indicators:
        node = nodes.get((row.level1, row.name))
        if node is None:
            errors.append(
                f"{_row_where(document, row, 'name')}："
                f"执行中的绩效目标没有“{row.level1} › {row.name}”"
            )
            continue
        entries[node.pk] = {
            "progress": row.progress,
            "expected": row.expected,
            "likelihood": row.likelihood,
            "cause": row.cause,
            "measure": row.measure,
        }
    if errors:
        raise DocumentError(errors)
    total = document.funds[0] if document.funds else None
    if total is None:
        raise DocumentError([f"{document.where('project_name')}：表中没有资金情况"])
    budget = total.initial_budget if total.initial_budget is not None else total.full_year_budget
    changes = {
        "budget": budget if budget is not None else Decimal(0),
        "adjusted_budget": total.adjusted_budget,
        "spent": total.spent if total.spent is not None else Decimal(0),
        "expected_spent": total.expected_spent,
        "cause": document.cause,
        "measure": document.measure,
    }
    existed = target.monitoring_reports.filter(period=period).exists()
    report = monitoring_report_save(
        period=period,
        target=target,
        user=user,
        changes=changes,
        entries=entries,
        fund_sources=[
            {
                "label": row.label,
                "initial_budget": row.initial_budget,
                "adjusted_budget": row.adjusted_budget,
                "spent": row.spent,
            }
            for row in document.funds[1:]
        ],
        importing=True,
    )
    if approved:
        _settle_approved(report, user, "monitoring")
    return DocumentResult(document, report, not existed)
