"""What the public site downloads as xlsx imports back without a change."""

import pytest

from .helpers import import_projects, import_units


@pytest.mark.parametrize(
    ("page", "importer", "rows"),
    [("units", import_units, 67), ("projects", import_projects, 35)],
)
def test_a_public_xlsx_download_imports_back_unchanged(client, huaxi_2021, page, importer, rows):
    response = client.get(f"/520111/2021/{page}/", {"_export": "xlsx"})

    outcome = importer(huaxi_2021, response.content, file_name=f"{page}.xlsx")

    assert outcome.errors == []
    assert outcome.counts == {"新增": 0, "修改": 0, "未变": rows, "删除": 0}
