"""Public results pages: /, /<region>/, /<region>/<year>/ and its tables and figures, and the
public detail pages of a unit (its history across years) and of a project."""

from django.urls import path, register_converter

from . import views


class RegionCodeConverter:
    regex = "[0-9]{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(RegionCodeConverter, "region")
register_converter(YearConverter, "year")

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<region:region_code>/", views.region_detail, name="region"),
    path("<region:region_code>/units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("<region:region_code>/<year:year>/", views.overview, name="overview"),
    path("<region:region_code>/<year:year>/summary.json", views.summary_json, name="summary"),
    path("<region:region_code>/<year:year>/units/", views.unit_results, name="units"),
    path("<region:region_code>/<year:year>/projects/", views.project_results, name="projects"),
    path(
        "<region:region_code>/<year:year>/projects/<int:number>/",
        views.project_detail,
        name="project",
    ),
]
