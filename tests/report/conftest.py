"""Fixtures of the annual report's tests: the 2021 tables with the bundled narrative, and
a login per role (the bureau's, one bound to another region, a department, a firm)."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from evaluations.models import Firm, Unit
from evaluations.roles import role_user_create
from evaluations.services.imports import region_ensure
from evaluations.services.report import report_texts_load
from evaluations.workflow import Role

NARRATIVE = (
    Path(__file__).resolve().parents[2] / "data" / "520111" / "2021" / "report-narrative.json"
)
PASSWORD = "report-tests-pw"


@pytest.fixture
def report_2021(huaxi_2021):
    """花溪区 2021: both tables imported and released, the seed's narrative loaded."""
    report_texts_load(region=huaxi_2021, year=2021, path=NARRATIVE)
    return huaxi_2021


@pytest.fixture
def people(report_2021):
    """A login per role; the elsewhere reviewer is bound to 观山湖区."""
    elsewhere = region_ensure(code="520115", name="观山湖区")

    def login(username, role, **binding):
        return role_user_create(username=username, role=role, password=PASSWORD, **binding)

    return SimpleNamespace(
        reviewer=login("reviewer", Role.REVIEWER),
        publisher=login("publisher", Role.PUBLISHER),
        huaxi_reviewer=login("huaxi-reviewer", Role.REVIEWER, region=report_2021),
        elsewhere_reviewer=login("gsh-reviewer", Role.REVIEWER, region=elsewhere),
        department=login(
            "dept", Role.DEPARTMENT, units=[Unit.objects.get(name="贵阳市花溪区教育局")]
        ),
        firm=login("firm", Role.FIRM, firm=Firm.objects.get(name="北京信府科技有限责任公司")),
    )
