from django.apps import AppConfig
from django.db.backends.signals import connection_created


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "绩效评价"

    def ready(self):
        from . import cache, checks  # noqa: F401  (checks registers itself)

        # Every write to public data, on every connection, invalidates the public pages.
        connection_created.connect(cache.install, dispatch_uid="evaluations.cache.install")
        cache.install_on_open_connections()
