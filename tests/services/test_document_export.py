"""Filings written back out in their circulated layout read in again unchanged."""

from pathlib import Path

import pytest

from evaluations.layouts.read import read_documents
from evaluations.layouts.write import write_document
from evaluations.models import SelfEvaluation, TargetVersion, Unit
from evaluations.selectors.documents import self_evaluation_document, target_document
from evaluations.selectors.targets import version_leaves
from evaluations.services.documents import documents_import

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"


@pytest.fixture
def civil_affairs(world):
    unit = Unit.objects.create(region=world.region, name="花溪区民政局", kind="department")
    world.department.perf_role.units.add(unit)
    return unit


def imported(world, name, **kw):
    outcome = documents_import(
        data=(LAYOUTS / name).read_bytes(), file_name=name, region=world.region, **kw
    )
    assert outcome.ok, outcome.errors
    return outcome


def test_an_exported_self_evaluation_reads_back_with_its_computed_scores(world, civil_affairs):
    imported(world, "self_evaluation_standard.xlsx", user=world.reviewer, approved=True)
    evaluation = SelfEvaluation.objects.get()
    document = self_evaluation_document(evaluation)
    [again] = read_documents(write_document(document), file_name=document.file_name)
    assert again.total == evaluation.total
    assert again.funds[0].score == evaluation.execution_score
    assert [(r.name, r.score, r.actual_text) for r in again.indicators] == [
        (e.indicator.name, e.score, e.actual_value)
        for e in evaluation.entries.select_related("indicator")
        if e.indicator_id in {n.pk for n in version_leaves(evaluation.version)}
    ]


def test_a_department_re_imports_its_exported_draft_target_unchanged(world, civil_affairs):
    imported(world, "target_table.xlsx", user=world.department)
    version = TargetVersion.objects.get()
    before = [(n.name, n.points, n.target_text) for n in version_leaves(version)]
    document = target_document(version)
    outcome = documents_import(
        data=write_document(document),
        file_name=document.file_name,
        user=world.department,
        region=world.region,
    )
    assert outcome.ok, outcome.errors
    assert [r.created for r in outcome.results] == [False]
    version = TargetVersion.objects.get()
    assert [(n.name, n.points, n.target_text) for n in version_leaves(version)] == before
    assert version.funds_total == document.funds[0].initial_budget
