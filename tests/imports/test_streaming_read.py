"""The workbook is streamed (openpyxl read-only) with merged ranges read from the sheet XML."""

import io
import zipfile

import pytest

from evaluations.imports import sheet
from evaluations.imports.sheet import SheetError, read_workbook
from tests.fuzz import malformed
from tests.sheets import xlsx


def rows_of(data):
    ((_, rows),) = read_workbook(data)
    return [values for _, values in rows]


def test_a_merged_range_gives_every_cell_its_top_left_value():
    data = xlsx([["甲", None, "x"], [None, None, "y"]], title=None, merges=["A1:B2"])

    assert rows_of(data) == [["甲", "甲", "x"], ["甲", "甲", "y"]]


def test_a_merge_tag_cut_between_two_chunks_is_still_read(monkeypatch):
    data = xlsx([[f"r{i}", None, 0] for i in range(50)], title=None, merges=["A10:B10", "A20:B21"])
    monkeypatch.setattr(sheet, "_CHUNK", 7)  # every tag is cut somewhere

    rows = rows_of(data)

    assert rows[9] == ["r9", "r9", 0] and rows[19:21] == [["r19", "r19", 0], ["r19", "r19", 0]]


def test_a_merge_reaching_past_the_data_fills_only_up_to_the_widest_row():
    data = malformed.huge_merge(xlsx([["甲", "乙"], ["丙", "丁"]], title=None), ["A1:Z40"])

    assert rows_of(data) == [["甲", "甲"], ["甲", "甲"]]


def test_a_dimension_smaller_than_the_data_does_not_cut_rows_off():
    data = xlsx([[i] for i in range(1, 21)], title=None)
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    part = "xl/worksheets/sheet1.xml"
    parts[part] = parts[part].replace(b'<dimension ref="A1:A20"/>', b'<dimension ref="A1:A2"/>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)

    assert [values[0] for values in rows_of(buffer.getvalue())] == list(range(1, 21))


def test_overlapping_merges_are_refused_not_filled_for_minutes():
    # Few enough for the upload guard's limit on merged cells; still 50 times the sheet.
    data = malformed.overlapping_merges(xlsx([["x"] * 26] * 100, title=None), count=50)

    with pytest.raises(SheetError, match="合并单元格过多"):
        read_workbook(data)


def test_the_reader_stops_at_the_guards_limits_even_past_the_guard(monkeypatch):
    # A file the guard could not see through still reads no more than the guard allows.
    data = malformed.single_quoted_far_cells(malformed.workbook([["被评单位", "得分"]]))
    monkeypatch.setattr(sheet, "xlsx_problems", lambda data: [])

    with pytest.raises(SheetError) as raised:
        read_workbook(data)

    assert "超过上限" in raised.value.messages[0]
