"""Login throttling (django-axes): a username is locked out at one address after 5 failures."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from perfmgmt.security import client_address

PASSWORD = "a-long-passphrase-1"
WRONG = "not-the-passphrase"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


@pytest.fixture(autouse=True)
def axes_on(settings):
    # The suite runs with axes off (tests/conftest.py); these tests are about it.
    settings.AXES_ENABLED = True


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password=PASSWORD, is_staff=True)


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("reviewer", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address=HOME):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, times, username="clerk", address=HOME):
    return [log_in(client, username, WRONG, address).status_code for _ in range(times)]


def minutes_pass(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_four_failures_leave_the_login_open(client, clerk):
    assert fail(client, 4) == [200] * 4

    assert log_in(client, "clerk", PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_username_out_with_a_page_in_chinese(client, clerk):
    statuses = fail(client, 5)

    assert statuses == [200, 200, 200, 200, 429]
    page = log_in(client, "clerk", PASSWORD)
    assert page.status_code == 429
    text = page.content.decode()
    assert "登录失败次数过多" in text
    assert "连续 5 次登录失败后，系统锁定 30 分钟" in text
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_username_at_that_address_only(client, clerk, reviewer):
    fail(client, 5)

    assert log_in(client, "reviewer", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "clerk", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_successful_login_resets_the_count(client, clerk):
    fail(client, 4)
    assert log_in(client, "clerk", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, 4) == [200] * 4
    assert log_in(client, "clerk", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, clerk):
    fail(client, 5)
    minutes_pass(29)
    assert log_in(client, "clerk", PASSWORD).status_code == 429

    minutes_pass(2)

    assert log_in(client, "clerk", PASSWORD).status_code == 302


def test_trying_again_during_the_lockout_does_not_prolong_it(client, clerk):
    fail(client, 5)
    minutes_pass(20)
    assert log_in(client, "clerk", PASSWORD).status_code == 429
    assert fail(client, 1) == [429]

    minutes_pass(11)

    assert log_in(client, "clerk", PASSWORD).status_code == 302


def test_the_documented_reset_command_unlocks_the_username(client, clerk):
    fail(client, 5)

    call_command("axes_reset_username", "clerk")

    assert log_in(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "203.0.113.7", "10.0.0.2"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.3", "203.0.113.7"),
        (1, "", "10.0.0.2"),
    ],
    ids=["no proxy", "one proxy", "forged entry", "two proxies", "header missing"],
)
def test_the_address_is_the_one_our_proxies_saw(rf, settings, proxies, forwarded, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")

    assert client_address(request) == address


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "clerk", "password": WRONG},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, {HOME}",
        )

    locked = client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME}",
    )

    assert locked.status_code == 429
