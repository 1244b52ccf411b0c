"""What the page and export benchmarks share: Django set up on a database of their own, and
one region-year of released unit evaluations made in bulk."""

import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str) -> None:
    """Set Django up on database_url, with each process's own in-memory cache."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
    import django

    django.setup()


def released_units(*, code: str, name: str, year: int, rows: int, batch: int = 20_000):
    """Create the region with 40 firms and rows released unit evaluations of the year, scores
    spread over 60–99.99; return (region, firms)."""
    from evaluations.classification import UnitKind
    from evaluations.grading import grade_for
    from evaluations.models import Firm, Unit, UnitEvaluation
    from evaluations.services.imports import region_ensure
    from evaluations.workflow import State

    region = region_ensure(code=code, name=name)
    firms = Firm.objects.bulk_create(Firm(name=f"第{i:02d}号会计师事务所") for i in range(40))
    kinds = list(UnitKind)
    for start in range(0, rows, batch):
        units = Unit.objects.bulk_create(
            Unit(region=region, name=f"测试区第{i:06d}号预算单位", kind=kinds[i % len(kinds)])
            for i in range(start, min(start + batch, rows))
        )
        UnitEvaluation.objects.bulk_create(
            (
                UnitEvaluation(
                    region=region,
                    year=year,
                    unit=unit,
                    firm=firms[i % len(firms)],
                    score=score,
                    grade=grade_for(score),
                    state=State.RELEASED,
                )
                for i, unit in enumerate(units, start=start)
                for score in [Decimal(6000 + (i * 37) % 4000) / 100]
            ),
            batch_size=2000,
        )
    return region, firms
