"""The set-based unit import gives what django-import-export's row-by-row import gives.

Each file goes through both paths from the same starting state: the same messages, the
same counts, and the same records, units, firms, history rows and workflow events after.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.imports.resources import ResultsResource
from evaluations.imports.units import UnitEvaluationResource
from evaluations.models import Firm, FirmRecusal, Unit, UnitEvaluation, UserRole, WorkflowEvent
from evaluations.workflow import Role, State
from tests.conftest import UNITS_XLSX
from tests.sheets import unit_sheet

from .helpers import import_units

FIRM = "贵州诚隆会计师事务所有限公司"
OTHER = "另一家事务所"


def snapshot():
    return {
        "records": sorted(
            UnitEvaluation.objects.values_list(
                "unit__name",
                "year",
                "firm__name",
                "self_score",
                "score",
                "grade",
                "note",
                "state",
                "version",
            )
        ),
        "units": sorted(Unit.objects.values_list("name", "kind")),
        "firms": sorted(Firm.objects.values_list("name", flat=True)),
        "history": sorted(
            UnitEvaluation.history.values_list(
                "unit__name",
                "history_type",
                "score",
                "grade",
                "firm__name",
                "note",
                "history_user__username",
            )
        ),
        "events": sorted(
            WorkflowEvent.objects.values_list(
                "action", "from_state", "to_state", "comment", "actor__username"
            )
        ),
    }


def both_ways(region, data, **kwargs):
    """Return (outcome, state after) for the row-by-row and the set-based import of data."""
    answers = []
    for row_by_row in (True, False):
        with transaction.atomic():
            if row_by_row:
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(
                        UnitEvaluationResource, "import_sheets", ResultsResource.import_sheets
                    )
                    outcome = import_units(region, data, **kwargs)
            else:
                outcome = import_units(region, data, **kwargs)
            answers.append(((outcome.errors, outcome.counts), snapshot()))
            transaction.set_rollback(True)
    return answers


def assert_same(region, data, **kwargs):
    (old_outcome, old_state), (new_outcome, new_state) = both_ways(region, data, **kwargs)
    assert new_outcome == old_outcome
    assert new_state == old_state
    return new_outcome


def login(username, role=None, units=(), superuser=False):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_superuser=superuser)
    user.user_permissions.set(Permission.objects.filter(codename="import_unitevaluation"))
    if role:
        UserRole.objects.create(user=user, role=role).units.set(units)
    return user


def test_the_bundled_table_imports_the_same_either_way(huaxi):
    errors, counts = assert_same(huaxi, UNITS_XLSX.read_bytes())

    assert not errors and counts["新增"] == 67


def test_the_bundled_table_imports_as_released_the_same_either_way(huaxi):
    admin = login("admin", superuser=True)

    errors, counts = assert_same(huaxi, UNITS_XLSX.read_bytes(), user=admin, release=True)

    assert not errors and counts["新增"] == 67


@pytest.mark.parametrize(
    "rows",
    [
        [[FIRM, "甲局", "x", "良"], [None, "乙局", 88, "良"], [None, None, 70, "中"]],
        [[None, "甲局", 90, "优"], [None, "乙局", 88, "优"]],
        [[FIRM, "甲局", 85, "优"], [None, "甲局", 101, "好"], [None, "丙局", 85.415, ""]],
        [[FIRM, "甲局", None, "良"], [None, "乙局", 95, None], [FIRM * 5, "丙局", 60, "中"]],
    ],
)
def test_bad_rows_are_refused_with_the_same_messages_either_way(huaxi, rows):
    errors, _ = assert_same(huaxi, unit_sheet(rows))

    assert errors


def test_changes_to_existing_records_are_written_the_same_either_way(huaxi):
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优"], [None, "乙局", 88, "良"]]))

    errors, counts = assert_same(
        huaxi,
        unit_sheet(
            [
                [OTHER, "甲局", 70, "中", "复核"],
                [FIRM, "乙局", 88, "良", ""],
                [None, "丙局", 60, ""],
            ],
            header=["评价机构", "被评单位", "得分", "等级", "备注"],
        ),
    )

    assert not errors and counts == {"新增": 1, "修改": 1, "未变": 1, "删除": 0}


def test_scope_workflow_and_recusal_refusals_read_the_same_either_way(huaxi):
    import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优"], [None, "乙局", 88, "良"]]))
    UnitEvaluation.objects.filter(unit__name="乙局").update(state=State.RELEASED)
    FirmRecusal.objects.create(
        firm=Firm.objects.create(name=OTHER), unit=Unit.objects.get(name="甲局"), reason="审计关系"
    )
    department = login("dept", Role.DEPARTMENT, units=[Unit.objects.get(name="甲局")])
    rows = [[OTHER, "甲局", 90, "优"], [FIRM, "乙局", 80, "良"], [None, "丁局", 70, "中"]]

    for user in (None, department, login("reviewer", Role.REVIEWER)):
        errors, _ = assert_same(huaxi, unit_sheet(rows), user=user)
        assert errors


def test_a_dry_run_writes_nothing_either_way(huaxi):
    errors, counts = assert_same(huaxi, UNITS_XLSX.read_bytes(), dry_run=True)

    assert not errors and counts["新增"] == 67
    assert not UnitEvaluation.objects.exists()


def test_only_the_bulk_inserts_grow_with_the_rows(huaxi):
    def queries(rows):
        data = unit_sheet([[FIRM, f"单位{i}", 90, "优"] for i in range(rows)])
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            assert import_units(huaxi, data).ok
            transaction.set_rollback(True)
        sql = [query["sql"] for query in captured]
        inserts = sum(statement.startswith("INSERT") for statement in sql)
        return len(sql) - inserts, inserts

    (reads_30, _), (reads_300, inserts_300) = queries(30), queries(300)
    assert reads_300 == reads_30
    # One statement per batch of rows the backend takes at once (SQLite: 999 parameters).
    assert inserts_300 <= 300 // 20
