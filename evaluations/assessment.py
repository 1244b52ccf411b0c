"""The assessment of a department's performance-management work (绩效管理工作考核).

Each rule gives a share (0–1) of its points from what the system holds for the unit and
the year; the template sets the points (100 in all by default) and the due dates. A rule
with nothing to judge (no monitoring was owed, no problem was found) gives its full
points and says so: a unit is not marked down for work it was not asked to do.

1 targets_on_time: targets filed (first submitted) by the target due date ÷ the unit's
  targets; a unit with no target at all gets nothing (a 部门整体 target is always owed);
2 target_quality: the mean of the first review's grade (优 1, 良 0.8, 中 0.6, 差 0) over the
  reviewed targets: the quality of what was filed, before any return;
3 monitoring_on_time: reports submitted by each period's due date ÷ reports owed (one
  per approved target per period);
4 self_evaluation_on_time: self-evaluations submitted by the due date ÷ approved targets;
5 self_evaluation_consistent: submitted self-evaluations without a red flag (§12 #5) ÷
  submitted ones;
6 rectification_on_time: problems with a deadline reported by it and verified ÷ problems
  whose deadline has passed;
7 disclosure: the unit's evaluations released ÷ its approved or released evaluations.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
REVIEW_SHARE = {"优": Decimal(1), "良": Decimal("0.8"), "中": Decimal("0.6"), "差": Decimal(0)}

RULES = (
    ("targets_on_time", "绩效目标按时申报"),
    ("target_quality", "绩效目标审核等级"),
    ("monitoring_on_time", "绩效监控按时报送"),
    ("self_evaluation_on_time", "绩效自评按时完成"),
    ("self_evaluation_consistent", "自评结果真实一致"),
    ("rectification_on_time", "问题按期整改"),
    ("disclosure", "评价结果公开"),
)


@dataclass
class Facts:
    """What the system holds for one unit and year (selectors.assessment gathers it)."""

    targets: int = 0
    targets_on_time: int = 0
    review_grades: tuple = ()
    reports_owed: int = 0
    reports_on_time: int = 0
    self_evaluations_owed: int = 0
    self_evaluations_on_time: int = 0
    self_evaluations_submitted: int = 0
    self_evaluations_red: int = 0
    problems_due: int = 0
    problems_on_time: int = 0
    evaluations_done: int = 0
    evaluations_released: int = 0


def _ratio(done: int, owed: int, *, none_owed_full=True):
    if owed == 0:
        return (Decimal(1) if none_owed_full else Decimal(0)), "无应完成事项"
    return Decimal(done) / Decimal(owed), f"{done}/{owed}"


def shares(facts: Facts) -> dict[str, tuple[Decimal, str]]:
    """Return each rule's share and the count it was judged on."""
    quality = (
        (
            sum((REVIEW_SHARE[g] for g in facts.review_grades), Decimal(0))
            / len(facts.review_grades),
            "审核等级：" + "、".join(facts.review_grades),
        )
        if facts.review_grades
        else (Decimal(0), "无已审核的目标")
    )
    return {
        "targets_on_time": _ratio(facts.targets_on_time, facts.targets, none_owed_full=False),
        "target_quality": quality,
        "monitoring_on_time": _ratio(facts.reports_on_time, facts.reports_owed),
        "self_evaluation_on_time": _ratio(
            facts.self_evaluations_on_time, facts.self_evaluations_owed
        ),
        "self_evaluation_consistent": _ratio(
            facts.self_evaluations_submitted - facts.self_evaluations_red,
            facts.self_evaluations_submitted,
        ),
        "rectification_on_time": _ratio(facts.problems_on_time, facts.problems_due),
        "disclosure": _ratio(facts.evaluations_released, facts.evaluations_done),
    }


def score(facts: Facts, template) -> tuple[Decimal, list[dict]]:
    """Return the unit's computed score and its breakdown (one line per rule)."""
    breakdown = []
    total = Decimal(0)
    for key, label in RULES:
        share, basis = shares(facts)[key]
        points = getattr(template, key)
        earned = (points * share).quantize(TWO_PLACES, ROUND_HALF_UP)
        total += earned
        breakdown.append(
            {
                "rule": key,
                "label": label,
                "points": str(points.quantize(TWO_PLACES)),
                "share": str((share * 100).quantize(TWO_PLACES, ROUND_HALF_UP)),
                "earned": str(earned),
                "basis": basis,
            }
        )
    return total, breakdown
