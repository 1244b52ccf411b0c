"""The one input format the importers accept: xlsx as bureaus circulate it."""

import tablib
from import_export.formats.base_formats import XLSX

from .sheet import ROW_NUMBER, read_workbook


class CirculatedXLSX(XLSX):
    """Read every row of the first sheet, merged cells filled, title rows included.

    The resource finds the header row itself (see sheet.locate_table), because only it
    knows which columns to look for.
    """

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        rows = read_workbook(bytes(in_stream))
        width = max((len(values) for _, values in rows), default=0)
        dataset = tablib.Dataset(headers=[ROW_NUMBER, *(f"c{i}" for i in range(width))])
        for number, values in rows:
            dataset.append([number, *values, *([None] * (width - len(values)))])
        return dataset


def dataset_rows(dataset) -> list[tuple[int, list]]:
    """Return the (sheet row number, values) pairs a CirculatedXLSX dataset holds."""
    return [(row[0], list(row[1:])) for row in dataset]
