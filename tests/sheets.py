"""Build small xlsx files the way bureaus lay them out, for importer tests."""

import io

from openpyxl import Workbook

UNIT_HEADER = ["评价机构", "被评单位", "得分", "等级"]
PROJECT_HEADER = [
    "序号",
    "项目名称",
    "年度项目资金（万元）",
    "自评得分（分）",
    "第三方机构评分（分）",
    "等级",
]


def xlsx(rows, *, title="2021年度花溪区绩效评价结果", merges=(), header=None) -> bytes:
    """Return xlsx bytes: an optional title row, a header row, then rows; merges in A1 style."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_sheet(rows, **kwargs) -> bytes:
    kwargs.setdefault("header", UNIT_HEADER)
    return xlsx(rows, **kwargs)


def project_sheet(rows, **kwargs) -> bytes:
    kwargs.setdefault("header", PROJECT_HEADER)
    return xlsx(rows, **kwargs)
