"""The plain content of a filing document: a target table, a monitoring report or a
self-evaluation table, as read from a circulated spreadsheet (evaluations.imports.documents)
and as written back out (evaluations.exports).

Services turn a Document into records (evaluations.services.targets, .monitoring,
.self_evaluations). Every value keeps where it came from, so an error found while writing
(an unknown department, points that do not add up, an indicator that differs from the
approved target) still names the file, sheet, row and column.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from .indicators import Value


class Kind(models.TextChoices):
    TARGET = "target", "绩效目标申报表"
    MONITORING = "monitoring", "绩效监控表"
    SELF_EVALUATION = "self_evaluation", "绩效自评表"


@dataclass(frozen=True)
class Cell:
    """Where a value was read: sheet name, 1-based row, column letter and its header."""

    sheet: str
    row: int
    column: str = ""
    header: str = ""

    def __str__(self):
        where = f"工作表“{self.sheet}”第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        if self.header:
            where += f"「{self.header}」"
        return where


@dataclass
class FundRow:
    """One row of the fund block: 年度资金总额 first, then 其中 rows."""

    label: str
    cell: Cell
    initial_budget: Decimal | None = None  # 年初预算数
    full_year_budget: Decimal | None = None  # 全年预算数
    adjusted_budget: Decimal | None = None  # 调整后预算数
    spent: Decimal | None = None  # 全年执行数 / 1–N月执行数
    expected_spent: Decimal | None = None  # 全年预计执行数 (monitoring)
    points: Decimal | None = None  # 分值 as printed (10)
    rate: Decimal | None = None  # 执行率 as printed, in %
    score: Decimal | None = None  # 得分 as printed
    reason: str = ""


@dataclass
class IndicatorRow:
    """One 三级 indicator row, with its 一级 and 二级 carried down from above."""

    cell: Cell  # the row, column of the 三级 name
    level1: str
    level2: str
    name: str
    level1_points: Decimal | None = None  # from "产出指标(50分)"
    level2_points: Decimal | None = None
    target: Value | None = None  # 年度指标值; None when "/" or blank
    target_text: str = ""
    points: Decimal | None = None  # 分值 / 权重
    quantitative: bool | None = None  # 指标性质 when stated, else from the value
    direction: str = ""
    unit_of_measure: str = ""
    core: bool = False
    scoring_rule: str = ""
    # Self-evaluation
    actual: Value | None = None
    actual_text: str = ""
    applicable: bool = True  # False when the actual (or target) is "/"
    score: Decimal | None = None  # 得分 as printed
    reason: str = ""  # 偏差原因分析及改进措施 / 未完成原因分析
    # Monitoring
    progress: str = ""  # 1–N月完成值
    expected: str = ""  # 全年预计完成值
    likelihood: str = ""  # indicators.Likelihood value
    cause: str = ""
    measure: str = ""
    cells: dict[str, Cell] = field(default_factory=dict)  # field name → where it was read


@dataclass
class Document:
    kind: str
    file_name: str
    sheet: str
    year: int | None = None
    project_name: str = ""
    project_code: str = ""
    department: str = ""  # 主管部门
    implementing_unit: str = ""  # 实施单位
    attribute: str = ""  # 新增 / 延续
    end_month: int | None = None  # monitoring: 1–N月
    overall_goal: str = ""  # 年度总体目标 / 预期目标
    long_term_goal: str = ""
    goal_actual: str = ""  # 实际完成情况
    funds: list[FundRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    execution_points: Decimal | None = None  # "预算执行情况(10分)"
    execution_score: Decimal | None = None  # as printed
    total: Decimal | None = None  # 总分 / 合计 as printed
    conclusion: str = ""
    problems: str = ""
    measures: str = ""
    cause: str = ""  # monitoring: 偏差原因分析
    measure: str = ""  # monitoring: 改进措施
    cells: dict[str, Cell] = field(default_factory=dict)  # header field → where it was read

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    def where(self, name: str) -> str:
        """Return "file 工作表… 第N行 C列" for a header field, or the file and sheet."""
        cell = self.cells.get(name)
        return f"{self.file_name} {cell}" if cell else f"{self.file_name} 工作表“{self.sheet}”"


class DocumentError(ValueError):
    """A document that cannot be written; every message names its file, row and column."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("；".join(self.messages))
