"""Monitoring rules (双监控): when a report shows a deviation and what it then owes.

Rules (../shared/domain.md §7 and §12 check 9):
- execution rate = 累计执行数 ÷ budget (调整后预算数 when there is one, else 年初预算数);
  a zero budget has no rate and is itself reported, never divided by a silent 1;
- execution lags when the rate is below the period's pace (序时进度, by default the share
  of the year elapsed: 1–7月 → 58.33 %), by the difference in percentage points;
- an indicator whose completion is 有可能 or 不可能 needs both a cause and a corrective
  measure, and so does a report whose execution lags.
"""

from dataclasses import dataclass
from decimal import Decimal

from .decimals import percent
from .indicators import Likelihood

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Execution:
    rate: Decimal | None  # %, None when the budget is zero
    lag: Decimal | None  # percentage points below the pace, 0 when on pace
    budget: Decimal


def execution(*, budget, adjusted_budget, spent, pace: Decimal) -> Execution:
    """Return the execution rate of a monitoring report and how far it lags the pace."""
    base = adjusted_budget if adjusted_budget is not None else budget
    if not base:
        return Execution(rate=None, lag=None, budget=base or Decimal(0))
    rate = percent(spent / base)
    return Execution(rate=rate, lag=max(Decimal(0), pace - rate), budget=base)


def lags(result: Execution) -> bool:
    """Return True if spending is behind the pace, or cannot be measured (zero budget)."""
    return result.rate is None or result.lag > 0


def uncertain(likelihood: str) -> bool:
    """Return True for a completion likelihood that is not 确定能."""
    return likelihood != Likelihood.CERTAIN


def report_problems(*, result: Execution, cause: str, measure: str, entries) -> list[str]:
    """Return what a monitoring report still owes before it can be submitted.

    entries are (indicator name, likelihood, cause, measure) tuples.
    """
    problems = []
    if result.rate is None:
        if not cause.strip():
            problems.append("预算数为0，无法计算执行率：请在偏差原因分析中说明")
    elif result.lag > 0 and not (cause.strip() and measure.strip()):
        problems.append(
            f"预算执行率 {result.rate}% 低于序时进度 {result.rate + result.lag}%"
            f"（滞后 {result.lag} 个百分点）：须填写偏差原因分析和改进措施"
        )
    for name, likelihood, entry_cause, entry_measure in entries:
        if not likelihood:
            problems.append(f"“{name}”：请选择完成目标可能性")
        elif uncertain(likelihood) and not (entry_cause.strip() and entry_measure.strip()):
            label = Likelihood(likelihood).label
            problems.append(f"“{name}”完成目标可能性为“{label}”：须填写原因分析和改进措施")
    return problems
