"""Reading the report the way its readers do: the web page as text and tables, the .docx
through python-docx (its paragraphs, its tables, the merged cells in its XML)."""

import io
from html.parser import HTMLParser

from docx import Document
from docx.oxml.ns import qn

from tests.views.pages import page_text

__all__ = ["page_text", "page_tables", "docx_document", "docx_text", "docx_rows", "vmerge_spans"]


class _TableReader(HTMLParser):
    """Collect each <table class="report-table …">: its body rows, each cell's text and
    rowspan."""

    def __init__(self):
        super().__init__()
        self.tables, self.part, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "report-table" in (attrs.get("class") or ""):
            self.tables.append({"body": [], "foot": []})
        elif tag in ("tbody", "tfoot") and self.tables:
            self.part = "body" if tag == "tbody" else "foot"
        elif tag == "tr" and self.part:
            self.tables[-1][self.part].append([])
        elif tag in ("td", "th") and self.part:
            self.cell = {"text": "", "rowspan": int(attrs.get("rowspan", 1))}

    def handle_endtag(self, tag):
        if tag in ("tbody", "tfoot"):
            self.part = None
        elif tag in ("td", "th") and self.cell is not None:
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.tables[-1][self.part][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def page_tables(response) -> list[dict]:
    """Return the report tables of a page: {"body": rows, "foot": rows}, a row being its
    cells ({"text", "rowspan"}) as written, merged cells only on their first row."""
    reader = _TableReader()
    reader.feed(response.content.decode())
    return reader.tables


def docx_document(response):
    return Document(io.BytesIO(response.content))


def docx_text(document) -> str:
    """Return the document's paragraphs and table cells as one text."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_rows(table) -> list[list[str]]:
    """Return the text of each row's cells, a merged cell repeated in every row it spans."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def _grid_cell(tr, column: int):
    """Return the w:tc that starts at the grid column, None if a wider cell covers it."""
    start = 0
    for tc in tr.tc_lst:
        if start == column:
            return tc
        start += tc.grid_span
    return None


def vmerge_spans(table, column: int) -> list[tuple[int, int]]:
    """Return (first row, rows) of each vertical merge in the column (w:vMerge)."""
    spans = []
    for index, row in enumerate(table.rows):
        tc = _grid_cell(row._tr, column)
        merge = tc.tcPr.find(qn("w:vMerge")) if tc is not None and tc.tcPr is not None else None
        if merge is None:
            continue
        if merge.get(qn("w:val")) == "restart":
            spans.append([index, 1])
        else:
            spans[-1][1] += 1
    return [tuple(span) for span in spans]
