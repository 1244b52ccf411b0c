"""A transition is confirmed on its own page: what, from which state to which, and why."""

from evaluations.models import FirmRecusal, WorkflowEvent
from evaluations.workflow import State

from .pages import admin_url, fire, messages_of, transition_url


def events_of(record):
    return WorkflowEvent.objects.filter(object_id=record.pk)


def test_the_confirmation_shows_the_record_and_its_move(client, roles):
    record = roles.unit_evaluation(State.SCORED)
    client.force_login(roles.reviewer)

    response = client.get(transition_url(record, "return_to_firm"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "花溪区教育局" in page and "第三方已评分 → <strong>已退回第三方</strong>" in page
    assert response.context["form"]["version"].value() == record.version
    assert response.context["form"].fields["comment"].required


def test_a_return_without_a_reason_is_refused(client, roles):
    record = roles.unit_evaluation(State.SCORED)
    client.force_login(roles.reviewer)

    response = fire(client, record, "return_to_firm", comment="  ")

    assert response.status_code == 200
    assert "退回第三方修改必须填写理由" in response.content.decode()
    record.refresh_from_db()
    assert record.state == State.SCORED and not events_of(record).exists()


def test_a_stale_confirmation_is_refused_with_a_conflict_message(client, roles):
    record = roles.unit_evaluation(State.SCORED)
    client.force_login(roles.reviewer)
    shown = client.get(transition_url(record, "approve")).context["form"]["version"].value()
    record.version += 1  # someone else acted on the record meanwhile
    record.save()

    response = fire(client, record, "approve", version=shown)

    assert response.status_code == 302
    assert response["Location"] == admin_url(record)
    assert "已被他人处理" in " ".join(messages_of(response))
    record.refresh_from_db()
    assert (record.state, record.version) == (State.SCORED, 2)
    assert not events_of(record).exists()


def test_assigning_offers_the_records_firm_first(client, roles):
    record = roles.unit_evaluation(State.SUBMITTED, firm=roles.firm_b)
    client.force_login(roles.reviewer)

    form = client.get(transition_url(record, "assign")).context["form"]

    assert form["firm"].value() == roles.firm_b.pk


def test_assigning_a_recused_firm_is_refused_with_the_reason(client, roles):
    FirmRecusal.objects.create(firm=roles.firm_a, unit=roles.own_unit, reason="曾为该单位编制预算")
    record = roles.unit_evaluation(State.SUBMITTED, firm=roles.firm_b)
    client.force_login(roles.reviewer)

    response = fire(client, record, "assign", firm=roles.firm_a)

    assert response.status_code == 200
    assert "曾为该单位编制预算" in response.content.decode()
    record.refresh_from_db()
    assert (record.state, record.firm) == (State.SUBMITTED, roles.firm_b)
    assert not events_of(record).exists()


def test_assigning_another_firm_changes_the_records_firm(client, roles):
    record = roles.unit_evaluation(State.SUBMITTED, firm=roles.firm_b)
    client.force_login(roles.reviewer)

    fire(client, record, "assign", firm=roles.firm_a)

    record.refresh_from_db()
    assert (record.state, record.firm) == (State.ASSIGNED, roles.firm_a)


def test_a_transition_that_is_not_ready_says_why(client, roles):
    record = roles.unit_evaluation(State.DRAFT, self_score=None)
    client.force_login(roles.department)

    response = fire(client, record, "submit")

    assert response.status_code == 200
    assert "请先填写自评得分" in response.content.decode()
    record.refresh_from_db()
    assert record.state == State.DRAFT


def test_a_record_returned_to_its_unit_leaves_the_firms_view(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    client.force_login(roles.reviewer)

    response = fire(client, record, "return_to_unit", comment="自评材料不全")

    assert response["Location"] == admin_url(record)
    client.force_login(roles.firm)
    assert client.get(admin_url(record)).status_code == 404
