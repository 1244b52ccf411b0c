"""The database going away in the middle of an import leaves nothing of the file behind.

The connection is cut just before a chosen write of the import: on PostgreSQL the server
ends the import's backend (pg_terminate_backend from a second connection), on SQLite the
connection is closed under Django's feet. The statement then fails as it would in
production; the import's transaction never commits. The service, the command line and the
admin each answer with a plain Chinese message, not a traceback.
"""

import io
from contextlib import contextmanager

import psycopg
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from evaluations.imports.faults import DATABASE_GONE
from evaluations.models import UnitEvaluation
from evaluations.services.imports import region_ensure, results_import
from tests.conftest import PROJECTS_XLSX, UNITS_XLSX
from tests.writes import row_counts

pytestmark = pytest.mark.django_db(transaction=True)  # the import's own transaction commits

# The import's writes, in the order it makes them.
UNIT_WRITES = [
    'INSERT INTO "evaluations_firm"',
    'INSERT INTO "evaluations_unit"',
    'INSERT INTO "evaluations_unitevaluation"',
    'INSERT INTO "evaluations_historicalunitevaluation"',
    'INSERT INTO "evaluations_workflowevent"',
]


def cut_connection():
    """End the current database connection the way a crashed or restarted server does."""
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        settings = connection.get_connection_params()
        with psycopg.connect(**settings, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    else:
        connection.connection.close()


@contextmanager
def database_gone_at(statement_start):
    """Cut the connection just before the first statement that starts with statement_start."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        if not fired and sql.lstrip().startswith(statement_start):
            fired.append(sql)
            cut_connection()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield fired
    assert fired, f"the import never ran {statement_start}"


@pytest.fixture
def huaxi():
    return region_ensure(code="520111", name="花溪区")


@pytest.mark.parametrize("statement", UNIT_WRITES)
def test_a_unit_import_cut_off_mid_write_leaves_nothing_and_says_so(huaxi, statement):
    before = row_counts()

    with database_gone_at(statement):
        outcome = results_import(
            table="units", region=huaxi, year=2021, data=UNITS_XLSX.read_bytes(), file_name="u.xlsx"
        )

    assert outcome.errors == [f"u.xlsx：{DATABASE_GONE}"]
    assert row_counts() == before


def test_a_reimport_cut_off_mid_update_keeps_the_records_as_they_were(huaxi):
    results_import(
        table="units", region=huaxi, year=2021, data=UNITS_XLSX.read_bytes(), file_name="u.xlsx"
    )
    UnitEvaluation.objects.update(score=None)  # the file now changes every record
    records = list(UnitEvaluation.objects.order_by("pk").values())
    before = row_counts()

    with database_gone_at('UPDATE "evaluations_unitevaluation"'):
        outcome = results_import(
            table="units", region=huaxi, year=2021, data=UNITS_XLSX.read_bytes(), file_name="u.xlsx"
        )

    assert outcome.errors == [f"u.xlsx：{DATABASE_GONE}"]
    assert row_counts() == before
    assert list(UnitEvaluation.objects.order_by("pk").values()) == records


@pytest.mark.parametrize(
    "statement", ['INSERT INTO "evaluations_project"', 'INSERT INTO "evaluations_fundingline"']
)
def test_a_project_import_cut_off_mid_write_leaves_nothing_and_says_so(huaxi, statement):
    before = row_counts()

    with database_gone_at(statement):
        outcome = results_import(
            table="projects",
            region=huaxi,
            year=2021,
            data=PROJECTS_XLSX.read_bytes(),
            file_name="p.xlsx",
        )

    assert outcome.errors == [f"p.xlsx：{DATABASE_GONE}"]
    assert row_counts() == before


def test_the_command_exits_non_zero_with_the_message(huaxi):
    before = row_counts()
    err = io.StringIO()

    with (
        database_gone_at('INSERT INTO "evaluations_historicalunitevaluation"'),
        pytest.raises(CommandError, match="未写入任何数据"),
    ):
        call_command(
            "import_results",
            "units",
            str(UNITS_XLSX),
            "--region",
            "520111",
            "--year",
            "2021",
            stderr=err,
        )

    assert DATABASE_GONE in err.getvalue()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("model", "path", "statement"),
    [
        ("unitevaluation", UNITS_XLSX, 'INSERT INTO "evaluations_unitevaluation"'),
        ("project", PROJECTS_XLSX, 'INSERT INTO "evaluations_fundingline"'),
    ],
)
def test_the_admin_confirmation_answers_with_the_message_not_a_traceback(
    client, huaxi, model, path, statement
):
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
    preview = client.post(
        reverse(f"admin:evaluations_{model}_import"),
        {
            "region": huaxi.pk,
            "year": 2021,
            "format": "0",
            "import_file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    form = preview.context["confirm_form"]
    before = row_counts()

    with database_gone_at(statement):
        response = client.post(
            reverse(f"admin:evaluations_{model}_process_import"),
            {name: form.initial.get(name) for name in form.fields},
            follow=True,
        )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(f"admin:evaluations_{model}_import")
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["文件未能导入，未写入任何数据。", DATABASE_GONE]
    assert row_counts() == before
