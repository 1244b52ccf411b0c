"""Hostile workbooks against every filing-table importer (tests/fuzz/malformed.py).

Each importer — the reader, the service, the admin upload and the import_tables command —
gets hostile variants of a table it accepts. Whatever the file, the importer answers with
its own outcome (never another exception, never a 500), a refusal names the file, and a
refusal writes nothing: every table of the evaluations app counts the same before and after.
Each example runs in a transaction rolled back at its end, so examples do not see each
other's writes.
"""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.documents import DocumentError
from evaluations.layouts.read import read_documents
from evaluations.models import MonitoringPeriod, PerformanceTarget, Unit, UserRole
from evaluations.services.documents import document_tree, documents_import
from evaluations.services.targets import target_create, target_review, target_submit
from evaluations.workflow import Role
from tests.fuzz import malformed
from tests.writes import rolled_back, row_counts

pytestmark = pytest.mark.django_db

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"
TARGET = (LAYOUTS / "target_table.xlsx").read_bytes()
SELF_EVALUATION = (LAYOUTS / "self_evaluation_standard.xlsx").read_bytes()
MONITORING = (LAYOUTS / "monitoring_report.xlsx").read_bytes()
FUZZ = malformed.fuzz_settings(max_examples=60)
FILE_NAMES = st.sampled_from(
    (
        "表.xlsx",
        "2022年 绩效 自评表（终稿）.xlsx",
        malformed.XSS_PAYLOAD + ".xlsx",
        "a" * 200 + ".xlsx",
    )
)


class Everyone:
    """花溪区, the unit the layouts' tables belong to, a department owning it, the reviewer."""

    def __init__(self, region):
        self.region = region
        self.unit = Unit.objects.create(region=region, name="花溪区民政局", kind="department")
        self.department = self._user("dept", Role.DEPARTMENT, units=[self.unit])
        self.reviewer = self._user("reviewer", Role.REVIEWER)

    def _user(self, name, role, units=()):
        user = User.objects.create_user(name, password="pw-tests-only", is_staff=True)
        UserRole.objects.create(user=user, role=role).units.set(units)
        return user

    def target_in_force(self):
        """Approve the monitoring report's target and open its period (as the bureau would)."""
        [report] = read_documents(MONITORING, file_name="monitoring_report.xlsx")
        [targets] = read_documents(TARGET, file_name="target_table.xlsx")
        target = target_create(
            user=self.reviewer,
            region=self.region,
            year=2022,
            unit=self.unit,
            scope=PerformanceTarget.Scope.PROJECT,
            project_name=report.project_name,
            overall_goal="保障老人居家养老服务",
            funds_total=Decimal("356.80"),
            tree=document_tree(targets),
        )
        version = target.versions.get()
        target_submit(version=version, user=self.department)
        target_review(version=version, user=self.reviewer, grade="优")
        MonitoringPeriod.objects.create(
            region=self.region, year=2022, end_month=7, due_date="2022-08-15"
        )


@pytest.fixture
def everyone(huaxi):
    return Everyone(huaxi)


def assert_refused_cleanly(errors, file_name, before):
    assert errors, "a refusal must say why"
    assert all(isinstance(error, str) and error for error in errors)
    assert any(file_name in error for error in errors), errors
    assert row_counts("evaluations") == before, "a refused file wrote something"


# -- the reader ------------------------------------------------------------------------------


@FUZZ
@given(data=st.one_of(*(malformed.hostile_files(base) for base in (TARGET, SELF_EVALUATION))))
def test_the_reader_returns_documents_or_refuses_with_the_file_named(data):
    try:
        documents = read_documents(data, file_name="表.xlsx")
    except DocumentError as exc:
        assert exc.messages and all(m.startswith("表.xlsx") for m in exc.messages)
    else:
        assert documents


# -- the service ---------------------------------------------------------------------------


def service_case(everyone, data, file_name, *, user, approved=False):
    with rolled_back():
        before = row_counts("evaluations")
        outcome = documents_import(
            data=data, file_name=file_name, user=user, region=everyone.region, approved=approved
        )
        if not outcome.ok:
            assert_refused_cleanly(outcome.errors, file_name, before)
        else:
            assert outcome.results


@FUZZ
@given(data=malformed.hostile_files(TARGET), file_name=FILE_NAMES)
def test_a_department_importing_a_hostile_target_table(everyone, data, file_name):
    service_case(everyone, data, file_name, user=everyone.department)


@FUZZ
@given(data=malformed.hostile_files(SELF_EVALUATION), file_name=FILE_NAMES)
def test_the_reviewer_entering_a_hostile_approved_self_evaluation(everyone, data, file_name):
    service_case(everyone, data, file_name, user=everyone.reviewer, approved=True)


@FUZZ
@given(data=malformed.hostile_files(MONITORING), file_name=FILE_NAMES)
def test_a_department_importing_a_hostile_monitoring_report(everyone, data, file_name):
    with rolled_back():
        everyone.target_in_force()
        service_case(everyone, data, file_name, user=everyone.department)


@pytest.mark.parametrize(
    "name, build", malformed.EXPENSIVE, ids=[n for n, _ in malformed.EXPENSIVE]
)
@pytest.mark.parametrize("base", [TARGET, SELF_EVALUATION], ids=["申报表", "自评表"])
def test_the_big_hostile_files_are_refused_or_read_within_limits(everyone, name, build, base):
    service_case(everyone, build(base), "大文件.xlsx", user=everyone.reviewer, approved=True)


# -- the admin upload ----------------------------------------------------------------------


def admin_case(everyone, data, file_name):
    client = Client()
    client.force_login(everyone.department)
    with rolled_back():
        before = row_counts("evaluations")
        upload = SimpleUploadedFile(file_name, data, content_type="application/octet-stream")
        checked = client.post(
            reverse("tables:import"), {"file": upload, "region": everyone.region.pk}
        )
        assert checked.status_code == 200
        page = checked.content.decode()
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert row_counts("evaluations") == before, "the check wrote something"
        if "确认导入" in page:
            confirmed = client.post(reverse("tables:import"), {"confirm": "1"})
            assert confirmed.status_code == 200
            assert "已写入" in confirmed.content.decode()
        else:
            assert "未写入任何数据" in page or "errorlist" in page
            assert escape(os.path.basename(file_name)) in page


@FUZZ
@given(data=malformed.hostile_files(TARGET), file_name=FILE_NAMES)
def test_an_admin_upload_of_a_hostile_table_is_answered_never_a_500(everyone, data, file_name):
    admin_case(everyone, data, file_name)


# -- the command ---------------------------------------------------------------------------


@settings(FUZZ, max_examples=40)
@given(data=malformed.hostile_files(SELF_EVALUATION))
def test_the_import_tables_command_refuses_with_the_file_named(everyone, data):
    with tempfile.TemporaryDirectory() as folder, rolled_back():
        path = Path(folder) / "自评表.xlsx"
        path.write_bytes(data)
        before = row_counts("evaluations")
        try:
            call_command(
                "import_tables",
                str(path),
                region=everyone.region.code,
                user=everyone.reviewer.username,
                approved=True,
                stdout=_Discard(),
                stderr=_Discard(),
            )
        except CommandError as exc:
            assert_refused_cleanly([str(exc)], "自评表.xlsx", before)


class _Discard:
    def write(self, text):
        pass

    def flush(self):
        pass
