"""Hostile .xlsx uploads for the importers' fuzz tests: builders and hypothesis strategies.

Every builder returns the bytes of a file; nothing is written to disk. A fuzz test takes
a workbook the importer accepts (its "base") and feeds it hostile variants of it.

Published names (other fuzz tests import them; keep them stable):

Values and texts
    XSS_PAYLOAD         markup and a template expression, for escaping tests
    FORMULAS            "=1+1", =HYPERLINK, DDE "=cmd|…", "@SUM…", "+…", "-…", tab/CR prefixed
    HOSTILE_TEXTS       the texts above plus NaN/inf, 1e308, full-width digits, RTL and
                        zero-width characters, control characters, 32,767 characters …
    HOSTILE_VALUES      HOSTILE_TEXTS plus typed values: negatives, 1e308, nan, inf, dates,
                        times, booleans, huge integers, Decimals
    AsText(str)         a value written as a text cell even when it starts with "="
Builders of whole files (bytes)
    workbook(rows, *, title, merges, hidden)        rows as a plain workbook
    with_cells(data, cells, *, sheet=0)             cells {"B3": value} replaced; values with
                                                    control characters are written raw
    merged(data, ranges, *, sheet=0)                ranges ("A1:D3") merged, e.g. over a header
    header_only(data, rows, *, sheet=0)             every row after the first `rows` removed
    hidden_sheets(data)                             the tables moved behind a hidden and a
                                                    very hidden copy
    far_row(data, row=1_000_000)                    an empty <row r="1000000"/> appended
    far_cell(data, cell="XFD1048576")               a text cell at the sheet's far corner
    huge_merge(data, refs=("A1:XFD1048576",))       merged ranges written into the XML
    overlapping_merges(data, count=5_000)           one 2,600-cell range merged 5,000 times
    huge_hyperlink(data, ref="A1:XFD1048576")       a hyperlink over a whole sheet
    billion_laughs(data)                            an entity-expansion DTD in a sheet's XML
    million_blank_rows(data, count=1_000_000)       a million empty <row/> appended
    huge_dimension(data, ref="A1:XFD1048576")       the <dimension ref=…> enlarged
    huge_cell(data, cell="C3", length=32_767)       one cell as long as Excel allows
    huge_shared_strings(data, size=10 MB)           a shared string table of `size` bytes
    macro_enabled(data)                             vbaProject.bin and the macro content type
    truncated(data, keep)                           the first `keep` bytes
    empty_workbook()                                one worksheet, no cell
    no_sheets()                                     a package whose workbook lists no sheet
    zip_bomb(size)                                  a part of `size` zero bytes (~1000:1)
    ratio_bomb()                                    a 2 MB part compressed over 100:1
    renamed_xls() / encrypted_xlsx()                OLE2 compound files
    renamed_csv() / renamed_docx() / renamed_pdf()  other formats named .xlsx
    random_bytes(size, seed)                        noise
    single_quoted_far_cells(base, rows, column)     far cells in single-quoted XML
    utf16_sheet(base)                               a worksheet re-encoded as UTF-16
Hypothesis strategies
    hostile_values()            one cell's value
    hostile_cells(base)         the base with 1–4 cells replaced by hostile values
    hostile_packages(base)      the base damaged as a package (the builders above)
    hostile_files(base)         either of the two
    EXPENSIVE                   (name, builder(base)) of the slow, big cases, to run once
                                each rather than as hypothesis examples
    fuzz_settings(max_examples) the fuzz tests' settings: derandomized, no deadline
"""

import functools
import io
import random
import re
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

XSS_PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>{{7*7}}"
FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://127.0.0.1/evil","点击查看")',
    "=cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=SUM(A1:A1048576)",
    '=INDIRECT("A1")',
)
HOSTILE_TEXTS = (
    XSS_PAYLOAD,
    *FORMULAS,
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "-1e308",
    "1E+309",
    "1e-400",
    "-5",
    "-0",
    "１２３．５",
    "１，２３４．５６",
    "９９．９％",
    "一百二十",
    "1,234.5",
    "0x10",
    "100%",
    "%",
    "—",
    "/",
    "   ",
    "",
    "\u3000",
    "\u202e甲项目\u202c",
    "\u200b\u200c\u200d\ufeff",
    "项目\u200b名称",
    "مشروع",
    "\u0000",
    "\x07bell",
    "esc\x1b[31m",
    "_x0007_",
    "line\r\nbreak",
    "𠀀𪚥😀",
    "A" * 32_767,
    "项" * 5_000,
    "2021-13-45",
    "12:30",
    "true",
)
HOSTILE_VALUES = (
    *HOSTILE_TEXTS,
    -1,
    -0.0,
    -1e-9,
    1e308,
    -1e308,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
    10**30,
    -(10**30),
    Decimal("123.1234567890123"),
    Decimal("-0.001"),
    True,
    False,
    datetime(2021, 12, 31, 23, 59, 59),
    date(1900, 1, 1),
    date(2021, 2, 28),
    time(12, 30),
    timedelta(days=3),
)
SAVE_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")


class AsText(str):
    """A value written as a text cell even when it starts with "=" (no formula)."""


# -- plain builders ------------------------------------------------------------------------


def workbook(rows, *, title="Sheet1", merges=(), hidden=False) -> bytes:
    """Return a one-sheet workbook of rows (lists; None for an empty cell)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    if hidden:
        book.create_sheet("可见")
        sheet.sheet_state = "hidden"
    return _saved(book)


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _first_sheet_part(parts: dict[str, bytes]) -> str:
    return sorted(name for name in parts if _SHEET_PART.match(name))[0]


def with_cells(data: bytes, cells: dict, *, sheet: int = 0) -> bytes:
    """Return the workbook with cells ({"B3": value}) replaced in its sheet-th worksheet.

    A cell inside a merged range is written at the range's top-left. A text that openpyxl
    refuses (control characters) is written raw into the XML, as a hostile program would.
    """
    book = load_workbook(io.BytesIO(data))
    worksheet = book.worksheets[sheet]
    raw = {}
    for coordinate, value in cells.items():
        cell = worksheet[coordinate]
        if isinstance(cell, MergedCell):
            cell = next(
                worksheet.cell(r.min_row, r.min_col)
                for r in worksheet.merged_cells.ranges
                if coordinate in r
            )
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
            token = f"RAWTOKEN{len(raw)}X"
            raw[token] = value
            value = token
        cell.value = value
        if isinstance(value, AsText):
            cell.data_type = "s"
    saved = _saved(book)
    if not raw:
        return saved
    parts = _parts(saved)
    for name, content in parts.items():
        if name.endswith(".xml"):
            for token, value in raw.items():
                content = content.replace(token.encode(), escape(value).encode())
            parts[name] = content
    return _zipped(parts)


def merged(data: bytes, ranges, *, sheet: int = 0) -> bytes:
    """Return the workbook with ranges ("A1:D3") merged over whatever they hold."""
    book = load_workbook(io.BytesIO(data))
    worksheet = book.worksheets[sheet]
    for cell_range in ranges:
        worksheet.merge_cells(cell_range)
    return _saved(book)


def header_only(data: bytes, rows: int, *, sheet: int = 0) -> bytes:
    """Return the workbook with only the first rows of its sheet-th worksheet."""
    book = load_workbook(io.BytesIO(data))
    worksheet = book.worksheets[sheet]
    for cell_range in list(worksheet.merged_cells.ranges):
        if cell_range.max_row > rows:
            worksheet.unmerge_cells(str(cell_range))
    if worksheet.max_row > rows:
        worksheet.delete_rows(rows + 1, worksheet.max_row - rows)
    return _saved(book)


def hidden_sheets(data: bytes) -> bytes:
    """Return the workbook with a hidden and a very hidden copy of its first worksheet."""
    book = load_workbook(io.BytesIO(data))
    first = book.worksheets[0]
    for state in ("hidden", "veryHidden"):
        copy = book.copy_worksheet(first)
        copy.title = f"{first.title[:20]}{state}"
        copy.sheet_state = state
    return _saved(book)


def _sheet_xml(data: bytes, change) -> bytes:
    parts = _parts(data)
    name = _first_sheet_part(parts)
    parts[name] = change(parts[name])
    return _zipped(parts)


def far_row(data: bytes, row: int = 1_000_000) -> bytes:
    """Return the workbook with an empty row numbered `row` at the end of its first sheet."""
    return _sheet_xml(
        data, lambda xml: xml.replace(b"</sheetData>", b'<row r="%d"/></sheetData>' % row)
    )


def far_cell(data: bytes, cell: str = "XFD1048576") -> bytes:
    """Return the workbook with one text cell at the far corner of its first sheet.

    Opened, the sheet spans 1,048,576 rows by 16,384 columns: a reader walking its grid
    never finishes.
    """
    row = re.sub(r"^[A-Z]+", "", cell)
    tag = b'<row r="%s"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % (
        row.encode(),
        cell.encode(),
    )
    return _sheet_xml(data, lambda xml: xml.replace(b"</sheetData>", tag + b"</sheetData>"))


def huge_merge(data: bytes, refs=("A1:XFD1048576",)) -> bytes:
    """Return the workbook with the merged ranges refs written into its first sheet's XML.

    openpyxl makes a cell object for every cell of a merged range when it opens the file.
    """
    tags = b"".join(b'<mergeCell ref="%s"/>' % ref.encode() for ref in refs)
    block = b'<mergeCells count="%d">%s</mergeCells>' % (len(refs), tags)

    def change(xml):
        xml = re.sub(rb"<mergeCells\b.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + block, 1)

    return _sheet_xml(data, change)


def overlapping_merges(data: bytes, count: int = 5_000, ref: str = "A1:Z100") -> bytes:
    """Return the workbook with `count` copies of one merged range, each 2,600 cells."""
    return huge_merge(data, [ref] * count)


def huge_hyperlink(data: bytes, ref: str = "A1:XFD1048576") -> bytes:
    """Return the workbook with a hyperlink over the range ref (openpyxl fills each cell)."""
    block = b'<hyperlinks><hyperlink ref="%s" location="A1"/></hyperlinks>' % ref.encode()

    def change(xml):
        anchor = b"<pageMargins" if b"<pageMargins" in xml else b"</worksheet>"
        return xml.replace(anchor, block + anchor, 1)

    return _sheet_xml(data, change)


def billion_laughs(data: bytes) -> bytes:
    """Return the workbook with an entity-expansion DTD heading its first sheet's XML."""
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>".encode()

    def change(xml):
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return doctype + xml.replace(b"<sheetData>", b"<sheetData>", 1).replace(
            b"</sheetData>",
            b'<row r="999"><c r="A999" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>',
            1,
        )

    return _sheet_xml(data, change)


def million_blank_rows(data: bytes, count: int = 1_000_000) -> bytes:
    """Return the workbook with `count` empty <row/> elements after its first sheet's rows."""
    return _sheet_xml(
        data, lambda xml: xml.replace(b"</sheetData>", b"<row/>" * count + b"</sheetData>")
    )


def huge_dimension(data: bytes, ref: str = "A1:XFD1048576") -> bytes:
    """Return the workbook with its first sheet claiming the range ref."""

    def change(xml):
        xml, found = re.subn(
            rb'<dimension ref="[^"]*"/>', b'<dimension ref="%s"/>' % ref.encode(), xml
        )
        return (
            xml
            if found
            else xml.replace(b"<sheetData", b'<dimension ref="%s"/><sheetData' % ref.encode(), 1)
        )

    return _sheet_xml(data, change)


def huge_cell(data: bytes, cell: str = "C3", length: int = 32_767) -> bytes:
    """Return the workbook with one cell holding `length` characters."""
    return with_cells(data, {cell: "项" * length})


def huge_shared_strings(data: bytes, size: int = 10 * 1024 * 1024) -> bytes:
    """Return the workbook with a shared string table of about `size` bytes of varied text."""
    rng = random.Random(size)
    alphabet = "甲乙丙丁戊己庚辛壬癸项目资金指标完成abcdefghijklmnopqrstuvwxyz0123456789"
    strings, total = [], 0
    while total < size:
        text = "".join(rng.choices(alphabet, k=1000))
        strings.append(f"<si><t>{text}</t></si>")
        total += len(text.encode())
    parts = _parts(data)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(strings)
        + "</sst>"
    ).encode()
    if b"sharedStrings" not in parts["[Content_Types].xml"]:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return _zipped(parts)


def macro_enabled(data: bytes) -> bytes:
    """Return the workbook as a macro-enabled package (.xlsm) that still says .xlsx."""
    parts = _parts(data)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        SAVE_TYPES.encode(), MACRO_TYPE.encode()
    )
    parts["xl/vbaProject.bin"] = OLE2_SIGNATURE + b"\0" * 504
    return _zipped(parts)


def truncated(data: bytes, keep: int) -> bytes:
    return data[:keep]


def empty_workbook() -> bytes:
    return _saved(Workbook())


def no_sheets() -> bytes:
    """Return a package whose workbook.xml lists no worksheet at all."""
    parts = _parts(empty_workbook())
    parts["xl/workbook.xml"] = re.sub(
        rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"]
    )
    return _zipped(parts)


@functools.cache
def zip_bomb(size: int = 60 * 1024 * 1024) -> bytes:
    """Return a workbook carrying a part of `size` zero bytes (kilobytes when compressed)."""
    parts = _parts(empty_workbook())
    parts["xl/media/padding.bin"] = bytes(size)
    return _zipped(parts)


@functools.cache
def ratio_bomb() -> bytes:
    """Return a workbook whose worksheet is 2 MB of blanks compressed over 100:1."""
    parts = _parts(empty_workbook())
    name = _first_sheet_part(parts)
    parts[name] = parts[name].replace(b"</worksheet>", b" " * (2 * 1024 * 1024) + b"</worksheet>")
    return _zipped(parts)


def _compound_file(stream_name: str) -> bytes:
    # Enough of an OLE2 header and directory for a reader to tell what the file is.
    return OLE2_SIGNATURE + bytes(504) + stream_name.encode("utf-16-le") + bytes(1024)


def renamed_xls() -> bytes:
    return _compound_file("Workbook")


def encrypted_xlsx() -> bytes:
    return _compound_file("EncryptionInfo") + "EncryptedPackage".encode("utf-16-le")


def renamed_csv() -> bytes:
    return "项目名称,年初预算数,得分\n甲项目,=1+1,90\n".encode()


def renamed_docx() -> bytes:
    return _zipped(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="'
            b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            b"</Types>",
            "word/document.xml": b"<w:document/>",
        }
    )


def renamed_pdf() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def random_bytes(size: int = 1024, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


# -- strategies ----------------------------------------------------------------------------


def hostile_values():
    """Return a strategy of one cell's value: listed hostile values, or generated ones."""
    return st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(FORMULAS).map(AsText),
        st.text(max_size=30),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(),
        st.decimals(allow_nan=False, allow_infinity=False, places=8),
        st.dates(min_value=date(1900, 1, 1)),
    )


@functools.cache
def _extent(data: bytes, sheet: int = 0) -> tuple[int, int]:
    worksheet = load_workbook(io.BytesIO(data)).worksheets[sheet]
    return worksheet.max_row, worksheet.max_column


def _coordinates(data: bytes):
    rows, columns = _extent(data)
    return st.tuples(
        st.integers(min_value=1, max_value=rows + 1),
        st.integers(min_value=1, max_value=columns + 1),
    ).map(lambda rc: f"{get_column_letter(rc[1])}{rc[0]}")


def hostile_cells(base: bytes, *, max_cells: int = 4):
    """Return a strategy of the base workbook with 1–max_cells cells made hostile."""
    return st.dictionaries(
        _coordinates(base), hostile_values(), min_size=1, max_size=max_cells
    ).map(lambda cells: with_cells(base, cells))


def _ranges(data: bytes):
    rows, columns = _extent(data)

    def cell_range(corners):
        (r1, c1), (r2, c2) = corners
        top, bottom = sorted((r1, r2))
        left, right = sorted((c1, c2))
        if (top, left) == (bottom, right):
            right += 1
        return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"

    corner = st.tuples(st.integers(1, rows), st.integers(1, columns))
    return st.tuples(corner, corner).map(cell_range)


def hostile_packages(base: bytes):
    """Return a strategy of the base damaged as a file or package, or another file instead."""
    rows, _ = _extent(base)
    return st.one_of(
        st.sampled_from(
            (
                renamed_xls,
                encrypted_xlsx,
                renamed_csv,
                renamed_docx,
                renamed_pdf,
                empty_workbook,
                no_sheets,
                zip_bomb,
                ratio_bomb,
                lambda: b"",
                lambda: macro_enabled(base),
                lambda: hidden_sheets(base),
                lambda: far_row(base),
                lambda: far_cell(base),
                lambda: huge_merge(base),
                lambda: huge_merge(base, ["A1:Z40000"]),
                lambda: huge_hyperlink(base),
                lambda: billion_laughs(base),
                lambda: huge_dimension(base),
            )
        ).map(lambda build: build()),
        st.integers(min_value=0, max_value=len(base) - 1).map(lambda keep: truncated(base, keep)),
        st.binary(max_size=4096),
        st.integers(min_value=0, max_value=rows).map(lambda keep: header_only(base, keep)),
        st.lists(_ranges(base), min_size=1, max_size=3).map(
            lambda ranges: _merged_or_base(base, ranges)
        ),
    )


def _merged_or_base(data: bytes, ranges) -> bytes:
    """Merge the ranges; overlapping ones are merged as far as openpyxl allows."""
    book = load_workbook(io.BytesIO(data))
    worksheet = book.worksheets[0]
    for cell_range in ranges:
        for existing in list(worksheet.merged_cells.ranges):
            if not existing.isdisjoint(CellRange(cell_range)):
                worksheet.unmerge_cells(str(existing))
        worksheet.merge_cells(cell_range)
    return _saved(book)


def hostile_files(base: bytes):
    """Return a strategy of hostile variants of the base: damaged cells or a damaged file."""
    return st.one_of(hostile_cells(base), hostile_packages(base))


EXPENSIVE = (
    ("一百万个空行", million_blank_rows),
    ("第1000000行", far_row),
    ("XFD1048576单元格", far_cell),
    ("整表合并", huge_merge),
    ("五千个重叠合并", overlapping_merges),
    ("整表超链接", huge_hyperlink),
    ("实体膨胀", billion_laughs),
    ("32767个字符的单元格", huge_cell),
    ("10 MB 共享字符串", huge_shared_strings),
    ("压缩炸弹", lambda base: zip_bomb()),
    ("压缩比炸弹", lambda base: ratio_bomb()),
    ("含宏", macro_enabled),
    ("隐藏工作表", hidden_sheets),
    ("表头合并", lambda base: merged(base, ["A1:H4"])),
    ("仅表头", lambda base: header_only(base, 5)),
)


def single_quoted_far_cells(data: bytes, rows: int = 2_000, column: str = "XFD") -> bytes:
    """Return the workbook with `rows` rows of one cell each in its last column, written with
    single-quoted attributes (valid XML, read by openpyxl, padded to 16,384 columns a row)."""
    tags = b"".join(
        b"<row r='%d'><c r='%s%d' t='inlineStr'><is><t>x</t></is></c></row>"
        % (number, column.encode(), number)
        for number in range(100, 100 + rows)
    )
    return _sheet_xml(data, lambda xml: xml.replace(b"</sheetData>", tags + b"</sheetData>"))


def utf16_sheet(data: bytes) -> bytes:
    """Return the workbook with its first sheet's XML re-encoded as UTF-16 (valid XML that
    hides every tag from a byte pattern)."""

    def recoded(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        text = re.sub(r"encoding=[\"'][^\"']*[\"']", 'encoding="UTF-16"', text, count=1)
        return text.encode("utf-16")

    return _sheet_xml(data, recoded)


def fuzz_settings(*, max_examples: int) -> settings:
    """Hypothesis settings for the importers' fuzz tests: the same examples on every run (CI
    stays stable), no deadline (a slow machine is no failure), nothing kept between runs."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
