"""One user per role, a unit the department owns and one it does not, two firms."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from evaluations.models import Firm, FundingLine, Project, Unit, UnitEvaluation, UserRole
from evaluations.workflow import Role, State


class World:
    def __init__(self, region):
        self.region = region
        self.own_unit = Unit.objects.create(
            region=region, name="贵阳市花溪区教育局", kind="department"
        )
        self.other_unit = Unit.objects.create(
            region=region, name="贵阳市花溪区民政局", kind="department"
        )
        self.firm = Firm.objects.create(name="北京信府科技有限责任公司")
        self.other_firm = Firm.objects.create(name="贵州汇隆会计师事务所有限公司")
        self.department = self._user("dept", Role.DEPARTMENT, units=[self.own_unit])
        self.firm_user = self._user("firm", Role.FIRM, firm=self.firm)
        self.other_firm_user = self._user("firm2", Role.FIRM, firm=self.other_firm)
        self.reviewer = self._user("reviewer", Role.REVIEWER)
        self.publisher = self._user("publisher", Role.PUBLISHER)
        self.stranger = User.objects.create_user(
            "stranger", password="pw-tests-only", is_staff=True
        )

    def _user(self, name, role, units=(), firm=None):
        user = User.objects.create_user(name, password="pw-tests-only", is_staff=True)
        user_role = UserRole.objects.create(user=user, role=role, firm=firm)
        user_role.units.set(units)
        return user

    def unit_evaluation(self, state=State.DRAFT, *, unit=None, firm=None, year=2022):
        return UnitEvaluation.objects.create(
            region=self.region,
            year=year,
            unit=unit or self.own_unit,
            firm=firm or self.firm,
            self_score=Decimal("95"),
            score=Decimal("88.5"),
            state=state,
        )

    def project(self, state=State.DRAFT, *, unit=None, firm=None, number=1, year=2022):
        project = Project.objects.create(
            region=self.region,
            year=year,
            number=number,
            name="幼儿园公办率及普惠率达标经费",
            unit=unit or self.own_unit,
            firm=firm or self.firm,
            score=Decimal("91.13"),
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
def world(huaxi):
    return World(huaxi)
