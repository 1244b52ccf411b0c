"""Only superusers bind logins to roles; the audit trail is read-only for everyone."""

from django.contrib.auth.models import Permission, User
from django.urls import reverse

from evaluations.models import UserRole, WorkflowEvent
from evaluations.services.workflow import evaluation_transition
from evaluations.workflow import Role, State

from .pages import admin_url, changelist_url


def test_a_superuser_binds_a_department_login_to_its_units(client, roles):
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
    login = User.objects.create_user("newdept", is_staff=True)

    response = client.post(
        reverse("admin:evaluations_userrole_add"),
        {"user": login.pk, "role": Role.DEPARTMENT, "units": [roles.own_unit.pk], "_save": "1"},
    )

    assert response.status_code == 302
    assert list(UserRole.objects.get(user=login).units.all()) == [roles.own_unit]
    assert client.get(reverse("admin:auth_user_change", args=[login.pk])).status_code == 200


def test_nobody_else_manages_roles_even_with_the_model_permissions(client, roles):
    roles.reviewer.user_permissions.set(Permission.objects.filter(codename__endswith="_userrole"))
    user_role = UserRole.objects.get(user=roles.department)
    for user in roles.by_role.values():
        client.force_login(User.objects.get(pk=user.pk))
        assert client.get(changelist_url(UserRole)).status_code == 403
        assert client.get(admin_url(user_role)).status_code == 403


def test_workflow_events_cannot_be_changed_or_deleted(client, roles):
    record = roles.unit_evaluation(State.DRAFT)
    evaluation_transition(record=record, name="submit", user=roles.department)
    event = WorkflowEvent.objects.get()
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))

    page = client.get(admin_url(event))
    client.post(admin_url(event), {"comment": "改写"})
    client.post(admin_url(event, "delete"), {"post": "yes"})

    assert page.status_code == 200 and "提交自评" in page.content.decode()
    event.refresh_from_db()
    assert event.comment == ""


def test_the_event_list_filters_by_action(client, roles):
    submitted = roles.unit_evaluation(State.DRAFT, year=2020)
    returned = roles.unit_evaluation(State.SUBMITTED, year=2021)
    evaluation_transition(record=submitted, name="submit", user=roles.department)
    evaluation_transition(record=returned, name="return_to_unit", user=roles.reviewer, comment="缺")
    client.force_login(roles.reviewer)

    response = client.get(changelist_url(WorkflowEvent, "action=return_to_unit"))

    assert [e.object_id for e in response.context["cl"].result_list] == [returned.pk]
