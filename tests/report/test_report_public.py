"""The report is public for a region and year with released results, and shows nothing
else: withdraw a record and the regenerated page and .docx no longer count it."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from evaluations.models import FundingLine, Project, Unit, UnitEvaluation
from evaluations.services.workflow import evaluation_transition
from evaluations.workflow import State

from .reading import docx_document, docx_text, page_tables, page_text

PAGE, DOCX = "/520111/2021/report/", "/520111/2021/report.docx"


def both(client) -> list[str]:
    """Return the text of the page and of the .docx, regenerated now."""
    return [
        page_text(client.get(PAGE)),
        docx_text(docx_document(client.get(DOCX))),
    ]


@pytest.mark.parametrize(
    "path",
    ["/520111/2022/report/", "/520111/2022/report.docx", "/520199/2021/report/"],
)
def test_a_region_or_year_without_released_results_has_no_report(client, report_2021, path):
    assert client.get(path).status_code == 404


def test_withdrawing_a_unit_and_a_project_takes_them_out_of_every_figure(
    client, people, report_2021
):
    unit = UnitEvaluation.objects.get(unit__name="贵阳市花溪区财政局")  # the highest, 96
    project = Project.objects.get(year=2021, number=5)  # 1,033.496万元 in two lines
    for record in (unit, project):
        evaluation_transition(
            record=record, name="withdraw", user=people.publisher, comment="数据复核"
        )

    for text in both(client):
        assert "贵阳市花溪区财政局" not in text and "幼儿园公办率及普惠率达标经费" not in text
        assert "单位共66个（其中：53个部门、9个乡镇和4个街道）" in text
        assert "评价最高分95.5分" in text
        assert "三、28个重点项目支出绩效评价情况" in text
        assert "28个项目评价涉及资金总额8,264.72676万元（约8,264.73万元），共33项资金明细" in text
        assert "20个项目评价等级为“优”" in text
        # The paragraph citing the withdrawn project is left out, not shown half-filled.
        assert "【无此数据" not in text
    assert Decimal("9298.22276") - Decimal("1033.496") == Decimal("8264.72676")


def test_the_withdrawn_records_leave_the_tables(client, people, report_2021):
    project = Project.objects.get(year=2021, number=7)
    evaluation_transition(record=project, name="withdraw", user=people.publisher, comment="复核")

    units, projects = page_tables(client.get(PAGE))
    assert len(units["body"]) == 67 and len(projects["body"]) == 33
    document = docx_document(client.get(DOCX))
    assert [len(table.rows) for table in document.tables] == [1 + 67, 1 + 33 + 1]


def test_a_record_never_released_never_appears(client, report_2021):
    unit = Unit.objects.create(region=report_2021, name="未公开的测试单位", kind="department")
    UnitEvaluation.objects.create(
        region=report_2021, year=2021, unit=unit, score=Decimal("99.5"), state=State.APPROVED
    )
    project = Project.objects.create(
        region=report_2021,
        year=2021,
        number=30,
        name="未公开的测试项目",
        score=Decimal("99"),
        state=State.SCORED,
    )
    FundingLine.objects.create(
        project=project, position=1, label="未公开的测试项目", amount=5000, self_score=99
    )

    for text in both(client):
        assert "未公开的测试" not in text and "99.5" not in text
        assert "单位共67个" in text and "9,298.22276万元" in text


def test_the_page_links_its_print_stylesheet(client, report_2021):
    body = client.get(PAGE).content.decode()
    assert '<link rel="stylesheet" href="/static/css/report.css">' in body
    css = Path(finders.find("css/report.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css
    assert ".site-header" in css.split("@media print")[1]  # no site chrome on paper
    assert "break-before: page" in css  # the big tables start a new page


def test_the_page_links_the_docx(client, report_2021):
    assert f'href="{DOCX}" download' in client.get(PAGE).content.decode()


def test_the_docx_is_set_in_chinese_fonts_with_page_numbers(client, report_2021):
    document = docx_document(client.get(DOCX))
    fonts = {
        name: document.styles[name].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        for name in ("Normal", "Heading 1", "Heading 2", "报告标题", "表格")
    }
    assert fonts == {
        "Normal": "仿宋",
        "Heading 1": "黑体",
        "Heading 2": "楷体",
        "报告标题": "宋体",
        "表格": "仿宋",
    }
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert document.paragraphs[0].text == "关于2021年度花溪区财政支出绩效情况的报告"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、2021年预算绩效管理工作开展情况",
        "二、部门整体绩效评价情况",
        "三、29个重点项目支出绩效评价情况",
        "四、2022年预算绩效管理工作打算",
    ]


# The content security policy allows the site's own script and style files only.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)


def test_the_page_holds_no_inline_script_or_style_and_its_tables_are_labelled(client, report_2021):
    body = client.get(PAGE).content.decode()
    report = body[body.index('<main id="main"') : body.index("</main>")]

    assert not INLINE.search(report)
    assert report.count("<caption>") == 2
    assert report.count('role="region" aria-label="2021年度花溪区') == 2  # scrolls on a phone
    assert not re.search(r"<th(?=[\s>])(?![^>]*\bscope=)", report)
