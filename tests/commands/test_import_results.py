import io

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import Project, UnitEvaluation
from tests.conftest import PROJECTS_XLSX, UNITS_XLSX
from tests.sheets import unit_sheet


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_results", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_both_tables_and_prints_the_counts(huaxi):
    out, _ = run("units", str(UNITS_XLSX), "--region", "520111", "--year", "2021")
    run("projects", str(PROJECTS_XLSX), "--region", "520111", "--year", "2021")

    assert "新增 67" in out
    assert UnitEvaluation.objects.count() == 67 and Project.objects.count() == 29


def test_a_bad_file_exits_non_zero_listing_every_bad_row(huaxi, tmp_path):
    path = tmp_path / "坏表.xlsx"
    path.write_bytes(
        unit_sheet([["某所", "甲局", "x", "良"], [None, None, 80, "良"], [None, "乙局", 90, "良"]])
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="3 处错误，未写入任何数据"):
        call_command(
            "import_results", "units", str(path), "--region", "520111", "--year", "2021", stderr=err
        )

    lines = err.getvalue().splitlines()
    assert [line.split("：")[0] for line in lines] == [
        "坏表.xlsx 第3行 C列「得分」",
        "坏表.xlsx 第4行 B列「被评单位」",
        "坏表.xlsx 第5行 D列「等级」",
    ]
    assert not UnitEvaluation.objects.exists()


def test_an_unknown_region_is_refused(db):
    with pytest.raises(CommandError, match="区划 999999 不存在"):
        run("units", str(UNITS_XLSX), "--region", "999999", "--year", "2021")


def test_only_xlsx_files_are_accepted(huaxi, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("评价机构,被评单位,得分,等级\n")

    with pytest.raises(CommandError, match="仅接受 .xlsx"):
        run("units", str(path), "--region", "520111", "--year", "2021")


def test_the_bundled_data_loads_twice_without_changing_anything(db):
    call_command("load_bundled_data", stdout=io.StringIO())
    before = list(UnitEvaluation.objects.order_by("pk").values())
    out = io.StringIO()

    call_command("load_bundled_data", stdout=out)

    assert "新增 0，修改 0，未变 35，删除 0" in out.getvalue()
    assert "新增 0，修改 0，未变 67，删除 0" in out.getvalue()
    assert list(UnitEvaluation.objects.order_by("pk").values()) == before
