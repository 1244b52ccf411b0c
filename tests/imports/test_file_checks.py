from evaluations.models import UnitEvaluation
from tests.sheets import project_sheet, unit_sheet, xlsx

from .helpers import import_projects, import_units

FIRM = "贵州诚隆会计师事务所有限公司"


def test_a_file_that_is_not_xlsx_is_refused(huaxi):
    outcome = import_units(huaxi, "评价机构,被评单位\n".encode(), file_name="units.csv")

    assert outcome.errors == [
        "units.csv：是文本文件（可能是改了扩展名的 .csv），请在 Excel 或 WPS 中另存为 .xlsx 后上传"
    ]


def test_a_damaged_xlsx_is_refused_with_the_reason(huaxi):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")

    outcome = import_units(huaxi, buffer.getvalue())

    assert outcome.errors == [
        "units.xlsx：不是 Excel 工作簿（可能是改了扩展名的其他文件），"
        "请在 Excel 或 WPS 中另存为 .xlsx 后上传"
    ]


def test_a_sheet_without_the_expected_header_is_refused(huaxi):
    outcome = import_units(huaxi, xlsx([["单位", "分数"], ["甲局", 90]], title=None))

    assert len(outcome.errors) == 1
    assert "没有找到表头" in outcome.errors[0] and "「被评单位」" in outcome.errors[0]


def test_an_unknown_column_is_refused_rather_than_dropped(huaxi):
    data = unit_sheet(
        [[FIRM, "甲局", 90, "优", "x"]], header=["评价机构", "被评单位", "得分", "等级", "联系人"]
    )

    outcome = import_units(huaxi, data)

    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("units.xlsx：第2行E列「联系人」：无法识别的列")
    assert not UnitEvaluation.objects.exists()


def test_data_under_a_blank_header_is_refused(huaxi):
    outcome = import_units(huaxi, unit_sheet([[FIRM, "甲局", 90, "优", None, "多出的数据"]]))

    assert outcome.errors == ["units.xlsx：第3行F列：该列没有表头，但有数据“多出的数据”"]


def test_a_remark_column_is_kept(huaxi):
    data = unit_sheet(
        [[FIRM, "甲局", 90, "优", "复核后调整"]],
        header=["评价机构", "被评单位", "得分", "等级", "备注"],
    )

    assert import_units(huaxi, data).ok
    assert UnitEvaluation.objects.get().note == "复核后调整"


def test_amounts_stated_in_yuan_rather_than_wan_yuan_are_refused(huaxi):
    header = ["序号", "项目名称", "年度项目资金（元）", "自评得分", "第三方机构评分", "等级"]

    outcome = import_projects(
        huaxi, project_sheet([[1, "甲项目", 1000000, 90, 90, "优"]], header=header)
    )

    assert len(outcome.errors) == 1
    assert "C列「年度项目资金（元）」：单位应为“万元”" in outcome.errors[0]


def test_a_header_merged_over_two_columns_is_refused_as_a_duplicate(huaxi):
    data = unit_sheet(
        [[FIRM, "甲局", 90, 91, "优"]],
        header=["评价机构", "被评单位", "得分", None, "等级"],
        merges=["C2:D2"],
    )

    outcome = import_units(huaxi, data)

    assert outcome.errors == ["units.xlsx：第2行D列「得分」：与C列重复"]
