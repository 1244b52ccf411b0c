"""The report's structure without the bureau's words, and with them: the seed's four
chapters, sub-headings numbered in order whatever number was typed, generated blocks
where the text places them and after the text otherwise."""

import pytest

from evaluations.models import ReportSection, ReportText
from evaluations.report import annual_report
from evaluations.report.build import numeral
from evaluations.services.imports import region_ensure
from tests.views.builders import add_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db):
    """观山湖区 2022: three released projects, no unit results, no narrative."""
    region = region_ensure(code="520115", name="观山湖区")
    add_projects(region, 2022, 3)
    return region


def outline(report) -> list[str]:
    """Return the chapters' headings, sub-headings and block kinds, in order."""
    lines = []
    for chapter in report.chapters:
        lines.append(chapter.heading)
        lines += [block.text if block.kind == "heading" else block.kind for block in chapter.blocks]
    return lines


def test_without_words_the_report_is_the_seeds_outline_of_figures(region):
    assert outline(annual_report(region=region, year=2022)) == [
        "一、2022年预算绩效管理工作开展情况",
        "（一）绩效目标管理",
        "paragraph",
        "（二）绩效运行监控",
        "paragraph",
        "（三）绩效评价",
        "paragraph",
        "（四）信息公开",
        "paragraph",
        "二、部门整体绩效评价情况",
        "paragraph",  # no unit results: said plainly, and no table
        "三、3个重点项目支出绩效评价情况",
        "paragraph",
        "projects",
        "paragraph",  # the one grade's account
        "（一）存在的问题",
        "paragraph",
        "四、2023年预算绩效管理工作打算",
    ]


def test_sub_headings_are_numbered_in_order_and_blocks_stand_where_placed(region):
    ReportText.objects.create(
        region=region,
        year=2022,
        section=ReportSection.PROJECTS,
        text="{重点项目评价结果表}\n（五）评价情况\n共{重点项目数}个项目。\n（九）结果应用",
    )

    chapter = annual_report(region=region, year=2022, draft=True).chapters[2]
    assert [b.text if b.kind != "projects" else "projects" for b in chapter.blocks] == [
        "projects",
        "（一）评价情况",
        "共3个项目。",
        "（二）结果应用",
        chapter.blocks[4].text,  # the overview and the account follow the text
        chapter.blocks[5].text,
        "（三）存在的问题",
        chapter.blocks[7].text,
    ]
    assert chapter.blocks[4].text.startswith("3个项目评价涉及资金总额")
    assert chapter.blocks[5].text.startswith("3个项目评价等级为")


@pytest.mark.parametrize(
    ("n", "words"), [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")]
)
def test_numerals(n, words):
    assert numeral(n) == words
