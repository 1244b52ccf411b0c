"""Two people editing the same record at once: the first one's work stays, the second is told."""

from decimal import Decimal
from unittest import mock

from evaluations.services.workflow import Conflict
from evaluations.workflow import State

from .pages import admin_url, form_data, messages_of


def test_the_second_edit_of_the_same_version_is_refused_and_keeps_its_input(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    colleague = roles.login("firm-colleague", "firm", firm=roles.firm_a)
    client.force_login(roles.firm)
    page = client.get(admin_url(record))
    first = client.post(admin_url(record), form_data(page, score="81"))
    assert first.status_code == 302
    client.force_login(colleague)

    second = client.post(admin_url(record), form_data(page, score="79"))

    assert second.status_code == 200
    assert "已被他人修改（当前版本 2）" in second.content.decode()
    assert second.context["adminform"].form["score"].value() == "79"
    record.refresh_from_db()
    assert (record.score, record.version) == (Decimal("81.00"), 2)


def test_a_write_that_loses_the_race_after_the_forms_check_changes_nothing(client, roles):
    record = roles.unit_evaluation(State.ASSIGNED)
    client.force_login(roles.firm)
    page = client.get(admin_url(record))
    # Another write landed between the form's version check and the service's locked one.
    lost = Conflict("“2022 花溪区教育局”已被他人处理，您的操作未执行，请刷新后重试")

    with mock.patch("evaluations.admin.results.evaluation_update", side_effect=lost):
        response = client.post(admin_url(record), form_data(page, score="81"))

    assert response.status_code == 302 and response["Location"] == admin_url(record)
    assert "已被他人处理" in " ".join(messages_of(response))
    record.refresh_from_db()
    assert (record.score, record.version) == (None, 1)
