"""Writers for the public tables' downloads: CSV, XLSX and JSON from rows and a column spec.

Every writer takes an iterable of rows and a sequence of Column and yields the file as
bytes chunks, so a view may join them now or stream them later without change.

- CSV: UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; Decimals as
  their exact value ("1033.496").
- XLSX: one sheet, a bold header row, Decimals and ints as numeric cells.
- JSON: a list of objects keyed by Column.key; every Decimal is a string holding its exact
  value without trailing zeros ("9298.22276", "80.2"), because a JSON number would be read
  back as a binary float by most clients; ints stay ints.

Formula injection: a text cell starting with = + - @, tab or CR is prefixed with a single
quote in CSV and XLSX, so a spreadsheet shows it as text instead of evaluating it
(OWASP "CSV Injection"). JSON carries the text unchanged.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .decimals import exact

BOM = "\ufeff"
CSV_CHUNK = 32 * 1024
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Any], Any]
    width: int = 14


def neutralised(value):
    """Return a text value that a spreadsheet will not read as a formula, without the
    control characters no worksheet may hold; others unchanged."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return exact(value)
    return str(value)


class _Echo:
    """A file-like object for csv.writer that hands each line back (Django's streaming CSV)."""

    def write(self, value):
        return value


def csv_chunks(rows: Iterable, columns: Sequence[Column]) -> Iterator[bytes]:
    """Yield a UTF-8 CSV with a BOM: the header line at once, then the rows' lines in
    chunks of about CSV_CHUNK characters (a streamed response writes each chunk it gets)."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow([column.header for column in columns])).encode("utf-8")
    lines, size = [], 0
    for row in rows:
        line = writer.writerow([_text(neutralised(column.value(row))) for column in columns])
        lines.append(line)
        size += len(line)
        if size >= CSV_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines, size = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


def xlsx_chunks(
    rows: Iterable, columns: Sequence[Column], *, title: str = "评价结果"
) -> Iterator[bytes]:
    """Yield an XLSX workbook of one sheet: a bold header row, then one row per row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralised(column.value(row)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    yield buffer.getvalue()


class ExactJSONEncoder(DjangoJSONEncoder):
    """Encode a Decimal as the string of its exact value (see the module docstring)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return exact(o)
        return super().default(o)


def to_json(data) -> str:
    return json.dumps(data, cls=ExactJSONEncoder, ensure_ascii=False)


def json_chunks(rows: Iterable, columns: Sequence[Column]) -> Iterator[bytes]:
    """Yield a JSON list with one object per row."""
    yield b"["
    for index, row in enumerate(rows):
        item = {column.key: column.value(row) for column in columns}
        yield ((",\n" if index else "\n") + to_json(item)).encode("utf-8")
    yield b"\n]\n"


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str
    chunks: Callable[..., Iterator[bytes]]
    # Sent as it is written (StreamingHttpResponse): each chunk stands alone.
    streams: bool = False


FORMATS = {
    "csv": Format("text/csv; charset=utf-8", "csv", csv_chunks, streams=True),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", xlsx_chunks
    ),
    "json": Format("application/json", "json", json_chunks),
}
