"""Reading the circulated filing tables into Documents, block by block, by their labels.

Every region moves rows and columns about, so nothing is read at a fixed position: a
worksheet is searched for its blocks (../shared/domain.md §3, §5, §7):
- the title rows, which give the kind (自评 / 监控 / 申报), the year and the month "1—7月";
- header labels (项目名称, 主管部门及代码 …), each with its value in the next non-empty
  cell to the right, or in the same cell after a colon ("项目名称：…");
- the fund block, under a row of column headers (年初预算数 | 全年执行数 …) or as label and
  amount pairs (年度资金总额 | 100), the total row first;
- 年度总体目标 with 预期目标 / 实际完成情况 (or 中长期目标 / 年度目标) side by side or stacked;
- the indicator block, under a header naming 三级指标 or 指标名称 (one or two header rows),
  down to the 总分 / 合计 row, a closing box or a footer;
- closing boxes (评价结论, 存在问题, 改进措施, 偏差原因分析, 相关建议或举措).

Merged cells are read as their top-left value, so a merged or blank 一级/二级 cell means
"same as above". A cell's number format is honoured: 1.0 shown as 100.00% reads "100.00%".
Every problem in a file is collected and raised together; nothing is returned partially.
Scoring arithmetic and point sums are not checked here: the services do that.
The bytes pass the upload guard (evaluations.workbooks) before openpyxl opens them, and a
table on a hidden worksheet is refused: nobody checked what they cannot see.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from ..decimals import DecimalParseError, exact, parse_amount, parse_score, to_decimal
from ..documents import Cell, Document, DocumentError, FundRow, IndicatorRow, Kind
from ..exports import FORMULA_TRIGGERS
from ..indicators import (
    NOT_APPLICABLE,
    Direction,
    Likelihood,
    direction_for,
    parse_value,
    split_points_label,
)
from ..scoring import Operator
from ..text import clean_text
from ..workbooks import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, xlsx_problems


def _aliases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, aliases in table.items() for alias in aliases}


# Every vocabulary below is keyed by label_key(): no spaces, no bracketed note, no colon.
HEADER_FIELDS = _aliases(
    {
        "year": ("年度", "预算年度", "评价年度", "所属年度", "项目年度"),
        "project_name": ("项目名称",),
        "project_code": ("项目编码", "项目代码", "项目编号"),
        "department": ("主管部门", "主管部门及代码", "主管部门及编码", "主管部门名称", "主管单位"),
        "implementing_unit": ("实施单位", "执行单位", "项目实施单位", "实施单位名称"),
        "attribute": ("项目属性",),
    }
)
# Recognised so that they are never taken for a value; what they hold is not kept.
OTHER_LABELS = frozenset(
    (
        "项目负责人",
        "项目负责人及电话",
        "联系人",
        "联系电话",
        "项目类型",
        "来源类型",
        "资金来源类型",
        "项目起止时间",
        "起止时间",
        "项目期",
        "项目周期",
        "实施期限",
        "项目实施期",
    )
)
FUND_COLUMNS = _aliases(
    {
        "initial_budget": ("年初预算数", "年初预算", "年初预算金额", "年初预算资金"),
        "full_year_budget": ("全年预算数", "全年预算", "全年预算金额"),
        "adjusted_budget": ("调整后预算数", "调整后预算", "调整预算数", "调整后的预算"),
        "spent": ("全年执行数", "预算执行数", "执行数", "实际执行数", "累计支出", "全年实际执行数"),
        "expected_spent": ("全年预计执行数", "预计全年执行数", "全年预计支出数"),
        "points": ("分值", "权重"),
        "rate": ("执行率", "预算执行率"),
        "score": ("得分",),
        "reason": ("原因", "偏差原因", "未完成原因", "原因说明", "原因分析", "执行率偏低原因"),
    }
)
AMOUNT_FIELDS = ("initial_budget", "full_year_budget", "adjusted_budget", "spent", "expected_spent")
FUND_TITLES = frozenset(
    ("项目资金", "预算执行情况", "项目资金情况", "资金情况", "预算资金执行情况")
)
FUND_TOTALS = frozenset(
    ("年度资金总额", "资金总额", "总额", "项目资金总额", "年度资金合计", "合计")
)
GOAL_LABELS = frozenset(("年度总体目标", "总体目标", "年度绩效目标", "绩效目标", "项目绩效目标"))
# A goal box's own label: 预期目标, 年度目标, 中长期目标（2021—2023年）, 年初设定目标,
# 实际完成情况, 年度总体目标完成情况综述, 1-7月目标完成情况, 项目年度目标 …
GOAL_PART = re.compile(
    r"^(?:项目)?(?P<period>中长期|长期|中期|项目期|实施期|年度|年初设定|年初|预期|全年|"
    r"\d{1,2}-\d{1,2}月)?(?:总体|绩效)?目标(?P<done>完成情况(?:综述)?)?$"
    r"|^(?P<actual>(?:实际|全年实际)?完成情况)$"
)
LONG_TERM = frozenset(("中长期", "长期", "中期", "项目期", "实施期"))
# 偏差原因分析 is the indicator's 偏差原因分析及改进措施 in a self-evaluation table and the
# cause of a deviation in a monitoring table: read as "deviation" until the kind is known.
DEVIATION = "deviation"
INDICATOR_COLUMNS = _aliases(
    {
        "level1": ("一级指标",),
        "level2": ("二级指标",),
        "name": ("三级指标", "指标名称", "三级指标名称", "绩效指标名称"),
        "nature": ("指标性质", "指标值类型", "指标类型"),
        "operator": ("计算符号", "运算符号", "符号"),
        "direction": ("指标方向", "指标方向性", "方向"),
        "target": ("年度指标值", "指标值", "目标值", "年度目标值", "预期指标值", "年初指标值"),
        "unit_of_measure": ("度量单位", "计量单位", "单位"),
        "actual": (
            "实际完成值",
            "完成值",
            "全年实际值",
            "全年完成值",
            "实际值",
            "全年实际完成值",
            "实际完成情况",
        ),
        "points": ("分值", "权重", "指标权重", "指标分值"),
        "score": ("得分", "指标得分", "自评得分"),
        "reason": (
            "偏差原因分析及改进措施",
            "未完成原因分析",
            "未完成原因分析及改进措施",
            "偏差大或目标未完成原因分析",
        ),
        "progress": ("当前完成值", "累计完成值", "当前完成情况"),
        "expected": ("全年预计完成值", "预计全年完成值", "全年预计完成情况", "全年预计完成"),
        "likelihood": ("完成目标可能性", "完成可能性", "完成可能性分析", "目标完成可能性"),
        "cause": ("偏差原因", "偏差原因类型"),
        DEVIATION: ("偏差原因分析",),
        "measure": ("改进措施", "纠偏措施", "整改措施"),
        "core": ("是否核心指标", "核心指标", "★"),
        "scoring_rule": ("评分标准", "评扣分标准", "扣分标准", "得分计算方法", "计分方法"),
    }
)
HEADED_BY_INDICATOR_TABLE = ("level1", "level2", "target", "points", "actual", "progress")
TOTAL_LABELS = frozenset(("总分", "合计", "总计", "得分合计", "总得分", "分值合计"))
CLOSING_BOXES = _aliases(
    {
        "conclusion": ("评价结论", "自评结论", "综合评价结论"),
        "problems": ("存在问题", "存在的问题", "主要问题"),
        "measures": ("改进措施", "改进措施及结果应用方案", "整改措施", "改进建议"),
        "cause": ("偏差原因分析", "偏差或不能完成目标原因分析", "偏差原因", "原因分析"),
        "measure": ("相关建议或举措", "相关建议及举措", "建议或举措", "纠偏措施"),
    }
)
FOOTER_PREFIXES = (
    "填报人",
    "填表人",
    "联系电话",
    "填报日期",
    "填表日期",
    "日期:",
    "负责人",
    "项目负责人",
    "财务负责人",
    "单位负责人",
    "审核人",
    "制表人",
    "制表单位",
    "填报单位",
    "单位(盖章)",
    "注:",
    "说明:",
    "备注:",
)
PLACEHOLDER = re.compile(r"^(指标\s*[0-9一二三四五六七八九十]+\s*:?|[.…。·、\s]+)$")
# "指标1工程资金金额": the template's row number glued to a real name.
PLACEHOLDER_PREFIX = re.compile(r"^指标\s*\d+\s*[:.、]?\s*(?=[^\s\d])")
PROMPT = re.compile(r"[(（]\s*\d+\s*字以内\s*[)）]")
CHECKED = re.compile(r"[☑☒■✔√]\s*([^\s□☐☑☒■✔√]+)")
GLUED_CODE = re.compile(r"^([0-9A-Za-z]{12,})\s*[-—_:：]\s*(.+)$")
LIKELIHOODS = _aliases(
    {
        Likelihood.CERTAIN.value: ("确定能", "确定", "能", "确定能完成", "确定能实现"),
        Likelihood.POSSIBLE.value: ("有可能", "可能", "有可能完成", "有可能实现"),
        Likelihood.IMPOSSIBLE.value: ("不可能", "完全不可能", "不能", "不可能完成", "不可能实现"),
    }
)
NATURES = {
    "定量": ("quantitative", True),
    "定性": ("quantitative", False),
    "正向": ("direction", Direction.POSITIVE.value),
    "反向": ("direction", Direction.NEGATIVE.value),
    **{op.value: ("operator", op.value) for op in Operator},
    ">=": ("operator", Operator.GE.value),
    "<=": ("operator", Operator.LE.value),
}
CORE_WORDS = {"是": True, "★": True, "√": True, "✓": True, "核心": True, "否": False}
TITLE_KINDS = (
    ("自评", Kind.SELF_EVALUATION),
    ("监控", Kind.MONITORING),
    ("申报", Kind.TARGET),
    ("绩效目标表", Kind.TARGET),
)

_BRACKETED = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")
_MONTH_RANGE = re.compile(r"(?:1|一)\s*[-—–~～至到]\s*(\d{1,2})\s*月")
_MONTH_UPTO = re.compile(r"截[至止]\s*(\d{1,2})\s*月")
_YEAR = re.compile(r"((?:19|20)\d{2})")
_CODE_AROUND = re.compile(
    r"^[\[【(（]?\d{3,}[\]】)）]?[\s\-—:：]*|[\s\-—:：]*[\[【(（]?\d{3,}[\]】)）]?$"
)
_COLON = re.compile(r"[:：]")
_FORMAT_PLACES = re.compile(r"\.(0+)")


def label_key(raw) -> str:
    """Return a label reduced for matching: NFKC, no spaces, no bracketed note, no colon."""
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    return _BRACKETED.sub("", "".join(text.split())).strip(":")


def end_month(text: str) -> int | None:
    """Return N of a period "1—N月" / "截至N月" / "半年" stated in a title or header."""
    text = unicodedata.normalize("NFKC", text)
    for pattern in (_MONTH_RANGE, _MONTH_UPTO):
        if (match := pattern.search(text)) and 1 <= int(match[1]) <= 12:
            return int(match[1])
    return 6 if "半年" in text else None


def derived_quantitative(row: IndicatorRow) -> bool | None:
    """Return what an indicator's values say when no 指标性质 column states it."""
    value = row.target or row.actual
    return value.quantitative if value else None


def derived_direction(row: IndicatorRow) -> str:
    """Return the direction the target's operator implies when no column states it."""
    return direction_for(row.target.operator) if row.target else ""


def unneutralised(text: str) -> str:
    """Undo exports.neutralised: "'=x" written to keep a formula out reads back "=x"."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


# -- the file ---------------------------------------------------------------------------


def read_documents(data: bytes, *, file_name: str, kind: str | None = None) -> list[Document]:
    """Return the Document of every worksheet holding a filing table, in workbook order.

    kind, when given, is taken for every table instead of being told from its content.
    Raise DocumentError with every problem the file has; never return part of a file.
    """
    if kind is not None and kind not in Kind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    values, formulas = _open(data, file_name)
    problems = _Problems(file_name)
    documents, tables = [], 0
    for worksheet, typed in zip(values.worksheets, formulas.worksheets, strict=True):
        _within_limits(worksheet, file_name)
        reader = _SheetReader(_Grid(worksheet, typed), file_name, kind, problems)
        document = reader.read()
        if reader.is_table and worksheet.sheet_state != "visible":
            # A table nobody sees on screen is never written unseen.
            problems.sheet(
                worksheet.title, "是隐藏的工作表，其中有表格：请取消隐藏并核对后重新上传"
            )
            continue
        if reader.is_table:
            tables += 1
        if document is not None:
            documents.append(document)
    if not tables:
        problems.file("没有找到绩效目标申报表、绩效监控表或项目支出绩效自评表")
    if problems.messages:
        raise DocumentError(problems.messages)
    return documents


def _open(data: bytes, file_name: str) -> tuple:
    """Return the workbook twice: with the values Excel cached, and with the formulas."""
    if problems := xlsx_problems(data):
        raise DocumentError([f"{file_name}：{problem}" for problem in problems])
    try:
        return (
            load_workbook(io.BytesIO(data), data_only=True),
            load_workbook(io.BytesIO(data), data_only=False),
        )
    except Exception as exc:  # openpyxl raises a dozen kinds for a damaged package
        reason = f"无法读取 xlsx 文件（文件已损坏或含有非法字符）：{exc}"
        raise DocumentError([f"{file_name}：{reason}"]) from exc


def _within_limits(worksheet, file_name: str) -> None:
    """Refuse a sheet larger than the upload guard allows before walking its grid.

    The guard has already counted the sheet; this holds even if a file it could not see
    through reaches here (iter_rows would make every cell of the grid).
    """
    rows, columns = worksheet.max_row, worksheet.max_column
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise DocumentError(
            [
                f"{file_name} 工作表“{worksheet.title}”：范围为 {rows} 行 × {columns} 列，"
                f"超过上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列、{MAX_CELLS} 个单元格），"
                "请删除多余的行列后重新保存"
            ]
        )


class _Problems:
    def __init__(self, file_name: str):
        self.file_name = file_name
        self.messages: list[str] = []

    def at(self, cell: Cell, reason: str):
        self.messages.append(f"{self.file_name} {cell}：{reason}")

    def sheet(self, sheet: str, reason: str):
        self.messages.append(f"{self.file_name} 工作表“{sheet}”：{reason}")

    def file(self, reason: str):
        self.messages.append(f"{self.file_name}：{reason}")


# -- cells ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """A cell as read: its value and number format, and the top-left cell of its merge."""

    value: object
    number_format: str
    origin: tuple[int, int]

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    @property
    def text(self) -> str:
        """Return the value as shown: cleaned text, numbers exact, percentages with "%"."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if isinstance(value, int | float | Decimal):
            return _number_text(value, self.number_format)
        return unneutralised(clean_text(value))

    @property
    def narrative(self) -> str:
        """Return free text as written, lines kept, only spaces at the ends trimmed."""
        if not isinstance(self.value, str):
            return self.text
        text = self.value.replace("\u3000", " ").replace("\xa0", " ")
        lines = (" ".join(line.split()) for line in text.splitlines())
        return unneutralised("\n".join(lines).strip())


def _number_text(value, number_format: str) -> str:
    try:
        number = to_decimal(value)
    except DecimalParseError:
        return str(value)
    if "%" not in (number_format or ""):
        return exact(number)
    shown = number * 100
    match = _FORMAT_PLACES.search(number_format)
    places = len(match[1]) if match else 0
    exponent = shown.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= places:
        return f"{shown:.{places}f}%"
    return f"{exact(shown)}%"


class _Grid:
    """A worksheet as slots, every cell of a merged range holding its top-left slot.

    A formula cell that no spreadsheet has computed (a file written by a program) has no
    cached value: its formula text is the value, so "=100%" typed as a target reads
    "=100%" and an uncomputed "=SUM(C7:C9)" in an amount cell is refused, never blank.
    """

    def __init__(self, worksheet, typed):
        self.name = worksheet.title
        self.height = worksheet.max_row
        self.width = worksheet.max_column
        self.slots: dict[tuple[int, int], _Slot] = {}
        for row in worksheet.iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell) and cell.value is not None:
                    key = (cell.row, cell.column)
                    self.slots[key] = _Slot(cell.value, cell.number_format, key)
        for row in typed.iter_rows():
            for cell in row:
                key = (cell.row, cell.column)
                if cell.data_type == "f" and key not in self.slots:
                    formula = getattr(cell.value, "text", cell.value)  # an ArrayFormula's text
                    self.slots[key] = _Slot(formula, cell.number_format, key)
        self.spans: dict[tuple[int, int], int] = {}  # merge origin -> its last row
        for merged in worksheet.merged_cells.ranges:
            origin = (merged.min_row, merged.min_col)
            top = self.slots.get(origin, _Slot(None, "General", origin))
            self.spans[origin] = merged.max_row
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    self.slots[(r, c)] = top

    def slot(self, row: int, column: int) -> _Slot:
        return self.slots.get((row, column)) or _Slot(None, "General", (row, column))

    def cell(self, row: int, column: int, header: str = "") -> Cell:
        return Cell(self.name, row, get_column_letter(column), header)

    def own(self, row: int):
        """Yield (column, slot) of the cells that start in this row, left to right."""
        for column in range(1, self.width + 1):
            slot = self.slot(row, column)
            if slot.origin == (row, column) and not slot.blank:
                yield column, slot

    def blank_row(self, row: int) -> bool:
        return all(self.slot(row, c).blank for c in range(1, self.width + 1))

    def right_of(self, row: int, column: int) -> int | None:
        """Return the column of the next value right of a label, None if a label comes first."""
        origin = self.slot(row, column).origin
        for c in range(column + 1, self.width + 1):
            slot = self.slot(row, c)
            if slot.origin == origin or slot.blank:
                continue
            return None if is_label(label_key(slot.value)) else c
        return None

    def below(self, row: int, column: int) -> int | None:
        """Return the row of the cell under a (possibly merged) label, if it holds a value."""
        origin = self.slot(row, column).origin
        under = self.spans.get(origin, origin[0]) + 1
        return under if under <= self.height and not self.slot(under, column).blank else None


# -- a worksheet ------------------------------------------------------------------------


@dataclass
class _Columns:
    """A block's header: field -> (column, header text as written)."""

    row: int
    fields: dict[str, tuple[int, str]]
    start: int  # first data row


LABELS = (
    frozenset(HEADER_FIELDS) | OTHER_LABELS | GOAL_LABELS | frozenset(CLOSING_BOXES) | FUND_TITLES
)


def goal_part(key: str) -> str | None:
    """Return the Document field a goal box's label names, None if it names none."""
    match = GOAL_PART.match(key)
    if match is None:
        return None
    if match["done"] or match["actual"]:
        return "goal_actual"
    return "long_term_goal" if match["period"] in LONG_TERM else "overall_goal"


def is_label(key: str) -> bool:
    """Return True for a label whose value sits beside it (never a value itself)."""
    return key in LABELS or goal_part(key) is not None


class _SheetReader:
    """Read one worksheet; `is_table` tells whether it holds a filing table at all."""

    def __init__(self, grid: _Grid, file_name: str, kind: str | None, problems: _Problems):
        self.grid = grid
        self.file_name = file_name
        self.kind = kind
        self.problems = problems
        self.is_table = False

    def read(self) -> Document | None:
        """Return the sheet's Document; None when it holds no table or a broken one."""
        g = self.grid
        indicators = self._find_indicator_header()
        limit = indicators.row if indicators else g.height + 1
        labels = self._header_labels(limit)
        funds = self._find_fund_header(limit)
        first_label = min(
            [row for row, _ in labels.values()] + [b.row for b in (indicators, funds) if b],
            default=limit,
        )
        title_rows = range(1, first_label)
        title = " ".join(slot.text for row in title_rows for _, slot in g.own(row))
        titled = any(word in title for word, _ in TITLE_KINDS)
        self.is_table = bool(indicators) or ("project_name" in labels and (bool(funds) or titled))
        if not self.is_table:
            return None
        known = len(self.problems.messages)
        kind = self.kind or _kind(title, funds, indicators)
        document = Document(kind=kind, file_name=self.file_name, sheet=g.name)
        self._read_title(document, title_rows)
        self._read_header(document, labels)
        if funds:
            self._read_funds(document, funds)
        else:
            self._read_fund_pairs(document, limit)
        self._read_goals(document, limit)
        if indicators is None:
            self.problems.sheet(g.name, "没有找到绩效指标表（表头应有「三级指标」或「指标名称」）")
            return None
        after = self._read_indicators(document, indicators)
        self._read_closing(document, after)
        return document if len(self.problems.messages) == known else None

    # -- finding the blocks

    def _find_indicator_header(self) -> _Columns | None:
        return next(
            (c for row in range(1, self.grid.height + 1) if (c := self._indicator_columns(row))),
            None,
        )

    def _indicator_columns(self, row: int) -> _Columns | None:
        """Return the indicator header starting on this row (one or two rows), if it is one."""
        g = self.grid
        fields = {}
        for column, slot in g.own(row):
            name = _indicator_field(label_key(slot.value))
            if name and name not in fields:
                fields[name] = (column, slot.text)
        if "name" not in fields or not set(HEADED_BY_INDICATOR_TABLE) & set(fields):
            return None
        if g.slot(row + 1, fields["name"][0]).origin[0] > row:
            return _Columns(row, fields, row + 1)
        # Two header rows: the lower one names the columns under a merged upper cell.
        for column, slot in g.own(row + 1):
            if name := _indicator_field(label_key(slot.value)):
                fields = {k: v for k, v in fields.items() if v[0] != column}
                fields.setdefault(name, (column, slot.text))
        return _Columns(row, fields, row + 2)

    def _find_fund_header(self, limit: int) -> _Columns | None:
        for row in range(1, limit):
            fields = {}
            for column, slot in self.grid.own(row):
                name = _fund_field(label_key(slot.value))
                if name and name not in fields:
                    fields[name] = (column, slot.text)
            if set(AMOUNT_FIELDS) & set(fields):
                return _Columns(row, fields, row + 1)
        return None

    def _header_labels(self, limit: int) -> dict[str, tuple[int, int]]:
        """Return where each header field's label is: field -> (row, column), first wins."""
        found = {}
        for row in range(1, limit):
            for column, slot in self.grid.own(row):
                name = HEADER_FIELDS.get(_split_label(slot)[0])
                if name and name not in found:
                    found[name] = (row, column)
        return found

    def _value(self, row: int, column: int, *, below=True) -> tuple[_Slot | str | None, Cell]:
        """Return a label's value (a slot, or the text after its colon) and where it is.

        The value is the next cell to the right; a box's label (below=True) may instead
        stand over its value.
        """
        g = self.grid
        label = g.slot(row, column)
        key, inline = _split_label(label)
        if inline:
            return inline, g.cell(row, column, key)
        header = label.text.rstrip(":：")
        if (value_column := g.right_of(row, column)) is not None:
            return g.slot(row, value_column), g.cell(row, value_column, header)
        value_row = g.below(row, column) if below else None
        if value_row is not None:
            under = g.slot(value_row, column)
            if not is_label(label_key(under.value)) and not _is_footer(under.text):
                return under, g.cell(value_row, column, header)
        return None, g.cell(row, column, header)

    # -- title and header

    def _read_title(self, document: Document, rows: range):
        g = self.grid
        for row in rows:
            for column, slot in g.own(row):
                if document.year is None and (match := _YEAR.search(slot.text)):
                    document.year = int(match[1])
                    document.cells["year"] = g.cell(row, column, "标题")
                self._month(document, slot.text, g.cell(row, column, "标题"))

    def _month(self, document: Document, text: str, where: Cell):
        month = end_month(text)
        if month and document.kind == Kind.MONITORING and document.end_month is None:
            document.end_month = month
            document.cells["end_month"] = where

    def _read_header(self, document: Document, labels: dict[str, tuple[int, int]]):
        for name, (row, column) in labels.items():
            value, where = self._value(row, column, below=False)
            text = value if isinstance(value, str) else (value.text if value else "")
            if name == "year":
                if not text:
                    continue
                if match := _YEAR.search(text):
                    document.year = int(match[1])
                else:
                    self.problems.at(where, f"“{text}”不是年份")
            elif name in ("department", "implementing_unit"):
                # "023-花溪区民政局", "花溪区民政局（023）": the code is not part of the name.
                setattr(document, name, _CODE_AROUND.sub("", text) or text)
            elif name == "attribute" and (checked := CHECKED.search(text)):
                document.attribute = checked[1].removesuffix("项目")  # "□新增项目 ☑延续项目"
            elif name == "project_name" and (glued := GLUED_CODE.match(text)):
                # The provincial system's export: "51000021R000000019951-工资性支出".
                document.project_name = glued[2]
                if not document.project_code:
                    document.project_code = glued[1]
                    document.cells["project_code"] = where
            elif text or not getattr(document, name):
                setattr(document, name, text)
            document.cells.setdefault(name, where)
        if "project_name" not in labels:
            self.problems.sheet(self.grid.name, "没有找到「项目名称」")
        elif not document.project_name:
            self.problems.at(document.cells["project_name"], "未填写项目名称")

    # -- funds

    def _read_funds(self, document: Document, header: _Columns):
        g = self.grid
        if "spent" in header.fields:
            column, text = header.fields["spent"]
            self._month(document, text, g.cell(header.row, column, text))
        first = min(column for column, _ in header.fields.values())
        for row in range(header.start, g.height + 1):
            own = [(c, s) for c, s in g.own(row) if c < first]
            labelled = any(is_label(label_key(s.value)) for _, s in own)
            if not own or labelled or self._indicator_columns(row):
                break
            column, label = own[-1]
            fund = FundRow(label=_fund_label(label.text), cell=g.cell(row, column, label.text))
            for name, (value_column, text) in header.fields.items():
                slot, where = g.slot(row, value_column), g.cell(row, value_column, text)
                if name == "reason":
                    fund.reason = _remark(slot)
                elif name in AMOUNT_FIELDS:
                    setattr(fund, name, self._decimal(slot, where, parse_amount))
                elif name == "rate":
                    fund.rate = self._decimal(slot, where, _rate(slot))
                else:
                    setattr(fund, name, self._decimal(slot, where, parse_score))
            document.funds.append(fund)
        _total_first(document)
        self._execution(document, header)

    def _read_fund_pairs(self, document: Document, limit: int):
        """Read a fund block written as label and amount pairs (年度资金总额 | 100)."""
        g = self.grid
        start = next(
            (
                (row, column)
                for row in range(1, limit)
                for column, slot in g.own(row)
                if label_key(slot.value) in FUND_TOTALS
            ),
            None,
        )
        if start is None:
            return
        row, column = start
        while row < limit:
            label = g.slot(row, column)
            if label.blank or label.origin != (row, column) or is_label(label_key(label.value)):
                break
            fund = FundRow(label=_fund_label(label.text), cell=g.cell(row, column, label.text))
            if (value_column := g.right_of(row, column)) is not None:
                where = g.cell(row, value_column, label.text)
                fund.initial_budget = self._decimal(g.slot(row, value_column), where, parse_amount)
            document.funds.append(fund)
            row += 1
        _total_first(document)

    def _execution(self, document: Document, header: _Columns):
        """Set the budget-execution points and score: the total row's, else the block title's."""
        g = self.grid
        total = document.funds[0] if document.funds else None
        for name, field_name in (("points", "execution_points"), ("score", "execution_score")):
            if total and name in header.fields:
                column, text = header.fields[name]
                setattr(document, field_name, getattr(total, name))
                document.cells[field_name] = g.cell(total.cell.row, column, text)
        if document.execution_points is not None:
            return
        for row in range(1, header.row + 1):
            for column, slot in g.own(row):
                name, points = split_points_label(slot.text)
                if points is not None and (label_key(name) in FUND_TITLES | {"分值", "权重"}):
                    document.execution_points = points
                    document.cells["execution_points"] = g.cell(row, column, slot.text)

    # -- goals

    def _read_goals(self, document: Document, limit: int):
        """Read the goal boxes by their own labels, else the value beside 年度总体目标."""
        g = self.grid
        parts = [
            (row, column, name)
            for row in range(1, limit)
            for column, slot in g.own(row)
            if (key := label_key(slot.value)) not in GOAL_LABELS and (name := goal_part(key))
        ]
        if not parts:
            parts = [
                (row, column, "overall_goal")
                for row in range(1, limit)
                for column, slot in g.own(row)
                if label_key(slot.value) in GOAL_LABELS and g.right_of(row, column)
            ][:1]
        for row, column, name in parts:
            value, where = self._value(row, column)
            if getattr(document, name) or where.row >= limit:
                continue
            document.cells[name] = where
            setattr(document, name, _box(value))

    # -- indicators

    def _read_indicators(self, document: Document, header: _Columns) -> int:
        """Read the indicator rows; return the first row after the block."""
        g = self.grid
        deviation = "cause" if document.kind == Kind.MONITORING else "reason"
        if DEVIATION in header.fields:
            header.fields.setdefault(deviation, header.fields.pop(DEVIATION))
        for name in ("progress",):
            if name in header.fields:
                column, text = header.fields[name]
                self._month(document, text, g.cell(header.row, column, text))
        name_column, name_header = header.fields["name"]
        document.cells["indicators"] = g.cell(header.row, name_column, name_header)
        if "points" not in header.fields and document.kind == Kind.SELF_EVALUATION:
            self.problems.at(document.cells["indicators"], "绩效指标表没有「分值」列")
        level1 = level2 = ("", None, None)
        for row in range(header.start, g.height + 1):
            if g.blank_row(row):
                continue
            if self._total_row(document, header, row):
                return row + 1
            own = [s for _, s in g.own(row)]
            if own and (_split_label(own[0])[0] in CLOSING_BOXES or _is_footer(own[0].text)):
                return row
            if self._indicator_columns(row):
                return row
            level1, changed = self._level(header, "level1", row, level1)
            if changed:
                level2 = ("", None, None)
            level2, _ = self._level(header, "level2", row, level2)
            self._indicator_row(document, header, row, level1, level2)
        return g.height + 1

    def _level(self, header: _Columns, name: str, row: int, current):
        """Return the (label, points, cell) in force on this row, and whether it changed.

        A blank cell, or a merged one, means "same as above"; "/" means none.
        """
        if name not in header.fields:
            return current, False
        column, text = header.fields[name]
        slot = self.grid.slot(row, column)
        if slot.blank:
            return current, False
        label, points = ("", None) if slot.text in NOT_APPLICABLE else split_points_label(slot.text)
        level = (label, points, self.grid.cell(slot.origin[0], column, text))
        return level, (label, points) != current[:2]

    def _total_row(self, document: Document, header: _Columns, row: int) -> bool:
        g = self.grid
        last = header.fields["name"][0]
        if not any(label_key(g.slot(row, c).value) in TOTAL_LABELS for c in range(1, last + 1)):
            return False
        name = "score" if "score" in header.fields else "points"
        if name in header.fields:
            column, text = header.fields[name]
            where = g.cell(row, column, text)
            document.total = self._decimal(g.slot(row, column), where, parse_score)
            document.cells["total"] = where
        return True

    def _indicator_row(self, document: Document, header: _Columns, row: int, level1, level2):
        g = self.grid
        name_column, name_header = header.fields["name"]
        name = PLACEHOLDER_PREFIX.sub("", g.slot(row, name_column).text)
        if not name or name in NOT_APPLICABLE or PLACEHOLDER.match(name):
            return
        indicator = IndicatorRow(
            cell=g.cell(row, name_column, name_header),
            level1=level1[0],
            level2=level2[0],
            name=name.replace("★", "").strip(),
            level1_points=level1[1],
            level2_points=level2[1],
            core="★" in name,
        )
        indicator.cells["name"] = indicator.cell
        for level_name, level in (("level1", level1), ("level2", level2)):
            if level[2] is not None:
                indicator.cells[level_name] = level[2]
        stated = {}
        for field_name, (column, text) in header.fields.items():
            if field_name in ("name", "level1", "level2"):
                continue
            where = g.cell(row, column, text)
            if field_name != "operator":
                indicator.cells[{"nature": "quantitative"}.get(field_name, field_name)] = where
            self._indicator_value(indicator, field_name, g.slot(row, column), where, stated)
        operator = stated.get("operator")
        if indicator.target and operator and not indicator.target.operator:
            indicator.target = replace(indicator.target, operator=operator)
        indicator.applicable = not (
            indicator.actual_text in NOT_APPLICABLE or indicator.target_text in NOT_APPLICABLE
        )
        quantitative = stated.get("quantitative")
        if quantitative is None:
            quantitative = derived_quantitative(indicator)
        indicator.quantitative = quantitative
        indicator.direction = stated.get("direction") or derived_direction(indicator)
        if "points" in header.fields and indicator.points is None and indicator.applicable:
            points = g.slot(row, header.fields["points"][0]).text
            if not points or points in NOT_APPLICABLE:  # else its parse error is reported
                self.problems.at(indicator.cells["points"], f"指标“{indicator.name}”没有分值")
        document.indicators.append(indicator)

    def _indicator_value(self, indicator, name: str, slot: _Slot, where: Cell, stated: dict):
        if name in ("target", "actual"):
            setattr(indicator, f"{name}_text", slot.text)
            setattr(indicator, name, parse_value(slot.text))
        elif name in ("points", "score"):
            setattr(indicator, name, self._decimal(slot, where, parse_score))
        elif name in ("reason", "cause", "measure"):
            setattr(indicator, name, _remark(slot))
        elif name == "scoring_rule":
            indicator.scoring_rule = _box(slot)
        elif name in ("unit_of_measure", "progress", "expected"):
            setattr(indicator, name, "" if slot.text in NOT_APPLICABLE else slot.text)
        else:
            word = label_key(slot.text)
            if word and word not in NOT_APPLICABLE:
                self._indicator_word(indicator, name, word, where, stated)

    def _indicator_word(self, indicator, name: str, word: str, where: Cell, stated: dict):
        """Read a 指标性质 / 计算符号 / 方向 / 完成目标可能性 / 是否核心指标 cell."""
        if name == "likelihood":
            if word in LIKELIHOODS:
                indicator.likelihood = LIKELIHOODS[word]
            else:
                reason = f"无法识别的完成目标可能性“{word}”（应为确定能、有可能或不可能）"
                self.problems.at(where, reason)
        elif name == "core":
            if word in CORE_WORDS:
                indicator.core = indicator.core or CORE_WORDS[word]
            else:
                self.problems.at(where, f"无法识别的“{word}”（应为是或否）")
        elif word in NATURES:
            key, value = NATURES[word]
            stated[key] = value
        else:
            self.problems.at(where, f"无法识别的“{word}”（应为定量、定性、正向、反向或≥、≤、=）")

    # -- closing boxes

    def _read_closing(self, document: Document, start: int):
        g = self.grid
        for row in range(start, g.height + 1):
            for column, slot in g.own(row):
                name = CLOSING_BOXES.get(_split_label(slot)[0])
                if name is None:
                    continue
                if name == "measures" and document.kind == Kind.MONITORING:
                    name = "measure"
                value, where = self._value(row, column)
                if getattr(document, name):
                    continue
                setattr(document, name, _box(value))
                document.cells[name] = where

    # -- numbers

    def _decimal(self, slot: _Slot, where: Cell, parse) -> Decimal | None:
        raw = slot.value
        if isinstance(raw, str):
            raw = unneutralised(clean_text(raw))
            if not raw or raw in NOT_APPLICABLE:
                return None
        try:
            return parse(raw)
        except DecimalParseError as exc:
            self.problems.at(where, str(exc))
            return None


def _kind(title: str, funds: _Columns | None, indicators: _Columns | None) -> str:
    """Tell the kind from the title, else from the columns (../shared/domain.md §3, §5, §7).

    A 申报 title names a target table only when no column holds actual values or scores.
    """
    indicator_fields = set(indicators.fields) if indicators else set()
    fund_fields = funds.fields if funds else {}
    spent = fund_fields.get("spent")
    scored = bool(
        {"actual", "score"} & indicator_fields
        or "score" in fund_fields
        or (spent and label_key(spent[1]) == "全年执行数")
    )
    for word, kind in TITLE_KINDS:
        if word in title and not (kind == Kind.TARGET and scored):
            return kind.value
    if {"likelihood", "progress", "expected"} & indicator_fields:
        return Kind.MONITORING.value
    return Kind.SELF_EVALUATION.value if scored else Kind.TARGET.value


def _indicator_field(key: str) -> str | None:
    if key in INDICATOR_COLUMNS:
        return INDICATOR_COLUMNS[key]
    if "预计" not in key and end_month(key) and key.endswith(("完成值", "完成情况", "执行情况")):
        return "progress"
    return None


def _fund_field(key: str) -> str | None:
    if key in FUND_COLUMNS:
        return FUND_COLUMNS[key]
    if "预计" not in key and end_month(key) and key.endswith("执行数"):
        return "spent"
    if key.endswith("执行率"):
        return "rate"
    return None


def _box(value: "_Slot | str | None") -> str:
    """Return a text box's content; a template prompt left in it ("…(200字以内)") is empty."""
    text = value.narrative if isinstance(value, _Slot) else (value or "")
    return "" if PROMPT.search(text) else text


def _remark(slot: _Slot) -> str:
    """Return a reason or measure; "0" written for none, and a prompt, are empty."""
    text = _box(slot)
    return "" if text == "0" else text


def _split_label(slot: _Slot) -> tuple[str, str]:
    """Return a label cell's key and the value written after its colon ("项目名称：X")."""
    text = str(slot.value)
    before, after = (_COLON.split(text, maxsplit=1) + [""])[:2]
    after = unneutralised(after.strip())
    return (label_key(before), after) if after else (label_key(text), "")


def _total_first(document: Document):
    totals = [fund for fund in document.funds if label_key(fund.label) in FUND_TOTALS]
    if totals:
        document.funds.remove(totals[0])
        document.funds.insert(0, totals[0])


def _rate(slot: _Slot):
    """Return a parser of an execution rate in %: 0.9 formatted as % and "90.00%" are 90."""

    def parse(raw) -> Decimal | None:
        if isinstance(raw, int | float | Decimal) and "%" in (slot.number_format or ""):
            return to_decimal(raw) * 100
        return to_decimal(raw, unit="%")

    return parse


def _fund_label(text: str) -> str:
    """Return a fund row's label without the layout's "其中：" prefix."""
    text = unicodedata.normalize("NFKC", text).strip().rstrip(":").strip()
    if text.startswith("其中"):
        text = text.removeprefix("其中").lstrip(":").strip()
    return text


def _is_footer(text: str) -> bool:
    return text.startswith(FOOTER_PREFIXES)
