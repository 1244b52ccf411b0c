"""A real self-evaluation table from another county, imported, shown on the public page."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from evaluations.models import Framework, FundingLine, Project, Unit, UserRole
from evaluations.services.documents import documents_import
from evaluations.services.imports import region_ensure
from evaluations.workflow import Role, State

from .pages import page_text

pytestmark = pytest.mark.django_db

TABLE = (
    Path(__file__).resolve().parent.parent / "data" / "layouts" / "self_evaluation_zhongjiang.xlsx"
)
NAME = "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装"


def test_the_zhongjiang_table_shows_its_targets_actuals_and_total(client):
    region = region_ensure(code="510623", name="中江县")
    unit = Unit.objects.create(region=region, name="中江县水利局", kind="department")
    Framework.objects.create(
        purpose=Framework.Purpose.SELF_EVALUATION,
        name="中江县自评模板",
        region=region,
        allow_adjustment=True,
        execution_in_total=False,
    )
    project = Project.objects.create(
        region=region,
        year=2022,
        number=1,
        name=NAME,
        unit=unit,
        score=Decimal("95"),
        state=State.RELEASED,
    )
    FundingLine.objects.create(
        project=project, position=1, label=NAME, amount=Decimal("20"), self_score=Decimal("100")
    )
    reviewer = User.objects.create_user("reviewer", password="pw-tests-only", is_staff=True)
    UserRole.objects.create(user=reviewer, role=Role.REVIEWER, region=region)
    outcome = documents_import(
        data=TABLE.read_bytes(), file_name=TABLE.name, user=reviewer, region=region, approved=True
    )
    assert outcome.ok, outcome.errors
    text = page_text(client.get("/510623/2022/projects/1/"))
    assert "安装坡面水标尺 ≥266米 ≥266米 10 10.00 达成" in text
    # A rate written without an operator reads as ≥, as the scoring does.
    assert "项目(工程)验收合格率 100% 100% 20 20.00 达成" in text
    assert "自评总分 100.00 分 优 计算得出：各指标得分之和（本地区总分不含预算执行得分" in text
    assert "全年预算数（万元） 全年执行数（万元） 执行率 分值 得分 20 20 100.00% 10 10.00" in text
