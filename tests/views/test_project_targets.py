"""/<region>/<year>/projects/<number>/: the project's approved target, its approved
self-evaluation (target against actual, scores, budget execution) and the firm's sheet."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Firm, IndicatorNode, SelfEvaluationEntry, ThirdPartySheet, Unit
from evaluations.scoring import Tier
from evaluations.selectors.public_filings import Status, indicator_status
from evaluations.services.self_evaluations import (
    self_evaluation_save,
    self_evaluation_transition,
)
from evaluations.services.targets import (
    target_adjust,
    target_review,
    target_submit,
    target_version_update,
)
from evaluations.workflow import FilingState, Role

from .builders import (
    add_key_project,
    add_role_user,
    add_self_evaluation,
    add_sheet,
    add_target,
    leaf,
    spread_leaves,
)
from .pages import page_text, url

pytestmark = pytest.mark.django_db

YEAR = 2022
PAGE = url("520111", YEAR, "projects/1/")

LEAVES = [
    leaf("产出指标", "数量指标", "新增学位数", 30, "≥100个", core=True),
    leaf("产出指标", "时效指标", "按时完工率", 20, "≥100%"),
    leaf("效益指标", "社会效益指标", "普惠率", 20, "≥85%"),
    leaf("效益指标", "可持续影响指标", "长效机制", 10, "建立", quantitative=False),
    leaf("满意度指标", "服务对象满意度指标", "家长满意度", 5, "满意", quantitative=False),
    leaf("满意度指标", "服务对象满意度指标", "教师满意度", 5, "≥90%"),
]
RESULTS = {
    "新增学位数": {"actual_value": "70个", "reason": "场地建设延期，已督促施工方加快进度"},
    "按时完工率": {"actual_value": "100%"},
    "普惠率": {"actual_value": "50%", "reason": "民办园转普惠进度滞后"},
    "长效机制": {"actual_value": "/"},
    "家长满意度": {"tier": Tier.PARTLY, "entered_score": Decimal("3"), "reason": "个别投诉"},
    "教师满意度": {"actual_value": "92%"},
}


@pytest.fixture
def people(huaxi):
    unit = Unit.objects.create(region=huaxi, name="贵阳市花溪区教育局", kind="department")
    firm = Firm.objects.create(name="北京信府科技有限责任公司")
    return SimpleNamespace(
        region=huaxi,
        unit=unit,
        firm=firm,
        department=add_role_user("dept", Role.DEPARTMENT, units=[unit]),
        reviewer=add_role_user("reviewer", Role.REVIEWER),
        firm_user=add_role_user("firm", Role.FIRM, firm=firm),
    )


def filed(people, *, number=1, leaves=LEAVES, results=RESULTS, state=FilingState.APPROVED):
    """Return a released project with an approved target and a self-evaluation in state."""
    project = add_key_project(
        people.region,
        YEAR,
        number=number,
        name=f"学前教育项目{number}",
        unit=people.unit,
        firm=people.firm,
    )
    target = add_target(
        region=people.region,
        year=YEAR,
        unit=people.unit,
        department=people.department,
        reviewer=people.reviewer,
        leaves=leaves,
        evaluation=project,
    )
    add_self_evaluation(
        target=target,
        department=people.department,
        reviewer=people.reviewer,
        results=results,
        state=state,
        spent=Decimal("95"),
        goal_actual="新增学位70个，普惠率50%",
    )
    return project, target


@pytest.fixture
def text(client, people):
    filed(people)
    return page_text(client.get(PAGE))


def test_it_shows_the_approved_goal_and_its_actual_completion(text):
    assert "绩效目标与完成情况 绩效目标为经批复的第 1 版" in text
    assert "年度总体目标 学前教育项目1年度总体目标 实际完成情况 新增学位70个，普惠率50%" in text


@pytest.mark.parametrize(
    "row",
    [
        "新增学位数（核心指标） ≥100个 70个 30 21.00 部分达成 场地建设延期，已督促施工方加快进度",
        "按时完工率 ≥100% 100% 20 20.00 达成",
        "普惠率 ≥85% 50% 20 11.76 未达成 民办园转普惠进度滞后",
        "长效机制 建立 / 10 — 不适用",
        "家长满意度 满意 — 5 3.00 部分达成 个别投诉",
        "教师满意度 ≥90% 92% 5 5.00 达成",
    ],
)
def test_it_shows_each_indicator_target_against_actual_with_its_status(text, row):
    assert row in text


def test_it_groups_the_indicators_under_their_first_and_second_level_with_points(client, people):
    filed(people)
    body = client.get(PAGE).content.decode()
    assert '<th scope="rowgroup" rowspan="2" class="group">产出指标（50分）</th>' in body
    assert '<th scope="rowgroup" rowspan="1" class="group">数量指标</th>' in body
    assert '<th scope="rowgroup" rowspan="2" class="group">服务对象满意度指标</th>' in body
    assert "满意度指标（10分）" in body


def test_a_status_is_a_word_the_colour_only_repeats(client, people):
    filed(people)
    body = client.get(PAGE).content.decode()
    for status in Status:
        assert f'<span class="status status-{status.value}">{status.label}</span>' in body


def test_it_states_the_status_rule(text):
    assert "未达到、但按评分公式仍可得该指标分值 60% 及以上的，为“部分达成”" in text


def test_it_shows_budget_execution(text):
    assert "全年预算数（万元） 全年执行数（万元） 执行率 分值 得分 100 95 95.00% 10 9.50" in text


def test_it_shows_the_computed_self_evaluation_total_and_the_third_party_score(text):
    # 9.50 + 21 + 20 + 11.76 + 3 + 5 = 70.26 of 90 possible (长效机制 n/a), rescaled to 100.
    assert "自评总分 78.07 分 中 计算得出" in text
    assert "第三方机构评分 91.13 分 优" in text


def test_it_shows_the_third_party_sheet_by_indicator_with_findings(client, people):
    project, _ = filed(people)
    add_sheet(project=project, firm_user=people.firm_user, summary="项目管理较规范")
    text = page_text(client.get(PAGE))
    # 17 三级 indicators, 0.50 deducted from each: 100 − 8.50.
    assert (
        "第三方机构评价评分 北京信府科技有限责任公司按评价指标体系逐项评分，合计 91.50 分 优"
        in (text)
    )
    assert (
        "决策（20分）得 17.00 分 项目立项 立项依据充分性 4 3.50 立项依据充分性：未发现问题" in text
    )
    assert "效益（30分）得 29.00 分 项目效益 实施效益 20 19.50" in text
    assert "综合评价结论 项目管理较规范" in text


def test_a_sheet_still_being_scored_is_not_shown(client, people):
    project, _ = filed(people)
    add_sheet(project=project, firm_user=people.firm_user)
    ThirdPartySheet.objects.filter(project=project).update(total=None)
    assert "第三方机构评价评分" not in page_text(client.get(PAGE))


@pytest.mark.parametrize("state", [FilingState.DRAFT, FilingState.SUBMITTED])
def test_a_self_evaluation_not_yet_approved_shows_no_figures(client, people, state):
    filed(people, state=state)
    text = page_text(client.get(PAGE))
    assert "本项目的绩效自评结果尚未审核公开，下表仅列绩效目标" in text
    assert "新增学位数（核心指标） ≥100个 30" in text
    for figure in ("70个", "21.00", "自评总分", "全年执行数", "部分达成", "场地建设延期"):
        assert figure not in text
    assert "新增学位70个" not in text


def test_a_reopened_self_evaluation_is_withdrawn_from_the_page(client, people):
    _, target = filed(people)
    self_evaluation_transition(
        self_evaluation=target.self_evaluation, user=people.reviewer, name="reopen", comment="更正"
    )
    assert "70个" not in page_text(client.get(PAGE))


def test_a_target_with_only_a_submitted_version_shows_nothing(client, people):
    project = add_key_project(people.region, YEAR, unit=people.unit)
    add_target(
        region=people.region,
        year=YEAR,
        unit=people.unit,
        department=people.department,
        reviewer=people.reviewer,
        leaves=LEAVES,
        evaluation=project,
        approve=False,
    )
    text = page_text(client.get(PAGE))
    assert "绩效目标与完成情况" not in text
    assert "新增学位数" not in text
    assert "年度总体目标" not in text


def test_an_adjustment_under_way_does_not_replace_the_version_in_force(client, people):
    _, target = filed(people)
    pending = target_adjust(target=target, user=people.department, reason="资金调减")
    target_version_update(
        version=pending, user=people.department, changes={"overall_goal": "调整后尚未批复的目标"}
    )
    text = page_text(client.get(PAGE))
    assert "学前教育项目1年度总体目标" in text
    assert "调整后尚未批复的目标" not in text
    assert "资金调减" not in text


def test_after_an_approved_adjustment_it_shows_the_new_version_and_not_the_old_figures(
    client, people
):
    _, target = filed(people)
    pending = target_adjust(target=target, user=people.department, reason="资金调减")
    target_version_update(
        version=pending, user=people.department, changes={"overall_goal": "调整后的目标"}
    )
    target_review(
        version=target_submit(version=pending, user=people.department),
        user=people.reviewer,
        grade="优",
    )
    text = page_text(client.get(PAGE))
    assert "绩效目标为经批复的第 2 版" in text
    assert "目标调整原因：资金调减 年度总体目标 调整后的目标" in text
    assert "自评表依据第 1 版目标填报，与现行的第 2 版不同，逐项完成情况不予对照列出" in text
    assert "新增学位数（核心指标） ≥100个 — 30 — —" in text


def test_an_indicator_first_marked_slash_then_given_a_value_is_scored(client, people):
    _, target = filed(
        people, results={**RESULTS, "按时完工率": {"actual_value": "/"}}, state=FilingState.DRAFT
    )
    evaluation = target.self_evaluation
    node = evaluation.entries.get(indicator__name="按时完工率").indicator
    evaluation = self_evaluation_save(
        self_evaluation=evaluation,
        user=people.department,
        entries={node.pk: {"actual_value": "100%"}},
    )
    for user, name in ((people.department, "submit"), (people.reviewer, "approve")):
        evaluation = self_evaluation_transition(self_evaluation=evaluation, user=user, name=name)
    assert "按时完工率 ≥100% 100% 20 20.00 达成" in page_text(client.get(PAGE))


def test_indicator_names_and_reasons_are_escaped(client, people):
    script = "<script>alert(1)</script>"
    leaves = [dict(spec) for spec in LEAVES]
    leaves[0]["name"] = f"新增学位数{script}"
    results = dict(RESULTS)
    results[leaves[0]["name"]] = {"actual_value": "70个", "reason": f"延期{script}"}
    filed(people, leaves=leaves, results=results)
    body = client.get(PAGE).content.decode()
    assert script not in body
    assert "新增学位数&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "延期&lt;script&gt;alert(1)&lt;/script&gt;" in body


def queries_at(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


# The project with its region, unit, firm (1) and funding lines (1); the target with its
# version in force (1) and the version's indicators (1); the approved self-evaluation with
# its framework and version (1) and its entries (1); the completed sheet (1) and its
# scores with their 二级 and 一级 (1).
FILED_PROJECT_BUDGET = 8


def test_the_query_count_is_the_same_for_3_indicators_and_40(client, people):
    for number, count in ((1, 3), (2, 40)):
        project, _ = filed(people, number=number, leaves=spread_leaves(count), results={})
        add_sheet(project=project, firm_user=people.firm_user)
    few = queries_at(client, url("520111", YEAR, "projects/1/"))
    many = queries_at(client, url("520111", YEAR, "projects/2/"))
    assert few == many == FILED_PROJECT_BUDGET
    body = client.get(url("520111", YEAR, "projects/2/")).content.decode()
    assert body.count('<span class="status status-met">达成</span>') == 40


@pytest.mark.parametrize(
    ("operator", "target", "actual", "expected"),
    [
        ("≥", "100", "100", Status.MET),
        ("≥", "100", "60", Status.PARTLY),
        ("≥", "100", "59.99", Status.MISSED),
        (">", "100", "100", Status.PARTLY),
        ("≤", "10", "10", Status.MET),
        ("≤", "6", "10", Status.PARTLY),
        ("≤", "5.99", "10", Status.MISSED),
        ("=", "100", "120", Status.PARTLY),
        ("=", "100", "0", Status.MISSED),
    ],
)
def test_a_quantitative_status_follows_the_operator_and_the_60_percent_rule(
    operator, target, actual, expected
):
    indicator = IndicatorNode(
        level=3, name="x", points=10, operator=operator, target_number=Decimal(target)
    )
    entry = SelfEvaluationEntry(actual_number=Decimal(actual))
    assert indicator_status(indicator, entry) == expected


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (Tier.MET, Status.MET),
        (Tier.PARTLY, Status.PARTLY),
        (Tier.MISSED, Status.MISSED),
        ("", None),
    ],
)
def test_a_qualitative_status_follows_the_tier(tier, expected):
    indicator = IndicatorNode(level=3, name="x", points=10, quantitative=False)
    assert indicator_status(indicator, SelfEvaluationEntry(tier=tier)) == expected


def test_an_indicator_marked_not_applicable_is_not_applicable():
    indicator = IndicatorNode(level=3, name="x", points=10, operator="≥", target_number=1)
    entry = SelfEvaluationEntry(applicable=False, actual_number=Decimal(0))
    assert indicator_status(indicator, entry) == Status.NOT_APPLICABLE
