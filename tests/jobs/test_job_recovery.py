"""The watch over a run: a run that stopped beating is given up and the job queued again; a
slow run that still beats is left alone; a given-up run can no longer write to its job."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from evaluations.models import Job, JobKind, JobState
from evaluations.services import jobs as services
from evaluations.services.jobs import JobSuperseded, job_recover_if_stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(roles, settings):
    """A job claimed by a run of its own, as a worker leaves it mid-run."""
    settings.JOB_STALE_AFTER = 60
    job = services.job_start(
        user=roles.reviewer, kind=JobKind.RESULTS_XLSX, region=roles.region, year=2022
    )
    token = job.task_result_id
    DBTaskResult.objects.filter(id=token).update(status="RUNNING")
    return services.job_claim(job_id=job.pk, token=token), token


def beat(job, seconds_ago: int):
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )


def watches(job):
    return DBTaskResult.objects.filter(task_path="evaluations.tasks.watch_job", status="READY")


def test_a_claimed_run_is_watched_from_when_it_would_turn_stale(running):
    job, token = running
    (watch,) = watches(job)
    assert watch.args_kwargs["args"] == [job.pk, token]
    expected = job.started_at + datetime.timedelta(seconds=60)
    assert abs(watch.run_after - expected) < datetime.timedelta(seconds=1)


def test_a_run_silent_past_the_limit_is_given_up_and_its_job_queued_again(running):
    job, token = running
    beat(job, 61)

    assert job_recover_if_stale(job_id=job.pk, token=token) == "requeued"

    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 2)
    assert job.task_result_id not in ("", token)
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "READY"
    assert DBTaskResult.objects.get(id=token).status == "FAILED"


def test_a_slow_run_that_still_beats_is_left_alone(running):
    job, token = running
    beat(job, 30)

    DBTaskResult.objects.filter(task_path="evaluations.tasks.watch_job").delete()

    assert job_recover_if_stale(job_id=job.pk, token=token) == "alive"

    job.refresh_from_db()
    assert (job.state, job.attempts, job.task_result_id) == (JobState.RUNNING, 1, token)
    (watch,) = watches(job)
    assert watch.args_kwargs["args"] == [job.pk, token]
    expected = job.heartbeat_at + datetime.timedelta(seconds=60)
    assert abs(watch.run_after - expected) < datetime.timedelta(seconds=1)


def test_a_finished_job_is_not_watched_again(running):
    job, token = running
    services.job_finish(job=job, token=token, name="x.xlsx", file_name="x.xlsx")
    beat(job, 3600)

    assert job_recover_if_stale(job_id=job.pk, token=token) == "ended"
    assert Job.objects.get(pk=job.pk).state == JobState.DONE


def test_a_given_up_run_can_no_longer_write_to_its_job(running):
    job, token = running
    beat(job, 61)
    job_recover_if_stale(job_id=job.pk, token=token)

    with pytest.raises(JobSuperseded):
        services.job_progress(job=job, token=token, done=5, total=10)
    with pytest.raises(JobSuperseded):
        services.job_finish(job=job, token=token, name="late.xlsx", file_name="late.xlsx")
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_a_stale_run_is_not_claimed_twice(running):
    job, token = running
    assert services.job_claim(job_id=job.pk, token=token) is None


def test_a_job_that_keeps_losing_its_worker_fails_instead_of_running_for_ever(running):
    job, token = running
    Job.objects.filter(pk=job.pk).update(attempts=services.MAX_ATTEMPTS)
    beat(job, 61)

    assert job_recover_if_stale(job_id=job.pk, token=token) == "failed"

    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (JobState.FAILED, 3, services.GAVE_UP)
    assert DBTaskResult.objects.get(id=token).status == "FAILED"
    assert not DBTaskResult.objects.filter(task_path="evaluations.tasks.run_job", status="READY")
