from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from evaluations.models import FirmRecusal, UnitEvaluation, WorkflowEvent
from evaluations.policies import allowed_transitions
from evaluations.services.workflow import (
    Conflict,
    WorkflowError,
    evaluation_transition,
    evaluation_transition_many,
    evaluation_update,
)
from evaluations.workflow import TRANSITIONS, Role, State


def events(record):
    return list(
        WorkflowEvent.objects.filter(object_id=record.pk)
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username", "comment")
    )


def test_only_the_publisher_releases_and_withdraws():
    assert {t.name for t in TRANSITIONS.values() if t.role == Role.PUBLISHER} == {
        "release",
        "withdraw",
    }


def test_every_return_and_every_change_to_a_released_record_needs_a_reason():
    needs = {t.name for t in TRANSITIONS.values() if t.needs_comment}
    assert needs == {"return_to_unit", "return_to_firm", "reopen", "reopen_to_unit", "withdraw"}


def test_a_full_cycle_records_every_step_and_every_score_change(world):
    record = world.unit_evaluation(State.DRAFT)
    record.score = None
    record.save()

    record = evaluation_transition(record=record, name="submit", user=world.department)
    record = evaluation_transition(
        record=record, name="assign", user=world.reviewer, firm=world.firm
    )
    record = evaluation_update(
        record=record,
        user=world.firm_user,
        changes={"score": Decimal("79.5")},
        version=record.version,
    )
    record = evaluation_transition(record=record, name="submit_score", user=world.firm_user)
    record = evaluation_transition(
        record=record, name="return_to_firm", user=world.reviewer, comment="满意度指标依据不足"
    )
    record = evaluation_update(
        record=record,
        user=world.firm_user,
        changes={"score": Decimal("81")},
        version=record.version,
    )
    record = evaluation_transition(record=record, name="submit_score", user=world.firm_user)
    record = evaluation_transition(record=record, name="approve", user=world.reviewer)
    record = evaluation_transition(record=record, name="release", user=world.publisher)

    assert (record.state, record.grade) == (State.RELEASED, "良")
    assert record.released_at is not None
    assert events(record) == [
        ("submit", "draft", "submitted", "dept", ""),
        ("assign", "submitted", "assigned", "reviewer", ""),
        ("submit_score", "assigned", "scored", "firm", ""),
        ("return_to_firm", "scored", "returned_to_firm", "reviewer", "满意度指标依据不足"),
        ("submit_score", "returned_to_firm", "scored", "firm", ""),
        ("approve", "scored", "approved", "reviewer", ""),
        ("release", "approved", "released", "publisher", ""),
    ]
    scores = [
        (h.score, h.grade, h.history_user.username if h.history_user else None)
        for h in record.history.order_by("history_id")
        if h.prev_record is None or h.prev_record.score != h.score
    ]
    assert scores[-2:] == [(Decimal("79.50"), "中", "firm"), (Decimal("81.00"), "良", "firm")]


def test_a_return_without_a_reason_is_refused(world):
    record = world.unit_evaluation(State.SCORED)

    with pytest.raises(WorkflowError, match="必须填写理由"):
        evaluation_transition(
            record=record, name="return_to_firm", user=world.reviewer, comment=" "
        )

    record.refresh_from_db()
    assert record.state == State.SCORED


def test_a_returned_party_resumes_where_it_was(world):
    record = world.unit_evaluation(State.SUBMITTED)
    record = evaluation_transition(
        record=record, name="return_to_unit", user=world.reviewer, comment="自评表缺少偏差说明"
    )
    record = evaluation_update(
        record=record,
        user=world.department,
        changes={"self_score": Decimal("90")},
        version=record.version,
    )

    record = evaluation_transition(record=record, name="submit", user=world.department)

    assert record.state == State.SUBMITTED
    assert record.firm == world.firm  # the bureau's choice of firm is kept for the next assign


def test_a_recused_firm_cannot_be_assigned(world):
    FirmRecusal.objects.create(
        firm=world.firm, unit=world.own_unit, reason="该所为被评单位年报审计机构"
    )
    record = world.unit_evaluation(State.SUBMITTED)

    with pytest.raises(WorkflowError, match="须回避.*年报审计机构"):
        evaluation_transition(record=record, name="assign", user=world.reviewer, firm=world.firm)

    record.refresh_from_db()
    assert record.state == State.SUBMITTED


def test_a_record_is_not_assigned_without_a_firm(world):
    record = world.unit_evaluation(State.SUBMITTED)
    UnitEvaluation.objects.filter(pk=record.pk).update(firm=None)
    record.refresh_from_db()

    with pytest.raises(WorkflowError, match="请先选择评价机构"):
        evaluation_transition(record=record, name="assign", user=world.reviewer)


def test_a_firm_cannot_submit_without_a_score(world):
    record = world.unit_evaluation(State.ASSIGNED)
    UnitEvaluation.objects.filter(pk=record.pk).update(score=None)

    with pytest.raises(WorkflowError, match="尚无第三方机构评分"):
        evaluation_transition(record=record, name="submit_score", user=world.firm_user)


def test_a_transition_prepared_on_an_older_version_is_a_conflict(world):
    record = world.unit_evaluation(State.SCORED)
    seen = record.version
    evaluation_transition(record=record, name="approve", user=world.reviewer)

    with pytest.raises(Conflict, match="已被他人处理"):
        evaluation_transition(
            record=record, name="return_to_firm", user=world.reviewer, comment="x", version=seen
        )


def test_a_transition_already_done_by_a_colleague_is_a_conflict_not_a_denial(world):
    record = world.unit_evaluation(State.SCORED)
    evaluation_transition(record=record, name="approve", user=world.reviewer)

    with pytest.raises(Conflict, match="当前状态为“已审核”"):
        evaluation_transition(record=record, name="approve", user=world.reviewer)


def test_an_edit_prepared_on_an_older_version_is_refused_and_keeps_the_first(world):
    record = world.unit_evaluation(State.ASSIGNED)
    seen = record.version
    evaluation_update(record=record, user=world.firm_user, changes={"score": 85}, version=seen)

    with pytest.raises(Conflict):
        evaluation_update(record=record, user=world.firm_user, changes={"score": 70}, version=seen)

    record.refresh_from_db()
    assert record.score == Decimal("85")


@pytest.mark.parametrize(
    ("actor", "state", "field"),
    [
        ("firm_user", State.ASSIGNED, "self_score"),
        ("department", State.DRAFT, "score"),
        ("reviewer", State.APPROVED, "score"),
        ("publisher", State.RELEASED, "score"),
        ("department", State.SUBMITTED, "self_score"),
    ],
)
def test_a_field_outside_the_actors_turn_is_refused(world, actor, state, field):
    record = world.unit_evaluation(state)

    with pytest.raises(PermissionDenied):
        evaluation_update(record=record, user=getattr(world, actor), changes={field: 60})


def test_a_batch_reports_each_item(world):
    ready = world.unit_evaluation(State.SCORED)
    not_ready = world.unit_evaluation(State.ASSIGNED, unit=world.other_unit)

    results = evaluation_transition_many(
        records=[ready, not_ready], name="approve", user=world.reviewer
    )

    assert [(r.pk, message) for r, message in results] == [
        (ready.pk, None),
        (not_ready.pk, f"“{not_ready}”当前状态为“已委托第三方”，不能审核通过"),
    ]


def test_withdrawing_a_released_record_records_why(world):
    record = world.project(State.RELEASED)

    record = evaluation_transition(
        record=record, name="withdraw", user=world.publisher, comment="发现资金明细录入错误"
    )

    assert record.state == State.APPROVED and record.released_at is None
    assert events(record)[-1][-1] == "发现资金明细录入错误"


def test_a_correction_without_a_firm_gets_one_from_the_reviewer(world):
    record = world.project(State.APPROVED)
    type(record).objects.filter(pk=record.pk).update(firm=None)
    record.refresh_from_db()
    record = evaluation_transition(
        record=record, name="reopen", user=world.reviewer, comment="资金明细有误"
    )

    record = evaluation_update(record=record, user=world.reviewer, changes={"firm": world.firm})

    assert record.firm == world.firm
    assert [t.name for t in allowed_transitions(world.firm_user, record)] == ["submit_score"]


def test_a_correction_can_go_back_to_the_department(world):
    record = world.unit_evaluation(State.APPROVED)

    record = evaluation_transition(
        record=record, name="reopen_to_unit", user=world.reviewer, comment="自评得分口径有误"
    )

    assert record.state == State.RETURNED_TO_UNIT
    evaluation_update(record=record, user=world.department, changes={"self_score": Decimal("90")})


def test_a_recusal_filed_after_assignment_stops_approval(world):
    record = world.unit_evaluation(State.SCORED)
    FirmRecusal.objects.create(firm=world.firm, unit=world.own_unit, reason="发现关联关系")

    with pytest.raises(WorkflowError, match="须回避"):
        evaluation_transition(record=record, name="approve", user=world.reviewer)


def test_nothing_about_a_record_outside_the_scope_is_told(world):
    record = world.unit_evaluation(State.SCORED, unit=world.other_unit)

    with pytest.raises(PermissionDenied):
        evaluation_transition(record=record, name="submit", user=world.department, version=99)
