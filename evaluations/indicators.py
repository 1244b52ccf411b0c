"""The indicator framework (绩效指标体系): levels, default trees, labels and point rules.

Rules (../shared/domain.md §4–§6, §12 check 2):
- three levels: 一级 and 二级 come from a fixed tree, 三级 are written per project;
- every node has points and a parent's points are the sum of its children's; a 二级 node
  left without points takes the sum of its children;
- a self-evaluation template totals 100: budget execution (10 by default) plus the
  indicators (产出 50, 效益 30, 满意度 10 by default, 财预〔2020〕10号 attachment 1); a
  region may adjust the 一级 points for a year when its template allows adjustment;
- the third-party framework's 一级 are 决策 / 过程 / 产出 / 效益 (2020 reference framework);
  its default points are a local choice, and 产出 + 效益 below 60 % draws a warning.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from .decimals import DecimalParseError, percent, to_decimal
from .scoring import Operator

HUNDRED = Decimal(100)


class Direction(models.TextChoices):
    POSITIVE = "positive", "正向"
    NEGATIVE = "negative", "反向"


class Likelihood(models.TextChoices):
    CERTAIN = "certain", "确定能"
    POSSIBLE = "possible", "有可能"
    IMPOSSIBLE = "impossible", "不可能"


@dataclass
class Node:
    """One node of an indicator tree, as the rules see it (a model row or a parsed cell)."""

    name: str
    level: int
    points: Decimal | None = None
    children: list["Node"] = field(default_factory=list)
    # Leaves only: the 三级 indicator's value fields.
    attrs: dict = field(default_factory=dict)


# 共性指标: the common tree a target starts from (财预〔2013〕53号 as kept in 2020).
SELF_EVALUATION_TREE = (
    ("产出指标", Decimal(50), ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", Decimal(30), ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", Decimal(10), ("服务对象满意度指标",)),
)
EXECUTION_POINTS = Decimal(10)

# The 2020 reference framework for a department's or the bureau's evaluation of a project.
# 三级 points are a local default (each region adjusts its own template).
THIRD_PARTY_TREE = (
    (
        "决策",
        Decimal(20),
        (
            ("项目立项", (("立项依据充分性", 4), ("立项程序规范性", 3))),
            ("绩效目标", (("绩效目标合理性", 4), ("绩效指标明确性", 3))),
            ("资金投入", (("预算编制科学性", 3), ("资金分配合理性", 3))),
        ),
    ),
    (
        "过程",
        Decimal(20),
        (
            ("资金管理", (("资金到位率", 3), ("预算执行率", 4), ("资金使用合规性", 4))),
            ("组织实施", (("管理制度健全性", 4), ("制度执行有效性", 5))),
        ),
    ),
    (
        "产出",
        Decimal(30),
        (
            ("产出数量", (("实际完成率", 10),)),
            ("产出质量", (("质量达标率", 8),)),
            ("产出时效", (("完成及时性", 6),)),
            ("产出成本", (("成本节约率", 6),)),
        ),
    ),
    ("效益", Decimal(30), (("项目效益", (("实施效益", 20), ("满意度", 10))),)),
)
OUTPUT_AND_BENEFIT = ("产出", "效益", "产出指标", "效益指标")
OUTPUT_AND_BENEFIT_MIN = Decimal(60)


def points_text(value: Decimal) -> str:
    """Return points as people write them: 50, 4.5, 6.67 (no trailing zeros)."""
    return f"{value.normalize():f}"


def normalise(roots: list[Node]) -> list[Node]:
    """Fill a group's missing points with its children's sum (二级 first, then 一级, as a
    table that prints no points in its labels leaves them); return the roots."""

    def fill(node: Node):
        for child in node.children:
            fill(child)
        if node.points is None and node.children:
            known = [c.points for c in node.children]
            if all(p is not None for p in known):
                node.points = sum(known, Decimal(0))

    for root in roots:
        fill(root)
    return roots


def tree_problems(roots: list[Node], *, total: Decimal | None = None) -> list[str]:
    """Return every reason the tree's points do not add up (empty when they do).

    total is what the 一级 points must sum to (90 for a self-evaluation template with 10
    for budget execution); None skips that check.
    """
    problems = []

    def unused(node: Node) -> bool:
        # A 二级 of the common tree the target does not use: no points, no indicators.
        return node.level == 2 and not node.children and node.points is None

    def walk(node: Node, path: str):
        if unused(node):
            return
        where = f"{path}“{node.name}”"
        if node.points is None:
            problems.append(f"{where}没有分值")
        elif node.points < 0:
            problems.append(f"{where}的分值不能为负数")
        children = [c for c in node.children if not unused(c)]
        if children:
            points = [c.points for c in children]
            if node.points is not None and all(p is not None for p in points):
                added = sum(points, Decimal(0))
                if added != node.points:
                    problems.append(
                        f"{where}为 {points_text(node.points)} 分，"
                        f"其下级指标合计 {points_text(added)} 分，两者应相等"
                    )
            for child in node.children:
                walk(child, f"{where} › ")

    for root in roots:
        walk(root, "")
    if total is not None:
        points = [r.points for r in roots]
        if all(p is not None for p in points):
            added = sum(points, Decimal(0))
            if added != total:
                problems.append(
                    f"一级指标合计 {points_text(added)} 分，应为 {points_text(total)} 分"
                )
    return problems


def weight_warnings(roots: list[Node]) -> list[str]:
    """Return the warnings (not errors) a third-party framework's weights draw (§12 #10)."""
    total = sum((r.points or Decimal(0) for r in roots), Decimal(0))
    if not total:
        return []
    share = sum((r.points or Decimal(0) for r in roots if r.name in OUTPUT_AND_BENEFIT), Decimal(0))
    if share * HUNDRED / total < OUTPUT_AND_BENEFIT_MIN:
        return [f"产出和效益指标合计占 {percent(share / total)}%，原则上不低于 60%"]
    return []


_POINTS_IN_LABEL = re.compile(r"^(?P<name>.*?)[(（]\s*(?P<points>[0-9.]+)\s*分?\s*[)）]\s*$")


def split_points_label(label: str) -> tuple[str, Decimal | None]:
    """Split "产出指标(50分)" / "效益指标（30分）" into the name and its points."""
    text = unicodedata.normalize("NFKC", label or "").strip()
    match = _POINTS_IN_LABEL.match(text)
    if not match:
        return text, None
    return match["name"].strip(), Decimal(match["points"])


_OPERATOR_WORDS = (
    (">=", Operator.GE),
    ("≥", Operator.GE),
    ("≧", Operator.GE),
    ("不低于", Operator.GE),
    ("不少于", Operator.GE),
    ("大于等于", Operator.GE),
    ("<=", Operator.LE),
    ("≤", Operator.LE),
    ("≦", Operator.LE),
    ("不高于", Operator.LE),
    ("不超过", Operator.LE),
    ("小于等于", Operator.LE),
    (">", Operator.GT),
    ("大于", Operator.GT),
    ("<", Operator.LT),
    ("小于", Operator.LT),
    ("=", Operator.EQ),
    ("等于", Operator.EQ),
)
_TRAILING_OPERATORS = (
    ("及以上", Operator.GE),
    ("以上", Operator.GE),
    ("以内", Operator.LE),
    ("之内", Operator.LE),
    ("以下", Operator.LE),
    ("以前", Operator.LE),
    ("前", Operator.LE),
)
_NUMBER = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]+)?|^-?\.[0-9]+")


@dataclass(frozen=True)
class Value:
    """A target or actual value as written: "≥95%", "≤200万元", "100.00%", "按月安排"."""

    text: str
    operator: str = ""
    number: Decimal | None = None
    unit: str = ""

    @property
    def quantitative(self) -> bool:
        return self.number is not None


NOT_APPLICABLE = frozenset({"/", "／", "—", "-", "无", "不适用"})


def parse_value(raw) -> Value | None:
    """Return the value a cell states, None for a blank cell or "/" (not applicable).

    The operator may lead ("≥95%"); the number may carry a unit ("200万元", "95%", "12个");
    anything else is qualitative text kept as written.
    """
    if raw is None:
        return None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        try:
            return Value(text=str(raw), number=to_decimal(raw))
        except DecimalParseError:
            return Value(text=str(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text or text in NOT_APPLICABLE:
        return None
    operator = ""
    rest = text
    for word, op in _OPERATOR_WORDS:
        if rest.startswith(word):
            operator, rest = op, rest[len(word) :].strip()
            break
    match = _NUMBER.match(rest)
    if not match:
        return Value(text=text, operator=operator)
    number = Decimal(match.group(0).replace(",", ""))
    unit = rest[match.end() :].strip()
    if not operator:
        # A limit written after the value: "200万元以内", "5%以下", "12月底前", "90%以上".
        for word, op in _TRAILING_OPERATORS:
            if unit.endswith(word):
                operator, unit = op, unit.removesuffix(word).strip()
                break
    return Value(text=text, operator=operator, number=number, unit=unit)


def direction_for(operator: str) -> str:
    """Return the direction an operator implies: ≥ and > 正向, ≤ and < 反向, = none."""
    if operator in (Operator.GE, Operator.GT):
        return Direction.POSITIVE
    if operator in (Operator.LE, Operator.LT):
        return Direction.NEGATIVE
    return ""
