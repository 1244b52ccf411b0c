"""Writing Documents out in the standard layout of their kind, one worksheet each.

- 项目支出绩效自评表: 财预〔2020〕10号 attachment 1 — title and year, 项目名称 / 主管部门 /
  实施单位, 项目资金 (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分),
  年度总体目标 (预期目标 | 实际完成情况), the eight indicator columns with 一级/二级 merged
  down their rows and labelled with their points ("产出指标(50分)"), then 总分;
- 项目支出绩效目标申报表: header, 项目资金 (年初预算数), 总体目标 (中长期目标 / 年度目标),
  indicators with 指标值;
- 项目支出绩效监控表: header, 项目资金 (年初预算数 | 1-N月执行数 | 全年预计执行数),
  indicators with 1-N月完成值, 全年预计完成值, 完成目标可能性, 偏差原因, 改进措施, then
  偏差原因分析 and 相关建议或举措.

A column the standard layout lacks (调整后预算数, 度量单位, 指标性质 …) is added at the end
only when the document carries a value for it, so that read_documents gives the same
Document back. Numbers are numeric cells, unless the float would not hold the Decimal
exactly: then the exact figure is written as text.

Formula injection: a text that exports.neutralised would guard (it starts with = + - @,
tab or CR) is written as a string cell with Excel's quote prefix, the cell style Excel
itself gives text typed after an apostrophe. Excel shows "=100%" as text and never
evaluates it, and no apostrophe is added to the content, so a target "=100%" reads back
as written. Control characters, which no worksheet may hold, are left out.
"""

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..decimals import exact
from ..documents import Document, FundRow, IndicatorRow, Kind
from ..exports import neutralised
from ..indicators import Direction, Likelihood
from .read import derived_direction, derived_quantitative

TITLES = {
    Kind.SELF_EVALUATION: "项目支出绩效自评表",
    Kind.TARGET: "项目支出绩效目标申报表",
    Kind.MONITORING: "项目支出绩效监控表",
}
AMOUNT_FORMAT = "#,##0.00####"
SCORE_FORMAT = "0.00"
RATE_FORMAT = "0.00%"
FUND_COLUMNS = (
    ("initial_budget", "年初预算数"),
    ("full_year_budget", "全年预算数"),
    ("adjusted_budget", "调整后预算数"),
    ("spent", "全年执行数"),
    ("expected_spent", "全年预计执行数"),
    ("points", "分值"),
    ("rate", "执行率"),
    ("score", "得分"),
    ("reason", "原因"),
)
STANDARD_FUNDS = {
    Kind.SELF_EVALUATION: {
        "initial_budget",
        "full_year_budget",
        "spent",
        "points",
        "rate",
        "score",
    },
    Kind.TARGET: {"initial_budget"},
    Kind.MONITORING: {"initial_budget", "spent", "expected_spent"},
}
INDICATOR_COLUMNS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("operator", "计算符号"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("progress", "当前完成值"),
    ("expected", "全年预计完成值"),
    ("likelihood", "完成目标可能性"),
    ("points", "分值"),
    ("score", "得分"),
    ("reason", "偏差原因分析及改进措施"),
    ("cause", "偏差原因"),
    ("measure", "改进措施"),
    ("unit_of_measure", "度量单位"),
    ("quantitative", "指标性质"),
    ("direction", "指标方向"),
    ("scoring_rule", "评（扣）分标准"),
)
STANDARD_INDICATORS = {
    Kind.SELF_EVALUATION: {"actual", "points", "score", "reason"},
    Kind.TARGET: set(),
    Kind.MONITORING: {"progress", "expected", "likelihood", "cause", "measure"},
}
ALWAYS = ("level1", "level2", "name", "target")
CLOSING_BOXES = (
    ("conclusion", "评价结论"),
    ("problems", "存在问题"),
    ("measures", "改进措施"),
    ("cause", "偏差原因分析"),
    ("measure", "相关建议或举措"),
)
FOOTER = ("填报人：", "联系电话：", "填报日期：")
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：]")
_PLAIN_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d*[1-9])?$")
WRAP = Alignment(wrap_text=True, vertical="center")


def write_document(document: Document) -> bytes:
    """Return an xlsx workbook holding the document in its kind's standard layout."""
    return write_documents([document])


def write_documents(documents) -> bytes:
    """Return an xlsx workbook with one worksheet per document, named after its project."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for document in documents:
        name = _sheet_name(document, used)
        used.add(name.lower())
        _Layout(workbook.create_sheet(name), document).write()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(document: Document, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", document.project_name))
    base = base.strip(" '") or TITLES[document.kind]
    base = base[:SHEET_NAME_MAX]
    name, number = base, 2
    while name.lower() in used:
        suffix = f"({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    return name


def _number(value: Decimal | None):
    """Return a Decimal as a float when the float holds it exactly, else its exact text."""
    if value is None:
        return None
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else exact(value)


def _value(text: str):
    """Return a target or actual as written: a plain number as a number, else the text."""
    return _number(Decimal(text)) if _PLAIN_NUMBER.match(text) else text


class _Layout:
    """One document's worksheet, written top to bottom; `row` is the last row written."""

    def __init__(self, sheet, document: Document):
        self.sheet = sheet
        self.document = document
        self.kind = Kind(document.kind)
        month = document.end_month
        fund_headers, indicator_headers = {}, {}
        if self.kind == Kind.MONITORING:
            fund_headers["spent"] = f"1-{month}月执行数" if month else "预算执行数"
            indicator_headers["progress"] = f"1-{month}月完成值" if month else "当前完成值"
        if self.kind == Kind.TARGET:
            indicator_headers["target"] = "指标值"
        self.funds = _chosen(
            FUND_COLUMNS, fund_headers, STANDARD_FUNDS[self.kind], document.funds, _fund_has
        )
        self.indicators = _chosen(
            INDICATOR_COLUMNS,
            indicator_headers,
            set(ALWAYS) | STANDARD_INDICATORS[self.kind],
            document.indicators,
            _indicator_has,
        )
        self.width = max(9, len(self.indicators) + 1, len(self.funds) + 2)
        self.row = 0

    # -- cells

    def put(self, row: int, column: int, value, number_format: str | None = None):
        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # no worksheet may hold them
        cell.value = value
        if neutralised(value) != value:
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.alignment = WRAP
        if number_format and isinstance(value, float | int):
            cell.number_format = number_format
        return cell

    def span(self, row: int, first: int, last: int, value, *, rows: int = 1):
        cell = self.put(row, first, value)
        if last > first or rows > 1:
            self.sheet.merge_cells(
                start_row=row, start_column=first, end_row=row + rows - 1, end_column=last
            )
        return cell

    def next_row(self) -> int:
        self.row += 1
        return self.row

    # -- blocks

    def write(self):
        self.sheet.column_dimensions["A"].width = 14
        for column in range(2, self.width + 1):
            self.sheet.column_dimensions[get_column_letter(column)].width = 16
        self._title()
        self._header()
        if self.document.funds:
            self._funds()
        self._goals()
        self._indicators()
        self._closing()
        row = self.next_row() + 1
        for index, label in enumerate(FOOTER):
            self.put(row, 1 + index * 3, label)

    def _title(self):
        document = self.document
        title = self.span(self.next_row(), 1, self.width, TITLES[self.kind])
        title.font = Font(bold=True, size=16)
        title.alignment = Alignment(horizontal="center")
        year = f"{document.year}年" if document.year else ""
        if self.kind == Kind.MONITORING and document.end_month:
            period = f"（{year}1—{document.end_month}月）"
        else:
            period = f"（{document.year or '    '}年度）"
        self.span(self.next_row(), 1, self.width, period).alignment = Alignment(horizontal="center")

    def _header(self):
        document, middle = self.document, self.width // 2
        self.pair(self.next_row(), ("项目名称", document.project_name))
        pairs = (("主管部门", document.department), ("实施单位", document.implementing_unit))
        self.pair(self.next_row(), *pairs, middle=middle)
        if self.kind != Kind.SELF_EVALUATION or document.project_code or document.attribute:
            pairs = (("项目编码", document.project_code), ("项目属性", document.attribute))
            self.pair(self.next_row(), *pairs, middle=middle)

    def pair(self, row: int, *pairs, middle: int | None = None):
        """Write label | value (merged to the right), one or two pairs on the row."""
        bounds = [(1, self.width)] if middle is None else [(1, middle), (middle + 1, self.width)]
        for (label, value), (first, last) in zip(pairs, bounds, strict=False):
            self.put(row, first, label).font = Font(bold=True)
            self.span(row, first + 1, last, value)

    def _funds(self):
        document = self.document
        header = self.next_row()
        self.span(header, 1, 1, "项目资金（万元）", rows=len(document.funds) + 1)
        for index, (_, text) in enumerate(self.funds):
            self.put(header, 3 + index, text).font = Font(bold=True)
        for index, fund in enumerate(document.funds):
            row = self.next_row()
            label = (
                fund.label if index != 1 or fund.label.startswith("其中") else "其中：" + fund.label
            )
            self.put(row, 2, label)
            for column, (name, _) in enumerate(self.funds, start=3):
                self._fund_cell(row, column, fund, name)

    def _fund_cell(self, row: int, column: int, fund: FundRow, name: str):
        value = getattr(fund, name)
        if name == "reason":
            self.put(row, column, value)
        elif name == "rate":
            if value is not None:
                share = _number(value / 100)
                if isinstance(share, float):
                    self.put(row, column, share, RATE_FORMAT)
                else:
                    self.put(row, column, f"{exact(value)}%")
        else:
            is_amount = name not in ("points", "score")
            self.put(row, column, _number(value), AMOUNT_FORMAT if is_amount else SCORE_FORMAT)

    def _goals(self):
        document = self.document
        if self.kind == Kind.SELF_EVALUATION:
            row, middle = self.next_row(), 1 + (self.width - 1) // 2
            self.span(row, 1, 1, "年度总体目标", rows=2)
            self.span(row, 2, middle, "预期目标")
            self.span(row, middle + 1, self.width, "实际完成情况")
            row = self.next_row()
            self.span(row, 2, middle, document.overall_goal)
            self.span(row, middle + 1, self.width, document.goal_actual)
            return
        parts = [("年度目标", document.overall_goal)]
        if self.kind == Kind.TARGET or document.long_term_goal:
            parts.insert(0, ("中长期目标", document.long_term_goal))
        if document.goal_actual:
            parts.append(("实际完成情况", document.goal_actual))
        if len(parts) == 1:
            self.pair(self.next_row(), ("年度总体目标", document.overall_goal))
            return
        first = self.row + 1
        self.span(first, 1, 1, "总体目标", rows=len(parts))
        for label, value in parts:
            row = self.next_row()
            self.put(row, 2, label)
            self.span(row, 3, self.width, value)

    def _indicators(self):
        document = self.document
        header = self.next_row()
        rows = document.indicators
        self.span(header, 1, 1, "绩效指标", rows=len(rows) + 1)
        for column, (_, text) in enumerate(self.indicators, start=2):
            self.put(header, column, text).font = Font(bold=True)
        for indicator in rows:
            row = self.next_row()
            for column, (name, _) in enumerate(self.indicators, start=2):
                if name not in ("level1", "level2"):
                    self._indicator_cell(row, column, indicator, name)
        self._levels(header + 1, rows)
        self._total()

    def _levels(self, first: int, rows: list[IndicatorRow]):
        """Write 一级/二级 labels once per group of rows, merged down the group."""
        for column, key in ((2, _level1), (3, _level2)):
            start = 0
            for index in range(1, len(rows) + 1):
                if index < len(rows) and key(rows[index]) == key(rows[start]):
                    continue
                label, points = key(rows[start])[-2:]
                text = f"{label}({exact(points)}分)" if points is not None else label or "/"
                self.span(first + start, column, column, text, rows=index - start)
                start = index

    def _indicator_cell(self, row: int, column: int, indicator: IndicatorRow, name: str):
        value = getattr(indicator, name, None)
        if name == "name":
            self.put(row, column, ("★" if indicator.core else "") + value)
        elif name in ("target", "actual"):
            self.put(row, column, _value(getattr(indicator, f"{name}_text")))
        elif name == "operator":
            self.put(row, column, _separate_operator(indicator))
        elif name in ("points", "score"):
            self.put(row, column, _number(value), SCORE_FORMAT)
        elif name == "quantitative":
            self.put(row, column, {True: "定量", False: "定性"}.get(value, ""))
        elif name == "direction":
            self.put(row, column, Direction(value).label if value else "")
        elif name == "likelihood":
            self.put(row, column, Likelihood(value).label if value else "")
        else:
            self.put(row, column, value)

    def _total(self):
        document = self.document
        names = [name for name, _ in self.indicators]
        if "points" not in names:
            return
        row = self.next_row()
        points_column = names.index("points") + 2
        self.span(row, 1, points_column - 1, "总分" if "score" in names else "合计")
        if "score" in names:
            everything = [document.execution_points] + [i.points for i in document.indicators]
            if all(p is not None for p in everything):
                self.put(row, points_column, _number(sum(everything, Decimal(0))), SCORE_FORMAT)
            self.put(row, names.index("score") + 2, _number(document.total), SCORE_FORMAT)
        else:
            self.put(row, points_column, _number(document.total), SCORE_FORMAT)

    def _closing(self):
        document = self.document
        for name, label in CLOSING_BOXES:
            monitoring_box = self.kind == Kind.MONITORING and name in ("cause", "measure")
            if getattr(document, name) or monitoring_box:
                self.pair(self.next_row(), (label, getattr(document, name)))


def _level1(row: IndicatorRow):
    return (row.level1, row.level1_points)


def _level2(row: IndicatorRow):
    return (row.level1, row.level1_points, row.level2, row.level2_points)


def _chosen(columns, headers: dict, standard: set, rows: list, has) -> list[tuple[str, str]]:
    """Return the kind's standard columns and those the rows hold values for, in order."""
    return [
        (name, headers.get(name, text))
        for name, text in columns
        if name in standard or has(rows, name)
    ]


def _fund_has(rows: list[FundRow], name: str) -> bool:
    return any(getattr(row, name) not in (None, "") for row in rows)


def _separate_operator(row: IndicatorRow) -> str:
    """Return the target's operator when its text does not state it (a 计算符号 column)."""
    operator = row.target.operator if row.target else ""
    return "" if row.target_text.startswith(operator) else operator


def _indicator_has(rows: list[IndicatorRow], name: str) -> bool:
    if name == "operator":
        return any(_separate_operator(row) for row in rows)
    if name == "quantitative":
        return any(row.quantitative != derived_quantitative(row) for row in rows)
    if name == "direction":
        return any(row.direction != derived_direction(row) for row in rows)
    if name in ("target", "actual"):
        return any(getattr(row, f"{name}_text") for row in rows)
    return any(getattr(row, name) not in (None, "", False) for row in rows)
