"""A job whose worker is killed mid-run (kill -9) is run again, to the end, by the worker
started after it: real `manage.py db_worker` processes on the test's database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from evaluations.models import Job, JobKind, JobState
from evaluations.services.jobs import job_start

from .conftest import projects

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture
def worker_env(job_files):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "JOBS_TEST_DATABASE": str(connection.settings_dict["NAME"]),
        "JOB_FILES_DIR": str(job_files),
        "JOB_STALE_AFTER": "2",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture
def start_worker(worker_env, tmp_path):
    started = []

    def start(*command):
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, *command], cwd=ROOT, env=worker_env, stdout=log, stderr=log
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_a_job_whose_worker_was_killed_is_finished_by_the_next_worker(
    roles, settings, start_worker, tmp_path
):
    settings.JOB_STALE_AFTER = 2
    projects(roles, ROWS)
    job = job_start(user=roles.reviewer, kind=JobKind.RESULTS_XLSX, region=roles.region, year=2022)
    first_run = job.task_result_id

    slow = start_worker("tests/jobs/slow_worker.py")
    wait_for(
        lambda: Job.objects.get(pk=job.pk).done >= 5, seconds=90, what="the slowed job's progress"
    )
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    killed = Job.objects.get(pk=job.pk)
    assert killed.state == JobState.RUNNING and 5 <= killed.done < ROWS

    start_worker("manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload")
    done = wait_for(
        lambda: Job.objects.filter(pk=job.pk, state__in=[JobState.DONE, JobState.FAILED]).first(),
        seconds=90,
        what=f"the job to end (logs in {tmp_path})",
    )

    assert done.state == JobState.DONE, done.error
    assert (done.attempts, done.done, done.total) == (2, ROWS, ROWS)
    assert done.task_result_id != first_run
    lost = DBTaskResult.objects.get(id=first_run)
    assert lost.status == "FAILED" and lost.exception_class_path.endswith("WorkerLost")
    lines = load_workbook(done.file.path, read_only=True).worksheets[1]
    assert len(list(lines.values)) == ROWS + 1
