# ruff: noqa: E501  (long Chinese cell texts: ruff counts CJK characters as two columns)
"""Write the layout fixtures in this folder and their ``.expected.json`` sidecars.

Run from the project root:

    .venv/bin/python tests/data/layouts/build.py

Every workbook is written with plain openpyxl, with real merged cells, the way bureaus
circulate these tables: titles merged across the width, label cells next to merged value
cells, 一级/二级 labels written once and merged down over their group, placeholder rows
(指标2, ……), a 总分/合计 row and footer rows. The sidecar says what an importer should read
from the workbook (placeholder rows omitted, amounts as Decimal strings) and, for every
self-evaluation, an arithmetic check of the printed scores against the 财预〔2020〕10号
formulas. README.md in this folder gives the sources.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# ---------------------------------------------------------------------------
# Sheet helpers
# ---------------------------------------------------------------------------


def col_index(col) -> int:
    if isinstance(col, int):
        return col
    index = 0
    for char in col:
        index = index * 26 + ord(char.upper()) - 64
    return index


class Grid:
    """Writes values, merging when a range is given, and remembers the table area."""

    def __init__(self, ws, width: int):
        self.ws = ws
        self.width = width
        self.ignored = {"placeholder": 0, "not_applicable_slash": 0}

    def put(
        self,
        row,
        col,
        value,
        *,
        to_row=None,
        to_col=None,
        bold=False,
        align="center",
        box=True,
        size=None,
    ):
        c1 = col_index(col)
        c2 = col_index(to_col) if to_col is not None else c1
        r2 = to_row if to_row is not None else row
        cell = self.ws.cell(row=row, column=c1, value=value)
        if isinstance(value, str) and value.startswith("="):
            # Typed as text in the source ("=100%" is an operator and a value, not a formula).
            cell.data_type = "s"
        if (r2, c2) != (row, c1):
            self.ws.merge_cells(start_row=row, start_column=c1, end_row=r2, end_column=c2)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if bold or size:
            cell.font = Font(bold=bold, size=size or 11)
        if box:
            for r in range(row, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.ws.cell(row=r, column=c).border = BOX
        return cell

    def title(self, row, text, *, size=16):
        return self.put(row, 1, text, to_col=self.width, bold=True, size=size, box=False)

    def widths(self, *widths):
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w


# ---------------------------------------------------------------------------
# Arithmetic of 财预〔2020〕10号: execution rate x 10 capped; 正向 B/A, 反向 A/B
# ---------------------------------------------------------------------------

OPERATORS = {
    "≥": "≥",
    ">=": "≥",
    "＞": ">",
    ">": ">",
    "≤": "≤",
    "<=": "≤",
    "＜": "<",
    "<": "<",
    "=": "=",
    "＝": "=",
}
NUMBER = re.compile(r"^\s*(≥|≤|>=|<=|＞|＜|>|<|=|＝)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*?)\s*$")
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def q0(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def dec(value) -> Decimal | None:
    if value is None:
        return None
    text = str(value).strip().replace(",", "")
    if text in ("", "/", "—", "-"):
        return None
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    return Decimal(text)


def dstr(value) -> str | None:
    """A printed amount as a Decimal string ("43.2", "0.00"); None for blank, "/" or "—"."""
    number = dec(value)
    if number is None:
        return None
    text = str(value).strip().replace(",", "")
    return text[:-1] if text.endswith("%") else str(number)


def parse_value(text):
    """(operator, number, unit) of "≥95%", "1,186人", "100"; None for text like "按月发放"."""
    if text is None:
        return None
    match = NUMBER.match(str(text))
    if not match:
        return None
    op, number, unit = match.groups()
    return OPERATORS.get(op) if op else None, Decimal(number.replace(",", "")), unit


def indicator_formula(points, target, actual):
    """Return (raw formula score, direction, met) or None when it is not quantitative."""
    t, a = parse_value(target), parse_value(actual)
    if t is None or a is None:
        return None
    op, target_number, _ = t
    actual_number = a[1]
    points = Decimal(str(points))
    if op in ("≤", "<"):
        met = actual_number <= target_number
        raw = (
            points if met else (target_number / actual_number * points if actual_number else points)
        )
        direction = "反向"
    else:
        met = actual_number >= target_number
        raw = (
            points if met else (actual_number / target_number * points if target_number else points)
        )
        direction = "正向"
    return min(raw, points), direction, met


def execution_variants(budget, spent, points=Decimal("10")):
    rate = spent / budget
    raw = min(rate * points, points)
    return rate, {
        "unrounded": raw,
        "score_2dp": q2(raw),
        "score_integer": q0(raw),
        "rate_to_integer_percent_then_x10": min(q0(rate * 100) / 100 * points, points),
        "rate_to_integer_percent_then_x10_integer": q0(min(q0(rate * 100) / 100 * points, points)),
        "rate_to_2dp_percent_then_x10_2dp": q2(min(q2(rate * 100) / 100 * points, points)),
    }


def same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and a == b


def check_self_evaluation(
    *,
    execution_budget,
    execution_spent,
    execution_points,
    execution_printed,
    indicators,
    printed_total,
    denominator_label,
):
    """Compare printed scores with the formulas; say which rounding setting reproduces them."""
    report = {"execution": None, "indicators": [], "totals": {}}
    exec_printed = dec(execution_printed)
    formula_exec = None
    if execution_budget:
        rate, variants = execution_variants(execution_budget, execution_spent, execution_points)
        formula_exec = variants
        report["execution"] = {
            "denominator": denominator_label,
            "rate": str(q2(rate * 100)) + "%",
            "rate_exact": str(rate.quantize(Decimal("0.000001"))),
            "printed_score": execution_printed,
            "variants": {k: str(v.quantize(Decimal("0.0001"))) for k, v in variants.items()},
            "variants_matching_printed": [
                k for k, v in variants.items() if same(v.quantize(Decimal("0.0001")), exec_printed)
            ],
        }
    sum_printed = Decimal(0)
    sum_formula = {"unrounded": Decimal(0), "2dp": Decimal(0), "integer": Decimal(0)}
    any_printed = False
    for ind in indicators:
        points = dec(ind["points"])
        printed = dec(ind.get("score"))
        if printed is not None:
            any_printed = True
            sum_printed += printed
        formula = (
            indicator_formula(points, ind.get("target"), ind.get("actual")) if points else None
        )
        entry = {"name": ind["name"], "points": ind["points"], "printed_score": ind.get("score")}
        if formula is None:
            entry["formula"] = "qualitative or no actual value: judgement, capped at points"
            entry["printed_within_points"] = printed is None or printed <= points
            for key in sum_formula:
                sum_formula[key] += printed if printed is not None else Decimal(0)
        else:
            raw, direction, met = formula
            entry.update(
                {
                    "direction": direction,
                    "met": met,
                    "formula_unrounded": str(raw.quantize(Decimal("0.0001"))),
                    "formula_2dp": str(q2(raw)),
                    "formula_integer": str(q0(raw)),
                }
            )
            if printed is not None:
                matches = [
                    name
                    for name, value in (("unrounded", raw), ("2dp", q2(raw)), ("integer", q0(raw)))
                    if printed == value
                ]
                entry["printed_matches"] = matches
                entry["printed_below_formula"] = printed < q2(raw) and not matches
            sum_formula["unrounded"] += raw
            sum_formula["2dp"] += q2(raw)
            sum_formula["integer"] += q0(raw)
        report["indicators"].append(entry)
    totals = report["totals"]
    totals["printed_total"] = printed_total
    totals["sum_of_printed_indicator_scores"] = str(sum_printed) if any_printed else None
    if exec_printed is not None and any_printed:
        totals["printed_execution_plus_printed_indicators"] = str(exec_printed + sum_printed)
    unscorable = [
        e["name"]
        for e in report["indicators"]
        if "formula_2dp" not in e and e["printed_score"] is None
    ]
    if unscorable:
        totals["formula_total"] = None
        totals["not_computable_because"] = "no actual value and no printed score for: " + ", ".join(
            unscorable
        )
    elif formula_exec is not None:
        totals["formula_total_2dp"] = str(q2(formula_exec["score_2dp"] + sum_formula["2dp"]))
        totals["formula_total_integer_rounding"] = str(
            formula_exec["score_integer"] + sum_formula["integer"]
        )
    return report


# ---------------------------------------------------------------------------
# Indicator blocks
# ---------------------------------------------------------------------------

POINTS_IN_LABEL = re.compile(r"^(.*?)\s*[(（]\s*([0-9.]+)\s*分\s*[)）]\s*$")


def split_points(label):
    match = POINTS_IN_LABEL.match(label)
    return (match.group(1), match.group(2)) if match else (label, None)


def ind(name, target=None, actual=None, points=None, score=None, reason=None, **extra):
    return {
        "kind": "indicator",
        "name": name,
        "target": target,
        "actual": actual,
        "points": points,
        "score": score,
        "reason": reason,
        **extra,
    }


def ph(text="……", **cells):
    """A placeholder row of the template (指标2, ……, or an empty row): to be ignored."""
    return {"kind": "placeholder", "name": text, **cells}


def na(**cells):
    """A "/" row: the 二级 does not apply to this project."""
    return {"kind": "na", **cells}


def write_indicators(g: Grid, row: int, groups, cols: dict, *, clean_name=None, na_fill="/"):
    """groups: [(一级 label, [(二级 label, [rows])])]. cols maps a field to a column or a
    (from, to) pair. Writes 一级/二级 once per group, merged down. Returns (next row, parsed)."""
    parsed = []
    for level1_label, level2_groups in groups:
        level1_start = row
        for level2_label, rows in level2_groups:
            level2_start = row
            for spec in rows:
                for field, col in cols.items():
                    if field in ("level1", "level2"):
                        continue
                    first, last = (col, col) if not isinstance(col, tuple) else col
                    if spec["kind"] == "na":
                        value = spec.get(field, na_fill)
                    elif spec["kind"] == "placeholder":
                        value = spec["name"] if field == "name" else spec.get(field)
                    else:
                        value = spec.get(field)
                    g.put(
                        row,
                        first,
                        value,
                        to_col=last if last != first else None,
                        align="left" if field in ("name", "reason", "measures") else "center",
                    )
                if spec["kind"] == "placeholder":
                    g.ignored["placeholder"] += 1
                elif spec["kind"] == "na":
                    g.ignored["not_applicable_slash"] += 1
                if spec["kind"] == "indicator":
                    level1, level1_points = split_points(level1_label)
                    name = clean_name(spec["name"]) if clean_name else spec["name"]
                    item = {
                        "level1": level1,
                        "level1_label": level1_label,
                        "level1_points": level1_points,
                        "level2": level2_label.replace("\n", ""),
                        "name": name,
                    }
                    if name != spec["name"]:
                        item["name_as_printed"] = spec["name"]
                    for field, value in spec.items():
                        if field in ("kind", "name"):
                            continue
                        item[field] = None if value is None else str(value)
                    parsed.append(item)
                row += 1
            g.put(level2_start, cols["level2"], level2_label, to_row=row - 1)
        g.put(level1_start, cols["level1"], level1_label, to_row=row - 1)
    return row, parsed


def strip_template_number(name: str) -> str:
    """ "指标1工程资金金额" -> "工程资金金额" (the 指标N of the template glued to the name)."""
    return re.sub(r"^指标\s*[0-9]+\s*[:：]?\s*", "", name)


def save(wb: Workbook, name: str, expected: dict):
    wb.save(HERE / name)
    expected = {"fixture": name, **expected}
    (HERE / name.replace(".xlsx", ".expected.json")).write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def fund_row(label, *, position, **amounts):
    row = {"position": position, "label": label}
    for key, value in amounts.items():
        row[key] = dstr(value) if key != "rate_printed" else value
    return row


# ---------------------------------------------------------------------------
# a. Standard 财预〔2020〕10号 attachment-1 layout (constructed, complete)
# ---------------------------------------------------------------------------


def self_evaluation_standard():
    wb = Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    g = Grid(ws, 9)
    g.widths(10, 12, 14, 24, 14, 14, 10, 10, 34)
    g.put(1, 1, "附件1", align="left", box=False)
    g.title(2, "项目支出绩效自评表")
    g.title(3, "（2021年度）", size=12)
    g.put(4, 1, "项目名称", to_col=2)
    g.put(4, 3, "花溪区社区居家养老服务补助项目", to_col=9, align="left")
    g.put(5, 1, "主管部门及代码", to_col=2)
    g.put(5, 3, "023-花溪区民政局", to_col=5, align="left")
    g.put(5, 6, "实施单位")
    g.put(5, 7, "花溪区养老服务指导中心", to_col=9, align="left")

    g.put(6, 1, "项目资金\n（万元）", to_row=10)
    g.put(6, 2, None, to_col=3)
    for col, text in zip(
        "DEFGHI", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], strict=True
    ):
        g.put(6, col, text)
    funds = [
        ("年度资金总额", "320.00", "356.80", "341.18", "10", "95.62%", "9.56"),
        ("其中：当年财政拨款", "300.00", "336.80", "321.18", "—", "—", "—"),
        ("      上年结转资金", "20.00", "20.00", "20.00", "—", "—", "—"),
        ("      其他资金", "/", "/", "/", "—", "—", "—"),
    ]
    for offset, values in enumerate(funds):
        r = 7 + offset
        g.put(r, 2, values[0], to_col=3, align="left")
        for col, value in zip("DEFGHI", values[1:], strict=True):
            g.put(r, col, value)

    goal_expected = (
        "为全区符合条件的经济困难高龄、失能半失能老人提供居家养老上门服务补助，"
        "补助对象不少于1200人，全年上门服务不少于3万人次，服务对象满意度达到90%以上。"
    )
    goal_actual = (
        "全年为1186名老人提供居家养老服务补助，上门服务31520人次；因补助对象动态调整，"
        "补助人数略低于目标；服务对象满意度93.5%。"
    )
    g.put(11, 1, "年度\n总体\n目标", to_row=12)
    g.put(11, 2, "预期目标", to_col=5)
    g.put(11, 6, "实际完成情况", to_col=9)
    g.put(12, 2, goal_expected, to_col=5, align="left")
    g.put(12, 6, goal_actual, to_col=9, align="left")
    ws.row_dimensions[12].height = 75

    for col, text in zip(
        "BCDEFGHI",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        strict=True,
    ):
        g.put(13, col, text, bold=True)
    groups = [
        (
            "产出指标(50分)",
            [
                (
                    "数量指标",
                    [
                        ind(
                            "享受居家养老服务补助老人数",
                            "≥1200人",
                            "1,186人",
                            "10.00",
                            "9.88",
                            "部分老人迁出或去世，补助对象动态调整；下年度加强对象动态摸底。",
                        ),
                        ind("上门服务人次", "≥30000人次", "31,520人次", "10.00", "10.00"),
                        ph("……"),
                    ],
                ),
                (
                    "质量指标",
                    [
                        ind("服务质量抽检合格率", "≥95%", "97.20%", "10.00", "10.00"),
                        ph("……"),
                    ],
                ),
                (
                    "时效指标",
                    [
                        ind("补助资金发放时间", "按月发放", "按月发放", "5.00", "5.00"),
                    ],
                ),
                (
                    "成本指标",
                    [
                        ind(
                            "人均补助标准",
                            "≤200元/人·月",
                            "205元/人·月",
                            "5.00",
                            "4.88",
                            "2021年7月起按市级文件上调补助标准，未同步调整指标值；下年度按新标准设定。",
                        ),
                        ind(
                            "项目总成本",
                            "≤356.80万元",
                            "341.18万元",
                            "10.00",
                            "9.00",
                            "部分服务合同年底结算滞后，结余15.62万元；加快结算进度。",
                        ),
                    ],
                ),
            ],
        ),
        (
            "效益指标（30分）",
            [
                ("经济效益指标", [na()]),
                (
                    "社会效益指标",
                    [
                        ind(
                            "失能半失能老人照护覆盖率",
                            "≥60%",
                            "58.00%",
                            "10.00",
                            "9.67",
                            "个别老人家属拒绝上门服务；加强政策宣传。",
                        ),
                        ind("投诉办结率", "=100%", "100.00%", "5.00", "5.00"),
                    ],
                ),
                ("生态效益指标", [na()]),
                (
                    "可持续影响指标",
                    [
                        ind(
                            "养老服务长效机制",
                            "长期有效",
                            "基本建立",
                            "10.00",
                            "8.00",
                            "服务质量评估办法尚未出台；2022年出台评估办法。",
                        ),
                        ind("持续运营的服务机构数", "≥12个", "12个", "5.00", "5.00"),
                    ],
                ),
            ],
        ),
        (
            "满意度指标（10分）",
            [
                (
                    "服务对象满意度指标",
                    [
                        ind("服务对象满意度", "≥90%", "93.50%", "10.00", "10.00"),
                        ph("……"),
                    ],
                ),
            ],
        ),
    ]
    cols = {
        "level1": "B",
        "level2": "C",
        "name": "D",
        "target": "E",
        "actual": "F",
        "points": "G",
        "score": "H",
        "reason": "I",
    }
    row, indicators = write_indicators(g, 14, groups, cols)
    g.put(13, 1, "绩\n效\n指\n标", to_row=row - 1)
    g.put(row, 1, "总分", to_col=6, bold=True)
    g.put(row, 7, "100.00")
    g.put(row, 8, "95.99")
    g.put(row, 9, None)
    total_row = row
    g.put(row + 2, 1, "填报人：王某", to_col=3, align="left", box=False)
    g.put(row + 2, 4, "联系电话：0851-8XXXXXXX", to_col=6, align="left", box=False)
    g.put(row + 2, 7, "填报日期：2022年3月15日", to_col=9, align="left", box=False)
    g.put(row + 3, 1, "单位负责人（签字）：", to_col=3, align="left", box=False)

    check = check_self_evaluation(
        execution_budget=Decimal("356.80"),
        execution_spent=Decimal("341.18"),
        execution_points=Decimal("10"),
        execution_printed="9.56",
        indicators=indicators,
        printed_total="95.99",
        denominator_label="全年预算数",
    )
    save(
        wb,
        "self_evaluation_standard.xlsx",
        {
            "kind": "self_evaluation",
            "layout": "财预〔2020〕10号 附件1 项目支出绩效自评表 (standard)",
            "provenance": {
                "type": "constructed",
                "notes": [
                    "Constructed for the importer tests, in the standard layout; no real project. "
                    "Names are of the seed district but every figure is invented.",
                    "Scores follow 财预〔2020〕10号 with 2-decimal ROUND_HALF_UP, except two "
                    "deliberate judgement cases: 项目总成本 (target met, unit gave 9.00 of 10.00) "
                    "and the qualitative 养老服务长效机制 (8.00 of 10.00, in the 80-100% tier).",
                ],
            },
            "sheet": ws.title,
            "header": {
                "year": "2021",
                "project_name": "花溪区社区居家养老服务补助项目",
                "department": "花溪区民政局",
                "department_code": "023",
                "department_as_printed": "023-花溪区民政局",
                "implementing_unit": "花溪区养老服务指导中心",
            },
            "funds": {
                "unit": "万元",
                "rows": [
                    fund_row(
                        "年度资金总额",
                        position=1,
                        initial_budget="320.00",
                        full_year_budget="356.80",
                        spent="341.18",
                    ),
                    fund_row(
                        "其中：当年财政拨款",
                        position=2,
                        initial_budget="300.00",
                        full_year_budget="336.80",
                        spent="321.18",
                    ),
                    fund_row(
                        "上年结转资金",
                        position=3,
                        initial_budget="20.00",
                        full_year_budget="20.00",
                        spent="20.00",
                    ),
                    fund_row(
                        "其他资金",
                        position=4,
                        initial_budget=None,
                        full_year_budget=None,
                        spent=None,
                    ),
                ],
                "labels_as_printed_note": "sub-rows are indented with spaces; strip them",
            },
            "execution": {
                "points": "10",
                "rate_printed": "95.62%",
                "rate": "95.62",
                "score_printed": "9.56",
                "denominator": "全年预算数",
            },
            "goals": {"expected": goal_expected, "actual": goal_actual},
            "indicators": indicators,
            "rows_ignored": dict(g.ignored),
            "total": {
                "label": "总分",
                "row": total_row,
                "points_printed": "100.00",
                "printed": "95.99",
            },
            "footer": {"filled_by": "王某", "phone": "0851-8XXXXXXX", "date": "2022-03-15"},
            "arithmetic_check": check,
            "arithmetic_summary": (
                "Agrees. Execution 341.18/356.80 = 95.62% -> 9.56 (2 decimals). Indicators by "
                "formula: 9.88, 4.88 (反向 200/205x5), 9.67; printed scores match the 2-decimal "
                "formula except 项目总成本 (9.00 < 10.00 allowed: judgement) and two qualitative "
                "scores. Printed 总分 95.99 = 9.56 + 86.43 (sum of printed indicator scores); "
                "the formula ceiling is 96.99 (项目总成本 at 10.00). Integer rounding would "
                "give 10 for execution and 98 in all: the printed figures use 2 decimals."
            ),
        },
    )


# ---------------------------------------------------------------------------
# Real table 1: 廊坊市食品工程学校, 2019, standard attachment layout
# ---------------------------------------------------------------------------

LANGFANG_URL = "http://www.lfsp.cn/newsinfo/1158053.html"


def self_evaluation_langfang():
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    g = Grid(ws, 9)
    g.widths(8, 10, 12, 22, 10, 10, 8, 8, 36)
    g.put(1, 1, "附件1", align="left", box=False)
    g.title(2, "项目支出绩效自评表")
    g.title(3, "（2019年度）", size=12)
    g.put(4, 1, "项目名称", to_col=2)
    g.put(4, 3, "办公宿舍楼、食堂及餐厅暖通改造经费", to_col=9, align="left")
    g.put(5, 1, "主管部门", to_col=2)
    g.put(5, 3, "廊坊市发改委", to_col=5, align="left")
    g.put(5, 6, "实施单位")
    g.put(5, 7, "廊坊市食品工程学校", to_col=9, align="left")
    g.put(6, 1, "项目资金\n(万元)", to_row=10)
    g.put(6, 2, None, to_col=3)
    for col, text in zip(
        "DEFGHI",
        ["年初\n预算数", "全年\n预算数", "全年\n执行数", "分值", "执行率", "得分"],
        strict=True,
    ):
        g.put(6, col, text)
    g.put(7, 2, "年度资金总额", to_col=3)
    for col, value in zip("DEFGHI", [43.2, 43.2, 37.24, 10, "86%", 9], strict=True):
        g.put(7, col, value)
    g.put(8, 2, "其中:当年财政拨款", to_col=3, align="left")
    for col, value in zip("DEFGHI", [43.2, 43.2, 37.24, None, None, None], strict=True):
        g.put(8, col, value)
    g.put(9, 2, "      上年结转资金", to_col=3, align="left")
    g.put(10, 2, "  其他资金", to_col=3, align="left")
    for r in (9, 10):
        for col in "DEFGHI":
            g.put(r, col, None)
    g.put(11, 1, "年度总体目标", to_row=12)
    g.put(11, 2, "预期目标", to_col=5)
    g.put(11, 6, "实际完成情况", to_col=9)
    g.put(12, 2, 43.2, to_col=5)
    g.put(12, 6, 37.24, to_col=9)
    for col, text in zip(
        "BCDEFGHI",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度\n指标值",
            "实际\n完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        strict=True,
    ):
        g.put(13, col, text)
    groups = [
        (
            "产出指标",
            [
                (
                    "数量指标",
                    [
                        ind(
                            "指标1工程资金金额",
                            43.2,
                            37.24,
                            10,
                            9,
                            "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。",
                        ),
                        ph("指标2"),
                        ph("……"),
                    ],
                ),
                (
                    "质量指标",
                    [
                        ind("指标1工程完工率", 100, 100, 10, 10),
                        ind("指标2工程验收合格率", 100, 100, 10, 10),
                        ph("……"),
                    ],
                ),
                ("时效指标", [ind("指标1项目完成及时率", 100, 100, 10, 10), ph("指标2"), ph("……")]),
                ("成本指标", [ind("指标1成本控制率", 100, 100, 10, 10), ph("指标2"), ph("……")]),
            ],
        ),
        (
            "效益指标",
            [
                (
                    "经济效益\n指标",
                    [ind("指标1安全率", 100, 100, 10, 10, 0), ph("指标2"), ph("……")],
                ),
                (
                    "社会效益\n指标",
                    [ind("指标1学校发展能力", 100, 100, 10, 10, 0), ph("指标2"), ph("……")],
                ),
                ("生态效益\n指标", [ph("指标1"), ph("指标2"), ph("……")]),
            ],
        ),
        # The source repeats the 一级 label here (the table breaks across a page).
        (
            "效益指标",
            [
                (
                    "可持续影响\n指标",
                    [ind("指标1长期使用性", 100, 100, 10, 10), ph("指标2"), ph("……")],
                ),
            ],
        ),
        (
            "满意度\n指标",
            [
                (
                    "服务对象满意度指标",
                    [ind("指标1学生满意度", 100, 100, 10, 10, 0), ph("指标2"), ph("……")],
                ),
            ],
        ),
    ]
    cols = {
        "level1": "B",
        "level2": "C",
        "name": "D",
        "target": "E",
        "actual": "F",
        "points": "G",
        "score": "H",
        "reason": "I",
    }
    row, indicators = write_indicators(g, 14, groups, cols, clean_name=strip_template_number)
    g.put(13, 1, None, to_row=row - 1)
    # Template's last row. Its figures are not in the stored copy of the source: left blank.
    g.put(row, 1, "总分", to_col=6)
    g.put(row, 7, None)
    g.put(row, 8, None)
    g.put(row, 9, None)
    for item in indicators:
        item["level1"] = item["level1"].replace("\n", "")
        item["level1_label"] = item["level1_label"].replace("\n", "")
        if item.get("reason") == "0":
            item["reason_as_printed"] = "0"
            item["reason"] = None

    check = check_self_evaluation(
        execution_budget=Decimal("43.2"),
        execution_spent=Decimal("37.24"),
        execution_points=Decimal("10"),
        execution_printed="9",
        indicators=indicators,
        printed_total=None,
        denominator_label="全年预算数",
    )
    save(
        wb,
        "self_evaluation_langfang.xlsx",
        {
            "kind": "self_evaluation",
            "layout": "standard attachment-1 layout (附件1 项目支出绩效自评表), 2019 edition with "
            "指标1/指标2/…… template rows",
            "provenance": {
                "type": "real",
                "url": LANGFANG_URL,
                "publisher": "廊坊市食品工程学校 (school website), table titled "
                "“办公宿舍楼、食堂及餐厅暖通改造经费 绩效自评表(修改)”",
                "year": "2019",
                "transcription": "faithful, from the stored text of the page; cell boundaries "
                "inferred from the standard template",
                "illegible_or_missing": [
                    "The stored copy ends after the 满意度 row “指标2”. The template rows after it "
                    "(…… and the 总分 row) are reproduced from the standard layout with their "
                    "figures left blank: the printed 总分 is NOT known.",
                    "The indicator block's left label cell is empty in the source (no “绩效指标”).",
                ],
            },
            "sheet": ws.title,
            "header": {
                "year": "2019",
                "project_name": "办公宿舍楼、食堂及餐厅暖通改造经费",
                "department": "廊坊市发改委",
                "implementing_unit": "廊坊市食品工程学校",
            },
            "funds": {
                "unit": "万元",
                "rows": [
                    fund_row(
                        "年度资金总额",
                        position=1,
                        initial_budget=43.2,
                        full_year_budget=43.2,
                        spent=37.24,
                    ),
                    fund_row(
                        "其中:当年财政拨款",
                        position=2,
                        initial_budget=43.2,
                        full_year_budget=43.2,
                        spent=37.24,
                    ),
                    fund_row(
                        "上年结转资金",
                        position=3,
                        initial_budget=None,
                        full_year_budget=None,
                        spent=None,
                    ),
                    fund_row(
                        "其他资金",
                        position=4,
                        initial_budget=None,
                        full_year_budget=None,
                        spent=None,
                    ),
                ],
            },
            "execution": {
                "points": "10",
                "rate_printed": "86%",
                "rate": "86",
                "score_printed": "9",
                "denominator": "全年预算数",
            },
            "goals": {
                "expected": "43.2",
                "actual": "37.24",
                "note": "the unit wrote the amounts, not text, in the goal boxes",
            },
            "indicators": indicators,
            "rows_ignored": dict(g.ignored),
            "total": {
                "label": "总分",
                "printed": None,
                "points_printed": None,
                "note": "not in the stored copy of the source",
            },
            "arithmetic_check": check,
            "arithmetic_summary": (
                "Execution: 37.24/43.2 = 86.20%; formula 8.62; printed rate 86% and score 9. "
                "Reproduced by integer rounding of the score (8.62 -> 9) or of the rate first "
                "(86% x 10 = 8.6 -> 9); NOT by 2-decimal rounding (8.62). The only missed "
                "indicator (工程资金金额 43.2 -> 37.24, 正向) is 8.62 by formula, printed 9: same "
                "integer rounding. All others met, full points. Computed total 9 + 89 = 98 under "
                "integer rounding (8.62 + 8.62 + 80 = 97.24 unrounded); printed total unknown."
            ),
        },
    )


# ---------------------------------------------------------------------------
# Real table 2 (b): 中江县水利局, Sichuan, 2022, its own 绩效目标自评表 layout
# ---------------------------------------------------------------------------

ZHONGJIANG_URL = "https://chacewang.com/newsdetail/news242266.html"


def self_evaluation_zhongjiang():
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    g = Grid(ws, 9)
    g.widths(8, 14, 14, 26, 8, 12, 12, 8, 30)
    g.title(1, "绩效目标自评表")
    g.title(2, "(2022年度)", size=12)
    g.put(3, 1, "项目名称", to_col=2)
    g.put(
        3,
        3,
        "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装",
        to_col=9,
        align="left",
    )
    g.put(4, 1, "项目负责人及电话", to_col=2)
    g.put(4, 3, "谢某139****0322(办公)", to_col=9, align="left")
    g.put(5, 1, "主管部门", to_col=2)
    g.put(5, 3, "中江县水利局", to_col=4, align="left")
    g.put(5, 5, "实施单位", to_col=6)
    g.put(5, 7, "中江县水利局", to_col=9, align="left")
    g.put(6, 1, "资金情况\n(万元)", to_row=9)
    g.put(6, 2, None, to_col=3)
    for col, text in zip(
        "DEFG", ["全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)"], strict=True
    ):
        g.put(6, col, text)
    g.put(6, 8, "得分", to_col=9)
    g.put(7, 2, "年度资金总额:", to_col=3)
    for col, value in zip("DEFG", [20, 20, 10, "100.00%"], strict=True):
        g.put(7, col, value)
    g.put(7, 8, 10, to_col=9)
    g.put(8, 2, "其中:本年财政拨款", to_col=3, align="left")
    g.put(8, 4, 20)
    g.put(8, 5, 20)
    g.put(9, 2, "其他资金", to_col=3, align="left")
    for r in (8, 9):
        for col in "FG":
            g.put(r, col, None)
        g.put(r, 8, None, to_col=9)
    g.put(9, 4, None)
    g.put(9, 5, None)
    goal_expected = (
        "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,"
    )
    goal_actual = "对项目区农业用水计量,为项目区农业生产夯实基础,"
    g.put(10, 1, "年度总体目标", to_row=11)
    g.put(10, 2, "年初设定目标", to_col=5)
    g.put(10, 6, "年度总体目标完成情况综述", to_col=9)
    g.put(11, 2, goal_expected, to_col=5, align="left")
    g.put(11, 6, goal_actual, to_col=9, align="left")
    ws.row_dimensions[11].height = 48
    for col, text in zip(
        "BCDEFGHI",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "全年实际值",
            "得分",
            "未完成原因及拟采取的改进措施",
        ],
        strict=True,
    ):
        g.put(12, col, text)
    groups = [
        (
            "产出指标(70分)",
            [
                (
                    "数量指标",
                    [
                        ind("安装坡面水标尺", "≥266米", "≥266米", 10, 10),
                        ind("水标尺宽度", "≥50厘米", "≥50厘米", 10, 10),
                    ],
                ),
                ("质量指标", [ind("项目(工程)验收合格率", "100%", "100%", 20, 20)]),
                (
                    "时效指标",
                    [
                        ind("及时(按期)开工率", "≥90%", "≥90%", 10, 10),
                        ind("及时(按期)完工率", "≥90%", "≥90%", 10, 10),
                    ],
                ),
                ("成本指标", [ind("项目计划总投资", "20万元", "20万元", 10, 10)]),
            ],
        ),
        (
            "效益指标(20分)",
            [
                ("经济效益指标", [ph(None)]),
                (
                    "社会效益指标",
                    [
                        ind("受益脱贫(含监测对象)户人口数", "≥1000人", "≥1000人", 10, 10),
                        ind("群众生产生活条件改善状况", "显著提升", "显著提升", 10, 10),
                    ],
                ),
            ],
        ),
        (
            "满意度指标(10分)",
            [
                (
                    "服务对象满意度指标",
                    [ind("受益脱贫(含监测对象)户满意度", "≥95%", "≥95%", 10, 10), ph("……")],
                ),
            ],
        ),
    ]
    cols = {
        "level1": "B",
        "level2": "C",
        "name": "D",
        "points": "E",
        "target": "F",
        "actual": "G",
        "score": "H",
        "reason": "I",
    }
    row, indicators = write_indicators(g, 13, groups, cols)
    g.put(12, 1, "绩效指标", to_row=row - 1)
    g.put(row, 1, "总分", to_col=4)
    g.put(row, 5, 100)
    g.put(row, 6, None)
    g.put(row, 7, None)
    g.put(row, 8, 100)
    g.put(row, 9, None)
    total_row = row
    note = (
        "注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分,"
        "各部门根据各项指标重要程度确定三级指标的分值,得分最高不能超过该指标分值上限,分别按照该指标"
        "对应分值区间100-80%(含80%)、80-60%(含60%)、60-0%合理确定得分,3.定量指标若为正向"
    )
    g.put(row + 1, 1, note, to_col=9, align="left", box=False)
    ws.row_dimensions[row + 1].height = 60

    check = check_self_evaluation(
        execution_budget=Decimal("20"),
        execution_spent=Decimal("20"),
        execution_points=Decimal("10"),
        execution_printed="10",
        indicators=indicators,
        printed_total="100",
        denominator_label="全年预算数(A)",
    )
    check["totals"]["points"] = {
        "indicator_points_by_level1": {"产出指标": "70", "效益指标": "20", "满意度指标": "10"},
        "sum_of_indicator_points": "100",
        "printed_points_in_total_row": "100",
        "execution_points": "10",
        "max_possible_under_10号_formula": "110 (10 + 100): the table breaks the 90 + 10 rule",
    }
    save(
        wb,
        "self_evaluation_zhongjiang.xlsx",
        {
            "kind": "self_evaluation",
            "layout": "中江县 (德阳, Sichuan) 财政衔接资金 绩效目标自评表: 分值 column before 年度指标值, "
            "全年预算数(A)/全年执行数(B)/执行率(B/A), no 年初预算数, 一级 weights 70/20/10",
            "provenance": {
                "type": "real",
                "url": ZHONGJIANG_URL,
                "publisher": "中江县水利局 (notice dated 2022-12-30 on the 2022 衔接资金 project "
                "self-evaluation, with attachment “2022年财政衔接资金实施项目绩效自评表”), "
                "as reposted by chacewang.com",
                "year": "2022",
                "transcription": "faithful from the stored page text; cell boundaries inferred "
                "from the column headers (the text has no cell separators)",
                "illegible_or_missing": [
                    "The 负责人 phone number is masked here (谢某139****0322); the source prints "
                    "the full name and number in one cell.",
                    "The split of the goal text between 年初设定目标 and 完成情况综述 is inferred: "
                    "the completion text repeats the last two clauses of the target.",
                    "The footnote is cut in the stored copy after “3.定量指标若为正向”; item 2 is "
                    "absent in the source text.",
                    "Which blank cells of the 总分 row hold the two “100”s is inferred (分值 and 得分).",
                    "Where the project name ends is inferred: the text runs “…制作安装项目负责人及电话”; "
                    "read here as name “…制作安装” + label “项目负责人及电话”.",
                ],
            },
            "sheet": ws.title,
            "header": {
                "year": "2022",
                "project_name": "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装",
                "project_lead_and_phone": "谢某139****0322(办公)",
                "department": "中江县水利局",
                "implementing_unit": "中江县水利局",
            },
            "funds": {
                "unit": "万元",
                "rows": [
                    fund_row("年度资金总额", position=1, full_year_budget=20, spent=20),
                    fund_row("其中:本年财政拨款", position=2, full_year_budget=20, spent=20),
                    fund_row("其他资金", position=3, full_year_budget=None, spent=None),
                ],
                "note": "no 年初预算数 column; label printed with a trailing colon “年度资金总额:”",
            },
            "execution": {
                "points": "10",
                "rate_printed": "100.00%",
                "rate": "100.00",
                "score_printed": "10",
                "denominator": "全年预算数(A)",
            },
            "goals": {"expected": goal_expected, "actual": goal_actual},
            "indicators": indicators,
            "rows_ignored": {
                **g.ignored,
                "note": "the empty 经济效益指标 row (二级 with no 三级) and “……”",
            },
            "total": {"label": "总分", "row": total_row, "points_printed": "100", "printed": "100"},
            "arithmetic_check": check,
            "arithmetic_summary": (
                "Execution 20/20 = 100.00% -> 10, agrees with the printed 10 under any rounding. "
                "Every indicator is printed as met (actual values are written with the operator, "
                "e.g. “≥266米”) and gets full points: sum 100. The printed 总分 is 100, which is "
                "the sum of the indicator scores ALONE; the 10号 total would be 10 + 100 = 110, "
                "impossible on a 100 scale because the unit weighted the 一级 70/20/10 (=100) "
                "instead of 50/30/10 (=90), although the table's own footnote states 50/30/10/10. "
                "No rounding setting explains the difference: it is a template setting "
                "(execution score not added to 总分). Rescaling 110 to 100 would also give 100 here, "
                "because every score is full; the table cannot tell the two readings apart."
            ),
        },
    )


# ---------------------------------------------------------------------------
# Real table 3: 青神县发展和改革局, Sichuan 一体化 export, 2023 (not filled in)
# ---------------------------------------------------------------------------

QINGSHEN_URL = "https://www.scqs.gov.cn/info/13206/211004.htm"


def self_evaluation_qingshen():
    wb = Workbook()
    ws = wb.active
    ws.title = "510000_0013zp"
    g = Grid(ws, 11)
    g.widths(12, 12, 10, 18, 10, 12, 10, 10, 8, 8, 30)
    g.put(1, 1, "报表编号:510000_0013zp", to_col=11, align="right", box=False)
    g.title(2, "部门预算项目支出绩效自评表(2023年度)")
    g.put(3, 1, "项目名称")
    g.put(3, 2, "51000021R000000019951-工资性支出", to_col=11, align="left")
    g.put(4, 1, "主管部门")
    g.put(4, 2, "青神县发展和改革局本级", to_col=5, align="left")
    g.put(4, 6, "实施单位 (盖章)", to_col=7)
    g.put(4, 8, "青神县发展和改革局", to_col=11, align="left")
    g.put(5, 1, "项目基本情况", to_row=7)
    g.put(5, 2, "1.项目年度目标完成情况", to_row=6, to_col=3)
    g.put(5, 4, "项目年度目标", to_col=7)
    g.put(5, 8, "年度目标完成情况", to_col=11)
    target_text = "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。"
    prompt_done = "对照年度目标,说明相关任务目标的完成情况(100字以内)"
    g.put(6, 4, target_text, to_col=7, align="left")
    g.put(6, 8, prompt_done, to_col=11, align="left")
    g.put(7, 2, "2.项目实施内容及过程概述", to_col=3)
    g.put(7, 4, None, to_col=11)
    g.put(8, 1, "预算执行情况(10分)", to_row=13)
    g.put(8, 2, "年度预算数(万元)", to_col=3)
    for col, text in zip(
        "DEFGHI",
        ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"],
        strict=True,
    ):
        g.put(8, col, text)
    g.put(8, 10, "原因", to_col=11)
    fund_rows = [
        ("总额", "238.93", "251.89", "251.89", "100.00%", "10", None),
        ("其中:财政资金", "238.93", "251.89", "251.89", "100.00%", "/", "/"),
        ("财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"),
        ("单位资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"),
        ("其他资金", None, None, None, None, "/", "/"),
    ]
    for offset, values in enumerate(fund_rows):
        r = 9 + offset
        g.put(r, 2, values[0], to_col=3)
        for col, value in zip("DEFGHI", values[1:], strict=True):
            g.put(r, col, value)
    instructions = (
        "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
        "2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款."
    )
    g.put(9, 10, instructions, to_row=13, to_col=11, align="left")
    g.put(14, 1, "绩效指标(90分)", to_row=16)
    for col, text in zip(
        "BCDEFGHIJK",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        ],
        strict=True,
    ):
        g.put(14, col, text)
    groups = [
        (
            "产出指标",
            [
                (
                    "数量指标",
                    [ind("发放(缴纳)覆盖率", "100", None, "60", None, None, nature="=", unit="%")],
                )
            ],
        ),
        (
            "效益指标",
            [
                (
                    "社会效益指标",
                    [
                        ind(
                            "足额保障率(参保率)",
                            "100",
                            None,
                            "30",
                            None,
                            None,
                            nature="=",
                            unit="%",
                        )
                    ],
                )
            ],
        ),
    ]
    cols = {
        "level1": "B",
        "level2": "C",
        "name": "D",
        "nature": "E",
        "target": "F",
        "unit": "G",
        "actual": "H",
        "points": "I",
        "score": "J",
        "reason": "K",
    }
    row, indicators = write_indicators(g, 15, groups, cols)
    g.put(row, 1, "合计", to_col=8)
    g.put(row, 9, "100")
    g.put(row, 10, None)
    g.put(row, 11, None)
    total_row = row
    closing = [
        ("评价结论", "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)"),
        ("存在问题", "结合自评情况,分析存在的问题及原因。(200字以内)"),
        (
            "改进措施",
            "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)",
        ),
    ]
    for offset, (label, text) in enumerate(closing, start=1):
        g.put(row + offset, 1, label)
        g.put(row + offset, 2, text, to_col=11, align="left")
    g.put(row + 4, 1, "项目负责人:", to_col=4, align="left")
    g.put(row + 4, 5, "财务负责人:", to_col=8, align="left")
    g.put(row + 4, 9, None, to_col=11)

    check = check_self_evaluation(
        execution_budget=Decimal("251.89"),
        execution_spent=Decimal("251.89"),
        execution_points=Decimal("10"),
        execution_printed=None,
        indicators=indicators,
        printed_total=None,
        denominator_label="调整后预算数",
    )
    _, initial_variants = execution_variants(Decimal("238.93"), Decimal("251.89"))
    check["execution"]["if_denominator_were_年初预算"] = {
        "rate": str(q2(Decimal("251.89") / Decimal("238.93") * 100)) + "%",
        "score_2dp": str(initial_variants["score_2dp"]),
        "note": "105.42% -> capped at 10: the cap matters when spending exceeds 年初预算",
    }
    save(
        wb,
        "self_evaluation_qingshen.xlsx",
        {
            "kind": "self_evaluation",
            "layout": "Sichuan 预算管理一体化 export 部门预算项目支出绩效自评表 (报表编号 510000_0013zp): "
            "预算执行情况(10分) with 年初预算/调整后预算数/预算执行数/预算执行率/权重/得分/原因 "
            "and rows 总额/财政资金/财政专户管理资金/单位资金/其他资金; 绩效指标(90分) with "
            "指标性质/指标值/度量单位/完成值/权重/得分/未完成原因分析; 合计; 评价结论/存在问题/改进措施",
            "provenance": {
                "type": "real",
                "url": QINGSHEN_URL,
                "publisher": "青神县 (眉山, Sichuan) government website, 青神县发展和改革局",
                "year": "2023",
                "transcription": "faithful; the stored page keeps the table's cell separators, "
                "merges inferred from the cell counts per row",
                "illegible_or_missing": [
                    "Nothing illegible. The unit did not fill in 完成值, 得分 (execution and "
                    "indicators), 项目实施内容 or the closing boxes: the system's prompt texts "
                    "are still in place."
                ],
            },
            "sheet": ws.title,
            "header": {
                "year": "2023",
                "report_code": "510000_0013zp",
                "project_code": "51000021R000000019951",
                "project_name": "工资性支出",
                "project_as_printed": "51000021R000000019951-工资性支出",
                "department": "青神县发展和改革局本级",
                "implementing_unit": "青神县发展和改革局",
            },
            "funds": {
                "unit": "万元",
                "rows": [
                    fund_row(
                        "总额",
                        position=1,
                        initial_budget="238.93",
                        adjusted_budget="251.89",
                        spent="251.89",
                        rate_printed="100.00%",
                    ),
                    fund_row(
                        "其中:财政资金",
                        position=2,
                        initial_budget="238.93",
                        adjusted_budget="251.89",
                        spent="251.89",
                        rate_printed="100.00%",
                    ),
                    fund_row(
                        "财政专户管理资金",
                        position=3,
                        initial_budget="0.00",
                        adjusted_budget="0.00",
                        spent="0.00",
                        rate_printed="0.00%",
                    ),
                    fund_row(
                        "单位资金",
                        position=4,
                        initial_budget="0.00",
                        adjusted_budget="0.00",
                        spent="0.00",
                        rate_printed="0.00%",
                    ),
                    fund_row(
                        "其他资金",
                        position=5,
                        initial_budget=None,
                        adjusted_budget=None,
                        spent=None,
                        rate_printed=None,
                    ),
                ],
                "note": "0.00 / 0.00 printed as “0.00%”: a zero denominator shown as a 0% rate",
            },
            "execution": {
                "points": "10",
                "rate_printed": "100.00%",
                "rate": "100.00",
                "score_printed": None,
                "denominator": "调整后预算数",
                "reason_cell": "holds the system's instructions, not a reason",
            },
            "goals": {
                "expected": target_text,
                "actual": None,
                "actual_as_printed": prompt_done,
                "actual_is_template_prompt": True,
            },
            "indicators": indicators,
            "total": {
                "label": "合计",
                "row": total_row,
                "points_printed": "100",
                "printed": None,
                "note": "合计 prints the weight sum 10 + 60 + 30 = 100 in the 权重 column; "
                "the 得分 cell is blank. Do not read 100 as the score.",
            },
            "closing": {
                label: {"value": None, "as_printed": text, "is_template_prompt": True}
                for label, text in closing
            },
            "footer": {"project_lead": None, "finance_lead": None},
            "arithmetic_check": check,
            "arithmetic_summary": (
                "Nothing printed to check: execution 251.89/251.89 = 100% would score 10 (with "
                "年初预算 as denominator 105.42%, capped to 10); indicator scores cannot be computed "
                "because 完成值 is blank. An importer should report the table as not scored, "
                "not as 0 points, and must not take 合计 100 (a weight sum) for the total."
            ),
        },
    )


# ---------------------------------------------------------------------------
# c. 项目绩效目标申报表 (constructed)
# ---------------------------------------------------------------------------


def target_table():
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    g = Grid(ws, 8)
    g.widths(8, 14, 16, 16, 14, 14, 8, 22)
    g.title(1, "项目支出绩效目标申报表")
    g.title(2, "（2023年度）", size=12)
    g.put(3, 1, "填报单位（盖章）：花溪区养老服务指导中心", to_col=5, align="left", box=False)
    g.put(3, 6, "金额单位：万元", to_col=8, align="right", box=False)
    g.put(4, 1, "项目名称", to_col=2)
    g.put(4, 3, "花溪区社区居家养老服务补助项目", to_col=8, align="left")
    g.put(5, 1, "主管部门及代码", to_col=2)
    g.put(5, 3, "023-花溪区民政局", to_col=4, align="left")
    g.put(5, 5, "实施单位")
    g.put(5, 6, "花溪区养老服务指导中心", to_col=8, align="left")
    g.put(6, 1, "项目负责人及电话", to_col=2)
    g.put(6, 3, "李某  0851-8XXXXXXX", to_col=4, align="left")
    g.put(6, 5, "项目属性")
    g.put(6, 6, "□新增项目  ☑延续项目", to_col=8, align="left")
    g.put(7, 1, "项目期", to_col=2)
    g.put(7, 3, "2021年1月—2023年12月", to_col=4, align="left")
    g.put(7, 5, "项目类型")
    g.put(7, 6, "常年性项目", to_col=8, align="left")
    g.put(8, 1, "项目资金\n（万元）", to_row=10)
    fund_rows = [
        ("年度资金总额：", "360.00"),
        ("其中：财政拨款", "340.00"),
        ("      其他资金", "20.00"),
    ]
    for offset, (label, value) in enumerate(fund_rows):
        g.put(8 + offset, 2, label, to_col=3, align="left")
        g.put(8 + offset, 4, value, to_col=5)
        g.put(8 + offset, 6, None, to_col=8)
    long_term = (
        "2021—2023年，为全区符合条件的经济困难高龄、失能半失能老人提供居家养老上门服务补助，"
        "建立“政府购买、机构服务、社区监督”的居家养老服务长效机制。"
    )
    annual = (
        "2023年为不少于1200名老人提供居家养老服务补助，全年上门服务不少于3万人次，"
        "服务质量抽检合格率不低于95%，服务对象满意度达到90%以上。"
    )
    g.put(11, 1, "总体\n目标", to_row=12)
    g.put(11, 2, "中长期目标（2021—2023年）", to_col=4)
    g.put(11, 5, "年度目标（2023年）", to_col=8)
    g.put(12, 2, long_term, to_col=4, align="left")
    g.put(12, 5, annual, to_col=8, align="left")
    ws.row_dimensions[12].height = 80
    for col, text in zip("BC", ["一级指标", "二级指标"], strict=True):
        g.put(13, col, text, bold=True)
    g.put(13, 4, "三级指标", to_col=5, bold=True)
    g.put(13, 6, "指标值", bold=True)
    g.put(13, 7, "分值", bold=True)
    g.put(13, 8, "备注（指标解释）", bold=True)
    groups = [
        (
            "产出指标（50分）",
            [
                (
                    "数量指标",
                    [
                        ind("享受居家养老服务补助老人数", "≥1200人", points="10"),
                        ind("上门服务人次", "≥30000人次", points="10"),
                    ],
                ),
                (
                    "质量指标",
                    [
                        ind(
                            "服务质量抽检合格率",
                            "≥95%",
                            points="10",
                            reason="抽检合格户数/抽检户数×100%",
                        )
                    ],
                ),
                ("时效指标", [ind("补助资金发放时间", "按月安排", points="5")]),
                (
                    "成本指标",
                    [
                        ind("人均补助标准", "≤210元/人·月", points="5"),
                        ind("项目总成本", "≤360万元", points="10"),
                    ],
                ),
            ],
        ),
        (
            "效益指标（30分）",
            [
                ("经济效益指标", [na()]),
                (
                    "社会效益指标",
                    [
                        ind("失能半失能老人照护覆盖率", "≥60%", points="10"),
                        ind("投诉办结率", "=100%", points="5"),
                    ],
                ),
                ("生态效益指标", [ph("……")]),
                (
                    "可持续影响指标",
                    [
                        ind("养老服务长效机制", "长期有效", points="10"),
                        ind("持续运营的服务机构数", "≥12个", points="5"),
                    ],
                ),
            ],
        ),
        (
            "满意度指标（10分）",
            [
                (
                    "服务对象满意度指标",
                    [ind("服务对象满意度", "≥90%", points="10", reason="第三方抽样问卷")],
                ),
            ],
        ),
    ]
    cols = {
        "level1": "B",
        "level2": "C",
        "name": ("D", "E"),
        "target": "F",
        "points": "G",
        "reason": "H",
    }
    row, indicators = write_indicators(g, 14, groups, cols)
    g.put(13, 1, "年度\n绩效\n指标", to_row=row - 1)
    for item in indicators:
        item["note"] = item.pop("reason")
        for dead in ("actual", "score"):
            item.pop(dead, None)
        parsed = parse_value(item["target"])
        if parsed is None:
            item.update(
                {
                    "operator": None,
                    "target_number": None,
                    "target_unit": None,
                    "quantitative": False,
                }
            )
        else:
            op, number, unit = parsed
            item.update(
                {
                    "operator": op,
                    "target_number": str(number),
                    "target_unit": unit,
                    "quantitative": True,
                }
            )
        item["direction"] = (
            "反向" if item["operator"] in ("≤", "<") else "正向" if item["quantitative"] else None
        )
    g.put(row, 1, "其他需要说明的问题", to_col=2)
    g.put(row, 3, "无", to_col=8, align="left")
    g.put(row + 1, 1, "主管部门审核意见", to_col=2)
    g.put(row + 1, 3, None, to_col=8)
    g.put(row + 2, 1, "财政部门审核意见", to_col=2)
    g.put(row + 2, 3, None, to_col=8)
    g.put(row + 4, 1, "填报人：李某", to_col=3, align="left", box=False)
    g.put(row + 4, 4, "联系电话：0851-8XXXXXXX", to_col=5, align="left", box=False)
    g.put(row + 4, 6, "填报日期：2022年10月20日", to_col=8, align="left", box=False)

    points_by_level1: dict[str, Decimal] = {}
    for item in indicators:
        points_by_level1[item["level1"]] = points_by_level1.get(
            item["level1"], Decimal(0)
        ) + Decimal(item["points"])
    save(
        wb,
        "target_table.xlsx",
        {
            "kind": "performance_target",
            "layout": "项目支出绩效目标申报表 (county style: header with 项目属性 checkboxes, funds "
            "年度资金总额/其中：财政拨款/其他资金, 中长期 and 年度 goals, one indicator block "
            "with a 分值 column)",
            "provenance": {
                "type": "constructed",
                "notes": [
                    "Constructed: the 2023 target of the project in self_evaluation_standard.xlsx. "
                    "Layout after the county forms described in /work/shared/domain.md §3."
                ],
            },
            "sheet": ws.title,
            "header": {
                "year": "2023",
                "project_name": "花溪区社区居家养老服务补助项目",
                "department": "花溪区民政局",
                "department_code": "023",
                "implementing_unit": "花溪区养老服务指导中心",
                "project_lead": "李某",
                "phone": "0851-8XXXXXXX",
                "attribute": "延续",
                "attribute_as_printed": "□新增项目  ☑延续项目",
                "period": "2021年1月—2023年12月",
                "project_type": "常年性项目",
                "filled_by_unit": "花溪区养老服务指导中心",
            },
            "funds": {"unit": "万元", "total": "360.00", "fiscal": "340.00", "other": "20.00"},
            "goals": {"long_term": long_term, "annual": annual},
            "indicators": indicators,
            "rows_ignored": dict(g.ignored),
            "points": {
                "by_level1": {k: str(v) for k, v in points_by_level1.items()},
                "sum": str(sum(points_by_level1.values())),
                "note": "no total row is printed; 50 + 30 + 10 = 90 (execution's 10 is "
                "not part of a target table)",
            },
            "footer": {"filled_by": "李某", "phone": "0851-8XXXXXXX", "date": "2022-10-20"},
        },
    )


# ---------------------------------------------------------------------------
# d. 项目支出绩效监控表, Hubei style (constructed)
# ---------------------------------------------------------------------------


def monitoring_report():
    wb = Workbook()
    ws = wb.active
    ws.title = "监控表"
    g = Grid(ws, 8)
    g.widths(12, 14, 24, 14, 14, 12, 28, 28)
    g.title(1, "项目支出绩效监控表")
    g.title(2, "（2022年1-7月）", size=12)
    g.put(3, 1, "填报单位（盖章）：花溪区养老服务指导中心", to_col=5, align="left", box=False)
    g.put(3, 6, "金额单位：万元", to_col=8, align="right", box=False)
    g.put(4, 1, "项目名称")
    g.put(4, 2, "花溪区社区居家养老服务补助项目", to_col=8, align="left")
    g.put(5, 1, "主管部门")
    g.put(5, 2, "花溪区民政局", to_col=4, align="left")
    g.put(5, 5, "执行单位")
    g.put(5, 6, "花溪区养老服务指导中心", to_col=8, align="left")
    g.put(6, 1, "项目属性")
    g.put(6, 2, "持续", to_col=4, align="left")
    g.put(6, 5, "项目类型")
    g.put(6, 6, "常年", to_col=8, align="left")
    g.put(7, 1, "来源类型")
    g.put(7, 2, "部门预算", to_col=8, align="left")
    g.put(8, 1, "项目资金\n（万元）", to_row=12)
    g.put(8, 2, None)
    for col, text in zip(
        "CDEF", ["年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"], strict=True
    ):
        g.put(8, col, text)
    g.put(8, 7, "备注", to_col=8)
    fund_rows = [
        ("年度资金总额", "360.00", "189.40", "52.61%", "355.00", None),
        ("其中：当年一般公共预算拨款", "340.00", "179.40", "52.76%", "335.00", None),
        ("其他资金", "20.00", "10.00", "50.00%", "20.00", "单位自有资金"),
    ]
    for offset, values in enumerate(fund_rows):
        r = 9 + offset
        g.put(r, 2, values[0], align="left")
        for col, value in zip("CDEF", values[1:5], strict=True):
            g.put(r, col, value)
        g.put(r, 7, values[5], to_col=8, align="left")
    g.put(12, 2, "上年结转资金", align="left")
    for col in "CDEF":
        g.put(12, col, "/")
    g.put(12, 7, None, to_col=8)
    annual = (
        "为不少于1200名老人提供居家养老服务补助，全年上门服务不少于3万人次，"
        "服务对象满意度达到90%以上。"
    )
    progress = "1-7月已为1172名老人发放补助，上门服务15860人次；资金按月拨付。"
    g.put(13, 1, "年度\n总体目标", to_row=14)
    g.put(13, 2, "年度目标", to_col=4)
    g.put(13, 5, "1-7月目标完成情况", to_col=8)
    g.put(14, 2, annual, to_col=4, align="left")
    g.put(14, 5, progress, to_col=8, align="left")
    ws.row_dimensions[14].height = 60
    for col, text in zip(
        "ABCDEFGH",
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "1-7月完成值",
            "完成目标可能性",
            "偏差原因分析",
            "改进措施",
        ],
        strict=True,
    ):
        g.put(15, col, text, bold=True)
    groups = [
        (
            "产出指标",
            [
                (
                    "数量指标",
                    [
                        ind(
                            "享受居家养老服务补助老人数", "≥1200人", "1,172人", likelihood="确定能"
                        ),
                        ind(
                            "上门服务人次",
                            "≥30000人次",
                            "15,860人次",
                            likelihood="有可能",
                            reason="4-5月疫情防控期间部分上门服务暂停",
                            measures="下半年增加服务频次，按月通报服务进度",
                        ),
                    ],
                ),
                ("质量指标", [ind("服务质量抽检合格率", "≥95%", "96.10%", likelihood="确定能")]),
                (
                    "时效指标",
                    [ind("补助资金发放时间", "按月安排", "按月发放", likelihood="确定能")],
                ),
                (
                    "成本指标",
                    [
                        ind("人均补助标准", "≤210元/人·月", "210元/人·月", likelihood="确定能"),
                        ind("项目总成本", "≤360万元", "189.40万元", likelihood="确定能"),
                    ],
                ),
            ],
        ),
        (
            "效益指标",
            [
                ("经济效益指标", [na()]),
                (
                    "社会效益指标",
                    [
                        ind(
                            "失能半失能老人照护覆盖率",
                            "≥60%",
                            "41.00%",
                            likelihood="不可能",
                            reason="新增失能老人等级评估滞后，照护服务供给不足",
                            measures="加快失能等级评估；按程序申请调整年度指标值",
                        ),
                        ind("投诉办结率", "=100%", "100.00%", likelihood="确定能"),
                    ],
                ),
                (
                    "可持续影响指标",
                    [
                        ind(
                            "养老服务长效机制",
                            "长期有效",
                            "正在推进",
                            likelihood="有可能",
                            reason="服务质量评估办法尚未出台",
                            measures="9月底前出台评估办法",
                        ),
                        ph("……"),
                    ],
                ),
            ],
        ),
        (
            "满意度指标",
            [
                (
                    "服务对象满意度指标",
                    [
                        ind(
                            "服务对象满意度",
                            "≥90%",
                            "/",
                            likelihood="有可能",
                            reason="满意度调查安排在第四季度，尚无数据",
                            measures="10月委托第三方开展满意度调查",
                        ),
                    ],
                ),
            ],
        ),
    ]
    cols = {
        "level1": "A",
        "level2": "B",
        "name": "C",
        "target": "D",
        "actual": "E",
        "likelihood": "F",
        "reason": "G",
        "measures": "H",
    }
    row, indicators = write_indicators(g, 16, groups, cols)
    for item in indicators:
        item.pop("points", None)
        item.pop("score", None)
        item["actual_to_date"] = item.pop("actual")
        if item["actual_to_date"] == "/":
            item["actual_to_date_as_printed"] = "/"
            item["actual_to_date"] = None
    g.put(row, 1, "偏差或不能完成目标原因分析", to_col=2)
    cause = (
        "一是疫情影响上门服务进度；二是失能等级评估滞后，照护覆盖率难以达到年初目标；"
        "三是服务质量评估制度建设滞后。"
    )
    advice = "建议调减失能半失能老人照护覆盖率年度指标值至45%，同步调整预算5万元。"
    g.put(row, 3, cause, to_col=8, align="left")
    g.put(row + 1, 1, "相关建议或举措", to_col=2)
    g.put(row + 1, 3, advice, to_col=8, align="left")
    g.put(row + 3, 1, "填报人：李某", to_col=2, align="left", box=False)
    g.put(row + 3, 3, "联系电话：0851-8XXXXXXX", to_col=4, align="left", box=False)
    g.put(row + 3, 5, "单位负责人：赵某", to_col=6, align="left", box=False)
    g.put(row + 3, 7, "填报日期：2022年8月10日", to_col=8, align="left", box=False)

    save(
        wb,
        "monitoring_report.xlsx",
        {
            "kind": "monitoring_report",
            "layout": "项目支出绩效监控表, Hubei style (header 项目属性/项目类型/来源类型; funds 年初预算数, "
            "1-7月执行数, 全年预计执行数; 完成目标可能性 确定能/有可能/不可能)",
            "provenance": {
                "type": "constructed",
                "notes": [
                    "Constructed after the Hubei 2019 form described in /work/shared/domain.md §7, with "
                    "the central 1-7月 period and a 二级 column added. Same project as the other "
                    "constructed fixtures."
                ],
            },
            "sheet": ws.title,
            "header": {
                "period": "2022年1-7月",
                "period_months": [1, 7],
                "year": "2022",
                "project_name": "花溪区社区居家养老服务补助项目",
                "department": "花溪区民政局",
                "implementing_unit": "花溪区养老服务指导中心",
                "attribute": "持续",
                "project_type": "常年",
                "source_type": "部门预算",
            },
            "funds": {
                "unit": "万元",
                "rows": [
                    {
                        "position": 1,
                        "label": "年度资金总额",
                        "initial_budget": "360.00",
                        "spent_to_date": "189.40",
                        "rate_to_date_printed": "52.61%",
                        "expected_full_year": "355.00",
                        "note": None,
                    },
                    {
                        "position": 2,
                        "label": "其中：当年一般公共预算拨款",
                        "initial_budget": "340.00",
                        "spent_to_date": "179.40",
                        "rate_to_date_printed": "52.76%",
                        "expected_full_year": "335.00",
                        "note": None,
                    },
                    {
                        "position": 3,
                        "label": "其他资金",
                        "initial_budget": "20.00",
                        "spent_to_date": "10.00",
                        "rate_to_date_printed": "50.00%",
                        "expected_full_year": "20.00",
                        "note": "单位自有资金",
                    },
                    {
                        "position": 4,
                        "label": "上年结转资金",
                        "initial_budget": None,
                        "spent_to_date": None,
                        "rate_to_date_printed": None,
                        "expected_full_year": None,
                        "note": "all “/”",
                    },
                ],
                "check": "189.40/360.00 = 52.61%, 179.40/340.00 = 52.76%, 10.00/20.00 = 50.00%; "
                "340.00 + 20.00 = 360.00; 335.00 + 20.00 = 355.00",
            },
            "goals": {"annual": annual, "progress": progress},
            "indicators": indicators,
            "rows_ignored": dict(g.ignored),
            "deviation_analysis": cause,
            "suggestions": advice,
            "footer": {
                "filled_by": "李某",
                "phone": "0851-8XXXXXXX",
                "unit_head": "赵某",
                "date": "2022-08-10",
            },
            "validation": "every 有可能/不可能 row has both 偏差原因分析 and 改进措施 (a clean "
            "fixture); blank one of them to get the negative case",
        },
    )


def main():
    self_evaluation_standard()
    self_evaluation_langfang()
    self_evaluation_zhongjiang()
    self_evaluation_qingshen()
    target_table()
    monitoring_report()
    for path in sorted(HERE.glob("*.xlsx")):
        print(path.name)


if __name__ == "__main__":
    main()
