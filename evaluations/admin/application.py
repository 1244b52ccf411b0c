"""Result application (结果应用) in the admin: the rules, the proposals, the decisions.

The bureau's reviewer keeps the region's rules (ApplicationRulesAdmin), has the system
propose a decision for every approved evaluation of a year (the 生成建议 page of the
decisions' list, services.application.decisions_propose) and confirms each proposal or
overrides it with a reason (the decision's page, decision_confirm; decision_reopen). A
department sees the decisions on its units' evaluations (policies.visible_decisions).
Every write goes through the services, which ask the policy again with the row locked.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .. import policies
from ..decimals import grouped
from ..models import Action, ApplicationRules, BudgetDecision, Region, WorkflowEvent
from ..models.results import YEAR_VALIDATORS
from ..selectors.application import application_row
from ..services import application as services
from ..services.workflow import WorkflowError
from ..workflow import Role
from .filing_forms import STALE, RefusableForm
from .filings import RefusalsShown
from .settings import RegionSettingsAdmin

CONFIRM, REOPEN = "_confirm", "_reopen"
EVENT_LABELS = {
    services.CONFIRM: "确认决定",
    services.OVERRIDE: "调整决定（与建议不同）",
    services.REOPEN: "重新打开",
}


# -- the rules ---------------------------------------------------------------------------


class RulesForm(forms.ModelForm):
    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        if not policies.can_keep_settings(
            self.user, ApplicationRules(region=cleaned.get("region"))
        ):
            self.add_error("region", "您只能设置本区划的规则；默认规则由不限区划的审核人设置")
        return cleaned


@admin.register(ApplicationRules)
class ApplicationRulesAdmin(RegionSettingsAdmin):
    form = RulesForm
    list_display = [
        "__str__",
        "excellent",
        "good",
        "fair",
        "poor",
        "cut_share",
        "execution_floor",
        "unrectified_steps_down",
    ]
    list_select_related = ["region"]
    fieldsets = [
        ("适用范围", {"fields": ["region", "year"]}),
        ("各等级的建议", {"fields": ["excellent", "good", "fair", "poor", "cut_share"]}),
        ("其他因素", {"fields": ["execution_floor", "unrectified_steps_down"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


# -- the decisions -----------------------------------------------------------------------


class KindFilter(admin.SimpleListFilter):
    title = "评价类型"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("unit", "部门整体"), ("project", "重点项目")]

    def queryset(self, request, queryset):
        if self.value() == "unit":
            return queryset.filter(unit_evaluation__isnull=False)
        if self.value() == "project":
            return queryset.filter(project__isnull=False)
        return queryset


class DecisionForm(RefusableForm):
    """A decision's form, prefilled with the proposal; it remembers the revision it was
    rendered with."""

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decision = self.instance
        self.fields["seen_revision"].initial = decision.revision
        if "action" in self.fields:
            self.fields["action"].required = True
            self.fields["action"].choices = Action.choices
            if not decision.action:
                self.initial["action"] = decision.proposed_action
        if "cut_share" in self.fields and decision.cut_share is None:
            self.initial["cut_share"] = decision.proposed_share
        if "next_year_amount" in self.fields:
            self.fields["next_year_amount"].help_text = "留空按决定计算（压减按比例，取消为 0）"
        if "reason" in self.fields:
            self.fields["reason"].help_text = "决定与建议不同、修改或重新打开已确认的决定时必填"

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_revision")
        if seen is not None and seen != self.instance.revision:
            raise ValidationError(STALE.format(revision=self.instance.revision))
        return cleaned


class ProposeForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.none(), label="区划")
    year = forms.IntegerField(label="评价年度", validators=YEAR_VALIDATORS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = policies.visible_regions(user)


@admin.register(BudgetDecision)
class BudgetDecisionAdmin(RefusalsShown):
    form = DecisionForm
    change_form_template = "admin/evaluations/budgetdecision/change_form.html"
    change_list_template = "admin/evaluations/budgetdecision/change_list.html"
    list_display = [
        "evaluation_name",
        "kind",
        "year",
        "grade",
        "proposal",
        "decided",
        "base_shown",
        "next_year_shown",
        "change_shown",
        "state",
    ]
    list_filter = [
        "year",
        "state",
        KindFilter,
        "proposed_action",
        "action",
        ("region", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["project__name", "unit_evaluation__unit__name"]
    readonly_always = [
        "region",
        "year",
        "evaluation_name",
        "grade",
        "state",
        "proposal",
        "grounds_list",
        "decided_by",
        "decided_at",
    ]

    # -- scope and permissions: the policy's answers -----------------------------------

    def get_queryset(self, request):
        return policies.visible_decisions(request.user).select_related(
            "region", "unit_evaluation__unit", "project", "decided_by"
        )

    def has_module_permission(self, request):
        role = policies.workflow_role(request.user)
        return role in policies.BUREAU or role == Role.DEPARTMENT

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        # Decisions are proposed by the system (生成建议), never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.acts_as(request.user, Role.REVIEWER)
        return policies.can_decide_budget(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    # -- the decision's page -----------------------------------------------------------

    def get_fields(self, request, obj=None):
        fields = ["region", "year", "evaluation_name", "grade", "state", "proposal"]
        # A project's funds are Σ its funding lines; a unit evaluation's are entered here.
        base = "base_shown" if obj is not None and obj.project_id else "base_amount"
        fields += ["grounds_list", base, "action", "cut_share", "next_year_amount"]
        fields += ["reason", "decided_by", "decided_at"]
        if obj is not None and self.has_change_permission(request, obj):
            fields.append("seen_revision")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_always, "base_shown"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        decision = self.get_object(request, unquote(object_id))
        if decision is None:
            raise Http404("没有这条记录")
        confirmed = decision.state == BudgetDecision.State.CONFIRMED
        steps = []
        if self.has_change_permission(request, decision):
            steps.append((CONFIRM, "保存修改（须填写理由）" if confirmed else "确认决定"))
            if confirmed:
                steps.append((REOPEN, "重新打开（须填写理由）"))
        context = {"steps": steps, "events": self.events(decision), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def events(self, decision) -> list[dict]:
        events = WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(BudgetDecision), object_id=decision.pk
        ).select_related("actor")
        states = dict(BudgetDecision.State.choices)
        return [
            {
                "event": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "from": states.get(event.from_state, "—"),
                "to": states.get(event.to_state, event.to_state),
            }
            for event in events
        ]

    def save_model(self, request, obj, form, change):
        cleaned, user = form.cleaned_data, request.user
        if REOPEN in request.POST:
            services.decision_reopen(
                decision=obj,
                user=user,
                reason=cleaned.get("reason", ""),
                revision=cleaned.get("seen_revision"),
            )
            request.decision_done = "已重新打开，可重新生成建议或再次确认"
            return
        if CONFIRM not in request.POST:
            raise WorkflowError("请选择要执行的操作")
        # An amount left as shown follows the decision; one the user typed is kept.
        typed = "next_year_amount" in form.changed_data
        services.decision_confirm(
            decision=obj,
            user=user,
            action=cleaned.get("action", ""),
            cut_share=cleaned.get("cut_share"),
            next_year_amount=cleaned.get("next_year_amount") if typed else None,
            reason=cleaned.get("reason", ""),
            revision=cleaned.get("seen_revision"),
            base_amount=cleaned.get("base_amount") if "base_amount" in cleaned else None,
        )
        request.decision_done = "已确认预算安排决定"

    def response_change(self, request, obj):
        done = getattr(request, "decision_done", "")
        if not done:
            return super().response_change(request, obj)
        self.message_user(request, f"“{obj}”{done}", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def construct_change_message(self, request, form, formsets, add=False):
        # The change was written by the service and recorded as a workflow event.
        return []

    # -- proposing a year's decisions --------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "propose/",
                self.admin_site.admin_view(self.propose_view),
                name="{}_{}_propose".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {
            "may_propose": policies.acts_as(request.user, Role.REVIEWER),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def propose_view(self, request):
        """Choose a region and year (GET) and propose its decisions (POST, the service)."""
        if not policies.acts_as(request.user, Role.REVIEWER):
            raise Http404("没有这个页面")
        form = ProposeForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            region, year = form.cleaned_data["region"], form.cleaned_data["year"]
            try:
                outcome = services.decisions_propose(region=region, year=year, user=request.user)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, self.outcome_message(region, year, outcome))
                changelist = reverse("admin:evaluations_budgetdecision_changelist")
                return HttpResponseRedirect(
                    f"{changelist}?year={year}&region__id__exact={region.pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "生成结果应用建议",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/evaluations/budgetdecision/propose.html", context)

    @staticmethod
    def outcome_message(region, year, outcome) -> str:
        return (
            f"{region.name} {year} 年度已生成结果应用建议：新增 {outcome.created} 条，"
            f"更新 {outcome.refreshed} 条，未变 {outcome.unchanged} 条，"
            f"保留已确认的决定 {outcome.confirmed_kept} 条，"
            f"移除评价已退回的建议 {outcome.removed} 条"
        )

    # -- columns (application_rows: the same row as the public table) -------------------

    def row(self, decision):
        # The changelist fetched each decision with its evaluation (get_queryset).
        if not hasattr(decision, "_row"):
            decision._row = application_row(decision)
        return decision._row

    @admin.display(description="部门或项目")
    def evaluation_name(self, decision):
        return self.row(decision).name

    @admin.display(description="类型")
    def kind(self, decision):
        return self.row(decision).kind

    @admin.display(description="等级")
    def grade(self, decision):
        return self.row(decision).grade or "—"

    @admin.display(description="系统建议")
    def proposal(self, decision):
        return self.row(decision).proposal

    @admin.display(description="决定")
    def decided(self, decision):
        return self.row(decision).decided or "—"

    @admin.display(description="本年度资金（万元）")
    def base_shown(self, decision):
        return grouped(decision.base_amount) or "—"

    @admin.display(description="下年度安排（万元）")
    def next_year_shown(self, decision):
        return grouped(decision.next_year_amount) or "—"

    @admin.display(description="增减（万元）")
    def change_shown(self, decision):
        change = self.row(decision).change
        return "—" if change is None else grouped(change)

    @admin.display(description="建议依据")
    def grounds_list(self, decision):
        if not decision.grounds:
            return "—"
        return format_html_join(mark_safe("<br>"), "{}", ((ground,) for ground in decision.grounds))
