"""Reading public pages the way a visitor does: as text, without markup."""

import re
from html import unescape
from html.parser import HTMLParser

from django.utils.html import strip_tags


def page_text(response) -> str:
    """Return the visible text of an HTML response, whitespace collapsed to single spaces."""
    body = response.content.decode()
    body = re.sub(r"<(script|style|title)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(unescape(strip_tags(body)).split())


class _RowReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.in_body, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = []
        elif self.cell is not None:
            self.cell.append(" ")  # the name cell's list of funding lines

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.cell is not None:
            self.cell.append(" ")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response) -> list[list[str]]:
    """Return the text of each cell of each row in the results table of a page."""
    reader = _RowReader()
    reader.feed(response.content.decode())
    return reader.rows


def url(region_code, year, page=""):
    return f"/{region_code}/{year}/{page}"
