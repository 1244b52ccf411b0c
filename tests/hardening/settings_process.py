"""Read the settings as a fresh process sees them, under a given environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every variable the settings read for the hardening, so the caller's shell cannot leak in.
HARDENING_VARS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_IDLE_MINUTES",
    "ADMIN_URL",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "UPLOAD_MAX_MB",
    # Set by the browser tests for Playwright's event loop; `check --deploy` rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qz9!mR2@vX5$wL8^pN3&bT6*yH1(dF4)gJ0-sC-fresh-50c",
    "ALLOWED_HOSTS": "example.org",
}


def environment(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in HARDENING_VARS}
    env["DJANGO_SETTINGS_MODULE"] = "perfmgmt.settings"
    return {**env, **variables}


def run(args: list[str], **variables) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in_fresh_process(names: list[str], **variables) -> dict:
    """Return the named settings of a new process started with these variables set."""
    script = (
        "import json, sys\n"
        "from django.conf import settings\n"
        "names = json.loads(sys.argv[1])\n"
        "print(json.dumps({n: getattr(settings, n, None) for n in names}, default=str))\n"
    )
    done = run(["-c", script, json.dumps(names)], **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
