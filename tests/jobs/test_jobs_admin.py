"""The 后台任务 admin: each user sees their own jobs (the bureau all), a status endpoint for
the progress bars, downloads through the policy, and the start page."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evaluations.models import Job, JobKind, JobState, UserRole
from evaluations.models.jobs import job_storage

from .conftest import PASSWORD, bureau_login

CHANGELIST = "admin:evaluations_job_changelist"


def a_job(user, region, *, state=JobState.RUNNING, **fields):
    return Job.objects.create(
        user=user, kind=JobKind.RESULTS_XLSX, region=region, year=2022, state=state, **fields
    )


def finished(job, content=b"PK-file"):
    name = job_storage().save(f"{job.pk}/run.xlsx", ContentFile(content))
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE, file=name, file_name="结果.xlsx")
    job.refresh_from_db()
    return job


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def jobs(roles):
    return {
        "dept": a_job(roles.department, roles.region, done=3, total=10, message="正在写入"),
        "reviewer": a_job(roles.reviewer, roles.region),
    }


@pytest.mark.django_db
def test_a_user_sees_only_their_own_jobs(client, roles, jobs):
    login(client, roles.department)
    listed = client.get(reverse(CHANGELIST)).context["cl"].result_list
    assert list(listed) == [jobs["dept"]]


@pytest.mark.django_db
def test_the_bureau_sees_every_job(client, roles, jobs):
    login(client, roles.publisher)
    listed = client.get(reverse(CHANGELIST)).context["cl"].result_list
    assert set(listed) == set(jobs.values())


@pytest.mark.django_db
def test_a_bureau_bound_to_another_region_sees_only_its_own(client, roles, jobs):
    from evaluations.services.imports import region_ensure

    elsewhere = bureau_login("nanming", region=region_ensure(code="520102", name="南明区"))
    login(client, elsewhere)
    assert list(client.get(reverse(CHANGELIST)).context["cl"].result_list) == []


@pytest.mark.django_db
def test_the_list_shows_progress_bars_refreshed_by_a_static_script(client, roles, jobs):
    login(client, roles.department)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert (
        f'<progress class="job-progress" data-job="{jobs["dept"].pk}" max="100" value="30">' in page
    )
    assert "js/jobs.js" in page
    assert f'data-url="{reverse("admin:evaluations_job_status")}"' in page
    assert "<script>" not in page.replace("<script src=", "")


@pytest.mark.django_db
def test_the_status_endpoint_answers_for_the_users_jobs_only(client, roles, jobs):
    login(client, roles.department)
    ids = f"{jobs['dept'].pk},{jobs['reviewer'].pk}"
    answer = client.get(reverse("admin:evaluations_job_status"), {"ids": ids})
    assert answer["Content-Type"] == "application/json"
    (status,) = json.loads(answer.content)["jobs"]
    assert status["id"] == jobs["dept"].pk
    assert (status["state"], status["percent"], status["message"]) == ("running", 30, "正在写入")
    assert status["download_url"] is None and status["retry_url"] is None


@pytest.mark.django_db
def test_a_finished_job_links_its_download(client, roles, jobs):
    job = finished(jobs["reviewer"])
    login(client, roles.reviewer)
    (status,) = json.loads(
        client.get(reverse("admin:evaluations_job_status"), {"ids": job.pk}).content
    )["jobs"]
    url = reverse("admin:evaluations_job_download", args=[job.pk])
    assert status["download_url"] == url
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"PK-file"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_someone_elses_file_is_not_served(client, roles, jobs):
    job = finished(jobs["reviewer"])
    login(client, roles.department)
    assert client.get(reverse("admin:evaluations_job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_an_unfinished_job_has_nothing_to_download(client, roles, jobs):
    login(client, roles.department)
    url = reverse("admin:evaluations_job_download", args=[jobs["dept"].pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_file_made_with_rights_its_owner_never_held_is_not_served(client, roles, jobs):
    # A department cannot start a results export: a job left in its name serves nothing.
    job = finished(jobs["dept"])
    login(client, roles.department)
    assert client.get(reverse("admin:evaluations_job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_job_files_have_no_public_url(roles, jobs):
    job = finished(jobs["dept"])
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018


@pytest.mark.django_db
def test_the_bureau_starts_a_report_job_for_its_region(client, roles):
    login(client, roles.reviewer)
    page = client.get(reverse("admin:evaluations_job_start")).content.decode()
    assert "生成年度报告（.docx）" in page
    changelist = reverse("admin:evaluations_job_changelist")
    assert f'&rsaquo; <a href="{changelist}">后台任务</a>' in page  # the breadcrumbs
    response = client.post(
        reverse("admin:evaluations_job_start"),
        {"kind": JobKind.REPORT_DOCX, "region": roles.region.pk, "year": 2021},
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.user, job.kind, job.region, job.year, job.state, job.attempts) == (
        roles.reviewer,
        JobKind.REPORT_DOCX,
        roles.region,
        2021,
        JobState.QUEUED,
        1,
    )
    assert job.task_result_id


@pytest.mark.django_db
def test_a_department_may_not_start_the_report(client, roles):
    login(client, roles.department)
    response = client.post(
        reverse("admin:evaluations_job_start"),
        {"kind": JobKind.REPORT_DOCX, "region": roles.region.pk, "year": 2021},
    )
    assert response.status_code == 200
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_only_the_unbound_bureau_exports_all_regions(client, roles):
    from evaluations.services.imports import region_ensure

    bound = bureau_login("huaxi-reviewer", region=roles.region)
    login(client, bound)
    client.post(
        reverse("admin:evaluations_job_start"), {"kind": JobKind.RESULTS_XLSX, "year": 2022}
    )
    assert not Job.objects.exists()

    region_ensure(code="520102", name="南明区")
    login(client, roles.reviewer)
    client.post(
        reverse("admin:evaluations_job_start"), {"kind": JobKind.RESULTS_XLSX, "year": 2022}
    )
    assert Job.objects.get().region is None


@pytest.mark.django_db
def test_a_job_page_shows_its_error_to_whom_sees_it(client, roles, jobs):
    job = jobs["dept"]
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="任务出错：磁盘已满")
    login(client, roles.department)
    page = client.get(reverse("admin:evaluations_job_change", args=[job.pk]))
    assert "任务出错：磁盘已满" in page.content.decode()
    login(client, roles.firm)
    assert client.get(reverse("admin:evaluations_job_change", args=[job.pk])).status_code == 302


@pytest.mark.django_db
def test_a_retry_asks_first_and_happens_on_post(client, roles, jobs):
    job = jobs["dept"]
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="任务出错", attempts=1)
    login(client, roles.department)
    url = reverse("admin:evaluations_job_retry", args=[job.pk])
    assert "重试" in client.get(url).content.decode()
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    client.post(url)
    assert (Job.objects.get(pk=job.pk).state, Job.objects.get(pk=job.pk).attempts) == (
        JobState.QUEUED,
        2,
    )


@pytest.mark.django_db
def test_someone_elses_failed_job_is_not_retried_by_a_department(client, roles, jobs):
    job = jobs["reviewer"]
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="任务出错")
    login(client, roles.department)
    assert client.post(reverse("admin:evaluations_job_retry", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED


@pytest.mark.django_db
def test_a_file_is_not_served_to_its_owner_once_their_role_is_gone(client, roles, jobs):
    job = finished(jobs["reviewer"])
    login(client, roles.reviewer)
    url = reverse("admin:evaluations_job_download", args=[job.pk])
    assert client.get(url).status_code == 200

    UserRole.objects.filter(user=roles.reviewer).delete()

    assert client.get(url).status_code == 404
