"""Workflow transitions in the admin: a confirmation page per transition, batch actions.

The policy decides which transitions a user may fire on a record (policies.can_fire); the
service fires them (services.workflow.evaluation_transition), asking the policy again
with the row locked, so a forged POST is refused exactly like a hidden button.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import policies
from ..services.workflow import (
    Conflict,
    WorkflowError,
    evaluation_transition,
    evaluation_transition_many,
)
from ..workflow import TRANSITIONS, State
from .forms import TransitionForm


class TransitionsAdmin(admin.ModelAdmin):
    """Transitions of a result table's records; the admin provides record_or_404()."""

    transition_template = "admin/evaluations/transition_confirm.html"
    actions = ["approve_selected", "release_selected"]
    # The fields a confirmation page shows of the record.
    summary_fields: tuple[str, ...] = ()

    def has_approve_permission(self, request):
        return policies.acts_as(request.user, TRANSITIONS["approve"].role)

    def has_release_permission(self, request):
        return policies.acts_as(request.user, TRANSITIONS["release"].role)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            *super().get_urls(),
        ]

    def transition_url(self, record, name):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_transition".format(*info), args=[record.pk, name])

    def transition_view(self, request, object_id, name):
        """Confirm a transition (GET) and fire it through the service (POST)."""
        record = self.record_or_404(request, object_id)
        transition = TRANSITIONS.get(name)
        if transition is None:
            raise Http404("没有这个操作")
        form = TransitionForm(request.POST or None, transition=transition, record=record)
        if request.method == "POST" and form.is_valid():
            try:
                evaluation_transition(
                    record=record,
                    name=name,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    version=form.cleaned_data["version"],
                    firm=form.cleaned_data.get("firm"),
                )
            except Conflict as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(self.record_url(request, record))
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                target = State(transition.target).label
                self.message_user(request, f"“{record}”已{transition.label}，当前状态：{target}")
                return HttpResponseRedirect(self.record_url(request, record))
        elif not policies.can_fire(request.user, transition, record):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"确认{transition.label}",
            "opts": self.opts,
            "record": record,
            "summary": self.summary(record),
            "transition": transition,
            "from_state": record.get_state_display(),
            "to_state": State(transition.target).label,
            "form": form,
            "change_url": self.record_url(request, record),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.transition_template, context)

    def record_url(self, request, record):
        """Return the record's change page, or the changelist once it left the user's view."""
        info = self.opts.app_label, self.opts.model_name
        if self.get_queryset(request).filter(pk=record.pk).exists():
            return reverse("admin:{}_{}_change".format(*info), args=[record.pk])
        return reverse("admin:{}_{}_changelist".format(*info))

    def summary(self, record):
        """Return (label, value) of the fields a confirmation page shows."""
        rows = []
        for name in self.summary_fields:
            field = record._meta.get_field(name)
            display = getattr(record, f"get_{name}_display", None)
            value = display() if display else getattr(record, name)
            rows.append((field.verbose_name, "—" if value in (None, "") else value))
        return rows

    # -- batch actions --------------------------------------------------------------------

    @admin.action(description="批量审核通过", permissions=["approve"])
    def approve_selected(self, request, queryset):
        self.fire_many(request, queryset, "approve")

    @admin.action(description="批量公开", permissions=["release"])
    def release_selected(self, request, queryset):
        self.fire_many(request, queryset, "release")

    def fire_many(self, request, queryset, name):
        """Fire one transition on the selected records and report each one's outcome."""
        label = TRANSITIONS[name].label
        results = evaluation_transition_many(records=list(queryset), name=name, user=request.user)
        succeeded = sum(1 for _, problem in results if problem is None)
        if succeeded:
            self.message_user(request, f"{label}成功 {succeeded} 条", messages.SUCCESS)
        for record, problem in results:
            if problem is not None:
                self.message_user(request, f"“{record}”未能{label}：{problem}", messages.ERROR)
