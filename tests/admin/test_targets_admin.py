"""Performance targets in the admin: each role's scope, the department's edits of the
version being worked on, and the whole cycle of review and adjustment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.indicators import Node
from evaluations.models import PerformanceTarget, Region, TargetVersion, WorkflowEvent
from evaluations.services.targets import target_create
from evaluations.services.workflow import WorkflowError
from evaluations.workflow import FilingState

from .filings import (
    add_url,
    approved_target,
    page_data,
    project_target,
    row_prefix,
    standard_tree,
    step_url,
)
from .pages import admin_url, changelist_url, listed_ids, messages_of


@pytest.fixture
def targets(roles):
    return {
        "own": project_target(roles),
        "other": project_target(roles, unit=roles.other_unit, name="低保资金"),
    }


def test_each_role_lists_only_the_targets_in_its_scope(client, roles, targets):
    expected = {
        roles.department: {targets["own"].pk},
        roles.reviewer: {targets["own"].pk, targets["other"].pk},
        roles.publisher: {targets["own"].pk, targets["other"].pk},
    }
    for user, ids in expected.items():
        client.force_login(user)
        assert listed_ids(client.get(changelist_url(PerformanceTarget))) == ids, user


def test_a_firm_sees_no_targets(client, roles, targets):
    client.force_login(roles.firm)

    assert client.get(changelist_url(PerformanceTarget)).status_code == 403
    assert client.get(admin_url(targets["own"])).status_code in (403, 404)


def test_a_department_cannot_open_another_units_target(client, roles, targets):
    client.force_login(roles.department)

    assert client.get(admin_url(targets["other"])).status_code == 404
    for name in ("submit", "review", "adjust"):
        assert client.get(step_url(targets["other"], name)).status_code == 404
    assert client.get(admin_url(targets["other"], "version", 1)).status_code == 404


def test_the_list_searches_by_project_name(client, roles, targets):
    client.force_login(roles.reviewer)

    response = client.get(changelist_url(PerformanceTarget, "q=低保"))

    assert listed_ids(response) == {targets["other"].pk}


def test_the_department_files_a_target_for_its_own_units_only(client, roles):
    client.force_login(roles.department)
    page = client.get(add_url(PerformanceTarget))

    units = page.context["adminform"].form.fields["unit"].queryset
    assert list(units) == [roles.own_unit]
    response = client.post(
        add_url(PerformanceTarget),
        {
            "unit": roles.other_unit.pk,
            "year": "2022",
            "scope": "project",
            "project_name": "越权项目",
        },
    )
    assert response.status_code == 200
    assert not PerformanceTarget.objects.exists()


def add_target(client, user, unit, **fields):
    client.force_login(user)
    data = {
        "unit": unit.pk,
        "year": "2022",
        "scope": "project",
        "project_name": "学前教育普惠项目",
        "overall_goal": "新增公办学位1200个",
        "funds_total": "476.604",
        **fields,
    }
    return client.post(add_url(PerformanceTarget), data)


def edit(client, target, **changes):
    page = client.get(admin_url(target))
    assert page.status_code == 200
    response = client.post(admin_url(target), page_data(page, **changes))
    assert response.status_code == 302, messages_of(response) or response.content.decode()[:3000]
    return response


def take(client, target, name, **data):
    version = target.versions.order_by("-number").first()
    assert client.get(step_url(target, name)).status_code == 200
    response = client.post(step_url(target, name), {"revision": version.revision, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    return messages_of(response)


def fill_indicators(client, target):
    """Write a 90-point set of indicators into the rows the page offers for new ones."""
    page = client.get(admin_url(target))
    form = page.context["adminform"].form
    groups = dict((label, pk) for pk, label in form.indicators.forms[0].fields["group"].choices[1:])
    new = form.new_rows
    rows = [
        ("产出指标 › 数量指标", "新增公办学位", "≥", "1200", "个", "50"),
        ("效益指标 › 社会效益指标", "普惠率", "≥", "85", "%", "30"),
        ("满意度指标 › 服务对象满意度指标", "家长满意度", "≥", "90", "%", "10"),
    ]
    changes = {}
    for row, (group, name, operator, value, unit, points) in zip(new, rows, strict=True):
        changes |= {
            f"{row.prefix}-group": groups[group],
            f"{row.prefix}-name": name,
            f"{row.prefix}-operator": operator,
            f"{row.prefix}-target_value": value,
            f"{row.prefix}-unit_of_measure": unit,
            f"{row.prefix}-points": points,
        }
    response = client.post(admin_url(target), page_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_target_goes_through_review_and_adjustment_in_the_admin(client, roles):
    response = add_target(client, roles.department, roles.own_unit)
    target = PerformanceTarget.objects.get()
    assert response.status_code == 302
    assert response.url == admin_url(target)

    # The 一级/二级 come from the template; the department writes the 三级 indicators.
    fill_indicators(client, target)
    version = target.versions.get()
    leaves = version.indicators.filter(level=3)
    assert sorted(leaves.values_list("name", flat=True)) == ["家长满意度", "新增公办学位", "普惠率"]
    assert leaves.get(name="普惠率").target_text == "≥85%"

    # Points that do not add up are shown on the page and refuse the submission.
    page = client.get(admin_url(target))
    edit(client, target, **{f"{row_prefix(page, '家长满意度')}-points": "8"})
    page = client.get(admin_url(target))
    assert "“满意度指标”为 10 分，其下级指标合计 8 分，两者应相等" in page.context["problems"]
    response = client.post(step_url(target, "submit"), {"revision": version.revision + 1})
    assert response.status_code == 200
    assert "其下级指标合计 8 分" in response.content.decode()
    version.refresh_from_db()
    assert version.state == FilingState.DRAFT

    edit(client, target, **{f"{row_prefix(page, '家长满意度')}-points": "10"})
    assert client.get(admin_url(target)).context["problems"] == []
    take(client, target, "submit")
    version.refresh_from_db()
    assert version.state == FilingState.SUBMITTED

    # 中 returns it with the bureau's opinion; the department resubmits; 优 approves it.
    client.force_login(roles.reviewer)
    take(client, target, "review", grade="中", comment="请补充质量指标")
    version.refresh_from_db()
    assert (version.state, version.review_grade) == (FilingState.RETURNED, "中")
    client.force_login(roles.department)
    take(client, target, "submit")
    client.force_login(roles.reviewer)
    take(client, target, "review", grade="优")
    target.refresh_from_db()
    assert target.approved_version.number == 1

    # An adjustment is a new version with its reason, approved in its turn.
    client.force_login(roles.department)
    take(client, target, "adjust", comment="学位数调整为1000个")
    second = target.versions.get(number=2)
    assert (second.state, second.reason) == (FilingState.DRAFT, "学位数调整为1000个")
    page = client.get(admin_url(target))
    edit(client, target, **{f"{row_prefix(page, '新增公办学位')}-target_value": "1000"})
    take(client, target, "submit")
    client.force_login(roles.reviewer)
    take(client, target, "review", grade="良", comment="同意调整")

    target.refresh_from_db()
    assert target.approved_version.number == 2
    page = client.get(admin_url(target))
    listed = [(v["version"].number, v["version"].state) for v in page.context["versions"]]
    assert listed == [(2, FilingState.APPROVED), (1, FilingState.SUPERSEDED)]
    first = client.get(admin_url(target, "version", 1))
    assert first.status_code == 200
    assert "≥1200个" in first.content.decode()
    assert "≥1000个" in client.get(admin_url(target, "version", 2)).content.decode()
    actions = set(
        WorkflowEvent.objects.filter(object_id__in=target.versions.values("pk")).values_list(
            "action", flat=True
        )
    )
    assert {"target_submit", "target_return", "target_approve", "target_adjust"} <= actions


def test_a_review_of_fair_or_poor_needs_an_opinion(client, roles):
    target = project_target(roles)
    client.force_login(roles.department)
    take(client, target, "submit")
    client.force_login(roles.reviewer)
    version = target.versions.get()

    response = client.post(
        step_url(target, "review"), {"revision": version.revision, "grade": "差", "comment": ""}
    )

    assert response.status_code == 200
    assert "必须填写审核意见" in response.content.decode()
    version.refresh_from_db()
    assert version.state == FilingState.SUBMITTED


def test_an_approved_version_is_read_only(client, roles):
    target = approved_target(roles)
    client.force_login(roles.department)

    page = client.get(admin_url(target))

    assert page.context["editable"] is False
    assert "overall_goal" not in page.context["adminform"].form.fields
    assert "家长满意度" in page.content.decode()
    response = client.post(admin_url(target), {"overall_goal": "改写", "_continue": "1"})
    assert response.status_code == 403
    assert TargetVersion.objects.get().overall_goal == "新增公办学位，提高普惠率"


def test_only_the_department_is_offered_an_adjustment_of_an_approved_target(client, roles):
    target = approved_target(roles)
    offered = {}
    for user in (roles.department, roles.reviewer, roles.publisher):
        client.force_login(user)
        offered[user.username] = {s["name"] for s in client.get(admin_url(target)).context["steps"]}

    assert offered == {"dept": {"adjust"}, "reviewer": set(), "publisher": set()}


def test_an_adjustment_needs_a_reason(client, roles):
    target = approved_target(roles)
    client.force_login(roles.department)

    response = client.post(step_url(target, "adjust"), {"comment": " "})

    assert response.status_code == 200
    assert "必须填写调整原因" in response.content.decode()
    assert target.versions.count() == 1


def test_a_page_saved_after_someone_else_changed_the_version_is_refused(client, roles):
    target = project_target(roles)
    client.force_login(roles.department)
    stale = client.get(admin_url(target))
    edit(client, target, overall_goal="第一次修改")

    response = client.post(admin_url(target), page_data(stale, overall_goal="旧页面"))

    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert target.versions.get().overall_goal == "第一次修改"


def test_points_of_first_level_indicators_are_fixed_unless_the_template_allows(client, roles):
    target = project_target(roles)
    client.force_login(roles.department)
    assert not any(
        name.startswith("level1_")
        for name in client.get(admin_url(target)).context["adminform"].form.fields
    )
    framework = target.versions.get().framework
    framework.allow_adjustment = True
    framework.save()

    edit(client, target, level1_0="40", level1_2="20")

    roots = dict(target.versions.get().indicators.filter(level=1).values_list("name", "points"))
    assert roots["产出指标"] == Decimal("40.00") and roots["满意度指标"] == Decimal("20.00")


def test_submit_is_refused_while_a_groups_indicators_do_not_add_up_to_it(client, roles):
    tree = standard_tree()
    tree[0].children.append(Node("质量指标", 2, None, []))  # unused, as in the common tree
    target = project_target(roles, tree=tree)
    client.force_login(roles.department)
    page = client.get(admin_url(target))
    edit(client, target, **{f"{row_prefix(page, '新增公办幼儿园学位')}-points": "25"})

    page = client.get(admin_url(target))

    assert any("“产出指标”为 50 分，其下级指标合计 45 分" in p for p in page.context["problems"])


@pytest.mark.parametrize(
    ("name", "state", "who", "data"),
    [
        ("review", FilingState.SUBMITTED, "department", {"grade": "优"}),
        ("review", FilingState.SUBMITTED, "publisher", {"grade": "优"}),
        ("submit", FilingState.DRAFT, "reviewer", {}),
        ("submit", FilingState.RETURNED, "publisher", {}),
    ],
)
def test_a_forged_step_by_the_wrong_role_changes_nothing(client, roles, name, state, who, data):
    target = project_target(roles)
    TargetVersion.objects.filter(target=target).update(state=state)
    version = target.versions.get()
    events = WorkflowEvent.objects.count()
    client.force_login(getattr(roles, who))

    assert client.get(step_url(target, name)).status_code == 403
    response = client.post(step_url(target, name), {"revision": version.revision, **data})

    assert response.status_code == 403
    assert (target.versions.get().state, WorkflowEvent.objects.count()) == (state, events)
    target.refresh_from_db()
    assert target.approved_version is None


def test_a_forged_adjustment_by_the_bureau_opens_no_version(client, roles):
    target = approved_target(roles)
    client.force_login(roles.reviewer)

    assert client.get(step_url(target, "adjust")).status_code == 403
    client.post(step_url(target, "adjust"), {"comment": "财政局自行调整"})

    assert target.versions.count() == 1


def test_the_list_takes_the_same_queries_for_two_targets_and_eight(
    client, roles, targets, django_assert_num_queries
):
    client.force_login(roles.reviewer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(changelist_url(PerformanceTarget)).status_code == 200
    for number in range(6):
        approved_target(roles, name=f"项目{number}")

    with django_assert_num_queries(len(few)):
        response = client.get(changelist_url(PerformanceTarget))
    assert len(listed_ids(response)) == 8


def test_a_forged_adjustment_by_the_bureau_is_forbidden(client, roles):
    target = approved_target(roles)
    client.force_login(roles.reviewer)

    assert client.post(step_url(target, "adjust"), {"comment": "自行调整"}).status_code == 403


def test_a_target_is_filed_only_in_its_units_region(roles):
    elsewhere = Region.objects.create(code="520112", name="乌当区")

    with pytest.raises((PermissionDenied, WorkflowError)):
        target_create(
            user=roles.department,
            region=elsewhere,
            year=2022,
            unit=roles.own_unit,
            scope=PerformanceTarget.Scope.UNIT,
        )


def test_the_audit_trail_lists_a_targets_events(client, roles):
    target = approved_target(roles)
    client.force_login(roles.reviewer)

    listed = listed_ids(client.get(changelist_url(WorkflowEvent)))

    assert (
        set(
            WorkflowEvent.objects.filter(object_id=target.approved_version_id).values_list(
                "pk", flat=True
            )
        )
        <= listed
    )


def test_a_new_indicator_can_start_from_the_templates_library(client, roles):
    target = project_target(roles)
    client.force_login(roles.department)
    page = client.get(admin_url(target))
    form = page.context["adminform"].form
    library = {label: pk for pk, label in form.new_rows[0].fields["library"].choices[1:]}
    new = form.new_rows[0].prefix
    old = row_prefix(page, "家长满意度")

    edit(
        client,
        target,
        **{
            f"{new}-library": library["服务对象满意度指标 › 服务对象满意度"],
            f"{new}-points": "10",
            f"{old}-DELETE": "on",
        },
    )

    picked = target.versions.get().indicators.get(level=3, name="服务对象满意度")
    assert (picked.parent.name, picked.target_text, picked.common) == (
        "服务对象满意度指标",
        "≥90%",
        True,
    )
    assert client.get(admin_url(target)).context["problems"] == []


def test_a_new_indicator_without_a_group_is_refused_with_the_page_kept(client, roles):
    target = project_target(roles)
    client.force_login(roles.department)
    page = client.get(admin_url(target))
    new = page.context["adminform"].form.new_rows[0].prefix

    response = client.post(
        admin_url(target),
        page_data(page, **{f"{new}-name": "无处安放的指标", f"{new}-points": "5"}),
    )

    assert response.status_code == 200
    assert "请选择所属的一级 › 二级指标" in response.content.decode()
    assert 'value="无处安放的指标"' in response.content.decode()
    assert not target.versions.get().indicators.filter(name="无处安放的指标").exists()
