"""The indicator trees of a generated province: the region's two frameworks and the tree
every generated target files, with the actual values and scores a self-evaluation gives.

Scores come from evaluations.scoring and grades from evaluations.grading, exactly as the
services compute them, so a generated table agrees with one filled in by hand.
"""

from dataclasses import dataclass
from decimal import Decimal

from .. import scoring
from ..grading import grade_for
from ..indicators import SELF_EVALUATION_TREE, THIRD_PARTY_TREE, Direction
from ..models import Framework, IndicatorNode
from ..scoring import Operator, Tier

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Leaf:
    """A 三级 indicator every generated target has: where it sits and how its value reads."""

    first: str
    second: str
    name: str
    points: Decimal
    unit: str  # "" for a qualitative indicator
    low: int  # the range its target number is drawn from
    high: int


LEAVES = (
    Leaf("产出指标", "数量指标", "完成建设（服务）任务数", Decimal(20), "个", 5, 200),
    Leaf("产出指标", "质量指标", "验收合格率", Decimal(15), "%", 90, 100),
    Leaf("产出指标", "时效指标", "按期完成率", Decimal(15), "%", 85, 100),
    Leaf("效益指标", "社会效益指标", "受益群众人数", Decimal(20), "人", 500, 50000),
    Leaf("效益指标", "可持续影响指标", "长效管护机制", Decimal(10), "", 0, 0),
    Leaf("满意度指标", "服务对象满意度指标", "服务对象满意度", Decimal(10), "%", 85, 95),
)
QUALITATIVE_TARGET = "建立并有效运行"


def frameworks(region, create) -> tuple[Framework, Framework]:
    """Write the region's self-evaluation and third-party frameworks with their trees,
    level by level through create(model, rows)."""
    own, firm = create(
        Framework,
        [
            Framework(
                purpose=Framework.Purpose.SELF_EVALUATION,
                name=f"{region.name}绩效目标及自评指标体系",
                region=region,
            ),
            Framework(
                purpose=Framework.Purpose.THIRD_PARTY,
                name=f"{region.name}第三方评价指标体系",
                region=region,
            ),
        ],
    )
    firsts, seconds, thirds = [], [], []
    for position, (name, points, names) in enumerate(SELF_EVALUATION_TREE):
        root = IndicatorNode(framework=own, level=1, position=position, name=name, points=points)
        firsts.append(root)
        seconds += [
            IndicatorNode(framework=own, parent=root, level=2, position=i, name=second)
            for i, second in enumerate(names)
        ]
    for position, (name, points, groups) in enumerate(THIRD_PARTY_TREE):
        root = IndicatorNode(framework=firm, level=1, position=position, name=name, points=points)
        firsts.append(root)
        for i, (second, leaves) in enumerate(groups):
            group = IndicatorNode(
                framework=firm,
                parent=root,
                level=2,
                position=i,
                name=second,
                points=sum((Decimal(p) for _, p in leaves), Decimal(0)),
            )
            seconds.append(group)
            thirds += [
                IndicatorNode(
                    framework=firm,
                    parent=group,
                    level=3,
                    position=j,
                    name=leaf,
                    points=Decimal(p),
                    quantitative=False,
                    target_value="按评价标准",
                )
                for j, (leaf, p) in enumerate(leaves)
            ]
    for level in (firsts, seconds, thirds):
        create(IndicatorNode, level)
    return own, firm


def target_values(rng) -> list[Decimal | None]:
    """Draw the target number of each leaf (None for the qualitative one)."""
    return [Decimal(rng.randint(leaf.low, leaf.high)) if leaf.unit else None for leaf in LEAVES]


def version_nodes(version, targets: list[Decimal | None]):
    """Return the version's tree as (一级 rows, 二级 rows, 三级 rows), parents unset.

    二级 i belongs to the 一级 named LEAVES[i].first; 三级 i to 二级 i.
    """
    firsts = []
    for position, (name, points, _) in enumerate(SELF_EVALUATION_TREE):
        firsts.append(
            IndicatorNode(version=version, level=1, position=position, name=name, points=points)
        )
    seconds, leaves = [], []
    for i, (leaf, target) in enumerate(zip(LEAVES, targets, strict=True)):
        seconds.append(
            IndicatorNode(
                version=version, level=2, position=i, name=leaf.second, points=leaf.points
            )
        )
        quantitative = bool(leaf.unit)
        leaves.append(
            IndicatorNode(
                version=version,
                level=3,
                position=0,
                name=leaf.name,
                points=leaf.points,
                operator=Operator.GE if quantitative else "",
                target_value=f"{target}" if quantitative else QUALITATIVE_TARGET,
                target_number=target,
                unit_of_measure=leaf.unit,
                quantitative=quantitative,
                direction=Direction.POSITIVE if quantitative else "",
                scoring_rule="完成值达到指标值得满分，未达到按比例计分",
                core=i == 0,
                common=False,
            )
        )
    return firsts, seconds, leaves


FIRST_OF = [
    next(i for i, (name, _, _) in enumerate(SELF_EVALUATION_TREE) if name == leaf.first)
    for leaf in LEAVES
]


@dataclass
class SelfScores:
    actuals: list[Decimal | None]
    tiers: list[str]
    entered: list[Decimal | None]
    reasons: list[str]
    result: scoring.SelfEvaluation

    @property
    def total(self) -> Decimal:
        return self.result.total

    @property
    def grade(self) -> str:
        return grade_for(self.result.total)


def self_scores(rng, targets, *, budget: Decimal, spent: Decimal) -> SelfScores:
    """Draw each leaf's actual value (most reach their target) and score the table."""
    actuals, tiers, entered, reasons, indicators = [], [], [], [], []
    for leaf, target in zip(LEAVES, targets, strict=True):
        if leaf.unit:
            share = Decimal(rng.choice((100, 100, 100, 100, 98, 95, 90, 80, 105)))
            actual = (target * share / 100).quantize(HUNDREDTH)
            if leaf.unit == "%":
                actual = min(actual, Decimal(100))
            tier, score = "", None
        else:
            actual = None
            tier = Tier.MET if rng.random() < 0.85 else Tier.PARTLY
            low, _ = scoring.TIER_SHARES[tier]
            score = None if tier == Tier.MET else (low * leaf.points).quantize(HUNDREDTH)
        missed = (actual is not None and actual < target) or tier == Tier.PARTLY
        reason = "受实施进度影响未全部完成，已督促整改" if missed else ""
        actuals.append(actual)
        tiers.append(tier)
        entered.append(score)
        reasons.append(reason)
        indicators.append(
            scoring.Indicator(
                name=leaf.name,
                points=leaf.points,
                quantitative=bool(leaf.unit),
                operator=Operator.GE,
                target=target,
                actual=actual,
                tier=tier or None,
                entered=score,
                reason=reason,
            )
        )
    execution = scoring.execution(full_year_budget=budget, spent=spent)
    result = scoring.self_evaluation_total(execution_result=execution, indicators=indicators)
    return SelfScores(actuals, tiers, entered, reasons, result)
