"""The section nav of a region's year (views.common.year_nav, drawn by base.html): every
section whose page exists, in order, the current one marked; a section not installed is
simply left out."""

import pytest
from django.template.loader import render_to_string
from django.urls import include, path

from evaluations import urls as evaluation_urls
from evaluations.views.common import year_nav

pytestmark = pytest.mark.django_db

# A site without the charts, the report and result application (as before they existed).
WITHOUT = ("charts", "report", "application")
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    pattern
                    for pattern in evaluation_urls.urlpatterns
                    if getattr(pattern, "name", None) not in WITHOUT
                ],
                "evaluations",
            )
        ),
    )
]


def labels(nav):
    return [item["label"] for item in nav["items"]]


def test_it_lists_every_section_of_the_year_in_order(huaxi):
    nav = year_nav(huaxi, 2021, "downloads")
    assert nav["label"] == "花溪区 2021 年度"
    assert labels(nav) == ["概览", "部门整体", "重点项目", "图表", "年度报告", "结果应用", "下载"]
    assert [item["url"] for item in nav["items"]] == [
        "/520111/2021/",
        "/520111/2021/units/",
        "/520111/2021/projects/",
        "/520111/2021/charts/",
        "/520111/2021/report/",
        "/520111/2021/application/",
        "/520111/2021/downloads/",
    ]
    assert [item["name"] for item in nav["items"] if item["current"]] == ["downloads"]


@pytest.mark.urls("tests.views.test_year_nav")
def test_it_leaves_out_a_section_whose_page_does_not_exist(huaxi):
    assert labels(year_nav(huaxi, 2021)) == ["概览", "部门整体", "重点项目", "下载"]


def test_base_html_draws_it_with_the_current_page_marked(client, huaxi_2021):
    body = client.get("/520111/2021/downloads/").content.decode()
    assert '<nav class="year-nav" aria-label="花溪区 2021 年度栏目">' in body
    assert '<li><a href="/520111/2021/units/">部门整体</a></li>' in body
    assert '<a href="/520111/2021/downloads/" class="current" aria-current="page">下载</a>' in body


def test_a_page_within_a_section_marks_the_section_but_not_as_the_page(rf, huaxi):
    request = rf.get("/520111/2021/projects/5/")
    body = render_to_string(
        "base.html", {"year_nav": year_nav(huaxi, 2021, "projects")}, request=request
    )
    assert '<a href="/520111/2021/projects/" class="current" aria-current="true">重点项目</a>' in (
        body
    )


def test_a_page_without_a_year_has_no_year_nav(client, huaxi_2021):
    assert 'class="year-nav"' not in client.get("/search/").content.decode()
