"""Boundaries an independent review found open: another unit's project, another unit's
targets through an import, an adjusted target under a started table, two evaluators on
one sheet, an import over a computed score, long cells, unsigned limits."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission

from evaluations.indicators import parse_value
from evaluations.models import FundingLine, SelfEvaluation, ThirdPartySheet, Unit
from evaluations.services.documents import documents_import
from evaluations.services.imports import results_import
from evaluations.services.self_evaluations import (
    self_evaluation_restart,
    self_evaluation_save,
    self_evaluation_start,
)
from evaluations.services.targets import target_adjust, target_review, target_submit
from evaluations.services.third_party import sheet_framework, sheet_save
from evaluations.services.workflow import Conflict, WorkflowError
from evaluations.workflow import State
from tests.sheets import project_sheet

from .filings import D, approved_target, leaf, standard_tree

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"


def test_a_target_is_never_tied_to_another_units_key_project(world):
    others = world.project(State.DRAFT, unit=world.other_unit, number=7)
    target = approved_target(world, name=others.name)
    assert target.evaluation is None
    evaluation = self_evaluation_start(target=target, user=world.department)
    assert evaluation.funding_line is None
    assert FundingLine.objects.get(project=others).self_score == D("99.90")


def test_an_import_naming_another_units_table_tells_nothing_about_it(world):
    civil = Unit.objects.create(region=world.region, name="花溪区民政局", kind="department")
    table = (LAYOUTS / "self_evaluation_standard.xlsx").read_bytes()
    imported = documents_import(
        data=table, file_name="a.xlsx", user=world.reviewer, region=world.region, approved=True
    )
    assert imported.ok, imported.errors
    assert SelfEvaluation.objects.get().target.unit == civil
    workbook = openpyxl.load_workbook(io.BytesIO(table))
    workbook.active["D14"] = "猜测的指标"
    probe = io.BytesIO()
    workbook.save(probe)
    outcome = documents_import(
        data=probe.getvalue(),
        file_name="probe.xlsx",
        user=world.department,
        region=world.region,
        dry_run=True,
    )
    assert len(outcome.errors) == 1
    assert "不在您的范围内" in outcome.errors[0]
    assert "享受居家养老服务补助老人数" not in outcome.errors[0]


def test_a_table_started_before_an_adjustment_is_moved_onto_the_new_version(world):
    target = approved_target(world)
    evaluation = self_evaluation_start(target=target, user=world.department)
    by_name = {
        e.indicator.name: e.indicator_id for e in evaluation.entries.select_related("indicator")
    }
    self_evaluation_save(
        self_evaluation=evaluation,
        user=world.department,
        entries={by_name["家长满意度"]: {"actual_value": "95%"}},
    )
    version = target_adjust(target=target, user=world.department, reason="学位调减")
    from evaluations.services.targets import target_version_update

    tree = standard_tree(
        output=[leaf("新增公办幼儿园学位", "≥1000个", 30), leaf("项目按期完工率", "≥95%", 20)]
    )
    target_version_update(version=version, user=world.department, changes={}, tree=tree)
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="优")
    moved = self_evaluation_restart(
        self_evaluation=SelfEvaluation.objects.get(), user=world.department
    )
    assert moved.version == version
    kept = moved.entries.get(indicator__name="家长满意度")
    assert (kept.actual_value, kept.indicator.version_id) == ("95%", version.pk)
    assert moved.entries.get(indicator__name="新增公办幼儿园学位").indicator.target_number == 1000
    with pytest.raises(WorkflowError, match="无需重新生成"):
        self_evaluation_restart(self_evaluation=moved, user=world.department)


def test_two_evaluators_on_one_sheet_cannot_wipe_each_others_scores(world):
    project = world.project(State.ASSIGNED)
    leaves = list(sheet_framework(project).nodes.filter(level=3))
    sheet = sheet_save(project=project, user=world.firm_user, scores={})
    seen = sheet.revision
    first = {n.pk: (n.points, "甲的发现") for n in leaves[:5]}
    sheet_save(project=project, user=world.firm_user, scores=first, revision=seen)
    with pytest.raises(Conflict):
        sheet_save(
            project=project,
            user=world.firm_user,
            scores={n.pk: (None, "") for n in leaves},
            revision=seen,
        )
    assert ThirdPartySheet.objects.get().scores.count() == 5


def test_a_results_import_cannot_type_over_a_score_the_sheet_computed(world):
    project = world.project(State.ASSIGNED, year=2022)
    leaves = sheet_framework(project).nodes.filter(level=3)
    sheet_save(project=project, user=world.firm_user, scores={n.pk: (n.points, "") for n in leaves})
    firm = world.firm_user
    firm.user_permissions.add(*Permission.objects.filter(codename="import_project"))
    firm = type(firm).objects.get(pk=firm.pk)
    outcome = results_import(
        table="projects",
        region=world.region,
        year=2022,
        data=project_sheet([[1, project.name, 476.604, 99.9, 61, "中"]]),
        file_name="p.xlsx",
        user=firm,
    )
    assert not outcome.ok
    assert any("由评分表计算" in e for e in outcome.errors), outcome.errors
    project.refresh_from_db()
    assert project.score == Decimal("100.00")


def test_an_overlong_cell_is_reported_at_its_place_not_cut_or_crashed(world):
    Unit.objects.create(region=world.region, name="花溪区民政局", kind="department")
    workbook = openpyxl.load_workbook(LAYOUTS / "target_table.xlsx")
    sheet = workbook.active
    name_cell = next(
        c for row in sheet.iter_rows() for c in row if c.value == "享受居家养老服务补助老人数"
    )
    name_cell.value = "长" * 201
    data = io.BytesIO()
    workbook.save(data)
    outcome = documents_import(
        data=data.getvalue(), file_name="长.xlsx", user=world.reviewer, region=world.region
    )
    [error] = outcome.errors
    assert error.startswith(
        f"长.xlsx 工作表“{sheet.title}”第{name_cell.row}行 {name_cell.column_letter}列"
    )
    assert error.endswith("内容超过 200 个字")


@pytest.mark.parametrize(
    ("raw", "operator", "number", "unit"),
    [
        ("200万元以内", "≤", D(200), "万元"),
        ("5%以下", "≤", D(5), "%"),
        ("12月底前", "≤", D(12), "月底"),
        ("90%以上", "≥", D(90), "%"),
        ("100人及以上", "≥", D(100), "人"),
    ],
)
def test_a_limit_written_after_the_value_is_its_operator(raw, operator, number, unit):
    value = parse_value(raw)
    assert (value.operator, value.number, value.unit) == (operator, number, unit)


def test_a_negative_indicator_without_a_sign_is_scored_lower_is_better(world):
    from evaluations.models import IndicatorNode

    tree = standard_tree(output=[leaf("项目成本", "≤360万元", 50)])
    target = approved_target(world, tree=tree)
    # As a table approved on paper states it: 反向, and no sign before the value.
    IndicatorNode.objects.filter(name="项目成本").update(operator="", direction="negative")
    evaluation = self_evaluation_start(target=target, user=world.department)
    ids = {e.indicator.name: e.indicator_id for e in evaluation.entries.select_related("indicator")}
    evaluation = self_evaluation_save(
        self_evaluation=evaluation,
        user=world.department,
        changes={"full_year_budget": D(100), "spent": D(100)},
        entries={
            ids["项目成本"]: {"actual_value": "450万元", "reason": "材料涨价"},
            ids["普惠性幼儿园覆盖率"]: {"actual_value": "86%"},
            ids["家长满意度"]: {"actual_value": "95%"},
        },
    )
    # 360 ÷ 450 × 50 = 40.00
    assert evaluation.entries.get(indicator__name="项目成本").score == D("40.00")
