"""Writes to background jobs: start, retry, and the worker's claim, progress and outcome.

Every run of a job carries a token, the id of its django-tasks result. A run writes to the
job only while the job still holds its token: once a run is given up for lost (its worker
stopped beating, job_recover_if_stale) and the job queued again, the lost run, should it
wake, can no longer touch the job (JobSuperseded) and the new run's file is the only one.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import policies, tasks
from ..models import Job, JobState

ERROR_LIMIT = 2000
LOST = "上次运行中断（工作进程停止），已重新排队"
# A job whose runs keep losing their worker (one that exhausts the worker's memory, say)
# is not queued for ever, taking the worker down each time: after this many attempts it
# fails, and its owner is told and may retry it.
MAX_ATTEMPTS = 3
GAVE_UP = (
    f"任务已运行 {MAX_ATTEMPTS} 次，每次都在运行中中断（工作进程停止，可能是内存不足），"
    "已停止；可缩小范围（单个区划）后重试"
)


class JobSuperseded(Exception):
    """The run's job was queued again or has ended: the run must stop without writing."""


def _enqueue(job: Job) -> None:
    """Queue a run of the job. With the database queue the task row commits with the job."""
    job.task_result_id = ""
    if tasks.queue_runs_in_process():
        transaction.on_commit(lambda: tasks.run_job.enqueue(job.pk))
    else:
        job.task_result_id = tasks.run_job.enqueue(job.pk).id
    job.save()


@transaction.atomic
def job_start(*, user, kind: str, region, year: int) -> Job:
    """Create a job for the user and queue its first run."""
    if not policies.can_start_job(user, kind, region):
        raise PermissionDenied("您没有发起此后台任务的权限")
    job = Job.objects.create(user=user, kind=kind, region=region, year=year, attempts=1)
    _enqueue(job)
    return job


@transaction.atomic
def job_retry(*, job: Job, user) -> Job:
    """Queue a failed job again (the same job, one more attempt)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not policies.can_retry_job(user, job):
        raise PermissionDenied("只有任务的发起人或财政局可以重试失败的任务")
    _requeue(job, message="已重新排队")
    return job


def _requeue(job: Job, *, message: str) -> None:
    job.attempts += 1
    job.state = JobState.QUEUED
    job.done = job.total = 0
    job.message = message
    job.error = ""
    job.started_at = job.finished_at = job.heartbeat_at = None
    _enqueue(job)


def _stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_STALE_AFTER)


@transaction.atomic
def job_claim(*, job_id: int, token: str) -> Job | None:
    """Mark the job running under the run's token and queue the watch over the run; None if
    the run is not the job's now (queued again since, or ended)."""
    jobs = Job.objects.select_related("user", "region").select_for_update(of=("self",))
    job = jobs.filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED or job.task_result_id not in ("", token):
        return None
    now = timezone.now()
    job.state, job.task_result_id = JobState.RUNNING, token
    job.started_at = job.heartbeat_at = now
    job.message = "正在运行"
    job.save()
    # Queued with the claim, in one transaction: a claimed run is always watched.
    tasks.watch(job_id=job.pk, token=token, at=now + _stale_after())
    return job


def _update_own(job: Job, token: str, **values) -> None:
    """Write to the job if the run still holds it, else raise JobSuperseded."""
    held = Job.objects.filter(pk=job.pk, task_result_id=token, state=JobState.RUNNING)
    if not held.update(**values):
        raise JobSuperseded(job.pk)
    for name, value in values.items():
        setattr(job, name, value)


def job_progress(*, job: Job, token: str, done: int, total: int, message: str = "") -> None:
    """Record the run's progress and beat its heartbeat."""
    _update_own(
        job, token, done=done, total=total, message=message[:200], heartbeat_at=timezone.now()
    )


def job_finish(*, job: Job, token: str, name: str, file_name: str) -> None:
    """Record the run's file and mark the job done."""
    now = timezone.now()
    _update_own(
        job,
        token,
        state=JobState.DONE,
        file=name,
        file_name=file_name[:200],
        done=job.total,
        message="已完成",
        finished_at=now,
        heartbeat_at=now,
    )


def job_fail(*, job: Job, token: str, error: str) -> None:
    """Record the run's error and mark the job failed, for its owner to see and retry."""
    now = timezone.now()
    _update_own(
        job,
        token,
        state=JobState.FAILED,
        error=error[:ERROR_LIMIT],
        message="失败",
        finished_at=now,
        heartbeat_at=now,
    )


@transaction.atomic
def job_recover_if_stale(*, job_id: int, token: str) -> str:
    """Queue the job again if the run under the token lost its worker; say what was found.

    "ended": the run is no longer the job's (done, failed, queued again): nothing to do.
    "alive": its heartbeat is recent: look again when it would turn stale.
    "requeued": its heartbeat is older than settings.JOB_STALE_AFTER: the job is queued again.
    "failed": so, but the job has had MAX_ATTEMPTS runs: it fails, for its owner to retry.
    """
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != JobState.RUNNING or job.task_result_id != token:
        return "ended"
    last = job.heartbeat_at or job.started_at
    if last is not None and last > timezone.now() - _stale_after():
        tasks.watch(job_id=job.pk, token=token, at=last + _stale_after())
        return "alive"
    tasks.abandon(token)
    if job.attempts >= MAX_ATTEMPTS:
        now = timezone.now()
        job.state, job.error, job.message = JobState.FAILED, GAVE_UP, "失败"
        job.finished_at = job.heartbeat_at = now
        job.save()
        return "failed"
    _requeue(job, message=LOST)
    return "requeued"
