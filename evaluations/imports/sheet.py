"""Reading a results table as bureaus circulate it: title rows, merged cells, stray spaces.

`read_workbook` turns each worksheet into plain rows with merged ranges filled in;
`locate_table` finds the sheet and header row among them and maps each column to a field.
"""

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from ..text import clean_text, header_key, header_unit
from ..workbooks import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, xlsx_problems

SHEET = "工作表"
ROW_NUMBER = "行号"
HEADER_SEARCH_ROWS = 30
# Filling merged ranges may touch each cell of a sheet this many times over, no more:
# thousands of overlapping ranges would otherwise keep the server busy for minutes.
MERGE_FILL_FACTOR = 4
# A row holding one text that starts like this, and nothing else, is a note under the
# table ("注：…", "制表单位：…"), not a record.
FOOTNOTE_PREFIXES = (
    "注",
    "备注",
    "说明",
    "制表",
    "填表",
    "审核",
    "数据来源",
    "资料来源",
    "单位负责人",
)


# A file's cells repeat (a firm's name down its block, a unit's name checked by several
# steps): each distinct value is cleaned once. Typed, so that 1 and 1.0 stay apart.
cell_text = lru_cache(maxsize=1 << 16, typed=True)(clean_text)


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

    def matches(self, header: str) -> bool:
        return header_key(header) in self.aliases

    def unit_problem(self, header: str) -> str:
        """Return why the unit a header states (e.g. "（元）") is wrong here, or ""."""
        stated = header_unit(header)
        if self.unit and stated and stated != self.unit:
            return f"单位应为“{self.unit}”，表头写的是“{stated}”"
        return ""


@dataclass
class Table:
    sheet: str
    header_row: int
    letters: dict[str, str]
    headers: dict[str, str]
    rows: list[tuple[int, dict]] = field(default_factory=list)


Rows = list[tuple[int, list]]


def read_workbook(data: bytes) -> list[tuple[str, Rows]]:
    """Return each worksheet's name and (row number, cell values), merged cells filled.

    The bytes pass the upload guard first (evaluations.workbooks: not a package, macros, zip
    bombs, too many rows). openpyxl then streams each sheet (read-only mode), which keeps
    no cell objects; the merged ranges that mode does not expose are read from the sheet's
    <mergeCells> element.
    """
    if problems := xlsx_problems(data):
        raise SheetError(*problems)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [(sheet.title, _sheet_rows(workbook, sheet)) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises a dozen kinds for a damaged package
        raise SheetError(f"无法读取 xlsx 文件：{exc}") from exc


def _sheet_rows(workbook, sheet) -> Rows:
    sheet.reset_dimensions()  # a <dimension> that lies would cut rows off
    grid, cells = [], 0
    for values in sheet.iter_rows(values_only=True):
        # The upload guard has already counted the sheet; this holds even if a file it
        # could not see through reaches here: no more is read than the guard allows.
        cells += len(values)
        if len(grid) >= MAX_ROWS or len(values) > MAX_COLUMNS or cells > MAX_CELLS:
            raise SheetError(
                f"工作表「{sheet.title}」超过上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列、"
                f"{MAX_CELLS} 个单元格），请删除多余的行列后重新保存"
            )
        grid.append(list(values))
    width = max(map(len, grid), default=0)
    budget = MERGE_FILL_FACTOR * max(len(grid) * width, 1000)
    for min_col, min_row, max_col, max_row in _merged_ranges(workbook, sheet):
        # A range reaches no further than the data: cells beyond hold nothing to read.
        last_row, last_col = min(max_row, len(grid)), min(max_col, width)
        if min_row > last_row or min_col > last_col:
            continue
        budget -= (last_row - min_row + 1) * (last_col - min_col + 1)
        if budget < 0:
            raise SheetError(f"工作表「{sheet.title}」的合并单元格过多或相互重叠，无法读取")
        first = grid[min_row - 1]
        top_left = first[min_col - 1] if min_col <= len(first) else None
        for row in grid[min_row - 1 : last_row]:
            if len(row) < last_col:
                row.extend([None] * (last_col - len(row)))
            row[min_col - 1 : last_col] = [top_left] * (last_col - min_col + 1)
    return list(enumerate(grid, start=1))


_MERGE_CELL = re.compile(
    rb"<(?:[\w.\-]+:)?mergeCell\b[^>]*?\bref\s*=\s*([\"'])([A-Za-z]+\d+:[A-Za-z]+\d+)\1"
)
_CHUNK = 1024 * 1024
_OVERLAP = 256  # longer than any <mergeCell ref="…"/> tag, so none is cut unseen


def _merged_ranges(workbook, sheet):
    """Yield (min_col, min_row, max_col, max_row) of each merged range, read in chunks."""
    tail = b""
    with workbook._archive.open(sheet._worksheet_path) as source:
        while chunk := source.read(_CHUNK):
            text = tail + chunk
            for match in _MERGE_CELL.finditer(text):
                if match.end() > len(tail):  # one ending in the tail was found last time
                    yield range_boundaries(match.group(2).decode())
            tail = text[-_OVERLAP:]


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not cell_text(value))


def is_footnote(values) -> bool:
    texts = {cell_text(v) for v in values if not is_blank(v)}
    return len(texts) == 1 and texts.pop().startswith(FOOTNOTE_PREFIXES)


def locate_table(sheets: list[tuple[str, Rows]], columns: tuple[Column, ...]) -> Table:
    """Return the table under the first header that names every required column.

    Sheets are searched in order, each in its first rows. A header may span two rows
    ("第三方机构评价" over "评分 | 等级"). Every non-empty header must be a known column and
    appear once: an unknown column would otherwise be dropped without anyone noticing.
    """
    fallback = None
    for name, rows in sheets:
        head = rows[:HEADER_SEARCH_ROWS]
        for i, (number, values) in enumerate(head):
            candidates = [(number, values)]
            if i + 1 < len(head):
                candidates.append((head[i + 1][0], _stacked(values, head[i + 1][1])))
            for header_row, header in candidates:
                if not _names_required(header, columns):
                    continue
                unknown = _unknown(header, columns)
                if not unknown:
                    return _read_sheet_table(sheets, name, rows, header_row, header, columns)
                # A header with unknown columns: the table, unless a cleaner one follows.
                if fallback is None or unknown < fallback[0]:
                    fallback = (unknown, name, rows, header_row, header)
    if fallback:
        return _read_sheet_table(sheets, *fallback[1:], columns)
    names = "、".join(f"「{c.aliases[0]}」" for c in columns if c.required)
    where = "各工作表" if len(sheets) > 1 else ""
    raise SheetError(f"{where}前 {HEADER_SEARCH_ROWS} 行中没有找到表头：表头应包含 {names}")


def _read_sheet_table(sheets, name, rows, header_row, header, columns) -> Table:
    try:
        return _read_table(name, rows, header_row, header, columns)
    except SheetError as exc:
        if len(sheets) == 1:
            raise
        raise SheetError(*(f"工作表「{name}」{m}" for m in exc.messages)) from None


def _unknown(values, columns) -> int:
    return sum(not is_blank(v) and not any(c.matches(v) for c in columns) for v in values)


def _stacked(upper, lower) -> list:
    """Return a two-row header read as one: the lower cell under a merged upper cell."""
    width = max(len(upper), len(lower))
    upper = [*upper, *([None] * (width - len(upper)))]
    lower = [*lower, *([None] * (width - len(lower)))]
    stacked = []
    for top, bottom in zip(upper, lower, strict=True):
        top, bottom = cell_text(top), cell_text(bottom)
        stacked.append(
            top if not bottom or bottom == top else (bottom if not top else top + bottom)
        )
    return stacked


def _names_required(values, columns) -> bool:
    return all(any(c.matches(v) for v in values if v) for c in columns if c.required)


def _read_table(sheet, rows, header_row, header_values, columns) -> Table:
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
        text = cell_text(value)
        if column is None:
            known = "、".join(c.aliases[0] for c in columns)
            problems.append(
                f"第{header_row}行{letter}列「{text}」：无法识别的列（可识别：{known}）"
            )
        elif column.key in letters:
            problems.append(f"第{header_row}行{letter}列「{text}」：与{letters[column.key]}列重复")
        elif problem := column.unit_problem(value):
            problems.append(f"第{header_row}行{letter}列「{text}」：{problem}")
        else:
            letters[column.key] = letter
            headers[column.key] = text
            index_of[column.key] = index
    table = Table(sheet=sheet, header_row=header_row, letters=letters, headers=headers)
    for number, values in rows:
        if number <= header_row or all(is_blank(v) for v in values) or is_footnote(values):
            continue
        for index, value in enumerate(values):
            if index not in headed and not is_blank(value):
                letter = get_column_letter(index + 1)
                problems.append(
                    f"第{number}行{letter}列：该列没有表头，但有数据“{cell_text(value)}”"
                )
        table.rows.append(
            (number, {key: values[i] if i < len(values) else None for key, i in index_of.items()})
        )
    if problems:
        raise SheetError(*problems)
    if not table.rows:
        raise SheetError(f"第{header_row}行表头下没有数据")
    return table
