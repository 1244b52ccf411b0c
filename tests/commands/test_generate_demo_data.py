"""manage.py generate_demo_data: a tiny province that is valid, complete, public and repeatable."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.classification import kind_for_name
from evaluations.grading import grade_for
from evaluations.models import (
    Firm,
    Framework,
    FundingLine,
    FundSource,
    IndicatorNode,
    MonitoringEntry,
    MonitoringPeriod,
    MonitoringReport,
    PerformanceTarget,
    Problem,
    Project,
    Region,
    SelfEvaluation,
    SelfEvaluationEntry,
    TargetVersion,
    ThirdPartyScore,
    ThirdPartySheet,
    Unit,
    UnitEvaluation,
)
from evaluations.selectors import year_summary
from evaluations.services.self_evaluations import compute
from evaluations.workflow import FilingState, State

pytestmark = pytest.mark.django_db

TINY = {"regions": 2, "units": 3, "projects": 4, "years": 2, "first_year": 2020, "seed": 7}
MODELS = (
    Region,
    Firm,
    Unit,
    UnitEvaluation,
    Project,
    FundingLine,
    Framework,
    PerformanceTarget,
    TargetVersion,
    IndicatorNode,
    MonitoringPeriod,
    MonitoringReport,
    MonitoringEntry,
    SelfEvaluation,
    SelfEvaluationEntry,
    FundSource,
    ThirdPartySheet,
    ThirdPartyScore,
    Problem,
)


def generate(**options):
    call_command("generate_demo_data", **{**TINY, **options}, stdout=StringIO())


@pytest.fixture
def province(db):
    generate()


def test_a_sample_of_every_generated_model_passes_full_clean(province):
    for model in MODELS:
        rows = list(model.objects.order_by("pk")[:40])
        assert rows, f"no {model.__name__} generated"
        for row in rows:
            try:
                row.full_clean()
            except ValidationError as error:
                pytest.fail(f"{model.__name__} {row.pk}: {error.message_dict}")


def test_every_unit_is_named_for_its_kind(province):
    units = list(Unit.objects.all())
    assert {unit.kind for unit in units} == {"department", "township", "subdistrict"}
    assert all(kind_for_name(unit.name) == unit.kind for unit in units)


def test_every_workflow_state_occurs(province):
    states = set(UnitEvaluation.objects.values_list("state", flat=True))
    states |= set(Project.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert set(Problem.objects.values_list("state", flat=True)) == set(Problem.State.values)


def test_every_filing_state_occurs_in_a_small_province(db):
    generate(units=4, projects=12)
    states = set(TargetVersion.objects.values_list("state", flat=True))
    states |= set(SelfEvaluation.objects.values_list("state", flat=True))
    states |= set(MonitoringReport.objects.values_list("state", flat=True))
    assert states == set(FilingState.values)


def test_scores_grades_and_funds_agree(province):
    for model in (UnitEvaluation, Project, SelfEvaluation):
        for row in model.objects.all():
            score = row.total if model is SelfEvaluation else row.score
            assert row.grade == (grade_for(score) if score is not None else "")
    sheets = ThirdPartySheet.objects.select_related("project").prefetch_related("scores")
    assert sheets
    for sheet in sheets:
        assert sheet.total == sheet.project.score == sum(s.score for s in sheet.scores.all())
    for version in TargetVersion.objects.filter(target__scope="project"):
        lines = FundingLine.objects.filter(project__target__versions=version)
        assert version.funds_total == sum(line.amount for line in lines)
        assert version.funds_fiscal + version.funds_other == version.funds_total
    for table in SelfEvaluation.objects.filter(funding_line__isnull=False):
        assert table.funding_line.self_score == table.total
    for value in FundingLine.objects.values_list("amount", flat=True):
        assert isinstance(value, Decimal)


def test_self_evaluation_scores_are_the_ones_the_service_computes(province):
    tables = SelfEvaluation.objects.select_related("framework", "target")
    assert tables
    for table in tables:
        entries = list(table.entries.select_related("indicator").order_by("pk"))
        stored = (table.execution_rate, table.execution_score, table.total, table.grade)
        stored_entries = [(e.ceiling, e.score, e.missed) for e in entries]
        assert compute(table, entries) == []
        assert (table.execution_rate, table.execution_score, table.total, table.grade) == stored
        assert [(e.ceiling, e.score, e.missed) for e in entries] == stored_entries


def test_the_public_figures_agree_with_the_generated_rows(province):
    for region in Region.objects.all():
        for year in (2020, 2021):
            units = UnitEvaluation.objects.filter(region=region, year=year, state="released")
            projects = Project.objects.filter(region=region, year=year, state="released")
            lines = FundingLine.objects.filter(project__in=projects)
            summary = year_summary(region=region, year=year)
            assert summary["units"]["count"] == len(units)
            kinds = Counter(unit.unit.get_kind_display() for unit in units)
            assert summary["units"]["by_kind"] == {k: kinds[k] for k in ("部门", "乡镇", "街道")}
            assert summary["units"]["by_grade"] == {
                g: sum(1 for u in units if u.grade == g) for g in "优良中差"
            }
            assert summary["projects"]["count"] == len(projects)
            assert summary["projects"]["funding_lines"] == len(lines)
            assert summary["projects"]["total_funds"] == sum(
                (line.amount for line in lines), Decimal(0)
            )
            assert summary["projects"]["highest_score"] == max(
                (p.score for p in projects), default=None
            )


PAGES = (
    "",
    "summary.json",
    "units/",
    "units/?sort=-score&page=1",
    "projects/",
    "charts/",
    "report/",
    "downloads/",
)
# Not application/: its problem list runs one more query when a year has problems to list,
# and the bundled 2021 has none (a constant, not a count that grows with the rows).


def queries_at(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_public_pages_of_a_generated_year_run_the_bundled_datas_queries(client, huaxi_2021):
    generate(projects=30)
    region = Region.objects.exclude(code="520111").order_by("code").first()
    for page in PAGES:
        bundled = queries_at(client, f"/520111/2021/{page}")
        assert queries_at(client, f"/{region.code}/2020/{page}") == bundled, page
    unit = UnitEvaluation.objects.filter(region=region, state="released").first().unit
    bundled_unit = UnitEvaluation.objects.filter(region=huaxi_2021).first().unit
    assert queries_at(client, f"/{region.code}/units/{unit.pk}/") == queries_at(
        client, f"/520111/units/{bundled_unit.pk}/"
    )


def test_a_generated_project_page_runs_the_filed_project_budget(client, db):
    generate(projects=40)
    filed = Project.objects.filter(
        state="released", sheet__isnull=False, target__self_evaluation__state="approved"
    ).first()
    # As tests/views/test_project_targets.py: a project with its target, approved
    # self-evaluation and sheet is 8 queries, whatever the number of indicators.
    path = f"/{filed.region.code}/{filed.year}/projects/{filed.number}/"
    assert queries_at(client, path) == 8


def snapshot() -> dict:
    """Return every row's fields, each id replaced by the row's rank in its table (ids
    differ from run to run on PostgreSQL, whose sequences a rollback does not rewind)."""
    ranks = {
        model: {
            pk: rank
            for rank, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))
        }
        for model in MODELS
    }
    rows = {}
    for model in MODELS:
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (
                f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            )
        ]
        values = []
        for row in model.objects.order_by("pk").values_list(*[f.attname for f in fields]):
            values.append(
                tuple(
                    ranks[f.related_model][value] if f.is_relation and value is not None else value
                    for f, value in zip(fields, row, strict=True)
                )
            )
        rows[model.__name__] = values
    return rows


def build(**options) -> dict:
    with transaction.atomic():
        generate(**options)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_province(db):
    first = build()
    assert first == build()
    assert first["Project"] != build(seed=8)["Project"]


def test_it_refuses_to_write_into_regions_that_exist(province):
    before = {model.__name__: model.objects.count() for model in MODELS}
    with pytest.raises(CommandError, match="520121"):
        generate(regions=3)
    assert {model.__name__: model.objects.count() for model in MODELS} == before
