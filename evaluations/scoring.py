"""Scoring of the self-evaluation table (项目支出绩效自评表), the rules in one place.

Rules (财预〔2020〕10号 attachment 1, as restated in ../shared/domain.md §5):
- budget execution: 执行率 = 全年执行数 ÷ 全年预算数 (or 调整后预算数, a setting);
  得分 = 执行率 × 分值 (10), never above 分值. A zero budget is handled explicitly: the rate
  cannot be computed, the item is not applicable and the total is rescaled — never a
  silent division by 1 as one vendor system does;
- quantitative indicators (定量): full points when the target is reached; otherwise
  正向 (≥, >) actual ÷ target × points, 反向 (≤, <) target ÷ actual × points, and for "="
  the smaller of the two ratios; never above the points, never below 0;
- qualitative indicators (定性): the reviewer's tier — 达成预期指标 80–100 % of the points,
  部分达成预期指标并具有一定效果 50–80 %, 未达成预期指标且效果较差 0–50 % (lower edges
  inclusive, the 80 % edge belonging to 达成);
- the formula gives the default and the ceiling: whoever scores may enter less, with a
  reason for the deduction, never more;
- not-applicable indicators are dropped and the rest rescaled to the full 100;
- 总分 = execution score + Σ indicator scores, rounded by the setting (two places, half up);
  where a region prints 总分 without the execution score (execution_in_total off), 总分 is
  the indicators' sum and their points carry the whole 100.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from .decimals import to_decimal

HUNDRED = Decimal(100)


class Operator(models.TextChoices):
    GE = "≥", "≥"
    GT = ">", ">"
    LE = "≤", "≤"
    LT = "<", "<"
    EQ = "=", "="


def operator_of(written: str, direction: str = "") -> str:
    """Return the operator a target is scored under: as written; else ≤ for an indicator
    stated 反向 (lower is better), and ≥ otherwise ("100%", "20万元" written alone, as county
    tables do for rates and amounts)."""
    if written:
        return written
    return Operator.LE if direction == "negative" else Operator.GE


class Tier(models.TextChoices):
    MET = "met", "达成预期指标"
    PARTLY = "partly", "部分达成预期指标并具有一定效果"
    MISSED = "missed", "未达成预期指标且效果较差"


# Share of an indicator's points each qualitative tier allows: [low, high].
TIER_SHARES = {
    Tier.MET: (Decimal("0.80"), Decimal("1.00")),
    Tier.PARTLY: (Decimal("0.50"), Decimal("0.80")),
    Tier.MISSED: (Decimal("0"), Decimal("0.50")),
}


class Denominator(models.TextChoices):
    FULL_YEAR = "full_year", "全年预算数"
    ADJUSTED = "adjusted", "调整后预算数"


@dataclass(frozen=True)
class ScoringSettings:
    """What regions set differently: the execution denominator, points and rounding."""

    denominator: str = Denominator.FULL_YEAR
    execution_points: Decimal = Decimal(10)
    places: int = 2
    # Some counties print 总分 as the indicators' sum alone, the execution score beside it
    # (their indicators then carry the whole 100): a setting, not a different formula.
    execution_in_total: bool = True
    rounding: str = ROUND_HALF_UP

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=self.rounding)


SETTINGS_DEFAULT = ScoringSettings()


class ScoringError(ValueError):
    """An entered score the rules do not allow; the message is for the person scoring."""


@dataclass(frozen=True)
class Execution:
    rate: Decimal | None  # None when the budget is zero
    ceiling: Decimal | None  # None: not applicable
    note: str = ""


def execution(*, full_year_budget, adjusted_budget=None, spent, settings=ScoringSettings()):
    """Return the budget execution rate and its score ceiling under the settings."""
    budget = full_year_budget
    if settings.denominator == Denominator.ADJUSTED and adjusted_budget is not None:
        budget = adjusted_budget
    if budget is None or spent is None:
        raise ScoringError("预算数和执行数都要填写")
    if budget < 0 or spent < 0:
        raise ScoringError("预算数和执行数不能为负数")
    if budget == 0:
        return Execution(rate=None, ceiling=None, note="预算数为0，执行率无法计算，预算执行不计分")
    rate = to_decimal(spent) / to_decimal(budget)
    return Execution(rate=rate, ceiling=min(rate, Decimal(1)) * settings.execution_points)


def reached(operator: str, target: Decimal, actual: Decimal) -> bool:
    """Return True if the actual value meets the target under the operator."""
    return {
        Operator.GE: actual >= target,
        Operator.GT: actual > target,
        Operator.LE: actual <= target,
        Operator.LT: actual < target,
        Operator.EQ: actual == target,
    }[operator]


def quantitative_ceiling(*, operator: str, target: Decimal, actual: Decimal, points: Decimal):
    """Return the most a quantitative indicator may score (the formula's result)."""
    if reached(operator, target, actual):
        return points
    if operator in (Operator.GE, Operator.GT):
        ratio = actual / target if target else Decimal(0)
    elif operator in (Operator.LE, Operator.LT):
        ratio = target / actual if actual else Decimal(0)
    else:
        ratios = [
            r
            for r in (actual / target if target else None, target / actual if actual else None)
            if r is not None
        ]
        ratio = min(ratios, default=Decimal(0))
    return max(Decimal(0), min(ratio, Decimal(1))) * points


def qualitative_range(tier: str, points: Decimal) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest score a qualitative tier allows."""
    low, high = TIER_SHARES[tier]
    return low * points, high * points


@dataclass
class Indicator:
    """One 三级 indicator as the self-evaluation table holds it."""

    name: str
    points: Decimal
    quantitative: bool = True
    operator: str = Operator.GE
    target: Decimal | None = None
    actual: Decimal | None = None
    tier: str | None = None
    entered: Decimal | None = None  # a score typed by the person scoring, if any
    reason: str = ""  # why a deduction, or why the target was missed
    applicable: bool = True


@dataclass
class IndicatorScore:
    indicator: Indicator
    ceiling: Decimal
    score: Decimal
    missed: bool
    problems: list[str] = field(default_factory=list)


def score_indicator(indicator: Indicator, settings=SETTINGS_DEFAULT) -> IndicatorScore:
    """Return the indicator's score: the entered one if allowed, else the formula's."""
    points = indicator.points
    problems = []
    if indicator.quantitative:
        if indicator.target is None or indicator.actual is None:
            raise ScoringError(f"“{indicator.name}”：定量指标要填写指标值和实际完成值")
        ceiling = quantitative_ceiling(
            operator=indicator.operator,
            target=indicator.target,
            actual=indicator.actual,
            points=points,
        )
        missed = not reached(indicator.operator, indicator.target, indicator.actual)
        floor = Decimal(0)
        default = ceiling
    else:
        if indicator.tier is None:
            raise ScoringError(f"“{indicator.name}”：定性指标要选择评价档次")
        floor, ceiling = qualitative_range(indicator.tier, points)
        missed = indicator.tier != Tier.MET
        default = ceiling if indicator.tier == Tier.MET else None
    # The ceiling as the table shows it: 2/3 × 10 is shown, entered and allowed as 6.67.
    ceiling = settings.round(ceiling)
    if default is not None:
        default = settings.round(default)
    score = indicator.entered if indicator.entered is not None else default
    if score is None:
        tier = Tier(indicator.tier).label
        raise ScoringError(f"“{indicator.name}”：{tier}须在 {floor:.2f}–{ceiling:.2f} 分之间打分")
    if score > ceiling:
        raise ScoringError(f"“{indicator.name}”：得分 {score} 超过允许的 {ceiling:.2f} 分")
    if not indicator.quantitative and indicator.tier != Tier.MET and score == ceiling:
        # The upper edge belongs to the tier above (80 % is 达成, 50 % is 部分达成).
        raise ScoringError(f"“{indicator.name}”：该档次得分须低于 {ceiling:.2f} 分")
    if score < floor:
        raise ScoringError(f"“{indicator.name}”：得分 {score} 低于该档次的 {floor:.2f} 分")
    if missed and not indicator.reason.strip():
        problems.append(f"“{indicator.name}”未达成目标，须填写偏差原因分析及改进措施")
    elif score < ceiling and not indicator.reason.strip() and indicator.quantitative:
        problems.append(f"“{indicator.name}”扣分 {ceiling - score:.2f}，须说明扣分理由")
    return IndicatorScore(indicator, ceiling, score, missed, problems)


@dataclass
class SelfEvaluation:
    execution: Execution
    execution_score: Decimal | None
    indicators: list[IndicatorScore]
    total: Decimal
    problems: list[str]


def self_evaluation_total(
    *,
    execution_result: Execution,
    execution_entered=None,
    indicators: list[Indicator],
    settings=ScoringSettings(),
) -> SelfEvaluation:
    """Return the table's scores and 总分, rescaled to 100 over what is applicable.

    problems lists the reasons the table still owes (missed targets, deductions); a table
    with problems is not ready to submit, its scores are nonetheless computed.
    """
    scored = [score_indicator(i, settings) for i in indicators if i.applicable]
    possible = sum((s.indicator.points for s in scored), Decimal(0))
    earned = sum((s.score for s in scored), Decimal(0))
    execution_score = None
    if execution_result.ceiling is not None:
        execution_score = settings.round(execution_result.ceiling)
        if execution_entered is not None:
            if execution_entered > execution_score:
                raise ScoringError(
                    f"预算执行得分 {execution_entered} 超过允许的 {execution_score:.2f} 分"
                )
            execution_score = execution_entered
        if settings.execution_in_total:
            possible += settings.execution_points
            earned += execution_score
    full = sum((i.points for i in indicators), Decimal(0))
    if settings.execution_in_total:
        full += settings.execution_points
    if possible == 0:
        raise ScoringError("没有可以计分的项目")
    total = earned if possible == full else earned * full / possible
    problems = [p for s in scored for p in s.problems]
    return SelfEvaluation(
        execution=execution_result,
        execution_score=execution_score,
        indicators=scored,
        total=settings.round(total),
        problems=problems,
    )
