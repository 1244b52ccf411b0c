"""The default indicator frameworks every region starts from (../shared/domain.md §4–§6).

The trees are written out here, not imported, so this migration stays what it was when
later code changes its defaults.
"""

from decimal import Decimal

from django.db import migrations

SELF_EVALUATION = (
    ("产出指标", 50, ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", 30, ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", 10, ("服务对象满意度指标",)),
)
# 三级 common indicators offered from the library (no points: the department sets them).
LIBRARY = {
    "时效指标": (("按时完成率", "≥", "100", "%"),),
    "成本指标": (("成本节约率", "≥", "0", "%"),),
    "服务对象满意度指标": (("服务对象满意度", "≥", "90", "%"),),
}
THIRD_PARTY = (
    (
        "决策",
        20,
        (
            ("项目立项", (("立项依据充分性", 4), ("立项程序规范性", 3))),
            ("绩效目标", (("绩效目标合理性", 4), ("绩效指标明确性", 3))),
            ("资金投入", (("预算编制科学性", 3), ("资金分配合理性", 3))),
        ),
    ),
    (
        "过程",
        20,
        (
            ("资金管理", (("资金到位率", 3), ("预算执行率", 4), ("资金使用合规性", 4))),
            ("组织实施", (("管理制度健全性", 4), ("制度执行有效性", 5))),
        ),
    ),
    (
        "产出",
        30,
        (
            ("产出数量", (("实际完成率", 10),)),
            ("产出质量", (("质量达标率", 8),)),
            ("产出时效", (("完成及时性", 6),)),
            ("产出成本", (("成本节约率", 6),)),
        ),
    ),
    ("效益", 30, (("项目效益", (("实施效益", 20), ("满意度", 10))),)),
)


def create(apps, schema_editor):
    Framework = apps.get_model("evaluations", "Framework")
    Node = apps.get_model("evaluations", "IndicatorNode")
    own = Framework.objects.create(
        purpose="self_evaluation",
        name="项目支出绩效目标及自评（财预〔2020〕10号）",
        execution_points=Decimal(10),
    )
    for i, (name, points, groups) in enumerate(SELF_EVALUATION):
        first = Node.objects.create(framework=own, level=1, position=i, name=name, points=points)
        for j, group in enumerate(groups):
            second = Node.objects.create(
                framework=own, parent=first, level=2, position=j, name=group, points=None
            )
            for k, (leaf, operator, value, unit) in enumerate(LIBRARY.get(group, ())):
                Node.objects.create(
                    framework=own,
                    parent=second,
                    level=3,
                    position=k,
                    name=leaf,
                    operator=operator,
                    target_value=value,
                    target_number=Decimal(value),
                    unit_of_measure=unit,
                    direction="positive",
                    common=True,
                )
    third = Framework.objects.create(
        purpose="third_party",
        name="项目支出绩效评价指标体系（财预〔2020〕10号附件2）",
        execution_points=Decimal(0),
    )
    for i, (name, points, groups) in enumerate(THIRD_PARTY):
        first = Node.objects.create(framework=third, level=1, position=i, name=name, points=points)
        for j, (group, items) in enumerate(groups):
            second = Node.objects.create(
                framework=third,
                parent=first,
                level=2,
                position=j,
                name=group,
                points=sum(p for _, p in items),
            )
            for k, (leaf, leaf_points) in enumerate(items):
                Node.objects.create(
                    framework=third,
                    parent=second,
                    level=3,
                    position=k,
                    name=leaf,
                    points=leaf_points,
                    quantitative=False,
                    common=True,
                )


def remove(apps, schema_editor):
    apps.get_model("evaluations", "Framework").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_indicators_targets_monitoring")]

    operations = [migrations.RunPython(create, remove)]
