"""The self-evaluation table in the admin: started from an approved target, filled by the
department, scored by the service, its warnings shown in words, reviewed by the bureau."""

import pytest

from evaluations.models import SelfEvaluation, WorkflowEvent
from evaluations.services.self_evaluations import self_evaluation_start
from evaluations.workflow import FilingState
from tests.views.pages import page_text

from .filings import add_url, approved_target, filer, page_data, row_prefix, step_url
from .pages import admin_url, changelist_url, listed_ids, messages_of

MET = {"新增公办幼儿园学位": "1200", "项目按期完工率": "100", "普惠率": "90", "家长满意度": "95"}


def started(roles, **kw):
    target = approved_target(roles, **kw)
    return self_evaluation_start(target=target, user=filer(roles, target.unit))


def fill(client, evaluation, actual=MET, **changes):
    page = client.get(admin_url(evaluation))
    for name, value in actual.items():
        changes[f"{row_prefix(page, name)}-actual_value"] = value
    return client.post(admin_url(evaluation), page_data(page, **changes))


def test_each_role_lists_only_the_tables_in_its_scope(client, roles):
    own = started(roles)
    other = started(roles, unit=roles.other_unit, name="低保资金")

    for user, ids in {
        roles.department: {own.pk},
        roles.reviewer: {own.pk, other.pk},
        roles.publisher: {own.pk, other.pk},
    }.items():
        client.force_login(user)
        assert listed_ids(client.get(changelist_url(SelfEvaluation))) == ids, user
    client.force_login(roles.firm)
    assert client.get(changelist_url(SelfEvaluation)).status_code == 403
    client.force_login(roles.department)
    assert client.get(admin_url(other)).status_code == 404


def test_the_department_starts_a_table_from_an_approved_target(client, roles):
    target = approved_target(roles)
    client.force_login(roles.department)

    response = client.post(add_url(SelfEvaluation), {"target": target.pk, "funding_line": ""})

    evaluation = SelfEvaluation.objects.get()
    assert response.status_code == 302 and response.url == admin_url(evaluation)
    assert evaluation.version == target.approved_version
    assert evaluation.entries.count() == 4
    form = client.get(add_url(SelfEvaluation)).context["adminform"].form
    assert list(form.fields["target"].queryset) == []  # one table per target


def test_the_total_shown_is_the_one_the_service_computed(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)

    response = fill(client, evaluation, spent="476.604")

    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (100, "优")
    page = client.get(admin_url(evaluation))
    readonly = {
        field.field["name"]: field.contents()
        for fieldset in page.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly
    }
    assert readonly["total"] == str(evaluation.total)
    assert readonly["grade"] == "优"
    assert readonly["execution_rate_shown"] == "100%"
    entry = page.context["inline_admin_formsets"][0].formset.forms[0].instance
    assert (entry.ceiling, entry.score, entry.missed) == (30, 30, False)


def test_the_computed_columns_are_not_editable(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)

    page = client.get(admin_url(evaluation))

    row = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert {"ceiling", "score", "missed"}.isdisjoint(row.fields)
    assert {"actual_value", "tier", "applicable", "entered_score", "reason"} <= set(row.fields)
    assert {"total", "grade", "execution_score"}.isdisjoint(page.context["adminform"].form.fields)


def test_warnings_are_shown_by_level_in_words(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)
    assert fill(client, evaluation, spent="200").status_code == 302

    page = client.get(admin_url(evaluation))

    levels = {w["label"] for w in page.context["warnings"]}
    assert levels == {"阻止提交", "红色预警", "黄色预警"}
    text = page_text(page)
    assert "【阻止提交】预算执行率 41.96% 低于90%，须说明原因" in text
    assert "【黄色预警】" in text and "【红色预警】" in text
    client.force_login(roles.reviewer)
    assert "【红色预警】" in page_text(client.get(admin_url(evaluation)))


def test_a_table_with_a_blocking_warning_is_not_submitted(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)
    fill(client, evaluation, spent="200")
    evaluation.refresh_from_db()

    response = client.post(step_url(evaluation, "submit"), {"revision": evaluation.revision})

    assert response.status_code == 200
    assert "须说明原因" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.state == FilingState.DRAFT


def test_a_score_above_the_formula_is_refused_and_the_page_kept(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)
    page = client.get(admin_url(evaluation))
    prefix = row_prefix(page, "普惠率")

    response = fill(
        client,
        evaluation,
        actual=MET | {"普惠率": "80"},
        spent="476.604",
        **{f"{prefix}-entered_score": "30", f"{prefix}-reason": "已尽力"},
    )

    assert response.status_code == 200
    assert any("超过允许的" in m for m in messages_of(response))
    assert 'value="80"' in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.total is None
    assert evaluation.entries.get(indicator__name="普惠率").actual_value == ""


def test_the_table_goes_from_the_department_to_the_bureau(client, roles):
    evaluation = started(roles)
    client.force_login(roles.department)
    fill(client, evaluation, spent="476.604", conclusion="目标全部完成")
    evaluation.refresh_from_db()
    assert (
        client.post(step_url(evaluation, "submit"), {"revision": evaluation.revision}).status_code
        == 302
    )

    client.force_login(roles.reviewer)
    evaluation.refresh_from_db()
    response = client.post(step_url(evaluation, "approve"), {"revision": evaluation.revision})

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.state == FilingState.APPROVED
    actions = WorkflowEvent.objects.filter(object_id=evaluation.pk).values_list("action", flat=True)
    assert {"self_evaluation_submit", "self_evaluation_approve"} <= set(actions)


@pytest.mark.parametrize(
    ("name", "state", "who"),
    [
        ("submit", FilingState.DRAFT, "reviewer"),
        ("approve", FilingState.SUBMITTED, "department"),
        ("return", FilingState.SUBMITTED, "publisher"),
        ("reopen", FilingState.APPROVED, "department"),
    ],
)
def test_a_forged_transition_by_the_wrong_role_changes_nothing(client, roles, name, state, who):
    evaluation = started(roles)
    SelfEvaluation.objects.filter(pk=evaluation.pk).update(state=state)
    evaluation.refresh_from_db()
    events = WorkflowEvent.objects.count()
    client.force_login(getattr(roles, who))

    assert client.get(step_url(evaluation, name)).status_code == 403
    data = {"revision": evaluation.revision, "comment": "伪造"}
    assert client.post(step_url(evaluation, name), data).status_code == 403

    before = (evaluation.state, evaluation.revision)
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.revision) == before
    assert WorkflowEvent.objects.count() == events


def test_a_table_left_on_an_adjusted_target_offers_to_move_onto_the_new_version(client, roles):
    from evaluations.models import SelfEvaluation
    from evaluations.services.self_evaluations import self_evaluation_start
    from evaluations.services.targets import target_adjust, target_review, target_submit
    from tests.admin.filings import approved_target

    target = approved_target(roles)
    evaluation = self_evaluation_start(target=target, user=roles.department)
    version = target_adjust(target=target, user=roles.department, reason="调整")
    target_submit(version=version, user=roles.department)
    target_review(version=version, user=roles.reviewer, grade="优")
    client.force_login(roles.department)
    url = f"/admin/evaluations/selfevaluation/{evaluation.pk}/change/"
    page = client.get(url).content.decode()
    assert "按调整后的目标重新生成" in page
    step = f"/admin/evaluations/selfevaluation/{evaluation.pk}/step/restart/"
    client.post(step, {"revision": evaluation.revision, "comment": ""})
    assert SelfEvaluation.objects.get().version == version
