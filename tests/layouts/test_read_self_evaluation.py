from decimal import Decimal

from evaluations.documents import Cell, Kind
from evaluations.indicators import Direction
from evaluations.layouts import read_documents

from . import empty_workbook, self_evaluation, sheet, xlsx


def read(workbook, file_name="自评.xlsx"):
    [document] = read_documents(xlsx(workbook), file_name=file_name)
    return document


def indicator(document, name):
    return next(row for row in document.indicators if row.name == name)


def test_the_kind_and_year_come_from_the_title():
    document = read(self_evaluation())

    assert document.kind == Kind.SELF_EVALUATION
    assert document.year == 2020
    assert document.sheet == "自评表"


def test_header_labels_are_read_with_the_value_to_their_right():
    document = read(self_evaluation())

    assert document.project_name == "农村公路养护工程"
    assert document.implementing_unit == "区公路管理站"
    assert document.cells["project_name"] == Cell("自评表", 3, "C", "项目名称")


def test_a_department_code_is_not_part_of_the_department_name():
    assert read(self_evaluation()).department == "区交通运输局"


def test_fund_rows_are_read_total_first_with_the_layouts_prefixes_dropped():
    document = read(self_evaluation())

    assert [fund.label for fund in document.funds] == [
        "年度资金总额",
        "当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    total = document.funds[0]
    assert (total.initial_budget, total.full_year_budget, total.spent) == (
        Decimal("120"),
        Decimal("135.5"),
        Decimal("125.2"),
    )
    assert document.funds[3].spent is None  # "/"


def test_a_fund_total_printed_below_its_parts_is_put_first():
    workbook = empty_workbook()
    rows = [
        ["项目支出绩效自评表"],
        ["项目名称", "甲项目"],
        ["资金来源", "全年预算数", "全年执行数", "分值", "得分"],
        ["财政资金", 8, 8],
        ["其他资金", 2, 2],
        ["合计", 10, 10, 10, 10],
        ["一级指标", "三级指标", "分值", "得分"],
        ["产出指标", "完成率", 90, 90],
    ]
    sheet(workbook, "自评", rows)

    document = read(workbook)

    assert [fund.label for fund in document.funds] == ["合计", "财政资金", "其他资金"]
    assert document.execution_score == Decimal("10")


def test_the_execution_rate_of_a_percent_formatted_cell_is_read_in_percent():
    document = read(self_evaluation())

    assert document.funds[0].rate == Decimal("92.4")
    assert (document.execution_points, document.execution_score) == (Decimal(10), Decimal("9.24"))
    assert document.funds[1].points is None  # "—"


def test_goals_side_by_side_are_read_from_under_their_labels():
    document = read(self_evaluation())

    assert document.overall_goal == "完成县乡道养护100公里"
    assert document.goal_actual == "完成养护98公里"
    assert document.cells["goal_actual"] == Cell("自评表", 11, "F", "实际完成情况")


def test_goals_stacked_in_two_rows_are_read_from_beside_their_labels():
    workbook = self_evaluation()
    worksheet = workbook.active
    worksheet.unmerge_cells("B10:E10")
    worksheet.unmerge_cells("F10:I10")
    worksheet.unmerge_cells("B11:E11")
    worksheet.unmerge_cells("F11:I11")
    worksheet["F10"], worksheet["C10"] = None, "为群众出行提供保障"
    worksheet["B11"], worksheet["C11"], worksheet["F11"] = "实际完成情况", "基本完成", None

    document = read(workbook)

    assert (document.overall_goal, document.goal_actual) == ("为群众出行提供保障", "基本完成")


def test_merged_level1_cells_mean_same_as_above():
    document = read(self_evaluation())

    rows = [row for row in document.indicators if row.level1 == "产出指标"]
    assert [row.name for row in rows] == ["养护里程", "验收合格率", "按期完工率"]


def test_blank_level1_cells_mean_same_as_above():
    document = read(self_evaluation())

    assert indicator(document, "养护机制").level1 == "效益指标"
    assert indicator(document, "养护机制").level2 == "可持续影响指标"


def test_points_written_in_level1_labels_are_read_with_either_parenthesis():
    document = read(self_evaluation())

    assert indicator(document, "养护里程").level1_points == Decimal(50)  # (50分)
    assert indicator(document, "通行条件改善").level1_points == Decimal(30)  # （30分）
    assert indicator(document, "群众满意度").level1 == "满意度指标"


def test_a_percent_formatted_number_reads_as_the_percentage_shown():
    document = read(self_evaluation())

    assert indicator(document, "验收合格率").actual_text == "100.00%"  # 1 formatted 0.00%
    assert indicator(document, "验收合格率").actual.number == Decimal("100.00")
    assert indicator(document, "群众满意度").actual_text == "95.5%"  # 0.955 formatted 0.0%
    assert indicator(document, "按期完工率").actual_text == "100.00%"  # text as typed


def test_a_slash_actual_marks_the_indicator_not_applicable():
    row = indicator(read(self_evaluation()), "养护机制")

    assert row.applicable is False
    assert row.actual is None and row.actual_text == "/"
    assert row.points == Decimal(15)


def test_placeholder_and_slash_rows_are_ignored():
    document = read(self_evaluation())

    assert [row.name for row in document.indicators] == [
        "养护里程",
        "验收合格率",
        "按期完工率",
        "通行条件改善",
        "养护机制",
        "群众满意度",
    ]


def test_an_indicator_keeps_operator_direction_and_the_cells_it_was_read_from():
    row = indicator(read(self_evaluation()), "养护里程")

    assert (row.target.operator, row.target.number, row.target.unit) == ("≥", Decimal(100), "公里")
    assert row.direction == Direction.POSITIVE
    assert row.quantitative is True
    assert (row.points, row.score, row.reason) == (Decimal(20), Decimal("19.6"), "雨季停工")
    assert row.cell == Cell("自评表", 13, "D", "三级指标")
    assert row.cells["score"] == Cell("自评表", 13, "H", "得分")
    assert row.cells["level1"] == Cell("自评表", 13, "B", "一级指标")


def test_a_qualitative_target_is_read_as_text():
    row = indicator(read(self_evaluation()), "通行条件改善")

    assert row.quantitative is False
    assert row.target.text == "明显改善" and row.direction == ""


def test_the_total_row_sets_the_total_and_footer_rows_are_ignored():
    document = read(self_evaluation())

    assert document.total == Decimal("92.84")
    assert document.cells["total"] == Cell("自评表", 24, "H", "得分")
    assert not document.conclusion and not document.problems


def test_the_sichuan_variant_reads_its_own_columns_and_closing_boxes():
    workbook = empty_workbook()
    rows = [
        ["部门预算项目支出绩效自评表(2023年度)"],
        ["项目名称", "51000021R000000000001-办公设备购置"],
        ["主管部门", "县财政局", None, "实施单位 (盖章)", "县财政局"],
        [
            "预算执行情况(10分)",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
        ],
        ["总额", 10, 12, 11.4, "95.00%", None, 9.5],
        ["其中:财政资金", 10, 12, 11.4, "95.00%", "/", "/"],
        ["绩效指标(90分)", None, None, None, None, None, None],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        ],
        ["产出指标", "数量指标", "购置台数", "≥", "20", "台", "20", 60, 60],
        ["效益指标", "社会效益指标", "办公效率", "定性", "提高", None, "提高", 30, 28, "0"],
        ["合计", None, None, None, None, None, None, 100, None],
        ["评价结论", "按期完成购置"],
        ["存在问题", "采购周期偏长"],
        ["改进措施", "提前编制采购计划"],
        ["项目负责人:", None, None, "财务负责人:"],
    ]
    sheet(workbook, "510000_0013zp", rows)

    document = read(workbook)

    assert (document.project_code, document.project_name) == (
        "51000021R000000000001",
        "办公设备购置",
    )
    assert document.implementing_unit == "县财政局"
    assert document.execution_points == Decimal(10)  # from "预算执行情况(10分)"
    assert document.cells["execution_points"] == Cell("510000_0013zp", 4, "A", "预算执行情况(10分)")
    assert document.funds[0].adjusted_budget == Decimal(12)
    assert document.funds[0].rate == Decimal(95)
    count, efficiency = document.indicators
    assert (count.target_text, count.target.operator, count.unit_of_measure) == ("20", "≥", "台")
    assert count.direction == Direction.POSITIVE
    assert efficiency.quantitative is False
    assert efficiency.reason == ""  # "0" means no reason
    assert document.total is None  # 合计 prints the weights; its 得分 is blank
    assert (document.conclusion, document.problems, document.measures) == (
        "按期完成购置",
        "采购周期偏长",
        "提前编制采购计划",
    )


def test_columns_in_another_order_are_read_by_their_headers():
    workbook = empty_workbook()
    rows = [
        ["绩效目标自评表"],
        ["项目名称", "水标尺安装"],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "全年实际值",
            "得分",
            "未完成原因及拟采取的改进措施",
        ],
        ["产出指标(70分)", "数量指标", "安装水标尺", 10, "≥266米", "≥266米", 10],
        ["总分", None, None, 100, None, None, 100],
    ]
    sheet(workbook, "自评表", rows)

    [row] = read(workbook).indicators

    assert (row.points, row.target_text, row.actual_text, row.score) == (
        Decimal(10),
        "≥266米",
        "≥266米",
        Decimal(10),
    )


def test_the_kind_is_told_from_the_columns_when_the_title_does_not_say():
    workbook = empty_workbook()
    rows = [
        ["项目名称", "甲项目"],
        ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "完成率", "100%", "100%", 90, 90],
    ]
    sheet(workbook, "表1", rows)

    assert read(workbook).kind == Kind.SELF_EVALUATION


def test_a_core_indicator_is_marked_with_a_star():
    workbook = empty_workbook()
    rows = [
        ["项目支出绩效自评表"],
        ["项目名称", "甲项目"],
        ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "是否核心指标"],
        ["产出指标", "★完成率", "100%", "100%", 50, 50, None],
        ["效益指标", "受益人数", "≥100人", "120人", 40, 40, "是"],
    ]
    sheet(workbook, "表1", rows)

    first, second = read(workbook).indicators

    assert (first.name, first.core) == ("完成率", True)
    assert second.core is True
