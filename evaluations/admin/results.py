"""The result tables in the admin: each role's records, fields, transitions and imports.

Who sees which record, who may change which field and who may fire which transition are
the policy's answers (evaluations.policies). Every write goes through the services
(evaluations.services.workflow), which ask the policy again with the record's row locked,
so a forged POST is refused exactly like a hidden button.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from .. import policies
from ..decimals import exact
from ..imports.projects import ProjectResource
from ..imports.units import UnitEvaluationResource
from ..models import FundingLine, Project, UnitEvaluation
from ..services.workflow import WorkflowError, evaluation_update
from ..workflow import Role
from .events import action_label, record_events
from .forms import RecordForm
from .history import ReadOnlyHistoryAdmin, funding_line_history
from .importing import ResultsImportExportAdmin
from .queues import QUEUE_LABELS, queue_conditions
from .transitions import TransitionsAdmin

# An import refused on confirmation lists this many of its problems as messages.
SHOWN_PROBLEMS = 20
# Kept by the model and the services, never typed.
ALWAYS_READONLY = ("grade", "state", "version", "released_at")


def may_edit(user, record, name: str) -> bool:
    fields = policies.editable_fields(user, record)
    return "*" in fields or name in fields


class QueueFilter(admin.SimpleListFilter):
    """The user's work queues (see evaluations.admin.queues), linked from the admin index."""

    title = "工作队列"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            (name, QUEUE_LABELS[name])
            for name in queue_conditions(policies.workflow_role(request.user))
        ]

    def queryset(self, request, queryset):
        conditions = queue_conditions(policies.workflow_role(request.user))
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


class ResultsAdmin(TransitionsAdmin, ResultsImportExportAdmin, ReadOnlyHistoryAdmin):
    """A result table (unit-overall or project evaluations) as the roles work on it.

    The change form shows the record's state and the transitions the user may fire, the
    fields the policy leaves editable, the workflow events and a link to the field history.
    """

    form = RecordForm
    change_form_template = "admin/evaluations/record_change_form.html"

    # -- scope and permissions: the policy's answers -----------------------------------

    def get_queryset(self, request):
        """Return the records the policy lets the user see."""
        queryset = policies.visible(request.user, self.model)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        """Return True if the user works in the workflow and, given a record, may see it."""
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return policies.in_scope(request.user, obj)

    def has_change_permission(self, request, obj=None):
        """Return True if the user may change some field of the record in its state now."""
        if obj is None:
            return policies.edits_in_some_state(request.user)
        return bool(policies.editable_fields(request.user, obj))

    def has_add_permission(self, request):
        """Return True if the user may create records (the bureau's reviewer sets tasks)."""
        return policies.acts_as(request.user, Role.REVIEWER)

    def has_delete_permission(self, request, obj=None):
        # Nothing is ever silently lost: a record leaves the public only through withdraw.
        return False

    # -- the change form ------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        fields = list(self.fields)
        editing = obj is not None and not self.showing_history(request)
        if editing and self.has_change_permission(request, obj):
            fields.append("seen_version")
        return fields

    def get_readonly_fields(self, request, obj=None):
        """Return every field but those the policy lets the user change in the record's state."""
        if self.showing_history(request):
            return list(self.fields)
        editable = policies.editable_fields(request.user, obj if obj is not None else self.model())
        if "*" in editable:
            return list(ALWAYS_READONLY)
        return [name for name in self.fields if name in ALWAYS_READONLY or name not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, ValidationError) as exc:
            # Someone acted between the form's check and the write: the transaction is
            # rolled back and the page shows the record as it now is.
            message = "；".join(getattr(exc, "messages", [str(exc)]))
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def record_or_404(self, request, object_id):
        """Return the record if the user may see it: others answer as if they did not exist."""
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404("没有这条记录")
        return record

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.record_or_404(request, object_id)
        context = {**self.workflow_context(request, record), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def workflow_context(self, request, record):
        return {
            "record_state": record.get_state_display(),
            "record_version": record.version,
            "transitions": [
                {
                    "name": transition.name,
                    "label": transition.label,
                    "url": self.transition_url(record, transition.name),
                }
                for transition in policies.allowed_transitions(request.user, record)
            ],
            "events": [
                {
                    "event": event,
                    "label": action_label(event.action),
                    "from_label": event.state_label(event.from_state),
                    "to_label": event.state_label(event.to_state),
                }
                for event in record_events(record)
            ],
        }

    # -- import: the resource checks and writes; the admin tells how it went ---------------

    def process_result(self, result, request):
        """Log and announce an import that went through; otherwise say why nothing was."""
        if result.has_errors() or result.has_validation_errors():
            problems = [str(error.error) for error in result.base_errors]
            for _, errors in result.row_errors():
                problems += [str(error.error) for error in errors]
            for invalid in result.invalid_rows:
                problems += [m for ms in invalid.error_dict.values() for m in ms]
            return self.import_refused(request, problems)
        return super().process_result(result, request)

    def import_refused(self, request, problems):
        """Return to the upload form with the problems, the first ones listed."""
        self.message_user(request, "文件未能导入，未写入任何数据。", messages.ERROR)
        for problem in problems[:SHOWN_PROBLEMS]:
            self.message_user(request, problem, messages.ERROR)
        if len(problems) > SHOWN_PROBLEMS:
            self.message_user(
                request, f"……另有 {len(problems) - SHOWN_PROBLEMS} 处问题", messages.ERROR
            )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def delete_view(self, request, object_id, extra_context=None):
        self.record_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)  # a reviewer's new task, a draft
        # A change is written with its funding lines, through the service (save_related).

    def save_related(self, request, form, formsets, change):
        if change:
            lines_changed = any(formset.has_changed() for formset in formsets)
            changes = form.changes()
            if changes or lines_changed:
                record = evaluation_update(
                    record=form.instance,
                    user=request.user,
                    changes=changes,
                    version=form.cleaned_data["seen_version"],
                )
                if lines_changed and not may_edit(request.user, record, "lines"):
                    raise PermissionDenied
                form.instance.version = record.version
        super().save_related(request, form, formsets, change)


STATE_AND_QUEUE = [QueueFilter, "state"]


@admin.register(UnitEvaluation)
class UnitEvaluationAdmin(ResultsAdmin):
    resource_classes = [UnitEvaluationResource]
    fields = [
        "region",
        "year",
        "unit",
        "firm",
        "self_score",
        "score",
        "grade",
        "note",
        "state",
        "version",
        "released_at",
    ]
    summary_fields = ("unit", "year", "firm", "self_score", "score", "grade", "state", "version")
    list_display = ["unit", "year", "region", "firm", "self_score", "score", "grade", "state"]
    list_filter = [
        *STATE_AND_QUEUE,
        "region",
        "year",
        "grade",
        "unit__kind",
        ("firm", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["unit__name", "firm__name"]
    list_select_related = ["unit", "firm", "region"]
    autocomplete_fields = ["unit"]
    ordering = ["region", "-year", "-score"]


class FundingLineInline(admin.TabularInline):
    """A project's funding lines: the department's, while the project is its to edit."""

    model = FundingLine
    extra = 0
    fields = ["position", "label", "amount", "self_score"]

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return policies.in_scope(request.user, obj)

    def lines_editable(self, request, obj):
        return may_edit(request.user, obj if obj is not None else Project(), "lines")

    def has_add_permission(self, request, obj=None):
        return self.lines_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.lines_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.lines_editable(request, obj)


@admin.register(Project)
class ProjectAdmin(ResultsAdmin):
    resource_classes = [ProjectResource]
    inlines = [FundingLineInline]
    fields = [
        "region",
        "year",
        "number",
        "name",
        "unit",
        "firm",
        "score",
        "grade",
        "note",
        "state",
        "version",
        "released_at",
    ]
    summary_fields = ("number", "name", "year", "unit", "firm", "score", "grade", "state")
    list_display = [
        "number",
        "name",
        "year",
        "region",
        "firm",
        "total_funds",
        "score",
        "grade",
        "state",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        *STATE_AND_QUEUE,
        "region",
        "year",
        "grade",
        ("firm", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name"]
    list_select_related = ["region", "firm"]
    autocomplete_fields = ["unit"]
    ordering = ["region", "-year", "number"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Sum("funding_lines__amount"))

    def history_context(self, request, project):
        return {"funding_line_history": funding_line_history(project)}

    @admin.display(description="项目资金合计（万元）", ordering="total")
    def total_funds(self, project):
        return exact(project.total)

    def get_data_for_export(self, request, queryset, **kwargs):
        # The export has the importable layout: one row per funding line.
        lines = (
            FundingLine.objects.filter(project__in=queryset)
            .select_related("project", "project__unit")
            .order_by("project__region", "project__year", "project__number", "position")
        )
        return super().get_data_for_export(request, lines, **kwargs)
