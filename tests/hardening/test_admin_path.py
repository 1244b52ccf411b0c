"""The admin lives on a configurable path (ADMIN_URL); its links and its policy follow it."""

import importlib
import re

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import perfmgmt.urls

from .settings_process import PRODUCTION, settings_in_fresh_process


def serve_urls():
    importlib.reload(perfmgmt.urls)
    clear_url_caches()


@pytest.fixture
def backoffice():
    with override_settings(ADMIN_URL="backoffice/"):
        serve_urls()
        yield
    serve_urls()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="a-long-passphrase-1")


def links(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', page)


def test_the_admin_path_comes_from_the_environment():
    values = settings_in_fresh_process(["ADMIN_URL"], **PRODUCTION, ADMIN_URL="/backoffice")

    assert values == {"ADMIN_URL": "backoffice/"}


def test_the_admin_defaults_to_admin():
    assert settings_in_fresh_process(["ADMIN_URL"], **PRODUCTION) == {"ADMIN_URL": "admin/"}


def test_the_admin_answers_on_its_path_only(client, backoffice, db):
    assert reverse("admin:index") == "/backoffice/"
    assert client.get("/backoffice/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404


def test_every_admin_link_follows_the_path(client, backoffice, superuser):
    client.force_login(superuser)
    index = client.get("/backoffice/").content.decode()
    changelists = sorted(
        {url for url in links(index) if re.fullmatch(r"/backoffice/\w+/\w+/", url)}
    )
    assert len(changelists) > 10

    for url in ["/backoffice/", *changelists]:
        response = client.get(url)
        assert response.status_code == 200, url
        stray = [link for link in links(response.content.decode()) if link.startswith("/admin/")]
        assert not stray, (url, stray)


def test_the_admin_policy_follows_the_path(client, backoffice, db):
    login = client.get("/backoffice/login/")["Content-Security-Policy"]

    assert "style-src 'self' 'unsafe-inline'" in login
    assert "style-src 'self';" in client.get("/admin/login/")["Content-Security-Policy"]
