"""Shared fixtures: the 花溪区 region and its bundled 2021 tables, imported the clerk's way."""

from pathlib import Path

import pytest

from evaluations.services.imports import region_ensure, results_import_path

DATA = Path(__file__).resolve().parent.parent / "data" / "520111" / "2021"
UNITS_XLSX = DATA / "unit-evaluations.xlsx"
PROJECTS_XLSX = DATA / "project-evaluations.xlsx"


def pytest_configure(config):
    """Serve the suite the way the load test serves gunicorn: plain http on loopback.

    With DEBUG off the settings redirect http to https and mark cookies secure; the test
    client and the browser tests' live server speak http. tests/hardening/ checks the
    production defaults themselves, in a fresh process. django-axes, as its documentation
    advises for tests, is off: client.login() authenticates without a request, which axes
    refuses; tests/hardening/test_login_throttling.py turns it back on.
    """
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.AXES_ENABLED = False
    # Each test process keeps its own page cache: an exported REDIS_URL (the production
    # set-up's) must not let two runs, or a run and a live site, share generations and pages.
    # The tests of the Redis cache point at Redis themselves.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "perfmgmt-tests",
        }
    }


@pytest.fixture(autouse=True)
def public_cache_emptied():
    """Start every test with no cached page or figure, whatever the test before it left."""
    from django.core.cache import cache as shared

    from evaluations import cache

    shared.clear()
    cache._locals.clear()


@pytest.fixture
def huaxi(db):
    return region_ensure(code="520111", name="花溪区")


@pytest.fixture
def huaxi_2021(huaxi):
    """花溪区 with both 2021 tables imported through the importer and released."""
    for table, path in (("units", UNITS_XLSX), ("projects", PROJECTS_XLSX)):
        outcome = results_import_path(table=table, region=huaxi, year=2021, path=path, release=True)
        assert outcome.ok, outcome.errors
    return huaxi


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many logins; the production hasher's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
