"""Hostile workbooks against the results importers (units and projects; tests/fuzz/malformed.py).

Whatever the file — damaged cells, formulas, zip bombs, macros renamed .xlsx, merged ranges
across the header, a million blank rows — results_import answers with its outcome: never
another exception. A refusal says why with the file named, and writes nothing: every table
of the evaluations app counts the same before and after. Each example runs in a transaction
rolled back at its end, so examples do not see each other's writes.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.models import UserRole
from evaluations.services.imports import results_import
from evaluations.workflow import Role
from tests.fuzz import malformed
from tests.sheets import project_sheet, unit_sheet
from tests.writes import rolled_back, row_counts

pytestmark = pytest.mark.django_db

FIRM = "贵州诚隆会计师事务所有限公司"
UNITS = unit_sheet(
    [
        [FIRM, "贵阳市花溪区教育局", 85.41, "良"],
        [None, "贵阳市花溪区民政局", 90, "优"],
        ["北京信府科技有限责任公司", "贵阳市花溪区清溪街道办事处", 79.5, None],
        [None, "贵阳市花溪区高坡苗族乡人民政府", 60, "中"],
    ],
    header=["评价机构", "被评单位", "得分", "等级", "备注"],
    merges=["A3:A4", "A1:E1"],
)
PROJECTS = project_sheet(
    [
        [1, "农村饮水安全工程", 120.5, 88, 86.5, "良"],
        [None, "中央补助资金", 30, 90, None, None],
        [2, "城区道路改造", 476.604, 92, 91, "优"],
        [3, "学生营养改善计划", 88, 75, 70, "中"],
    ],
    merges=["A3:A4"],
)
BASES = {"units": UNITS, "projects": PROJECTS}
FUZZ = malformed.fuzz_settings(max_examples=150)
FILE_NAMES = st.sampled_from(
    (
        "结果表.xlsx",
        "2021年 部门整体（终稿）.xlsx",
        malformed.XSS_PAYLOAD + ".xlsx",
        "a" * 200 + ".xlsx",
    )
)


def import_case(region, table, data, file_name, **kwargs):
    """Import data; a refusal must name the file and leave every table as it was."""
    with rolled_back():
        before = row_counts("evaluations")
        outcome = results_import(
            table=table, region=region, year=2021, data=data, file_name=file_name, **kwargs
        )
        if outcome.ok:
            assert sum(outcome.counts.values()) > 0
        else:
            assert all(isinstance(error, str) and error for error in outcome.errors)
            assert any(error.startswith(file_name) for error in outcome.errors), outcome.errors
            assert row_counts("evaluations") == before, "a refused file wrote something"
        return outcome


@FUZZ
@given(data=malformed.hostile_files(UNITS), file_name=FILE_NAMES)
def test_a_hostile_unit_table_is_imported_or_refused_cleanly(huaxi, data, file_name):
    import_case(huaxi, "units", data, file_name)


@FUZZ
@given(data=malformed.hostile_files(PROJECTS), file_name=FILE_NAMES)
def test_a_hostile_project_table_is_imported_or_refused_cleanly(huaxi, data, file_name):
    import_case(huaxi, "projects", data, file_name)


@pytest.mark.parametrize(
    "name, build", malformed.EXPENSIVE, ids=[n for n, _ in malformed.EXPENSIVE]
)
@pytest.mark.parametrize("table", BASES)
def test_the_big_hostile_files_are_refused_or_read_within_limits(huaxi, table, name, build):
    import_case(huaxi, table, build(BASES[table]), "大文件.xlsx")


@pytest.mark.parametrize(
    "build",
    [
        malformed.macro_enabled,
        malformed.million_blank_rows,
        lambda base: malformed.zip_bomb(),
        lambda base: malformed.merged(base, ["A2:E3"]),
    ],
    ids=["含宏", "一百万个空行", "压缩炸弹", "表头合并"],
)
@pytest.mark.parametrize("table", BASES)
def test_the_named_attacks_are_refused_with_the_file_named(huaxi, table, build):
    outcome = import_case(huaxi, table, build(BASES[table]), "攻击.xlsx")

    assert not outcome.ok


def test_the_bases_import_cleanly(huaxi):
    for table, data in BASES.items():
        assert import_case(huaxi, table, data, "base.xlsx").ok


# -- the admin upload and the command line ----------------------------------------------------


@settings(FUZZ, max_examples=40)
@given(data=malformed.hostile_files(UNITS), file_name=FILE_NAMES)
def test_an_admin_upload_of_a_hostile_table_is_answered_never_a_500(huaxi, data, file_name):
    user, _ = User.objects.get_or_create(username="clerk", is_staff=True, is_superuser=True)
    UserRole.objects.get_or_create(user=user, role=Role.REVIEWER)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with rolled_back():
        before = row_counts("evaluations")
        response = client.post(
            reverse("admin:evaluations_unitevaluation_import"),
            {
                "region": huaxi.pk,
                "year": 2021,
                "format": "0",
                "import_file": SimpleUploadedFile(file_name, data),
            },
        )
        assert response.status_code == 200
        assert row_counts("evaluations") == before, "the preview wrote something"


@settings(FUZZ, max_examples=40)
@given(data=malformed.hostile_files(PROJECTS))
def test_the_command_refuses_a_hostile_table_with_a_non_zero_exit(huaxi, tmp_path, data):
    path = tmp_path / "项目表.xlsx"
    path.write_bytes(data)
    with rolled_back():
        before = row_counts("evaluations")
        err = io.StringIO()
        try:
            call_command(
                "import_results",
                "projects",
                str(path),
                "--region",
                "520111",
                "--year",
                "2021",
                stdout=io.StringIO(),
                stderr=err,
            )
        except CommandError as exc:
            assert "项目表.xlsx" in str(exc)
            assert all(line.startswith("项目表.xlsx") for line in err.getvalue().splitlines())
            assert row_counts("evaluations") == before, "a refused file wrote something"
