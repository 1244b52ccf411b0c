"""An import over the upload limit is refused with a message naming the limit; nothing is read."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import UnitEvaluation
from perfmgmt.security import SizeCappedUploadHandler
from tests.conftest import UNITS_XLSX


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="a-long-passphrase-1")
    client.force_login(user)
    return user


def upload(client, region, data):
    return client.post(
        reverse("admin:evaluations_unitevaluation_import"),
        {
            "region": region.pk,
            "year": 2021,
            "format": "0",
            "import_file": SimpleUploadedFile("units.xlsx", data),
        },
    )


def test_a_results_table_over_the_limit_is_refused_in_chinese(client, superuser, huaxi, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = UNITS_XLSX.read_bytes() + b"\0" * (1024 * 1024)

    response = upload(client, huaxi, data)

    assert response.status_code == 200
    message = f"units.xlsx：文件大小 {len(data) / 2**20:.1f} MB，超过上传上限 1 MB，未导入。"
    assert message in response.content.decode()
    assert "result" not in response.context or response.context["result"] is None
    assert not UnitEvaluation.objects.exists()


def test_a_results_table_within_the_limit_is_read(client, superuser, huaxi, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024

    response = upload(client, huaxi, UNITS_XLSX.read_bytes())

    assert response.context["result"].totals["new"] == 67


def test_the_limit_defaults_to_ten_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_a_huge_upload_is_refused_without_filling_the_disk(client, superuser, huaxi, settings):
    settings.UPLOAD_MAX_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    data = b"PK" + b"\0" * (5 * 1024 * 1024)

    response = upload(client, huaxi, data)

    assert "units.xlsx：文件大小 5.0 MB，超过上传上限 1 MB，未导入。" in response.content.decode()


def test_the_disk_holds_no_more_than_the_limit_of_an_upload(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = SizeCappedUploadHandler()
    handler.new_file("import_file", "units.xlsx", "application/octet-stream", 5000)
    for start in range(0, 5000, 700):
        handler.receive_data_chunk(b"x" * min(700, 5000 - start), start)

    stored = handler.file_complete(5000)

    assert stored.size == 5000
    assert os.path.getsize(stored.temporary_file_path()) == 1001
    stored.close()


def test_a_filing_table_over_the_same_limit_is_refused_in_chinese(
    client, superuser, huaxi, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = b"PK" + b"\0" * (2 * 1024 * 1024)

    response = client.post(
        reverse("tables:import"), {"file": SimpleUploadedFile("目标表.xlsx", data)}
    )

    assert response.status_code == 200
    assert "目标表.xlsx：文件大小 2.0 MB，超过上传上限 1 MB，未导入。" in response.content.decode()
