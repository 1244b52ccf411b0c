"""In a real browser: the 后台任务 list moves its progress bar as the worker reports, and
offers the download once the job is done, without reloading (static/js/jobs.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Job, JobKind, JobState
from tests.jobs.conftest import PASSWORD, bureau_login, job_files  # noqa: F401  (fixture)
from tests.jobs.test_jobs_admin import finished

from .conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_list_follows_a_running_job_to_its_download(live_server, page, huaxi, job_files):  # noqa: F811
    reviewer = bureau_login("reviewer")
    job = Job.objects.create(
        user=reviewer,
        kind=JobKind.RESULTS_XLSX,
        region=huaxi,
        year=2022,
        state=JobState.RUNNING,
        done=1,
        total=4,
        message="正在写入",
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:evaluations_job_changelist"))
    bar = page.locator(f'progress[data-job="{job.pk}"]')
    assert bar.get_attribute("value") == "25"

    Job.objects.filter(pk=job.pk).update(done=3, message="已写入3行")
    expect(bar).to_have_attribute("value", "75", timeout=10_000)
    expect(page.locator(f'.job-message[data-job="{job.pk}"]')).to_have_text("已写入3行")

    finished(job)
    link = page.locator(f'.job-outcome[data-job="{job.pk}"] a')
    expect(link).to_have_text("下载", timeout=10_000)
    expect(page.locator(f'.job-state[data-job="{job.pk}"]')).to_have_text("已完成")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "jobs-list.png"), full_page=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "结果.xlsx"
