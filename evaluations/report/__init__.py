"""The annual report on spending performance, generated: build (annual_report), the plain
data it returns (parts), the narrative's rules (narrative) and the .docx writer (docx)."""

from .build import annual_report  # noqa: F401
