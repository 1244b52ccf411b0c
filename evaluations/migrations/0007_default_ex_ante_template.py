"""The default ex-ante template: the five dimensions (五性), 20 points each, two sub-items
of 10 (../shared/domain.md §8, after one city's local template; regions adjust their own)."""

from decimal import Decimal

from django.db import migrations

ITEMS = (
    ("necessity", "目的明确、与部门职能相关", 10),
    ("necessity", "必要性、可行性和唯一性", 10),
    ("economy", "预算编制科学性", 10),
    ("economy", "投入经济合理性", 10),
    ("targets", "绩效目标完整性", 10),
    ("targets", "绩效指标明确、可衡量", 10),
    ("feasibility", "实施方案完整可行", 10),
    ("feasibility", "组织与制度保障", 10),
    ("financing", "资金来源合规", 10),
    ("financing", "筹资方式合理、无重复申报", 10),
)


def create(apps, schema_editor):
    Template = apps.get_model("evaluations", "ExAnteTemplate")
    Item = apps.get_model("evaluations", "ExAnteItem")
    template = Template.objects.create(name="事前绩效评估（五性）默认模板")
    Item.objects.bulk_create(
        Item(template=template, dimension=d, name=n, points=Decimal(p), position=i)
        for i, (d, n, p) in enumerate(ITEMS)
    )


def remove(apps, schema_editor):
    apps.get_model("evaluations", "ExAnteTemplate").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_ex_ante_and_assessment")]

    operations = [migrations.RunPython(create, remove)]
