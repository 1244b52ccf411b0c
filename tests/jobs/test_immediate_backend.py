"""TASKS_BACKEND=immediate (a development machine without a worker): the job runs once the
request's transaction commits, in the same process, and ends with its file."""

import pytest

from evaluations.models import JobKind, JobState
from evaluations.services.jobs import job_start

from .conftest import projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_job_runs_on_commit_without_a_worker(
    immediate, roles, django_capture_on_commit_callbacks
):
    projects(roles, 3)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            user=roles.reviewer, kind=JobKind.RESULTS_XLSX, region=roles.region, year=2022
        )
        assert job.state == JobState.QUEUED

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert job.file.name.endswith(".xlsx")
