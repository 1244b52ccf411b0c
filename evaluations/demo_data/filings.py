"""The filings of a generated region-year: targets and their versions with indicators,
self-evaluation tables, monitoring reports, third-party sheets and the problems found.

Written from the plans evaluations.demo_data.province draws for each project, so a
version's funds are its project's lines and a self-evaluation's scores are the ones
evaluations.scoring gives for its entries.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from ..decimals import percent
from ..indicators import Likelihood
from ..models import (
    FundingLine,
    FundSource,
    IndicatorNode,
    MonitoringEntry,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    Problem,
    Project,
    SelfEvaluation,
    SelfEvaluationEntry,
    TargetVersion,
    ThirdPartyScore,
    ThirdPartySheet,
)
from ..workflow import FilingState
from .indicators import FIRST_OF, version_nodes

MONITORING_SHARE = 0.5
REVIEW = {FilingState.RETURNED: "中", FilingState.REJECTED: "差", FilingState.SUPERSEDED: "良"}


def at(year: int, month: int, day: int) -> datetime:
    """Return a generated timestamp: 9:00 UTC on the day."""
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@dataclass
class Plan:
    """One project of a region-year before it is written: what each of its rows will be."""

    project: Project
    lines: list[FundingLine]
    target: PerformanceTarget
    version_states: list[str]
    targets: list
    sheet_scores: list[Decimal] | None = None
    self_evaluation: tuple | None = None  # (state, budget, spent, SelfScores)
    versions: list[TargetVersion] = field(default_factory=list)


class FilingWriter:
    """Write one region's filings; create(model, rows) inserts and counts the rows."""

    def __init__(self, *, create, rng, region, last_year, own_framework, firm_framework):
        self.create, self.rng, self.region, self.last_year = create, rng, region, last_year
        self.own_framework, self.firm_framework = own_framework, firm_framework
        self.firm_leaves = list(
            IndicatorNode.objects.filter(framework=firm_framework, level=3).order_by(
                "parent__parent__position", "parent__position", "position"
            )
        )

    def versions(self, plans: list[Plan]) -> None:
        """Write each plan's target versions and their indicator trees, level by level."""
        rows = []
        for plan in plans:
            funds = sum((line.amount for line in plan.lines), Decimal(0)) if plan.lines else None
            fiscal = (funds * Decimal("0.8")).quantize(Decimal("0.000001")) if funds else None
            year = plan.target.year
            for number, state in enumerate(plan.version_states, start=1):
                reviewed = state not in (FilingState.DRAFT, FilingState.SUBMITTED)
                grade = REVIEW.get(state, "优") if reviewed else ""
                plan.versions.append(
                    TargetVersion(
                        target=plan.target,
                        number=number,
                        state=state,
                        framework=self.own_framework,
                        overall_goal=f"{plan.target.project_name or plan.target.unit.name}"
                        "按期完成年度任务，资金使用规范高效，服务对象满意",
                        long_term_goal="建立长效机制，持续提升公共服务水平",
                        funds_total=funds,
                        funds_fiscal=fiscal,
                        funds_other=funds - fiscal if funds else None,
                        reason="年中预算调整，相应调整绩效目标" if number > 1 else "",
                        review_grade=grade,
                        first_review_grade=grade,
                        review_comment="同意"
                        if grade in ("优", "良")
                        else ("请修改" if grade else ""),
                        submitted_at=at(year - 1, 11, 1) if state != FilingState.DRAFT else None,
                        approved_at=at(year - 1, 12, 20) if state == FilingState.APPROVED else None,
                    )
                )
                rows.append(plan.versions[-1])
        self.create(TargetVersion, rows)
        levels = [[], [], []]
        for plan in plans:
            for version in plan.versions:
                firsts, seconds, leaves = version_nodes(version, plan.targets)
                for second, first in zip(seconds, FIRST_OF, strict=True):
                    second.parent = firsts[first]
                for leaf, second in zip(leaves, seconds, strict=True):
                    leaf.parent = second
                version.leaves = leaves
                for level, rows_ in zip(levels, (firsts, seconds, leaves), strict=True):
                    level.extend(rows_)
        for level in levels:
            self.create(IndicatorNode, level)

    def self_evaluations(self, plans: list[Plan]) -> None:
        """Write the planned self-evaluation tables, their entries and fund blocks."""
        chosen = [plan for plan in plans if plan.self_evaluation]
        tables = []
        for plan in chosen:
            state, budget, spent, scores = plan.self_evaluation
            result = scores.result
            tables.append(
                SelfEvaluation(
                    target=plan.target,
                    version=plan.versions[-1],
                    framework=self.own_framework,
                    funding_line=plan.lines[0] if len(plan.lines) == 1 else None,
                    state=state,
                    initial_budget=budget,
                    full_year_budget=budget,
                    spent=spent,
                    execution_reason="" if spent * 10 >= budget * 9 else "项目实施进度滞后",
                    goal_actual="年度总体目标基本完成",
                    conclusion="项目立项规范，资金使用合规，绩效目标基本实现",
                    execution_rate=percent(result.execution.rate),
                    execution_score=result.execution_score,
                    total=scores.total,
                    grade=scores.grade,
                    submitted_at=at(plan.target.year + 1, 3, 1)
                    if state != FilingState.DRAFT
                    else None,
                )
            )
        self.create(SelfEvaluation, tables)
        entries, sources = [], []
        for plan, table in zip(chosen, tables, strict=True):
            scores = plan.self_evaluation[3]
            for i, leaf in enumerate(plan.versions[-1].leaves):
                item = scores.result.indicators[i]
                entries.append(
                    SelfEvaluationEntry(
                        self_evaluation=table,
                        indicator=leaf,
                        actual_value="" if scores.actuals[i] is None else f"{scores.actuals[i]}",
                        actual_number=scores.actuals[i],
                        tier=scores.tiers[i],
                        entered_score=scores.entered[i],
                        reason=scores.reasons[i],
                        ceiling=item.ceiling,
                        score=item.score,
                        missed=item.missed,
                    )
                )
            sources.append(
                FundSource(
                    self_evaluation=table,
                    position=1,
                    label="其中：财政拨款",
                    initial_budget=table.full_year_budget,
                    full_year_budget=table.full_year_budget,
                    spent=table.spent,
                )
            )
        self.create(SelfEvaluationEntry, entries)
        self.create(FundSource, sources)

    def monitoring(self, year: int, plans: list[Plan]) -> None:
        """Write the year's 1–6月 period and reports on about half the approved project targets."""
        [period] = self.create(
            MonitoringPeriod,
            [
                MonitoringPeriod(
                    region=self.region, year=year, end_month=6, due_date=date(year, 7, 15)
                )
            ],
        )
        last = year == self.last_year
        chosen = [
            plan
            for plan in plans
            if plan.version_states[-1] == FilingState.APPROVED
            and self.rng.random() < MONITORING_SHARE
        ]
        states = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED)
        reports = []
        for k, plan in enumerate(chosen):
            version = plan.versions[-1]
            spent = (version.funds_total * Decimal(self.rng.randint(20, 70)) / 100).quantize(
                Decimal("0.000001")
            )
            state = states[k % 4] if last and k % 4 < 3 else FilingState.APPROVED
            reports.append(
                MonitoringReport(
                    period=period,
                    target=plan.target,
                    version=version,
                    state=state,
                    budget=version.funds_total,
                    spent=spent,
                    expected_spent=version.funds_total,
                    cause="" if spent * 2 >= version.funds_total else "项目招标尚未完成",
                    measure="" if spent * 2 >= version.funds_total else "加快实施进度",
                    submitted_at=at(year, 7, 10) if state != FilingState.DRAFT else None,
                )
            )
        self.create(MonitoringReport, reports)
        entries, sources = [], []
        for plan, report in zip(chosen, reports, strict=True):
            for leaf in plan.versions[-1].leaves:
                half = (
                    (leaf.target_number / 2).quantize(Decimal("0.01")) if leaf.quantitative else ""
                )
                entries.append(
                    MonitoringEntry(
                        report=report,
                        indicator=leaf,
                        progress=f"{half}" if leaf.quantitative else "正在推进",
                        expected=leaf.target_value,
                        likelihood=Likelihood.CERTAIN
                        if self.rng.random() < 0.9
                        else Likelihood.POSSIBLE,
                    )
                )
            sources.append(
                FundSource(
                    monitoring_report=report,
                    position=1,
                    label="其中：财政拨款",
                    initial_budget=report.budget,
                    spent=report.spent,
                )
            )
        self.create(MonitoringEntry, entries)
        self.create(FundSource, sources)

    def sheets(self, plans: list[Plan]) -> None:
        """Write the planned third-party sheets: one score per 三级 of the firm framework."""
        chosen = [plan for plan in plans if plan.sheet_scores is not None]
        sheets = self.create(
            ThirdPartySheet,
            [
                ThirdPartySheet(
                    project=plan.project,
                    framework=self.firm_framework,
                    summary=f"综合评价得分 {plan.project.score} 分，等级为“{plan.project.grade}”",
                    total=plan.project.score,
                )
                for plan in chosen
            ],
        )
        self.create(
            ThirdPartyScore,
            [
                ThirdPartyScore(
                    sheet=sheet,
                    indicator=leaf,
                    score=score,
                    finding="" if score == leaf.points else "部分内容不够完善",
                )
                for plan, sheet in zip(chosen, sheets, strict=True)
                for leaf, score in zip(self.firm_leaves, plan.sheet_scores, strict=True)
            ],
        )

    def problems(self, year: int, evaluations, plans: list[Plan]) -> None:
        """Write a problem for every 中 or 差 evaluation; past years' mostly verified."""
        last = year == self.last_year
        rows = []
        found = [(e, None) for e in evaluations if e.grade in ("中", "差")]
        found += [(None, p.project) for p in plans if p.project.grade in ("中", "差")]
        for k, (evaluation, project) in enumerate(found):
            if last:
                state = (Problem.State.OPEN, Problem.State.REPORTED)[k % 2]
            else:
                state = Problem.State.VERIFIED if k % 5 else Problem.State.REPORTED
            owner = evaluation or project
            rows.append(
                Problem(
                    region=self.region,
                    year=year,
                    unit=owner.unit,
                    project=project,
                    unit_evaluation=evaluation,
                    source=Problem.Source.FIRM if k % 3 else Problem.Source.BUREAU,
                    description="绩效目标设置不够细化，部分指标未完成，资金支付进度偏慢",
                    deadline=date(year + 1, 9, 30),
                    state=state,
                    measure="完善目标设置，加快资金支付" if state != Problem.State.OPEN else "",
                    report="已完成整改" if state != Problem.State.OPEN else "",
                    reported_at=at(year + 1, 9, 1) if state != Problem.State.OPEN else None,
                    verification="整改到位" if state == Problem.State.VERIFIED else "",
                    verified_at=at(year + 1, 10, 1) if state == Problem.State.VERIFIED else None,
                )
            )
        self.create(Problem, rows)
