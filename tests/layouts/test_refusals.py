import io
import zipfile

import pytest

from evaluations.documents import DocumentError
from evaluations.layouts import read_documents

from . import empty_workbook, monitoring, self_evaluation, sheet, target, xlsx


def problems(data, file_name="自评.xlsx"):
    with pytest.raises(DocumentError) as refused:
        read_documents(data, file_name=file_name)
    return refused.value.messages


def rezipped(data, **replacements):
    """Return the xlsx package with some of its parts' bytes replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            part = source.read(name)
            for old, new in replacements.get(name, ()):
                part = part.replace(old, new)
            archive.writestr(name, part)
    return buffer.getvalue()


def broken(cell, value, builder=self_evaluation):
    workbook = builder()
    workbook.active[cell] = value
    return xlsx(workbook)


def test_a_file_that_is_not_xlsx_is_refused():
    assert problems("项目名称,甲\n".encode(), "自评.csv") == [
        "自评.csv：是文本文件（可能是改了扩展名的 .csv），请在 Excel 或 WPS 中另存为 .xlsx 后上传"
    ]


def test_an_excel_97_workbook_is_refused_with_how_to_convert_it():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    [message] = problems(ole2, "自评.xls")

    assert message.startswith("自评.xls：是 Excel 97-2003 格式（.xls）")
    assert "另存为 .xlsx" in message


def test_a_macro_enabled_workbook_is_refused():
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    data = rezipped(xlsx(self_evaluation()), **{"[Content_Types].xml": [(main, macro)]})

    [message] = problems(data, "自评.xlsm")

    assert message == "自评.xlsm：含宏的文件（.xlsm）不接受，请另存为 .xlsx"


def test_another_office_file_renamed_to_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )

    [message] = problems(buffer.getvalue())

    assert message.startswith("自评.xlsx：不是 Excel 工作簿（可能是改了扩展名的其他文件）")


def test_a_non_number_in_a_score_cell_names_its_row_and_column():
    assert problems(broken("H13", "九点六")) == [
        "自评.xlsx 工作表“自评表”第13行 H列「得分」：“九点六”不是数字"
    ]


def test_a_score_with_more_than_two_decimal_places_is_refused():
    assert problems(broken("H15", 19.125)) == [
        "自评.xlsx 工作表“自评表”第15行 H列「得分」：得分 19.125 超过两位小数"
    ]


def test_a_negative_amount_is_refused():
    assert problems(broken("D6", -5)) == [
        "自评.xlsx 工作表“自评表”第6行 D列「年初预算数」：金额 -5 不能为负数"
    ]


def test_an_amount_with_more_than_six_decimal_places_is_refused():
    [message] = problems(broken("E7", "115.1234567"))

    assert (
        message == "自评.xlsx 工作表“自评表”第7行 E列「全年预算数」：金额 115.1234567 超过六位小数"
    )


def test_an_uncomputed_formula_in_an_amount_is_refused_not_read_as_blank():
    [message] = problems(broken("D6", "=SUM(D7:D9)"))

    assert message == "自评.xlsx 工作表“自评表”第6行 D列「年初预算数」：“=SUM(D7:D9)”不是数字"


def test_an_indicator_without_points_is_refused():
    assert problems(broken("G16", None)) == [
        "自评.xlsx 工作表“自评表”第16行 G列「分值」：指标“按期完工率”没有分值"
    ]


def test_a_missing_project_name_is_refused():
    assert problems(broken("C3", None)) == [
        "自评.xlsx 工作表“自评表”第3行 A列「项目名称」：未填写项目名称"
    ]


def test_a_table_without_a_project_name_label_is_refused():
    assert problems(broken("A3", "名称")) == ["自评.xlsx 工作表“自评表”：没有找到「项目名称」"]


def test_a_table_without_an_indicator_block_is_refused():
    workbook = self_evaluation()
    workbook.active.delete_rows(12, 20)

    assert problems(xlsx(workbook)) == [
        "自评.xlsx 工作表“自评表”：没有找到绩效指标表（表头应有「三级指标」或「指标名称」）"
    ]


def test_an_unknown_likelihood_is_refused():
    assert problems(broken("G12", "差不多", monitoring), "监控.xlsx") == [
        "监控.xlsx 工作表“监控表”第12行 G列「完成目标可能性」："
        "无法识别的完成目标可能性“差不多”（应为确定能、有可能或不可能）"
    ]


def test_a_year_that_is_not_a_year_is_refused():
    workbook = empty_workbook()
    sheet(
        workbook,
        "表1",
        [
            ["年度", "今年"],
            ["项目名称", "甲项目"],
            ["一级指标", "三级指标", "指标值"],
            ["产出指标", "完成率", "100%"],
        ],
    )

    assert problems(xlsx(workbook)) == ["自评.xlsx 工作表“表1”第1行 B列「年度」：“今年”不是年份"]


def test_every_problem_in_the_file_is_reported_at_once():
    workbook = self_evaluation()
    workbook.active["H13"] = "九点六"
    workbook.active["D6"] = -5
    target(workbook, "申报表")
    workbook["申报表"]["E12"] = "三十"

    assert problems(xlsx(workbook)) == [
        "自评.xlsx 工作表“自评表”第6行 D列「年初预算数」：金额 -5 不能为负数",
        "自评.xlsx 工作表“自评表”第13行 H列「得分」：“九点六”不是数字",
        "自评.xlsx 工作表“申报表”第12行 E列「分值」：“三十”不是数字",
    ]


def test_one_broken_table_refuses_the_whole_workbook():
    workbook = self_evaluation()
    monitoring(workbook, "监控表")
    workbook["监控表"]["G12"] = "差不多"

    assert len(problems(xlsx(workbook))) == 1


def test_a_workbook_without_any_table_is_refused():
    workbook = empty_workbook()
    sheet(workbook, "说明", [["填表说明：请按附件格式填写"]])

    assert problems(xlsx(workbook), "说明.xlsx") == [
        "说明.xlsx：没有找到绩效目标申报表、绩效监控表或项目支出绩效自评表"
    ]


def test_a_table_on_a_hidden_sheet_is_refused_not_imported_unseen():
    workbook = self_evaluation()
    monitoring(workbook, "监控表")
    workbook["监控表"].sheet_state = "hidden"

    assert problems(xlsx(workbook)) == [
        "自评.xlsx 工作表“监控表”：是隐藏的工作表，其中有表格：请取消隐藏并核对后重新上传"
    ]


def test_a_hidden_sheet_of_drop_down_lists_is_ignored():
    workbook = self_evaluation()
    lists = sheet(workbook, "下拉选项", [["确定能"], ["有可能"], ["不可能"]])
    lists.sheet_state = "veryHidden"

    assert len(read_documents(xlsx(workbook), file_name="自评.xlsx")) == 1


def test_a_workbook_the_guard_refuses_never_reaches_openpyxl():
    data = xlsx(self_evaluation())
    data = rezipped(
        data, **{"xl/worksheets/sheet1.xml": [(b"</sheetData>", b'<row r="999999"/></sheetData>')]}
    )

    [message] = problems(data)

    assert message.startswith("自评.xlsx：工作表“自评表”至少有 999999 行")


def test_a_sheet_past_the_guards_limits_is_refused_even_if_the_guard_missed_it(monkeypatch):
    from evaluations.layouts import read as read_module
    from tests.fuzz import malformed

    data = malformed.single_quoted_far_cells(malformed.workbook([["项目名称", "x"]]))
    monkeypatch.setattr(read_module, "xlsx_problems", lambda data: [])

    with pytest.raises(DocumentError) as raised:
        read_module.read_documents(data, file_name="目标表.xlsx")

    assert raised.value.messages[0].startswith(
        "目标表.xlsx 工作表“Sheet1”：范围为 2099 行 × 16384 列"
    )
