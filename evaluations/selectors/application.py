"""Reads of result application (结果应用): the rules that apply, what the proposals are
made from, and the year's table of decisions with its summary.

One function builds the table's rows and the summary is added up from those rows, so the
page, its downloads and its totals cannot disagree. Sums are Decimal, added in Python
from the stored values (SQLite would add them as floats).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .. import policies
from ..grading import Grade
from ..models import (
    Action,
    ApplicationRules,
    BudgetDecision,
    FundingLine,
    PerformanceTarget,
    Problem,
    Project,
    SelfEvaluation,
    UnitEvaluation,
)
from ..workflow import FilingState, State
from .rectification import overdue_condition
from .scopes import most_specific

# The evaluations a decision is made for: approved by the bureau, released or not yet.
DECIDABLE = (State.APPROVED, State.RELEASED)
UNIT_KIND, PROJECT_KIND = "部门整体", "重点项目"


def rules_for(*, region, year) -> ApplicationRules:
    """Return the rules that apply (selectors.scopes.most_specific); without any row, the
    built-in defaults (an unsaved ApplicationRules())."""
    found = most_specific(ApplicationRules.objects.all(), region=region, year=year)
    return found or ApplicationRules()


def _overdue_count(field: str, today) -> Coalesce:
    """Return the number of overdue problems of the evaluation (field: the problem's FK)."""
    overdue = (
        Problem.objects.filter(overdue_condition(today), **{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(overdue), 0)


def _approved_rate(**target) -> Subquery:
    """Return the execution rate (%) of the approved self-evaluation of the target."""
    return Subquery(
        SelfEvaluation.objects.filter(
            state=FilingState.APPROVED, **{f"target__{k}": v for k, v in target.items()}
        ).values("execution_rate")[:1]
    )


def decidable_unit_evaluations(*, region, year, today) -> QuerySet[UnitEvaluation]:
    """Return the approved or released unit evaluations of the year, each with its overdue
    problems (overdue_problems) and the execution rate of the unit's approved
    self-evaluation of its overall target (execution_rate, None without one)."""
    return (
        UnitEvaluation.objects.filter(
            region=region, year=year, state__in=DECIDABLE, score__isnull=False
        )
        .select_related("unit")
        .annotate(
            overdue_problems=_overdue_count("unit_evaluation", today),
            execution_rate=_approved_rate(
                scope=PerformanceTarget.Scope.UNIT,
                region=OuterRef("region"),
                year=OuterRef("year"),
                unit=OuterRef("unit"),
            ),
        )
    )


def decidable_projects(*, region, year, today) -> QuerySet[Project]:
    """Return the approved or released project evaluations of the year, each with its funds
    (funds: Σ funding lines), its overdue problems and the execution rate of the approved
    self-evaluation of its target."""
    funds = (
        FundingLine.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Project.objects.filter(
        region=region, year=year, state__in=DECIDABLE, score__isnull=False
    ).annotate(
        funds=Subquery(funds),
        overdue_problems=_overdue_count("project", today),
        execution_rate=_approved_rate(evaluation=OuterRef("pk")),
    )


def _with_share(action: str, share: Decimal | None) -> str:
    if not action:
        return ""
    label = Action(action).label
    return (
        f"{label} {share.normalize():f}%" if action == Action.CUT and share is not None else label
    )


@dataclass(frozen=True)
class ApplicationRow:
    """One evaluation's line of the year's application table."""

    decision: BudgetDecision
    kind: str
    name: str
    grade: str
    score: Decimal | None
    proposal: str
    decided: str
    base_amount: Decimal | None
    next_year_amount: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """Return next year's amount less this year's, where both are known."""
        if self.base_amount is None or self.next_year_amount is None:
            return None
        return self.next_year_amount - self.base_amount

    @property
    def action(self) -> str:
        return self.decision.action


def application_row(decision: BudgetDecision) -> ApplicationRow:
    """Return one decision's row; its evaluation is fetched with it (application_rows)."""
    evaluation = decision.evaluation
    unit_side = decision.unit_evaluation_id is not None
    confirmed = decision.state == BudgetDecision.State.CONFIRMED
    return ApplicationRow(
        decision=decision,
        kind=UNIT_KIND if unit_side else PROJECT_KIND,
        name=evaluation.unit.name if unit_side else evaluation.name,
        grade=evaluation.grade,
        score=evaluation.score,
        proposal=_with_share(decision.proposed_action, decision.proposed_share),
        decided=_with_share(decision.action, decision.cut_share) if confirmed else "",
        base_amount=decision.base_amount,
        next_year_amount=decision.next_year_amount,
    )


def _order(row: ApplicationRow):
    # Unit evaluations first, best score first; then projects by their 序号.
    if row.kind == UNIT_KIND:
        return (0, -(row.score or 0), row.name, 0)
    return (1, 0, "", row.decision.project.number)


def application_rows(decisions: QuerySet[BudgetDecision]) -> list[ApplicationRow]:
    """Return the table's rows for the decisions, in one query whatever their number."""
    fetched = decisions.select_related("unit_evaluation__unit", "project")
    return sorted((application_row(decision) for decision in fetched), key=_order)


def public_application(*, region, year) -> list[ApplicationRow]:
    """Return the public rows of a region's year: confirmed decisions on released
    evaluations (policies.public_decisions)."""
    return application_rows(policies.public_decisions().filter(region=region, year=year))


def year_decisions(*, user, region, year) -> QuerySet[BudgetDecision]:
    """Return the decisions of a region's year the user sees (policies.visible_decisions)."""
    return policies.visible_decisions(user).filter(region=region, year=year)


@dataclass
class Tally:
    """A group of rows: how many, and the amounts of those listing both years' amounts."""

    label: str
    count: int = 0
    compared: int = 0
    base_amount: Decimal = Decimal(0)
    next_year_amount: Decimal = Decimal(0)

    @property
    def change(self) -> Decimal:
        return self.next_year_amount - self.base_amount

    def add(self, row: ApplicationRow) -> None:
        self.count += 1
        if row.change is not None:
            self.compared += 1
            self.base_amount += row.base_amount
            self.next_year_amount += row.next_year_amount


def application_summary(rows: list[ApplicationRow]) -> dict:
    """Return the rows added up by grade, by decision and in all.

    Amounts are added over the rows that list both this year's and next year's amount
    (compared), so each group's change is exactly its next year less its this year.
    """
    by_grade = {grade.value: Tally(grade.label) for grade in Grade}
    by_action = {action.value: Tally(action.label) for action in Action}
    total = Tally("合计")
    for row in rows:
        total.add(row)
        if row.grade in by_grade:
            by_grade[row.grade].add(row)
        if row.action in by_action:
            by_action[row.action].add(row)
    return {
        "by_grade": list(by_grade.values()),
        "by_action": list(by_action.values()),
        "total": total,
    }
