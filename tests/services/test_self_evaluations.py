"""The self-evaluation table scored against hand-computed figures (财预〔2020〕10号 att. 1)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import FundingLine, SelfEvaluation
from evaluations.services.self_evaluations import (
    self_evaluation_save,
    self_evaluation_start,
    self_evaluation_transition,
)
from evaluations.services.targets import target_adjust, target_review, target_submit
from evaluations.services.workflow import WorkflowError
from evaluations.workflow import FilingState, State

from .filings import D, approved_target, leaf, standard_tree

pytestmark = pytest.mark.django_db


def ids(evaluation):
    return {
        e.indicator.name: e.indicator_id for e in evaluation.entries.select_related("indicator")
    }


def fill(world, evaluation, budget, spent, actuals, **changes):
    by_name = ids(evaluation)
    entries = {by_name[name]: values for name, values in actuals.items()}
    return self_evaluation_save(
        self_evaluation=evaluation,
        user=world.department,
        changes={"full_year_budget": D(budget), "spent": D(spent), **changes},
        entries=entries,
    )


MET = {
    "新增公办幼儿园学位": {"actual_value": "1200个"},
    "项目按期完工率": {"actual_value": "100%"},
    "普惠性幼儿园覆盖率": {"actual_value": "86%"},
    "家长满意度": {"actual_value": "95%"},
}


def started(world, **kw):
    target = approved_target(world, **kw)
    return self_evaluation_start(target=target, user=world.department)


def test_a_table_is_started_from_the_approved_version_one_entry_per_indicator(world):
    evaluation = started(world)
    assert evaluation.version_id == evaluation.target.approved_version_id
    assert list(ids(evaluation)) == list(MET)
    assert evaluation.full_year_budget == D("476.604")


def test_no_table_before_the_target_is_approved(world):
    from .filings import project_target

    target = project_target(world)
    with pytest.raises(WorkflowError, match="尚未批复"):
        self_evaluation_start(target=target, user=world.department)


def test_targets_met_and_money_spent_score_the_full_hundred(world):
    evaluation = fill(world, started(world), "476.604", "476.604", MET)
    assert (evaluation.execution_rate, evaluation.execution_score) == (D("100.00"), D("10.00"))
    assert evaluation.total == D("100.00")
    assert evaluation.grade == "优"
    assert evaluation.warnings == []


def test_a_missed_greater_than_target_scores_actual_over_target_and_owes_a_reason(world):
    # 执行率 450 ÷ 476.604 = 94.42 % → 9.44; 学位 1080 ÷ 1200 × 30 = 27.00;
    # 总分 9.44 + 27 + 20 + 30 + 10 = 96.44.
    actuals = {**MET, "新增公办幼儿园学位": {"actual_value": "1080个"}}
    evaluation = fill(world, started(world), "476.604", "450", actuals)
    assert evaluation.execution_rate == D("94.42")
    assert evaluation.execution_score == D("9.44")
    entry = evaluation.entries.get(indicator__name="新增公办幼儿园学位")
    assert (entry.ceiling, entry.score, entry.missed) == (D("27.00"), D("27.00"), True)
    assert evaluation.total == D("96.44")
    assert [w["level"] for w in evaluation.warnings] == ["block"]
    with pytest.raises(WorkflowError, match="偏差原因分析及改进措施"):
        self_evaluation_transition(self_evaluation=evaluation, user=world.department, name="submit")
    evaluation = self_evaluation_save(
        self_evaluation=evaluation,
        user=world.department,
        entries={entry.indicator_id: {"reason": "两所幼儿园延期至次年9月开园"}},
    )
    submitted = self_evaluation_transition(
        self_evaluation=evaluation, user=world.department, name="submit"
    )
    assert submitted.state == FilingState.SUBMITTED


def test_a_missed_less_than_target_scores_target_over_actual(world):
    tree = standard_tree(output=[leaf("返工率", "≤2%", 50)])
    evaluation = started(world, tree=tree)
    actuals = {
        "返工率": {"actual_value": "2.5%", "reason": "雨季施工"},
        "普惠性幼儿园覆盖率": {"actual_value": "86%"},
        "家长满意度": {"actual_value": "95%"},
    }
    evaluation = fill(world, evaluation, "100", "100", actuals)
    # 2 ÷ 2.5 × 50 = 40.00; 总分 10 + 40 + 30 + 10 = 90.00, exactly 优.
    assert evaluation.entries.get(indicator__name="返工率").score == D("40.00")
    assert evaluation.total == D("90.00")
    assert evaluation.grade == "优"


def test_an_overspent_budget_scores_no_more_than_ten(world):
    evaluation = fill(world, started(world), "476.604", "500", MET)
    assert evaluation.execution_rate == D("104.91")
    assert evaluation.execution_score == D("10.00")
    assert evaluation.total == D("100.00")


def test_a_zero_budget_is_not_divided_by_and_the_rest_is_rescaled(world):
    actuals = {**MET, "新增公办幼儿园学位": {"actual_value": "1080个", "reason": "延期"}}
    evaluation = fill(world, started(world), "0", "0", actuals)
    assert evaluation.execution_rate is None
    assert evaluation.execution_score is None
    # (27 + 20 + 30 + 10) ÷ 90 × 100 = 96.666… → 96.67
    assert evaluation.total == D("96.67")
    assert any("预算数为0" in w["message"] for w in evaluation.warnings)


def test_a_qualitative_indicator_takes_a_score_within_its_tier(world):
    tree = standard_tree(output=[leaf("资金拨付", "按月安排", 50, quantitative=False)])
    evaluation = started(world, tree=tree)
    actuals = {
        "资金拨付": {"actual_value": "部分月份延迟", "tier": "partly", "entered_score": D("30")},
        "普惠性幼儿园覆盖率": {"actual_value": "86%"},
        "家长满意度": {"actual_value": "95%"},
    }
    with pytest.raises(WorkflowError, match="低于该档次"):
        fill(
            world,
            evaluation,
            "100",
            "100",
            {**actuals, "资金拨付": {**actuals["资金拨付"], "entered_score": D("20")}},
        )
    evaluation = fill(world, SelfEvaluation.objects.get(), "100", "100", actuals)
    assert evaluation.entries.get(indicator__name="资金拨付").score == D("30.00")
    assert evaluation.total == D("80.00")


def test_a_score_above_the_formula_is_refused_and_nothing_is_saved(world):
    evaluation = started(world)
    actuals = {**MET, "新增公办幼儿园学位": {"actual_value": "1080个", "entered_score": D("29")}}
    with pytest.raises(WorkflowError, match="超过允许的 27.00 分"):
        fill(world, evaluation, "476.604", "476.604", actuals)
    evaluation.refresh_from_db()
    assert evaluation.total is None
    assert evaluation.spent == 0


def test_a_lower_execution_score_needs_a_reason(world):
    evaluation = fill(world, started(world), "100", "100", MET, execution_entered=D("9"))
    assert evaluation.total == D("99.00")
    assert "预算执行得分低于公式结果，须说明扣分理由" in [w["message"] for w in evaluation.warnings]


def test_execution_below_ninety_percent_needs_a_reason_and_below_fifty_is_flagged(world):
    evaluation = fill(world, started(world), "100", "40", MET)
    messages = [w["message"] for w in evaluation.warnings]
    assert "预算执行率 40.00% 低于90%，须说明原因（第7项）" in messages
    assert "预算执行率 40.00% 低于50%，列为压减预算对象（第8项）" in messages
    assert any(w["level"] == "red" and "第5项" in w["message"] for w in evaluation.warnings)


def test_not_applicable_indicators_are_dropped_and_the_total_rescaled(world):
    actuals = {**MET, "家长满意度": {"actual_value": "/"}}
    evaluation = fill(world, started(world), "100", "100", actuals)
    entry = evaluation.entries.get(indicator__name="家长满意度")
    assert not entry.applicable
    assert entry.score is None
    assert evaluation.total == D("100.00")


def test_the_region_can_score_on_the_adjusted_budget_with_whole_numbers(world):
    evaluation = started(world)
    framework = evaluation.framework
    framework.denominator, framework.score_places = "adjusted", 0
    framework.save()
    actuals = {**MET, "新增公办幼儿园学位": {"actual_value": "1090个", "reason": "延期"}}
    evaluation = fill(world, evaluation, "500", "450", actuals, adjusted_budget=D("460"))
    # 450 ÷ 460 = 97.83 % → 9.78 → 10; 1090 ÷ 1200 × 30 = 27.25 → 27; 总分 10 + 27 + 60 = 97
    assert evaluation.execution_score == D("10")
    assert evaluation.entries.get(indicator__name="新增公办幼儿园学位").score == D("27")
    assert evaluation.total == D("97")


def test_the_total_becomes_the_key_projects_self_score_while_the_department_holds_it(world):
    project = world.project(State.DRAFT, year=2022)
    target = approved_target(world, evaluation=project)
    line = project.funding_lines.get()
    evaluation = self_evaluation_start(target=target, user=world.department, funding_line=line)
    fill(
        world,
        evaluation,
        "476.604",
        "450",
        {**MET, "新增公办幼儿园学位": {"actual_value": "1080个"}},
    )
    line.refresh_from_db()
    assert line.self_score == D("96.44")
    assert line.history.first().history_user == world.department


def test_once_the_evaluation_is_submitted_a_different_total_is_flagged_not_written(world):
    project = world.project(State.SUBMITTED, year=2022)
    target = approved_target(world, evaluation=project)
    line = project.funding_lines.get()
    evaluation = self_evaluation_start(target=target, user=world.department, funding_line=line)
    evaluation = fill(world, evaluation, "476.604", "476.604", MET)
    assert FundingLine.objects.get().self_score == D("99.90")
    assert any("不一致" in w["message"] for w in evaluation.warnings)


def test_an_adjusted_target_blocks_a_table_started_on_the_old_version(world):
    evaluation = started(world)
    target = evaluation.target
    version = target_adjust(target=target, user=world.department, reason="调整")
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="优")
    evaluation = fill(world, SelfEvaluation.objects.get(), "100", "100", MET)
    with pytest.raises(WorkflowError, match="第15项"):
        self_evaluation_transition(self_evaluation=evaluation, user=world.department, name="submit")


def test_only_the_owning_department_edits_and_only_in_its_turn(world):
    evaluation = fill(world, started(world), "100", "100", MET)
    for user in (world.firm_user, world.stranger):
        with pytest.raises(PermissionDenied):
            self_evaluation_save(self_evaluation=evaluation, user=user, changes={"spent": D(1)})
    self_evaluation_transition(self_evaluation=evaluation, user=world.department, name="submit")
    with pytest.raises(PermissionDenied):
        self_evaluation_save(
            self_evaluation=evaluation, user=world.department, changes={"spent": D(1)}
        )
    approved = self_evaluation_transition(
        self_evaluation=evaluation, user=world.reviewer, name="approve"
    )
    assert approved.state == FilingState.APPROVED


def test_entries_outside_the_approved_target_are_refused(world):
    evaluation = started(world)
    with pytest.raises(WorkflowError, match="第15项"):
        self_evaluation_save(
            self_evaluation=evaluation,
            user=world.department,
            entries={999999: {"actual_value": "1"}},
        )
    assert Decimal(0) == SelfEvaluation.objects.get().spent


def test_a_table_still_being_filled_keeps_no_scores_and_lists_what_is_missing(world):
    evaluation = started(world)
    by_name = ids(evaluation)
    evaluation = self_evaluation_save(
        self_evaluation=evaluation,
        user=world.department,
        changes={"spent": D("400")},
        entries={by_name["项目按期完工率"]: {"actual_value": "100%"}},
    )
    assert evaluation.total is None
    assert "“新增公办幼儿园学位”：请填写实际完成值（数值）" in [
        w["message"] for w in evaluation.warnings
    ]
    with pytest.raises(WorkflowError, match="请填写实际完成值"):
        self_evaluation_transition(self_evaluation=evaluation, user=world.department, name="submit")


def test_a_key_project_is_found_by_name_and_its_only_line_takes_the_total(world):
    project = world.project(State.DRAFT, year=2022)
    target = approved_target(world, name=project.name)
    assert target.evaluation == project
    evaluation = self_evaluation_start(target=target, user=world.department)
    assert evaluation.funding_line == project.funding_lines.get()
    fill(world, evaluation, "476.604", "476.604", MET)
    assert project.funding_lines.get().self_score == D("100.00")
