"""Reading a results table as bureaus circulate it: title rows, merged cells, stray spaces.

`read_workbook` turns the first worksheet into plain rows with merged ranges filled in;
`locate_table` finds the header row among them and maps each column to a field.
"""

import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..text import clean_text, header_key, header_unit

ROW_NUMBER = "行号"
HEADER_SEARCH_ROWS = 30


class SheetError(ValueError):
    """The file as a whole cannot be read as the expected table; one message per problem."""

    def __init__(self, *messages: str):
        self.messages = list(messages)
        super().__init__("；".join(messages))


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    required: bool = True
    unit: str = ""

    def unit_problem(self, header: str) -> str:
        """Return why the unit a header states (e.g. "（元）") is wrong here, or ""."""
        stated = header_unit(header)
        if self.unit and stated and stated != self.unit:
            return f"单位应为“{self.unit}”，表头写的是“{stated}”"
        return ""

    def matches(self, header: str) -> bool:
        return header_key(header) in self.aliases


@dataclass
class Table:
    header_row: int
    letters: dict[str, str]
    headers: dict[str, str]
    rows: list[tuple[int, dict]] = field(default_factory=list)


def read_workbook(data: bytes) -> list[tuple[int, list]]:
    """Return (sheet row number, cell values) for the first worksheet, merged cells filled."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError("不是 xlsx 文件（仅接受 Excel 2007 及以上的 .xlsx 格式）")
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises a dozen kinds for a damaged package
        raise SheetError(f"无法读取 xlsx 文件：{exc}") from exc
    sheet = workbook.worksheets[0]
    grid = [list(values) for values in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top_left = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = top_left
    return [(number, values) for number, values in enumerate(grid, start=1)]


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def locate_table(rows: list[tuple[int, list]], columns: tuple[Column, ...]) -> Table:
    """Return the table under the first row that names every required column.

    Every non-empty header must be a known column and appear once: an unknown column
    would otherwise be dropped without anyone noticing.
    """
    required = [c for c in columns if c.required]
    for number, values in rows[:HEADER_SEARCH_ROWS]:
        found = {c.key for c in required if any(c.matches(v) for v in values if v)}
        if len(found) == len(required):
            return _read_table(rows, number, values, columns)
    names = "、".join(f"「{c.aliases[0]}」" for c in required)
    raise SheetError(f"前 {HEADER_SEARCH_ROWS} 行中没有找到表头：表头应包含 {names}")


def _read_table(rows, header_row, header_values, columns) -> Table:
    letters: dict[str, str] = {}
    headers: dict[str, str] = {}
    index_of: dict[str, int] = {}
    problems = []
    headed = {i for i, value in enumerate(header_values) if not is_blank(value)}
    for index, value in enumerate(header_values):
        if is_blank(value):
            continue
        letter = get_column_letter(index + 1)
        column = next((c for c in columns if c.matches(value)), None)
        if column is None:
            known = "、".join(c.aliases[0] for c in columns)
            problems.append(
                f"第{header_row}行{letter}列「{clean_text(value)}」：无法识别的列（可识别：{known}）"
            )
        elif column.key in letters:
            problems.append(
                f"第{header_row}行{letter}列「{clean_text(value)}」：与{letters[column.key]}列重复"
            )
        elif problem := column.unit_problem(value):
            problems.append(f"第{header_row}行{letter}列「{clean_text(value)}」：{problem}")
        else:
            letters[column.key] = letter
            headers[column.key] = clean_text(value)
            index_of[column.key] = index
    table = Table(header_row=header_row, letters=letters, headers=headers)
    for number, values in rows:
        if number <= header_row or all(is_blank(v) for v in values):
            continue
        for index, value in enumerate(values):
            if index not in headed and not is_blank(value):
                letter = get_column_letter(index + 1)
                problems.append(
                    f"第{number}行{letter}列：该列没有表头，但有数据“{clean_text(value)}”"
                )
        table.rows.append((number, {key: values[i] for key, i in index_of.items()}))
    if problems:
        raise SheetError(*problems)
    if not table.rows:
        raise SheetError(f"第{header_row}行表头下没有数据")
    return table
