"""Builders for targets, monitoring reports and self-evaluations, through the services."""

from decimal import Decimal

from evaluations.indicators import Node
from evaluations.models import PerformanceTarget
from evaluations.services.targets import target_create, target_review, target_submit

D = Decimal


def leaf(name, target_value, points, **attrs):
    return Node(name, 3, D(points), attrs={"target_value": target_value, **attrs})


def standard_tree(*, output=None, benefit=None, satisfaction=None):
    """A 90-point tree: 产出 50, 效益 30, 满意度 10, each 二级 with its 三级."""
    output = output or [
        leaf("新增公办幼儿园学位", "≥1200个", 30),
        leaf("项目按期完工率", "≥95%", 20),
    ]
    benefit = benefit or [leaf("普惠性幼儿园覆盖率", "≥85%", 30)]
    satisfaction = satisfaction or [leaf("家长满意度", "≥90%", 10)]
    return [
        Node("产出指标", 1, D(50), [Node("数量指标", 2, None, output)]),
        Node("效益指标", 1, D(30), [Node("社会效益指标", 2, None, benefit)]),
        Node("满意度指标", 1, D(10), [Node("服务对象满意度指标", 2, None, satisfaction)]),
    ]


def project_target(world, *, tree=None, unit=None, name="幼儿园公办率及普惠率达标经费", **kw):
    fields = {
        "overall_goal": "新增公办学位，提高普惠率",
        "funds_total": D("476.604"),
        **kw,
    }
    return target_create(
        user=world.department,
        region=world.region,
        year=2022,
        unit=unit or world.own_unit,
        scope=PerformanceTarget.Scope.PROJECT,
        project_name=name,
        tree=tree if tree is not None else standard_tree(),
        **fields,
    )


def approved_target(world, **kw):
    target = project_target(world, **kw)
    version = target.versions.get()
    target_submit(version=version, user=world.department)
    target_review(version=version, user=world.reviewer, grade="优")
    target.refresh_from_db()
    return target
