"""The clerk's way in: upload in the admin, check the preview, confirm."""

import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import FundingLine, Project, Unit, UnitEvaluation, UserRole, WorkflowEvent
from evaluations.services.imports import results_import
from evaluations.workflow import Role, State
from tests.conftest import PROJECTS_XLSX, UNITS_XLSX
from tests.sheets import unit_sheet


def staff(username, *codenames, role=None, units=()):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="evaluations", codename__in=codenames)
    )
    if role is not None:
        UserRole.objects.create(user=user, role=role).units.set(units)
    return user


@pytest.fixture
def clerk(db):
    user = staff(
        "clerk", "view_unitevaluation", "import_unitevaluation", "view_project", "import_project"
    )
    UserRole.objects.create(user=user, role=Role.REVIEWER)
    return user


def upload(client, model, region, data, name, **options):
    return client.post(
        reverse(f"admin:evaluations_{model}_import"),
        {
            "region": region.pk,
            "year": 2021,
            "format": "0",
            "import_file": SimpleUploadedFile(name, data),
            **options,
        },
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name) for name in form.fields}
    return client.post(reverse(f"admin:evaluations_{model}_process_import"), data)


def test_the_preview_lists_every_row_as_new_and_confirming_writes_them(client, clerk, huaxi):
    client.force_login(clerk)

    preview = upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx")

    assert preview.status_code == 200
    assert preview.context["result"].totals["new"] == 67
    assert not UnitEvaluation.objects.exists()
    response = confirm(client, "unitevaluation", preview)
    assert response.status_code == 302
    assert UnitEvaluation.objects.count() == 67


def test_the_project_table_imports_through_the_admin_with_its_lines(client, clerk, huaxi):
    client.force_login(clerk)

    preview = upload(client, "project", huaxi, PROJECTS_XLSX.read_bytes(), "projects.xlsx")
    confirm(client, "project", preview)

    assert Project.objects.count() == 29 and FundingLine.objects.count() == 35


def test_a_second_upload_of_the_same_file_shows_every_row_unchanged(client, clerk, huaxi):
    client.force_login(clerk)
    confirm(
        client,
        "unitevaluation",
        upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "u.xlsx"),
    )

    preview = upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "u.xlsx")

    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 67)


def test_a_bad_file_shows_every_bad_row_and_offers_no_confirmation(client, clerk, huaxi):
    client.force_login(clerk)
    data = unit_sheet([["某所", "甲局", "x", "良"], [None, "乙局", 85, "优"]])

    preview = upload(client, "unitevaluation", huaxi, data, "bad.xlsx")

    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    assert "bad.xlsx 第3行 C列「得分」" in page
    assert "bad.xlsx 第4行 D列「等级」" in page
    assert [row.number for row in preview.context["result"].invalid_rows] == [3, 4]
    assert not UnitEvaluation.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(client, clerk, huaxi):
    client.force_login(clerk)

    preview = upload(client, "unitevaluation", huaxi, b"a,b\n1,2\n", "units.csv")

    assert "是文本文件（可能是改了扩展名的 .csv）" in preview.content.decode()


def test_importing_needs_the_import_permission(client, huaxi):
    viewer = staff("viewer", "view_unitevaluation", "export_unitevaluation")
    client.force_login(viewer)

    response = upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx")

    assert response.status_code == 403
    assert not UnitEvaluation.objects.exists()


def test_exporting_needs_the_export_permission(client, clerk, huaxi_2021):
    client.force_login(clerk)
    assert client.get(reverse("admin:evaluations_unitevaluation_export")).status_code == 403

    exporter = staff("exporter", "view_unitevaluation", "export_unitevaluation")
    client.force_login(exporter)
    assert client.get(reverse("admin:evaluations_unitevaluation_export")).status_code == 200


def test_the_admin_project_export_imports_back_unchanged(client, huaxi_2021):
    client.force_login(staff("exporter", "export_project", role=Role.PUBLISHER))

    response = client.post(
        reverse("admin:evaluations_project_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"projectresource_{f}": "on"
                for f in ["number", "name", "label", "amount", "self_score", "score", "grade"]
            },
        },
    )

    assert response.status_code == 200
    assert re.search(r"attachment; filename=.*\.xlsx", response["Content-Disposition"])
    outcome = results_import(
        table="projects", region=huaxi_2021, year=2021, data=response.content, file_name="e.xlsx"
    )
    assert outcome.counts == {"新增": 0, "修改": 0, "未变": 35, "删除": 0}, outcome.errors


def test_historical_results_are_imported_as_released_on_request(client, huaxi):
    # Creating records takes the reviewer, releasing them the publisher: the superuser is both.
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))

    preview = upload(
        client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx", release="on"
    )

    assert preview.context["confirm_form"].initial["release"] is True
    assert confirm(client, "unitevaluation", preview).status_code == 302
    assert set(UnitEvaluation.objects.values_list("state", flat=True)) == {State.RELEASED}
    assert WorkflowEvent.objects.filter(action="import_release").count() == 67


def test_without_the_checkbox_imported_results_wait_in_the_workflow(client, clerk, huaxi):
    client.force_login(clerk)

    confirm(
        client,
        "unitevaluation",
        upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx"),
    )

    assert not UnitEvaluation.objects.filter(state=State.RELEASED).exists()


def test_a_reviewer_asking_to_release_is_refused_with_the_reason(client, clerk, huaxi):
    client.force_login(clerk)

    preview = upload(
        client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx", release="on"
    )

    assert "confirm_form" not in preview.context
    assert "您没有公开评价结果的权限，不能以“已公开”导入" in preview.content.decode()
    assert not UnitEvaluation.objects.exists()


def test_a_forged_release_on_confirmation_is_refused_too(client, clerk, huaxi):
    client.force_login(clerk)
    preview = upload(client, "unitevaluation", huaxi, UNITS_XLSX.read_bytes(), "units.xlsx")
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name) for name in form.fields} | {"release": "True"}

    client.post(reverse("admin:evaluations_unitevaluation_process_import"), data)

    assert not UnitEvaluation.objects.filter(state=State.RELEASED).exists()


def test_an_export_holds_only_the_exporters_records(client, huaxi_2021):
    unit = Unit.objects.get(name="贵阳市花溪区教育局")
    client.force_login(staff("dept", "export_unitevaluation", role=Role.DEPARTMENT, units=[unit]))

    response = client.post(
        reverse("admin:evaluations_unitevaluation_export"),
        {"format": "0", "resource": "0", "unitevaluationresource_unit": "on"},
    )

    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    assert [row[0] for row in rows] == ["被评单位", "贵阳市花溪区教育局"]
