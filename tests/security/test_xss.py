"""Markup typed into any free-text field is shown as text everywhere, never run.

Every CharField and TextField of every evaluations model holds the payload (tests/security/
world.py); then every public page reachable from / (and its JSON and CSV), every admin
changelist and change page the bureau opens, and the annual report's .docx must carry it
escaped: never `<script>alert(1)` or an `<img … onerror=` tag, JSON valid with the payload
as a string, the .docx's XML well formed with the payload as text.
"""

import csv
import io
import json
import zipfile
from collections import Counter
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from evaluations.models import Region
from evaluations.services.report import report_texts_load
from tests.conftest import DATA
from tests.fuzz.malformed import XSS_PAYLOAD
from tests.security.pages import body_of, crawl
from tests.security.world import SHORT_PAYLOAD, empty_models, hostile_world, poison

pytestmark = pytest.mark.django_db

# What escaped markup can never contain; the first two are the payloads' own start tags.
UNESCAPED = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ADMIN = "/" + settings.ADMIN_URL


@pytest.fixture
def poisoned(huaxi_2021):
    report_texts_load(region=huaxi_2021, year=2021, path=DATA / "report-narrative.json")
    people = hostile_world(huaxi_2021)
    User.objects.update(first_name=SHORT_PAYLOAD, last_name=XSS_PAYLOAD[:150])
    people.written = poison()
    cache.clear()
    return people


def test_every_model_with_free_text_carries_the_payload(poisoned):
    assert empty_models() == []
    assert {"Region", "Unit", "Firm", "Project", "WorkflowEvent", "Problem", "ReportText"} <= set(
        poisoned.written
    )


def unescaped_in(text: str) -> list[str]:
    return [marker for marker in UNESCAPED if marker in text]


def strings(value):
    """Yield every string a parsed JSON document holds, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def check_pages(pages: dict) -> tuple[list, Counter]:
    """Return the problems found in the pages, and how often each kind of body was seen."""
    problems, kinds = [], Counter()
    for path, response in pages.items():
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        body = body_of(response)
        if "html" in content_type:
            text = body.decode()
            kinds["html"] += 1
            kinds["html escaped"] += ESCAPED in text
            problems += [(path, marker) for marker in unescaped_in(text)]
        elif "json" in content_type:
            kinds["json"] += 1
            kinds["json payload"] += any(XSS_PAYLOAD in text for text in strings(json.loads(body)))
        elif "csv" in content_type:
            kinds["csv"] += 1
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            kinds["csv payload"] += any(XSS_PAYLOAD in cell for row in rows for cell in row)
    return problems, kinds


def test_every_public_page_shows_the_payload_as_text(client, poisoned):
    pages = crawl(client, "/", inside="/", outside=(ADMIN, "/static/", settings.STATIC_URL))

    problems, kinds = check_pages(pages)

    assert not problems, problems
    assert kinds["html"] > 20 and kinds["html escaped"] > 5, kinds


def test_the_json_and_csv_endpoints_carry_the_payload_as_a_string(client, poisoned):
    region = Region.objects.get(code="520111")
    paths = [f"/520111/{year}/summary.json" for year in (2021, 2022)]
    pages = crawl(client, "/520111/2021/downloads/", inside="/520111/", outside=(ADMIN,))
    pages |= {path: client.get(path) for path in paths}

    problems, kinds = check_pages(pages)

    assert not problems, problems
    assert kinds["json"] and kinds["json payload"], kinds
    assert region.name.startswith(("<img", "<script"))
    if kinds["csv"]:
        assert kinds["csv payload"], kinds


def admin_pages(client) -> dict:
    pages = {}
    for model in admin.site._registry:
        opts = model._meta
        try:
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        pages[changelist] = client.get(changelist)
        for pk in model.objects.order_by("-pk").values_list("pk", flat=True)[:2]:
            try:
                change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            except NoReverseMatch:
                continue
            pages[change] = client.get(change)
    return pages


@pytest.mark.parametrize("who", ["reviewer", "publisher", "department", "firm_user"])
def test_every_admin_list_and_change_page_shows_the_payload_as_text(client, poisoned, who):
    client.force_login(getattr(poisoned, who))
    pages = admin_pages(client)
    pages |= crawl(client, ADMIN, inside=ADMIN, outside=(ADMIN + "logout/",))

    problems, kinds = check_pages(pages)

    assert not problems, problems
    assert kinds["html escaped"] > 10, kinds


def test_the_report_docx_carries_the_payload_as_text(client, poisoned):
    response = client.get("/520111/2021/report.docx")
    assert response.status_code == 200
    body = body_of(response)

    with zipfile.ZipFile(io.BytesIO(body)) as package:
        xml = package.read("word/document.xml")
    document = ElementTree.fromstring(xml)  # well formed, or this raises

    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = "".join(node.text or "" for node in document.iter(f"{namespace}t"))
    assert XSS_PAYLOAD in texts or SHORT_PAYLOAD in texts
    tags = {node.tag.split("}")[0].lstrip("{") for node in document.iter()}
    assert all(tag.startswith("http") for tag in tags), tags  # no element the payload made
    assert b"<script" not in xml and b"<img" not in xml
