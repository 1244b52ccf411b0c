"""Indicator frameworks in the admin: the bureau's, shown as a tree with its problems, and
fixed once a target or a sheet uses them."""

import pytest

from evaluations.models import Framework, IndicatorNode, Region
from tests.views.pages import page_text

from .filings import add_url, page_data, project_target
from .pages import admin_url, changelist_url, listed_ids, messages_of


@pytest.fixture
def defaults(db):
    return {f.purpose: f for f in Framework.objects.filter(region__isnull=True)}


@pytest.fixture
def regional(roles):
    """A third-party template of the region whose points do not add up and whose 产出 and
    效益 weigh too little."""
    framework = Framework.objects.create(
        purpose=Framework.Purpose.THIRD_PARTY, name="花溪区第三方评价", region=roles.region
    )
    for position, (name, points) in enumerate((("决策", 50), ("过程", 20), ("产出", 20))):
        first = IndicatorNode.objects.create(
            framework=framework, level=1, position=position, name=name, points=points
        )
        second = IndicatorNode.objects.create(
            framework=framework, parent=first, level=2, name=f"{name}二级", points=points
        )
        IndicatorNode.objects.create(
            framework=framework, parent=second, level=3, name=f"{name}三级", points=points - 1
        )
    return framework


@pytest.mark.parametrize("who", ["department", "firm", "stranger"])
def test_only_the_bureau_opens_the_templates(client, roles, defaults, who):
    client.force_login(getattr(roles, who))

    assert client.get(changelist_url(Framework)).status_code == 403
    assert client.get(admin_url(defaults["third_party"])).status_code == 403


def test_the_bureau_lists_the_defaults_and_its_regions_templates(client, roles, defaults, regional):
    elsewhere = Region.objects.create(code="520112", name="乌当区")
    foreign = Framework.objects.create(purpose="third_party", name="乌当区模板", region=elsewhere)
    bound = roles.login("huaxi-reviewer", "reviewer", region=roles.region)
    expected = {defaults["self_evaluation"].pk, defaults["third_party"].pk, regional.pk}

    for user in (bound, roles.publisher):
        client.force_login(user)
        listed = listed_ids(client.get(changelist_url(Framework)))
        assert expected <= listed
    client.force_login(bound)
    assert foreign.pk not in listed_ids(client.get(changelist_url(Framework)))


def test_the_tree_is_shown_indented_with_its_points(client, roles, defaults):
    client.force_login(roles.reviewer)

    page = client.get(admin_url(defaults["third_party"]))

    html = page.content.decode()
    assert (
        '<ul class="indicator-tree"><li class="level-1">决策（20分）<ul><li class="level-2">'
        in html
    )
    assert '<li class="level-3">立项依据充分性（4分）</li>' in html
    assert messages_of(page) == []


def test_the_trees_problems_are_told_on_its_page(client, roles, regional):
    client.force_login(roles.reviewer)

    messages = messages_of(client.get(admin_url(regional)))

    assert "分值不符：“决策” › “决策二级”为 50 分，其下级指标合计 49 分，两者应相等" in messages
    assert "分值不符：一级指标合计 90 分，应为 100 分" in messages
    assert any(m.startswith("权重提示：产出和效益指标合计占") for m in messages)


def test_a_self_evaluation_templates_library_is_not_a_problem(client, roles, defaults):
    client.force_login(roles.reviewer)

    assert messages_of(client.get(admin_url(defaults["self_evaluation"]))) == []


def test_the_reviewer_edits_a_node_and_the_publisher_only_looks(client, roles, regional):
    client.force_login(roles.reviewer)
    page = client.get(admin_url(regional))
    rows = page.context["inline_admin_formsets"][0].formset.forms
    prefix = next(r.prefix for r in rows if r.instance.name == "决策三级")

    response = client.post(admin_url(regional), page_data(page, **{f"{prefix}-points": "50"}))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert IndicatorNode.objects.get(name="决策三级").points == 50
    client.force_login(roles.publisher)
    assert client.get(admin_url(regional)).context["has_change_permission"] is False
    response = client.post(admin_url(regional), {"name": "改名", "_continue": "1"})
    assert response.status_code == 403


def test_a_node_must_sit_under_the_level_above(client, roles, regional):
    client.force_login(roles.reviewer)
    page = client.get(admin_url(regional))
    rows = page.context["inline_admin_formsets"][0].formset.forms
    prefix = next(r.prefix for r in rows if r.instance.name == "决策三级")
    first = regional.nodes.get(name="决策")

    response = client.post(admin_url(regional), page_data(page, **{f"{prefix}-parent": first.pk}))

    assert response.status_code == 200
    assert "请选择所属的二级指标" in response.content.decode()


def test_a_template_in_use_keeps_its_points_and_says_why(client, roles, defaults):
    used = defaults["self_evaluation"]
    project_target(roles)
    client.force_login(roles.reviewer)

    page = client.get(admin_url(used))

    assert any("该模板已被1个绩效目标版本使用" in m for m in messages_of(page))
    assert "execution_points" not in page.context["adminform"].form.fields
    row = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert {"points", "level", "parent"}.isdisjoint(row.fields)
    first = IndicatorNode.objects.get(framework=used, name="产出指标")
    data = page_data(page, execution_points="20")
    data[f"{row.prefix}-points"] = "70"
    client.post(admin_url(used), data)
    first.refresh_from_db()
    used.refresh_from_db()
    assert (first.points, used.execution_points) == (50, 10)


def test_a_region_bound_reviewer_keeps_only_its_regions_templates(
    client, roles, defaults, regional
):
    bound = roles.login("huaxi-reviewer", "reviewer", region=roles.region)
    client.force_login(bound)

    assert client.get(admin_url(regional)).context["has_change_permission"] is True
    assert client.get(admin_url(defaults["third_party"])).context["has_change_permission"] is False
    response = client.post(
        add_url(Framework),
        {
            "purpose": "self_evaluation",
            "name": "默认模板",
            "region": "",
            "execution_points": "10",
            "denominator": "full_year",
            "score_places": "2",
            "nodes-TOTAL_FORMS": "0",
            "nodes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "您只能设置本区划的模板" in page_text(response)
