"""System checks of the deployment this app relies on (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def login_throttling_behind_a_proxy(app_configs, **kwargs):
    """Behind a TLS proxy every request comes from the proxy's address: unless the app is
    told how many proxies append to X-Forwarded-For, django-axes locks a username out for
    everyone at once, and anyone can lock any account with a few wrong passwords."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXY_COUNT:
        return [
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER is set but TRUSTED_PROXY_COUNT is 0: login "
                "throttling would see every client as the proxy's address.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the site "
                "(README, 生产部署).",
                id="evaluations.W001",
            )
        ]
    return []
