"""The report as a Word document (.docx), written with python-docx.

Laid out as a bureau's documents are (GB/T 9704 党政机关公文格式, as far as a generated file
goes): A4; the title 宋体 二号 bold and centred; 一、 headings 黑体 三号; （一） headings 楷体
三号; the body 仿宋 三号, a line every 28 pt, two characters' first-line indent; the tables
仿宋 五号 with their header row repeated on every page and merged cells where the seed
report merges them; the page number centred in the footer. Chinese fonts are set as the
eastAsia font of w:rFonts, the one Word uses for CJK text.
"""

import re
from io import BytesIO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .parts import Heading, Paragraph, ProjectTable, Report, UnitTable

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LATIN = "Times New Roman"
BLACK = RGBColor(0, 0, 0)
BODY_SIZE = 16  # 三号
LINE = Pt(28)
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Paragraph styles: (name, base, eastAsia font, size pt, bold, centred, first-line indent).
STYLES = {
    "Normal": (None, "仿宋", BODY_SIZE, False, False, True),
    "Heading 1": ("Normal", "黑体", BODY_SIZE, False, False, True),
    "Heading 2": ("Normal", "楷体", BODY_SIZE, False, False, True),
    "报告标题": ("Normal", "宋体", 22, True, True, False),
    "表题": ("Normal", "黑体", 12, False, True, False),
    "表格": ("Normal", "仿宋", 10.5, False, False, False),
    "附注": ("Normal", "仿宋", 12, False, False, True),
}
UNIT_COLUMNS = (("评价机构", 4.6), ("被评单位", 7.0), ("得分", 2.0), ("等级", 1.6))
PROJECT_COLUMNS = (
    ("序号", 1.2),
    ("项目名称", 5.9),
    ("年度项目资金（万元）", 2.7),
    ("自评得分（分）", 1.9),
    ("第三方机构评分（分）", 2.1),
    ("等级", 1.3),
)


# Control characters (a paste from Word, a stray byte in a name) are not allowed in XML:
# dropped, so the document is always written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe(text) -> str:
    return _NOT_XML.sub("", str(text))


def report_docx(report: Report) -> bytes:
    """Return the report as the bytes of a .docx file."""
    document = Document()
    _page(document)
    _styles(document)
    document.core_properties.title = _safe(report.title)
    document.core_properties.author = "预算绩效管理与公开系统"
    document.add_paragraph(_safe(report.title), style="报告标题")
    for block in report.opening:
        _block(document, block)
    for chapter in report.chapters:
        document.add_paragraph(_safe(chapter.heading), style="Heading 1")
        for block in chapter.blocks:
            _block(document, block)
    document.add_paragraph(_safe(report.note), style="附注")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document):
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _page_number(footer)
    footer.add_run(" —")
    for run in footer.runs:
        _font(run, "宋体", 14)


def _page_number(paragraph):
    """Append a PAGE field: Word shows each page's own number."""
    field = (
        ("w:fldChar", "begin"),
        ("w:instrText", " PAGE "),
        ("w:fldChar", "separate"),
        ("w:t", "1"),
        ("w:fldChar", "end"),
    )
    for tag, value in field:
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = _safe(value)
        paragraph.add_run()._r.append(element)


def _font(owner, east_asia: str, size=None, bold=None):
    """Set the Latin and the eastAsia font (and size, weight) of a style or a run."""
    font = owner.font
    font.name = LATIN
    font.color.rgb = BLACK
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = owner.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for name in THEME_FONTS:  # a theme font would override the one set here
        fonts.attrib.pop(qn(name), None)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")


def _styles(document):
    styles = document.styles
    for name, (base, east_asia, size, bold, centred, indent) in STYLES.items():
        if name in styles:
            style = styles[name]
        else:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[base]
        _font(style, east_asia, size, bold)
        style.font.italic = False
        layout = style.paragraph_format
        layout.space_before = layout.space_after = Pt(0)
        layout.first_line_indent = Pt(size * 2) if indent else Pt(0)
        layout.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        if name == "表格":
            layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        if name.startswith("Heading") or name == "表题":
            layout.keep_with_next = True
    styles["报告标题"].paragraph_format.space_after = LINE
    styles["附注"].paragraph_format.space_before = Pt(12)


def _block(document, block):
    if isinstance(block, Heading):
        document.add_paragraph(_safe(block.text), style="Heading 2")
    elif isinstance(block, Paragraph):
        document.add_paragraph(_safe(block.text), style="Normal")
    elif isinstance(block, UnitTable):
        _unit_table(document, block)
    elif isinstance(block, ProjectTable):
        _project_table(document, block)


class _Grid:
    """A table's cells, read once from its XML (python-docx looks a cell up through the
    whole table every time), written in the table paragraph style set by its id (a style
    given by name is looked up again for every cell)."""

    def __init__(self, table, style_id: str):
        self.cells = [[_Cell(tc, table) for tc in row._tr.tc_lst] for row in table.rows]
        self.style_id = style_id

    def write(self, row: int, column: int, text: str, *, bold=False, left=False):
        _write(self.cells[row][column], text, self.style_id, bold=bold, left=left)

    def merge_down(self, row: int, span: int, column: int, text: str, *, left=False):
        """Write text in the cell and merge it down over span rows (w:vMerge)."""
        self.write(row, column, text, left=left)
        if span > 1:
            for offset in range(span):
                merge = "restart" if offset == 0 else "continue"
                self.cells[row + offset][column]._tc.vMerge = merge


def _table(document, caption: str, columns, body_rows: int) -> _Grid:
    """Add a caption and a table of the columns under a header row repeated on every
    page; return its grid (body rows from 1)."""
    document.add_paragraph(_safe(caption), style="表题")
    table = document.add_table(rows=1 + body_rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = _Grid(table, document.styles["表格"].style_id)
    for row_cells in grid.cells:
        for cell, (_, width) in zip(row_cells, columns, strict=True):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    header = table.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        header.append(element)
    for column, (label, _) in enumerate(columns):
        grid.write(0, column, label, bold=True)
    return grid


def _write(cell, text: str, style_id: str, *, bold=False, left=False):
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(_safe(text))
    if bold:
        run.bold = True


def _unit_table(document, table: UnitTable):
    grid = _table(document, table.caption, UNIT_COLUMNS, len(table.rows))
    for row_number, row in enumerate(table.rows, start=1):
        if row.firm_span:
            grid.merge_down(row_number, row.firm_span, 0, row.firm, left=True)
        grid.write(row_number, 1, row.unit, left=True)
        grid.write(row_number, 2, row.score)
        grid.write(row_number, 3, row.grade)


def _project_table(document, table: ProjectTable):
    grid = _table(document, table.caption, PROJECT_COLUMNS, len(table.rows) + 1)
    for row_number, row in enumerate(table.rows, start=1):
        if row.span:
            grid.merge_down(row_number, row.span, 0, row.number)
            grid.merge_down(row_number, row.span, 4, row.score)
            grid.merge_down(row_number, row.span, 5, row.grade)
        if row.name_span:
            grid.merge_down(row_number, row.name_span, 1, row.name, left=True)
        grid.write(row_number, 2, row.amount)
        grid.write(row_number, 3, row.self_score)
    total = grid.cells[-1]
    total[0].merge(total[1])  # 合计 over 序号 and 项目名称
    total[3].merge(total[5])
    grid.write(len(grid.cells) - 1, 0, "合计", bold=True)
    grid.write(len(grid.cells) - 1, 2, table.total, bold=True)
