"""The bureau edits the report's words through report_text_save, and the edit shows on the
page and in the .docx; nobody else may, and no reference the report cannot fill is kept.
The bundled narrative is loaded once and never over what the bureau wrote."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.models import ReportSection, ReportText
from evaluations.services.report import (
    report_publish,
    report_text_copy,
    report_text_save,
    report_texts_load,
)

from .conftest import NARRATIVE
from .reading import docx_document, docx_text, page_text

PLANS = "（一）抓结果应用\n{下年度}年将对{评价单位数}个单位的评价结果逐项反馈整改。"
SHOWN = "2022年将对67个单位的评价结果逐项反馈整改。"


def plans(region):
    return ReportText.objects.get(region=region, year=2021, section=ReportSection.PLANS)


def test_the_bureaus_edit_shows_on_the_page_and_in_the_docx_once_published(
    client, people, report_2021
):
    saved = report_text_save(
        region=report_2021, year=2021, section="plans", text=PLANS, user=people.reviewer
    )
    assert (saved.text, saved.updated_by) == (PLANS, people.reviewer)
    # A draft until the publisher releases it: the public report still shows the old words.
    assert SHOWN not in page_text(client.get("/520111/2021/report/"))
    with pytest.raises(PermissionDenied):
        report_publish(region=report_2021, year=2021, user=people.reviewer)
    assert report_publish(region=report_2021, year=2021, user=people.publisher) == 1

    page = page_text(client.get("/520111/2021/report/"))
    document = docx_text(docx_document(client.get("/520111/2021/report.docx")))
    for text in (page, document):
        assert "四、2022年预算绩效管理工作打算" in text
        assert "（一）抓结果应用" in text and SHOWN in text
        assert "抓制度建设，夯实管理基础" not in text


def test_a_new_section_is_created(people, report_2021):
    plans(report_2021).delete()
    report_text_save(
        region=report_2021, year=2021, section="plans", text=PLANS, user=people.reviewer
    )
    assert plans(report_2021).text == PLANS


@pytest.mark.parametrize("who", ["department", "firm", "elsewhere_reviewer"])
def test_it_refuses_anyone_but_the_regions_bureau(people, report_2021, who):
    with pytest.raises(PermissionDenied):
        report_text_save(
            region=report_2021, year=2021, section="plans", text=PLANS, user=getattr(people, who)
        )
    assert plans(report_2021).text != PLANS


def test_a_reviewer_bound_to_the_region_may_write(people, report_2021):
    report_text_save(
        region=report_2021, year=2021, section="plans", text=PLANS, user=people.huaxi_reviewer
    )
    assert plans(report_2021).text == PLANS


def test_it_refuses_a_typed_reference_the_report_cannot_fill(people, report_2021):
    with pytest.raises(ValidationError) as refused:
        report_text_save(
            region=report_2021,
            year=2021,
            section="plans",
            text="涉及资金{资金合计}。",
            user=people.reviewer,
        )
    assert refused.value.messages == ["不认识的引用“{资金合计}”（“下一步工作计划”部分）"]
    assert "资金合计" not in plans(report_2021).text


def test_next_years_edition_starts_from_this_years_text(people, report_2021):
    copy = report_text_copy(source=plans(report_2021), user=people.reviewer)

    assert (copy.year, copy.text) == (2022, plans(report_2021).text)
    assert report_text_copy(source=plans(report_2021), user=people.reviewer) is None


def test_loading_the_bundled_narrative_again_keeps_the_bureaus_text(people, report_2021):
    report_text_save(
        region=report_2021, year=2021, section="plans", text=PLANS, user=people.reviewer
    )

    assert report_texts_load(region=report_2021, year=2021, path=NARRATIVE) == []
    assert plans(report_2021).text == PLANS
    assert ReportText.objects.filter(region=report_2021, year=2021).count() == 9
