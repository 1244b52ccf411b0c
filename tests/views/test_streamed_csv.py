"""A results table's CSV is streamed: sent as its rows are read, a chunk of rows at a time,
so a province's 300,000 rows take constant memory and the first bytes leave at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import tables
from evaluations.services.imports import region_ensure

from .builders import add_projects, add_units

pytestmark = pytest.mark.django_db

UNITS, PROJECTS = "/520101/2021/units/", "/520101/2021/projects/"


@pytest.fixture
def region():
    region = region_ensure(code="520101", name="小区")
    add_units(region, 2021, 25)
    add_projects(region, 2021, 25)
    return region


@pytest.mark.parametrize("path", [UNITS, PROJECTS])
def test_the_csv_is_streamed(client, region, path):
    response = client.get(path, {"_export": "csv"})
    assert response.streaming
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    # A header and a line per row (per funding line for projects: two each).
    assert len(lines) == 1 + (25 if path == UNITS else 50)


def test_the_rows_are_read_a_chunk_at_a_time(client, region, monkeypatch):
    path = PROJECTS
    monkeypatch.setattr(tables, "EXPORT_CHUNK", 10)
    with CaptureQueriesContext(connection) as small_chunks:
        client.get(path, {"_export": "csv"}).getvalue()
    monkeypatch.setattr(tables, "EXPORT_CHUNK", 1000)
    with CaptureQueriesContext(connection) as one_chunk:
        client.get(path, {"_export": "csv"}).getvalue()
    # Each chunk of projects fetches its own funding lines: 3 chunks of 10, 2 more queries.
    assert len(small_chunks) == len(one_chunk) + 2


def test_the_other_formats_are_sent_whole(client, region):
    assert not client.get(UNITS, {"_export": "xlsx"}).streaming
    assert not client.get(UNITS, {"_export": "json"}).streaming
