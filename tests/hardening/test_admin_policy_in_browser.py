"""The admin works in Chromium under its content security policy: nothing is refused.

The admin's login goes through django-axes, which is switched on here as in production.
"""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from evaluations.models import UnitEvaluation
from tests.browser.conftest import CHROMIUM

PASSWORD = "a-long-passphrase-1"
# Record every refusal before the page's own scripts run.
WATCH_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture
def superuser(transactional_db, django_user_model, settings):
    settings.AXES_ENABLED = True
    return django_user_model.objects.create_superuser("root", password=PASSWORD)


def in_own_thread(function, *args):
    # Playwright's sync API will not start where another instance's event loop runs (the
    # browser tests' session-wide Chromium, in the same pytest run); a new thread has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def visit_admin(base: str, urls: list[str]) -> dict:
    """Log in, open each admin page, untick "select all" on the last (the export page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15_000)
        page.add_init_script(WATCH_VIOLATIONS)
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(base + reverse("admin:login"))
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(base + reverse("admin:index"))
        seen = {}
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            seen[url] = page.evaluate("window.violations")
        fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
        page.locator("input.select-toggle").uncheck()
        result = {
            "violations": seen,
            "after toggle": page.evaluate("window.violations"),
            "fields": fields.count(),
            "still ticked": sum(box.is_checked() for box in fields.all()),
            "console": [text for text in console if "Content Security Policy" in text],
        }
        browser.close()
    return result


def test_the_admin_runs_under_its_policy(live_server, superuser, huaxi_2021):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests (make browser)")
        pytest.skip("Debian's chromium is not installed (make browser)")
    record = UnitEvaluation.objects.order_by("pk").first()
    urls = [
        reverse("admin:index"),
        reverse("admin:evaluations_unitevaluation_changelist"),
        reverse("admin:evaluations_unitevaluation_change", args=[record.pk]),
        reverse("admin:evaluations_unitevaluation_history", args=[record.pk]),
        reverse("admin:evaluations_unitevaluation_import"),
        reverse("admin:evaluations_unitevaluation_export"),
    ]

    result = in_own_thread(visit_admin, live_server.url, urls)

    assert result["violations"] == {url: [] for url in urls}
    # The export page's "select all" box ran its inline handler, allowed by its hash.
    assert result["fields"] > 1
    assert result["still ticked"] == 0
    assert result["after toggle"] == []
    assert result["console"] == []
