"""The report's two tables, laid out as the seed report lays them out.

Units: 评价机构 | 被评单位 | 得分 | 等级, the firm's cell over all of its units. Projects: a row
per funding line; 序号, 第三方机构评分 and 等级 over all the lines of their project, the
name over consecutive lines of the same name (a line that continues the one above), and
a 合计 row that is the exact sum of the lines.
"""

from decimal import Decimal

from ..decimals import grouped
from .parts import ProjectRow, ProjectTable, UnitRow, UnitTable

NONE = "—"


def _score(value) -> str:
    return f"{value}" if value is not None else NONE


def unit_table(*, region, year: int, evaluations) -> UnitTable:
    """Return the unit table of evaluations already grouped by firm (units_by_firm)."""
    rows: list[UnitRow] = []
    head = None
    for evaluation in evaluations:
        row = UnitRow(
            firm=evaluation.firm.name if evaluation.firm_id else NONE,
            firm_span=0,
            unit=evaluation.unit.name,
            score=_score(evaluation.score),
            grade=evaluation.grade or NONE,
        )
        if head is None or evaluation.firm_id != head[1]:
            head = (row, evaluation.firm_id)
        head[0].firm_span += 1
        rows.append(row)
    firms = len({evaluation.firm_id for evaluation in evaluations if evaluation.firm_id})
    return UnitTable(f"{year}年度{region.name}部门整体绩效评价结果", rows, firms)


def project_table(*, region, year: int, projects) -> ProjectTable:
    """Return the project table of projects with their funding lines prefetched."""
    rows: list[ProjectRow] = []
    total = Decimal(0)
    for project in projects:
        lines = list(project.funding_lines.all())
        first = len(rows)
        name_head = None
        for line in lines or [None]:
            label = line.label if line is not None else project.name
            row = ProjectRow(
                number=str(project.number),
                span=0,
                name=label,
                name_span=0,
                amount=grouped(line.amount) if line is not None else NONE,
                self_score=_score(line.self_score if line is not None else None),
                score=_score(project.score),
                grade=project.grade or NONE,
            )
            if name_head is None or name_head.name != label:
                name_head = row
            name_head.name_span += 1
            rows.append(row)
            total += line.amount if line is not None else 0
        rows[first].span = len(rows) - first
    return ProjectTable(f"{year}年度{region.name}重点项目支出绩效评价结果", rows, grouped(total))
