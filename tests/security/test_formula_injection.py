"""No export hands a spreadsheet a formula someone typed into a text field.

Every free-text field holds one of = + - @ tab CR followed by a formula (round robin over
the fields, tests/security/world.py). Then every export — the public tables' and charts'
CSV/XLSX (and JSON, which carries text as it is), the admin import-export exports, the
filing tables' xlsx downloads, the assessment workbook and the results job's file — must
neutralise such a text (exports.neutralised: a leading apostrophe, or a text cell with
Excel's quote prefix) and never write a formula cell; a negative number stays a number.
"""

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import tasks
from evaluations.documents import Kind
from evaluations.exports import FORMULA_TRIGGERS
from evaluations.models import (
    DepartmentAssessment,
    Job,
    JobKind,
    MonitoringReport,
    SelfEvaluation,
    TargetVersion,
)
from evaluations.services.assessment import assessment_adjust
from evaluations.services.jobs import job_claim
from tests.fuzz.malformed import FORMULAS
from tests.security.pages import body_of, crawl
from tests.security.world import hostile_world, poison

pytestmark = pytest.mark.django_db

PAYLOADS = ("=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1")
NEGATIVE = Decimal("-2.50")
XLSX = "spreadsheetml"


@pytest.fixture
def poisoned(huaxi_2021):
    people = hostile_world(huaxi_2021)
    assessment = DepartmentAssessment.objects.filter(region=huaxi_2021).first()
    assessment_adjust(
        assessment_row=assessment, user=people.reviewer, adjustment=NEGATIVE, reason="扣分"
    )
    people.written = poison(PAYLOADS, rotate=True)
    people.assessment = DepartmentAssessment.objects.get(pk=assessment.pk)
    cache.clear()
    return people


def dangerous(text: str) -> bool:
    """Return True if a spreadsheet could read this text as a formula."""
    if not text.startswith(FORMULA_TRIGGERS):
        return False
    try:
        Decimal(text)  # a negative number, written as one
    except InvalidOperation:
        return True
    return False


def xlsx_problems(data: bytes) -> tuple[list[str], list]:
    """Return the formula and unneutralised text cells of a workbook, and every cell value."""
    problems, values = [], []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                values.append(cell.value)
                if cell.data_type == "f":
                    problems.append(f"{where} is a formula: {cell.value!r}")
                elif isinstance(cell.value, str) and dangerous(cell.value) and not cell.quotePrefix:
                    problems.append(f"{where} starts like a formula: {cell.value!r}")
    return problems, values


def csv_problems(data: bytes) -> tuple[list[str], list]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    values = [field for row in rows for field in row]
    return [f"{value!r} starts like a formula" for value in values if dangerous(value)], values


def neutralised_payload_in(values) -> bool:
    texts = [value for value in values if isinstance(value, str)]
    return any(text.lstrip("'").startswith(PAYLOADS) for text in texts)


def check(name: str, data: bytes, content_type: str, report: dict):
    if XLSX in content_type:
        problems, values = xlsx_problems(data)
    elif "csv" in content_type:
        problems, values = csv_problems(data)
    else:
        return
    report["problems"] += [f"{name}: {problem}" for problem in problems]
    report["files"] += 1
    report["carrying"] += neutralised_payload_in(values)


def new_report() -> dict:
    return {"problems": [], "files": 0, "carrying": 0}


def test_the_public_downloads_neutralise_formulas(client, poisoned):
    starts = ["/520111/2021/downloads/", "/520111/2021/", "/520111/2022/"]
    pages = {}
    for start in starts:
        pages |= crawl(client, start, inside="/520111/")
    report = new_report()
    for path, response in pages.items():
        if response.status_code == 200:
            check(path, body_of(response), response.get("Content-Type", ""), report)

    assert not report["problems"], report["problems"]
    assert report["files"] >= 4 and report["carrying"] >= 2, report


def test_the_public_json_carries_the_text_as_it_is(client, poisoned):
    response = client.get("/520111/2021/projects/?_export=json")
    rows = json.loads(body_of(response))

    assert any(str(value).startswith(PAYLOADS) for row in rows for value in row.values())


def _resource_fields(page: str) -> dict:
    return {name: "on" for name in re.findall(r'name="(\w+resource_\w+)"', page)}


@pytest.mark.parametrize("model", ["unitevaluation", "project"])
def test_the_admin_exports_neutralise_formulas(client, poisoned, model):
    client.force_login(User.objects.create_superuser("root", password="pw-tests-only"))
    url = reverse(f"admin:evaluations_{model}_export")
    fields = _resource_fields(client.get(url).content.decode())
    response = client.post(url, {"format": "0", "resource": "0", **fields})
    report = new_report()

    check(url, body_of(response), response["Content-Type"], report)

    assert not report["problems"], report["problems"]
    assert report["files"] == 1 and report["carrying"], report


def test_the_filing_tables_downloads_neutralise_formulas(client, poisoned):
    client.force_login(poisoned.reviewer)
    filings = [
        (Kind.TARGET, TargetVersion),
        (Kind.SELF_EVALUATION, SelfEvaluation),
        (Kind.MONITORING, MonitoringReport),
    ]
    report = new_report()
    for kind, model in filings:
        for pk in model.objects.values_list("pk", flat=True):
            url = reverse("tables:export", args=[kind.value, pk])
            response = client.get(url)
            assert response.status_code == 200, url
            check(url, body_of(response), response["Content-Type"], report)

    assert not report["problems"], report["problems"]
    assert report["files"] >= 3 and report["carrying"] >= 3, report


def test_the_assessment_workbook_neutralises_formulas_and_keeps_negative_numbers(client, poisoned):
    client.force_login(poisoned.reviewer)
    url = reverse("admin:evaluations_departmentassessment_export")
    response = client.get(url, {"region": poisoned.region.pk, "year": 2021})
    data = body_of(response)
    report = new_report()

    check(url, data, response["Content-Type"], report)

    assert not report["problems"], report["problems"]
    assert report["files"] == 1 and report["carrying"], report
    _, values = xlsx_problems(data)
    assert NEGATIVE in [Decimal(str(v)) for v in values if isinstance(v, int | float)]


def test_the_results_job_file_neutralises_formulas(poisoned, settings, tmp_path, monkeypatch):
    settings.JOB_FILES_DIR = tmp_path
    monkeypatch.setattr(tasks, "watch", lambda **kwargs: None)
    job = Job.objects.create(
        user=poisoned.reviewer, kind=JobKind.RESULTS_XLSX, region=poisoned.region, year=2021
    )
    job = job_claim(job_id=job.pk, token="run-1")
    tasks.results_job(job, "run-1")
    job.refresh_from_db()
    report = new_report()

    check(job.file_name, job.file.open("rb").read(), XLSX, report)

    assert not report["problems"], report["problems"]
    assert report["carrying"], report


def test_the_formula_list_covers_every_trigger():
    assert {payload[0] for payload in PAYLOADS} == set(FORMULA_TRIGGERS)
    assert all(text.startswith(FORMULA_TRIGGERS) for text in FORMULAS)
