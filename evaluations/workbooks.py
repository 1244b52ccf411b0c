"""The guard every importer runs on an uploaded workbook before openpyxl sees its bytes.

`xlsx_problems(data)` returns why the bytes must not be opened as an .xlsx workbook, one
Chinese message per problem and without the file name (the caller prefixes it); an empty
list means the package may be opened. Only the zip directory and small parts are read:
members are never decompressed whole into memory. The declared sizes are what openpyxl can
read at most (Python's zipfile stops a member at its declared size and checks its CRC), so
the bomb limits are checked on them; worksheets are then streamed in chunks to count their
rows and columns, because a <dimension ref=…> may be missing or lie.
"""

import codecs
import re
import zipfile
import zlib
from io import BytesIO
from xml.sax.saxutils import unescape

from django.conf import settings

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# A small member compresses far better than this without being a bomb (a sheet of blanks).
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 1000
MAX_SHEETS = 100
MAX_ROWS = 50_000
MAX_COLUMNS = 1024  # LibreOffice writes ranges as wide as AMJ (1024) for formatted rows
MAX_CELLS = 300_000  # rows × columns of a sheet's used range: openpyxl walks the whole grid
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
MAX_XML_PART_BYTES = 5 * 1024 * 1024  # [Content_Types].xml, xl/workbook.xml and its rels

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
MACRO_REFUSED = "含宏的文件（.xlsm）不接受，请另存为 .xlsx"
SAVE_AS = "请在 Excel 或 WPS 中另存为 .xlsx 后上传"

_CHUNK = 1024 * 1024
_DTD_WINDOW = 4096  # a DTD comes before the root element, at the start of a part
_LONGEST_TAG = 64 * 1024  # a cut tag longer than this is no <row> or <c> and is dropped
# XML allows any namespace prefix, either quote and blanks around "=": so does openpyxl.
_TAG = rb"<(?:[\w.\-]+:)?"
_QUOTED = rb"\s*=\s*([\"'])"
_DIMENSION = re.compile(_TAG + rb"dimension\b[^>]*?\bref" + _QUOTED + rb"(.*?)\1")
_ROW_OR_CELL = re.compile(_TAG + rb"(row|c)\b([^>]*)>")
_R_ATTR = re.compile(rb"\br" + _QUOTED + rb"([A-Za-z]*)(\d*)\1")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d{1,12})?$")
_SPANNING = re.compile(_TAG + rb"(?:mergeCell|hyperlink)\b[^>]*?\bref" + _QUOTED + rb"(.*?)\1")
_SHEET = re.compile(_TAG + rb"sheet\b([^>]*)>")
_ATTR = re.compile(rb"([\w:.\-]+)" + _QUOTED + rb"(.*?)\2")
_QUOTES = {"&quot;": '"', "&apos;": "'"}
# The XML declaration's encoding, if it names one (Excel and WPS write UTF-8 only).
_ENCODING = re.compile(rb"^<\?xml\b[^>]*?\bencoding" + _QUOTED + rb"(.*?)\1")
_RELATIONSHIP = re.compile(_TAG + rb"Relationship\b([^>]*)>")


def xlsx_problems(data: bytes) -> list[str]:
    """Return why these bytes must not be opened as an .xlsx workbook; [] when they may."""
    if not data:
        return ["文件是空的（0 字节）"]
    # The same limit as the upload forms' (settings.UPLOAD_MAX_BYTES, env UPLOAD_MAX_MB),
    # for files that come by the command line.
    if len(data) > (limit := settings.UPLOAD_MAX_BYTES):
        return [f"文件过大（{_megabytes(len(data))}），上限为 {_megabytes(limit)}"]
    if data.startswith(OLE2_SIGNATURE):
        return [_compound_file_problem(data)]
    if not data.startswith(ZIP_SIGNATURES):
        return [_not_a_zip_problem(data)]
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return _package_problems(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        return [f"文件已损坏或不完整（可能上传中断），{SAVE_AS}"]
    except (RuntimeError, NotImplementedError):
        return [f"文件的压缩包已加密或使用了不支持的压缩方式，{SAVE_AS}"]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _compound_file_problem(data: bytes) -> str:
    """Return what an OLE2 compound file is: an encrypted .xlsx, an .xls or a .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "文件设置了打开密码（已加密），请在 Excel 中取消密码保护后另存为 .xlsx 再上传"
    if "WordDocument".encode("utf-16-le") in data:
        return f"是 Word 文档（.doc），不是 Excel 工作簿，{SAVE_AS}"
    return f"是 Excel 97-2003 格式（.xls），{SAVE_AS}"


def _not_a_zip_problem(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "是 PDF 文件，不是 Excel 工作簿，请上传 .xlsx 文件"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"mime-version")):
        return f"是网页或 XML 格式（可能是改了扩展名的 .xls），{SAVE_AS}"
    if _looks_like_text(data[:4096]):
        return f"是文本文件（可能是改了扩展名的 .csv），{SAVE_AS}"
    return "不是 xlsx 文件（仅接受 Excel 2007 及以上的 .xlsx 格式）"


def _looks_like_text(head: bytes) -> bool:
    """Return True if the head decodes as UTF-8 or GB18030 text (a character may be cut)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def _package_problems(archive: zipfile.ZipFile) -> list[str]:
    members = archive.infolist()
    names = {member.filename for member in members}
    if len(members) > MAX_MEMBERS:
        return [f"压缩包内有 {len(members)} 个部件，超过上限 {MAX_MEMBERS}，不像正常的工作簿"]
    if bomb := _bomb_problem(members):
        return [bomb]
    if any(member.flag_bits & 0x1 for member in members):
        return [f"文件的压缩包已加密，{SAVE_AS}"]
    if "word/document.xml" in names:
        return [f"是 Word 文档（.docx），不是 Excel 工作簿，{SAVE_AS}"]
    if "ppt/presentation.xml" in names:
        return [f"是 PowerPoint 文件（.pptx），不是 Excel 工作簿，{SAVE_AS}"]
    if CONTENT_TYPES not in names or WORKBOOK not in names:
        if "xl/workbook.bin" in names:
            return [f"是 Excel 二进制工作簿（.xlsb），{SAVE_AS}"]
        return [f"不是 Excel 工作簿（可能是改了扩展名的其他文件），{SAVE_AS}"]
    content_types = _small_part(archive, CONTENT_TYPES)
    if b"macroenabled" in content_types.lower() or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return [MACRO_REFUSED]
    if b"spreadsheetml.sheet.main" not in content_types:
        return [f"不是 Excel 工作簿（可能是改了扩展名的其他文件），{SAVE_AS}"]
    if part := _part_with_dtd(archive, members):
        return [f"部件 {part} 含有 XML 文档类型声明（DTD），Excel 不会写出这样的文件，不予接受"]
    if part := _part_not_utf8(archive, members):
        return [f"部件 {part} 不是 UTF-8 编码，Excel 和 WPS 不会写出这样的文件，{SAVE_AS}"]
    sheets = _sheet_parts(archive, names)
    if not sheets:
        return ["工作簿中没有工作表"]
    if len(sheets) > MAX_SHEETS:
        return [f"工作簿有 {len(sheets)} 个工作表，超过上限 {MAX_SHEETS}"]
    return [problem for title, part in sheets if (problem := _sheet_problem(archive, title, part))]


def _part_with_dtd(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> str:
    """Return the first XML part declaring a DTD (entity expansion attacks), or ""."""
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(member) as stream:
                head = stream.read(_DTD_WINDOW)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return member.filename
    return ""


def _part_not_utf8(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> str:
    """Return the first XML part not in UTF-8 (UTF-16 would hide its tags from this guard's
    byte patterns), or ""."""
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(member) as stream:
                head = stream.read(_DTD_WINDOW)
            declared = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf").lstrip())
            if (
                head.startswith((b"\xff\xfe", b"\xfe\xff"))
                or b"\x00" in head
                or (declared and declared[2].lower().replace(b"-", b"") != b"utf8")
            ):
                return member.filename
    return ""


def _bomb_problem(members: list[zipfile.ZipInfo]) -> str:
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (
            f"解压后共 {_megabytes(total)}，超过上限 {_megabytes(MAX_UNCOMPRESSED_BYTES)}"
            "（疑似压缩炸弹），请删除多余内容后重新保存"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            return (
                f"部件 {member.filename} 的压缩比为 {ratio:.0f} 倍，超过上限"
                f" {MAX_COMPRESSION_RATIO} 倍（疑似压缩炸弹），请删除多余的空行空列后重新保存"
            )
    return ""


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_XML_PART_BYTES:
        raise zipfile.BadZipFile(f"{name} is too large")
    return archive.read(name)


def _attributes(raw: bytes) -> dict[str, str]:
    """Return an XML start tag's attributes by local name ("r:id" is "id")."""
    return {
        key.decode().rpartition(":")[2]: unescape(value.decode("utf-8", "replace"), _QUOTES)
        for key, _, value in _ATTR.findall(raw)
    }


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """Return each worksheet's title and package part, in workbook order."""
    targets = {}
    if WORKBOOK_RELS in names:
        for raw in _RELATIONSHIP.findall(_small_part(archive, WORKBOOK_RELS)):
            attributes = _attributes(raw)
            target = attributes.get("Target", "")
            targets[attributes.get("Id")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    sheets = []
    for raw in _SHEET.findall(_small_part(archive, WORKBOOK)):
        attributes = _attributes(raw)
        sheets.append((attributes.get("name", ""), targets.get(attributes.get("id"), "")))
    return sheets


def _sheet_problem(archive: zipfile.ZipFile, title: str, part: str) -> str:
    """Return why a worksheet is too large to open: its stated or its actual extent."""
    try:
        member = archive.getinfo(part)
    except KeyError:
        return ""  # a chartsheet, or a dangling relation openpyxl reports itself
    rows, columns, spanned = _sheet_extent(archive, member)
    name = f"工作表“{title}”"
    if rows > MAX_ROWS:
        return f"{name}至少有 {rows} 行，超过上限 {MAX_ROWS} 行，请删除多余的空行后重新保存"
    if columns > MAX_COLUMNS:
        return f"{name}至少有 {columns} 列，超过上限 {MAX_COLUMNS} 列，请删除多余的空列后重新保存"
    if rows * columns > MAX_CELLS:
        return (
            f"{name}的范围为 {rows} 行 × {columns} 列，超过上限 {MAX_CELLS} 个单元格，"
            "请删除多余的空行空列后重新保存"
        )
    if spanned > MAX_CELLS:
        return (
            f"{name}的合并单元格和超链接共覆盖 {spanned} 个单元格，超过上限 {MAX_CELLS} 个，"
            "请取消多余的合并后重新保存"
        )
    return ""


def _sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int, int]:
    """Return the largest row and column a worksheet states or uses, streaming its XML,
    and how many cells its merged ranges and hyperlinks span (openpyxl makes each one)."""
    rows = columns = spanned = 0
    row = column = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            # Only tags that end inside this text: a tag cut at the end is read with the next.
            cut = text.rfind(b"<") if len(chunk) == _CHUNK else -1
            body, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
            if len(tail) > _LONGEST_TAG:
                tail = b""
            for match in _DIMENSION.finditer(body):
                stated_rows, stated_columns = _range_extent(match[2].decode("ascii", "replace"))
                rows, columns = max(rows, stated_rows), max(columns, stated_columns)
            for match in _ROW_OR_CELL.finditer(body):
                letters, digits = _r_attribute(match[2])
                if match[1] == b"row":
                    row, column = (int(digits) if digits else row + 1), 0
                    rows = max(rows, row)
                else:
                    column = _column_number(letters) if letters else column + 1
                    rows, columns = max(rows, int(digits) if digits else row), max(columns, column)
            for match in _SPANNING.finditer(body):
                top, left, bottom, right = _range_box(match[2].decode("ascii", "replace"))
                rows, columns = max(rows, bottom), max(columns, right)
                spanned += (bottom - top + 1) * (right - left + 1)
            if max(rows / MAX_ROWS, columns / MAX_COLUMNS, rows * columns / MAX_CELLS) > 1:
                break
            if spanned > MAX_CELLS:
                break
    return rows, columns, spanned


def _r_attribute(raw: bytes) -> tuple[str, str]:
    """Return a row's or cell's r="AB12" as ("AB", "12"), both cut short enough to count."""
    match = _R_ATTR.search(raw)
    if not match:
        return "", ""
    return match[2].decode()[:4], match[3].decode().lstrip("0")[:12]


def _range_extent(ref: str) -> tuple[int, int]:
    """Return the last row and column of a range such as "A1:H40" (0 for what is absent)."""
    rows = columns = 0
    for corner in ref.split(":"):
        match = _REF.match(corner.strip())
        if not match:
            continue
        if match[1]:
            columns = max(columns, _column_number(match[1]))
        if match[2]:
            rows = max(rows, int(match[2]))
    return rows, columns


def _range_box(ref: str) -> tuple[int, int, int, int]:
    """Return (top, left, bottom, right) of "B2:D9", "A:A" or "3:3" (a bad ref spans 1 cell)."""
    corners = []
    for corner in ref.split(":")[:2]:
        match = _REF.match(corner.strip())
        if not match:
            return 1, 1, 1, 1
        corners.append(
            (int(match[2]) if match[2] else None, _column_number(match[1]) if match[1] else None)
        )
    (top, left), (bottom, right) = corners[0], corners[-1]
    top, bottom = sorted((top or 1, bottom or EXCEL_ROWS))
    left, right = sorted((left or 1, right or EXCEL_COLUMNS))
    return top, left, bottom, right


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
