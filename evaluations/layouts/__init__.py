"""The circulated filing layouts: 绩效目标申报表, 绩效监控表 and 项目支出绩效自评表.

`read_documents` reads every table a workbook holds into Documents (evaluations.documents),
finding each block by its labels; `write_document(s)` writes Documents back out in the
standard layout of their kind, so that reading a written workbook gives the same content.
"""

from .read import read_documents
from .write import write_document, write_documents

__all__ = ["read_documents", "write_document", "write_documents"]
