"""Query budgets: the report's page and .docx run the same queries for 10 units and
projects as for 300 (a query per row would be a report that falls over with a province).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.services.imports import region_ensure
from tests.views.builders import add_projects, add_units

pytestmark = pytest.mark.django_db

SMALL, LARGE, YEAR = "520101", "520102", 2021
# The region if it has released results (1); the narrative (1); the year's summary (5);
# the unit rows with unit and firm (1); the projects with Σ lines (1) and their lines (1);
# target coverage (1); monitoring periods (1) and their reports (1); the previous year's
# evaluations (2); self-evaluations published (1); problems found (1).
BUDGET = 17


@pytest.fixture
def regions(db):
    for code, name, size in ((SMALL, "小区", 10), (LARGE, "大区", 300)):
        region = region_ensure(code=code, name=name)
        add_units(region, YEAR, size)
        add_projects(region, YEAR, size)


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["report/", "report.docx"])
def test_the_query_count_does_not_grow_with_the_rows(client, regions, page):
    small = queries(client, f"/{SMALL}/{YEAR}/{page}")
    large = queries(client, f"/{LARGE}/{YEAR}/{page}")
    assert small == large == BUDGET
