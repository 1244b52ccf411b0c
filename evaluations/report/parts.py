"""The annual report as plain data: what the web page and the .docx both write out.

A report is a title, the bureau's opening and four chapters in the seed report's order.
A chapter's blocks are sub-headings, paragraphs and the two result tables. A paragraph is
made of runs: the bureau's own words (narrative) and figures computed from released
records, each figure marked as such and, on the web page, linked to the public page it
comes from.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: the bureau's words, or a figure computed from records."""

    text: str
    figure: bool = False
    link: str = ""  # the public page the figure can be checked on


@dataclass
class Paragraph:
    runs: list[Run]
    generated: bool = False  # written by the system from records, not by the bureau
    kind = "paragraph"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Heading:
    """A sub-heading within a chapter: （一）…, numbered in order by the builder."""

    text: str
    kind = "heading"


@dataclass
class UnitRow:
    firm: str
    firm_span: int  # rows the 评价机构 cell covers, on the first row of its firm; else 0
    unit: str
    score: str
    grade: str


@dataclass
class UnitTable:
    """评价机构 | 被评单位 | 得分 | 等级, the firm's cell merged over its units."""

    caption: str
    rows: list[UnitRow]
    firms: int
    kind = "units"


@dataclass
class ProjectRow:
    """One funding line, carrying its project's columns on the project's first line."""

    number: str
    span: int  # lines of the project (序号, 第三方机构评分, 等级) on its first line; else 0
    name: str
    name_span: int  # consecutive lines of the same name, on the first of them; else 0
    amount: str
    self_score: str
    score: str
    grade: str


@dataclass
class ProjectTable:
    """序号 | 项目名称 | 年度项目资金（万元） | 自评得分 | 第三方机构评分 | 等级, then 合计."""

    caption: str
    rows: list[ProjectRow]
    total: str  # exact Σ of the lines, 万元
    kind = "projects"


Block = Heading | Paragraph | UnitTable | ProjectTable


@dataclass
class Chapter:
    heading: str  # 一、… (numbered)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    region_code: str
    region_name: str
    year: int
    title: str
    opening: list[Block]
    chapters: list[Chapter]
    note: str
    # References in the narrative the records could not answer (e.g. a project number
    # that is not public): shown where they stand, listed here for the bureau's preview.
    unresolved: list[str] = field(default_factory=list)

    def blocks(self):
        """Yield every block of the chapters, in order."""
        for chapter in self.chapters:
            yield from chapter.blocks
