"""Reads for background jobs: the jobs a user sees, their status, and the rows a job exports.

A job's export reads as its owner: the records policies.visible() gives the owner when the
job runs, in the importable layout's order (the admin export's, evaluations.admin.results).
"""

from django.db.models import Q, QuerySet

from .. import policies
from ..models import FundingLine, Job, JobState, Project, Region, UnitEvaluation


def jobs_for(user) -> QuerySet[Job]:
    """Return the jobs the user sees, newest first, with what their list shows."""
    return policies.visible_jobs(user).select_related("user", "region")


def failed_jobs(user) -> QuerySet[Job]:
    """Return the user's own failed jobs, newest first: the ones they are told about."""
    return Job.objects.filter(user=user, state=JobState.FAILED).select_related("region")


def job_status(user, job: Job) -> dict:
    """Return what the status endpoint tells about one job the user sees."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error if job.state == JobState.FAILED else "",
        "attempts": job.attempts,
        "can_download": policies.can_download_job(user, job),
        "can_retry": policies.can_retry_job(user, job),
    }


def jobs_status(user, ids) -> list[dict]:
    """Return the status of the jobs among ids that the user sees (one query)."""
    jobs = policies.visible_jobs(user).filter(pk__in=ids).order_by("pk")
    return [job_status(user, job) for job in jobs]


def export_regions(user, region, year: int) -> list[Region]:
    """Return the regions a results export covers: the one asked for, or every region with
    results of the year that the user sees."""
    if region is not None:
        return [region]
    units = policies.visible(user, UnitEvaluation).filter(year=year).values("region")
    projects = policies.visible(user, Project).filter(year=year).values("region")
    return list(Region.objects.filter(Q(pk__in=units) | Q(pk__in=projects)).order_by("code"))


def unit_rows(user, region, year: int) -> QuerySet[UnitEvaluation]:
    """Return the unit-overall evaluations of the export, in the table's order."""
    return (
        policies.visible(user, UnitEvaluation)
        .filter(region=region, year=year)
        .select_related("unit", "firm")
        .order_by("firm__name", "unit__name", "pk")
    )


def funding_line_rows(user, region, year: int) -> QuerySet[FundingLine]:
    """Return the projects' funding lines of the export: one sheet row each, by project."""
    projects = policies.visible(user, Project).filter(region=region, year=year)
    return (
        FundingLine.objects.filter(project__in=projects)
        .select_related("project", "project__unit")
        .order_by("project__number", "position", "pk")
    )
