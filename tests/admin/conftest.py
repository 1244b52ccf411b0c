"""One login per role, a unit the department owns and one it does not, two firms.

The logins hold a workflow role (UserRole) and no model permission at all: the result
admins answer to the policy alone (evaluations.policies).
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation, UserRole
from evaluations.workflow import Role, State

PASSWORD = "pw-for-tests-only"


class Roles:
    """The people of one region's year, and records placed straight into any state."""

    def __init__(self, region):
        self.region = region
        self.own_unit = Unit.objects.create(region=region, name="花溪区教育局", kind="department")
        self.other_unit = Unit.objects.create(region=region, name="花溪区民政局", kind="department")
        self.firm_a = Firm.objects.create(name="甲评价公司")
        self.firm_b = Firm.objects.create(name="乙评价公司")
        self.department = self.login("dept", Role.DEPARTMENT, units=[self.own_unit])
        self.firm = self.login("firm", Role.FIRM, firm=self.firm_a)
        self.reviewer = self.login("reviewer", Role.REVIEWER)
        self.publisher = self.login("publisher", Role.PUBLISHER)
        self.stranger = User.objects.create_user("stranger", password=PASSWORD, is_staff=True)
        self.by_role = {
            Role.DEPARTMENT: self.department,
            Role.FIRM: self.firm,
            Role.REVIEWER: self.reviewer,
            Role.PUBLISHER: self.publisher,
        }

    def login(self, username, role, *, units=(), firm=None, region=None):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user_role = UserRole.objects.create(user=user, role=role, firm=firm, region=region)
        user_role.units.set(units)
        return user

    def unit_evaluation(self, state=State.DRAFT, *, unit=None, firm=None, year=2022, **fields):
        """Return a unit evaluation in the state, scored where the state implies a score."""
        scored = state in (State.SCORED, State.APPROVED, State.RELEASED)
        values = {
            "self_score": Decimal("95.00"),
            "score": Decimal("88.50") if scored else None,
            **fields,
        }
        return UnitEvaluation.objects.create(
            region=self.region,
            year=year,
            unit=unit or self.own_unit,
            firm=self.firm_a if firm is None else firm,
            state=state,
            **values,
        )

    def project(self, state=State.DRAFT, *, unit=None, firm=None, number=1, year=2022):
        """Return a project with one funding line in the state."""
        scored = state in (State.SCORED, State.APPROVED, State.RELEASED)
        project = Project.objects.create(
            region=self.region,
            year=year,
            number=number,
            name=f"项目{number}",
            unit=unit or self.own_unit,
            firm=self.firm_a if firm is None else firm,
            score=Decimal("91.13") if scored else None,
            state=state,
        )
        FundingLine.objects.create(
            project=project,
            position=1,
            label=project.name,
            amount=Decimal("476.604"),
            self_score=Decimal("99.90"),
        )
        return project


@pytest.fixture
def roles(huaxi):
    return Roles(huaxi)
