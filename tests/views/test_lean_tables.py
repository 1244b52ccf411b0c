"""The public tables write their cells themselves (tables.LeanTable), for speed: each cell must
be exactly what django-tables2's own cell rendering gives (BoundRow.get_cell, localized and
escaped as a template variable)."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from evaluations import selectors
from evaluations.models import Firm, FundingLine, Unit, UnitEvaluation
from evaluations.services.imports import region_ensure
from evaluations.tables import (
    FundingLineTable,
    ProjectResultTable,
    UnitHistoryTable,
    UnitResultTable,
    _Cells,
)
from evaluations.workflow import State

from .builders import add_projects, add_units

pytestmark = pytest.mark.django_db
YEAR = 2021


@pytest.fixture
def region():
    region = region_ensure(code="520101", name="小区")
    add_units(region, YEAR, 12, prefix="<b>单位&</b>")
    add_projects(region, YEAR, 12, prefix="<i>项目</i>")
    unit = Unit.objects.create(region=region, name="无分单位", kind="township")
    # No score yet: the cell shows the table's default.
    UnitEvaluation.objects.create(
        region=region,
        year=YEAR,
        unit=unit,
        firm=Firm.objects.create(name="<script>评价</script>"),
        state=State.RELEASED,
    )
    return region


def configured(table, **params):
    RequestConfig(RequestFactory().get("/", params), paginate={"per_page": 50}).configure(table)
    return table


def assert_cells_match_django_tables2(table):
    rows = list(table.paginated_rows)
    assert rows
    for column in table.columns:
        lean = _Cells(table, column, rows[0].record)
        assert lean.lean, column.name
        reference = _Cells(table, column, rows[0].record)
        reference.lean = False
        for row in rows:
            assert lean.html(row.record, row) == reference.html(row.record, row), column.name


@pytest.mark.parametrize("sort", ["", "-score", "kind", "firm"])
def test_unit_result_cells_match(region, sort):
    table = UnitResultTable(selectors.unit_results(region=region, year=YEAR), region=region)
    assert_cells_match_django_tables2(configured(table, sort=sort))


@pytest.mark.parametrize("sort", ["", "-total_amount", "self_scores"])
def test_project_result_cells_match(region, sort):
    table = ProjectResultTable(selectors.project_results(region=region, year=YEAR), region=region)
    assert_cells_match_django_tables2(configured(table, sort=sort))


def test_unit_history_cells_match(region):
    unit = UnitEvaluation.objects.filter(score__isnull=False).first().unit
    history = list(selectors.unit_history(region_code=region.code, unit_id=unit.pk))
    assert_cells_match_django_tables2(configured(UnitHistoryTable(history)))


def test_funding_line_cells_match(region):
    project = selectors.project_detail(region_code=region.code, year=YEAR, number=1)
    FundingLine.objects.filter(project=project).update(amount=Decimal("1234567.5"))
    table = FundingLineTable(project.funding_lines.all())
    assert_cells_match_django_tables2(configured(table))


def test_the_rows_are_escaped_and_linked(region):
    table = configured(
        UnitResultTable(selectors.unit_results(region=region, year=YEAR), region=region)
    )
    html = table.rows_html()
    assert "&lt;b&gt;单位&amp;&lt;/b&gt;" in html
    assert "&lt;script&gt;评价&lt;/script&gt;" in html
    assert "<b>" not in html and "<script>" not in html
    unit = Unit.objects.get(name="<b>单位&</b>0000")
    assert f'href="/520101/units/{unit.pk}/"' in html
