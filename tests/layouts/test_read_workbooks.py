import pytest

from evaluations.documents import Kind
from evaluations.layouts import read_documents

from . import empty_workbook, monitoring, self_evaluation, sheet, target, xlsx


def test_each_worksheet_holding_a_table_gives_one_document_in_workbook_order():
    workbook = self_evaluation()
    sheet(workbook, "填表说明", [["填表说明"], ["1. 金额单位为万元"]])
    monitoring(workbook, "监控表")
    target(workbook, "申报表")

    documents = read_documents(xlsx(workbook), file_name="汇总.xlsx")

    assert [(d.sheet, d.kind) for d in documents] == [
        ("自评表", Kind.SELF_EVALUATION),
        ("监控表", Kind.MONITORING),
        ("申报表", Kind.TARGET),
    ]
    assert {d.file_name for d in documents} == {"汇总.xlsx"}


def test_a_kind_given_is_taken_instead_of_the_one_the_content_suggests():
    [document] = read_documents(xlsx(target()), file_name="申报.xlsx", kind=Kind.SELF_EVALUATION)

    assert document.kind == Kind.SELF_EVALUATION


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        read_documents(xlsx(target()), file_name="申报.xlsx", kind="report")


def test_a_declaration_title_over_scored_columns_is_read_as_a_self_evaluation():
    workbook = empty_workbook()
    rows = [
        ["项目支出绩效目标申报表"],
        ["项目名称", "甲项目"],
        ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "完成率", "100%", "100%", 90, 90],
    ]
    sheet(workbook, "表1", rows)

    [document] = read_documents(xlsx(workbook), file_name="表.xlsx")

    assert document.kind == Kind.SELF_EVALUATION
