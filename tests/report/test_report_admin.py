"""The bureau keeps the report's words in the admin: its own region's, saved through the
service, with a preview of the report; nobody else sees them."""

import pytest
from django.urls import reverse

from evaluations.models import ReportSection, ReportText
from tests.admin.pages import admin_url, changelist_url, listed_ids

from .reading import page_text


def plans(region, year=2021):
    return ReportText.objects.get(region=region, year=year, section=ReportSection.PLANS)


def preview_url(region, year):
    return reverse("admin:evaluations_reporttext_preview", args=[region.pk, year])


@pytest.mark.parametrize("who", ["reviewer", "publisher", "huaxi_reviewer"])
def test_the_bureau_lists_its_regions_sections(client, people, report_2021, who):
    client.force_login(getattr(people, who))
    response = client.get(changelist_url(ReportText))

    assert response.status_code == 200
    assert listed_ids(response) == set(
        ReportText.objects.filter(region=report_2021).values_list("pk", flat=True)
    )
    assert len(listed_ids(response)) == 9


def test_a_reviewer_of_another_region_sees_none_of_them(client, people, report_2021):
    client.force_login(people.elsewhere_reviewer)
    assert listed_ids(client.get(changelist_url(ReportText))) == set()
    assert client.get(admin_url(plans(report_2021))).status_code != 200
    assert client.get(preview_url(report_2021, 2021)).status_code == 403


@pytest.mark.parametrize("who", ["department", "firm"])
def test_departments_and_firms_have_no_report_admin(client, people, report_2021, who):
    client.force_login(getattr(people, who))
    assert client.get(changelist_url(ReportText)).status_code == 403
    assert client.get(admin_url(plans(report_2021))).status_code == 403


def test_an_edit_is_saved_through_the_service(client, people, report_2021):
    client.force_login(people.huaxi_reviewer)
    text = "（一）抓结果应用\n对{评价单位数}个单位的评价结果逐项反馈。"
    response = client.post(admin_url(plans(report_2021)), {"text": text})

    assert response.status_code == 302
    saved = plans(report_2021)
    assert (saved.text, saved.updated_by) == (text, people.huaxi_reviewer)


def test_a_reference_the_report_cannot_fill_is_shown_and_not_saved(client, people, report_2021):
    client.force_login(people.reviewer)
    before = plans(report_2021).text
    response = client.post(admin_url(plans(report_2021)), {"text": "共{单位总数}个单位。"})

    assert response.status_code == 200
    assert "不认识的引用“{单位总数}”" in page_text(response)
    assert plans(report_2021).text == before


def test_the_change_page_lists_the_references_and_links_the_preview(client, people, report_2021):
    client.force_login(people.reviewer)
    body = client.get(admin_url(plans(report_2021))).content.decode()

    assert "{项目资金总额}" in body and "{项目N.资金}" in body
    assert preview_url(report_2021, 2021) in body


def test_the_preview_is_the_report_as_published(client, people, report_2021):
    client.force_login(people.publisher)
    text = page_text(client.get(preview_url(report_2021, 2021)))

    assert "关于2021年度花溪区财政支出绩效情况的报告" in text
    assert "29个项目评价涉及资金总额9,298.22276万元（约9,298.22万元）" in text


def test_next_years_text_can_be_previewed_before_its_results_are_released(
    client, people, report_2021
):
    client.force_login(people.reviewer)
    queryset = ReportText.objects.filter(region=report_2021, year=2021)
    response = client.post(
        changelist_url(ReportText),
        {
            "action": "copy_to_next_year",
            "_selected_action": list(queryset.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302
    assert ReportText.objects.filter(region=report_2021, year=2022).count() == 9
    text = page_text(client.get(preview_url(report_2021, 2022)))
    assert "关于2022年度花溪区财政支出绩效情况的报告" in text
    assert "本年度没有公开的部门整体绩效评价结果。" in text
    assert "系统中没有2021年度财政资金的公开评价结果记录" not in text  # 2021's are public
    assert (
        "2022年，对2021年财政资金涉及的67个部门（单位）开展了部门整体绩效评价，"
        "对29个项目开展了重点绩效评价"
    ) in text


def test_a_section_is_added_for_the_bureaus_own_region_only(client, people, report_2021):
    client.force_login(people.huaxi_reviewer)
    add = reverse("admin:evaluations_reporttext_add")
    form = client.get(add).context["adminform"].form
    assert list(form.fields["region"].queryset) == [report_2021]

    response = client.post(
        add, {"region": report_2021.pk, "year": 2023, "section": "opening", "text": "{年度}年。"}
    )

    assert response.status_code == 302
    added = ReportText.objects.get(year=2023)
    assert (added.section, added.text, added.updated_by) == (
        "opening",
        "{年度}年。",
        people.huaxi_reviewer,
    )
