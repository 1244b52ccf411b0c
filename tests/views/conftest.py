"""Fixtures of the public pages' tests."""

import pytest

from evaluations.services.imports import region_ensure

from .builders import add_projects, add_units


@pytest.fixture
def guanshanhu(db):
    """A second, synthetic region: 观山湖区 with a handful of results in 2022."""
    region = region_ensure(code="520115", name="观山湖区")
    add_units(region, 2022, 10)
    add_projects(region, 2022, 10)
    return region
