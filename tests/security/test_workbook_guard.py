"""The guard every importer runs before openpyxl opens an upload (evaluations.workbooks)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations import workbooks
from evaluations.workbooks import xlsx_problems
from tests.fuzz import malformed

BASE = (
    Path(__file__).resolve().parent.parent / "data" / "layouts" / "self_evaluation_standard.xlsx"
).read_bytes()


def the_problem(data) -> str:
    [problem] = xlsx_problems(data)
    return problem


def test_a_plain_workbook_passes():
    assert xlsx_problems(BASE) == []


def test_an_empty_workbook_passes_for_the_importer_to_judge():
    assert xlsx_problems(malformed.empty_workbook()) == []


def test_an_empty_file_is_refused():
    assert the_problem(b"") == "文件是空的（0 字节）"


def test_a_file_over_the_upload_limit_is_refused_before_it_is_unzipped(settings):
    settings.UPLOAD_MAX_BYTES = len(BASE) - 1

    assert the_problem(BASE).startswith("文件过大")


@pytest.mark.parametrize(
    "data, reason",
    [
        (malformed.renamed_xls(), "是 Excel 97-2003 格式（.xls）"),
        (malformed.encrypted_xlsx(), "文件设置了打开密码（已加密）"),
        (malformed.renamed_csv(), "是文本文件（可能是改了扩展名的 .csv）"),
        (malformed.renamed_docx(), "是 Word 文档（.docx）"),
        (malformed.renamed_pdf(), "是 PDF 文件"),
        (malformed.random_bytes(), "不是 xlsx 文件"),
        (malformed.truncated(BASE, len(BASE) // 2), "文件已损坏或不完整"),
        (malformed.no_sheets(), "工作簿中没有工作表"),
    ],
)
def test_what_is_not_a_readable_xlsx_is_named(data, reason):
    problem = the_problem(data)

    assert problem.startswith(reason)
    assert "x.xlsx" not in problem


def test_a_renamed_file_is_told_how_to_convert():
    assert the_problem(malformed.renamed_xls()).endswith("另存为 .xlsx 后上传")


def test_a_macro_enabled_package_is_refused():
    assert the_problem(malformed.macro_enabled(BASE)) == "含宏的文件（.xlsm）不接受，请另存为 .xlsx"


def test_a_vba_project_alone_is_enough_to_refuse():
    parts = malformed._parts(BASE)
    parts["xl/vbaProject.bin"] = b"\0"

    assert the_problem(malformed._zipped(parts)) == workbooks.MACRO_REFUSED


def test_a_zip_bomb_is_refused_by_its_declared_size():
    assert "超过上限" in the_problem(malformed.zip_bomb()) and "压缩炸弹" in the_problem(
        malformed.zip_bomb()
    )


def test_a_part_compressed_beyond_the_ratio_is_refused():
    assert "压缩比" in the_problem(malformed.ratio_bomb())


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_MEMBERS", 5)

    assert "个部件" in the_problem(BASE)


def test_a_sheet_row_beyond_the_limit_is_refused_even_without_a_dimension():
    problem = the_problem(malformed.far_row(BASE))

    assert problem.startswith("工作表“项目支出绩效自评表”至少有 1000000 行，超过上限")


def test_a_stated_dimension_beyond_the_limit_is_refused():
    assert "1048576 行" in the_problem(malformed.huge_dimension(BASE))


def test_a_million_blank_rows_are_counted_when_they_compress_modestly(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_COMPRESSION_RATIO", 10**6)

    assert "至少有" in the_problem(malformed.million_blank_rows(BASE))


def test_a_column_beyond_the_limit_is_refused():
    data = malformed.huge_dimension(BASE, ref="A1:XFD10")

    assert "16384 列" in the_problem(data)


def test_a_wide_and_long_range_is_refused_by_its_area():
    data = malformed.huge_dimension(BASE, ref=f"A1:AMJ{workbooks.MAX_ROWS}")

    assert "个单元格" in the_problem(data)


def test_hostile_cell_references_do_not_break_the_scan():
    data = malformed._sheet_xml(
        BASE,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="' + b"9" * 5000 + b'"><c r="' + b"Z" * 5000 + b'1"/></row></sheetData>',
        ),
    )

    assert "超过上限" in the_problem(data)


def test_a_cell_at_the_far_corner_is_refused_before_openpyxl_walks_the_grid():
    # Opened, this sheet is 1,048,576 × 16,384 cells: the reader would never finish.
    problem = the_problem(malformed.far_cell(BASE))

    assert problem.startswith("工作表“项目支出绩效自评表”至少有 1048576 行")


@pytest.mark.parametrize(
    "build, reason",
    [
        (malformed.huge_merge, "至少有 1048576 行"),
        (lambda data: malformed.huge_merge(data, ["A1:Z40000"]), "超过上限 300000 个单元格"),
        (malformed.overlapping_merges, "合并单元格和超链接共覆盖"),
        (malformed.huge_hyperlink, "至少有 1048576 行"),
    ],
)
def test_ranges_openpyxl_would_fill_cell_by_cell_are_refused(build, reason):
    assert reason in the_problem(build(BASE))


def test_a_few_ordinary_merges_pass():
    assert xlsx_problems(malformed.huge_merge(BASE, ["A1:H1", "A2:B3", "C5:C9"])) == []


def test_an_xml_part_declaring_entities_is_refused():
    problem = the_problem(malformed.billion_laughs(BASE))

    assert problem.startswith("部件 xl/worksheets/sheet1.xml 含有 XML 文档类型声明（DTD）")


@pytest.mark.parametrize(
    "data",
    [
        ("\ufeff项目名称,金额\n" + "甲项目,1\n" * 1000).encode(),  # BOM, a character cut at 4 KB
        ("项目名称,金额\n" + "甲项目,1\n" * 1000).encode("gb18030"),
    ],
    ids=["utf-8", "gb18030"],
)
def test_a_csv_in_either_encoding_is_told_apart(data):
    assert the_problem(data).startswith("是文本文件（可能是改了扩展名的 .csv）")


def test_the_sheet_is_named_as_excel_shows_it():
    data = malformed.far_row(malformed.workbook([["甲"]], title="收入&支出"))

    assert the_problem(data).startswith("工作表“收入&支出”至少有 1000000 行")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_the_guard_answers_any_damaged_package_without_raising(flips):
    data = bytearray(BASE)
    for at, byte in flips:
        data[at] = byte

    problems = xlsx_problems(bytes(data))

    assert isinstance(problems, list) and all(isinstance(p, str) and p for p in problems)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(data=malformed.hostile_packages(BASE))
def test_the_guard_answers_every_hostile_package(data):
    assert isinstance(xlsx_problems(data), list)


def test_cells_far_out_in_single_quoted_xml_are_counted():
    # 2,000 rows at column XFD: openpyxl would pad them to 32 million cells.
    problem = the_problem(malformed.single_quoted_far_cells(BASE))

    assert "列，超过上限 1024 列" in problem or "个单元格" in problem


def test_a_sheet_not_in_utf8_is_refused():
    problem = the_problem(malformed.utf16_sheet(BASE))

    assert problem.startswith("部件 xl/worksheets/")
    assert "不是 UTF-8 编码" in problem
