"""Every public page's <title> names the page first, then where it sits (region, year), then
the site, so a tab, a bookmark or a search result says which page it is."""

import re
from html import unescape

import pytest
from django.urls import NoReverseMatch, reverse

from evaluations.models import Unit

pytestmark = pytest.mark.django_db

SITE = "预算绩效管理与公开系统"


def title(response) -> str:
    (found,) = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(unescape(found).split())


def year_pages():
    """The pages of 花溪区 2021 that exist, by url name (some areas may not be installed)."""
    pages = {}
    for name in ("overview", "units", "projects", "charts", "report", "application", "downloads"):
        try:
            pages[name] = reverse(f"evaluations:{name}", args=["520111", 2021])
        except NoReverseMatch:
            continue
    return pages


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "预算绩效评价结果公开"),
        ("/search/", "搜索单位和项目"),
        ("/search/?q=石板", "搜索“石板”"),
        ("/520111/2021/downloads/", "数据下载与字段说明 · 花溪区 2021 年度"),
        ("/520111/2021/projects/5/", "幼儿园公办率及普惠率达标经费 · 花溪区 2021 年重点项目"),
        ("/520111/2021/units/?page=3", "花溪区 2021 年部门整体绩效评价结果（第 3 页）"),
        ("/no-such-page/", "页面不存在"),
    ],
)
def test_it_names_the_page_then_its_place_then_the_site(client, huaxi_2021, path, expected):
    assert title(client.get(path)) == f"{expected} · {SITE}"


def test_every_page_of_a_year_names_its_region_and_year(client, huaxi_2021):
    for name, path in year_pages().items():
        text = title(client.get(path))
        assert "花溪区" in text and "2021" in text, name
        assert text.endswith(f" · {SITE}") and len(text) > len(f" · {SITE}") + 4, name


def test_no_two_public_pages_share_a_title(client, huaxi_2021):
    education = Unit.objects.get(name="贵阳市花溪区教育局")
    paths = [
        "/",
        "/520111/",
        f"/520111/units/{education.pk}/",
        "/520111/2021/projects/1/",
        "/520111/2021/projects/5/",
        "/search/",
        "/search/?q=教育",
        *year_pages().values(),
    ]
    titles = [title(client.get(path)) for path in paths]
    assert len(set(titles)) == len(titles), titles
