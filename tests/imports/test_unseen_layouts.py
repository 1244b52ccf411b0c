"""Tables of the same kind laid out in ways the bundled 2021 files are not."""

import io
from decimal import Decimal

from openpyxl import Workbook

from evaluations.models import FundingLine, Project, UnitEvaluation

from .helpers import import_projects, import_units

FIRM = "贵州诚隆会计师事务所有限公司"


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_cover_sheet_two_row_header_long_grade_names_units_in_cells_and_footnotes(huaxi):
    def build(workbook):
        cover = workbook.active
        cover.title = "说明"
        cover.append(["本表由区财政局绩效科编制，仅供内部使用。"])
        table = workbook.create_sheet("结果")
        table.append(["附件2"])
        table.append(["2022年度重点项目支出绩效评价结果"])
        table.append(
            ["序号", "项目名称", "年度项目资金（万元）", "自评得分", "第三方机构评价", None]
        )
        table.append([None, None, None, None, "评分", "等级"])
        table.merge_cells("E3:F3")
        for column in "ABCD":
            table.merge_cells(f"{column}3:{column}4")
        table.append(["1", "甲项目", "1,040.00万元", "100分", "95.92分", "优秀"])
        table.append(["2", "乙项目", 59.0518, 93, 84.32, "良好"])
        table.append([None, "乙项目（经开区）", "20", "90", None, None])
        table.append(["3", "丙项目", 10, 70, 75, "一般"])
        table.append([None] * 6)
        table.append(["注：等级按得分划分，90分及以上为优。"])
        table.merge_cells("A10:F10")
        table.append(["制表单位：花溪区财政局"])

    outcome = import_projects(huaxi, workbook_bytes(build))

    assert outcome.ok, outcome.errors
    assert list(Project.objects.order_by("number").values_list("number", "grade")) == [
        (1, "优"),
        (2, "良"),
        (3, "中"),
    ]
    assert FundingLine.objects.get(project__number=1).amount == Decimal("1040")
    assert FundingLine.objects.filter(project__number=2).count() == 2


def test_errors_in_a_workbook_of_several_sheets_name_the_sheet(huaxi):
    def build(workbook):
        workbook.active.title = "封面"
        workbook.active.append(["2021年度"])
        table = workbook.create_sheet("部门整体")
        table.append(["评价机构", "被评单位", "得分", "等级"])
        table.append([FIRM, "甲局", "九十", "优"])

    outcome = import_units(huaxi, workbook_bytes(build), file_name="结果.xlsx")

    assert outcome.errors == ["结果.xlsx「部门整体」 第2行 C列「得分」：“九十”不是数字"]
    assert not UnitEvaluation.objects.exists()


def test_a_workbook_holding_both_tables_feeds_each_importer_its_own_sheet(huaxi):
    def build(workbook):
        projects = workbook.active
        projects.append(
            ["序号", "项目名称", "年度项目资金（万元）", "自评得分", "第三方机构评分", "等级"]
        )
        projects.append([1, "甲项目", 10, 90, 91, "优"])
        units = workbook.create_sheet()
        units.append(["评价机构", "被评单位", "得分", "等级"])
        units.append([FIRM, "甲局", 88, "良"])

    data = workbook_bytes(build)

    assert import_units(huaxi, data).ok
    assert import_projects(huaxi, data).ok
    assert (UnitEvaluation.objects.count(), Project.objects.count()) == (1, 1)
