"""Reads of rectification (整改): the problems a user sees, which are overdue, the counts.

Overdue is never stored (models.third_party.Problem): a problem is overdue while it is
not verified and its deadline has passed. `today` is passed in, so a test can stand on
any day; callers give timezone.localdate().
"""

from django.db.models import Case, Count, Q, QuerySet, Value, When

from .. import policies
from ..models import Problem

OVERDUE_LABEL = "逾期未整改"


def overdue_condition(today) -> Q:
    """Return the condition "overdue on the day" on problems."""
    return Q(deadline__lt=today) & ~Q(state=Problem.State.VERIFIED)


def with_overdue(queryset: QuerySet[Problem], *, today) -> QuerySet[Problem]:
    """Annotate each problem with overdue (bool), and fetch what its listing shows."""
    overdue = Case(When(overdue_condition(today), then=Value(True)), default=Value(False))
    return queryset.annotate(overdue=overdue).select_related(
        "region", "unit", "project", "unit_evaluation__unit", "created_by"
    )


def problems(*, user, today) -> QuerySet[Problem]:
    """Return the problems the user sees (policies.visible_problems), overdue annotated."""
    return with_overdue(policies.visible_problems(user), today=today)


def state_words(problem: Problem, *, today) -> str:
    """Return the problem's state as the bureau and the unit read it: "待整改，逾期 5 天"."""
    label = problem.get_state_display()
    if problem.state == Problem.State.VERIFIED or problem.deadline is None:
        return label
    days = (today - problem.deadline).days
    if days > 0:
        return f"{label}，{OVERDUE_LABEL}（逾期 {days} 天）"
    if days == 0:
        return f"{label}，今日到期"
    return f"{label}，距期限 {-days} 天"


def _count_fields(today) -> dict:
    """Return the aggregates counting problems: in all, by state, and overdue."""
    by_state = {state: Count("pk", filter=Q(state=state)) for state in Problem.State.values}
    return {
        "total": Count("pk"),
        **by_state,
        "overdue": Count("pk", filter=overdue_condition(today)),
    }


def counts(*, user, today) -> dict[str, int]:
    """Return the counts of the problems the user sees: total, open, reported, verified and
    overdue. One aggregate query."""
    return policies.visible_problems(user).aggregate(**_count_fields(today))


def counts_by_unit(*, user, today) -> list[dict]:
    """Return, per responsible unit the user sees problems of, the same counts with the
    unit's id and name, the units with overdue problems first. One query."""
    rows = (
        policies.visible_problems(user)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(**_count_fields(today))
    )
    return sorted(rows, key=lambda row: (-row["overdue"], row["unit__name"]))


def public_counts(*, region, year) -> dict[str, int]:
    """Return how many problems were found on a region's released evaluations of the year
    and how many of them the bureau verified as rectified (policies.public_problems)."""
    return (
        policies.public_problems()
        .filter(region=region, year=year)
        .aggregate(
            found=Count("pk"),
            rectified=Count("pk", filter=Q(state=Problem.State.VERIFIED)),
        )
    )


def public_list(*, region, year) -> QuerySet[Problem]:
    """Return a region's public problems of the year with what the public may read of
    them: the evaluation, the responsible unit, the description and the state (no measure,
    report or verification text, which are the unit's and the bureau's working notes)."""
    return (
        policies.public_problems()
        .filter(region=region, year=year)
        .select_related("unit", "project", "unit_evaluation__unit")
        .only(
            "pk",
            "region_id",
            "year",
            "description",
            "state",
            "unit__name",
            "project__name",
            "project__number",
            "unit_evaluation__unit__name",
        )
        .order_by("unit__name", "pk")
    )
