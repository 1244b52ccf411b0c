"""The xlsx of a region's yearly assessment of departments' performance-management work,
for the district's supervision bureau (督办督查局).

Two sheets, each with a title row naming the region and year, then a bold header row:
- 排名: rank (ties share one), unit, kind, computed score, adjustment, score, reason;
- 得分明细: every unit's breakdown, one row per rule (points, share in %, points earned,
  what it was judged on), then its adjustment and its score.
Scores are numeric cells holding the stored Decimal; text is neutralised against formula
injection (exports.neutralised) and rid of control characters no worksheet may hold.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .exports import neutralised

RANKING = (("排名", 8), ("被考核单位", 30), ("单位类型", 10), ("计算得分", 12))
RANKING += (("调整分", 10), ("考核得分", 12), ("调整理由", 40))
BREAKDOWN = (("排名", 8), ("被考核单位", 30), ("考核内容", 20), ("分值", 10))
BREAKDOWN += (("得分比例（%）", 14), ("得分", 10), ("计算依据", 40))
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _sheet(workbook, name: str, title: str, columns):
    sheet = workbook.create_sheet(name)
    sheet.append([_text(title)])  # the region's name leads it
    sheet.cell(row=1, column=1).font = TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.append([header for header, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.cell(row=2, column=index).font = BOLD
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def _text(value) -> str:
    return neutralised(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def assessment_workbook(*, region, year: int, rows) -> bytes:
    """Return the xlsx of the ranked assessments (selectors.assessment.ranking)."""
    title = f"{region.name}{year}年度绩效管理工作考核"
    workbook = Workbook()
    workbook.remove(workbook.active)
    ranking = _sheet(workbook, "排名", f"{title}排名", RANKING)
    breakdown = _sheet(workbook, "得分明细", f"{title}得分明细", BREAKDOWN)
    for row in rows:
        unit = _text(row.unit.name)
        ranking.append(
            [
                row.rank,
                unit,
                row.unit.get_kind_display(),
                row.computed,
                row.adjustment,
                row.score,
                _text(row.adjustment_reason) if row.adjustment_reason else None,
            ]
        )
        for line in row.breakdown:
            breakdown.append(
                [
                    row.rank,
                    unit,
                    _text(line["label"]),
                    Decimal(line["points"]),
                    Decimal(line["share"]),
                    Decimal(line["earned"]),
                    _text(line["basis"]),
                ]
            )
        if row.adjustment:
            reason = _text(row.adjustment_reason)
            breakdown.append([row.rank, unit, "调整分", None, None, row.adjustment, reason])
        summary = [row.rank, unit, "考核得分", None, None, row.score, None]
        breakdown.append(summary)
        for cell in breakdown[breakdown.max_row]:
            cell.font = BOLD
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
