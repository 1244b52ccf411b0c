"""Jobs' fixtures: one login per role (tests.admin's Roles), private job files in a temporary
folder, and a worker run in this process (the subprocess worker is test_worker_restart's)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from evaluations.models import UserRole
from tests.admin.conftest import PASSWORD, Roles

__all__ = ["PASSWORD", "bureau_login", "projects", "work_off"]


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    return settings.JOB_FILES_DIR


@pytest.fixture
def roles(huaxi):
    return Roles(huaxi)


def projects(roles, count: int, *, year: int = 2022) -> None:
    """Give the region `count` projects of the year, one funding line each."""
    for number in range(1, count + 1):
        roles.project(number=number, year=year)


def work_off() -> None:
    """Run every queued task in this process, as `manage.py db_worker --batch` does."""
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
    )


def bureau_login(username: str, *, role: str = "reviewer", region=None):
    """Return a staff login holding the workflow role (the bureau's unless told otherwise)."""
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    UserRole.objects.create(user=user, role=role, region=region)
    return user
