"""Dual monitoring (双监控) in the admin: the bureau's periods and deviation board, the
departments' monitoring reports.

A report is filed for an approved target and a period; its rows are the 三级 indicators
of the version in force (services.monitoring). What a report still owes before it may be
submitted (a cause and a measure where spending lags or a target is not certain) is
services.monitoring.report_problems, shown on its page.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import policies
from ..decimals import exact
from ..models import MonitoringEntry, MonitoringPeriod, MonitoringReport
from ..selectors.monitoring import deviation_board
from ..services.monitoring import (
    ENTRY_FIELDS,
    FIELDS,
    monitoring_report_save,
    monitoring_transition,
    report_execution,
    report_problems,
)
from ..workflow import FILING_EDITABLE, Role
from .filing_forms import FilingForm, RefusableForm
from .filings import EntryInline, FilingAdmin, entry_changes
from .trees import indicator_path

BOARD_TEMPLATE = "admin/evaluations/filings/deviation_board.html"
TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})}}


def percent(value) -> str:
    return "—" if value is None else f"{exact(value)}%"


@admin.register(MonitoringPeriod)
class MonitoringPeriodAdmin(admin.ModelAdmin):
    """The bureau sets its region's periods; each period has its deviation board."""

    list_display = ["__str__", "region", "year", "end_month", "due_date", "pace", "board_link"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter), "year"]
    fields = ["region", "year", "end_month", "due_date", "expected_rate"]
    list_select_related = ["region"]

    def get_queryset(self, request):
        return policies.visible_periods(request.user).select_related("region")

    def has_module_permission(self, request):
        return policies.sees_monitoring_board(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.sees_monitoring_board(request.user)

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.REVIEWER)

    def has_change_permission(self, request, obj=None):
        return policies.acts_as(request.user, Role.REVIEWER)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A period that has reports keeps its place: they were filed for it.
        if obj is not None and obj.reports.exists():
            return ["region", "year", "end_month"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = policies.visible_regions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("没有这条记录")
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="序时进度")
    def pace(self, period):
        return percent(period.pace)

    @admin.display(description="偏差看板")
    def board_link(self, period):
        return format_html('<a href="{}">查看</a>', self.board_url(period))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/board/",
                self.admin_site.admin_view(self.board_view),
                name="{}_{}_board".format(*info),
            ),
            *super().get_urls(),
        ]

    def board_url(self, period):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_board".format(*info), args=[period.pk])

    def board_view(self, request, object_id):
        """The deviation board of one period: what lags, by how much, who has not reported."""
        if not policies.sees_monitoring_board(request.user):
            raise PermissionDenied
        period = self.get_queryset(request).filter(pk=object_id).first()
        if period is None:
            raise Http404("没有这个监控期")
        board = deviation_board(period=period, targets=policies.visible_targets(request.user))
        rows = [
            {
                "row": row,
                "target_url": reverse(
                    "admin:evaluations_performancetarget_change", args=[row.target.pk]
                ),
                "report_url": reverse(
                    "admin:evaluations_monitoringreport_change", args=[row.report.pk]
                )
                if row.report is not None
                else "",
            }
            for row in board["rows"]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"偏差看板：{period.region.name} {period}",
            "opts": self.opts,
            "period": period,
            "board": board,
            "rows": rows,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, BOARD_TEMPLATE, context)


class MonitoringAddForm(RefusableForm):
    """A new report: an approved target of the user's, a period, and the spending so far."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        approved = policies.visible_targets(self.user).filter(approved_version__isnull=False)
        self.fields["target"].queryset = approved.select_related("unit")
        self.fields["period"].queryset = policies.visible_periods(self.user).select_related(
            "region"
        )


class MonitoringEntryInline(EntryInline):
    model = MonitoringEntry
    fields = ["indicator_path", "target_value", *ENTRY_FIELDS]
    readonly_fields = ["indicator_path", "target_value"]
    formfield_overrides = TEXTAREA

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("indicator__parent__parent")
            .order_by(
                "indicator__parent__parent__position",
                "indicator__parent__position",
                "indicator__position",
            )
        )

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "likelihood":
            # A row may be saved unfinished; submitting asks for it (report_problems).
            field.required = False
        return field

    @admin.display(description="一级 › 二级 › 三级指标")
    def indicator_path(self, entry):
        return indicator_path(entry.indicator)

    @admin.display(description="年度指标值")
    def target_value(self, entry):
        return entry.indicator.target_text or "—"


@admin.register(MonitoringReport)
class MonitoringReportAdmin(FilingAdmin):
    transition = staticmethod(monitoring_transition)
    filing_keyword = "report"
    kind = "monitoring"
    inlines = [MonitoringEntryInline]
    formfield_overrides = TEXTAREA
    list_display = ["target", "period", "state", "execution_rate", "lag", "submitted_at"]
    list_filter = [
        "state",
        ("period", admin.RelatedOnlyFieldListFilter),
        ("target__unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["target__project_name", "target__unit__name"]
    list_select_related = ["target__unit", "period"]
    summary_fields = ("target", "period", "budget", "spent")

    def get_queryset(self, request):
        return policies.visible_filings(request.user, MonitoringReport).select_related(
            "target__unit", "period", "version"
        )

    def has_add_permission(self, request):
        return policies.acts_as(request.user, Role.DEPARTMENT) or policies.acts_as(
            request.user, Role.REVIEWER
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["target", "period", *FIELDS]
        fields = ["target", "period", "version", "state", *FIELDS]
        fields += ["execution_rate", "pace", "lag", "submitted_at"]
        return [*fields, "seen_revision"] if self.editable(request, obj) else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "target",
            "period",
            "version",
            "state",
            "execution_rate",
            "pace",
            "lag",
            "submitted_at",
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MonitoringAddForm if obj is None else FilingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def problems(self, report):
        return report_problems(report) if report.state in FILING_EDITABLE else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # written with its rows, through the service (save_related)
        report = monitoring_report_save(
            period=obj.period,
            target=obj.target,
            user=request.user,
            changes={name: form.cleaned_data[name] for name in FIELDS},
        )
        obj.pk = report.pk

    def save_related(self, request, form, formsets, change):
        if change:
            entries = entry_changes(formsets, ENTRY_FIELDS)
            changes = form.changes(FIELDS)
            if changes or entries:
                monitoring_report_save(
                    period=form.instance.period,
                    target=form.instance.target,
                    user=request.user,
                    changes=changes,
                    entries=entries,
                    revision=form.cleaned_data["seen_revision"],
                )

    @admin.display(description="执行率")
    def execution_rate(self, report):
        return percent(report_execution(report).rate)

    @admin.display(description="序时进度")
    def pace(self, report):
        return percent(report.period.pace)

    @admin.display(description="滞后（百分点）")
    def lag(self, report):
        lag = report_execution(report).lag
        if lag is None:
            return "无法计算（预算为0）"
        return f"滞后 {exact(lag)}" if lag > 0 else "未滞后"
