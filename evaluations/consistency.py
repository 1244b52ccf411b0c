"""Consistency checks of a self-evaluation table (../shared/domain.md §12).

Each check names its number in that table. Blocking checks stop a submission; flags are
shown to the department and the bureau beside the scores and stored with the table.

- #3 each score within its points, execution ≤ its points: scoring.py refuses it;
- #4 a zero budget: handled by scoring.execution, flagged here;
- #5 red flag: (indicator score/90 − execution score/10) ÷ (indicator score/90) > 0.05,
  more achievement claimed than money spent (one vendor system's rule);
- #6 yellow flag: (调整后预算 − 执行数) ÷ 调整后预算 > 20 %, or 调整后预算 = 0;
- #7 block: 执行率 < 90 % with no reason given (local variant, Sichuan);
- #8 flag: 执行率 < 50 %, a budget-cut candidate (local variant);
- #9 block: a target missed with no 偏差原因分析及改进措施 (scoring.py lists them).
"""

from dataclasses import dataclass
from decimal import Decimal

from .decimals import percent

RED_FLAG_SHARE = Decimal("0.05")
YELLOW_FLAG_UNSPENT = Decimal("0.20")
REASON_BELOW_RATE = Decimal("0.90")
CUT_CANDIDATE_RATE = Decimal("0.50")


@dataclass(frozen=True)
class Check:
    level: str  # "block", "red", "yellow"
    message: str

    def as_dict(self):
        return {"level": self.level, "message": self.message}


def execution_checks(
    *,
    rate: Decimal | None,
    adjusted_budget: Decimal | None,
    spent: Decimal,
    reason: str,
) -> list[Check]:
    """Return checks #4, #6, #7 and #8 on the fund block's total row."""
    checks = []
    if rate is None:
        checks.append(Check("yellow", "预算数为0，执行率无法计算，预算执行不计分（第4项）"))
    else:
        shown = percent(rate)
        if rate < REASON_BELOW_RATE and not reason.strip():
            checks.append(Check("block", f"预算执行率 {shown}% 低于90%，须说明原因（第7项）"))
        if rate < CUT_CANDIDATE_RATE:
            checks.append(
                Check("yellow", f"预算执行率 {shown}% 低于50%，列为压减预算对象（第8项）")
            )
    if adjusted_budget is not None:
        if adjusted_budget == 0:
            checks.append(Check("yellow", "调整后预算数为0（第6项）"))
        elif (adjusted_budget - spent) / adjusted_budget > YELLOW_FLAG_UNSPENT:
            unspent = percent((adjusted_budget - spent) / adjusted_budget)
            checks.append(Check("yellow", f"调整后预算有 {unspent}% 未执行，超过20%（第6项）"))
    return checks


def achievement_check(
    *,
    indicator_score: Decimal,
    indicator_points: Decimal,
    execution_score: Decimal | None,
    execution_points: Decimal,
) -> list[Check]:
    """Return check #5: more achievement claimed than money spent."""
    if execution_score is None or not indicator_points or not indicator_score:
        return []
    achieved = indicator_score / indicator_points
    spent = execution_score / execution_points if execution_points else Decimal(0)
    if (achieved - spent) / achieved > RED_FLAG_SHARE:
        return [
            Check(
                "red",
                f"指标得分率 {percent(achieved)}% 明显高于预算执行得分率 {percent(spent)}%："
                "资金未用完而目标全部完成，请核实（第5项）",
            )
        ]
    return []
