"""Settings of the worker subprocesses that test_worker_restart starts: the project's own,
on the test's database (a test database's name is known only to the test process)."""

import os

from perfmgmt.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["JOBS_TEST_DATABASE"]  # noqa: F405
