"""The results export job's file has the importable layout: imported into another region,
it gives the same tables."""

import pytest
from django.db.models import Sum

from evaluations.models import FundingLine, JobKind, JobState, Project, UnitEvaluation
from evaluations.services.imports import region_ensure, results_import_path
from evaluations.services.jobs import job_start
from evaluations.workflow import State

from .conftest import bureau_login, work_off

pytestmark = pytest.mark.django_db(transaction=True)


def exported(user, region, year):
    job = job_start(user=user, kind=JobKind.RESULTS_XLSX, region=region, year=year)
    work_off()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    return job.file.path


def imported(table, path, year):
    copy = region_ensure(code="520102", name="南明区")
    outcome = results_import_path(table=table, region=copy, year=year, path=path)
    assert outcome.ok, outcome.errors
    return copy


def projects(region, year):
    lines = FundingLine.objects.filter(project__region=region, project__year=year)
    return {
        "projects": sorted(
            Project.objects.filter(region=region, year=year).values_list(
                "number", "name", "unit__name", "score", "grade"
            )
        ),
        "lines": sorted(lines.values_list("project__number", "position", "label", "amount")),
        "funds": lines.aggregate(total=Sum("amount"))["total"],
    }


def units(region, year):
    return sorted(
        UnitEvaluation.objects.filter(region=region, year=year).values_list(
            "unit__name", "firm__name", "self_score", "score", "grade"
        )
    )


def test_the_projects_table_imports_back_the_same(huaxi_2021):
    path = exported(bureau_login("reviewer"), huaxi_2021, 2021)
    copy = imported("projects", path, 2021)
    assert projects(copy, 2021) == projects(huaxi_2021, 2021)
    assert len(projects(copy, 2021)["lines"]) == 35


def test_the_units_table_imports_back_the_same(roles):
    roles.unit_evaluation(State.SCORED)
    roles.unit_evaluation(State.SCORED, unit=roles.other_unit, firm=roles.firm_b)
    path = exported(roles.reviewer, roles.region, 2022)
    copy = imported("units", path, 2022)
    assert units(copy, 2022) == units(roles.region, 2022)
    assert len(units(copy, 2022)) == 2
