"""Indicator frameworks (指标体系模板): the bureau's trees and scoring settings.

The bureau sees the default templates and its region's; the reviewer keeps them (a
region-bound reviewer only its region's, the defaults only a superuser or an unbound
reviewer). The tree is shown indented with its points and its problems (indicators.
tree_problems, weight_warnings) come as messages on the change page. Once a target
version, a self-evaluation or a firm's sheet uses a template, its points, levels and
parents are fixed: scores already computed on it must keep meaning what they meant.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404

from .. import policies
from ..indicators import Node, parse_value, tree_problems, weight_warnings
from ..models import Framework, IndicatorNode, SelfEvaluation, TargetVersion, ThirdPartySheet
from ..selectors.targets import framework_tree
from .settings import RegionSettingsAdmin
from .trees import tree_html

FIXED_ONCE_USED = ["level", "parent", "points"]
# What the template's points must add up to, and how scores are computed under it: fixed
# too once it is used, so a table returned for correction is not re-scored under new rules.
FIXED_POINTS = [
    "execution_points",
    "execution_in_total",
    "denominator",
    "score_places",
    "allow_adjustment",
]


def uses(framework: Framework) -> dict[str, int]:
    """Return how many target versions, self-evaluations and sheets use the template."""
    if framework.pk is None:
        return {}
    if not hasattr(framework, "_uses"):
        # Asked by the form, the inline and the messages of one page: counted once.
        counts = {
            "个绩效目标版本": TargetVersion.objects.filter(framework=framework).count(),
            "张自评表": SelfEvaluation.objects.filter(framework=framework).count(),
            "张第三方评分表": ThirdPartySheet.objects.filter(framework=framework).count(),
        }
        framework._uses = {label: n for label, n in counts.items() if n}
    return framework._uses


def in_use_message(counts: dict[str, int]) -> str:
    used = "、".join(f"{n}{label}" for label, n in counts.items())
    return (
        f"该模板已被{used}使用：分值、级次和上级指标不能再修改，也不能增删指标，"
        "以免已算出的得分失去依据"
    )


def pointed(roots: list[Node]) -> list[Node]:
    """Return the tree without the nodes below 一级 that carry no points.

    In a self-evaluation template the department sets the 二级 and 三级 points of each
    target; 三级 without points are the library it picks from. Only what the template
    fixes is checked.
    """

    def keep(node):
        children = [keep(c) for c in node.children if c.points is not None]
        return Node(node.name, node.level, node.points, children, node.attrs)

    return [keep(root) for root in roots]


def framework_problems(framework: Framework) -> tuple[list[str], list[str]]:
    """Return the template's problems and its weight warnings."""
    roots = framework_tree(framework)
    total = framework.indicator_total
    if framework.purpose == Framework.Purpose.SELF_EVALUATION:
        return tree_problems(pointed(roots), total=total), []
    return tree_problems(roots, total=total), weight_warnings(roots)


class FrameworkForm(forms.ModelForm):
    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        probe = Framework(region=cleaned.get("region"))
        if not policies.can_keep_settings(self.user, probe):
            self.add_error("region", "您只能设置本区划的模板；默认模板由系统管理员设置")
        return cleaned


class NodeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        level, parent = cleaned.get("level"), cleaned.get("parent")
        if level == 1 and parent is not None:
            self.add_error("parent", "一级指标没有上级指标")
        elif level in (2, 3) and (parent is None or parent.level != level - 1):
            above = "一级" if level == 2 else "二级"
            self.add_error("parent", f"请选择所属的{above}指标")
        value = parse_value(cleaned.get("target_value"))
        self.instance.target_number = value.number if value is not None else None
        return cleaned


class ParentChoice(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return f"{node.get_level_display()}：{node.name}"


class IndicatorNodeInline(admin.TabularInline):
    """The template's nodes: 一级 and 二级 group, 三级 are indicators or the library."""

    model = IndicatorNode
    fk_name = "framework"
    form = NodeForm
    extra = 0
    fields = [
        "level",
        "parent",
        "position",
        "name",
        "points",
        "operator",
        "target_value",
        "unit_of_measure",
        "quantitative",
        "direction",
        "core",
        "common",
        "scoring_rule",
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def get_formset(self, request, obj=None, **kwargs):
        request.framework_edited = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            framework = getattr(request, "framework_edited", None)
            nodes = IndicatorNode.objects.filter(framework=framework, level__lt=3)
            return ParentChoice(
                nodes if framework is not None else nodes.none(),
                required=False,
                label=db_field.verbose_name,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return FIXED_ONCE_USED if obj is not None and uses(obj) else []

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) in policies.BUREAU

    def has_change_permission(self, request, obj=None):
        return policies.can_keep_settings(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return policies.can_keep_settings(request.user, obj) and not (obj is not None and uses(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(RegionSettingsAdmin):
    form = FrameworkForm
    inlines = [IndicatorNodeInline]
    list_display = ["name", "purpose", "region_or_default", "year", "execution_points"]
    list_filter = ["purpose", ("region", admin.RelatedOnlyFieldListFilter), "year"]
    search_fields = ["name"]
    list_select_related = ["region"]
    fields = [
        "purpose",
        "name",
        "region",
        "year",
        "execution_points",
        "denominator",
        "score_places",
        "execution_in_total",
        "allow_adjustment",
        "tree",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fixed = ["purpose", *FIXED_POINTS] if obj is not None and uses(obj) else []
        return ["tree", *fixed]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        framework = self.get_object(request, unquote(object_id))
        if framework is None:
            raise Http404("没有这条记录")
        if request.method == "GET":
            self.tell_problems(request, framework)
        return super().change_view(request, object_id, form_url, extra_context)

    def tell_problems(self, request, framework):
        problems, warnings = framework_problems(framework)
        for problem in problems:
            self.message_user(request, f"分值不符：{problem}", messages.ERROR)
        for warning in warnings:
            self.message_user(request, f"权重提示：{warning}", messages.WARNING)
        if counts := uses(framework):
            self.message_user(request, in_use_message(counts), messages.INFO)

    @admin.display(description="区划", ordering="region")
    def region_or_default(self, framework):
        return framework.region or "默认（所有区划）"

    @admin.display(description="指标体系（一级 › 二级 › 三级）")
    def tree(self, framework):
        if framework.pk is None:
            return "保存后在下方添加指标"
        return tree_html(framework_tree(framework))
