"""Ex-ante evaluation in the admin: the bureau's templates, the department's filing, the
bureau's (or its firm's) grading and conclusion, the gate shown, the savings figures;
every step the policy's, a forged POST refused like a hidden button."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import (
    Conclusion,
    ExAnteAssessment,
    ExAnteItem,
    ExAnteTemplate,
    WorkflowEvent,
)
from evaluations.services.ex_ante import ex_ante_commission, ex_ante_submit, ex_ante_update
from evaluations.services.targets import target_review, target_submit
from evaluations.workflow import FilingState
from tests.services.test_ex_ante import (
    ALL_EXCELLENT,
    assessed,
    default_items,
    filed,
    grade_all,
    new_project,
    submitted,
)
from tests.views.pages import page_text

from .filings import add_url, filer, project_target, step_url
from .pages import admin_url, changelist_url, listed_ids, messages_of

pytestmark = pytest.mark.django_db

D = Decimal
State = ExAnteAssessment.State


def step(client, assessment, name, **data):
    """Post a step as its page shows it, with the revision the page was rendered with."""
    page = client.get(step_url(assessment, name))
    assert page.status_code == 200
    posted = {"revision": page.context["form"]["revision"].value(), **data}
    return client.post(step_url(assessment, name), posted)


def grade_data(assessment, grades, notes=None):
    items = list(assessment.template.items.order_by("position"))
    data = {f"grade_{item.pk}": grade for item, grade in zip(items, grades, strict=True)}
    data |= {f"note_{item.pk}": (notes or {}).get(i, "") for i, item in enumerate(items)}
    return data


@pytest.fixture
def own(roles):
    return submitted(roles, new_project(roles))


@pytest.fixture
def other(roles):
    """A submitted assessment of the other unit's project (filed by a superuser)."""
    admin = filer(roles, roles.other_unit)
    target = project_target(roles, unit=roles.other_unit, name="低保资金", attribute="new")
    assessment = filed(target, admin, requested="800")
    return ex_ante_submit(assessment=assessment, user=admin)


# -- scope --------------------------------------------------------------------------------------


def test_each_role_lists_the_assessments_in_its_scope(client, roles, own, other):
    ex_ante_commission(assessment=other, user=roles.reviewer, firm=roles.firm_a)
    expected = {
        roles.department: {own.pk},
        roles.reviewer: {own.pk, other.pk},
        roles.publisher: {own.pk, other.pk},
        roles.firm: {other.pk},
    }
    for user, ids in expected.items():
        client.force_login(user)
        assert listed_ids(client.get(changelist_url(ExAnteAssessment))) == ids, user


def test_a_department_cannot_open_another_units_assessment(client, roles, own, other):
    client.force_login(roles.department)
    assert client.get(admin_url(other)).status_code == 404
    for name in ("submit", "commission", "grade", "conclude"):
        assert client.get(step_url(other, name)).status_code == 404


def test_one_without_a_role_sees_nothing(client, roles, own):
    client.force_login(roles.stranger)
    assert client.get(changelist_url(ExAnteAssessment)).status_code == 403
    assert client.get(admin_url(own)).status_code in (403, 404)


# -- the department files and submits ------------------------------------------------------------


def test_the_department_files_from_its_approved_or_pending_project_targets(client, roles):
    pending = new_project(roles)  # submitted, awaiting review
    draft = project_target(roles, name="草稿项目")
    refused = project_target(roles, name="不予安排项目")
    version = refused.versions.get()
    target_submit(version=version, user=roles.department)
    target_review(version=version, user=roles.reviewer, grade="差", comment="不予安排")
    assessed_already = new_project(roles, name="已评估项目")
    filed(assessed_already, roles.department)
    project_target(roles, unit=roles.other_unit, name="低保资金")
    client.force_login(roles.department)

    page = client.get(add_url(ExAnteAssessment))

    choices = set(page.context["adminform"].form.fields["target"].queryset)
    assert choices == {pending, draft}
    response = client.post(
        add_url(ExAnteAssessment),
        {"target": pending.pk, "requested": "476.604", "summary": "新增公办学位1200个"},
    )
    assessment = ExAnteAssessment.objects.get(target=pending)
    assert response.status_code == 302 and response.url == admin_url(assessment)
    assert (assessment.state, assessment.requested) == (State.DRAFT, D("476.604"))
    assert WorkflowEvent.objects.filter(action="ex_ante_file", actor=roles.department).exists()


def test_a_department_cannot_file_for_another_units_target(client, roles):
    other = project_target(roles, unit=roles.other_unit, name="低保资金")
    client.force_login(roles.department)
    response = client.post(
        add_url(ExAnteAssessment), {"target": other.pk, "requested": "1", "summary": "越权"}
    )
    assert response.status_code == 200
    assert not ExAnteAssessment.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "publisher", "firm"])
def test_only_the_department_files(client, roles, who):
    client.force_login(getattr(roles, who))
    assert client.get(add_url(ExAnteAssessment)).status_code == 403


def test_the_department_changes_its_draft_and_submits_it(client, roles):
    assessment = filed(new_project(roles), roles.department)
    client.force_login(roles.department)
    page = client.get(admin_url(assessment))
    assert [s["name"] for s in page.context["steps"]] == ["submit"]
    form = page.context["adminform"].form
    data = {
        "requested": "500",
        "summary": "改为分两年实施",
        "seen_revision": form["seen_revision"].value(),
        "_continue": "1",
    }
    assert client.post(admin_url(assessment), data).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.requested, assessment.summary, assessment.revision) == (
        D(500),
        "改为分两年实施",
        2,
    )
    response = step(client, assessment, "submit")
    assert response.status_code == 302
    assert "已提交财政局评估" in messages_of(response)[0]
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    page = client.get(admin_url(assessment))
    assert page.context["steps"] == []
    assert "seen_revision" not in page.context["adminform"].form.fields


def test_a_stale_draft_is_not_saved_over_a_newer_one(client, roles):
    assessment = filed(new_project(roles), roles.department)
    client.force_login(roles.department)
    page = client.get(admin_url(assessment))
    seen = page.context["adminform"].form["seen_revision"].value()
    ex_ante_update(assessment=assessment, user=roles.department, requested=D(1), summary="他人")
    data = {"requested": "2", "summary": "我的", "seen_revision": seen, "_continue": "1"}
    response = client.post(admin_url(assessment), data)
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.summary == "他人"


def test_a_submit_prepared_on_an_older_revision_is_refused_with_a_message(client, roles):
    assessment = filed(new_project(roles), roles.department)
    client.force_login(roles.department)
    page = client.get(step_url(assessment, "submit"))
    ex_ante_update(assessment=assessment, user=roles.department, requested=D(1), summary="他人")
    response = client.post(
        step_url(assessment, "submit"), {"revision": page.context["form"]["revision"].value()}
    )
    assert response.status_code == 302
    assert "已被他人修改" in messages_of(response)[0]
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT


# -- the bureau grades and concludes --------------------------------------------------------------


def test_the_reviewer_grades_each_item_and_concludes(client, roles, own):
    client.force_login(roles.reviewer)
    page = client.get(admin_url(own))
    assert [s["name"] for s in page.context["steps"]] == ["commission", "grade"]
    assert "未通过：该项目的事前绩效评估尚未出具结论（已提交待评估）" in page_text(page)

    grades = grade_data(own, "优良中优优良中差优优", notes={7: "资金来源说明不足"})
    response = step(client, own, "grade", **grades)

    assert response.status_code == 302
    assert "评估得分 78.00 分" in messages_of(response)[0]
    own.refresh_from_db()
    assert (own.state, own.total) == (State.SCORED, D("78.00"))
    assert own.grades.get(item=default_items()[7]).note == "资金来源说明不足"
    text = page_text(client.get(admin_url(own)))
    assert "评估得分：78.00 分（通过分数线 70.00 分）" in text
    assert "立项必要性（20.00 分） 18.00" in text
    assert "筹资合规性（20.00 分） 20.00" in text

    response = step(
        client,
        own,
        "conclude",
        conclusion=Conclusion.ADJUST,
        supported="400.5",
        opinion="压减设备购置",
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.state, own.conclusion, own.supported) == (
        State.CONCLUDED,
        Conclusion.ADJUST,
        D("400.5"),
    )
    text = page_text(client.get(admin_url(own)))
    # Supported at less than the target's funds: the target must come down to 400.5 first.
    assert "超过事前绩效评估核定的 400.5 万元，须按核定资金安排或重新评估" in text


def test_grades_may_be_entered_in_part_and_a_note_needs_a_grade(client, roles, own):
    client.force_login(roles.reviewer)
    first = default_items()[0]
    response = step(client, own, "grade", **{f"note_{first.pk}": "只有说明"})
    assert response.status_code == 200
    assert "填写说明的要点须选择等级" in response.content.decode()
    response = step(client, own, "grade", **{f"grade_{first.pk}": "优"})
    assert "尚有要点未评分" in messages_of(response)[0]
    own.refresh_from_db()
    assert (own.state, own.grades.count()) == (State.SUBMITTED, 1)


def test_a_refused_conclusion_is_shown_on_its_page(client, roles, own):
    grade_all(own, roles.reviewer, ALL_EXCELLENT)
    client.force_login(roles.reviewer)
    response = step(
        client, own, "conclude", conclusion=Conclusion.SUPPORT, supported="100", opinion="同意"
    )
    assert response.status_code == 200
    assert "核定资金少于申请资金的，结论应为“调整后支持”" in response.content.decode()
    own.refresh_from_db()
    assert own.state == State.SCORED


def test_a_commissioned_firm_grades_and_the_reviewer_no_longer_does(client, roles, own):
    client.force_login(roles.reviewer)
    response = step(client, own, "commission", firm=roles.firm_a.pk)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.firm == roles.firm_a
    assert client.get(step_url(own, "grade")).status_code == 403

    client.force_login(roles.firm)
    page = client.get(admin_url(own))
    assert [s["name"] for s in page.context["steps"]] == ["grade"]
    assert step(client, own, "grade", **grade_data(own, "良" * 10)).status_code == 302
    own.refresh_from_db()
    assert own.total == D("80.00")
    assert client.get(step_url(own, "conclude")).status_code == 403


FORGED = [
    # (step, who, state the assessment is in, expected answer)
    ("submit", "reviewer", State.DRAFT, 403),
    ("submit", "publisher", State.DRAFT, 403),
    ("commission", "department", State.SUBMITTED, 403),
    ("commission", "publisher", State.SUBMITTED, 403),
    ("grade", "department", State.SUBMITTED, 403),
    ("grade", "publisher", State.SUBMITTED, 403),
    ("grade", "firm", State.SUBMITTED, 404),
    ("conclude", "department", State.SCORED, 403),
    ("conclude", "publisher", State.SCORED, 403),
    ("conclude", "firm", State.SCORED, 404),
    ("conclude", "stranger", State.SCORED, 404),
    ("submit", "department", State.SUBMITTED, 403),
    ("conclude", "reviewer", State.SUBMITTED, 403),
]


@pytest.mark.parametrize(("name", "who", "state", "expected"), FORGED)
def test_a_forged_step_is_refused_and_changes_nothing(client, roles, name, who, state, expected):
    assessment = filed(new_project(roles), roles.department)
    if state != State.DRAFT:
        assessment = submitted(roles, new_project(roles, name="另一个项目"))
    if state == State.SCORED:
        assessment = grade_all(assessment, roles.reviewer)
    revision = assessment.revision
    client.force_login(getattr(roles, who))
    data = {
        "revision": revision,
        "firm": roles.firm_a.pk,
        "conclusion": Conclusion.SUPPORT,
        "supported": "476.604",
        "opinion": "伪造",
        **grade_data(assessment, "差" * 10),
    }

    assert client.get(step_url(assessment, name)).status_code == expected
    assert client.post(step_url(assessment, name), data).status_code == expected

    assessment.refresh_from_db()
    assert (assessment.state, assessment.revision) == (state, revision)


def test_an_unknown_step_is_not_found(client, roles, own):
    client.force_login(roles.reviewer)
    assert client.get(step_url(own, "approve")).status_code == 404


# -- the gate, as the target's reviewer meets it ---------------------------------------------------


def test_approving_a_target_without_a_passing_assessment_is_refused_with_the_reason(client, roles):
    target = new_project(roles)
    client.force_login(roles.reviewer)
    version = target.versions.get()
    response = client.post(
        step_url(target, "review"), {"revision": version.revision, "grade": "优", "comment": ""}
    )
    assert response.status_code == 200
    assert "该项目须经事前绩效评估，尚未提交评估" in response.content.decode()
    version.refresh_from_db()
    assert version.state == FilingState.SUBMITTED

    assessed(target, department=roles.department, reviewer=roles.reviewer)
    version.refresh_from_db()
    response = client.post(
        step_url(target, "review"), {"revision": version.revision, "grade": "优", "comment": ""}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.approved_version == version


# -- templates ----------------------------------------------------------------------------------


def template_data(*, points=("10",) * 10, dimensions=None, **fields):
    dimensions = dimensions or [d for d, _ in ExAnteItem._meta.get_field("dimension").choices]
    data = {
        "name": "花溪区事前评估模板",
        "region": "",
        "year": "2022",
        "pass_mark": "75",
        "major_amount": "100",
        "excellent_share": "100",
        "good_share": "85",
        "fair_share": "60",
        "poor_share": "0",
        "adjusted_passes": "on",
        "items-TOTAL_FORMS": str(len(points)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, value in enumerate(points):
        data |= {
            f"items-{i}-position": str(i),
            f"items-{i}-dimension": dimensions[i // 2 % len(dimensions)],
            f"items-{i}-name": f"要点{i}",
            f"items-{i}-points": value,
        }
    return data


def test_the_reviewer_writes_a_template_of_100_points_over_the_five_dimensions(client, roles):
    client.force_login(roles.reviewer)
    page = client.get(add_url(ExAnteTemplate))
    assert page.context["inline_admin_formsets"][0].formset.total_form_count() == 10
    response = client.post(add_url(ExAnteTemplate), template_data(region=roles.region.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ExAnteTemplate.objects.get(region=roles.region)
    assert template.items.count() == 10
    assert (template.pass_mark, template.good_share) == (D(75), D(85))
    page = client.get(admin_url(template))
    assert "100 分（应为 100 分）" in page_text(page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"points": ("10",) * 9 + ("9.5",)}, "各评估要点分值合计须为 100 分，现为 99.5 分"),
        (
            {"points": ("20",) * 5, "dimensions": ["necessity", "economy", "targets"]},
            "以下评估维度还没有评估要点：实施方案可行性、筹资合规性",
        ),
        ({"good_share": "60", "fair_share": "80"}, "得分比例须为 优 ≥ 良 ≥ 中 ≥ 差"),
        ({"pass_mark": "120"}, "通过分数线须在 0 至 100 之间"),
    ],
)
def test_a_template_that_does_not_add_up_is_refused(client, roles, data, message):
    client.force_login(roles.reviewer)
    response = client.post(add_url(ExAnteTemplate), template_data(region=roles.region.pk, **data))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ExAnteTemplate.objects.filter(region=roles.region).exists()


def test_a_used_template_keeps_its_rules(client, roles, own):
    template = own.template
    client.force_login(roles.reviewer)
    page = client.get(admin_url(template))
    form = page.context["adminform"].form
    assert set(form.fields) == {"name"}
    assert "已被 1 项事前绩效评估使用" in messages_of(page)[0]
    assert not page.context["inline_admin_formsets"][0].has_add_permission
    response = client.post(
        admin_url(template),
        {
            "name": "改名后的默认模板",
            "pass_mark": "10",
            "items-TOTAL_FORMS": "10",
            "items-INITIAL_FORMS": "10",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "_continue": "1",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.pass_mark) == ("改名后的默认模板", D(70))


def test_the_default_template_is_never_deleted(client, roles):
    client.force_login(roles.reviewer)
    template = ExAnteTemplate.objects.get(region=None, year=None)
    assert client.get(admin_url(template, "delete")).status_code == 403


@pytest.mark.parametrize("who", ["department", "firm", "stranger"])
def test_only_the_bureau_opens_the_templates(client, roles, who):
    client.force_login(getattr(roles, who))
    assert client.get(changelist_url(ExAnteTemplate)).status_code == 403


def test_a_regional_reviewer_keeps_only_its_regions_templates(client, roles):
    bound = roles.login("huaxi-reviewer", "reviewer", region=roles.region)
    client.force_login(bound)
    default = ExAnteTemplate.objects.get(region=None, year=None)
    page = client.get(admin_url(default))
    assert "name" not in page.context["adminform"].form.fields  # read-only to it
    response = client.post(add_url(ExAnteTemplate), template_data())
    assert response.status_code == 200
    assert "您只能设置本区划的模板" in page_text(response)


# -- savings -------------------------------------------------------------------------------------


def savings_url():
    return reverse("admin:evaluations_exanteassessment_savings")


def test_the_bureau_reads_the_savings_of_a_region_and_year(client, roles):
    people = {"department": roles.department, "reviewer": roles.reviewer}
    assessed(new_project(roles, name="甲"), **people, requested="1033.496")
    assessed(
        new_project(roles, name="乙"),
        **people,
        requested="9298.22276",
        conclusion=Conclusion.ADJUST,
        supported="8000",
    )
    assessed(
        new_project(roles, name="丙"),
        **people,
        requested="300.5",
        grades="中" * 10,
        conclusion=Conclusion.REJECT,
    )
    client.force_login(roles.reviewer)
    assert savings_url() in client.get(changelist_url(ExAnteAssessment)).content.decode()

    text = page_text(client.get(savings_url(), {"region": roles.region.pk, "year": 2022}))

    assert "已出具结论的项目 3 个 其中：予以支持 1 个 调整后支持 1 个 不予支持 1 个" in text
    assert "申请资金 10,632.21876 万元 核定资金 9,033.496 万元 节约资金 1,598.72276 万元" in text


@pytest.mark.parametrize("who", ["department", "firm"])
def test_the_savings_are_the_bureaus(client, roles, who):
    client.force_login(getattr(roles, who))
    assert client.get(savings_url()).status_code == 403
    assert savings_url() not in client.get(changelist_url(ExAnteAssessment)).content.decode()


def test_a_forged_step_with_an_invalid_form_is_refused_too(client, roles, own):
    grade_all(own, roles.reviewer)
    client.force_login(roles.department)
    response = client.post(step_url(own, "conclude"), {"revision": own.revision})
    assert response.status_code == 403


def test_the_list_takes_the_same_queries_for_2_assessments_and_6(client, roles):
    def listing_queries():
        client.force_login(roles.reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(changelist_url(ExAnteAssessment)).status_code == 200
        return len(captured)

    people = {"department": roles.department, "reviewer": roles.reviewer}
    for name in "甲乙":
        assessed(new_project(roles, name=name), **people)
    few = listing_queries()
    for name in "丙丁戊己":
        assessed(new_project(roles, name=name), **people)
    assert listing_queries() == few
