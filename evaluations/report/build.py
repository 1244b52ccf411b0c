"""annual_report(): a region's report on a year's spending performance, in the structure
of the seed report (../shared/domain.md §0), from released records and the bureau's text.

一、work done (targets, monitoring, evaluations, disclosure); 二、unit-overall results and
their table; 三、key-project results, their table, an account per grade, problems found;
四、plans. The bureau writes the words (ReportText, by section); every figure, both tables
and the sentences that state them come from the policy's public querysets, so the report
cannot say 9,299万元 where its own table adds up to 9,298.22276万元.

A fixed number of queries whatever the number of units, projects and lines.
"""

from django.utils import timezone

from ..models import Region, ReportSection
from ..selectors import project_results, year_summary
from ..selectors import report as reads
from ..selectors.public_filings import public_target_coverage
from . import narrative, sentences
from .figures import Figures
from .parts import Chapter, Heading, Paragraph, Report
from .tables import project_table, unit_table

S = ReportSection
# Sections that are a sub-part of their chapter: a sub-heading of their own (their label)
# when their text does not start with one.
SUB_PARTS = (S.TARGETS, S.MONITORING, S.EVALUATION, S.DISCLOSURE, S.PROBLEMS)
NUMERALS = "一二三四五六七八九十"
NOTE = (
    "注：本报告中的数字均由本系统已公开的记录计算生成。金额单位为万元，均为精确值，"
    "括号中的“约”数按四舍五入保留两位小数；项目资金为其各资金明细金额之和。"
)


def numeral(n: int) -> str:
    """Return 1–99 in Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{NUMERALS[tens - 1]}十")
    return head + (NUMERALS[ones - 1] if ones else "")


def annual_report(*, region: Region, year: int, draft: bool = False) -> Report:
    """Return the region's annual report for the year, from released records only.

    The public report (draft False) shows the narrative the publisher released and leaves
    out a paragraph whose figure the released records cannot give; the bureau's preview
    (draft True) shows the draft with such a figure marked 【无此数据：…】.
    """
    texts = reads.report_texts(region=region, year=year, draft=draft)
    summary = year_summary(region=region, year=year)
    units = reads.units_by_firm(region=region, year=year)
    projects = list(project_results(region=region, year=year))
    units_table = unit_table(region=region, year=year, evaluations=units)
    figures = Figures(
        region=region, year=year, summary=summary, projects=projects, firms=units_table.firms
    )
    figures.draft = draft
    generated = {
        "绩效目标覆盖情况": sentences.targets(
            figures, public_target_coverage(region=region, year=year)
        ),
        "绩效运行监控情况": sentences.monitoring(
            figures, reads.monitoring_rounds(region=region, year=year)
        ),
        "绩效评价开展情况": sentences.evaluations(
            figures, reads.evaluated_counts(region=region, year=year - 1)
        ),
        "绩效信息公开情况": sentences.disclosure(
            figures, reads.disclosed_self_evaluations(region=region, year=year - 1)
        ),
        "部门整体评价概况": sentences.units_overview(figures, summary, units_table.firms),
        "部门整体评价结果表": [units_table] if units_table.rows else [],
        "重点项目评价概况": sentences.projects_overview(figures, summary),
        "重点项目评价结果表": [project_table(region=region, year=year, projects=projects)]
        if projects
        else [],
        "分等级评价情况": sentences.grade_accounts(figures, projects),
        "问题整改情况": sentences.problems(
            figures,
            reads.problem_counts(region=region, year=year, today=timezone.localdate()),
        ),
    }

    def section(key) -> list:
        return _section(key, texts.get(key, ""), generated, figures)

    count = summary["projects"]["count"]
    chapters = [
        Chapter(
            f"{year}年预算绩效管理工作开展情况",
            [*section(S.TARGETS), *section(S.MONITORING)]
            + [*section(S.EVALUATION), *section(S.DISCLOSURE)],
        ),
        Chapter("部门整体绩效评价情况", section(S.UNITS)),
        Chapter(
            f"{count}个重点项目支出绩效评价情况" if count else "重点项目支出绩效评价情况",
            [*section(S.PROJECTS), *section(S.PROBLEMS)],
        ),
        Chapter(f"{year + 1}年预算绩效管理工作打算", section(S.PLANS)),
    ]
    for number, chapter in enumerate(chapters, start=1):
        chapter.heading = f"{numeral(number)}、{chapter.heading}"
        headings = [block for block in chapter.blocks if block.kind == "heading"]
        for index, heading in enumerate(headings, start=1):
            heading.text = f"（{numeral(index)}）{heading.text}"
    opening = section(S.OPENING)
    return Report(
        region_code=region.code,
        region_name=region.name,
        year=year,
        title=f"关于{year}年度{region.name}财政支出绩效情况的报告",
        opening=opening,
        chapters=chapters,
        note=NOTE,
        unresolved=figures.unresolved,
    )


def _section(key: str, text: str, generated: dict, figures: Figures) -> list:
    """Return a section's blocks: its text with its figures filled in, its generated
    blocks where the text places them and the rest after the text."""
    blocks, placed = [], set()
    for kind, value in narrative.parse(text, key):
        if kind == "heading":
            blocks.append(Heading(value))
        elif kind == "block":
            placed.add(value)
            blocks.extend(generated[value])
        else:
            known = len(figures.unresolved)
            paragraph = Paragraph(figures.runs(value))
            if figures.draft or len(figures.unresolved) == known:
                blocks.append(paragraph)
    for name in narrative.BLOCKS.get(key, ()):
        if name not in placed:
            blocks.extend(generated[name])
    if key in SUB_PARTS and blocks and blocks[0].kind != "heading":
        blocks.insert(0, Heading(ReportSection(key).label))
    return blocks
