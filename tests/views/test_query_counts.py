"""Query budgets: each public page runs the same number of queries for 10 rows and 1,000.

A budget that grows with the data (a query per row for a unit, a firm or a project's
funding lines) is a page that falls over with a province's data.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation
from evaluations.services.imports import region_ensure
from evaluations.workflow import State

from .builders import add_projects, add_units

pytestmark = pytest.mark.django_db

SMALL, LARGE, YEAR = "520101", "520102", 2021
FIRM = "<pk of 甲评价公司>"

# Filters that leave rows in both regions (an empty page skips the funding-lines query).
UNIT_FILTERS = {"grade": "中", "kind": "department", "firm": FIRM, "q": "单位0", "sort": "-score"}
PROJECT_FILTERS = {"grade": "中", "q": "经开区", "sort": "-total_amount", "page": 2}

# (page, query parameters, budget). The budgets:
#   overview: the region if it has results (1) + year_summary (5) + target coverage (1);
#   summary.json: the region (1) + year_summary (5);
#   units: region (1) + firm choices (1) + count (1) + rows with their unit and firm (1);
#   projects: region (1) + owning-unit kinds (1) + count (1) + projects with Σ lines (1)
#             + their funding lines (1);
#   exports: as the page, without the count (a streamed CSV reads its rows 2,000 at a time,
#            each chunk with its funding lines: constant up to 2,000 rows).
# The region and the filter choices are figures (evaluations.cache.figure), read once per
# cache generation in a process; here every request reads them, for these tests' writes are
# not committed (a connection with uncommitted public writes computes every figure afresh).
# With the figures held the pages need less: test_a_page_with_its_figures_held_… below.
CASES = [
    ("", {}, 7),
    ("summary.json", {}, 6),
    ("units/", {}, 4),
    ("units/", {"page": 2}, 4),
    ("units/", UNIT_FILTERS, 4),
    ("projects/", {}, 5),
    ("projects/", PROJECT_FILTERS, 5),
]
for export_format in ("csv", "xlsx", "json"):
    CASES += [
        ("units/", {"_export": export_format}, 3),
        ("units/", {**UNIT_FILTERS, "_export": export_format}, 3),
        ("projects/", {"_export": export_format}, 4),
        ("projects/", {**PROJECT_FILTERS, "_export": export_format}, 4),
    ]


@pytest.fixture
def firm_pk(db):
    """Build two regions alike but for size: 10 and 1,000 units and projects (2 lines each)."""
    for code, name, size in ((SMALL, "小区", 10), (LARGE, "大区", 1000)):
        region = region_ensure(code=code, name=name)
        add_units(region, YEAR, size)
        add_projects(region, YEAR, size)
    return Firm.objects.get(name="甲评价公司").pk


def queries(client, code, page, params) -> int:
    return queries_at(client, f"/{code}/{YEAR}/{page}", params)


def queries_at(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        # A streamed download reads its rows as it is sent.
        content = response.getvalue()
    assert response.status_code == 200, content[:200]
    return len(captured)


@pytest.mark.parametrize(("page", "params", "budget"), CASES)
def test_the_query_count_does_not_grow_with_the_rows(client, firm_pk, page, params, budget):
    params = {key: firm_pk if value == FIRM else value for key, value in params.items()}
    assert queries(client, SMALL, page, params) == queries(client, LARGE, page, params) == budget


# Detail pages. The budgets:
#   a unit: its public evaluations with their region, unit and firm (1);
#   a project: the project with its region, unit, firm and whether the unit has a public
#              page (1) + its funding lines (1) + its public target (1) + its public
#              third-party sheet (1); with a target and a sheet, see test_project_targets.
UNIT_BUDGET, PROJECT_BUDGET = 1, 4


@pytest.fixture
def details(db):
    """Return a unit evaluated in 1 year and one in 12, a project of 1 line and one of 40."""
    region = region_ensure(code=SMALL, name="小区")
    firm = Firm.objects.create(name="甲评价公司")
    few, many = (
        Unit.objects.create(region=region, name=name, kind="department") for name in "甲乙"
    )
    UnitEvaluation.objects.bulk_create(
        UnitEvaluation(
            region=region, year=year, unit=unit, firm=firm, score=80, state=State.RELEASED
        )
        for unit, years in ((few, [YEAR]), (many, range(YEAR - 11, YEAR + 1)))
        for year in years
    )
    for number, (unit, lines) in enumerate(((few, 1), (many, 40)), start=1):
        project = Project.objects.create(
            region=region,
            year=YEAR,
            number=number,
            name=f"项目{number}",
            unit=unit,
            firm=firm,
            score=90,
            state=State.RELEASED,
        )
        FundingLine.objects.bulk_create(
            FundingLine(
                project=project, position=i, label=f"明细{i}", amount=Decimal("1.5"), self_score=90
            )
            for i in range(1, lines + 1)
        )
    return few, many


def test_a_unit_page_runs_the_same_queries_for_one_year_and_twelve(client, details):
    few, many = details
    assert (
        queries_at(client, f"/{SMALL}/units/{few.pk}/")
        == queries_at(client, f"/{SMALL}/units/{many.pk}/")
        == UNIT_BUDGET
    )


def test_a_project_page_runs_the_same_queries_for_one_line_and_forty(client, details):
    assert (
        queries_at(client, f"/{SMALL}/{YEAR}/projects/1/")
        == queries_at(client, f"/{SMALL}/{YEAR}/projects/2/")
        == PROJECT_BUDGET
    )


# A results page not cached yet, in a generation whose figures (region, filter choices) the
# process holds: the count (1) + the rows (1) (+ the funding lines (1) for projects).
HELD_CASES = [("units/", {"page": 2}, 2), ("projects/", {"page": 2}, 3)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("page", "params", "budget"), HELD_CASES)
def test_a_page_with_its_figures_held_runs_the_same_queries_for_10_rows_and_1000(
    client, firm_pk, page, params, budget
):
    # The first visit reads the figures of the generation; page 2 is not cached yet.
    counts = []
    for code in (SMALL, LARGE):
        queries(client, code, page, {})
        counts.append(queries(client, code, page, params))
    assert counts == [budget, budget]
