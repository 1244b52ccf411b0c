"""The figures behind the public charts: one selector per chart, each returning the rows its
table, its downloads and its drawing share, so the three cannot disagree.

Every selector starts from the permission policy's public querysets and runs a fixed number
of queries whatever the number of records. The rules the figures follow, written down once:

- Score bands (score_distribution): 60 分以下, 60–70, 70–80, 80–90, 90–100. A band holds its
  lower edge and not its upper one; the top band holds 100 too. This is the grade bands' rule
  (evaluations.grading), so 80–90 is exactly 良 and 90–100 exactly 优.
- Means (firm_scores, region_*_history): Σ scores ÷ count in Decimal, rounded ROUND_HALF_UP to
  2 places. Records without a score are left out of counts and means alike.
- A project's self-score (self_and_third_party_scores): a project funded by several lines has
  one self-score per line and one third-party score. Its self-score here is the funds-weighted
  mean of its lines' self-scores, Σ(amount × self-score) ÷ Σ amount, rounded ROUND_HALF_UP to
  2 places (the plain mean if every line has zero funds); a single line's self-score is used
  unchanged. The gap is the third-party score − that self-score, so a negative gap means the
  firm scored the project lower than its spending units did.
- Funds: exact Decimal sums of the funding lines, quantized back to the stored 6 places
  (SQLite sums through floats); scores sums likewise to their stored 2 places.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from .. import policies
from ..decimals import SCORE_PLACES, stored_amount, stored_score
from ..grading import Grade
from ..models import Region, UnitEvaluation

MEAN_PLACES = Decimal(1).scaleb(-SCORE_PLACES)

# (label, lower edge inclusive or None, upper edge exclusive or None), lowest first.
SCORE_BANDS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("60 分以下", None, Decimal(60)),
    ("60–70", Decimal(60), Decimal(70)),
    ("70–80", Decimal(70), Decimal(80)),
    ("80–90", Decimal(80), Decimal(90)),
    ("90–100", Decimal(90), None),
)

# The keys of the grade counts in history rows (and their downloads), in Grade order.
GRADE_KEYS = {
    Grade.EXCELLENT: "excellent",
    Grade.GOOD: "good",
    Grade.FAIR: "fair",
    Grade.POOR: "poor",
}


def mean(total: Decimal, count: int) -> Decimal | None:
    """Return total ÷ count rounded ROUND_HALF_UP to 2 places, None when there is nothing."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def _grade_counts(queryset: QuerySet) -> list[dict]:
    counts = dict(queryset.order_by().values_list("grade").annotate(count=Count("id")))
    return [{"grade": grade.label, "count": counts.get(grade.value, 0)} for grade in Grade]


def unit_grade_distribution(*, region: Region, year: int) -> list[dict]:
    """Return the number of public unit-overall evaluations of each grade, 优 to 差."""
    units = policies.public_unit_evaluations().filter(region=region, year=year)
    return _grade_counts(units)


def project_grade_distribution(*, region: Region, year: int) -> list[dict]:
    """Return the number of public key-project evaluations of each grade, 优 to 差."""
    projects = policies.public_projects().filter(region=region, year=year)
    return _grade_counts(projects)


def _band_filter(lower: Decimal | None, upper: Decimal | None) -> Q:
    band = Q(score__isnull=False)
    if lower is not None:
        band &= Q(score__gte=lower)
    if upper is not None:
        band &= Q(score__lt=upper)
    return band


def _band_counts(queryset: QuerySet) -> list[int]:
    counts = queryset.aggregate(
        **{
            f"band{index}": Count("id", filter=_band_filter(lower, upper))
            for index, (_, lower, upper) in enumerate(SCORE_BANDS)
        }
    )
    return [counts[f"band{index}"] for index in range(len(SCORE_BANDS))]


def score_distribution(*, region: Region, year: int) -> list[dict]:
    """Return, for each score band (see the module docstring), how many public unit-overall
    and key-project evaluations of the year scored in it."""
    units = _band_counts(policies.public_unit_evaluations().filter(region=region, year=year))
    projects = _band_counts(policies.public_projects().filter(region=region, year=year))
    return [
        {"band": label, "units": unit_count, "projects": project_count}
        for (label, _, _), unit_count, project_count in zip(
            SCORE_BANDS, units, projects, strict=True
        )
    ]


def funds_by_grade(*, region: Region, year: int) -> list[dict]:
    """Return, for each grade, its key projects, their funding lines and their funds (万元,
    the exact sum of the lines). The four rows add up to the year's total funds."""
    lines = policies.public_funding_lines().filter(project__region=region, project__year=year)
    groups = {
        row["project__grade"]: row
        for row in lines.order_by()
        .values("project__grade")
        .annotate(projects=Count("project", distinct=True), lines=Count("id"), funds=Sum("amount"))
    }
    rows = []
    for grade in Grade:
        group = groups.get(grade.value, {"projects": 0, "lines": 0, "funds": 0})
        rows.append(
            {
                "grade": grade.label,
                "projects": group["projects"],
                "lines": group["lines"],
                "funds": stored_amount(group["funds"] or 0),
            }
        )
    return rows


def firm_scores(*, region: Region, year: int) -> list[dict]:
    """Return each firm's unit-overall evaluations of the year: how many, and their mean,
    lowest and highest score; the most lenient firm (highest mean) first, then by name.

    Unit-overall evaluations only: they are scored on one framework, so firms compare;
    evaluations without a firm or a score are left out.
    """
    evaluations = policies.public_unit_evaluations().filter(
        region=region, year=year, firm__isnull=False, score__isnull=False
    )
    groups = (
        evaluations.order_by()
        .values("firm_id", "firm__name")
        .annotate(count=Count("id"), total=Sum("score"), lowest=Min("score"), highest=Max("score"))
    )
    rows = [
        {
            "firm": group["firm__name"],
            "count": group["count"],
            "mean": mean(stored_score(group["total"]), group["count"]),
            "lowest": stored_score(group["lowest"]),
            "highest": stored_score(group["highest"]),
        }
        for group in groups
    ]
    return sorted(rows, key=lambda row: (-row["mean"], row["firm"]))


def weighted_self_score(lines: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Return the self-score of a project from its lines' (amount, self-score), by the rule
    in the module docstring: funds-weighted, ROUND_HALF_UP to 2 places."""
    if len(lines) == 1:
        return lines[0][1]
    funds = sum((amount for amount, _ in lines), Decimal(0))
    if funds:
        total = sum((amount * score for amount, score in lines), Decimal(0))
        return (total / funds).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)
    return mean(sum((score for _, score in lines), Decimal(0)), len(lines))


def self_and_third_party_scores(*, region: Region, year: int) -> list[dict]:
    """Return each public key project of the year, by 序号, with its self-score (see the
    module docstring), its third-party score and the gap between them.

    Read from the funding lines in one query: a project's self-scores are its lines'.
    """
    lines = (
        policies.public_funding_lines()
        .filter(project__region=region, project__year=year)
        .order_by("project__number", "position")
        .values_list("project__number", "project__name", "project__score", "amount", "self_score")
    )
    projects: dict[int, dict] = {}
    amounts: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for number, name, score, amount, self_score in lines:
        projects.setdefault(number, {"number": number, "name": name, "score": score})
        amounts[number].append((amount, self_score))
    rows = []
    for number, project in projects.items():
        self_score = weighted_self_score(amounts[number])
        score = project["score"]
        rows.append(
            {
                **project,
                "lines": len(amounts[number]),
                "self_score": self_score,
                "gap": None if score is None else score - self_score,
            }
        )
    return rows


def unit_score_history(*, region_code: str, unit_id: int) -> list[UnitEvaluation]:
    """Return a unit's public unit-overall evaluations, oldest year first, each with its
    region, unit and firm (the page's heading reads them: one query in all)."""
    return list(
        policies.public_unit_evaluations()
        .filter(region__code=region_code, unit_id=unit_id)
        .select_related("region", "unit", "firm")
        .order_by("year")
    )


def _history(queryset: QuerySet) -> list[dict]:
    groups = (
        queryset.filter(score__isnull=False)
        .order_by()
        .values_list("year", "grade")
        .annotate(count=Count("id"), total=Sum("score"))
    )
    years: dict[int, dict] = {}
    for year, grade, count, total in groups:
        row = years.setdefault(
            year,
            {
                "year": year,
                "count": 0,
                "total": Decimal(0),
                **dict.fromkeys(GRADE_KEYS.values(), 0),
            },
        )
        row["count"] += count
        row["total"] += stored_score(total)
        row[GRADE_KEYS[Grade(grade)]] = count
    for row in years.values():
        row["mean"] = mean(row.pop("total"), row["count"])
    return [years[year] for year in sorted(years)]


def region_unit_history(*, region: Region) -> list[dict]:
    """Return a region's public unit-overall evaluations year by year, oldest first: how
    many, their mean score and how many of each grade."""
    return _history(policies.public_unit_evaluations().filter(region=region))


def region_project_history(*, region: Region) -> list[dict]:
    """Return a region's public key-project evaluations year by year, oldest first: how
    many, their mean third-party score and how many of each grade."""
    return _history(policies.public_projects().filter(region=region))
