"""Problems and their rectification (整改) in the admin: what ProblemAdmin (admin.problems)
does with a problem once it is recorded.

The bureau's reviewer sets a problem's deadline; the responsible unit's department
reports its measure and what it did; the reviewer verifies the report or sends it back
with an opinion. Who sees which problem and who may take which step now are the policy's
answers (policies.visible_problems, can_report_rectification, can_verify_rectification,
can_set_deadline); every step goes through services.rectification, which asks again with
the row locked, so a forged POST changes nothing. Overdue is derived from the deadline
(selectors.rectification) and said in words.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import policies
from ..models import Problem, WorkflowEvent
from ..selectors import rectification as selectors
from ..services import rectification as services
from ..services.workflow import WorkflowError
from ..workflow import Role
from .filing_forms import STALE, RefusableForm
from .filings import RefusalsShown

# The steps of a problem's page: the button posted, its label, what it does.
REPORT, DEADLINE, VERIFY, RETURN = "_report", "_deadline", "_verify", "_return"
STEP_LABELS = {
    REPORT: "报送整改情况",
    DEADLINE: "保存整改期限",
    VERIFY: "核实通过",
    RETURN: "退回重新整改",
}
STEP_DONE = {
    REPORT: "已报送整改情况",
    DEADLINE: "已设定整改期限",
    VERIFY: "已核实整改",
    RETURN: "已退回单位重新整改",
}
EVENT_LABELS = {
    services.REPORT: "报送整改情况",
    services.VERIFY: "核实整改",
    services.RETURN: "退回重新整改",
    services.DEADLINE: "设定整改期限",
}
# A problem's page, in parts: the problem, the unit's rectification, the bureau's check.
PARTS = [
    (
        "问题",
        [
            "region",
            "year",
            "unit",
            "evaluation",
            "source",
            "description",
            "created_by",
            "created_at",
        ],
    ),
    ("整改", ["deadline", "state_words", "measure", "report", "reported_at"]),
    ("核实", ["verification", "verified_by", "verified_at"]),
]
SHOWN = [name for _, names in PARTS for name in names]


def today():
    return timezone.localdate()


def allowed_steps(user, problem: Problem) -> list[str]:
    """Return the steps the user may take on the problem now (the policy's answers)."""
    steps = []
    if policies.can_report_rectification(user, problem):
        steps.append(REPORT)
    if policies.can_set_deadline(user, problem):
        steps.append(DEADLINE)
    if policies.can_verify_rectification(user, problem):
        steps += [VERIFY, RETURN]
    return steps


def editable_fields(steps: list[str]) -> list[str]:
    """Return the fields the steps write: the unit's report, the bureau's deadline and
    opinion."""
    fields = []
    if REPORT in steps:
        fields += ["measure", "report"]
    if DEADLINE in steps:
        fields.append("deadline")
    if VERIFY in steps:
        fields.append("verification")
    return fields


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", selectors.OVERDUE_LABEL), ("no", "未逾期")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(overdue=self.value() == "yes")
        return queryset


class RectificationForm(RefusableForm):
    """A problem's change form; it remembers the revision it was rendered with, so a step
    prepared on a problem someone else changed meanwhile is refused with the text kept."""

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_revision"].initial = self.instance.revision
        if "verification" in self.fields:
            self.fields["verification"].help_text = "退回重新整改时必填"

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_revision")
        if seen is not None and seen != self.instance.revision:
            raise ValidationError(STALE.format(revision=self.instance.revision))
        return cleaned


class RectificationAdmin(RefusalsShown):
    """The problems the user sees, and the rectification steps on a problem's page."""

    change_form_template = "admin/evaluations/problem/change_form.html"
    change_list_template = "admin/evaluations/problem/change_list.html"
    list_display = [
        "short",
        "unit",
        "evaluation",
        "year",
        "source",
        "deadline",
        "state_words",
        "created_at",
    ]
    list_filter = [
        "year",
        "state",
        OverdueFilter,
        "source",
        ("unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["description", "project__name", "unit__name"]

    # -- scope and permissions: the policy's answers -----------------------------------

    def get_queryset(self, request):
        return selectors.problems(user=request.user, today=today())

    def has_module_permission(self, request):
        return policies.workflow_role(request.user) is not None

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policies.workflow_role(request.user) is not None
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        """Return True if the user may take a step on the problem now (any problem, given
        None: the department reports, the reviewer sets deadlines and verifies)."""
        if obj is None:
            return policies.acts_as(request.user, Role.DEPARTMENT) or policies.acts_as(
                request.user, Role.REVIEWER
            )
        return bool(allowed_steps(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False

    # -- the forms ---------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        parts = [(title, {"fields": list(names)}) for title, names in PARTS]
        if allowed_steps(request.user, obj):
            parts[-1][1]["fields"].append("seen_revision")
        return parts

    def get_readonly_fields(self, request, obj=None):
        editable = editable_fields(allowed_steps(request.user, obj))
        return [name for name in SHOWN if name not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", RectificationForm)
        return super().get_form(request, obj, change=change, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        problem = self.get_object(request, unquote(object_id))
        if problem is None:
            raise Http404("没有这条记录")
        context = {
            "steps": [(name, STEP_LABELS[name]) for name in allowed_steps(request.user, problem)],
            "events": self.events(problem),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def changelist_view(self, request, extra_context=None):
        context = {
            "rectification_counts": selectors.counts(user=request.user, today=today()),
            "overdue_url": reverse("admin:evaluations_problem_changelist") + "?overdue=yes",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def events(self, problem: Problem) -> list[dict]:
        events = WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Problem), object_id=problem.pk
        ).select_related("actor")
        states = dict(Problem.State.choices)
        return [
            {
                "event": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "from": states.get(event.from_state, "—"),
                "to": states.get(event.to_state, event.to_state),
            }
            for event in events
        ]

    # -- writes: through the services --------------------------------------------------

    def save_model(self, request, obj, form, change):
        request.rectification_done = self.take_step(request, obj, form.cleaned_data)

    def take_step(self, request, obj, cleaned) -> str:
        """Take the step whose button was posted; return what happened, for the user."""
        step = next((name for name in STEP_LABELS if name in request.POST), None)
        if step is None:
            raise WorkflowError("请选择要执行的操作")
        user, revision = request.user, cleaned.get("seen_revision")
        problem = Problem.objects.get(pk=obj.pk)
        if step == DEADLINE or ("deadline" in cleaned and cleaned["deadline"] != problem.deadline):
            problem = services.problem_set_deadline(
                problem=problem, user=user, deadline=cleaned.get("deadline"), revision=revision
            )
            revision = problem.revision
        if step == REPORT:
            services.rectification_report(
                problem=problem,
                user=user,
                measure=cleaned.get("measure", ""),
                report=cleaned.get("report", ""),
                revision=revision,
            )
        elif step in (VERIFY, RETURN):
            services.rectification_verify(
                problem=problem,
                user=user,
                accept=step == VERIFY,
                opinion=cleaned.get("verification", ""),
                revision=revision,
            )
        return f"“{problem}”{STEP_DONE[step]}"

    def response_change(self, request, obj):
        done = getattr(request, "rectification_done", "")
        if not done:
            return super().response_change(request, obj)
        self.message_user(request, done, messages.SUCCESS)
        if self.has_view_permission(request, obj):
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:evaluations_problem_changelist"))

    def construct_change_message(self, request, form, formsets, add=False):
        # The change was written by the service and recorded as a workflow event.
        return [] if not add else super().construct_change_message(request, form, formsets, add)

    # -- columns -----------------------------------------------------------------------

    @admin.display(description="问题描述")
    def short(self, problem):
        return str(problem)

    @admin.display(description="评价")
    def evaluation(self, problem):
        if problem.project_id:
            return f"重点项目：{problem.project.name}"
        if problem.unit_evaluation_id:
            return f"部门整体：{problem.unit_evaluation.unit.name}"
        return "—"

    @admin.display(description="整改状态", ordering="state")
    def state_words(self, problem):
        words = selectors.state_words(problem, today=today())
        if getattr(problem, "overdue", False):
            return format_html('<strong class="overdue">{}</strong>', words)
        return words
