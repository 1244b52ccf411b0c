"""Reading a public page's structure the way assistive technology does: its tables with their
captions and header cells, its form fields with their labels."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    caption: str = ""
    # Every <th> of the table: (its text, its scope attribute or None).
    headers: list[tuple[str, str | None]] = field(default_factory=list)
    # The text of each cell (th or td) of each row of the body.
    rows: list[list[str]] = field(default_factory=list)


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[Table] = []
        self.open: list[Table] = []
        self.in_body = self.in_caption = False
        self.cell: list[str] | None = None
        self.scope = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.open.append(Table())
            self.tables.append(self.open[-1])
        elif not self.open:
            return
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.open[-1].rows.append([])
        elif tag in ("th", "td"):
            self.cell, self.scope = [], attrs.get("scope")
        elif self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if not self.open:
            return
        if tag == "table":
            self.open.pop()
        elif tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("th", "td") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            if tag == "th":
                self.open[-1].headers.append((text, self.scope))
            if self.in_body:
                self.open[-1].rows[-1].append(text)
            self.cell = None
        elif self.cell is not None:
            self.cell.append(" ")

    def handle_data(self, data):
        if self.in_caption:
            self.open[-1].caption += data.strip()
        elif self.cell is not None:
            self.cell.append(data)


def tables(response) -> list[Table]:
    """Return every table of an HTML response, in document order."""
    reader = _TableReader()
    reader.feed(response.content.decode())
    return reader.tables


def table(response, caption: str) -> Table:
    """Return the table of an HTML response that has this caption."""
    (found,) = [table for table in tables(response) if table.caption == caption]
    return found


@dataclass
class Form:
    # Every field a person fills in: (tag, id, name, aria-label, aria-labelledby).
    fields: list[dict] = field(default_factory=list)
    # The id each <label for="…"> names.
    label_for: set[str] = field(default_factory=set)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.form = Form()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.form.label_for.add(attrs["for"])
        elif tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type") not in ("hidden", "submit", "button")
        ):
            self.form.fields.append({"tag": tag, **attrs})


def form_fields(response) -> Form:
    """Return the fields and labels of every form of an HTML response."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.form
