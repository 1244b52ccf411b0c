"""A control character stored in a text field (typed into a form, pasted from a terminal)
never breaks a download: worksheets and .docx may not hold one, so it is left out."""

import gc
import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.documents import Kind
from evaluations.models import MonitoringReport, SelfEvaluation, TargetVersion
from tests.security.pages import body_of
from tests.security.world import hostile_world, poison

pytestmark = pytest.mark.django_db

CONTROL = "甲\x07乙\x1b丙\x0c丁"
SHOWN = "甲乙丙丁"


@pytest.fixture(autouse=True)
def cursors_closed_in_the_test(db):
    yield
    # A download that fails half-way leaves its database cursor to the garbage collector:
    # on PostgreSQL closing it later would break the next test's transaction.
    gc.collect()


@pytest.fixture
def controlled(huaxi_2021):
    people = hostile_world(huaxi_2021)
    poison((CONTROL,))
    cache.clear()
    return people


def opened(response) -> list:
    """Return every cell value of the xlsx response, which must open."""
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]  # not the export form again
    book = load_workbook(io.BytesIO(body_of(response)))
    return [cell for sheet in book.worksheets for row in sheet.values for cell in row]


def test_the_filing_tables_download_without_the_control_characters(client, controlled):
    client.force_login(controlled.reviewer)
    for kind, model in (
        (Kind.TARGET, TargetVersion),
        (Kind.SELF_EVALUATION, SelfEvaluation),
        (Kind.MONITORING, MonitoringReport),
    ):
        for pk in model.objects.values_list("pk", flat=True):
            values = opened(client.get(reverse("tables:export", args=[kind.value, pk])))
            assert any(str(value).startswith(SHOWN) for value in values), kind


def test_the_assessment_workbook_downloads_without_them(client, controlled):
    client.force_login(controlled.reviewer)
    url = reverse("admin:evaluations_departmentassessment_export")

    values = opened(client.get(url, {"region": controlled.region.pk, "year": 2021}))

    assert any(str(value).startswith(SHOWN) for value in values)


def test_the_report_docx_downloads_without_them(client, controlled):
    response = client.get("/520111/2021/report.docx")
    assert response.status_code == 200

    with zipfile.ZipFile(io.BytesIO(body_of(response))) as package:
        document = package.read("word/document.xml").decode()
        core = package.read("docProps/core.xml").decode()
    assert SHOWN in document and SHOWN in core and "\x07" not in document + core


@pytest.mark.parametrize("table", ["units", "projects", "application"])
def test_the_public_xlsx_downloads_without_them(client, controlled, table):
    client.raise_request_exception = False

    values = opened(client.get(f"/520111/2021/{table}/?_export=xlsx"))

    assert any(str(value).startswith(SHOWN) for value in values)


def test_the_admin_results_export_downloads_without_them(client, controlled):
    client.raise_request_exception = False
    client.force_login(User.objects.create_superuser("root", password="pw-tests-only"))
    url = reverse("admin:evaluations_project_export")

    values = opened(
        client.post(url, {"format": "0", "resource": "0", "projectresource_name": "on"})
    )

    assert any(str(value).startswith(SHOWN) for value in values)
