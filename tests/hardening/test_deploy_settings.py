"""Production settings: `check --deploy` is clean, and https and its cookies are the default."""

import pytest
from django.urls import reverse

from .settings_process import PRODUCTION, run, settings_in_fresh_process

SECURITY = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]
LOOPBACK_HTTP = {
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


def test_check_deploy_reports_no_issue_in_production():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_warns_of_a_proxy_whose_clients_throttling_cannot_tell_apart():
    behind_a_proxy = {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "1"}
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    warned = run(check, **behind_a_proxy)
    told = run(check, **behind_a_proxy, TRUSTED_PROXY_COUNT="1")

    assert warned.returncode != 0 and "evaluations.W001" in warned.stderr + warned.stdout
    assert told.returncode == 0, told.stderr


def test_production_defaults_to_https_only_with_secure_cookies():
    values = settings_in_fresh_process([*SECURITY, "SECURE_PROXY_SSL_HEADER"], **PRODUCTION)

    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_plain_http_on_loopback_is_an_explicit_opt_out():
    values = settings_in_fresh_process(SECURITY, **PRODUCTION, **LOOPBACK_HTTP)

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False


def test_debug_serves_http_without_hsts():
    values = settings_in_fresh_process(SECURITY, DEBUG="1")

    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_a_tls_proxy_is_trusted_only_when_asked():
    values = settings_in_fresh_process(
        ["SECURE_PROXY_SSL_HEADER"], **PRODUCTION, SECURE_PROXY_SSL_HEADER="1"
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_can_be_shortened_while_https_is_being_tried_out():
    values = settings_in_fresh_process(
        ["SECURE_HSTS_SECONDS"], **PRODUCTION, SECURE_HSTS_SECONDS="3600"
    )

    assert values["SECURE_HSTS_SECONDS"] == 3600


@pytest.fixture
def production_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600


def test_http_is_redirected_to_https(client, production_https, db):
    response = client.get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_https_responses_carry_hsts(client, production_https, db):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_the_session_and_csrf_cookies_are_secure(client, production_https, django_user_model):
    django_user_model.objects.create_user("clerk", password="a-long-passphrase-1", is_staff=True)

    form = client.get(reverse("admin:login"), secure=True)
    login = client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": "a-long-passphrase-1"},
        secure=True,
    )

    assert login.status_code == 302
    assert form.cookies["csrftoken"]["secure"] is True
    assert login.cookies["sessionid"]["secure"] is True
    assert login.cookies["sessionid"]["httponly"] is True
