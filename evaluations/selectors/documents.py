"""Filings as Documents, for writing out in the circulated layouts (evaluations.layouts).

The inverse of services.documents: what a department filed, with its computed scores,
back in the table it would have circulated. The caller decides who may see the filing
(policies.visible_targets / visible_filings).
"""

from ..documents import Cell, Document, FundRow, IndicatorRow, Kind
from ..indicators import parse_value
from ..models import MonitoringReport, SelfEvaluation, TargetVersion
from .targets import version_leaves

NOWHERE = Cell(sheet="", row=0)


def _header(document: Document, target) -> Document:
    document.year = target.year
    document.project_name = target.project_name or f"{target.unit.name}部门整体支出"
    document.project_code = target.project_code
    document.department = target.unit.name
    document.implementing_unit = target.implementing_unit
    document.attribute = target.get_attribute_display() if target.attribute else ""
    return document


def _rows(version: TargetVersion) -> list[tuple[object, IndicatorRow]]:
    rows = []
    for node in version_leaves(version):
        group = node.parent
        first = group.parent if group is not None else None
        target_text = node.target_text if node.target_value else ""
        rows.append(
            (
                node,
                IndicatorRow(
                    cell=NOWHERE,
                    level1=first.name if first else "",
                    level2=group.name if group else "",
                    name=node.name,
                    level1_points=first.points if first else None,
                    level2_points=group.points if group else None,
                    target=parse_value(target_text),
                    target_text=target_text,
                    points=node.points,
                    quantitative=node.quantitative,
                    direction=node.direction,
                    unit_of_measure=node.unit_of_measure,
                    core=node.core,
                    scoring_rule=node.scoring_rule,
                ),
            )
        )
    return rows


def _file_name(document: Document) -> str:
    return f"{document.year}-{document.project_name}.xlsx"


def target_document(version: TargetVersion) -> Document:
    """Return a target version as its 绩效目标申报表."""
    document = _header(Document(kind=Kind.TARGET, file_name="", sheet=""), version.target)
    document.file_name = _file_name(document)
    document.overall_goal = version.overall_goal
    document.long_term_goal = version.long_term_goal
    document.funds = [
        FundRow(label=label, cell=NOWHERE, initial_budget=amount)
        for label, amount in (
            ("年度资金总额", version.funds_total),
            ("其中：财政拨款", version.funds_fiscal),
            ("其他资金", version.funds_other),
        )
        if amount is not None or label == "年度资金总额"
    ]
    document.indicators = [row for _, row in _rows(version)]
    return document


def self_evaluation_document(evaluation: SelfEvaluation) -> Document:
    """Return a self-evaluation with its computed scores as a 项目支出绩效自评表."""
    document = _header(
        Document(kind=Kind.SELF_EVALUATION, file_name="", sheet=""), evaluation.target
    )
    document.file_name = _file_name(document)
    version = evaluation.version
    document.overall_goal = version.overall_goal
    document.goal_actual = evaluation.goal_actual
    framework = evaluation.framework
    document.execution_points = framework.execution_points
    document.funds = [
        FundRow(
            label="年度资金总额",
            cell=NOWHERE,
            initial_budget=evaluation.initial_budget,
            full_year_budget=evaluation.full_year_budget,
            adjusted_budget=evaluation.adjusted_budget,
            spent=evaluation.spent,
            points=framework.execution_points,
            rate=evaluation.execution_rate,
            score=evaluation.execution_score,
            reason=evaluation.execution_reason,
        )
    ] + [
        FundRow(
            label=source.label,
            cell=NOWHERE,
            initial_budget=source.initial_budget,
            full_year_budget=source.full_year_budget,
            adjusted_budget=source.adjusted_budget,
            spent=source.spent,
        )
        for source in evaluation.fund_sources.all()
    ]
    entries = {e.indicator_id: e for e in evaluation.entries.all()}
    for node, row in _rows(version):
        entry = entries.get(node.pk)
        if entry is None:
            continue
        row.applicable = entry.applicable
        row.actual_text = entry.actual_value if entry.applicable else "/"
        row.actual = parse_value(row.actual_text) if entry.applicable else None
        row.score = entry.score
        row.reason = entry.reason
        document.indicators.append(row)
    document.execution_score = evaluation.execution_score
    document.total = evaluation.total
    document.conclusion = evaluation.conclusion
    document.problems = evaluation.problems
    document.measures = evaluation.measures
    return document


def monitoring_document(report: MonitoringReport) -> Document:
    """Return a monitoring report as its 项目支出绩效监控表."""
    document = _header(Document(kind=Kind.MONITORING, file_name="", sheet=""), report.target)
    document.file_name = _file_name(document)
    document.end_month = report.period.end_month
    document.overall_goal = report.version.overall_goal
    document.funds = [
        FundRow(
            label="年度资金总额",
            cell=NOWHERE,
            initial_budget=report.budget,
            adjusted_budget=report.adjusted_budget,
            spent=report.spent,
            expected_spent=report.expected_spent,
        )
    ] + [
        FundRow(
            label=source.label,
            cell=NOWHERE,
            initial_budget=source.initial_budget,
            adjusted_budget=source.adjusted_budget,
            spent=source.spent,
        )
        for source in report.fund_sources.all()
    ]
    entries = {e.indicator_id: e for e in report.entries.all()}
    for node, row in _rows(report.version):
        entry = entries.get(node.pk)
        if entry is None:
            continue
        row.progress, row.expected = entry.progress, entry.expected
        row.likelihood, row.cause, row.measure = entry.likelihood, entry.cause, entry.measure
        document.indicators.append(row)
    document.cause, document.measure = report.cause, report.measure
    return document
