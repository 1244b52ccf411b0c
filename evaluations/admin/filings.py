"""Filings in the admin: targets, monitoring reports and self-evaluation tables.

A filing belongs to the department whose unit files it; the bureau's reviewer reviews
it. Who sees it, who may change it now and which buttons show are the policy's answers
(policies.visible_targets, visible_filings, can_edit_filing, filing_transitions). Every
write goes through the kind's service, which asks the policy again with the row locked,
so a forged POST is refused exactly like a hidden button. A service's refusal is shown
on the page that was posted, with everything the user typed kept.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import policies
from ..models import WorkflowEvent
from ..services.workflow import Conflict, WorkflowError
from ..workflow import FILING_KINDS, FILING_TRANSITIONS, Role
from .events import action_label
from .filing_forms import Step, StepForm, transition_step

# Who works with filings at all: the departments that file them and the bureau.
FILERS = (Role.DEPARTMENT, *policies.BUREAU)


def entry_changes(formsets, fields) -> dict[int, dict]:
    """Return {indicator id: changed fields} of the changed rows of the entry formsets."""
    return {
        row.instance.indicator_id: {
            name: row.cleaned_data[name] for name in row.changed_data if name in fields
        }
        for formset in formsets
        for row in formset.forms
        if row.has_changed()
    }


def refusal(exc: Exception) -> str:
    """Return what a service's refusal tells the user ("" for a bare PermissionDenied)."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def filing_events(model, ids) -> list[dict]:
    """Return the workflow events of the filings (newest first) with their labels."""
    events = WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
    ).select_related("actor", "content_type")
    return [
        {
            "event": event,
            "label": action_label(event.action),
            "from": event.state_label(event.from_state) or "—",
            "to": event.state_label(event.to_state),
        }
        for event in events
    ]


class RefusalsShown(admin.ModelAdmin):
    """Show a service's refusal of a posted change form on that form, as it was posted.

    The form gets the user (user) and the refusal (refusal) per request; a form holding a
    refusal is invalid, so nothing is saved and everything typed is shown again.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.refusal = getattr(request, "service_refusal", "")
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, ValidationError, PermissionDenied) as exc:
            message = refusal(exc)
            if request.method != "POST" or not message or hasattr(request, "service_refusal"):
                raise
            # The transaction was rolled back: show the posted page again, refused.
            self.message_user(request, message, messages.ERROR)
            request.service_refusal = message
            return super().changeform_view(request, object_id, form_url, extra_context)


class FilingAdmin(RefusalsShown):
    """The admin of one kind of filing ("target", "monitoring", "self_evaluation").

    The subclass gives the scoped queryset, the service calls (fire, and the saves) and,
    for targets, which filing of the record is being worked on (filing_of).
    """

    kind = ""
    change_form_template = "admin/evaluations/filings/change_form.html"
    step_template = "admin/evaluations/transition_confirm.html"
    summary_fields: tuple[str, ...] = ()

    # -- what the subclass says --------------------------------------------------------------

    def filing_of(self, obj):
        """Return the filing the record's page works on (the record itself by default)."""
        return obj

    def target_of(self, obj):
        return obj.target

    def known_steps(self, obj) -> dict[str, Step]:
        return {name: transition_step(FILING_TRANSITIONS[name]) for name in FILING_KINDS[self.kind]}

    def allowed_steps(self, request, obj) -> list[Step]:
        """Return the steps the user may take on the record now, in table order."""
        filing = self.filing_of(obj)
        if filing is None:
            return []
        transitions = policies.filing_transitions(
            request.user, self.kind, filing, self.target_of(obj)
        )
        return [transition_step(t) for t in transitions]

    def step_form(self, obj, step: Step, data):
        return StepForm(data, step=step, revision=self.filing_of(obj).revision)

    # The service firing the kind's transitions, and the keyword it takes the filing by
    # (services.monitoring.monitoring_transition(report=…), …). A kind with steps of its
    # own (a target's review, adjustment) overrides fire.
    transition = None
    filing_keyword = ""

    def fire(self, request, obj, step: Step, cleaned: dict) -> str:
        """Take the step through the service; return the message telling what happened."""
        done = self.transition(
            **{self.filing_keyword: self.filing_of(obj)},
            user=request.user,
            name=step.name,
            comment=cleaned["comment"],
            revision=cleaned["revision"],
        )
        return f"“{done}”已{step.label}，当前状态：{done.get_state_display()}"

    def problems(self, obj) -> list[str]:
        """Return what the filing still owes before it may be submitted."""
        return []

    def summary(self, obj) -> list[tuple[str, object]]:
        """Return (label, value) of the fields a confirmation page shows."""
        rows = []
        for name in self.summary_fields:
            field = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            rows.append((field.verbose_name, "—" if value in (None, "") else value))
        return rows

    def events(self, obj) -> list[dict]:
        return filing_events(self.model, [obj.pk])

    # -- scope and permissions: the policy's answers ---------------------------------------

    def editable(self, request, obj) -> bool:
        """Return True if the user may change the record's filing now."""
        filing = self.filing_of(obj)
        return filing is not None and policies.can_edit_filing(
            request.user, filing, self.target_of(obj)
        )

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) in FILERS

    def has_view_permission(self, request, obj=None):
        """Return True if the user works with filings and, given one, it is in scope."""
        if obj is None:
            return policies.workflow_role(request.user) in FILERS
        return policies.target_in_scope(request.user, self.target_of(obj))

    def has_change_permission(self, request, obj=None):
        """Return True if the user may change the record now (the department's turn)."""
        if obj is None:
            return policies.acts_as(request.user, Role.DEPARTMENT)
        return self.editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A filing is withdrawn through the workflow, never deleted.
        return False

    def record_or_404(self, request, object_id):
        """Return the record if the user may see it: others answer as if it did not exist."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这条记录")
        return obj

    # -- the change form -----------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        editing = obj is not None and self.editable(request, obj)
        form.filing = self.filing_of(obj) if editing else None
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.record_or_404(request, object_id)
        context = {**self.filing_context(request, obj), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def filing_context(self, request, obj) -> dict:
        filing = self.filing_of(obj)
        return {
            "filing": filing,
            "filing_state": filing.get_state_display() if filing is not None else "—",
            "steps": [
                {"name": step.name, "label": step.label, "url": self.step_url(obj, step.name)}
                for step in self.allowed_steps(request, obj)
            ],
            "problems": self.problems(obj) if filing is not None else [],
            "editable": self.editable(request, obj),
            "events": self.events(obj),
        }

    def construct_change_message(self, request, form, formsets, add=False):
        # The rows were written by the service, not saved through their formsets.
        return super().construct_change_message(request, form, [], add)

    def get_inline_instances(self, request, obj=None):
        # A new filing gets its rows from the service: there are none to show yet.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def response_add(self, request, obj, post_url_continue=None):
        # The filing is created with its rows: the department fills them in next.
        self.message_user(request, f"已新建“{obj}”，请继续填写", messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(obj))

    # -- steps: a confirmation page each, fired through the service ------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/step/<str:name>/",
                self.admin_site.admin_view(self.step_view),
                name="{}_{}_step".format(*info),
            ),
            *super().get_urls(),
        ]

    def step_url(self, obj, name):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_step".format(*info), args=[obj.pk, name])

    def change_url(self, obj):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])

    def step_view(self, request, object_id, name):
        """Confirm a step (GET) and take it through the service (POST)."""
        obj = self.record_or_404(request, object_id)
        step = self.known_steps(obj).get(name)
        if step is None or self.filing_of(obj) is None:
            raise Http404("没有这个操作")
        form = self.step_form(obj, step, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                message = self.fire(request, obj, step, form.cleaned_data)
            except Conflict as exc:
                # Someone acted meanwhile: the page must be reloaded to show what is now.
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(self.change_url(obj))
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(self.change_url(obj))
        elif name not in {s.name for s in self.allowed_steps(request, obj)}:
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"确认{step.label}",
            "opts": self.opts,
            "record": obj,
            "summary": self.summary(obj),
            "transition": step,
            "from_state": self.filing_of(obj).get_state_display(),
            "to_state": step.to_state,
            "form": form,
            "change_url": self.change_url(obj),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.step_template, context)


class EntryInline(admin.TabularInline):
    """A filing's rows (one per 三级 indicator of the target version): never added or
    deleted here, changed only while the filing is the department's to change."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return policies.workflow_role(request.user) in FILERS

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is not None and policies.can_edit_filing(request.user, obj, obj.target)
