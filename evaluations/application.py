"""Result application rules (结果应用): the decision an evaluation's result proposes.

Rules (../shared/domain.md §9; the defaults follow the Sichuan city rule set, a local
variant, so each region sets its own in ApplicationRules):
- the grade proposes: 优 → 优先保障, 良 → 合理保障, 中 → 压减 by the rules' share, 差 →
  取消或暂停;
- an execution rate below the floor (50 % by default) proposes at least a cut: "an
  execution rate < 50 % may bring budget cuts";
- overdue, unrectified problems step the proposal down one level ("no or poor
  rectification → budget reduced");
- the bureau confirms or overrides; an override needs a reason (services.application).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .decimals import exact
from .grading import Grade
from .models.application import Action

# From most to least favourable: stepping down moves right.
LADDER = (Action.PRIORITY, Action.KEEP, Action.CUT, Action.CANCEL)


@dataclass(frozen=True)
class Proposal:
    action: str
    share: Decimal | None  # % to cut, for a cut
    grounds: list[str] = field(default_factory=list)


def _step_down(action: str) -> str:
    return LADDER[min(LADDER.index(action) + 1, len(LADDER) - 1)]


def propose(*, grade: str, rules, execution_rate: Decimal | None = None, overdue: int = 0):
    """Return the decision the rules propose for an approved evaluation.

    execution_rate is the self-evaluation's budget execution rate in % (None if unknown);
    overdue counts the evaluation's problems past their deadline and not verified.
    """
    by_grade = {
        Grade.EXCELLENT: rules.excellent,
        Grade.GOOD: rules.good,
        Grade.FAIR: rules.fair,
        Grade.POOR: rules.poor,
    }
    action = by_grade[grade]
    grounds = [f"评价等级为“{grade}”：{Action(action).label}"]
    floor = rules.execution_floor
    if execution_rate is not None and execution_rate < floor and LADDER.index(action) < 2:
        action = Action.CUT
        grounds.append(f"预算执行率 {exact(execution_rate)}% 低于 {exact(floor)}%：压减预算")
    if overdue and rules.unrectified_steps_down:
        stepped = _step_down(action)
        if stepped != action:
            before, after = Action(action).label, Action(stepped).label
            grounds.append(f"有 {overdue} 个问题逾期未整改：由“{before}”降为“{after}”")
            action = stepped
    share = rules.cut_share if action == Action.CUT else None
    return Proposal(action=action, share=share, grounds=grounds)


def next_year_amount(*, base: Decimal | None, action: str, share: Decimal | None):
    """Return the amount a decision implies for next year, or None where it is a judgement
    (priority and keep are decided in the budget, not by a formula)."""
    if base is None:
        return None
    if action == Action.CANCEL:
        return Decimal(0)
    if action == Action.CUT and share is not None:
        return base * (Decimal(100) - share) / Decimal(100)
    return None
