"""A visitor chooses 25, 50 or 100 rows a page; anything else shows 25."""

import pytest

from evaluations.services.imports import region_ensure

from .builders import add_projects, add_units
from .pages import table_rows

pytestmark = pytest.mark.django_db

UNITS, PROJECTS = "/520101/2021/units/", "/520101/2021/projects/"


@pytest.fixture
def region():
    region = region_ensure(code="520101", name="小区")
    add_units(region, 2021, 120)
    add_projects(region, 2021, 120)
    return region


@pytest.mark.parametrize("path", [UNITS, PROJECTS])
@pytest.mark.parametrize(
    ("per_page", "shown"), [(None, 25), ("25", 25), ("50", 50), ("100", 100), ("7", 25), ("x", 25)]
)
def test_it_shows_the_rows_a_page_chosen(client, region, path, per_page, shown):
    response = client.get(path, {"per_page": per_page} if per_page else {})
    # The table's rows (its header row has no cells of its own here).
    assert len([row for row in table_rows(response) if row]) == shown


def test_the_choice_is_kept_in_sort_and_page_links(client, region):
    body = client.get(UNITS, {"per_page": "50", "page": "2"}).content.decode()
    assert 'href="?per_page=50&amp;sort=score"' in body
    assert 'href="?per_page=50&amp;page=3"' in body
    assert '<option value="50" selected>50</option>' in body
