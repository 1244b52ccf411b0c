from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "绩效评价"

    def ready(self):
        from django.urls import register_converter

        from .converters import RegionCodeConverter, YearConverter

        register_converter(RegionCodeConverter, "region")
        register_converter(YearConverter, "year")
