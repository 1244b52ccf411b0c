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


def test_the_admin_export_of_units_without_self_scores_imports_back_unchanged(huaxi_2021):
    # The 2021 table states no 自评得分: the export's column is blank on every row.
    from evaluations.imports.formats import CirculatedXLSX
    from evaluations.imports.units import UnitEvaluationResource
    from evaluations.models import UnitEvaluation

    evaluations = UnitEvaluation.objects.filter(region=huaxi_2021, year=2021)
    assert not evaluations.exclude(self_score=None).exists()
    dataset = UnitEvaluationResource(region=huaxi_2021, year=2021).export(evaluations)

    outcome = import_units(huaxi_2021, CirculatedXLSX().export_data(dataset))

    assert outcome.errors == []
    assert outcome.counts == {"新增": 0, "修改": 0, "未变": 67, "删除": 0}
