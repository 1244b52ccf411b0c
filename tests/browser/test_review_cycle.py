"""One year's record through every hand, in a real browser: department, bureau, firm, public."""

from decimal import Decimal

import pytest

from evaluations.models import Firm, Unit, UnitEvaluation, WorkflowEvent
from evaluations.roles import role_user_create
from evaluations.services.imports import region_ensure
from evaluations.workflow import Role, State

PASSWORD = "browser-cycle-pw"


@pytest.fixture
def year_2022(transactional_db):
    region = region_ensure(code="520111", name="花溪区")
    unit = Unit.objects.create(region=region, name="贵阳市花溪区教育局", kind="department")
    firm = Firm.objects.create(name="北京信府科技有限责任公司")
    role_user_create(username="dept", role=Role.DEPARTMENT, password=PASSWORD, units=[unit])
    role_user_create(username="firm", role=Role.FIRM, password=PASSWORD, firm=firm)
    role_user_create(username="reviewer", role=Role.REVIEWER, password=PASSWORD)
    role_user_create(username="publisher", role=Role.PUBLISHER, password=PASSWORD)
    return UnitEvaluation.objects.create(region=region, year=2022, unit=unit)


class Actor:
    """One person at their own browser."""

    def __init__(self, browser, live_server, username, screenshot_dir):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base = live_server.url
        self.username = username
        self.screens = screenshot_dir
        self.page.goto(f"{self.base}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{self.base}/admin/")

    def open(self, record):
        self.page.goto(f"{self.base}/admin/evaluations/unitevaluation/{record.pk}/change/")

    def edit(self, record, field, value):
        self.open(record)
        self.page.fill(f"#id_{field}", value)
        self.page.click("input[name=_continue]")
        self.confirmed()

    def fire(self, record, name, *, comment="", firm=None):
        self.open(record)
        self.page.click(f"a.transition-{name}")
        if firm:
            self.page.select_option("select[name=firm]", label=firm)
        if comment:
            self.page.fill("textarea[name=comment]", comment)
        self.shot(f"{name}-confirm")
        self.page.click("input[type=submit][value^=确认]")
        self.confirmed()
        self.shot(f"{name}-done")

    def confirmed(self):
        """Wait for the admin's message after a POST, and fail on an error message."""
        message = self.page.wait_for_selector(".messagelist li")
        assert "error" not in (message.get_attribute("class") or ""), message.inner_text()

    def shot(self, step):
        self.screens.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.screens / f"{self.username}-{step}.png"), full_page=True)


def test_a_record_goes_from_self_evaluation_to_the_public_page(
    browser, live_server, year_2022, request
):
    from tests.browser.conftest import ARTIFACTS

    screens = ARTIFACTS / request.node.name
    record = year_2022
    department, reviewer, firm, publisher = (
        Actor(browser, live_server, name, screens)
        for name in ("dept", "reviewer", "firm", "publisher")
    )

    department.edit(record, "self_score", "92")
    department.fire(record, "submit")
    reviewer.fire(record, "assign", firm="北京信府科技有限责任公司")
    firm.edit(record, "score", "78.5")
    firm.fire(record, "submit_score")
    reviewer.fire(record, "return_to_firm", comment="满意度调查样本不足，请补充后重新评分")
    firm.edit(record, "score", "86")
    firm.fire(record, "submit_score")
    reviewer.fire(record, "approve")
    publisher.fire(record, "release")

    record.refresh_from_db()
    assert (record.state, record.score, record.grade) == (State.RELEASED, Decimal("86.00"), "良")
    assert list(
        WorkflowEvent.objects.filter(object_id=record.pk)
        .order_by("pk")
        .values_list("action", "actor__username")
    ) == [
        ("submit", "dept"),
        ("assign", "reviewer"),
        ("submit_score", "firm"),
        ("return_to_firm", "reviewer"),
        ("submit_score", "firm"),
        ("approve", "reviewer"),
        ("release", "publisher"),
    ]

    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}/520111/2022/units/")
    row = visitor.locator("table.results tbody tr", has_text="贵阳市花溪区教育局")
    assert "86.00" in row.inner_text() and "良" in row.inner_text()
    visitor.screenshot(path=str(screens / "public-units.png"), full_page=True)
    visitor.close()
