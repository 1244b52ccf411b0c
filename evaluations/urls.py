"""Public pages: /, /<region>/, /<region>/<year>/ and its tables and figures, the public
detail pages of a unit (its history across years) and of a project, and the areas built on
them (report, charts, search and downloads, result application), each listing its own
urlpatterns. The <region:…> and <year:…> converters are evaluations.converters."""

from django.urls import path

from .views import (
    application,
    charts,
    report,
    search,
)
from .views import results as views

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<region:region_code>/", views.region_detail, name="region"),
    path("<region:region_code>/units/<id:unit_id>/", views.unit_detail, name="unit"),
    path("<region:region_code>/<year:year>/", views.overview, name="overview"),
    path("<region:region_code>/<year:year>/summary.json", views.summary_json, name="summary"),
    path("<region:region_code>/<year:year>/units/", views.unit_results, name="units"),
    path("<region:region_code>/<year:year>/projects/", views.project_results, name="projects"),
    path(
        "<region:region_code>/<year:year>/projects/<id:number>/",
        views.project_detail,
        name="project",
    ),
    *report.urlpatterns,
    *charts.urlpatterns,
    *search.urlpatterns,
    *application.urlpatterns,
]
