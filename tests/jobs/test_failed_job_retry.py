"""A job whose task raises is reported on the job, to its owner in the admin, and a retry
runs the same job again to success."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document

from evaluations import tasks
from evaluations.models import Job, JobKind, JobState
from evaluations.services.jobs import job_retry, job_start

from .conftest import PASSWORD, bureau_login, work_off

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broken_once(monkeypatch):
    """Make the annual report's build fail on its first call only."""
    calls = []
    real = tasks.annual_report

    def build(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("数据库连接中断（测试注入）")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "annual_report", build)
    return calls


def test_a_failed_report_is_reported_and_a_retry_produces_it(huaxi_2021, broken_once, client):
    reviewer = bureau_login("reviewer")
    job = job_start(user=reviewer, kind=JobKind.REPORT_DOCX, region=huaxi_2021, year=2021)
    work_off()

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "任务出错：RuntimeError: 数据库连接中断（测试注入）"
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"

    client.login(username="reviewer", password=PASSWORD)
    index = client.get(reverse("admin:index")).content.decode()
    assert "您有 1 个后台任务失败" in index
    page = client.get(reverse("admin:evaluations_job_changelist")).content.decode()
    assert "您有后台任务失败" in page and "数据库连接中断（测试注入）" in page
    retry_url = reverse("admin:evaluations_job_retry", args=[job.pk])
    assert retry_url in page

    assert client.post(retry_url).status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (JobState.QUEUED, 2, "")
    work_off()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert len(broken_once) == 2
    assert job.file_name == "关于2021年度花溪区财政支出绩效情况的报告.docx"
    download = client.get(reverse("admin:evaluations_job_download", args=[job.pk]))
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "关于2021年度花溪区财政支出绩效情况的报告" in document.paragraphs[0].text
    assert (
        "您有后台任务失败"
        not in client.get(reverse("admin:evaluations_job_changelist")).content.decode()
    )
    assert "后台任务失败" not in client.get(reverse("admin:index")).content.decode()


def test_only_the_owner_or_the_bureau_may_retry(huaxi, broken_once):
    owner = bureau_login("publisher", role="publisher")
    job = job_start(user=owner, kind=JobKind.REPORT_DOCX, region=huaxi, year=2021)
    work_off()
    job.refresh_from_db()
    assert job.state == JobState.FAILED

    with pytest.raises(PermissionDenied):
        job_retry(job=job, user=bureau_login("dept", role="department"))
    assert Job.objects.get(pk=job.pk).attempts == 1
    job_retry(job=job, user=bureau_login("reviewer"))
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_a_job_that_did_not_fail_is_not_retried(huaxi):
    owner = bureau_login("reviewer")
    job = job_start(user=owner, kind=JobKind.REPORT_DOCX, region=huaxi, year=2021)
    with pytest.raises(PermissionDenied):
        job_retry(job=job, user=owner)
