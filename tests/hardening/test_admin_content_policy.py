"""The admin has a content security policy of its own: inline styles, scripts from here only."""

import base64
import hashlib
import re

import pytest
from django.urls import reverse

INLINE_SCRIPT = r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
JAVASCRIPT_URL = r"javascript:"
HANDLER = r'\son[a-z]+="([^"]*)"'


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def handler_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="a-long-passphrase-1")


def test_the_admin_policy_allows_scripts_from_this_site_only(client, db):
    policy = directives(client.get(reverse("admin:login"))["Content-Security-Policy"])

    assert policy["script-src"][:2] == ["'self'", "'unsafe-hashes'"]
    assert all(source.startswith("'sha256-") for source in policy["script-src"][2:])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    for name in ("default-src", "img-src", "font-src", "connect-src", "form-action"):
        assert all(source in ("'self'", "data:") for source in policy[name]), name
    assert policy["object-src"] == policy["frame-ancestors"] == ["'none'"]


def first_record(client, changelist):
    found = re.search(rf'href="({changelist}\d+/change/)', client.get(changelist).content.decode())
    return found and found.group(1)


def test_admin_pages_hold_no_script_the_policy_refuses(client, superuser, huaxi_2021):
    client.force_login(superuser)
    home = reverse("admin:index")
    index = client.get(home).content.decode()
    changelists = sorted(set(re.findall(rf'href="({home}\w+/\w+/)"', index)))
    records = [first_record(client, url) for url in changelists]
    pages = [
        reverse("admin:index"),
        *changelists,
        *filter(None, records),
        reverse("admin:evaluations_unitevaluation_import"),
        reverse("admin:evaluations_unitevaluation_export"),
        reverse("admin:evaluations_project_export"),
    ]
    handlers = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        allowed = directives(response["Content-Security-Policy"])["script-src"]
        assert not re.search(INLINE_SCRIPT, body), url
        assert not re.search(JAVASCRIPT_URL, body), url
        for code in re.findall(HANDLER, body):
            assert handler_hash(code) in allowed, (url, code)
            handlers.add(code)

    assert handlers == {"onSelectToggleChange(event)"}
