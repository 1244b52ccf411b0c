"""The public pages to a screen reader and a keyboard: language, landmarks, a skip link, every
form field labelled, every table captioned with its header cells scoped, and nothing inline
that the content security policy would block."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from evaluations.models import Firm, Unit
from evaluations.workflow import Role

from .builders import (
    add_key_project,
    add_role_user,
    add_self_evaluation,
    add_sheet,
    add_target,
    spread_leaves,
)
from .markup import form_fields, tables

pytestmark = pytest.mark.django_db

# The pages built from the templates this suite holds to every rule below.
OWN_PAGES = [
    "/",
    "/520111/2021/units/",
    "/520111/2021/units/?grade=优&kind=township",
    "/520111/2021/units/?grade=甲",
    "/520111/2021/projects/",
    "/520111/2022/projects/1/",
    "/search/",
    "/search/?q=镇",
    "/520111/2021/downloads/",
]
# Every public page: all are laid out by base.html.
ALL_PAGES = [
    *OWN_PAGES,
    "/520111/",
    "/520111/2021/",
    "/520111/units/{unit}/",
    "/no-such-page/",
]
OWN_TEMPLATES = [
    "base.html",
    "evaluations/index.html",
    "evaluations/results.html",
    "evaluations/_table.html",
    "evaluations/project.html",
    "evaluations/_targets.html",
    "evaluations/_sheet.html",
    "evaluations/search.html",
    "evaluations/downloads.html",
]


@pytest.fixture
def site(huaxi_2021):
    """The 2021 tables, and a 2022 project with its target, self-evaluation and sheet."""
    unit = Unit.objects.get(name="贵阳市花溪区教育局")
    firm = Firm.objects.get(name="北京信府科技有限责任公司")
    department = add_role_user("dept", Role.DEPARTMENT, units=[unit])
    reviewer = add_role_user("reviewer", Role.REVIEWER)
    project = add_key_project(huaxi_2021, 2022, unit=unit, firm=firm)
    target = add_target(
        region=huaxi_2021,
        year=2022,
        unit=unit,
        department=department,
        reviewer=reviewer,
        leaves=spread_leaves(4),
        evaluation=project,
    )
    add_self_evaluation(target=target, department=department, reviewer=reviewer)
    add_sheet(project=project, firm_user=add_role_user("firm", Role.FIRM, firm=firm))
    return {"unit": unit.pk}


def get(client, site, page):
    response = client.get(page.format(**site))
    assert response.status_code in (200, 404), page
    return response


class _Outline(HTMLParser):
    """The document's language, landmarks, first focusable element and element ids."""

    FOCUSABLE = ("a", "button", "input", "select", "textarea")

    def __init__(self):
        super().__init__()
        self.lang = None
        self.landmarks: list[tuple[str, dict]] = []
        self.first_focusable = None
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("header", "nav", "main", "footer") or attrs.get("role") == "search":
            self.landmarks.append((tag, attrs))
        if self.first_focusable is None and tag in self.FOCUSABLE:
            self.first_focusable = (tag, attrs)


def outline(response) -> _Outline:
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


# The pages are read in a loop, not one test each: the site is built once per test.


def test_every_page_is_in_chinese_with_landmarks_and_a_skip_link_first(client, site):
    for page in ALL_PAGES:
        parsed = outline(get(client, site, page))
        assert parsed.lang == "zh-Hans", page
        tags = [tag for tag, _ in parsed.landmarks]
        assert tags.count("header") == tags.count("main") == tags.count("footer") == 1, page
        tag, attrs = parsed.first_focusable
        assert (tag, attrs["href"], attrs["class"]) == ("a", "#main", "skip-link"), page
        assert "main" in parsed.ids, page


def test_every_nav_and_search_landmark_has_its_own_name(client, site):
    for page in ALL_PAGES:
        parsed = outline(get(client, site, page))
        named = [
            attrs.get("aria-label") or attrs.get("aria-labelledby")
            for tag, attrs in parsed.landmarks
            if tag == "nav" or attrs.get("role") == "search"
        ]
        assert all(named), page
        assert len(named) == len(set(named)), page


def test_every_page_has_the_labelled_site_search(client, site):
    for page in ALL_PAGES:
        form = form_fields(get(client, site, page))
        (box,) = [field for field in form.fields if field.get("id") == "site-search-q"]
        assert box["name"] == "q" and "site-search-q" in form.label_for, page


def test_every_form_field_has_a_label(client, site):
    for page in OWN_PAGES:
        form = form_fields(get(client, site, page))
        for field in form.fields:
            assert field.get("id") in form.label_for or field.get("aria-label"), (page, field)


def test_the_filters_are_labelled(client, site):
    form = form_fields(client.get("/520111/2021/units/"))
    assert {"id_q", "id_firm", "id_grade", "id_kind"} <= form.label_for


def test_every_table_has_a_caption_and_scoped_header_cells(client, site):
    for page in OWN_PAGES:
        for table in tables(get(client, site, page)):
            assert table.caption, page
            assert all(scope in ("col", "row", "rowgroup") for _, scope in table.headers), page


def test_the_project_page_tables_are_captioned(client, site):
    captions = [table.caption for table in tables(client.get("/520111/2022/projects/1/"))]
    assert captions == ["资金明细", "预算执行情况", "绩效指标完成情况", "第三方机构评价评分"]


def test_a_sortable_column_says_how_it_is_sorted(client, site):
    body = client.get("/520111/2021/units/", {"sort": "-score"}).content.decode()
    assert re.search(r'<th scope="col" class="[^"]*" aria-sort="descending">\s*<a [^>]*>得分', body)


def test_the_table_regions_can_be_reached_and_named(client, site):
    body = client.get("/520111/2021/units/").content.decode()
    assert (
        '<div class="table-scroll stack-on-phone" role="region" aria-label="部门整体绩效评价"'
        ' tabindex="0">' in body
    )


def test_each_cell_names_its_column_for_the_phone_layout(client, site):
    body = client.get("/520111/2021/units/").content.decode()
    assert re.search(r'<td\s+data-label="被评单位"><a href="/520111/units/\d+/">', body)
    assert re.search(r'<td class="num" data-label="得分">96.00</td>', body)


# Inline code: the content security policy allows scripts and styles from the site's own
# files only (script-src 'self'; style-src 'self').
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("name", OWN_TEMPLATES)
def test_no_template_of_these_pages_holds_inline_script_or_style(name):
    source = (Path(settings.BASE_DIR) / "templates" / name).read_text()
    for pattern, what in INLINE:
        assert not pattern.search(source), f"{name} holds {what}"


def test_no_page_built_from_them_holds_inline_script_or_style(client, site):
    for page in OWN_PAGES:
        body = get(client, site, page).content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(body), f"{page} holds {what}"
