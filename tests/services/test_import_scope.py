"""An import touches only what its user may touch; everything else is a row error."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from evaluations.models import FundingLine, Project, UnitEvaluation, WorkflowEvent
from evaluations.services.imports import results_import
from evaluations.workflow import State
from tests.sheets import project_sheet, unit_sheet


def allow_import(user):
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_unitevaluation", "import_project"])
    )
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def units(world, user, rows, **kwargs):
    return results_import(
        table="units",
        region=world.region,
        year=2022,
        data=unit_sheet(rows),
        file_name="units.xlsx",
        user=user,
        **kwargs,
    )


def test_a_firm_sheet_fills_in_the_scores_of_evaluations_assigned_to_it(world):
    record = world.unit_evaluation(State.ASSIGNED)
    firm = allow_import(world.firm_user)

    outcome = units(world, firm, [[world.firm.name, world.own_unit.name, 77.5, "中"]])

    assert outcome.ok, outcome.errors
    record.refresh_from_db()
    assert (record.score, record.state) == (Decimal("77.50"), State.ASSIGNED)
    assert record.history.latest().history_user == world.firm_user


def test_a_firm_sheet_row_for_an_evaluation_assigned_elsewhere_is_a_row_error(world):
    world.unit_evaluation(State.ASSIGNED)
    world.unit_evaluation(State.ASSIGNED, unit=world.other_unit, firm=world.other_firm)
    firm = allow_import(world.firm_user)

    outcome = units(
        world,
        firm,
        [
            [world.firm.name, world.own_unit.name, 77.5, "中"],
            [world.firm.name, world.other_unit.name, 60, "中"],
            [world.firm.name, "新单位", 60, "中"],
        ],
    )

    # The same answer whether the record exists elsewhere or not at all.
    assert outcome.errors == [
        "units.xlsx 第4行：不在您的范围内：只能导入分配给您的记录",
        "units.xlsx 第5行：不在您的范围内：只能导入分配给您的记录",
    ]
    assert UnitEvaluation.objects.get(unit=world.own_unit).score == Decimal("88.5")


def test_a_firm_cannot_change_a_self_score_or_reassign_itself(world):
    world.unit_evaluation(State.ASSIGNED)
    firm = allow_import(world.firm_user)

    outcome = units(world, firm, [[world.other_firm.name, world.own_unit.name, 88.5, "良"]])

    assert len(outcome.errors) == 1 and "不能修改：firm" in outcome.errors[0]


def test_a_department_sheet_sets_its_own_draft_projects_self_scores(world):
    project = world.project(State.DRAFT)
    department = allow_import(world.department)
    data = project_sheet(
        [[1, project.name, 476.604, 97.5]],
        header=["序号", "项目名称", "年度项目资金（万元）", "自评得分"],
    )

    outcome = results_import(
        table="projects",
        region=world.region,
        year=2022,
        data=data,
        file_name="p.xlsx",
        user=department,
    )

    assert outcome.ok, outcome.errors
    assert FundingLine.objects.get(project=project).self_score == Decimal("97.50")


def test_a_department_cannot_touch_a_third_party_score_or_a_submitted_project(world):
    world.project(State.DRAFT)
    world.project(State.SUBMITTED, number=2)
    department = allow_import(world.department)
    header = ["序号", "项目名称", "年度项目资金（万元）", "自评得分", "第三方机构评分", "等级"]
    data = project_sheet(
        [
            [1, "幼儿园公办率及普惠率达标经费", 476.604, 99.9, 99, "优"],
            [2, "幼儿园公办率及普惠率达标经费", 476.604, 95, 91.13, "优"],
        ],
        header=header,
    )

    outcome = results_import(
        table="projects",
        region=world.region,
        year=2022,
        data=data,
        file_name="p.xlsx",
        user=department,
    )

    assert outcome.errors == [
        "p.xlsx 第3行：当前状态（草稿）下您不能修改：score",
        "p.xlsx 第4行：当前状态（自评已提交）下您不能修改：lines",
    ]


def test_nobody_changes_a_released_record_by_import(world, huaxi):
    world.unit_evaluation(State.RELEASED)
    reviewer = allow_import(world.reviewer)

    outcome = units(world, reviewer, [[world.firm.name, world.own_unit.name, 99, "优"]])

    assert outcome.errors == ["units.xlsx 第3行：该记录已公开，只能通过更正流程修改"]


def test_a_bureau_import_starts_records_as_drafts_in_the_workflow(world):
    reviewer = allow_import(world.reviewer)
    row = [[world.firm.name, world.own_unit.name, 91, "优"]]

    assert units(world, reviewer, row).ok
    record = UnitEvaluation.objects.get()
    assert record.state == State.DRAFT
    event = WorkflowEvent.objects.get(object_id=record.pk)
    assert (event.action, event.to_state, event.actor) == ("import", State.DRAFT, world.reviewer)


def test_releasing_on_import_needs_the_publisher(world):
    reviewer = allow_import(world.reviewer)

    outcome = units(
        world, reviewer, [[world.firm.name, world.own_unit.name, 91, "优"]], release=True
    )

    assert outcome.errors == ["units.xlsx：您没有公开评价结果的权限，不能以“已公开”导入"]
    assert not UnitEvaluation.objects.exists()


@pytest.mark.parametrize("release", [True, False])
def test_the_command_line_imports_as_released_only_when_asked(world, release):
    outcome = units(
        world, None, [[world.firm.name, world.own_unit.name, 91, "优"]], release=release
    )

    assert outcome.ok
    expected = State.RELEASED if release else State.DRAFT
    assert UnitEvaluation.objects.get().state == expected
    assert Project.objects.count() == 0


def test_a_publisher_imports_historical_results_as_released(world):
    publisher = allow_import(world.publisher)

    outcome = units(
        world, publisher, [[world.firm.name, world.own_unit.name, 91, "优"]], release=True
    )

    assert outcome.ok, outcome.errors
    assert UnitEvaluation.objects.get().state == State.RELEASED


def test_a_publisher_creates_nothing_without_releasing(world):
    publisher = allow_import(world.publisher)

    outcome = units(world, publisher, [[world.firm.name, world.own_unit.name, 91, "优"]])

    assert outcome.errors == ["units.xlsx 第3行：不在您的范围内：只能导入分配给您的记录"]


def test_an_unchanged_row_outside_the_scope_is_refused_too(world):
    # Otherwise "no error" would tell a firm another firm's score.
    world.unit_evaluation(State.ASSIGNED, unit=world.other_unit, firm=world.other_firm)
    firm = allow_import(world.firm_user)

    outcome = units(world, firm, [[world.other_firm.name, world.other_unit.name, 88.5, "良"]])

    assert outcome.errors == ["units.xlsx 第3行：不在您的范围内：只能导入分配给您的记录"]


def test_an_import_as_released_leaves_existing_records_where_they_are(world):
    withdrawn = world.unit_evaluation(State.APPROVED, year=2021)
    outcome = results_import(
        table="units",
        region=world.region,
        year=2021,
        file_name="units.xlsx",
        release=True,
        data=unit_sheet(
            [
                [world.firm.name, world.own_unit.name, 88.5, "良"],
                [None, world.other_unit.name, 91, "优"],
            ]
        ),
    )

    assert outcome.ok, outcome.errors
    withdrawn.refresh_from_db()
    assert (withdrawn.state, withdrawn.version) == (State.APPROVED, 1)
    assert UnitEvaluation.objects.get(unit=world.other_unit).state == State.RELEASED


def test_a_record_imported_as_released_needs_a_score(world):
    outcome = results_import(
        table="units",
        region=world.region,
        year=2021,
        file_name="units.xlsx",
        release=True,
        data=unit_sheet([[world.own_unit.name, 90]], header=["被评单位", "自评得分"]),
    )

    assert outcome.errors == ["units.xlsx 第3行：尚无第三方机构评分"]


def test_an_import_naming_a_recused_firm_is_refused(world):
    from evaluations.models import FirmRecusal

    FirmRecusal.objects.create(firm=world.firm, unit=world.own_unit, reason="年报审计机构")

    outcome = units(world, None, [[world.firm.name, world.own_unit.name, 91, "优"]])

    assert len(outcome.errors) == 1 and "须回避" in outcome.errors[0]


def test_an_import_makes_a_form_opened_before_it_out_of_date(world):
    from evaluations.services.workflow import Conflict, evaluation_update

    record = world.unit_evaluation(State.ASSIGNED)
    seen = record.version
    firm = allow_import(world.firm_user)
    assert units(world, firm, [[world.firm.name, world.own_unit.name, 70, "中"]]).ok

    with pytest.raises(Conflict):
        evaluation_update(record=record, user=world.firm_user, changes={"score": 86}, version=seen)
    record.refresh_from_db()
    assert record.score == 70
