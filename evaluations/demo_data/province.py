"""Build a generated province region by region, straight into the tables (bulk_create).

Each region is written in one transaction and then forgotten, so memory stays bounded by
one region-year. Nothing goes through the services: no history, no workflow events, no
signals; every stored figure is nonetheless the one the rules give (grades from
evaluations.grading, self-evaluation scores from evaluations.scoring, a third-party
sheet's total as the project's score, a target's funds as the sum of its funding lines).
A region's random stream depends only on the seed and the region's code, so the same seed
gives the same province, and one region the same rows whatever else is built with it.
"""

import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery

from ..classification import UnitKind
from ..grading import grade_for
from ..indicators import THIRD_PARTY_TREE
from ..models import (
    Firm,
    FundingLine,
    PerformanceTarget,
    Project,
    Region,
    TargetVersion,
    Unit,
    UnitEvaluation,
)
from ..workflow import FilingState, State
from . import names
from .filings import FilingWriter, Plan, at
from .indicators import frameworks, self_scores, target_values

# bulk_create in batches: as fast as COPY for this generator on PostgreSQL, where the
# database's own work dominates (benchmarks/results/generate.md).
BATCH = 2000
ORDER = list(State)  # every evaluation state, as the first records of a last year cycle them
# Past years are mostly released; the last year is under way, every state well represented.
PAST = {
    State.RELEASED: 90,
    State.APPROVED: 3,
    State.SCORED: 2,
    State.RETURNED_TO_FIRM: 1,
    State.ASSIGNED: 1,
    State.SUBMITTED: 1,
    State.RETURNED_TO_UNIT: 1,
    State.DRAFT: 1,
}
LAST = {
    State.DRAFT: 12,
    State.RETURNED_TO_UNIT: 5,
    State.SUBMITTED: 13,
    State.ASSIGNED: 15,
    State.RETURNED_TO_FIRM: 5,
    State.SCORED: 10,
    State.APPROVED: 10,
    State.RELEASED: 30,
}
SCORED = {State.RETURNED_TO_FIRM, State.SCORED, State.APPROVED, State.RELEASED}
WITH_FIRM = SCORED | {State.ASSIGNED}
# The self-evaluation table's state while the evaluation is in each state.
SELF_EVALUATION_STATE = {
    State.DRAFT: FilingState.DRAFT,
    State.RETURNED_TO_UNIT: FilingState.RETURNED,
    State.SUBMITTED: FilingState.SUBMITTED,
}
# Targets never approved: the first draft projects of a last year cycle these.
UNAPPROVED = (
    FilingState.DRAFT,
    FilingState.SUBMITTED,
    FilingState.RETURNED,
    FilingState.REJECTED,
)
SHEET_SHARE, ADJUSTED_SHARE = 0.25, 0.04
KIND_WEIGHT = {UnitKind.DEPARTMENT: 3, UnitKind.TOWNSHIP: 2, UnitKind.SUBDISTRICT: 1}
THIRD_PARTY_LEAVES = [
    Decimal(points)
    for _, _, seconds in THIRD_PARTY_TREE
    for _, leaves in seconds
    for _, points in leaves
]


@dataclass(frozen=True)
class Spec:
    regions: int = 90
    units: int = 70
    projects: int = 300
    years: int = 10
    first_year: int = 2016
    seed: int = 2026

    @property
    def year_range(self) -> range:
        return range(self.first_year, self.first_year + self.years)

    @property
    def codes(self) -> list[str]:
        return [names.region_code(i) for i in range(self.regions)]


def existing_regions(spec: Spec) -> list[str]:
    """Return the codes of the spec's regions already in the database."""
    return sorted(Region.objects.filter(code__in=spec.codes).values_list("code", flat=True))


def generate(spec: Spec, progress=lambda region, counts: None) -> Counter:
    """Build every region of the spec; return the rows written per model."""
    firms = _firms()
    total = Counter()
    for index in range(spec.regions):
        with transaction.atomic():
            counts = RegionBuilder(spec, index, firms).build()
        total.update(counts)
        progress(names.region_code(index), counts)
    return total


def _firms() -> list[Firm]:
    Firm.objects.bulk_create([Firm(name=name) for name in names.FIRMS], ignore_conflicts=True)
    return list(Firm.objects.filter(name__in=names.FIRMS).order_by("name"))


def _amount(rng) -> Decimal:
    """Return a line's funds in 万元: 5 to 3,000, up to six places as budgets are kept."""
    return Decimal(int(10 ** rng.uniform(4.7, 9.5))).scaleb(-6)


def _score(rng, low=55, mode=88) -> Decimal:
    """Return a score from low to 99.99, most near the mode (most results are 良 or 优)."""
    return Decimal(int(rng.triangular(low * 100, 9999, mode * 100))).scaleb(-2)


class RegionBuilder:
    def __init__(self, spec: Spec, index: int, firms: list[Firm]):
        self.spec, self.index, self.firms = spec, index, firms
        self.code = names.region_code(index)
        self.rng = random.Random(f"{spec.seed}:{self.code}")
        self.counts = Counter()

    def create(self, model, rows):
        rows = model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.label] += len(rows)
        return rows

    def build(self) -> Counter:
        [self.region] = self.create(
            Region, [Region(code=self.code, name=names.region_name(self.index))]
        )
        self.units = self._units()
        own_framework, firm_framework = frameworks(self.region, self.create)
        self.filings = FilingWriter(
            create=self.create,
            rng=self.rng,
            region=self.region,
            last_year=self.spec.year_range[-1],
            own_framework=own_framework,
            firm_framework=firm_framework,
        )
        for year in self.spec.year_range:
            self._year(year)
        return self.counts

    def _units(self) -> list[Unit]:
        rows = names.unit_names(names.region_name(self.index), self.spec.units)
        created = self.create(
            Unit, [Unit(region=self.region, name=name, kind=kind) for name, kind, _ in rows]
        )
        by_name = {unit.name: unit for unit in created}
        children = []
        for unit, (_, _, parent) in zip(created, rows, strict=True):
            if parent:
                unit.parent = by_name[parent]
                children.append(unit)
        Unit.objects.bulk_update(children, ["parent"], batch_size=BATCH)
        return created

    def _state(self, year: int, k: int) -> str:
        """Return the k-th unit evaluation's or project's state: in a last year, the first
        ones of each kind cycle through all states, from where the previous region stopped."""
        if year != self.spec.year_range[-1]:
            weights = PAST
        elif k < len(ORDER):
            return ORDER[(k + self.index * self.offset) % len(ORDER)]
        else:
            weights = LAST
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _year(self, year: int) -> None:
        self.k = self.drafts = 0
        self.adjusted = False
        self.offset = self.spec.units
        evaluations = self._unit_evaluations(year)
        self.k, self.offset = 0, self.spec.projects
        plans = self._plans(year)
        self.create(Project, [plan.project for plan in plans])
        for plan in plans:
            for line in plan.lines:
                line.project = plan.project
        self.create(FundingLine, [line for plan in plans for line in plan.lines])
        unit_targets = self._unit_targets(year)
        for plan in plans:
            plan.target.evaluation = plan.project
        self.create(PerformanceTarget, [plan.target for plan in plans])
        self.filings.versions(plans + unit_targets)
        PerformanceTarget.objects.filter(region=self.region, year=year).update(
            approved_version=Subquery(
                TargetVersion.objects.filter(
                    target=OuterRef("pk"), state=FilingState.APPROVED
                ).values("pk")[:1]
            )
        )
        self.filings.self_evaluations(plans)
        self.filings.monitoring(year, plans)
        self.filings.sheets(plans)
        self.filings.problems(year, evaluations, plans)

    def _next_state(self, year: int) -> str:
        state = self._state(year, self.k)
        self.k += 1
        return state

    def _unit_evaluations(self, year: int) -> list[UnitEvaluation]:
        rows = []
        for unit in self.units:
            state = self._next_state(year)
            score = _score(self.rng) if state in SCORED else None
            rows.append(
                UnitEvaluation(
                    region=self.region,
                    year=year,
                    unit=unit,
                    firm=self.rng.choice(self.firms) if state in WITH_FIRM else None,
                    score=score,
                    grade=grade_for(score) if score is not None else "",
                    self_score=_score(self.rng, 70, 90) if state != State.DRAFT else None,
                    state=state,
                    released_at=at(year + 1, 6, 30) if state == State.RELEASED else None,
                )
            )
        return self.create(UnitEvaluation, rows)

    def _project_name(self, year: int, seen: set) -> str:
        topic = self.rng.choice(names.PROJECT_TOPICS)
        activity = self.rng.choice(names.PROJECT_ACTIVITIES)
        base, phase = f"{year}年{topic}{activity}项目", 1
        name = base
        while name in seen:
            phase += 1
            name = f"{base}（{phase}期）"
        seen.add(name)
        return name

    def _plans(self, year: int) -> list[Plan]:
        weights = [KIND_WEIGHT[unit.kind] for unit in self.units]
        seen, plans = set(), []
        for number in range(1, self.spec.projects + 1):
            state = self._next_state(year)
            unit = self.rng.choices(self.units, weights=weights)[0]
            name = self._project_name(year, seen)
            lines = [
                FundingLine(
                    position=position,
                    label=f"{name}{source}",
                    amount=_amount(self.rng),
                    self_score=_score(self.rng, 70, 90),
                )
                for position, source in enumerate(
                    names.LINE_SOURCES[: self.rng.choice((1, 1, 2, 2, 3, 4))], start=1
                )
            ]
            plan = Plan(
                project=Project(
                    region=self.region,
                    year=year,
                    number=number,
                    name=name,
                    unit=unit,
                    firm=self.rng.choice(self.firms) if state in WITH_FIRM else None,
                    state=state,
                    released_at=at(year + 1, 6, 30) if state == State.RELEASED else None,
                ),
                lines=lines,
                target=PerformanceTarget(
                    region=self.region,
                    year=year,
                    unit=unit,
                    scope=PerformanceTarget.Scope.PROJECT,
                    project_code=f"{self.code}{year}{number:05d}",
                    project_name=name,
                    implementing_unit=unit.name,
                    attribute=self.rng.choice(PerformanceTarget.Attribute.values),
                ),
                version_states=self._version_states(year, state),
                targets=target_values(self.rng),
            )
            self._score_project(plan)
            plans.append(plan)
        return plans

    def _version_states(self, year: int, state: str) -> list[str]:
        if year == self.spec.year_range[-1] and state == State.DRAFT:
            self.drafts += 1
            if self.drafts <= 2 * len(UNAPPROVED):
                return [UNAPPROVED[(self.drafts + self.index) % len(UNAPPROVED)]]
        # Some targets were adjusted during the year, at least one each region-year.
        if self.rng.random() < ADJUSTED_SHARE or not self.adjusted:
            self.adjusted = True
            return [FilingState.SUPERSEDED, FilingState.APPROVED]
        return [FilingState.APPROVED]

    def _score_project(self, plan: Plan) -> None:
        project, rng = plan.project, self.rng
        if project.state in SCORED:
            if rng.random() < SHEET_SHARE:
                quality = Decimal(rng.randint(60, 100)) / 100
                plan.sheet_scores = [
                    min(
                        points,
                        (points * quality * rng.randint(90, 110) / 100).quantize(Decimal("0.5")),
                    )
                    for points in THIRD_PARTY_LEAVES
                ]
                project.score = sum(plan.sheet_scores, Decimal(0)).quantize(Decimal("0.01"))
            else:
                project.score = _score(rng)
            project.grade = grade_for(project.score)
        if plan.version_states[-1] != FilingState.APPROVED:
            return
        filing = SELF_EVALUATION_STATE.get(project.state, FilingState.APPROVED)
        if project.state == State.DRAFT and rng.random() < 0.5:
            return
        budget = sum((line.amount for line in plan.lines), Decimal(0))
        spent = (budget * Decimal(rng.randint(55, 100)) / 100).quantize(Decimal("0.000001"))
        scores = self_scores(rng, plan.targets, budget=budget, spent=spent)
        plan.self_evaluation = (filing, budget, spent, scores)
        if len(plan.lines) == 1:
            # A key project of one line: the line's self-score is this table's total.
            plan.lines[0].self_score = scores.total

    def _unit_targets(self, year: int) -> list[Plan]:
        targets = self.create(
            PerformanceTarget,
            [
                PerformanceTarget(
                    region=self.region,
                    year=year,
                    unit=unit,
                    scope=PerformanceTarget.Scope.UNIT,
                    implementing_unit=unit.name,
                )
                for unit in self.units
            ],
        )
        return [
            Plan(
                project=None,
                lines=[],
                target=target,
                version_states=[FilingState.APPROVED],
                targets=target_values(self.rng),
            )
            for target in targets
        ]
