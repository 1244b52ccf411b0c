"""A results export runs in the worker: both tables in the importable layout, with progress."""

import io

import pytest
from openpyxl import load_workbook

from evaluations import tasks
from evaluations.imports.projects import ProjectResource
from evaluations.imports.units import UnitEvaluationResource
from evaluations.models import Job, JobKind, JobState, Project, Unit
from evaluations.services.imports import region_ensure
from evaluations.services.jobs import job_start
from evaluations.workflow import State

from .conftest import projects, work_off

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_writes_both_tables_of_the_region_and_year(roles, monkeypatch):
    projects(roles, 7)
    roles.unit_evaluation(State.RELEASED)
    roles.project(number=99, year=2021)  # another year: not in the file
    steps = []
    original = tasks.writes.job_progress
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 3)
    monkeypatch.setattr(
        tasks.writes, "job_progress", lambda **kw: steps.append(kw["done"]) or original(**kw)
    )

    job = job_start(user=roles.reviewer, kind=JobKind.RESULTS_XLSX, region=roles.region, year=2022)
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    work_off()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert (job.done, job.total, job.attempts) == (8, 8, 1)
    assert steps == [0, 3, 6]
    assert job.file_name == "花溪区2022年评价结果表.xlsx"
    book = load_workbook(io.BytesIO(job.file.open("rb").read()))
    units, lines = book.worksheets
    unit_rows = list(units.values)
    assert list(unit_rows[0]) == UnitEvaluationResource().get_export_headers()
    assert [row[1] for row in unit_rows[1:]] == ["花溪区教育局"]
    line_rows = list(lines.values)
    assert list(line_rows[0]) == ProjectResource().get_export_headers()
    assert [row[0] for row in line_rows[1:]] == [str(n) for n in range(1, 8)]


def test_it_writes_only_what_the_owner_sees(roles):
    roles.project(number=1)
    roles.project(number=2, unit=roles.other_unit)
    roles.department.user_permissions.add(*_export_permissions())

    job = job_start(
        user=roles.department, kind=JobKind.RESULTS_XLSX, region=roles.region, year=2022
    )
    work_off()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    lines = load_workbook(io.BytesIO(job.file.open("rb").read())).worksheets[1]
    assert [row[7] for row in list(lines.values)[1:]] == ["花溪区教育局"]


def test_all_regions_get_a_pair_of_sheets_each(roles):
    projects(roles, 2)
    other = region_ensure(code="520102", name="南明区")
    unit = Unit.objects.create(region=other, name="南明区教育局", kind="department")
    Project.objects.create(region=other, year=2022, number=1, name="项目", unit=unit)

    job = job_start(user=roles.reviewer, kind=JobKind.RESULTS_XLSX, region=None, year=2022)
    work_off()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    book = load_workbook(io.BytesIO(job.file.open("rb").read()))
    assert book.sheetnames == [
        "520102部门整体",
        "520102重点项目",
        "520111部门整体",
        "520111重点项目",
    ]
    assert job.file_name == "全部区划2022年评价结果表.xlsx"


def _export_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=["export_unitevaluation", "export_project"])
