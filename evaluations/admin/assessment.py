"""The yearly assessment of departments' performance-management work (绩效管理工作考核)
in the admin: the bureau's rules, the computed scores with their breakdown, the bureau's
adjustments with a reason, and the xlsx for the supervision bureau (督办督查局).

The bureau sees its region's ranking; a department sees only its own units' rows and
their breakdown (policies.visible_assessments). Computing, adjusting and exporting are
the reviewer's (policies.can_assess, asked again by the services with the row locked).
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header

from .. import policies
from ..assessment import RULES
from ..decimals import exact
from ..exports_assessment import assessment_workbook
from ..models import AssessmentTemplate, DepartmentAssessment, Region
from ..selectors.assessment import ranking
from ..services.assessment import assessment_adjust, assessments_compute
from ..services.workflow import Conflict, WorkflowError
from ..workflow import Role
from .settings import RegionSettingsAdmin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEIGHTS = [key for key, _ in RULES]
TOTAL = Decimal(100)


def assessing_regions(user):
    """Return the regions whose assessment the user may compute, adjust and export."""
    regions = policies.visible_regions(user)
    return regions.filter(pk__in=[r.pk for r in regions if policies.can_assess(user, r)])


# -- rules ----------------------------------------------------------------------------------


class TemplateForm(forms.ModelForm):
    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        probe = AssessmentTemplate(region=cleaned.get("region"))
        if not policies.can_keep_settings(self.user, probe):
            self.add_error("region", "您只能设置本区划的考核规则；默认规则由系统管理员设置")
        weights = [cleaned.get(name) for name in WEIGHTS]
        if None not in weights and sum(weights) != TOTAL:
            raise forms.ValidationError(
                f"各项考核内容分值合计须为 100 分，现为 {exact(sum(weights))} 分"
            )
        return cleaned


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(RegionSettingsAdmin):
    form = TemplateForm
    list_display = ["__str__", "year", *WEIGHTS, "target_due", "self_evaluation_due"]
    list_select_related = ["region"]
    fields = ["region", "year", *WEIGHTS, "target_due", "self_evaluation_due"]


# -- assessments ----------------------------------------------------------------------------


class RegionYearForm(forms.Form):
    region = forms.ModelChoiceField(label="区划", queryset=Region.objects.none())
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = assessing_regions(user)


class AdjustForm(forms.Form):
    adjustment = forms.DecimalField(
        label="调整分",
        max_digits=5,
        decimal_places=2,
        help_text="在计算得分基础上加（正数）或减（负数）的分数；填 0 取消调整",
    )
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 4}))
    revision = forms.IntegerField(widget=forms.HiddenInput)


def _rank():
    """Return the rank of each row in its region's year (ties share one), whatever the
    list's filters."""
    higher = (
        DepartmentAssessment.objects.filter(
            region=OuterRef("region"), year=OuterRef("year"), score__gt=OuterRef("score")
        )
        .order_by()
        .values("region")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(higher), Value(0)) + 1


@admin.register(DepartmentAssessment)
class DepartmentAssessmentAdmin(admin.ModelAdmin):
    change_form_template = "admin/evaluations/assessment/change_form.html"
    change_list_template = "admin/evaluations/assessment/change_list.html"
    list_display = ["year", "unit", "kind", "computed", "adjustment", "score", "rank", "region"]
    list_display_links = ["unit"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "year", "unit__kind"]
    search_fields = ["unit__name"]
    fields = [
        "region",
        "year",
        "unit",
        "computed",
        "adjustment",
        "adjustment_reason",
        "score",
        "computed_at",
        "adjusted_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        rows = policies.visible_assessments(request.user).select_related(
            "unit", "region", "adjusted_by"
        )
        # The rank is the bureau's to see: not annotated (nor filterable) for a department.
        if policies.workflow_role(request.user) in policies.BUREAU:
            rows = rows.annotate(rank=_rank())
        return rows

    def lookup_allowed(self, lookup, value, request=None):
        if (
            lookup.split("__")[0] == "rank"
            and policies.workflow_role(request.user) not in policies.BUREAU
        ):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        # A department sees its own rows, not where they stand among the others.
        if policies.workflow_role(request.user) in policies.BUREAU:
            return self.list_display
        return [name for name in self.list_display if name != "rank"]

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) in (Role.DEPARTMENT, *policies.BUREAU)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # adjusted with a reason through its own page (adjust_view)

    def has_delete_permission(self, request, obj=None):
        return False

    def record_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这条记录")
        return obj

    def url(self, view, *args):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_{}".format(*info, view), args=args)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.record_or_404(request, object_id)
        context = {
            "breakdown": obj.breakdown,
            "adjust_url": self.url("adjust", obj.pk)
            if policies.can_assess(request.user, obj.region)
            else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def changelist_view(self, request, extra_context=None):
        assessing = assessing_regions(request.user).exists()
        context = {
            "compute_url": self.url("compute") if assessing else "",
            "export_url": self.url("export") if assessing else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path("compute/", view(self.compute_view), name="{}_{}_compute".format(*info)),
            path("export/", view(self.export_view), name="{}_{}_export".format(*info)),
            path(
                "<path:object_id>/adjust/",
                view(self.adjust_view),
                name="{}_{}_adjust".format(*info),
            ),
            *super().get_urls(),
        ]

    def form_page(self, request, *, title, form, submit, method="post", intro=""):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "submit": submit,
            "method": method,
            "intro": intro,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/evaluations/assessment/form.html", context)

    def compute_view(self, request):
        """Compute every unit's score for a region's year (the adjustments are kept)."""
        if not assessing_regions(request.user).exists():
            raise PermissionDenied
        form = RegionYearForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            region, year = form.cleaned_data["region"], form.cleaned_data["year"]
            rows = assessments_compute(region=region, year=year, user=request.user)
            counted = f"{region.name} {year} 年 {rows.count()} 个单位"
            self.message_user(
                request, f"已计算{counted}的考核得分（已有的调整分保留）", messages.SUCCESS
            )
            query = f"?region__id__exact={region.pk}&year={year}"
            return HttpResponseRedirect(self.url("changelist") + query)
        return self.form_page(
            request,
            title="计算考核得分",
            form=form,
            submit="计算考核得分",
            intro="按考核规则，从系统已有的绩效目标、监控、自评、整改和公开记录计算各单位得分。",
        )

    def export_view(self, request):
        """Download the ranking and every unit's breakdown of a region's year (xlsx)."""
        if not assessing_regions(request.user).exists():
            raise PermissionDenied
        form = RegionYearForm(request.GET or None, user=request.user)
        if not form.is_valid():
            return self.form_page(
                request, title="导出考核结果", form=form, submit="导出 xlsx", method="get"
            )
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        if not policies.can_assess(request.user, region):
            raise PermissionDenied
        data = assessment_workbook(region=region, year=year, rows=ranking(region=region, year=year))
        response = HttpResponse(data, content_type=XLSX)
        name = f"{region.name}{year}年度绩效管理工作考核.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def adjust_view(self, request, object_id):
        """Adjust a unit's computed score, with the reason on record."""
        obj = self.record_or_404(request, object_id)
        if request.method != "POST" and not policies.can_assess(request.user, obj.region):
            raise PermissionDenied
        initial = {
            "adjustment": obj.adjustment,
            "reason": obj.adjustment_reason,
            "revision": obj.revision,
        }
        form = AdjustForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                done = assessment_adjust(
                    assessment_row=obj,
                    user=request.user,
                    adjustment=data["adjustment"],
                    reason=data["reason"],
                    revision=data["revision"],
                )
            except Conflict as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(self.url("change", obj.pk))
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request, f"“{done}”考核得分调整为 {done.score} 分", messages.SUCCESS
                )
                return HttpResponseRedirect(self.url("change", obj.pk))
        return self.form_page(
            request,
            title=f"调整考核得分：{obj}",
            form=form,
            submit="确认调整",
            intro=f"计算得分 {obj.computed} 分，当前调整分 {obj.adjustment} 分，"
            f"考核得分 {obj.score} 分。",
        )

    @admin.display(description="单位类型", ordering="unit__kind")
    def kind(self, row):
        return row.unit.get_kind_display()

    @admin.display(description="排名", ordering="rank")
    def rank(self, row):
        return row.rank
