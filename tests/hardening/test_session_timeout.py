"""A logged-in session ends after 30 idle minutes; every request moves the end forward."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def clerk(client, django_user_model):
    user = django_user_model.objects.create_user(
        "clerk", password="a-long-passphrase-1", is_staff=True
    )
    client.force_login(user)
    return user


def session_ends(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_expires_after_thirty_idle_minutes(client, clerk):
    ends_in = session_ends(client) - timezone.now()

    assert timedelta(minutes=29) < ends_in <= timedelta(minutes=30)


def test_each_request_moves_the_end_forward(client, clerk):
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))

    assert client.get(reverse("admin:index")).status_code == 200
    assert session_ends(client) - timezone.now() > timedelta(minutes=29)


def test_an_idle_session_is_sent_back_to_the_login(client, clerk):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_session_cookie_ends_with_the_browser(client, django_user_model):
    django_user_model.objects.create_user("clerk", password="a-long-passphrase-1", is_staff=True)

    login = client.post(
        reverse("admin:login"), {"username": "clerk", "password": "a-long-passphrase-1"}
    )

    assert login.cookies["sessionid"]["max-age"] == ""
    assert login.cookies["sessionid"]["expires"] == ""
