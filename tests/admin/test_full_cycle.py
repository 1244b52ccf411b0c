"""A year of one unit evaluation, every step taken in the admin by the role whose turn it is."""

from decimal import Decimal

from evaluations.models import UnitEvaluation, WorkflowEvent
from evaluations.workflow import State
from tests.views.pages import page_text

from .pages import admin_url, fire, form_data, messages_of


def edit(client, user, record, **changes):
    client.force_login(user)
    page = client.get(admin_url(record))
    response = client.post(admin_url(record), form_data(page, **changes))
    assert response.status_code == 302, messages_of(response)


def step(client, user, record, name, **kwargs):
    client.force_login(user)
    record.refresh_from_db()
    assert client.get(admin_url(record, "transition", name)).status_code == 200
    response = fire(client, record, name, **kwargs)
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    return response


def test_a_unit_evaluation_goes_from_draft_to_the_public(client, roles):
    record = roles.unit_evaluation(State.DRAFT, firm=None, self_score=None)

    edit(client, roles.department, record, self_score="96.5")
    step(client, roles.department, record, "submit")
    step(client, roles.reviewer, record, "assign", firm=roles.firm_a)
    assert record.firm == roles.firm_a
    edit(client, roles.firm, record, score="78")
    step(client, roles.firm, record, "submit_score")
    step(client, roles.reviewer, record, "return_to_firm", comment="得分依据不足，请补充")
    edit(client, roles.firm, record, score="82.25")
    step(client, roles.firm, record, "submit_score")
    step(client, roles.reviewer, record, "approve")
    response = step(client, roles.publisher, record, "release")

    assert "已公开" in " ".join(messages_of(response))
    assert (record.state, record.score, record.grade) == (State.RELEASED, Decimal("82.25"), "良")
    assert record.released_at is not None
    events = WorkflowEvent.objects.filter(object_id=record.pk).order_by("at", "pk")
    assert [(e.action, e.from_state, e.to_state, e.actor.username) for e in events] == [
        ("submit", State.DRAFT, State.SUBMITTED, "dept"),
        ("assign", State.SUBMITTED, State.ASSIGNED, "reviewer"),
        ("submit_score", State.ASSIGNED, State.SCORED, "firm"),
        ("return_to_firm", State.SCORED, State.RETURNED_TO_FIRM, "reviewer"),
        ("submit_score", State.RETURNED_TO_FIRM, State.SCORED, "firm"),
        ("approve", State.SCORED, State.APPROVED, "reviewer"),
        ("release", State.APPROVED, State.RELEASED, "publisher"),
    ]
    assert events[3].comment == "得分依据不足，请补充"
    scores = [
        (h.score, h.history_user.username)
        for h in UnitEvaluation.history.filter(id=record.pk).order_by("history_date")
        if h.history_user is not None
    ]
    assert (Decimal("78.00"), "firm") in scores
    assert (Decimal("82.25"), "firm") in scores
    assert scores[-1] == (Decimal("82.25"), "publisher")


def test_the_change_form_lists_the_records_events(client, roles):
    record = roles.unit_evaluation(State.SCORED)
    step(client, roles.reviewer, record, "return_to_firm", comment="请补充佐证材料")
    client.force_login(roles.firm)

    page = client.get(admin_url(record)).content.decode()

    assert "流程记录" in page
    assert "退回第三方修改" in page and "请补充佐证材料" in page
    assert "第三方已评分 → 已退回第三方" in page


def test_the_history_page_shows_who_changed_the_score_from_what_to_what(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED, score=Decimal("65"))
    edit(client, roles.firm, record, score="70")
    step(client, roles.firm, record, "submit_score")

    text = page_text(client.get(admin_url(record, "history")))

    assert "firm 已修改 得分：65.00 → 70.00" in text
    assert "firm 已修改 状态：已委托第三方 → 第三方已评分" in text


def test_an_old_version_can_be_viewed_but_not_restored(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    edit(client, roles.firm, record, score="70")
    first = UnitEvaluation.history.filter(id=record.pk).earliest("history_date")
    url = admin_url(record, "simple_history", first.history_id)

    assert client.get(url).status_code == 200
    assert client.post(url, {"score": "88.5", "_save": "1"}).status_code == 403
    record.refresh_from_db()
    assert record.score == Decimal("70.00")
