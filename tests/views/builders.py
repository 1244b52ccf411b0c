"""Released result rows created straight through the ORM (bulk_create), fast and in any number."""

from decimal import Decimal

from evaluations.classification import UnitKind
from evaluations.grading import grade_for
from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.workflow import State


def add_units(region, year, count, *, prefix="单位", firm_names=("甲评价公司", "乙评价公司")):
    """Create count evaluated units of the region and year, scores spread over 60–99."""
    firms = [Firm.objects.get_or_create(name=name)[0] for name in firm_names]
    kinds = list(UnitKind)
    units = Unit.objects.bulk_create(
        Unit(region=region, name=f"{prefix}{i:04d}", kind=kinds[i % len(kinds)])
        for i in range(count)
    )
    UnitEvaluation.objects.bulk_create(
        UnitEvaluation(
            region=region,
            year=year,
            unit=unit,
            firm=firms[i % len(firms)],
            score=score,
            grade=grade_for(score),
            state=State.RELEASED,
        )
        for i, unit in enumerate(units)
        for score in [Decimal(60 + i % 40) + Decimal("0.25")]
    )


def add_projects(region, year, count, *, prefix="项目"):
    """Create count projects of the region and year, each funded by two lines."""
    projects = Project.objects.bulk_create(
        Project(
            region=region,
            year=year,
            number=i + 1,
            name=f"{prefix}{i:04d}",
            score=score,
            grade=grade_for(score),
            state=State.RELEASED,
        )
        for i in range(count)
        for score in [Decimal(70 + i % 30) + Decimal("0.5")]
    )
    FundingLine.objects.bulk_create(
        FundingLine(
            project=project,
            position=position,
            label=f"{project.name}{suffix}",
            amount=Decimal("100.123456") * position,
            self_score=Decimal("90.00") + position,
        )
        for project in projects
        for position, suffix in ((1, ""), (2, "（经开区）"))
    )
    return projects
