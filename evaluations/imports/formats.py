"""The one input format the importers accept: xlsx as bureaus circulate it."""

import tablib
from import_export.formats.base_formats import XLSX

from .sheet import ROW_NUMBER, SHEET, read_workbook


class CirculatedXLSX(XLSX):
    """Read every row of every sheet, merged cells filled, title rows included.

    The resource finds the sheet and header row itself (see sheet.locate_table), because
    only it knows which columns to look for.
    """

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        return sheets_dataset(read_workbook(bytes(in_stream)))


def sheets_dataset(sheets) -> tablib.Dataset:
    """Return the rows of read_workbook's sheets as one dataset, one column per cell."""
    width = max((len(values) for _, rows in sheets for _, values in rows), default=0)
    dataset = tablib.Dataset(headers=[SHEET, ROW_NUMBER, *(f"c{i}" for i in range(width))])
    for name, rows in sheets:
        for number, values in rows:
            dataset.append([name, number, *values, *([None] * (width - len(values)))])
    return dataset


def dataset_sheets(dataset) -> list[tuple[str, list[tuple[int, list]]]]:
    """Return the sheets a CirculatedXLSX dataset holds, in workbook order."""
    sheets: dict[str, list] = {}
    for row in dataset:
        sheets.setdefault(row[0], []).append((row[1], list(row[2:])))
    return list(sheets.items())
