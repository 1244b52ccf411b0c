"""Background tasks (django-tasks): run a job (evaluations.models.Job) and watch over it.

`python manage.py db_worker` takes the tasks from the database (django-tasks-db). A run
claims its job, produces the file into private storage (settings.JOB_FILES_DIR) while
reporting progress, which also beats the job's heartbeat, and records the file or the error.

A worker killed mid-run leaves its task "running" for ever: django-tasks does not retry.
So a run's claim queues, in the same transaction, a watch_job task due when the run's
heartbeat would turn stale; a worker, the one restarted or another, runs the watch, which
queues the job again if the run has stopped beating (services.jobs.job_recover_if_stale).
"""

import contextlib
import datetime
import logging
import os
from pathlib import Path

from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from openpyxl import Workbook

from . import policies
from .imports.projects import ProjectResource
from .imports.units import UnitEvaluationResource
from .models import JobKind
from .models.jobs import job_storage
from .report import annual_report
from .report.docx import report_docx
from .selectors import jobs as reads
from .services import jobs as writes

logger = logging.getLogger(__name__)

# Progress (and the heartbeat) is written once per this many exported rows.
PROGRESS_EVERY = 500
WATCH_PRIORITY = 10  # before the jobs: a restarted worker first sees what was lost


class JobError(Exception):
    """A failure the job's owner can act on; its message is shown as it is."""


def queue_runs_in_process() -> bool:
    """Return True if enqueued tasks run at once inside the caller (TASKS_BACKEND=immediate)."""
    return isinstance(task_backends["default"], ImmediateBackend)


@task(takes_context=True)
def run_job(context, job_id: int) -> None:
    """Run the job once under this task's id; a run that is no longer the job's does nothing."""
    token = str(context.task_result.id)
    job = writes.job_claim(job_id=job_id, token=token)
    if job is None:
        return
    try:
        PRODUCERS[job.kind](job, token)
    except writes.JobSuperseded:
        logger.warning("job %s: run %s was superseded and stopped", job_id, token)
    except Exception as exc:
        error = str(exc) if isinstance(exc, JobError) else f"任务出错：{type(exc).__name__}: {exc}"
        with contextlib.suppress(writes.JobSuperseded):  # a later run owns the job now
            writes.job_fail(job=job, token=token, error=error)
        raise


@task(priority=WATCH_PRIORITY)
def watch_job(job_id: int, token: str) -> str:
    """Queue the job again if the run under the token lost its worker."""
    return writes.job_recover_if_stale(job_id=job_id, token=token)


def watch(*, job_id: int, token: str, at: datetime.datetime) -> None:
    """Queue a watch over the run, due at the given time (no worker to lose in process)."""
    if not queue_runs_in_process():
        watch_job.using(run_after=at).enqueue(job_id, token)


def abandon(token: str) -> None:
    """Mark the lost run's task failed: its worker is gone and will never finish it."""
    if queue_runs_in_process():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=token, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="evaluations.tasks.WorkerLost",
        traceback="The worker stopped beating the job's heartbeat; the job was queued again.",
    )


# -- producers: each writes the job's file, reporting progress ---------------------------


def _save(job, token: str, extension: str, file_name: str, write) -> None:
    """Write the file under a name of this run's own, then record it on the job."""
    name = f"{job.pk}/{token}.{extension}"
    path = Path(job_storage().path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    write(partial)
    os.replace(partial, path)  # a reader never sees half a file
    writes.job_finish(job=job, token=token, name=name, file_name=file_name)


def report_job(job, token: str) -> None:
    """Produce the region's annual report as .docx (the public page's report)."""
    if not policies.can_start_job(job.user, job.kind, job.region):
        raise JobError("发起人已无权生成此报告")
    writes.job_progress(job=job, token=token, done=0, total=3, message="正在汇总数据")
    report = annual_report(region=job.region, year=job.year)
    writes.job_progress(job=job, token=token, done=1, total=3, message="正在生成文档")
    content = report_docx(report)
    writes.job_progress(job=job, token=token, done=2, total=3, message="正在保存")
    _save(job, token, "docx", f"{report.title}.docx", lambda path: path.write_bytes(content))


def _tables(job):
    """Yield (sheet title, resource, rows) of the results export, region by region."""
    regions = reads.export_regions(job.user, job.region, job.year)
    for region in regions:
        prefix = "" if job.region is not None else region.code
        unit_resource = UnitEvaluationResource(region=region, year=job.year)
        yield (
            f"{prefix}{'部门整体' if prefix else unit_resource.get_display_name()}",
            unit_resource,
            reads.unit_rows(job.user, region, job.year),
        )
        project_resource = ProjectResource(region=region, year=job.year)
        yield (
            f"{prefix}{'重点项目' if prefix else project_resource.get_display_name()}",
            project_resource,
            reads.funding_line_rows(job.user, region, job.year),
        )


def results_job(job, token: str) -> None:
    """Produce the results tables (units and projects, the importable layout) as .xlsx.

    openpyxl's write-only workbook keeps memory flat whatever the number of rows.
    """
    if not policies.can_start_job(job.user, job.kind, job.region):
        raise JobError("发起人已无权导出这些评价结果")
    tables = list(_tables(job))
    total = sum(rows.count() for _, _, rows in tables)
    writes.job_progress(job=job, token=token, done=0, total=total, message="正在写入")
    workbook = Workbook(write_only=True)
    done = 0
    for title, resource, rows in tables:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(resource.get_export_headers())
        for row in rows.iterator(chunk_size=2000):
            sheet.append(resource.export_resource(row))
            done += 1
            if done % PROGRESS_EVERY == 0:
                writes.job_progress(
                    job=job, token=token, done=done, total=max(total, done), message="正在写入"
                )
    where = job.region.name if job.region is not None else "全部区划"
    _save(job, token, "xlsx", f"{where}{job.year}年评价结果表.xlsx", workbook.save)


PRODUCERS = {JobKind.REPORT_DOCX: report_job, JobKind.RESULTS_XLSX: results_job}
