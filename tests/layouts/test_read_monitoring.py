from decimal import Decimal

from evaluations.documents import Cell, Kind
from evaluations.indicators import Likelihood
from evaluations.layouts import read_documents

from . import empty_workbook, monitoring, sheet, xlsx


def read(workbook):
    [document] = read_documents(xlsx(workbook), file_name="监控.xlsx")
    return document


def test_the_period_in_the_title_sets_the_end_month():
    document = read(monitoring())

    assert document.kind == Kind.MONITORING
    assert (document.year, document.end_month) == (2021, 7)
    assert document.cells["end_month"] == Cell("监控表", 2, "A", "标题")


def test_a_period_in_the_fund_header_sets_the_end_month():
    workbook = monitoring()
    workbook.active["A2"] = "（2021年度）"
    workbook.active["D6"] = "1-8月执行数"

    document = read(workbook)

    assert document.end_month == 8
    assert document.funds[0].spent == Decimal("20.5")


def test_header_and_funds_are_read():
    document = read(monitoring())

    assert (document.project_name, document.department) == ("职业技能培训补贴", "区人社局")
    assert (document.implementing_unit, document.attribute) == ("区就业服务中心", "新增")
    assert [fund.label for fund in document.funds] == ["年度资金总额", "当年一般公共预算拨款"]
    total = document.funds[0]
    assert (total.initial_budget, total.spent, total.expected_spent) == (
        Decimal(50),
        Decimal("20.5"),
        Decimal(48),
    )
    assert document.overall_goal == "培训500人次，培训合格率90%以上"


def test_a_two_row_header_names_the_columns_under_a_merged_cell():
    first = read(monitoring()).indicators[0]

    assert (first.progress, first.expected) == ("230人次", "520人次")
    assert first.cells["expected"] == Cell("监控表", 12, "F", "全年预计完成值")


def test_likelihoods_are_read_as_their_choice_values():
    document = read(monitoring())

    assert [row.likelihood for row in document.indicators] == [
        Likelihood.CERTAIN,
        Likelihood.POSSIBLE,  # "有 可能"
        Likelihood.IMPOSSIBLE,  # "完全不可能"
    ]


def test_percent_formatted_progress_and_a_slash_for_no_data_yet():
    _, coverage, satisfaction = read(monitoring()).indicators

    assert (coverage.progress, coverage.expected) == ("45%", "92%")
    assert (satisfaction.progress, satisfaction.expected) == ("", "")


def test_each_indicators_cause_and_measure_and_the_closing_boxes_are_read():
    document = read(monitoring())

    coverage = document.indicators[1]
    assert (coverage.cause, coverage.measure) == ("报名集中在下半年", "加强宣传")
    assert document.cause == "部分培训推迟到下半年"
    assert document.measure == "按季度通报培训进度"
    assert document.cells["measure"] == Cell("监控表", 16, "B", "相关建议或举措")


def test_the_kind_is_told_from_the_likelihood_column_when_the_title_does_not_say():
    workbook = empty_workbook()
    rows = [
        ["项目名称", "甲项目"],
        ["一级指标", "三级指标", "年度指标值", "1-6月完成值", "完成目标可能性"],
        ["产出指标", "完成率", "100%", "50%", "确定能"],
    ]
    sheet(workbook, "表1", rows)

    document = read(workbook)

    assert (document.kind, document.end_month) == (Kind.MONITORING, 6)
    assert document.indicators[0].progress == "50%"
