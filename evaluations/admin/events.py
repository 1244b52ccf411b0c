"""The audit trail of the workflow: who moved which record, when, from where to where, why."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from .. import policies
from ..models import (
    BudgetDecision,
    DepartmentAssessment,
    ExAnteAssessment,
    MonitoringReport,
    Problem,
    Project,
    SelfEvaluation,
    TargetVersion,
    UnitEvaluation,
    WorkflowEvent,
)
from ..workflow import FILING_KINDS, FILING_TRANSITIONS, TRANSITIONS

FILING_NAMES = {"target": "绩效目标", "monitoring": "监控表", "self_evaluation": "自评表"}
# Importing a results table places its records in the workflow (services.workflow); the
# filing services name their actions <kind>_<transition> (services.filings).
ACTION_LABELS = (
    {name: transition.label for name, transition in TRANSITIONS.items()}
    | {
        "import": "随结果表导入",
        "import_release": "导入并公开",
        "target_create": "填报绩效目标",
        "target_adjust": "调整绩效目标",
        "monitoring_create": "填报监控表",
        "self_evaluation_start": "开始自评",
    }
    | {
        f"{kind}_{name}": f"{FILING_NAMES[kind]}{FILING_TRANSITIONS[name].label}"
        for kind, names in FILING_KINDS.items()
        for name in names
    }
    | {
        f"{kind}_import_approve": f"{label}随表导入（已审核）"
        for kind, label in FILING_NAMES.items()
    }
)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def record_events(record):
    """Return the workflow events of one record, newest first, with their actors."""
    return WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor", "content_type")


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(ACTION_LABELS.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by the services, in the transaction of their transition."""

    list_display = ["at", "record_link", "action_display", "from_display", "to_display", "actor"]
    list_display_links = ["at"]
    list_filter = [ActionFilter, "content_type"]
    search_fields = ["comment", "actor__username"]
    date_hierarchy = "at"
    fields = [
        "at",
        "record_link",
        "action_display",
        "from_display",
        "to_display",
        "actor",
        "comment",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        """Return the events of the records the user may see (evaluations and filings)."""
        user = request.user
        visible = {model: policies.visible(user, model) for model in policies.RESULT_MODELS}
        visible[TargetVersion] = TargetVersion.objects.filter(
            target__in=policies.visible_targets(user)
        )
        for model in (MonitoringReport, SelfEvaluation):
            visible[model] = policies.visible_filings(user, model)
        visible[Problem] = policies.visible_problems(user)
        visible[BudgetDecision] = policies.visible_decisions(user)
        visible[ExAnteAssessment] = policies.visible_ex_ante(user)
        visible[DepartmentAssessment] = policies.visible_assessments(user)
        scope = Q(pk__in=[])
        for model, records in visible.items():
            scope |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=records.values("pk"),
            )
        return (
            super()
            .get_queryset(request)
            .filter(scope)
            .select_related("actor", "content_type")
            # Records are named by their unit (and period): fetch them with the records.
            .prefetch_related(
                GenericPrefetch(
                    "record",
                    [
                        UnitEvaluation.objects.select_related("unit"),
                        Project.objects.all(),
                        TargetVersion.objects.select_related("target__unit"),
                        MonitoringReport.objects.select_related("target__unit", "period"),
                        SelfEvaluation.objects.select_related("target__unit"),
                        Problem.objects.all(),
                        BudgetDecision.objects.select_related("unit_evaluation__unit", "project"),
                        ExAnteAssessment.objects.select_related("target__unit"),
                        DepartmentAssessment.objects.select_related("unit"),
                    ],
                )
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("没有这条记录")
        return super().change_view(request, object_id, form_url, extra_context)

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="记录")
    def record_link(self, event):
        record = event.record
        if record is None:
            return "—"
        opts = record._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            return str(record)
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.display(description="操作", ordering="action")
    def action_display(self, event):
        return action_label(event.action)

    @admin.display(description="原状态")
    def from_display(self, event):
        return event.state_label(event.from_state) or "—"

    @admin.display(description="新状态")
    def to_display(self, event):
        return event.state_label(event.to_state)
