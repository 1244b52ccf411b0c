"""`manage.py db_worker` with crawling exports: progress after every row, then a pause, so
that test_worker_restart can kill the worker in the middle of a job.

Run from the project folder: python tests/jobs/slow_worker.py (settings from the
environment, as test_worker_restart passes them).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from evaluations import tasks  # noqa: E402
from evaluations.services import jobs  # noqa: E402

PAUSE = 0.2
real_progress = jobs.job_progress


def slow_progress(**kwargs):
    real_progress(**kwargs)
    time.sleep(PAUSE)


tasks.PROGRESS_EVERY = 1
jobs.job_progress = slow_progress
call_command("db_worker", startup_delay=False, reload=False, interval=0.2, verbosity=1)
